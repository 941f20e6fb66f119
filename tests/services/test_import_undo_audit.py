"""A large import is one undo step that gives the register back exactly, is summarised in
one audit entry and audited as one run of ids per table (found among each row's entries),
and is written chunk by chunk in one transaction: all of it or nothing, whatever the
number of rows, with its undo kept as a few runs of ids."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from chapter_app.services.importer import apply_import, plan_import
from chapter_app.store import bulk
from chapter_app.store.operations import InsertedRows
from chapter_app.store.repository import Query
from chapter_app.store.store import Store
from tests.services.test_import_sheets import TODAY, simple_sheet

ROWS = 2000
REGISTER = ("people", "members", "member_status", "branches", "units")
HEADER = ["Họ và tên", "Năm sinh", "Số CCCD", "Thôn", "Chi hội", "Ngày vào Hội", "Tình trạng"]
HEADER += ["Ngày đổi tình trạng"]
LABEL = "Nhập hội viên từ tệp ds.xlsx"


def big_sheet(path: Path, rows: int = ROWS) -> Path:
    """``rows`` members over two chi hội (one not on file), every tenth one who left, and
    first the person already on file (a duplicate, to update)."""
    lines = [["Trần Thị Bình", 1970, None, "Thôn 1", "Chi hội Thôn 1", "01/03/2015", None, None]]
    for n in range(1, rows):
        left = n % 10 == 0
        lines.append(
            [
                f"Nguyễn Văn Hội {n}",
                1950 + n % 50,
                f"{51_000_000_000 + n:012d}",
                "Thôn 1",
                f"Chi hội Thôn {1 + n % 2}",
                "01/02/2020",
                "Ra khỏi Hội" if left else None,
                "01/06/2024" if left else None,
            ]
        )
    return simple_sheet(path, HEADER, lines)


def snapshot(store: Store) -> dict[str, list[dict]]:
    """Every row of the register's tables, tombstones included, as stored."""
    found = {}
    for table in REGISTER:
        cursor = store.db.execute(f"SELECT * FROM [{table}] ORDER BY id")
        names = [d[0] for d in cursor.description]
        found[table] = [dict(zip(names, row, strict=True)) for row in cursor]
    return found


def live(rows_by_table: dict[str, list[dict]]) -> dict[str, list[dict]]:
    return {t: [r for r in rows if r["deleted_at"] is None] for t, rows in rows_by_table.items()}


@pytest.fixture
def chapter(store):
    store.branches.add(name="Chi hội Thôn 1")
    store.units.add(name="Thôn 1")
    store.people.add(full_name="Trần Thị Bình", birth_year=1970, phone="0905111222")
    return store


def _import(store: Store, tmp_path: Path):
    sheet = big_sheet(tmp_path / "ds.xlsx")
    plan = plan_import(store, sheet, "members", today=TODAY, create_missing=True)  # Thôn 2
    return apply_import(store, plan, on_duplicate="update")


def test_undo_of_a_2000_row_import_gives_the_register_back_exactly(chapter, tmp_path):
    before = snapshot(chapter)
    result = _import(chapter, tmp_path)
    assert (result.added, result.updated) == (ROWS - 1, 1)
    after = snapshot(chapter)
    assert chapter.members.count() == ROWS
    assert len(live(after)["member_status"]) == ROWS + (ROWS - 1) // 10
    assert [p.full_name for p in chapter.people.search("hoi 1999")] == ["Nguyễn Văn Hội 1999"]

    assert chapter.undo() == LABEL
    undone = snapshot(chapter)
    assert live(undone) == live(before)
    for table, rows in before.items():  # untouched, the person updated by the import too
        assert undone[table][: len(rows)] == rows
    added = [row for table in REGISTER for row in undone[table][len(before[table]) :]]
    assert len(added) > 2 * ROWS and all(row["deleted_at"] for row in added)  # tombstones
    assert chapter.people.search("hoi 1999") == [] and chapter.members.count() == 0
    assert [b.name for b in chapter.branches.list()] == ["Chi hội Thôn 1"]

    assert chapter.redo() == LABEL
    assert snapshot(chapter) == after
    assert [p.full_name for p in chapter.people.search("hoi 1999")] == ["Nguyễn Văn Hội 1999"]


