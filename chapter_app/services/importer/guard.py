"""Limits on what a file to import may hold, checked before the file is read in full.

python-calamine builds each sheet as one dense block of cells from its first to its last
used cell, so a few-kilobyte file with a value in ``XFD1048576`` would ask for half a
terabyte and end the program. These checks run first, on the zip directory (sizes as
declared, before inflating anything) and then on each part streamed once through zlib
(its real size and checksum), and find the cells farthest right and down from the cell
references alone, without building the sheet:

- ``.xlsx``: references past column AZ or row 99,999 are rare and looked at one by one;
  a sheet with cells that carry no reference, or with prefixed XML names, is flagged to
  be read by the streaming reader (:mod:`.xlsx`) instead;
- ``.xlsb``: the row and column of each cell record;
- ``.ods``: rows and cells with their repeat counts (how LibreOffice writes runs of empty
  cells), and the merged ranges at the same time, as calamine gives none for ``.ods``.

Anything over a limit raises :class:`AppError` naming the cell and the limit.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError, XMLPullParser

from openpyxl.utils.cell import column_index_from_string, get_column_letter

from chapter_app.errors import AppError

MAX_ROWS = 200_000  # rows of one sheet (a chapter's largest register is a few thousand)
MAX_COLUMNS = 16_384  # Excel's own limit (XFD)
MAX_CELLS = 6_000_000  # rows x columns of the block a sheet spans
MAX_CELL_CHARS = 32_767  # Excel's own limit for the text of one cell
MAX_UNCOMPRESSED = 512 * 2**20  # all the parts of a workbook once inflated
MAX_PARTS = 10_000
MAX_TEXT_BYTES = 64 * 2**20  # a .csv/.txt or .xls file (a 100,000-row CSV is ~12 MB)
_CHUNK = 4 * 2**20

# What reading a damaged zip can raise (RuntimeError: an encrypted part; OSError: a seek
# past the end; KeyError: a part named but missing; NotImplementedError: a compression
# method zipfile does not know).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    KeyError,
    RuntimeError,
    NotImplementedError,
)

_FAR_REF = re.compile(rb' r="([A-Z]{3,}|[B-Z][A-Z]|[A-Z]{1,2}(?=[0-9]{6}))([0-9]+)"')
_ALL_REFS = re.compile(rb' r="([A-Z]+)([0-9]+)"')
# sst/mergeCells/cellXfs counts: 'count="…"' or 'Count="…"'; searched from the literal
# 'ount="' (ten times faster on a large sheet), the letter before checked apart.
_BIG_COUNT = re.compile(rb'ount="([0-9]{6,})"')
_NO_REF = re.compile(rb"<c(?:>|/>|\s(?!r=\"))")


@dataclass
class ZipCheck:
    """What the checks learnt: parts to read with the streaming reader; ``.ods`` merges."""

    stream_parts: set[str] = field(default_factory=set)
    ods_merged: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)


def too_big(path: Path, what: str) -> AppError:
    return AppError(
        f"Không nhập được tệp «{path.name}»: {what}. Có thể tệp bị hỏng hoặc chứa dữ liệu "
        "lạ ở xa bảng; hãy mở bằng Excel, xóa các dòng và cột thừa, lưu lại rồi nhập."
    )


def damaged(path: Path, detail: str = "") -> AppError:
    extra = f" ({detail})" if detail else ""
    return AppError(
        f"Không đọc được tệp «{path.name}»: tệp bị hỏng{extra}. Hãy mở tệp bằng Excel hoặc "
        "LibreOffice, lưu lại dạng .xlsx rồi nhập tệp mới."
    )


def check_extent(path: Path, rows: int, columns: int, *, sheet: str = "") -> None:
    """Refuse a sheet spanning more than the limits (``rows``/``columns`` counted from A1)."""
    where = f"trang «{sheet}» " if sheet else ""
    if rows > MAX_ROWS:
        raise too_big(path, f"{where}có {rows:,} dòng, quá giới hạn {MAX_ROWS:,} dòng")
    if columns > MAX_COLUMNS:
        raise too_big(path, f"{where}có {columns:,} cột, quá giới hạn {MAX_COLUMNS:,} cột")
    if rows * columns > MAX_CELLS:
        corner = f"{get_column_letter(min(columns, MAX_COLUMNS))}{rows}"
        raise too_big(
            path,
            f"{where}trải từ ô A1 tới ô {corner} ({rows * columns:,} ô), quá giới hạn "
            f"{MAX_CELLS:,} ô",
        )


def check_zip(path: Path, kind: str) -> ZipCheck:
    """Check every part of the workbook at ``path`` (``kind`` xlsx, xlsb or ods)."""
    result = ZipCheck()
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_PARTS:
                raise too_big(path, f"tệp có {len(infos):,} phần bên trong")
            declared = sum(info.file_size for info in infos)
            if declared > MAX_UNCOMPRESSED:
                raise too_big(
                    path,
                    f"giải nén ra {declared / 2**20:,.0f} MB, quá giới hạn "
                    f"{MAX_UNCOMPRESSED / 2**20:,.0f} MB",
                )
            for info in infos:
                if info.is_dir():
                    continue
                if info.flag_bits & 0x1:
                    raise AppError(
                        f"Tệp «{path.name}» có đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu, "
                        "lưu lại rồi nhập."
                    )
                _check_part(path, archive, info, kind, result)
    except NotImplementedError as exc:
        raise damaged(path, "cách nén không hỗ trợ") from exc
    except ZIP_ERRORS as exc:
        raise damaged(path, "phần nén không đọc được") from exc
    return result


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    """The part's bytes in chunks ending after a ``>``, each chunk whole XML tags."""
    with archive.open(info) as source:  # zipfile stops at the declared size, checks the CRC
        rest = b""
        while True:
            data = source.read(_CHUNK)
            if not data:
                break
            data = rest + data
            cut = data.rfind(b">") + 1
            if cut == 0 and len(data) < 16 * _CHUNK:
                rest = data
                continue
            rest = data[cut:] if cut else b""
            yield data[:cut] if cut else data
        if rest:
            yield rest


