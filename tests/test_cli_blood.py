"""``chapter-app donors``: add, donate, due, honours (in-process ``main``)."""

from __future__ import annotations

import json

from chapter_app.cli import main


def _init(tmp_path):
    db = tmp_path / "x.db"
    assert main(["init", "--db", str(db), "--chapter-name", "Hội CTĐ xã Thử"]) == 0
    return str(db)


def test_donors_commands_record_and_list(tmp_path, capsys):
    db = _init(tmp_path)
    args = ["--db", db, "--name", "Nguyễn Văn An", "--birth-year", "1990"]
    assert main(["donors", "add", *args, "--create", "--prior", "4"]) == 0
    assert main(["donors", "donate", *args, "--on", "2026-03-02", "--volume", "350"]) == 0
    capsys.readouterr()
    assert main(["donors", "honours", "--db", db, "--year", "2026", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["threshold"], r["donations"]) for r in rows] == [("Nguyễn Văn An", 5, 5)]
    assert main(["donors", "due", "--db", db, "--on", "2026-05-24", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    pdf, xlsx = tmp_path / "due.pdf", tmp_path / "due.xlsx"
    out = ["--pdf", str(pdf), "--xlsx", str(xlsx)]
    assert main(["donors", "due", "--db", db, "--on", "2026-05-25", "--json", *out]) == 0
    assert [r["name"] for r in json.loads(capsys.readouterr().out)] == ["Nguyễn Văn An"]
    assert pdf.read_bytes().startswith(b"%PDF") and xlsx.stat().st_size > 0


def test_unknown_person_and_bad_volume_end_with_a_message(tmp_path, capsys):
    db = _init(tmp_path)
    args = ["--db", db, "--name", "Lê Thị Bé", "--birth-year", "1999", "--on", "2026-01-02"]
    assert main(["donors", "donate", *args]) == 1
    assert "--create" in capsys.readouterr().err
    assert main(["donors", "donate", *args, "--create", "--volume", "500"]) == 1
    assert "250, 350 hoặc 450" in capsys.readouterr().err
    from chapter_app.store.store import Store

    with Store.open(db) as store:
        assert store.people.count() == 0  # the person added for it was rolled back


def test_a_deferral_keeps_the_donor_off_the_call_list_until_it_ends(tmp_path, capsys):
    db = _init(tmp_path)
    args = ["--db", db, "--name", "Đỗ Văn Hoãn", "--birth-year", "1988"]
    assert main(["donors", "add", *args, "--create"]) == 0
    defer = ["--on", "2026-12-01", "--until", "2027-01-15", "--reason", "Huyết áp cao"]
    assert main(["donors", "defer", *args, *defer]) == 0
    capsys.readouterr()
    for day, expected in (("2026-12-20", []), ("2027-01-15", ["Đỗ Văn Hoãn"])):
        assert main(["donors", "due", "--db", db, "--on", day, "--json"]) == 0
        assert [r["name"] for r in json.loads(capsys.readouterr().out)] == expected
