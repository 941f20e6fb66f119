"""Consistent copies of a database with SQLite's backup API (never a file copy)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path


def backup_file_name(db_path: Path, *, reason: str, now: datetime | None = None) -> str:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"{Path(db_path).stem}-{stamp}-{reason}.db"


def copy_database(source: sqlite3.Connection, dest: Path) -> Path:
    """Write a consistent copy of ``source`` to ``dest`` (written beside, then renamed)."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    target = sqlite3.connect(str(partial))
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()
    partial.replace(dest)
    return dest
