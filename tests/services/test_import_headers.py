"""Headers as chapters write them, and outcomes that name the field and the cell."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl

from chapter_app.cli import main
from chapter_app.services.importer import Outcome, apply_import, plan_import

TODAY = date(2026, 11, 20)


def sheet(path, rows):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_one_row_nam_sinh_nam_and_nam_sinh_nu_keep_both_columns_and_give_the_sex(store, tmp_path):
    store.branches.add(name="Chi hội Thôn 1")
    path = sheet(
        tmp_path / "ds.xlsx",
        [
            ["STT", "Họ và tên", "Năm sinh Nam", "Năm sinh Nữ", "Chi hội", "Ngày vào Hội"],
            [1, "Nguyễn Văn An", 1960, None, "Thôn 1", "01/02/2020"],
            [2, "Trần Thị Bình", None, 1972, "Thôn 1", "01/02/2020"],
        ],
    )
    plan = plan_import(store, path, "members", today=TODAY)
    assert [c.field for c in plan.columns][2:4] == ["male", "female"]
    assert not any("trùng nội dung" in n for n in plan.notes)
    assert plan.count(Outcome.OK) == 2
    apply_import(store, plan)
    people = {p.full_name: (p.sex, p.birth_year) for p in store.people.list()}
    assert people == {"Nguyễn Văn An": ("M", 1960), "Trần Thị Bình": ("F", 1972)}


def test_gioi_tinh_and_ngay_sinh_with_a_full_date_or_a_year(store, tmp_path):
    store.branches.add(name="Chi hội Thôn 1")
    path = sheet(
        tmp_path / "ds.xlsx",
        [
            ["TT", "Họ và tên", "Giới tính", "Ngày sinh", "Chi hội", "Ngày vào Hội"],
            [1, "Nguyễn Văn An", "Nam", datetime(1960, 5, 4), "Thôn 1", "01/02/2020"],
            [2, "Trần Thị Bình", "nữ", 1972, "Thôn 1", "01/02/2020"],
            [3, "Lê Thị Cúc", "Nữ", "12/03/1980", "Thôn 1", "01/02/2020"],
        ],
    )
    plan = plan_import(store, path, "members", today=TODAY)
    assert plan.count(Outcome.ERROR) == 0, plan.summary_lines()
    apply_import(store, plan)
    people = {p.full_name: (p.sex, p.birth_date, p.birth_year) for p in store.people.list()}
    assert people["Nguyễn Văn An"] == ("M", date(1960, 5, 4), 1960)
    assert people["Trần Thị Bình"] == ("F", None, 1972)
    assert people["Lê Thị Cúc"] == ("F", date(1980, 3, 12), 1980)


def test_a_joining_date_before_the_birth_is_an_error_on_that_cell(store, tmp_path):
    store.branches.add(name="Chi hội Thôn 1")
    path = sheet(
        tmp_path / "ds.xlsx",
        [
            ["STT", "Họ và tên", "Năm sinh", "Chi hội", "Ngày vào Hội"],
            [1, "Nguyễn Văn An", 1990, "Thôn 1", "01/02/1985"],
        ],
    )
    plan = plan_import(store, path, "members", today=TODAY)
    assert plan.rows[0].outcome is Outcome.ERROR
    assert "Ô E2 (Ngày vào Hội): Ngày 01/02/1985 sớm hơn ngày sinh (1990)." in (
        plan.rows[0].messages()
    )


def test_a_required_column_the_sheet_lacks_is_named_and_given_once_with_default(
    store, tmp_path, capsys
):
    from chapter_app.services.setup import init_database

    db = tmp_path / "x.db"
    init_database(db, chapter_name="Hội CTĐ xã Thử", user="cli").close()
    path = sheet(
        tmp_path / "dc.xlsx",
        [
            ["STT", "Họ tên chủ hộ", "Địa chỉ"],
            [1, "Nguyễn Văn Khó", "Xóm Trên"],
            [2, "Lê Thị Nghèo", "Xóm Dưới"],
        ],
    )
    code = main(["import", "addresses", str(path), "--db", str(db)])
    captured = capsys.readouterr()
    assert code == 1
    assert "Dòng 2, Ngày tiếp nhận (tệp không có cột này): Chưa nhập" in captured.out
    assert "--default opened_on=" in captured.err
    code = main(
        ["import", "addresses", str(path), "--db", str(db), "--default", "opened_on=01/03/2025"]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "thêm 2 địa chỉ nhân đạo" in out


def test_a_default_is_named_by_its_field_or_by_a_header_and_a_wrong_name_lists_fields(
    store, tmp_path
):
    import pytest

    from chapter_app.errors import AppError

    rows = [["STT", "Họ tên chủ hộ", "Địa chỉ"], [1, "Nguyễn Văn Khó", "Xóm Trên"]]
    path = sheet(tmp_path / "dc.xlsx", rows)
    plan = plan_import(store, path, "addresses", defaults={"Ngày tiếp nhận": "01/03/2025"})
    assert plan.defaults == {"opened_on": "01/03/2025"} and plan.count(Outcome.ERROR) == 0
    with pytest.raises(AppError) as caught:
        plan_import(store, path, "addresses", defaults={"ngay_sai": "1"})
    assert "opened_on (Ngày tiếp nhận)" in caught.value.message
