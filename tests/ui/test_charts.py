"""Dashboard charts: "Chưa có số liệu" on a blank register, whole-number axes that never
repeat a label."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCharts import QChartView, QValueAxis
from PySide6.QtWidgets import QLabel

from chapter_app.ui.pages import base as pages_base
from chapter_app.ui.pages.charts import nice_axis
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
