"""Received packages kept compactly (issue 18): parts stored as the chapter compressed them.

Migrations here register on the shared set: ``@migrations(name="0009_exchange_...")``.
"""

from __future__ import annotations

from chapter_app.store.database import Database
from chapter_app.store.schema import execute_all, migrations


@migrations(name="0009_exchange_compact")
def exchange_compact(db: Database) -> None:
    """A part's ``content`` is either the bytes themselves (``plain``) or the raw DEFLATE
    stream taken from the package's zip (``deflate``): the upper register grows by the
    packages' own size. Parts received before keep ``plain``."""
    execute_all(
        db,
        [
            "ALTER TABLE received_package_parts ADD COLUMN encoding TEXT NOT NULL "
            "DEFAULT 'plain' CHECK (encoding IN ('plain', 'deflate'))",
        ],
    )
