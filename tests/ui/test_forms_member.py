"""The member form driven as an officer would: keyboard only, Vietnamese typed in."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from chapter_app.services.records import save_member
from chapter_app.store.repository import Query
from chapter_app.ui import forms
from chapter_app.ui.forms.member_form import MemberDialog
from tests.ui.journey import db_rows, focus, open_dialog, type_text

TODAY = date(2026, 11, 23)


pytestmark = pytest.mark.usefixtures("form_clock")


@pytest.fixture
def places(store):
    with store.operation("Chuẩn bị"):
        unit = store.units.add(name="Thôn Phú Thọ")
        other_unit = store.units.add(name="Thôn An Hưng")
        branch = store.branches.add(name="Chi hội Thôn Phú Thọ")
        other_branch = store.branches.add(name="Chi hội Thôn An Hưng")
    return unit, branch, other_unit, other_branch


def press(qtbot, key, modifier=Qt.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def test_member_typed_with_the_keyboard_only_is_saved_with_enter(qtbot, store, places, db_path):
    unit, branch, *_ = places
    dialog = open_dialog(qtbot, MemberDialog(store))
    name = dialog.fields["full_name"].editor
    qtbot.waitUntil(lambda: QApplication.focusWidget() is name)

    type_text("Nguyễn Thị Ánh")
    press(qtbot, Qt.Key_Tab)
    press(qtbot, Qt.Key_Down)  # Giới tính: — -> Nam -> Nữ
    press(qtbot, Qt.Key_Down)
    press(qtbot, Qt.Key_Tab)
    type_text("12/03/1985")
    press(qtbot, Qt.Key_Tab)
    type_text("051185012345")
    press(qtbot, Qt.Key_Tab)
    type_text("+84 912 345 678")
    press(qtbot, Qt.Key_Tab)
    type_text("12 Lê Lợi")
    press(qtbot, Qt.Key_Tab)
    type_text("phu tho")  # thôn, typed without tones
    press(qtbot, Qt.Key_Tab)
    type_text("chi hoi phu")  # chi hội, likewise
    press(qtbot, Qt.Key_Tab)
    type_text("05/01/2026")
    press(qtbot, Qt.Key_Tab)
    type_text("12/QĐ-CTĐ")
    press(qtbot, Qt.Key_Return)

    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.saved_count == 1
    ((person_id, full, sex, birth, id_number, phone, address, unit_id),) = db_rows(
        db_path,
        "SELECT id, full_name, sex, birth_date, id_number, phone, address, unit_id FROM people",
    )
    assert (full, sex, birth, id_number, phone, address, unit_id) == (
        "Nguyễn Thị Ánh",
        "F",
        "1985-03-12",
        "051185012345",
        "0912345678",
        "12 Lê Lợi",
        unit.id,
    )
    assert db_rows(
        db_path, "SELECT person_id, branch_id, admitted_on, decision_no FROM members"
    ) == [(person_id, branch.id, "2026-01-05", "12/QĐ-CTĐ")]


def test_save_and_new_keeps_branch_unit_and_date_and_puts_the_cursor_on_the_name(
    qtbot, store, places, db_path
):
    _unit, _branch, other_unit, other_branch = places
    dialog = open_dialog(qtbot, MemberDialog(store))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.fields["full_name"].editor)
    type_text("Trần Văn Bình")
    fields = dialog.fields
    fields["birth"].set_raw("1970")
    fields["unit_id"].set_raw(other_unit.id)
    fields["branch"].set_raw(other_branch.id)
    focus(qtbot, fields["admitted_on"].editor)
    type_text("03/02/2026")
    press(qtbot, Qt.Key_Return, Qt.ControlModifier)  # Lưu và thêm mới

    assert dialog.isVisible() and dialog.saved_count == 1
    assert fields["full_name"].raw() == "" and fields["birth"].raw() == ""
    assert fields["unit_id"].raw() == other_unit.id
    assert fields["branch"].raw() == other_branch.id
    assert fields["admitted_on"].raw() == "03/02/2026"
    assert QApplication.focusWidget() is fields["full_name"].editor
    assert "Trần Văn Bình" in dialog.saved_line.text()

    type_text("Lê Thị Cúc")
    fields["birth"].set_raw("1975")
    press(qtbot, Qt.Key_Return)
    assert dialog.saved_count == 2
    rows = db_rows(
        db_path,
        "SELECT p.full_name, p.unit_id, m.branch_id, m.admitted_on FROM members m "
        "JOIN people p ON p.id = m.person_id ORDER BY m.id",
    )
    assert rows == [
        ("Trần Văn Bình", other_unit.id, other_branch.id, "2026-02-03"),
        ("Lê Thị Cúc", other_unit.id, other_branch.id, "2026-02-03"),
    ]
    # The next form opened remembers them too.
    again = open_dialog(qtbot, MemberDialog(store))
    assert again.fields["branch"].raw() == other_branch.id
    assert again.fields["unit_id"].raw() == other_unit.id
    assert again.fields["admitted_on"].raw() == "03/02/2026"


def test_editing_a_member_changes_the_same_person_and_membership(qtbot, store, places, db_path):
    _unit, branch, _other_unit, other_branch = places
    saved = save_member(
        store,
        {
            "full_name": "Phạm Văn Cường",
            "birth": "1960",
            "branch": branch.id,
            "admitted_on": "01/03/2020",
        },
        today=TODAY,
    )
    dialog = open_dialog(qtbot, MemberDialog(store, record_id=saved.record.id))
    assert dialog.windowTitle() == "Sửa hội viên"
    assert dialog.fields["full_name"].raw() == "Phạm Văn Cường"
    assert dialog.fields["admitted_on"].raw() == "01/03/2020"
    assert dialog.new_button.isHidden()

    name = dialog.fields["full_name"].editor
    focus(qtbot, name)
    name.selectAll()
    type_text("Phạm Văn Cường Em")
    dialog.fields["branch"].set_raw(other_branch.id)
    focus(qtbot, dialog.fields["phone"].editor)
    type_text("0987654321")
    press(qtbot, Qt.Key_Return)

    assert dialog.result() == dialog.DialogCode.Accepted
    assert db_rows(db_path, "SELECT COUNT(*) FROM people") == [(1,)]
    assert db_rows(db_path, "SELECT full_name, phone FROM people") == [
        ("Phạm Văn Cường Em", "0987654321")
    ]
    assert db_rows(db_path, "SELECT branch_id FROM members") == [(other_branch.id,)]


def test_a_status_event_is_added_to_a_member_on_file(qtbot, store, places):
    _unit, branch, *_ = places
    saved = save_member(
        store,
        {
            "full_name": "Võ Thị Dung",
            "birth": "1950",
            "branch": branch.id,
            "admitted_on": "01/03/2010",
        },
        today=TODAY,
    )
    dialog = open_dialog(qtbot, MemberDialog(store, record_id=saved.record.id))
    dialog.new_status.set_raw("moved_out")
    focus(qtbot, dialog.new_status_on.editor)
    type_text("15/10/2026")
    focus(qtbot, dialog.new_reason.editor)
    type_text("Chuyển sinh hoạt về phường Đông")
    qtbot.mouseClick(dialog.status_button, Qt.LeftButton)

    events = store.members.history_of(saved.record.id)
    assert [(e.status, e.on_date, e.reason) for e in events] == [
        ("admitted", date(2010, 3, 1), None),
        ("moved_out", date(2026, 10, 15), "Chuyển sinh hoạt về phường Đông"),
    ]
    assert store.members.get(saved.record.id).status == "moved_out"
    assert dialog.history.rowCount() == 2
    assert "Chuyển sinh hoạt đi" in dialog.status_now.text()


def test_a_status_date_before_admission_is_refused_at_its_field(qtbot, store, places):
    _unit, branch, *_ = places
    saved = save_member(
        store,
        {
            "full_name": "Võ Thị Dung",
            "birth": "1950",
            "branch": branch.id,
            "admitted_on": "01/03/2010",
        },
        today=TODAY,
    )
    dialog = open_dialog(qtbot, MemberDialog(store, record_id=saved.record.id))
    dialog.new_status.set_raw("left")
    dialog.new_status_on.set_raw("01/01/2009")
    assert dialog.add_status() is False
    assert "sớm hơn" in dialog.new_status_on.message_text()
    assert len(store.members.history_of(saved.record.id)) == 1


def test_open_form_returns_true_once_something_was_saved(qtbot, store, places):
    _unit, branch, *_ = places

    def fill_and_save():
        dialog = QApplication.activeModalWidget()
        dialog.fields["full_name"].set_raw("Đỗ Văn Em")
        dialog.fields["birth"].set_raw("1980")
        dialog.fields["branch"].set_raw(branch.id)
        dialog.fields["admitted_on"].set_raw("01/06/2026")
        dialog.save(and_new=True)
        dialog.reject()

    QTimer.singleShot(0, fill_and_save)
    assert forms.open_form("member", store) is True
    assert store.members.count(Query()) == 1

    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())
    assert forms.open_form("sponsor", store) is False


@pytest.mark.parametrize("kind", sorted(forms.FORM_CLASSES))
def test_every_form_opens_empty_and_refuses_to_save_nothing(qtbot, store, kind, db_path):
    before = db_rows(db_path, "SELECT COUNT(*) FROM audit_log")
    dialog = open_dialog(qtbot, forms.FORM_CLASSES[kind](store))
    assert dialog.save() is False
    assert dialog.banner.isVisible()
    assert db_rows(db_path, "SELECT COUNT(*) FROM audit_log") == before


def test_alt_m_saves_and_starts_the_next_member(qtbot, store, places, db_path):
    _unit, branch, *_ = places
    dialog = open_dialog(qtbot, MemberDialog(store))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.fields["full_name"].editor)
    type_text("Hà Văn Giang")
    dialog.fields["birth"].set_raw("1966")
    dialog.fields["branch"].set_raw(branch.id)
    dialog.fields["admitted_on"].set_raw("10/10/2026")
    press(qtbot, Qt.Key_M, Qt.AltModifier)  # the button's mnemonic: an animated click
    qtbot.waitUntil(lambda: dialog.saved_count == 1)
    assert dialog.isVisible()
    assert dialog.fields["full_name"].raw() == ""
    assert dialog.fields["admitted_on"].raw() == "10/10/2026"
    assert db_rows(db_path, "SELECT full_name FROM people") == [("Hà Văn Giang",)]


def test_an_unknown_form_kind_is_refused(store):
    with pytest.raises(ValueError, match="unknown form"):
        forms.open_form("members", store)
