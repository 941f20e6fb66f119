"""Steps of an officer's journeys through the real window, shared by the journey tests.

Everything here acts as the officer would: it finds widgets by objectName or their text,
types with QKeyEvents carrying the text (``qtbot.keyClicks`` aborts on Vietnamese
letters), presses keys and clicks buttons. Modal dialogs are answered from a timer that
waits for them to show (:func:`when_shown`). Nothing here calls a store or a service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QMessageBox,
    QPushButton,
    QWidget,
)

WAIT_MS = 15000


class Answers:
    """The errors raised while answering dialogs (a failing step must not leave a modal
    dialog open, which would hang the test); :meth:`check` raises the first one."""

    def __init__(self):
        self.errors: list[BaseException] = []

    def check(self) -> None:
        if self.errors:
            raise self.errors[0]


ANSWERS = Answers()


def when_shown(kind: type, answer: Callable[[Any], None], *, timeout_ms: int = WAIT_MS) -> None:
    """Run ``answer(dialog)`` once a modal dialog of type ``kind`` is showing. If ``answer``
    fails, the dialog is closed and the error kept for :meth:`Answers.check`."""
    waited = [0]

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            try:
                answer(widget)
            except BaseException as error:
                ANSWERS.errors.append(error)
                if widget.isVisible():
                    widget.reject() if hasattr(widget, "reject") else widget.close()
            return
        waited[0] += 20
        if waited[0] > timeout_ms:
            ANSWERS.errors.append(AssertionError(f"no {kind.__name__} was shown"))
            return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def answer_question(button_text: str = "Yes") -> None:
    """Press ``button_text`` ("Yes", "No", "OK" or a button's own text) on the next message
    box (confirmations)."""
    shown: list[str] = []

    def press(box: QMessageBox) -> None:
        shown.append(box.text())
        for button in box.buttons():
            role = box.standardButton(button)
            names = {button.text().replace("&", "")}
            if role != QMessageBox.StandardButton.NoButton:
                names.add(QMessageBox.StandardButton(role).name)
            if button_text in names:
                button.click()
                return
        raise AssertionError(f"no button {button_text!r} in {[b.text() for b in box.buttons()]}")

    when_shown(QMessageBox, press)


def type_into(widget: QWidget, text: str) -> None:
    """Put the cursor in ``widget`` and type ``text`` one character at a time."""
    if isinstance(widget, QComboBox) and widget.isEditable():
        widget = widget.lineEdit()
    widget.setFocus(Qt.OtherFocusReason)
    for ch in text:
        QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyPress, 0, Qt.NoModifier, ch))
        QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyRelease, 0, Qt.NoModifier, ch))


def key(widget: QWidget, code: Qt.Key, modifiers=Qt.NoModifier) -> None:
    """Press one key (Tab, Return, Down, ...) in ``widget``."""
    QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyPress, code, modifiers))
    QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyRelease, code, modifiers))


def leave(widget: QWidget) -> None:
    """Tab out of ``widget`` (so the field settles what was typed)."""
    if isinstance(widget, QComboBox) and widget.isEditable():
        widget = widget.lineEdit()
    key(widget, Qt.Key_Tab)


def fill(dialog, values: dict[str, str]) -> None:
    """Type each value into the record dialog's field of that key, leaving it after."""
    for field_key, text in values.items():
        editor = dialog.fields[field_key].editor
        line = getattr(dialog.fields[field_key], "line", None) or editor
        if hasattr(line, "clear") and not isinstance(line, QComboBox):
            line.clear()
        elif isinstance(line, QComboBox) and line.isEditable():
            line.lineEdit().clear()
        type_into(line, text)
        leave(line)


def pick(dialog, field_key: str, text: str, qtbot) -> None:
    """Type into a search-as-you-type picker and choose the first suggestion with Enter."""
    picker = dialog.fields[field_key]
    type_into(picker.line, text)
    picker.run_search()
    popup = picker.completer.popup()
    qtbot.waitUntil(lambda: popup.isVisible() and picker.model.rowCount() > 0, timeout=WAIT_MS)
    popup.setCurrentIndex(picker.model.index(0, 0))
    key(popup, Qt.Key_Return)
    qtbot.waitUntil(lambda: picker.raw() is not None, timeout=WAIT_MS)


def choose(combo: QComboBox, text: str) -> None:
    """Choose the entry of a (non-editable) list box whose text is ``text``."""
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setFocus(Qt.OtherFocusReason)
    while combo.currentIndex() != index:
        key(combo, Qt.Key_Down if combo.currentIndex() < index else Qt.Key_Up)


def button(parent: QWidget, text: str) -> QPushButton:
    """The visible button of ``parent`` whose text (without "&") is ``text``."""
    for candidate in parent.findChildren(QAbstractButton):
        if candidate.text().replace("&", "") == text and candidate.isVisible():
            return candidate
    raise AssertionError(f"no button {text!r}")


def click(widget: QAbstractButton) -> None:
    assert widget.isEnabled(), f"button {widget.text()!r} is disabled"
    widget.click()
