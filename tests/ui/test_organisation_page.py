"""The Tổ chức page driven through its widgets on a blank register: chi hội, thôn,
lists, targets and officers."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from chapter_app.services.records import save_member
from chapter_app.ui.main_window import PAGE_NAMES
from chapter_app.ui.qt_i18n import apply_language
from tests.ui.journey import db_rows

TODAY = date(2026, 11, 23)


@pytest.fixture
def window(blank_window):
    return blank_window


def type_into(qtbot, widget, text: str) -> None:
    """Focus ``widget``, select what it holds and type ``text`` as key events."""
    widget.activateWindow()
    widget.setFocus(Qt.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)
    widget.selectAll()
    for ch in text:
        QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyPress, 0, Qt.NoModifier, ch))
        QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyRelease, 0, Qt.NoModifier, ch))


def click(qtbot, parent, name: str) -> None:
    button = parent.findChild(QPushButton, name)
    assert button is not None, name
    qtbot.mouseClick(button, Qt.LeftButton)


def open_page(qtbot, window):
    nav = window.navigation
    row = PAGE_NAMES.index("organisation")
    assert nav.item(row).text() == "Tổ chức"
    qtbot.mouseClick(nav.viewport(), Qt.LeftButton, pos=nav.visualItemRect(nav.item(row)).center())
    page = window.pages["organisation"]
    qtbot.waitUntil(page.isVisible)
    settle(qtbot, page)
    return page


def settle(qtbot, page) -> None:
    """Let the page's refresh start and its rows (read off the GUI thread) arrive."""
    qtbot.wait(20)
    assert page.worker.wait_idle()
    qtbot.wait(10)


def show_tab(qtbot, page, tab):
    page.tabs.setCurrentWidget(tab)
    settle(qtbot, page)
    return tab


def line(dialog, name) -> QLineEdit:
    edit = dialog.findChild(QLineEdit, name)
    assert edit is not None, name
    return edit


def ok(qtbot, dialog) -> None:
    click(qtbot, dialog, "ok")


def add_branch(qtbot, page, name: str, head: str = ""):
    click(qtbot, page.branches, "addBranch")
    dialog = page.branches.dialog
    qtbot.waitExposed(dialog)
    type_into(qtbot, line(dialog, "branchName"), name)
    if head:
        type_into(qtbot, line(dialog, "branchHead"), head)
    ok(qtbot, dialog)
    settle(qtbot, page)
    return dialog


def table_texts(table, column=0):
    return [table.item(r, column).text() for r in range(table.rowCount())]


def select_row(qtbot, table, text):
    row = table_texts(table).index(text)
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())
    assert table.selectionModel().selectedRows()[0].row() == row


def test_branches_are_added_refused_when_duplicate_rated_and_dissolved(qtbot, window, db_path):
    page = open_page(qtbot, window)
    add_branch(qtbot, page, "Chi hội thôn An Vĩnh", head="Lê Văn Tám")
    add_branch(qtbot, page, "Chi hội Khê Thủy")
    assert table_texts(page.branches.table) == ["Chi hội Khê Thủy", "Chi hội thôn An Vĩnh"]
    assert page.branches.table.item(1, 4).text() == "Lê Văn Tám"

    dialog = add_branch(qtbot, page, "CHI HOI KHE THUY")
    assert dialog.isVisible()
    assert "Đã có chi hội «Chi hội Khê Thủy»" in dialog.message.text()
    dialog.reject()
    assert db_rows(db_path, "SELECT COUNT(*) FROM branches")[0][0] == 2

    for name in ("Nguyễn Văn An", "Trần Thị Bình"):
        raw = {"full_name": name, "birth_year": 1980, "admitted_on": "2025-01-01"}
        save_member(page.store, {**raw, "branch": "An Vĩnh"}, today=TODAY)
    qtbot.waitUntil(lambda: page.branches.table.item(1, 5).text() == "2")

    select_row(qtbot, page.branches.table, "Chi hội thôn An Vĩnh")
    click(qtbot, page.branches, "rateBranch")
    rate = page.branches.dialog
    rate.rating.setCurrentIndex(rate.rating.findData("strong"))
    ok(qtbot, rate)
    qtbot.waitUntil(lambda: page.branches.table.item(1, 6).text() == "Vững mạnh")

    click(qtbot, page.branches, "dissolveBranch")
    dissolve = page.branches.dialog
    assert dissolve.target.currentText() == "Chi hội Khê Thủy"
    type_into(qtbot, dissolve.on.line, "01/10/2026")
    ok(qtbot, dissolve)
    qtbot.waitUntil(lambda: page.branches.table.item(0, 5).text() == "2")
    assert "giải thể 01/10/2026" in page.branches.table.item(1, 0).text()
    assert db_rows(db_path, "SELECT COUNT(*) FROM member_branch_moves")[0][0] == 2


