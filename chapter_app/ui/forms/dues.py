"""The dues screen: tick who paid for which months in one branch, and see who still owes."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from chapter_app.domain.validation import Issue, ValidationFailed, errors
from chapter_app.errors import AppError
from chapter_app.i18n import N_, _, format_money, format_number
from chapter_app.services.dues import (
    DuesEntry,
    DuesRow,
    dues_grid,
    exemption_warning,
    months_text,
    owing,
    record_dues_many,
)
from chapter_app.ui.forms import widgets
from chapter_app.ui.forms.base import PANEL_STYLE
from chapter_app.ui.forms.common import branch_choices
from chapter_app.ui.forms.widgets import FIELD_STYLE, ChoiceField, DateField, MoneyField, render

NAME, FIRST_MONTH, EXEMPT, RECEIPT, OWED = 0, 1, 13, 14, 15
MSG_NOTHING_TICKED = N_("Chưa đánh dấu tháng nào để thu.")
PAID_BRUSH = QBrush(QColor("#e3f1e3"))
OFF_BRUSH = QBrush(QColor("#eeeeee"))


class DuesDialog(QDialog):
    """Members of one branch × 12 months; paid months ticked and locked."""

    def __init__(self, store, *, record_id: int | None = None, parent=None):
        super().__init__(parent)
        del record_id  # one screen per branch and year, not per record
        self.store = store
        self.saved_count = 0
        self.rows: list[DuesRow] = []
        self.setWindowTitle(_("Thu hội phí"))
        self.setStyleSheet(FIELD_STYLE + PANEL_STYLE)
        outer = QVBoxLayout(self)

        top = QHBoxLayout()
        form = QFormLayout()
        self.branch = ChoiceField(branch_choices(store))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(widgets.today().year)
        form.addRow(_("Chi hội"), self.branch)
        form.addRow(_("Năm"), self.year)
        top.addLayout(form, 1)
        form2 = QFormLayout()
        self.rate = MoneyField("amount_per_month", required=True)
        self.rate.set_raw(int(store.settings.get("dues_per_month") or 0))
        self.paid_on = DateField("paid_on", required=True, not_after_today=True)
        self.paid_on.set_raw(widgets.today())
        form2.addRow(_("Mức thu mỗi tháng"), self.rate)
        form2.addRow(_("Ngày thu"), self.paid_on)
        top.addLayout(form2, 1)
        outer.addLayout(top)

        self.banner = QLabel()
        self.banner.setObjectName("errorBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        outer.addWidget(self.banner)
        self.warning_panel = QFrame()
        self.warning_panel.setObjectName("warningPanel")
        panel = QHBoxLayout(self.warning_panel)
        self.warning_text = QLabel()
        self.warning_text.setWordWrap(True)
        panel.addWidget(self.warning_text, 1)
        self.confirm_button = QPushButton(_("Vẫn lưu"))
        self.confirm_button.clicked.connect(lambda: self.save(confirmed=True))
        panel.addWidget(self.confirm_button)
        self.warning_panel.hide()
        outer.addWidget(self.warning_panel)

        self.tabs = QTabWidget()
        pay = QWidget()
        pay_layout = QVBoxLayout(pay)
        self.table = QTableWidget(0, 16)
        self.table.setHorizontalHeaderLabels(
            [_("Họ và tên")]
            + [_("T{month}").format(month=m) for m in range(1, 13)]
            + [_("Miễn"), _("Số biên lai"), _("Còn nợ")]
        )
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.DoubleClicked
            | QAbstractItemView.EditKeyPressed
            | QAbstractItemView.AnyKeyPressed
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.Stretch)
        for column in range(FIRST_MONTH, EXEMPT + 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        pay_layout.addWidget(self.table, 1)
        helpers = QHBoxLayout()
        self.whole_year = QPushButton(_("Đánh dấu cả năm cho dòng đang chọn"))
        self.whole_year.setAutoDefault(False)
        self.whole_year.clicked.connect(self.tick_whole_year)
        helpers.addWidget(self.whole_year)
        helpers.addStretch(1)
        self.summary = QLabel()
        helpers.addWidget(self.summary)
        pay_layout.addLayout(helpers)
        self.tabs.addTab(pay, _("Thu hội phí"))
        owe = QWidget()
        owe_layout = QVBoxLayout(owe)
        self.owing_note = QLabel()
        owe_layout.addWidget(self.owing_note)
        self.owing_table = QTableWidget(0, 3)
        self.owing_table.setHorizontalHeaderLabels(
            [_("Họ và tên"), _("Các tháng còn nợ"), _("Số tiền")]
        )
        self.owing_table.verticalHeader().hide()
        self.owing_table.verticalHeader().setDefaultSectionSize(
            self.owing_table.fontMetrics().height() + 10
        )
        self.owing_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.owing_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        owe_layout.addWidget(self.owing_table, 1)
        self.owing_total = QLabel()
        owe_layout.addWidget(self.owing_total)
        self.tabs.addTab(owe, _("Còn nợ"))
        outer.addWidget(self.tabs, 1)

        self.saved_line = QLabel()
        self.saved_line.setObjectName("savedLine")
        outer.addWidget(self.saved_line)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton(_("Lưu"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda: self.save())
        self.close_button = QPushButton(_("Đóng"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        outer.addLayout(buttons)

        self.branch.changed.connect(self.refresh)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.rate.changed.connect(self._update_summary)
        self.table.itemChanged.connect(lambda _item: self._update_summary())
        self.refresh()
        self.resize(980, 620)

    # --- the grid --------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the grid and the owing list for the branch and year chosen."""
        year = self.year.value()
        branch_id = self.branch.raw()
        self.rows = (
            dues_grid(self.store, branch_id=branch_id, year=year, as_of=date(year, 12, 31))
            if branch_id is not None
            else []
        )
        owed = {
            o.member_id: o
            for o in (
                owing(self.store, year=year, branch_id=branch_id, as_of=widgets.today())
                if branch_id is not None
                else []
            )
        }
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            name = QTableWidgetItem(row.full_name)
            name.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            self.table.setItem(r, NAME, name)
            for month in range(1, 13):
                item = QTableWidgetItem()
                if month in row.paid_months:
                    item.setFlags(Qt.ItemIsSelectable)
                    item.setCheckState(Qt.Checked)
                    item.setBackground(PAID_BRUSH)
                    item.setToolTip(_("Đã miễn") if month in row.exempt_months else _("Đã đóng"))
                elif month in row.due_months:
                    item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsUserCheckable)
                    item.setCheckState(Qt.Unchecked)
                else:
                    item.setFlags(Qt.ItemIsSelectable)
                    item.setBackground(OFF_BRUSH)
                    item.setToolTip(_("Chưa là hội viên hoặc đã thôi"))
                self.table.setItem(r, FIRST_MONTH + month - 1, item)
            exempt = QTableWidgetItem()
            exempt.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsUserCheckable)
            exempt.setCheckState(Qt.Unchecked)
            self.table.setItem(r, EXEMPT, exempt)
            receipt = QTableWidgetItem("")
            receipt.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsEditable)
            self.table.setItem(r, RECEIPT, receipt)
            o = owed.get(row.member_id)
            owed_item = QTableWidgetItem(months_text(o.months_owed) if o else "")
            owed_item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            self.table.setItem(r, OWED, owed_item)
        self.table.blockSignals(False)
        self.table.resizeColumnToContents(RECEIPT)
        self._fill_owing(list(owed.values()))
        self._update_summary()

    def _fill_owing(self, owed) -> None:
        year = self.year.value()
        today = widgets.today()
        through = 12 if year < today.year else today.month
        self.owing_note.setText(
            _("Hội viên còn nợ hội phí năm {year}, tính đến tháng {month}:").format(
                year=year, month=through
            )
        )
        self.owing_table.setRowCount(len(owed))
        for r, o in enumerate(owed):
            values = (o.full_name, months_text(o.months_owed), format_money(o.amount_owed))
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.owing_table.setItem(r, c, item)
        self.owing_table.resizeColumnsToContents()
        self.owing_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.owing_total.setText(
            _("{count} hội viên còn nợ, tổng {total}").format(
                count=format_number(len(owed)),
                total=format_money(sum(o.amount_owed for o in owed)),
            )
        )

    def tick_whole_year(self) -> None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if not rows and self.table.currentRow() >= 0:
            rows = {self.table.currentRow()}
        for r in rows:
            for month in range(1, 13):
                item = self.table.item(r, FIRST_MONTH + month - 1)
                if item.flags() & Qt.ItemIsUserCheckable:
                    item.setCheckState(Qt.Checked)

    def set_ticked(self, member_id: int, months, *, receipt: str = "", exempt: bool = False):
        """Tick months for one member (as clicks would)."""
        r = next(i for i, row in enumerate(self.rows) if row.member_id == member_id)
        for month in months:
            item = self.table.item(r, FIRST_MONTH + month - 1)
            if item.flags() & Qt.ItemIsUserCheckable:
                item.setCheckState(Qt.Checked)
        self.table.item(r, RECEIPT).setText(receipt)
        self.table.item(r, EXEMPT).setCheckState(Qt.Checked if exempt else Qt.Unchecked)

    def entries(self) -> list[DuesEntry]:
        found = []
        for r, row in enumerate(self.rows):
            months = frozenset(
                month
                for month in range(1, 13)
                if self.table.item(r, FIRST_MONTH + month - 1).flags() & Qt.ItemIsUserCheckable
                and self.table.item(r, FIRST_MONTH + month - 1).checkState() == Qt.Checked
            )
            if months:
                found.append(
                    DuesEntry(
                        member_id=row.member_id,
                        months=months,
                        receipt_no=self.table.item(r, RECEIPT).text(),
                        exempt=self.table.item(r, EXEMPT).checkState() == Qt.Checked,
                    )
                )
        return found

    def _update_summary(self) -> None:
        entries = self.entries()
        months = sum(len(e.months) for e in entries if not e.exempt)
        rate = self.rate.amount() or 0
        self.summary.setText(
            _("Thu lần này: {members} hội viên, {months} tháng = {total}").format(
                members=format_number(len(entries)),
                months=format_number(months),
                total=format_money(months * rate),
            )
        )

    # --- saving ----------------------------------------------------------------------

    def save(self, *, confirmed: bool = False) -> bool:
        entries = self.entries()
        self.warning_panel.hide()
        if not entries:
            self._show_errors([Issue.error("entries", MSG_NOTHING_TICKED)])
            return False
        if not confirmed:
            new_exempt = len({e.member_id for e in entries if e.exempt})
            warning = exemption_warning(self.store, year=self.year.value(), extra_exempt=new_exempt)
            if warning is not None:
                self.warning_text.setText(render(warning))
                self.warning_panel.show()
                self.confirm_button.setFocus()
                return False
        try:
            record_dues_many(
                self.store,
                year=self.year.value(),
                entries=entries,
                amount_per_month=self.rate.raw(),
                paid_on=self.paid_on.raw(),
                today=widgets.today(),
            )
        except ValidationFailed as failed:
            self._show_errors(failed.issues)
            return False
        except AppError as exc:
            self.banner.setText(exc.message)
            self.banner.show()
            return False
        self.banner.hide()
        self.rate.show_issues([])
        self.paid_on.show_issues([])
        self.saved_count += 1
        months = sum(len(e.months) for e in entries)
        self.saved_line.setText(
            _("Đã lưu hội phí của {members} hội viên ({months} tháng).").format(
                members=format_number(len(entries)), months=format_number(months)
            )
        )
        self.refresh()
        return True

    def _show_errors(self, issues) -> None:
        names = {row.member_id: row.full_name for row in self.rows}
        self.rate.show_issues([i for i in issues if i.field == "amount_per_month"])
        self.paid_on.show_issues([i for i in issues if i.field == "paid_on"])
        lines = []
        for issue in errors(issues):
            if issue.field in ("amount_per_month", "paid_on"):
                continue
            prefix = ""
            if ":" in issue.field:
                member_id = int(issue.field.split(":", 1)[1])
                prefix = f"{names.get(member_id, member_id)}: "
            lines.append(prefix + render(issue))
        lines = [_("Chưa lưu."), *lines]
        self.banner.setText("\n".join(lines))
        self.banner.show()
