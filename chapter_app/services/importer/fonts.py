"""Which cells of an ``.xlsx`` are set in a TCVN3 capitals font (``.VnTimeH``, ``.VnArialH``...).

TCVN3 has bytes for small letters only (and seven capitals); the ``.VnTimeH`` family draws
those same bytes as capitals. The bytes alone cannot tell "nguyÔn" typed for "nguyễn"
from one typed for "NGUYỄN": the cell's font can, where the format keeps it. This reads
the workbook's fonts and cell styles and, only when some style uses such a font, finds
the cells of each sheet that carry it. A hint only: anything unexpected gives no cells.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError, fromstring

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CAPITALS_FONT = re.compile(r"^\.?vn\w*h$", re.IGNORECASE)  # .VnTimeH, .VnArialH, .VnAvantH
_STYLED_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?\ss="([0-9]+)"')


def capital_cells(path: Path) -> dict[str, set[tuple[int, int]]]:
    """``{sheet name: {(row, column), ...}}`` (0-based) of cells in a capitals font."""
    try:
        with zipfile.ZipFile(path) as archive:
            styles = _capital_styles(archive)
            if not styles:
                return {}
            found = {}
            for name, part in _sheet_parts(archive).items():
                cells = set()
                for letters, digits, style in _STYLED_CELL.findall(archive.read(part)):
                    if int(style) in styles:
                        cells.add((int(digits) - 1, _column(letters.decode()) - 1))
                if cells:
                    found[name] = cells
            return found
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError, RuntimeError):
        return {}


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _capital_styles(archive: zipfile.ZipFile) -> set[int]:
    if "xl/styles.xml" not in archive.namelist():
        return set()
    root = fromstring(archive.read("xl/styles.xml"))
    fonts = [
        (font.find(_MAIN + "name").get("val") if font.find(_MAIN + "name") is not None else "")
        for font in root.iterfind(f"{_MAIN}fonts/{_MAIN}font")
    ]
    capital = {i for i, name in enumerate(fonts) if _CAPITALS_FONT.match(name or "")}
    if not capital:
        return set()
    return {
        index
        for index, xf in enumerate(root.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf"))
        if int(xf.get("fontId") or 0) in capital
    }


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    workbook = fromstring(archive.read("xl/workbook.xml"))
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels.iter(_PKG_REL + "Relationship"):
        target = rel.get("Target") or ""
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[rel.get("Id")] = posixpath.normpath(part)
    names = archive.namelist()
    return {
        sheet.get("name") or "": targets[sheet.get(_DOC_REL + "id")]
        for sheet in workbook.iterfind(f"{_MAIN}sheets/{_MAIN}sheet")
        if targets.get(sheet.get(_DOC_REL + "id")) in names
    }
