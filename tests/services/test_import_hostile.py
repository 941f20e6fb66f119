"""Small hostile or damaged files get a message naming the problem, never a traceback, a
MemoryError or a crash; files that are no sheet are named; no rows are lost quietly."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest

from chapter_app.errors import AppError
from chapter_app.services.importer import guard
from chapter_app.services.importer.reading import read_grid, read_sheets
from tests.services.test_import_formats import libreoffice


def small_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Năm sinh"])
    ws.append(["Nguyễn Văn An", 1958])
    wb.save(path)
    return path


def rewritten(source: Path, target: Path, edit) -> Path:
    """A copy of the workbook with ``edit(name, bytes) -> bytes`` applied to each part."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, edit(info.filename, old.read(info)))
    return target


def sheet_edit(change):
    return lambda name, data: change(data) if name.startswith("xl/worksheets/") else data


def test_a_2_kb_workbook_declaring_the_whole_grid_is_read_as_what_it_holds(tmp_path):
    path = rewritten(
        small_workbook(tmp_path / "s.xlsx"),
        tmp_path / "khai_lon.xlsx",
        sheet_edit(
            lambda d: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', d)
        ),
    )
    assert path.stat().st_size < 8000
    grid = read_grid(path)
    assert grid.rows == [["Họ và tên", "Năm sinh"], ["Nguyễn Văn An", 1958]]


@pytest.mark.parametrize("cell", ["XFD1048576", "A900000", "ZZ99999"])
def test_a_value_far_outside_the_table_is_refused_naming_the_limit(tmp_path, cell):
    far = f'<row r="{cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{cell}"><v>1</v></c></row>'
    path = rewritten(
        small_workbook(tmp_path / "s.xlsx"),
        tmp_path / "xa.xlsx",
        sheet_edit(lambda d: d.replace(b"</sheetData>", far.encode() + b"</sheetData>")),
    )
    with pytest.raises(AppError, match="giới hạn") as caught:
        read_grid(path)
    assert "xóa các dòng và cột thừa" in caught.value.message


def test_cells_without_references_in_a_long_row_are_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "MAX_COLUMNS", 100)
    monkeypatch.setattr("chapter_app.services.importer.xlsx.MAX_COLUMNS", 100)
    row = b'<row r="1">' + b"<c><v>1</v></c>" * 150 + b"</row>"
    path = rewritten(
        small_workbook(tmp_path / "s.xlsx"),
        tmp_path / "dai.xlsx",
        sheet_edit(
            lambda d: re.sub(
                rb"<sheetData>.*</sheetData>", b"<sheetData>" + row + b"</sheetData>", d, flags=re.S
            )
        ),
    )
    with pytest.raises(AppError, match="giới hạn 100 cột"):
        read_grid(path)


