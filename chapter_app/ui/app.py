"""Composition root of the desktop program: QApplication, languages, store, main window.

``run(db_path=...)`` opens the register at ``db_path``; when the file does not exist
yet, the first-run wizard creates it. A language change reopens the window in the
same process (the main window exits with ``RESTART_EXIT_CODE``).
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from chapter_app import APP_NAME, APP_TITLE
from chapter_app.errors import AppError, DatabaseInUseError
from chapter_app.i18n import _
from chapter_app.ui.fit import install_screen_fit
from chapter_app.ui.qt_i18n import apply_language, setup_application, style_arguments
from chapter_app.ui.style import apply_style


def ensure_application(argv: list[str] | None = None, *, fit_dialogs: bool = True) -> QApplication:
    """The one QApplication, set up with the program's names, font and style.

    ``fit_dialogs``: install the filter keeping dialogs inside the screen now. ``run``
    installs it later (every event then passes through Python, which costs ~30 ms while
    the first window is built); whatever shows a dialog before calls it.
    """
    app = QApplication.instance()
    styled = app is None
    if app is None:
        app = QApplication([*(argv if argv is not None else sys.argv[:1]), *style_arguments()])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    setup_application(app, styled=styled)
    apply_style(app)
    if fit_dialogs:
        install_screen_fit(app)
    return app


def _show_unexpected_error(kind, value, tb) -> None:
    """Last resort for an error in a slot: tell the officer, keep the program running."""
    traceback.print_exception(kind, value, tb)
    if isinstance(value, AppError):
        QMessageBox.warning(None, APP_TITLE, value.message)
        return
    QMessageBox.critical(
        None,
        APP_TITLE,
        _("Đã xảy ra lỗi không mong muốn: {error}\n\nDữ liệu đã lưu không bị ảnh hưởng.").format(
            error=value
        ),
    )


def open_store(db_path: Path):
    """The store at ``db_path``, or None after telling the officer why it cannot be opened.

    When another window holds the file open for writing, the officer may open it read-only.
    """
    from chapter_app.store.store import Store

    try:
        return Store.open(db_path, create=False)
    except DatabaseInUseError as exc:
        answer = QMessageBox.question(
            None,
            APP_TITLE,
            exc.message + "\n\n" + _("Mở tệp ở chế độ chỉ xem (không sửa được)?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            return open_store_read_only(db_path)
    except AppError as exc:
        QMessageBox.critical(None, APP_TITLE, exc.message)
    except OSError as exc:
        QMessageBox.critical(
            None,
            APP_TITLE,
            _("Không mở được tệp dữ liệu «{path}»: {error}").format(
                path=db_path, error=exc.strerror or exc
            ),
        )
    return None


def open_store_read_only(db_path: Path):
    from chapter_app.store.store import Store

    try:
        return Store.open(db_path, read_only=True)
    except AppError as exc:
        QMessageBox.critical(None, APP_TITLE, exc.message)
    return None


# What opening a register needs beyond the window: the store, its checks and the
# password. Imported on a thread while the GUI thread builds and shows the window (mostly
# inside Qt, which lets Python threads run). Only these: the repositories, the records and
# the services load when a page or a background job first needs them, after the register
# is open (a longer list here only makes the open wait for the thread).
REGISTER_MODULES = (
    "chapter_app.store.store",
    "chapter_app.services.integrity",
    "chapter_app.services.program_password",
)


def prefetch_register_modules() -> threading.Thread:
    """Start importing :data:`REGISTER_MODULES` in the background; returns the thread."""

    def load() -> None:
        for name in REGISTER_MODULES:
            with contextlib.suppress(Exception):  # the open itself will report any error
                importlib.import_module(name)

    thread = threading.Thread(target=load, name="prefetch-imports", daemon=True)
    thread.start()
    return thread


def run(*, db_path: Path, exit_when_shown: bool = False) -> int:
    """Open the program on ``db_path``; returns the exit code.

    The window appears first (in the language last used) and the register is opened
    right after, so a large file or a slow disk never leaves the officer without a window.
    ``exit_when_shown`` (benchmarks) prints ``shown`` when the window is on screen and
    ``ready`` when the register is open in it, then quits.
    """
    from chapter_app import i18n

    prefetch = prefetch_register_modules()  # while Qt starts and shows the window
    from chapter_app.ui.main_window import RESTART_EXIT_CODE, MainWindow, default_ui_settings

    app = ensure_application(fit_dialogs=False)
    ui_settings = default_ui_settings()
    apply_language(app, str(ui_settings.value("ui/language", "vi")))
    db_path = Path(db_path)
    if not db_path.exists():
        prefetch.join()
        from chapter_app.ui.first_run import FirstRunWizard

        install_screen_fit(app)

        while True:  # again in the language chosen on its first page
            wizard = FirstRunWizard(db_path)
            result = wizard.exec()
            if result != FirstRunWizard.LANGUAGE_CHANGED:
                break
            ui_settings.setValue("ui/language", i18n.language())
        if result != QDialog.DialogCode.Accepted:
            return 0
        db_path = wizard.db_path

    previous_hook = sys.excepthook
    sys.excepthook = _show_unexpected_error
    try:
        while True:
            state: dict = {"window": MainWindow(None, ui_settings=ui_settings), "store": None}
            state["window"].show()

            def open_register(state=state) -> None:
                from chapter_app.ui.dialogs.safety import start_register

                prefetch.join()  # never import the same modules on two threads at once

                store = start_register(db_path, state["window"])  # remedies, password
                if store is None:
                    app.exit(1)
                    return
                state["store"] = store
                language = store.settings.get("language") or "vi"
                if language != i18n.language():  # the window was built in another language
                    apply_language(app, language)
                    shell = state["window"]
                    state["window"] = MainWindow(None, ui_settings=ui_settings)
                    state["window"].show()
                    shell.close()
                ui_settings.setValue("ui/language", i18n.language())
                state["window"].attach(store, shortcuts_later=True)
                install_screen_fit(app)  # every dialog from now on kept inside the screen
                if exit_when_shown:
                    print("ready", flush=True)
                    app.exit(0)

            if exit_when_shown:
                QTimer.singleShot(0, lambda: print("shown", flush=True))
            # Once the events of showing the window are handled (it is painted first).
            QTimer.singleShot(0, open_register)
            code = app.exec()
            state["window"].close()
            state["window"].deleteLater()
            if state["store"] is not None:
                state["store"].close()
            if code != RESTART_EXIT_CODE:
                return code
    finally:
        sys.excepthook = previous_hook
