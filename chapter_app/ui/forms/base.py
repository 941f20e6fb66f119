"""The dialog every record form is built on.

It gathers what was typed, lets the service check it (nothing is kept while any error
remains), shows each issue at its field, asks before saving over warnings ("Vẫn lưu"),
and offers "Lưu" (Enter), "Lưu và thêm mới" (Ctrl+Enter, Alt+M: keeps branch, unit and
dates for the next entry) and "Hủy".

Warnings are found before anything is written by running the save in an operation that
is always rolled back (:func:`preview`): the services return their warnings only with a
saved record, and the officer must see them first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from chapter_app.domain.validation import Issue, ValidationFailed, errors, warnings
from chapter_app.errors import AppError
from chapter_app.i18n import _
from chapter_app.ui.forms.widgets import ERROR_COLOUR, FIELD_STYLE, WARNING_COLOUR, Field, render

PANEL_STYLE = f"""
QFrame#warningPanel {{ background: #fff4d6; border: 1px solid #d08a00; border-radius: 4px; }}
QFrame#warningPanel QLabel {{ color: {WARNING_COLOUR}; }}
QLabel#errorBanner {{ background: #fdecea; border: 1px solid {ERROR_COLOUR}; border-radius: 4px;
    color: {ERROR_COLOUR}; padding: 6px; }}
