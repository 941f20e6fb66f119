"""Members' and addresses' dated status histories; address categories."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from chapter_app.errors import AppError


@pytest.fixture
def member(store):
    person = store.people.add(full_name="Nguyễn Văn An")
    return store.members.add(person_id=person.id, branch_id=None, admitted_on=date(2020, 1, 15))


@pytest.fixture
def categories(store):
    return [
        store.categories.add(name=n, sort_order=i)
        for i, n in enumerate(["Hộ nghèo", "Hộ cận nghèo", "Người khuyết tật", "Trẻ em mồ côi"])
    ]


# --- members -------------------------------------------------------------------------------


def test_new_member_has_an_admitted_event_on_the_admission_date(store, member):
    assert member.status == "admitted"
    assert member.status_on == date(2020, 1, 15)
    [event] = store.members.history_of(member.id)
    assert (event.status, event.on_date) == ("admitted", date(2020, 1, 15))


def test_change_status_appends_an_event_and_updates_the_cached_status(store, member):
    changed = store.members.change_status(
        member.id, "moved_out", date(2023, 6, 1), reason="chuyển đi tỉnh khác"
    )
    assert changed.status == "moved_out"
    assert changed.status_on == date(2023, 6, 1)
    assert store.members.get(member.id).status == "moved_out"
    history = store.members.history_of(member.id)
    assert [(e.status, e.on_date) for e in history] == [
        ("admitted", date(2020, 1, 15)),
        ("moved_out", date(2023, 6, 1)),
    ]
    assert history[-1].reason == "chuyển đi tỉnh khác"


def test_cached_status_is_the_latest_event_by_date_even_when_entered_out_of_order(store, member):
    store.members.change_status(member.id, "left", date(2024, 5, 1))
    after_late_entry = store.members.change_status(member.id, "moved_out", date(2022, 3, 1))
    assert after_late_entry.status == "left"
    assert after_late_entry.status_on == date(2024, 5, 1)
    stored = store.members.get(member.id)
    assert (stored.status, stored.status_on) == ("left", date(2024, 5, 1))


def test_history_is_returned_in_date_order(store, member):
    store.members.change_status(member.id, "readmitted", date(2023, 9, 1))
    store.members.change_status(member.id, "moved_out", date(2021, 4, 1))
    store.members.change_status(member.id, "moved_in", date(2022, 2, 1))
    assert [(e.status, e.on_date) for e in store.members.history_of(member.id)] == [
        ("admitted", date(2020, 1, 15)),
        ("moved_out", date(2021, 4, 1)),
        ("moved_in", date(2022, 2, 1)),
        ("readmitted", date(2023, 9, 1)),
    ]
    assert store.members.get(member.id).status == "readmitted"


def test_list_filters_members_by_cached_status(store, member):
    other_person = store.people.add(full_name="Trần Văn Bình")
    other = store.members.add(
        person_id=other_person.id, branch_id=None, admitted_on=date(2021, 1, 1)
    )
    store.members.change_status(other.id, "died", date(2024, 1, 1))
    assert [m.id for m in store.members.list(filters={"status": "died"})] == [other.id]
    assert [m.id for m in store.members.list(filters={"status": ["admitted", "moved_in"]})] == [
        member.id
    ]


def test_change_status_is_one_undo_step(store, member):
    store.members.change_status(member.id, "left", date(2024, 5, 1))
    assert store.undo_label == "Đổi tình trạng hội viên"
    store.undo()
    assert store.members.get(member.id).status == "admitted"
    assert len(store.members.history_of(member.id)) == 1


def test_invalid_member_status_is_refused_and_leaves_nothing(store, member):
    with pytest.raises((sqlite3.IntegrityError, AppError)):  # CHECK on member_status.status
        store.members.change_status(member.id, "on_holiday", date(2024, 5, 1))
    assert store.members.get(member.id).status == "admitted"
    assert len(store.members.history_of(member.id)) == 1


# --- addresses -----------------------------------------------------------------------------


def test_address_is_added_with_its_categories_and_first_status(store, categories):
    poor, _, disabled, _ = categories
    address = store.addresses.add(
        name="Hộ ông Ba", opened_on=date(2024, 1, 10), category_ids=[poor.id, disabled.id]
    )
    assert sorted(store.addresses.categories_of(address.id)) == sorted([poor.id, disabled.id])
    assert address.status == "following"
    assert address.status_on == date(2024, 1, 10)
    [event] = store.addresses.history_of(address.id)
    assert (event.status, event.on_date) == ("following", date(2024, 1, 10))


def test_set_categories_replaces_the_links_exactly(store, categories):
    a, b, c, d = categories
    address = store.addresses.add(
        name="Hộ ông Ba", opened_on=date(2024, 1, 10), category_ids=[a.id, b.id, c.id]
    )
    store.addresses.set_categories(address.id, [b.id, d.id])
    assert sorted(store.addresses.categories_of(address.id)) == sorted([b.id, d.id])


def test_removed_category_links_are_soft_deleted(store, categories):
    a, b, _, _ = categories
    address = store.addresses.add(
        name="Hộ ông Ba", opened_on=date(2024, 1, 10), category_ids=[a.id, b.id]
    )
    store.addresses.set_categories(address.id, [b.id])
    rows = store.db.execute(
        "SELECT category_id, deleted_at FROM address_categories WHERE address_id = ? "
        "ORDER BY category_id",
        [address.id],
    ).fetchall()
    assert len(rows) == 2
    removed = dict(rows)
    assert removed[a.id] is not None
    assert removed[b.id] is None


def test_set_categories_with_the_same_set_changes_nothing(store, categories):
    a, b, _, _ = categories
    address = store.addresses.add(
        name="Hộ ông Ba", opened_on=date(2024, 1, 10), category_ids=[a.id, b.id]
    )
    audits = len(store.audit_entries(table="address_categories", limit=1000))
    store.addresses.set_categories(address.id, [b.id, a.id])
    assert len(store.audit_entries(table="address_categories", limit=1000)) == audits
    assert store.db.execute("SELECT COUNT(*) FROM address_categories").fetchone()[0] == 2


def test_set_categories_to_none_removes_all(store, categories):
    a, _, _, _ = categories
    address = store.addresses.add(
        name="Hộ ông Ba", opened_on=date(2024, 1, 10), category_ids=[a.id]
    )
    store.addresses.set_categories(address.id, [])
    assert store.addresses.categories_of(address.id) == []


def test_list_filters_addresses_by_category(store, categories):
    a, b, _, _ = categories
    first = store.addresses.add(name="Hộ A", opened_on=date(2024, 1, 1), category_ids=[a.id])
    second = store.addresses.add(name="Hộ B", opened_on=date(2024, 1, 1), category_ids=[a.id, b.id])
    store.addresses.add(name="Hộ C", opened_on=date(2024, 1, 1), category_ids=[])
    assert [x.id for x in store.addresses.list(filters={"category": a.id})] == [
        first.id,
        second.id,
    ]
    assert [x.id for x in store.addresses.list(filters={"category": b.id})] == [second.id]
    store.addresses.set_categories(second.id, [a.id])
    assert store.addresses.list(filters={"category": b.id}) == []
    assert store.addresses.count(filters={"category": a.id}) == 2


def test_address_change_status_updates_cached_status_to_latest_event(store):
    address = store.addresses.add(name="Hộ ông Ba", opened_on=date(2020, 1, 10))
    changed = store.addresses.change_status(
        address.id, "out_of_hardship", date(2023, 12, 31), reason="thoát nghèo"
    )
    assert (changed.status, changed.status_on) == ("out_of_hardship", date(2023, 12, 31))
    store.addresses.change_status(address.id, "stopped", date(2022, 6, 1))
    stored = store.addresses.get(address.id)
    assert (stored.status, stored.status_on) == ("out_of_hardship", date(2023, 12, 31))
    assert [e.status for e in store.addresses.history_of(address.id)] == [
        "following",
        "stopped",
        "out_of_hardship",
    ]
