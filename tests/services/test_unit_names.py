"""A thôn named by typing is settled as ``by_name`` settles a name: the exact name wins, one
equal to it without tones, case or its kind word is taken, and a name fitting two or more
is refused naming them (the first was taken) — on the command line and in every import
that names a thôn, where it is an error on the cell, never a thôn offered to create."""

from __future__ import annotations

from datetime import date

import pytest

from chapter_app.cli import main
from chapter_app.domain.organisation import units_named
from chapter_app.errors import NotFoundError
from chapter_app.services import organisation as org
from chapter_app.services.importer import Outcome, apply_import, plan_import
from tests.services.test_import_headers import sheet as _save

TODAY = date(2026, 11, 20)


@pytest.fixture
def two(store):
    """ "Thôn Mỹ Hòa" and "Thôn Mý Hoa": equal without tones."""
    return store.units.add(name="Thôn Mỹ Hòa"), store.units.add(name="Thôn Mý Hoa")


def test_exact_wins_one_folded_is_taken_several_are_refused(store, two):
    toned, other = two
    bare = store.units.add(name="Tổ An Vĩnh")
    assert org.find_unit(store, "Thôn Mý Hoa").id == other.id  # exact
    assert org.find_unit(store, "thon my hoa") is None  # fits both
    assert {u.id for u in org.units_named(store, "thon my hoa")} == {toned.id, other.id}
    assert org.find_unit(store, "AN VINH").id == bare.id  # the only one, kind word left out
    store.units.add(name="Thôn An Vĩnh")
    assert org.find_unit(store, "An Vĩnh") is None  # a tổ and a thôn
    assert org.find_unit(store, "thôn an vinh").name == "Thôn An Vĩnh"  # the kind tells


def test_of_several_the_only_one_not_merged_away_is_taken(store, two):
    toned, other = two
    into = store.units.add(name="Thôn Mới")
    store.units.merge(other.id, into.id, date(2026, 7, 1))
    assert [u.id for u in units_named(store.units.list(), "thon my hoa")] == [toned.id]
    # following merges, two names that became one thôn are one
    store.units.merge(toned.id, into.id, date(2026, 7, 1))
    assert org.find_unit(store, "thon my hoa", follow_merges=True).id == into.id


def test_get_unit_and_the_command_line_name_the_candidates(store, two, db_path, capsys):
    with pytest.raises(NotFoundError) as caught:
        org.get_unit(store, "thon my hoa")
    message = str(caught.value)
    assert "“Thôn Mỹ Hòa”, “Thôn Mý Hoa”" in message and "Gõ tên đúng" in message
    store.units.add(name="Tổ Mỹ Hòa")
    with pytest.raises(NotFoundError, match="“Mỹ Hòa” khớp với 3 thôn/tổ dân phố"):
        org.get_unit(store, "Mỹ Hòa")
    store.close()
    code = main(["units", "rename", "thon my hoa", "Thôn Khác", "--db", str(db_path)])
    assert code != 0
    assert "“Thôn Mỹ Hòa”, “Thôn Mý Hoa”" in capsys.readouterr().err


def _unit_errors(plan, field="unit"):
    return [i for r in plan.rows for i in r.errors if i.field == field]


@pytest.mark.parametrize("kind", ["members", "volunteers"])
def test_a_member_sheet_naming_two_thon_is_an_error_not_a_new_thon(store, tmp_path, two, kind):
    toned, _other = two
    store.branches.add(name="Chi hội Thôn 1")
    path = _save(
        tmp_path / f"{kind}.xlsx",
        [
            ["STT", "Họ và tên", "Năm sinh", "Ngày vào Hội", "Chi hội", "Thôn"],
            [1, "Nguyễn Văn An", 1980, "01/01/2020", "Chi hội Thôn 1", "thon my hoa"],
            [2, "Trần Thị Bình", 1982, "01/01/2020", "Chi hội Thôn 1", "Thôn Mỹ Hòa"],
            [3, "Lê Văn Cường", 1984, "01/01/2020", "Chi hội Thôn 1", "thon my hoa"],
        ],
    )
    plan = plan_import(store, path, kind, today=TODAY, create_missing=True)
    assert plan.missing == []  # nothing offered to create
    assert [r.outcome == Outcome.ERROR for r in plan.rows] == [True, False, True]
    errors = _unit_errors(plan)
    assert [e.cell for e in errors] == ["F2", "F4"]
    assert "“Thôn Mỹ Hòa”, “Thôn Mý Hoa”" in errors[0].message()
    apply_import(store, plan, valid_only=True)
    assert len(store.units.list()) == 2
    (person,) = store.people.list()
    assert person.unit_id == toned.id


def test_an_address_sheet_naming_two_thon_is_an_error_not_a_new_thon(store, tmp_path, two):
    path = _save(
        tmp_path / "dcnd.xlsx",
        [
            ["STT", "Họ tên chủ hộ", "Thôn", "Ngày tiếp nhận"],
            [1, "Nguyễn Thị Khó", "thon my hoa", "01/03/2025"],
        ],
    )
    plan = plan_import(store, path, "addresses", today=TODAY, create_missing=True)
    assert plan.missing == [] and plan.count(Outcome.ERROR) == 1
    (error,) = _unit_errors(plan)
    assert error.cell == "C2" and "“Thôn Mỹ Hòa”, “Thôn Mý Hoa”" in error.message()


def test_an_aid_sheet_naming_two_thon_is_an_error_on_its_thon_cell(store, tmp_path, two):
    path = _save(
        tmp_path / "aid.xlsx",
        [
            ["STT", "Ngày", "Họ và tên", "Năm sinh", "Thôn", "Số tiền"],
            [1, "20/01/2026", "Phạm Văn Nhận", 1950, "thon my hoa", 500000],
        ],
    )
    plan = plan_import(store, path, "aid", today=TODAY, create_missing=True)
    assert plan.missing == [] and plan.count(Outcome.ERROR) == 1
    (error,) = _unit_errors(plan, "recipient_unit")
    assert error.cell == "E2" and "“Thôn Mỹ Hòa”, “Thôn Mý Hoa”" in error.message()