QLabel#savedLine {{ color: #1b5e20; }}
"""


# "Hủy" (or Esc) on a form with unsaved typing asks first; tests switch this off.
ASK_BEFORE_DISCARD = True


class _Rollback(Exception):
    def __init__(self, result: Any):
        super().__init__("preview")
        self.result = result


def preview(store, write: Callable[[], Any]) -> list[Issue]:
    """Every issue ``write()`` would meet, without keeping anything it writes.

    ``write`` is a save use case returning ``Saved`` (warnings) or raising
    ``ValidationFailed`` (errors, nothing written). It runs inside one operation that is
    always rolled back, so neither the register, the audit log nor the undo stack keeps it.
    """
    try:
        with store.operation("Kiểm tra trước khi lưu"):
            raise _Rollback(write())
    except _Rollback as done:
        return list(getattr(done.result, "warnings", ()))
    except ValidationFailed as failed:
        return list(failed.issues)


@dataclass
class _Pending:
    raw: dict[str, Any]
    and_new: bool


class RecordDialog(QDialog):
    """Base of the record forms; subclasses build fields and say how to save.

    Subclasses set ``noun`` (what one record is called, for titles) and implement
    :meth:`build`, :meth:`load` and :meth:`write`.
    """

    saved = Signal(object)

    noun: ClassVar[str] = ""  # N_-marked, lower case: "hội viên"
    keep_on_new: ClassVar[tuple[str, ...]] = ()  # field keys kept by "Lưu và thêm mới"
    first_key: ClassVar[str | None] = None  # where the cursor starts (default: first field)
    close_after_save: ClassVar[bool] = True
    offers_new: ClassVar[bool] = True  # shows "Lưu và thêm mới"
    fill_height: ClassVar[bool] = False  # the form's sections take all the height
    _remembered: ClassVar[dict[tuple[str, str], dict[str, Any]]] = {}

    def __init__(self, store, *, record_id: int | None = None, parent=None):
        super().__init__(parent)
        self.store = store
        self.record_id = record_id
        self.fields: dict[str, Field] = {}
        self.aliases: dict[str, str] = {}
        self._captions: list[QLabel] = []
        self.saved_count = 0
        self.last_saved: Any = None
        self._pending: _Pending | None = None
        self._dirty = False
        self._loading = False
        self.setModal(True)
        self.setStyleSheet(FIELD_STYLE + PANEL_STYLE)
        self._build_frame()
        self._loading = True
        try:
            self.build()
            if not self.fill_height:
                self.body_layout.addStretch(1)
            self._align_captions()
            if record_id is not None:
                self.load(record_id)
            else:
                self.set_defaults()
                self._recall()
        finally:
            self._loading = False
        self._dirty = False
        self.setWindowTitle(self.title())
        self.new_button.setVisible(record_id is None and self.offers_new)
        QTimer.singleShot(0, self, self.focus_first)

    # --- frame -----------------------------------------------------------------------

    def _build_frame(self) -> None:
        outer = QVBoxLayout(self)
        self.banner = QLabel()
        self.banner.setObjectName("errorBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        outer.addWidget(self.banner)

        self.warning_panel = QFrame()
        self.warning_panel.setObjectName("warningPanel")
        panel = QVBoxLayout(self.warning_panel)
        self.warning_title = QLabel(_("Cần xem lại trước khi lưu:"))
        font = self.warning_title.font()
        font.setBold(True)
        self.warning_title.setFont(font)
        self.warning_text = QLabel()
        self.warning_text.setWordWrap(True)
        self.warning_text.setTextFormat(Qt.PlainText)
        panel.addWidget(self.warning_title)
        panel.addWidget(self.warning_text)
        row = QHBoxLayout()
        row.addStretch(1)
        self.fix_button = QPushButton(_("Sửa lại"))
        self.fix_button.setAutoDefault(False)
        self.fix_button.clicked.connect(self._fix_warnings)
        self.confirm_button = QPushButton(_("Vẫn lưu"))
        self.confirm_button.clicked.connect(self._confirm_warnings)
        row.addWidget(self.fix_button)
        row.addWidget(self.confirm_button)
        panel.addLayout(row)
        self.warning_panel.hide()
        outer.addWidget(self.warning_panel)

        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.scroll.setWidget(self.body)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        outer.addWidget(self.scroll, 1)

        self.saved_line = QLabel()
        self.saved_line.setObjectName("savedLine")
        self.saved_line.setWordWrap(True)
        self.saved_line.hide()
        outer.addWidget(self.saved_line)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton(_("Lưu"))
        self.save_button.setDefault(True)
        self.save_button.setToolTip(_("Lưu và đóng (Enter)"))
        self.save_button.clicked.connect(lambda: self.save(and_new=False))
        self.new_button = QPushButton(_("Lưu và thêm &mới"))
        self.new_button.setAutoDefault(False)
        self.new_button.setToolTip(
            _("Lưu rồi nhập tiếp, giữ chi hội, thôn và ngày (Ctrl+Enter hoặc Alt+M)")
        )
        self.new_button.clicked.connect(lambda: self.save(and_new=True))
        self.cancel_button = QPushButton(_("Hủy"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.cancel_button)
        outer.addLayout(buttons)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self._save_and_new_shortcut)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=lambda: self.save(and_new=False))

    def _save_and_new_shortcut(self) -> None:
        if not self.new_button.isHidden():
            self.save(and_new=True)
        else:
            self.save(and_new=False)

    def _align_captions(self) -> None:
        """One caption width for every section, so the fields line up down the dialog."""
        width = max((c.sizeHint().width() for c in self._captions), default=0)
        for caption in self._captions:
            caption.setMinimumWidth(width)
            caption.setAlignment(Qt.AlignRight | Qt.AlignVCenter)

    def section(self, title: str | None = None, *, into=None, stretch: int = 0) -> QFormLayout:
        """A titled group of fields in the form (or in the layout ``into``); returns its
        layout for :meth:`add`."""
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignTop)
        form.setRowWrapPolicy(QFormLayout.DontWrapRows)
        if title is None:
            holder = QWidget()
            form.setContentsMargins(0, 0, 0, 0)
        else:
            holder = QGroupBox(title)
        holder.setLayout(form)
        (into if into is not None else self.body_layout).addWidget(holder, stretch)
        return form

    def add(
        self,
        form: QFormLayout,
        key: str,
        label: str,
        field: Field,
        *,
        required: bool = False,
        aliases: Iterable[str] = (),
    ) -> Field:
        """Put ``field`` in ``form`` under ``label``; its issues are those named ``key``
        (or one of ``aliases``)."""
        text = f"{label} *" if required else label
        caption = QLabel(text)
        self._captions.append(caption)
        caption.setBuddy(field.editor)
        caption.setToolTip(_("Bắt buộc") if required else "")
        form.addRow(caption, field)
        self.register(key, field, aliases=aliases)
        return field

    def register(self, key: str, field: Field, *, aliases: Iterable[str] = ()) -> Field:
        self.fields[key] = field
        for alias in aliases:
            self.aliases[alias] = key
        field.changed.connect(self._field_changed)
        return field

    def _field_changed(self) -> None:
        if not self._loading:
            self._dirty = True
            if self.warning_panel.isVisible():
                self.warning_panel.hide()
                self._pending = None

    # --- what subclasses provide -------------------------------------------------------

    def build(self) -> None:
        raise NotImplementedError

    def load(self, record_id: int) -> None:
        raise NotImplementedError

    def write(self, raw: dict[str, Any]):
        """Save ``raw``; return ``Saved`` or raise ``ValidationFailed`` writing nothing."""
        raise NotImplementedError

    def set_defaults(self) -> None:
        """Fill a new, empty form (subclasses)."""

    def check(self, raw: dict[str, Any]) -> list[Issue]:
        """Every issue saving ``raw`` would meet, writing nothing (default: :func:`preview`)."""
        return preview(self.store, lambda: self.write(dict(raw)))

    def extra_issues(self, raw: dict[str, Any]) -> list[Issue]:
        """Issues only the form can see: a name typed into a picker but not picked, a
        choice typed that is not in the list (subclasses add their own)."""
        return [
            Issue(key, issue.template, issue.params, issue.severity)
            for key, field in self.fields.items()
            if _picker(field)
            for issue in field.check()
        ]

    def describe(self, saved) -> str:
        """A short text naming what was just saved, for the "Đã lưu" line."""
        return ""

    def title(self) -> str:
        noun = _(self.noun)
        if self.record_id is None:
            return _("Thêm {noun}").format(noun=noun)
        return _("Sửa {noun}").format(noun=noun)

    # --- values ----------------------------------------------------------------------

    def raw_values(self) -> dict[str, Any]:
        return {key: field.raw() for key, field in self.fields.items()}

    def field_for(self, issue_field: str) -> Field | None:
        key = self.aliases.get(issue_field, issue_field)
        return self.fields.get(key)

    def focus_first(self) -> None:
        key = self.first_key or next(iter(self.fields), None)
        if key in self.fields:
            self.fields[key].editor.setFocus(Qt.OtherFocusReason)
            editor = self.fields[key].editor
            if hasattr(editor, "selectAll"):
                editor.selectAll()

    def is_dirty(self) -> bool:
        return self._dirty

    # --- saving ----------------------------------------------------------------------

    def save(self, *, and_new: bool = False) -> bool:
        """Check, show issues at their fields, ask about warnings, then save.

        Returns True when the record was saved now.
        """
        raw = self.raw_values()
        local = self.extra_issues(raw)
        flagged = {self.aliases.get(i.field, i.field) for i in local if i.is_error}
        # Values the form already knows are wrong go to the check as "not given", and
        # the service's own message about them is left out (the field's message says more).
        checked = {k: (None if k in flagged else v) for k, v in raw.items()}
        try:
            found = self.check(checked)
        except AppError as exc:
            self._error_box(exc.message)
            return False
        flagged_fields = {self.field_for(key) for key in flagged} - {None}
        issues = local + [i for i in found if self.field_for(i.field) not in flagged_fields]
        self.show_issues(issues)
        if errors(issues):
            self._focus_first_error()
            return False
        found = warnings(issues)
        if found:
            self._pending = _Pending(raw, and_new)
            self.warning_text.setText("\n".join(f"• {render(i)}" for i in found))
            self.warning_panel.show()
            self.confirm_button.setDefault(True)
            self.confirm_button.setFocus(Qt.OtherFocusReason)
            return False
        return self._write(raw, and_new=and_new)

    def _confirm_warnings(self) -> None:
        pending = self._pending
        self.warning_panel.hide()
        self.confirm_button.setDefault(False)
        self.save_button.setDefault(True)
        self._pending = None
        if pending is None:
            return
        if pending.raw != self.raw_values():  # changed since: check again
            self.save(and_new=pending.and_new)
            return
        self._write(pending.raw, and_new=pending.and_new)

    def _fix_warnings(self) -> None:
        self.warning_panel.hide()
        self.confirm_button.setDefault(False)
        self.save_button.setDefault(True)
        self._pending = None
        for field in self.fields.values():
            if field.issues:
                field.editor.setFocus(Qt.OtherFocusReason)
                return
        self.focus_first()

    def _write(self, raw: dict[str, Any], *, and_new: bool) -> bool:
        try:
            saved = self.write(dict(raw))
        except ValidationFailed as failed:  # the register changed in between
            self.show_issues(failed.issues)
            self._focus_first_error()
            return False
        except AppError as exc:
            self._error_box(exc.message)
            return False
        self.saved_count += 1
        self.last_saved = saved
        self._remember(raw)
        self.saved.emit(saved)
        self.after_save(saved)
        if and_new:
            self.start_new(saved)
        elif self.close_after_save:
            self._dirty = False
            self.accept()
        else:
            self._dirty = False
        return True

    def after_save(self, saved) -> None:
        """Hook after each successful save (subclasses)."""

    def start_new(self, saved=None) -> None:
        """Clear the form for the next entry, keeping :attr:`keep_on_new`."""
        self.record_id = None
        self._loading = True
        try:
            for key, field in self.fields.items():
                if key in self.keep_on_new:
                    field.set_found([])
                else:
                    field.reset()
            self.reset_extra()
        finally:
            self._loading = False
        self._dirty = False
        self.banner.hide()
        what = self.describe(saved) if saved is not None else ""
        self.saved_line.setText(
            _("Đã lưu {what}. Đã lưu {count} lần trong cửa sổ này; nhập tiếp.").format(
                what=what or _(self.noun), count=self.saved_count
            )
        )
        self.saved_line.show()
        self.setWindowTitle(self.title())
        self.focus_first()

    def reset_extra(self) -> None:
        """Clear what is not a registered field (subclasses)."""

    # --- remembering branch, unit and dates between entries ----------------------------

    def _memory_key(self) -> tuple[str, str]:
        return (type(self).__name__, str(getattr(self.store, "path", id(self.store))))

    def _remember(self, raw: dict[str, Any]) -> None:
        if self.keep_on_new:
            RecordDialog._remembered[self._memory_key()] = {
                k: raw.get(k) for k in self.keep_on_new if raw.get(k) not in (None, "")
            }

    def _recall(self) -> None:
        for key, value in RecordDialog._remembered.get(self._memory_key(), {}).items():
            if key in self.fields:
                self.fields[key].set_raw(value)

    # --- issues ----------------------------------------------------------------------

    def show_issues(self, issues: Sequence[Issue]) -> None:
        """Put each issue under its field; issues of no field go in the banner."""
        by_field: dict[str, list[Issue]] = {key: [] for key in self.fields}
        loose: list[Issue] = []
        for issue in issues:
            field = self.field_for(issue.field)
            if field is None:
                loose.append(issue)
            else:
                key = next(k for k, f in self.fields.items() if f is field)
                by_field[key].append(issue)
        for key, field in self.fields.items():
            field.set_found(by_field[key])
        count = len(errors(issues))
        if count:
            lines = [
                _("Chưa lưu: còn {count} lỗi, xem các ô được đánh dấu đỏ.").format(count=count)
            ]
            lines += [render(i) for i in loose if i.is_error]
            self.banner.setText("\n".join(lines))
            self.banner.show()
        else:
            self.banner.hide()
        loose_warnings = [i for i in loose if not i.is_error]
        if loose_warnings and not count:
            self.banner.setText("\n".join(render(i) for i in loose_warnings))
            self.banner.show()
        if issues:
            self._grow()

    def _focus_first_error(self) -> None:
        for field in self.fields.values():
            if field.has_error:
                field.editor.setFocus(Qt.OtherFocusReason)
                return

    def _error_box(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Warning, self.windowTitle(), message, parent=self)
        box.addButton(_("Đóng"), QMessageBox.AcceptRole)
        box.exec()

    # --- closing ---------------------------------------------------------------------

    def reject(self) -> None:
        if ASK_BEFORE_DISCARD and self._dirty and not self._confirm_discard():
            return
        super().reject()

    def _confirm_discard(self) -> bool:
        box = QMessageBox(
            QMessageBox.Question,
            self.windowTitle(),
            _("Những gì vừa nhập chưa được lưu. Bỏ đi?"),
            parent=self,
        )
        discard = box.addButton(_("Bỏ, không lưu"), QMessageBox.DestructiveRole)
        keep = box.addButton(_("Tiếp tục nhập"), QMessageBox.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is discard

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not getattr(self, "_sized", False):
            self._sized = True
            self.fit_to_screen()

    def _grow(self) -> None:
        """Make room for messages that appeared under the fields (never shrinks)."""
        if not self.isVisible():
            return
        width, height = self.width(), self.height()
        self.fit_to_screen()
        self.resize(max(width, self.width()), max(height, self.height()))

    def fit_to_screen(self) -> None:
        """As tall as the form needs, within the screen."""
        hint = self.body.sizeHint()
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen else None
        outer = self.layout()
        margins = outer.contentsMargins()
        extra = margins.top() + margins.bottom() + 2 * outer.spacing()
        extra += self.save_button.sizeHint().height() + 8
        for widget in (self.banner, self.warning_panel, self.saved_line):
            if not widget.isHidden():
                extra += widget.sizeHint().height() + outer.spacing()
        height = hint.height() + extra
        width = max(hint.width() + 40, 560)
        if available is not None:
            height = min(height, available.height() - 60)
            width = min(width, available.width() - 40)
        self.resize(width, height)


def _picker(field: Field) -> bool:
    from chapter_app.ui.forms.widgets import ChoiceField, RecordPicker

    return isinstance(field, RecordPicker | ChoiceField)


def fixed_width(widget: QWidget) -> QWidget:
    widget.setSizePolicy(QSizePolicy.Fixed, widget.sizePolicy().verticalPolicy())
    return widget
