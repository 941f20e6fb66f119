"""Exporting a register to Excel (.xlsx), as the list on screen shows it.

The rows are the ones the register query selects (search, filters and sort of the list on
screen). The sheet has a title, the chapter and the date, then one header row with the
Vietnamese column names (frozen, with filter buttons), real date cells (dd/mm/yyyy),
đồng amounts as numbers with thousands separators, and column widths that fit.

Personal data (domain brief §4): ID numbers are masked (``051******234``) unless
``unmasked``; sensitive fields (ethnicity, religion, health, disability, Agent Orange,
a household's circumstances, categories that reveal health) are left out unless
``include_sensitive``. Text that a spreadsheet would run as a formula is neutralised.
Every export is recorded in the audit log.

The headers are the import's field labels, so an exported sheet imports back as it is.
XlsxWriter writes the file (row by row, in constant memory): openpyxl's writer takes two
to three times as long for the large registers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter

from chapter_app.domain import labels as codes
from chapter_app.domain.cells import neutralise_cell
from chapter_app.domain.privacy import is_sensitive_category, mask_id
from chapter_app.errors import AppError
from chapter_app.services.importer import fields as F
from chapter_app.services.reference_lists import labels as list_labels
from chapter_app.store.repository import Query
from chapter_app.store.store import Store

EXPORT_KINDS = ("members", "volunteers", "addresses", "aid", "people")
SHEET_NAMES = {
    "members": "Hội viên",
    "volunteers": "Tình nguyện viên",
    "addresses": "Địa chỉ nhân đạo",
    "aid": "Trợ giúp",
    "people": "Người",
}
TITLE_ROWS = 4  # title, chapter and date, privacy note, blank; the header is the 5th row
MAX_WIDTH = 50
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = "#,##0"

# Cell types
TEXT, DATE, BIRTH, MONEY, COUNT, QUANTITY = "text", "date", "birth", "money", "count", "quantity"


@dataclass(frozen=True)
class ExportColumn:
    header: str
    type: str
    value: Callable[[Mapping[str, Any]], Any]
    sensitive: bool = False


@dataclass(frozen=True)
class ExportResult:
    path: Path
    kind: str
    rows: int
    columns: tuple[str, ...]
    masked: bool
    sensitive_included: bool


def _label(kind: str, key: str) -> str:
    return F.field_spec(kind, key).label


def _birth(row: Mapping[str, Any], prefix: str = "") -> Any:
    return row.get(f"{prefix}birth_date") or row.get(f"{prefix}birth_year")


def _sex(row: Mapping[str, Any]) -> str | None:
    return codes.SEX.get(row.get("sex") or "")


def _yes(value: Any) -> str | None:
    return F.YES if value else None


def _person_columns(kind: str, *, unmasked: bool) -> list[ExportColumn]:
    def id_number(row):
        return row.get("id_number") if unmasked else mask_id(row.get("id_number")) or None

    L = lambda key: _label(kind, key)  # noqa: E731
    return [
        ExportColumn("STT", COUNT, lambda row: row["_n"]),
        ExportColumn(L("full_name"), TEXT, lambda row: row["full_name"]),
        ExportColumn(L("sex"), TEXT, _sex),
        ExportColumn(L("birth"), BIRTH, _birth),
        ExportColumn(L("id_number"), TEXT, id_number),
        ExportColumn(L("phone"), TEXT, lambda row: row.get("phone")),
        ExportColumn(L("address"), TEXT, lambda row: row.get("address")),
        ExportColumn(L("old_address"), TEXT, lambda row: row.get("old_address")),
        ExportColumn(L("unit"), TEXT, lambda row: row.get("unit_name")),
    ]


def _sensitive_person_columns(kind: str) -> list[ExportColumn]:
    L = lambda key: _label(kind, key)  # noqa: E731
    return [
        ExportColumn(L("ethnicity"), TEXT, lambda row: row.get("ethnicity"), True),
        ExportColumn(L("religion"), TEXT, lambda row: row.get("religion"), True),
        ExportColumn(L("health_notes"), TEXT, lambda row: row.get("health_notes"), True),
        ExportColumn(L("disability"), TEXT, lambda row: row.get("disability"), True),
        ExportColumn(L("agent_orange"), TEXT, lambda row: _yes(row.get("agent_orange")), True),
    ]


def _columns(kind: str, *, unmasked: bool, include_sensitive: bool) -> list[ExportColumn]:
    if kind == "members":
        L = lambda key: _label(kind, key)  # noqa: E731
        columns = [
            *_person_columns(kind, unmasked=unmasked),
            ExportColumn(L("branch"), TEXT, lambda row: row.get("branch_name")),
            ExportColumn(L("admitted_on"), DATE, lambda row: row.get("admitted_on")),
            ExportColumn(L("decision_no"), TEXT, lambda row: row.get("decision_no")),
            ExportColumn(L("card_no"), TEXT, lambda row: row.get("card_no")),
            ExportColumn(L("status"), TEXT, lambda row: F.MEMBER_STATUS_LABELS[row["status"]]),
            ExportColumn(L("status_on"), DATE, lambda row: row.get("status_on")),
            ExportColumn(L("notes"), TEXT, lambda row: row.get("notes")),
            *_sensitive_person_columns(kind),
        ]
    elif kind == "volunteers":
        L = lambda key: _label(kind, key)  # noqa: E731
        columns = [
            *_person_columns(kind, unmasked=unmasked),
            ExportColumn(L("branch"), TEXT, lambda row: row.get("branch_name")),
            ExportColumn(L("registered_on"), DATE, lambda row: row.get("registered_on")),
            ExportColumn(L("left_on"), DATE, lambda row: row.get("left_on")),
            ExportColumn(L("is_core"), TEXT, lambda row: _yes(row.get("is_core"))),
            ExportColumn(L("skills"), TEXT, lambda row: row.get("skills")),
            ExportColumn(L("team"), TEXT, lambda row: row.get("team")),
            ExportColumn(L("hours"), COUNT, lambda row: row.get("hours")),
            ExportColumn(L("notes"), TEXT, lambda row: row.get("notes")),
            *_sensitive_person_columns(kind),
        ]
    elif kind == "people":

        def roles(row):
            names = [
                label
                for key, label in (
                    ("is_member", "Hội viên"),
                    ("is_volunteer", "Tình nguyện viên"),
                    ("is_youth", "Thanh thiếu niên CTĐ"),
                    ("is_household_head", "Chủ hộ địa chỉ nhân đạo"),
                )
                if row.get(key)
            ]
            return ", ".join(names) or None

        columns = [
            *_person_columns("members", unmasked=unmasked),
            ExportColumn("Vai trò", TEXT, roles),
            ExportColumn("Ghi chú", TEXT, lambda row: row.get("notes")),
            *_sensitive_person_columns("members"),
        ]
    elif kind == "addresses":
        columns = _address_columns(include_sensitive=include_sensitive)
    elif kind == "aid":
        columns = _aid_columns(unmasked=unmasked)
    else:
        raise AppError(f"Không xuất được loại “{kind}”; chọn một trong: {', '.join(EXPORT_KINDS)}.")
    return [c for c in columns if include_sensitive or not c.sensitive]


def _address_columns(*, include_sensitive: bool) -> list[ExportColumn]:
    L = lambda key: _label("addresses", key)  # noqa: E731

    def categories(row):
        names = json.loads(row.get("categories") or "[]")
        shown = [n for n in names if include_sensitive or not is_sensitive_category(n)]
        return "; ".join(shown) or None

    def plain(key):
        return lambda row: row.get(key)

    return [
        ExportColumn("STT", COUNT, lambda row: row["_n"]),
        ExportColumn(L("name"), TEXT, plain("name")),
        ExportColumn(L("street_address"), TEXT, plain("street_address")),
        ExportColumn(L("unit"), TEXT, plain("unit_name")),
        ExportColumn(L("categories"), TEXT, categories),
        ExportColumn(L("circumstances"), TEXT, plain("circumstances"), True),
        ExportColumn(L("needs"), TEXT, plain("needs")),
        ExportColumn(L("opened_on"), DATE, plain("opened_on")),
        ExportColumn(L("survey_date"), DATE, plain("survey_date")),
        ExportColumn(L("certified_on"), DATE, plain("certified_on")),
        ExportColumn(L("file_no"), TEXT, plain("file_no")),
        ExportColumn(L("registry_id"), TEXT, plain("registry_id")),
        ExportColumn(L("status"), TEXT, lambda row: F.ADDRESS_STATUS_LABELS[row["status"]]),
        ExportColumn(L("status_on"), DATE, plain("status_on")),
        ExportColumn(L("notes"), TEXT, plain("notes")),
        ExportColumn(L("sponsor"), TEXT, plain("sponsor_name")),
        ExportColumn(
            L("sponsor_kind"),
            TEXT,
            lambda row: F.SPONSOR_KIND_LABELS.get(row.get("sponsor_kind") or ""),
        ),
        ExportColumn(L("sponsor_contact"), TEXT, plain("sponsor_contact")),
        ExportColumn(L("sponsor_phone"), TEXT, plain("sponsor_phone")),
        ExportColumn(L("sponsor_email"), TEXT, plain("sponsor_email")),
        ExportColumn(L("sponsor_address"), TEXT, plain("sponsor_address")),
        ExportColumn(L("commitment_start"), DATE, plain("commitment_start")),
        ExportColumn(L("commitment_end"), DATE, plain("commitment_end")),
        ExportColumn(
            L("commitment_form"),
            TEXT,
            lambda row: _form_name(row, row.get("commitment_form")),
        ),
        ExportColumn(L("commitment_frequency"), TEXT, plain("commitment_frequency")),
        ExportColumn(
            L("commitment_amount"),
            MONEY,
            lambda row: row["commitment_amount"] if row.get("sponsor_name") else None,
        ),
        ExportColumn(L("commitment_description"), TEXT, plain("commitment_description")),
        ExportColumn(L("commitment_notes"), TEXT, plain("commitment_notes")),
    ]


def _aid_columns(*, unmasked: bool) -> list[ExportColumn]:
    L = lambda key: _label("aid", key)  # noqa: E731

    def recipient(row):
        kind = row["recipient_kind"]
        if kind == "address":
            return row.get("address_name")
        if kind == "person":
            return row.get("person_name")
        return row.get("group_name")

    def person_id(row):
        number = row.get("person_id_number")
        return number if unmasked else mask_id(number) or None

    def plain(key):
        return lambda row: row.get(key)

    return [
        ExportColumn("STT", COUNT, lambda row: row["_n"]),
        ExportColumn(L("given_on"), DATE, plain("given_on")),
        ExportColumn(
            L("recipient_kind"), TEXT, lambda row: F.RECIPIENT_LABELS[row["recipient_kind"]]
        ),
        ExportColumn(L("recipient"), TEXT, recipient),
        ExportColumn(L("recipient_birth"), BIRTH, lambda row: _birth(row, "person_")),
        ExportColumn(L("recipient_id"), TEXT, person_id),
        ExportColumn(L("head_count"), COUNT, plain("head_count")),
        ExportColumn(L("campaign"), TEXT, plain("campaign_name")),
        ExportColumn(L("area"), TEXT, plain("area_name")),
        ExportColumn(L("form"), TEXT, lambda row: _form_name(row, row["form"])),
        ExportColumn(L("description"), TEXT, plain("description")),
        ExportColumn(L("quantity"), QUANTITY, plain("quantity")),
        ExportColumn(L("unit"), TEXT, plain("unit")),
        ExportColumn(L("cash_value"), MONEY, plain("cash_value")),
        ExportColumn(L("goods_value"), MONEY, plain("goods_value")),
        ExportColumn(
            L("funding_source"), TEXT, lambda row: F.FUNDING_LABELS.get(row["funding_source"])
        ),
        ExportColumn(L("sponsor"), TEXT, plain("sponsor_name")),
        ExportColumn(L("persons_reached"), COUNT, plain("persons_reached")),
        ExportColumn(L("households_reached"), COUNT, plain("households_reached")),
        ExportColumn(L("is_emergency"), TEXT, lambda row: _yes(row.get("is_emergency"))),
        ExportColumn(L("notes"), TEXT, plain("notes")),
    ]


def _form_name(row: dict[str, Any], code: str | None) -> str | None:
    """The usual name of a built-in aid form, else the name in the register's list (both
    read back by the import)."""
    if not code:
        return None
    return F.AID_FORM_LABELS.get(code) or row["_form_names"].get(code, code)


def _rows(store: Store, kind: str, query: Query) -> Iterable[dict[str, Any]]:
    exports = store.exchange.exports
    if kind == "members":
        return exports.members(store.members.ids(query))
    if kind == "volunteers":
        return exports.volunteers(store.volunteers.ids(query))
    if kind == "people":
        return exports.people(store.people.ids(query))
    if kind == "addresses":
        return exports.addresses(store.addresses.ids(query))
    return exports.aid(store.aid.ids(query))


class SheetWriter:
    """One sheet written row by row: title lines, a frozen header, typed cells, fitted widths."""

    def __init__(self, workbook, name: str, headers: Sequence[str], types: Sequence[str]):
        self.workbook = workbook
        self.sheet = workbook.add_worksheet(name[:31])
        self.types = list(types)
        self.widths = [min(max(len(h), 6), 24) for h in headers]
        self.headers = list(headers)
        self.row = 0
        self.title_format = workbook.add_format({"bold": True, "font_size": 14})
        self.header_format = workbook.add_format(
            {
                "bold": True,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
                "border": 1,
                "bg_color": "#D9E1F2",
            }
        )
        self.formats = {
            DATE: workbook.add_format({"num_format": DATE_FORMAT}),
            MONEY: workbook.add_format({"num_format": MONEY_FORMAT}),
            COUNT: workbook.add_format({"num_format": "0"}),
            QUANTITY: workbook.add_format({"num_format": "#,##0.###"}),
            BIRTH: workbook.add_format({"num_format": DATE_FORMAT}),
        }
        self.year_format = workbook.add_format({"num_format": "0"})

    def title(self, lines: Sequence[str]) -> None:
        for i, line in enumerate(lines):
            if line:
                self.sheet.write_string(self.row, 0, line, self.title_format if i == 0 else None)
            self.row += 1

    def header(self) -> None:
        self.header_row = self.row
        for column, text in enumerate(self.headers):
            self.sheet.write_string(self.row, column, text, self.header_format)
        self.sheet.freeze_panes(self.row + 1, 0)
        self.row += 1

    def write(self, values: Sequence[Any]) -> None:
        sheet, r, widths, formats = self.sheet, self.row, self.widths, self.formats
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            kind = self.types[c]
            if isinstance(value, str):
                value = neutralise_cell(value)
                sheet.write_string(r, c, value)
                length = len(value)
            elif isinstance(value, date):
                sheet.write_datetime(r, c, value, formats[DATE])
                length = 10
            elif kind == BIRTH:  # a birth year alone
                sheet.write_number(r, c, value, self.year_format)
                length = 4
            elif kind in formats:
                sheet.write_number(r, c, value, formats[kind])
                length = len(f"{value:,}") if kind == MONEY else len(str(value))
            else:
                sheet.write_number(r, c, value)
                length = len(str(value))
            if length > widths[c]:
                widths[c] = length
        self.row += 1

    def finish(self) -> None:
        for c, width in enumerate(self.widths):
            self.sheet.set_column(c, c, min(width, MAX_WIDTH) + 2)
        if self.row > self.header_row + 1:
            self.sheet.autofilter(self.header_row, 0, self.row - 1, len(self.headers) - 1)


def _workbook(partial: Path):
    return xlsxwriter.Workbook(
        str(partial),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_date_format": DATE_FORMAT,
        },
    )


def write_workbook(dest: Path | str, fill: Callable[[Any], None]) -> Path:
    """Write an .xlsx to ``dest`` (beside it first, renamed when complete)."""
    dest = Path(dest)
    if dest.suffix.lower() != ".xlsx":
        raise AppError(f"Tệp xuất phải có đuôi .xlsx («{dest.name}»).")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.stem}.partial.xlsx")
    workbook = _workbook(partial)
    try:
        fill(workbook)
        workbook.close()
        os.replace(partial, dest)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return dest


def export_register(
    store: Store,
    kind: str,
    dest: Path | str,
    *,
    query: Query | None = None,
    unmasked: bool = False,
    include_sensitive: bool = False,
    today: date | None = None,
    log: bool = True,
) -> ExportResult:
    """Write the register ``kind`` (the rows ``query`` selects) to the workbook ``dest``.

    The export is recorded in the audit log unless ``log`` is False (a background job on
    a read-only store; the caller then calls ``note_export`` with the GUI's store)."""
    if kind not in EXPORT_KINDS:
        raise AppError(f"Không xuất được loại “{kind}”; chọn một trong: {', '.join(EXPORT_KINDS)}.")
    query = query or Query()
    columns = _columns(kind, unmasked=unmasked, include_sensitive=include_sensitive)
    today = today or date.today()
    chapter = store.settings.get("chapter_name") or ""
    privacy = []
    if not unmasked:
        privacy.append("số định danh đã được che")
    if not include_sensitive:
        privacy.append("không gồm thông tin nhạy cảm")
    lines = [
        F.KIND_TITLES[kind],
        f"{chapter} – ngày xuất: {today:%d/%m/%Y}" if chapter else f"Ngày xuất: {today:%d/%m/%Y}",
        ("Bảo vệ dữ liệu cá nhân: " + ", ".join(privacy) + ".") if privacy else "",
        "",
    ]
    count = 0

    def fill(workbook) -> None:
        nonlocal count
        writer = SheetWriter(
            workbook, SHEET_NAMES[kind], [c.header for c in columns], [c.type for c in columns]
        )
        writer.title(lines)
        writer.header()
        getters = [c.value for c in columns]
        form_names = list_labels(store, "forms")
        for row in _rows(store, kind, query):
            count += 1
            row["_n"] = count
            row["_form_names"] = form_names
            writer.write([get(row) for get in getters])
        writer.finish()

    path = write_workbook(dest, fill)
    result = ExportResult(
        path, kind, count, tuple(c.header for c in columns), not unmasked, include_sensitive
    )
    if log:
        note_export(store, result, query)
    return result


def note_export(store: Store, result: ExportResult, query: Query | None = None) -> None:
    """Record an export in the audit log (what, where, how many rows, how protected)."""
    query = query or Query()
    store.ops.log_event(
        "export",
        details={
            "kind": result.kind,
            "file": result.path.name,
            "rows": result.rows,
            "unmasked": not result.masked,
            "sensitive": result.sensitive_included,
            "search": query.search,
            "filters": {k: str(v) for k, v in (query.filters or {}).items()},
        },
    )
