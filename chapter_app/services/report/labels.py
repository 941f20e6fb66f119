"""Every string the report and the printed lists show, in Vietnamese and English.

Kept in one module (plain dicts keyed by language) so that they can move into the
gettext catalogues later. Numbers, money and dates are formatted with Babel for the
report's language, never with the process-wide language of ``chapter_app.i18n``: a
report in English can be built while the program runs in Vietnamese.
"""

from __future__ import annotations

import string
from datetime import date

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal

from chapter_app.domain.periods import ROMAN, Period
from chapter_app.services.indicators import INDICATORS, MONEY_KEYS  # noqa: F401 (re-export)
from chapter_app.services.report import wording as W
from chapter_app.services.report.wording import OFFICER_SECTIONS, SECTIONS  # noqa: F401

LANGUAGES = ("vi", "en")
LOCALES = {"vi": "vi_VN", "en": "en_US"}


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown report language {lang!r} (use 'vi' or 'en')")
    return lang


# --- formatting ------------------------------------------------------------------------------


def number(value: int | float, lang: str) -> str:
    """``1234567`` -> ``1.234.567`` (vi) or ``1,234,567`` (en)."""
    return format_decimal(value, locale=LOCALES[lang])


def money(value: int, lang: str) -> str:
    """Whole đồng: ``12.500.000 đ`` (vi) or ``12,500,000 VND`` (en). (The PDF keeps a number
    and the word after it on one line; the text itself keeps plain spaces, which the
    officer's editor would turn them into anyway.)"""
    return f"{number(int(value), lang)} {TEXT[lang]['currency']}"


def signed(value: int, lang: str) -> str:
    """A change: ``+12``, ``-1.234``, ``0``."""
    text = number(abs(int(value)), lang)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"-{text}"
    return text


def percent(value: float, lang: str) -> str:
    """``85.3`` -> ``85,3%`` (vi) or ``85.3%`` (en); whole numbers without decimals."""
    return format_decimal(round(value, 1), format="#,##0.#", locale=LOCALES[lang]) + "%"


def day(value: date, lang: str) -> str:
    """``dd/mm/yyyy`` in both languages (the administrative form)."""
    return babel_format_date(value, "dd/MM/yyyy", locale=LOCALES[lang])


def date_line(place: str, when: date, lang: str) -> str:
    """The place-and-date line under the motto (Decree 30/2020).

    Vietnamese: "Tịnh Kỳ, ngày 05 tháng 01 năm 2027": a leading zero for days below 10 and
    for months 1 and 2 only. English: "Tịnh Kỳ, 05 January 2027".
    """
    place = place or "……"
    if lang == "vi":
        month = f"{when.month:02d}" if when.month <= 2 else str(when.month)
        return f"{place}, ngày {when.day:02d} tháng {month} năm {when.year}"
    return f"{place}, {babel_format_date(when, 'dd MMMM yyyy', locale=LOCALES[lang])}"


def document_number(number_value: int | None, code: str, lang: str) -> str:
    """ "Số: 05/BC-CTĐ"; a draft without a number keeps a blank for it."""
    shown = f"{number_value:02d}" if number_value is not None else "\xa0" * 8
    return TEXT[lang]["number_line"].format(number=shown, code=code or "")


# --- periods ---------------------------------------------------------------------------------


def period_name(period: Period, lang: str) -> str:
    """ "quý IV năm 2026" / "quarter IV of 2026", "6 tháng đầu năm 2026", ..."""
    if lang == "vi":
        return period.vietnamese_label()
    if period.kind == "quarter":
        return f"quarter {ROMAN[period.quarter]} of {period.year}"
    if period.kind == "half":
        first = period.start.month == 1
        return f"the {'first' if first else 'last'} six months of {period.year}"
    if period.kind == "nine_months":
        return f"the first nine months of {period.year}"
    if period.kind == "year":
        return f"the year {period.year}"
    return f"the period from {day(period.start, lang)} to {day(period.end, lang)}"


def next_period_name(period: Period, lang: str) -> str:
    """The period the "tasks for the next period" section is about."""
    year = period.year
    vi = lang == "vi"
    if period.kind == "quarter":
        quarter, next_year = (period.quarter % 4) + 1, year + (period.quarter == 4)
        return (
            f"quý {ROMAN[quarter]} năm {next_year}"
            if vi
            else f"quarter {ROMAN[quarter]} of {next_year}"
        )
    if period.kind == "half" and period.start.month == 1:
        return f"6 tháng cuối năm {year}" if vi else f"the last six months of {year}"
    if period.kind == "nine_months":
        return f"quý IV năm {year}" if vi else f"quarter IV of {year}"
    if period.kind in ("half", "year"):
        return f"năm {year + 1}" if vi else f"the year {year + 1}"
    return "kỳ tới" if vi else "the next period"


