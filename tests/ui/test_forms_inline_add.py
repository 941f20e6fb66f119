"""The member and volunteer forms add a missing chi hội or thôn inline, after a confirmation."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from chapter_app.store.repository import Query
from chapter_app.ui.forms import base, widgets
from chapter_app.ui.forms.member_form import MemberDialog
from chapter_app.ui.forms.volunteer_form import VolunteerDialog
from tests.ui.journey import ANSWERS, answer_question, click, fill, type_into, when_shown


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(widgets, "today", lambda: date(2026, 11, 23))
    monkeypatch.setattr(base, "ASK_BEFORE_DISCARD", False)


def test_a_new_chi_hoi_typed_in_the_member_form_is_added_after_yes_and_the_member_saved(
    qtbot, store
):
    dialog = MemberDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    fill(dialog, {"full_name": "Phạm Thị Lụa", "birth": "1975", "admitted_on": "02/03/2026"})
    inline = dialog.add_branch
    assert not inline.button.isVisible()
    type_into(dialog.branch.combo, "Chi hội Thôn Hòa Bình")
    assert inline.button.isVisible()
    assert inline.button.text() == "Thêm chi hội «Chi hội Thôn Hòa Bình»"

    answer_question("Yes")
    click(inline.button)
    qtbot.waitUntil(lambda: isinstance(dialog.branch.raw(), int))
    ANSWERS.check()
    (branch,) = store.branches.list(Query())
    assert branch.name == "Chi hội Thôn Hòa Bình" and dialog.branch.raw() == branch.id
    assert not inline.button.isVisible()
    assert dialog.save()
    (member,) = store.members.list(Query())
    assert member.branch_id == branch.id


def test_answering_no_adds_no_chi_hoi(qtbot, store):
    dialog = MemberDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(dialog.branch.combo, "Chi hội Mới")
    answer_question("No")
    click(dialog.add_branch.button)
    qtbot.wait(50)
    ANSWERS.check()
    assert store.branches.count(Query()) == 0
    assert dialog.add_branch.button.isVisible()


def test_a_name_already_there_under_other_tones_offers_no_new_chi_hoi(qtbot, store):
    with store.operation("Chuẩn bị"):
        store.branches.add(name="Chi hội Thôn Hòa Bình")
    dialog = MemberDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(dialog.branch.combo, "chi hoi thon hoa binh")
    assert not dialog.add_branch.button.isVisible()


def test_a_new_thon_typed_in_the_volunteer_form_is_added_after_yes(qtbot, store):
    dialog = VolunteerDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    inline = dialog.person.add_unit
    type_into(dialog.person.unit.combo, "Thôn Gò Nổi")
    assert inline.button.text() == "Thêm thôn «Thôn Gò Nổi»"
    answer_question("Yes")
    click(inline.button)
    qtbot.waitUntil(lambda: isinstance(dialog.person.unit.raw(), int))
    ANSWERS.check()
    assert [u.name for u in store.units.list(Query())] == ["Thôn Gò Nổi"]
    assert dialog.add_branch.button.isHidden()


def test_a_name_the_register_refuses_is_explained_and_nothing_is_added(qtbot, store):
    dialog = MemberDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    too_long = "Chi hội " + "Thôn Rất Dài " * 10  # over 120 letters
    type_into(dialog.branch.combo, too_long)
    shown = []

    def read_and_close(box):
        shown.append(box.text())
        box.buttons()[0].click()

    button = dialog.add_branch.button
    assert button.text().endswith("…»") and button.toolTip() == " ".join(too_long.split())
    answer_question("Yes", then=lambda: when_shown(QMessageBox, read_and_close))
    click(button)
    qtbot.waitUntil(lambda: bool(shown))
    ANSWERS.check()
    assert "120" in shown[0]
    assert store.branches.count(Query()) == 0
    assert dialog.branch.raw() == " ".join(too_long.split())
