"""Dashboard charts: "Chưa có số liệu" on a blank register, whole-number axes that never
repeat a label."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCharts import QChartView, QValueAxis
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel

from chapter_app.ui.pages import base as pages_base
from chapter_app.ui.pages.charts import LABEL_SHARE, nice_axis
from chapter_app.ui.pages.dashboard import DashboardPage
from chapter_app.ui.qt_i18n import apply_language
from chapter_app.ui.worker import Worker

TODAY = date(2026, 11, 23)


@pytest.fixture
def dashboard(qtbot, store, qapp):
    apply_language(qapp, "vi")
    pages_base.set_today(TODAY)
    worker = Worker(store.path)

    def show() -> DashboardPage:
        page = DashboardPage(store, worker)
        qtbot.addWidget(page)
        page.resize(1000, 600)
        page.show()
        page.ensure_loaded()
        qtbot.waitUntil(lambda: page.data is not None, timeout=10000)
        return page

    yield show
    worker.shutdown()
    pages_base.set_today(None)


def value_axis(view: QChartView) -> QValueAxis:
    return next(a for a in view.chart().axes() if isinstance(a, QValueAxis))


def test_a_blank_register_shows_no_data_yet_instead_of_empty_axes(dashboard):
    page = dashboard()
    for key, view in page.chart_views.items():
        assert not isinstance(view, QChartView), key
        assert view.findChild(QLabel, "chartNoData").text() == "Chưa có số liệu"
        assert view.property("axisLabels") == []


def test_a_few_members_give_a_whole_number_axis_without_repeated_labels(dashboard, store):
    with store.operation("Chuẩn bị"):
        branch = store.branches.add(name="Chi hội Thôn Phú Thọ")
        other = store.branches.add(name="Chi hội Thôn An Hải")
        for number, where in enumerate([branch, branch, other]):
            person = store.people.add(full_name=f"Nguyễn Văn Hội{number}", birth_year=1980)
            store.members.add(person_id=person.id, branch_id=where.id, admitted_on=date(2020, 1, 1))
    page = dashboard()
    view = page.chart_views["members_by_branch"]
    assert isinstance(view, QChartView)
    labels = view.property("axisLabels")
    assert labels == ["0", "1", "2"]
    axis = value_axis(view)
    assert (axis.min(), axis.max(), axis.tickCount()) == (0, 2, 3)
    assert axis.labelFormat() == "%.0f"
    # no aid and no addresses yet: those two still say so
    assert not isinstance(page.chart_views["aid_by_month"], QChartView)


@pytest.mark.parametrize(
    ("largest", "whole", "labels"),
    [
        (1, True, ["0", "1"]),
        (3, True, ["0", "1", "2", "3"]),
        (7, True, ["0", "2", "4", "6", "8"]),
        (1083, True, ["0", "500", "1.000", "1.500"]),
        (251.2, False, ["0", "100", "200", "300"]),
        (0.35, False, ["0", "0,1", "0,2", "0,3", "0,4"]),
    ],
)
def test_axes_run_from_zero_in_round_distinct_steps(largest, whole, labels):
    axis = nice_axis(largest, whole=whole)
    assert axis.labels == labels
    assert axis.top >= largest
    assert len(set(axis.labels)) == len(axis.labels)


def test_long_category_names_are_cut_to_the_charts_room_and_whole_in_the_tooltip(dashboard, store):
    long_name = "Nạn nhân chất độc da cam / dioxin và con cháu của họ"
    with store.operation("Chuẩn bị"):
        long_cat = store.categories.add(name=long_name)
        twin = store.categories.add(name=long_name + " (thế hệ thứ ba)")
        short = store.categories.add(name="Hộ nghèo mới")
        for number, cat in enumerate([long_cat, long_cat, twin, short]):
            store.addresses.add(
                name=f"Hộ số {number}", opened_on=date(2024, 1, 1), category_ids=[cat.id]
            )
    page = dashboard()
    view = page.chart_views["addresses_by_category"]
    assert isinstance(view, QChartView)
    shown = dict(zip(view.names, view.property("categoryLabels"), strict=True))
    assert shown["Hộ nghèo mới"] == "Hộ nghèo mới"
    cut = shown[long_name].rstrip("\u200b")  # the twin cut alike is kept apart by marks
    assert cut.endswith("…") and long_name.startswith(cut[:-1])
    assert len(set(view.property("categoryLabels"))) == len(view.names)  # none dropped
    axis = next(a for a in view.chart().axes() if not isinstance(a, QValueAxis))
    metrics = QFontMetrics(axis.labelsFont())
    room = int(view.width() * LABEL_SHARE)
    assert all(metrics.horizontalAdvance(label) <= room for label in shown.values())
    assert view.tooltip_of(view.names.index(long_name)) == f"{long_name}: 2"


def test_a_wider_chart_shows_more_of_a_long_name(qtbot):
    from PySide6.QtGui import QColor

    from chapter_app.ui.pages.charts import bar_chart

    name = "Người già neo đơn, không nơi nương tựa, không có người chăm sóc"
    view = bar_chart(
        "Theo diện", [name, "Hộ nghèo"], [3, 1], color=QColor("green"), horizontal=True
    )
    qtbot.addWidget(view)
    view.resize(300, 200)
    view.show()
    narrow = dict(zip(view.names, view.property("categoryLabels"), strict=True))
    view.resize(900, 200)
    wide = dict(zip(view.names, view.property("categoryLabels"), strict=True))
    assert narrow[name].endswith("…") and len(wide[name]) > len(narrow[name])
    assert narrow["Hộ nghèo"] == wide["Hộ nghèo"] == "Hộ nghèo"


def test_a_long_title_is_broken_onto_two_lines_not_cut(qtbot):
    from PySide6.QtGui import QColor

    from chapter_app.ui.pages.charts import bar_chart

    months = [f"T{m}" for m in range(1, 13)]
    view = bar_chart(
        "Trị giá trợ giúp theo tháng, năm 2026 (triệu đồng)", months, [1] * 12, color=QColor("red")
    )
    qtbot.addWidget(view)
    assert view.chart().title() == "Trị giá trợ giúp theo tháng,<br>năm 2026 (triệu đồng)"
    short = bar_chart("Hội viên theo chi hội", ["A"], [1], color=QColor("red"))
    qtbot.addWidget(short)
    assert short.chart().title() == "Hội viên theo chi hội"
