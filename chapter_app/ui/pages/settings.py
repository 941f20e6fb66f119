"""Cài đặt: the settings form as a page, with Lưu / Hoàn lại."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from chapter_app.i18n import N_, _
from chapter_app.ui.pages.base import Page
from chapter_app.ui.settings_dialog import SettingsPanel


class SettingsPage(Page):
    title = N_("Cài đặt")
    # Emitted with the new language code after a save that changed it.
    language_changed = Signal(str)

    def __init__(self, store, worker, parent: QWidget | None = None):
        super().__init__(store, worker, parent)
        heading = QLabel(_("Cài đặt"))
        heading.setObjectName("pageTitle")
        self.panel = SettingsPanel(store)
        self.message = QLabel("")
        self.message.setObjectName("pageSubtitle")
        self.save_button = QPushButton(_("Lưu"))
        self.save_button.setObjectName("save")
        self.save_button.clicked.connect(self.save)
        self.reset_button = QPushButton(_("Hoàn lại"))
        self.reset_button.setToolTip(_("Bỏ các thay đổi chưa lưu"))
        self.reset_button.clicked.connect(self.reset)
        if store.read_only:
            self.save_button.setEnabled(False)
            self.message.setText(_("Tệp đang mở ở chế độ chỉ xem."))
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addWidget(heading)
        layout.addWidget(self.panel, 1)
        layout.addLayout(buttons)

    def save(self) -> bool:
        old_language = self.store.settings.get("language") or "vi"
        if not self.panel.save():
            self.message.setText(_("Chưa lưu: hãy sửa các ô có báo lỗi."))
            return False
        self.message.setText(_("Đã lưu cài đặt."))
        new_language = self.store.settings.get("language") or "vi"
        if new_language != old_language:
            self.language_changed.emit(new_language)
        return True

    def reset(self) -> None:
        self.panel.load()
        self.message.setText("")

    def refresh(self) -> None:
        self.panel.load()

    def on_data_changed(self) -> None:
        pass  # never overwrite what the officer is typing
