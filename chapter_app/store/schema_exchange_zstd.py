"""Received packages' parts may be kept re-encoded at zstd level 1 (issue 18).

Migrations here register on the shared set: ``@migrations(name="0010_exchange_...")``.
"""

from __future__ import annotations

from chapter_app.store.database import Database
from chapter_app.store.schema import execute_all, migrations


@migrations(name="0010_exchange_zstd")
def exchange_zstd(db: Database) -> None:
    """``received_package_parts.encoding`` also allows ``zstd`` (``store.part_codec``).
    SQLite cannot change a CHECK in place: the table is made again with the same columns
    and its rows copied by SQLite one at a time (``INSERT ... SELECT``, never all in
    memory); parts kept before stay as they were. An older program refuses the file as
    newer instead of failing on a zstd part."""
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
                encoding TEXT NOT NULL DEFAULT 'plain'
                    CHECK (encoding IN ('plain', 'deflate', 'zstd')),
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
