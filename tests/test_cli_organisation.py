"""A chapter sets itself up from ``init`` alone on the command line (issue 13, "Done means")."""

from __future__ import annotations

import json
from datetime import date

import pytest

from chapter_app.cli import main
from chapter_app.services.records import save_member
from chapter_app.store.store import Store

BRANCHES = [
    "Chi hội thôn An Vĩnh",
    "Chi hội thôn Khê Thủy",
    "Chi hội thôn Thanh Thủy",
    "Chi hội trường THCS",
]
UNITS = ["Thôn An Vĩnh", "Thôn Khê Thủy", "Thôn Thanh Thủy", "Thôn Trung Hải"]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "xa.db"
    assert (
        main(
            [
                "init",
                "--db",
                str(path),
                "--chapter-name",
                "Hội Chữ thập đỏ xã Tịnh Kỳ",
                "--parent",
                "Hội CTĐ tỉnh Quảng Ngãi",
                "--place",
                "Tịnh Kỳ",
            ]
        )
        == 0
    )
    return path


def run(db, *args) -> int:
    return main([*args, "--db", str(db)])


def _set_up(db):
    for name in UNITS:
        assert run(db, "units", "add", name) == 0
    for name in BRANCHES[:3]:
        assert run(db, "branches", "add", name, "--founded", "2001-03-26") == 0
    assert run(db, "branches", "add", BRANCHES[3], "--type", "school") == 0


def test_init_alone_then_four_branches_and_four_units(db, capsys):
    _set_up(db)
    capsys.readouterr()
    assert run(db, "branches", "list") == 0
    out = capsys.readouterr().out
    assert "4 chi hội đang hoạt động" in out
    assert all(name in out for name in BRANCHES)
    assert "Trường học" in out
    assert run(db, "units", "list") == 0
    out = capsys.readouterr().out
    assert "4 thôn, tổ dân phố" in out and all(name in out for name in UNITS)


def test_a_duplicate_branch_name_in_any_case_or_tones_is_refused(db, capsys):
    _set_up(db)
    capsys.readouterr()
    for name in ("CHI HỘI THÔN AN VĨNH", "chi hoi thon an vinh", "thôn an vĩnh"):
        assert run(db, "branches", "add", name) == 1
        assert "Đã có chi hội «Chi hội thôn An Vĩnh»" in capsys.readouterr().err
    assert run(db, "units", "add", "an vinh") == 1
    assert "Đã có thôn" in capsys.readouterr().err
    with Store.open(db) as store:
        assert store.branches.count() == 4 and store.units.count() == 4


def test_targets_flow_into_the_report_json(db, tmp_path, capsys):
    _set_up(db)
    assert run(db, "targets", "set", "2026", "members.new=50", "blood.units=120") == 0
    with Store.open(db) as store:
        for name in ("Nguyễn Văn An", "Trần Thị Bình"):
            raw = {
                "full_name": name,
                "birth_year": 1980,
                "admitted_on": "2026-08-01",
                "branch": "Khê Thủy",
            }
            save_member(store, raw, today=date(2026, 9, 1))
        store.blood_drives.add(held_on=date(2026, 8, 10), donors=25, units=30)
    capsys.readouterr()
    assert run(db, "targets", "show", "2026") == 0
    out = capsys.readouterr().out
    assert "members.new" in out and "120" in out
    out_json = tmp_path / "q3.json"
    pdf = tmp_path / "q3.pdf"
    assert run(db, "report", "--period", "2026-Q3", "--out", str(pdf), "--json", str(out_json)) == 0
    data = json.loads(out_json.read_text(encoding="utf-8"))
    rows = {row["key"]: row for row in data["indicators"]}
    assert (rows["members.new"]["target"], rows["members.new"]["percent_of_target"]) == (50, 4.0)
    assert (rows["blood.units"]["target"], rows["blood.units"]["percent_of_target"]) == (120, 25.0)
    assert run(db, "targets", "set", "2026", "members.nw=3") == 1
    assert "Không có chỉ tiêu «members.nw»" in capsys.readouterr().err
    assert run(db, "targets", "set", "2026", "members.new") == 1
    assert run(db, "targets", "copy", "2026", "2027") == 0


def test_dissolving_keeps_the_member_total_and_a_missing_target_changes_nothing(db, capsys):
    _set_up(db)
    with Store.open(db) as store:
        for i, branch in enumerate(["An Vĩnh", "An Vĩnh", "Khê Thủy"]):
            raw = {
                "full_name": f"Nguyễn Văn {'ABC'[i]}",
                "birth_year": 1970 + i,
                "admitted_on": "2025-01-01",
                "branch": branch,
            }
            save_member(store, raw, today=date(2026, 1, 1))
    capsys.readouterr()
    args = ("branches", "dissolve", "Chi hội thôn An Vĩnh", "--on", "2026-05-01")
    assert run(db, *args, "--move-members-to", "Chi hội không có") == 1
    assert "Không có chi hội «Chi hội không có»" in capsys.readouterr().err
    with Store.open(db) as store:
        assert store.branches.by_name("Chi hội thôn An Vĩnh").dissolved_on is None
    assert run(db, *args, "--move-members-to", "khe thuy") == 0
    assert "2 hội viên chuyển sang chi hội «Chi hội thôn Khê Thủy»" in capsys.readouterr().out
    assert run(db, "stats", "--period", "2026-Q2", "--json") == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["period"]["members"]["total_end"] == 3
    assert stats["period"]["branches"]["count"] == 3
    assert run(db, "branches", "list") == 0
    out = capsys.readouterr().out
    assert "ĐÃ GIẢI THỂ 01/05/2026" in out and "3 hội viên" in out


