"""Households, sponsors, commitments and aid one record at a time on the command line, from
``init`` alone: what the window does with its forms, checked by the same rules, counted in
the chapter's figures; a wrong value writes nothing and says what to do."""

from __future__ import annotations

import json
import sqlite3

import pytest

from chapter_app.cli import main
from chapter_app.store.store import Store

LUA = "Hộ bà Phạm Thị Lụa"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "xa.db"
    args = ["init", "--db", str(path), "--chapter-name", "Hội Chữ thập đỏ xã Tịnh Kỳ"]
    assert main(args) == 0
    for argv in (
        ["units", "add", "Thôn An Vĩnh"],
        ["branches", "add", "Chi hội Thôn An Vĩnh"],
        ["members", "add", "--name", "Trần Văn Bình", "--branch", "an vinh"],
    ):
        if argv[0] == "members":
            argv += ["--admitted", "05/01/2026"]
        assert main([*argv, "--db", str(path)]) == 0
    return path


def run(db, *args) -> int:
    return main([*args, "--db", str(db)])


def listed(db, capsys, command, *args) -> list[dict]:
    capsys.readouterr()
    assert run(db, command, "list", "--json", *args) == 0
    return json.loads(capsys.readouterr().out)


def table_counts(db) -> tuple[int, ...]:
    conn = sqlite3.connect(db)
    try:
        tables = (
            "addresses",
            "address_categories",
            "sponsors",
            "commitments",
            "aid_records",
            "audit_log",
        )
        return tuple(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables)
    finally:
        conn.close()


def open_household(db) -> None:
    assert run(
        db, "addresses", "add", "--name", LUA, "--opened", "01/10/2026", "--unit", "an vinh",
        "--category", "ho ngheo; Người khuyết tật", "--street", "Xóm 2",
    ) == 0  # fmt: skip


def test_a_household_gets_a_sponsor_a_commitment_and_aid_and_they_count(db, capsys):
    open_household(db)
    assert (
        run(db, "sponsors", "add", "--name", "Công ty TNHH Bình Minh", "--phone", "0905123456") == 0
    )
    assert run(
        db, "commitments", "add", "--sponsor", "cong ty tnhh binh minh", "--household",
        "ho ba pham thi lua", "--start", "01/11/2026", "--amount", "500000", "--frequency",
        "hằng tháng",
    ) == 0  # fmt: skip
    assert run(
        db, "aid", "add", "--on", "28/11/2026", "--household", "1", "--cash", "500.000",
        "--campaign", "tet nhan ai", "--description", "Quà Tết",
    ) == 0  # fmt: skip
    assert run(db, "aid", "add", "--on", "02/11/2026", "--member", "1", "--goods", "300000") == 0
    group = ["--group", "Học sinh nghèo", "--count", "20", "--goods", "2000000"]
    assert run(db, "aid", "add", "--on", "03/11/2026", *group) == 0

    (household,) = listed(db, capsys, "addresses")
    assert (household["name"], household["unit"], household["status"]) == (
        LUA,
        "Thôn An Vĩnh",
        "following",
    )
    (commitment,) = listed(db, capsys, "commitments")
    assert (commitment["household"], commitment["amount"]) == (LUA, 500_000)
    aid = listed(db, capsys, "aid", "--year", "2026")
    assert [(a["recipient"], a["value"]) for a in aid] == [
        ("Trần Văn Bình", 300_000),
        ("Học sinh nghèo", 2_000_000),
        (LUA, 500_000),
    ]
    assert aid[2]["campaign"] == "Tết Nhân ái"
    assert listed(db, capsys, "aid", "--year", "2025") == []

    capsys.readouterr()
    assert run(db, "stats", "--period", "2026-Q4", "--json") == 0
    figures = json.loads(capsys.readouterr().out)["period"]
    assert figures["addresses"]["on_file"] == 1 and figures["addresses"]["with_sponsor"] == 1
    assert (figures["aid"]["records"], figures["aid"]["value_total"]) == (3, 2_800_000)
    assert figures["aid"]["person_times"] == 22  # 1 household, 1 member, 20 in the group


def test_a_change_keeps_what_is_not_named(db, capsys):
    open_household(db)
    assert run(db, "addresses", "change", "1", "--needs", "Sửa nhà") == 0
    assert "Đã sửa hộ (địa chỉ nhân đạo) số 1" in capsys.readouterr().out
    store = Store.open(db)
    try:
        household = store.addresses.get(1)
        categories = {store.categories.get(c).name for c in store.addresses.categories_of(1)}
    finally:
        store.close()
    assert (household.needs, household.street_address) == ("Sửa nhà", "Xóm 2")
    assert categories == {"Hộ nghèo", "Người khuyết tật"}


