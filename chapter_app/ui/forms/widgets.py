"""Field widgets that check what is typed and say what is wrong right under the field.

Each field wraps one editor and a message line. While the officer types, the field's
own check runs: a message is cleared at once when the text becomes right, and shown
after a short pause (or when the field is left) when it is wrong, so half-typed dates
do not flash red. Errors are red with a red border, warnings amber; the dialog can also
show the issues the service found when saving (:meth:`Field.show_issues`).

Values go to the services as typed (``raw()``): the services validate everything again.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QLocale, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import (
    QKeySequence,
    QRegularExpressionValidator,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from chapter_app.domain.text import fold
from chapter_app.domain.validation import (
    Issue,
    Severity,
    check_count,
    check_id_number,
    check_money,
    check_quantity,
    check_text,
    group_thousands,
    normalise_phone,
    parse_birth,
    parse_date,
)
from chapter_app.i18n import N_, _, format_number

DEBOUNCE_MS = 300
ERROR_COLOUR = "#b3261e"
WARNING_COLOUR = "#8a5300"

# Applied by the dialogs: fields are marked through the ``severity`` property.
FIELD_STYLE = f"""
QLineEdit[severity="error"], QPlainTextEdit[severity="error"], QComboBox[severity="error"],
QListWidget[severity="error"] {{ border: 2px solid {ERROR_COLOUR}; border-radius: 3px; }}
QLineEdit[severity="warning"], QPlainTextEdit[severity="warning"],
QComboBox[severity="warning"], QListWidget[severity="warning"]
{{ border: 2px solid #d08a00; border-radius: 3px; }}
QLabel[role="field-error"] {{ color: {ERROR_COLOUR}; }}
QLabel[role="field-warning"] {{ color: {WARNING_COLOUR}; }}
"""

MSG_PICK_FROM_LIST = N_("Chưa chọn: hãy gõ vài chữ của tên rồi chọn một dòng trong danh sách.")
MSG_UNKNOWN_CHOICE = N_("Không có “{text}” trong danh sách.")


def render(issue: Issue) -> str:
    """An issue in the active language, amounts with thousands separators."""
    return issue.render(translate=_, format_number=format_number)


def today() -> date:
    """Today's date; tests replace it to fix the clock."""
    return date.today()


def _repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class Field(QWidget):
    """One editor plus a message line under it.

    Subclasses give ``editor`` and override :meth:`raw`, :meth:`set_raw`, :meth:`clear`
    and :meth:`check` (the checks that need nothing but this field's value).
    """

    changed = Signal()
    # False: what is typed is checked only when the field is left (a name still being
    # typed is not yet "not in the list").
    check_while_typing: bool = True

    def __init__(self, editor: QWidget, *, extra: Sequence[QWidget] = (), parent=None):
        super().__init__(parent)
        self.editor = editor
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.PlainText)
        self.message.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        narrow = editor.maximumWidth() < 16777215
        row.addWidget(editor, 0 if narrow else 1)
        for widget in extra:
            row.addWidget(widget)
        if narrow:
            row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.setFocusProxy(editor)
        self.issues: list[Issue] = []
        self._found: list[Issue] = []  # what saving found; kept until the next edit
        self._touched = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.revalidate)

    # --- values (subclasses) ---------------------------------------------------------

    def raw(self) -> Any:
        raise NotImplementedError

    def set_raw(self, value: Any) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def check(self) -> list[Issue]:
        """The issues this field can tell on its own."""
        return []

    # --- showing issues ----------------------------------------------------------------

    def show_issues(self, issues: Iterable[Issue]) -> None:
        """Show ``issues`` under the field (errors first) and mark the editor."""
        issues = list(dict.fromkeys(issues))
        issues.sort(key=lambda i: 0 if i.severity is Severity.ERROR else 1)
        self.issues = issues
        if not issues:
            severity = ""
            self.message.clear()
            self.message.hide()
        else:
            severity = "error" if issues[0].is_error else "warning"
            self.message.setText("\n".join(render(i) for i in issues))
            self.message.setProperty("role", f"field-{severity}")
            _repolish(self.message)
            self.message.show()
        self.editor.setToolTip(self.message.text())
        if self.editor.property("severity") != severity:
            self.editor.setProperty("severity", severity)
            _repolish(self.editor)

    @property
    def has_error(self) -> bool:
        return any(i.is_error for i in self.issues)

    def message_text(self) -> str:
        return self.message.text() if self.message.isVisibleTo(self) else ""

    def set_found(self, issues: Iterable[Issue]) -> None:
        """Show what the dialog found when saving; kept until the field is edited."""
        self._found = list(issues)
        self.show_issues(self._found)

    def revalidate(self) -> None:
        """Run the field's own check now and show it (with what saving found)."""
        self._timer.stop()
        self.show_issues([*self.check(), *self._found])

    def reset(self) -> None:
        """Clear the value and any message."""
        self._timer.stop()
        self.clear()
        self._touched = False
        self._found = []
        self.show_issues([])

    # --- for subclasses: call on every edit and when the field is left ---------------

    def _edited(self) -> None:
        self._touched = True
        self._found = []
        if not self.check_while_typing:  # said when the field is left (:meth:`_left`)
            self._timer.stop()
            self.show_issues([])
            self.changed.emit()
            return
        issues = self.check()
        if not issues:  # right now: clear at once
            self._timer.stop()
            self.show_issues([])
        else:  # wrong, or worth a warning: say so after a pause in the typing
            self._timer.start()
        self.changed.emit()

    def _left(self) -> None:
        if self._touched or self.issues:
            self.revalidate()


