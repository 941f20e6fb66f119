"""Reading sheets as chapters keep them: header under title rows, merged two-row headers,
Vietnamese headers however written, CSV in UTF-8; and the builders the import tests share."""

from __future__ import annotations

import json
import unicodedata
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from chapter_app.errors import AppError
from chapter_app.services.importer import load_mapping, plan_import, save_mapping_file
from chapter_app.services.importer.fields import Matcher
from chapter_app.services.importer.layout import find_layout
from chapter_app.services.importer.reading import read_grid

TODAY = date(2026, 11, 23)

# --------------------------------------------------------------------------------------------
# Builders (used by the other import tests)
# --------------------------------------------------------------------------------------------

MEMBER_HEADER = [
    "STT",
    "Họ và tên",
    "Năm sinh",  # merged over two columns, "Nam" and "Nữ" under it
    None,
    "Số CCCD",
    "SĐT",
    "Địa chỉ",
    "Thôn",
    "Ngày vào Hội",
    "Ghi chú",
]


def member(
    name,
    *,
    male=None,
    female=None,
    cccd=None,
    phone=None,
    address=None,
    unit="Thôn 3",
    admitted=None,
    notes=None,
):
    """One data row of the member sheet (values exactly as the cells hold them)."""
    return [name, male, female, cccd, phone, address, unit, admitted, notes]


def chapter_member_sheet(
    path: Path,
    rows,
    *,
    title="DANH SÁCH HỘI VIÊN CHI HỘI THÔN 3",
    column_numbers=False,
    totals=True,
    merged=True,
) -> Path:
    """A member sheet as chapters keep it.

    Row 1 the chapter, row 2 the title, row 3 blank, rows 4-5 a two-row header ("Năm sinh"
    merged over "Nam" and "Nữ"; other headers merged down), optionally a row numbering the
    columns, then one row per member (STT numbered), a blank row, "Tổng cộng", and the
    signature lines.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Thôn 3"
    ws["A1"] = "HỘI CHỮ THẬP ĐỎ XÃ THỬ NGHIỆM"
    ws["A2"] = title
    if merged:
        ws.merge_cells("A1:D1")
        ws.merge_cells("A2:J2")
    for col, text in enumerate(MEMBER_HEADER, start=1):
        ws.cell(4, col, text)
    ws.cell(5, 3, "Nam")
    ws.cell(5, 4, "Nữ")
    if merged:
        ws.merge_cells("C4:D4")
        for letter in "ABEFGHIJ":
            ws.merge_cells(f"{letter}4:{letter}5")
    first = 6
    if column_numbers:
        for col in range(1, 11):
            ws.cell(6, col, f"({col})")
        first = 7
    for i, row in enumerate(rows):
        ws.cell(first + i, 1, i + 1)
        for col, value in enumerate(row, start=2):
            if value is not None:
                ws.cell(first + i, col, value)
    end = first + len(rows)
    if totals:
        ws.cell(end + 1, 1, "Tổng cộng")
        ws.cell(end + 1, 3, sum(1 for r in rows if r[1] is not None))
        ws.cell(end + 1, 4, sum(1 for r in rows if r[2] is not None))
        ws.cell(end + 3, 2, "NGƯỜI LẬP BIỂU")
        ws.cell(end + 3, 8, "CHỦ TỊCH")
        ws.cell(end + 6, 2, "Nguyễn Thị Lập")
        ws.cell(end + 6, 8, "Trần Văn Chủ")
    wb.save(path)
    return path


def simple_sheet(path: Path, header, rows, *, title_rows=()) -> Path:
    """A one-row header (after optional title rows) and rows of values."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in title_rows:
        ws.append([line])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


