"""Members and volunteers one at a time on the command line, from ``init`` alone: added
with names matched as the import matches them, listed without personal data, changed
(only what is named), given a new status; a wrong value writes nothing and names its option."""

from __future__ import annotations

import json
import sqlite3

import pytest

from chapter_app.cli import main
from chapter_app.store.store import Store


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "xa.db"
    args = ["init", "--db", str(path), "--chapter-name", "Hội Chữ thập đỏ xã Tịnh Kỳ"]
    assert main(args) == 0
    assert main(["branches", "add", "Chi hội Thôn 1", "--db", str(path)]) == 0
    assert main(["units", "add", "Thôn An Vĩnh", "--db", str(path)]) == 0
    return path


def run(db, *args) -> int:
    return main([*args, "--db", str(db)])


def listed(db, capsys, command="members", *args) -> list[dict]:
    capsys.readouterr()
    assert run(db, command, "list", "--json", *args) == 0
    return json.loads(capsys.readouterr().out)


def rows_and_audit(db) -> tuple[int, ...]:
    conn = sqlite3.connect(db)
    try:
        return tuple(
            conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("people", "members", "volunteers", "member_status", "audit_log")
        )
    finally:
        conn.close()


def add_lan(db) -> int:
    return run(
        db,
        "members",
        "add",
        "--name",
        "nguyễn  thị lan",
        "--branch",
        "thon 1",  # "Chi hội Thôn 1", typed without tones or prefix
        "--admitted",
        "05/01/2026",
        "--born",
        "1985",
        "--sex",
        "nu",
        "--unit",
        "an vinh",
    )


def test_a_member_is_added_listed_and_counted_from_a_blank_register(db, capsys):
    assert "Không có hội viên nào" in (run(db, "members", "list"), capsys.readouterr().out)[1]
    assert add_lan(db) == 0
    assert "Đã thêm hội viên số 1: Nguyễn Thị Lan." in capsys.readouterr().out

    (lan,) = listed(db, capsys)
    assert lan["full_name"] == "Nguyễn Thị Lan"
    assert (lan["sex"], lan["birth_year"], lan["branch"]) == ("F", 1985, "Chi hội Thôn 1")
    assert (lan["admitted_on"], lan["status"]) == ("2026-01-05", "admitted")
    store = Store.open(db)
    try:
        person = store.people.get(store.members.get(lan["id"]).person_id)
        assert store.units.get(person.unit_id).name == "Thôn An Vĩnh"
    finally:
        store.close()
    assert listed(db, capsys, "members", "--search", "lan")[0]["id"] == lan["id"]
    assert listed(db, capsys, "members", "--search", "hoa") == []

    capsys.readouterr()
    assert run(db, "stats", "--period", "2026", "--json") == 0
    figures = json.loads(capsys.readouterr().out)["period"]["members"]
    assert (figures["total_end"], figures["new"]) == (1, 1)


def test_a_list_prints_no_id_number_or_phone(db, capsys):
    assert add_lan(db) == 0
    assert run(db, "members", "change", "1", "--id-number", "051185123456") == 0
    assert run(db, "members", "change", "1", "--phone", "0912 345 678") == 0
    capsys.readouterr()
    assert run(db, "members", "list") == 0
    text = capsys.readouterr().out
    assert "Nguyễn Thị Lan" in text and "đang sinh hoạt" in text
    assert "0912345678" not in text and "051185123456" not in text
    assert "0912345678" not in json.dumps(listed(db, capsys))


def test_a_change_writes_only_the_values_named(db, capsys):
    assert add_lan(db) == 0
    store = Store.open(db)
    try:
        person_id = store.members.get(1).person_id
        store.people.update(person_id, ethnicity="Hrê", address="Xóm Giữa")
    finally:
        store.close()
    assert run(db, "members", "change", "1", "--phone", "0912345678", "--born", "12/03/1985") == 0
    assert "Đã sửa hội viên số 1" in capsys.readouterr().out
    store = Store.open(db)
    try:
        person = store.people.get(person_id)
        member = store.members.get(1)
    finally:
        store.close()
    assert (person.phone, person.birth_year, str(person.birth_date)) == (
        "0912345678",
        1985,
        "1985-03-12",
    )
    assert (person.sex, person.ethnicity, person.address) == ("F", "Hrê", "Xóm Giữa")
    assert str(member.admitted_on) == "2026-01-05"


