"""The quick .xlsx reader gives every cell the value openpyxl's read-only mode gives; a
workbook it does not expect is read with openpyxl; merged ranges come with the values."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from chapter_app.errors import AppError
from chapter_app.services.importer import xlsx
from chapter_app.services.importer.reading import read_grid, read_sheets


def openpyxl_rows(path: Path, sheet: str | None = None, *, reset: bool = False) -> list[list]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        worksheet = workbook[sheet] if sheet else workbook.active
        if reset:
            worksheet.reset_dimensions()
        return [list(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def ragged(rows: list[list]) -> list[list]:
    """Each row up to its last value (the declared size of a sheet is not trusted)."""
    trimmed = []
    for row in rows:
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        trimmed.append(row)
    return trimmed


def without_trailing_blanks(rows: list[list]) -> list[list]:
    trimmed = ragged(rows)
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed


def test_values_of_every_kind_are_read_as_openpyxl_reads_them(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Hội viên"
    rows = [
        ["STT", "Họ và tên", "Năm sinh", None, "Ngày vào Hội", "Số tiền", "Ghi chú"],
        [1, "Nguyễn Văn An", 1958, None, datetime(2020, 1, 5), 1_500_000, "  có khoảng trắng "],
        [2, "Tra\u0300n Thi\u0323 Bi\u0300nh", None, 1962, date(2021, 3, 1), 12.5, "a\nb"],
        [3, "", 51058001234, -7, 43831, 0.1 + 0.2, True],
        [None, None, None, None, None, None, False],
        [4, "=A1+1", 1e20, 2**40, time(7, 30), timedelta(hours=26), "#N/A"],
    ]
    for row in rows:
        ws.append(row)
    ws["E3"].number_format = "dd/mm/yyyy"
    ws["C4"].number_format = "0"
    ws["E4"].number_format = "d/m/yy"  # a serial shown as a date: read as a datetime
    ws["F6"].number_format = "[h]:mm:ss"
    ws["G6"].number_format = "@"
    ws.cell(9, 3, "sau hai dòng trống")  # rows 7-8 missing
    ws.cell(10, 12, "xa bên phải")  # wider than the rest
    ws["B11"] = CellRichText("Lê ", TextBlock(InlineFont(b=True), "Văn"), " Cường")
    ws.merge_cells("C1:D1")
    ws.merge_cells("A12:C13")
    ws["A12"] = "gộp"
    other = wb.create_sheet("Trang 2")
    other.append(["chỉ", "để", "đếm"])
    path = tmp_path / "moi_kieu.xlsx"
    wb.save(path)

    sheet = xlsx.read_sheet(path)
    assert sheet.title == "Hội viên" and sheet.sheet_names == ["Hội viên", "Trang 2"]
    assert sheet.rows == ragged(openpyxl_rows(path))  # rows end at their last cell
    assert sheet.rows[2][4] == datetime(2021, 3, 1) and sheet.rows[3][4] == datetime(2020, 1, 1)
    assert sheet.rows[10][1] == "Lê Văn Cường"
    assert sorted(sheet.merged) == [(0, 2, 0, 3), (11, 0, 12, 2)]
    second = xlsx.read_sheet(path, "Trang 2")
    assert second.rows == ragged(openpyxl_rows(path, "Trang 2")) == [["chỉ", "để", "đếm"]]


def test_the_active_sheet_is_read_when_none_is_named(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["trang đầu"])
    second = wb.create_sheet("Danh sách")
    second.append(["trang được chọn"])
    wb.active = 1
    path = tmp_path / "hai_trang.xlsx"
    wb.save(path)
    sheet = xlsx.read_sheet(path)
    assert sheet.title == "Danh sách" and sheet.rows == [["trang được chọn"]]
    with pytest.raises(xlsx.NoSuchSheet) as caught:
        xlsx.read_sheet(path, "Không có")
    assert caught.value.names == ["Sheet", "Danh sách"]
    with pytest.raises(AppError, match=r"Không có.*Sheet, Danh sách"):
        read_grid(path, sheet="Không có")


# A workbook as Excel writes it: shared strings (with formatted runs and phonetic guides),
# the cached results of formulas, errors, booleans, ISO dates, the 1904 calendar, a
# declared size smaller than the sheet, cells and rows without their references.
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<workbookPr date1904="1"/><bookViews><workbookView activeTab="0"/></bookViews>'
        '<sheets><sheet name="DS hội viên" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="/xl/worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{_MAIN}">'
        '<numFmts count="1"><numFmt numFmtId="165" formatCode="dd/mm/yyyy"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="46" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
    "xl/sharedStrings.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" count="6" uniqueCount="6">'
        "<si><t>Họ và tên</t></si>"
        '<si><t xml:space="preserve">  Nguyễn Văn An </t></si>'
        "<si><r><t>Trần </t></r><r><rPr><b/></rPr><t>Thị</t></r><r><t> Bình</t></r></si>"
        '<si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh></si>'
        "<si><t/></si>"
        "<si><t>a_x005F_x000D_b</t></si>"
        "</sst>"
    ),
    "xl/worksheets/sheet1.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
        '<dimension ref="A1"/><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="D1" t="s"><v>2</v></c></row>'
        '<row r="3" spans="1:4"><c r="A3" t="s"><v>3</v></c><c r="B3" t="s"><v>4</v></c>'
        '<c r="C3" t="s"><v>5</v></c><c r="D3" s="1"><v>43831</v></c></row>'
        '<row><c t="b"><v>1</v></c><c t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        '<c t="str"><f>A1&amp;"x"</f><v>Họ và tênx</v></c><c><f>2+2</f><v>4</v></c>'
        '<c s="2"><v>43831.75</v></c><c s="3"><v>1.5</v></c><c t="d"><v>2024-02-29T10:00:00</v>'
        '</c><c r="K4" s="2"/><c r="L4"><v>1.5E3</v></c></row>'
        '<row r="6"><c r="A6" t="inlineStr"><is><t>trên dòng</t></is></c>'
        '<c r="B6" t="str"><v></v></c><c r="C6"><f>A99</f></c></row>'
        "</sheetData>"
        '<mergeCells count="1"><mergeCell ref="A1:A2"/></mergeCells>'
        "</worksheet>"
    ),
}


def excel_like_workbook(path: Path, parts=None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (parts or _PARTS).items():
            archive.writestr(name, text)
    return path


def test_a_workbook_as_excel_writes_it_is_read_as_openpyxl_reads_it(tmp_path):
    path = excel_like_workbook(tmp_path / "excel.xlsx")
    sheet = xlsx.read_sheet(path)
    # openpyxl's read-only mode believes the declared size ("A1") and would drop every
    # other column; with the size worked out, it reads what this reader reads.
    assert without_trailing_blanks(sheet.rows) == without_trailing_blanks(
        openpyxl_rows(path, reset=True)
    )
    epoch_1904 = datetime(1904, 1, 1)
    assert sheet.rows[0] == ["Họ và tên", "  Nguyễn Văn An ", None, "Trần Thị Bình"]
    assert sheet.rows[1] == []  # the declared size ("A1") is not trusted
    assert sheet.rows[2] == ["漢字", "", "a_x000D_b", epoch_1904 + timedelta(days=43831)]
    assert sheet.rows[3] == [
        True,
        "#DIV/0!",
        "Họ và tênx",
        4,
        epoch_1904 + timedelta(days=43831, hours=18),
        timedelta(days=1, hours=12),
        datetime(2024, 2, 29, 10),
        None,
        None,
        None,
        None,
        1500.0,
    ]
    assert sheet.rows[5] == ["trên dòng", None, None]
    assert sheet.merged == [(0, 0, 1, 0)]


def test_a_sheet_whose_cells_have_no_references_is_streamed_with_the_same_values(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Năm sinh"])
    ws.append(["Nguyễn Văn An", 1958])
    ws.append(["Cộng", None])
    ws.merge_cells("A3:B3")
    path = tmp_path / "ds.xlsx"
    wb.save(path)
    with_refs = read_grid(path)  # python-calamine
    bare = tmp_path / "khong_tham_chieu.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(bare, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<c r="[A-Z]+[0-9]+"', b"<c", data)
            target.writestr(info, data)
    streamed = read_grid(bare)  # cells placed one after the other by the streaming reader
    assert (streamed.sheet_name, streamed.sheet_names, streamed.rows) == (
        with_refs.sheet_name,
        with_refs.sheet_names,
        with_refs.rows,
    )
    assert streamed.rows[2] == ["Cộng", "Cộng"]  # the merged range filled in
    assert streamed.merged == with_refs.merged == [(2, 0, 2, 1)]


@pytest.mark.parametrize(
    "damage",
    [
        {"xl/sharedStrings.xml": "<sst><si><t>không đóng thẻ"},
        {"xl/workbook.xml": _PARTS["xl/workbook.xml"].replace(_MAIN, "urn:strict")},
        {"_rels/.rels": _PARTS["_rels/.rels"].replace('officeDocument"', 'other"')},
    ],
)
def test_damaged_or_unknown_parts_are_not_read_here(tmp_path, damage):
    path = excel_like_workbook(tmp_path / "la.xlsx", {**_PARTS, **damage})
    with pytest.raises(xlsx.Unsupported):
        xlsx.read_sheet(path)


def test_files_that_are_not_workbooks_are_not_read_here(tmp_path):
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(xlsx.Unsupported):
        xlsx.read_sheet(broken)
    with pytest.raises(AppError, match="hỏng"):
        read_grid(broken)


def test_read_sheets_gives_every_sheet_with_its_name(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Bìa"
    wb.active.append(["Danh sách hội viên"])
    for name in ("Chi hội 1", "Chi hội 2"):
        wb.create_sheet(name).append(["Họ và tên", name])
    path = tmp_path / "nhieu_trang.xlsx"
    wb.save(path)
    grids = read_sheets(path)
    assert [g.sheet_name for g in grids] == ["Bìa", "Chi hội 1", "Chi hội 2"]
    assert grids[2].rows == [["Họ và tên", "Chi hội 2"]]
    assert all(g.sheet_names == ["Bìa", "Chi hội 1", "Chi hội 2"] for g in grids)
