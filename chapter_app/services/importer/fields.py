"""What a column of each register's sheet can hold, and the headers chapters write for it.

Headers are compared in a folded form (no tones, lower case, đ -> d, punctuation as
spaces): "Họ và tên", "HỌ VÀ TÊN", "Ho va ten" and "Họ  và tên:" are all ``ho va ten``.
A header matches a field when its key is one of the field's synonyms, or starts with a
synonym of two words or more ("Ngày vào Hội (dd/mm/yyyy)" -> ``ngay vao hoi``). The
export writes each field's ``label``, which is always one of its synonyms, so an
exported sheet maps itself on re-import.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from types import MappingProxyType

from chapter_app.domain import labels as codes
from chapter_app.domain.text import fold
from chapter_app.domain.validation import N_

KINDS = ("members", "volunteers", "addresses", "aid")
_NOUNS: dict[str, str] = dict(
    {
        "members": N_("hội viên"),
        "volunteers": N_("tình nguyện viên"),
        "addresses": N_("địa chỉ nhân đạo"),
        "aid": N_("lượt trợ giúp"),
        "people": N_("người"),
    }
)
_TITLES: dict[str, str] = dict(
    {
        "members": N_("DANH SÁCH HỘI VIÊN"),
        "volunteers": N_("DANH SÁCH TÌNH NGUYỆN VIÊN"),
        "addresses": N_("DANH SÁCH ĐỊA CHỈ NHÂN ĐẠO VÀ NHÀ TÀI TRỢ"),
        "aid": N_("DANH SÁCH CÁC LƯỢT TRỢ GIÚP"),
        "people": N_("DANH SÁCH NGƯỜI TRONG SỔ"),
    }
)
KIND_NOUNS = MappingProxyType(_NOUNS)
KIND_TITLES = MappingProxyType(_TITLES)

IGNORE = "ignore"
MALE = "male"  # a "Nam" column: the birth year (or a tick) of men
FEMALE = "female"  # a "Nữ" column: the birth year (or a tick) of women

# Types of values (how a cell is cleaned before validation).
TEXT, NAME, DATE, BIRTH, SEX, SEXMARK, IDNUM, PHONE, MONEY, COUNT, QUANTITY, FLAG = (
    "text",
    "name",
    "date",
    "birth",
    "sex",
    "sexmark",
    "id",
    "phone",
    "money",
    "count",
    "quantity",
    "flag",
)
REF, CATEGORIES, STATUS, CHOICE = "ref", "categories", "status", "choice"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str  # the Vietnamese header the export writes (and the mapping list shows)
    type: str
    synonyms: tuple[str, ...]
    sensitive: bool = False  # Law 91/2025 sensitive data: left out of exports by default


_PUNCT = re.compile(r"[^0-9a-z]+")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def header_key(text: object) -> str:
    """The folded form of a header: ``"Họ và tên:"`` -> ``"ho va ten"``."""
    if text is None:
        return ""
    return " ".join(_PUNCT.sub(" ", fold(str(text))).split())


def header_keys(text: object) -> list[str]:
    """The header's key, then (if different) its key without anything in brackets."""
    keys = [header_key(text)]
    if text is not None:
        bare = header_key(_PARENS.sub(" ", str(text)))
        if bare and bare != keys[0]:
            keys.append(bare)
    return [k for k in keys if k]


def sex_word(text: object) -> str | None:
    """``MALE`` for a header "Nam", ``FEMALE`` for "Nữ"/"Nu" (tones matter: "Năm" is not)."""
    if not isinstance(text, str):
        return None
    word = " ".join(unicodedata.normalize("NFC", text).casefold().replace(":", " ").split())
    if word == "nam":
        return MALE
    if word in ("nữ", "nu"):
        return FEMALE
    return None


def make_field(key, label, type_, *synonyms, sensitive=False) -> FieldSpec:
    """A field whose header is ``label`` or one of ``synonyms`` (folded: "ngay hien")."""
    keys = tuple(dict.fromkeys([*header_keys(label), *synonyms]))
    return FieldSpec(key, label, type_, keys, sensitive)


