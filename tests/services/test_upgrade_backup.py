"""The backup taken before an older register is upgraded is locked with the program
password when its automatic backups are: without the password the file is not touched."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from chapter_app.cli import main
from chapter_app.domain.password import hash_password
from chapter_app.errors import WrongPasswordError
from chapter_app.services.backups import is_protected_file, restore_backup
from chapter_app.services.integrity import open_store
from chapter_app.services.protect import decrypt_file
from chapter_app.store.connection import applied_migrations
from chapter_app.store.store import Store, UpgradeNeedsPasswordError

FIXTURE = Path(__file__).parent.parent / "store" / "fixtures" / "register-0.1.0.db.gz"
PASSWORD = "mật-khẩu-2026"


def _old_register(tmp_path: Path, *, password: str | None, encrypt: bool = True) -> Path:
    """The 0.1.0 register of the fixtures, with a program password set as 0.1.0 kept it."""
    path = tmp_path / "xa.db"
    with gzip.open(FIXTURE) as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    conn = sqlite3.connect(path)
    with conn:
        settings = {"backup_encrypt": encrypt}
        if password is not None:
            settings["password_hash"] = hash_password(password)
        for key, value in settings.items():
            conn.execute(
                "INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES (?, ?, ?)",
                [key, json.dumps(value), "2026-01-05T08:00:00Z"],
            )
    conn.close()
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _backups(path: Path) -> list[Path]:
    folder = path.parent / "backups"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_locked_register_is_not_upgraded_without_its_password(tmp_path):
    path = _old_register(tmp_path, password=PASSWORD)
    before = _digest(path)
    with pytest.raises(UpgradeNeedsPasswordError, match="mật khẩu chương trình"):
        open_store(path)
    with pytest.raises(WrongPasswordError, match="không đúng"):
        open_store(path, password="sai-mat-khau-1")
    assert _digest(path) == before
    assert [p for p in _backups(path) if not p.name.endswith(".partial")] == []
    assert not list(path.parent.glob("*.lock"))  # the writer lock was let go


def test_the_backup_before_the_upgrade_is_locked_and_restore_asks_for_the_password(tmp_path):
    path = _old_register(tmp_path, password=PASSWORD)
    with open_store(path, password=PASSWORD) as store:
        assert store.session_password == PASSWORD
        assert "0008_safety_throttle" in applied_migrations(store.db)
        people = store.people.count()
    (backup,) = _backups(path)
    assert backup.name.endswith("-migrate.ctdbak") and is_protected_file(backup)
    assert b"SQLite format 3" not in backup.read_bytes()[:4096]
    with pytest.raises(WrongPasswordError):
        restore_backup(path, backup)
    with pytest.raises(WrongPasswordError):
        restore_backup(path, backup, password="sai-mat-khau-1")
    plain = tmp_path / "opened.db"
    decrypt_file(backup, plain, PASSWORD)
    conn = sqlite3.connect(plain)
    kept = {row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations")}
    conn.close()
    assert "0008_safety_throttle" not in kept  # the register as it was before the upgrade
    restore_backup(path, backup, password=PASSWORD, lock_with=PASSWORD)
    with open_store(path) as store:  # upgraded again as it was restored
        assert store.people.count() == people
        assert store.audit_entries(action="restore_backup")


@pytest.mark.parametrize("password,encrypt", [(None, True), (PASSWORD, False)])
def test_a_register_whose_backups_are_plain_keeps_a_plain_copy(tmp_path, password, encrypt):
    path = _old_register(tmp_path, password=password, encrypt=encrypt)
    Store.open(path).close()
    (backup,) = _backups(path)
    assert backup.name.endswith("-migrate.db") and not is_protected_file(backup)


def test_the_command_line_upgrades_a_locked_register_with_the_password_file(tmp_path, capsys):
    path = _old_register(tmp_path, password=PASSWORD)
    before = _digest(path)
    assert main(["stats", "--db", str(path), "--period", "2026-Q3"]) == 1
    assert "--program-password-file" in capsys.readouterr().err
    assert _digest(path) == before
    secret = tmp_path / "pw.txt"
    secret.write_text("sai-mat-khau-1\n", encoding="utf-8")
    args = ["check", "--db", str(path), "--repair", "--program-password-file", str(secret)]
    assert main(args) == 1
    assert "không đúng" in capsys.readouterr().err and _digest(path) == before
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    assert main(args) == 0, capsys.readouterr().err
    (backup,) = _backups(path)[:1]
    assert backup.name.endswith("-migrate.ctdbak") and is_protected_file(backup)
    assert not [p for p in _backups(path) if p.suffix == ".db"]
