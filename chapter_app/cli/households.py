"""Humanitarian addresses, their sponsors and commitments, and aid given, one record at a
time from the command line, with the window's own checks (``services.records``).

chapter-app addresses list|add|change|status     households followed (địa chỉ nhân đạo)
chapter-app sponsors list|add|change             sponsors (nhà tài trợ)
chapter-app commitments list|add|change          a sponsor's commitment to a household
chapter-app aid list|add|change                  aid given (to a household, a member, a group)

Names are matched without tones; a household or sponsor may also be named by its number.
"""

from __future__ import annotations

from typing import Any

from chapter_app.cli.base import EXIT_OK
from chapter_app.cli.core import open_existing
from chapter_app.cli.people import status_problems
from chapter_app.cli.record_commands import (
    RecordKind,
    add_status_parser,
    day,
    form_date,
    refuse,
    register_kind,
    saver,
)
from chapter_app.domain import labels
from chapter_app.domain.labels import lower_first
from chapter_app.errors import AppError

ADDRESS_STATUSES = {code: lower_first(text) for code, text in labels.ADDRESS_STATUS.items()}
SPONSOR_KINDS = {code: lower_first(text) for code, text in labels.SPONSOR_KIND.items()}
RECORD_BASE_FIELDS = ("id", "uuid", "created_at", "updated_at", "deleted_at")

ADDRESS_OPTIONS = {
    "--name": ("name", "tên hộ, ví dụ «Hộ bà Phạm Thị Lụa»"),
    "--opened": ("opened_on", "ngày bắt đầu theo dõi (dd/mm/yyyy)"),
    "--unit": ("unit", "thôn, tổ dân phố (xem: chapter-app units list)"),
    "--street": ("street_address", "địa chỉ cụ thể"),
    "--category": (
        "categories",
        "diện đối tượng, cách nhau bằng dấu ; (ví dụ «Hộ nghèo; Người khuyết tật»)",
    ),
    "--circumstances": ("circumstances", "hoàn cảnh"),
    "--needs": ("needs", "nhu cầu cần giúp"),
    "--survey": ("survey_date", "ngày khảo sát (dd/mm/yyyy)"),
    "--certified": ("certified_on", "ngày xác nhận (dd/mm/yyyy)"),
    "--file-no": ("file_no", "số hồ sơ"),
    "--notes": ("notes", "ghi chú"),
}
SPONSOR_OPTIONS = {
    "--name": ("name", "tên nhà tài trợ"),
    "--kind": ("kind", "org (tổ chức, mặc định) hoặc person (cá nhân)"),
    "--contact": ("contact_name", "người liên hệ"),
    "--phone": ("phone", "số điện thoại"),
    "--email": ("email", "thư điện tử"),
    "--address": ("address", "địa chỉ"),
    "--notes": ("notes", "ghi chú"),
}
COMMITMENT_OPTIONS = {
    "--sponsor": ("sponsor", "nhà tài trợ: tên hoặc số (xem: chapter-app sponsors list)"),
    "--household": ("address", "hộ được giúp: tên hoặc số (xem: chapter-app addresses list)"),
    "--start": ("start_on", "từ ngày (dd/mm/yyyy)"),
    "--end": ("end_on", "đến ngày (dd/mm/yyyy; để trống nếu chưa hết hạn)"),
    "--amount": ("amount", "số tiền mỗi lần (đồng)"),
    "--frequency": ("frequency", "bao lâu một lần, ví dụ «hằng tháng»"),
    "--form": ("form", "hình thức: tiền mặt, hiện vật… (xem: chapter-app lists forms list)"),
    "--description": ("description", "nội dung cam kết"),
    "--notes": ("notes", "ghi chú"),
}
AID_OPTIONS = {
    "--on": ("given_on", "ngày trao (dd/mm/yyyy)"),
    "--household": ("household", "trao cho hộ: tên hoặc số (xem: chapter-app addresses list)"),
    "--member": ("member", "trao cho một hội viên: số của hội viên (xem: members list)"),
    "--group": ("group_name", "trao cho một nhóm: tên nhóm (cần --count)"),
    "--count": ("head_count", "số người của nhóm"),
    "--cash": ("cash_value", "tiền mặt (đồng)"),
    "--goods": ("goods_value", "trị giá hiện vật (đồng)"),
    "--quantity": ("quantity", "số lượng hiện vật"),
    "--unit-name": ("unit", "đơn vị tính, ví dụ «suất», «kg»"),
    "--description": ("description", "nội dung, ví dụ «Quà Tết: gạo, dầu ăn»"),
    "--campaign": (
        "campaign",
        "chương trình, ví dụ «Tết Nhân ái» (xem: chapter-app lists campaigns list)",
    ),
    "--area": ("area", "lĩnh vực (xem: chapter-app lists areas list)"),
    "--sponsor": ("sponsor", "nhà tài trợ (nếu có)"),
    "--funding": ("funding_source", "nguồn: nội lực, nhà tài trợ, cấp trên"),
    "--form": ("form", "hình thức: tiền mặt, hiện vật, gạo… (xem: chapter-app lists forms list)"),
    "--emergency": ("is_emergency", "cứu trợ khẩn cấp: có / không"),
    "--notes": ("notes", "ghi chú"),
}


