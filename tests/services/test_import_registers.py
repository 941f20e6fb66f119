"""Importing volunteers, humanitarian addresses with their sponsors, and aid records."""

from __future__ import annotations

from datetime import date

import pytest

from chapter_app.services.importer import ImportRefused, Outcome, apply_import, plan_import
from chapter_app.services.records import save_address, save_member
from chapter_app.store.repository import Query
from tests.services.test_import_sheets import TODAY, nfd, simple_sheet


@pytest.fixture
def chapter(store):
    store.branches.add(name="Chi hội Thôn 3")
    store.units.add(name="Thôn 3")
    return store


def test_volunteers_sheet_lands_record_by_record(chapter, tmp_path):
    path = simple_sheet(
        tmp_path / "tnv.xlsx",
        [
            "TT",
            "Họ tên",
            "Giới tính",
            "Ngày sinh",
            "Điện thoại",
            "Ngày tham gia",
            "Nòng cốt",
            "Kỹ năng",
            "Đội/CLB",
            "Số giờ",
            "Chi hội",
        ],
        [
            [
                1,
                nfd("ĐẶNG THỊ THU"),
                "Nữ",
                "12/08/1995",
                976000111,
                "01/03/2024",
                "x",
                "Sơ cấp cứu",
                "Đội xung kích",
                40,
                "Thôn 3",
            ],
            [2, "Hà Văn Long", "Nam", 2000, None, 45352, None, None, None, None, None],
        ],
        title_rows=["DANH SÁCH TÌNH NGUYỆN VIÊN", ""],
    )
    plan = plan_import(chapter, path, "volunteers", today=TODAY)
    assert plan.counts["ok"] == 2, plan.summary_lines()
    apply_import(chapter, plan)
    volunteers = {chapter.people.get(v.person_id).full_name: v for v in chapter.volunteers.list()}
    thu = volunteers["Đặng Thị Thu"]
    person = chapter.people.get(thu.person_id)
    assert (person.sex, person.birth_date, person.phone) == ("F", date(1995, 8, 12), "0976000111")
    assert (thu.registered_on, thu.is_core, thu.skills, thu.team, thu.hours) == (
        date(2024, 3, 1),
        True,
        "Sơ cấp cứu",
        "Đội xung kích",
        40,
    )
    assert thu.branch_id == chapter.branches.by_name("Chi hội Thôn 3").id
    long = volunteers["Hà Văn Long"]
    assert (long.registered_on, long.is_core, long.branch_id) == (date(2024, 3, 1), False, None)


def test_a_member_already_on_file_becomes_a_volunteer_on_update(chapter, tmp_path):
    existing = save_member(
        chapter,
        {
            "full_name": "Hà Văn Long",
            "birth": "2000",
            "branch": "Chi hội Thôn 3",
            "admitted_on": "01/01/2020",
        },
        today=TODAY,
    ).record
    path = simple_sheet(
        tmp_path / "tnv.xlsx",
        ["Họ tên", "Năm sinh", "Ngày đăng ký"],
        [["Hà Văn Long", 2000, "01/03/2024"]],
    )
    plan = plan_import(chapter, path, "volunteers", today=TODAY)
    assert plan.rows[0].outcome is Outcome.DUPLICATE
    assert "chưa là tình nguyện viên" in plan.rows[0].duplicate.description
    result = apply_import(chapter, plan, on_duplicate="update")
    assert result.updated == 1
    assert [v.person_id for v in chapter.volunteers.list()] == [existing.person_id]


ADDRESS_HEADER = [
    "STT",
    "Họ tên chủ hộ",
    "Địa chỉ",
    "Thôn",
    "Diện đối tượng",
    "Hoàn cảnh",
    "Ngày tiếp nhận",
    "Nhà tài trợ",
    "Hình thức hỗ trợ",
    "Mức hỗ trợ (đồng/tháng)",
    "Ngày bắt đầu",
    "Tình trạng",
]


