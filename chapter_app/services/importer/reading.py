"""Reading a sheet as a grid of values, whatever form the file comes in.

``read_grid(path, sheet=None)`` gives one sheet (the named one, else the one open when the
file was saved); ``read_sheets(path)`` gives every worksheet. Formats are found from the
file's bytes (:mod:`.sniff`): ``.xlsx .xlsm .xlsb .xls .ods`` are read with python-calamine
(:mod:`.workbook`) after the limits of :mod:`.guard` are checked; ``.csv``/``.txt`` in
UTF-8, UTF-16, Windows-1258 or a legacy code page, with ``,`` ``;`` or tab
(:mod:`.textfile`). Anything else gets a message naming what the file is.

Then, for what a person reading the sheet sees: merged ranges are filled in (every cell
of a range gets the value of its top-left cell: a "Năm sinh" header over two columns, a
chi hội name merged down the rows of its members), text typed in TCVN3 or VNI is turned
into Unicode (``legacy`` mode, see :mod:`chapter_app.domain.legacy_text`; headers
included; an ``.xlsx`` cell's ``.VnTimeH`` font makes it capitals, :mod:`.fonts`), and
trailing blank rows are dropped. Blank rows inside the sheet are kept,
however many: rows after them are never lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chapter_app.domain import legacy_text
from chapter_app.domain.legacy_text import Conversion
from chapter_app.errors import AppError
from chapter_app.services.importer import fonts, guard, ole, sniff, textfile
from chapter_app.services.importer.workbook import SheetData, read_book

LEGACY_MODES = legacy_text.MODES
FORMAT_LABELS = {
    "xlsx": "Excel (.xlsx)",
    "xlsb": "Excel nhị phân (.xlsb)",
    "xls": "Excel 97-2003 (.xls)",
    "ods": "LibreOffice (.ods)",
    "csv": "CSV",
    "txt": "văn bản (.txt)",
}


@dataclass
class Grid:
    """The values of one sheet, row by row (0-based lists), merged ranges filled in."""

    file_name: str
    sheet_name: str
    sheet_names: list[str]
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based, inclusive
    format: str = ""  # what the file was read as: "xlsx", "xls", "ods", "csv"...
    encoding: str | None = None  # text files: the encoding detected ("utf-8", "cp1258"...)
    delimiter: str | None = None  # text files: the separator detected ("," ";" or tab)
    conversions: list[Conversion] = field(default_factory=list)  # legacy text turned Unicode
    hidden: bool = False  # a sheet hidden in the workbook

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def legacy_summary(self, *, examples: int = 3) -> dict[str, Any]:
        """``{"tcvn3": {"cells": n, "examples": [(before, after)...]}}`` for the preview."""
        return legacy_text.summary(self.conversions, examples=examples)

    def describe(self) -> str:
        """One line for a preview or a summary: format, encoding, separator, conversions."""
        parts = [FORMAT_LABELS.get(self.format, self.format)]
        if self.encoding:
            parts.append("mã " + textfile.ENCODING_LABELS.get(self.encoding, self.encoding))
        if self.delimiter:
            parts.append("ngăn cách bằng " + textfile.DELIMITER_LABELS.get(self.delimiter, ""))
        for encoding, entry in self.legacy_summary(examples=1).items():
            before, after = entry["examples"][0]
            parts.append(
                f"chuyển từ {legacy_text.ENCODING_NAMES[encoding]}: {entry['cells']} ô "
                f"(ví dụ “{before}” → “{after}”)"
            )
        return "; ".join(p for p in parts if p)


def read_grid(path: Path | str, *, sheet: str | None = None, legacy: str = "auto") -> Grid:
    """Read one sheet of ``path``: ``sheet`` names it (default: the active sheet).

    ``legacy`` is ``auto`` (find TCVN3/VNI cells), ``tcvn3``, ``vni`` or ``off``.
    """
    return _read(Path(path), sheet, legacy)[0]


def read_sheets(path: Path | str, *, legacy: str = "auto") -> list[Grid]:
    """Every worksheet of ``path``, in workbook order (one grid for a text file).

    Each grid carries its own ``sheet_name``; ``sheet_names`` lists them all.
    """
    return _read(Path(path), "*", legacy)


def _read(path: Path, wanted: str | None, legacy: str) -> list[Grid]:
    if legacy not in LEGACY_MODES:
        raise AppError(
            f"Chế độ mã cũ “{legacy}” không có; chọn một trong: {', '.join(LEGACY_MODES)}."
        )
    if not path.exists():
        raise AppError(f"Không tìm thấy tệp «{path}».")
    if path.is_dir():
        raise AppError(f"«{path}» là một thư mục; hãy chọn một tệp bảng tính.")
    kind = sniff.kind_of(path)
    capitals: dict[str, set[tuple[int, int]]] = {}
    try:
        if kind == "text":
            grids = [_text_grid(path, wanted)]
        else:
            check = guard.check_zip(path, kind) if kind in ("xlsx", "xlsb", "ods") else None
            if kind == "xls":
                capitals = ole.check_xls(path)
            book = read_book(path, kind, check, wanted=wanted)
            if kind == "xlsx" and legacy in ("auto", "tcvn3"):
                capitals = fonts.capital_cells(path)
            grids = [
                Grid(path.name, s.name, book.names, s.rows, s.merged, kind, hidden=s.hidden)
                for s in book.sheets
            ]
    except MemoryError as exc:
        raise guard.too_big(path, "không đủ bộ nhớ để đọc") from exc
    for grid in grids:
        _finish(path, grid, legacy, capitals.get(grid.sheet_name, set()))
    return grids


def _text_grid(path: Path, wanted: str | None) -> Grid:
    sheet = textfile.read_text(path)
    name = path.stem
    if wanted not in (None, "*", name):
        raise AppError(f"Tệp «{path.name}» chỉ có một trang “{name}”, không có “{wanted}”.")
    kind = "txt" if path.suffix.lower() == ".txt" else "csv"
    return Grid(path.name, name, [name], sheet.rows, [], kind, sheet.encoding, sheet.delimiter)


def _finish(path: Path, grid: Grid, legacy: str, capitals: set[tuple[int, int]]) -> None:
    """Check cell lengths, convert legacy text (``capitals``: cells in a ``.VnTimeH``-like
    font), fill merged ranges, drop trailing blanks."""
    rows = grid.rows
    limit = guard.MAX_CELL_CHARS
    texts = {value for row in rows for value in row if value.__class__ is str}
    if max(map(len, texts), default=0) > limit:
        for r, row in enumerate(rows):
            for value in row:
                if value.__class__ is str and len(value) > limit:
                    c = row.index(value)
                    raise guard.too_big(
                        path,
                        f"ô {_cell_name(r, c)} của trang «{grid.sheet_name}» dài "
                        f"{len(value):,} ký tự, quá giới hạn {limit:,}",
                    )
    upper = (lambda r, c: (r, c) in capitals) if capitals else None
    grid.conversions = legacy_text.convert_table(rows, mode=legacy, upper_cells=upper, texts=texts)
    _fill_merged(grid)
    while rows and all(v is None or (v.__class__ is str and not v.strip()) for v in rows[-1]):
        rows.pop()


def _cell_name(row: int, column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def _fill_merged(grid: Grid) -> None:
    budget = guard.MAX_CELLS  # a hostile file can declare huge merged ranges
    for top, left, bottom, right in grid.merged:
        if top >= len(grid.rows) or right >= guard.MAX_COLUMNS or left > right:
            continue
        budget -= (min(bottom, len(grid.rows) - 1) - top + 1) * (right + 1)
        if budget < 0:
            break
        anchor_row = grid.rows[top]
        value = anchor_row[left] if left < len(anchor_row) else None
        for r in range(top, min(bottom, len(grid.rows) - 1) + 1):
            row = grid.rows[r]
            if len(row) <= right:
                row.extend([None] * (right + 1 - len(row)))
            for c in range(left, right + 1):
                row[c] = value


__all__ = ["LEGACY_MODES", "Conversion", "Grid", "SheetData", "read_grid", "read_sheets"]
