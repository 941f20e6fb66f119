"""Address sheets that create the household, its sponsor and a monthly commitment; aid
sheets that take their campaign and date from the title rows and use their Thôn column."""

from __future__ import annotations

from datetime import date

import openpyxl

from chapter_app.services.importer import Outcome, apply_import, plan_import

TODAY = date(2026, 11, 20)


def _save(path, rows, *, titles=()):
    wb = openpyxl.Workbook()
    for title in titles:
        wb.active.append([title])
    if titles:
        wb.active.append([])
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_an_address_row_creates_the_household_the_sponsor_and_a_monthly_commitment(store, tmp_path):
    path = _save(
        tmp_path / "dcnd.xlsx",
        [
            [
                "STT",
                "Họ tên chủ hộ",
                "Thành viên trong hộ",
                "Thôn",
                "Diện đối tượng",
                "Ngày tiếp nhận",
                "Nhà tài trợ",
                "Ngày bắt đầu",
                "Số tiền/tháng",
            ],
            [
                1,
                "Nguyễn Thị Khó",
                "Trần Văn Út (con), Trần Thị Bé - cháu",
                "Thôn An Vĩnh",
                "Hộ nghèo, Người già neo đơn, không nơi nương tựa",
                "01/03/2025",
                "Công ty May Tịnh Kỳ",
                "01/04/2025",
                500000,
            ],
        ],
    )
    plan = plan_import(store, path, "addresses", today=TODAY, create_missing=True)
    assert plan.count(Outcome.ERROR) == 0, plan.summary_lines()
    assert [m.name for m in plan.to_create] == ["Thôn An Vĩnh"]
    apply_import(store, plan)
    (address,) = store.addresses.list()
    unit = store.units.list()[0]
    assert unit.name == "Thôn An Vĩnh" and address.unit_id == unit.id
    categories = {c.id: c.name for c in store.categories.list()}
    assert {categories[i] for i in store.addresses.categories_of(address.id)} == {
        "Hộ nghèo",
        "Người già neo đơn, không nơi nương tựa",  # a name with a comma in it, not cut
    }
    head = store.people.get(address.head_person_id)
    assert head.full_name == "Nguyễn Thị Khó" and head.unit_id == unit.id
    household = store.addresses.household.list()
    relations = {store.people.get(h.person_id).full_name: h.relation for h in household}
    assert relations == {"Trần Văn Út": "con", "Trần Thị Bé": "cháu"}
    (sponsor,) = store.sponsors.list()
    assert sponsor.name == "Công ty May Tịnh Kỳ"
    (commitment,) = store.commitments.list()
    assert commitment.amount == 500000 and commitment.frequency == "hằng tháng"
    assert commitment.start_on == date(2025, 4, 1) and commitment.address_id == address.id


def test_an_aid_sheet_takes_campaign_and_date_from_its_title_and_uses_its_thon_column(
    store, tmp_path
):
    store.units.add(name="Thôn 1")
    path = _save(
        tmp_path / "tet.xlsx",
        [
            ["STT", "Họ và tên", "Năm sinh", "Thôn", "Số tiền"],
            [1, "Phạm Văn Nhận", 1950, "Thôn 1", 500000],
            [2, "Lê Thị Quà", 1948, "thon 1", 300000],
        ],
        titles=[
            "HỘI CHỮ THẬP ĐỎ XÃ TỊNH KỲ",
            "DANH SÁCH TRAO QUÀ TẾT NHÂN ÁI XUÂN BÍNH NGỌ",
            "Ngày 20 tháng 01 năm 2026",
        ],
    )
    plan = plan_import(store, path, "aid", today=TODAY)
    assert plan.count(Outcome.ERROR) == 0, plan.summary_lines()
    summary = "\n".join(plan.summary_lines())
    assert "chương trình lấy theo tiêu đề: Tết Nhân ái" in summary
    assert "ngày trợ giúp lấy theo tiêu đề: 20/01/2026" in summary
    apply_import(store, plan)
    campaign = next(c for c in store.campaigns.list() if c.name == "Tết Nhân ái")
    records = store.aid.list()
    assert len(records) == 2
    assert {r.campaign_id for r in records} == {campaign.id}
    assert {r.given_on for r in records} == {date(2026, 1, 20)}
    unit = store.units.list()[0]
    assert {store.people.get(r.person_id).unit_id for r in records} == {unit.id}
