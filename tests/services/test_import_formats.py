"""The same member sheet in every form a commune PC produces imports to the same records:
.xlsx in Unicode, TCVN3, VNI or with only the name column in TCVN3; .xls and .ods (written
by LibreOffice); CSV in Windows-1258 with ";"; UTF-16 "Unicode text" with tabs."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from chapter_app.domain.legacy_text import TCVN3_TO_UNICODE, UNICODE_TO_VNI
from chapter_app.services.importer import apply_import, plan_import
from chapter_app.services.importer.reading import read_grid, read_sheets
from chapter_app.store.repository import Query
from tests.services.test_import_sheets import TODAY, chapter_member_sheet, member

ROWS = [
    member("Dương Văn Hiếu", male=1958, phone="0912345678", admitted="05/01/2020"),
    member("Nguyễn Thị Ánh", female=1962, cccd="051162000567", admitted="01/03/2021"),
    member("Trần Đình Phúc", male=1970, address="Xóm Đồng", admitted="19/05/2019"),
    member("Lê Thị Tuyết", female=1990, notes="Tổ trưởng tổ 5", admitted="01/07/2015"),
    member("Huỳnh Văn Khải", male=1985, phone="0358123456", admitted="01/07/2022"),
    member("Võ Thị Mỹ Hạnh", female=1977, address="Xóm Giữa", admitted="12/12/2012"),
]
NAMES = [row[0] for row in ROWS]
_TCVN3_OF = {letter: byte for byte, letter in TCVN3_TO_UNICODE.items()}


def tcvn3(text: str) -> str:
    """As typed with .VnTime (small letters) / .VnTimeH (capitals typed as small bytes)."""
    return "".join(_TCVN3_OF.get(c, _TCVN3_OF.get(c.lower(), c)) for c in text)


def vni(text: str) -> str:
    return "".join(UNICODE_TO_VNI.get(c, c) for c in text)


@pytest.fixture
def chapter(store):
    store.branches.add(name="Chi hội Thôn 3")
    store.units.add(name="Thôn 3")
    return store


def unicode_sheet(path: Path) -> Path:
    return chapter_member_sheet(path, ROWS)


def recoded(source: Path, target: Path, encode, *, columns=None) -> Path:
    """A copy of the workbook with its text cells (of ``columns``, 1-based) re-encoded."""
    wb = openpyxl.load_workbook(source)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and (columns is None or cell.column in columns):
                    cell.value = encode(cell.value)
    wb.save(target)
    return target


def text_rows(path: Path) -> list[list[str]]:
    """The cells as Excel saves them as text: merged ranges only in their first cell."""
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


def for_windows_1258(text: str) -> str:
    """Vietnamese as code page 1258 holds it: â ê ô ă ơ ư đ whole, tone marks combining."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if not unicodedata.combining(ch):
            out.append(ch)
        elif ch in "\u0302\u0306\u031b":  # a letter's own mark: into the base letter
            base = max(i for i, c in enumerate(out) if not unicodedata.combining(c))
            out[base] = unicodedata.normalize("NFC", out[base] + ch)
        else:
            out.append(ch)
    return "".join(out)


def records(store, path: Path, **kwargs) -> list[dict]:
    plan = plan_import(store, path, "members", today=TODAY, **kwargs)
    return [{**row.payload.cleaned, "outcome": row.outcome} for row in plan.rows]


def libreoffice(source: Path, fmt: str) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (libreoffice-calc-nogui) is needed to write .xls/.ods"
    profile = source.parent / "lo_profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(source.parent),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = source.with_suffix("." + fmt)
    assert converted.exists()
    return converted


def test_legacy_and_unicode_workbooks_import_to_identical_records(chapter, tmp_path):
    base = unicode_sheet(tmp_path / "unicode.xlsx")
    expected = records(chapter, base)
    assert [r["full_name"] for r in expected] == NAMES
    assert read_grid(base).conversions == []  # a Unicode sheet is never converted

    variants = {
        "tcvn3": recoded(base, tmp_path / "tcvn3.xlsx", tcvn3),
        "vni": recoded(base, tmp_path / "vni.xlsx", vni),
        "names only": recoded(base, tmp_path / "ten.xlsx", tcvn3, columns={2}),
    }
    for name, path in variants.items():
        assert records(chapter, path) == expected, name
    grid = read_grid(variants["tcvn3"])
    report = grid.legacy_summary()
    assert set(report) == {"tcvn3"} and report["tcvn3"]["cells"] > len(ROWS)
    assert "chuyển từ TCVN3" in grid.describe()
    # forced off: the garbage stays, and the header row is not found
    off = plan_import(chapter, variants["vni"], "members", today=TODAY, legacy="off")
    assert not any(r.payload.cleaned.get("full_name") in NAMES for r in off.rows)


