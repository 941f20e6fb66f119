""" "Nhập từ Excel..." (a preview of every row before anything is written) and "Xuất Excel..."."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from chapter_app import APP_TITLE
from chapter_app.errors import AppError
from chapter_app.i18n import N_, _
from chapter_app.ui.dialogs.safety import _busy

KIND_TITLES = {
    "members": N_("Hội viên"),
    "volunteers": N_("Tình nguyện viên"),
    "addresses": N_("Địa chỉ nhân đạo"),
    "aid": N_("Trợ giúp"),
    "people": N_("Tất cả mọi người"),
}
DUPLICATE_LABELS = {
    "skip": N_("Bỏ qua dòng trùng"),
    "update": N_("Cập nhật hồ sơ đã có"),
    "new": N_("Thêm thành hồ sơ mới"),
}
ERROR_COLOUR = QColor("#fde2e1")
DUPLICATE_COLOUR = QColor("#fff4d6")


def _choose_kind(parent, kinds, title: str) -> str | None:
    labels = [_(KIND_TITLES[k]) for k in kinds]
    label, ok = QInputDialog.getItem(parent, title, _("Loại sổ:"), labels, 0, False)
    return kinds[labels.index(label)] if ok and label in labels else None


class ImportPreviewDialog(QDialog):
    """One row per sheet row: what it becomes and why; nothing is written before "Nhập"."""

    def __init__(self, store, plan, parent=None):
        from chapter_app.services.importer import DUPLICATE_CHOICES, Outcome
        from chapter_app.services.importer.plan import OUTCOME_LABELS

        super().__init__(parent)
        self.store = store
        self.plan = plan
        self.result = None
        self.setWindowTitle(_("Nhập từ Excel: {file}").format(file=plan.file_name))
        counts = plan.counts
        summary = _(
            "Trang «{sheet}»: {rows} dòng. Nhập được {ok} dòng, lỗi {errors} dòng, "
            "trùng {duplicates} dòng."
        ).format(
            sheet=plan.sheet_name,
            rows=len(plan.rows),
            ok=counts["ok"] + counts["warning"],
            errors=counts["error"],
            duplicates=counts["duplicate"],
        )
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(plan.rows), 4)
        self.table.setHorizontalHeaderLabels([_("Dòng"), _("Kết quả"), _("Nội dung"), _("Vấn đề")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        for index, row in enumerate(plan.rows):
            problems = row.messages(_)
            if row.duplicate is not None:
                problems.insert(0, _("Trùng với {what}").format(what=_(row.duplicate.description)))
            cells = [str(row.row), _(OUTCOME_LABELS[row.outcome]), row.label, "\n".join(problems)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if row.outcome is Outcome.ERROR:
                    item.setBackground(QBrush(ERROR_COLOUR))
                elif row.outcome is Outcome.DUPLICATE:
                    item.setBackground(QBrush(DUPLICATE_COLOUR))
                self.table.setItem(index, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()

        self.duplicates = QComboBox()
        for choice in DUPLICATE_CHOICES:
            self.duplicates.addItem(_(DUPLICATE_LABELS.get(choice, choice)), choice)
        self.duplicates.setEnabled(bool(plan.duplicate_rows))
        self.valid_only = QCheckBox(_("Chỉ nhập dòng hợp lệ"))
        self.valid_only.setChecked(False)
        options = QHBoxLayout()
        options.addWidget(QLabel(_("Dòng trùng:")))
        options.addWidget(self.duplicates)
        options.addStretch(1)
        options.addWidget(self.valid_only)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText(_("Nhập"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Hủy"))
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addLayout(options)
        layout.addWidget(buttons)
        self.resize(900, 520)

    def apply(self) -> None:
        from chapter_app.services.importer import apply_import

        if self.plan.has_errors and not self.valid_only.isChecked():
            QMessageBox.warning(
                self,
                APP_TITLE,
                _(
                    "Có {count} dòng lỗi: sửa tệp rồi nhập lại, hoặc đánh dấu "
                    "«Chỉ nhập dòng hợp lệ». Chưa nhập gì."
                ).format(count=len(self.plan.error_rows)),
            )
            return
        try:
            with _busy():
                self.result = apply_import(
                    self.store,
                    self.plan,
                    on_duplicate=self.duplicates.currentData(),
                    valid_only=self.valid_only.isChecked(),
                )
        except AppError as exc:
            QMessageBox.warning(self, APP_TITLE, _(exc.message))
            return
        r = self.result
        QMessageBox.information(
            self,
            APP_TITLE,
            _(
                "Đã nhập: thêm {added}, cập nhật {updated}; bỏ qua {duplicates} dòng trùng "
                "và {errors} dòng lỗi."
            ).format(
                added=r.added,
                updated=r.updated,
                duplicates=r.skipped_duplicates,
                errors=r.skipped_errors,
            ),
        )
        self.accept()


def import_from_excel(window):
    """Choose the kind and the file; the rows are read and checked off the GUI thread
    (a 10,000-row sheet takes seconds), then the preview opens. Returns the job."""
    from chapter_app.services.importer import KINDS, plan_import

    kind = _choose_kind(window, list(KINDS), _("Nhập từ Excel"))
    if kind is None:
        return None
    name, _filter = QFileDialog.getOpenFileName(
        window, _("Chọn tệp Excel"), "", _("Bảng tính (*.xlsx *.csv)")
    )
    if not name:
        return None

    def show_preview(plan) -> None:
        window.import_dialog = ImportPreviewDialog(window.store, plan, window)
        window.import_dialog.open()

    return window.worker.submit(
        lambda store: plan_import(store, name, kind),
        on_done=show_preview,
        on_error=lambda error, _text: _failed(window, error),
        label=_("Đang đọc và kiểm tra tệp Excel…"),
        parent_widget=window,
        context=window,
    )


def _failed(window, error: BaseException) -> None:
    if isinstance(error, AppError):
        QMessageBox.warning(window, APP_TITLE, _(error.message))
    else:
        from chapter_app.ui.pages.base import show_error

        show_error(window, error)


def _page_query(window, kind: str):
    """The search, filters and sort of the register page showing ``kind``, if it is shown."""
    page = window.current_page() if hasattr(window, "current_page") else None
    model = getattr(page, "model", None)
    if window.current_page_name() != kind or not hasattr(model, "query"):
        return None
    return model.query(limit=None)


def export_to_excel(window):
    """The chosen register; for the page on screen, only the rows its search and filters show.
    Written off the GUI thread (100,000 people take seconds); returns the job."""
    from chapter_app.services.excel_export import EXPORT_KINDS, export_register, note_export

    kinds = list(EXPORT_KINDS)
    current = window.current_page_name() if hasattr(window, "current_page_name") else ""
    if current in kinds:
        kinds.remove(current)
        kinds.insert(0, current)
    kind = _choose_kind(window, kinds, _("Xuất Excel"))
    if kind is None:
        return None
    try:  # the export is noted in the audit log: a file that cannot take it is told first
        window.store.check_can_write()
    except AppError as error:
        _failed(window, error)
        return None
    name, _filter = QFileDialog.getSaveFileName(
        window, _("Xuất Excel"), f"{kind}.xlsx", _("Bảng tính Excel (*.xlsx)")
    )
    if not name:
        return None
    query = _page_query(window, kind)

    def done(result) -> None:
        note_export(window.store, result, query)
        QMessageBox.information(
            window, APP_TITLE, _("Đã xuất ra tệp:\n{path}").format(path=result.path)
        )

    return window.worker.submit(
        lambda store: export_register(store, kind, name, query=query, log=False),
        on_done=done,
        on_error=lambda error, _text: _failed(window, error),
        label=_("Đang xuất ra tệp Excel…"),
        parent_widget=window,
        context=window,
    )
