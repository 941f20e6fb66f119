"""Composition root of the desktop program: QApplication, store, main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox

from chapter_app import APP_NAME, APP_TITLE
from chapter_app.errors import AppError
from chapter_app.store.store import Store


class PlaceholderWindow(QMainWindow):
    """Until the full desktop program lands: shows which register is open."""

    def __init__(self, store: Store):
        super().__init__()
        name = store.settings.get("chapter_name") or "(chưa đặt tên Hội)"
        self.setWindowTitle(f"{APP_TITLE} - {name}")
        people = store.people.count()
        members = store.members.count()
        label = QLabel(
            f"<h2>{name}</h2><p>Tệp dữ liệu: {store.path}</p>"
            f"<p>{people} người, {members} hội viên.</p>"
        )
        label.setMargin(24)
        self.setCentralWidget(label)
        self.resize(720, 360)


def run(*, db_path: Path) -> int:
    """Open the program on ``db_path``; returns the exit code."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    try:
        store = Store.open(db_path)
    except AppError as exc:
        QMessageBox.critical(None, APP_TITLE, exc.message)
        return 1
    with store:
        window = PlaceholderWindow(store)
        window.show()
        return app.exec()