_STT = make_field(
    IGNORE,
    "STT",
    TEXT,
    "stt",
    "tt",
    "so tt",
    "so thu tu",
    "thu tu",
    "ky nhan",
    "ky ten",
    "chu ky",
    "ky",
    "ky ghi ro ho ten",
    "nguoi nhan ky",
    "ky nhan cua nguoi nhan",
)
_FULL_NAME = make_field(
    "full_name",
    "Họ và tên",
    NAME,
    "ho va ten",
    "ho ten",
    "hoten",
    "ho va ten hoi vien",
    "ho ten hoi vien",
    "ten hoi vien",
    "ho va ten tnv",
    "ho ten tnv",
    "ho va ten tinh nguyen vien",
    "ho ten tinh nguyen vien",
    "ten tinh nguyen vien",
    "ho va ten nguoi",
)
# The residential unit (thôn, tổ dân phố...) of a person or an address.
UNIT_FIELD = make_field(
    "unit",
    "Thôn, tổ dân phố",
    REF,
    "thon",
    "to dan pho",
    "thon to",
    "thon to dan pho",
    "ap",
    "ban",
    "khu pho",
    "thon xom",
    "xom",
    "thon ap",
    "to",
    "khu dan cu",
    "thon ban",
)

_PERSON = (
    _STT,
    _FULL_NAME,
    make_field(
        "family_middle",
        "Họ và tên đệm",
        NAME,
        "ho va ten dem",
        "ho dem",
        "ho va chu lot",
        "ho lot",
        "ho va dem",
        "ho ten dem",
    ),
    make_field("family_name", "Họ", NAME, "ho"),
    make_field("middle_name", "Tên đệm", NAME, "ten dem", "chu lot", "dem"),
    make_field("given_name", "Tên", NAME, "ten"),
    make_field("sex", "Giới tính", SEX, "gioi tinh", "gioi", "phai", "nam nu", "gt"),
    make_field(
        "birth",
        "Ngày sinh (hoặc năm sinh)",
        BIRTH,
        "ngay sinh",
        "nam sinh",
        "ngay thang nam sinh",
        "sinh nam",
        "ns",
        "sinh ngay",
        "ngay thang sinh",
        "nam sinh hoac ngay sinh",
        "ngay nam sinh",
    ),
    # Told apart by their tones ("Nam" is male, "Năm" is year): see sex_word(), not synonyms.
    FieldSpec(MALE, "Nam", SEXMARK, ()),
    FieldSpec(FEMALE, "Nữ", SEXMARK, ()),
    make_field(
        "id_number",
        "Số định danh",
        IDNUM,
        "so cccd",
        "cccd",
        "so cmnd",
        "cmnd",
        "cmnd cccd",
        "cccd cmnd",
        "so cmnd cccd",
        "so cccd cmnd",
        "so dinh danh ca nhan",
        "dinh danh",
        "can cuoc",
        "so can cuoc",
        "can cuoc cong dan",
        "so can cuoc cong dan",
        "so cmt",
        "cmt",
        "so cccd dinh danh",
    ),
    make_field(
        "phone",
        "Số điện thoại",
        PHONE,
        "sdt",
        "dien thoai",
        "dt",
        "so dt",
        "dtdd",
        "di dong",
        "so di dong",
        "dien thoai lien he",
        "sdt lien he",
        "so dien thoai lien he",
    ),
    make_field(
        "address",
        "Địa chỉ",
        TEXT,
        "noi o",
        "noi o hien nay",
        "cho o hien nay",
        "cho o",
        "dia chi thuong tru",
        "thuong tru",
        "noi cu tru",
        "cu tru",
        "dia chi lien he",
        "so nha",
        "dia chi cu tru",
        "noi thuong tru",
    ),
    make_field("old_address", "Địa chỉ cũ", TEXT, "dia chi truoc day"),
    UNIT_FIELD,
    make_field("notes", "Ghi chú", TEXT, "chu thich"),
    make_field("ethnicity", "Dân tộc", TEXT, sensitive=True),
    make_field("religion", "Tôn giáo", TEXT, sensitive=True),
    make_field("health_notes", "Tình trạng sức khỏe", TEXT, "suc khoe", sensitive=True),
    make_field(
        "disability", "Khuyết tật", TEXT, "dang khuyet tat", "loai khuyet tat", sensitive=True
    ),
    make_field(
        "agent_orange",
        "Nạn nhân chất độc da cam",
        FLAG,
        "chat doc da cam",
        "da cam",
        "nhiem chat doc da cam",
        sensitive=True,
    ),
)
_BRANCH = make_field(
    "branch",
    "Chi hội",
    REF,
    "ten chi hoi",
    "thuoc chi hoi",
    "sinh hoat tai chi hoi",
    "chi hoi sinh hoat",
    "sinh hoat chi hoi",
)

