"""The aid, distribution and commitment forms offer the register's own list of aid forms
(Tổ chức > Danh mục > Hình thức trợ giúp): an entry the officer adds there is offered and
saved, a hidden one is no longer offered but old records keep showing it. Driven from a
blank register through the real widgets."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton

from tests.ui.journey import (
    WAIT_MS,
    button,
    choose,
    click,
    db_rows,
    fill,
    go_to,
    in_dialog,
    saved,
    select_row,
    type_into,
)

TODAY = date(2026, 11, 23)


@pytest.fixture
def window(blank_window):
    return blank_window


def _settle(qtbot, page) -> None:
    qtbot.wait(20)
    assert page.worker.wait_idle()
    qtbot.wait(10)


def _forms_list(qtbot, window):
    """Tổ chức > Danh mục, showing the aid forms."""
    page = go_to(qtbot, window, "organisation")
    tab = page.lists
    bar = page.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(page.tabs.indexOf(tab)).center())
    choose(tab.findChild(QComboBox, "listKind"), "Hình thức trợ giúp")
    _settle(qtbot, page)
    return page, tab


def _texts(table, column=0):
    return [table.item(r, column).text() for r in range(table.rowCount())]


def _offered(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def _add_group_aid(qtbot, window, *, form: str, group: str, offered: list[list[str]]):
    """Trợ giúp > Thêm: aid to an unnamed group, given in ``form``; what the list offered
    is appended to ``offered``."""
    from chapter_app.ui.forms.aid_form import AidDialog

    page = go_to(qtbot, window, "aid")

    def answer(dialog: AidDialog) -> None:
        combo = dialog.findChild(QComboBox, "aidForm")
        offered.append(_offered(combo))
        choose(dialog.fields["recipient_kind"].editor, "Nhóm không ghi tên")
        fill(dialog, {"given_on": "20/11/2026", "group_name": group, "head_count": "12"})
        choose(combo, form)
        fill(dialog, {"goods_value": "3000000"})
        saved(dialog)

    in_dialog(qtbot, AidDialog, lambda: click(page.add_button), answer)
    return page


def test_aid_forms_added_on_the_organisation_page_are_offered_and_saved(qtbot, window, db_path):
    page, tab = _forms_list(qtbot, window)
    click(tab.findChild(QPushButton, "addEntry"))
    type_into(tab.dialog.findChild(QLineEdit, "entryName"), "Bò giống")
    click(tab.dialog.findChild(QPushButton, "ok"))
    _settle(qtbot, page)
    assert _texts(tab.table)[-1] == "Bò giống"

    offered: list[list[str]] = []
    aid_page = _add_group_aid(
        qtbot, window, form="Bò giống", group="Tổ hợp tác chăn nuôi", offered=offered
    )
    assert "Bò giống" in offered[0]
    assert db_rows(db_path, "SELECT group_name, form FROM aid_records") == [
        ("Tổ hợp tác chăn nuôi", "bo_giong")
    ]
    select_row(qtbot, aid_page, "Tổ hợp tác chăn nuôi", column=1)
    form_column = [c.key for c in aid_page.columns].index("form")
    qtbot.waitUntil(
        lambda: aid_page.table.model().index(0, form_column).data() == "Bò giống", timeout=WAIT_MS
    )


def test_a_hidden_aid_form_is_not_offered_but_old_records_keep_it(qtbot, window, db_path):
    from chapter_app.ui.forms.aid_form import AidDialog
    from chapter_app.ui.forms.commitment_form import CommitmentDialog
    from chapter_app.ui.forms.distribution import DistributionDialog

    offered: list[list[str]] = []
    aid_page = _add_group_aid(qtbot, window, form="Gạo", group="Nhóm trẻ mồ côi", offered=offered)
    assert "Gạo" in offered[0]

    page, tab = _forms_list(qtbot, window)
    row = _texts(tab.table).index("Gạo")
    rect = tab.table.visualRect(tab.table.model().index(row, 0))
    qtbot.mouseClick(tab.table.viewport(), Qt.LeftButton, pos=rect.center())
    click(tab.findChild(QPushButton, "hideEntry"))
    _settle(qtbot, page)
    assert _texts(tab.table, 3)[row] == "Đã ẩn"

    offered.clear()
    _add_group_aid(qtbot, window, form="Tiền mặt", group="Nhóm người già", offered=offered)
    assert "Gạo" not in offered[0] and "Tiền mặt" in offered[0]

    def distribution(dialog) -> None:
        offered.append(_offered(dialog.findChild(QComboBox, "aidForm")))
        click(dialog.cancel_button)

    in_dialog(
        qtbot,
        DistributionDialog,
        lambda: click(button(go_to(qtbot, window, "aid"), "Phát quà theo đợt…")),
        distribution,
    )
    assert "Gạo" not in offered[-1] and "Hiện vật, quà" in offered[-1]
    commitment = CommitmentDialog(window.store, parent=window)
    qtbot.addWidget(commitment)
    assert "Gạo" not in _offered(commitment.findChild(QComboBox, "aidForm"))

    aid_page = go_to(qtbot, window, "aid")
    select_row(qtbot, aid_page, "Nhóm trẻ mồ côi", column=1)

    def old_record(dialog: AidDialog) -> None:
        combo = dialog.findChild(QComboBox, "aidForm")
        offered.append([combo.currentText()])
        fill(dialog, {"notes": "đã sửa"})
        saved(dialog)

    in_dialog(qtbot, AidDialog, lambda: click(aid_page.edit_button), old_record)
    assert offered[-1] == ["Gạo"]
    assert db_rows(
        db_path, "SELECT form, notes FROM aid_records WHERE group_name = 'Nhóm trẻ mồ côi'"
    ) == [("rice", "đã sửa")]
