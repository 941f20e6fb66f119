"""The program password everywhere: throttled tries that survive a restart, automatic
backups locked with it, commands revealing personal data asking for it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chapter_app.cli import main
from chapter_app.errors import AppError, WrongPasswordError
from chapter_app.services import program_password as pp
from chapter_app.services.backups import (
    REASON_AUTO,
    REASON_BEFORE_IMPORT,
    REASON_MANUAL,
    backup_if_changed,
    create_backup,
    is_protected_file,
    list_backups,
    restore_backup,
)
from chapter_app.services.privacy import set_program_password
from chapter_app.services.setup import init_database
from chapter_app.store.store import Store

PASSWORD = "Mật khẩu 2026"
T0 = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "xa.db"
    with init_database(path, chapter_name="Hội CTĐ xã Thử", user="t") as store:
        store.people.add(full_name="Nguyễn Văn An", id_number="051080001234")
        set_program_password(store, PASSWORD)
    return path


def test_delays_grow_after_three_failures_and_are_capped():
    assert [pp.delay_after(n) for n in range(7)] == [0, 0, 0, 5, 10, 20, 40]
    assert pp.delay_after(40) == pp.MAX_DELAY


def test_failed_tries_are_throttled_across_restarts(db):
    with Store.open(db, user="t") as store:
        for n in range(3):
            assert not pp.check_program_password(store, "sai", now=T0 + timedelta(seconds=n))
    with Store.open(db, user="t") as store:  # the program was closed and started again
        with pytest.raises(pp.PasswordThrottledError) as caught:
            pp.check_program_password(store, PASSWORD, now=T0 + timedelta(seconds=3))
        assert 0 < caught.value.seconds <= 5 and "đợi" in caught.value.message
        # once the wait is over, a wrong try doubles the next wait
        assert not pp.check_program_password(store, "sai", now=T0 + timedelta(seconds=8))
        assert pp.wait_left(store, now=T0 + timedelta(seconds=8)) == 10
    with Store.open(db, user="t") as store:
        assert pp.check_program_password(store, PASSWORD, now=T0 + timedelta(seconds=19))
        assert pp.wait_left(store, now=T0 + timedelta(seconds=19)) == 0
        assert store.session_password == PASSWORD


def test_a_reader_counts_its_failures_too(db):
    with Store.open(db, user="t", read_only=True) as reader:
        for _ in range(3):
            assert not pp.check_program_password(reader, "sai", now=T0)
    with Store.open(db, user="t") as store:
        assert pp.wait_left(store, now=T0) == 5


def test_automatic_backups_are_locked_with_the_program_password_and_restore_asks_it(db, tmp_path):
    with Store.open(db, user="t") as store:
        with pytest.raises(AppError, match="chưa nhập mật khẩu"):
            create_backup(store, reason=REASON_BEFORE_IMPORT)  # not typed this session
        assert pp.check_program_password(store, PASSWORD)
        store.people.add(full_name="Trần Thị Bình")
        auto = backup_if_changed(store, reason=REASON_AUTO)
        manual = create_backup(store, reason=REASON_MANUAL)
    assert auto.suffix == ".ctdbak" and is_protected_file(auto)
    assert b"051080001234" not in auto.read_bytes()
    assert manual.suffix == ".db"  # the officer's own choice stays as it was
    listed = {b.path: b for b in list_backups(auto.parent)}
    assert listed[auto].protected
    with Store.open(db, user="t") as store:
        store.people.add(full_name="Lê Văn Sau")
    with pytest.raises(WrongPasswordError):
        restore_backup(db, auto)
    restore_backup(db, auto, password=PASSWORD)
    with Store.open(db, user="t") as store:
        names = sorted(p.full_name for p in store.people.list())
    assert names == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_the_setting_turns_locked_automatic_backups_off(db):
    with Store.open(db, user="t") as store:
        store.settings.set(pp.ENCRYPT_KEY, False)
        backup = create_backup(store, reason=REASON_AUTO)
    assert backup.suffix == ".db"


@pytest.mark.parametrize(
    "command",
    [
        ["export", "people", "--unmasked"],
        ["export", "members", "--with-sensitive"],
        ["list", "members", "--full-ids"],
    ],
)
def test_commands_revealing_personal_data_ask_the_program_password(db, tmp_path, capsys, command):
    kind_out = {"export": "x.xlsx", "list": "x.pdf"}[command[0]]
    out = tmp_path / kind_out
    args = [*command, "--db", str(db), "--out", str(out)]
    assert main(args) == 1
    assert "cần mật khẩu" in capsys.readouterr().err and not out.exists()
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("sai\n", encoding="utf-8")
    assert main([*args, "--program-password-file", str(wrong)]) == 1
    assert "không đúng" in capsys.readouterr().err and not out.exists()
    right = tmp_path / "right.txt"
    right.write_text(PASSWORD + "\n", encoding="utf-8")
    assert main([*args, "--program-password-file", str(right)]) == 0
    assert out.exists()
    with Store.open(db, user="t") as store:
        entry = store.audit_entries(limit=1)[0]
    assert entry.user  # who exported what, how shown
    assert entry.action in ("export", "export_list")
    what = entry.new_values
    if command[0] == "export":
        assert what["kind"] == command[1] and what["file"] == out.name
        assert what["unmasked"] or what["sensitive"]
    else:
        assert what["list"] == command[1] and what["full_ids"] is True
        assert what["destination"].endswith(out.name)


def test_masked_exports_need_no_password(db, tmp_path):
    assert main(["export", "people", "--db", str(db), "--out", str(tmp_path / "x.xlsx")]) == 0


def test_the_state_before_a_restore_is_locked_too(db, tmp_path):
    with Store.open(db, user="t") as store:
        assert pp.check_program_password(store, PASSWORD)
        auto = create_backup(store, reason=REASON_AUTO)
    result = restore_backup(db, auto, password=PASSWORD, lock_with=PASSWORD)
    assert result.safety_copy.suffix == ".ctdbak" and is_protected_file(result.safety_copy)
    assert b"051080001234" not in result.safety_copy.read_bytes()


def test_an_import_locks_its_backup_with_the_program_password(db, tmp_path, capsys):
    with Store.open(db, user="t") as store:
        assert pp.check_program_password(store, PASSWORD)
        store.branches.add(name="Chi hội Thôn 1")
    sheet = tmp_path / "ds.csv"
    sheet.write_text(
        "Họ và tên,Năm sinh,Ngày vào Hội,Chi hội\nLê Văn Mới,1990,01/02/2020,Chi hội Thôn 1\n",
        encoding="utf-8",
    )
    args = ["import", "members", str(sheet), "--db", str(db)]
    assert main(args) == 1  # no password: nothing imported, no plain backup left behind
    assert "cần mật khẩu" in capsys.readouterr().err
    backups = db.parent / "backups"
    assert not list(backups.glob("*before-import*")) if backups.exists() else True
    right = tmp_path / "right.txt"
    right.write_text(PASSWORD + "\n", encoding="utf-8")
    assert main([*args, "--program-password-file", str(right)]) == 0
    (locked,) = backups.glob("*before-import*")
    assert locked.suffix == ".ctdbak" and is_protected_file(locked)
