""" "Nhật ký thay đổi": the audit log with filters, and its export to Excel."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from chapter_app import APP_TITLE
from chapter_app.errors import AppError
from chapter_app.i18n import _

TABLES = (
    ("people", "Người"),
    ("members", "Hội viên"),
    ("volunteers", "Tình nguyện viên"),
    ("addresses", "Địa chỉ nhân đạo"),
    ("sponsors", "Nhà tài trợ"),
    ("aid", "Trợ giúp"),
    ("activities", "Hoạt động"),
    ("commitments", "Cam kết tài trợ"),
    ("branches", "Chi hội"),
    ("targets", "Chỉ tiêu"),
    ("settings", "Cài đặt"),
)
LIMIT = 500


def _when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return iso


class AuditDialog(QDialog):
    def __init__(self, store, parent=None):
        from chapter_app.services.privacy import ACTION_LABELS, audit_filter_choices

        super().__init__(parent)
        self.store = store
        self.setWindowTitle(_("Nhật ký thay đổi"))
        users, actions = audit_filter_choices(store)
        self.user = QComboBox()
        self.user.addItem(_("Tất cả"), None)
        for user in users:
            self.user.addItem(user, user)
        self.action = QComboBox()
        self.action.addItem(_("Tất cả"), None)
        for action in actions:
            self.action.addItem(_(ACTION_LABELS.get(action, action)), action)
        self.table_choice = QComboBox()
        self.table_choice.addItem(_("Tất cả"), None)
        for key, label in TABLES:
            self.table_choice.addItem(_(label), key)
        today = QDate.currentDate()
        self.use_since = QCheckBox(_("Từ ngày"))
        self.since = QDateEdit(today.addMonths(-1))
        self.use_until = QCheckBox(_("Đến ngày"))
        self.until = QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setCalendarPopup(True)
        filters = QGridLayout()
        filters.addWidget(QLabel(_("Người dùng")), 0, 0)
        filters.addWidget(self.user, 0, 1)
        filters.addWidget(QLabel(_("Thao tác")), 0, 2)
        filters.addWidget(self.action, 0, 3)
        filters.addWidget(QLabel(_("Loại hồ sơ")), 0, 4)
        filters.addWidget(self.table_choice, 0, 5)
        filters.addWidget(self.use_since, 1, 0)
        filters.addWidget(self.since, 1, 1)
        filters.addWidget(self.use_until, 1, 2)
        filters.addWidget(self.until, 1, 3)
        for widget in (self.user, self.action, self.table_choice):
            widget.currentIndexChanged.connect(self.reload)
        for widget in (self.use_since, self.use_until):
            widget.toggled.connect(self.reload)
        for widget in (self.since, self.until):
            widget.dateChanged.connect(self.reload)

        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [_("Thời điểm"), _("Người dùng"), _("Thao tác"), _("Việc"), _("Hồ sơ")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.count = QLabel("")
        export = QPushButton(_("Xuất Excel…"))
        export.clicked.connect(self.export)
        export.setEnabled(not store.read_only)
        close = QPushButton(_("Đóng"))
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(export)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addLayout(bottom)
        self.resize(900, 520)
        self.reload()

    def where(self):
        from chapter_app.services.privacy import AuditFilter

        action = self.action.currentData()
        return AuditFilter(
            user=self.user.currentData(),
            actions=(action,) if action else None,
            table=self.table_choice.currentData(),
            since=self.since.date().toPython() if self.use_since.isChecked() else None,
            until=self.until.date().toPython() if self.use_until.isChecked() else None,
        )

    def reload(self, *_args) -> None:
        from chapter_app.services.privacy import ACTION_LABELS, audit_log

        entries, total = audit_log(self.store, self.where(), limit=LIMIT)
        labels = dict(TABLES)
        self.table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            what = ""
            if e.table_name:
                what = _(labels.get(e.table_name, "Hồ sơ khác"))
                if e.row_id is not None:
                    what += f" #{e.row_id}"
                elif e.new_values and "first_id" in e.new_values:  # rows inserted in bulk
                    what += f" #{e.new_values['first_id']}–{e.new_values['last_id']}"
            cells = [
                _when(e.at),
                e.user,
                _(ACTION_LABELS.get(e.action, e.action)),
                _(e.op_label) if e.op_label else "",
                what,
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text or ""))
        if total > len(entries):
            text = _("{shown} mục mới nhất trong {total} mục").format(
                shown=len(entries), total=total
            )
        else:
            text = _("{total} mục").format(total=total)
        self.count.setText(text)

    def export(self) -> None:
        from chapter_app.services.privacy import export_audit_log_xlsx

        name, _filter = QFileDialog.getSaveFileName(
            self, _("Xuất nhật ký ra Excel"), "nhat-ky.xlsx", _("Bảng tính Excel (*.xlsx)")
        )
        if not name:
            return
        reason, ok = QInputDialog.getText(self, APP_TITLE, _("Lý do xuất nhật ký:"))
        if not ok:
            return
        try:
            path = export_audit_log_xlsx(self.store, name, reason=reason, where=self.where())
        except AppError as exc:
            QMessageBox.warning(self, APP_TITLE, _(exc.message))
            return
        done = _("Đã xuất nhật ký ra tệp:\n{path}").format(path=path)
        QMessageBox.information(self, APP_TITLE, done)
        self.reload()


def open_audit(window) -> None:
    AuditDialog(window.store, window).exec()