MEMBER_FIELDS = (
    *_PERSON,
    _BRANCH,
    make_field(
        "admitted_on",
        "Ngày vào Hội",
        DATE,
        "ngay ket nap",
        "ngay ket nap hoi vien",
        "ngay ket nap vao hoi",
        "ngay vao",
        "vao hoi",
        "nam vao hoi",
        "thoi gian vao hoi",
        "ngay gia nhap",
        "ngay gia nhap hoi",
        "nam ket nap",
        "ngay vao hoi",
    ),
    make_field(
        "decision_no",
        "Số quyết định kết nạp",
        TEXT,
        "so quyet dinh",
        "so qd",
        "quyet dinh",
        "qd ket nap",
    ),
    make_field("card_no", "Số thẻ hội viên", TEXT, "so the", "the hoi vien", "ma the"),
    make_field("status", "Tình trạng", STATUS, "trang thai", "tinh trang sinh hoat"),
    make_field(
        "status_on",
        "Ngày đổi tình trạng",
        DATE,
        "ngay thay doi tinh trang",
        "ngay thay doi",
        "ngay chuyen",
        "ngay roi hoi",
    ),
)

VOLUNTEER_FIELDS = (
    *_PERSON,
    _BRANCH,
    make_field(
        "registered_on",
        "Ngày đăng ký",
        DATE,
        "ngay dang ki",
        "ngay tham gia",
        "ngay vao",
        "ngay bat dau",
        "thoi gian tham gia",
    ),
    make_field("left_on", "Ngày rời", DATE, "ngay nghi", "ngay thoi", "ngay ket thuc"),
    make_field(
        "is_core", "TNV nòng cốt", FLAG, "nong cot", "la nong cot", "tinh nguyen vien nong cot"
    ),
    make_field("skills", "Kỹ năng", TEXT, "chuyen mon", "ky nang chuyen mon", "nang khieu"),
    make_field(
        "team",
        "Đội, câu lạc bộ",
        TEXT,
        "doi",
        "doi nhom",
        "doi clb",
        "cau lac bo",
        "clb",
        "to doi",
        "doi cau lac bo",
        "doi xung kich",
    ),
    make_field(
        "hours",
        "Số giờ hoạt động",
        COUNT,
        "so gio",
        "gio hoat dong",
        "so gio tham gia",
        "tong so gio",
    ),
)

