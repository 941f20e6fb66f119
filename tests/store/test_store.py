"""Opening a database with Store.open: file, pragmas, schema, version, reopening."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from chapter_app.errors import DatabaseError
from chapter_app.services.setup import AREAS, CAMPAIGNS, CATEGORIES, init_database
from chapter_app.store.connection import pending_migrations
from chapter_app.store.repository import Query
from chapter_app.store.schema import REGISTER_TABLES, migration_names
from chapter_app.store.store import Store

COMMON_COLUMNS = {"id", "uuid", "created_at", "updated_at", "deleted_at"}


def _pragma(store: Store, name: str):
    return store.db.execute(f"PRAGMA {name}").fetchone()[0]


def _migration_rows(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT id, migration_set, name, applied_at FROM _sqlite_migrations ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_open_on_a_new_path_creates_the_file_and_its_folder(tmp_path):
    path = tmp_path / "new" / "folder" / "chapter.db"
    assert not path.exists()
    with Store.open(path, user="tester"):
        assert path.exists()
    assert path.read_bytes().startswith(b"SQLite format 3\x00")


def test_open_with_create_false_refuses_a_missing_file_and_creates_nothing(tmp_path):
    path = tmp_path / "missing.db"
    with pytest.raises(DatabaseError) as info:
        Store.open(path, create=False)
    assert "Không tìm thấy" in info.value.message
    assert not path.exists()


def test_connection_uses_wal_journal(store):
    assert _pragma(store, "journal_mode") == "wal"


def test_wal_journal_is_recorded_in_the_file(store, db_path):
    other = sqlite3.connect(db_path)
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.close()


def test_connection_has_foreign_keys_on(store):
    assert _pragma(store, "foreign_keys") == 1


def test_foreign_keys_are_enforced_on_writes(store):
    with pytest.raises(sqlite3.IntegrityError):
        store.members.add(person_id=9999, branch_id=None, admitted_on=date(2024, 1, 1))
    assert store.members.count() == 0


def test_connection_uses_synchronous_full(store):
    assert _pragma(store, "synchronous") == 2


@pytest.mark.parametrize("table", sorted(REGISTER_TABLES))
def test_every_register_table_exists_with_the_common_columns(store, table):
    info = store.db.execute(f"PRAGMA table_info([{table}])").fetchall()
    assert info, f"table {table} is missing"
    columns = {row[1]: row for row in info}
    assert set(columns) >= COMMON_COLUMNS
    assert columns["id"][5] == 1  # primary key
    assert columns["uuid"][3] == 1  # NOT NULL
    assert columns["created_at"][3] == 1
    assert columns["updated_at"][3] == 1
    assert columns["deleted_at"][3] == 0  # nullable: NULL means "not deleted"


def test_uuid_column_is_unique_in_every_register_table(store):
    for table in REGISTER_TABLES:
        unique_columns = set()
        for index in store.db.execute(f"PRAGMA index_list([{table}])").fetchall():
            if index[2]:  # unique
                cols = store.db.execute(f"PRAGMA index_info([{index[1]}])").fetchall()
                unique_columns.update(c[2] for c in cols if len(cols) == 1)
        assert "uuid" in unique_columns, table


def test_settings_audit_log_and_people_search_index_exist(store):
    names = {row[0] for row in store.db.execute("SELECT name FROM sqlite_master")}
    assert {"settings", "audit_log", "people_fts", "_sqlite_migrations"} <= names


def test_user_version_equals_the_number_of_migrations(store):
    assert _pragma(store, "user_version") == len(migration_names())


def test_every_known_migration_is_recorded_as_applied(store, db_path):
    rows = _migration_rows(db_path)
    assert [(r[1], r[2]) for r in rows] == [("chapter_app", n) for n in migration_names()]


def test_opening_again_runs_no_migration_and_makes_no_backup(db_path):
    with Store.open(db_path, user="tester") as first:
        first.people.add(full_name="Nguyễn Văn An")
    before = _migration_rows(db_path)

    with Store.open(db_path, user="tester") as again:
        assert pending_migrations(again.db) == []
        assert _pragma(again, "user_version") == len(migration_names())
        assert [p.full_name for p in again.people.list()] == ["Nguyễn Văn An"]

    assert _migration_rows(db_path) == before
    assert not (db_path.parent / "backups").exists()


def test_store_can_be_used_as_a_context_manager_and_closes(db_path):
    with Store.open(db_path, user="tester") as store:
        store.units.add(name="Thôn 1")
    with pytest.raises(sqlite3.ProgrammingError):
        store.db.execute("SELECT 1")


def test_init_database_stores_the_chapter_name_and_seeds_reference_lists(db_path):
    store = init_database(db_path, chapter_name="Hội CTĐ xã Hòa Bình", place_name="Hòa Bình")
    try:
        assert store.settings.get("chapter_name") == "Hội CTĐ xã Hòa Bình"
        assert store.settings.get("place_name") == "Hòa Bình"
        assert store.campaigns.count(Query()) == len(CAMPAIGNS)
        assert store.areas.count(Query()) == len(AREAS)
        assert [c.name for c in store.categories.list()] == [name for name, _en in CATEGORIES]
    finally:
        store.close()


def test_init_database_twice_does_not_duplicate_reference_lists(db_path):
    init_database(db_path, chapter_name="Hội CTĐ xã A").close()
    store = init_database(db_path, chapter_name="Hội CTĐ xã B")
    try:
        assert store.settings.get("chapter_name") == "Hội CTĐ xã B"
        assert store.campaigns.count() == len(CAMPAIGNS)
        assert store.areas.count() == len(AREAS)
        assert store.categories.count() == len(CATEGORIES)
    finally:
        store.close()
