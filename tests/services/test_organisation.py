"""Chi hội and thôn: names compared loosely, dissolving and merging in one operation."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from chapter_app.domain.organisation import branch_key, unit_key
from chapter_app.errors import AppError, NotFoundError
from chapter_app.services import organisation as org
from chapter_app.services.records import save_member


def _member(store, name, branch, *, admitted="2025-01-10"):
    raw = {"full_name": name, "birth_year": 1980, "sex": "M", "admitted_on": admitted}
    raw["branch"] = branch
    return save_member(store, raw, today=date(2026, 6, 1)).record


def _count_rows(path, table):
    """Rows of ``table`` seen from a second connection (what is really committed)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0]
    finally:
        conn.close()


def test_names_are_compared_without_tones_case_or_kind_word():
    assert branch_key("Chi hội thôn 3") == branch_key("CHI HOI THON 3") == "thon 3"
    assert unit_key("Thôn An Vĩnh") == unit_key("an vinh") == "an vinh"
    assert unit_key("Tổ dân phố 5") == unit_key("5")


def test_a_second_branch_with_the_same_name_in_any_case_or_tones_is_refused(store):
    org.add_branch(store, name="Chi hội thôn Khê Thủy")
    for name in (
        "CHI HỘI THÔN KHÊ THỦY",
        "chi hoi thon khe thuy",
        "Thôn Khê Thủy",
        "Chi hội Khê Thủy",
    ):
        with pytest.raises(AppError, match="Đã có chi hội"):
            org.add_branch(store, name=name)
    assert store.branches.count() == 1
    org.add_branch(store, name="Chi hội tổ Khê Thủy")  # another kind of unit: another chi hội


def test_find_branch_ignores_tones_case_and_prefix(store):
    branch = org.add_branch(store, name="Chi hội thôn 3")
    assert org.find_branch(store, "CHI HOI THON 3").id == branch.id
    assert org.find_branch(store, "thôn 3").id == branch.id
    assert org.find_branch(store, "thôn 4") is None


def test_find_unit_finds_the_unit_without_its_kind_word(store):
    unit = org.add_unit(store, name="Thôn An Vĩnh")
    assert org.find_unit(store, "An Vĩnh").id == unit.id
    assert org.find_unit(store, "AN VINH").id == unit.id
    assert unit.kind == "thon"
    assert org.add_unit(store, name="Tổ dân phố 5").kind == "to_dan_pho"
    with pytest.raises(AppError, match="Đã có thôn"):
        org.add_unit(store, name="an vĩnh")


def test_branch_member_counts_follow_the_status_history(store):
    a = org.add_branch(store, name="Chi hội An")
    b = org.add_branch(store, name="Chi hội Bình")
    _member(store, "Nguyễn Văn An", "Chi hội An")
    _member(store, "Trần Văn Bảo", "Chi hội An", admitted="2026-03-01")
    _member(store, "Lê Thị Cúc", "Chi hội Bình")
    assert org.branch_member_counts(store, date(2026, 1, 1)) == {a.id: 1, b.id: 1}
    assert org.branch_member_counts(store, date(2026, 4, 1)) == {a.id: 2, b.id: 1}


def test_dissolving_moves_active_members_and_keeps_the_total(store):
    a = org.add_branch(store, name="Chi hội An", founded_on=date(2000, 1, 1))
    b = org.add_branch(store, name="Chi hội Bình")
    members = [_member(store, f"Nguyễn Văn {n}", "Chi hội An") for n in ("An", "Bảo", "Cường")]
    _member(store, "Lê Thị Dung", "Chi hội Bình")
    before = store.figures.members_active(date(2026, 6, 30))

    moved = org.dissolve_branch(store, a.id, on=date(2026, 5, 1), move_members_to=b.id)

    assert moved == 3
    assert store.figures.members_active(date(2026, 6, 30)) == before == 4
    assert org.branch_member_counts(store, date(2026, 6, 30)) == {b.id: 4}
    history = store.branch_moves.of_member(members[0].id)
    assert [(h.from_branch_id, h.to_branch_id, h.on_date) for h in history] == [
        (a.id, b.id, date(2026, 5, 1))
    ]
    dissolved = store.branches.get(a.id)
    assert dissolved.dissolved_on == date(2026, 5, 1) and dissolved.dissolved_into_id == b.id
    # still counted in a period before it was dissolved, not after
    assert store.figures.branches_active(date(2026, 3, 31)) == 2
    assert store.figures.branches_active(date(2026, 6, 30)) == 1