ADDRESS_FIELDS = (
    _STT,
    make_field(
        "name",
        "Tên hộ, chủ hộ",
        TEXT,
        "ho ten chu ho",
        "chu ho",
        "ten chu ho",
        "ten ho",
        "ho gia dinh",
        "ten dia chi",
        "dia chi nhan dao",
        "ten dia chi nhan dao",
        "ho va ten",
        "ho ten",
        "ho va ten chu ho",
        "doi tuong",
        "ten doi tuong",
        "ho ten doi tuong",
    ),
    make_field(
        "household_members",
        "Thành viên trong hộ",
        TEXT,
        "thanh vien",
        "thanh vien ho",
        "thanh vien trong ho",
        "cac thanh vien",
        "thanh vien gia dinh",
        "nguoi trong ho",
        "ho ten thanh vien",
    ),
    make_field("street_address", "Địa chỉ", TEXT, "so nha", "dia chi cu tru", "noi o"),
    UNIT_FIELD,
    make_field(
        "categories",
        "Diện đối tượng",
        CATEGORIES,
        "dien",
        "loai doi tuong",
        "phan loai",
        "dien ho tro",
        "dien chinh sach",
    ),
    make_field(
        "circumstances",
        "Hoàn cảnh",
        TEXT,
        "hoan canh gia dinh",
        "hoan canh kho khan",
        sensitive=True,
    ),
    make_field("needs", "Nhu cầu", TEXT, "nhu cau tro giup", "nhu cau ho tro", "de xuat"),
    make_field(
        "opened_on",
        "Ngày tiếp nhận",
        DATE,
        "ngay nhan",
        "ngay lap ho so",
        "ngay mo",
        "ngay dua vao theo doi",
        "ngay bat dau theo doi",
        "ngay theo doi",
        "nam tiep nhan",
    ),
    make_field("survey_date", "Ngày khảo sát", DATE, "ngay dieu tra"),
    make_field(
        "certified_on",
        "Ngày UBND xã xác nhận",
        DATE,
        "ngay xac nhan",
        "ngay ubnd xac nhan",
        "ngay binh xet",
        "ngay xet duyet",
    ),
    make_field("file_no", "Số hồ sơ", TEXT, "ma ho so"),
    make_field("registry_id", "Mã iNhandao", TEXT, "inhandao", "ma so nhan dao", "ma nhan dao"),
    make_field("status", "Tình trạng", STATUS, "trang thai"),
    make_field(
        "status_on", "Ngày đổi tình trạng", DATE, "ngay thay doi tinh trang", "ngay thay doi"
    ),
    make_field("notes", "Ghi chú", TEXT, "chu thich"),
    make_field(
        "sponsor",
        "Nhà tài trợ",
        TEXT,
        "ten nha tai tro",
        "don vi tai tro",
        "nguoi tai tro",
        "nha hao tam",
        "to chuc ca nhan tai tro",
        "nguoi do dau",
        "don vi do dau",
    ),
    make_field("sponsor_kind", "Loại nhà tài trợ", TEXT),
    make_field("sponsor_contact", "Người liên hệ của nhà tài trợ", TEXT, "nguoi lien he"),
    make_field(
        "sponsor_phone",
        "Điện thoại nhà tài trợ",
        PHONE,
        "sdt nha tai tro",
        "so dien thoai nha tai tro",
    ),
    make_field(
        "sponsor_email",
        "Thư điện tử nhà tài trợ",
        TEXT,
        "email",
        "thu dien tu",
        "email nha tai tro",
    ),
    make_field("sponsor_address", "Địa chỉ nhà tài trợ", TEXT),
    make_field(
        "commitment_start",
        "Ngày bắt đầu tài trợ",
        DATE,
        "ngay bat dau",
        "tu ngay",
        "ngay bat dau ho tro",
        "ngay nhan do dau",
    ),
    make_field("commitment_end", "Ngày kết thúc tài trợ", DATE, "ngay ket thuc", "den ngay"),
    make_field(
        "commitment_form",
        "Hình thức tài trợ",
        CHOICE,
        "hinh thuc",
        "hinh thuc ho tro",
        "hinh thuc tro giup",
    ),
    make_field(
        "commitment_frequency", "Tần suất tài trợ", TEXT, "tan suat", "dinh ky", "ky ho tro"
    ),
    make_field(
        "commitment_amount",
        "Mức tài trợ mỗi lần (đồng)",
        MONEY,
        "muc ho tro",
        "so tien",
        "so tien ho tro",
        "muc tai tro",
        "muc tai tro moi lan",
        "so tien moi thang",
        "muc ho tro thang",
        "gia tri ho tro",
        "muc ho tro hang thang",
        "so tien tai tro",
    ),
    make_field("commitment_description", "Nội dung tài trợ", TEXT, "noi dung", "noi dung ho tro"),
    make_field("commitment_notes", "Ghi chú tài trợ", TEXT),
)

