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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from itertools import chain
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
# A table's secondary indexes are dropped and built again after a bulk insert of at least
# REBUILD_MIN_ROWS rows when the table held at most 1/REBUILD_RATIO of that before; for
# people, the trigger that adds each new person to the search index (FTS5) is set aside
# too and the index rebuilt from the table once at the end. Measured on the people table
# (indexes only), 100,000 rows into an empty register take 15% less CPU and half the wall
# time, and into the 100,000-people register 10,000 rows took twice as long and 100,000
# rows 4% longer. A 10,000-member import into an empty register: the search index at the
# end, 14% less CPU for the people's INSERTs (186 against 215 ms); then the indexes too,
# its commit's CPU 445 against 465 ms (medians of 12 runs each, load 3.3-3.5).
SEARCH_TRIGGER = "people_fts_ai"
REBUILD_MIN_ROWS = 5_000
REBUILD_RATIO = 4
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


def _encode(value: Any) -> Any:
    """``codec.encode_value`` for a value that is not a plain number, None or ASCII text."""
    if type(value) is str:
        return unicodedata.normalize("NFC", value)
    return _ENCODE.get(type(value), encode_value)(value)


def stored_values(values: Iterable[Any]) -> list[Any]:
    """``codec.encode_value`` of each value, quicker for those most rows hold."""
    return _stored(values, {})


def _stored(
    values: Iterable[Any], days: dict[date, str], plain=_PLAIN, nfc=unicodedata.normalize
) -> list[Any]:
    """``stored_values``: numbers and None kept as they are, text made NFC and dates ISO
    text without a call to ``_encode``, each date's text kept in ``days`` (rows of an
    import share few dates, and ``isoformat`` is slow)."""
    return [
        v
        if (k := type(v)) in plain
        else nfc("NFC", v)
        if k is str
        else (days.get(v) or days.setdefault(v, v.isoformat()))
        if k is date
        else _encode(v)
        for v in values
    ]


class _Layout:
    """What rows given with the same columns (in the same order) are written with."""

    __slots__ = ("columns", "given_id", "literals", "rows", "uuid")

    def __init__(self, given: tuple[str, ...], known: frozenset[str], table: str, now: str):
        if not known.issuperset(given):
            raise ValueError(f"unknown columns for {table}: {sorted(set(given) - known)}")
        self.given_id = "id" in given  # replaced by the id the writer gives
        if self.given_id:
            given = tuple(c for c in given if c != "id")
        self.uuid = "uuid" not in given
        # The same for every row: written into the statement, not bound to each row
        # (10,000-member import: its INSERTs about 10 ms CPU less, 2-8% per table).
        defaults = {"created_at": sql_literal(now), "updated_at": sql_literal(now)}
        defaults["deleted_at"] = "NULL"
        self.literals = tuple((c, sql) for c, sql in defaults.items() if c not in given)
        self.columns = (*given, "id", *(["uuid"] if self.uuid else []))  # values bound
        self.rows: list[list[Any]] = []


