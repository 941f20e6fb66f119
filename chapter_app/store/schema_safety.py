"""Tables for locks, backups and personal-data protection (issue 6), and the store-side
queries those features need (SQL stays in the store layer).

Migrations here register on the shared set: ``@migrations(name="00NN_safety_...")``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from chapter_app.domain.fields import SENSITIVE_PERSON_FIELDS
from chapter_app.store.database import Database
from chapter_app.store.operations import Operations, audit_row_filter
from chapter_app.store.schema import execute_all, migrations

# Personal data by kind (Law 91/2025, Decree 356/2025), written into the schema itself
# (table ``personal_columns``) so that every export and package can ask which columns
# need care: "sensitive" columns are left out unless chosen, "id_number" is masked.
PERSONAL_COLUMNS: dict[tuple[str, str], str] = {
    **{
        ("people", c): "basic"
        for c in (
            "family_name",
            "middle_name",
            "given_name",
            "full_name",
            "sex",
            "birth_date",
            "birth_year",
            "phone",
            "address",
            "old_address",
            "notes",
        )
    },
    ("people", "id_number"): "id_number",
    **{("people", c): "sensitive" for c in SENSITIVE_PERSON_FIELDS},
    ("addresses", "circumstances"): "sensitive",
    ("addresses", "needs"): "sensitive",
    ("sponsors", "phone"): "basic",
    ("sponsors", "email"): "basic",
    ("sponsors", "address"): "basic",
}


@migrations(name="0002_safety_backup_log")
def backup_log(db: Database) -> None:
    """Backups made (to know whether anything changed since the last one) and the
    personal-data columns of the schema."""
    execute_all(
        db,
        [
            """CREATE TABLE backup_log (
                id INTEGER PRIMARY KEY,
                made_at TEXT NOT NULL,
                path TEXT NOT NULL,
                reason TEXT NOT NULL,
                audit_id INTEGER NOT NULL
            )""",
            """CREATE TABLE personal_columns (
                table_name TEXT NOT NULL,
                column_name TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('basic', 'id_number', 'sensitive')),
                PRIMARY KEY (table_name, column_name)
            )""",
        ],
    )
    for (table, column), kind in PERSONAL_COLUMNS.items():
        db.execute(
            "INSERT INTO personal_columns (table_name, column_name, kind) VALUES (?, ?, ?)",
            [table, column, kind],
        )


# --- the schema's personal-data marks ------------------------------------------------------


def personal_columns(db: Database, *, kind: str | None = None) -> dict[tuple[str, str], str]:
    """``{(table, column): kind}`` as the database records it (optionally one kind only)."""
    sql = "SELECT table_name, column_name, kind FROM personal_columns"
    params: list[Any] = []
    if kind is not None:
        sql += " WHERE kind = ?"
        params.append(kind)
    return {(t, c): k for t, c, k in db.execute(sql, params)}


# --- the program's own consistency checks --------------------------------------------------

ROLE_TABLES = ("members", "volunteers", "youth")


def orphan_roles(db: Database) -> list[tuple[str, int, int]]:
    """``(table, role id, person id)`` of live roles whose person is deleted or missing."""
    found = []
    for table in ROLE_TABLES:
        found += [
            (table, row[0], row[1])
            for row in db.execute(
                f"SELECT t.id, t.person_id FROM [{table}] t LEFT JOIN people p "
                "ON p.id = t.person_id WHERE t.deleted_at IS NULL "
                "AND (p.id IS NULL OR p.deleted_at IS NOT NULL) ORDER BY t.id"
            )
        ]
    return found


def addresses_with_only_expired_commitments(db: Database, today: str) -> list[tuple]:
    """``(address id, name, last end date)`` of addresses still followed whose every
    commitment has ended before ``today`` (so they no longer have a sponsor)."""
    return [
        tuple(row)
        for row in db.execute(
            """SELECT a.id, a.name, MAX(c.end_on) FROM addresses a
               JOIN commitments c ON c.address_id = a.id AND c.deleted_at IS NULL
               WHERE a.deleted_at IS NULL AND a.status = 'following'
               GROUP BY a.id
               HAVING SUM(CASE WHEN c.start_on <= ? AND (c.end_on IS NULL OR c.end_on >= ?)
                          THEN 1 ELSE 0 END) = 0
                  AND SUM(CASE WHEN c.end_on IS NULL OR c.end_on >= ? THEN 1 ELSE 0 END) = 0
               ORDER BY a.id""",
            [today, today, today],
        )
    ]


def aid_without_recipient(db: Database) -> list[tuple[int, str, str]]:
    """``(aid id, recipient kind, date)`` of live aid records whose recipient is missing:
    no (or a deleted) address or person, or a group without a head count."""
    return [
        tuple(row)
        for row in db.execute(
            """SELECT t.id, t.recipient_kind, t.given_on FROM aid_records t
               LEFT JOIN addresses a ON a.id = t.address_id
               LEFT JOIN people p ON p.id = t.person_id
               WHERE t.deleted_at IS NULL AND (
                 (t.recipient_kind = 'address' AND (a.id IS NULL OR a.deleted_at IS NOT NULL))
                 OR (t.recipient_kind = 'person' AND (p.id IS NULL OR p.deleted_at IS NOT NULL))
                 OR (t.recipient_kind = 'group' AND COALESCE(t.head_count, 0) = 0)
               ) ORDER BY t.id"""
        )
    ]


def people_with_id_numbers(db: Database) -> Iterator[tuple[int, str, str, str | None, Any]]:
    """``(id, full name, id number, sex, birth year)`` of live people with an ID number."""
    yield from db.execute(
        "SELECT id, full_name, id_number, sex, birth_year FROM people "
        "WHERE deleted_at IS NULL AND id_number IS NOT NULL AND id_number != '' ORDER BY id"
    )


# --- consent ----------------------------------------------------------------------------


def people_hidden_from_sponsors(db: Database) -> set[int]:
    """Ids of people who have not consented (or withdrew consent) to sponsor matching:
    a consent was recorded for them, and its scope does not include ``sponsor``."""
    return {
        row[0]
        for row in db.execute(
            "SELECT id FROM people WHERE consent_scope IS NOT NULL "
            "AND instr(' ' || consent_scope || ' ', ' sponsor ') = 0"
        )
    }


def people_without_recorded_consent(db: Database) -> set[int]:
    return {
        row[0]
        for row in db.execute(
            "SELECT id FROM people WHERE deleted_at IS NULL AND consent_scope IS NULL"
        )
    }


# --- erasing personal data -------------------------------------------------------------


def audit_op_ids_for_row(db: Database, table: str, row_id: int) -> set[str]:
    [clause], params = audit_row_filter(table, row_id)
    cursor = db.execute(f"SELECT DISTINCT op_id FROM audit_log WHERE {clause}", params)
    return {row[0] for row in cursor}


def scrub_audit_values(
    db: Database, *, table: str, row_id: int, fields: Iterable[str], placeholder: Any
) -> int:
    """Overwrite ``fields`` in the old/new values of every audit entry of one row;
    returns how many entries changed. (Used when a person's data is erased.)"""
    fields = set(fields)
    changed = 0
    rows = db.execute(
        "SELECT id, old_values, new_values FROM audit_log WHERE table_name = ? AND row_id = ?",
        [table, row_id],
    ).fetchall()
    for audit_id, old_text, new_text in rows:
        values = []
        for text in (old_text, new_text):
            data = json.loads(text) if text else None
            if isinstance(data, dict):
                for key in fields & set(data):
                    if data[key] is not None:
                        data[key] = placeholder
            values.append(
                None if data is None else json.dumps(data, ensure_ascii=False, sort_keys=True)
            )
        if values != [old_text, new_text]:
            db.execute(
                "UPDATE audit_log SET old_values = ?, new_values = ? WHERE id = ?",
                [*values, audit_id],
            )
            changed += 1
    return changed


def scrub_audit_text(db: Database, *, op_ids: Iterable[str], text: str, replacement: str) -> int:
    """Replace ``text`` in the labels and reasons of the audit entries of ``op_ids``."""
    if not text:
        return 0
    changed = 0
    for op_id in set(op_ids):
        cursor = db.execute(
            "UPDATE audit_log SET op_label = replace(op_label, ?, ?), "
            "reason = replace(reason, ?, ?) WHERE op_id = ? "
            "AND (instr(op_label, ?) > 0 OR instr(COALESCE(reason, ''), ?) > 0)",
            [text, replacement, text, replacement, op_id, text, text],
        )
        changed += cursor.rowcount
    return changed


def forget_undo_history(ops: Operations) -> None:
    """Drop the in-memory undo and redo steps (they hold rows as they were)."""
    ops._undo.clear()
    ops._redo.clear()


def purge_search_index(db: Database) -> None:
    """Rewrite the people search index so that removed entries leave no trace in it
    (FTS5 keeps deleted tokens in older segments until they are merged)."""
    db.execute("INSERT INTO people_fts(people_fts) VALUES ('optimize')")


def set_secure_delete(db: Database, on: bool) -> None:
    """Zero freed space in the file while personal data is erased."""
    db.execute(f"PRAGMA secure_delete = {1 if on else 0}")


def checkpoint(db: Database) -> None:
    """Move the write-ahead log into the file and empty it (old page images go)."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


# --- settings whose value must not appear in the audit log -----------------------------------


def write_setting_quietly(db: Database, key: str, value: Any, *, updated_at: str) -> None:
    """Write one setting without auditing its value (the program password's hash);
    the caller records an event saying that it changed."""
    if value is None:
        db.execute("DELETE FROM settings WHERE key = ?", [key])
        return
    db.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        [key, json.dumps(value, ensure_ascii=False), updated_at],
    )


# --- the audit log viewer -----------------------------------------------------------------


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def audit_query(
    db: Database,
    *,
    user: str | None = None,
    actions: Iterable[str] | None = None,
    table: str | None = None,
    row_id: int | None = None,
    since: str | None = None,
    before: str | None = None,
    text: str | None = None,
    limit: int | None = 200,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Audit entries, newest first, and how many match in all. ``since``/``before`` are
    ISO instants (UTC) compared with ``at``; ``text`` is found anywhere in the label,
    the reason or the changed values."""
    where: list[str] = []
    params: list[Any] = []
    if user:
        where.append("user = ?")
        params.append(user)
    if actions is not None:
        wanted = list(actions)
        if not wanted:
            return [], 0
        where.append(f"action IN ({', '.join('?' * len(wanted))})")
        params.extend(wanted)
    found, found_params = audit_row_filter(table, row_id)  # a row's runs of rows too
    where += found
    params += found_params
    if since:
        where.append("at >= ?")
        params.append(since)
    if before:
        where.append("at < ?")
        params.append(before)
    if text and text.strip():
        pattern = _like(text.strip())
        where.append(
            "(op_label LIKE ? ESCAPE '\\' OR COALESCE(reason, '') LIKE ? ESCAPE '\\' "
            "OR COALESCE(old_values, '') LIKE ? ESCAPE '\\' "
            "OR COALESCE(new_values, '') LIKE ? ESCAPE '\\')"
        )
        params.extend([pattern] * 4)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = db.execute(f"SELECT COUNT(*) FROM audit_log{clause}", params).fetchone()[0]
    sql = f"SELECT * FROM audit_log{clause} ORDER BY id DESC"
    page: list[Any] = []
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        page = [limit, offset]
    cursor = db.execute(sql, [*params, *page])
    names = [d[0] for d in cursor.description]
    rows = []
    for row in cursor:
        values = dict(zip(names, row, strict=True))
        for key in ("old_values", "new_values"):
            values[key] = json.loads(values[key]) if values[key] else None
        rows.append(values)
    return rows, total


def audit_users_and_actions(db: Database) -> tuple[list[str], list[str]]:
    """The users and the actions found in the audit log (for the viewer's filters)."""
    users = [r[0] for r in db.execute("SELECT DISTINCT user FROM audit_log ORDER BY user")]
    actions = [r[0] for r in db.execute("SELECT DISTINCT action FROM audit_log ORDER BY action")]
    return users, actions


# --- "is the file sound?" and data-quality advice (issue 18) ------------------------------------


def audit_sequence_gaps(db: Database) -> list[tuple[int, int]]:
    """``(after id, next id)`` where audit entries are missing (entries are never deleted)."""
    return [
        tuple(row)
        for row in db.execute(
            "SELECT id, next_id FROM (SELECT id, LEAD(id) OVER (ORDER BY id) AS next_id "
            "FROM audit_log) WHERE next_id IS NOT NULL AND next_id != id + 1 LIMIT 20"
        )
    ]


def members_without_branch(db: Database) -> list[tuple[int, str]]:
    """``(member id, full name)`` of live members of no (live) chi hội."""
    return [
        tuple(row)
        for row in db.execute(
            "SELECT m.id, p.full_name FROM members m JOIN people p ON p.id = m.person_id "
            "LEFT JOIN branches b ON b.id = m.branch_id AND b.deleted_at IS NULL "
            "WHERE m.deleted_at IS NULL AND p.deleted_at IS NULL AND b.id IS NULL "
            "AND m.status NOT IN ('left', 'removed', 'died', 'moved_out') ORDER BY m.id"
        )
    ]


def likely_duplicate_people(db: Database) -> list[tuple[str, int | None, str]]:
    """``(full name, birth year, ids)`` of live people sharing a folded name and birth year."""
    return [
        tuple(row)
        for row in db.execute(
            "SELECT MIN(full_name), birth_year, GROUP_CONCAT(id) FROM people "
            "WHERE deleted_at IS NULL AND search_fold IS NOT NULL AND search_fold != '' "
            "GROUP BY search_fold, birth_year HAVING COUNT(*) > 1 ORDER BY MIN(id)"
        )
    ]
