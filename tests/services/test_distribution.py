"""Distributions: one handout entered once, one aid record per recipient, all or nothing."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from chapter_app.domain.validation import ValidationFailed
from chapter_app.services.distribution import (
    check_distribution,
    create_distribution,
    distribution_total,
    signoff_rows,
    stored_total,
)
from chapter_app.store.repository import Query

TODAY = date(2026, 11, 23)


@pytest.fixture
def households(store):
    with store.operation("Chuẩn bị"):
        unit = store.units.add(name="Thôn Phú Thọ")
        rows = []
        for i in range(50):
            head = store.people.add(
                full_name=f"Nguyễn Văn Hộ{i:02d}",
                birth_year=1950 + i % 30,
                id_number=f"0511{50 + i % 30:02d}{i:06d}",
            )
            rows.append(
                store.addresses.add(
                    name=f"Hộ ông Nguyễn Văn Hộ{i:02d}",
                    head_person_id=head.id,
                    unit_id=unit.id,
                    street_address=f"{i + 1} Lê Lợi",
                    opened_on=date(2025, 1, 1),
                )
            )
    return rows


def _tet(store):
    return store.campaigns.by_name("Tết Nhân ái").id


def _count(db_path, sql):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_distribution_to_fifty_households_creates_fifty_aid_records_with_the_right_total(
    store, households, db_path
):
    distribution = create_distribution(
        store,
        given_on="25/01/2026",
        campaign_id=_tet(store),
        area_id=None,
        form="goods",
        description="Quà Tết",
        cash_per_recipient="300.000",
        goods_per_recipient=200_000,
        funding_source="own",
        sponsor_id=None,
        recipients=[("address", a.id) for a in households],
        today=TODAY,
    )
    records = store.aid.list(Query(filters={"distribution_id": distribution.id}))
    assert len(records) == 50
    assert {r.address_id for r in records} == {a.id for a in households}
    assert all(r.given_on == date(2026, 1, 25) and r.households_reached == 1 for r in records)
    assert stored_total(store, distribution.id) == 25_000_000
    assert distribution_total(50, cash_per_recipient=300_000, goods_per_recipient=200_000) == (
        25_000_000
    )
    assert _count(db_path, "SELECT SUM(cash_value + goods_value) FROM aid_records") == 25_000_000
    assert store.undo_label == "Trao quà: 50 suất ngày 25/01/2026"


def test_one_bad_recipient_writes_nothing(store, households, db_path):
    before = _count(db_path, "SELECT COUNT(*) FROM aid_records")
    with pytest.raises(ValidationFailed) as caught:
        create_distribution(
            store,
            given_on="25/01/2026",
            cash_per_recipient=500_000,
            recipients=[("address", households[0].id), ("address", 99_999)],
            today=TODAY,
        )
    assert {i.field for i in caught.value.errors} == {"recipients"}
    assert _count(db_path, "SELECT COUNT(*) FROM aid_records") == before
    assert _count(db_path, "SELECT COUNT(*) FROM distributions") == 0


def test_bad_header_values_are_named_by_their_fields(store, households):
    checked = check_distribution(
        store,
        given_on="31/02/2026",
        cash_per_recipient="12,5",
        goods_per_recipient="-3",
        recipients=[],
        today=TODAY,
    )
    fields = {i.field for i in checked.issues if i.is_error}
    assert fields == {"given_on", "cash_per_recipient", "goods_per_recipient", "recipients"}


def test_choosing_the_same_household_twice_is_an_error(store, households):
    checked = check_distribution(
        store,
        given_on="25/01/2026",
        cash_per_recipient=100_000,
        recipients=[("address", households[0].id)] * 2,
        today=TODAY,
    )
    assert [i.field for i in checked.issues if i.is_error] == ["recipients"]


def test_households_no_longer_followed_give_a_warning_only(store, households):
    store.addresses.change_status(households[0].id, "out_of_hardship", date(2026, 1, 2))
    checked = check_distribution(
        store,
        given_on="25/01/2026",
        cash_per_recipient=100_000,
        recipients=[("address", households[0].id)],
        today=TODAY,
    )
    assert [(i.field, i.is_error) for i in checked.issues] == [("recipients", False)]


def test_people_can_receive_and_are_not_counted_as_households(store):
    person = store.people.add(full_name="Trần Thị Bé", birth_year=2015)
    distribution = create_distribution(
        store,
        given_on=date(2026, 6, 1),
        cash_per_recipient=0,
        goods_per_recipient=150_000,
        recipients=[("person", person.id)],
        today=TODAY,
    )
    (record,) = store.aid.list(Query(filters={"distribution_id": distribution.id}))
    assert (record.recipient_kind, record.person_id, record.households_reached) == (
        "person",
        person.id,
        0,
    )


def test_signoff_rows_are_sorted_by_given_name_with_ids_masked(store, households):
    distribution = create_distribution(
        store,
        given_on="25/01/2026",
        cash_per_recipient=500_000,
        recipients=[("address", a.id) for a in households[:3]],
        today=TODAY,
    )
    rows = signoff_rows(store, distribution.id)
    assert [r["no"] for r in rows] == [1, 2, 3]
    assert rows[0]["name"] == "Nguyễn Văn Hộ00"
    assert rows[0]["id_masked"].startswith("051") and "*" in rows[0]["id_masked"]
    assert rows[0]["address"] == "1 Lê Lợi"
    assert {r["value"] for r in rows} == {500_000}
