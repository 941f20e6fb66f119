"""The cells of an address sheet, read without a planner: categories whose names hold a
comma, an amount's period named in its header, household members with their relation,
and a status with its date."""

from __future__ import annotations

from datetime import date

from chapter_app.services.importer import addresses
from chapter_app.services.importer.address_columns import (
    address_status,
    category_names,
    frequency_in_title,
    household_people,
)
from chapter_app.services.importer.cells import Named, Names
from chapter_app.services.importer.planner import SHEET_KINDS

CATEGORIES = Names([Named(1, "Hộ nghèo"), Named(4, "Người già neo đơn, không nơi nương tựa")])


def test_a_category_name_with_a_comma_is_not_cut_in_two():
    found = category_names(CATEGORIES, "Hộ nghèo; Người già neo đơn, không nơi nương tựa; Hộ giàu")
    assert [category_id for _name, category_id in found] == [1, 4, None]
    assert found[-1][0].strip() == "Hộ giàu"


def test_an_amount_header_names_its_period():
    assert frequency_in_title("Số tiền/tháng") == "hằng tháng"
    assert frequency_in_title("Mức hỗ trợ hằng quý") == "hằng quý"
    assert frequency_in_title("Số tiền") is None
    assert frequency_in_title(None) is None


def test_household_members_come_with_their_relation_and_the_head_with_a_chu_ho_column():
    g = {"household_members": "Lê Thị Hoa (vợ); Lê Văn Nam - con"}
    raw = {"name": "lê văn ba", "unit_id": 3, "street_address": "Xóm 2"}
    head, members, issues = household_people(
        g, raw, name_title="Họ tên chủ hộ", today=date(2026, 11, 20)
    )
    assert issues == []
    assert head == {"full_name": "Lê Văn Ba", "unit_id": 3, "address": "Xóm 2"}
    assert [(p["full_name"], relation) for p, relation in members] == [
        ("Lê Thị Hoa", "vợ"),
        ("Lê Văn Nam", "con"),
    ]
    head, _members, _ = household_people(g, raw, name_title="Tên hộ", today=date(2026, 11, 20))
    assert head is None


def test_a_status_needs_its_date_and_not_before_the_opening():
    start = date(2025, 1, 1)
    assert address_status({"status": "Đang theo dõi"}, start) == (None, None, [])
    status, on, issues = address_status({"status": "Thoát nghèo", "status_on": "01/06/2026"}, start)
    assert (status, on, issues) == ("out_of_hardship", date(2026, 6, 1), [])
    _status, on, issues = address_status({"status": "Ngừng"}, start)
    assert on is None and [i.field for i in issues] == ["status_on"]
    _status, _on, issues = address_status({"status": "Ngừng", "status_on": "01/06/2024"}, start)
    assert [i.field for i in issues] == ["status_on"]
    _status, _on, issues = address_status({"status": "Bay đi"}, start)
    assert [i.field for i in issues] == ["status"]


def test_the_old_module_registers_the_kind_and_names_what_others_import():
    assert SHEET_KINDS["addresses"].planner is addresses.AddressPlanner
    assert SHEET_KINDS["addresses"].writer is addresses.AddressWriter
    assert addresses._AddressPayload is addresses.AddressPayload