def lists_hint(which: str) -> str:
    return f"Xem danh mục: chapter-app lists {which} list --db ... (thêm: lists {which} add)."


RECIPIENT_HINT = "Nêu người nhận: --household TÊN_HỘ, --member SỐ, hoặc --group TÊN --count N."


def find_by_name(repo, text: str, *, option: str, noun: str, listing: str) -> int:
    """The id of a record named by its number or its name (``services.by_name``: an exact
    name wins, else one without tones and case); refused (``AppError``) when none or
    several have it."""
    from chapter_app.i18n import _
    from chapter_app.services.by_name import name_issue, named

    text = text.strip()
    if text.isdigit():
        if repo.find(int(text)) is None:
            raise AppError(f"{option}: không có {noun} số {text}. Xem: {listing} --db ...")
        return int(text)
    found = named(repo.list(), text)
    if len(found) == 1:
        return found[0].id
    if found:
        problem = name_issue(found, text=text, field=option, what=noun).render(_)
        choose = "Hoặc dùng"
    else:
        problem, choose = f"không có {noun} tên «{text}».", "Dùng"
    raise AppError(
        f"{option}: {problem} {choose} số của {noun} (xem: {listing} "
        '--search "…" --db ...). Không ghi gì.'
    )


def _resolve_address(store, raw: dict) -> None:
    from chapter_app.cli.people import resolve_names

    resolve_names(store, raw)
    if "categories" in raw:
        from chapter_app.domain.text import fold

        names = [n.strip() for n in raw.pop("categories").split(";") if n.strip()]
        known = {fold(c.name): c.id for c in store.categories.list()}
        unknown = [n for n in names if fold(n) not in known]
        if unknown:
            raise AppError(
                f"--category: không có diện đối tượng {', '.join(f'«{n}»' for n in unknown)}. "
                f"{lists_hint('categories')} Không ghi gì."
            )
        raw["category_ids"] = [known[fold(n)] for n in names]


def _resolve_commitment(store, raw: dict) -> None:
    if raw.get("sponsor"):
        raw["sponsor_id"] = find_by_name(
            store.sponsors, raw.pop("sponsor"), option="--sponsor", noun="nhà tài trợ",
            listing="chapter-app sponsors list",
        )  # fmt: skip
    if raw.get("address"):
        raw["address_id"] = find_by_name(
            store.addresses, raw.pop("address"), option="--household", noun="hộ",
            listing="chapter-app addresses list",
        )  # fmt: skip


def _resolve_aid(store, raw: dict) -> None:
    """The recipient: a household, a member's person, or a group (exactly one)."""
    given = [k for k in ("household", "member", "group_name") if raw.get(k)]
    if len(given) > 1:
        raise AppError("Chỉ nêu một người nhận: --household, --member hoặc --group. Không ghi gì.")
    if raw.get("household"):
        raw["address_id"] = find_by_name(
            store.addresses, raw.pop("household"), option="--household", noun="hộ",
            listing="chapter-app addresses list",
        )  # fmt: skip
        raw["recipient_kind"] = "address"
    elif raw.get("member"):
        text = raw.pop("member").strip()
        member = store.members.find(int(text)) if text.isdigit() else None
        if member is None:
            raise AppError(
                f"--member: không có hội viên số «{text}». Xem: chapter-app members list --db ..."
            )
        raw["person_id"] = member.person_id
        raw["recipient_kind"] = "person"
    elif raw.get("group_name"):
        raw["recipient_kind"] = "group"


