"""The Tổng quan page of a new register lists the first steps, opens where each is done,
ticks what the register has, and goes away once every step is done."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from chapter_app.services import organisation as org
from chapter_app.services.records import save_address, save_member
from chapter_app.services.targets import set_targets
from chapter_app.ui.pages.first_steps import DONE_MARK, STEPS, TODO_MARK
from tests.ui import journey as j


@pytest.fixture
def window(blank_window):
    """The main window on a register made by ``init`` alone (tests/ui/conftest.py)."""
    yield blank_window
    blank_window.close()
    blank_window.worker.wait_idle()


def _dashboard(qtbot, window):
    page = window.page("dashboard")
    qtbot.waitUntil(lambda: page.data is not None, timeout=10000)
    return page


def _click(qtbot, panel, name: str) -> None:
    button = panel.findChild(QPushButton, name)
    assert button is not None and button.isVisible(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_blank_register_shows_every_first_step_to_do(qtbot, window):
    panel = _dashboard(qtbot, window).first_steps
    assert panel.isVisible()
    assert [panel.marks[s.key].text() for s in STEPS] == [TODO_MARK] * len(STEPS)
    assert "Đặt chỉ tiêu năm 20" in panel.texts["targets"].text()


def test_each_button_opens_where_the_step_is_done(qtbot, window):
    from chapter_app.ui.forms.member_form import MemberDialog

    panel = _dashboard(qtbot, window).first_steps
    _click(qtbot, panel, "first_step_organisation")
    assert window.current_page_name() == "organisation"
    window.show_page("dashboard")
    _click(qtbot, panel, "first_step_targets")
    organisation = window.current_page()
    assert organisation.tabs.currentWidget() is organisation.targets
    window.show_page("dashboard")
    opened = []
    j.in_dialog(
        qtbot,
        MemberDialog,
        lambda: _click(qtbot, panel, "first_step_member"),
        lambda dialog: (opened.append(dialog), dialog.reject()),
    )
    assert opened and window.current_page_name() == "members"


def test_steps_are_ticked_as_the_register_fills_and_the_panel_goes_when_all_are_done(qtbot, window):
    store = window.store
    page = _dashboard(qtbot, window)
    branch = org.add_branch(store, name="Chi hội Thôn 1")
    save_member(
        store,
        {
            "full_name": "Nguyễn Văn An",
            "birth_year": "1970",
            "branch_id": branch.id,
            "admitted_on": "01/02/2020",
        },
    )
    page.data = None
    page.refresh()
    page = _dashboard(qtbot, window)
    panel = page.first_steps
    assert panel.marks["branches"].text() == DONE_MARK
    assert panel.marks["members"].text() == DONE_MARK
    assert panel.marks["targets"].text() == TODO_MARK and panel.isVisible()

    set_targets(store, page.data.year, {"members.new": 5})
    unit = org.add_unit(store, name="Thôn 1")
    save_address(
        store,
        {
            "name": "Hộ bà Trần Thị Bình",
            "unit_id": unit.id,
            "opened_on": date(2026, 1, 5).strftime("%d/%m/%Y"),
        },
    )
    page.data = None
    page.refresh()
    page = _dashboard(qtbot, window)
    assert all(page.first_steps.marks[s.key].text() == DONE_MARK for s in STEPS)
    assert not page.first_steps.isVisible()


def test_the_officer_can_hide_the_panel(qtbot, window):
    panel = _dashboard(qtbot, window).first_steps
    _click(qtbot, panel, "first_steps_hide")
    assert not panel.isVisible()
    window.page("dashboard").refresh()
    qtbot.waitUntil(lambda: not window.page("dashboard").loading)
    assert not panel.isVisible()
