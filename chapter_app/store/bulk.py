"""Bulk inserts of new register rows inside the open operation (imports).

``store.exchange.writer()`` gives a :class:`BulkWriter`. It stores what ``Repository.add``
stores, undone in one step with the rest of the operation; but it writes a few
statements per table and per chunk of rows instead of a handful per row, and notes the
rows of each table as one run of ids, for undo and in the audit log (one entry per
table, :class:`~chapter_app.store.operations.InsertedRows`), not one copy of each row.

Memory stays bounded whatever the number of rows: rows wait in memory until
``chunk_rows`` of them are pending, then they are written, still inside the
operation's one transaction, so the import stays all or nothing.
"""

from __future__ import annotations

import os
import sqlite3
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from itertools import chain
from operator import itemgetter
from typing import Any

from chapter_app.store.codec import encode_value, utc_now
from chapter_app.store.database import Database
from chapter_app.store.operations import Operations
from chapter_app.store.repository import Repository

# Tables in an order where every row's references are written before it.
WRITE_ORDER = (
    "units",
    "branches",
    "people",
    "addresses",
    "sponsors",
    "members",
    "member_status",
    "volunteers",
    "youth",
    "address_members",
    "address_status",
    "address_categories",
    "commitments",
    "aid_records",
)
CHUNK_ROWS = 6000  # rows kept in memory before they are written (all tables together)
_ROWS_PER_STATEMENT = 1000  # more gains little; SQLite's parameter limit may allow fewer
_UUIDS_AT_ONCE = 1024
_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def uuid4_texts(count: int) -> Iterator[str]:
    """``count`` texts as ``str(uuid.uuid4())`` gives them (random, version 4, RFC 4122
    variant), from one call to ``os.urandom``: several times quicker one by one."""
    data = os.urandom(16 * count).hex()
    for i in range(0, 32 * count, 32):
        t = data[i : i + 32]
        yield f"{t[:8]}-{t[8:12]}-4{t[13:16]}-{_VARIANT[t[16]]}{t[17:20]}-{t[20:]}"


_PLAIN = frozenset({int, float, type(None)})
_ENCODE = {date: date.isoformat, bool: int, datetime: datetime.isoformat}


def _encode_in_place(row: dict[str, Any]) -> dict[str, Any]:
    """``codec.encode_row`` on a dict of our own, quicker for the values most rows hold
    (ASCII text, numbers, None are left as they are; dates and flags by their type)."""
    for key, value in row.items():
        kind = type(value)
        if kind is str:
            if not value.isascii():
                row[key] = unicodedata.normalize("NFC", value)
        elif kind not in _PLAIN:
            row[key] = _ENCODE.get(kind, encode_value)(value)
    return row