def test_dissolving_into_a_branch_that_does_not_exist_leaves_nothing_behind(store, db_path):
    a = org.add_branch(store, name="Chi hội An")
    _member(store, "Nguyễn Văn An", "Chi hội An")
    audit_before = _count_rows(db_path, "audit_log")
    with pytest.raises(NotFoundError, match="Không có chi hội số 999"):
        org.dissolve_branch(store, a.id, on=date(2026, 5, 1), move_members_to=999)
    assert store.branches.get(a.id).dissolved_on is None
    assert _count_rows(db_path, "member_branch_moves") == 0
    assert _count_rows(db_path, "audit_log") == audit_before


def test_a_failure_half_way_through_a_dissolution_rolls_everything_back(
    store, db_path, monkeypatch
):
    a = org.add_branch(store, name="Chi hội An")
    b = org.add_branch(store, name="Chi hội Bình")
    for name in ("Nguyễn Văn An", "Trần Văn Bảo"):
        _member(store, name, "Chi hội An")
    real_add = store.branch_moves.add
    calls = []

    def add_then_fail(**values):
        calls.append(values)
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error")
        return real_add(**values)

    monkeypatch.setattr(store.branch_moves, "add", add_then_fail)
    with pytest.raises(sqlite3.OperationalError):
        org.dissolve_branch(store, a.id, on=date(2026, 5, 1), move_members_to=b.id)
    conn = sqlite3.connect(db_path)
    try:
        branches = conn.execute("SELECT branch_id, COUNT(*) FROM members GROUP BY branch_id")
        assert dict(branches.fetchall()) == {a.id: 2}
        assert conn.execute("SELECT COUNT(*) FROM member_branch_moves").fetchone()[0] == 0
        assert conn.execute(
            "SELECT dissolved_on FROM branches WHERE id = ?", [a.id]
        ).fetchone() == (None,)
    finally:
        conn.close()


def test_dissolving_into_itself_or_a_dissolved_branch_is_refused(store):
    a = org.add_branch(store, name="Chi hội An")
    b = org.add_branch(store, name="Chi hội Bình")
    c = org.add_branch(store, name="Chi hội Cầu")
    with pytest.raises(AppError, match="chi hội khác"):
        org.dissolve_branch(store, a.id, on=date(2026, 5, 1), move_members_to=a.id)
    org.dissolve_branch(store, b.id, on=date(2026, 4, 1), move_members_to=c.id)
    with pytest.raises(AppError, match="đã giải thể"):
        org.dissolve_branch(store, a.id, on=date(2026, 5, 1), move_members_to=b.id)


def test_renaming_keeps_the_old_name_and_refuses_a_taken_one(store):
    a = org.add_branch(store, name="Chi hội An")
    org.add_branch(store, name="Chi hội Bình")
    org.rename_branch(store, a.id, "Chi hội An Hòa", on=date(2026, 2, 1))
    assert store.branches.get(a.id).name == "Chi hội An Hòa"
    assert [(h.old_name, h.new_name) for h in store.name_history.of("branches", a.id)] == [
        ("Chi hội An", "Chi hội An Hòa")
    ]
    with pytest.raises(AppError, match="Đã có chi hội"):
        org.rename_branch(store, a.id, "chi hoi binh")


def test_one_rating_per_branch_and_year(store):
    a = org.add_branch(store, name="Chi hội An")
    org.rate_branch(store, a.id, year=2026, rating="good")
    org.rate_branch(store, a.id, year=2026, rating="strong")
    org.rate_branch(store, a.id, year=2025, rating="weak")
    assert org.branch_ratings(store, 2026) == {a.id: "strong"}
    assert org.branch_ratings(store, 2025) == {a.id: "weak"}
    with pytest.raises(AppError, match="Xếp loại"):
        org.rate_branch(store, a.id, year=2026, rating="excellent")


def test_merging_units_moves_people_and_households_and_keeps_the_old_units(store):
    a = org.add_unit(store, name="Thôn Khê Thủy")
    b = org.add_unit(store, name="Thôn Thanh Thủy")
    person = store.people.add(full_name="Nguyễn Văn An", unit_id=a.id)
    household = store.addresses.add(
        name="Hộ bà Lê Thị Cúc", opened_on=date(2025, 1, 1), unit_id=b.id
    )
    branch = org.add_branch(store, name="Chi hội Khê Thủy", unit_ids=[a.id])

    merged = org.merge_units(store, [a.id, b.id], into_name="Thôn Khê Thanh", on=date(2026, 7, 1))

    assert store.people.get(person.id).unit_id == merged.id
    assert store.addresses.get(household.id).unit_id == merged.id
    for old in (a, b):
        kept = store.units.get(old.id)
        assert kept.merged_into_id == merged.id and kept.valid_to == date(2026, 7, 1)
    moves = store.unit_moves.list()
    assert {(mv.table_name, mv.from_unit_id) for mv in moves} == {
        ("people", a.id),
        ("addresses", b.id),
    }
    rows = {r.unit.name: r for r in org.unit_rows(store)}
    assert rows["Thôn Khê Thủy"].merged_into_name == "Thôn Khê Thanh"
    assert rows["Thôn Khê Thanh"].people == 1 and rows["Thôn Khê Thanh"].households == 1
    assert "Thôn Khê Thanh" in org.branch_rows(store, on=date(2026, 8, 1))[0].unit_names
    assert branch.id == org.branch_rows(store, on=date(2026, 8, 1))[0].branch.id
    # the old name now finds the unit it became, when asked to follow merges
    assert org.find_unit(store, "Khê Thủy", follow_merges=True).id == merged.id


