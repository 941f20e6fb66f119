"""Received packages' parts may be kept re-encoded at zstd level 1 (issue 18).

Migrations here register on the shared set: ``@migrations(name="0010_exchange_...")``.
"""

from __future__ import annotations

from chapter_app.store.database import Database
from chapter_app.store.schema import execute_all, migrations

_OLD_CHECK = "CHECK (encoding IN ('plain', 'deflate'))"
_NEW_CHECK = "CHECK (encoding IN ('plain', 'deflate', 'zstd'))"


@migrations(name="0010_exchange_zstd")
def exchange_zstd(db: Database) -> None:
    """``received_package_parts.encoding`` also allows ``zstd`` (``store.part_codec``);
    parts kept before stay as they were. An older program refuses the file as newer
    instead of failing on a zstd part.

    A CHECK that only lets more values through changes nothing on disk: the table's
    definition is edited in place, as SQLite documents for loosening a constraint
    (lang_altertable.html, "other kinds of table schema changes"), in the migration's
    transaction. Copying the table instead took 16 s and left the file twice its size
    for 400 MB of parts. A definition not written by migration 0009 is copied."""
    row = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'received_package_parts'"
    ).fetchone()
    if row is not None and row[0].count(_OLD_CHECK) == 1:
        version = db.execute("PRAGMA schema_version").fetchone()[0]
        db.execute("PRAGMA writable_schema = ON")
        try:
            db.execute(
                "UPDATE sqlite_master SET sql = ? "
                "WHERE type = 'table' AND name = 'received_package_parts'",
                [row[0].replace(_OLD_CHECK, _NEW_CHECK)],
            )
            db.execute(f"PRAGMA schema_version = {int(version) + 1}")
        finally:
            db.execute("PRAGMA writable_schema = OFF")
        return
    _copy_table(db)


def _copy_table(db: Database) -> None:
    """The table made again with the wider CHECK, its rows copied by SQLite one at a
    time (``INSERT ... SELECT``, never all in memory)."""
    execute_all(
        db,
        [
            """CREATE TABLE received_package_parts_new (
                id INTEGER PRIMARY KEY,
                package_id INTEGER NOT NULL REFERENCES received_packages(id),
                name TEXT NOT NULL,
                sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                size INTEGER NOT NULL,
                content BLOB NOT NULL,
                encoding TEXT NOT NULL DEFAULT 'plain' """
            + _NEW_CHECK
            + """,
                UNIQUE (package_id, name)
            )""",
            "INSERT INTO received_package_parts_new "
            "(id, package_id, name, sha256, size, content, encoding) "
            "SELECT id, package_id, name, sha256, size, content, encoding "
            "FROM received_package_parts ORDER BY id",
            "DROP TABLE received_package_parts",
            "ALTER TABLE received_package_parts_new RENAME TO received_package_parts",
        ],
    )
