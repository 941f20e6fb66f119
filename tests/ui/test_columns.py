"""Register tables fit their width: no sideways scrolling, the less used columns hidden
until the officer ticks them in the header's menu, and the choice kept."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu

from chapter_app.ui.pages.aid import AidPage
from chapter_app.ui.pages.volunteers import VolunteersPage
from chapter_app.ui.worker import Worker


@pytest.fixture
def worker(store, qapp):
    w = Worker(store.path)
    yield w
    w.shutdown()


def visible_widths(page) -> int:
    table = page.table
    return sum(
        table.columnWidth(n) for n in range(len(page.columns)) if not table.isColumnHidden(n)
    )


def shown_page(qtbot, cls, store, worker, width=880):
    page = cls(store, worker)
    qtbot.addWidget(page)
    page.resize(width, 500)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: visible_widths(page) == page.table.viewport().width())
    return page


def labels_hidden(page) -> list[str]:
    return [c.label for n, c in enumerate(page.columns) if page.table.isColumnHidden(n)]


@pytest.mark.parametrize("cls", [VolunteersPage, AidPage])
def test_the_columns_fill_the_table_without_sideways_scrolling(qtbot, store, worker, cls):
    page = shown_page(qtbot, cls, store, worker)
    assert page.table.horizontalScrollBar().maximum() == 0
    page.resize(700, 500)
    qtbot.waitUntil(lambda: visible_widths(page) == page.table.viewport().width())
    assert page.table.horizontalScrollBar().maximum() == 0


def test_the_less_used_columns_are_hidden_by_default(qtbot, store, worker):
    page = shown_page(qtbot, VolunteersPage, store, worker)
    assert set(labels_hidden(page)) == {"Kỹ năng", "Ngày rời", "Số giờ"}
    aid = shown_page(qtbot, AidPage, store, worker)
    assert "Tiền mặt" in labels_hidden(aid) and "Tổng trị giá" not in labels_hidden(aid)


def test_the_header_menu_shows_a_column_and_the_choice_is_kept(qtbot, store, worker, tmp_path):
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    page = shown_page(qtbot, VolunteersPage, store, worker)
    menu = page.column_fitter.menu()
    assert isinstance(menu, QMenu)
    actions = {action.text(): action for action in menu.actions() if action.isCheckable()}
    assert not actions["Họ và tên"].isEnabled()  # the name always shows
    assert not actions["Kỹ năng"].isChecked()

    actions["Kỹ năng"].trigger()
    actions["Điện thoại"].trigger()

    assert "Kỹ năng" not in labels_hidden(page) and "Điện thoại" in labels_hidden(page)
    assert visible_widths(page) == page.table.viewport().width()  # still fits
    page.save_state(settings, "pages/volunteers")

    again = VolunteersPage(store, worker)
    qtbot.addWidget(again)
    again.restore_state(settings, "pages/volunteers")
    assert set(labels_hidden(again)) == {"Ngày rời", "Số giờ", "Điện thoại"}

    defaults = next(
        a for a in again.column_fitter.menu().actions() if a.text() == "Các cột mặc định"
    )
    defaults.trigger()
    assert set(labels_hidden(again)) == {"Kỹ năng", "Ngày rời", "Số giờ"}


def test_the_header_offers_the_column_chooser_on_right_click(qtbot, store, worker):
    page = shown_page(qtbot, VolunteersPage, store, worker)
    header = page.table.horizontalHeader()
    header.customContextMenuRequested.emit(header.rect().center())
    menu = page.column_fitter.open_menu
    assert menu is not None and menu.objectName() == "columnChooser"
    qtbot.waitUntil(menu.isVisible)
    menu.close()


def test_phones_and_dates_stay_whole_in_a_narrow_table(qtbot, store, worker):
    """A phone cut to "0852584…" is no use: the narrow columns keep what their values need,
    the name-like columns give the room."""
    from chapter_app.ui.pages.members import MembersPage

    page = shown_page(qtbot, MembersPage, store, worker, width=760)
    metrics = page.table.fontMetrics()
    for number, column in enumerate(page.columns):
        if column.whole_sample() and not page.table.isColumnHidden(number):
            need = metrics.horizontalAdvance(column.whole_sample())
            assert page.table.columnWidth(number) > need, column.key
    assert page.table.horizontalScrollBar().maximum() == 0


def test_shared_widths_fill_the_room_and_respect_minimums():
    from chapter_app.ui.pages.columns import shared_widths

    assert shared_widths([100, 100], [48, 48], 200) == [100, 100]
    widths = shared_widths([200, 60, 140], [48, 110, 48], 400)  # the middle needs 110
    assert widths[1] == 110 and sum(widths) == 400
    assert widths[0] > widths[2] > 48  # the others give in proportion to their slack
    assert shared_widths([10, 10], [60, 60], 100) == [60, 60]  # too narrow: the minimums
