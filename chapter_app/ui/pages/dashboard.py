"""Tổng quan: key figures of the current quarter and year, and three charts.

The figures are computed off the GUI thread (``load_dashboard`` runs in the worker on
a connection of its own); the page shows them when they arrive. QtCharts is imported
only then, so it costs nothing at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from chapter_app.domain.text import collation_key
from chapter_app.i18n import N_, _, format_date, format_money, format_number
from chapter_app.ui.pages.first_steps import FirstStepsPanel, load_first_steps
from chapter_app.ui.pages.page import Page, today, upper_first

RED = "#c8102e"
MONTHS = 12
CHART_MIN_HEIGHT = 280
CHART_POSITIONS = {
    "aid_by_month": (0, 1),
    "members_by_branch": (1, 0),
    "addresses_by_category": (1, 1),
}


@dataclass
class DashboardData:
    """Plain values for the page (computed in the background)."""

    day: date
    quarter: int
    year: int
    chapter_name: str
    now: dict[str, Any]  # stocks at ``day``
    in_quarter: dict[str, Any]  # flows from the quarter's first day to ``day``
    in_year: dict[str, Any]  # flows from 1 January to ``day``
    aid_by_month: list[int] = field(default_factory=list)
    members_by_branch: list[tuple[str, int]] = field(default_factory=list)
    addresses_by_category: list[tuple[str, int]] = field(default_factory=list)
    first_steps: dict[str, bool] = field(default_factory=dict)


def load_dashboard(store, day: date) -> DashboardData:
    """Every figure the page shows, read through the store (no Qt: runs in a worker)."""
    import calendar

    from chapter_app.domain.models import ACTIVE_MEMBER_STATUSES
    from chapter_app.domain.periods import current_quarter
    from chapter_app.services.indicators import flows, stocks
    from chapter_app.store.repository import Query, Range

    quarter = current_quarter(day)
    year_start = date(day.year, 1, 1)
    by_month = []
    for month in range(1, MONTHS + 1):
        start = date(day.year, month, 1)
        end = date(day.year, month, calendar.monthrange(day.year, month)[1])
        by_month.append(store.figures.aid_totals(start, end)["value_total"] if start <= day else 0)
    active = {
        "status": [str(status) for status in ACTIVE_MEMBER_STATUSES],
        "admitted_on": Range(high=day),
    }
    branches = sorted(store.branches.list(Query()), key=lambda b: collation_key(b.name))
    members_by_branch = [
        (branch.name, store.members.count(filters={"branch_id": branch.id, **active}))
        for branch in branches
        if branch.dissolved_on is None or branch.dissolved_on > day
    ]
    addresses_by_category = [
        (
            category.name,
            store.addresses.count(filters={"category": category.id, "status": "following"}),
        )
        for category in store.categories.list(Query())
    ]
    return DashboardData(
        day=day,
        quarter=quarter.quarter or 1,
        year=day.year,
        chapter_name=store.settings.get("chapter_name") or "",
        now=stocks(store, day),
        in_quarter=flows(store, quarter.start, day),
        in_year=flows(store, year_start, day),
        aid_by_month=by_month,
        members_by_branch=members_by_branch,
        addresses_by_category=[item for item in addresses_by_category if item[1]],
        first_steps=load_first_steps(store, day.year),
    )


class FigureCard(QFrame):
    """A titled box with one large figure and a few smaller ones."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(0)
        heading = QLabel(title)
        heading.setObjectName("cardTitle")
        self.main = QLabel("…")
        self.main.setObjectName("cardFigure")
        font = QFont(self.main.font())
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.main.setFont(font)
        self.main_caption = QLabel("")
        self.main_caption.setObjectName("cardCaption")
        self.details = QLabel("")  # rich text, set with the figures
        self.details.setObjectName("cardDetails")
        layout.addWidget(heading)
        layout.addWidget(self.main)
        layout.addWidget(self.main_caption)
        layout.addWidget(self.details)

    def set_figures(self, main: str, caption: str, details: list[tuple[str, str]]) -> None:
        from PySide6.QtCore import Qt  # not at start-up (see chapter_app/ui/__init__)

        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.main.setText(main)
        self.main_caption.setText(caption)
        rows = "".join(
            f"<tr><td>{label}</td><td align='right'>&nbsp;&nbsp;<b>{value}</b></td></tr>"
            for label, value in details
        )
        self.details.setText(f"<table width='100%'>{rows}</table>")


