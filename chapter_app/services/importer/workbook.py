"""The sheets of a workbook (``.xlsx .xlsm .xlsb .xls .ods``) read with python-calamine.

python-calamine (Rust) reads every one of these formats many times faster than openpyxl.
Values come as Python values: numbers (whole ones as ``int``, as a person typed them),
text, ``bool``, dates, times, durations; empty cells are ``None``. Rows are numbered from
the sheet's first row and columns from column A whatever the sheet declares as its size.
Merged ranges come from calamine for ``.xlsx``/``.xls`` and from :mod:`.guard` for
``.ods``. The file has passed :mod:`.guard` first; a sheet the guard wants streamed
(cells without references) is read by :mod:`.xlsx` instead.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine as calamine

from chapter_app.errors import AppError
from chapter_app.services.importer import xlsx
from chapter_app.services.importer.guard import (
    MAX_CELLS,
    ZIP_ERRORS,
    ZipCheck,
    check_extent,
    damaged,
    too_big,
)

_ACTIVE_TAB = re.compile(rb'<(?:\w+:)?workbookView\b[^>]*\bactiveTab="([0-9]+)"')


@dataclass
class SheetData:
    name: str
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]]  # (top, left, bottom, right), 0-based, inclusive
    hidden: bool = False


@dataclass
class BookData:
    names: list[str]  # the worksheets, in workbook order
    active: str  # the sheet open when the file was saved (the first when unknown)
    sheets: list[SheetData]  # those asked for


def _fail(path: Path, exc: BaseException) -> AppError:
    if isinstance(exc, calamine.PasswordError):
        return AppError(
            f"Tệp «{path.name}» có đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu, lưu lại rồi nhập."
        )
    if isinstance(exc, MemoryError):
        return too_big(path, "không đủ bộ nhớ để đọc")
    detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return damaged(path, detail)


def read_book(path: Path, kind: str, check: ZipCheck | None, *, wanted: str | None) -> BookData:
    """The sheets of ``path``: the one called ``wanted``, the active one when ``wanted`` is
    None, every worksheet when ``wanted`` is ``"*"``."""
    if check is not None and check.stream_parts:
        return _read_streamed(path, wanted)
    try:
        return _read_calamine(path, kind, check, wanted)
    except AppError:
        raise
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # calamine's Rust panics are BaseException
        raise _fail(path, exc) from exc


def _no_such_sheet(path: Path, wanted: str, names: list[str]) -> AppError:
    return AppError(f"Tệp «{path.name}» không có trang “{wanted}”; các trang: {', '.join(names)}.")


def _active_xlsx(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as archive:
            head = archive.read("xl/workbook.xml")[:65536]
    except ZIP_ERRORS:
        return 0
    found = _ACTIVE_TAB.search(head)
    return int(found[1]) if found else 0


def _read_calamine(path: Path, kind: str, check: ZipCheck | None, wanted: str | None) -> BookData:
    with calamine.CalamineWorkbook.from_path(str(path)) as book:
        metadata = [m for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
        names = [m.name for m in metadata]
        if not names:
            raise AppError(f"Tệp «{path.name}» không có trang tính nào để nhập.")
        active = names[0]
        if kind == "xlsx":
            index = _active_xlsx(path)
            all_names = book.sheet_names
            if 0 <= index < len(all_names) and all_names[index] in names:
                active = all_names[index]
        if wanted == "*":
            chosen = metadata
        else:
            name = active if wanted is None else wanted
            if name not in names:
                raise _no_such_sheet(path, name, names)
            chosen = [m for m in metadata if m.name == name]
        sheets = []
        budget = MAX_CELLS  # every sheet read, together
        for meta in chosen:
            sheet = book.get_sheet_by_name(meta.name)
            end = sheet.end
            budget -= (end[0] + 1) * (end[1] + 1) if end is not None else 0
            if budget < 0:
                raise too_big(path, f"các trang cộng lại có hơn {MAX_CELLS:,} ô")
            merged = _merged(sheet, meta.name, check)
            rows = _rows(path, sheet, meta.name)
            hidden = meta.visible != calamine.SheetVisibleEnum.Visible
            sheets.append(SheetData(meta.name, rows, merged, hidden))
    return BookData(names, active, sheets)


def _merged(sheet, name: str, check: ZipCheck | None) -> list[tuple[int, int, int, int]]:
    ranges = sheet.merged_cell_ranges
    if ranges is None:
        return list(check.ods_merged.get(name, [])) if check is not None else []
    return [(top, left, bottom, right) for (top, left), (bottom, right) in ranges]


def _rows(path: Path, sheet, name: str) -> list[list[Any]]:
    end = sheet.end
    if end is None:
        return []
    height, width = end[0] + 1, end[1] + 1
    check_extent(path, height, width, sheet=name)  # what calamine built, before copying it
    rows: list[list[Any]] = []
    for raw in sheet.iter_rows():
        row = [  # "" -> None, whole floats -> int
            (v or None)
            if v.__class__ is str
            else (int(v) if v.__class__ is float and v.is_integer() else v)
            for v in raw
        ]
        if len(row) < width:  # calamine leaves out the empty columns on the left
            row[:0] = [None] * (width - len(row))
        rows.append(row)
    if len(rows) < height:  # and, in some versions, the empty rows on top
        rows[:0] = [[None] * width for _ in range(height - len(rows))]
    return rows


def _read_streamed(path: Path, wanted: str | None) -> BookData:
    """The workbook read by the streaming reader (cells without references)."""
    try:
        first = xlsx.read_sheet(path, None if wanted == "*" else wanted)
        sheets = [SheetData(first.title, first.rows, first.merged)]
        if wanted == "*":
            for name in first.sheet_names:
                if name != first.title:
                    values = xlsx.read_sheet(path, name)
                    sheets.append(SheetData(values.title, values.rows, values.merged))
    except xlsx.NoSuchSheet as exc:
        raise _no_such_sheet(path, wanted or "", exc.names) from None
    except xlsx.Unsupported as exc:
        raise damaged(path, str(exc)[:120]) from None
    except xlsx.TooBig as exc:
        raise too_big(path, str(exc)) from None
    order = {name: i for i, name in enumerate(first.sheet_names)}
    sheets.sort(key=lambda s: order.get(s.name, 0))
    return BookData(first.sheet_names, first.title, sheets)