def test_wrong_values_write_nothing_and_say_what_to_do(db, capsys):
    open_household(db)
    before = table_counts(db)
    capsys.readouterr()
    cases = [
        (["addresses", "add", "--name", "Hộ ông Tư", "--opened", "01/10/2026",
          "--category", "Hộ giàu"], "lists categories list"),
        (["addresses", "add", "--name", "Hộ ông Tư"], "Chưa nêu: --opened"),
        (["addresses", "add", "--name", "Hộ ông Tư", "--opened", "01/10/2099"],
         "--opened: Không được sau ngày hôm nay"),
        (["commitments", "add", "--sponsor", "Không Có", "--household", "1",
          "--start", "01/11/2026"], "chapter-app sponsors list"),
        (["aid", "add", "--on", "02/11/2026", "--cash", "10"], "--household TÊN_HỘ"),
        (["aid", "add", "--on", "02/11/2026", "--household", "1", "--member", "1"],
         "Chỉ nêu một người nhận"),
        (["aid", "add", "--on", "02/11/2026", "--household", "1", "--cash", "-5"], "--cash:"),
        (["aid", "add", "--on", "02/11/2026", "--household", "1", "--form", "vàng bạc"],
         "lists forms list"),
        (["aid", "add", "--on", "02/11/2026", "--household", "Hộ không có"], "không có hộ"),
        (["aid", "add", "--on", "02/11/2026", "--group", "Nhóm"], "--count"),
    ]  # fmt: skip
    for argv, expected in cases:
        assert run(db, *argv) == 1, argv
        err = capsys.readouterr().err
        assert expected in err, (argv, err)
        assert "Traceback" not in err
    assert table_counts(db) == before


def test_a_household_leaves_the_list_with_the_window_s_status_checks(db, capsys):
    open_household(db)
    before = table_counts(db)
    capsys.readouterr()
    early = ["--to", "out_of_hardship", "--on", "01/01/2026"]
    assert run(db, "addresses", "status", "1", *early) == 1
    assert "sớm hơn ngày bắt đầu theo dõi (01/10/2026)" in capsys.readouterr().err
    assert run(db, "addresses", "status", "1", "--to", "following", "--on", "02/10/2026") == 1
    assert "rồi" in capsys.readouterr().err
    assert table_counts(db) == before
    done = ["--to", "out_of_hardship", "--on", "03/12/2026", "--reason", "Có việc làm"]
    assert run(db, "addresses", "status", "1", *done) == 0
    assert listed(db, capsys, "addresses") == []
    (household,) = listed(db, capsys, "addresses", "--all")
    assert household["status"] == "out_of_hardship"


def test_households_named_alike_but_for_tones_are_told_apart_or_refused(db, capsys):
    for name in ("Nguyễn Văn An", "Nguyen Van An"):
        assert run(db, "addresses", "add", "--name", name, "--opened", "01/10/2026") == 0
    assert run(db, "sponsors", "add", "--name", "Công ty TNHH Bình Minh") == 0
    before = table_counts(db)
    capsys.readouterr()
    start = ["--sponsor", "1", "--start", "01/11/2026"]
    assert run(db, "commitments", "add", "--household", "nguyen van an", *start) == 1
    err = capsys.readouterr().err
    assert "--household: Có 2 hộ chỉ khác nhau ở dấu hoặc chữ hoa" in err
    assert "“Nguyễn Văn An”" in err and "“Nguyen Van An”" in err
    assert "Gõ tên đúng như trong danh sách" in err and "dùng số của hộ" in err
    assert table_counts(db) == before
    assert run(db, "aid", "add", "--on", "02/11/2026", "--household", "NGUYEN VAN AN") == 1
    assert "Có 2 hộ" in capsys.readouterr().err
    assert table_counts(db) == before
    for typed, household in (("Nguyen Van An", 2), ("Nguyễn Văn An", 1)):
        assert run(db, "commitments", "add", "--household", typed, *start) == 0
        assert listed(db, capsys, "commitments")[-1]["household"] == typed
        assert household in {a["id"] for a in listed(db, capsys, "addresses") if a["name"] == typed}
