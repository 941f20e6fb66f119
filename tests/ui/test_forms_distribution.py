"""The distribution dialog: a handout entered once, many households ticked, one aid
record each, the total shown before saving, the sign-off sheet printed."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from PySide6.QtCore import Qt

from chapter_app.ui.forms.distribution import DistributionDialog
from tests.ui.journey import focus, type_text
from tests.ui.journey import open_dialog as show_dialog

TODAY = date(2026, 11, 23)


pytestmark = pytest.mark.usefixtures("form_clock")


@pytest.fixture
def households(store):
    with store.operation("Chuẩn bị"):
        unit = store.units.add(name="Thôn Phú Thọ")
        rows = []
        for i in range(50):
            head = store.people.add(
                full_name=f"Trần Văn Chủ{i:02d}",
                birth_year=1950 + i % 30,
                id_number=f"0511{50 + i % 30:02d}{i:06d}",
            )
            rows.append(
                store.addresses.add(
                    name=f"Hộ Trần Văn Chủ{i:02d}",
                    head_person_id=head.id,
                    unit_id=unit.id,
                    street_address=f"{i + 1} Lê Lợi",
                    opened_on=date(2025, 1, 1),
                )
            )
        stopped = store.addresses.add(name="Hộ Đã Thoát Nghèo", opened_on=date(2020, 1, 1))
        store.addresses.change_status(stopped.id, "out_of_hardship", date(2025, 6, 1))
    return rows


def open_dialog(qtbot, store):
    return show_dialog(qtbot, DistributionDialog(store))


def _one(db_path, sql):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchone()
    finally:
        conn.close()


def test_fifty_households_ticked_give_fifty_aid_records_with_the_right_total(
    qtbot, store, households, db_path, tmp_path
):
    dialog = open_dialog(qtbot, store)
    recipients = dialog.recipients
    assert recipients.model.rowCount() == 50  # households still being followed
    dialog.fields["given_on"].set_raw("25/01/2026")
    dialog.fields["campaign_id"].set_raw(store.campaigns.by_name("Tết Nhân ái").id)
    focus(qtbot, dialog.fields["description"].editor)
    type_text("Quà Tết: gạo, dầu ăn")
    focus(qtbot, dialog.fields["cash_per_recipient"].editor)
    type_text("500000")
    assert dialog.fields["cash_per_recipient"].editor.text() == "500.000"

    qtbot.mouseClick(recipients.select_shown, Qt.LeftButton)  # "Chọn tất cả đang hiện"
    assert len(recipients.raw()) == 50
    assert dialog.total_line.text() == "50 hộ × 500.000 đ = 25.000.000 đ"
    assert _one(db_path, "SELECT COUNT(*) FROM aid_records") == (0,)

    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)

    assert dialog.saved_count == 1 and dialog.distribution_id is not None
    assert _one(
        db_path,
        "SELECT COUNT(*), SUM(cash_value + goods_value), COUNT(DISTINCT address_id), "
        f"MIN(given_on), MAX(distribution_id) FROM aid_records WHERE distribution_id = "
        f"{dialog.distribution_id}",
    ) == (50, 25_000_000, 50, "2026-01-25", dialog.distribution_id)
    assert "25.000.000 đ" in dialog.saved_line.text()
    assert not dialog.save_button.isEnabled()  # the same handout cannot be saved twice
    assert dialog.print_button.isEnabled()

    pdf = dialog.print_signoff(tmp_path / "ky-nhan.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert store.audit_entries(action="export_list")[0].new_values["rows"] == 50


def test_ticks_survive_a_search_and_only_ticked_households_receive(
    qtbot, store, households, db_path
):
    dialog = open_dialog(qtbot, store)
    recipients = dialog.recipients
    focus(qtbot, recipients.search)
    qtbot.keyClicks(recipients.search, "chu0")  # no tones needed: "Chủ00".."Chủ09"
    recipients.refresh()
    assert recipients.model.rowCount() == 10
    recipients.tick([("address", households[3].id), ("address", households[4].id)])
    recipients.search.clear()
    recipients.refresh()
    assert recipients.model.rowCount() == 50
    assert len(recipients.raw()) == 2
    focus(qtbot, dialog.fields["goods_per_recipient"].editor)
    type_text("300000")
    assert dialog.total_line.text() == "2 hộ × 300.000 đ = 600.000 đ"
    assert dialog.save() is True
    assert _one(db_path, "SELECT COUNT(*), SUM(goods_value) FROM aid_records") == (2, 600_000)


def test_without_recipients_nothing_is_saved_and_the_list_says_why(
    qtbot, store, households, db_path
):
    dialog = open_dialog(qtbot, store)
    dialog.fields["cash_per_recipient"].set_raw(100_000)
    assert dialog.save() is False
    assert dialog.recipients.message_text() == "Chưa chọn người hoặc hộ nhận quà."
    assert _one(db_path, "SELECT COUNT(*) FROM distributions") == (0,)


def test_households_no_longer_followed_can_be_shown_and_are_warned_about(
    qtbot, store, households, db_path
):
    dialog = open_dialog(qtbot, store)
    dialog.recipients.following.setChecked(False)
    assert dialog.recipients.model.rowCount() == 51
    stopped = store.addresses.list(filters={"status": "out_of_hardship"})[0]
    dialog.recipients.tick([("address", stopped.id)])
    dialog.fields["cash_per_recipient"].set_raw(100_000)
    assert dialog.save() is False
    assert dialog.warning_panel.isVisible()
    assert "không còn được theo dõi" in dialog.warning_text.text()
    qtbot.mouseClick(dialog.confirm_button, Qt.LeftButton)
    assert _one(db_path, "SELECT COUNT(*) FROM aid_records") == (1,)


def test_people_can_be_chosen_instead_of_households(qtbot, store, households, db_path):
    dialog = open_dialog(qtbot, store)
    recipients = dialog.recipients
    recipients.by_person.setChecked(True)
    focus(qtbot, recipients.search)
    type_text("Chủ07")
    recipients.refresh()
    assert [label.split(" (")[0] for _key, label in recipients.model.rows] == ["Trần Văn Chủ07"]
    recipients.model.set_all_shown(True)
    focus(qtbot, dialog.fields["cash_per_recipient"].editor)
    type_text("200.000")
    assert dialog.total_line.text() == "1 người × 200.000 đ = 200.000 đ"
    assert dialog.save() is True
    assert _one(
        db_path, "SELECT recipient_kind, households_reached, cash_value FROM aid_records"
    ) == ("person", 0, 200_000)
