"""The generic repository: add/get/update/delete/list for one register table.

Rows become frozen dataclasses here; SQL never leaks above the store. Every
write runs inside an operation (one transaction, audited, undoable). Deletes
are soft: the row stays as a tombstone with ``deleted_at`` set.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from chapter_app.domain.text import fold
from chapter_app.errors import NotFoundError
from chapter_app.store.codec import decode_row, encode_row, utc_now
from chapter_app.store.database import Database
from chapter_app.store.operations import Change, Operations, new_uuid

if TYPE_CHECKING:  # the record classes are imported by the registers that use them
    from chapter_app.domain.models import Record

T = TypeVar("T", bound="Record")

PROTECTED_COLUMNS = frozenset({"id", "uuid", "created_at", "updated_at", "deleted_at"})


@dataclass(frozen=True)
class Range:
    """An inclusive range filter; either end may be None (open)."""

    low: Any = None
    high: Any = None


@dataclass(frozen=True)
class Query:
    """What a list shows: search text, filters, sort and page."""

    search: str | None = None
    filters: Mapping[str, Any] | None = None
    order_by: str | None = None
    descending: bool = False
    limit: int | None = None
    offset: int = 0
    include_deleted: bool = False


def fts_match_expression(text: str) -> str | None:
    """An FTS5 MATCH expression for search-as-you-type: every folded word as a quoted prefix.

    Whatever a person typed (quotes, operators, SQL) becomes plain quoted tokens.
    """
    # Split where the FTS tokenizer splits (anything not a letter or digit), so that
    # "H’Hen" and "Y-Moan" give the same tokens as the stored names.
    words = re.split(r"[^0-9a-z]+", fold(text))
    return " ".join(f'"{word}"*' for word in words if word) or None


def like_pattern(text: str) -> str:
    """A LIKE pattern matching the folded ``text`` anywhere (wildcards escaped with ``\\``)."""
    folded = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{folded}%"


class Repository(Generic[T]):
    """add/get/update/delete/list over one table; subclasses set the class attributes."""

    table: ClassVar[str]
    model: ClassVar[type]
    noun: ClassVar[str] = "bản ghi"  # Vietnamese noun used in operation labels
    alias: ClassVar[str] = "t"
    default_order: ClassVar[str] = "t.id"
    # Sort names a caller may ask for, mapped to SQL expressions.
    sort_columns: ClassVar[Mapping[str, str]] = {}
    # Columns matched (folded, anywhere) by the search box on small tables.
    search_columns: ClassVar[Sequence[str]] = ()
    # Filters that are not a column: key -> SQL condition with one ``?`` for the value.
    special_filters: ClassVar[Mapping[str, str]] = {}
    # Extra SQL select list (over joined tables) that ``rows()`` adds for display.
    display_columns: ClassVar[str] = ""

    def __init__(self, db: Database, ops: Operations):
        self.db = db
        self.ops = ops
        self._columns = [name for name in self.model.field_names()]

    # --- reading -----------------------------------------------------------------------

    def find(self, row_id: int, *, include_deleted: bool = False) -> T | None:
        """The record with this id, or None (also None for tombstones unless asked)."""
        row = self._raw(row_id)
        if row is None or (row["deleted_at"] and not include_deleted):
            return None
        return decode_row(self.model, row)

    def get(self, row_id: int, *, include_deleted: bool = False) -> T:
        """The record with this id; raises NotFoundError."""
        record = self.find(row_id, include_deleted=include_deleted)
        if record is None:
            raise NotFoundError(f"Không tìm thấy {self.noun} số {row_id}.")
        return record

    def get_by_uuid(self, uuid: str) -> T | None:
        row = self.db.execute(f"SELECT * FROM [{self.table}] WHERE uuid = ?", [uuid]).fetchone()
        return None if row is None else self._decode_cursor_row(row)

    def list(self, query: Query | None = None, **kwargs) -> list[T]:
        """Records matching ``query`` (or the same fields given as keywords)."""
        query = query or Query(**kwargs)
        sql, params = self._select(f"{self.alias}.*", query, with_order=True)
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [decode_row(self.model, dict(zip(names, row, strict=True))) for row in cursor]

    def rows(self, query: Query | None = None, **kwargs) -> list[dict[str, Any]]:
        """Rows for display: the table's columns plus the subclass's ``display_columns``."""
        query = query or Query(**kwargs)
        what = f"{self.alias}.*" + (f", {self.display_columns}" if self.display_columns else "")
        sql, params = self._select(what, query, with_order=True)
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def count(self, query: Query | None = None, **kwargs) -> int:
        query = query or Query(**kwargs)
        sql, params = self._select("COUNT(*)", query, with_order=False)
        return self.db.execute(sql, params).fetchone()[0]

    def ids(self, query: Query | None = None, **kwargs) -> list[int]:
        query = query or Query(**kwargs)
        sql, params = self._select(f"{self.alias}.id", query, with_order=True)
        return [row[0] for row in self.db.execute(sql, params)]

    # --- writing -----------------------------------------------------------------------

    def add(self, **values: Any) -> T:
        """Insert one record; returns it as stored."""
        with self.ops.run(f"Thêm {self.noun}"):
            row_id = self._insert(self._prepare_new(values))
            return self.get(row_id)

    def add_many(self, rows: Iterable[Mapping[str, Any]], *, audit_rows: bool = True) -> int:
        """Insert many records in one operation; returns how many.

        With ``audit_rows=False`` (bulk generation), one summary audit entry is written
        instead of one per row, the operation is not undoable, and rows may carry
        their own ``id`` (so a generator can link rows without reading them back).
        """
        count = 0
        with self.ops.run(f"Thêm nhiều {self.noun}"):
            if audit_rows:
                for values in rows:
                    self._insert(self._prepare_new(dict(values)))
                    count += 1
            else:
                prepared = (self._prepare_new(dict(values)) for values in rows)
                count = self._bulk_insert(prepared)
                self.ops.log_event("bulk_insert", details={"table": self.table, "rows": count})
        return count

    def update(self, row_id: int, **changes: Any) -> T:
        """Change some fields of one record; returns it as stored."""
        bad = set(changes) & PROTECTED_COLUMNS
        if bad:
            raise ValueError(f"cannot change {sorted(bad)}")
        with self.ops.run(f"Sửa {self.noun}"):
            old = self._raw(row_id)
            if old is None or old["deleted_at"]:
                raise NotFoundError(f"Không tìm thấy {self.noun} số {row_id}.")
            values = encode_row(self._prepare_changes(old, changes))
            self._check_columns(values)
            new = dict(old, **values, updated_at=utc_now())
            if new == dict(old, updated_at=new["updated_at"]):
                return decode_row(self.model, old)
            self._write_row(row_id, new)
            self.ops.record(Change(self.table, row_id, old, new), action="update", uuid=old["uuid"])
            return decode_row(self.model, new)

    def delete(self, row_id: int, *, reason: str | None = None) -> None:
        """Soft-delete: the row stays as a tombstone."""
        with self.ops.run(f"Xóa {self.noun}"):
            old = self._raw(row_id)
            if old is None or old["deleted_at"]:
                raise NotFoundError(f"Không tìm thấy {self.noun} số {row_id}.")
            now = utc_now()
            new = dict(old, deleted_at=now, updated_at=now)
            self._write_row(row_id, new)
            self.ops.record(
                Change(self.table, row_id, old, new),
                action="delete",
                uuid=old["uuid"],
                reason=reason,
            )

    def restore(self, row_id: int) -> T:
        """Bring a tombstone back."""
        with self.ops.run(f"Khôi phục {self.noun}"):
            old = self._raw(row_id)
            if old is None:
                raise NotFoundError(f"Không tìm thấy {self.noun} số {row_id}.")
            if old["deleted_at"] is None:
                return decode_row(self.model, old)
            new = dict(old, deleted_at=None, updated_at=utc_now())
            self._write_row(row_id, new)
            self.ops.record(
                Change(self.table, row_id, old, new), action="restore", uuid=old["uuid"]
            )
            return decode_row(self.model, new)

    # --- hooks for subclasses ----------------------------------------------------------

    def _prepare_new(self, values: dict[str, Any]) -> dict[str, Any]:
        """Fill derived columns of a new row (subclasses extend)."""
        return values

    def _prepare_changes(self, old: Mapping[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        """Fill derived columns of a change (subclasses extend)."""
        return changes

    def _from(self) -> str:
        return f"[{self.table}] {self.alias}"

    def _search_clause(self, text: str) -> tuple[str, list[Any]] | None:
        if not self.search_columns:
            return None
        pattern = like_pattern(text)
        parts = [f"fold({self.alias}.[{c}]) LIKE ? ESCAPE '\\'" for c in self.search_columns]
        return "(" + " OR ".join(parts) + ")", [pattern] * len(parts)

    def _filter_column(self, key: str) -> str:
        if key in self._columns:
            return f"{self.alias}.[{key}]"
        raise ValueError(f"unknown filter {key!r} for {self.table}")

    # --- internals ---------------------------------------------------------------------

    def _select(self, what: str, query: Query, *, with_order: bool) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if not query.include_deleted:
            where.append(f"{self.alias}.deleted_at IS NULL")
        if query.search and query.search.strip():
            clause = self._search_clause(query.search)
            if clause:
                where.append(clause[0])
                params.extend(clause[1])
        for key, value in (query.filters or {}).items():
            if key in self.special_filters:
                where.append(self.special_filters[key])
                params.append(encode_row({"v": value})["v"])
                continue
            column = self._filter_column(key)
            if isinstance(value, Range):
                if value.low is not None:
                    where.append(f"{column} >= ?")
                    params.append(encode_row({"v": value.low})["v"])
                if value.high is not None:
                    where.append(f"{column} <= ?")
                    params.append(encode_row({"v": value.high})["v"])
            elif value is None:
                where.append(f"{column} IS NULL")
            elif isinstance(value, list | tuple | set | frozenset):
                values = [encode_row({"v": v})["v"] for v in value]
                if not values:
                    where.append("0")
                else:
                    where.append(f"{column} IN ({', '.join('?' * len(values))})")
                    params.extend(values)
            else:
                where.append(f"{column} = ?")
                params.append(encode_row({"v": value})["v"])
        sql = f"SELECT {what} FROM {self._from()}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        if with_order:
            order = self.sort_columns.get(query.order_by or "", None) if query.order_by else None
            if query.order_by and order is None:
                if query.order_by in self._columns:
                    order = f"{self.alias}.[{query.order_by}]"
                else:
                    raise ValueError(f"unknown sort {query.order_by!r} for {self.table}")
            order = order or self.default_order
            direction = " DESC" if query.descending else ""
            sql += f" ORDER BY {order}{direction}, {self.alias}.id{direction}"
            if query.limit is not None:
                sql += " LIMIT ? OFFSET ?"
                params.extend([query.limit, query.offset])
        return sql, params

    def _raw(self, row_id: int) -> dict[str, Any] | None:
        cursor = self.db.execute(f"SELECT * FROM [{self.table}] WHERE id = ?", [row_id])
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cursor.description], row, strict=True))

    def _decode_cursor_row(self, row) -> T:
        return decode_row(self.model, dict(zip(self._columns, row, strict=False)))

    def _check_columns(self, values: Mapping[str, Any]) -> None:
        unknown = set(values) - set(self._columns)
        if unknown:
            raise ValueError(f"unknown columns for {self.table}: {sorted(unknown)}")

    def _new_row(self, values: Mapping[str, Any], *, keep_id: bool = False) -> dict[str, Any]:
        encoded = encode_row(values)
        if not keep_id:
            encoded.pop("id", None)
        self._check_columns(encoded)
        now = utc_now()
        encoded.setdefault("uuid", new_uuid())
        encoded.setdefault("created_at", now)
        encoded.setdefault("updated_at", now)
        encoded.setdefault("deleted_at", None)
        return encoded

    def _insert(self, values: Mapping[str, Any]) -> int:
        row = self._new_row(values)
        columns = list(row)
        cursor = self.db.execute(
            f"INSERT INTO [{self.table}] ({', '.join(f'[{c}]' for c in columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})",
            [row[c] for c in columns],
        )
        row_id = cursor.lastrowid
        stored = self._raw(row_id)
        self.ops.record(Change(self.table, row_id, None, stored), action="insert", uuid=row["uuid"])
        return row_id

    def _bulk_insert(self, rows: Iterable[Mapping[str, Any]]) -> int:
        count = 0
        batch: list[dict[str, Any]] = []
        for values in rows:
            batch.append(self._new_row(values, keep_id=True))
            if len(batch) >= 2000:
                count += self._insert_batch(batch)
                batch = []
        if batch:
            count += self._insert_batch(batch)
        return count

    def _insert_batch(self, batch: list[dict[str, Any]]) -> int:
        # Rows are grouped by their set of columns so that omitted columns keep their defaults.
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in batch:
            groups.setdefault(tuple(sorted(row)), []).append(row)
        for columns, rows in groups.items():
            sql = (
                f"INSERT INTO [{self.table}] ({', '.join(f'[{c}]' for c in columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})"
            )
            self.db.conn.executemany(sql, [[row[c] for c in columns] for row in rows])
        return len(batch)

    def _write_row(self, row_id: int, values: Mapping[str, Any]) -> None:
        columns = [c for c in values if c != "id"]
        self.db.execute(
            f"UPDATE [{self.table}] SET {', '.join(f'[{c}] = ?' for c in columns)} WHERE id = ?",
            [values[c] for c in columns] + [row_id],
        )