def test_units_are_added_renamed_and_merged(qtbot, window, db_path):
    page = open_page(qtbot, window)
    show_tab(qtbot, page, page.units)
    for name in ("Thôn Khê Thủy", "Thôn Thanh Thủy", "Thôn An Vĩnh"):
        click(qtbot, page.units, "addUnit")
        type_into(qtbot, line(page.units.dialog, "unitName"), name)
        ok(qtbot, page.units.dialog)
    settle(qtbot, page)
    assert len(table_texts(page.units.table)) == 3

    select_row(qtbot, page.units.table, "Thôn Khê Thủy")
    click(qtbot, page.units, "mergeUnits")
    merge = page.units.dialog
    checked = [merge.units.item(i) for i in range(merge.units.count())]
    for item in checked:
        if item.text() == "Thôn Thanh Thủy":
            item.setCheckState(Qt.Checked)
    type_into(qtbot, line(merge, "mergeInto"), "Thôn Khê Thanh")
    type_into(qtbot, merge.on.line, "01/07/2026")
    ok(qtbot, merge)
    qtbot.waitUntil(lambda: "Thôn Khê Thanh" in table_texts(page.units.table))
    merged = dict(zip(table_texts(page.units.table), table_texts(page.units.table, 5), strict=True))
    assert merged["Thôn Khê Thủy"] == "vào «Thôn Khê Thanh» ngày 01/07/2026"
    assert merged["Thôn Thanh Thủy"] == "vào «Thôn Khê Thanh» ngày 01/07/2026"
    assert merged["Thôn An Vĩnh"] == ""
    rows = db_rows(db_path, "SELECT name, merged_into_id IS NOT NULL FROM units ORDER BY id")
    assert rows[-1] == ("Thôn Khê Thanh", 0) and rows[0] == ("Thôn Khê Thủy", 1)


def test_yearly_targets_are_typed_saved_and_copied(qtbot, window, db_path):
    page = open_page(qtbot, window)
    tab = show_tab(qtbot, page, page.targets)
    assert tab.year.value() == 2026
    type_into(qtbot, tab.fields["members.new"], "50")
    type_into(qtbot, tab.fields["blood.units"], "120")
    type_into(qtbot, tab.fields["aid.value_total"], "50.000.000")
    click(qtbot, tab, "saveTargets")
    assert "Đã lưu 3 chỉ tiêu năm 2026" in tab.message.text()
    rows = dict(db_rows(db_path, "SELECT key, value FROM targets WHERE year = 2026"))
    assert rows == {"members.new": 50, "blood.units": 120, "aid.value_total": 50_000_000}

    type_into(qtbot, tab.fields["members.new"], "năm mươi")
    click(qtbot, tab, "saveTargets")
    assert "số nguyên không âm" in tab.message.text()
    assert (
        dict(db_rows(db_path, "SELECT key, value FROM targets WHERE year = 2026"))["members.new"]
        == 50
    )

    tab.year.setValue(2027)
    assert tab.fields["members.new"].text() == ""
    click(qtbot, tab, "copyTargets")
    assert tab.fields["members.new"].text() == "50"
    assert tab.fields["aid.value_total"].text() == "50.000.000"
    assert len(db_rows(db_path, "SELECT * FROM targets WHERE year = 2027")) == 3


def test_reference_lists_take_english_names_hide_and_reorder(qtbot, window, db_path):
    page = open_page(qtbot, window)
    tab = show_tab(qtbot, page, page.lists)
    tab.kind.setCurrentIndex(tab.kind.findData("forms"))
    settle(qtbot, page)
    assert table_texts(tab.table)[0] == "Tiền mặt"
    click(qtbot, tab, "addEntry")
    type_into(qtbot, line(tab.dialog, "entryName"), "Bò giống")
    type_into(qtbot, line(tab.dialog, "entryNameEn"), "Breeding cow")
    ok(qtbot, tab.dialog)
    settle(qtbot, page)
    assert table_texts(tab.table)[-1] == "Bò giống"
    assert table_texts(tab.table, 1)[-1] == "Breeding cow"
    select_row(qtbot, tab.table, "Bò giống")
    click(qtbot, tab, "moveUp")
    settle(qtbot, page)
    assert table_texts(tab.table)[-2] == "Bò giống"
    click(qtbot, tab, "hideEntry")
    settle(qtbot, page)
    assert table_texts(tab.table, 3)[-2] == "Đã ẩn"
    assert db_rows(db_path, "SELECT active FROM aid_forms WHERE name = 'Bò giống'") == [(0,)]


