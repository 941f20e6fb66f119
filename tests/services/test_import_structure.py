"""A chapter's real member sheet on a register made by ``init`` alone: the chi hội and thôn
it names are listed, created only when chosen, and only if the import is committed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from chapter_app.cli import main
from chapter_app.domain.text import fold
from chapter_app.services.importer import Outcome, apply_import, plan_import
from chapter_app.services.setup import init_database
from chapter_app.store.store import Store
from tests.services.chapter_sheets import BRANCHES, UNITS, member_register_sheet
from tests.test_cli_exchange import _count


@pytest.fixture
def blank_db(tmp_path) -> Path:
    path = tmp_path / "xa.db"
    init_database(path, chapter_name="Hội Chữ thập đỏ xã Tịnh Kỳ", user="cli").close()
    return path


def _names(db: Path, table: str) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute(f"SELECT name FROM {table} WHERE deleted_at IS NULL")}
    finally:
        conn.close()


def test_without_create_missing_the_cli_lists_what_is_missing_and_imports_nothing(
    blank_db, tmp_path, capsys
):
    sheet = member_register_sheet(tmp_path / "ds.xlsx")
    for extra in ([], ["--valid-only"], ["--dry-run"]):
        code = main(["import", "members", str(sheet.path), "--db", str(blank_db), *extra])
        captured = capsys.readouterr()
        assert code == 1, extra
        for name in BRANCHES | UNITS:
            assert name in captured.err
        assert "--create-missing" in captured.err
        assert "Chi hội chưa có trong sổ: Chi hội An Vĩnh (46 dòng)" in captured.out
        assert "Ô F8" not in captured.out  # said once above, not on each of the 137 rows
        assert _count(blank_db, "members") == 0
        assert _names(blank_db, "branches") == set()
        assert _names(blank_db, "units") == set()


def test_create_missing_imports_every_row_and_creates_exactly_the_named_chi_hoi_and_thon(
    blank_db, tmp_path, capsys
):
    sheet = member_register_sheet(tmp_path / "ds.xlsx")
    code = main(["import", "members", str(sheet.path), "--db", str(blank_db), "--create-missing"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Trang tính «DS hội viên»: dòng tiêu đề 6–7; 137 dòng hội viên" in out
    assert "thêm 137 hội viên" in out
    assert _names(blank_db, "branches") == BRANCHES
    assert _names(blank_db, "units") == UNITS
    store = Store.open(blank_db, user="check")
    try:
        people = store.people.list()
        assert sorted(p.full_name for p in people) == sorted(sheet.names)
        assert sum(p.sex == "F" for p in people) == sheet.women
        assert all(p.birth_year for p in people)
        assert all(p.unit_id for p in people)
        members = store.members.list()
        branch_of = {b.id: b.name for b in store.branches.list()}
        counts: dict[str, int] = {}
        for member in members:
            counts[branch_of[member.branch_id]] = counts.get(branch_of[member.branch_id], 0) + 1
        assert counts["Chi hội An Vĩnh"] == 46  # two spellings, 23 rows each
        assert sum(counts.values()) == 137
        # Each new chi hội covers the thôn its rows name.
        unit_of = {u.id: u.name for u in store.units.list()}
        covered = {
            branch_of[link.branch_id]: unit_of[link.unit_id] for link in store.branches.units.list()
        }
        assert covered == {
            "Chi hội An Vĩnh": "Thôn An Vĩnh",
            "Chi hội thôn 3": "Thôn 3",
            "Chi hội Thôn Đông": "Thôn Đông",
            "Chi hội Thôn Tây": "Thôn Tây",
        }
    finally:
        store.close()


def test_the_missing_structure_is_created_in_the_import_transaction(blank_db, tmp_path):
    sheet = member_register_sheet(tmp_path / "ds.xlsx", rows=12)
    store = Store.open(blank_db, user="t")
    try:
        plan = plan_import(store, sheet.path, "members", create_missing=True)
        assert {m.name for m in plan.to_create} == BRANCHES | UNITS
        result = apply_import(store, plan)
        assert result.added == 12 and set(result.created) == BRANCHES | UNITS
        store.undo()  # one step takes back the members and what was created for them
        assert store.branches.list() == [] and store.units.list() == []
        assert store.members.list() == []
    finally:
        store.close()


def test_a_failed_import_leaves_no_chi_hoi_behind(blank_db, tmp_path, monkeypatch):
    sheet = member_register_sheet(tmp_path / "ds.xlsx", rows=12)
    store = Store.open(blank_db, user="t")
    try:
        plan = plan_import(store, sheet.path, "members", create_missing=True)
        from chapter_app.services.importer import members

        def broken(self, writer, payloads):
            raise RuntimeError("disk full")

        monkeypatch.setattr(members.MemberWriter, "add_all", broken)
        with pytest.raises(RuntimeError):
            apply_import(store, plan)
    finally:
        store.close()
    assert _names(blank_db, "branches") == set() and _names(blank_db, "units") == set()


def test_chi_hoi_not_chosen_are_errors_and_thon_not_chosen_go_into_the_address(blank_db, tmp_path):
    sheet = member_register_sheet(tmp_path / "ds.xlsx", rows=12)
    store = Store.open(blank_db, user="t")
    try:
        plan = plan_import(store, sheet.path, "members")
        assert plan.count(Outcome.ERROR) == 12
        assert plan.rows[0].messages() == [
            "Ô E8 (Thôn): Chưa có thôn, tổ dân phố “Thôn An Vĩnh” trong danh mục; đã ghi vào "
            "địa chỉ.",
            "Ô F8 (Chi hội): Chưa có chi hội “Chi hội An Vĩnh” trong sổ; chọn tạo chi hội này "
            "khi nhập.",
        ]
        keep = [m.key for m in plan.missing if m.what == "branch"]
        plan.choose_missing(keep)  # every chi hội, no thôn
        assert plan.count(Outcome.ERROR) == 0
        assert plan.count(Outcome.WARNING) == 12
        apply_import(store, plan)
        assert store.units.list() == []
        addresses = {p.full_name: p.address for p in store.people.list()}
        assert addresses[sheet.names[0]] == "Thôn An Vĩnh"
    finally:
        store.close()


def test_names_are_matched_without_tones_case_or_prefix(blank_db, tmp_path):
    store = Store.open(blank_db, user="t")
    try:
        store.branches.add(name="Chi hội Thôn 3")
        store.units.add(name="Thôn An Vĩnh")
        sheet = member_register_sheet(tmp_path / "ds.xlsx", rows=12)
        plan = plan_import(store, sheet.path, "members")
        missing = {m.name for m in plan.missing}
        assert missing == {"Chi hội An Vĩnh", "Chi hội Thôn Đông", "Chi hội Thôn Tây"} | {
            "Thôn 3",
            "Thôn Đông",
            "Thôn Tây",
        }
        assert all(fold(m.name) != "chi hoi thon 3" for m in plan.missing)
    finally:
        store.close()
