""" "Hội cơ sở trực thuộc": the chapters an upper level expects packages from.

Each addition or removal is one operation (Edit > Undo takes it back). A chapter's first
package links its entry by name, or adds it; see ``chapter_app.store.affiliates``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from chapter_app.errors import AppError
from chapter_app.i18n import _

ERROR_STYLE = "color: #b3261e"


class AffiliatesDialog(QDialog):
    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(_("Hội cơ sở trực thuộc"))
        self.resize(560, 480)
        intro = QLabel(
            _(
                "Các Hội cơ sở gửi số liệu lên đơn vị này. Hội nào chưa gửi gói của kỳ đang xem "
                "sẽ được nêu trong bảng tổng hợp. Hội gửi gói lần đầu được ghép với tên đã nhập "
                "(không phân biệt chữ hoa, chữ thường) hoặc tự thêm vào."
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("affiliates")
        self.name = QLineEdit()
        self.name.setObjectName("affiliateName")
        self.name.setPlaceholderText(_("Ví dụ: Hội Chữ thập đỏ xã Tịnh Kỳ"))
        self.name.setMaxLength(200)
        self.name.textChanged.connect(lambda _t: self.check_name())
        self.name.returnPressed.connect(self.add)
        self.add_button = QPushButton(_("Thêm"))
        self.add_button.clicked.connect(lambda _c=False: self.add())
        self.remove_button = QPushButton(_("Bỏ khỏi danh sách…"))
        self.remove_button.clicked.connect(lambda _c=False: self.remove_selected())
        self.message = QLabel("")
        self.message.setObjectName("affiliateMessage")
        self.message.setStyleSheet(ERROR_STYLE)
        row = QHBoxLayout()
        row.addWidget(self.name, 1)
        row.addWidget(self.add_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(QLabel(_("Thêm Hội cơ sở:")))
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self.load()
        self.check_name()

    def load(self) -> None:
        self.list.clear()
        for affiliate in self.store.affiliates.list():
            text = affiliate.name
            if affiliate.chapter_uuid is None:
                text += "  " + _("(chưa gửi gói nào)")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, affiliate.id)
            self.list.addItem(item)
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))

    def check_name(self) -> bool:
        """Say at the field what is wrong with the typed name; True when it can be added."""
        name = " ".join(self.name.text().split())
        error = ""
        if name and self.store.affiliates.by_name(name) is not None:
            error = _("«{name}» đã có trong danh sách.").format(name=name)
        self.message.setText(error)
        self.add_button.setEnabled(bool(name) and not error)
        return bool(name) and not error

    def add(self) -> bool:
        if not self.check_name():
            return False
        try:
            self.store.affiliates.add_name(self.name.text())
        except AppError as exc:
            self.message.setText(_(exc.message))
            return False
        self.name.clear()
        self.load()
        return True

    def remove_selected(self, *, confirm: bool = True) -> bool:
        items = self.list.selectedItems()
        if not items:
            return False
        affiliate = self.store.affiliates.get(items[0].data(Qt.ItemDataRole.UserRole))
        if confirm:
            answer = QMessageBox.question(
                self,
                _("Bỏ khỏi danh sách"),
                _(
                    "Bỏ «{name}» khỏi danh sách Hội cơ sở trực thuộc?\n\n"
                    "Các gói đã nhận của Hội này vẫn được giữ."
                ).format(name=affiliate.name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        self.store.affiliates.delete(affiliate.id)
        self.load()
        return True
