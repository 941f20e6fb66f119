"""Dues: who paid for which months, recorded in one operation, and who still owes."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from chapter_app.domain.validation import ValidationFailed
from chapter_app.services.dues import (
    DuesEntry,
    dues_grid,
    exemption_warning,
    months_text,
    owing,
    record_dues,
    record_dues_many,
)

TODAY = date(2026, 11, 23)


@pytest.fixture
def branch(store):
    return store.branches.add(name="Chi hội Thôn Phú Thọ")


def _member(store, branch, name, admitted):
    person = store.people.add(full_name=name, birth_year=1970)
    return store.members.add(person_id=person.id, branch_id=branch.id, admitted_on=admitted)


def _rows(db_path):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(
            "SELECT member_id, period_from, period_to, amount, receipt_no, exempt "
            "FROM dues_payments ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_months_are_due_from_the_month_of_admission(store, branch):
    early = _member(store, branch, "Lê Văn Cũ", date(2010, 5, 1))
    new = _member(store, branch, "Trần Thị Mới", date(2026, 3, 10))
    grid = {
        row.member_id: row
        for row in dues_grid(store, branch_id=branch.id, year=2026, as_of=date(2026, 12, 31))
    }
    assert grid[early.id].due_months == frozenset(range(1, 13))
    assert grid[new.id].due_months == frozenset(range(3, 13))


def test_a_member_who_left_owes_only_up_to_the_month_they_left(store, branch):
    member = _member(store, branch, "Phạm Văn Đi", date(2020, 1, 1))
    store.members.change_status(member.id, "left", date(2026, 6, 15))
    (row,) = dues_grid(store, branch_id=branch.id, year=2026, as_of=date(2026, 12, 31))
    assert row.due_months == frozenset(range(1, 7))


def test_members_who_ended_before_the_year_are_not_listed(store, branch):
    member = _member(store, branch, "Phạm Văn Xưa", date(2015, 1, 1))
    store.members.change_status(member.id, "died", date(2024, 2, 1))
    assert dues_grid(store, branch_id=branch.id, year=2026, as_of=TODAY) == []


def test_recording_months_writes_one_row_per_run_of_months_in_one_operation(store, branch, db_path):
    member = _member(store, branch, "Lê Văn An", date(2010, 5, 1))
    written = record_dues(
        store,
        member_id=member.id,
        year=2026,
        months={1, 2, 3, 7},
        amount_per_month="1.000",
        paid_on="15/07/2026",
        receipt_no="BL-012",
        today=TODAY,
    )
    assert len(written) == 2
    assert _rows(db_path) == [
        (member.id, "2026-01", "2026-03", 3000, "BL-012", 0),
        (member.id, "2026-07", "2026-07", 1000, "BL-012", 0),
    ]
    assert store.undo_label == "Thu hội phí năm 2026: 1 hội viên, 4 tháng"
    (row,) = dues_grid(store, branch_id=branch.id, year=2026, as_of=TODAY)
    assert row.paid_months == frozenset({1, 2, 3, 7})
    assert row.amount_paid == 4000


def test_paying_a_month_twice_is_refused_and_nothing_is_written(store, branch, db_path):
    a = _member(store, branch, "Lê Văn An", date(2010, 5, 1))
    b = _member(store, branch, "Lê Văn Bình", date(2010, 5, 1))
    record_dues(
        store,
        member_id=a.id,
        year=2026,
        months={1, 2},
        amount_per_month=1000,
        paid_on=date(2026, 2, 1),
        today=TODAY,
    )
    before = _rows(db_path)
    with pytest.raises(ValidationFailed) as caught:
        record_dues_many(
            store,
            year=2026,
            entries=[DuesEntry(b.id, frozenset({1})), DuesEntry(a.id, frozenset({2, 3}))],
            amount_per_month=1000,
            paid_on=date(2026, 3, 1),
            today=TODAY,
        )
    assert [i.field for i in caught.value.errors] == [f"member:{a.id}"]
    assert "2" in caught.value.errors[0].message
    assert _rows(db_path) == before


def test_months_before_admission_bad_dates_and_amounts_are_errors(store, branch):
    member = _member(store, branch, "Trần Thị Mới", date(2026, 3, 10))
    with pytest.raises(ValidationFailed) as caught:
        record_dues(
            store,
            member_id=member.id,
            year=2026,
            months={1, 4},
            amount_per_month="abc",
            paid_on="01/12/2026",
            today=TODAY,
        )
    assert {i.field for i in caught.value.errors} == {
        f"member:{member.id}",
        "amount_per_month",
        "paid_on",
    }


def test_owing_counts_months_up_to_today_at_the_set_rate(store, branch):
    paid = _member(store, branch, "Lê Văn An", date(2010, 5, 1))
    partly = _member(store, branch, "Lê Thị Bích", date(2010, 5, 1))
    new = _member(store, branch, "Trần Thị Mới", date(2026, 3, 10))
    record_dues(
        store,
        member_id=paid.id,
        year=2026,
        months=set(range(1, 13)),
        amount_per_month=1000,
        paid_on=date(2026, 2, 1),
        today=TODAY,
    )
    record_dues(
        store,
        member_id=partly.id,
        year=2026,
        months=set(range(1, 7)),
        amount_per_month=1000,
        paid_on=date(2026, 2, 1),
        today=TODAY,
    )
    owed = {o.member_id: o for o in owing(store, year=2026, as_of=TODAY)}
    assert set(owed) == {partly.id, new.id}
    assert owed[partly.id].months_owed == (7, 8, 9, 10, 11)
    assert owed[partly.id].amount_owed == 5000
    assert owed[new.id].months_owed == tuple(range(3, 12))
    assert owing(store, year=2025, as_of=TODAY, branch_id=branch.id)[0].amount_owed == 12000


def test_exempt_months_are_settled_without_money_and_the_share_is_watched(store, branch, db_path):
    members = [_member(store, branch, f"Nguyễn Văn Số{i}", date(2010, 1, 1)) for i in range(5)]
    record_dues(
        store,
        member_id=members[0].id,
        year=2026,
        months=set(range(1, 13)),
        amount_per_month=1000,
        paid_on=date(2026, 2, 1),
        exempt=True,
        today=TODAY,
    )
    assert _rows(db_path)[-1][3:] == (0, None, 1)
    owed = {o.member_id for o in owing(store, year=2026, as_of=TODAY)}
    assert members[0].id not in owed
    warning = exemption_warning(store, year=2026)
    assert warning is not None and not warning.is_error
    assert "20" in warning.message


def test_months_text_groups_runs():
    assert months_text([1, 2, 3, 5, 7, 8]) == "1-3, 5, 7-8"
