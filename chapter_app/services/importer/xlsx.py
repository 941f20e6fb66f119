"""The cell values of one ``.xlsx`` sheet, as openpyxl gives them, read quickly.

openpyxl's read-only mode takes every cell through its general object model (a
dictionary per cell, a rich-text object per string), and that was most of the time of
importing a large sheet. An import needs much less: the workbook's list of sheets, its
shared strings, which cell styles show dates, and each cell's value. This module reads
just that with ElementTree's C parser and gives every cell the value that
``load_workbook(path, read_only=True, data_only=True)`` then ``iter_rows(values_only=True)``
gives: numbers as ``int`` or ``float``; dates, times and durations by the cell's number
format (1900 or 1904 calendar), with openpyxl's own conversion; shared and inline strings
without their formatting; booleans; error codes as text ("#N/A"); the value a formula
last computed. Missing rows and cells are ``None``; a row ends at its last cell.
Merged ranges come from the same pass over the sheet.

One difference: openpyxl's read-only mode trusts the size a sheet declares (padding rows
to it, or dropping cells outside it: some programs declare "A1" whatever the sheet holds);
the declared size is ignored here. Rows, columns and cells are capped by :mod:`.guard`
(:class:`TooBig`). The import reads workbooks with python-calamine; this reader is kept
for sheets calamine cannot be trusted with (cells without references).

Anything laid out otherwise than expected (another XML namespace such as Strict Open
XML, a chart sheet, an unreadable cell reference, a damaged part) raises
:class:`Unsupported`.
"""

from __future__ import annotations

import posixpath
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError, fromstring, iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

from chapter_app.services.importer.guard import MAX_CELLS, MAX_COLUMNS, MAX_ROWS

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

_ROW = _MAIN + "row"
_VALUE = _MAIN + "v"
_INLINE = _MAIN + "is"
_TEXT = _MAIN + "t"
_RUN = _MAIN + "r"
_STRING_ITEM = _MAIN + "si"
_MERGE = _MAIN + "mergeCell"
_FALSE = (None, "", "false", "f", "0")  # how openpyxl reads a false XML boolean


class Unsupported(Exception):
    """The file is not laid out as this reader expects: read it with openpyxl instead."""


class TooBig(Exception):
    """The sheet goes past a limit of :mod:`.guard` (rows, columns or cells)."""


class NoSuchSheet(Exception):
    """The workbook has no sheet of the name asked for; ``names`` are the ones it has."""

    def __init__(self, names: list[str]):
        super().__init__(", ".join(names))
        self.names = names


@dataclass
class SheetValues:
    title: str
    sheet_names: list[str]
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]]  # (top, left, bottom, right), 0-based, inclusive