def test_the_import_is_summarised_in_one_entry_and_audited_as_runs_of_ids(chapter, tmp_path):
    _import(chapter, tmp_path)
    [summary] = chapter.audit_entries(action="import")
    assert summary.op_label == LABEL
    details = summary.new_values
    assert (details["file"], details["kind"], details["rows"]) == ("ds.xlsx", "members", ROWS)
    assert (details["added"], details["updated"]) == (ROWS - 1, 1)
    assert details["created"] == ["Chi hội Thôn 2"] and details["backup"]

    entries = [e for e in chapter.audit_entries(limit=100) if e.op_id == summary.op_id]
    runs = {e.table_name: e.new_values for e in entries if e.action == "insert" and not e.row_id}
    assert runs["people"]["rows"] == ROWS - 1 and runs["members"]["rows"] == ROWS - 1
    assert runs["member_status"]["rows"] == ROWS - 1 + 199
    assert len(entries) < 20  # the summary, the runs, the chi hội and the person updated
    # a person's history finds the import that added them (as the dossier shows it)
    person = chapter.people.search("hoi 7")[0]
    [entry] = chapter.audit_entries(table="people", row_id=person.id)
    assert (entry.action, entry.op_id, entry.user) == ("insert", summary.op_id, "tester")
    assert entry.new_values["first_id"] <= person.id <= entry.new_values["last_id"]

    chapter.undo()
    undo = chapter.audit_entries(action="undo", table="people", row_id=person.id)
    assert [e.new_values["rows"] for e in undo] == [ROWS - 1]
    assert undo[0].old_values == {"deleted_at": None} and undo[0].new_values["deleted_at"]
    chapter.redo()
    [redo] = chapter.audit_entries(action="redo", table="people", row_id=person.id)
    assert redo.new_values["deleted_at"] is None and redo.new_values["rows"] == ROWS - 1
    history = chapter.audit_entries(table="people", row_id=person.id)
    assert [e.action for e in history] == ["redo", "undo", "insert"]


