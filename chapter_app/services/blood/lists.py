"""The printed blood lists as plain data (rendered by ``services/pdf/lists.render_list``):
the call list of a drive (donors who may give that day, grouped by thôn) and the honours
proposal (danh sách đề nghị tôn vinh, grouped by threshold); and the call list in Excel.

The blood group is health data: printed only when ``include_sensitive`` is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from chapter_app.domain.text import collation_key
from chapter_app.services.blood.eligibility import DueDonor, donors_due
from chapter_app.services.blood.honours import HonourCandidate, honour_candidates
from chapter_app.services.blood.settings import eligibility_rules
from chapter_app.services.excel_export import BIRTH, COUNT, DATE, TEXT, SheetWriter, write_workbook
from chapter_app.services.report import labels as L
from chapter_app.services.report.lists import (
    Column,
    ListData,
    ListGroup,
    _numbered,
    _sex,
    list_data,
)
from chapter_app.store.store import Store

TEXT_BY_LANG: dict[str, dict[str, str]] = {
    "vi": {
        "due_title": "DANH SÁCH NGƯỜI HIẾN MÁU CÓ THỂ THAM GIA HIẾN MÁU",
        "due_subtitle": "(Đợt hiến máu ngày {date}: đã hiến máu toàn phần cách đây từ {weeks} "
        "tuần trở lên, từ {min_age} đến {max_age} tuổi)",
        "honours_title": "DANH SÁCH ĐỀ NGHỊ TÔN VINH NGƯỜI HIẾN MÁU TÌNH NGUYỆN",
        "honours_subtitle": "(Những người đạt mốc số lần hiến máu trong năm {year})",
        "threshold_group": "Mốc {threshold} lần hiến máu",
        "no_unit": "Chưa ghi thôn, tổ dân phố",
        "col_no": "TT",
        "col_name": "Họ và tên",
        "col_birth": "Năm sinh",
        "col_sex": "Giới tính",
        "col_phone": "Điện thoại",
        "col_unit": "Thôn, tổ dân phố",
        "col_branch": "Chi hội",
        "col_last": "Lần hiến gần nhất",
        "col_count": "Số lần đã hiến",
        "col_group": "Nhóm máu",
        "col_called": "Kết quả liên hệ",
        "col_threshold": "Mốc tôn vinh",
        "col_form": "Hình thức đề nghị",
        "col_notes": "Ghi chú",
        "total_due": "Tổng số: {count} người.",
        "total_honours": "Tổng số: {count} người được đề nghị tôn vinh.",
        "sensitive_hidden": "Nhóm máu (dữ liệu cá nhân nhạy cảm) không được in.",
        "sheet": "Danh sách gọi hiến máu",
    },
    "en": {
        "due_title": "BLOOD DONORS WHO MAY GIVE",
        "due_subtitle": "(Blood drive of {date}: last whole-blood donation at least {weeks} weeks "
        "earlier, aged {min_age} to {max_age})",
        "honours_title": "PROPOSED HONOURS FOR VOLUNTARY BLOOD DONORS",
        "honours_subtitle": "(Donors who reached a number of donations in {year})",
        "threshold_group": "{threshold} donations",
        "no_unit": "No village recorded",
        "col_no": "No.",
        "col_name": "Full name",
        "col_birth": "Born",
        "col_sex": "Sex",
        "col_phone": "Phone",
        "col_unit": "Village, residential group",
        "col_branch": "Branch",
        "col_last": "Last donation",
        "col_count": "Donations",
        "col_group": "Blood group",
        "col_called": "Call result",
        "col_threshold": "Threshold",
        "col_form": "Proposed honour",
        "col_notes": "Notes",
        "total_due": "Total: {count} persons.",
        "total_honours": "Total: {count} persons proposed.",
        "sensitive_hidden": "Blood groups (sensitive personal data) are not printed.",
        "sheet": "Call list",
    },
}


def build_call_list(
    store: Store,
    on: date,
    *,
    include_sensitive: bool = False,
    lang: str = "vi",
    printed_on: date | None = None,
    donors: Sequence[DueDonor] | None = None,
) -> ListData:
    """Donors who may give on ``on``, grouped by thôn in Vietnamese order."""
    L.check_language(lang)
    printed_on = printed_on or date.today()
    t = TEXT_BY_LANG[lang]
    rules = eligibility_rules(store)
    donors = list(donors_due(store, on) if donors is None else donors)
    by_unit: dict[str, list[list[str]]] = {}
    for d in donors:
        row = [
            d.name,
            str(d.birth_year or ""),
            _sex(d.sex, lang),
            d.phone or "",
            d.branch or "",
            L.day(d.last_whole, lang) if d.last_whole else "",
            L.number(d.donations, lang),
        ]
        if include_sensitive:
            row.append(d.blood_group or "")
        row.append("")
        by_unit.setdefault(d.unit or "", []).append(row)
    units = sorted(by_unit, key=lambda u: (u == "", collation_key(u)))
    columns = [
        Column(t["col_no"], 9, "center"),
        Column(t["col_name"], 48),
        Column(t["col_birth"], 16, "center"),
        Column(t["col_sex"], 14, "center"),
        Column(t["col_phone"], 24, "center"),
        Column(t["col_branch"], 34),
        Column(t["col_last"], 24, "center"),
        Column(t["col_count"], 16, "right"),
    ]
    if include_sensitive:
        columns.append(Column(t["col_group"], 14, "center"))
    columns.append(Column(t["col_called"], 38))
    return list_data(
        store,
        kind="blood_due",
        lang=lang,
        printed_on=printed_on,
        title=t["due_title"],
        subtitle=t["due_subtitle"].format(
            date=L.day(on, lang),
            weeks=rules.whole_interval_days // 7,
            min_age=rules.min_age,
            max_age=rules.max_age,
        ),
        columns=tuple(columns),
        groups=tuple(ListGroup(unit or t["no_unit"], _numbered(by_unit[unit])) for unit in units),
        total_line=t["total_due"].format(count=L.number(len(donors), lang)),
        notes=() if include_sensitive else (t["sensitive_hidden"],),
    )


def build_honours_list(
    store: Store,
    year: int,
    *,
    lang: str = "vi",
    printed_on: date | None = None,
    candidates: Sequence[HonourCandidate] | None = None,
) -> ListData:
    """The honours proposal of ``year``, one group per threshold (highest first)."""
    L.check_language(lang)
    printed_on = printed_on or date.today()
    t = TEXT_BY_LANG[lang]
    candidates = list(honour_candidates(store, year) if candidates is None else candidates)
    by_threshold: dict[int, list[list[str]]] = {}
    for c in candidates:
        by_threshold.setdefault(c.threshold, []).append(
            [
                c.name,
                str(c.birth_year or ""),
                _sex(c.sex, lang),
                c.unit or "",
                c.branch or "",
                L.number(c.donations, lang),
                c.form,
                "",
            ]
        )
    return list_data(
        store,
        kind="blood_honours",
        lang=lang,
        printed_on=printed_on,
        title=t["honours_title"],
        subtitle=t["honours_subtitle"].format(year=year),
        columns=(
            Column(t["col_no"], 9, "center"),
            Column(t["col_name"], 46),
            Column(t["col_birth"], 16, "center"),
            Column(t["col_sex"], 14, "center"),
            Column(t["col_unit"], 34),
            Column(t["col_branch"], 32),
            Column(t["col_count"], 16, "right"),
            Column(t["col_form"], 56),
            Column(t["col_notes"], 24),
        ),
        groups=tuple(
            ListGroup(t["threshold_group"].format(threshold=k), _numbered(by_threshold[k]))
            for k in sorted(by_threshold, reverse=True)
        ),
        total_line=t["total_honours"].format(count=L.number(len(candidates), lang)),
        notes=(),
    )


def export_call_list_xlsx(
    store: Store,
    on: date,
    dest: Path | str,
    *,
    include_sensitive: bool = False,
) -> int:
    """The call list as an Excel sheet (one row per donor); returns the rows written.
    The export is recorded in the audit log."""
    t = TEXT_BY_LANG["vi"]
    donors = donors_due(store, on)
    headers = [
        t["col_no"],
        t["col_name"],
        t["col_birth"],
        t["col_sex"],
        t["col_phone"],
        t["col_unit"],
        t["col_branch"],
        t["col_last"],
        t["col_count"],
    ]
    types = [COUNT, TEXT, BIRTH, TEXT, TEXT, TEXT, TEXT, DATE, COUNT]
    if include_sensitive:
        headers.append(t["col_group"])
        types.append(TEXT)
    headers.append(t["col_called"])
    types.append(TEXT)
    chapter = store.settings.get("chapter_name") or ""

    def fill(workbook) -> None:
        writer = SheetWriter(workbook, t["sheet"], headers, types)
        writer.title(
            [
                t["due_title"] + " " + L.day(on, "vi"),
                chapter,
                "" if include_sensitive else t["sensitive_hidden"],
                "",
            ]
        )
        writer.header()
        for i, d in enumerate(donors, start=1):
            row = [
                i,
                d.name,
                d.birth_year,
                _sex(d.sex, "vi"),
                d.phone,
                d.unit,
                d.branch,
                d.last_whole,
                d.donations,
            ]
            if include_sensitive:
                row.append(d.blood_group)
            row.append(None)
            writer.write(row)
        writer.finish()

    path = write_workbook(dest, fill)
    store.ops.log_event(
        "export",
        details={
            "kind": "blood_due",
            "file": Path(path).name,
            "rows": len(donors),
            "sensitive": include_sensitive,
            "on": on.isoformat(),
        },
    )
    return len(donors)
