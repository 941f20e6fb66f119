"""Consistent copies of a database with SQLite's backup API (never a file copy), and checks
of database files: integrity, whose schema, what they hold.

A copy is written beside its destination as ``*.partial``, checked, and only then renamed:
a failed or interrupted backup never leaves a half-written file under a backup's name.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from chapter_app.store.schema import MIGRATION_SET, migration_names, migrations

BACKUP_SUFFIX = ".db"
PROTECTED_SUFFIX = ".ctdbak"  # a backup locked with a password (services.protect)
PARTIAL_SUFFIX = ".partial"
_STAMP_FORMAT = "%Y%m%d-%H%M%S"

# What a backup's list shows: live rows of these tables.
COUNTED_TABLES = {
    "people": "people",
    "members": "members",
    "volunteers": "volunteers",
    "addresses": "addresses",
    "aid": "aid_records",
}


def path_text(path: Path | str) -> str:
    """A file path as text that can be stored and printed: bytes of a file name that are
    not UTF-8 (kept by Python as lone surrogates) become U+FFFD."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def backup_file_name(
    db_path: Path, *, reason: str, now: datetime | None = None, suffix: str = BACKUP_SUFFIX
) -> str:
    stamp = (now or datetime.now()).strftime(_STAMP_FORMAT)
    return f"{Path(db_path).stem}-{stamp}-{reason}{suffix}"


def parse_backup_name(name: str, *, stem: str) -> tuple[datetime, str] | None:
    """``(made_at, reason)`` from a file name made by :func:`backup_file_name`, or None."""
    suffixes = "|".join(re.escape(s) for s in (BACKUP_SUFFIX, PROTECTED_SUFFIX))
    pattern = rf"{re.escape(stem)}-(\d{{8}}-\d{{6}})-([A-Za-z0-9_.-]+?)(?:{suffixes})"
    match = re.fullmatch(pattern, name)
    if not match:
        return None
    try:
        made_at = datetime.strptime(match[1], _STAMP_FORMAT)
    except ValueError:
        return None
    return made_at, match[2]


def unique_path(path: Path) -> Path:
    """``path`` itself, or ``name-2.db``, ``name-3.db`` ... when it is taken."""
    if not path.exists():
        return path
    for n in range(2, 10_000):
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(path)


def copy_database(source: sqlite3.Connection, dest: Path, *, verify: bool = True) -> Path:
    """Write a consistent copy of ``source`` to ``dest`` (written beside, checked, renamed).

    With ``verify``, the copy must pass ``PRAGMA quick_check`` before it takes its name.
    On any failure nothing is left at ``dest`` or beside it.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + PARTIAL_SUFFIX)
    partial.unlink(missing_ok=True)
    try:
        target = sqlite3.connect(str(partial))
        try:
            # No sync per step: the partial file has no name to lose until it is renamed,
            # and it is synced once, whole, before that.
            target.execute("PRAGMA synchronous = OFF")
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
            # The copy is complete: the disk writes it while SQLite reads it to check it.
            from concurrent.futures import ThreadPoolExecutor  # making a backup only

            with ThreadPoolExecutor(1, thread_name_prefix="backup-fsync") as pool:
                syncing = pool.submit(_sync_contents, partial)
                try:
                    if verify:
                        problems = quick_check(target)
                        if problems:
                            raise sqlite3.DatabaseError(
                                "backup copy failed its check: " + problems[0]
                            )
                finally:
                    syncing.result()  # the sync's own error, if any
        finally:
            target.close()
        partial.replace(dest)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise
    return dest


_datasync = getattr(os, "fdatasync", os.fsync)  # as SQLite syncs (no fdatasync on Windows)


def _sync_contents(path: Path) -> None:
    """``path``'s contents on the disk (run on a thread while the copy is checked)."""
    # Opened for writing: Windows flushes (FlushFileBuffers) only a writable handle.
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        _datasync(fd)
    finally:
        os.close(fd)


# --- checks -------------------------------------------------------------------------------


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """Problems found by ``PRAGMA quick_check`` (empty when the file is sound)."""
    return _check_rows(conn, "PRAGMA quick_check")


