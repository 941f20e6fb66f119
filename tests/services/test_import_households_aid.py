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


def test_an_aid_row_naming_a_household_several_have_takes_the_one_its_thon_column_settles(
    store, tmp_path
):
    """Of several households a recipient name fits, the one in the row's thôn is taken;
    when the thôn does not settle it (none given, none or several there) the row is an
    error naming them with their thôn — the first was taken."""
    one, two, _three = (store.units.add(name=f"Thôn {n}") for n in (1, 2, 3))
    add = store.addresses.add
    first = add(name="Hộ bà Lê Thị Cúc", opened_on=date(2025, 1, 1), unit_id=one.id)
    add(name="Hộ bà Lê Thị Cúc", opened_on=date(2025, 1, 1), unit_id=two.id)
    toned = add(name="Hộ ông Trần Văn Mỹ", opened_on=date(2025, 1, 1), unit_id=one.id)
    add(name="Hộ ông Trần Văn Mý", opened_on=date(2025, 1, 1), unit_id=one.id)
    path = _save(
        tmp_path / "aid.xlsx",
        [
            ["STT", "Ngày", "Họ và tên", "Thôn", "Số tiền"],
            [1, "20/01/2026", "Hộ bà Lê Thị Cúc", "thôn 1", 500000],
            [2, "20/01/2026", "ho ba le thi cuc", None, 500000],
            [3, "20/01/2026", "Hộ bà Lê Thị Cúc", "Thôn 3", 500000],
            [4, "20/01/2026", "ho ong tran van my", "Thôn 1", 500000],
            [5, "20/01/2026", "Hộ ông Trần Văn Mỹ", "Thôn 1", 500000],
        ],
    )
    plan = plan_import(store, path, "aid", today=TODAY)
    assert [r.outcome == Outcome.ERROR for r in plan.rows] == [False, True, True, True, False]
    errors = [i for r in plan.rows for i in r.errors]
    assert [(e.row, e.cell) for e in errors] == [(3, "C3"), (4, "C4"), (5, "C5")]
    both = "“Hộ bà Lê Thị Cúc” (Thôn 1), “Hộ bà Lê Thị Cúc” (Thôn 2)"
    assert both in errors[0].message() and both in errors[1].message()
    assert "Ghi thôn của hộ" in errors[0].message()
    assert "“Hộ ông Trần Văn Mỹ” (Thôn 1), “Hộ ông Trần Văn Mý” (Thôn 1)" in errors[2].message()
    apply_import(store, plan, valid_only=True)
    assert sorted(r.address_id for r in store.aid.list()) == [first.id, toned.id]