class LineField(Field):
    """A one-line text field checked by ``checker(text) -> issues``."""

    def __init__(
        self,
        *,
        checker: Callable[[str], list[Issue]] | None = None,
        placeholder: str = "",
        extra: Sequence[QWidget] = (),
        width_sample: str | None = None,
        parent=None,
    ):
        self.line = QLineEdit()
        self.line.setPlaceholderText(placeholder)
        if width_sample:  # a narrow field, as wide as this text (or its placeholder)
            metrics = self.line.fontMetrics()
            width = max(
                metrics.horizontalAdvance(width_sample), metrics.horizontalAdvance(placeholder)
            )
            self.line.setFixedWidth(width + 24)
        super().__init__(self.line, extra=extra, parent=parent)
        self._checker = checker
        self.line.textEdited.connect(lambda _text: self._edited())
        self.line.editingFinished.connect(self._finish)

    def _finish(self) -> None:
        self.tidy()
        self._left()

    def tidy(self) -> None:
        """Rewrite the text into its usual form when the field is left (subclasses)."""

    def text(self) -> str:
        return self.line.text()

    def raw(self) -> str:
        return self.line.text()

    def set_raw(self, value: Any) -> None:
        self.line.setText("" if value is None else str(value))

    def clear(self) -> None:
        self.line.clear()

    def check(self) -> list[Issue]:
        return self._checker(self.line.text()) if self._checker else []


class TextField(LineField):
    """Free text with a length limit; ``required`` gives "Chưa nhập ..." once touched."""

    def __init__(
        self, key: str, *, max_length: int = 200, required: bool = False, placeholder: str = ""
    ):
        def checker(text: str) -> list[Issue]:
            return check_text(text, field=key, max_length=max_length, required=required)[1]

        super().__init__(checker=checker, placeholder=placeholder)
        self.line.setMaxLength(max_length + 50)


class NotesField(Field):
    """Multi-line text (circumstances, needs, notes); Tab moves on."""

    def __init__(self, key: str, *, max_length: int = 2000, lines: int = 3):
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        height = self.edit.fontMetrics().lineSpacing() * lines + 14
        self.edit.setFixedHeight(height)
        super().__init__(self.edit)
        self._key = key
        self._max = max_length
        self.edit.textChanged.connect(self._on_change)
        self._loading = False

    def _on_change(self) -> None:
        if not self._loading:
            self._edited()

    def raw(self) -> str:
        return self.edit.toPlainText()

    def set_raw(self, value: Any) -> None:
        self._loading = True
        try:
            self.edit.setPlainText("" if value is None else str(value))
        finally:
            self._loading = False

    def clear(self) -> None:
        self.set_raw("")

    def check(self) -> list[Issue]:
        return check_text(self.raw(), field=self._key, max_length=self._max, multiline=True)[1]


