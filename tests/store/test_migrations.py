"""Migrating empty files, refusing files from a newer version and files that are no database."""

from __future__ import annotations

import random
import sqlite3

import pytest

from chapter_app.errors import AppError, DatabaseError, NewerDatabaseError
from chapter_app.store.schema import REGISTER_TABLES, migration_names
from chapter_app.store.store import Store


def _user_version(store: Store) -> int:
    return store.db.execute("PRAGMA user_version").fetchone()[0]


def _tables(store: Store) -> set[str]:
    return {row[0] for row in store.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _folder_listing(path):
    return sorted(p.name for p in path.parent.iterdir())


def _make_current_database(path) -> None:
    with Store.open(path, user="tester") as store:
        store.people.add(full_name="Nguyễn Văn An")


def _make_newer_by_migration_row(path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('chapter_app', '9999_future', '2099-01-01 00:00:00+00:00')"
    )
    conn.commit()
    conn.close()


def _make_newer_by_user_version(path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(migration_names()) + 5}")
    conn.close()


def _assert_refused_unchanged(path) -> NewerDatabaseError:
    before = path.read_bytes()
    listing = _folder_listing(path)
    with pytest.raises(NewerDatabaseError) as info:
        Store.open(path, user="tester")
    assert path.read_bytes() == before
    assert _folder_listing(path) == listing  # no backup, no leftover -wal/-shm
    return info.value


# --- empty files ------------------------------------------------------------------------


def test_zero_byte_file_is_migrated_to_the_current_schema(db_path):
    db_path.write_bytes(b"")
    with Store.open(db_path, user="tester") as store:
        assert set(REGISTER_TABLES) <= _tables(store)
        assert _user_version(store) == len(migration_names())
        store.people.add(full_name="Nguyễn Văn An")
        assert store.people.count() == 1
    assert not (db_path.parent / "backups").exists()


def test_sqlite_file_without_tables_is_migrated_to_the_current_schema(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE scratch (x)")
    conn.execute("DROP TABLE scratch")
    conn.commit()
    conn.close()
    assert db_path.stat().st_size > 0
    assert db_path.read_bytes().startswith(b"SQLite format 3\x00")

    with Store.open(db_path, user="tester") as store:
        assert set(REGISTER_TABLES) <= _tables(store)
        assert _user_version(store) == len(migration_names())
        assert store.units.add(name="Thôn 1").id == 1


def test_migrated_empty_file_matches_a_freshly_created_schema(tmp_path):
    fresh, empty = tmp_path / "fresh.db", tmp_path / "empty.db"
    empty.write_bytes(b"")
    schemas = []
    for path in (fresh, empty):
        with Store.open(path, user="tester") as store:
            schemas.append(
                store.db.execute(
                    "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
                ).fetchall()
            )
    assert schemas[0] == schemas[1]


# --- files from a newer version ------------------------------------------------------------


def test_database_with_an_unknown_migration_is_refused(db_path):
    _make_current_database(db_path)
    _make_newer_by_migration_row(db_path)
    error = _assert_refused_unchanged(db_path)
    assert isinstance(error, DatabaseError)
    assert isinstance(error, AppError)
    assert "phiên bản mới hơn" in error.message
    assert str(db_path) in error.message


def test_database_with_a_higher_user_version_is_refused(db_path):
    _make_current_database(db_path)
    _make_newer_by_user_version(db_path)
    error = _assert_refused_unchanged(db_path)
    assert "phiên bản mới hơn" in error.message
    assert "cập nhật chương trình" in error.message


def test_newer_database_in_rollback_journal_mode_is_left_byte_for_byte_unchanged(db_path):
    # Backups (copy_database) are written in rollback-journal mode; a backup made by a newer
    # version and opened by this one must not be touched either.
    _make_current_database(db_path)
    _make_newer_by_migration_row(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    conn.close()
    _assert_refused_unchanged(db_path)


def test_refused_newer_database_keeps_its_data(db_path):
    _make_current_database(db_path)
    _make_newer_by_user_version(db_path)
    with pytest.raises(NewerDatabaseError):
        Store.open(db_path, user="tester")
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT full_name FROM people").fetchall() == [("Nguyễn Văn An",)]
    finally:
        conn.close()


# --- files that are not a database -----------------------------------------------------------


def _assert_not_a_database(path) -> DatabaseError:
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as info:
        Store.open(path, user="tester")
    error = info.value
    assert type(error) is DatabaseError
    assert not isinstance(error, sqlite3.Error)
    assert "không phải cơ sở dữ liệu" in error.message
    assert str(path) in error.message
    assert path.read_bytes() == before
    return error


def test_text_file_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("Danh sách hội viên\nNguyễn Văn An, 1980\n" * 50, encoding="utf-8")
    _assert_not_a_database(path)


def test_random_bytes_file_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "garbage.db"
    data = random.Random(20240601).randbytes(16384)
    assert not data.startswith(b"SQLite format 3")
    path.write_bytes(data)
    _assert_not_a_database(path)


def test_not_a_database_error_is_not_an_sqlite_exception(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("không phải cơ sở dữ liệu " * 100, encoding="utf-8")
    try:
        Store.open(path, user="tester")
    except sqlite3.Error as exc:  # pragma: no cover - this is the failure being guarded
        pytest.fail(f"sqlite3 error leaked: {exc!r}")
    except AppError:
        pass
    else:
        pytest.fail("a text file was opened as a database")
