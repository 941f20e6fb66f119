"""Named migrations, recorded in the ``_sqlite_migrations`` table of sqlite-utils 4.

The list and the question "which are pending" need only SQL, so opening an up-to-date
register does not import ``sqlite_utils``; applying migrations (a new or older file)
hands the list to ``sqlite_utils.Migrations``, which writes the same table as always.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chapter_app.store.database import Database


@dataclass(frozen=True)
class Migration:
    name: str
    fn: Callable[[Database], None]
    transactional: bool = True


class Migrations:
    """An ordered set of migrations: ``@migrations(name="0001_…")`` registers one."""

    migrations_table = "_sqlite_migrations"

    def __init__(self, name: str):
        self.name = name
        self._migrations: list[Migration] = []

    def __call__(self, *, name: str | None = None, transactional: bool = True):
        def inner(fn):
            migration_name = name or fn.__name__
            if migration_name in self.names():
                raise ValueError(f"Migration {migration_name!r} is already registered")
            self._migrations.append(Migration(migration_name, fn, transactional))
            return fn

        return inner

    def names(self) -> list[str]:
        return [m.name for m in self._migrations]

    def applied(self, db: Database) -> list[str]:
        """Names of the migrations of this set recorded in ``db``, in the order applied."""
        if not db.table_exists(self.migrations_table):
            return []
        rows = db.execute(
            f"SELECT name FROM [{self.migrations_table}] WHERE migration_set = ? ORDER BY rowid",
            [self.name],
        )
        return [row[0] for row in rows]

    def pending(self, db: Database) -> list[str]:
        done = set(self.applied(db))
        return [m.name for m in self._migrations if m.name not in done]

    def apply(self, db: Database) -> None:
        """Run the pending migrations, each in a transaction with its record (sqlite-utils)."""
        from sqlite_utils import Migrations as Runner

        runner = Runner(self.name)
        for migration in self._migrations:
            runner(name=migration.name, transactional=migration.transactional)(migration.fn)
        runner.apply(db.full())