def test_wrong_values_write_nothing_and_name_every_option(db, capsys):
    assert add_lan(db) == 0
    before = rows_and_audit(db)
    capsys.readouterr()
    code = run(
        db, "members", "add", "--name", "Lê Văn Bình", "--branch", "Thôn 9",
        "--admitted", "05/13/2026", "--sex", "x",
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert "--branch: Không có chi hội “Thôn 9”" in err
    assert "--admitted:" in err and "--sex:" in err and "Không ghi gì" in err
    assert run(db, "members", "add", "--name", "Lê Văn Bình") == 1
    assert "Chưa nêu: --branch, --admitted" in capsys.readouterr().err
    assert run(db, "members", "change", "1", "--unit", "Thôn Không Có") == 1
    assert "chapter-app units add" in capsys.readouterr().err
    assert run(db, "members", "change", "99", "--phone", "0912345678") == 1
    assert "Không tìm thấy hội viên số 99" in capsys.readouterr().err
    assert rows_and_audit(db) == before


def test_hostile_text_is_refused_or_cleaned_without_a_traceback(db, capsys):
    long_name = "Nguyễn " + "A" * 5000
    for name in (long_name, "\x1b[31mĐỏ\x07", "\u202eNguyễn Văn An", "   "):
        capsys.readouterr()
        code = run(
            db, "members", "add", "--name", name, "--branch", "Thôn 1", "--admitted", "01/01/2026"
        )
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        if code == 0:
            (row,) = [r for r in listed(db, capsys) if r["full_name"] != "Nguyễn Thị Lan"]
            assert "\x1b" not in row["full_name"] and "\u202e" not in row["full_name"]
            assert (
                run(db, "members", "status", str(row["id"]), "--to", "left", "--on", "02/01/2026")
                == 0
            )
        else:
            assert code == 1 and "--name:" in err


def test_a_member_leaves_with_the_window_s_status_checks(db, capsys):
    assert add_lan(db) == 0
    before = rows_and_audit(db)
    capsys.readouterr()
    assert run(db, "members", "status", "1", "--to", "moved_out", "--on", "01/01/2025") == 1
    assert "sớm hơn ngày kết nạp (05/01/2026)" in capsys.readouterr().err
    assert run(db, "members", "status", "1", "--to", "moved_out", "--on", "01/01/2099") == 1
    assert "Không được sau ngày hôm nay" in capsys.readouterr().err
    assert rows_and_audit(db) == before

    assert run(db, "members", "status", "1", "--to", "moved_out", "--on", "01/02/2026",
               "--reason", "Chuyển đi xã khác", "--decision", "12/QĐ")  == 0  # fmt: skip
    assert "chuyển sinh hoạt đi từ 01/02/2026" in capsys.readouterr().out
    assert run(db, "members", "status", "1", "--to", "moved_out", "--on", "02/02/2026") == 1
    assert "rồi" in capsys.readouterr().err
    assert listed(db, capsys) == []  # ended members are not listed by default
    (lan,) = listed(db, capsys, "members", "--all")
    assert lan["status"] == "moved_out"


def test_a_volunteer_is_added_and_changed(db, capsys):
    add = ["--name", "Trần Văn Nam", "--registered", "01/03/2026", "--core", "có"]
    assert run(db, "volunteers", "add", *add, "--hours", "12", "--branch", "thôn 1") == 0
    assert run(db, "volunteers", "change", "1", "--hours", "20", "--skills", "sơ cấp cứu") == 0
    (nam,) = listed(db, capsys, "volunteers")
    assert (nam["full_name"], nam["branch"], nam["registered_on"]) == (
        "Trần Văn Nam",
        "Chi hội Thôn 1",
        "2026-03-01",
    )
    store = Store.open(db)
    try:
        volunteer = store.volunteers.get(1)
    finally:
        store.close()
    assert (volunteer.hours, volunteer.skills, volunteer.is_core) == (20, "sơ cấp cứu", True)
