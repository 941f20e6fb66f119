"""Rendering every page and the main dialogs to PNG files, offscreen (``chapter-app screenshots``).

Used to look at the program without a screen (and for the pictures in ``docs/``). Each
page is shown in a main window of a fixed size, its background work is waited for,
and the window is grabbed. Dialogs that run modally (the record forms) are grabbed by
letting ``exec()`` show them, grab and close them instead of waiting for the officer.

With a screen (:func:`screen_environment`, ``--screen 1366x768 --scale 1.25``) the
offscreen platform pretends to be that screen, the main window is maximised on it and
every dialog is checked: its frame must lie inside the screen's available area and its
buttons must be visible (:func:`misfit`); the command names those that are not.
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QMessageBox, QWidget

from chapter_app.ui.app import ensure_application
from chapter_app.ui.fit import available_area, fits, frame_rect, hidden_buttons
from chapter_app.ui.qt_i18n import apply_language

DEFAULT_SIZE = (1280, 800)


def screen_environment(width: int, height: int, scale: float, folder: Path) -> dict[str, str]:
    """Environment variables making Qt's offscreen platform a ``width``×``height`` screen
    (physical pixels) shown at ``scale`` (1.25 = Windows' 125 %); set before Qt starts."""
    config = folder / "offscreen-screen.json"
    screen = {"name": "screen", "x": 0, "y": 0, "width": width, "height": height}
    screen |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return {"QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": f"{scale:g}"}


def misfit(dialog: QWidget) -> str | None:
    """Why ``dialog`` does not fit its screen (frame outside the available area, buttons
    cut off), or None when it fits."""
    area = available_area(dialog)
    reasons = []
    if not fits(dialog, area):
        frame = frame_rect(dialog)
        reasons.append(
            f"{frame.width()}x{frame.height()} at ({frame.x()},{frame.y()}) "
            f"outside {area.width()}x{area.height()}"
        )
    cut = hidden_buttons(dialog)
    if cut:
        reasons.append("buttons cut off: " + ", ".join(cut))
    return "; ".join(reasons) or None


def _quiet_offscreen(_kind, _context, message: str) -> None:
    """Qt's messages, less the offscreen platform's note repeated for every dialog."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def settle(app: QApplication, worker=None, rounds: int = 5) -> None:
    """Let pending events, layouts and background jobs finish."""
    for _round in range(rounds):
        app.processEvents()
        if worker is not None:
            worker.wait_idle(60000)
        app.processEvents()


def save(widget: QWidget, path: Path) -> Path:
    """Grab ``widget`` (in physical pixels) to ``path``; a window that does not fit its
    screen is recorded in :data:`MISFITS` under the file's name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if widget.isWindow() and not isinstance(widget, QMainWindow):
        problem = misfit(widget)
        if problem:
            MISFITS[path.stem] = problem
    if not widget.grab().save(str(path), "PNG", 30):
        raise OSError(f"cannot write {path}")
    return path


# Dialogs that did not fit during the last :func:`take_screenshots`: file name -> why.
MISFITS: dict[str, str] = {}


@contextlib.contextmanager
def grabbing_modal_dialogs(app: QApplication, out: Path, names: list[str]) -> Iterator[list[Path]]:
    """While active, ``QDialog.exec()`` grabs the dialog to the next name and rejects it."""
    written: list[Path] = []
    original = QDialog.exec

    def fake_exec(dialog: QDialog) -> int:
        dialog.show()
        settle(app)
        name = names.pop(0) if names else f"dialog-{len(written) + 1}"
        written.append(save(dialog, out / f"{name}.png"))
        dialog.reject()
        return int(QDialog.DialogCode.Rejected.value)

    QDialog.exec = fake_exec
    try:
        yield written
    finally:
        QDialog.exec = original


def take_screenshots(
    db_path: Path,
    out_dir: Path,
    *,
    language: str | None = None,
    today: date | None = None,
    size: tuple[int, int] | None = DEFAULT_SIZE,
) -> list[Path]:
    """Write ``page-*.png`` and ``dialog-*.png`` for the register at ``db_path``; returns them.

    ``size`` None shows the main window maximised on the screen. Dialogs that do not fit
    their screen are left in :data:`MISFITS`.
    """
    from chapter_app.store.store import Store
    from chapter_app.ui.main_window import PAGE_NAMES, MainWindow
    from chapter_app.ui.pages.base import set_today

    app = ensure_application()
    qInstallMessageHandler(_quiet_offscreen)
    MISFITS.clear()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    store = Store.open(db_path, create=False)
    apply_language(app, language or store.settings.get("language") or "vi")
    set_today(today)
    with tempfile.TemporaryDirectory() as scratch:
        ui_settings = QSettings(str(Path(scratch) / "window.ini"), QSettings.Format.IniFormat)
        window = MainWindow(store, ui_settings=ui_settings)
        try:
            if size is None:
                window.showMaximized()
            else:  # a fixed size, whatever the screen
                window.setWindowState(Qt.WindowState.WindowNoState)
                window.resize(*size)
                window.show()
            settle(app, window.worker)
            for name in PAGE_NAMES:
                if not window.page_actions[name].isVisible():
                    continue  # a page of the other kind of database (an upper level's)
                page = window.show_page(name)
                settle(app, window.worker)
                if name == "activities":
                    for index, tab in enumerate(page.pages):
                        page.tabs.setCurrentIndex(index)
                        settle(app, window.worker)
                        written.append(save(window, out / f"page-activities-{tab.repo_name}.png"))
                    page.tabs.setCurrentIndex(0)
                    continue
                table = getattr(page, "table", None)
                if name not in ("reports",) and table is not None and table.model().rowCount():
                    table.selectRow(0)
                    settle(app)
                written.append(save(window, out / f"page-{name}.png"))
                if name == "dashboard":
                    written.append(_chart_axes(page, out / "charts.json"))
            written += _dialogs(app, window, store, out)
        finally:
            window.close()
            settle(app)
            store.close()
            set_today(None)
    return written


def _dialogs(app: QApplication, window, store, out: Path) -> list[Path]:
    from chapter_app.i18n import _
    from chapter_app.ui.first_run import FirstRunWizard
    from chapter_app.ui.pages.base import forms_module
    from chapter_app.ui.settings_dialog import SettingsDialog

    written = []
    dialog = SettingsDialog(store, window)
    dialog.show()
    for index in range(dialog.panel.tabs.count()):
        dialog.panel.tabs.setCurrentIndex(index)
        settle(app)
        written.append(save(dialog, out / f"dialog-settings-{index + 1}.png"))
    dialog.reject()

    wizard = FirstRunWizard(Path(tempfile.gettempdir()) / "chapter-new.db", window)
    wizard.show()
    for index in range(len(wizard.pageIds())):
        settle(app)
        if index == 1:
            wizard.chapter.chapter_name.setText("Hội Chữ thập đỏ xã Tịnh Kỳ")
            settle(app)
        written.append(save(wizard, out / f"dialog-first-run-{index + 1}.png"))
        wizard.next()
    wizard.reject()

    members = window.show_page("members")
    settle(app, window.worker)
    box = QMessageBox(
        QMessageBox.Icon.Question,
        _("Xác nhận xóa"),
        _("Xóa {noun} «{name}»?").format(noun=_("hội viên"), name=members.model.row(0)["full_name"])
        + "\n\n"
        + _("Có thể lấy lại bằng Sửa > Hoàn tác (Ctrl+Z)."),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        window,
    )
    box.show()
    settle(app)
    written.append(save(box, out / "dialog-confirm-delete.png"))
    box.close()

    written += _tool_dialogs(app, window, store, out)

    forms = forms_module()
    if forms is None:
        return written
    first = {
        "member": store.members.ids(limit=1),
        "volunteer": store.volunteers.ids(limit=1),
        "address": store.addresses.ids(limit=1),
        "sponsor": store.sponsors.ids(limit=1),
        "aid": store.aid.ids(limit=1),
        "blood_drive": store.blood_drives.ids(limit=1),
        "firstaid": store.firstaid.ids(limit=1),
        "health": store.health.ids(limit=1),
        "drill": store.drills.ids(limit=1),
    }
    calls = []
    for kind, ids in first.items():
        calls.append(
            (
                f"dialog-form-{kind}-new",
                lambda kind=kind: forms.open_form(kind, store, parent=window),
            )
        )
        if ids:
            calls.append(
                (
                    f"dialog-form-{kind}-edit",
                    lambda kind=kind, ids=ids: forms.open_form(
                        kind, store, record_id=ids[0], parent=window
                    ),
                )
            )
    person_ids = store.members.rows(limit=1)
    if person_ids:
        calls.append(
            (
                "dialog-person",
                lambda: forms.open_person_view(store, person_ids[0]["person_id"], window),
            )
        )
    if first["address"]:
        calls.append(
            ("dialog-address", lambda: forms.open_address_view(store, first["address"][0], window))
        )
    calls.append(("dialog-distribution", lambda: forms.open_distribution(store, window)))
    calls.append(("dialog-dues", lambda: forms.open_dues(store, window)))
    for name, call in calls:
        names = [name]
        with grabbing_modal_dialogs(app, out, names) as grabbed:
            try:
                call()
            except Exception as exc:  # one broken dialog must not stop the others
                print(f"{name}: {type(exc).__name__}: {exc}", flush=True)
        written += grabbed
    return written


def _tool_dialogs(app: QApplication, window, store, out: Path) -> list[Path]:
    """The dialogs of the menus: history, affiliates, check, package, an issued report."""
    from chapter_app.ui.dialogs.affiliates import AffiliatesDialog
    from chapter_app.ui.dialogs.audit import AuditDialog
    from chapter_app.ui.dialogs.package import PackageDialog
    from chapter_app.ui.dialogs.safety import CheckDialog
    from chapter_app.ui.pages.base import today
    from chapter_app.ui.pages.reports import IssuedReportDialog, build_draft

    quarter = (today().month - 1) // 3 + 1
    code = f"{today().year}-Q{quarter}"
    makers = {
        "dialog-audit": lambda: AuditDialog(store, window),
        "dialog-affiliates": lambda: AffiliatesDialog(store, window),
        "dialog-check": lambda: CheckDialog(store, window.worker, window),
        "dialog-package": lambda: PackageDialog(store, window.worker, code, code, window),
        "dialog-issued-report": lambda: IssuedReportDialog(
            build_draft(store, code, "vi", today()), window
        ),
    }
    written = []
    for name, make in makers.items():
        try:
            dialog = make()
            dialog.show()
            settle(app, window.worker)
            written.append(save(dialog, out / f"{name}.png"))
            dialog.reject()
        except Exception as exc:  # one broken dialog must not stop the others
            print(f"{name}: {type(exc).__name__}: {exc}", flush=True)
    return written


def _chart_axes(page, path: Path) -> Path:
    """What each dashboard chart's value axis says (``[]``: "no data yet"), as JSON."""
    axes = {
        key: [str(label) for label in (view.property("axisLabels") or [])]
        for key, view in page.chart_views.items()
    }
    path.write_text(json.dumps(axes, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