AID_FIELDS = (
    _STT,
    make_field(
        "given_on",
        "Ngày trợ giúp",
        DATE,
        "ngay",
        "ngay nhan",
        "ngay trao",
        "ngay ho tro",
        "ngay cap",
        "thoi gian",
        "ngay thang",
        "ngay phat",
    ),
    make_field("recipient_kind", "Loại người nhận", CHOICE, "loai doi tuong", "doi tuong nhan"),
    make_field(
        "recipient",
        "Người hoặc hộ nhận",
        TEXT,
        "nguoi nhan",
        "ho ten nguoi nhan",
        "ho va ten nguoi nhan",
        "ten nguoi nhan",
        "ho nhan",
        "ten ho nhan",
        "nguoi ho nhan",
        "ho va ten",
        "ho ten",
        "doi tuong",
        "ten doi tuong",
        "ho ten doi tuong",
        "dia chi nhan dao",
        "ten dia chi nhan dao",
        "nguoi nhan ho nhan",
    ),
    make_field(
        "recipient_birth",
        "Ngày sinh người nhận (hoặc năm sinh)",
        BIRTH,
        "nam sinh",
        "ngay sinh",
        "nam sinh nguoi nhan",
        "ngay sinh nguoi nhan",
    ),
    make_field(
        "recipient_id",
        "Số định danh người nhận",
        IDNUM,
        "so cccd",
        "cccd",
        "so cmnd",
        "cmnd",
        "so dinh danh",
        "cmnd cccd",
        "so cmnd cccd",
        "so cccd nguoi nhan",
    ),
    make_field("recipient_unit", "Thôn, tổ dân phố", REF, *UNIT_FIELD.synonyms),
    make_field("group_name", "Tên nhóm", TEXT),
    make_field(
        "head_count",
        "Số người (nhóm)",
        COUNT,
        "so nguoi",
        "so nguoi trong nhom",
        "so nguoi cua nhom",
    ),
    make_field(
        "campaign",
        "Chương trình",
        TEXT,
        "dot van dong",
        "chuong trinh van dong",
        "phong trao",
        "cuoc van dong",
        "dot",
    ),
    make_field("area", "Lĩnh vực", TEXT, "linh vuc hoat dong"),
    make_field("form", "Hình thức", CHOICE, "hinh thuc tro giup", "hinh thuc ho tro"),
    make_field(
        "description",
        "Nội dung",
        TEXT,
        "noi dung tro giup",
        "mo ta",
        "vat pham",
        "noi dung ho tro",
        "qua tang",
        "loai qua",
    ),
    make_field("quantity", "Số lượng", QUANTITY, "sl"),
    make_field("unit", "Đơn vị tính", TEXT, "dvt", "don vi"),
    make_field(
        "cash_value",
        "Tiền mặt (đồng)",
        MONEY,
        "tien mat",
        "so tien",
        "tri gia tien mat",
        "so tien mat",
    ),
    make_field(
        "goods_value",
        "Trị giá hiện vật (đồng)",
        MONEY,
        "hien vat",
        "tri gia hien vat",
        "gia tri hien vat",
        "quy ra tien",
        "tri gia",
        "gia tri",
        "tri gia qua",
    ),
    make_field("funding_source", "Nguồn kinh phí", CHOICE, "nguon", "nguon tro giup", "nguon von"),
    make_field("sponsor", "Nhà tài trợ", TEXT, "ten nha tai tro", "don vi tai tro"),
    make_field("persons_reached", "Lượt người", COUNT, "so luot nguoi", "so nguoi duoc tro giup"),
    make_field("households_reached", "Lượt hộ", COUNT, "so ho", "so luot ho"),
    make_field("is_emergency", "Cứu trợ khẩn cấp", FLAG, "khan cap"),
    make_field("notes", "Ghi chú", TEXT, "chu thich"),
)

_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "members": MEMBER_FIELDS,
    "volunteers": VOLUNTEER_FIELDS,
    "addresses": ADDRESS_FIELDS,
    "aid": AID_FIELDS,
}
_REQUIRED_ANY: dict[str, tuple[str, ...]] = {
    "members": ("full_name", "given_name"),
    "volunteers": ("full_name", "given_name"),
    "addresses": ("name",),
    "aid": ("given_on",),
}
FIELDS: MappingProxyType[str, tuple[FieldSpec, ...]] = MappingProxyType(_FIELDS)
REQUIRED_ANY: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(_REQUIRED_ANY)


def declare_kind(
    key: str,
    *,
    noun: str,
    title: str,
    fields: tuple[FieldSpec, ...],
    required_any: tuple[str, ...],
) -> None:
    """Declare the columns of a further kind of sheet (its module then calls
    ``planner.register``). ``noun`` and ``title`` are ``N_()`` strings: "lượt hiến máu"."""
    _FIELDS[key] = fields
    _REQUIRED_ANY[key] = required_any
    _NOUNS[key] = noun
    _TITLES[key] = title


