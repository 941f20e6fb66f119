"""Every operation is one transaction: a failure leaves nothing, seen from a second connection."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from chapter_app.errors import AppError


def _counts(path) -> dict[str, int]:
    """Row counts read through a separate connection (what another process would see)."""
    conn = sqlite3.connect(path)
    try:
        return {
            table: conn.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0]
            for table in ("people", "members", "member_status", "aid_records", "audit_log")
        }
    finally:
        conn.close()


def test_failed_operation_leaves_nothing_behind(store, db_path):
    store.people.add(full_name="Lê Văn Bình")
    before = _counts(db_path)

    with pytest.raises(RuntimeError), store.operation("Thêm hội viên mới"):
        person = store.people.add(full_name="Nguyễn Văn An")
        store.members.add(person_id=person.id, branch_id=None, admitted_on=date(2024, 1, 1))
        raise RuntimeError("người dùng hủy")

    assert _counts(db_path) == before
    assert store.people.search("nguyen van an") == []
    assert store.people.count() == 1


def test_writes_of_an_open_operation_are_invisible_to_another_connection(store, db_path):
    before = _counts(db_path)
    with store.operation("Thêm người"):
        store.people.add(full_name="Nguyễn Văn An")
        assert _counts(db_path) == before  # not committed yet
    after = _counts(db_path)
    assert after["people"] == before["people"] + 1
    assert after["audit_log"] == before["audit_log"] + 1


def test_check_violation_midway_rolls_back_the_earlier_add(store, db_path):
    before = _counts(db_path)
    with pytest.raises((sqlite3.IntegrityError, AppError)), store.operation("Trợ giúp"):
        person = store.people.add(full_name="Nguyễn Văn An")
        store.aid.add(
            given_on=date(2024, 2, 1),
            recipient_kind="person",
            person_id=person.id,
            cash_value=-500_000,
        )
    assert _counts(db_path) == before
    assert store.people.count(include_deleted=True) == 0


def test_store_is_usable_after_a_failed_operation(store, db_path):
    with pytest.raises(RuntimeError), store.operation("Hỏng"):
        store.people.add(full_name="Nguyễn Văn An")
        raise RuntimeError
    assert not store.db.conn.in_transaction
    assert store.undo_label is None
    person = store.people.add(full_name="Trần Văn An")
    assert _counts(db_path)["people"] == 1
    assert store.people.get(person.id).full_name == "Trần Văn An"


def test_failed_operation_does_not_become_an_undo_step(store):
    store.units.add(name="Thôn 1")
    with pytest.raises(RuntimeError), store.operation("Hỏng"):
        store.units.add(name="Thôn 2")
        raise RuntimeError
    assert store.undo_label == "Thêm thôn/tổ dân phố"


def test_error_raised_inside_a_nested_operation_rolls_back_the_outer_one(store, db_path):
    before = _counts(db_path)
    with pytest.raises(RuntimeError), store.operation("Ngoài"):
        store.people.add(full_name="Nguyễn Văn An")
        with store.operation("Trong"):
            store.people.add(full_name="Trần Văn An")
            raise RuntimeError
    assert _counts(db_path) == before


def test_failed_single_add_leaves_nothing(store, db_path):
    person = store.people.add(full_name="Nguyễn Văn An")
    before = _counts(db_path)
    with pytest.raises((sqlite3.IntegrityError, AppError)):
        store.aid.add(
            given_on=date(2024, 2, 1), recipient_kind="person", person_id=person.id, goods_value=-1
        )
    assert _counts(db_path) == before


def test_nested_operation_joins_the_outer_one(store, db_path):
    with store.operation("Nhập hộ gia đình"):
        head = store.people.add(full_name="Nguyễn Văn An")
        with store.operation("Thêm thành viên"):
            store.people.add(full_name="Nguyễn Thị Ánh")
        store.members.add(person_id=head.id, branch_id=None, admitted_on=date(2024, 1, 1))

    rows = store.db.execute("SELECT DISTINCT op_id, op_label FROM audit_log").fetchall()
    assert len(rows) == 1
    assert rows[0][1] == "Nhập hộ gia đình"
    assert store.db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == 4
    assert store.undo_label == "Nhập hộ gia đình"
    store.undo()
    assert store.undo_label is None
    assert store.people.count() == 0
    assert store.members.count() == 0


def test_committed_operation_is_visible_from_another_connection(store, db_path):
    person = store.people.add(full_name="Nguyễn Văn An")
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute(
            "SELECT full_name FROM people WHERE id = ?", [person.id]
        ).fetchone() == ("Nguyễn Văn An",)
    finally:
        conn.close()