def integrity_check(conn: sqlite3.Connection) -> list[str]:
    """Problems found by the full ``PRAGMA integrity_check`` (empty when sound)."""
    return _check_rows(conn, "PRAGMA integrity_check")


def _check_rows(conn: sqlite3.Connection, sql: str) -> list[str]:
    rows = [str(row[0]) for row in conn.execute(sql).fetchall()]
    return [] if rows == ["ok"] else rows


def foreign_key_problems(conn: sqlite3.Connection) -> list[tuple[str, int, str]]:
    """``(table, rowid, referenced table)`` for every row pointing at a missing row."""
    return [(row[0], row[1], row[2]) for row in conn.execute("PRAGMA foreign_key_check")]


def open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to ``path`` that never creates or changes anything."""
    return sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True, isolation_level=None)


@dataclass(frozen=True)
class FileReport:
    """What a database file is: sound or not, ours or not, which version, what it holds."""

    path: Path
    problems: tuple[str, ...] = ()  # integrity problems (empty when sound)
    is_ours: bool = False
    is_newer: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    chapter_name: str | None = None
    error: str | None = None  # the file could not be read at all

    @property
    def usable(self) -> bool:
        return not self.problems and self.error is None and self.is_ours and not self.is_newer


def inspect_file(path: Path, *, check: str = "full") -> FileReport:
    """Look at a database file read-only: its integrity (``check`` = "full", "quick" or
    "none"), whether it holds our schema and from which version, its record counts."""
    if check not in ("full", "quick", "none"):
        raise ValueError(check)
    path = Path(path)
    try:
        conn = open_read_only(path)
    except sqlite3.Error as exc:
        return FileReport(path, error=str(exc))
    try:
        if check != "none":
            problems = integrity_check(conn) if check == "full" else quick_check(conn)
            if problems:
                return FileReport(path, problems=tuple(problems[:20]))
            problems = [f"{t} #{r} -> {p}" for t, r, p in foreign_key_problems(conn)]
            if problems:
                return FileReport(path, problems=tuple(problems[:20]))
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        applied = []
        if migrations.migrations_table in tables:
            applied = [
                row[0]
                for row in conn.execute(
                    f"SELECT name FROM [{migrations.migrations_table}] WHERE migration_set = ?",
                    [MIGRATION_SET],
                )
            ]
        is_ours = bool(applied)
        known = set(migration_names())
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        is_newer = any(name not in known for name in applied) or user_version > len(known)
        counts = {}
        chapter_name = None
        if is_ours and not is_newer:
            counts = file_counts(conn)
            row = conn.execute("SELECT value FROM settings WHERE key = 'chapter_name'").fetchone()
            if row and row[0]:
                with contextlib.suppress(ValueError):
                    chapter_name = json.loads(row[0]) or None
        return FileReport(
            path, is_ours=is_ours, is_newer=is_newer, counts=counts, chapter_name=chapter_name
        )
    except sqlite3.Error as exc:
        return FileReport(path, error=str(exc))
    finally:
        conn.close()


def file_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Live rows of the main registers (people, members, volunteers, addresses, aid)."""
    return {
        key: conn.execute(f"SELECT COUNT(*) FROM [{table}] WHERE deleted_at IS NULL").fetchone()[0]
        for key, table in COUNTED_TABLES.items()
    }


# --- what was backed up when ---------------------------------------------------------------


def audit_max_id(conn: sqlite3.Connection) -> int:
    """The id of the newest audit entry (0 when none): it grows with every change."""
    return conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetchone()[0]


def last_backup_audit_id(conn: sqlite3.Connection) -> int | None:
    """The audit id recorded with the newest backup, or None when none was ever made."""
    row = conn.execute("SELECT audit_id FROM backup_log ORDER BY id DESC LIMIT 1").fetchone()
    return None if row is None else row[0]


def record_backup(
    conn: sqlite3.Connection, *, path: Path, reason: str, audit_id: int, made_at: str
) -> None:
    """Remember a backup (call inside the operation that audited it)."""
    conn.execute(
        "INSERT INTO backup_log (made_at, path, reason, audit_id) VALUES (?, ?, ?, ?)",
        [made_at, path_text(path), reason, audit_id],
    )
