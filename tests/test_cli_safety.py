"""The safety commands as an officer (or a scheduled task) runs them: backup, restore, check."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from chapter_app.cli import main
from chapter_app.services.setup import init_database
from chapter_app.store.backup import inspect_file
from chapter_app.store.store import Store
from tests.services.test_backups import add_people, corrupt_table


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "xa.db"
    with init_database(path, chapter_name="Hội CTĐ xã Thử", user="tester") as store:
        store.people.add(full_name="Nguyễn Văn An")
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_backup_writes_a_checked_copy_and_says_what_it_holds(db, tmp_path, capsys):
    code, out, err = run(capsys, "backup", "--db", db, "--out", tmp_path / "usb")
    assert code == 0, err
    (made,) = (tmp_path / "usb").iterdir()
    assert made.name.startswith("xa-") and made.name.endswith("-manual.db")
    assert f"Đã sao lưu vào {made}" in out
    assert "1 người" in out
    assert inspect_file(made).usable
    with Store.open(db, read_only=True) as store:
        assert [e.action for e in store.audit_entries(action="backup")] == ["backup"]


def test_backup_goes_to_the_settings_folder_by_default(db, tmp_path, capsys):
    with Store.open(db, user="tester") as store:
        store.settings.set("backups_dir", str(tmp_path / "sao lưu"))
    assert run(capsys, "backup", "--db", db)[0] == 0
    assert len(list((tmp_path / "sao lưu").iterdir())) == 1


def test_backup_works_while_the_program_has_the_file_open(db, tmp_path, capsys):
    with Store.open(db, user="cán bộ A"):  # the desktop program holds the writer's lock
        code, _out, err = run(capsys, "backup", "--db", db, "--out", tmp_path / "bk")
    assert code == 0, err
    (made,) = (tmp_path / "bk").iterdir()
    assert inspect_file(made).counts["people"] == 1


def test_backup_of_a_damaged_file_is_refused_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "xa.db"
    with init_database(path, chapter_name="Hội CTĐ xã Thử") as store:
        add_people(store, 300)
    corrupt_table(path)
    code, _out, err = run(capsys, "backup", "--db", path, "--out", tmp_path / "bk")
    assert code == 1
    assert err.startswith("Lỗi: ") and "bị hỏng" in err
    assert not (tmp_path / "bk").exists()


def test_backup_of_a_missing_file_says_so(tmp_path, capsys):
    code, _, err = run(capsys, "backup", "--db", tmp_path / "không có.db")
    assert code == 1 and "Không tìm thấy tệp dữ liệu" in err
    assert not (tmp_path / "không có.db").exists()


def test_restore_round_trip_through_the_command_line(db, tmp_path, capsys):
    assert run(capsys, "backup", "--db", db, "--out", tmp_path / "bk")[0] == 0
    (made,) = (tmp_path / "bk").iterdir()
    with Store.open(db, user="tester") as store:
        store.people.add(full_name="Trần Thị Bình")

    code, out, err = run(capsys, "restore", "--db", db, made)

    assert code == 0, err
    assert "Đã khôi phục" in out and "1 người" in out
    assert "Tình trạng trước khi khôi phục được giữ ở" in out
    with Store.open(db, read_only=True) as store:
        assert [p.full_name for p in store.people.list()] == ["Nguyễn Văn An"]
    safety = [p for p in (db.parent / "backups").iterdir() if "before-restore" in p.name]
    assert inspect_file(safety[0]).counts["people"] == 2


def test_restore_from_a_damaged_backup_leaves_the_database_as_it_was(db, tmp_path, capsys):
    with Store.open(db, user="tester") as store:
        add_people(store, 300)
    assert run(capsys, "backup", "--db", db, "--out", tmp_path / "bk")[0] == 0
    (made,) = (tmp_path / "bk").iterdir()
    corrupt_table(made)
    before = db.read_bytes()
    code, _, err = run(capsys, "restore", "--db", db, made)
    assert code == 1 and "bị hỏng" in err
    assert db.read_bytes() == before


def test_restore_refuses_while_the_program_has_the_file_open(db, tmp_path, capsys):
    assert run(capsys, "backup", "--db", db, "--out", tmp_path / "bk")[0] == 0
    (made,) = (tmp_path / "bk").iterdir()
    with Store.open(db, user="cán bộ A"):
        code, _, err = run(capsys, "restore", "--db", db, made)
    assert code == 1
    assert "cán bộ A" in err and "chỉ đọc" in err


def test_backup_and_restore_with_a_password_file(db, tmp_path, capsys):
    secret = tmp_path / "matkhau.txt"
    secret.write_text("mật khẩu USB\n", encoding="utf-8")
    code, out, err = run(
        capsys, "backup", "--db", db, "--out", tmp_path / "usb", "--password-file", secret
    )
    assert code == 0, err
    assert "đã khóa bằng mật khẩu" in out
    (locked,) = (tmp_path / "usb").iterdir()
    assert locked.suffix == ".ctdbak"
    code, _, err = run(capsys, "restore", "--db", db, locked)
    assert code == 1 and "mật khẩu" in err
    wrong = tmp_path / "sai.txt"
    wrong.write_text("sai", encoding="utf-8")
    code, _, err = run(capsys, "restore", "--db", db, locked, "--password-file", wrong)
    assert code == 1 and "Mật khẩu không đúng" in err
    code, out, err = run(capsys, "restore", "--db", db, locked, "--password-file", secret)
    assert code == 0, err


def test_check_of_a_sound_database_passes(db, capsys):
    code, out, _ = run(capsys, "check", "--db", db)
    assert code == 0
    assert "Tệp dữ liệu toàn vẹn" in out and "Ghi chú" not in out


def test_check_lists_problems_and_repairs_them_after_a_backup(db, capsys):
    with Store.open(db, user="tester") as store:
        person = store.people.add(full_name="Người Đã Xóa")
        store.members.add(person_id=person.id, branch_id=None, admitted_on=date(2020, 1, 1))
        store.people.delete(person.id)
        store.people.add(full_name="Lê Văn Sai", id_number="12345")

    code, out, _ = run(capsys, "check", "--db", db)
    assert code == 0  # the file is sound: data problems are advice, printed as notes
    assert "Tệp dữ liệu toàn vẹn" in out and "Ghi chú về dữ liệu (2 việc nên làm)" in out
    assert "đã bị xóa. [sửa được]" in out
    assert "Lê Văn Sai" in out
    assert "--repair" in out
    assert not (db.parent / "backups").exists()  # checking alone changes nothing
    assert run(capsys, "check", "--db", db, "--strict")[0] == 1  # advice counts

    code, out, _ = run(capsys, "check", "--db", db, "--repair", "--strict")
    assert code == 1  # the ID number is for the officer to correct
    assert "rồi sửa 1 lỗi" in out
    assert "Ghi chú về dữ liệu (1 việc nên làm)" in out
    (backup,) = (db.parent / "backups").iterdir()
    assert backup.name.endswith("-before-repair.db")


def test_check_of_a_damaged_file_explains_instead_of_crashing(tmp_path, capsys):
    path = tmp_path / "xa.db"
    path.write_text("không phải cơ sở dữ liệu " * 40, encoding="utf-8")
    code, _, err = run(capsys, "check", "--db", path)
    assert code == 1
    assert "không phải tệp dữ liệu" in err
    assert "Traceback" not in err


def test_safety_commands_run_as_a_separate_program(db, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "chapter_app", "backup", "--db", str(db), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "chapter_app", "check", "--db", str(db)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0 and "Tệp dữ liệu toàn vẹn" in result.stdout


def test_check_exits_0_on_the_demo_register_and_lists_advice_as_notes(tmp_path, capsys):
    demo = tmp_path / "demo.db"
    assert main(["demo", "--db", str(demo), "--today", "2026-11-23"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "check", "--db", demo)
    assert code == 0, out
    assert "Tệp dữ liệu toàn vẹn" in out


def test_check_finds_a_gap_in_the_audit_log_and_says_the_file_is_damaged(db, capsys):
    import sqlite3

    with Store.open(db, user="tester") as store:
        for n in range(3):
            store.people.add(full_name=f"Người Số {n}")
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM audit_log WHERE id = (SELECT MAX(id) - 1 FROM audit_log)")
    conn.commit()
    conn.close()
    code, out, _ = run(capsys, "check", "--db", db)
    assert code == 1
    assert "Nhật ký thao tác bị mất mục" in out


def test_check_notes_members_without_a_branch_and_likely_duplicates(db, capsys):
    with Store.open(db, user="tester") as store:
        for _ in range(2):
            person = store.people.add(full_name="Nguyễn Văn An", birth_year=1980)
        store.members.add(person_id=person.id, branch_id=None, admitted_on=date(2020, 1, 1))
    code, out, _ = run(capsys, "check", "--db", db)
    assert code == 0
    assert "chưa thuộc chi hội nào" in out
    assert "Có thể trùng người: «Nguyễn Văn An» sinh năm 1980 có 2 hồ sơ" in out


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_backup_with_a_device_for_its_password_file_is_refused(db, tmp_path, capsys):
    code, _, err = run(
        capsys, "backup", "--db", db, "--out", tmp_path / "usb", "--password-file", "/dev/zero"
    )
    assert code == 1 and "không phải tệp thường" in err
    assert not (tmp_path / "usb").exists() or not any((tmp_path / "usb").iterdir())
