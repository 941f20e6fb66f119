"""The in-program user guide ("Hướng dẫn sử dụng", F1): sections on the left, text on the right.

One guide window per main window, kept open beside the work (not modal); F1 on a page
opens the section about that page.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from chapter_app.i18n import _, language
from chapter_app.services.guide import FIRST_SECTION, load_guide, pictures_dir


class GuideDialog(QDialog):
    """The guide in the active language; ``show_section(key)`` turns to a section."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("guideDialog")
        self.setWindowTitle(_("Hướng dẫn sử dụng"))
        self.setModal(False)
        self.sections = load_guide(language())
        self.section_list = QListWidget()
        self.section_list.setObjectName("guideSections")
        for section in self.sections:
            item = QListWidgetItem(section.title)
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            self.section_list.addItem(item)
        self.text = QTextBrowser()
        self.text.setObjectName("guideText")
        self.text.setOpenExternalLinks(False)
        self.text.setSearchPaths([str(pictures_dir(language()))])
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.section_list)
        splitter.addWidget(self.text)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 680])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addWidget(buttons)
        self.section_list.currentRowChanged.connect(self._show_row)
        self._fit_screen()
        self.show_section(FIRST_SECTION)

    def _fit_screen(self) -> None:
        """A comfortable size that never runs past the screen (1093×614 on a 125% laptop)."""
        screen = self.screen() or (self.parentWidget().screen() if self.parentWidget() else None)
        width, height = 960, 640
        if screen is not None:
            area = screen.availableGeometry()
            width = min(width, area.width() - 40)
            height = min(height, area.height() - 60)
        self.resize(width, height)

    def current_key(self) -> str | None:
        item = self.section_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def show_section(self, key: str) -> None:
        """Turn to the section ``key`` (the first section when there is no such key)."""
        keys = [section.key for section in self.sections]
        row = keys.index(key) if key in keys else 0
        if self.sections:
            if self.section_list.currentRow() == row:
                self._show_row(row)
            self.section_list.setCurrentRow(row)

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self.sections):
            self.text.setMarkdown(self.sections[row].markdown)
            self.text.verticalScrollBar().setValue(0)