def field_spec(kind: str, key: str) -> FieldSpec:
    return next(f for f in FIELDS[kind] if f.key == key)


class Matcher:
    """Header text -> field key, for one register."""

    def __init__(self, kind: str):
        if kind not in FIELDS:
            raise ValueError(f"unknown import kind {kind!r}")
        self.kind = kind
        self.exact: dict[str, str] = {}
        for spec in FIELDS[kind]:
            for synonym in spec.synonyms:
                self.exact.setdefault(synonym, spec.key)
        self.prefixes = sorted(
            ((s, k) for s, k in self.exact.items() if " " in s), key=lambda p: -len(p[0])
        )

    def match(self, text: object) -> str | None:
        keys = header_keys(text)
        for key in keys:
            if key in self.exact:
                return self.exact[key]
        for key in keys:
            for synonym, field_key in self.prefixes:
                if key.startswith(synonym + " "):
                    return field_key
        return None


# --------------------------------------------------------------------------------------------
# Values written as words: what the export writes, and what the import also understands
# --------------------------------------------------------------------------------------------

# The list's short words, but "Kết nạp" (the event) for an admitted member.
MEMBER_STATUS_LABELS = MappingProxyType(
    {**codes.MEMBER_STATUS_LISTED, "admitted": codes.MEMBER_STATUS["admitted"]}
)
MEMBER_STATUS_WORDS = MappingProxyType(
    {
        **{header_key(label): key for key, label in MEMBER_STATUS_LABELS.items()},
        **{key.replace("_", " "): key for key in MEMBER_STATUS_LABELS},
        "dang sinh hoat": "admitted",
        "sinh hoat": "admitted",
        "hoi vien": "admitted",
        "chuyen sinh hoat": "moved_out",
        "chuyen di noi khac": "moved_out",
        "thoi": "left",
        "xin ra": "left",
        "da ra": "left",
        "ra hoi": "left",
        "bi xoa ten": "removed",
        "da mat": "died",
        "mat": "died",
        "chet": "died",
        "da chet": "died",
        "qua doi": "died",
        "da qua doi": "died",
    }
)
ADDRESS_STATUS_LABELS = MappingProxyType(
    {
        "following": N_("Đang theo dõi"),
        "out_of_hardship": N_("Đã thoát khó khăn"),
        "stopped": N_("Dừng theo dõi"),
    }
)
ADDRESS_STATUS_WORDS = MappingProxyType(
    {
        **{header_key(label): key for key, label in ADDRESS_STATUS_LABELS.items()},
        **{key.replace("_", " "): key for key in ADDRESS_STATUS_LABELS},
        "theo doi": "following",
        "dang ho tro": "following",
        "thoat kho khan": "out_of_hardship",
        "da thoat ngheo": "out_of_hardship",
        "thoat ngheo": "out_of_hardship",
        "dung": "stopped",
        "dung tro giup": "stopped",
        "ngung": "stopped",
        "ngung theo doi": "stopped",
    }
)
AID_FORM_LABELS = MappingProxyType(
    {
        "cash": N_("Tiền mặt"),
        "goods": N_("Hiện vật"),
        "rice": N_("Gạo"),
        "workdays": N_("Ngày công"),
        "livelihood": N_("Vốn sinh kế"),
        "insurance": N_("Thẻ bảo hiểm y tế"),
        "scholarship": N_("Học bổng"),
        "house_repair": N_("Sửa nhà"),
        "other": N_("Khác"),
    }
)
FUNDING_LABELS = MappingProxyType(codes.FUNDING_SOURCE)
RECIPIENT_LABELS = MappingProxyType(codes.RECIPIENT_KIND_LISTED)
RECIPIENT_WORDS = MappingProxyType(
    {
        **{header_key(label): key for key, label in RECIPIENT_LABELS.items()},
        **{key: key for key in RECIPIENT_LABELS},
        "dia chi": "address",
        "ho": "address",
        "ho gia dinh": "address",
        "nguoi": "person",
        "tap the": "group",
    }
)
SPONSOR_KIND_LABELS = MappingProxyType({"org": N_("Tổ chức"), "person": N_("Cá nhân")})
YES = N_("Có")