def _record_values(record) -> dict[str, Any]:
    """A stored record's values as a form holds them (dates typed as dd/mm/yyyy)."""
    return {
        key: form_date(getattr(record, key))
        for key in type(record).field_names()
        if key not in RECORD_BASE_FIELDS
    }


def _stored_address(store, record_id: int) -> dict[str, Any]:
    values = _record_values(store.addresses.get(record_id))
    return values | {"category_ids": store.addresses.categories_of(record_id)}


def _stored(repo_name: str):
    return lambda store, record_id: _record_values(getattr(store, repo_name).get(record_id))


def _search_option(parser) -> None:
    parser.add_argument("--search", metavar="CHỮ", help="tìm theo tên (gõ không dấu cũng được)")


def _address_list_options(parser) -> None:
    _search_option(parser)
    parser.add_argument("--all", action="store_true", help="cả hộ đã thôi theo dõi")


def _address_rows(store, args) -> list[dict[str, Any]]:
    from chapter_app.store.repository import Query

    filters = {} if args.all else {"status": "following"}
    units = {u.id: u.name for u in store.units.list()}
    return [
        {
            "id": r["id"],
            "name": r["name"],
            "unit": units.get(r["unit_id"]),
            "opened_on": r["opened_on"],
            "status": r["status"],
        }
        for r in store.addresses.rows(Query(search=args.search, filters=filters))
    ]


def _sponsor_rows(store, args) -> list[dict[str, Any]]:
    from chapter_app.store.repository import Query

    return [
        {"id": r["id"], "name": r["name"], "kind": r["kind"]}
        for r in store.sponsors.rows(Query(search=args.search))
    ]


def _commitment_rows(store, args) -> list[dict[str, Any]]:
    return [
        {
            "id": r["id"],
            "sponsor": r["sponsor_name"],
            "household": r["address_name"],
            "start_on": r["start_on"],
            "end_on": r["end_on"],
            "amount": r["amount"],
            "frequency": r["frequency"],
        }
        for r in store.commitments.rows()
    ]


def _year_option(parser) -> None:
    parser.add_argument("--year", type=int, help="chỉ năm này")


def _aid_rows(store, args) -> list[dict[str, Any]]:
    rows = [
        {
            "id": r["id"],
            "given_on": r["given_on"],
            "recipient": r["recipient_name"],
            "campaign": r["campaign_name"],
            "value": r["value_total"],
            "description": r["description"],
        }
        for r in store.aid.rows()
    ]
    if args.year:
        rows = [r for r in rows if r["given_on"].startswith(f"{args.year:04d}-")]
    return sorted(rows, key=lambda r: (r["given_on"], r["id"]))


def _money(amount: int | None) -> str:
    from chapter_app.i18n import format_money

    return format_money(amount or 0)


def _address_line(row: dict) -> str:
    parts = [row["unit"], f"từ {day(row['opened_on'])}", ADDRESS_STATUSES.get(row["status"])]
    return f"{row['name']}  ({', '.join(p for p in parts if p)})"


def _commitment_line(row: dict) -> str:
    until = f"đến {day(row['end_on'])}" if row["end_on"] else "chưa hết hạn"
    amount = f"{_money(row['amount'])} {row['frequency'] or ''}".strip()
    return f"{row['sponsor']} → {row['household']}  (từ {day(row['start_on'])}, {until}, {amount})"


def _aid_line(row: dict) -> str:
    parts = [row["campaign"], _money(row["value"]), row["description"]]
    return f"{day(row['given_on'])}  {row['recipient']}  ({', '.join(p for p in parts if p)})"


