"""Tables for import mappings, exchange packages and consolidation (issue 5).

Migrations here register on the shared set: ``@migrations(name="00NN_exchange_...")``.
"""

from __future__ import annotations

from chapter_app.store.database import Database
from chapter_app.store.schema import COMMON, execute_all, migrations


@migrations(name="0003_exchange_packages")
def exchange_packages(db: Database) -> None:
    """Saved column mappings of imports, and the packages an upper level received.

    A received package is kept whole (its manifest, its figures and every part, byte for
    byte) and never changed, except that a newer package of the same chapter and period
    marks it ``replaced_by``. Packages are told apart by the SHA-256 of their manifest,
    which names the SHA-256 of every part: the same package received twice is one row.
    """
    execute_all(
        db,
        [
            """CREATE TABLE import_mappings (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('members', 'volunteers', 'addresses', 'aid')),
                name TEXT NOT NULL,
                mapping TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (kind, name)
            )""",
            """CREATE TABLE received_packages (
                id INTEGER PRIMARY KEY,
                content_sha256 TEXT NOT NULL UNIQUE CHECK (length(content_sha256) = 64),
                chapter_uuid TEXT NOT NULL,
                chapter_name TEXT NOT NULL,
                parent_name TEXT,
                period_code TEXT NOT NULL,
                period_start TEXT NOT NULL,
                period_end TEXT NOT NULL,
                created_at TEXT NOT NULL,
                program_version TEXT,
                format_version INTEGER NOT NULL,
                manifest TEXT NOT NULL,
                stats TEXT NOT NULL,
                has_report INTEGER NOT NULL DEFAULT 0,
                has_records INTEGER NOT NULL DEFAULT 0,
                file_name TEXT,
                received_at TEXT NOT NULL,
                received_by TEXT,
                replaced_by INTEGER REFERENCES received_packages(id),
                replaced_at TEXT
            )""",
            "CREATE INDEX idx_received_packages_chapter_period "
            "ON received_packages(chapter_uuid, period_code)",
            "CREATE INDEX idx_received_packages_period ON received_packages(period_code)",
            """CREATE TABLE received_package_parts (
                id INTEGER PRIMARY KEY,
                package_id INTEGER NOT NULL REFERENCES received_packages(id),
                name TEXT NOT NULL,
                sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                size INTEGER NOT NULL,
                content BLOB NOT NULL,
                UNIQUE (package_id, name)
            )""",
        ],
    )


@migrations(name="0004_exchange_affiliates")
def exchange_affiliates(db: Database) -> None:
    """The chapters an upper level expects packages from (Hội cơ sở trực thuộc).

    Every chapter that already sent a package is listed, under its newest name.
    """
    from uuid import uuid4  # the migration only: not imported to open a register

    execute_all(
        db,
        [
            f"""CREATE TABLE affiliates ({COMMON},
                name TEXT NOT NULL,
                chapter_uuid TEXT UNIQUE,
                notes TEXT
            )""",
        ],
    )
    senders = db.execute(
        "SELECT chapter_uuid, chapter_name, received_at FROM received_packages "
        "WHERE id IN (SELECT MAX(id) FROM received_packages GROUP BY chapter_uuid)"
    ).fetchall()
    db.conn.executemany(
        "INSERT INTO affiliates (uuid, created_at, updated_at, name, chapter_uuid) "
        "VALUES (?, ?, ?, ?, ?)",
        [(str(uuid4()), at, at, name, sender) for sender, name, at in senders],
    )
