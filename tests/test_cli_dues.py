"""Members' dues from the command line, from ``init`` alone: who owes, payments and
exemptions recorded with the window's checks, counted in the figures; a wrong entry
writes nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest

from chapter_app.cli import main
from chapter_app.cli.dues import parse_months
from chapter_app.errors import AppError


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "xa.db"
    assert main(["init", "--db", str(path), "--chapter-name", "Hội Chữ thập đỏ xã Tịnh Kỳ"]) == 0
    assert main(["branches", "add", "Chi hội Thôn 1", "--db", str(path)]) == 0
    for name in ("Nguyễn Thị Lan", "Trần Văn Bình"):
        member = ["members", "add", "--name", name, "--branch", "thon 1", "--admitted"]
        assert main([*member, "01/01/2025", "--db", str(path)]) == 0
    return path


def run(db, *args) -> int:
    return main([*args, "--db", str(db)])


def owing(db, capsys) -> dict[str, list[int]]:
    capsys.readouterr()
    assert run(db, "dues", "owing", "--year", "2025", "--json") == 0
    return {row["full_name"]: row["months"] for row in json.loads(capsys.readouterr().out)}


def payments(db) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM dues_payments").fetchone()[0]
    finally:
        conn.close()


def test_payments_and_exemptions_leave_only_what_is_owed(db, capsys):
    assert owing(db, capsys) == {
        "Nguyễn Thị Lan": list(range(1, 13)),
        "Trần Văn Bình": list(range(1, 13)),
    }
    pay = ["--year", "2025", "--months", "1-6", "--on", "01/07/2025", "--per-month", "2000"]
    assert run(db, "dues", "pay", "--members", "1; 2", *pay, "--receipt", "BL-01") == 0
    assert "tổng 24.000 đ" in capsys.readouterr().out
    exempt = ["--year", "2025", "--months", "7,8, 9-12", "--on", "01/07/2025", "--exempt"]
    assert run(db, "dues", "pay", "--members", "2", *exempt) == 0
    assert owing(db, capsys) == {"Nguyễn Thị Lan": list(range(7, 13))}
    capsys.readouterr()
    assert run(db, "stats", "--period", "2025", "--json") == 0
    assert json.loads(capsys.readouterr().out)["period"]["members"]["dues_collected"] == 24_000


def test_a_wrong_entry_writes_nothing(db, capsys):
    pay = ["--year", "2025", "--months", "1-6", "--on", "01/07/2025", "--per-month", "2000"]
    assert run(db, "dues", "pay", "--members", "1", *pay) == 0
    before = payments(db)
    cases = [
        (["--members", "1; 2", *pay], "hội viên số 1: Đã đóng hội phí các tháng 1-6"),
        (["--members", "2; 99", *pay], "hội viên số 99"),
        (["--members", "Lan", *pay], "--members: ghi số hội viên"),
        (["--members", "2", "--year", "2025", "--months", "1", "--on", "01/01/2099"], "--on:"),
        (["--members", "2", "--year", "2025", "--months", "0-3", "--on", "01/07/2025"], "--months"),
    ]
    for argv, expected in cases:
        capsys.readouterr()
        assert run(db, "dues", "pay", *argv) == 1, argv
        assert expected in capsys.readouterr().err, argv
    assert payments(db) == before


def test_months_are_read_as_an_officer_writes_them():
    assert parse_months("1-3, 5; 12") == {1, 2, 3, 5, 12}
    for wrong in ("", "13", "3-1", "a", "1-x", "0"):
        with pytest.raises(AppError):
            parse_months(wrong)
