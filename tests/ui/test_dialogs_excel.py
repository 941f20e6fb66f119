"""The Excel import preview: errors shown per row, nothing written until valid-only is ticked."""

from __future__ import annotations

from openpyxl import Workbook
from PySide6.QtWidgets import QMessageBox

from chapter_app.services.importer import plan_import
from chapter_app.ui.dialogs.excel import ImportPreviewDialog


def test_the_preview_shows_an_error_row_and_imports_only_when_valid_only(
    qtbot, store, tmp_path, monkeypatch
):
    shown = []
    for name in ("information", "warning"):
        monkeypatch.setattr(
            QMessageBox, name, staticmethod(lambda *a, _n=name, **k: shown.append(_n))
        )
    path = tmp_path / "hoi-vien.xlsx"
    book = Workbook()
    sheet = book.active
    store.branches.add(name="Chi hội 1")
    sheet.append(["STT", "Họ và tên", "Năm sinh", "Chi hội", "Ngày vào Hội"])
    sheet.append([1, "Nguyễn Văn An", 1980, "Chi hội 1", "01/02/2020"])
    sheet.append([2, "Trần Thị Bình", 1985, "Chi hội 1", "32/13/2020"])
    book.save(path)
    plan = plan_import(store, path, "members")
    dialog = ImportPreviewDialog(store, plan)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(plan.rows) == 2
    outcomes = [dialog.table.item(r, 1).text() for r in range(2)]
    assert "lỗi" in outcomes
    error_row = outcomes.index("lỗi")
    assert "Ô " in dialog.table.item(error_row, 3).text()

    dialog.apply()
    assert shown == ["warning"] and dialog.result is None
    assert store.people.list() == []

    dialog.valid_only.setChecked(True)
    dialog.apply()
    assert dialog.result is not None and dialog.result.added == 1
    assert [p.full_name for p in store.people.list()] == ["Nguyễn Văn An"]