def test_merged_units_appear_in_the_units_list(db, capsys):
    _set_up(db)
    capsys.readouterr()
    args = ("units", "merge", "Khê Thủy", "Thanh Thủy", "--into", "Thôn Khê Thanh")
    assert run(db, *args, "--on", "01/07/2026") == 0
    assert run(db, "units", "list") == 0
    out = capsys.readouterr().out
    assert "Thôn Khê Thanh" in out
    assert (
        "Thôn Khê Thủy — Thôn; 0 người, 0 hộ; ĐÃ SÁP NHẬP vào «Thôn Khê Thanh» ngày 01/07/2026"
        in out
    )
    assert (
        run(db, "units", "merge", "Khê Thủy", "Trung Hải", "--into", "X", "--on", "2026-08-01") == 1
    )
    assert "đã được sáp nhập" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        run(db, "units", "merge", "An Vĩnh", "Trung Hải", "--into", "Y", "--on", "31/02/2026")
    assert usage.value.code == 2
    assert "ngày «31/02/2026» không đọc được" in capsys.readouterr().err


def test_lists_add_rename_hide_and_refuse_unknown(db, capsys):
    assert run(db, "lists", "forms", "add", "Bò giống", "--en", "Breeding cow") == 0
    assert run(db, "lists", "campaigns", "rename", "Học bổng", "Học bổng Vừ A Dính") == 0
    assert run(db, "lists", "campaigns", "hide", "hoc bong vu a dinh") == 0
    assert run(db, "lists", "categories", "move", "Hộ gặp thiên tai", "--by", "-9") == 0
    capsys.readouterr()
    assert run(db, "lists", "campaigns", "list") == 0
    assert "Học bổng Vừ A Dính — tiếng Anh: Scholarships; mã hoc_bong; 0 bản ghi; ĐÃ ẨN" in (
        capsys.readouterr().out
    )
    assert run(db, "lists", "categories", "list") == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("   1. Hộ gặp thiên tai")
    assert run(db, "lists", "forms", "hide", "Không có") == 1
    assert "Không có «Không có» trong danh mục hình thức trợ giúp" in capsys.readouterr().err


def test_chapters_add_on_a_chapters_own_file_needs_upper_level(db, capsys):
    assert run(db, "chapters", "--add", "Hội CTĐ xã An") == 1
    err = capsys.readouterr().err
    assert "là sổ của Hội cơ sở «Hội Chữ thập đỏ xã Tịnh Kỳ»" in err and "--upper-level" in err
    with Store.open(db) as store:
        assert store.settings.get("mode") == "chapter" and store.affiliates.count() == 0
    assert run(db, "chapters", "--add", "Hội CTĐ xã An", "--upper-level") == 0
    with Store.open(db) as store:
        assert store.settings.get("mode") == "upper" and store.affiliates.count() == 1


def test_every_command_needs_an_existing_file(tmp_path, capsys):
    missing = tmp_path / "none.db"
    assert run(missing, "branches", "list") == 1
    assert "Không tìm thấy tệp dữ liệu" in capsys.readouterr().err
    assert not missing.exists()


def test_the_member_sheet_then_imports_with_its_thon_recognised(db, tmp_path, capsys):
    from tests.services.test_import_sheets import chapter_member_sheet, member

    _set_up(db)
    rows = [
        member("Nguyễn Văn An", male=1960, unit="An Vĩnh", admitted="2020-01-01"),
        member("Trần Thị Bình", female=1962, unit="Khê Thủy", admitted="2020-01-01"),
    ]
    sheet = chapter_member_sheet(tmp_path / "ds.xlsx", rows, title="DANH SÁCH HỘI VIÊN")
    capsys.readouterr()
    code = run(db, "import", "members", str(sheet), "--default", "branch=Chi hội thôn An Vĩnh")
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "Chưa có thôn" not in out.out + out.err
    with Store.open(db) as store:
        units = {u.id: u.name for u in store.units.list()}
        assert sorted(units[p.unit_id] for p in store.people.list()) == [
            "Thôn An Vĩnh",
            "Thôn Khê Thủy",
        ]


def test_officers_give_the_reports_signer(db, tmp_path, capsys):
    assert run(db, "officers", "add", "Trần Thị Bình", "--title", "vice_chairman") == 0
    capsys.readouterr()
    assert run(db, "officers", "list") == 0
    out = capsys.readouterr().out
    assert "Trần Thị Bình — Phó Chủ tịch" in out
    assert "Người ký báo cáo: KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Trần Thị Bình" in out
    out_json = tmp_path / "r.json"
    args = ("report", "--period", "2026-Q3", "--out", str(tmp_path / "r.pdf"))
    assert run(db, *args, "--json", str(out_json)) == 0
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert (data["signing_form"], data["signer_name"]) == ("KT. CHỦ TỊCH", "Trần Thị Bình")
