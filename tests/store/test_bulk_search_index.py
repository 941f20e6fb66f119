"""People written in bulk, many rows to a statement and in several chunks, are in the
search index (FTS5) exactly as those added one by one; a failing chunk leaves neither rows
nor index entries, and the index's trigger stays as it was."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from chapter_app.store.store import Store

NAMES = ["Nguyễn Văn Hiếu", "Trần Thị Ánh", "Lê Đức Thọ", "Phạm Thị Hằng", "Đặng Văn Ân"]
QUERIES = ["nguyen van", "hieu", "ánh", "le duc", "dang an", "0905", "0123", "tho", "th"]


def person(n: int) -> dict:
    return {
        "full_name": f"{NAMES[n % len(NAMES)]} {n}",
        "birth_year": 1950 + n % 40,
        "id_number": f"0123{n:08d}",
        "phone": f"0905{n:06d}",
        "birth_date": date(1950 + n % 40, 1, 1 + n % 28),
    }


def fts_is_sound(store: Store) -> bool:
    try:
        store.db.execute("INSERT INTO people_fts(people_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True


def trigger_sql(store: Store) -> str | None:
    row = store.db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'people_fts_ai'"
    ).fetchone()
    return row and row[0]


def found(store: Store, query: str) -> list[str]:
    return sorted(p.full_name for p in store.people.search(query, limit=500))


def test_people_written_in_bulk_are_found_as_people_added_one_by_one(tmp_path):
    one_by_one = Store.open(tmp_path / "a.db", user="tester")
    bulk = Store.open(tmp_path / "b.db", user="tester")
    trigger = trigger_sql(bulk)
    for n in range(40):
        one_by_one.people.add(**person(n))
    with bulk.operation("Nhập thử"):
        writer = bulk.exchange.writer(chunk_rows=7)  # several chunks
        for n in range(40):
            writer.add(bulk.people, person(n))
        writer.flush()
    for query in QUERIES:
        assert found(bulk, query) == found(one_by_one, query), query
    assert found(bulk, "hieu 35") == ["Nguyễn Văn Hiếu 35"]
    assert fts_is_sound(bulk) and trigger_sql(bulk) == trigger
    # the trigger indexes the rows added later one by one again
    bulk.people.add(full_name="Võ Thị Sáu")
    assert found(bulk, "vo thi sau") == ["Võ Thị Sáu"]
    one_by_one.close()
    bulk.close()


def test_a_chunk_that_fails_leaves_no_row_no_index_entry_and_the_trigger_in_place(store):
    trigger = trigger_sql(store)
    with pytest.raises(sqlite3.IntegrityError), store.operation("Nhập thử"):
        writer = store.exchange.writer(chunk_rows=5)
        for n in range(12):
            writer.add(store.people, {**person(n), "sex": "X" if n == 8 else None})
        writer.flush()
    assert store.people.count() == 0 and found(store, "nguyen") == []
    assert trigger_sql(store) == trigger and fts_is_sound(store)


def test_a_failing_chunk_caught_inside_the_operation_keeps_the_trigger(store):
    with store.operation("Nhập thử"):
        writer = store.exchange.writer()
        writer.add(store.people, {**person(1), "sex": "X"})
        with pytest.raises(sqlite3.IntegrityError):
            writer.flush()
        store.people.add(full_name="Võ Thị Sáu")
    assert trigger_sql(store) is not None and fts_is_sound(store)
    assert found(store, "sau") == ["Võ Thị Sáu"] and store.people.count() == 1


def test_undo_of_a_bulk_write_hides_the_people_from_search_and_redo_brings_them_back(store):
    with store.operation("Nhập thử"):
        writer = store.exchange.writer(chunk_rows=4)
        for n in range(10):
            writer.add(store.people, person(n))
        writer.flush()
    assert len(found(store, "nguyen van hieu")) == 2
    store.undo()
    assert found(store, "nguyen van hieu") == [] and store.people.count() == 0
    store.redo()
    assert len(found(store, "nguyen van hieu")) == 2 and fts_is_sound(store)
