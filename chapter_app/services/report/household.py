"""The printed file of one humanitarian address (a household), as plain data.

``build_household_file(store, address_id, lang=..., printed_on=...)`` gathers the
household, its categories, its sponsors' commitments, the aid it received and its status
history into strings ready to print; ``chapter_app.services.pdf.household`` renders them.
ID numbers are not printed; health-revealing categories are left out unless asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chapter_app.domain.privacy import is_sensitive_category
from chapter_app.services.dossier import address_dossier, commitment_period
from chapter_app.services.reference_lists import labels as list_labels
from chapter_app.services.report import labels as L
from chapter_app.services.report.data import Letterhead, Signature
from chapter_app.services.report.lists import _letterhead, _signature

STATUS = {
    "vi": {
        "following": "Đang theo dõi",
        "out_of_hardship": "Đã thoát khó khăn",
        "stopped": "Ngừng theo dõi",
    },
    "en": {
        "following": "Being followed",
        "out_of_hardship": "Out of hardship",
        "stopped": "No longer followed",
    },
}

FORMS = {
    "vi": {
        "cash": "Tiền mặt",
        "goods": "Hiện vật, quà",
        "rice": "Gạo",
        "workdays": "Ngày công",
        "livelihood": "Vốn sinh kế",
        "insurance": "Thẻ bảo hiểm y tế",
        "scholarship": "Học bổng",
        "house_repair": "Sửa nhà",
        "other": "Khác",
    },
    "en": {
        "cash": "Cash",
        "goods": "Goods, gifts",
        "rice": "Rice",
        "workdays": "Workdays",
        "livelihood": "Livelihood capital",
        "insurance": "Health insurance card",
        "scholarship": "Scholarship",
        "house_repair": "House repair",
        "other": "Other",
    },
}

PER = {
    "vi": {"month": "/tháng", "quarter": "/quý", "year": "/năm"},
    "en": {"month": "/month", "quarter": "/quarter", "year": "/year"},
}

TEXT = {
    "vi": {
        "title": "HỒ SƠ ĐỊA CHỈ NHÂN ĐẠO",
        "household": "Hộ gia đình",
        "head": "Chủ hộ",
        "unit": "Thôn, tổ dân phố",
        "street": "Số nhà, đường",
        "categories": "Diện đối tượng",
        "circumstances": "Hoàn cảnh",
        "needs": "Nhu cầu",
        "opened": "Ngày đưa vào theo dõi",
        "surveyed": "Ngày khảo sát",
        "certified": "Ngày bình xét, xác nhận",
        "file_no": "Số hồ sơ",
        "status": "Tình trạng",
        "status_since": "{status} từ {date}",
        "members": "Thành viên của hộ",
        "col_no": "TT",
        "col_name": "Họ và tên",
        "col_relation": "Quan hệ",
        "col_birth": "Năm sinh",
        "commitments": "Nhà tài trợ nhận đỡ đầu",
        "no_commitment": "Chưa có nhà tài trợ nhận đỡ đầu.",
        "col_sponsor": "Nhà tài trợ",
        "col_from": "Từ ngày",
        "col_to": "Đến ngày",
        "col_form": "Hình thức",
        "col_amount": "Mức hỗ trợ",
        "open_ended": "chưa hết hạn",
        "aid": "Trợ giúp đã nhận",
        "no_aid": "Chưa nhận trợ giúp nào.",
        "col_date": "Ngày",
        "col_campaign": "Chương trình",
        "col_description": "Nội dung",
        "col_value": "Giá trị (đồng)",
        "aid_total": "Tổng cộng {count} lượt: tiền mặt {cash}, hiện vật {goods}, tổng {total}.",
        "history": "Lịch sử tình trạng",
        "col_reason": "Lý do",
        "prepared_by": "NGƯỜI LẬP",
        "sign_hint": "(Ký, ghi rõ họ tên)",
    },
    "en": {
        "title": "HUMANITARIAN ADDRESS FILE",
        "household": "Household",
        "head": "Head of household",
        "unit": "Village / residential group",
        "street": "House, street",
        "categories": "Categories",
        "circumstances": "Circumstances",
        "needs": "Needs",
        "opened": "Followed since",
        "surveyed": "Surveyed on",
        "certified": "Reviewed and certified on",
        "file_no": "File number",
        "status": "Status",
        "status_since": "{status} since {date}",
        "members": "Members of the household",
        "col_no": "No.",
        "col_name": "Full name",
        "col_relation": "Relation",
        "col_birth": "Born",
        "commitments": "Sponsors",
        "no_commitment": "No sponsor has taken on this household yet.",
        "col_sponsor": "Sponsor",
        "col_from": "From",
        "col_to": "To",
        "col_form": "Form",
        "col_amount": "Amount",
        "open_ended": "open-ended",
        "aid": "Aid received",
        "no_aid": "No aid received yet.",
        "col_date": "Date",
        "col_campaign": "Campaign",
        "col_description": "Description",
        "col_value": "Value (VND)",
        "aid_total": "In all {count} times: cash {cash}, goods {goods}, total {total}.",
        "history": "Status history",
        "col_reason": "Reason",
        "prepared_by": "PREPARED BY",
        "sign_hint": "(Signature, full name)",
    },
}


@dataclass(frozen=True)
class HouseholdFile:
    lang: str
    letterhead: Letterhead
    title: str
    name: str
    facts: tuple[tuple[str, str], ...]  # (label, value), empty values left out
    members: tuple[tuple[str, str, str], ...]  # name, relation, birth year
    commitments: tuple[tuple[str, str, str, str, str], ...]  # sponsor, from, to, form, amount
    aid: tuple[tuple[str, str, str, str, int], ...]  # date, campaign, form, description, value
    aid_total_line: str
    history: tuple[tuple[str, str, str], ...]  # date, status, reason
    signature: Signature
    printed_on: date
    text: dict


def amount_text(amount: int, frequency: str | None, lang: str) -> str:
    """``500.000 đ/tháng`` for a monthly commitment; the amount and the frequency text
    otherwise (``2.000.000 đ (một lần)``)."""
    period = commitment_period(frequency)
    money = L.money(amount or 0, lang)
    if period is not None:
        return money + PER[lang][period]
    return f"{money} ({frequency})" if frequency else money


def _day(value, lang: str) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, date):
        value = date.fromisoformat(str(value))
    return L.day(value, lang)


def build_household_file(
    store,
    address_id: int,
    *,
    lang: str = "vi",
    printed_on: date,
    include_sensitive: bool = False,
) -> HouseholdFile:
    """One household's file as printable strings (see the module docstring)."""
    L.check_language(lang)
    t = TEXT[lang]
    d = address_dossier(store, address_id)
    a = d.address
    categories = [c for c in d.categories if include_sensitive or not is_sensitive_category(c)]
    status = t["status_since"].format(
        status=STATUS[lang].get(a.status, a.status), date=_day(a.status_on, lang)
    )
    pairs = [
        (t["head"], d.head.full_name if d.head else ""),
        (t["unit"], d.unit_name or ""),
        (t["street"], a.street_address or ""),
        (t["categories"], ", ".join(categories)),
        (t["circumstances"], a.circumstances or ""),
        (t["needs"], a.needs or ""),
        (t["opened"], _day(a.opened_on, lang)),
        (t["surveyed"], _day(a.survey_date, lang)),
        (t["certified"], _day(a.certified_on, lang)),
        (t["file_no"], a.file_no or ""),
        (t["status"], status),
    ]
    # the names of the register's list of aid forms (the built-in names for a code it lost)
    forms = {**FORMS[lang], **list_labels(store, "forms", lang)}
    commitments = tuple(
        (
            c["sponsor_name"],
            _day(c["start_on"], lang),
            _day(c["end_on"], lang) or t["open_ended"],
            forms.get(c["form"], c["form"] or ""),
            amount_text(c["amount"], c["frequency"], lang),
        )
        for c in d.commitments
    )
    aid = tuple(
        (
            _day(row["given_on"], lang),
            row["campaign_name"] or "",
            forms.get(row["form"], row["form"] or ""),
            row["description"] or "",
            row["cash_value"] + row["goods_value"],
        )
        for row in d.aid
    )
    return HouseholdFile(
        lang=lang,
        letterhead=_letterhead(store, lang, printed_on),
        title=t["title"],
        name=a.name,
        facts=tuple((k, v) for k, v in pairs if v),
        members=tuple(
            (person.full_name, relation or "", str(person.birth_year or ""))
            for person, relation in d.household
        ),
        commitments=commitments,
        aid=aid,
        aid_total_line=t["aid_total"].format(
            count=L.number(len(d.aid), lang),
            cash=L.money(d.aid_cash, lang),
            goods=L.money(d.aid_goods, lang),
            total=L.money(d.aid_total, lang),
        ),
        history=tuple(
            (_day(e.on_date, lang), STATUS[lang].get(e.status, e.status), e.reason or "")
            for e in d.history
        ),
        signature=_signature(store, lang),
        printed_on=printed_on,
        text=t,
    )
