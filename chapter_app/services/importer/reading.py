"""Reading a sheet as a grid of values: ``.xlsx`` as openpyxl reads it, ``.csv`` in UTF-8.

An ``.xlsx`` sheet is read by :mod:`.xlsx`, which gives the values openpyxl's read-only
mode gives in well under half its time, with the sheet's merged ranges. A workbook it
does not expect (Strict Open XML, a damaged part...) is read with openpyxl itself: its
read-only mode, with merged cells read from the sheet's XML (a list at its end), as that
mode does not report them. Merged ranges are then filled in: every cell of a range gets
the value of its top-left cell, which is what a person reading the sheet sees (a "Năm
sinh" header over two columns, a chi hội name merged down the rows of its members).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from chapter_app.errors import AppError
from chapter_app.services.importer import xlsx

MAX_TRAILING_BLANK_ROWS = 500  # stop reading after this many blank rows in a row

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+[0-9]+:[A-Z]+[0-9]+)\"")


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

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def read_grid(path: Path | str, *, sheet: str | None = None) -> Grid:
    """Read ``path`` (``.xlsx``/``.xlsm`` or ``.csv``); ``sheet`` names a workbook's sheet."""
    path = Path(path)
    if not path.exists():
        raise AppError(f"Không tìm thấy tệp «{path}».")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix == ".xls":
        raise AppError(
            f"Tệp «{path.name}» là dạng Excel cũ (.xls). Hãy mở bằng Excel và lưu lại dạng "
            "Excel Workbook (.xlsx) rồi nhập tệp mới."
        )
    raise AppError(f"Không nhập được tệp «{path.name}»: chỉ nhận tệp .xlsx hoặc .csv.")


def read_sheets(path: Path | str) -> list[Grid]:
    """Every worksheet of ``path``, in workbook order (one grid for a text file).

    Each grid carries its own ``sheet_name``; ``sheet_names`` lists them all.
    """
    first = read_grid(path)
    if len(first.sheet_names) <= 1:
        return [first]
    return [
        first if name == first.sheet_name else read_grid(path, sheet=name)
        for name in first.sheet_names
    ]


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    blank_run = 0
    kept: list[list[Any]] = []
    for row in rows:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            blank_run += 1
            if blank_run > MAX_TRAILING_BLANK_ROWS:
                break
        else:
            blank_run = 0
        kept.append(row)
    while kept and all(v is None or (isinstance(v, str) and not v.strip()) for v in kept[-1]):
        kept.pop()
    return kept


def _no_such_sheet(path: Path, sheet: str | None, names: list[str]) -> AppError:
    return AppError(f"Tệp «{path.name}» không có trang “{sheet}”; các trang: {', '.join(names)}.")


def _read_xlsx(path: Path, sheet: str | None) -> Grid:
    try:
        values = xlsx.read_sheet(path, sheet)
    except xlsx.NoSuchSheet as exc:
        raise _no_such_sheet(path, sheet, exc.names) from None
    except xlsx.Unsupported:
        return _read_xlsx_with_openpyxl(path, sheet)
    grid = Grid(
        path.name, values.title, values.sheet_names, _trim(values.rows), values.merged, "xlsx"
    )
    _fill_merged(grid)
    return grid


def _read_xlsx_with_openpyxl(path: Path, sheet: str | None) -> Grid:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        if isinstance(exc, PermissionError):
            raise AppError(
                f"Không đọc được tệp «{path.name}»: tệp đang mở trong Excel hoặc không có "
                "quyền đọc. Hãy đóng Excel rồi thử lại."
            ) from exc
        raise AppError(
            f"Không đọc được tệp «{path.name}»: tệp hỏng hoặc không phải tệp Excel .xlsx."
        ) from exc
    try:
        names = list(workbook.sheetnames)
        if sheet is None:
            worksheet = workbook.active or workbook[names[0]]
        elif sheet in names:
            worksheet = workbook[sheet]
        else:
            raise _no_such_sheet(path, sheet, names)
        title = worksheet.title
        rows = _trim([list(r) for r in worksheet.iter_rows(values_only=True)])
    finally:
        workbook.close()
    merged = _merged_ranges(path, title)
    grid = Grid(path.name, title, names, rows, merged, "xlsx")
    _fill_merged(grid)
    return grid


def _sheet_part(archive: zipfile.ZipFile, title: str) -> str | None:
    """The zip path of the sheet called ``title`` (via workbook.xml and its relationships)."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rel_id = None
    for element in workbook.iter(f"{_NS_MAIN}sheet"):
        if element.get("name") == title:
            rel_id = element.get(f"{_NS_REL}id")
            break
    if rel_id is None:
        return None
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target") or ""
            if target.startswith("/"):
                return target.lstrip("/")
            return str(PurePosixPath("xl") / target)
    return None


def _merged_ranges(path: Path, title: str) -> list[tuple[int, int, int, int]]:
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, title)
            if part is None:
                return []
            data = archive.read(part)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return []
    ranges = []
    for match in _MERGE.finditer(data):
        min_col, min_row, max_col, max_row = range_boundaries(match[1].decode("ascii"))
        ranges.append((min_row - 1, min_col - 1, max_row - 1, max_col - 1))
    return ranges


def _fill_merged(grid: Grid) -> None:
    for top, left, bottom, right in grid.merged:
        if top >= len(grid.rows):
            continue
        anchor_row = grid.rows[top]
        value = anchor_row[left] if left < len(anchor_row) else None
        for r in range(top, min(bottom, len(grid.rows) - 1) + 1):
            row = grid.rows[r]
            if len(row) <= right:
                row.extend([None] * (right + 1 - len(row)))
            for c in range(left, right + 1):
                row[c] = value


def _delimiter(sample: str) -> str:
    """The separator of a CSV sample: the one of , ; and tab found most outside quotes."""
    counts = dict.fromkeys(",;\t", 0)
    quoted = False
    for ch in sample:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda c: (counts[c], c == ","))
    return best if counts[best] else ","


def _read_csv(path: Path) -> Grid:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AppError(
            f"Tệp «{path.name}» không phải CSV mã UTF-8. Trong Excel hãy chọn Lưu thành → "
            "“CSV UTF-8 (Comma delimited)” rồi nhập lại."
        ) from exc
    delimiter = _delimiter(text[:16384])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = _trim([[cell if cell != "" else None for cell in row] for row in reader])
    return Grid(path.name, path.stem, [path.stem], rows, [], "csv", "utf-8", delimiter)
