"""The person view: every role of one person, the aid they received, role conflicts."""

from __future__ import annotations

from datetime import date

import pytest

from chapter_app.services.distribution import create_distribution
from chapter_app.services.dossier import person_dossier
from chapter_app.ui.forms.views import PersonView

TODAY = date(2026, 11, 23)


@pytest.fixture
def household_head(store):
    """A member and volunteer who also heads a supported household."""
    with store.operation("Chuẩn bị"):
        branch = store.branches.add(name="Chi hội Thôn Phú Thọ")
        person = store.people.add(
            full_name="Lê Thị Hoa", sex="F", birth_year=1975, id_number="051175001234"
        )
        store.members.add(person_id=person.id, branch_id=branch.id, admitted_on=date(2015, 3, 1))
        store.volunteers.add(
            person_id=person.id, registered_on=date(2024, 1, 1), team="Đội xung kích"
        )
        address = store.addresses.add(
            name="Hộ bà Lê Thị Hoa", head_person_id=person.id, opened_on=date(2023, 5, 1)
        )
    return person, address


def test_all_roles_and_the_aid_to_the_household_are_shown(qtbot, store, household_head):
    person, address = household_head
    create_distribution(
        store,
        given_on="25/01/2026",
        cash_per_recipient=500_000,
        recipients=[("address", address.id)],
        today=TODAY,
    )
    view = PersonView(store, person.id)
    qtbot.addWidget(view)
    view.show()
    assert view.windowTitle() == "Hồ sơ: Lê Thị Hoa"
    assert view.role_line == "Hội viên, Tình nguyện viên, Chủ hộ được trợ giúp"
    assert view.aid_line.text() == "1 lượt, tổng giá trị 500.000 đ"
    assert view.conflicts == [
        "Hộ bà Lê Thị Hoa (hộ của người này) nhận quà của đợt trao ngày 25/01/2026, khi "
        "người này đang là tình nguyện viên: kiểm tra người này không tự trao quà cho hộ mình."
    ]
    assert view.conflict_text.isVisible()
    # The ID number is masked in the view.
    texts = [label.text() for label in view.findChildren(type(view.aid_line))]
    assert "051******234" in texts and "051175001234" not in texts


def test_aid_before_volunteering_is_not_a_conflict(qtbot, store, household_head):
    person, address = household_head
    create_distribution(
        store,
        given_on="25/01/2023",
        cash_per_recipient=500_000,
        recipients=[("address", address.id)],
        today=TODAY,
    )
    assert person_dossier(store, person.id).conflicts == []


def test_personal_aid_while_volunteering_and_sponsoring_ones_own_household_are_warned(
    store, household_head
):
    person, address = household_head
    create_distribution(
        store,
        given_on="10/02/2026",
        goods_per_recipient=200_000,
        recipients=[("person", person.id)],
        today=TODAY,
    )
    sponsor = store.sponsors.add(name="Bà Lê Thị Hoa", kind="person", person_id=person.id)
    store.commitments.add(sponsor_id=sponsor.id, address_id=address.id, start_on=date(2026, 1, 1))
    dossier = person_dossier(store, person.id)
    assert dossier.roles == ["member", "volunteer", "head", "sponsor"]
    assert [issue.message for issue in dossier.conflicts] == [
        "Nhận quà của đợt trao ngày 10/02/2026 trong thời gian đang là tình nguyện viên: "
        "kiểm tra người này không tự trao quà cho mình.",
        "Là nhà tài trợ của chính hộ mình (Hộ bà Lê Thị Hoa).",
    ]


def test_aid_after_death_is_warned_about(store, household_head):
    person, _address = household_head
    member = store.members.list()[0]
    store.members.change_status(member.id, "died", date(2026, 3, 1))
    store.aid.add(
        given_on=date(2026, 4, 1), recipient_kind="person", person_id=person.id, cash_value=1
    )
    messages = [issue.message for issue in person_dossier(store, person.id).conflicts]
    assert "Có trợ giúp ngày 01/04/2026, sau ngày từ trần (01/03/2026)." in messages


def test_a_person_with_no_role_says_so(qtbot, store):
    person = store.people.add(full_name="Phan Văn Một", birth_year=1990)
    view = PersonView(store, person.id)
    qtbot.addWidget(view)
    assert view.role_line == "chưa có vai trò nào"
    assert view.conflicts == []


def test_the_members_chi_hoi_moves_are_shown_from_and_to_with_their_dates(
    qtbot, qapp, store, tmp_path, monkeypatch
):
    """The member's chi hội changed in the member form, then that chi hội dissolved: the
    person's file opened from the members page lists both moves."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QTableWidget

    from chapter_app.services.organisation import add_branch, dissolve_branch
    from chapter_app.services.records import save_member
    from chapter_app.ui.forms.member_form import MemberDialog
    from chapter_app.ui.main_window import MainWindow
    from chapter_app.ui.pages.base import set_today
    from chapter_app.ui.qt_i18n import apply_language
    from tests.ui.journey import button, click, fill, go_to, in_dialog, saved, select_row

    for name in ("Chi hội Thôn An Vĩnh", "Chi hội Thôn Phú Thọ", "Chi hội Thôn Trung"):
        add_branch(store, name=name)
    save_member(
        store,
        {
            "full_name": "Phạm Văn Tâm",
            "birth": "1980",
            "branch": "Chi hội Thôn An Vĩnh",
            "admitted_on": "05/01/2020",
        },
        today=TODAY,
    )
    apply_language(qapp, "vi")
    set_today(TODAY)
    monkeypatch.setattr("chapter_app.ui.forms.widgets.today", lambda: TODAY)
    try:
        window = MainWindow(
            store, ui_settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
        )
        qtbot.addWidget(window)
        window.show()
        page = go_to(qtbot, window, "members")
        select_row(qtbot, page, "Phạm Văn Tâm")

        def move(dialog: MemberDialog) -> None:
            fill(dialog, {"branch": "Chi hội Thôn Phú Thọ"})
            saved(dialog)

        in_dialog(qtbot, MemberDialog, lambda: click(page.edit_button), move)
        phu_tho = next(b for b in store.branches.list() if b.name.endswith("Phú Thọ"))
        trung = next(b for b in store.branches.list() if b.name.endswith("Trung"))
        dissolve_branch(store, phu_tho.id, on=date(2026, 12, 1), move_members_to=trung.id)

        shown: list[list[str]] = []

        def read(view: PersonView) -> None:
            moves = view.findChild(QTableWidget, "branchMoves")
            for row in range(moves.rowCount()):
                shown.append([moves.item(row, c).text() for c in range(moves.columnCount())])
            click(view.close_button)

        page.refresh()
        select_row(qtbot, page, "Phạm Văn Tâm")
        in_dialog(qtbot, PersonView, lambda: click(button(page, "Xem hồ sơ")), read)
    finally:
        set_today(None)
    assert shown == [
        ["23/11/2026", "Chi hội Thôn An Vĩnh", "Chi hội Thôn Phú Thọ", ""],
        [
            "01/12/2026",
            "Chi hội Thôn Phú Thọ",
            "Chi hội Thôn Trung",
            "Chi hội «Chi hội Thôn Phú Thọ» giải thể; chuyển sang chi hội «Chi hội Thôn Trung».",
        ],
    ]


def test_a_member_who_never_moved_has_no_moves_table(qtbot, store, household_head):
    from PySide6.QtWidgets import QTableWidget

    person, _address = household_head
    view = PersonView(store, person.id)
    qtbot.addWidget(view)
    assert view.findChild(QTableWidget, "branchMoves") is None
