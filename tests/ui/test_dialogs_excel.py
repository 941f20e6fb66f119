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


def test_export_from_the_members_page_keeps_only_the_rows_its_search_shows(
    qtbot, store, tmp_path, monkeypatch
):
    from openpyxl import load_workbook
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from chapter_app.services.records import save_member
    from chapter_app.ui.dialogs.excel import export_to_excel
    from chapter_app.ui.main_window import MainWindow

    branch = store.branches.add(name="Chi hội 1")
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        save_member(store, {"full_name": name, "branch": branch.id, "admitted_on": "01/02/2020"})
    window = MainWindow(
        store, ui_settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    page = window.show_page("members")
    page.model.set_query(search="tran thi")
    out = tmp_path / "loc.xlsx"
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: (a[3][0], True)))
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), ""))
    )
    told = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: told.append(a)))
    job = export_to_excel(window)  # written off the GUI thread, noted in the log by the GUI
    qtbot.waitUntil(lambda: bool(told), timeout=20000)
    assert not job.running
    cells = [c for row in load_workbook(out).active.iter_rows(values_only=True) for c in row]
    assert "Trần Thị Bình" in cells
    assert "Nguyễn Văn An" not in cells and "Lê Văn Cường" not in cells
    logged = store.db.execute("SELECT new_values FROM audit_log WHERE action = 'export'").fetchall()
    assert len(logged) == 1 and '"rows": 1' in logged[0][0]
    window.close()
    window.worker.wait_idle()


def test_an_import_is_read_off_the_gui_thread_then_previewed(qtbot, store, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from chapter_app.ui.dialogs.excel import import_from_excel
    from chapter_app.ui.main_window import MainWindow

    store.branches.add(name="Chi hội 1")
    path = tmp_path / "hoi-vien.xlsx"
    book = Workbook()
    book.active.append(["STT", "Họ và tên", "Năm sinh", "Chi hội", "Ngày vào Hội"])
    book.active.append([1, "Nguyễn Văn An", 1980, "Chi hội 1", "01/02/2020"])
    book.save(path)
    window = MainWindow(
        store, ui_settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: (a[3][0], True)))
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )
    job = import_from_excel(window)
    assert job is not None
    qtbot.waitUntil(lambda: getattr(window, "import_dialog", None) is not None, timeout=20000)
    dialog = window.import_dialog
    assert dialog.table.rowCount() == 1
    assert store.people.list() == []  # nothing written before "Nhập"
    dialog.close()
    window.close()
    window.worker.wait_idle()


def test_a_tcvn3_xls_imports_through_the_window_and_a_pdf_is_named(
    qtbot, store, tmp_path, monkeypatch
):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from chapter_app.ui.dialogs.excel import import_from_excel
    from chapter_app.ui.main_window import MainWindow
    from tests.services.test_import_formats import libreoffice, tcvn3

    told = []
    for name in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: told.append(a[2])))
    store.branches.add(name="Chi hội 1")
    book = Workbook()
    header = ("STT", "Họ và tên", "Năm sinh", "Chi hội", "Ngày vào Hội")
    book.active.append([tcvn3(t) for t in header])
    book.active.append([1, tcvn3("Dương Văn Hiếu"), 1980, tcvn3("Chi hội 1"), "01/02/2020"])
    book.active.append([2, tcvn3("Trần Thị Bình"), 1985, tcvn3("Chi hội 1"), "01/03/2020"])
    book.save(tmp_path / "tcvn3.xlsx")
    xls = libreoffice(tmp_path / "tcvn3.xlsx", "xls")  # Excel 97-2003, as on commune PCs

    window = MainWindow(
        store, ui_settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: (a[3][0], True)))
    offered = []

    def choose(*args, **kwargs):
        offered.append(args[3])
        return str(chosen), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(choose))
    chosen = xls
    import_from_excel(window)
    qtbot.waitUntil(lambda: getattr(window, "import_dialog", None) is not None, timeout=30000)
    assert all(f"*.{ext}" in offered[0] for ext in ("xlsx", "xls", "ods", "csv", "txt"))
    dialog = window.import_dialog
    names = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    assert any("Dương Văn Hiếu" in n for n in names) and any("Trần Thị Bình" in n for n in names)
    dialog.apply()
    assert dialog.result is not None and dialog.result.added == 2
    assert sorted(p.full_name for p in store.people.list()) == ["Dương Văn Hiếu", "Trần Thị Bình"]

    told.clear()
    chosen = tmp_path / "bao_cao.xlsx"
    chosen.write_bytes(b"%PDF-1.7 not a sheet")
    import_from_excel(window)
    qtbot.waitUntil(lambda: bool(told), timeout=30000)
    assert "tài liệu PDF" in told[0]