def _check_part(path, archive, info, kind, result: ZipCheck) -> None:
    name = info.filename
    if kind == "xlsx" and name.endswith(".xml") and name.startswith("xl/"):
        _check_xlsx_sheet(path, archive, info, result)
    elif kind == "xlsb" and name.startswith("xl/worksheets/") and name.endswith(".bin"):
        _check_xlsb_sheet(path, archive.read(info))
    elif kind == "xlsb" and name.endswith(".bin"):
        _check_xlsb_counts(path, archive.read(info))
    elif kind == "ods" and name == "content.xml":
        result.ods_merged = _check_ods_content(path, _chunks(archive, info))
    else:
        for _ in _chunks(archive, info):  # inflate to check the size and the checksum
            pass


def _check_counts(path: Path, info, data: bytes) -> None:
    """A stated count of items (calamine reserves room for them) larger than the part."""
    for found in _BIG_COUNT.finditer(data):
        if data[found.start() - 1 : found.start()] not in (b"c", b"C"):
            continue
        digits = found[1]
        if int(digits) > info.file_size:
            raise damaged(path, f"{info.filename}: số mục {int(digits):,} sai")


def _check_xlsx_sheet(path: Path, archive, info, result: ZipCheck) -> None:
    far_row = far_col = 0
    stream = False
    chunks = _chunks(archive, info)
    for data in chunks:
        _check_counts(path, info, data)
        if b":sheetData" in data or _NO_REF.search(data):
            stream = True  # prefixed names or cells without references: stream them
            for rest in chunks:
                _check_counts(path, info, rest)
            break
        for letters, digits in _FAR_REF.findall(data):
            row, col = int(digits), column_index_from_string(letters.decode()[:4])
            if row > far_row:
                far_row = row
            if col > far_col:
                far_col = col
            if row > MAX_ROWS or col > MAX_COLUMNS:
                far_ref = f"{letters.decode()[:4]}{row}"
                raise too_big(
                    path, f"có dữ liệu ở ô {far_ref}, quá xa (giới hạn {MAX_ROWS:,} dòng)"
                )
    if stream:
        result.stream_parts.add(info.filename)
        return
    if far_row == 0 and far_col == 0:
        return  # every reference within AZ99999
    rows, cols = max(far_row, 99_999), max(far_col, 52)
    if rows * cols <= MAX_CELLS:
        return
    rows, cols = 0, 0  # look at every reference
    for data in _chunks(archive, info):
        for letters, digits in _ALL_REFS.findall(data):
            rows = max(rows, int(digits))
            cols = max(cols, column_index_from_string(letters.decode()[:4]))
    check_extent(path, rows, cols)