ADDRESSES = RecordKind(
    command="addresses",
    noun="hộ (địa chỉ nhân đạo)",
    options=ADDRESS_OPTIONS,
    required=("--name", "--opened"),
    example='--name "Hộ bà Phạm Thị Lụa" --opened 01/10/2026 --unit "Thôn An Vĩnh"',
    save=saver("save_address", "address_id"),
    stored=_stored_address,
    rows=_address_rows,
    line=_address_line,
    name_of=lambda _store, record: record.name,
    resolve=_resolve_address,
    list_options=_address_list_options,
    option_of_field={"unit_id": "--unit", "category_ids": "--category"},
)
SPONSORS = RecordKind(
    command="sponsors",
    noun="nhà tài trợ",
    options=SPONSOR_OPTIONS,
    required=("--name",),
    example='--name "Công ty TNHH Bình Minh" --phone 0905123456',
    save=saver("save_sponsor", "sponsor_id", dated=False),
    stored=_stored("sponsors"),
    rows=_sponsor_rows,
    line=lambda row: f"{row['name']}  ({SPONSOR_KINDS.get(row['kind'], SPONSOR_KINDS['org'])})",
    name_of=lambda _store, record: record.name,
    list_options=_search_option,
)
COMMITMENTS = RecordKind(
    command="commitments",
    noun="cam kết tài trợ",
    options=COMMITMENT_OPTIONS,
    required=("--sponsor", "--household", "--start"),
    example='--sponsor "Công ty TNHH Bình Minh" --household "Hộ bà Phạm Thị Lụa" '
    '--start 01/11/2026 --amount 500000 --frequency "hằng tháng"',
    save=saver("save_commitment", "commitment_id"),
    stored=_stored("commitments"),
    rows=_commitment_rows,
    line=_commitment_line,
    name_of=lambda store, record: " → ".join(
        (store.sponsors.get(record.sponsor_id).name, store.addresses.get(record.address_id).name)
    ),
    resolve=_resolve_commitment,
    option_of_field={"sponsor_id": "--sponsor", "address_id": "--household"},
    hints={"form": lists_hint("forms")},
)
AID = RecordKind(
    command="aid",
    noun="lượt trợ giúp",
    options=AID_OPTIONS,
    required=("--on",),
    example='--on 28/12/2026 --household "Hộ bà Phạm Thị Lụa" --cash 500000 '
    '--campaign "Tết Nhân ái" --description "Quà Tết"',
    save=saver("save_aid", "aid_id"),
    stored=_stored("aid"),
    rows=_aid_rows,
    line=_aid_line,
    name_of=lambda _store, record: f"ngày {day(record.given_on)}",
    resolve=_resolve_aid,
    list_options=_year_option,
    option_of_field={
        "recipient_kind": "--household/--member/--group",
        "recipient": "--household/--member/--group",
        "address_id": "--household",
        "person_id": "--member",
        "campaign_id": "--campaign",
        "area_id": "--area",
        "sponsor_id": "--sponsor",
    },
    hints={
        "form": lists_hint("forms"),
        "campaign": lists_hint("campaigns"),
        "area": lists_hint("areas"),
        "recipient_kind": RECIPIENT_HINT,
    },
)


def register(commands) -> None:
    """Add ``addresses`` (with ``status``), ``sponsors``, ``commitments`` and ``aid``."""
    sub = register_kind(
        commands, ADDRESSES, "địa chỉ nhân đạo (hộ được theo dõi): xem, thêm, sửa, đổi tình trạng"
    )
    add_status_parser(sub, "hộ", ADDRESS_STATUSES, cmd_status)
    register_kind(commands, SPONSORS, "nhà tài trợ: xem, thêm, sửa")
    register_kind(commands, COMMITMENTS, "cam kết của nhà tài trợ với một hộ: xem, thêm, sửa")
    register_kind(commands, AID, "trợ giúp đã trao (cho hộ, hội viên, nhóm): xem, thêm, sửa")


def cmd_status(args) -> int:
    """A household's new status (its own operation)."""
    with open_existing(args.db) as store:
        on_date, reason, problems = status_problems(
            store, "addresses", args.id, args, ADDRESS_STATUSES, "ngày bắt đầu theo dõi"
        )
        if problems:
            raise refuse(problems)
        record = store.addresses.change_status(args.id, args.to, on_date, reason=reason)
    print(f"Đã ghi: {record.name} — {ADDRESS_STATUSES[args.to]} từ {day(on_date)}.")
    return EXIT_OK
