"""Entry that forgives: a pre-filled date is replaced by typing, letters without tones pick
the list item, and "not in the list" waits until the officer leaves the field."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from chapter_app.ui.forms import labels, widgets
from chapter_app.ui.forms.widgets import ChoiceField, DateField
from tests.ui.journey import focus, type_text


@pytest.fixture
def form(qtbot, qapp):
    """A window with the fields under test and a plain line to move the focus to."""
    window = QWidget()
    layout = QVBoxLayout(window)
    window.other = QLineEdit()

    def add(field):
        layout.addWidget(field)
        return field

    window.add = add
    layout.addWidget(window.other)
    qtbot.addWidget(window)
    return window


def shown(qtbot, window) -> None:
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()


def test_typing_into_a_prefilled_date_replaces_it(qtbot, form):
    field = form.add(DateField("admitted_on"))
    field.set_raw(date(2001, 9, 1))
    shown(qtbot, form)
    focus(qtbot, field.line, Qt.TabFocusReason)
    qtbot.waitUntil(lambda: field.line.selectedText() == "01/09/2001")

    type_text("26/10/2001")

    assert field.line.text() == "26/10/2001"
    assert field.value() == date(2001, 10, 26)


def test_a_click_into_a_prefilled_date_selects_it_too(qtbot, form):
    field = form.add(DateField("admitted_on"))
    field.set_raw(date(2001, 9, 1))
    shown(qtbot, form)
    focus(qtbot, form.other, Qt.TabFocusReason)
    qtbot.mouseClick(field.line, Qt.LeftButton)
    qtbot.waitUntil(lambda: field.line.selectedText() == "01/09/2001")


@pytest.mark.parametrize(("typed", "picked"), [("nu", "Nữ"), ("Nu", "Nữ"), ("na", "Nam")])
def test_letters_without_tones_pick_the_list_item(qtbot, form, typed, picked):
    field = form.add(ChoiceField(labels.choices(labels.SEX), blank="—"))
    shown(qtbot, form)
    focus(qtbot, field.combo, Qt.TabFocusReason)

    type_text(typed)

    assert field.combo.currentText() == picked


def test_not_in_the_list_waits_until_the_field_is_left(qtbot, form):
    field = form.add(
        ChoiceField([("Chi hội Thôn Phú Thọ", 1), ("Chi hội Thôn An Hải", 2)], searchable=True)
    )
    shown(qtbot, form)
    focus(qtbot, field.combo, Qt.TabFocusReason)

    type_text("Thon Xyz")
    qtbot.wait(widgets.DEBOUNCE_MS + 200)  # a pause in the typing
    assert not field.message.isVisible()
    assert field.raw() == "Thon Xyz"

    focus(qtbot, form.other, Qt.TabFocusReason)  # leaves the field

    qtbot.waitUntil(field.message.isVisible)
    assert "Không có" in field.message.text()


def test_a_typed_name_in_the_list_is_taken_when_the_field_is_left(qtbot, form):
    field = form.add(
        ChoiceField([("Chi hội Thôn Phú Thọ", 1), ("Chi hội Thôn An Hải", 2)], searchable=True)
    )
    shown(qtbot, form)
    focus(qtbot, field.combo, Qt.TabFocusReason)
    type_text("phu tho")
    focus(qtbot, form.other, Qt.TabFocusReason)
    assert field.raw() == 1 and field.combo.currentText() == "Chi hội Thôn Phú Thọ"
    assert not field.message.isVisible()