def test_header_is_found_under_title_rows_with_merged_two_row_header(tmp_path):
    path = chapter_member_sheet(tmp_path / "s.xlsx", [member("Nguyễn Văn An", male=1960)])
    grid = read_grid(path)
    layout = find_layout(grid, "members")
    assert layout.header_rows == (3, 4)  # rows 4 and 5 as Excel numbers them
    by_letter = {c.letter: (c.title, c.field) for c in layout.columns}
    assert by_letter["A"] == ("STT", "ignore")
    assert by_letter["B"] == ("Họ và tên", "full_name")
    assert by_letter["C"] == ("Năm sinh / Nam", "male")
    assert by_letter["D"] == ("Năm sinh / Nữ", "female")
    assert by_letter["E"][1] == "id_number"
    assert by_letter["F"][1] == "phone"
    assert by_letter["G"][1] == "address"
    assert by_letter["H"][1] == "unit"
    assert by_letter["I"][1] == "admitted_on"
    assert by_letter["J"][1] == "notes"
    assert layout.data_start == 5
    assert "DANH SÁCH HỘI VIÊN CHI HỘI THÔN 3" in layout.title_lines


def test_merged_cells_are_read_from_the_sheet_and_filled(tmp_path):
    path = chapter_member_sheet(tmp_path / "s.xlsx", [member("An", male=1960)])
    grid = read_grid(path)
    assert (3, 2, 3, 3) in grid.merged  # C4:D4
    assert grid.rows[3][2] == grid.rows[3][3] == "Năm sinh"
    assert grid.rows[4][1] == "Họ và tên"  # B4:B5 merged down


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Họ và tên", "full_name"),
        ("HỌ VÀ TÊN", "full_name"),
        ("Ho va ten", "full_name"),
        ("Họ tên", "full_name"),
        (nfd("Họ và tên"), "full_name"),
        ("Họ và tên hội viên", "full_name"),
        ("Năm sinh", "birth"),
        ("Ngày sinh", "birth"),
        ("Ngày, tháng, năm sinh", "birth"),
        ("Giới tính", "sex"),
        ("Nam", "male"),
        ("Nữ", "female"),
        ("Địa chỉ", "address"),
        ("Thôn", "unit"),
        ("Tổ dân phố", "unit"),
        ("Chi hội", "branch"),
        ("Ngày vào Hội", "admitted_on"),
        ("Ngày vào hội (dd/mm/yyyy)", "admitted_on"),
        ("Ngày kết nạp", "admitted_on"),
        ("Số CCCD", "id_number"),
        ("Số CMND/CCCD", "id_number"),
        ("SĐT", "phone"),
        ("Số điện thoại", "phone"),
        ("Điện thoại liên hệ", "phone"),
        ("Ghi chú", "notes"),
        ("STT", "ignore"),
        ("TT", "ignore"),
    ],
)
def test_vietnamese_headers_map_however_they_are_written(header, field):
    from chapter_app.services.importer.layout import _column_field

    assert _column_field(header, "", Matcher("members")) == field


def test_nam_under_nam_sinh_is_a_sex_column_but_nam_sinh_is_not(tmp_path):
    from chapter_app.services.importer.layout import _column_field

    matcher = Matcher("members")
    assert _column_field("Năm sinh", "Nam", matcher) == "male"
    assert _column_field("Năm sinh", "Nữ", matcher) == "female"
    assert _column_field("Năm", "", matcher) is None  # "Năm" (year) is not "Nam" (male)


def test_split_header_without_merge_information_still_pairs_nam_nu(tmp_path):
    path = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH HỘI VIÊN"])
    ws.append(["TT", "Họ tên", "Năm sinh", None, "Ngày kết nạp"])
    ws.append([None, None, "Nam", "Nữ", None])
    ws.append([1, "Lê Thị Hoa", None, 1971, "01/02/2003"])
    wb.save(path)
    layout = find_layout(read_grid(path), "members")
    assert [c.field for c in layout.columns] == [
        "ignore",
        "full_name",
        "male",
        "female",
        "admitted_on",
    ]
    assert layout.data_start == 3


def test_row_numbering_the_columns_under_the_header_is_skipped(tmp_path):
    path = chapter_member_sheet(
        tmp_path / "s.xlsx", [member("Nguyễn Văn An", male=1960)], column_numbers=True
    )
    layout = find_layout(read_grid(path), "members")
    assert layout.data_start == 6


