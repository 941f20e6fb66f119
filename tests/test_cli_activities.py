"""Counted activities from ``init`` alone on the command line: blood drives, first-aid
classes, health care and drills are added, listed, changed and removed, and count in the
chapter's figures; a wrong value writes nothing and names the option to fix."""

from __future__ import annotations

import json

import pytest

from chapter_app.cli import main
from chapter_app.store.store import Store


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "xa.db"
    args = ["init", "--db", str(path), "--chapter-name", "Hội Chữ thập đỏ xã Tịnh Kỳ"]
    assert main(args) == 0
    return path


def run(db, *args) -> int:
    return main([*args, "--db", str(db)])


def listed(db, capsys, *args) -> dict:
    capsys.readouterr()
    assert run(db, "activities", "list", "--json", *args) == 0
    return json.loads(capsys.readouterr().out)


def test_every_kind_is_added_from_a_blank_register_and_counts_in_the_figures(db, capsys):
    assert "Chưa ghi hoạt động nào" in (run(db, "activities", "list"), capsys.readouterr().out)[1]
    drive = ["--on", "12/03/2026", "--partner", "Bệnh viện tỉnh", "--registered", "50"]
    drive += ["--donors", "45", "--units-250", "20", "--units-350", "25"]
    assert run(db, "activities", "add", "blood-drive", *drive) == 0
    assert "Đã ghi đợt hiến máu số 1, ngày 12/03/2026." in capsys.readouterr().out
    firstaid = ["--on", "2026-04-02", "--title", "Sơ cấp cứu cho học sinh", "--trainees", "35"]
    assert run(db, "activities", "add", "first-aid", *firstaid) == 0
    health = ["--on", "01/05/2026", "--type", "medicine", "--person-times", "120"]
    assert run(db, "activities", "add", "health", *health, "--value", "5.000.000") == 0
    assert run(db, "activities", "add", "drill", "--on", "10/06/2026", "--participants", "40") == 0

    found = listed(db, capsys)
    (stored_drive,) = found["blood-drive"]
    assert (stored_drive["units"], stored_drive["donors"]) == (45, 45)  # total from the mix
    assert found["first-aid"][0]["trainees"] == 35
    assert (found["health"][0]["kind"], found["health"][0]["value"]) == ("medicine", 5_000_000)
    assert (found["drill"][0]["kind"], found["drill"][0]["sessions"]) == ("drill", 1)
    assert listed(db, capsys, "--year", "2025") == {k: [] for k in found}

    capsys.readouterr()
    assert run(db, "stats", "--period", "2026", "--json") == 0
    figures = json.loads(capsys.readouterr().out)["period"]
    assert (figures["blood"]["drives"], figures["blood"]["units"]) == (1, 45)
    assert (figures["firstaid"]["classes"], figures["firstaid"]["trainees"]) == (1, 35)
    assert (figures["health"]["person_times"], figures["health"]["value"]) == (120, 5_000_000)
    assert (figures["drills"]["sessions"], figures["drills"]["participants"]) == (1, 40)


def test_a_wrong_value_writes_nothing_and_names_each_option(db, capsys):
    bad = ["--on", "10/06/2099", "--type", "bogus", "--sessions", "abc", "--participants", "-4"]
    assert run(db, "activities", "add", "drill", *bad) == 1
    err = capsys.readouterr().err
    for option in ("--on:", "--type:", "--sessions:", "--participants:"):
        assert option in err
    assert "Không ghi gì" in err
    assert listed(db, capsys)["drill"] == []


def test_an_option_of_another_kind_is_refused_with_where_it_belongs(db, capsys):
    assert run(db, "activities", "add", "first-aid", "--on", "02/04/2026", "--units", "4") == 1
    assert "--units không dùng cho first-aid; dùng cho: blood-drive" in capsys.readouterr().err
    assert listed(db, capsys)["first-aid"] == []


def test_change_keeps_the_values_not_named_and_checks_the_whole_record(db, capsys):
    drive = ["--on", "12/03/2026", "--donors", "45", "--units", "45", "--units-250", "45"]
    assert run(db, "activities", "add", "blood-drive", *drive) == 0
    assert run(db, "activities", "change", "blood-drive", "1", "--units", "50") == 1
    assert "--units: Tổng số đơn vị máu (50) khác tổng" in capsys.readouterr().err
    assert run(db, "activities", "change", "blood-drive", "1", "--partner", "Viện Huyết học") == 0
    (drive_row,) = listed(db, capsys)["blood-drive"]
    assert (drive_row["units"], drive_row["partner"]) == (45, "Viện Huyết học")
    assert drive_row["held_on"] == "2026-03-12"


def test_remove_is_logged_and_an_unknown_number_is_a_clear_error(db, capsys):
    assert run(db, "activities", "add", "first-aid", "--on", "02/04/2026", "--trainees", "9") == 0
    assert run(db, "activities", "remove", "first-aid", "7") == 1
    assert "Không có lớp sơ cấp cứu số 7" in capsys.readouterr().err
    assert run(db, "activities", "remove", "first-aid", "1") == 0
    assert listed(db, capsys)["first-aid"] == []
    store = Store.open(db)
    try:
        labels = [row["op_label"] for row in store.db.query("SELECT op_label FROM audit_log")]
    finally:
        store.close()
    assert any("Xóa lớp sơ cấp cứu" in label for label in labels)
