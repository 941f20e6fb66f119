"""Failed password attempts, kept in the register so that a restart does not reset the
delay (issue 18).

Migrations here register on the shared set: ``@migrations(name="0008_safety_...")``.
"""

from __future__ import annotations

from chapter_app.store.database import Database
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


# --- the queries the password throttle needs ----------------------------------------------------

RECORD_FAILURE_SQL = (
    "INSERT INTO password_throttle (name, failures, last_failure_at) VALUES (?, 1, ?) "
    "ON CONFLICT(name) DO UPDATE SET failures = failures + 1, "
    "last_failure_at = excluded.last_failure_at"
)
RESET_SQL = "DELETE FROM password_throttle WHERE name = ?"


def throttle_state(db: Database, name: str) -> tuple[int, str | None]:
    """``(failures in a row, time of the last one)`` for the password ``name``."""
    row = db.execute(
        "SELECT failures, last_failure_at FROM password_throttle WHERE name = ?", [name]
    ).fetchone()
    return (0, None) if row is None else (int(row[0]), row[1])
