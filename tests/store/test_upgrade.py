"""A register written by version 0.1.0 opens in this version: every migration it lacks runs,
its records stay, and it ends with the same schema as a register made today."""

from __future__ import annotations

import gzip
import shutil
from datetime import date
from pathlib import Path

from chapter_app.services import organisation as org
from chapter_app.services.indicators import compute
from chapter_app.services.integrity import damage, run_full_check
from chapter_app.store.repository import Query
from chapter_app.store.schema import migration_names
from chapter_app.store.store import Store

FIXTURE = Path(__file__).parent / "fixtures" / "register-0.1.0.db.gz"
OLD_MIGRATIONS = {
    "0001_initial",
    "0002_reports_issued",
    "0002_safety_backup_log",
    "0003_exchange_packages",
    "0004_exchange_affiliates",
}


def _old_register(tmp_path: Path) -> Path:
    path = tmp_path / "register-0.1.0.db"
    with gzip.open(FIXTURE) as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def _applied(store: Store) -> set[str]:
    return {row[0] for row in store.db.execute("SELECT name FROM _sqlite_migrations")}


def _schema(store: Store) -> dict[str, list[tuple]]:
    """Every table's columns (name, type, not null, default, primary key) and every index."""
    names = [
        row[0]
        for row in store.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%_fts_%' AND name != '_sqlite_migrations'"
        )
    ]
    schema = {
        name: [tuple(col[1:]) for col in store.db.execute(f"PRAGMA table_info([{name}])")]
        for name in names
    }
    schema["indexes"] = sorted(
        store.db.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        ).fetchall()
    )
    return schema


def test_the_fixture_is_a_register_of_version_0_1_0(tmp_path):
    import sqlite3

    conn = sqlite3.connect(_old_register(tmp_path))
    names = {row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations")}
    conn.close()
    assert names == OLD_MIGRATIONS


def test_a_0_1_0_register_gets_every_new_migration_and_the_schema_of_a_new_one(tmp_path):
    with Store.open(_old_register(tmp_path), user="tester") as old:
        applied = _applied(old)
        upgraded = _schema(old)
    with Store.open(tmp_path / "new.db", user="tester") as new:
        fresh = _schema(new)
    assert applied == set(migration_names())
    assert upgraded == fresh


def test_a_0_1_0_register_keeps_its_records_and_takes_the_new_features(tmp_path):
    with Store.open(_old_register(tmp_path), user="tester") as store:
        assert store.members.count(Query()) == 3
        assert [c.amount for c in store.commitments.list()] == [500_000]
        figures = compute(store, date(2026, 1, 1), date(2026, 3, 31))
        assert figures["members.total_end"] == 3
        branch = org.find_branch(store, "chi hoi thon an vinh")
        assert branch is not None
        org.add_branch(store, name="Chi hội Trường THCS Tịnh Kỳ", kind="school")
        assert damage(run_full_check(store, today=date(2026, 12, 5))) == []