def test_csv_in_utf8_with_bom_and_semicolons_is_read(tmp_path, store):
    store.branches.add(name="Chi hội Thôn 3")
    path = tmp_path / "ds.csv"
    text = (
        "Danh sách hội viên;;;\n"
        "STT;Họ và tên;Năm sinh;Chi hội;Ngày vào Hội;SĐT\n"
        f"1;{nfd('Nguyễn Thị Hằng')};1980;Chi hội Thôn 3;05/01/2020;912345678\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    plan = plan_import(store, path, "members", today=TODAY)
    assert plan.header_rows == (2,)
    assert [r.outcome.value for r in plan.rows] == ["ok"]
    assert plan.rows[0].payload.cleaned["full_name"] == "Nguyễn Thị Hằng"
    assert plan.rows[0].payload.cleaned["phone"] == "0912345678"


def test_damaged_xls_and_xlsx_files_are_refused_with_a_clear_message(tmp_path, store):
    old = tmp_path / "cu.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 not really")
    with pytest.raises(AppError, match="hỏng"):
        plan_import(store, old, "members", today=TODAY)
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(AppError, match="hỏng"):
        plan_import(store, broken, "members", today=TODAY)


def test_the_user_corrects_the_mapping_and_it_is_saved_and_reused(tmp_path, store):
    store.branches.add(name="Chi hội Thôn 3")
    path = simple_sheet(
        tmp_path / "s.xlsx",
        ["Họ và tên", "Năm sinh", "Liên lạc", "Ngày vào Hội", "Chi hội", "Ghi chú"],
        [["Vũ Văn Nam", 1970, "0912000111", "01/01/2020", "Chi hội Thôn 3", "bỏ qua cột này"]],
    )
    auto = plan_import(store, path, "members", today=TODAY)
    assert {c.title: c.field for c in auto.columns}["Liên lạc"] is None
    corrected = plan_import(store, path, "members", {"Liên lạc": "phone", "F": None}, today=TODAY)
    assert corrected.rows[0].payload.cleaned["phone"] == "0912000111"
    assert corrected.rows[0].payload.cleaned["notes"] is None
    saved = save_mapping_file(corrected, tmp_path / "ghep.json")
    assert json.loads(saved.read_text(encoding="utf-8"))["columns"]["Liên lạc"] == "phone"
    again = plan_import(store, path, "members", load_mapping(saved), today=TODAY)
    assert again.rows[0].payload.cleaned["phone"] == "0912000111"
    assert again.rows[0].payload.cleaned["notes"] is None
    store.exchange.mappings.save("members", "Sổ thôn 3", corrected.mapping())
    assert store.exchange.mappings.names("members") == ["Sổ thôn 3"]
    reused = plan_import(
        store, path, "members", store.exchange.mappings.get("members", "Sổ thôn 3"), today=TODAY
    )
    assert reused.rows[0].payload.cleaned["phone"] == "0912000111"


def test_a_mapping_to_an_unknown_field_is_refused(tmp_path, store):
    path = simple_sheet(tmp_path / "s.xlsx", ["Họ và tên", "Năm sinh"], [["An", 1970]])
    with pytest.raises(AppError, match="shoe_size"):
        plan_import(store, path, "members", {"B": "shoe_size"}, today=TODAY)


def test_a_sheet_without_a_recognisable_header_says_so(tmp_path, store):
    path = simple_sheet(tmp_path / "s.xlsx", ["a", "b"], [[1, 2], [3, 4]])
    plan = plan_import(store, path, "members", today=TODAY)
    assert plan.header_rows == ()
    assert any("Không tìm thấy dòng tiêu đề" in note for note in plan.notes)


def test_dates_are_read_as_serials_datetimes_text_and_bare_years():
    from chapter_app.services.importer.cells import to_birth as _to_birth
    from chapter_app.services.importer.cells import to_date as _to_date

    assert _to_date(43831, "admitted_on")[0] == date(2020, 1, 1)
    assert _to_date("43831", "admitted_on")[0] == date(2020, 1, 1)
    assert _to_date(datetime(2021, 5, 4, 0, 0), "admitted_on")[0] == date(2021, 5, 4)
    assert _to_date("05/01/2021", "admitted_on")[0] == "05/01/2021"  # validated later
    value, issues = _to_date(2015, "admitted_on")
    assert value == date(2015, 1, 1)
    assert issues[0].render() == "Chỉ có năm 2015; đã ghi ngày 01/01/2015."
    assert _to_birth(1960.0) == 1960
    assert _to_birth(21916) == date(1960, 1, 1)