def test_the_undo_of_a_large_import_is_kept_as_a_few_runs_of_ids(chapter, tmp_path):
    seen = []
    chapter.ops.listeners.append(seen.append)
    _import(chapter, tmp_path)
    [op] = [op for op in seen if op.label == LABEL]
    runs = [c for c in op.changes if isinstance(c, InsertedRows)]
    assert sum(c.count for c in runs if c.table == "people") == ROWS - 1
    assert sum(c.count for c in runs if c.table == "member_status") == ROWS - 1 + 199
    assert len(op.changes) < 20 * (ROWS // bulk.CHUNK_ROWS + 1)


def test_rows_written_chunk_by_chunk_are_all_kept_or_none(chapter, tmp_path, db_path, monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 100)  # many chunks
    sheet = big_sheet(tmp_path / "ds.xlsx", 600)
    plan = plan_import(chapter, sheet, "members", today=TODAY, create_missing=True)
    calls = []
    real_write = bulk.BulkWriter._write_pending

    def dies_on_the_fifth_chunk(self):
        calls.append(self.pending)
        if len(calls) == 5:
            raise OSError("disk went away")
        real_write(self)

    monkeypatch.setattr(bulk.BulkWriter, "_write_pending", dies_on_the_fifth_chunk)
    counts = _counts(db_path)
    with pytest.raises(OSError):
        apply_import(chapter, plan)
    assert calls[:4] == [100] * 4
    assert _counts(db_path) == counts  # seen from a second connection
    assert chapter.branches.count() == 1
    assert _audited(db_path, LABEL) == 0  # the backup taken before is noted, nothing else

    monkeypatch.setattr(bulk.BulkWriter, "_write_pending", real_write)
    plan = plan_import(chapter, sheet, "members", today=TODAY, create_missing=True)
    assert apply_import(chapter, plan).added == 599
    assert _counts(db_path)["members"] == 599  # the person on file skipped


def _counts(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM [{t}]").fetchone()[0] for t in REGISTER}
    finally:
        conn.close()


def _audited(db_path: Path, label: str) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        sql = "SELECT COUNT(*) FROM audit_log WHERE op_label = ?"
        return conn.execute(sql, [label]).fetchone()[0]
    finally:
        conn.close()


def test_bulk_uuids_are_distinct_random_version_4():
    texts = list(bulk.uuid4_texts(5000))
    assert len(set(texts)) == 5000
    for text in texts[:500]:
        value = uuid.UUID(text)
        assert value.version == 4 and value.variant == uuid.RFC_4122 and str(value) == text


def test_a_persons_data_export_shows_the_import_and_erasure_leaves_no_copy_in_the_log(
    chapter, tmp_path
):
    from chapter_app.services.privacy import anonymise_person, export_person

    _import(chapter, tmp_path)
    person = chapter.people.search("hoi 7")[0]
    data = export_person(chapter, person.id, reason="Người này yêu cầu")
    imports = [e for e in data["audit"] if e["op_label"] == LABEL]
    assert sorted(e["table_name"] for e in imports) == ["members", "people"]

    anonymise_person(chapter, person.id, reason="Người này yêu cầu xóa")
    found = chapter.db.execute(
        "SELECT COUNT(*) FROM audit_log WHERE old_values LIKE ? OR new_values LIKE ?",
        ['%Hội 7"%', '%Hội 7"%'],
    ).fetchone()[0]
    assert found == 0


def _index_sql(store: Store) -> dict[str, str]:
    rows = store.db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
    return dict(rows.fetchall())


def test_an_import_with_the_indexes_set_aside_is_whole_undone_and_redone(
    chapter, tmp_path, monkeypatch
):
    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 100)  # 2,000 rows, 1 person on file
    set_aside = []
    real = bulk.indexes_set_aside

    def noting(*args, **kwargs):
        with real(*args, **kwargs) as tables:
            set_aside.extend(tables)
            yield tables

    monkeypatch.setattr(bulk, "indexes_set_aside", contextmanager(noting))
    monkeypatch.setattr("chapter_app.store.exchange.indexes_set_aside", contextmanager(noting))
    indexes, before = _index_sql(chapter), snapshot(chapter)
    assert _import(chapter, tmp_path).added == ROWS - 1
    assert {"people", "members", "member_status"} <= set(set_aside)
    assert _index_sql(chapter) == indexes
    assert chapter.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert [p.full_name for p in chapter.people.search("hoi 1999")] == ["Nguyễn Văn Hội 1999"]
    [bình] = chapter.people.find_duplicates(full_name="Trần Thị Bình", birth_year=1970)
    assert chapter.members.list(Query(filters={"person_id": bình.id}))
    after = snapshot(chapter)
    chapter.undo()
    assert live(snapshot(chapter)) == live(before)
    chapter.redo()
    assert snapshot(chapter) == after


def test_an_import_failing_with_the_indexes_set_aside_leaves_them_and_no_row(
    chapter, tmp_path, db_path, monkeypatch
):
    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 100)
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 300)
    plan = plan_import(chapter, big_sheet(tmp_path / "ds.xlsx", 600), "members", today=TODAY)
    real_write = bulk.BulkWriter._write_pending
    calls = []

    def dies_on_the_third_chunk(self):
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk went away")
        real_write(self)

    monkeypatch.setattr(bulk.BulkWriter, "_write_pending", dies_on_the_third_chunk)
    indexes, counts = _index_sql(chapter), _counts(db_path)
    with pytest.raises(OSError):
        apply_import(chapter, plan, valid_only=True)
    assert _index_sql(chapter) == indexes and _counts(db_path) == counts
    assert chapter.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
