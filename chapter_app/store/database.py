"""The connection wrapper the store uses: the few ``sqlite_utils.Database`` calls it needs.

Importing ``sqlite_utils`` (with click, pluggy, dateutil and its plugins' entry points)
costs about as much as starting Qt, so opening a register does without it: ``execute``,
``atomic``, ``rollback``, ``close``, ``conn`` and ``db[table].exists()`` behave as in
sqlite-utils 4 on a connection in autocommit mode (``isolation_level=None``). Anything
else of the sqlite-utils API (``db[table].insert_all``, ``db.query``, ...) is handed to a
real ``sqlite_utils.Database`` on the same connection, built on first use.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any


class Database:
    """A sqlite3 connection with the sqlite-utils calls the store makes."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._full = None
        conn.execute("PRAGMA recursive_triggers=on;")  # as sqlite_utils.Database does

    def execute(self, sql: str, parameters: Sequence | dict[str, Any] | None = None):
        """Run one statement; returns the cursor."""
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction; nested blocks are savepoints (as ``sqlite_utils``)."""
        conn = self.conn
        if conn.in_transaction:
            savepoint = f"sqlite_utils_{os.urandom(16).hex()}"  # no hashlib at start-up
            conn.execute(f"SAVEPOINT {savepoint};")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:  # a RAISE(ROLLBACK) may have ended it already
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint};")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint};")
                raise
            else:
                conn.execute(f"RELEASE SAVEPOINT {savepoint};")
            return
        conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    def table_exists(self, name: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]
        ).fetchone()
        return row is not None

    def full(self):
        """A ``sqlite_utils.Database`` on the same connection (imported on first use)."""
        if self._full is None:
            from sqlite_utils import Database as FullDatabase

            self._full = FullDatabase(self.conn, recursive_triggers=False, execute_plugins=False)
        return self._full

    def __getitem__(self, name: str):
        return self.full()[name]

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.full(), name)
