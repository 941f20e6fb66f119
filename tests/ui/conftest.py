"""Fixtures shared by the window tests (the database fixtures are in tests/conftest.py)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings

FORM_TODAY = date(2026, 11, 23)


@pytest.fixture
def form_clock(monkeypatch):
    """The forms' today is 23/11/2026, and closing a changed form asks nothing."""
    from chapter_app.ui.forms import base, widgets

    monkeypatch.setattr(widgets, "today", lambda: FORM_TODAY)
    monkeypatch.setattr(base, "ASK_BEFORE_DISCARD", False)


@pytest.fixture
def blank_window(qtbot, qapp, store, tmp_path):
    """The main window on the blank register of ``store``, in Vietnamese, its pages' today
    23/11/2026, sized as a 1366×768 screen at 125 % (1093×614) and shown."""
    from chapter_app.ui.main_window import MainWindow
    from chapter_app.ui.pages.base import set_today
    from chapter_app.ui.qt_i18n import apply_language

    apply_language(qapp, "vi")
    set_today(FORM_TODAY)
    window = MainWindow(
        store, ui_settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.resize(1093, 614)
    window.show()
    qtbot.waitExposed(window)
    yield window
    set_today(None)
