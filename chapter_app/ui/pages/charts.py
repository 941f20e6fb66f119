"""Small bar charts for the dashboard (QtCharts, from PySide6-Addons).

The value axis always runs from 0 in round steps (1, 2 or 5 times a power of ten) with
one label per step, so its labels never repeat ("0 1 2 3", not "1 1 1 0 0 0"); a chart
with nothing to show says "Chưa có số liệu" instead of drawing empty axes. Long category
names of a horizontal chart are cut with "…" to the room the chart has (recomputed when
it is resized); the whole name and the value show in a tooltip over the bar.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QLocale, QMargins, Qt
from PySide6.QtGui import QColor, QCursor, QFont, QFontMetrics
from PySide6.QtWidgets import QFrame, QLabel, QToolTip, QVBoxLayout, QWidget

from chapter_app.i18n import N_, _, format_number

NO_DATA = N_("Chưa có số liệu")
MAX_STEPS = 5
# the share of a horizontal chart's width its category names may take
LABEL_SHARE = 0.36
MIN_LABEL_WIDTH = 60
TITLE_WIDTH = 28  # characters on a title's line before it is broken


@dataclass(frozen=True)
class Axis:
    """A value axis from 0 to ``top`` in ``steps`` equal round steps."""

    top: float
    steps: int
    decimals: int

    @property
    def values(self) -> list[float]:
        return [self.top * i / self.steps for i in range(self.steps + 1)]

    @property
    def labels(self) -> list[str]:
        return [format_number(round(v, self.decimals)) for v in self.values]


def nice_axis(largest: float, *, whole: bool = False) -> Axis:
    """The axis for values up to ``largest``: at most :data:`MAX_STEPS` steps of 1, 2 or 5
    times a power of ten (whole numbers when ``whole``, e.g. people counted)."""
    largest = max(float(largest), 1.0 if whole else 0.0)
    if largest <= 0:
        largest = 1.0
    raw = largest / MAX_STEPS
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw - 1e-12)
    if whole:
        step = max(1.0, round(step))
    steps = max(1, math.ceil(largest / step - 1e-9))
    decimals = 0 if step >= 1 else -math.floor(math.log10(step))
    return Axis(top=step * steps, steps=steps, decimals=decimals)


def wrap_label(text: str, width: int = 30) -> str:
    """A category label as chart HTML, broken onto two lines when it is long."""
    text = html.escape(text)
    if len(text) <= width:
        return text
    if ", " in text:
        head, _sep, tail = text.partition(", ")
        return f"{head},<br>{tail}"
    middle = len(text) // 2
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return text
    cut = min(spaces, key=lambda i: abs(i - middle))
    return f"{text[:cut]}<br>{text[cut + 1 :]}"


def elide_labels(names: list[str], metrics: QFontMetrics, width: int) -> list[str]:
    """Each name cut with "…" to ``width`` pixels; names that would be cut alike are kept
    apart by invisible marks (a category axis drops repeated labels)."""
    labels: list[str] = []
    for name in names:
        label = metrics.elidedText(name, Qt.TextElideMode.ElideRight, width)
        while label in labels:
            label += "\u200b"
        labels.append(label)
    return labels


class CategoryChartView(QChartView):
    """A horizontal bar chart whose category names fit the room it has: cut with "…"
    when long (``categoryLabels`` holds what is shown), whole in the bar's tooltip."""

    def __init__(self, chart: QChart, axis: QBarCategoryAxis, names: list[str], values):
        super().__init__(chart)
        self.axis = axis
        self.names = names
        self.values = list(values)
        self.setProperty("categoryLabels", list(names))
        self._shown: list[str] = []
        self.fit_labels()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_labels()

    def fit_labels(self) -> None:
        width = max(MIN_LABEL_WIDTH, int(self.width() * LABEL_SHARE))
        labels = elide_labels(self.names, QFontMetrics(self.axis.labelsFont()), width)
        if labels != self._shown:
            self._shown = labels
            self.axis.setCategories([html.escape(label) for label in labels])
            self.setProperty("categoryLabels", labels)

    def tooltip_of(self, index: int) -> str:
        """The whole name of bar ``index`` and its value."""
        return f"{self.names[index]}: {format_number(self.values[index])}"

    def hovered(self, status: bool, index: int, _bars=None) -> None:
        if status and 0 <= index < len(self.names):
            QToolTip.showText(QCursor.pos(), self.tooltip_of(index), self)
        else:
            QToolTip.hideText()


