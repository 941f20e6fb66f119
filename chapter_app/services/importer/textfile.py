"""Text sheets (``.csv``, ``.txt``) as Excel and other programs save them.

The encoding is found from the bytes: UTF-8 (with or without its BOM), UTF-16 with its
BOM (Excel's "Unicode text", tab-separated) or without one, else the Windows Vietnamese
code page 1258 (Excel's "CSV (Comma delimited)" on a Vietnamese Windows: tone marks as
combining characters, turned into NFC here). A file of bytes that reads better as TCVN3
or VNI than as code page 1258 is decoded byte for byte (Latin-1) and left to the legacy
conversion of the reading layer. The separator is the one of ``,`` ``;`` and tab found
most often outside quotes.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chapter_app.domain.legacy_text import score_text, to_unicode
from chapter_app.errors import AppError
from chapter_app.services.importer.guard import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_ROWS,
    MAX_TEXT_BYTES,
    too_big,
)

ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (có BOM)",
    "utf-16": "UTF-16 (Unicode text)",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1258": "Windows-1258",
    "latin-1": "mã cũ (TCVN3/VNI)",
}
DELIMITER_LABELS = {",": "dấu phẩy", ";": "dấu chấm phẩy", "\t": "dấu tab"}


@dataclass
class TextSheet:
    rows: list[list[Any]]
    encoding: str
    delimiter: str


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was read in."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace"), "utf-16"
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) * 4 >= len(sample):  # UTF-16 with no BOM
        zeros_odd = sample[1::2].count(0)
        encoding = "utf-16-le" if zeros_odd >= sample[0::2].count(0) else "utf-16-be"
        return data.decode(encoding, "replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    windows = unicodedata.normalize("NFC", data.decode("cp1258", "replace"))
    legacy = data.decode("latin-1")
    probe_windows, probe_legacy = windows[:65536], legacy[:65536]
    best_legacy = max(score_text(to_unicode(probe_legacy, e)) for e in ("tcvn3", "vni"))
    if best_legacy > score_text(probe_windows):
        return legacy, "latin-1"
    return windows, "cp1258"


def delimiter_of(sample: str) -> str:
    """The separator of a text sample: the one of , ; and tab found most outside quotes."""
    counts = dict.fromkeys(",;\t", 0)
    quoted = False
    for ch in sample:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda c: (counts[c], c == ","))
    return best if counts[best] else ","


def read_text(path: Path) -> TextSheet:
    """The rows of the text sheet at ``path`` (empty cells ``None``)."""
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise too_big(
            path, f"tệp nặng {size / 2**20:,.0f} MB, quá giới hạn {MAX_TEXT_BYTES / 2**20:,.0f} MB"
        )
    data = path.read_bytes()
    text, encoding = decode(data)
    if "\x00" in text:
        raise AppError(
            f"Không nhập được tệp «{path.name}»: tệp không phải văn bản hay bảng tính "
            "(có ký tự nhị phân). Hãy chọn tệp Excel (.xlsx, .xls), LibreOffice (.ods) "
            "hoặc CSV."
        )
    delimiter = delimiter_of(text[:16384])
    csv.field_size_limit(MAX_CELL_CHARS + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Any]] = []
    cells = 0
    try:
        for row in reader:
            rows.append([cell if cell != "" else None for cell in row])
            cells += len(row)
            if len(rows) > MAX_ROWS:
                raise too_big(path, f"tệp có hơn {MAX_ROWS:,} dòng")
            if cells > MAX_CELLS:
                raise too_big(path, f"tệp có hơn {MAX_CELLS:,} ô")
    except csv.Error as exc:
        where = f"dòng {reader.line_num}"
        if "field larger" in str(exc):
            raise too_big(
                path, f"{where} có ô dài hơn {MAX_CELL_CHARS:,} ký tự (thường do dấu ngoặc kép lẻ)"
            ) from exc
        raise AppError(
            f"Không đọc được tệp «{path.name}» ở {where}: tệp CSV hỏng. Hãy mở bằng Excel, "
            "lưu lại rồi nhập."
        ) from exc
    return TextSheet(rows, encoding, delimiter)