def test_converted_names_are_found_by_search(chapter, tmp_path):
    path = recoded(unicode_sheet(tmp_path / "u.xlsx"), tmp_path / "tcvn3.xlsx", tcvn3)
    plan = plan_import(chapter, path, "members", today=TODAY)
    apply_import(chapter, plan)
    found = {p.full_name for p in chapter.people.list(Query(search="nguyen thi"))}
    assert found == {"Nguyễn Thị Ánh"}
    found = {p.full_name for p in chapter.people.list(Query(search="duong van hieu"))}
    assert found == {"Dương Văn Hiếu"}


def test_xls_and_ods_written_by_libreoffice_import_to_identical_records(chapter, tmp_path):
    base = unicode_sheet(tmp_path / "ds.xlsx")
    expected = records(chapter, base)
    for fmt in ("xls", "ods"):
        folder = tmp_path / fmt
        folder.mkdir()
        source = shutil.copy(base, folder / "ds.xlsx")
        converted = libreoffice(Path(source), fmt)
        grid = read_grid(converted)
        assert grid.format == fmt
        assert (3, 2, 3, 3) in grid.merged  # "Năm sinh" over Nam and Nữ
        assert records(chapter, converted) == expected, fmt


def test_windows_1258_csv_and_utf16_text_import_to_identical_records(chapter, tmp_path):
    base = unicode_sheet(tmp_path / "ds.xlsx")
    expected = records(chapter, base)
    rows = text_rows(base)

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    windows = tmp_path / "ds_1258.csv"
    windows.write_bytes(for_windows_1258(buffer.getvalue()).encode("cp1258"))
    grid = read_grid(windows)
    assert (grid.encoding, grid.delimiter) == ("cp1258", ";")
    assert records(chapter, windows) == expected

    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\r\n").writerows(rows)
    unicode_text = tmp_path / "ds_unicode.txt"
    unicode_text.write_bytes(buffer.getvalue().encode("utf-16"))  # with its BOM, as Excel
    grid = read_grid(unicode_text)
    assert (grid.format, grid.encoding, grid.delimiter) == ("txt", "utf-16", "\t")
    assert records(chapter, unicode_text) == expected

    utf8 = tmp_path / "ds_bom.csv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    utf8.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    assert read_grid(utf8).encoding == "utf-8-sig"
    assert records(chapter, utf8) == expected


def test_a_tcvn3_csv_in_the_windows_code_page_is_converted(chapter, tmp_path):
    base = unicode_sheet(tmp_path / "ds.xlsx")
    expected = records(chapter, base)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [[tcvn3(v) for v in row] for row in text_rows(base)]
    )
    path = tmp_path / "tcvn3.csv"
    path.write_bytes(buffer.getvalue().encode("latin-1"))
    assert read_grid(path).encoding == "latin-1"
    assert records(chapter, path) == expected


def test_read_sheets_reads_every_sheet_of_every_format(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Bìa"
    wb.active["A1"] = "DANH SÁCH"
    for name in ("Chi hội 1", "Chi hội 2"):
        wb.create_sheet(name).append(["Họ và tên", name])
    path = tmp_path / "nhieu.xlsx"
    wb.save(path)
    ods = libreoffice(path, "ods")
    for source in (path, ods):
        grids = read_sheets(source)
        assert [g.sheet_name for g in grids] == ["Bìa", "Chi hội 1", "Chi hội 2"]
        assert grids[2].rows == [["Họ và tên", "Chi hội 2"]]


def test_a_cell_set_in_vntimeh_is_read_as_capitals(tmp_path):
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([tcvn3("Họ và tên"), tcvn3("Ghi chú")])
    ws.append([tcvn3("nguyễn văn an"), tcvn3("hội viên")])  # typed small, drawn as capitals
    ws.append([tcvn3("Trần Thị Bình"), tcvn3("hội viên")])
    ws["A2"].font = Font(name=".VnTimeH")
    path = tmp_path / "vntimeh.xlsx"
    wb.save(path)
    grid = read_grid(path)
    assert [row[0] for row in grid.rows] == ["Họ và tên", "NGUYỄN VĂN AN", "Trần Thị Bình"]
    assert grid.rows[1][1] == "hội viên"  # .VnTime: stays small