def empty_chart(title: str) -> QWidget:
    """A chart's frame that says there is nothing to draw yet."""
    frame = QFrame()
    frame.setObjectName("chartEmpty")
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(frame)
    heading = QLabel(title)
    font = QFont(heading.font())
    font.setBold(True)
    heading.setFont(font)
    heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    heading.setWordWrap(True)
    message = QLabel(_(NO_DATA))
    message.setObjectName("chartNoData")
    message.setAlignment(Qt.AlignmentFlag.AlignCenter)
    message.setStyleSheet("color: #777;")
    layout.addWidget(heading)
    layout.addWidget(message, 1)
    frame.setProperty("axisLabels", [])
    return frame


SMALL_LABELS_FROM = 8  # categories under a vertical chart


def bar_chart(
    title: str,
    categories: list[str],
    values: list[float],
    *,
    color: QColor,
    horizontal: bool = False,
    whole: bool = True,
) -> QWidget:
    """One series of bars with its categories; no legend; a value axis from 0 in round
    steps (whole numbers when ``whole``). Nothing above zero: :func:`empty_chart`.

    Horizontal charts list the categories from the top down, in the order given. The
    value axis' labels are kept in the view's ``axisLabels`` property (for tests).
    """
    if not categories or not any(v > 0 for v in values):
        return empty_chart(title)
    if horizontal:  # Qt draws the first category at the bottom
        categories, values = list(reversed(categories)), list(reversed(values))
    chart = QChart()
    chart.setTitle(wrap_label(title, TITLE_WIDTH))  # rich text: a long title on two lines
    font = QFont(chart.titleFont())
    font.setBold(True)
    chart.setTitleFont(font)
    chart.legend().hide()
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(4)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setLocalizeNumbers(True)  # 1.234 and 12,5 in Vietnamese
    chart.setLocale(QLocale())

    bars = QBarSet(title)
    bars.setColor(color)
    bars.setBorderColor(color)
    for value in values:
        bars.append(value)
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    series.append(bars)
    series.setBarWidth(0.7)
    chart.addSeries(series)

    category_axis = QBarCategoryAxis()
    if not horizontal:
        category_axis.append([wrap_label(name) for name in categories])
    category_axis.setTruncateLabels(False)
    if not horizontal and len(categories) > SMALL_LABELS_FROM:
        # Qt drops a label that would touch its neighbour ("10 11" and no "12" in a narrow
        # chart): many short labels get a smaller font so that every one is drawn
        small = QFont(category_axis.labelsFont())
        small.setPointSizeF(small.pointSizeF() * 0.8)
        category_axis.setLabelsFont(small)
    axis = nice_axis(max(values), whole=whole)
    value_axis = QValueAxis()
    value_axis.setLabelFormat(f"%.{axis.decimals}f")
    value_axis.setTickType(QValueAxis.TickType.TicksFixed)
    value_axis.setRange(0, axis.top)
    value_axis.setTickCount(axis.steps + 1)
    value_axis.setMinorTickCount(0)
    if horizontal:
        chart.addAxis(category_axis, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(category_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(category_axis)
    series.attachAxis(value_axis)

    if horizontal:
        view = CategoryChartView(chart, category_axis, categories, values)
        series.hovered.connect(view.hovered)
    else:
        view = QChartView(chart)
    view.setProperty("axisLabels", axis.labels)
    return view