def in_period(period: Period, lang: str) -> str:
    """How a sentence about the period's flows starts: "Trong quý", "During the quarter"."""
    return TEXT[lang][f"in_{period.kind}"]


# --- the report's fixed texts ----------------------------------------------------------------

TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "currency": "đ",
        "parent_fallback": "Hội cấp trên",
        "draft_mark": "DỰ THẢO",
        "national_name": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto": "Độc lập - Tự do - Hạnh phúc",
        "number_line": "Số: {number}/BC-{code}",
        "title": "BÁO CÁO",
        "subject": "Kết quả công tác Hội và phong trào Chữ thập đỏ {period}",
        "recipients": "Nơi nhận:",
        "annex": "PHỤ LỤC",
        "annex_subtitle": "SỐ LIỆU CÁC CHỈ TIÊU CÔNG TÁC HỘI {period}",
        "annex_attached": "(Kèm theo Báo cáo số {number} ngày {date} của {chapter})",
        "annex_attached_draft": "(Kèm theo Báo cáo kết quả công tác Hội {period} của {chapter})",
        "col_no": "TT",
        "col_indicator": "Chỉ tiêu",
        "col_unit": "Đơn vị tính",
        "col_period": "Trong kỳ",
        "col_ytd": "Lũy kế năm",
        "col_last_year": "Cùng kỳ năm trước",
        "col_change": "Tăng (+), giảm (-) so với cùng kỳ",
        "col_target": "Chỉ tiêu năm",
        "col_percent": "% chỉ tiêu năm",
        "by_campaign_title": "Trợ giúp theo chương trình vận động",
        "by_area_title": "Trợ giúp theo lĩnh vực hoạt động",
        "col_campaign": "Chương trình vận động",
        "col_area": "Lĩnh vực hoạt động",
        "col_records": "Lượt trợ giúp",
        "col_person_times": "Lượt người",
        "col_value_period": "Trị giá trong kỳ (đồng)",
        "col_value_ytd": "Lũy kế năm (đồng)",
        "col_value_last_year": "Cùng kỳ năm trước (đồng)",
        "total": "Tổng cộng",
        "chart_title": "Trị giá trợ giúp theo chương trình vận động {period} (đồng)",
        "chart_other": "Các chương trình khác",
        "in_quarter": "Trong quý",
        "in_half": "Trong 6 tháng",
        "in_nine_months": "Trong 9 tháng",
        "in_year": "Trong năm",
        "in_custom": "Trong kỳ",
        "no_campaign": "Không thuộc chương trình",
        "no_area": "Chưa phân lĩnh vực",
    },
    "en": {
        "currency": "VND",
        "parent_fallback": "the level above",
        "draft_mark": "DRAFT",
        "national_name": "SOCIALIST REPUBLIC OF VIET NAM",
        "motto": "Independence - Freedom - Happiness",
        "number_line": "No.: {number}/BC-{code}",
        "title": "REPORT",
        "subject": "Results of the Red Cross Society's work and movement in {period}",
        "recipients": "Recipients:",
        "annex": "ANNEX",
        "annex_subtitle": "INDICATORS OF THE RED CROSS SOCIETY'S WORK IN {period}",
        "annex_attached": "(Attached to Report No. {number} dated {date} of {chapter})",
        "annex_attached_draft": "(Attached to the report on the work in {period} of {chapter})",
        "col_no": "No.",
        "col_indicator": "Indicator",
        "col_unit": "Unit",
        "col_period": "This period",
        "col_ytd": "Year to date",
        "col_last_year": "Same period last year",
        "col_change": "Change on same period last year",
        "col_target": "Yearly target",
        "col_percent": "% of yearly target",
        "by_campaign_title": "Aid by campaign",
        "by_area_title": "Aid by area of activity",
        "col_campaign": "Campaign",
        "col_area": "Area of activity",
        "col_records": "Aid records",
        "col_person_times": "People reached",
        "col_value_period": "Value this period (VND)",
        "col_value_ytd": "Year to date (VND)",
        "col_value_last_year": "Same period last year (VND)",
        "total": "Total",
        "chart_title": "Value of aid by campaign in {period} (VND)",
        "chart_other": "Other campaigns",
        "in_quarter": "During the quarter",
        "in_half": "During the six months",
        "in_nine_months": "During the nine months",
        "in_year": "During the year",
        "in_custom": "During the period",
        "no_campaign": "No campaign",
        "no_area": "No area given",
    },
}