def read_sheet(path: Path | str, sheet: str | None = None) -> SheetValues:
    """The values of sheet ``sheet`` (the active one when None) of the workbook at ``path``.

    Raises :class:`NoSuchSheet` when there is no such sheet, :class:`Unsupported` when the
    file cannot be read here.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            book = _Book(archive)
            names = [name for name, _, _ in book.sheets]
            if not names:
                raise Unsupported("no sheets")
            if sheet is None:
                index = book.active if 0 <= book.active < len(names) else 0
            elif sheet in names:
                index = names.index(sheet)
            else:
                raise NoSuchSheet(names)
            title, kind, part = book.sheets[index]
            if kind != _REL_TYPE + "worksheet":
                raise Unsupported(f"{title} is not a worksheet")
            rows, merged = _read_cells(archive, part, book)
    except (OSError, zipfile.BadZipFile, ParseError, LookupError, ValueError, TypeError) as exc:
        raise Unsupported(str(exc)) from exc  # LookupError: a part or string that is not there
    return SheetValues(title, names, rows, merged)


def _part_path(base: str, target: str) -> str:
    """A relationship target as a path inside the zip file."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """``id -> (type, part path)`` of the relationships of ``part``."""
    rels_path = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    try:
        root = fromstring(archive.read(rels_path))
    except KeyError:
        return {}
    found = {}
    for rel in root.iter(_PKG_REL + "Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        found[rel.get("Id")] = (rel.get("Type") or "", _part_path(part, rel.get("Target") or ""))
    return found


def _string(node: Element) -> str:
    """The text of a shared string (``si``) or an inline one (``is``), without formatting.

    As openpyxl's ``Text.content``: the plain text, then the text of each formatted run;
    phonetic guides (``rPh``) are left out.
    """
    if len(node) == 1 and node[0].tag == _TEXT:  # plain text, the usual case
        return node[0].text or ""
    plain, runs = None, []
    for child in node:
        if child.tag == _TEXT:
            plain = child.text
        elif child.tag == _RUN:
            for part in child:
                if part.tag == _TEXT and part.text is not None:
                    runs.append(part.text)
    if not runs:
        return plain or ""
    return "".join([plain, *runs] if plain is not None else runs)


class _Book:
    """What reading a sheet needs from the workbook: sheets, calendar, strings, date styles."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        package = _relationships(archive, "")
        documents = [p for t, p in package.values() if t == _REL_TYPE + "officeDocument"]
        if not documents:
            raise Unsupported("no workbook part")
        part = documents[0]
        root = fromstring(archive.read(part))
        if root.tag != _MAIN + "workbook":
            raise Unsupported(f"unknown workbook element {root.tag}")
        rels = _relationships(archive, part)
        properties = root.find(_MAIN + "workbookPr")
        date1904 = properties is not None and properties.get("date1904") not in _FALSE
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.active = 0
        for view in root.iterfind(f"{_MAIN}bookViews/{_MAIN}workbookView"):
            if view.get("activeTab") is not None:
                self.active = int(view.get("activeTab"))
                break
        present = set(archive.namelist())
        self.sheets: list[tuple[str, str, str]] = []  # (name, relationship type, part)
        for element in root.iterfind(f"{_MAIN}sheets/{_MAIN}sheet"):
            rel_id = element.get(_DOC_REL + "id")
            if not rel_id:
                continue  # openpyxl leaves such sheets out too
            kind, target = rels[rel_id]
            if target in present:
                self.sheets.append((element.get("name") or "", kind, target))
        parts = {t: p for t, p in rels.values()}
        self.strings = self._shared_strings(parts.get(_REL_TYPE + "sharedStrings"))
        self.date_styles, self.duration_styles = self._date_styles(parts.get(_REL_TYPE + "styles"))

    def _shared_strings(self, part: str | None) -> list[str]:
        if part is None:
            return []
        strings = []
        with self.archive.open(part) as source:
            for _, node in iterparse(source):
                if node.tag == _STRING_ITEM:
                    strings.append(_string(node).replace("x005F_", ""))  # as openpyxl
                    node.clear()
        return strings

    def _date_styles(self, part: str | None) -> tuple[frozenset[int], frozenset[int]]:
        """The cell styles (indexes of ``cellXfs``) whose number format shows a date/a duration."""
        if part is None:
            return frozenset(), frozenset()
        root = fromstring(self.archive.read(part))
        custom = {
            int(fmt.get("numFmtId")): fmt.get("formatCode")
            for fmt in root.iterfind(f"{_MAIN}numFmts/{_MAIN}numFmt")
        }
        dates, durations = set(), set()
        for index, xf in enumerate(root.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf")):
            number_format = int(xf.get("numFmtId") or 0)
            if number_format in custom:
                code = custom[number_format]
            else:
                code = BUILTIN_FORMATS.get(number_format)
            if is_date_format(code):
                dates.add(index)
            if is_timedelta_format(code):
                durations.add(index)
        return frozenset(dates), frozenset(durations)


class _Columns(dict):
    """``"AB" -> 28``, learnt on first use."""

    def __missing__(self, letters: str) -> int:
        index = column_index_from_string(letters)
        self[letters] = index
        return index


_DIGITS = "0123456789"


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _read_cells(
    archive: zipfile.ZipFile, part: str, book: _Book
) -> tuple[list[list[Any]], list[tuple[int, int, int, int]]]:
    rows: list[list[Any]] = []
    merged: list[tuple[int, int, int, int]] = []
    width = 0  # the declared size (<dimension>) is not trusted: rows end at their last cell
    cells = 0
    columns = _Columns()
    strings, epoch = book.strings, book.epoch
    dates, durations = book.date_styles, book.duration_styles
    last = 0  # the number of the last row read
    with archive.open(part) as source:
        events = iterparse(source)
        for _, element in events:
            tag = element.tag
            if tag == _ROW:
                number = element.get("r")
                number = _row_number(number) if number else last + 1
                if number <= last:  # a row out of order: openpyxl skips it too
                    element.clear()
                    continue
                if number > MAX_ROWS:
                    raise TooBig(f"có dữ liệu ở dòng {number:,}, quá giới hạn {MAX_ROWS:,} dòng")
                while last + 1 < number:
                    rows.append([None] * width)
                    last += 1
                values = _row_values(element, width, columns, strings, epoch, dates, durations)
                cells += len(values)
                if cells > MAX_CELLS:
                    raise TooBig(f"trang có hơn {MAX_CELLS:,} ô")
                rows.append(values)
                last = number
                element.clear()
            elif tag == _MERGE:
                ref = element.get("ref") or ""
                if ":" in ref:
                    left, top, right, bottom = range_boundaries(ref)
                    merged.append((top - 1, left - 1, bottom - 1, right - 1))
        if events.root.tag != _MAIN + "worksheet":  # e.g. Strict Open XML: other names
            raise Unsupported(f"unknown sheet element {events.root.tag}")
    return rows, merged


def _row_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise
        return int(number)


def _row_values(row, width, columns, strings, epoch, dates, durations) -> list[Any]:
    """One row's values, as long as the declared width or up to its last cell."""
    values: list[Any] = [None] * width
    column = 0
    for cell in row:
        ref = cell.get("r")
        if ref:
            letters = ref.rstrip(_DIGITS)
            if not letters or len(letters) == len(ref):
                raise Unsupported(f"cell reference {ref!r}")
            column = columns[letters]
        else:
            column += 1
        if column > MAX_COLUMNS:
            raise TooBig(f"có dữ liệu ở cột thứ {column:,}, quá giới hạn {MAX_COLUMNS:,} cột")
        if column > len(values):
            values.extend([None] * (column - len(values)))
        kind = cell.get("t")
        if kind == "inlineStr":
            inline = cell.find(_INLINE)
            if inline is not None:
                values[column - 1] = _string(inline)
            continue
        value = cell.findtext(_VALUE) or None
        if value is None:
            continue
        if kind is None or kind == "n":
            value = _number(value)
            style = cell.get("s")
            if style and int(style) in dates:
                value = _date(value, epoch, int(style) in durations)
        elif kind == "s":
            value = strings[int(value)]
        elif kind == "b":
            value = bool(int(value))
        elif kind == "d":
            value = from_ISO8601(value)
        # "str" (a formula's text) and "e" (an error such as #N/A) keep their text
        values[column - 1] = value
    return values


def _date(serial: int | float, epoch, duration: bool) -> Any:
    try:
        return from_excel(serial, epoch, timedelta=duration)
    except (OverflowError, ValueError):
        warnings.warn(
            f"A cell is marked as a date but its serial value {serial} is outside the limits "
            "for dates; it is read as an error.",
            stacklevel=2,
        )
        return "#VALUE!"
