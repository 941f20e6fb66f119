"""Small bar charts for the dashboard (QtCharts, from PySide6-Addons)."""

from __future__ import annotations

import html

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
from PySide6.QtGui import QColor, QFont


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


def bar_chart(
    title: str,
    categories: list[str],
    values: list[float],
    *,
    color: QColor,
    horizontal: bool = False,
    decimals: int = 0,
) -> QChartView:
    """One series of bars with its categories; no legend; a value axis with round steps.

    Horizontal charts list the categories from the top down, in the order given.
    """
    if horizontal:  # Qt draws the first category at the bottom
        categories, values = list(reversed(categories)), list(reversed(values))
    chart = QChart()
    chart.setTitle(title)
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
    category_axis.append([wrap_label(name) for name in categories] or [""])
    category_axis.setTruncateLabels(False)
    value_axis = QValueAxis()
    value_axis.setLabelFormat(f"%.{decimals}f")
    top = max(values, default=0)
    value_axis.setRange(0, top if top > 0 else 1)
    value_axis.applyNiceNumbers()
    if horizontal:
        chart.addAxis(category_axis, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(category_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(category_axis)
    series.attachAxis(value_axis)

    return QChartView(chart)