_DATE_CHARS = QRegularExpressionValidator()
_DATE_CHARS.setRegularExpression(r"[0-9/.\- ]{0,12}")


def _format_day(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


class _CalendarPopup(QFrame):
    picked = Signal(date)

    def __init__(self, parent=None):
        super().__init__(parent, Qt.Popup)
        self.setFrameShape(QFrame.StyledPanel)
        self.calendar = QCalendarWidget(self)
        self.calendar.setLocale(QLocale(QLocale.Vietnamese, QLocale.Vietnam))
        self.calendar.setFirstDayOfWeek(Qt.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.activated.connect(self._pick)
        self.calendar.clicked.connect(self._pick)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.calendar)

    def _pick(self, qdate: QDate) -> None:
        self.picked.emit(date(qdate.year(), qdate.month(), qdate.day()))
        self.close()


class DateField(LineField):
    """A date typed ``dd/mm/yyyy`` (also ``d/m/yyyy``, ``ddmmyyyy``) or picked on a calendar.

    The calendar opens with the button beside the field, or F4 / Alt+Down.
    """

    def __init__(
        self,
        key: str,
        *,
        required: bool = False,
        not_after_today: bool = False,
        label: str | None = None,
        placeholder: str | None = None,
    ):
        self.button = QToolButton()
        self.button.setText("…")
        self.button.setFocusPolicy(Qt.NoFocus)
        self.button.setToolTip(_("Chọn ngày trên lịch (F4)"))
        super().__init__(
            placeholder=placeholder or _("ngày/tháng/năm"),
            extra=[self.button],
            width_sample="00/00/00000",
        )
        self._key = key
        self._required = required
        self._not_after_today = not_after_today
        self._label = label
        self.line.setValidator(_DATE_CHARS)
        self.button.clicked.connect(self.open_calendar)
        self.line.installEventFilter(self)
        self._popup: _CalendarPopup | None = None

    def eventFilter(self, watched, event):
        if watched is self.line and event.type() == event.Type.KeyPress:
            key = event.key()
            if key == Qt.Key_F4 or (key == Qt.Key_Down and event.modifiers() & Qt.AltModifier):
                self.open_calendar()
                return True
        if watched is self.line and event.type() == event.Type.FocusIn and self.line.text():
            # A date is replaced, not edited: select it all, so typing "26" over
            # "01/09/2001" gives "26", not "01/09/200126" (after a click too).
            QTimer.singleShot(0, self.line, self.line.selectAll)
        return super().eventFilter(watched, event)

    def open_calendar(self) -> None:
        self._popup = _CalendarPopup(self)
        current = self.value() or today()
        self._popup.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        self._popup.picked.connect(self._picked)
        self._popup.move(self.line.mapToGlobal(self.line.rect().bottomLeft()))
        self._popup.show()
        self._popup.calendar.setFocus()

    def _picked(self, value: date) -> None:
        self.set_raw(value)
        self._touched = True
        self.revalidate()
        self.changed.emit()
        self.line.setFocus()

    def tidy(self) -> None:
        text = self.line.text().strip()
        match = re.fullmatch(r"([0-9]{2})([0-9]{2})([0-9]{4})", text)
        if match:
            text = f"{match[1]}/{match[2]}/{match[3]}"
        value, issues = parse_date(text, field=self._key)
        if value is not None and not issues:
            text = _format_day(value)
        if text != self.line.text():
            self.line.setText(text)

    def set_raw(self, value: Any) -> None:
        if isinstance(value, date):
            value = _format_day(value)
        super().set_raw(value)

    def _text_for_parse(self) -> str:
        text = self.line.text().strip()
        match = re.fullmatch(r"([0-9]{2})([0-9]{2})([0-9]{4})", text)
        return f"{match[1]}/{match[2]}/{match[3]}" if match else text

    def raw(self) -> str:
        return self._text_for_parse()

    def value(self) -> date | None:
        return parse_date(self._text_for_parse(), field=self._key)[0]

    def check(self) -> list[Issue]:
        value, issues = parse_date(
            self._text_for_parse(), field=self._key, required=self._required, label=self._label
        )
        if value is not None and self._not_after_today and value > today():
            from chapter_app.domain.validation import MSG_DATE_FUTURE

            issues.append(
                Issue.error(
                    self._key, MSG_DATE_FUTURE, today=_format_day(today()), date=_format_day(value)
                )
            )
        return issues


class BirthField(DateField):
    """A birth date, or the birth year alone (many paper lists only have the year)."""

    def __init__(self, key: str = "birth"):
        super().__init__(key, placeholder=_("ngày/tháng/năm hoặc năm"))

    def tidy(self) -> None:
        text = self._text_for_parse()
        birth, issues = parse_birth(text, field=self._key, today=today())
        if birth is not None and not issues and text != birth.display():
            self.line.setText(birth.display())

    def set_raw(self, value: Any) -> None:
        if isinstance(value, date):
            value = _format_day(value)
        LineField.set_raw(self, value)

    def birth_year(self) -> int | None:
        birth = parse_birth(self._text_for_parse(), field=self._key, today=today())[0]
        return birth.year if birth else None

    def value(self) -> date | None:
        birth = parse_birth(self._text_for_parse(), field=self._key, today=today())[0]
        return birth.as_date() if birth else None

    def check(self) -> list[Issue]:
        return parse_birth(self._text_for_parse(), field=self._key, today=today())[1]


_MONEY_CHARS = QRegularExpressionValidator()
_MONEY_CHARS.setRegularExpression(r"[0-9. ]{0,20}")


class MoneyField(LineField):
    """Whole đồng with live thousands separators: typing 1500000 shows ``1.500.000``.

    Any size up to the register's limit (no 32-bit spin box); ``amount()`` is an ``int``.
    """

    def __init__(self, key: str, *, required: bool = False):
        self.unit = QLabel("đ")
        super().__init__(placeholder="0", extra=[self.unit], width_sample="0" * 20)
        self._key = key
        self._required = required
        self.line.setValidator(_MONEY_CHARS)
        self.line.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.line.textEdited.disconnect()
        self.line.textEdited.connect(self._regroup)

    def _regroup(self, text: str) -> None:
        cursor = self.line.cursorPosition()
        digits_before = sum(ch.isdigit() for ch in text[:cursor])
        digits = "".join(ch for ch in text if ch.isdigit()).lstrip("0") or (
            "0" if any(ch.isdigit() for ch in text) else ""
        )
        grouped = group_thousands(int(digits)) if digits else ""
        if grouped != text:
            self.line.setText(grouped)
            position, seen = 0, 0
            while position < len(grouped) and seen < digits_before:
                if grouped[position].isdigit():
                    seen += 1
                position += 1
            self.line.setCursorPosition(position)
        self._edited()

    def set_raw(self, value: Any) -> None:
        if isinstance(value, int) and not isinstance(value, bool):
            value = group_thousands(value)
        super().set_raw(value)

    def amount(self) -> int | None:
        return check_money(self.line.text(), field=self._key)[0]

    def check(self) -> list[Issue]:
        return check_money(self.line.text(), field=self._key, required=self._required)[1]


class CountField(LineField):
    """A whole number of people, units, sessions."""

    def __init__(self, key: str, *, required: bool = False, maximum: int | None = None):
        super().__init__(placeholder="0", width_sample="0" * 12)
        self._key = key
        self._required = required
        self._maximum = maximum
        validator = QRegularExpressionValidator()
        validator.setRegularExpression(r"[0-9. ]{0,12}")
        self.line.setValidator(validator)
        self.line.setAlignment(Qt.AlignRight | Qt.AlignVCenter)

    def number(self) -> int | None:
        return check_count(self.line.text(), field=self._key)[0]

    def check(self) -> list[Issue]:
        kwargs = {"maximum": self._maximum} if self._maximum is not None else {}
        return check_count(self.line.text(), field=self._key, required=self._required, **kwargs)[1]


class QuantityField(LineField):
    """An amount of goods, possibly with a decimal comma (2,5 kg)."""

    def __init__(self, key: str = "quantity"):
        super().__init__(placeholder="0", width_sample="0" * 12)
        self._key = key
        self.line.setAlignment(Qt.AlignRight | Qt.AlignVCenter)

    def set_raw(self, value: Any) -> None:
        if isinstance(value, float):
            value = str(int(value)) if value.is_integer() else format_number(value).replace(".", "")
        super().set_raw(value)

    def check(self) -> list[Issue]:
        return check_quantity(self.line.text(), field=self._key)[1]


class PhoneField(LineField):
    """A Vietnamese phone number; written as 0xxxxxxxxx when the field is left."""

    def __init__(self, key: str = "phone"):
        super().__init__(placeholder=_("ví dụ 0912345678"), width_sample="0000 000 000 00")
        self._key = key

    def tidy(self) -> None:
        number, issues = normalise_phone(self.line.text(), field=self._key)
        if number and not any(i.is_error for i in issues) and number != self.line.text():
            self.line.setText(number)

    def check(self) -> list[Issue]:
        return normalise_phone(self.line.text(), field=self._key)[1]


class IdNumberField(LineField):
    """A 12-digit ID number (or old 9-digit CMND), cross-checked with sex and birth year.

    ``sex`` and ``birth_year`` are callables giving the other fields' current values; the
    dialog calls :meth:`revalidate` when those change.
    """

    def __init__(
        self,
        key: str = "id_number",
        *,
        sex: Callable[[], str | None] = lambda: None,
        birth_year: Callable[[], int | None] = lambda: None,
    ):
        super().__init__(placeholder=_("12 chữ số"), width_sample="0000 0000 0000 00")
        self._key = key
        self._sex = sex
        self._birth_year = birth_year
        self.line.setMaxLength(20)

    def check(self) -> list[Issue]:
        return check_id_number(
            self.line.text(), sex=self._sex(), birth_year=self._birth_year(), field=self._key
        )[1]

    def cross_check(self) -> None:
        """Re-run the check after sex or birth changed (only when a number is there)."""
        if self.line.text().strip():
            self.revalidate()


FOLDED_ROLE = Qt.UserRole + 7


class FoldingCompleter(QCompleter):
    """Suggests the items whose name contains what was typed, ignoring tones and case."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setCompletionRole(FOLDED_ROLE)
        self.setFilterMode(Qt.MatchContains)
        self.setCaseSensitivity(Qt.CaseSensitive)
        self.setCompletionMode(QCompleter.PopupCompletion)

    def splitPath(self, path: str) -> list[str]:
        return [fold(path)]

    def pathFromIndex(self, index) -> str:
        return index.data(Qt.DisplayRole) or ""


class ChoiceField(Field):
    """A choice from a list of ``(label, value)``.

    With ``searchable`` the box can be typed into and suggests items containing what was
    typed (any case); what is typed and matches no item is passed on as text, so the
    service can name it in its message.
    """

    def __init__(
        self,
        items: Sequence[tuple[str, Any]] = (),
        *,
        blank: str | None = None,
        searchable: bool = False,
    ):
        self.combo = QComboBox()
        self.combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(18)
        super().__init__(self.combo)
        self._blank = blank
        self._searchable = searchable
        if searchable:
            self.combo.setEditable(True)
            self.combo.setInsertPolicy(QComboBox.NoInsert)
            completer = FoldingCompleter(self.combo)
            completer.setModel(self.combo.model())
            self.combo.setCompleter(completer)
            self.combo.lineEdit().textEdited.connect(lambda _t: self._edited())
            QApplication.instance().focusChanged.connect(self._focus_changed)
            if blank:
                self.combo.lineEdit().setPlaceholderText(blank)
        else:
            self.combo.installEventFilter(self)
        self.check_while_typing = not searchable
        self._typed = ""
        self._typed_at = 0.0
        self.combo.currentIndexChanged.connect(self._index_changed)
        self._loading = False
        self.set_items(items)

    def eventFilter(self, watched, event):
        """In a plain list, letters typed pick the first item starting with them, tones
        and case ignored ("nu" picks Nữ, not Nam)."""
        if watched is self.combo and event.type() == event.Type.KeyPress:
            text = event.text()
            if text and text.isprintable() and not event.modifiers() & ~Qt.ShiftModifier:
                now = time.monotonic()
                interval = QApplication.keyboardInputInterval() / 1000
                self._typed = (self._typed if now - self._typed_at < interval else "") + text
                self._typed_at = now
                index = self.find_prefix(self._typed)
                if index >= 0:
                    self.combo.setCurrentIndex(index)
                return True
        return super().eventFilter(watched, event)

    def find_prefix(self, typed: str) -> int:
        """The first item whose name starts with ``typed`` (tones and case ignored)."""
        wanted = fold(typed)
        for index in range(self.combo.count()):
            if fold(self.combo.itemText(index)).startswith(wanted):
                return index
        return -1

    def _index_changed(self, _index: int) -> None:
        if not self._loading:
            self._touched = True
            self.show_issues([i for i in self.check() if i.is_error] if self.issues else [])
            self.changed.emit()

    def set_items(self, items: Sequence[tuple[str, Any]]) -> None:
        current = self.raw()
        self._loading = True
        try:
            self.combo.clear()
            if self._blank is not None:
                self.combo.addItem("" if self._searchable else self._blank, None)
            for text, value in items:
                self.combo.addItem(text, value)
                self.combo.setItemData(self.combo.count() - 1, fold(text), FOLDED_ROLE)
        finally:
            self._loading = False
        self.set_raw(current)

    def _match(self, text: str) -> int:
        """The item ``text`` names: the one whose name equals it, or else the only one in
        which every typed word starts a word of the name (tones and case ignored: "phu tho"
        and "chi hoi phu" name "Chi hội Thôn Phú Thọ"); -1 if none."""
        wanted = fold(text)
        if not wanted:
            return -1
        words = wanted.split()
        candidates = []
        for index in range(self.combo.count()):
            if self.combo.itemData(index) is None:
                continue
            name = fold(self.combo.itemText(index))
            if name == wanted:
                return index
            name_words = name.split()
            if wanted in name or all(
                any(word.startswith(typed) for word in name_words) for typed in words
            ):
                candidates.append(index)
        return candidates[0] if len(candidates) == 1 else -1

    def _focus_changed(self, old, new) -> None:
        inside = (self.combo, self.combo.lineEdit(), self.combo.completer().popup())
        if old in inside and new not in inside:
            self._settle()

    def _settle(self) -> None:
        """When the field is left, show the full name of the item the typed text names."""
        text = self.combo.currentText().strip()
        index = self._match(text)
        if index >= 0 and self.combo.itemText(index) != self.combo.currentText():
            self.combo.setCurrentIndex(index)
            self.combo.setEditText(self.combo.itemText(index))
        self._left()

    def raw(self) -> Any:
        if not hasattr(self, "combo"):
            return None
        if self._searchable:
            text = self.combo.currentText().strip()
            if not text:
                return None
            index = self._match(text)
            return self.combo.itemData(index) if index >= 0 else text
        return self.combo.currentData()

    def set_raw(self, value: Any) -> None:
        self._loading = True
        try:
            index = self.combo.findData(value) if value is not None else -1
            if index < 0 and value is None and self._blank is not None:
                index = 0
            if index >= 0:
                self.combo.setCurrentIndex(index)
            elif self._searchable:
                self.combo.setCurrentIndex(-1)
                self.combo.setEditText("" if value is None else str(value))
            elif self.combo.count():
                self.combo.setCurrentIndex(0)
        finally:
            self._loading = False

    def clear(self) -> None:
        self.set_raw(None)

    def check(self) -> list[Issue]:
        value = self.raw()
        if self._searchable and isinstance(value, str):
            return [Issue.error("choice", MSG_UNKNOWN_CHOICE, text=value)]
        return []


class CheckListField(Field):
    """Several choices ticked in a list (the categories of an address); Space ticks."""

    def __init__(self, items: Sequence[tuple[str, Any]] = ()):
        self.list = QListWidget()
        super().__init__(self.list)
        self.list.itemChanged.connect(lambda _item: self._edited())
        self.set_items(items)

    def set_items(self, items: Sequence[tuple[str, Any]]) -> None:
        wanted = set(self.raw() or [])
        self.list.blockSignals(True)
        self.list.clear()
        for text, value in items:
            item = QListWidgetItem(text)
            item.setData(Qt.UserRole, value)
            item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if value in wanted else Qt.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        rows = max(3, min(len(items), 10))
        self.list.setFixedHeight(self.list.sizeHintForRow(0) * rows + 6 if items else 60)

    def raw(self) -> list[Any]:
        if not hasattr(self, "list"):
            return []
        return [
            self.list.item(i).data(Qt.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.Checked
        ]

    def set_raw(self, value: Any) -> None:
        wanted = set(value or [])
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in wanted else Qt.Unchecked)
        self.list.blockSignals(False)

    def clear(self) -> None:
        self.set_raw([])


class FlagField(Field):
    """A yes/no tick box."""

    def __init__(self, text: str):
        from PySide6.QtWidgets import QCheckBox

        self.box = QCheckBox(text)
        super().__init__(self.box)
        self.box.toggled.connect(lambda _on: self._edited())

    def raw(self) -> bool:
        return self.box.isChecked()

    def set_raw(self, value: Any) -> None:
        self.box.setChecked(bool(value))

    def clear(self) -> None:
        self.box.setChecked(False)


class RecordPicker(LineField):
    """Search-as-you-type over a register: type part of a name (tones optional), pick a line.

    ``search(text) -> [(id, label)]`` runs in the store (people: the FTS index). ``raw()``
    is the picked id, or None. Text typed but not picked is an error at the field.
    """

    picked = Signal(object)
    check_while_typing = False

    def __init__(
        self,
        key: str,
        search: Callable[[str], list[tuple[int, str]]],
        *,
        placeholder: str = "",
        minimum_chars: int = 1,
        label_of: Callable[[int], str] | None = None,
    ):
        super().__init__(placeholder=placeholder or _("gõ vài chữ của tên để tìm"))
        self._key = key
        self._search = search
        self._label_of = label_of
        self._minimum = minimum_chars
        self._id: int | None = None
        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        self.completer.setWidget(self.line)
        self.completer.activated[QModelIndex].connect(self._activated)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.run_search)
        self.line.textEdited.connect(self._typed)
        self.line.setClearButtonEnabled(True)

    def _typed(self, _text: str) -> None:
        if self._id is not None:
            self._id = None
            self.picked.emit(None)
        self._search_timer.start()

    def run_search(self) -> None:
        """Query the register for the current text and open the suggestion list."""
        self._search_timer.stop()
        text = self.line.text().strip()
        self.model.clear()
        if len(text) < self._minimum:
            self.completer.popup().hide()
            return
        for record_id, label in self._search(text):
            item = QStandardItem(label)
            item.setData(record_id, Qt.UserRole)
            item.setEditable(False)
            self.model.appendRow(item)
        if self.model.rowCount():
            self.completer.setCompletionPrefix("")
            self.completer.complete()
        else:
            self.completer.popup().hide()

    def _activated(self, index: QModelIndex) -> None:
        record_id = index.data(Qt.UserRole)
        label = index.data(Qt.DisplayRole)
        self.set_value(record_id, label)
        self._touched = True
        self._found = []
        self.revalidate()
        self.picked.emit(record_id)
        self.changed.emit()

    def set_value(self, record_id: int | None, label: str = "") -> None:
        """Show a picked record."""
        self._id = record_id
        self.line.setText(label if record_id is not None else "")

    def raw(self) -> int | None:
        return self._id

    def set_raw(self, value: Any) -> None:
        label = self._label_of(value) if value is not None and self._label_of else ""
        self.set_value(value, label)

    def clear(self) -> None:
        self._id = None
        self.line.clear()

    def check(self) -> list[Issue]:
        if self._id is None and self.line.text().strip():
            return [Issue.error(self._key, MSG_PICK_FROM_LIST)]
        return []


def shortcut_text(sequence: str) -> str:
    """A key sequence as shown on this system (``Ctrl+Enter``)."""
    return QKeySequence(sequence).toString(QKeySequence.NativeText)
