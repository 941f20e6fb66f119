"""Reusable steps of an Excel import through the real window (for journey tests).

``open_import_preview`` goes through File → "Nhập từ Excel…" (the kind and the file chosen
as a person would in the two system dialogs) and waits for the preview; ``import_through_preview``
then ticks what the preview offers to create and presses "Nhập".
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QPushButton

from chapter_app.i18n import _
from chapter_app.ui.dialogs.excel import KIND_TITLES


def open_import_preview(qtbot, window, path: Path, monkeypatch, *, kind: str = "members"):
    """Trigger "Nhập từ Excel…", choose ``kind`` and ``path``; return the preview dialog."""
    wanted = _(KIND_TITLES[kind])
    monkeypatch.setattr(
        QInputDialog, "getItem", staticmethod(lambda *a, **k: (wanted, wanted in a[3]))
    )
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )
    window.import_dialog = None
    action = window.findChild(QAction, "import_excel")
    assert action is not None, "no Nhập từ Excel… action"
    action.trigger()
    qtbot.waitUntil(lambda: getattr(window, "import_dialog", None) is not None, timeout=30000)
    return window.import_dialog


def tick_all_missing(dialog) -> list[str]:
    """Tick every chi hội / thôn the preview offers to create; return what is listed."""
    listed = []
    for i in range(dialog.missing.count()):
        item = dialog.missing.item(i)
        item.setCheckState(Qt.CheckState.Checked)
        listed.append(item.text())
    return listed


def press_import(qtbot, dialog, monkeypatch) -> list[str]:
    """Press "Nhập"; return the texts of the message boxes shown."""
    told: list[str] = []
    for name in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: told.append(str(a[2]))))
    button = dialog.findChild(QPushButton, "import_ok")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return told


def import_through_preview(qtbot, window, path: Path, monkeypatch, *, kind: str = "members"):
    """The whole import as a user does it: open the preview, tick what it offers to create,
    press "Nhập". Returns (the dialog, the messages shown)."""
    dialog = open_import_preview(qtbot, window, path, monkeypatch, kind=kind)
    tick_all_missing(dialog)
    told = press_import(qtbot, dialog, monkeypatch)
    return dialog, told
