"""The import preview on a register made by ``init`` alone: the sheet a chapter keeps, the
chi hội and thôn it names offered for creation, a value for a column the sheet lacks."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QListWidget, QPushButton

from chapter_app.services.importer import Outcome
from chapter_app.services.setup import init_database
from chapter_app.ui.main_window import MainWindow
from tests.services.chapter_sheets import BRANCHES, UNITS, member_register_sheet
from tests.ui.import_steps import import_through_preview, open_import_preview, press_import


@pytest.fixture
def blank_window(tmp_path, qapp, qtbot):
    store = init_database(tmp_path / "xa.db", chapter_name="Hội CTĐ xã Tịnh Kỳ", user="gui")
    window = MainWindow(
        store, ui_settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    yield window
    window.close()
    window.worker.wait_idle()
    store.close()


def _type(widget, text: str) -> None:
    widget.setFocus()
    for ch in text:
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.NoModifier, ch))
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyRelease, 0, Qt.NoModifier, ch))


def test_the_chapter_sheet_imports_through_the_preview_creating_its_chi_hoi_and_thon(
    qtbot, blank_window, tmp_path, monkeypatch
):
    store = blank_window.store
    sheet = member_register_sheet(tmp_path / "ds.xlsx")
    dialog = open_import_preview(qtbot, blank_window, sheet.path, monkeypatch)
    summary = dialog.summary.text()
    assert "Trang tính «DS hội viên»: dòng tiêu đề 6–7; 137 dòng" in summary
    assert dialog.sheet.currentText() == "DS hội viên"  # not the cover page
    assert dialog.side.isVisibleTo(dialog)  # it has chi hội and thôn to offer
    listed = dialog.findChild(QListWidget, "import_missing")
    names = {listed.item(i).text() for i in range(listed.count())}
    assert len(names) == len(BRANCHES | UNITS)
    assert all(any(n in text for text in names) for n in BRANCHES | UNITS)
    assert store.branches.list() == []  # nothing created by the preview

    # Untick one chi hội: its rows become errors; tick it again: they can go in.
    first = next(
        listed.item(i) for i in range(listed.count()) if "An Vĩnh" in listed.item(i).text()
    )
    first.setCheckState(Qt.CheckState.Unchecked)
    assert dialog.plan.count(Outcome.ERROR) == 46
    first.setCheckState(Qt.CheckState.Checked)
    assert dialog.plan.count(Outcome.ERROR) == 0

    told = press_import(qtbot, dialog, monkeypatch)
    assert dialog.result is not None and dialog.result.added == 137, told
    assert {b.name for b in store.branches.list()} == BRANCHES
    assert {u.name for u in store.units.list()} == UNITS
    assert len(store.members.list()) == 137
    assert "Đã tạo chi hội, thôn mới" in told[0]


def test_the_reusable_journey_steps_import_the_sheet(qtbot, blank_window, tmp_path, monkeypatch):
    sheet = member_register_sheet(tmp_path / "ds.xlsx", rows=20)
    dialog, told = import_through_preview(qtbot, blank_window, sheet.path, monkeypatch)
    assert dialog.result.added == 20, told
    assert len(blank_window.store.members.list()) == 20


def test_a_value_for_a_missing_required_column_is_given_once_in_the_preview(
    qtbot, blank_window, tmp_path, monkeypatch
):
    store = blank_window.store
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["STT", "Họ và tên", "Năm sinh", "Chi hội"])
    ws.append([1, "Nguyễn Văn An", 1970, "Chi hội Thôn 1"])
    ws.append([2, "Trần Thị Bình", 1975, "Chi hội Thôn 1"])
    path = tmp_path / "khong-ngay.xlsx"
    book.save(path)
    dialog = open_import_preview(qtbot, blank_window, path, monkeypatch)
    problems = dialog.table.item(0, 3).text()
    assert "Ngày vào Hội (tệp không có cột này): Chưa nhập ngày kết nạp." in problems
    edit = dialog.findChild(QLineEdit, "import_default_admitted_on")
    assert edit is not None and edit.isVisibleTo(dialog)
    _type(edit, "01/03/2020")
    qtbot.mouseClick(
        dialog.findChild(QPushButton, "import_apply_defaults"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: dialog.isEnabled() and "admitted_on" in dialog.plan.defaults)
    assert dialog.plan.count(Outcome.ERROR) == 0
    press_import(qtbot, dialog, monkeypatch)
    members = store.members.list()
    assert len(members) == 2 and {m.admitted_on for m in members} == {date(2020, 3, 1)}


def test_the_preview_fits_a_1366x768_screen_at_125_percent(qtbot, blank_window, tmp_path):
    from chapter_app.services.importer import plan_import
    from chapter_app.ui.dialogs.excel import ImportPreviewDialog

    sheet = member_register_sheet(tmp_path / "ds.xlsx", rows=30)
    plan = plan_import(blank_window.store, sheet.path, "members", create_missing=True)
    dialog = ImportPreviewDialog(blank_window.store, plan)
    qtbot.addWidget(dialog)
    dialog.show()
    frame = dialog.frameGeometry()
    assert frame.width() <= 1093 and frame.height() <= 614


def test_the_user_picks_another_sheet_or_all_of_them(qtbot, blank_window, tmp_path, monkeypatch):
    from tests.services.test_import_sheet_choice import per_branch_workbook

    path = per_branch_workbook(tmp_path / "ds.xlsx", titled=True)
    dialog = open_import_preview(qtbot, blank_window, path, monkeypatch)
    assert len(dialog.plan.sheets) == 3 and dialog.sheet.currentText() == "Tất cả các trang"
    dialog.sheet.setCurrentIndex(dialog.sheet.findText("Thôn 2"))
    qtbot.waitUntil(lambda: dialog.isEnabled() and len(dialog.plan.sheets) == 1)  # re-planned
    assert [p.name for p in dialog.plan.sheets] == ["Thôn 2"] and len(dialog.plan.rows) == 3
    assert "Trang tính «Thôn 2»" in dialog.summary.text()
    dialog.sheet.setCurrentIndex(dialog.sheet.findText("Tất cả các trang"))
    qtbot.waitUntil(lambda: dialog.isEnabled() and len(dialog.plan.sheets) == 3)
    assert len(dialog.plan.rows) == 9
    press_import(qtbot, dialog, monkeypatch)
    assert len(blank_window.store.members.list()) == 9
    assert len(blank_window.store.branches.list()) == 3


def test_legacy_conversion_is_shown_and_can_be_turned_off(
    qtbot, blank_window, tmp_path, monkeypatch
):
    blank_window.store.branches.add(name="Chi hội Thôn 1")
    book = openpyxl.Workbook()
    book.active.append(["STT", "Họ và tên", "Năm sinh", "Chi hội", "Ngày vào Hội"])
    legacy = "D\u00ad\u00acng V\u00a8n Hi\u00d5u"  # "Dương Văn Hiếu" typed in TCVN3 (ABC)
    book.active.append([1, legacy, 1970, "Chi hội Thôn 1", "01/02/2020"])
    path = tmp_path / "cu.xlsx"
    book.save(path)
    dialog = open_import_preview(qtbot, blank_window, path, monkeypatch)
    assert dialog.table.item(0, 2).text() == "Dương Văn Hiếu"
    assert "TCVN3" in dialog.summary.text()
    dialog.legacy.setCurrentIndex(dialog.legacy.findData("off"))
    qtbot.waitUntil(lambda: dialog.isEnabled() and dialog.plan.legacy == "off")
    assert dialog.table.item(0, 2).text() == legacy


def test_a_long_sheet_is_summed_up_with_its_problem_rows_shown_first(
    qtbot, blank_window, tmp_path, monkeypatch
):
    blank_window.store.branches.add(name="Chi hội Thôn 1")
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["STT", "Họ và tên", "Năm sinh", "Chi hội", "Ngày vào Hội"])
    for n in range(1, 1201):
        given = "".join(chr(0x61 + n // 26**k % 26) for k in range(3)).title()  # all different
        ws.append([n, f"Nguyễn Văn {given}", 1970, "Chi hội Thôn 1", "01/02/2020"])
    ws.cell(1201, 5, "31/02/2020")  # the last row: a day that does not exist
    path = tmp_path / "dai.xlsx"
    book.save(path)
    dialog = open_import_preview(qtbot, blank_window, path, monkeypatch)
    assert len(dialog.plan.rows) == 1200
    assert dialog.table.rowCount() == 1000
    assert "Bảng chỉ hiện 1000 trên 1200 dòng" in dialog.summary.text()
    last = dialog.table.rowCount() - 1
    assert dialog.table.item(last, 0).text() == "1201"
    assert "31/02/2020" in dialog.table.item(last, 3).text()
    assert dialog.table.item(0, 0).text() == "2"  # then the first rows, in sheet order
    # Nothing to create and no value to give: no empty side panel beside the rows.
    assert not dialog.side.isVisibleTo(dialog)
