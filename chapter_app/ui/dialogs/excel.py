""" "Nhập từ Excel..." (a preview of every row before anything is written) and "Xuất Excel..."."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
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
    QWidget,
)

from chapter_app import APP_TITLE
from chapter_app.domain.organisation import unit_prefix
from chapter_app.errors import AppError
from chapter_app.i18n import N_, _
from chapter_app.ui.dialogs.safety import _busy

KIND_TITLES = {
    "members": N_("Hội viên"),
    "volunteers": N_("Tình nguyện viên"),
    "addresses": N_("Địa chỉ nhân đạo"),
    "aid": N_("Trợ giúp"),
    "donations": N_("Sổ hiến máu"),
    "people": N_("Tất cả mọi người"),
}
LEGACY_LABELS = {
    "auto": N_("tự nhận ra TCVN3, VNI"),
    "tcvn3": N_("coi là TCVN3 (ABC)"),
    "vni": N_("coi là VNI"),
    "off": N_("không chuyển"),
}
DUPLICATE_LABELS = {
    "skip": N_("Bỏ qua dòng trùng"),
    "update": N_("Cập nhật hồ sơ đã có"),
    "new": N_("Thêm thành hồ sơ mới"),
}
ERROR_COLOUR = QColor("#fde2e1")
DUPLICATE_COLOUR = QColor("#fff4d6")
TABLE_ROWS = 1000  # a sheet of 100,000 rows is summed up, not shown row by row


def shown_rows(rows: list, limit: int = TABLE_ROWS) -> list:
    """The planned rows the table shows: all of them up to ``limit``; past that, the rows
    with issues or duplicates first, then others, at most ``limit``, in sheet order."""
    if len(rows) <= limit:
        return rows
    flagged = [i for i, row in enumerate(rows) if row.issues or row.duplicate is not None]
    chosen = set(flagged[:limit])
    for i in range(len(rows)):
        if len(chosen) >= limit:
            break
        chosen.add(i)
    return [rows[i] for i in sorted(chosen)]


def _choose_kind(parent, kinds, title: str) -> str | None:
    from chapter_app.services.importer import fields as F

    labels = [
        _(KIND_TITLES[k]) if k in KIND_TITLES else _(F.KIND_NOUNS[k]).capitalize() for k in kinds
    ]
    label, ok = QInputDialog.getItem(parent, title, _("Loại sổ:"), labels, 0, False)
    return kinds[labels.index(label)] if ok and label in labels else None


class ImportPreviewDialog(QDialog):
    """One row per sheet row: what it becomes and why; nothing is written before "Nhập".

    Beside the rows: the sheet read (another can be picked, or all of them), the chi hội and
    thôn the sheet names that the register lacks (a checked list: created with the import),
    and a value for all rows of each required column the sheet lacks. Changing the sheet or
    a value plans the import again; ticking the list only changes which rows can go in.
    """

    def __init__(self, store, plan, parent=None):
        from chapter_app.services.importer import DUPLICATE_CHOICES

        super().__init__(parent)
        self.setObjectName("import_preview")
        self.store = store
        self.plan = plan
        self.result = None
        self.setWindowTitle(_("Nhập từ Excel: {file}").format(file=plan.file_name))
        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.sheet = QComboBox()
        self.sheet.setObjectName("import_sheet")
        self.legacy = QComboBox()
        self.legacy.setObjectName("import_legacy")
        for mode, label in LEGACY_LABELS.items():
            self.legacy.addItem(_(label), mode)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("import_rows")
        self.table.setHorizontalHeaderLabels([_("Dòng"), _("Kết quả"), _("Nội dung"), _("Vấn đề")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        self.missing = QListWidget()
        self.missing.setObjectName("import_missing")
        self.missing_box = QGroupBox(_("Chưa có trong sổ — đánh dấu để tạo khi nhập"))
        box = QVBoxLayout(self.missing_box)
        box.addWidget(self.missing)
        self.defaults_box = QGroupBox(_("Giá trị chung cho cột tệp không có"))
        self.defaults_form = QFormLayout(self.defaults_box)
        self.default_edits: dict[str, QLineEdit] = {}
        side = QVBoxLayout()
        side.addWidget(self.missing_box, 1)
        side.addWidget(self.defaults_box)
        self.side = QWidget()  # shown only when it has something to ask
        self.side.setObjectName("import_side")
        self.side.setLayout(side)
        self.side.setFixedWidth(320)

        self.duplicates = QComboBox()
        for choice in DUPLICATE_CHOICES:
            self.duplicates.addItem(_(DUPLICATE_LABELS.get(choice, choice)), choice)
        self.valid_only = QCheckBox(_("Chỉ nhập dòng hợp lệ"))
        self.valid_only.setObjectName("import_valid_only")
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
        self.import_button.setObjectName("import_ok")
        self.import_button.setText(_("Nhập"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Hủy"))
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(QLabel(_("Trang tính:")))
        sheet_row.addWidget(self.sheet, 1)
        sheet_row.addWidget(QLabel(_("Chữ gõ mã cũ:")))
        sheet_row.addWidget(self.legacy)
        middle = QHBoxLayout()
        middle.addWidget(self.table, 1)
        middle.addWidget(self.side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(sheet_row)
        layout.addLayout(middle, 1)
        layout.addLayout(options)
        layout.addWidget(buttons)
        self.resize(1060, 580)
        self.show_plan(plan)
        self.sheet.currentIndexChanged.connect(self._sheet_chosen)
        self.legacy.currentIndexChanged.connect(self._sheet_chosen)
        self.missing.itemChanged.connect(self._missing_ticked)

    # --- showing a plan -------------------------------------------------------------------

    def show_plan(self, plan) -> None:
        """Fill every part of the dialog from ``plan`` (the first one, or after a re-plan)."""
        from chapter_app.services.importer import ALL_SHEETS

        self.plan = plan
        self.sheet.blockSignals(True)
        self.sheet.clear()
        for name in plan.sheet_names:
            self.sheet.addItem(name, name)
        if len(plan.sheet_names) > 1:
            self.sheet.addItem(_("Tất cả các trang"), ALL_SHEETS)
        chosen = ALL_SHEETS if len(plan.sheets) > 1 else plan.sheet_name
        self.sheet.setCurrentIndex(max(0, self.sheet.findData(chosen)))
        self.sheet.setEnabled(len(plan.sheet_names) > 1)
        self.sheet.blockSignals(False)
        self.legacy.blockSignals(True)
        self.legacy.setCurrentIndex(max(0, self.legacy.findData(plan.legacy)))
        self.legacy.blockSignals(False)

        self.missing.blockSignals(True)
        self.missing.clear()
        for ref in plan.missing:
            text = _("{name} ({rows} dòng)").format(name=ref.name, rows=ref.rows)
            if ref.what == "unit" and not unit_prefix(ref.name):
                text = _("Thôn, tổ dân phố: {name}").format(name=text)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, ref.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if ref.key in plan.create else Qt.CheckState.Unchecked
            )
            self.missing.addItem(item)
        self.missing.blockSignals(False)
        self.missing_box.setVisible(bool(plan.missing))

        self._show_defaults(plan)
        self.show_rows()

    def _show_defaults(self, plan) -> None:
        from chapter_app.services.importer import fields as F

        wanted = list(dict.fromkeys([*plan.missing_fields, *self.default_edits]))
        while self.defaults_form.rowCount():
            self.defaults_form.removeRow(0)
        edits = {}
        for key in wanted:
            edit = QLineEdit(str(plan.defaults.get(key) or ""))
            edit.setObjectName(f"import_default_{key}")
            edit.setPlaceholderText(_("cho mọi dòng"))
            self.defaults_form.addRow(_(F.field_spec(plan.kind, key).label), edit)
            edits[key] = edit
        self.default_edits = edits
        self.apply_defaults = QPushButton(_("Xem lại với giá trị này"))
        self.apply_defaults.setObjectName("import_apply_defaults")
        self.apply_defaults.clicked.connect(self.replan)
        self.defaults_form.addRow(self.apply_defaults)
        self.defaults_box.setVisible(bool(edits))
        # An empty side panel would take 320 px from the rows' problems.
        self.side.setVisible(bool(edits) or bool(plan.missing))

    def show_rows(self) -> None:
        """The table and the summary for the plan's current outcomes."""
        from chapter_app.services.importer import OUTCOME_LABELS, Outcome

        plan = self.plan
        shown = shown_rows(plan.rows)
        text = self._summary_text()
        if len(shown) < len(plan.rows):
            text += "\n" + _(
                "Bảng chỉ hiện {shown} trên {total} dòng (các dòng có vấn đề trước)."
            ).format(shown=len(shown), total=len(plan.rows))
        self.summary.setText(text)
        self.table.setRowCount(len(shown))
        several = len(plan.sheets) > 1
        for index, row in enumerate(shown):
            problems = row.messages(_)
            if row.duplicate is not None:
                problems.insert(0, _("Trùng với {what}").format(what=_(row.duplicate.description)))
            where = f"{row.sheet}: {row.row}" if several else str(row.row)
            cells = [where, _(OUTCOME_LABELS[row.outcome]), row.label, "\n".join(problems)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if row.outcome is Outcome.ERROR:
                    item.setBackground(QBrush(ERROR_COLOUR))
                elif row.outcome is Outcome.DUPLICATE:
                    item.setBackground(QBrush(DUPLICATE_COLOUR))
                self.table.setItem(index, column, item)
        self.table.resizeRowsToContents()
        self.duplicates.setEnabled(bool(plan.duplicate_rows))

    def _summary_text(self) -> str:
        plan = self.plan
        counts = plan.counts
        lines = []
        for part in plan.sheets:
            header = "–".join(str(n) for n in part.header_rows) or _("không tìm thấy")
            mapped = [c for c in part.columns if c.field and c.field != "ignore"]
            ignored = [c.title for c in part.columns if c.title and not c.field]
            text = _(
                "Trang tính «{sheet}»: dòng tiêu đề {header}; {rows} dòng; ghép {mapped} cột"
            ).format(sheet=part.name, header=header, rows=part.rows, mapped=len(mapped))
            if ignored:
                text += _("; bỏ qua cột: {names}").format(names=", ".join(ignored))
            if part.branch:
                text += _("; chi hội: {name}").format(name=part.branch)
            lines.append(text + ".")
        if plan.source:
            lines.append(_("Đọc tệp: {how}.").format(how=plan.source))
        made = plan.to_create
        if made:
            branches = sum(1 for m in made if m.what == "branch")
            parts = []
            if branches:
                parts.append(_("{n} chi hội").format(n=branches))
            if len(made) > branches:
                parts.append(_("{n} thôn, tổ dân phố").format(n=len(made) - branches))
            lines.append(_("Khi nhập sẽ tạo mới: {what}.").format(what="; ".join(parts)))
        lines.append(
            _("Nhập được {ok} dòng, lỗi {errors} dòng, trùng {duplicates} dòng.").format(
                ok=counts["ok"] + counts["warning"],
                errors=counts["error"],
                duplicates=counts["duplicate"],
            )
        )
        return "\n".join(lines)

    # --- choices ---------------------------------------------------------------------------

    def chosen_missing(self) -> list[str]:
        keys = []
        for i in range(self.missing.count()):
            item = self.missing.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                keys.append(item.data(Qt.ItemDataRole.UserRole))
        return keys

    def _missing_ticked(self, _item) -> None:
        self.plan.choose_missing(self.chosen_missing())
        self.show_rows()

    def _sheet_chosen(self, _index) -> None:
        self.replan()

    def replan(self) -> None:
        """Plan again with the chosen sheet, legacy mode and values given for all rows; off
        the GUI thread when the dialog belongs to the main window (its worker)."""
        from chapter_app.services.importer import plan_import

        defaults = dict(self.plan.defaults)
        for key, edit in self.default_edits.items():
            text = edit.text().strip()
            if text:
                defaults[key] = text
            else:
                defaults.pop(key, None)
        previous = self.plan
        chosen = set(self.chosen_missing())
        options = {
            "sheet": self.sheet.currentData(),
            "defaults": defaults,
            "today": previous.today,
            "legacy": self.legacy.currentData(),
        }

        def plan(store):
            return plan_import(store, previous.path, previous.kind, **options)

        def done(new_plan) -> None:
            # What was ticked stays ticked; chi hội and thôn not seen before come ticked.
            seen = {m.key for m in previous.missing}
            new_plan.choose_missing(
                [m.key for m in new_plan.missing if m.key in chosen or m.key not in seen]
            )
            self.setEnabled(True)
            self.show_plan(new_plan)

        def failed(error, _text=None) -> None:
            self.setEnabled(True)
            self.show_plan(previous)  # the choices as they were
            _failed(self, error)

        worker = getattr(self.parent(), "worker", None)
        self.setEnabled(False)
        if worker is None:
            try:
                with _busy():
                    result = plan(self.store)
            except AppError as exc:
                failed(exc)
                return
            done(result)
            return
        self.job = worker.submit(
            plan,
            on_done=done,
            on_error=failed,
            label=_("Đang đọc và kiểm tra tệp Excel…"),
            parent_widget=self,
            context=self,
        )

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
        text = _(
            "Đã nhập: thêm {added}, cập nhật {updated}; bỏ qua {duplicates} dòng trùng "
            "và {errors} dòng lỗi."
        ).format(
            added=r.added,
            updated=r.updated,
            duplicates=r.skipped_duplicates,
            errors=r.skipped_errors,
        )
        if r.created:
            text += "\n" + _("Đã tạo chi hội, thôn mới: {names}.").format(
                names="; ".join(r.created)
            )
        QMessageBox.information(self, APP_TITLE, text)
        self.accept()


def import_from_excel(window):
    """Choose the kind and the file; the rows are read and checked off the GUI thread
    (a 10,000-row sheet takes seconds), then the preview opens. Returns the job."""
    from chapter_app.services.importer import plan_import
    from chapter_app.services.importer.fields import KINDS
    from chapter_app.services.importer.planner import SHEET_KINDS

    # The usual four first, in their usual order, then any further kind registered.
    kinds = [*KINDS, *(k for k in SHEET_KINDS if k not in KINDS)]
    kind = _choose_kind(window, kinds, _("Nhập từ Excel"))
    if kind is None:
        return None
    name, _filter = QFileDialog.getOpenFileName(
        window,
        _("Chọn tệp Excel"),
        "",
        _("Bảng tính (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt)"),
    )
    if not name:
        return None

    def show_preview(plan) -> None:
        window.import_dialog = ImportPreviewDialog(window.store, plan, window)
        window.import_dialog.open()

    return window.worker.submit(
        lambda store: plan_import(store, name, kind, create_missing=True),
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
