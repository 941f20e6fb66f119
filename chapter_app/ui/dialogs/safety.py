"""Backups, restore, the data check, the program password and the start-up remedies.

``install_safety_menus(window)`` adds the menu items and the automatic backup to the main
window; ``start_register(db_path, window)`` opens the register at start (offering the ways
forward when it cannot be opened, asking the program password, locking when idle).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from chapter_app import APP_TITLE
from chapter_app.errors import AppError, DatabaseInUseError, WrongPasswordError
from chapter_app.i18n import _

PASSWORD_TRIES = 3
COUNT_COLUMNS = ("members", "volunteers", "addresses", "aid")


@contextlib.contextmanager
def _busy():
    QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def choose(parent, text: str, options: list[tuple[str, str]], *, icon=None) -> str | None:
    """A message with one button per ``(key, label)``; the key of the one pressed (or None)."""
    box = QMessageBox(parent)
    box.setWindowTitle(APP_TITLE)
    box.setIcon(icon or QMessageBox.Icon.Warning)
    box.setText(text)
    buttons = {}
    for key, label in options:
        buttons[box.addButton(label, QMessageBox.ButtonRole.AcceptRole)] = key
    close = box.addButton(_("Đóng"), QMessageBox.ButtonRole.RejectRole)
    box.setEscapeButton(close)
    box.exec()
    return buttons.get(box.clickedButton())


# --- backups -------------------------------------------------------------------------------


def backup_now(window) -> Path | None:
    """ "Sao lưu ngay": a backup of the open register, then where it went."""
    from chapter_app.services.backups import create_backup

    try:
        with _busy():
            path = create_backup(window.store, reason="manual")
    except AppError as exc:
        QMessageBox.warning(window, APP_TITLE, _(exc.message))
        return None
    QMessageBox.information(
        window, APP_TITLE, _("Đã sao lưu dữ liệu vào tệp:\n{path}").format(path=path)
    )
    return path


class RestoreDialog(QDialog):
    """The backups of the register, newest first; the officer picks one."""

    def __init__(self, backups, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Khôi phục từ bản sao lưu"))
        self.backups = list(backups)
        self.table = QTableWidget(len(self.backups), 3 + len(COUNT_COLUMNS))
        self.table.setHorizontalHeaderLabels(
            [
                _("Thời điểm"),
                _("Lý do"),
                _("Tình trạng"),
                _("Hội viên"),
                _("Tình nguyện viên"),
                _("Địa chỉ"),
                _("Trợ giúp"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for row, info in enumerate(self.backups):
            if info.protected:
                state = _("có mật khẩu")
            elif info.usable:
                state = _("dùng được")
            else:
                state = _("không dùng được")
            cells = [info.made_at.strftime("%d/%m/%Y %H:%M"), _(info.reason_label), state]
            for key in COUNT_COLUMNS:
                count = info.counts.get(key)
                cells.append("" if count is None else str(count))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 3:
                    right = (
                        QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
                    )
                    item.setTextAlignment(right)
                self.table.setItem(row, column, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        if self.backups:
            self.table.selectRow(0)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Khôi phục"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Hủy"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = _("Chọn bản sao lưu để khôi phục. Dữ liệu hiện tại được sao lưu trước khi thay.")
        if not self.backups:
            note = _("Chưa có bản sao lưu nào.")
        layout.addWidget(QLabel(note))
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(760, 420)

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None


def restore_into(store, backup_path: Path, *, password: str | None = None):
    """Close ``store`` and replace its file with the backup; returns the RestoreResult."""
    from chapter_app.services.backups import backups_dir, restore_backup
    from chapter_app.services.program_password import backup_password

    folder = backups_dir(store)
    db_path = store.path
    lock_with = backup_password(store)  # the copy of the state before is locked too
    store.close()
    return restore_backup(
        db_path, backup_path, backups_folder=folder, password=password, lock_with=lock_with
    )


def open_restore(window) -> None:
    """ "Khôi phục từ bản sao lưu...": choose, confirm, restore, reopen the register."""
    from chapter_app.services.backups import backups_dir, list_backups

    store = window.store
    try:
        with _busy():
            backups = list_backups(backups_dir(store), db_path=store.path)
    except AppError as exc:
        QMessageBox.warning(window, APP_TITLE, _(exc.message))
        return
    dialog = RestoreDialog(backups, window)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.selected() is None:
        return
    info = dialog.selected()
    password = None
    if info.protected:
        password, ok = QInputDialog.getText(
            window, APP_TITLE, _("Mật khẩu của bản sao lưu:"), QLineEdit.EchoMode.Password
        )
        if not ok:
            return
    question = _(
        "Thay dữ liệu hiện tại bằng bản sao lưu lúc {when}?\n"
        "Dữ liệu hiện tại được sao lưu trước khi thay; chương trình sẽ mở lại tệp."
    ).format(when=info.made_at.strftime("%d/%m/%Y %H:%M"))
    answer = QMessageBox.question(window, APP_TITLE, question)
    if answer != QMessageBox.StandardButton.Yes:
        return
    if window.worker is not None:
        window.worker.shutdown()
    window._safety_store_closed = True
    try:
        with _busy():
            restore_into(store, info.path, password=password)
    except AppError as exc:
        QMessageBox.critical(window, APP_TITLE, _(exc.message))
    else:
        QMessageBox.information(window, APP_TITLE, _("Đã khôi phục dữ liệu; tệp được mở lại."))
    window.request_restart()  # the program opens the register again (see ui/app.py)


def auto_backup(window, *, reason: str = "auto") -> Path | None:
    from chapter_app.services.backups import backup_if_changed

    store = window.store
    if store is None or store.read_only or getattr(window, "_safety_store_closed", False):
        return None
    try:
        return backup_if_changed(store, reason=reason)
    except AppError as exc:
        window.statusBar().showMessage(_(exc.message), 10000)
    return None


# --- the data check ----------------------------------------------------------------------


class CheckDialog(QDialog):
    """ "Kiểm tra dữ liệu": runs the full check off the GUI thread, offers the repairs."""

    def __init__(self, store, worker, parent=None):
        super().__init__(parent)
        self.store = store
        self.worker = worker
        self.findings = []
        self.setWindowTitle(_("Kiểm tra dữ liệu"))
        self.status = QLabel(_("Đang kiểm tra…"))
        self.status.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.repair_button = QPushButton(_("Sửa"))
        self.repair_button.setEnabled(False)
        self.repair_button.clicked.connect(self.repair)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Đóng"))
        buttons.addButton(self.repair_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(640, 400)
        self.run_check()

    def run_check(self) -> None:
        from chapter_app.services.integrity import run_full_check

        self.status.setText(_("Đang kiểm tra…"))
        self.list.clear()
        self.repair_button.setEnabled(False)
        self.worker.submit(
            run_full_check,
            on_done=self._show,
            on_error=lambda exc, _text: self.status.setText(_(getattr(exc, "message", str(exc)))),
            label=_("Đang kiểm tra dữ liệu…"),
            parent_widget=self,
        )

    def _show(self, findings) -> None:
        """Damage first (the file is not sound), then the advice as a to-do list."""
        self.findings = list(findings)
        self.list.clear()
        broken = [f for f in self.findings if f.is_damage]
        notes = [f for f in self.findings if not f.is_damage]
        for finding in broken:
            item = QListWidgetItem(_("Lỗi tệp: {text}").format(text=_(finding.description)))
            item.setData(QtCore.Qt.ItemDataRole.UserRole, "damage")
            self.list.addItem(item)
        for finding in notes:
            text = _(finding.description)
            if finding.repairable:
                text += "\n    " + _("Cách sửa: {repair}").format(repair=_(finding.repair_label))
            item = QListWidgetItem(text)
            item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(QtCore.Qt.CheckState.Unchecked)  # the officer ticks what was done
            item.setData(QtCore.Qt.ItemDataRole.UserRole, "advice")
            self.list.addItem(item)
        repairable = sum(1 for f in self.findings if f.repairable)
        if broken:
            status = _(
                "Tệp dữ liệu bị hỏng ({count} lỗi): nên khôi phục từ bản sao lưu tốt gần nhất."
            ).format(count=len(broken))
        else:
            status = _("Tệp dữ liệu toàn vẹn.")
        if notes:
            status += " " + _("Việc nên làm với dữ liệu: {count} ({repairable} sửa được).").format(
                count=len(notes), repairable=repairable
            )
        elif not broken:
            status += " " + _("Không có việc gì cần làm.")
        self.status.setText(status)
        self.repair_button.setEnabled(bool(repairable) and not self.store.read_only)

    def repair(self) -> None:
        from chapter_app.services.integrity import apply_repairs

        try:
            with _busy():
                backup = apply_repairs(self.store, self.findings)
        except AppError as exc:
            QMessageBox.warning(self, APP_TITLE, _(exc.message))
            return
        if backup is not None:
            QMessageBox.information(
                self,
                APP_TITLE,
                _("Đã sửa. Bản sao lưu trước khi sửa:\n{path}").format(path=backup),
            )
        self.run_check()


def open_check(window) -> None:
    CheckDialog(window.store, window.worker, window).exec()


# --- the program password ------------------------------------------------------------------


def ask_password(store, parent=None, *, tries: int = PASSWORD_TRIES) -> bool:
    """Ask the program password (``tries`` times); True when it was typed right."""
    from chapter_app.services.program_password import (
        PasswordThrottledError,
        check_program_password,
    )

    _fit_dialogs()
    label = _("Nhập mật khẩu chương trình:")
    for attempt in range(tries):
        text, ok = QInputDialog.getText(parent, APP_TITLE, label, QLineEdit.EchoMode.Password)
        if not ok:
            return False
        try:
            if check_program_password(store, text):
                return True
        except PasswordThrottledError as exc:  # wrong too often, even before a restart
            QMessageBox.warning(
                parent,
                APP_TITLE,
                _("Đã nhập sai mật khẩu nhiều lần; hãy đợi {seconds} giây rồi thử lại.").format(
                    seconds=exc.seconds
                ),
            )
            return False
        left = tries - attempt - 1
        label = _("Mật khẩu không đúng (còn {left} lần thử). Nhập lại:").format(left=left)
    QMessageBox.warning(parent, APP_TITLE, _("Mật khẩu không đúng. Chương trình sẽ đóng."))
    return False


def set_password(window) -> bool:
    """ "Đặt mật khẩu...": the current password (if any), then the new one twice."""
    from chapter_app.domain.password import PasswordPolicyError
    from chapter_app.services.privacy import has_program_password, set_program_password

    store = window.store
    current = None
    if has_program_password(store):
        current, ok = QInputDialog.getText(
            window, APP_TITLE, _("Mật khẩu hiện tại:"), QLineEdit.EchoMode.Password
        )
        if not ok:
            return False
    new, ok = QInputDialog.getText(
        window, APP_TITLE, _("Mật khẩu mới:"), QLineEdit.EchoMode.Password
    )
    if not ok:
        return False
    again, ok = QInputDialog.getText(
        window, APP_TITLE, _("Nhập lại mật khẩu mới:"), QLineEdit.EchoMode.Password
    )
    if not ok:
        return False
    if new != again:
        QMessageBox.warning(window, APP_TITLE, _("Hai lần nhập mật khẩu không giống nhau."))
        return False
    try:
        set_program_password(store, new, current=current)
    except PasswordPolicyError as exc:
        QMessageBox.warning(window, APP_TITLE, _(exc.message))
        return False
    except AppError as exc:
        QMessageBox.warning(window, APP_TITLE, _(exc.message))
        return False
    QMessageBox.information(window, APP_TITLE, _("Đã đặt mật khẩu chương trình."))
    return True


class IdleGuard(QObject):
    """Locks the program after the idle minutes set: any key or click counts as use."""

    CHECK_MS = 15000

    def __init__(self, store, window, minutes: float):
        super().__init__(window)
        from chapter_app.domain.password import IdleLock

        self.store = store
        self.window = window
        self.lock = IdleLock(minutes)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(self.CHECK_MS)
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched, event):
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress):
            self.lock.touch()
        return False

    def check(self) -> None:
        if self.lock.locked or not self.lock.should_lock():
            return
        self.window.centralWidget().setVisible(False)
        if ask_password(self.store, self.window):
            self.lock.unlock()
            self.window.centralWidget().setVisible(True)
        else:
            self.timer.stop()
            self.window.close()


# --- opening at start ----------------------------------------------------------------------


def _open_upgrading(db_path: Path, parent, *, read_only: bool = False):
    """A file of an older version whose backups are locked: the program password first
    (the backup before the upgrade is locked with it), ``PASSWORD_TRIES`` tries."""
    from chapter_app.ui.integrity_watch import open_checked

    label = _(
        "Tệp dữ liệu cần được nâng cấp cho phiên bản này; bản sao lưu trước khi nâng cấp "
        "được khóa bằng mật khẩu chương trình. Nhập mật khẩu chương trình:"
    )
    for attempt in range(PASSWORD_TRIES):
        text, ok = QInputDialog.getText(parent, APP_TITLE, label, QLineEdit.EchoMode.Password)
        if not ok:
            return None
        try:
            return open_checked(db_path, read_only=read_only, password=text)
        except WrongPasswordError:
            left = PASSWORD_TRIES - attempt - 1
            label = _("Mật khẩu không đúng (còn {left} lần thử). Nhập lại:").format(left=left)
        except AppError as exc:
            QMessageBox.critical(parent, APP_TITLE, _(exc.message))
            return None
    QMessageBox.warning(parent, APP_TITLE, _("Mật khẩu không đúng. Chương trình sẽ đóng."))
    return None


def _open(db_path: Path, parent, *, read_only: bool = False, depth: int = 0):
    from chapter_app.store.store import UpgradeNeedsPasswordError
    from chapter_app.ui.integrity_watch import open_checked

    try:  # no check at start unless the last session did not close (ui/integrity_watch)
        return open_checked(db_path, read_only=read_only)
    except UpgradeNeedsPasswordError:
        return _open_upgrading(db_path, parent, read_only=read_only)
    except DatabaseInUseError as exc:
        _fit_dialogs()
        options = [("read_only", _("Mở chỉ để xem"))]
        choice = choose(parent, _(exc.message), options, icon=QMessageBox.Icon.Information)
        if choice == "read_only":
            return _open(db_path, parent, read_only=True, depth=depth + 1)
        return None
    except AppError as exc:
        _fit_dialogs()
        from chapter_app.services.backups import (
            default_backups_dir,
            newest_good_backup,
            restore_backup,
        )
        from chapter_app.services.integrity import REMEDY_LABELS, remedies_of

        remedies = [r for r in remedies_of(exc) if r != "choose_folder"]
        if depth > 2 or not remedies:
            QMessageBox.critical(parent, APP_TITLE, _(exc.message))
            return None
        choice = choose(parent, _(exc.message), [(r, _(REMEDY_LABELS[r])) for r in remedies])
        if choice == "open_read_only":
            return _open(db_path, parent, read_only=True, depth=depth + 1)
        if choice == "choose_file":
            name, _filter = QFileDialog.getOpenFileName(
                parent, _("Chọn tệp dữ liệu"), str(db_path.parent), _("Tệp dữ liệu (*.db)")
            )
            return _open(Path(name), parent, depth=depth + 1) if name else None
        if choice == "open_backup":
            try:
                with _busy():
                    info = newest_good_backup(default_backups_dir(db_path), db_path=db_path)
                    if info is None:
                        raise AppError(_("Không tìm thấy bản sao lưu tốt nào."))
                    restore_backup(db_path, info.path)
            except AppError as error:
                QMessageBox.critical(parent, APP_TITLE, _(error.message))
                return None
            return _open(db_path, parent, depth=depth + 1)
        if choice == "update_program":
            QMessageBox.information(
                parent, APP_TITLE, _("Hãy cài phiên bản mới của chương trình rồi mở lại tệp.")
            )
        return None
    except OSError as exc:
        _fit_dialogs()
        QMessageBox.critical(
            parent,
            APP_TITLE,
            _("Không mở được tệp dữ liệu «{path}»: {error}").format(
                path=db_path, error=exc.strerror or exc
            ),
        )
        return None


def _fit_dialogs() -> None:
    """The screen-fit filter, before a dialog shown while the register opens (the program
    installs it once the first page is up: see ``ui/app.run``)."""
    from chapter_app.ui.fit import install_screen_fit

    install_screen_fit(QApplication.instance())


def start_register(db_path: Path, window=None):
    """The register at ``db_path`` ready for ``window``, or None (the program then ends).

    Offers the remedies when it cannot be opened, asks the program password when one is
    set, and arms the idle lock.
    """
    from chapter_app.services.program_password import has_program_password

    store = _open(Path(db_path), window)
    if store is None:
        return None
    if has_program_password(store):
        if not store.session_password and not ask_password(store, window):
            store.close()
            return None
        minutes = float(store.settings.get("lock_idle_minutes") or 0)
        if window is not None and minutes > 0:
            window._idle_guard = IdleGuard(store, window, minutes)
    return store


# --- the menus -----------------------------------------------------------------------------


def install_safety_menus(window) -> None:
    """Add the safety and Excel items to the window's menus, and the automatic backups.

    The dialogs' modules are imported when an item is chosen, not at start-up."""
    import importlib

    def later(module: str, function: str):
        def run() -> None:
            getattr(importlib.import_module(f"chapter_app.ui.dialogs.{module}"), function)(window)

        return run

    bar = window.menuBar()
    file_menu = bar.actions()[0].menu()
    actions = {
        "backup_now": (_("Sao lưu ngay"), lambda: backup_now(window)),
        "restore_backup": (_("Khôi phục từ bản sao lưu…"), lambda: open_restore(window)),
        "import_excel": (_("Nhập từ Excel…"), later("excel", "import_from_excel")),
        "export_excel": (_("Xuất Excel…"), later("excel", "export_to_excel")),
        "check_data": (_("Kiểm tra dữ liệu"), lambda: open_check(window)),
        "audit_log": (_("Nhật ký thay đổi"), later("audit", "open_audit")),
        "set_password": (_("Đặt mật khẩu…"), lambda: set_password(window)),
    }
    made = {name: window._action(text, fn, name=name) for name, (text, fn) in actions.items()}
    window.safety_actions = made
    before = window.settings_action
    for name in ("backup_now", "restore_backup", None, "import_excel", "export_excel", None):
        if name is None:
            file_menu.insertSeparator(before)
        else:
            file_menu.insertAction(before, made[name])
    tools = bar.addMenu(_("&Công cụ"))
    for name in ("check_data", "audit_log", None, "set_password"):
        if name is None:
            tools.addSeparator()
        else:
            tools.addAction(made[name])
    # the Help menu stays last
    help_action = bar.actions()[-2]
    bar.removeAction(help_action)
    bar.addAction(help_action)

    # a hook, not an event filter: a filter would take every event of the window into Python
    window.before_close.append(lambda: auto_backup(window, reason="close"))
    window.backup_timer = QTimer(window)
    window.backup_timer.timeout.connect(lambda: auto_backup(window))

    def ready() -> None:
        store = window.store
        writable = not store.read_only
        for name in ("backup_now", "restore_backup", "import_excel", "set_password"):
            made[name].setEnabled(writable)
        made["export_excel"].setEnabled(writable)
        minutes = int(store.settings.get("backup_interval_minutes") or 0)
        if writable and minutes > 0:
            window.backup_timer.start(minutes * 60 * 1000)

    window.ready.connect(ready)
