"""The background sync of a long transaction's log (issue 18)."""

from __future__ import annotations

import sqlite3

from chapter_app.store.wal_flush import LogFlusher


def _wal_database(path):
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)")
    return conn


def test_flusher_syncs_the_log_in_the_background_once_enough_is_written(tmp_path):
    conn = _wal_database(tmp_path / "x.db")
    conn.execute("BEGIN")
    with LogFlusher(tmp_path / "x.db", every=1000) as flusher:
        for _ in range(3):
            conn.execute("INSERT INTO t (b) VALUES (?)", [b"x" * 5000])
            flusher.wrote(5000)
            flusher.close()  # wait for the sync started, so the next write starts another
    conn.execute("COMMIT")
    assert flusher.flushes == 3
    assert conn.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 3
    conn.close()


def test_flusher_waits_until_enough_is_written(tmp_path):
    conn = _wal_database(tmp_path / "x.db")
    with LogFlusher(tmp_path / "x.db", every=10_000) as flusher:
        flusher.wrote(9_999)
    assert flusher.flushes == 0
    conn.close()


def test_flusher_without_a_log_file_stops_quietly(tmp_path):
    with LogFlusher(tmp_path / "missing.db", every=1) as flusher:
        flusher.wrote(10)
        flusher.wrote(10)
    assert flusher.flushes == 0
