"""The dues screen: tick months for members of a branch, save, see who still owes."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from PySide6.QtCore import Qt

from chapter_app.ui.forms.dues import FIRST_MONTH, DuesDialog

TODAY = date(2026, 11, 23)


pytestmark = pytest.mark.usefixtures("form_clock")


@pytest.fixture
def members(store):
    with store.operation("Chuẩn bị"):
        branch = store.branches.add(name="Chi hội Thôn Phú Thọ")
        found = []
        for name, admitted in (
            ("Nguyễn Văn An", date(2015, 1, 1)),
            ("Trần Thị Bình", date(2015, 1, 1)),
            ("Lê Văn Cường", date(2026, 9, 10)),
        ):
            person = store.people.add(full_name=name, birth_year=1970)
            found.append(
                store.members.add(person_id=person.id, branch_id=branch.id, admitted_on=admitted)
            )
    return branch, found


def test_ticked_months_are_saved_with_the_receipt_and_then_locked(qtbot, store, members, db_path):
    branch, (an, _binh, cuong) = members
    dialog = DuesDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.branch.set_raw(branch.id)
    dialog.refresh()
    assert [row.full_name for row in dialog.rows] == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
    ]
    cuong_row = 2
    assert not dialog.table.item(cuong_row, FIRST_MONTH).flags() & Qt.ItemIsEnabled  # January
    assert dialog.owing_total.text() == "3 hội viên còn nợ, tổng 25.000 đ"

    dialog.set_ticked(an.id, range(1, 13), receipt="BL-001")
    dialog.set_ticked(cuong.id, [9, 10, 11], receipt="BL-002")
    assert dialog.summary.text() == "Thu lần này: 2 hội viên, 15 tháng = 15.000 đ"
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)

    conn = sqlite3.connect(db_path)
    rows = conn.execute(
        "SELECT member_id, period_from, period_to, amount, receipt_no, paid_on "
        "FROM dues_payments ORDER BY member_id"
    ).fetchall()
    conn.close()
    assert rows == [
        (an.id, "2026-01", "2026-12", 12_000, "BL-001", "2026-11-23"),
        (cuong.id, "2026-09", "2026-11", 3_000, "BL-002", "2026-11-23"),
    ]
    assert dialog.saved_count == 1
    january = dialog.table.item(0, FIRST_MONTH)
    assert january.checkState() == Qt.Checked and not january.flags() & Qt.ItemIsUserCheckable
    assert dialog.owing_table.rowCount() == 1
    assert dialog.owing_table.item(0, 0).text() == "Trần Thị Bình"
    assert dialog.owing_table.item(0, 2).text() == "11.000 đ"


def test_nothing_ticked_saves_nothing(qtbot, store, members, db_path):
    branch, _ = members
    dialog = DuesDialog(store)
    qtbot.addWidget(dialog)
    dialog.branch.set_raw(branch.id)
    dialog.refresh()
    assert dialog.save() is False
    assert "Chưa đánh dấu" in dialog.banner.text()
    assert store.dues.count() == 0
