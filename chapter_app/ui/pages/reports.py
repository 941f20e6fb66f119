"""Báo cáo: the indicators of a reporting period (the period, year-to-date, last year).

The figures are computed off the GUI thread; issuing the report as a PDF comes later.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chapter_app.domain.periods import parse_period
from chapter_app.i18n import N_, _, format_date, format_number
from chapter_app.ui.pages.base import Page, show_error, today

PERIOD_KINDS = [
    ("Q1", N_("Quý I")),
    ("Q2", N_("Quý II")),
    ("Q3", N_("Quý III")),
    ("Q4", N_("Quý IV")),
    ("H1", N_("6 tháng đầu năm")),
    ("9M", N_("9 tháng")),
    ("H2", N_("6 tháng cuối năm")),
    ("", N_("Cả năm")),
]
BLOCKS = ("period", "ytd", "last_year")


def period_code(year: int, kind: str) -> str:
    return f"{year}-{kind}" if kind else str(year)


def load_report(store, code: str):
    from chapter_app.services.indicators import indicator_blocks

    return indicator_blocks(store, parse_period(code))


class ReportsPage(Page):
    title = N_("Báo cáo")

    def __init__(self, store, worker, parent: QWidget | None = None):
        super().__init__(store, worker, parent)
        self._job = None
        self._loaded = False
        self.blocks = None
        self.period = None

        heading = QLabel(_("Báo cáo"))
        heading.setObjectName("pageTitle")
        self.kind = QComboBox()
        self.kind.setObjectName("periodKind")
        for code, label in PERIOD_KINDS:
            self.kind.addItem(_(label), code)
        self.year = QSpinBox()
        self.year.setObjectName("periodYear")
        self.year.setRange(2000, 2100)
        day = today()
        self.year.setValue(day.year)
        self.kind.setCurrentIndex((day.month - 1) // 3)
        self.show_button = QPushButton(_("Xem số liệu"))
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.refresh)
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.year.valueChanged.connect(lambda _v: self.refresh())

        picker = QHBoxLayout()
        picker.addWidget(QLabel(_("Kỳ báo cáo:")))
        picker.addWidget(self.kind)
        picker.addWidget(QLabel(_("năm")))
        picker.addWidget(self.year)
        picker.addWidget(self.show_button)
        picker.addStretch(1)

        self.caption = QLabel("")
        self.caption.setObjectName("pageSubtitle")
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("figures")
        self.table.setHorizontalHeaderLabels(
            [_("Chỉ tiêu"), _("Đơn vị"), _("Trong kỳ"), _("Lũy kế năm"), _("Cùng kỳ năm trước")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 100), (2, 150), (3, 150), (4, 170)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addWidget(heading)
        layout.addLayout(picker)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)

    def period_code(self) -> str:
        return period_code(self.year.value(), self.kind.currentData())

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        self._loaded = True
        if self._job is not None:
            self._job.cancel()
        code = self.period_code()
        self.caption.setText(_("Đang tính số liệu…"))
        self._job = self.worker.submit(
            lambda store: load_report(store, code),
            on_done=lambda blocks: self.show_blocks(code, blocks),
            on_error=self._failed,
            label=_("Đang tính số liệu báo cáo…"),
            parent_widget=self,
        )

    @property
    def loading(self) -> bool:
        return self._job is not None

    def _failed(self, error: BaseException, _text: str) -> None:
        self._job = None
        self.caption.setText("")
        show_error(self, error)

    def show_blocks(self, code: str, blocks) -> None:
        from chapter_app.services.indicators import INDICATORS, MONEY_KEYS

        self._job = None
        self.blocks = blocks
        self.period = period = parse_period(code)
        caption = _("Từ ngày {start} đến ngày {end}; lũy kế từ đầu năm; so với cùng kỳ năm {last}.")
        self.caption.setText(
            caption.format(
                start=format_date(period.start), end=format_date(period.end), last=period.year - 1
            )
        )
        rows: list[tuple[str, str, list[str], bool]] = []
        for key, label, unit in INDICATORS:
            money = key in MONEY_KEYS
            values = [format_number(blocks[block][key]) for block in BLOCKS]
            rows.append((_(label), _(unit), values, money))
        campaigns: list[str] = []
        for block in BLOCKS:
            for name in blocks[block]["aid.by_campaign"]:
                if name not in campaigns:
                    campaigns.append(name)
        if campaigns:
            rows.append((_("Trợ giúp theo chương trình (trị giá)"), "", ["", "", ""], False))
            for name in campaigns:
                values = [
                    format_number(blocks[block]["aid.by_campaign"].get(name, {}).get("value", 0))
                    for block in BLOCKS
                ]
                rows.append(("    " + _(name), _("đồng"), values, True))
        self.table.setRowCount(len(rows))
        for number, (label, unit, values, _money) in enumerate(rows):
            self.table.setItem(number, 0, QTableWidgetItem(label))
            self.table.setItem(number, 1, QTableWidgetItem(unit))
            for column, value in enumerate(values, start=2):
                item = QTableWidgetItem(value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(number, column, item)
        self.status_changed.emit()

    def status_text(self) -> str:
        if self.period is None:
            return ""
        return _("Kỳ báo cáo: {label}").format(label=self.period.vietnamese_label())
