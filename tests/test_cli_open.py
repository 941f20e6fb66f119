"""One safe open for every command; readers run while the program holds the writer lock;
read-only files are refused before any output is written."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

import pytest

from chapter_app.services.integrity import open_store
from chapter_app.services.setup import init_database
from chapter_app.store.store import Store
from tests.services.test_backups import add_people, corrupt_table
from tests.test_cli import run_cli

READERS = {
    "stats": ["stats", "--period", "2026"],
    "report": ["report", "--period", "2026-Q3", "--out", "{out}/bc.pdf"],
    "list": ["list", "members", "--out", "{out}/ds.pdf"],
    "export": ["export", "members", "--out", "{out}/ds.xlsx"],
    "package": ["package", "--period", "2026-Q3", "--out", "{out}/p.ctdpkg"],
    "check": ["check"],
}


def _args(name: str, db: Path, out: Path) -> list[str]:
    return [a.format(out=out) for a in READERS[name]] + ["--db", str(db)]


@pytest.fixture
def register(tmp_path) -> Path:
    db = tmp_path / "xa.db"
    with init_database(db, chapter_name="Hội CTĐ xã Thử", user="t") as store:
        add_people(store, 50)
        store.branches.add(name="Chi hội Thôn 1")
    return db


def _no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr, result.stderr


@pytest.mark.parametrize("name", sorted(READERS))
def test_mid_file_damage_gives_the_windows_message_in_every_command(register, tmp_path, name):
    corrupt_table(register, "people")
    with pytest.raises(Exception) as caught:
        open_store(register)
    window_message = caught.value.message.split(".")[0]
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli(*_args(name, register, out))
    _no_traceback(result)
    assert result.returncode == 1
    assert window_message in result.stderr
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("name", sorted(READERS))
def test_readers_run_while_the_program_holds_the_writer_lock(register, tmp_path, name):
    out = tmp_path / "out"
    out.mkdir()
    with Store.open(register, user="officer") as window:
        assert window.lock is not None and window.lock.held
        result = run_cli(*_args(name, register, out))
        _no_traceback(result)
        assert result.returncode == 0, result.stderr
        if name in ("export", "list", "package"):
            # the reader's note reached the audit log although it did not hold the lock
            actions = {e.action for e in window.audit_entries(limit=20)}
            assert actions & {"export", "export_list", "list_export", "package"}


def test_a_reader_sees_one_snapshot_not_a_writers_open_transaction(register):
    from chapter_app.cli.core import open_existing

    with Store.open(register, user="officer") as window:
        reader = open_existing(register, reader=True)
        try:
            before = reader.people.count()
            with window.operation("Thêm người"):
                window.people.add(full_name="Người Mới")
            assert reader.people.count() == before  # the snapshot taken when it opened
        finally:
            reader.close()
        with open_existing(register, reader=True) as later:
            assert later.people.count() == before + 1


@contextlib.contextmanager
def read_only_folder(folder: Path):
    """Make ``folder`` and its files unwritable even for root (ext4 immutable flag)."""
    paths = [*folder.iterdir(), folder]
    subprocess.run(["chattr", "+i", *map(str, paths)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=True)


@pytest.fixture
def locked_register(tmp_path) -> Path:
    folder = tmp_path / "cd"
    folder.mkdir()
    db = folder / "xa.db"
    with init_database(db, chapter_name="Hội CTĐ xã Thử", user="t") as store:
        add_people(store, 20)
    return db


@pytest.mark.parametrize("name", ["export", "list", "package"])
def test_commands_that_note_in_the_audit_log_refuse_a_read_only_file_before_writing(
    locked_register, tmp_path, name
):
    out = tmp_path / "out"
    out.mkdir()
    with read_only_folder(locked_register.parent):
        result = run_cli(*_args(name, locked_register, out))
    _no_traceback(result)
    assert result.returncode == 1
    assert "chỉ cho đọc" in result.stderr
    assert list(out.iterdir()) == []


def test_read_only_files_can_still_be_read_and_backed_up(locked_register, tmp_path):
    out = tmp_path / "backups"
    with read_only_folder(locked_register.parent):
        stats = run_cli("stats", "--db", str(locked_register), "--period", "2026")
        check = run_cli("check", "--db", str(locked_register))
        backup = run_cli("backup", "--db", str(locked_register), "--out", str(out))
    for result in (stats, check, backup):
        _no_traceback(result)
        assert result.returncode == 0, result.stderr
    assert len(list(out.glob("*.db"))) == 1


def test_read_only_option_is_accepted_by_every_reading_command(register, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("stats", "report", "list", "export", "package", "check"):
        result = run_cli(*_args(name, register, out), "--read-only")
        assert result.returncode == 0, result.stderr
    backup = run_cli("backup", "--db", str(register), "--out", str(out), "--read-only")
    assert backup.returncode == 0, backup.stderr


def test_a_reader_upgrades_a_file_of_an_older_version_once(register):
    import sqlite3

    conn = sqlite3.connect(register)
    conn.execute("ALTER TABLE received_package_parts DROP COLUMN encoding")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0009_exchange_compact'")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    result = run_cli("stats", "--db", str(register), "--period", "2026")
    _no_traceback(result)
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(register)
    names = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
    conn.close()
    assert "0009_exchange_compact" in names
    assert list((register.parent / "backups").glob("*-migrate.db"))  # backed up first


@pytest.mark.parametrize(
    "args",
    [
        ["list", "members", "--out", "{db}"],
        ["report", "--period", "2026", "--out", "{db}"],
        ["report", "--period", "2026", "--out", "{tmp}/bc.pdf", "--json", "{db}-wal"],
        ["export", "members", "--out", "{db}.lock"],
        ["package", "--period", "2026-Q3", "--out", "{tmp}/link.ctdpkg"],
        ["stats", "--period", "2026", "--json"],  # a flag, not a file: runs
    ],
    ids=["list", "report", "report-json-wal", "export-lock", "package-symlink", "stats-flag"],
)
def test_no_command_writes_its_output_over_the_register(register, tmp_path, args):
    (tmp_path / "link.ctdpkg").symlink_to(register)
    before = register.read_bytes()
    result = run_cli(*[a.format(db=register, tmp=tmp_path) for a in args], "--db", str(register))
    _no_traceback(result)
    if args[0] == "stats":
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode == 1
    assert "chính là tệp dữ liệu" in result.stderr
    assert register.read_bytes() == before
    with Store.open(register, read_only=True) as store:
        assert store.people.count() == 50
