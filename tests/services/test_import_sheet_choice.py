"""Which sheets an import reads: the best header, a sheet named by the user (no tones
needed), or every sheet of a workbook that keeps one sheet per chi hội."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from chapter_app.cli import main
from chapter_app.errors import AppError
from chapter_app.services.importer import apply_import, plan_import
from tests.services.chapter_sheets import member_register_sheet

HEADER = ["STT", "Họ và tên", "Năm sinh", "Ngày vào Hội"]


def per_branch_workbook(path: Path, *, titled: bool) -> Path:
    """Three sheets, one per chi hội, no chi hội column; the chi hội in the title row (or
    only in the sheet's name)."""
    wb = openpyxl.Workbook()
    wb.active.title = "Bìa"
    wb.active["A1"] = "SỔ HỘI VIÊN NĂM 2026"
    for n in (1, 2, 3):
        ws = wb.create_sheet(f"Thôn {n}")
        ws["A1"] = f"DANH SÁCH HỘI VIÊN CHI HỘI THÔN {n} NĂM 2026" if titled else "DANH SÁCH"
        ws.append([])
        ws.append(HEADER)
        for i in range(n + 1):
            family = ["Lê", "Trần", "Phạm"][n - 1]
            given = ["An", "Bình", "Cường", "Dũng"][i]
            ws.append([i + 1, f"{family} Văn {given}", 1960 + i, "01/02/2020"])
    wb.save(path)
    return path


def test_a_workbook_with_one_sheet_per_chi_hoi_imports_every_sheet(store, tmp_path):
    path = per_branch_workbook(tmp_path / "ds.xlsx", titled=True)
    plan = plan_import(store, path, "members", create_missing=True)
    assert [p.name for p in plan.sheets] == ["Thôn 1", "Thôn 2", "Thôn 3"]
    assert [p.branch for p in plan.sheets] == ["Chi hội Thôn 1", "Chi hội Thôn 2", "Chi hội Thôn 3"]
    assert len(plan.rows) == 2 + 3 + 4
    assert plan.rows[2].sheet == "Thôn 2" and plan.rows[2].row == 4
    summary = "\n".join(plan.summary_lines())
    assert (
        "Trang tính «Thôn 2»: dòng tiêu đề 3; 3 dòng hội viên; chi hội: Chi hội Thôn 2." in summary
    )
    apply_import(store, plan)
    branch_of = {b.id: b.name for b in store.branches.list()}
    counts: dict[str, int] = {}
    for m in store.members.list():
        counts[branch_of[m.branch_id]] = counts.get(branch_of[m.branch_id], 0) + 1
    assert counts == {"Chi hội Thôn 1": 2, "Chi hội Thôn 2": 3, "Chi hội Thôn 3": 4}


def test_without_a_title_the_chi_hoi_is_the_sheet_name(store, tmp_path):
    path = per_branch_workbook(tmp_path / "ds.xlsx", titled=False)
    plan = plan_import(store, path, "members")
    assert {m.name for m in plan.missing} == {"Chi hội Thôn 1", "Chi hội Thôn 2", "Chi hội Thôn 3"}
    message = plan.rows[0].messages()[0]
    assert message.startswith("Trang «Thôn 1», dòng 4, Chi hội (tệp không có cột này): Chưa có")


def test_the_best_header_is_chosen_over_a_cover_page_and_named(store, tmp_path):
    sheet = member_register_sheet(tmp_path / "ds.xlsx", rows=5)
    plan = plan_import(store, sheet.path, "members")
    assert plan.sheet_name == "DS hội viên" and plan.sheet_names == ["Hướng dẫn", "DS hội viên"]
    assert "Trang tính «DS hội viên»" in "\n".join(plan.summary_lines())


def test_a_sheet_is_named_without_tones_and_a_wrong_name_lists_the_sheets(store, tmp_path):
    path = per_branch_workbook(tmp_path / "ds.xlsx", titled=True)
    plan = plan_import(store, path, "members", sheet="thon 2")
    assert [p.name for p in plan.sheets] == ["Thôn 2"] and len(plan.rows) == 3
    with pytest.raises(AppError) as caught:
        plan_import(store, path, "members", sheet="Thôn 9")
    assert "Bìa, Thôn 1, Thôn 2, Thôn 3" in caught.value.message


def test_cli_sheet_all_imports_every_sheet(db_path, tmp_path, capsys):
    from chapter_app.services.setup import init_database

    db = tmp_path / "cli.db"
    init_database(db, chapter_name="Hội CTĐ xã Thử", user="cli").close()
    path = per_branch_workbook(tmp_path / "ds.xlsx", titled=True)
    code = main(
        ["import", "members", str(path), "--db", str(db), "--sheet", "all", "--create-missing"]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "thêm 9 hội viên" in out
    assert "Đã tạo chi hội, thôn mới: Chi hội Thôn 1; Chi hội Thôn 2; Chi hội Thôn 3." in out


def test_a_chi_hoi_to_create_is_not_asked_as_a_value_for_all_rows(store, tmp_path):
    path = per_branch_workbook(tmp_path / "ds.xlsx", titled=True)
    assert plan_import(store, path, "members").missing_fields == []
    one = per_branch_workbook(tmp_path / "mot.xlsx", titled=False)
    plan = plan_import(store, one, "members", sheet="Thôn 1")  # one sheet: no chi hội at all
    assert plan.missing_fields == ["branch"]


def test_sheets_named_by_year_are_not_taken_for_chi_hoi(store, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "2024"
    for name in ("2024", "2025"):
        ws = wb[name] if name in wb.sheetnames else wb.create_sheet(name)
        ws.append(HEADER)  # no chi hội column, no title: the names alone must not decide
        ws.append([1, "Lê Văn An", 1960, "01/02/2020"])
    path = tmp_path / "nam.xlsx"
    wb.save(path)
    plan = plan_import(store, path, "members")
    assert [p.name for p in plan.sheets] == ["2024"]
    assert any("Các trang khác cũng có danh sách: 2025" in n for n in plan.notes)