# Setting values whose English form is known (the defaults of chapter_app.store.settings);
# anything else the officer typed is printed as typed.
VALUE_TRANSLATIONS: dict[str, dict[str, str]] = {
    "en": {
        "TM. BAN THƯỜNG VỤ": "ON BEHALF OF THE STANDING COMMITTEE",
        "KT. CHỦ TỊCH": "FOR THE CHAIRPERSON",
        "CHỦ TỊCH": "CHAIRPERSON",
        "PHÓ CHỦ TỊCH": "VICE CHAIRPERSON",
        "Hội CTĐ cấp trên": "The Red Cross Society at the level above",
        "Đảng ủy xã": "The commune Party Committee",
        "UBND xã": "The commune People's Committee",
        "UBMTTQ Việt Nam xã": "The commune Viet Nam Fatherland Front Committee",
        "Lưu: VT.": "Filed: Office.",
        "Không thuộc chương trình": "No campaign",
        "Chưa phân lĩnh vực": "No area given",
        # The standard reference lists (chapter_app.services.setup), used when the lists
        # carry no English name of their own.
        "Tết Nhân ái": "Humanitarian Tết",
        "Tháng Nhân đạo": "Humanitarian Month",
        "Địa chỉ nhân đạo": "Humanitarian addresses",
        "Cứu trợ khẩn cấp": "Emergency relief",
        "Người tốt việc thiện": "Good people, good deeds",
        "Dinh dưỡng trẻ em": "Child nutrition",
        "Sinh kế": "Livelihoods",
        "Học bổng": "Scholarships",
        "Cứu trợ khẩn cấp và trợ giúp nhân đạo": "Emergency relief and humanitarian aid",
        "Chăm sóc sức khỏe": "Health care",
        "Sơ cấp cứu": "First aid",
        "Hiến máu, mô, bộ phận cơ thể người": "Blood, tissue and organ donation",
        "Tìm kiếm tin tức thân nhân": "Restoring family links",
        "Truyền thông giá trị nhân đạo": "Spreading humanitarian values",
        "Phòng ngừa, ứng phó thảm họa": "Disaster preparedness and response",
        # units of aid given
        "suất": "packs",
        "phần quà": "gift packs",
        "căn nhà": "houses",
        "con bò": "cows",
        "thẻ bảo hiểm y tế": "health insurance cards",
        # branch ratings
        "vững mạnh": "strong",
        "khá": "good",
        "trung bình": "average",
        "yếu": "weak",
    }
}


def translate_value(value: str, lang: str) -> str:
    """A known setting value in the report's language (other values unchanged)."""
    known = VALUE_TRANSLATIONS.get(lang, {})
    return known.get(value, known.get(value.lower(), value) if value else value)


# --- indicators ------------------------------------------------------------------------------