def test_broken_xml_and_truncated_files_get_a_message(tmp_path):
    source = small_workbook(tmp_path / "s.xlsx")
    broken = rewritten(source, tmp_path / "hong.xlsx", sheet_edit(lambda d: d[: len(d) // 2]))
    with pytest.raises(AppError, match="hỏng"):
        read_grid(broken)
    truncated = tmp_path / "cut.xlsx"
    truncated.write_bytes(source.read_bytes()[:1500])
    with pytest.raises(AppError, match="hỏng"):
        read_grid(truncated)


def test_rows_after_many_blank_rows_are_kept(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Họ và tên"])
    ws.append(["Trước"])
    ws.cell(800, 1, "Sau 797 dòng trống")
    path = tmp_path / "trong.xlsx"
    wb.save(path)
    grid = read_grid(path)
    assert len(grid.rows) == 800 and grid.rows[-1] == ["Sau 797 dòng trống"]
    csv_path = tmp_path / "trong.csv"
    csv_path.write_text("Họ và tên\nTrước\n" + "\n" * 700 + "Sau\n", encoding="utf-8")
    assert read_grid(csv_path).rows[-1] == ["Sau"]


def test_a_zip_bomb_is_refused_from_its_directory_before_inflating(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "MAX_UNCOMPRESSED", 2**20)
    path = rewritten(
        small_workbook(tmp_path / "s.xlsx"),
        tmp_path / "bom.xlsx",
        lambda name, data: data + b" " * (3 * 2**20) if name == "xl/styles.xml" else data,
    )
    assert path.stat().st_size < 64_000
    inflated = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile, "open", lambda *a, **k: inflated.append(a) or real_open(*a, **k)
    )
    with pytest.raises(AppError, match="giải nén ra 3 MB, quá giới hạn 1 MB"):
        read_grid(path)
    assert not inflated


def test_a_part_larger_than_its_directory_says_is_refused(tmp_path):
    path = small_workbook(tmp_path / "s.xlsx")
    data = bytearray(path.read_bytes())
    # lower the uncompressed size the central directory and local header give the sheet
    name = b"xl/worksheets/sheet1.xml"
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        for match in re.finditer(re.escape(signature), bytes(data)):
            header = match.start()
            name_at = header + (46 if signature == b"PK\x01\x02" else 30)
            if data[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", data, header + offset, 10)
    lying = tmp_path / "noi_doi.xlsx"
    lying.write_bytes(bytes(data))
    with pytest.raises(AppError, match="hỏng"):
        read_grid(lying)


def test_too_long_cells_and_too_many_rows_are_refused_naming_them(tmp_path, monkeypatch):
    wb = openpyxl.Workbook()
    wb.active.append(["Họ và tên", "Ghi chú"])
    wb.active.append(["An", "x" * guard.MAX_CELL_CHARS])  # openpyxl writes no longer cell
    wb.save(tmp_path / "s.xlsx")
    path = rewritten(  # one character more than Excel allows
        tmp_path / "s.xlsx",
        tmp_path / "dai.xlsx",
        lambda name, data: data.replace(b"xxx<", b"xxxx<") if name.startswith("xl/") else data,
    )
    with pytest.raises(AppError, match=r"ô B2 .* quá giới hạn 32,767"):
        read_grid(path)
    text = tmp_path / "dai.csv"
    text.write_text('Họ và tên,Ghi chú\nAn,"' + "x" * 40_000 + '"\n', encoding="utf-8")
    with pytest.raises(AppError, match="dòng 2 có ô dài hơn"):
        read_grid(text)
    monkeypatch.setattr("chapter_app.services.importer.textfile.MAX_ROWS", 50)
    many = tmp_path / "nhieu.csv"
    many.write_text("Họ và tên\n" + "An\n" * 60, encoding="utf-8")
    with pytest.raises(AppError, match="hơn 50 dòng"):
        read_grid(many)


def test_an_ods_repeating_a_value_over_the_whole_grid_is_refused(tmp_path):
    ods = libreoffice(small_workbook(tmp_path / "s.xlsx"), "ods")
    hostile = rewritten(
        ods,
        tmp_path / "lap.ods",
        lambda name, data: (
            re.sub(
                rb"<table:table-row([^>]*)>",
                rb'<table:table-row table:number-rows-repeated="1048576"\1>',
                data,
                count=1,
            ).replace(
                b"<table:table-cell ",
                b'<table:table-cell table:number-columns-repeated="16384" ',
                1,
            )
            if name == "content.xml"
            else data
        ),
    )
    with pytest.raises(AppError, match="giới hạn"):
        read_grid(hostile)


def test_an_xls_stating_huge_sizes_is_refused_before_calamine_reads_it(tmp_path):
    xls = libreoffice(small_workbook(tmp_path / "s.xlsx"), "xls")
    data = bytearray(xls.read_bytes())
    struct.pack_into("<I", data, 0x2C, 0x00ED0000)  # the number of sector-table sectors
    hostile = tmp_path / "lon.xls"
    hostile.write_bytes(bytes(data))
    with pytest.raises(AppError, match="hỏng"):
        read_grid(hostile)
    far = bytearray(xls.read_bytes())
    # move one cell record (LABELSST) of the sheet to row 60,000 and column 200
    at = far.find(struct.pack("<HH", 0x00FD, 10))
    assert at > 0
    struct.pack_into("<HH", far, at + 4, 59_999, 199)
    (tmp_path / "xa.xls").write_bytes(bytes(far))
    with pytest.raises(AppError, match="quá giới hạn 6,000,000 ô"):
        read_grid(tmp_path / "xa.xls")


@pytest.mark.parametrize(
    "content,what",
    [
        (b"%PDF-1.7\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n....", "ảnh PNG"),
        (b"<!DOCTYPE html><html><table><tr><td>1</td></tr></table>", "trang web"),
        (b"{\\rtf1\\ansi", "Word"),
    ],
)
def test_files_that_are_no_sheet_are_named(tmp_path, content, what):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(content)
    with pytest.raises(AppError, match=what):
        read_grid(path)


def test_zip_files_that_are_no_workbook_are_named(tmp_path):
    word = tmp_path / "van_ban.xlsx"
    with zipfile.ZipFile(word, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(AppError, match=r"văn bản Word \(\.docx\)"):
        read_grid(word)
    plain = tmp_path / "nen.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ds.xlsx", b"...")
    plain.write_bytes(buffer.getvalue())
    with pytest.raises(AppError, match=r"tệp nén zip.*giải nén"):
        read_grid(plain)
    empty = tmp_path / "rong.csv"
    empty.write_bytes(b"")
    with pytest.raises(AppError, match="rỗng"):
        read_grid(empty)


def test_all_sheets_read_together_share_one_cell_limit(tmp_path, monkeypatch):
    wb = openpyxl.Workbook()
    for n in range(3):
        ws = wb.active if n == 0 else wb.create_sheet(f"Trang {n}")
        for r in range(10):
            ws.append([f"ô {r}-{c}" for c in range(10)])  # 100 cells a sheet
    path = tmp_path / "ba_trang.xlsx"
    wb.save(path)
    monkeypatch.setattr("chapter_app.services.importer.workbook.MAX_CELLS", 250)
    assert len(read_grid(path).rows) == 10  # one sheet is within the limit
    with pytest.raises(AppError, match="các trang cộng lại có hơn 250 ô"):
        read_sheets(path)


@pytest.mark.parametrize(
    "attribute", ['count="9999999"', 'Count="9999999"', 'uniqueCount="9999999"']
)
def test_a_stated_count_larger_than_its_part_is_refused(tmp_path, attribute):
    source = small_workbook(tmp_path / "ok.xlsx")
    path = rewritten(
        source,
        tmp_path / "count.xlsx",
        sheet_edit(
            lambda data: data.replace(b"<sheetData>", f"<x {attribute}/><sheetData>".encode())
        ),
    )
    with pytest.raises(AppError, match="số mục 9,999,999 sai"):
        read_grid(path)


def test_a_large_number_in_another_attribute_is_no_count(tmp_path):
    source = small_workbook(tmp_path / "ok.xlsx")
    path = rewritten(
        source,
        tmp_path / "amount.xlsx",
        sheet_edit(lambda data: data.replace(b"<sheetData>", b'<x amount="9999999"/><sheetData>')),
    )
    assert read_grid(path).rows[1] == ["Nguyễn Văn An", 1958]
