"""Journey: on a register made by init alone, the officer brings in last year's donation
log, records a drive with named donors through Hoạt động → Hiến máu → Thêm, and checks
the drive's figures, the call list for the next drive and the honours of the year."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from chapter_app.services.blood.honours import honour_candidates
from chapter_app.ui.forms import base, widgets
from chapter_app.ui.main_window import MainWindow
from chapter_app.ui.pages import donors
from tests.ui.import_steps import import_through_preview

TODAY = date(2026, 12, 31)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(widgets, "today", lambda: TODAY)
    monkeypatch.setattr(donors, "today", lambda: TODAY)
    monkeypatch.setattr(base, "ASK_BEFORE_DISCARD", False)


def _log(path):
    book = Workbook()
    sheet = book.active
    sheet.append(["SỔ THEO DÕI NGƯỜI HIẾN MÁU TÌNH NGUYỆN"])
    sheet.append(["STT", "Họ và tên", "Năm sinh", "Thôn", "Ngày hiến", "Thể tích", "Số lần hiến"])
    sheet.append([1, "Nguyễn Văn Chín", 1985, "Thôn Bắc", "", "", 9])  # nine before
    sheet.append([2, "Trần Thị Hai", 1995, "Thôn Bắc", "12/04/2026", 350, ""])
    sheet.append([3, "Lê Văn Ba", 2000, "Thôn Nam", "03/11/2026", 250, ""])
    book.save(path)


def test_drive_with_named_donors_from_a_blank_register(qtbot, store, tmp_path, monkeypatch):
    window = MainWindow(
        store, ui_settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.show()
    log = tmp_path / "so-hien-mau.xlsx"
    _log(log)
    _dialog, told = import_through_preview(qtbot, window, log, monkeypatch, kind="donations")
    assert store.donors.count() == 3, told

    page = window.show_page("activities")
    page.tabs.setCurrentIndex(0)  # Hiến máu: the drives
    people = {p.full_name: p.id for p in store.people.list()}

    def fill_drive(dialog):
        dialog.show()
        dialog.fields["held_on"].set_raw("20/12/2026")
        dialog.fields["partner"].set_raw("Bệnh viện tỉnh")
        picker = dialog.fields["named_donors"]
        picker.due_only.setChecked(True)  # Lê Văn Ba gave on 03/11: not offered
        offered = sorted(label.split(" (")[0] for _k, label in picker.model.rows)
        assert offered == ["Nguyễn Văn Chín", "Trần Thị Hai"]
        picker.tick([people["Nguyễn Văn Chín"], people["Trần Thị Hai"]])
        picker.volume.setCurrentIndex(picker.volume.findData(450))
        if not dialog.save() and dialog.warning_panel.isVisibleTo(dialog):
            dialog.confirm_button.click()
        return dialog.result()

    monkeypatch.setattr(QDialog, "exec", fill_drive)
    window.new_action.trigger()  # Ctrl+N on the drives tab

    drives = page.pages[0]
    qtbot.waitUntil(lambda: drives.model.rowCount() == 1)
    row = drives.model.row(0)
    assert (row["donors"], row["units"], row["units_450"], row["registered"]) == (2, 2, 2, 2)

    # The call list for a drive on 01/02/2027: only Lê Văn Ba (12 weeks after 03/11; the
    # two others gave on 20/12).
    page.tabs.setCurrentIndex(1)
    tab = page.current()
    tab.ensure_loaded()
    tab.due_filter.day.setDate(QDate(2027, 2, 1))
    qtbot.mouseClick(tab.due_filter.check, Qt.MouseButton.LeftButton)
    column = tab.model.column_of("full_name")
    assert [tab.model.data(tab.model.index(r, column)) for r in range(tab.model.rowCount())] == [
        "Lê Văn Ba"
    ]
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    assert tab.print_call_list(tmp_path / "goi.pdf").read_bytes().startswith(b"%PDF")
    # Nguyễn Văn Chín reached 10 donations with the drive: proposed for honours in 2026.
    assert [(c.name, c.threshold, c.donations) for c in honour_candidates(store, 2026)] == [
        ("Nguyễn Văn Chín", 10, 10)
    ]
    window.close()