def sql_literal(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


class _Table:
    """The rows of one table waiting to be written, and the run of ids written so far."""

    __slots__ = ("count", "first", "known", "layouts", "name", "next_id", "pending", "prepare")

    def __init__(self, repo: Repository, next_id: int):
        self.name = repo.table
        self.known = frozenset(repo._columns)
        # Only repositories that derive columns (people's name columns) need the hook.
        hook = type(repo)._prepare_new
        self.prepare = None if hook is Repository._prepare_new else repo._prepare_new
        self.next_id = next_id
        self.first = next_id
        self.count = 0  # rows written
        self.pending = 0
        self.layouts: dict[tuple[str, ...], _Layout] = {}


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

    Rows are kept as lists of stored values, grouped by the columns they were given with
    (omitted columns keep their defaults), and written many to an ``INSERT`` statement:
    besides saving a round trip per row, this keeps the people search index (FTS5, kept in
    step by a trigger) from writing out its pending terms after every statement. (Filling
    the FTS5 index once a chunk, the trigger set aside, measured no quicker than that;
    once at the end is: see :func:`indexes_set_aside`, also for the secondary indexes.)
    """

    def __init__(self, db: Database, ops: Operations, *, chunk_rows: int | None = None):
        self.db = db
        self.ops = ops
        self.chunk_rows = chunk_rows or CHUNK_ROWS
        self._tables: dict[str, _Table] = {}
        self._pending = 0
        self._written = 0
        self._runs: dict[str, tuple[int, int]] = {}  # table -> first and last id written
        self._uuids: list[str] = []
        self._now = utc_now()  # one moment for every row of the operation
        self._days: dict[date, str] = {}  # the stored text of each date met

    def _open(self, repo: Repository) -> _Table:
        table = repo.table
        if table not in WRITE_ORDER:
            raise ValueError(f"bulk writes are not set up for {table}")
        next_id = self.db.execute(f"SELECT COALESCE(MAX(id), 0) FROM [{table}]").fetchone()[0] + 1
        made = self._tables[table] = _Table(repo, next_id)
        return made

    def add(self, repo: Repository, values: Mapping[str, Any]) -> int:
        t = self._tables.get(repo.table) or self._open(repo)
        # As Repository._new_row: derived columns, stored values, UUID and timestamps.
        row = values if t.prepare is None else t.prepare(dict(values))
        given = tuple(row)
        layout = t.layouts.get(given)
        if layout is None:
            layout = t.layouts[given] = _Layout(given, t.known, t.name, self._now)
        row_id = t.next_id
        t.next_id = row_id + 1
        if layout.given_id:
            row = {k: v for k, v in row.items() if k != "id"}
        stored = _stored(row.values(), self._days)
        stored.append(row_id)
        if layout.uuid:
            uuids = self._uuids
            stored.append(uuids.pop() if uuids else self._uuid())
        layout.rows.append(stored)
        t.pending += 1
        self._pending += 1
        if self._pending >= self.chunk_rows:
            self._write_pending()
        return row_id

    def add_rows(
        self,
        repo: Repository,
        columns: tuple[str, ...],
        rows: Iterable[Sequence[Any]],
        *,
        stored: bool = False,
    ) -> range:
        """Add rows given as values in the order of ``columns``; returns their ids, in order.

        Stored as :meth:`add` stores them, except that the repository's hook for derived
        columns is not run: give those columns (for people, the name columns of
        :class:`~chapter_app.domain.person_names.NameParts`) among ``columns``. Quicker
        than :meth:`add` for many rows: no mapping per row, one layout for all of them.
        ``stored``: the caller's guarantee that every value is already as stored, each
        row equal to ``stored_values(row)`` (None, numbers, NFC text, dates as ISO text,
        no bool): written as given, without encoding each value again.
        """
        t = self._tables.get(repo.table) or self._open(repo)
        layout = t.layouts.get(columns)
        if layout is None:
            if "id" in columns:
                raise ValueError("add_rows gives the ids itself")
            layout = t.layouts[columns] = _Layout(columns, t.known, t.name, self._now)
        first = row_id = t.next_id
        limit = row_id + self.chunk_rows - self._pending  # the id that makes a chunk
        width = len(columns)
        pending = layout.rows
        encode, days = _stored, self._days
        uuids = self._uuids
        for row in rows:
            if len(row) != width:
                raise ValueError(f"a row of {t.name} has {len(row)} values for {width} columns")
            values = list(row) if stored else encode(row, days)
            values.append(row_id)
            if layout.uuid:
                if not uuids:
                    uuids = self._uuids = list(uuid4_texts(_UUIDS_AT_ONCE))
                values.append(uuids.pop())
            pending.append(values)
            row_id += 1
            if row_id == limit:
                self._noted(t, row_id)
                self._write_pending()
                pending = layout.rows
                limit = row_id + self.chunk_rows
        self._noted(t, row_id)
        return range(first, row_id)

    def _noted(self, t: _Table, next_id: int) -> None:
        """Count the rows ``add_rows`` appended to ``t`` up to ``next_id`` as pending."""
        count = next_id - t.next_id
        t.next_id = next_id
        t.pending += count
        self._pending += count

    def _uuid(self) -> str:
        self._uuids = list(uuid4_texts(_UUIDS_AT_ONCE))
        return self._uuids.pop()

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
        self._tables.clear()
        return written

    def _write_pending(self) -> None:
        if self.ops.current is None:
            raise RuntimeError("a write happened outside an operation")
        for name in sorted(self._tables, key=WRITE_ORDER.index):
            t = self._tables[name]
            if not t.pending:
                continue
            first = t.first + t.count
            last = first + t.pending - 1
            if last != t.next_id - 1:
                raise RuntimeError(f"rows of {name} were not numbered in sequence")
            self._write_layouts(t)
            self._runs[name] = (t.first, last)
            t.count += t.pending
            self._written += t.pending
            t.pending = 0
        self._pending = 0

    def _write_layouts(self, t: _Table) -> None:
        for layout in t.layouts.values():
            if layout.rows:
                self._insert(t.name, layout.columns, layout.rows, layout.literals)
                layout.rows = []

    def _insert(
        self,
        table: str,
        columns: Sequence[str],
        rows: Sequence[list[Any]],
        literals: Sequence[tuple[str, str]] = (),
    ) -> None:
        """``INSERT`` many rows (values in the order of ``columns``) a statement, within
        SQLite's limit of parameters; ``literals``: (column, SQL literal) the same in
        every row."""
        limit = self.db.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        per_statement = max(1, min(_ROWS_PER_STATEMENT, limit // len(columns)))
        names = ", ".join(f"[{c}]" for c in (*columns, *(c for c, _ in literals)))
        head = f"INSERT INTO [{table}] ({names}) VALUES "
        one = f"({', '.join(['?'] * len(columns) + [sql for _, sql in literals])})"
        full = head + ", ".join([one] * per_statement)
        execute = self.db.conn.execute
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            sql = full if len(chunk) == per_statement else head + ", ".join([one] * len(chunk))
            execute(sql, list(chain.from_iterable(chunk)))


@contextmanager
def indexes_set_aside(db: Database, tables: Iterable[str], *, rows: int) -> Iterator[list[str]]:
    """Inside an operation, around a bulk insert of about ``rows`` rows into each of
    ``tables``: drop the secondary indexes (``CREATE INDEX``, not the UNIQUE constraints)
    of those that hold few rows yet, and build them again at the end, in the same
    transaction. For people, the trigger that keeps the search index in step with new
    rows is set aside too and the index rebuilt from the table once at the end. Yields
    the tables whose indexes were set aside. All of it runs in a savepoint: a failure
    inside gives the indexes and the trigger back as they were."""
    if rows < REBUILD_MIN_ROWS:
        yield []
        return
    small = [
        t
        for t in tables
        if t in WRITE_ORDER
        and db.execute(f"SELECT COALESCE(MAX(id), 0) FROM [{t}]").fetchone()[0] * REBUILD_RATIO
        <= rows
    ]
    if not small:
        yield []
        return
    search = "people" in small
    with db.atomic():
        marks = ", ".join("?" * len(small))
        dropped = db.conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE (type = 'index' AND sql IS NOT "
            f"NULL AND tbl_name IN ({marks})) OR (type = 'trigger' AND name = ? AND ?) "
            "ORDER BY name",
            [*small, SEARCH_TRIGGER, search],
        ).fetchall()
        for kind, name, _ in dropped:
            db.conn.execute(f"DROP {kind} [{name}]")
        yield small
        for _, _, sql in dropped:
            db.conn.execute(sql)
        if search:
            db.conn.execute("INSERT INTO people_fts(people_fts) VALUES ('rebuild')")
