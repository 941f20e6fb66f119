"""Names a sheet's cells give for reference records (sponsors, categories, campaigns) are
settled as ``by_name`` settles a typed name: an exact name wins, one tone- and
case-insensitive match is taken, two or more make the row an error naming them."""

from __future__ import annotations

from datetime import date

import pytest

from chapter_app.services.importer import Outcome, apply_import, plan_import
from chapter_app.services.importer.cells import Named, Names
from tests.services.test_import_headers import sheet as _save

TODAY = date(2026, 11, 20)


def test_names_exact_wins_one_folded_is_taken_several_are_refused():
    names = Names([Named(1, "Nguyễn An"), Named(2, "Nguyên An"), Named(3, "Trần Bình")])
    assert names.id_of("Nguyên An") == 2  # exact, though another differs only in tones
    assert names.id_of("  tran   BINH ") == 3  # the only one without tones and case
    assert names.id_of("nguyen an") is None
    assert [n.id for n in names.candidates("nguyen an")] == [1, 2]
    assert names.id_of("Lê Cường") is None and names.candidates("Lê Cường") == []
    issue = names.issue("nguyen an", field="sponsor", what="nhà tài trợ")
    assert issue.is_error and issue.field == "sponsor"
    assert "“Nguyễn An”, “Nguyên An”" in issue.message and "Gõ tên đúng" in issue.message
    names.add("Lê Cường", 4)
    assert names.id_of("le cuong") == 4


def test_two_records_of_the_same_exact_name_are_refused():
    names = Names([Named(1, "Hộ nghèo"), Named(2, "Hộ nghèo")])
    assert names.id_of("Hộ nghèo") is None
    assert "cùng tên" in names.issue("Hộ nghèo", field="categories", what="x").message


def _row_errors(plan, field):
    return [i for r in plan.rows for i in r.errors if i.field == field]


def test_an_aid_row_naming_two_sponsors_without_tones_is_an_error_on_its_cell(store, tmp_path):
    store.units.add(name="Thôn 1")
    ngoc = store.sponsors.add(name="Công ty Ngọc")
    store.sponsors.add(name="Công ty Ngốc")
    path = _save(
        tmp_path / "aid.xlsx",
        [
            ["STT", "Ngày", "Họ và tên", "Năm sinh", "Thôn", "Nhà tài trợ", "Số tiền"],
            [1, "20/01/2026", "Phạm Văn Nhận", 1950, "Thôn 1", "cong ty ngoc", 500000],
            [2, "20/01/2026", "Lê Thị Quà", 1948, "Thôn 1", "Công ty Ngọc", 300000],
            [3, "20/01/2026", "Lê Thị Quà", 1948, "Thôn 1", "cong ty ngoc", 200000],
        ],
    )
    plan = plan_import(store, path, "aid", today=TODAY)
    assert [r.outcome == Outcome.ERROR for r in plan.rows] == [True, False, True]
    (first, third) = _row_errors(plan, "sponsor")
    assert first.cell == "F2" and third.cell == "F4"
    message = first.message()
    assert "“Công ty Ngọc”, “Công ty Ngốc”" in message and "Gõ tên đúng" in message
    apply_import(store, plan, valid_only=True)
    assert [a.sponsor_id for a in store.aid.list()] == [ngoc.id]  # the exact name, only


def test_an_address_row_naming_two_sponsors_without_tones_adds_no_third(store, tmp_path):
    store.sponsors.add(name="Công ty Ngọc")
    store.sponsors.add(name="Công ty Ngốc")
    path = _save(
        tmp_path / "dcnd.xlsx",
        [
            ["STT", "Họ tên chủ hộ", "Ngày tiếp nhận", "Nhà tài trợ", "Số tiền/tháng"],
            [1, "Nguyễn Thị Khó", "01/03/2025", "CONG TY NGOC", 500000],
            [2, "Trần Văn Nghèo", "01/03/2025", "Công ty Ngốc", 300000],
        ],
    )
    plan = plan_import(store, path, "addresses", today=TODAY)
    assert [r.outcome == Outcome.ERROR for r in plan.rows] == [True, False]
    (error,) = _row_errors(plan, "sponsor")
    assert error.cell == "D2" and "“Công ty Ngọc”, “Công ty Ngốc”" in error.message()
    apply_import(store, plan, valid_only=True)
    assert len(store.sponsors.list()) == 2
    (commitment,) = store.commitments.list()
    assert store.sponsors.get(commitment.sponsor_id).name == "Công ty Ngốc"


def test_a_category_named_without_tones_is_taken_when_one_and_refused_when_two(store, tmp_path):
    store.categories.add(name="Hộ cận nghèo")
    store.categories.add(name="Hộ cân nghèo")
    only = store.categories.add(name="Trẻ mồ côi")
    path = _save(
        tmp_path / "dcnd.xlsx",
        [
            ["STT", "Họ tên chủ hộ", "Diện đối tượng", "Ngày tiếp nhận"],
            [1, "Nguyễn Thị Khó", "ho can ngheo", "01/03/2025"],
            [2, "Trần Văn Nghèo", "tre mo coi", "01/03/2025"],
        ],
    )
    plan = plan_import(store, path, "addresses", today=TODAY)
    assert [r.outcome == Outcome.ERROR for r in plan.rows] == [True, False]
    (error,) = _row_errors(plan, "categories")
    assert "“Hộ cận nghèo”, “Hộ cân nghèo”" in error.message()
    apply_import(store, plan, valid_only=True)
    (address,) = store.addresses.list()
    assert store.addresses.categories_of(address.id) == [only.id]


@pytest.mark.parametrize("kind", ["members", "volunteers"])
def test_a_chi_hoi_named_without_tones_that_fits_two_is_an_error_not_a_new_one(
    store, tmp_path, kind
):
    toned = store.branches.add(name="Chi hội Thôn Mỹ Hòa")
    store.branches.add(name="Chi hội thôn Mý Hoa")
    path = _save(
        tmp_path / f"{kind}.xlsx",
        [
            ["STT", "Họ và tên", "Năm sinh", "Ngày vào Hội", "Chi hội"],
            [1, "Nguyễn Văn An", 1980, "01/01/2020", "chi hoi thon my hoa"],
            [2, "Trần Thị Bình", 1982, "01/01/2020", "Chi hội Thôn Mỹ Hòa"],
        ],
    )
    plan = plan_import(store, path, kind, today=TODAY, create_missing=True)
    assert plan.missing == []  # nothing offered to create
    assert [r.outcome == Outcome.ERROR for r in plan.rows] == [True, False]
    (error,) = _row_errors(plan, "branch")
    assert error.cell == "E2"
    assert "“Chi hội Thôn Mỹ Hòa”, “Chi hội thôn Mý Hoa”" in error.message()
    apply_import(store, plan, valid_only=True)
    assert len(store.branches.list()) == 2
    repo = store.members if kind == "members" else store.volunteers
    assert [r.branch_id for r in repo.list()] == [toned.id]