# English labels and units of chapter_app.services.indicators.INDICATORS (same keys).
INDICATOR_LABELS_EN: dict[str, tuple[str, str]] = {
    "branches.count": ("Branches", "branches"),
    "members.total_end": ("Members in total", "persons"),
    "members.new": ("New members admitted", "persons"),
    "members.left": ("Members who left, were removed or died", "persons"),
    "members.dues_collected": ("Dues collected", "VND"),
    "volunteers.total_end": ("Volunteers in total", "persons"),
    "volunteers.core_end": ("Core volunteers", "persons"),
    "volunteers.new": ("New volunteers", "persons"),
    "youth.total_end": ("Red Cross youth and teenagers", "persons"),
    "addresses.on_file": ("Humanitarian addresses followed", "addresses"),
    "addresses.with_sponsor": ("Humanitarian addresses with a sponsor", "addresses"),
    "addresses.new": ("New humanitarian addresses", "addresses"),
    "addresses.helped": ("Humanitarian addresses helped", "addresses"),
    "addresses.closed": ("Humanitarian addresses taken off the list", "addresses"),
    "addresses.monthly": ("Addresses with regular monthly support", "addresses"),
    "addresses.monthly_amount": ("Regular support a month", "VND"),
    "sponsors.active": ("Sponsors with an active commitment", "sponsors"),
    "aid.records": ("Aid records", "records"),
    "aid.person_times": ("People reached (counted per visit)", "people"),
    "aid.households": ("Households reached (counted per visit)", "households"),
    "aid.value_total": ("Total value of aid", "VND"),
    "aid.value_cash": ("of which cash", "VND"),
    "aid.value_goods": ("of which goods", "VND"),
    "aid.value_own": ("of which raised by the chapter", "VND"),
    "aid.emergency_value": ("Emergency relief: value", "VND"),
    "aid.emergency_households": ("Emergency relief: households (times)", "households"),
    "blood.drives": ("Blood donation drives", "drives"),
    "blood.donors": ("Blood donors", "persons"),
    "blood.repeat_donors": ("Repeat blood donors", "persons"),
    "blood.first_time": ("First-time blood donors", "persons"),
    "blood.units": ("Blood units", "units"),
    "blood.volume_ml": ("Blood collected", "ml"),
    "firstaid.classes": ("First-aid training classes", "classes"),
    "firstaid.trainees": ("First-aid trainees", "persons"),
    "health.person_times": ("Free check-ups and medicine", "people"),
    "health.value": ("Value of check-ups and medicine", "VND"),
}

# Labels of the differences list (``differences_since_issue`` keys are "<block>.<key>...").
BLOCK_LABELS = {
    "vi": {
        "period": "Trong kỳ",
        "ytd": "Lũy kế năm",
        "last_year": "Cùng kỳ năm trước",
        "target": "Chỉ tiêu năm",
    },
    "en": {
        "period": "This period",
        "ytd": "Year to date",
        "last_year": "Same period last year",
        "target": "Yearly target",
    },
}


def indicator_label(key: str, lang: str) -> tuple[str, str]:
    """(label, unit) of an indicator key in ``lang``."""
    if lang == "en":
        return INDICATOR_LABELS_EN[key]
    for k, label, unit in INDICATORS:
        if k == key:
            return label, unit
    raise KeyError(key)


GROUP_LABELS = {
    "vi": {
        "aid.by_campaign": "Trợ giúp theo chương trình vận động",
        "aid.by_area": "Trợ giúp theo lĩnh vực hoạt động",
        "records": "lượt trợ giúp",
        "person_times": "lượt người",
        "value": "trị giá",
    },
    "en": {
        "aid.by_campaign": "Aid by campaign",
        "aid.by_area": "Aid by area of activity",
        "records": "aid records",
        "person_times": "people reached",
        "value": "value",
    },
}


def describe_key(key: str, lang: str = "vi") -> str:
    """A readable name for a differences key.

    "period.members.new" -> "Trong kỳ: Hội viên kết nạp mới";
    "period.aid.by_campaign.Học bổng.value" -> "Trong kỳ: Trợ giúp theo chương trình vận
    động, Học bổng (trị giá)".
    """
    block, _, rest = key.partition(".")
    block_label = BLOCK_LABELS[lang].get(block, block)
    group_labels = GROUP_LABELS[lang]
    parts = rest.split(".")
    indicator = ".".join(parts[:2])
    if indicator in group_labels and len(parts) >= 4:
        name = translate_value(".".join(parts[2:-1]), lang)
        field = group_labels.get(parts[-1], parts[-1])
        return f"{block_label}: {group_labels[indicator]}, {name} ({field})"
    try:
        label = indicator_label(indicator, lang)[0]
    except KeyError:
        label = rest
    return f"{block_label}: {label}"


# --- narrative ---------------------------------------------------------------------------