def _check_xlsb_sheet(path: Path, data: bytes) -> None:
    """Walk the BIFF12 records of a binary sheet: row headers and cell records."""
    rows = cols = 0
    row = 0
    i, end = 0, len(data)
    while i < end:
        kind, i = _varint(data, i, 2)
        size, i = _varint(data, i, 4)
        if kind == 0 and size >= 4:  # BrtRowHdr: the row index
            row = int.from_bytes(data[i : i + 4], "little") + 1
            rows = max(rows, row)
        elif 1 <= kind <= 13 and size >= 4:  # a cell record: its column index
            cols = max(cols, int.from_bytes(data[i : i + 4], "little") + 1)
        i += size
    if rows > MAX_ROWS or cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
        check_extent(path, rows, cols)


def _check_xlsb_counts(path: Path, data: bytes) -> None:
    """BrtBeginSst states how many strings follow: no more than the part could hold."""
    i, end = 0, len(data)
    while i < end:
        kind, i = _varint(data, i, 2)
        size, i = _varint(data, i, 4)
        if kind == 159 and size >= 8:
            total, unique = (int.from_bytes(data[i + k : i + k + 4], "little") for k in (0, 4))
            if max(total, unique) > end:
                raise damaged(path, f"số chuỗi {max(total, unique):,} sai")
        i += size


def _varint(data: bytes, i: int, most: int) -> tuple[int, int]:
    value = shift = 0
    for _ in range(most):
        if i >= len(data):
            return value, i
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    return value, i


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _check_ods_content(path: Path, chunks) -> dict[str, list[tuple[int, int, int, int]]]:
    """The extent of each table of ``content.xml`` (repeats counted), and its merged ranges."""
    parser = XMLPullParser(events=("start", "end"))
    merged: dict[str, list[tuple[int, int, int, int]]] = {}
    table = ""
    row = col = 0
    used_rows = used_cols = 0
    row_used = False
    rows_repeat = 1
    try:
        for data in chunks:
            parser.feed(data)
            for event, element in parser.read_events():
                tag = element.tag
                if event == "start":
                    if tag == _ODS_TABLE + "table":
                        table = element.get(_ODS_TABLE + "name") or ""
                        merged[table] = []
                        row, used_rows, used_cols = 0, 0, 0
                    elif tag == _ODS_TABLE + "table-row":
                        col, row_used = 0, False
                        rows_repeat = _repeat(element, "number-rows-repeated")
                    continue
                if tag in (_ODS_TABLE + "table-cell", _ODS_TABLE + "covered-table-cell"):
                    repeat = _repeat(element, "number-columns-repeated")
                    if _has_value(element):
                        used_cols = max(used_cols, col + repeat)
                        row_used = True
                        spans = (
                            _repeat(element, "number-rows-spanned"),
                            _repeat(element, "number-columns-spanned"),
                        )
                        if spans != (1, 1) and tag == _ODS_TABLE + "table-cell":
                            merged[table].append((row, col, row + spans[0] - 1, col + spans[1] - 1))
                    col += repeat
                    element.clear()
                elif tag == _ODS_TABLE + "table-row":
                    if row_used:
                        used_rows = row + rows_repeat
                        check_extent(path, used_rows, used_cols, sheet=table)
                    row += rows_repeat
                    element.clear()
        parser.close()
    except (ParseError, LookupError, ValueError) as exc:  # LookupError: unknown encoding
        raise damaged(path, "nội dung XML hỏng") from exc
    return merged


def _repeat(element, name: str) -> int:
    text = element.get(_ODS_TABLE + name)
    if not text:
        return 1
    try:
        return max(1, int(text))
    except ValueError:
        return 1


def _has_value(element) -> bool:
    if element.get(_ODS_OFFICE + "value-type") is not None:
        return True
    return any(child.tag == _ODS_TEXT + "p" for child in element)
