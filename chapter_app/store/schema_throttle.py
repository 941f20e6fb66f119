"""Failed password attempts, kept in the register so that a restart does not reset the
delay (issue 18).

Migrations here register on the shared set: ``@migrations(name="0008_safety_...")``.
"""

from __future__ import annotations

from sqlite_utils import Database

from chapter_app.store.schema import execute_all, migrations


@migrations(name="0008_safety_throttle")
def safety_throttle(db: Database) -> None:
    """One row per password (``program``): failures in a row and when the last one was."""
    execute_all(
        db,
        [
            """CREATE TABLE password_throttle (
                name TEXT PRIMARY KEY,
                failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
                last_failure_at TEXT
            )""",
        ],
    )
