"""A large bulk insert into tables that hold few rows yet sets their secondary indexes
aside and builds them again in the same transaction: the same indexes afterwards, the
same query answers, and a failure inside gives them back as they were."""

from __future__ import annotations

import sqlite3

import pytest

from chapter_app.store import bulk
from chapter_app.store.store import Store

NAMES = ["Nguyễn Văn Hiếu", "Trần Thị Ánh", "Lê Đức Thọ", "Phạm Thị Hằng"]


def person(n: int) -> dict:
    return {
        "full_name": f"{NAMES[n % len(NAMES)]} {n}",
        "birth_year": 1950 + n % 40,
        "id_number": f"0512{n:08d}",
        "phone": f"09{n:08d}",
    }


def index_sql(store: Store) -> dict[str, str]:
    """The indexes and triggers (the search index's among them) as created."""
    rows = store.db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
    )
    return dict(rows.fetchall())


def answers(store: Store) -> list:
    people = store.people
    return [
        [p.full_name for p in people.list()],  # by sort key
        [p.full_name for p in people.find_duplicates(id_number="051200000017")],
        [p.full_name for p in people.find_duplicates(full_name="Lê Đức Thọ 6", birth_year=1956)],
        [p.full_name for p in people.search("tran thi", limit=100)],
        store.db.execute("SELECT COUNT(*) FROM people WHERE phone = '0900000005'").fetchone(),
    ]


def write_people(store: Store, count: int, *, rows_hint: int, fail_at: int | None = None):
    with store.operation("Nhập thử"), store.exchange.indexes_set_aside(rows=rows_hint) as aside:
        writer = store.exchange.writer(chunk_rows=7)
        for n in range(count):
            writer.add(store.people, {**person(n), "sex": "X" if n == fail_at else None})
        writer.flush()
    return aside


def search_index_ok(store: Store) -> bool:
    """FTS5's own check that the search index holds exactly the people table's terms."""
    store.db.execute("INSERT INTO people_fts(people_fts, rank) VALUES ('integrity-check', 1)")
    return True


@pytest.fixture
def low_threshold(monkeypatch):
    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 10)


def test_the_search_index_trigger_is_set_aside_with_the_indexes_and_given_back(
    tmp_path, low_threshold, monkeypatch
):
    kept = Store.open(tmp_path / "kept.db", user="tester")
    rebuilt = Store.open(tmp_path / "rebuilt.db", user="tester")
    before = index_sql(rebuilt)
    seen = []
    real = bulk.BulkWriter._insert

    def noting_the_schema(self, *args):
        seen.append(set(index_sql(rebuilt)))
        return real(self, *args)

    write_people(kept, 40, rows_hint=5)
    monkeypatch.setattr(bulk.BulkWriter, "_insert", noting_the_schema)
    assert "people" in write_people(rebuilt, 40, rows_hint=40)
    assert seen and all("people_fts_ai" not in names for names in seen)
    assert all("idx_people_sort" not in names for names in seen)
    assert index_sql(rebuilt) == before
    assert search_index_ok(rebuilt) and answers(rebuilt) == answers(kept)
    assert len(answers(rebuilt)[3]) == 10  # "tran thi": every fourth of 40
    rebuilt.people.add(full_name="Trần Thị Mới")  # the trigger is back
    assert "Trần Thị Mới" in [p.full_name for p in rebuilt.people.search("tran thi moi")]
    kept.close()
    rebuilt.close()


def test_indexes_rebuilt_after_a_large_insert_answer_as_indexes_kept_in_step(
    tmp_path, low_threshold
):
    kept = Store.open(tmp_path / "kept.db", user="tester")
    rebuilt = Store.open(tmp_path / "rebuilt.db", user="tester")
    before = index_sql(rebuilt)
    assert write_people(kept, 40, rows_hint=5) == []  # too few rows: indexes kept
    aside = write_people(rebuilt, 40, rows_hint=40)
    assert "people" in aside and "units" not in aside
    assert index_sql(rebuilt) == before
    assert rebuilt.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert search_index_ok(rebuilt) and answers(rebuilt) == answers(kept)
    assert answers(rebuilt)[1] == ["Trần Thị Ánh 17"]
    plan = rebuilt.db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM people WHERE id_number = '1'"
    ).fetchall()
    assert "idx_people_id_number" in str(plan)
    kept.close()
    rebuilt.close()


def test_a_table_with_many_rows_on_file_keeps_its_indexes(store, low_threshold):
    write_people(store, 20, rows_hint=20)
    assert "people" not in write_people(store, 30, rows_hint=30)  # 20 on file * 4 > 30
    assert "people" in write_people(store, 90, rows_hint=200)


def test_a_failure_during_the_insert_gives_the_indexes_back_and_writes_nothing(
    store, low_threshold
):
    before = index_sql(store)
    with pytest.raises(sqlite3.IntegrityError):
        write_people(store, 30, rows_hint=30, fail_at=20)
    assert index_sql(store) == before and store.people.count() == 0
    assert store.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert search_index_ok(store) and store.people.search("tran") == []
