"""Opening a database file: pragmas, migrations, refusal of files from newer versions."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from chapter_app.errors import DatabaseError, NewerDatabaseError
from chapter_app.store.database import Database
from chapter_app.store.schema import MIGRATION_SET, migration_names, migrations

BUSY_TIMEOUT_MS = 5000


def connect(path: Path | str, *, read_only: bool = False) -> Database:
    """Open ``path`` with synchronous=FULL and foreign keys on; no migrations run.

    The journal mode is left alone: ``use_wal`` switches to WAL once the file is accepted,
    so a refused file is never modified.
    """
    path = Path(path)
    try:
        if read_only:
            conn = _connect_read_only(path)
        else:
            conn = sqlite3.connect(str(path), isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        # FULL: a committed transaction survives a power cut, not just a crash.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA cache_size = -32000")
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"Không mở được tệp dữ liệu «{path}»: tệp bị hỏng hoặc không phải cơ sở dữ liệu "
            f"của chương trình ({exc})."
        ) from exc
    return Database(conn)


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """``mode=ro``; on read-only media (a CD, a locked USB stick) a WAL file's shared-memory
    file cannot be made, so the file is read as immutable: nobody can write it there."""
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True, isolation_level=None)
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        if "unable to open" not in str(exc) or _writable_folder(path.parent):
            raise
    return sqlite3.connect(
        f"file:{path.as_posix()}?mode=ro&immutable=1", uri=True, isolation_level=None
    )


def _writable_folder(folder: Path) -> bool:
    """Whether a file can be made in ``folder`` (tried, not asked: root ignores modes)."""
    probe = folder / f".chapter-probe-{os.getpid()}"
    try:
        probe.touch(exist_ok=False)
    except OSError:
        return False
    probe.unlink(missing_ok=True)
    return True


def use_wal(db: Database) -> None:
    """Switch the file to write-ahead logging (kept in the file from then on)."""
    db.execute("PRAGMA journal_mode = WAL")


def check_is_ours(db: Database, path: Path | str) -> None:
    """Refuse an SQLite file that holds other tables but not this program's schema."""
    if is_initialised(db):
        return
    tables = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    if tables:
        raise DatabaseError(
            f"Tệp «{path}» là cơ sở dữ liệu của chương trình khác, không phải sổ của Hội; "
            "tệp không bị thay đổi."
        )


def applied_migrations(db: Database) -> list[str]:
    return migrations.applied(db)


def check_not_newer(db: Database, path: Path | str) -> None:
    """Refuse a file that holds migrations this version of the program does not know."""
    known = set(migration_names())
    unknown = [name for name in applied_migrations(db) if name not in known]
    user_version = db.execute("PRAGMA user_version").fetchone()[0]
    if unknown or user_version > len(known):
        raise NewerDatabaseError(
            f"Tệp dữ liệu «{path}» được tạo bởi phiên bản mới hơn của chương trình. "
            "Hãy cập nhật chương trình để mở tệp này; tệp không bị thay đổi."
        )


def pending_migrations(db: Database) -> list[str]:
    return migrations.pending(db)


def migrate(db: Database) -> list[str]:
    """Apply pending migrations; returns their names. Foreign keys are checked after."""
    pending = pending_migrations(db)
    if not pending:
        return []
    migrations.apply(db)
    db.execute(f"PRAGMA user_version = {len(migration_names())}")
    problems = db.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise DatabaseError(
            f"Sau khi nâng cấp, dữ liệu có {len(problems)} liên kết không hợp lệ; "
            "hãy khôi phục bản sao lưu."
        )
    return pending


def is_initialised(db: Database) -> bool:
    """True when the file holds this program's schema (at any version)."""
    return db.table_exists(migrations.migrations_table) and bool(
        db.execute(
            f"SELECT 1 FROM {migrations.migrations_table} WHERE migration_set = ? LIMIT 1",
            [MIGRATION_SET],
        ).fetchone()
    )