def test_addresses_with_their_sponsors_and_commitments(chapter, tmp_path):
    path = simple_sheet(
        tmp_path / "dcnd.xlsx",
        ADDRESS_HEADER,
        [
            [
                1,
                "Hộ bà Nguyễn Thị Lan",
                "Xóm 1",
                "Thôn 3",
                "Hộ nghèo; Người khuyết tật",
                "Chồng mất, nuôi 2 con nhỏ",
                "15/02/2024",
                "Công ty TNHH Ánh Dương",
                "Tiền mặt",
                "500.000",
                None,
                None,
            ],
            [
                None,
                "Hộ bà Nguyễn Thị Lan",
                "Xóm 1",
                "Thôn 3",
                None,
                None,
                "15/02/2024",
                "Chùa Phước Lâm",
                "Gạo",
                200000,
                "01/03/2024",
                None,
            ],
            [
                2,
                "Hộ ông Trần Văn Bảy",
                "Xóm 3",
                "Thôn 3",
                "Hộ cận nghèo",
                None,
                45292,
                None,
                None,
                None,
                None,
                "Đã thoát khó khăn",
            ],
        ],
    )
    plan = plan_import(chapter, path, "addresses", today=TODAY)
    assert [r.outcome for r in plan.rows] == [Outcome.OK, Outcome.OK, Outcome.ERROR]
    assert plan.row(4).messages() == [
        "Ô L4 (Tình trạng): Tình trạng “Đã thoát khó khăn” cần có ngày đổi tình trạng."
    ]
    with pytest.raises(ImportRefused):
        apply_import(chapter, plan)
    result = apply_import(chapter, plan, valid_only=True)
    assert (result.added, result.skipped_errors) == (1, 1)

    (lan,) = chapter.addresses.list()
    assert (lan.name, lan.street_address, lan.opened_on) == (
        "Hộ bà Nguyễn Thị Lan",
        "Xóm 1",
        date(2024, 2, 15),
    )
    assert lan.unit_id == chapter.units.list()[0].id
    assert lan.circumstances == "Chồng mất, nuôi 2 con nhỏ"
    categories = {c.id: c.name for c in chapter.categories.list()}
    assert sorted(categories[i] for i in chapter.addresses.categories_of(lan.id)) == [
        "Hộ nghèo",
        "Người khuyết tật",
    ]
    commitments = chapter.commitments.list(Query(filters={"address_id": lan.id}))
    by_sponsor = {chapter.sponsors.get(c.sponsor_id).name: c for c in commitments}
    assert set(by_sponsor) == {"Công ty TNHH Ánh Dương", "Chùa Phước Lâm"}
    cash = by_sponsor["Công ty TNHH Ánh Dương"]
    assert (cash.form, cash.amount, cash.start_on) == ("cash", 500_000, date(2024, 2, 15))
    rice = by_sponsor["Chùa Phước Lâm"]
    assert (rice.form, rice.amount, rice.start_on) == ("rice", 200_000, date(2024, 3, 1))


def test_an_address_on_file_is_a_duplicate_and_can_be_updated(chapter, tmp_path):
    existing = save_address(
        chapter,
        {"name": "Hộ bà Nguyễn Thị Lan", "street_address": "Xóm 1", "opened_on": "01/01/2020"},
        today=TODAY,
    ).record
    path = simple_sheet(
        tmp_path / "dcnd.xlsx",
        ADDRESS_HEADER,
        [
            [
                1,
                "Hộ bà Nguyễn Thị Lan",
                "Xóm 1",
                None,
                "Hộ nghèo",
                "Mới ốm nặng",
                "01/01/2020",
                "Công ty TNHH Ánh Dương",
                "Tiền mặt",
                300000,
                None,
                None,
            ]
        ],
    )
    plan = plan_import(chapter, path, "addresses", today=TODAY)
    assert plan.rows[0].outcome is Outcome.DUPLICATE
    assert plan.rows[0].duplicate.record_id == existing.id
    apply_import(chapter, plan, on_duplicate="update")
    assert chapter.addresses.count() == 1
    assert chapter.addresses.get(existing.id).circumstances == "Mới ốm nặng"
    assert len(chapter.commitments.list()) == 1
    again = plan_import(chapter, path, "addresses", today=TODAY)
    apply_import(chapter, again, on_duplicate="update")
    assert len(chapter.commitments.list()) == 1  # the same commitment is not added twice


def test_unknown_categories_are_errors_on_their_cell(chapter, tmp_path):
    path = simple_sheet(
        tmp_path / "dcnd.xlsx",
        ADDRESS_HEADER,
        [
            [
                1,
                "Hộ X",
                None,
                None,
                "Hộ siêu nghèo",
                None,
                "01/01/2020",
                None,
                None,
                5000,
                None,
                None,
            ]
        ],
    )
    plan = plan_import(chapter, path, "addresses", today=TODAY)
    assert plan.rows[0].messages() == [
        "Ô E2 (Diện đối tượng): Không có diện đối tượng “Hộ siêu nghèo” trong danh mục.",
        "Ô H2 (Nhà tài trợ): Có thông tin tài trợ nhưng chưa ghi tên nhà tài trợ.",
    ]


AID_HEADER = [
    "STT",
    "Ngày",
    "Họ tên người nhận",
    "Năm sinh",
    "Loại đối tượng",
    "Số người",
    "Chương trình",
    "Nội dung",
    "Số lượng",
    "ĐVT",
    "Tiền mặt",
    "Hiện vật",
    "Nguồn",
    "Ký nhận",
]


