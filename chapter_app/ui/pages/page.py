"""The face every page of the main window shares (:class:`Page`) and its small helpers.

Kept apart from the register pages (``pages/base.py``) so that the first page shown at
start-up (Tổng quan) loads neither the table model nor the filter widgets.
"""

from __future__ import annotations

import weakref
from datetime import date
from typing import ClassVar

import shiboken6
from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from chapter_app.errors import AppError
from chapter_app.i18n import _

_today_override: date | None = None


def today() -> date:
    """Today's date (the screenshots command may pin it to the demo data's day)."""
    return _today_override or date.today()


def set_today(day: date | None) -> None:
    global _today_override
    _today_override = day


def upper_first(text: str) -> str:
    """The text with its first letter capitalised (“quý III” -> “Quý III”)."""
    return text[:1].upper() + text[1:]


def forms_module():
    """The record dialogs (``chapter_app.ui.forms``), imported when first needed."""
    try:
        from chapter_app.ui import forms
    except ImportError:
        return None
    return forms if hasattr(forms, "open_form") else None


def no_forms_message(parent: QWidget) -> None:
    QMessageBox.information(
        parent,
        _("Chưa có biểu mẫu"),
        _("Phiên bản này chưa có biểu mẫu nhập liệu cho mục này."),
    )


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """An error the officer can act on (AppError) or a short note of an unexpected one."""
    if isinstance(error, AppError):
        QMessageBox.warning(parent, _("Không thực hiện được"), error.message)
    else:
        QMessageBox.critical(
            parent,
            _("Lỗi"),
            _("Đã xảy ra lỗi không mong muốn: {error}").format(error=error),
        )


class Page(QWidget):
    """A page of the main window; the register pages and the others share this face."""

    title: ClassVar[str] = ""
    # Emitted when the text for the status bar changed.
    status_changed = Signal()

    def __init__(self, store, worker, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.worker = worker
        self._dirty = False
        self._change_timer = QTimer(self)
        self._change_timer.setSingleShot(True)
        self._change_timer.timeout.connect(self.on_data_changed)
        self._listen_to(store)

    def _listen_to(self, store) -> None:
        """Refresh after every operation on the store (coalesced: once per event-loop turn)."""
        page = weakref.ref(self)
        listeners = store.ops.listeners

        def listener(_operation) -> None:
            alive = page()
            if alive is None or not shiboken6.isValid(alive):
                if listener in listeners:
                    listeners.remove(listener)
                return
            alive._change_timer.start(0)

        listeners.append(listener)
        self.destroyed.connect(lambda *_args: listener in listeners and listeners.remove(listener))

    def status_text(self) -> str:
        return ""

    def can_add(self) -> bool:
        return False

    def add_record(self) -> None:
        """Ctrl+N on this page."""

    def focus_search(self) -> None:
        """Ctrl+F on this page."""

    def refresh(self) -> None:
        """F5: read again what the page shows."""

    def ensure_loaded(self) -> None:
        """Load the page's data if it was never loaded."""

    def on_data_changed(self) -> None:
        """The register changed (an operation ended): refresh now if shown, else when shown."""
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.ensure_loaded()
        if self._dirty:
            self._dirty = False
            self.refresh()

    def save_state(self, settings: QSettings, prefix: str) -> None:
        """Keep column widths and the like between runs."""

    def restore_state(self, settings: QSettings, prefix: str) -> None:
        pass