def test_officers_give_the_reports_signer(qtbot, window):
    page = open_page(qtbot, window)
    tab = show_tab(qtbot, page, page.officers)
    click(qtbot, tab, "addOfficer")
    dialog = tab.dialog
    type_into(qtbot, line(dialog, "officerName"), "Trần Thị Bình")
    dialog.title_box.setCurrentIndex(dialog.title_box.findData("vice_chairman"))
    ok(qtbot, dialog)
    settle(qtbot, page)
    assert table_texts(tab.table) == ["Trần Thị Bình"]
    assert tab.signer.text() == "Người ký báo cáo: KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Trần Thị Bình"


def test_form_choices_follow_the_lists_order_hiding_and_language(store):
    from chapter_app.i18n import set_language
    from chapter_app.services import reference_lists as rl
    from chapter_app.ui.forms.common import aid_form_choices, campaign_choices

    cow = rl.add_entry(store, "forms", "Bò giống", name_en="Breeding cow")
    rl.move_entry(store, "forms", cow.id, by=-100)
    scholarship = rl.find_entry(store, "campaigns", "Học bổng")
    rl.hide_entry(store, "campaigns", scholarship.id)
    assert aid_form_choices(store)[0] == ("Bò giống", cow.code)
    assert scholarship.id not in [value for _label, value in campaign_choices(store)]
    set_language("en")
    try:
        assert aid_form_choices(store)[0] == ("Breeding cow", cow.code)
        assert campaign_choices(store)[0][0] == "Humanitarian Tết"
    finally:
        set_language("vi")


def test_changing_a_branch_renames_it_and_keeps_the_old_name(qtbot, window, db_path):
    page = open_page(qtbot, window)
    add_branch(qtbot, page, "Chi hội An")
    add_branch(qtbot, page, "Chi hội Bình")
    select_row(qtbot, page.branches.table, "Chi hội An")
    click(qtbot, page.branches, "editBranch")
    dialog = page.branches.dialog
    type_into(qtbot, line(dialog, "branchName"), "chi hội bình")
    ok(qtbot, dialog)
    assert "Đã có chi hội «Chi hội Bình»" in dialog.message.text()
    type_into(qtbot, line(dialog, "branchName"), "Chi hội An Hòa")
    type_into(qtbot, line(dialog, "branchHead"), "Phạm Thị Dung")
    ok(qtbot, dialog)
    settle(qtbot, page)
    assert table_texts(page.branches.table) == ["Chi hội An Hòa", "Chi hội Bình"]
    assert page.branches.table.item(0, 4).text() == "Phạm Thị Dung"
    assert db_rows(db_path, "SELECT old_name, new_name FROM name_history") == [
        ("Chi hội An", "Chi hội An Hòa")
    ]


def test_every_dialog_of_the_page_fits_a_1093_by_614_screen(qtbot, qapp, store):
    from chapter_app.services import organisation as org
    from chapter_app.ui.dialogs import organisation as d

    apply_language(qapp, "vi")
    for i in range(40):  # a chapter with many thôn: the lists scroll, the dialog does not grow
        org.add_unit(store, name=f"Thôn số {i + 1}")
    branch = org.add_branch(store, name="Chi hội An")
    org.add_branch(store, name="Chi hội Bình")
    dialogs = [
        d.BranchDialog(store),
        d.BranchDialog(store, branch),
        d.DissolveDialog(store, branch, today=TODAY),
        d.RateDialog(store, branch, year=2026, current=None),
        d.UnitDialog(store),
        d.MergeDialog(store, checked=set(), today=TODAY),
        d.OfficerDialog(store, today=TODAY),
        d.EntryDialog(store, "campaigns"),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        size = dialog.frameGeometry().size()
        assert size.width() <= 1093 and size.height() <= 614, (dialog.objectName(), size)
