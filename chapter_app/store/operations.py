"""Operations: one transaction, one audit entry per changed row, one undo step.

Every write in the store happens inside ``Operations.run(label)``. Nested calls
join the outer operation, so a use case that adds a person, a member and a
status event is one transaction, one undo step and one group in the audit log.

An operation remembers each changed row as a :class:`Change` (the row before and
after) with one audit entry per row, except rows inserted in bulk (imports): each run
of them is one :class:`InsertedRows` and one audit entry naming the table and the run
of ids (no copy of the rows: they are in the table, and later changes are audited
with their old values). Undo makes them tombstones again, redo clears that, both
audited the same way, so a 100,000-row import keeps a few ids in memory and a few
entries in the log. :func:`audit_row_filter` finds a row's entries, runs included.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from chapter_app.errors import AppError
from chapter_app.store.codec import utc_now
from chapter_app.store.database import Database

UNDO_DEPTH = 30


def new_uuid() -> str:
    """A random UUID as text (``uuid`` is imported on the first write, not at start-up)."""
    import uuid

    return str(uuid.uuid4())


@dataclass(frozen=True)
class Change:
    """One row before and after an operation (None where it did not exist)."""

    table: str
    row_id: int
    old: dict[str, Any] | None
    new: dict[str, Any] | None


@dataclass(frozen=True)
class InsertedRows:
    """Rows ``first_id`` to ``last_id`` of ``table``, inserted by the operation."""

    table: str
    first_id: int
    last_id: int

    @property
    def count(self) -> int:
        return self.last_id - self.first_id + 1


@dataclass
class Operation:
    label: str
    op_id: str
    changes: list[Change | InsertedRows] = field(default_factory=list)


def _difference(old, new) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """For an update, only the fields that changed; whole rows for an insert."""
    if old is None or new is None:
        return old, new
    keys = [k for k in new if old.get(k) != new.get(k) and k != "updated_at"]
    return {k: old.get(k) for k in keys}, {k: new.get(k) for k in keys}


def _json(values: dict[str, Any] | None) -> str | None:
    return None if values is None else json.dumps(values, ensure_ascii=False, sort_keys=True)


_AUDIT_INSERT = (
    "INSERT INTO audit_log (at, user, op_id, op_label, action, table_name, row_id, "
    "row_uuid, old_values, new_values, reason) "
)


def audit_row_filter(table: str | None, row_id: int | None) -> tuple[list[str], list[Any]]:
    """SQL conditions (and their parameters) keeping the audit entries of a table, or of
    one row: its own and those of the runs of rows inserted in bulk that hold it
    (``row_id`` NULL, the run in ``new_values``), found by two index searches."""
    if row_id is None:
        return (["table_name = ?"], [table]) if table is not None else ([], [])
    where = "table_name = ? AND " if table is not None else "table_name IS NOT NULL AND "
    sql = (
        f"id IN (SELECT id FROM audit_log WHERE {where}row_id = ? UNION ALL "
        f"SELECT id FROM audit_log WHERE {where}row_id IS NULL "
        "AND json_extract(new_values, '$.first_id') <= ? "
        "AND json_extract(new_values, '$.last_id') >= ?)"
    )
    first = [table] if table is not None else []
    return [sql], [*first, row_id, *first, row_id, row_id]


def _run_values(rows: InsertedRows, **more: Any) -> dict[str, Any]:
    return {"first_id": rows.first_id, "last_id": rows.last_id, "rows": rows.count, **more}


class Operations:
    """Runs operations on one database and keeps the last ``UNDO_DEPTH`` for undo/redo."""

    def __init__(self, db: Database, *, user: str):
        self.db = db
        self.user = user
        self._current: Operation | None = None
        self._undo: deque[Operation] = deque(maxlen=UNDO_DEPTH)
        self._redo: list[Operation] = []
        self.listeners: list = []  # called with the finished Operation (UI refresh hooks)
        # A reader (read-only store) notes events through this: a short connection of its
        # own, see ``Store.write_aside``. None for a writer.
        self.aside: Any = None

    @property
    def current(self) -> Operation | None:
        return self._current

    @contextmanager
    def run(self, label: str, *, undoable: bool = True) -> Iterator[Operation]:
        """One all-or-nothing operation; nested calls join the outer one.

        A nested call runs in a savepoint: if it fails, its own writes are undone even
        when the caller catches the error and carries on with the outer operation.
        """
        if self._current is not None:
            outer = self._current
            mark = len(outer.changes)
            try:
                with self.db.atomic():
                    yield outer
            except BaseException:
                del outer.changes[mark:]
                raise
            return
        op = Operation(label=label, op_id=new_uuid())
        self._current = op
        try:
            with self.db.atomic():
                yield op
        finally:
            self._current = None
        if op.changes and undoable:
            self._undo.append(op)
            self._redo.clear()
        for listener in list(self.listeners):
            listener(op)

    def record(self, change: Change, *, action: str, uuid: str | None, reason: str | None = None):
        """Add a change to the open operation and write its audit entry (same transaction)."""
        op = self._require_open()
        op.changes.append(change)
        old_values, new_values = _difference(change.old, change.new)
        self._write_audit(
            op,
            action=action,
            table=change.table,
            row_id=change.row_id,
            uuid=uuid,
            old=old_values,
            new=new_values,
            reason=reason,
        )

    def record_inserted(self, table: str, first_id: int, last_id: int) -> None:
        """Note rows ``first_id``..``last_id`` of ``table``, just inserted, in the open
        operation: one undo change and one audit entry (action "insert") for them all."""
        op = self._require_open()
        rows = InsertedRows(table, first_id, last_id)
        op.changes.append(rows)
        self._write_run_audit(op, rows, action="insert", old=None, new=_run_values(rows))

    def _write_run_audit(self, op: Operation, rows: InsertedRows, *, action, old, new) -> None:
        self._write_audit(
            op,
            action=action,
            table=rows.table,
            row_id=None,
            uuid=None,
            old=old,
            new=new,
            reason=None,
        )

    def log_event(self, action: str, *, details: dict[str, Any] | None = None, reason=None):
        """Record something that changes no row (an export, a backup) in the audit log.

        A reader's store writes the entry aside, in a transaction of its own."""
        if self.aside is not None and self._current is None:
            op = Operation(label=action, op_id=new_uuid())
            values = [utc_now(), self.user, op.op_id, op.label, action]
            self.aside(
                _AUDIT_INSERT + "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [*values, None, None, None, None, _json(details), reason],
            )
            return
        with self.run(action, undoable=False) as op:
            self._write_audit(
                op,
                action=action,
                table=None,
                row_id=None,
                uuid=None,
                old=None,
                new=details,
                reason=reason,
            )

    def _write_audit(self, op: Operation, *, action, table, row_id, uuid, old, new, reason):
        self.db.execute(
            _AUDIT_INSERT + "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                utc_now(),
                self.user,
                op.op_id,
                op.label,
                action,
                table,
                row_id,
                uuid,
                _json(old),
                _json(new),
                reason,
            ],
        )

    def _require_open(self) -> Operation:
        if self._current is None:
            raise RuntimeError("a write happened outside an operation")
        return self._current

    # --- undo / redo -------------------------------------------------------------------

    @property
    def undo_label(self) -> str | None:
        """The label of the operation that ``undo()`` would reverse, or None."""
        return self._undo[-1].label if self._undo else None

    @property
    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    def undo(self) -> str:
        """Reverse the last operation (as a new, audited transaction); returns its label."""
        if not self._undo:
            raise AppError("Không có thao tác nào để hoàn tác.")
        op = self._undo[-1]
        self._apply(op, reverse=True, label=f"Hoàn tác: {op.label}")
        self._undo.pop()
        self._redo.append(op)
        return op.label

    def redo(self) -> str:
        """Apply again the last undone operation; returns its label."""
        if not self._redo:
            raise AppError("Không có thao tác nào để làm lại.")
        op = self._redo[-1]
        self._apply(op, reverse=False, label=f"Làm lại: {op.label}")
        self._redo.pop()
        self._undo.append(op)
        return op.label

    def _apply(self, op: Operation, *, reverse: bool, label: str) -> None:
        changes = list(reversed(op.changes)) if reverse else list(op.changes)
        with self.run(label, undoable=False) as undo_op:
            for change in changes:
                if isinstance(change, InsertedRows):
                    self._apply_inserted(undo_op, change, reverse=reverse)
                    continue
                target = change.old if reverse else change.new
                before = change.new if reverse else change.old
                if target is None:
                    # The row did not exist on that side: it becomes a tombstone again.
                    target = dict(before, deleted_at=before.get("deleted_at") or utc_now())
                self._restore_row(change.table, change.row_id, target)
                old_values, new_values = _difference(before, target)
                self._write_audit(
                    undo_op,
                    action="undo" if reverse else "redo",
                    table=change.table,
                    row_id=change.row_id,
                    uuid=target.get("uuid"),
                    old=old_values,
                    new=new_values,
                    reason=None,
                )

    def _apply_inserted(self, op: Operation, rows: InsertedRows, *, reverse: bool) -> None:
        """Undo: the rows become tombstones (as an undone insert of one row); redo: they
        come back as they were inserted. One audit entry for the run."""
        now = utc_now()
        deleted_at = now if reverse else None
        self.db.conn.execute(
            f"UPDATE [{rows.table}] SET deleted_at = ? WHERE id BETWEEN ? AND ?",
            [deleted_at, rows.first_id, rows.last_id],
        )
        self._write_run_audit(
            op,
            rows,
            action="undo" if reverse else "redo",
            old={"deleted_at": None} if reverse else None,
            new=_run_values(rows, deleted_at=deleted_at),
        )

    def _restore_row(self, table: str, row_id: int, values: dict[str, Any]) -> None:
        # Rows are never hard-deleted, so the row is always there to be rewritten.
        columns = [k for k in values if k != "id"]
        assignments = ", ".join(f"[{c}] = ?" for c in columns)
        self.db.execute(
            f"UPDATE [{table}] SET {assignments} WHERE id = ?",
            [values[c] for c in columns] + [row_id],
        )
