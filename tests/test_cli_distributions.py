"""A Tết handout from the command line, from ``init`` alone: one aid record per household
followed (or per member named), in one operation, with its sign-off sheet; a wrong value
writes nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest
from pypdf import PdfReader

from chapter_app.cli import main


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "xa.db"
    args = ["init", "--db", str(path), "--chapter-name", "Hội Chữ thập đỏ xã Tịnh Kỳ"]
    assert main(args) == 0
    for argv in (
        ["units", "add", "Thôn An Vĩnh"],
        ["units", "add", "Thôn Khê Tân"],
        ["addresses", "add", "--name", "Hộ bà Phạm Thị Lụa", "--opened", "01/10/2026",
         "--unit", "an vinh"],
        ["addresses", "add", "--name", "Hộ ông Đinh Văn Tư", "--opened", "01/10/2026",
         "--unit", "khe tan", "--street", "Xóm Giữa"],
        ["addresses", "add", "--name", "Hộ bà Võ Thị Mai", "--opened", "01/10/2026",
         "--unit", "an vinh"],
        ["addresses", "status", "3", "--to", "stopped", "--on", "01/11/2026"],
    ):  # fmt: skip
        assert main([*argv, "--db", str(path)]) == 0, argv
    return path


def run(db, *args) -> int:
    return main([*args, "--db", str(db)])


def aid_rows(db) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT address_id, cash_value, distribution_id FROM aid_records ORDER BY address_id"
        ).fetchall()
    finally:
        conn.close()


def test_a_handout_reaches_every_household_followed_and_prints_its_sheet(db, tmp_path, capsys):
    sheet = tmp_path / "ky-nhan.pdf"
    handout = ["--on", "28/12/2026", "--households", "all", "--cash-each", "500000"]
    handout += ["--campaign", "tet nhan ai", "--description", "Quà Tết", "--signoff", str(sheet)]
    assert run(db, "distributions", "add", *handout) == 0
    out = capsys.readouterr().out
    assert "2 suất, tổng 1.000.000 đ" in out
    assert aid_rows(db) == [(1, 500_000, 1), (2, 500_000, 1)]  # not the household stopped

    text = " ".join(PdfReader(sheet).pages[0].extract_text().split())
    assert "DANH SÁCH KÝ NHẬN" in text and "Tết Nhân ái" in text
    assert "Hộ bà Phạm Thị Lụa Thôn An Vĩnh" in text  # a household without a head: its thôn
    assert "Hộ ông Đinh Văn Tư Xóm Giữa" in text

    capsys.readouterr()
    assert run(db, "distributions", "list", "--json") == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert (listed["recipients"], listed["total"], listed["campaign"]) == (
        2,
        1_000_000,
        "Tết Nhân ái",
    )
    again = tmp_path / "lai.pdf"
    assert run(db, "distributions", "signoff", "1", "--out", str(again)) == 0
    assert "Hộ ông Đinh Văn Tư" in PdfReader(again).pages[0].extract_text()


def test_a_handout_to_one_thon_or_named_households(db):
    one_thon = ["--on", "28/12/2026", "--households", "all", "--unit", "Khê Tân"]
    assert run(db, "distributions", "add", *one_thon, "--goods-each", "300000") == 0
    named = ["--on", "29/12/2026", "--households", "ho ba pham thi lua; 2"]
    assert run(db, "distributions", "add", *named, "--cash-each", "100000") == 0
    assert aid_rows(db) == [(1, 100_000, 2), (2, 0, 1), (2, 100_000, 2)]


def test_a_wrong_handout_writes_nothing(db, tmp_path, capsys):
    sheet = tmp_path / "ky.pdf"
    cases = [
        (["--on", "28/12/2026"], "Nêu người nhận"),
        (["--on", "28/12/2026", "--households", "Hộ không có"], "không có hộ"),
        (["--on", "31/02/2026", "--households", "all"], "--on:"),
        (["--on", "28/12/2026", "--households", "all", "--cash-each", "-1"], "--cash-each:"),
        (["--on", "28/12/2026", "--households", "all", "--campaign", "Không có"],
         "lists campaigns list"),
        (["--on", "28/12/2026", "--households", "all", "--unit", "Thôn Xa"], "--unit:"),
    ]  # fmt: skip
    for argv, expected in cases:
        capsys.readouterr()
        assert run(db, "distributions", "add", *argv, "--signoff", str(sheet)) == 1, argv
        assert expected in capsys.readouterr().err, argv
    assert aid_rows(db) == []
    assert not sheet.exists()