def test_aid_records_find_their_recipients(chapter, tmp_path):
    address = save_address(
        chapter, {"name": "Hộ bà Nguyễn Thị Lan", "opened_on": "01/01/2020"}, today=TODAY
    ).record
    person = save_member(
        chapter,
        {
            "full_name": "Lê Văn Tám",
            "birth": "1950",
            "branch": "Chi hội Thôn 3",
            "admitted_on": "01/01/2000",
        },
        today=TODAY,
    ).record
    path = simple_sheet(
        tmp_path / "tro_giup.xlsx",
        AID_HEADER,
        [
            [
                1,
                "20/01/2026",
                "Hộ bà Nguyễn Thị Lan",
                None,
                None,
                None,
                "Tết Nhân ái",
                "Quà Tết",
                1,
                "suất",
                500000,
                "300.000",
                "Nội lực",
                None,
            ],
            [
                2,
                "20/01/2026",
                "LÊ VĂN TÁM",
                1950,
                None,
                None,
                "Tết Nhân ái",
                "Quà Tết",
                1,
                "suất",
                500000,
                300000,
                "Nhà tài trợ",
                None,
            ],
            [
                3,
                "20/01/2026",
                "Chợ Tết nhân đạo thôn 3",
                None,
                "Nhóm",
                120,
                "Tết Nhân ái",
                "Phiên chợ 0 đồng",
                None,
                None,
                None,
                24000000,
                "Nội lực",
                None,
            ],
            [
                4,
                "21/01/2026",
                "Mai Thị Mới",
                1948,
                None,
                None,
                "Tết Nhân ái",
                "Quà Tết",
                1,
                "suất",
                500000,
                None,
                None,
                None,
            ],
            [
                5,
                "21/01/2026",
                "Không Biết",
                None,
                None,
                None,
                "Chương trình lạ",
                None,
                None,
                None,
                100000,
                None,
                None,
                None,
            ],
        ],
    )
    plan = plan_import(chapter, path, "aid", today=TODAY)
    assert [r.outcome for r in plan.rows] == [
        Outcome.OK,
        Outcome.OK,
        Outcome.OK,
        Outcome.WARNING,
        Outcome.ERROR,
    ]
    assert plan.row(5).messages() == [
        "Ô C5 (Họ tên người nhận): “Mai Thị Mới” chưa có trong sổ; sẽ thêm người này vào sổ."
    ]
    assert (
        "Ô G6 (Chương trình): Không tìm thấy chương trình “Chương trình lạ”."
        in plan.row(6).messages()
    )
    apply_import(chapter, plan, valid_only=True)

    records = sorted(chapter.aid.list(), key=lambda a: a.id)
    assert [(a.recipient_kind, a.given_on) for a in records] == [
        ("address", date(2026, 1, 20)),
        ("person", date(2026, 1, 20)),
        ("group", date(2026, 1, 20)),
        ("person", date(2026, 1, 21)),
    ]
    to_address, to_person, to_group, to_new = records
    tet = chapter.campaigns.by_name("Tết Nhân ái").id
    assert (to_address.address_id, to_address.cash_value, to_address.goods_value) == (
        address.id,
        500_000,
        300_000,
    )
    assert (to_address.campaign_id, to_address.households_reached) == (tet, 1)
    assert (to_person.person_id, to_person.funding_source) == (person.person_id, "sponsor")
    assert (to_group.group_name, to_group.head_count, to_group.persons_reached) == (
        "Chợ Tết nhân đạo thôn 3",
        120,
        120,
    )
    new_person = chapter.people.get(to_new.person_id)
    assert (new_person.full_name, new_person.birth_year) == ("Mai Thị Mới", 1948)


def test_the_same_aid_sheet_imported_twice_is_recognised(chapter, tmp_path):
    save_address(chapter, {"name": "Hộ A", "opened_on": "01/01/2020"}, today=TODAY)
    path = simple_sheet(
        tmp_path / "tg.xlsx",
        AID_HEADER,
        [
            [
                1,
                "20/01/2026",
                "Hộ A",
                None,
                None,
                None,
                None,
                "Gạo",
                10,
                "kg",
                None,
                200000,
                None,
                None,
            ]
        ],
    )
    apply_import(chapter, plan_import(chapter, path, "aid", today=TODAY))
    again = plan_import(chapter, path, "aid", today=TODAY)
    assert again.rows[0].outcome is Outcome.DUPLICATE
    assert apply_import(chapter, again).added == 0
    assert chapter.aid.count() == 1
