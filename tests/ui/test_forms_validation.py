"""Validation in the forms: messages at the field as typed, nothing saved while errors
remain, warnings shown and saved only after "Vẫn lưu"."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from chapter_app.services.records import save_member
from chapter_app.ui.forms.activity_forms import BloodDriveDialog
from chapter_app.ui.forms.aid_form import AidDialog
from chapter_app.ui.forms.member_form import MemberDialog
from chapter_app.ui.forms.widgets import MoneyField
from tests.ui.journey import focus, open_dialog, type_text

TODAY = date(2026, 11, 23)


pytestmark = pytest.mark.usefixtures("form_clock")


@pytest.fixture
def branch(store):
    return store.branches.add(name="Chi hội Thôn Phú Thọ")


def counts(db_path) -> tuple[int, ...]:
    """Rows in the register, read through a second connection."""
    conn = sqlite3.connect(db_path)
    try:
        return tuple(
            conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("people", "members", "member_status", "audit_log")
        )
    finally:
        conn.close()


def fill_member(qtbot, dialog, branch, *, name="Nguyễn Văn Hùng", birth="1980"):
    focus(qtbot, dialog.fields["full_name"].editor)
    type_text(name)
    dialog.fields["birth"].set_raw(birth)
    dialog.fields["branch"].set_raw(branch.id)
    dialog.fields["admitted_on"].set_raw("05/01/2026")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12ab", "Số định danh chỉ được gồm chữ số."),
        (
            "0123456789",
            "Số định danh phải có 12 chữ số (hoặc 9 chữ số nếu là CMND cũ); "
            "số đã nhập có 10 chữ số.",
        ),
    ],
)
def test_a_bad_id_number_is_shown_at_its_field_and_nothing_is_saved(
    qtbot, store, branch, db_path, typed, expected
):
    dialog = open_dialog(qtbot, MemberDialog(store))
    fill_member(qtbot, dialog, branch)
    id_field = dialog.fields["id_number"]
    focus(qtbot, id_field.editor)
    type_text(typed)
    before = counts(db_path)
    undo_before = store.undo_label

    qtbot.keyClick(id_field.editor, Qt.Key_Return)

    assert dialog.isVisible() and dialog.saved_count == 0
    assert id_field.message_text() == expected
    assert id_field.editor.property("severity") == "error"
    assert id_field.editor.toolTip() == expected
    assert QApplication.focusWidget() is id_field.editor
    assert "còn 1 lỗi" in dialog.banner.text()
    assert counts(db_path) == before
    assert store.undo_label == undo_before  # the check left nothing on the undo stack either


def test_the_id_message_appears_while_typing_and_goes_when_fixed(qtbot, store, branch):
    dialog = open_dialog(qtbot, MemberDialog(store))
    id_field = dialog.fields["id_number"]
    focus(qtbot, id_field.editor)
    type_text("05118501234x")
    qtbot.waitUntil(lambda: id_field.message_text() != "")  # after the pause
    assert id_field.has_error
    qtbot.keyClick(id_field.editor, Qt.Key_Backspace)
    type_text("5")
    assert id_field.message_text() == ""  # cleared at once, no pause
    assert id_field.editor.property("severity") == ""


def test_the_id_number_is_cross_checked_with_sex_and_birth_year(qtbot, store, branch):
    dialog = open_dialog(qtbot, MemberDialog(store))
    id_field = dialog.fields["id_number"]
    focus(qtbot, id_field.editor)
    type_text("051085012345")  # a man born 1985
    assert id_field.message_text() == ""
    dialog.fields["sex"].set_raw("F")
    dialog.fields["sex"].changed.emit()
    assert "giới tính nam" in id_field.message_text()
    assert id_field.editor.property("severity") == "warning"
    focus(qtbot, dialog.fields["birth"].editor)
    type_text("1990")
    assert "năm sinh 1985" in id_field.message_text()


def test_a_day_that_does_not_exist_is_named_at_the_date_field(qtbot, store, branch, db_path):
    dialog = open_dialog(qtbot, MemberDialog(store))
    fill_member(qtbot, dialog, branch)
    admitted = dialog.fields["admitted_on"]
    admitted.reset()
    focus(qtbot, admitted.editor)
    type_text("31/02/2026")
    qtbot.keyClick(admitted.editor, Qt.Key_Tab)  # leaving the field shows it at once
    assert admitted.message_text() == "Ngày 31/02/2026 không tồn tại."
    before = counts(db_path)
    assert dialog.save() is False
    assert admitted.message_text() == "Ngày 31/02/2026 không tồn tại."
    assert counts(db_path) == before


def test_dates_are_typed_day_first_in_full_or_picked(qtbot, store, branch):
    dialog = open_dialog(qtbot, MemberDialog(store))
    admitted = dialog.fields["admitted_on"]
    focus(qtbot, admitted.editor)
    type_text("5/1/2026")
    qtbot.keyClick(admitted.editor, Qt.Key_Tab)
    assert admitted.raw() == "05/01/2026" and admitted.value() == date(2026, 1, 5)
    admitted.reset()
    focus(qtbot, admitted.editor)
    type_text("05012026")
    qtbot.keyClick(admitted.editor, Qt.Key_Tab)
    assert admitted.raw() == "05/01/2026"
    admitted.reset()
    focus(qtbot, admitted.editor)
    type_text("05/01/26")
    qtbot.keyClick(admitted.editor, Qt.Key_Tab)
    assert "4 chữ số" in admitted.message_text()
    admitted.open_calendar()  # F4 does the same
    popup = admitted._popup
    popup.calendar.setSelectedDate(popup.calendar.selectedDate().addDays(-3))
    popup.calendar.activated.emit(popup.calendar.selectedDate())
    assert admitted.value() == date(2026, 11, 20)
    assert admitted.message_text() == ""


def test_a_birth_year_alone_is_accepted(qtbot, store, branch, db_path):
    dialog = open_dialog(qtbot, MemberDialog(store))
    fill_member(qtbot, dialog, branch, birth="")
    focus(qtbot, dialog.fields["birth"].editor)
    type_text("1956")
    assert dialog.save() is True
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT birth_date, birth_year FROM people").fetchall() == [(None, 1956)]
    conn.close()


def test_money_is_typed_with_live_thousands_separators_beyond_32_bits(qtbot):
    field = MoneyField("cash_value")
    qtbot.addWidget(field)
    field.show()
    focus(qtbot, field.editor)
    type_text("1500000")
    assert field.editor.text() == "1.500.000"
    assert field.amount() == 1_500_000
    field.reset()
    focus(qtbot, field.editor)
    type_text("1.500.000")
    assert field.editor.text() == "1.500.000" and field.amount() == 1_500_000
    field.reset()
    focus(qtbot, field.editor)
    type_text("5000000000")  # 5 billion đồng: more than a 32-bit spin box holds
    assert field.editor.text() == "5.000.000.000"
    assert field.amount() == 5_000_000_000
    # The cursor stays after the digit just typed when a separator appears before it.
    field.editor.setCursorPosition(1)
    type_text("1")
    assert field.editor.text() == "51.000.000.000"
    assert field.editor.cursorPosition() == 2


def test_letters_cannot_be_typed_into_a_money_field(qtbot):
    field = MoneyField("cash_value")
    qtbot.addWidget(field)
    field.show()
    focus(qtbot, field.editor)
    type_text("12a3")
    assert field.editor.text() == "123"


def test_an_under_age_member_needs_confirmation_before_saving(qtbot, store, branch, db_path):
    dialog = open_dialog(qtbot, MemberDialog(store))
    fill_member(qtbot, dialog, branch, birth="2012")
    before = counts(db_path)
    qtbot.keyClick(dialog.fields["full_name"].editor, Qt.Key_Return)

    assert dialog.warning_panel.isVisible()
    assert "Hội viên thường từ 18 tuổi; người này 14 tuổi." in dialog.warning_text.text()
    assert dialog.fields["birth"].editor.property("severity") == "warning"
    assert counts(db_path) == before
    assert QApplication.focusWidget() is dialog.confirm_button

    qtbot.keyClick(dialog.confirm_button, Qt.Key_Return)  # "Vẫn lưu"
    assert dialog.saved_count == 1
    assert counts(db_path)[:3] == (before[0] + 1, before[1] + 1, before[2] + 1)


def test_sua_lai_leaves_the_warning_unsaved_and_returns_to_the_field(qtbot, store, branch, db_path):
    dialog = open_dialog(qtbot, MemberDialog(store))
    fill_member(qtbot, dialog, branch, birth="2012")
    before = counts(db_path)
    assert dialog.save() is False
    qtbot.mouseClick(dialog.fix_button, Qt.LeftButton)
    assert not dialog.warning_panel.isVisible()
    assert QApplication.focusWidget() is dialog.fields["birth"].editor
    assert counts(db_path) == before


def test_a_possible_duplicate_person_is_warned_about_at_the_name(qtbot, store, branch, db_path):
    save_member(
        store,
        {
            "full_name": "Nguyễn Văn Hùng",
            "birth": "1980",
            "branch": branch.id,
            "admitted_on": "01/01/2020",
        },
        today=TODAY,
    )
    dialog = open_dialog(qtbot, MemberDialog(store))
    fill_member(qtbot, dialog, branch, name="nguyễn văn hùng", birth="1980")
    before = counts(db_path)
    assert dialog.save() is False
    assert "Có thể trùng người đã có: Nguyễn Văn Hùng, sinh năm 1980." in (
        dialog.fields["full_name"].message_text()
    )
    assert counts(db_path) == before
    qtbot.mouseClick(dialog.confirm_button, Qt.LeftButton)
    assert counts(db_path)[:2] == (before[0] + 1, before[1] + 1)


def test_changing_a_field_after_a_warning_checks_again(qtbot, store, branch, db_path):
    dialog = open_dialog(qtbot, MemberDialog(store))
    fill_member(qtbot, dialog, branch, birth="2012")
    assert dialog.save() is False and dialog.warning_panel.isVisible()
    focus(qtbot, dialog.fields["birth"].editor)
    dialog.fields["birth"].editor.selectAll()
    type_text("1990")
    assert not dialog.warning_panel.isVisible()
    assert dialog.save() is True


def test_a_name_typed_in_a_picker_but_not_picked_is_an_error_there(qtbot, store, db_path):
    store.people.add(full_name="Đỗ Thị Lan", birth_year=1950)
    dialog = open_dialog(qtbot, AidDialog(store))
    dialog.fields["recipient_kind"].set_raw("person")
    dialog.fields["given_on"].set_raw("20/11/2026")
    dialog.fields["cash_value"].set_raw(500_000)
    picker = dialog.fields["person_id"]
    focus(qtbot, picker.editor)
    qtbot.keyClicks(picker.editor, "do thi")
    before = counts(db_path)
    assert dialog.save() is False
    assert "chọn một dòng" in picker.message_text()
    assert counts(db_path) == before

    picker.run_search()  # the suggestions list, as after the typing pause
    popup = picker.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    assert picker.model.rowCount() == 1
    assert picker.model.item(0).text().startswith("Đỗ Thị Lan (1950)")
    popup.setCurrentIndex(picker.completer.completionModel().index(0, 0))
    qtbot.keyClick(popup, Qt.Key_Return)
    assert picker.raw() is not None and picker.message_text() == ""
    assert dialog.save() is True
    aid = store.aid.list()[0]
    assert (aid.recipient_kind, aid.person_id, aid.cash_value) == ("person", picker.raw(), 500_000)


def test_blood_units_must_add_up_to_the_250_350_450_mix(qtbot, store, db_path):
    dialog = open_dialog(qtbot, BloodDriveDialog(store))
    f = dialog.fields
    f["held_on"].set_raw("15/11/2026")
    for key, value in (
        ("registered", 60),
        ("donors", 52),
        ("units_250", 20),
        ("units_350", 30),
        ("units_450", 2),
        ("units", 50),
    ):
        f[key].set_raw(value)
    assert dialog.save() is False
    assert (
        f["units"]
        .message_text()
        .startswith("Tổng số đơn vị máu (50) khác tổng các loại 250, 350 và 450 ml (52).")
    )
    assert f["units"].editor.property("severity") == "error"
    assert store.blood_drives.count() == 0
    f["units"].set_raw(52)
    assert dialog.save() is True
    drive = store.blood_drives.list()[0]
    assert (drive.donors, drive.units, drive.units_350) == (52, 52, 30)


def test_an_activity_in_the_future_is_refused(qtbot, store):
    dialog = open_dialog(qtbot, BloodDriveDialog(store))
    dialog.fields["held_on"].set_raw("01/12/2026")
    assert dialog.save() is False
    assert "chưa tới" in dialog.fields["held_on"].message_text()