class BulkWriter:
    """Insert many new rows in the open operation, with their audit entries and undo.

    ``add(repo, values)`` prepares the row as ``repo.add`` would (derived columns, UUID,
    timestamps) and returns the id it will have, so rows can point at each other before
    they are written; ``flush()`` writes what is still pending. Rows are written on their
    own, in the same transaction, whenever ``chunk_rows`` are pending: add rows only
    inside an operation. It adds rows only: a repository's own side effects (a member's
    first status event, an address's categories) are for the caller to add as rows of
    their own. Ids are taken after the table's highest id when the first row of that
    table is added: do not add rows to those tables by other means until ``flush()``.

    Rows are written many to an ``INSERT`` statement: besides saving a round trip per row,
    this keeps the people search index (FTS5, kept in step by a trigger) from writing out
    its pending terms after every statement, which made one-row statements several times
    slower for people.
    """

    def __init__(self, db: Database, ops: Operations, *, chunk_rows: int | None = None):
        self.db = db
        self.ops = ops
        self.chunk_rows = chunk_rows or CHUNK_ROWS
        self._next_id: dict[str, int] = {}
        self._columns: dict[str, frozenset[str]] = {}
        self._rows: dict[str, list[dict[str, Any]]] = {}
        self._pending = 0
        self._written = 0
        self._runs: dict[str, tuple[int, int]] = {}  # table -> first and last id written
        self._uuids: Iterator[str] = iter(())
        self._now = utc_now()  # one moment for every row of the operation

    def add(self, repo: Repository, values: Mapping[str, Any]) -> int:
        table = repo.table
        columns = self._columns.get(table)
        if columns is None:
            if table not in WRITE_ORDER:
                raise ValueError(f"bulk writes are not set up for {table}")
            columns = self._columns[table] = frozenset(repo._columns)
        if table not in self._next_id:
            self._next_id[table] = (
                self.db.execute(f"SELECT COALESCE(MAX(id), 0) FROM [{table}]").fetchone()[0] + 1
            )
        now = self._now
        # As Repository._new_row: stored values, known columns, UUID and timestamps.
        row = _encode_in_place(repo._prepare_new({"created_at": now, "updated_at": now, **values}))
        if not columns.issuperset(row):
            raise ValueError(f"unknown columns for {table}: {sorted(row.keys() - columns)}")
        if "uuid" not in row:
            row["uuid"] = self._uuid()
        row.setdefault("created_at", now)
        row.setdefault("updated_at", now)
        row.setdefault("deleted_at", None)
        row_id = row["id"] = self._next_id[table]
        self._next_id[table] = row_id + 1
        self._rows.setdefault(table, []).append(row)
        self._pending += 1
        if self._pending >= self.chunk_rows:
            self._write_pending()
        return row_id

    def _uuid(self) -> str:
        text = next(self._uuids, None)
        if text is None:
            self._uuids = uuid4_texts(_UUIDS_AT_ONCE)
            text = next(self._uuids)
        return text

    @property
    def pending(self) -> int:
        """Rows added and not written yet."""
        return self._pending

    def flush(self) -> int:
        """Write the rows still pending, then note every table's rows written since the
        last ``flush`` (one run of ids each) for undo and in the audit log; returns how
        many rows. Must run inside an operation."""
        self._write_pending()
        for table in sorted(self._runs, key=WRITE_ORDER.index):
            self.ops.record_inserted(table, *self._runs[table])
        self._runs.clear()
        written, self._written = self._written, 0
        self._next_id.clear()
        return written

    def _write_pending(self) -> None:
        if self.ops.current is None:
            raise RuntimeError("a write happened outside an operation")
        for table in sorted(self._rows, key=WRITE_ORDER.index):
            rows = self._rows[table]
            # Rows are grouped by their columns so that omitted columns keep their defaults.
            groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for row in rows:
                groups.setdefault(tuple(row), []).append(row)
            for columns, group in groups.items():
                self._insert(table, columns, group)
            first = self._runs.get(table, (rows[0]["id"],))[0]
            last = rows[-1]["id"]
            if last - first + 1 != len(rows) + self._counted(table):
                raise RuntimeError(f"rows of {table} were not numbered in sequence")
            self._runs[table] = (first, last)
            self._written += len(rows)
        self._rows.clear()
        self._pending = 0

    def _counted(self, table: str) -> int:
        run = self._runs.get(table)
        return 0 if run is None else run[1] - run[0] + 1

    def _insert(self, table: str, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
        """``INSERT`` many rows (each with exactly ``columns``) a statement, within SQLite's
        limit of parameters."""
        limit = self.db.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        per_statement = max(1, min(_ROWS_PER_STATEMENT, limit // len(columns)))
        head = f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) VALUES "
        one = f"({', '.join('?' * len(columns))})"
        full = head + ", ".join([one] * per_statement)
        pick = itemgetter(*columns)  # a tuple: every row has an id, uuid, timestamps
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            sql = full if len(chunk) == per_statement else head + ", ".join([one] * len(chunk))
            self.db.conn.execute(sql, list(chain.from_iterable(map(pick, chunk))))
