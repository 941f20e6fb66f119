"""The bulk writes of imports store what ``Repository.add`` stores, with one audit entry and
one undo change per table's run of rows (found among a row's own entries), many rows to a
statement within SQLite's parameter limit; the cycle collector paused during an import runs
again afterwards."""

from __future__ import annotations

import gc
import sqlite3
import unicodedata
import uuid
from datetime import date

import pytest

from chapter_app.errors import AppError
from chapter_app.services.importer import apply_import, plan_import
from chapter_app.store.operations import InsertedRows
from chapter_app.store.store import Store
from tests.services.test_import_sheets import TODAY, simple_sheet

IGNORED = {"id", "uuid", "created_at", "updated_at"}


def stored(store: Store, table: str, row_id: int) -> dict:
    cursor = store.db.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
    return dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))


def without(values: dict, keys=IGNORED) -> dict:
    return {k: v for k, v in values.items() if k not in keys}


def person(n: int) -> dict:
    return {
        "full_name": unicodedata.normalize("NFD", f"Nguyễn Thị Hằng {n}"),  # stored as NFC
        "sex": "F",
        "birth_date": date(1980, 1, 1 + n % 28),
        "birth_year": 1980,
        "id_number": f"{n:012d}",
        "phone": None,
        "agent_orange": n % 2 == 0,
    }


def test_bulk_rows_are_stored_as_repository_add_stores_them_and_audited_as_a_run(store):
    added = store.people.add(**person(1))
    with store.operation("Nhập thử") as op:
        writer = store.exchange.writer()
        person_id = writer.add(store.people, person(1))
        branch_id = store.branches.add(name="Chi hội Thôn 9").id
        member_id = writer.add(
            store.members,
            {
                "person_id": person_id,
                "branch_id": branch_id,
                "admitted_on": date(2020, 5, 1),
                "status": "admitted",
                "status_on": date(2020, 5, 1),
            },
        )
        assert writer.pending == 2
        assert writer.flush() == 2

    by_add = stored(store, "people", added.id)
    by_writer = stored(store, "people", person_id)
    assert without(by_writer) == without(by_add)
    assert by_writer["full_name"] == "Nguyễn Thị Hằng 1" and by_writer["sort_key"]
    assert uuid.UUID(by_writer["uuid"]).version == 4
    assert by_writer["created_at"] == by_writer["updated_at"]
    assert store.members.get(member_id).person_id == person_id

    [audit_add] = store.audit_entries(action="insert", table="people", row_id=added.id)
    [audit_writer] = store.audit_entries(action="insert", table="people", row_id=person_id)
    assert audit_add.row_id == added.id and audit_add.new_values["full_name"]
    # the run of rows, not a copy of them (they are in the table)
    assert audit_writer.row_id is None and audit_writer.op_id == op.op_id
    assert audit_writer.new_values == {"first_id": person_id, "last_id": person_id, "rows": 1}
    [members_run] = store.audit_entries(table="members", row_id=member_id)
    assert members_run.new_values["first_id"] == member_id
    assert (op.changes[0].table, op.changes[0].row_id) == ("branches", branch_id)
    assert op.changes[1:] == [
        InsertedRows("people", person_id, person_id),
        InsertedRows("members", member_id, member_id),
    ]

    store.undo()
    assert store.members.count() == 0 and store.people.count() == 1


def test_rows_are_written_many_to_a_statement_within_the_parameter_limit(store):
    store.db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 100)  # 3 people a statement
    try:
        with store.operation("Nhập thử") as op:
            writer = store.exchange.writer()
            ids = [writer.add(store.people, person(n)) for n in range(1, 12)]
            unit_id = store.units.add(name="Thôn 1").id
            # a row without some columns keeps their defaults
            ids.append(writer.add(store.people, {"full_name": "Lê An", "unit_id": unit_id}))
            writer.flush()
    finally:
        store.db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32766)
    assert ids == list(range(ids[0], ids[0] + 12))
    names = [p.full_name for p in store.people.list()]
    assert sorted(names) == sorted([f"Nguyễn Thị Hằng {n}" for n in range(1, 12)] + ["Lê An"])
    [run] = store.audit_entries(action="insert", table="people")
    assert run.new_values == {"first_id": ids[0], "last_id": ids[-1], "rows": 12}
    assert [len(store.audit_entries(table="people", row_id=i)) for i in ids] == [1] * 12
    assert store.audit_entries(table="people", row_id=ids[-1] + 1) == []
    assert [p.full_name for p in store.people.search("hang 11")] == ["Nguyễn Thị Hằng 11"]
    assert [c for c in op.changes if c.table == "people"] == [
        InsertedRows("people", ids[0], ids[-1])
    ]


def test_unknown_columns_and_tables_are_refused(store):
    with store.operation("Nhập thử"):
        writer = store.exchange.writer()
        with pytest.raises(ValueError, match="unknown columns for people"):
            writer.add(store.people, {"full_name": "Lê An", "shoe_size": 42})
        with pytest.raises(ValueError, match="not set up"):
            writer.add(store.dues, {})


def test_the_cycle_collector_runs_again_after_an_import_even_a_refused_one(store, tmp_path):
    store.branches.add(name="Chi hội Thôn 1")
    seen = []
    real = store.exchange.lookups.people

    def people():
        seen.append(gc.isenabled())  # while the plan is made
        return real()

    store.exchange.lookups.people = people
    path = simple_sheet(
        tmp_path / "ds.xlsx",
        ["Họ và tên", "Năm sinh", "Chi hội", "Ngày vào Hội"],
        [["Lê Văn An", 1980, "Thôn 1", "01/02/2020"]],
    )
    plan = plan_import(store, path, "members", today=TODAY)
    assert seen == [False] and gc.isenabled()
    assert apply_import(store, plan).added == 1 and gc.isenabled()
    with pytest.raises(AppError):
        plan_import(store, tmp_path / "khong_co.xlsx", "members", today=TODAY)
    assert gc.isenabled()
    gc.disable()
    try:
        plan_import(store, path, "members", today=TODAY)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_bulk_rows_encode_every_kind_of_value_as_the_codec_does():
    from datetime import UTC, datetime
    from enum import Enum

    from chapter_app.store.bulk import stored_values
    from chapter_app.store.codec import encode_row

    class Kind(Enum):
        PERSON = "person"

    row = {
        "on": date(2020, 1, 2),
        "at": datetime(2020, 1, 2, 3, 4, tzinfo=UTC),
        "flag": True,
        "kind": Kind.PERSON,
        "name": unicodedata.normalize("NFD", "Nguyễn Thị Hằng"),
        "plain": "Thon 1",
        "amount": 1.5,
        "count": 3,
        "none": None,
    }
    assert stored_values(row.values()) == list(encode_row(row).values())
    assert stored_values(row.values())[4] == "Nguyễn Thị Hằng"
