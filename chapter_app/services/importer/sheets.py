"""The shared reader of every kind of sheet: which sheets of a workbook to plan, and which
of their rows are records.

Every sheet is scanned for its header (:func:`.layout.find_layout`); the one whose header
names the register's fields best is taken, or every sheet when each is a chi hội of its
own, or the sheet the user names (tones and case ignored), or all of them. Below the
header, blank rows, subtotals, the totals row and what follows it (signatures), and the
header repeated at the top of each printed page are left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chapter_app.domain.organisation import UNIT_PREFIXES
from chapter_app.domain.text import clean_text, fold
from chapter_app.errors import AppError
from chapter_app.services.importer import fields as F
from chapter_app.services.importer.cells import blank, is_number
from chapter_app.services.importer.layout import Layout, find_layout, is_column_numbers
from chapter_app.services.importer.outcomes import SkippedRow
from chapter_app.services.importer.reading import Grid, read_sheets
from chapter_app.services.importer.structure import branch_in_titles

_FOOTER_MARKERS = (
    "nguoi lap",
    "lap bieu",
    "xac nhan cua",
    "chu tich",
    "truong ban",
    "ky ten",
    "ky ghi ro",
    "tm ",
    "t m ",
    "kt chu tich",
    "noi nhan",
    "thu truong",
)
_DATE_LINE = re.compile(r"ngay\s+\S*\s*thang\s+\S*\s*nam")


# --------------------------------------------------------------------------------------------
# Rows that are not records: blanks, totals, signatures
# --------------------------------------------------------------------------------------------


def _row_kind(values: Sequence[Any], stt_columns: Sequence[int]) -> str:
    """ "blank", "total" (ends the list), "subtotal", "footer" (ends the list) or "data"."""
    width = len(values)
    for i in stt_columns:  # most rows of a list: the STT cell holds a number
        if i < width:
            value = values[i]
            if (
                value.__class__ is int
                or is_number(value)
                or (isinstance(value, str) and value.strip().isdigit())
            ):
                return "data"
    cells = [v for v in values if not blank(v)]
    if not cells:
        return "blank"
    first = next((v for v in cells if isinstance(v, str)), None)
    if first is None:
        return "data"
    toned = " ".join(clean_text(first).casefold().split())
    folded = fold(first)
    if toned.startswith("tổng") or folded.startswith(("tong cong", "tong so")):
        return "total"
    if toned.startswith("cộng"):
        return "subtotal"
    for value in cells:
        if isinstance(value, str):
            text = F.header_key(value) + " "
            if text.startswith(_FOOTER_MARKERS) or _DATE_LINE.search(text):
                return "footer"
    return "data"


ALL_SHEETS = "all"


@dataclass
class Sheet:
    grid: Grid
    layout: Layout
    usable: bool  # a header naming the register's required column was found
    branch: str | None = None  # the chi hội its title row names


def choose_sheets(
    path: Path, kind: str, sheet: str | None, header_row: int | None, mapping: Mapping, legacy: str
) -> tuple[list[Sheet], list[str], list[str]]:
    """The sheets to plan (in workbook order), every sheet's name, and notes on the choice.
    ``legacy``: TCVN3/VNI conversion (auto|tcvn3|vni|off), as ``reading`` does it."""
    grids = read_sheets(path, legacy=legacy)
    names = [g.sheet_name for g in grids]
    if sheet is None and any(not g.hidden for g in grids):
        grids = [g for g in grids if not g.hidden]  # a hidden sheet only when named
    if sheet is not None and fold(sheet) != ALL_SHEETS:
        chosen = [g for g in grids if g.sheet_name == sheet] or [
            g for g in grids if fold(g.sheet_name) == fold(sheet)
        ]
        if not chosen:
            raise AppError(
                f"Tệp «{path.name}» không có trang tính «{sheet}»; các trang: {', '.join(names)}."
            )
        grids = chosen[:1]
    sheets = []
    required = set(F.REQUIRED_ANY[kind])
    for grid in grids:
        layout = find_layout(grid, kind, header_row=header_row, mapping=mapping)
        usable = bool(layout.header_rows) and bool(set(layout.field_columns()) & required)
        sheets.append(Sheet(grid, layout, usable, branch_in_titles(layout.title_lines)))
    if len(sheets) == 1:
        return sheets, names, []
    usable = [s for s in sheets if s.usable]
    if sheet is not None:  # "all"
        return usable or sheets[:1], names, []
    best = max(sheets, key=lambda s: (s.usable, s.layout.score))
    per_branch = (
        len(usable) > 1
        and "branch" in {f.key for f in F.FIELDS[kind]}
        and all("branch" not in s.layout.field_columns() for s in usable)
        and all(s.branch or _names_a_place(s.grid.sheet_name) for s in usable)
        and len({fold(s.branch or s.grid.sheet_name) for s in usable}) == len(usable)
    )
    if per_branch:
        note = (
            f"Mỗi trang tính là một chi hội: nhập cả {len(usable)} trang "
            f"({', '.join(s.grid.sheet_name for s in usable)})."
        )
        return usable, names, [note]
    notes = []
    others = [s.grid.sheet_name for s in usable if s is not best]
    if others:
        notes.append(
            f"Các trang khác cũng có danh sách: {', '.join(others)}; chọn trang khác bằng "
            "--sheet TÊN, hoặc nhập tất cả bằng --sheet all."
        )
    return [best], names, notes


_PLACE_WORDS = ("chi hoi", "ch", *UNIT_PREFIXES)


def _names_a_place(sheet_name: str) -> bool:
    """A sheet named like a chi hội or thôn ("Thôn 1", "CH An Vĩnh", "Tổ 5"), not "Sheet1"
    or "2025": only such names make a workbook one sheet per chi hội."""
    key = F.header_key(sheet_name)
    return any(key.startswith(word + " ") for word in _PLACE_WORDS)


def _numbering(row: Sequence[Any]) -> bool:
    """A row numbering the columns "(1) (2) (3)..." (repeated under each page's header)."""
    if not is_column_numbers(row):
        return False
    numbers = [v for v in row if not blank(v)]
    return str(numbers[0]).strip(" ()") == "1" and all(isinstance(v, str) for v in numbers)


def _first(row: Sequence[Any]) -> Any:
    for v in row:
        if v is not None and (not isinstance(v, str) or v.strip()):  # not blank(v)
            return v
    return None


def _signature(row: Sequence[Any]) -> tuple[str, ...]:
    return tuple(F.header_key(v) for v in row if not blank(v))


def data_rows(layout: Layout, grid: Grid, skipped: list[SkippedRow], sheet: str):
    """The sheet's data rows (number, values), leaving out blanks, totals, signatures and the
    header repeated on each printed page."""
    stt = layout.stt_columns()
    repeated = {_signature(grid.rows[i]) for i in layout.header_rows}
    repeated.discard(())
    # A header row repeated on a later page starts like the header: only such rows (and a
    # row starting "(1)") are compared in full.
    starts = {_first(grid.rows[i]) for i in layout.header_rows} - {None}
    data: list[tuple[int, list[Any]]] = []
    for index in range(layout.data_start, len(grid.rows)):
        values = grid.rows[index]
        number = index + 1
        what = _row_kind(values, stt)
        if what == "blank":
            skipped.append(SkippedRow(number, "dòng trống", sheet))
            continue
        if what == "subtotal":
            skipped.append(SkippedRow(number, "dòng cộng", sheet))
            continue
        if what in ("total", "footer"):
            skipped.append(
                SkippedRow(number, "dòng tổng cộng" if what == "total" else "dòng ký tên", sheet)
            )
            skipped += [
                SkippedRow(i + 1, "sau dòng tổng cộng" if what == "total" else "dòng ký tên", sheet)
                for i in range(index + 1, len(grid.rows))
                if any(not blank(v) for v in grid.rows[i])
            ]
            break
        first = _first(values)
        if isinstance(first, str) and (
            (first in starts and _signature(values) in repeated)
            or (first.strip(" ()") == "1" and _numbering(values))
        ):
            skipped.append(SkippedRow(number, "dòng tiêu đề lặp lại", sheet))
            continue
        data.append((number, values))
    return data