def test_merging_into_one_of_the_units_keeps_it(store):
    a = org.add_unit(store, name="Thôn An")
    b = org.add_unit(store, name="Thôn Bình")
    kept = org.merge_units(store, [a.id, b.id], into_name="Thôn An", on=date(2026, 7, 1))
    assert kept.id == a.id and kept.merged_into_id is None
    assert store.units.get(b.id).merged_into_id == a.id


def test_merging_one_unit_or_into_a_taken_name_changes_nothing(store, db_path):
    a = org.add_unit(store, name="Thôn An")
    b = org.add_unit(store, name="Thôn Bình")
    org.add_unit(store, name="Thôn Cầu")
    with pytest.raises(AppError, match="ít nhất hai"):
        org.merge_units(store, [a.id], into_name="Thôn Mới", on=date(2026, 7, 1))
    with pytest.raises(AppError, match="Đã có thôn"):
        org.merge_units(store, [a.id, b.id], into_name="thôn cầu", on=date(2026, 7, 1))
    assert _count_rows(db_path, "units") == 3
    assert store.units.get(a.id).merged_into_id is None


def test_a_member_sheet_finds_thon_an_vinh_from_an_vinh_and_merged_units(store, tmp_path):
    from chapter_app.services.importer import apply_import, plan_import
    from tests.services.test_import_sheets import TODAY, chapter_member_sheet, member

    org.add_branch(store, name="Chi hội thôn 3")
    an_vinh = org.add_unit(store, name="Thôn An Vĩnh")
    old = org.add_unit(store, name="Thôn Khê Thủy")
    other = org.add_unit(store, name="Thôn Thanh Thủy")
    merged = org.merge_units(
        store, [old.id, other.id], into_name="Thôn Khê Thanh", on=date(2026, 7, 1)
    )
    rows = [
        member("Nguyễn Văn An", male=1960, unit="An Vĩnh", admitted="2020-01-01"),
        member("Trần Thị Bình", female=1962, unit="AN VINH", admitted="2020-01-01"),
        member("Lê Văn Cường", male=1970, unit="Khê Thủy", admitted="2020-01-01"),
        member("Phạm Thị Dung", female=1990, unit="Thôn Hà Nhai", admitted="2020-01-01"),
    ]
    plan = plan_import(
        store, chapter_member_sheet(tmp_path / "ds.xlsx", rows), "members", today=TODAY
    )
    warnings = [i.issue.render() for r in plan.rows for i in r.issues if i.field == "unit"]
    assert warnings == [
        "Chưa có thôn, tổ dân phố “Thôn Hà Nhai” trong danh mục; đã ghi vào địa chỉ."
    ]
    apply_import(store, plan)
    unit_of = {p.full_name: p.unit_id for p in store.people.list()}
    assert unit_of["Nguyễn Văn An"] == unit_of["Trần Thị Bình"] == an_vinh.id
    assert unit_of["Lê Văn Cường"] == merged.id  # an old name lands in the unit it became
    assert unit_of["Phạm Thị Dung"] is None


def test_one_undo_takes_back_a_whole_dissolution_and_a_whole_merger(store):
    a = org.add_branch(store, name="Chi hội An")
    b = org.add_branch(store, name="Chi hội Bình")
    member = _member(store, "Nguyễn Văn An", "Chi hội An")
    org.dissolve_branch(store, a.id, on=date(2026, 5, 1), move_members_to=b.id)
    store.undo()
    assert store.branches.get(a.id).dissolved_on is None
    assert store.members.get(member.id).branch_id == a.id
    assert store.branch_moves.count() == 0

    u1 = org.add_unit(store, name="Thôn An")
    u2 = org.add_unit(store, name="Thôn Bình")
    person = store.people.add(full_name="Lê Văn Cường", unit_id=u1.id)
    org.merge_units(store, [u1.id, u2.id], into_name="Thôn An Bình", on=date(2026, 7, 1))
    store.undo()
    assert store.people.get(person.id).unit_id == u1.id
    assert [u.name for u in store.units.list()] == ["Thôn An", "Thôn Bình"]
