"""Integrity checks leave the start-up path: a quick check only after an unclean close,
the full check in the background once a week with a notice when it finds damage."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from chapter_app.errors import AppError
from chapter_app.services import integrity
from chapter_app.services.integrity import Finding
from chapter_app.store.lock import lock_path
from chapter_app.ui import integrity_watch
from chapter_app.ui.integrity_watch import full_check_due, open_checked
from chapter_app.ui.main_window import MainWindow


@pytest.fixture
def checks(monkeypatch):
    """Record every quick check run when a register is opened."""
    calls = []
    real = integrity.quick_check

    def counting(conn):
        calls.append(conn)
        return real(conn)

    monkeypatch.setattr(integrity, "quick_check", counting)
    return calls


@pytest.fixture
def closed_register(store, db_path):
    store.close()
    return db_path


def leave_stale_lock(db_path) -> None:
    """What a crash leaves behind: the lock file with its holder, no process holding it."""
    lock_path(db_path).write_text('{"pid": 999999, "host": "VP-HOI", "user": "an"}')


def test_a_register_closed_properly_opens_without_any_check(closed_register, checks):
    store = open_checked(closed_register)
    store.close()
    assert checks == []


def test_after_an_unclean_close_the_file_gets_the_quick_check(closed_register, checks):
    leave_stale_lock(closed_register)
    store = open_checked(closed_register)
    try:
        assert len(checks) == 1
        assert store.lock is not None  # open for writing again
    finally:
        store.close()
    assert open_checked(closed_register).close() is None
    assert len(checks) == 1  # the next, clean start is not checked again


def test_damage_found_after_an_unclean_close_stops_the_open(closed_register, monkeypatch):
    leave_stale_lock(closed_register)
    monkeypatch.setattr(integrity, "quick_check", lambda conn: ["*** trang 7 hỏng"])
    with pytest.raises(AppError, match="hỏng"):
        open_checked(closed_register)
    assert not lock_path(closed_register).exists() or lock_path(closed_register).read_text() == ""


def test_the_full_check_is_due_once_a_week(tmp_path):
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    path = tmp_path / "x.db"
    assert full_check_due(settings, path, today=date(2026, 11, 23))
    settings.setValue(integrity_watch._key(path), "2026-11-20")
    assert not full_check_due(settings, path, today=date(2026, 11, 23))
    assert full_check_due(settings, path, today=date(2026, 11, 27))


def window_on(qtbot, store, tmp_path):
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, ui_settings=settings)
    qtbot.addWidget(window)
    return window


def test_the_weekly_check_runs_in_the_background_after_opening(qtbot, store, tmp_path, monkeypatch):
    monkeypatch.setattr(integrity_watch, "FULL_CHECK_DELAY_MS", 0)
    ran = []
    monkeypatch.setattr(integrity, "run_full_check", lambda s: ran.append(s) or [])
    window = window_on(qtbot, store, tmp_path)
    qtbot.waitUntil(lambda: not full_check_due(window.ui_settings, store.path), timeout=10000)
    assert ran and ran[0] is not store  # the worker's own connection, not the GUI's
    assert window.integrity_damage == []
    assert window.findChild(QMessageBox, "integrityNotice") is None

    again = window_on(qtbot, store, tmp_path)  # the same week: not again
    qtbot.wait(50)
    assert len(ran) == 1 and not hasattr(again, "integrity_timer")


def test_damage_found_in_the_background_is_told_with_the_way_to_repair(
    qtbot, store, tmp_path, monkeypatch
):
    broken = Finding("integrity", "Tệp dữ liệu bị hỏng: trang 7.")
    monkeypatch.setattr(integrity, "run_full_check", lambda s: [broken])
    window = window_on(qtbot, store, tmp_path)
    opened = []
    monkeypatch.setattr(integrity_watch.QMessageBox, "open", lambda box: opened.append(box))
    integrity_watch.run_full_check_in_background(window)
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    notice = opened[0]
    assert "trang 7" in notice.text()
    assert "Kiểm tra dữ liệu" in [b.text() for b in notice.buttons()]
    assert "Kiểm tra dữ liệu" in window.statusBar().currentMessage()


def test_the_modules_a_register_needs_are_imported_on_a_thread_while_the_window_shows():
    import sys

    from chapter_app.ui.app import REGISTER_MODULES, prefetch_register_modules

    thread = prefetch_register_modules()
    thread.join(60)
    assert not thread.is_alive()
    assert all(name in sys.modules for name in REGISTER_MODULES)  # none was misnamed
