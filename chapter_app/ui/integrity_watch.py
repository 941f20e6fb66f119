"""The integrity checks off the start-up path.

Opening a register runs no check on the GUI thread: SQLite with WAL survives crashes.
After an unclean close (the lock file was left behind: a crash, a power cut) the file
gets SQLite's quick check before it is used (:func:`open_checked`); otherwise the full
check ("Kiểm tra dữ liệu") runs in the background once a week, a while after the
register is open, and tells the officer only when it finds damage. It also runs on
demand from Công cụ > Kiểm tra dữ liệu.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from chapter_app import APP_TITLE
from chapter_app.i18n import _

FULL_CHECK_EVERY = timedelta(days=7)
FULL_CHECK_DELAY_MS = 60_000  # after the register is open: the officer's first minute is free
DAMAGE = ("integrity", "foreign_key")


def open_checked(db_path: Path, *, read_only: bool = False, password: str | None = None):
    """Open ``db_path`` without the quick check, unless the last session did not close
    (stale lock): then the file is reopened with it (damage raises the usual errors).
    ``password``: the program password, for the locked backup before an upgrade."""
    from chapter_app.services.integrity import open_store

    store = open_store(db_path, read_only=read_only, check=False, password=password)
    if store.lock is not None and store.lock.stale is not None:
        session_password = store.session_password
        store.close()
        store = open_store(db_path, read_only=read_only)  # quick check; damage -> remedies
        store.session_password = session_password
    return store


def _key(path: Path) -> str:
    import hashlib  # not at start-up: the key is asked for after the window is ready

    digest = hashlib.sha1(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:16]
    return f"integrity/last_full_check_{digest}"


def full_check_due(settings, path: Path, *, today: date | None = None) -> bool:
    """True when the register at ``path`` had no full check in the last week."""
    today = today or date.today()
    text = str(settings.value(_key(path), "") or "")
    try:
        last = date.fromisoformat(text)
    except ValueError:
        return True
    return today - last >= FULL_CHECK_EVERY or last > today


def watch_integrity(window) -> None:
    """Once the window shows a register, plan the weekly background check for it."""

    def ready() -> None:
        store = window.store
        if store is None or not full_check_due(window.ui_settings, store.path):
            return
        timer = QTimer(window)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: run_full_check_in_background(window))
        timer.start(FULL_CHECK_DELAY_MS)
        window.integrity_timer = timer

    # planned once the first page is up (the start-up does not wait for it)
    window.ready.connect(lambda: QTimer.singleShot(0, window, ready))


def run_full_check_in_background(window, *, today: date | None = None):
    """Run the full check on the worker; note the day; tell the officer about damage."""
    from chapter_app.services.integrity import run_full_check

    store = window.store
    if store is None or window.worker is None:
        return None
    path = store.path

    def done(findings) -> None:
        window.ui_settings.setValue(_key(path), (today or date.today()).isoformat())
        damage = [f for f in findings if f.code in DAMAGE]
        window.integrity_damage = damage
        if damage:
            notify_damage(window, damage)

    return window.worker.submit(
        lambda thread_store: run_full_check(thread_store),
        on_done=done,
        on_error=lambda _error, _text: None,  # "Kiểm tra dữ liệu" will say it on demand
        context=window,
    )


def notify_damage(window, damage) -> QMessageBox:
    """A notice (not blocking the officer) with the way to the check and its repairs."""
    lines = "\n".join(f"• {finding.description}" for finding in damage[:5])
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        APP_TITLE,
        _(
            "Lần kiểm tra định kỳ thấy tệp dữ liệu có lỗi:\n{lines}\n\n"
            "Hãy mở Công cụ > Kiểm tra dữ liệu để xem và sửa, hoặc khôi phục từ bản sao lưu."
        ).format(lines=lines),
        parent=window,
    )
    box.setObjectName("integrityNotice")
    check = box.addButton(_("Kiểm tra dữ liệu"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Để sau"), QMessageBox.ButtonRole.RejectRole)
    actions = getattr(window, "safety_actions", {})
    if "check_data" in actions:
        check.clicked.connect(actions["check_data"].trigger)
    window.statusBar().showMessage(_("Tệp dữ liệu có lỗi: xem Công cụ > Kiểm tra dữ liệu."))
    box.open()
    return box