class _SentenceFormatter(string.Formatter):
    """str.format with two extras: ints print as numbers of the language (``1.234``), and
    ``{count:singular|plural}`` picks the English noun form by the count."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def format_field(self, value, format_spec):
        if "|" in format_spec:
            one, many = format_spec.split("|", 1)
            return one if value == 1 else many
        if isinstance(value, int) and not isinstance(value, bool) and not format_spec:
            return number(value, self.lang)
        return super().format_field(value, format_spec)


def sentence(lang: str, key: str, **values) -> str:
    """The sentence ``key`` of ``wording.SENTENCES[lang]`` with ``values`` filled in."""
    return _SentenceFormatter(lang).format(W.SENTENCES[lang][key], **values)


# --- printed lists ---------------------------------------------------------------------------

LIST_TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "members_title": "DANH SÁCH HỘI VIÊN",
        "volunteers_title": "DANH SÁCH TÌNH NGUYỆN VIÊN",
        "addresses_title": "DANH SÁCH ĐỊA CHỈ NHÂN ĐẠO",
        "signoff_title": "DANH SÁCH KÝ NHẬN",
        "as_of": "(Tính đến ngày {date})",
        "branch": "Chi hội: {name}",
        "no_branch": "Chưa thuộc chi hội nào",
        "col_no": "TT",
        "col_name": "Họ và tên",
        "col_sex": "Giới tính",
        "col_birth": "Năm sinh",
        "col_id": "Số định danh",
        "col_phone": "Điện thoại",
        "col_unit": "Thôn, tổ dân phố",
        "col_admitted": "Ngày kết nạp",
        "col_card": "Số thẻ",
        "col_skills": "Kỹ năng",
        "col_team": "Đội, câu lạc bộ",
        "col_core": "Nòng cốt",
        "col_registered": "Ngày đăng ký",
        "col_hours": "Số giờ",
        "col_household": "Hộ, địa chỉ nhân đạo",
        "col_head": "Chủ hộ",
        "col_address": "Địa chỉ",
        "col_categories": "Diện",
        "col_sponsors": "Nhà tài trợ",
        "col_opened": "Ngày tiếp nhận",
        "col_value": "Trị giá (đồng)",
        "col_signature": "Ký nhận",
        "male": "Nam",
        "female": "Nữ",
        "yes": "x",
        "total_rows": "Tổng số: {count} {noun}.",
        "noun_members": "hội viên",
        "noun_volunteers": "tình nguyện viên",
        "noun_addresses": "địa chỉ",
        "noun_recipients": "người nhận",
        "ids_masked": "Số định danh được che một phần để bảo vệ dữ liệu cá nhân.",
        "sensitive_hidden": "Các diện liên quan đến sức khỏe (dữ liệu cá nhân nhạy cảm) không "
        "được in.",
        "signoff_campaign": "Chương trình: {campaign}",
        "signoff_given": "Ngày trao: {date}",
        "signoff_description": "Nội dung: {description}",
        "signoff_total": "Tổng trị giá: {value}",
        "prepared_by": "NGƯỜI LẬP DANH SÁCH",
        "handed_by": "NGƯỜI TRAO",
        "sign_hint": "(Ký, ghi rõ họ tên)",
        "sign_seal_hint": "(Ký, ghi rõ họ tên, đóng dấu)",
    },
    "en": {
        "members_title": "LIST OF MEMBERS",
        "volunteers_title": "LIST OF VOLUNTEERS",
        "addresses_title": "LIST OF HUMANITARIAN ADDRESSES",
        "signoff_title": "SIGN-OFF SHEET",
        "as_of": "(As of {date})",
        "branch": "Branch: {name}",
        "no_branch": "No branch",
        "col_no": "No.",
        "col_name": "Full name",
        "col_sex": "Sex",
        "col_birth": "Born",
        "col_id": "ID number",
        "col_phone": "Phone",
        "col_unit": "Village, residential group",
        "col_admitted": "Admitted",
        "col_card": "Card No.",
        "col_skills": "Skills",
        "col_team": "Team, club",
        "col_core": "Core",
        "col_registered": "Registered",
        "col_hours": "Hours",
        "col_household": "Household, humanitarian address",
        "col_head": "Head of household",
        "col_address": "Address",
        "col_categories": "Categories",
        "col_sponsors": "Sponsors",
        "col_opened": "Taken on",
        "col_value": "Value (VND)",
        "col_signature": "Signature",
        "male": "M",
        "female": "F",
        "yes": "x",
        "total_rows": "Total: {count} {noun}.",
        "noun_members": "members",
        "noun_volunteers": "volunteers",
        "noun_addresses": "addresses",
        "noun_recipients": "recipients",
        "ids_masked": "ID numbers are partly masked to protect personal data.",
        "sensitive_hidden": "Health-related categories (sensitive personal data) are not printed.",
        "signoff_campaign": "Campaign: {campaign}",
        "signoff_given": "Date given: {date}",
        "signoff_description": "Description: {description}",
        "signoff_total": "Total value: {value}",
        "prepared_by": "PREPARED BY",
        "handed_by": "HANDED OVER BY",
        "sign_hint": "(Signature and full name)",
        "sign_seal_hint": "(Signature, full name and seal)",
    },
}
