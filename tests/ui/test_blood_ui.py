"""The blood donors in the window: the Người hiến máu tab and its filters, picking named
donors on a drive's form, donations on the person's page (real widgets)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from chapter_app.services.blood.eligibility import donors_due
from chapter_app.services.blood.honours import honour_candidates
from chapter_app.services.blood.records import ensure_donor, record_donation
from chapter_app.ui.forms import base, widgets
from chapter_app.ui.forms.activity_forms import BloodDriveDialog
from chapter_app.ui.forms.views import PersonView
from chapter_app.ui.pages import activities, donors
from chapter_app.ui.pages.activities import ActivitiesPage
from tests.ui.test_forms_distribution import focus, type_text

TODAY = date(2026, 12, 31)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(widgets, "today", lambda: TODAY)
    monkeypatch.setattr(donors, "today", lambda: TODAY)
    monkeypatch.setattr(base, "ASK_BEFORE_DISCARD", False)


@pytest.fixture
def register(store):
    unit = store.units.add(name="Thôn Phú Thọ").id

    def person(name, year):
        return store.people.add(full_name=name, birth_year=year, unit_id=unit).id

    recent = person("Nguyễn Văn Gần", 1990)  # gave on 15/10: not due on 20/12
    due = person("Trần Thị Đủ", 1992)  # gave in June: due
    five = person("Phạm Văn Năm", 1985)  # 4 before the register + 1 this year: 5
    ensure_donor(store, five, prior_donations=4, prior_last_on=date(2024, 5, 1))
    for pid, day in (
        (recent, date(2026, 10, 15)),
        (due, date(2026, 6, 1)),
        (five, date(2026, 3, 1)),
    ):
        record_donation(store, person_id=pid, donated_on=day, volume_ml=350, today=TODAY)
    person("Lê Thị Chưa Hiến", 1995)  # in the register, never gave
    return {"recent": recent, "due": due, "five": five}


def names(tab) -> list[str]:
    column = tab.model.column_of("full_name")
    return [tab.model.data(tab.model.index(r, column)) for r in range(tab.model.rowCount())]


def donors_tab(qtbot, store):
    page = ActivitiesPage(store, None)
    qtbot.addWidget(page)
    page.resize(1093, 614)
    page.show()
    qtbot.waitExposed(page)
    index = next(i for i, t in enumerate(page.pages) if isinstance(t, donors.DonorsTab))
    page.tabs.setCurrentIndex(index)
    tab = page.pages[index]
    tab.ensure_loaded()
    return tab


def test_donors_tab_filters_by_who_may_give_and_by_threshold(qtbot, store, register):
    tab = donors_tab(qtbot, store)
    assert sorted(names(tab)) == ["Nguyễn Văn Gần", "Phạm Văn Năm", "Trần Thị Đủ"]
    totals = dict(zip(names(tab), (tab.model.row(r)["total"] for r in range(3)), strict=True))
    assert totals["Phạm Văn Năm"] == 5
    tab.due_filter.day.setDate(QDate(2026, 12, 20))
    qtbot.mouseClick(tab.due_filter.check, Qt.LeftButton)
    assert sorted(names(tab)) == ["Phạm Văn Năm", "Trần Thị Đủ"]
    tab.threshold_filter.set_value(5)
    assert names(tab) == ["Phạm Văn Năm"]
    tab.threshold_filter.set_value(None)
    focus(qtbot, tab.search_box)
    type_text("Đủ")
    tab.apply_search()
    assert names(tab) == ["Trần Thị Đủ"]


def test_call_list_and_honours_print_from_the_tab(qtbot, store, register, tmp_path):
    tab = donors_tab(qtbot, store)
    tab.due_filter.day.setDate(QDate(2026, 12, 20))
    assert tab.print_call_list(tmp_path / "goi.pdf").read_bytes().startswith(b"%PDF")
    assert tab.print_honours(tmp_path / "ton-vinh.pdf").read_bytes().startswith(b"%PDF")
    assert tab.export_call_list(tmp_path / "goi.xlsx").stat().st_size > 0


def test_drive_form_picks_named_donors_and_the_drive_counts_them(qtbot, store, register):
    dialog = BloodDriveDialog(store)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    dialog.fields["held_on"].set_raw("20/12/2026")
    focus(qtbot, dialog.fields["partner"].editor)
    type_text("Bệnh viện tỉnh")
    picker = dialog.fields["named_donors"]
    qtbot.mouseClick(picker.due_only, Qt.LeftButton)  # only who may give on 20/12
    assert sorted(label.split(" (")[0] for _k, label in picker.model.rows) == [
        "Phạm Văn Năm",
        "Trần Thị Đủ",
    ]
    picker.tick([register["five"], register["due"]])
    qtbot.mouseClick(picker.due_only, Qt.LeftButton)  # everyone: a first-time donor too
    focus(qtbot, picker.search)
    type_text("chua hien")
    picker.refresh()
    assert [label.split(" (")[0] for _k, label in picker.model.rows] == ["Lê Thị Chưa Hiến"]
    picker.model.set_all_shown(True)
    picker.volume.setCurrentIndex(picker.volume.findData(450))
    assert dialog.save() is True

    drive = store.blood_drives.list()[0]
    rows = store.donations.rows(filters={"drive_id": drive.id})
    assert sorted((r["full_name"], r["volume_ml"]) for r in rows) == [
        ("Lê Thị Chưa Hiến", 450),
        ("Phạm Văn Năm", 450),
        ("Trần Thị Đủ", 450),
    ]
    page = ActivitiesPage(store, None)
    qtbot.addWidget(page)
    tab = page.pages[0]
    assert isinstance(tab, activities.BloodDrivesTab)
    tab.ensure_loaded()
    row = tab.model.row(0)
    assert (row["donors"], row["units"], row["units_450"], row["volume_ml"]) == (3, 3, 3, 1350)
    # those who gave on 20/12 are not on the next call list; the one of 15/10 is
    assert [d.name for d in donors_due(store, date(2027, 1, 10))] == ["Nguyễn Văn Gần"]


def test_person_page_lists_the_donations(qtbot, store, register):
    view = PersonView(store, register["five"])
    qtbot.addWidget(view)
    assert view.donations_table.rowCount() == 1
    assert view.donor_line.text() == "Tổng số lần hiến: 5"
    assert view.role_line == "Người hiến máu"


def test_editing_a_drive_shows_its_donors_and_unticking_removes_a_donation(qtbot, store, register):
    drive = store.blood_drives.add(held_on=date(2026, 12, 20), donors=40, units=40)
    from chapter_app.services.blood.records import DriveDonor, set_drive_donors

    set_drive_donors(
        store, drive.id, [DriveDonor(register["five"]), DriveDonor(register["due"])], today=TODAY
    )
    dialog = BloodDriveDialog(store, record_id=drive.id)
    qtbot.addWidget(dialog)
    picker = dialog.fields["named_donors"]
    assert sorted(picker.raw()["people"]) == sorted([register["five"], register["due"]])
    row = next(r for r, (key, _l) in enumerate(picker.model.rows) if key[1] == register["due"])
    picker.model.setData(picker.model.index(row), Qt.Unchecked, Qt.CheckStateRole)
    assert dialog.save() is True
    assert [r["person_id"] for r in store.donations.rows(filters={"drive_id": drive.id})] == [
        register["five"]
    ]


def test_a_donation_log_is_imported_from_the_window(qtbot, store, tmp_path, monkeypatch):
    from openpyxl import Workbook
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

    from chapter_app.ui.dialogs.excel import import_from_excel
    from chapter_app.ui.main_window import MainWindow

    path = tmp_path / "so-hien-mau.xlsx"
    book = Workbook()
    book.active.append(["Họ và tên", "Năm sinh", "Thôn", "Nhóm máu", "Ngày hiến", "Thể tích"])
    book.active.append(["Đỗ Văn Mới", 1999, "Thôn Mới", "O+", "01/03/2026", 350])
    book.active.append(["Đỗ Văn Mới", 1999, "Thôn Mới", "O+", "01/07/2026", "450 ml"])
    book.save(path)
    window = MainWindow(
        store, ui_settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    chosen = []

    def pick(*args, **kwargs):
        chosen.append(args[3])
        return next(label for label in args[3] if label == "Sổ hiến máu"), True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(pick))
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: None))
    assert import_from_excel(window) is not None
    qtbot.waitUntil(lambda: getattr(window, "import_dialog", None) is not None, timeout=20000)
    dialog = window.import_dialog
    assert dialog.table.rowCount() == 2
    dialog.apply()
    assert dialog.result is not None and dialog.result.added == 2
    person = store.people.list()[0]
    assert (person.full_name, store.units.get(person.unit_id).name) == ("Đỗ Văn Mới", "Thôn Mới")
    assert store.blood.total_of(store.donors.for_person_id(person.id).id, TODAY) == 2
    window.close()
    window.worker.wait_idle()


def test_blood_rules_are_settings_edited_in_the_settings_tab(qtbot, store, register):
    from chapter_app.ui.settings_dialog import SettingsPanel

    panel = SettingsPanel(store)
    qtbot.addWidget(panel)
    panel.chapter_name.setText("Hội CTĐ xã Thử")
    assert panel.blood.thresholds.text() == "5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 100"
    panel.blood.whole_weeks.setValue(30)  # the donor of 01/06 is then not due on 20/12
    panel.blood.thresholds.setText("4; 9")
    panel.blood.population.setText("1.250")
    assert panel.save() is True
    assert store.settings.get("blood_honour_thresholds") == [4, 9]
    assert store.settings.get("population") == 1250
    assert sorted(d.name for d in donors_due(store, date(2026, 12, 20))) == ["Phạm Văn Năm"]
    panel.blood.thresholds.setText("năm, mười")
    assert panel.save() is False and panel.blood.error.isVisibleTo(panel)


def test_a_donation_is_recorded_from_the_person_page(qtbot, store, register, monkeypatch):
    from PySide6.QtWidgets import QDialog

    view = PersonView(store, register["five"])
    qtbot.addWidget(view)

    def fill(dialog):
        with qtbot.waitActive(dialog):
            dialog.show()
            dialog.activateWindow()
        dialog.fields["donated_on"].set_raw("10/12/2026")
        dialog.fields["volume_ml"].set_raw(450)
        focus(qtbot, dialog.fields["place"].editor)
        type_text("Bệnh viện tỉnh")
        assert dialog.save() is True
        return dialog.result()

    monkeypatch.setattr(QDialog, "exec", fill)
    qtbot.mouseClick(view.add_donation_button, Qt.LeftButton)
    assert view.donations_table.rowCount() == 2
    assert view.donor_line.text() == "Tổng số lần hiến: 6"
    last = store.donations.list(order_by="donated_on")[-1]
    assert (last.donated_on, last.volume_ml, last.place) == (
        date(2026, 12, 10),
        450,
        "Bệnh viện tỉnh",
    )


def test_donation_in_the_future_is_shown_at_the_date_field(qtbot, store, register):
    from chapter_app.ui.forms.donation_form import DonationDialog

    dialog = DonationDialog(store, register["due"])
    qtbot.addWidget(dialog)
    dialog.fields["donated_on"].set_raw("02/01/2027")
    assert dialog.save() is False
    assert "chưa đến" in dialog.fields["donated_on"].message_text()
    assert store.donations.count(filters={"donor_id": 2}) == 1


def test_honours_are_recorded_as_given_from_the_tab(qtbot, store, register, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    tab = donors_tab(qtbot, store)
    asked = []

    def answer(*args, **kwargs):
        asked.append(args[2])
        return "15/QĐ-CTĐ", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(answer))
    assert tab.record_honours() == 1
    assert asked and asked[0].startswith("1 người đạt mốc năm 2026")
    honour = store.honours.list()[0]
    assert (honour.threshold, honour.decision_no, honour.given_on) == (5, "15/QĐ-CTĐ", TODAY)
    assert honour_candidates(store, 2026) == []  # given: not proposed again