CARDS = [
    ("members", N_("Hội viên")),
    ("volunteers", N_("Tình nguyện viên")),
    ("addresses", N_("Địa chỉ nhân đạo")),
    ("aid_value", N_("Trị giá trợ giúp")),
    ("aid_people", N_("Người được trợ giúp")),
    ("blood", N_("Hiến máu")),
]


class DashboardPage(Page):
    title = N_("Tổng quan")
    step_requested = Signal(str)  # a first step to open (see first_steps.FirstStepsPanel)

    def __init__(self, store, worker, parent: QWidget | None = None):
        super().__init__(store, worker, parent)
        self.data: DashboardData | None = None
        self._job = None
        self._loaded = False
        self.heading = QLabel(_("Tổng quan"))
        self.heading.setObjectName("pageTitle")
        self.subtitle = QLabel(_("Đang tính số liệu…"))
        self.subtitle.setObjectName("pageSubtitle")
        self.first_steps = FirstStepsPanel()
        self.first_steps.requested.connect(self.step_requested)
        self.cards: dict[str, FigureCard] = {}
        cards = QWidget()
        grid = QGridLayout(cards)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for number, (key, title) in enumerate(CARDS):
            card = FigureCard(_(title))
            self.cards[key] = card
            grid.addWidget(card, number // 2, number % 2)
        # Cards and the three charts in a 2 x 2 grid: cards | aid by month, then
        # members by branch | addresses by category.
        self.charts_box = QGridLayout()
        self.charts_box.setSpacing(10)
        self.charts_box.addWidget(cards, 0, 0)
        self.charts_box.setColumnStretch(0, 1)
        self.charts_box.setColumnStretch(1, 1)
        self.charts_box.setRowStretch(1, 1)
        self.chart_views: dict[str, QWidget] = {}
        for key, position in CHART_POSITIONS.items():
            placeholder = QFrame()
            placeholder.setMinimumHeight(CHART_MIN_HEIGHT)
            self.charts_box.addWidget(placeholder, *position)
            self.chart_views[key] = placeholder

        content = QWidget()
        content.setObjectName("dashboardContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(12, 12, 12, 12)
        titles = QHBoxLayout()
        titles.addWidget(self.heading)
        titles.addStretch(1)
        layout.addLayout(titles)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.first_steps)
        layout.addLayout(self.charts_box, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # --- loading -------------------------------------------------------------------------

    def ensure_loaded(self) -> None:
        """The first time: the figures are asked for once the page is painted, so the
        background job (which imports the record classes and services) does not hold
        up the start-up's first picture."""
        if not self._loaded:
            self._loaded = True
            QTimer.singleShot(0, self, self._first_load)

    def _first_load(self) -> None:
        if not self.isVisible():  # hidden (or its window closed) meanwhile: on next show
            self._loaded = False
        elif self._job is None and self.data is None:
            self.refresh()

    def refresh(self) -> None:
        self._loaded = True
        if self._job is not None:
            self._job.cancel()
        day = today()
        self._job = self.worker.submit(
            lambda store: load_dashboard(store, day),
            on_done=self.show_data,
            on_error=self._failed,
            context=self,
        )

    def _failed(self, error: BaseException, _text: str) -> None:
        self._job = None
        self.subtitle.setText(_("Không tính được số liệu: {error}").format(error=error))

    @property
    def loading(self) -> bool:
        return self._job is not None

    def status_text(self) -> str:
        if self.data is None:
            return _("Đang tính số liệu…")
        return _("Số liệu đến ngày {date}").format(date=format_date(self.data.day))

    # --- showing -------------------------------------------------------------------------

    def show_data(self, data: DashboardData) -> None:
        from chapter_app.domain.periods import ROMAN

        self._job = None
        self.data = data
        quarter = _("quý {roman}/{year}").format(roman=ROMAN[data.quarter], year=data.year)
        year = _("năm {year}").format(year=data.year)
        quarter_title, year_title = upper_first(quarter), upper_first(year)
        if data.chapter_name:
            self.heading.setText(data.chapter_name)
        self.subtitle.setText(
            _("Số liệu đến ngày {date}: quý {roman} và cả năm {year}").format(
                date=format_date(data.day), roman=ROMAN[data.quarter], year=data.year
            )
        )
        now, q, y = data.now, data.in_quarter, data.in_year
        n = format_number
        self.cards["members"].set_figures(
            n(now["members.total_end"]),
            _("đang sinh hoạt"),
            [
                (_("Kết nạp mới, {period}").format(period=quarter), n(q["members.new"])),
                (_("Kết nạp mới, {period}").format(period=year), n(y["members.new"])),
            ],
        )
        self.cards["volunteers"].set_figures(
            n(now["volunteers.total_end"]),
            _("đang hoạt động"),
            [
                (_("Nòng cốt"), n(now["volunteers.core_end"])),
                (_("Mới, {period}").format(period=year), n(y["volunteers.new"])),
            ],
        )
        self.cards["addresses"].set_figures(
            n(now["addresses.on_file"]),
            _("đang theo dõi"),
            [
                (_("Được trợ giúp, {period}").format(period=quarter), n(q["addresses.helped"])),
                (_("Được trợ giúp, {period}").format(period=year), n(y["addresses.helped"])),
            ],
        )
        self.cards["aid_value"].set_figures(
            format_money(q["aid.value_total"]),
            quarter_title,
            [
                (year_title, format_money(y["aid.value_total"])),
                (_("Trong đó nội lực"), format_money(y["aid.value_own"])),
            ],
        )
        self.cards["aid_people"].set_figures(
            n(q["aid.person_times"]),
            _("lượt người, {period}").format(period=quarter),
            [
                (year_title, n(y["aid.person_times"])),
                (_("Lượt hộ, {period}").format(period=year), n(y["aid.households"])),
            ],
        )
        self.cards["blood"].set_figures(
            n(q["blood.units"]),
            _("đơn vị máu, {period}").format(period=quarter),
            [
                (year_title, n(y["blood.units"])),
                (_("Số đợt, {period}").format(period=year), n(y["blood.drives"])),
                (
                    _("Người hiến máu nhắc lại, {period}").format(period=year),
                    f"{n(y['blood.repeat_donors'])}/{n(y['blood.donors'])}",
                ),
            ],
        )
        self.first_steps.set_progress(data.first_steps, data.year)
        self._show_charts(data)
        self.status_changed.emit()

    def _show_charts(self, data: DashboardData) -> None:
        from PySide6.QtGui import QColor, QPainter

        from chapter_app.ui.pages.charts import bar_chart

        # the months by their number alone: the title says "by month", and "T10T11" (or
        # "M10M11", its first label dropped) ran together in the narrow chart
        months = [str(m) for m in range(1, MONTHS + 1)]
        millions = [value / 1_000_000 for value in data.aid_by_month]
        charts = {
            "aid_by_month": bar_chart(
                _("Trị giá trợ giúp theo tháng, năm {year} (triệu đồng)").format(year=data.year),
                months,
                millions,
                color=QColor(RED),
                whole=False,
            ),
            "members_by_branch": bar_chart(
                _("Hội viên theo chi hội"),
                [name for name, _count in data.members_by_branch],
                [count for _name, count in data.members_by_branch],
                color=QColor("#1f5f99"),
                horizontal=True,
            ),
            "addresses_by_category": bar_chart(
                _("Địa chỉ nhân đạo theo diện"),
                [name for name, _count in data.addresses_by_category],
                [count for _name, count in data.addresses_by_category],
                color=QColor("#2e7d32"),
                horizontal=True,
            ),
        }
        for key, view in charts.items():
            old = self.chart_views.pop(key, None)
            if old is not None:
                self.charts_box.removeWidget(old)
                old.deleteLater()
            view.setObjectName(f"chart_{key}")
            if hasattr(view, "setRenderHint"):  # a chart, not the "no data yet" frame
                view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(CHART_MIN_HEIGHT)
            self.charts_box.addWidget(view, *CHART_POSITIONS[key])
            self.chart_views[key] = view
