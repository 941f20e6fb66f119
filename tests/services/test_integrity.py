"""Integrity: every damaged-file case gives its own clear message and ways forward and
writes nothing; "Kiểm tra dữ liệu" finds the program's own problems and repairs after a
backup."""

from __future__ import annotations

import errno
import os
import sqlite3
from datetime import date

import pytest

from chapter_app.errors import (
    REMEDY_CHOOSE_FILE,
    REMEDY_CHOOSE_FOLDER,
    REMEDY_OPEN_BACKUP,
    REMEDY_OPEN_READ_ONLY,
    REMEDY_UPDATE_PROGRAM,
    AppError,
    DamagedDatabaseError,
    DatabaseError,
    DatabaseInUseError,
    DiskFullError,
    NewerDatabaseError,
    ReadOnlyLocationError,
)
from chapter_app.services import integrity as i
from chapter_app.services.backups import list_backups
from chapter_app.services.indicators import compute
from chapter_app.services.setup import init_database
from chapter_app.store import lock as lock_module
from chapter_app.store.backup import inspect_file
from chapter_app.store.lock import lock_path
from chapter_app.store.store import Store
from tests.services.test_backups import add_people, corrupt_table


def leftovers(db_path) -> list[str]:
    """Files beside the database that a refused open must not have created."""
    suffixes = ("-wal", "-shm", "-journal", ".lock")
    return sorted(p.name for p in db_path.parent.iterdir() if p.name.endswith(suffixes))


@pytest.fixture
def made(db_path):
    """A closed database with some people in it."""
    with init_database(db_path, chapter_name="Hội CTĐ xã Thử") as s:
        add_people(s, 300)
    return db_path


# --- each damaged-file case gives its message ----------------------------------------------------


def test_sound_file_opens_and_a_crash_before_is_reported(made):
    lock_path(made).write_text('{"pid": 99999999, "user": "cán bộ A"}', encoding="utf-8")
    with i.open_store(made, user="tester") as store:
        assert store.people.count() == 300
        assert store.lock.stale.user == "cán bộ A"


def test_missing_file_is_named_and_not_created(tmp_path):
    missing = tmp_path / "không có.db"
    with pytest.raises(DatabaseError, match="Không tìm thấy") as caught:
        i.open_store(missing)
    assert i.remedies_of(caught.value) == (REMEDY_CHOOSE_FILE,)
    assert not missing.exists()


def test_empty_file_is_called_damaged_and_left_alone(db_path):
    db_path.write_bytes(b"")
    with pytest.raises(DamagedDatabaseError, match="rỗng") as caught:
        i.open_store(db_path)
    assert REMEDY_OPEN_BACKUP in i.remedies_of(caught.value)
    assert db_path.read_bytes() == b""
    assert leftovers(db_path) == []


@pytest.mark.parametrize("read_only", [False, True])
def test_store_open_never_fills_in_an_existing_empty_file(db_path, read_only):
    db_path.write_bytes(b"")
    with pytest.raises(DamagedDatabaseError, match="rỗng"):
        Store.open(db_path, create=False, read_only=read_only)
    assert db_path.read_bytes() == b""
    assert leftovers(db_path) == []
    Store.open(db_path, user="tester").close()  # creating a new database there is allowed
    with i.open_store(db_path) as store:
        assert store.people.count() == 0


def test_a_file_that_is_not_a_database_is_refused_unchanged(db_path):
    content = "Họ và tên;Năm sinh\nNguyễn Văn An;1980\n".encode() * 50
    db_path.write_bytes(content)
    with pytest.raises(DamagedDatabaseError, match="không phải tệp dữ liệu") as caught:
        i.open_store(db_path)
    assert REMEDY_CHOOSE_FILE in i.remedies_of(caught.value)
    assert db_path.read_bytes() == content
    assert leftovers(db_path) == []


def test_a_truncated_file_is_called_truncated(made):
    data = made.read_bytes()
    made.write_bytes(data[: len(data) // 2])
    with pytest.raises(DamagedDatabaseError, match="bị cắt cụt") as caught:
        i.open_store(made)
    assert i.remedies_of(caught.value) == (REMEDY_OPEN_BACKUP, REMEDY_CHOOSE_FILE)
    assert len(made.read_bytes()) == len(data) // 2
    assert leftovers(made) == []


def test_a_damaged_file_fails_the_quick_check_on_open_and_is_closed_again(made):
    corrupt_table(made)
    before = made.read_bytes()
    with pytest.raises(DamagedDatabaseError, match="bị hỏng") as caught:
        i.open_store(made)
    assert REMEDY_OPEN_BACKUP in i.remedies_of(caught.value)
    assert "Traceback" not in caught.value.message
    assert not lock_path(made).exists()  # the store was closed
    assert made.read_bytes()[:100] == before[:100]


def test_a_file_from_a_newer_version_says_to_update(made):
    conn = sqlite3.connect(made)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('chapter_app', '9999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(NewerDatabaseError, match="phiên bản mới hơn") as caught:
        i.open_store(made)
    assert i.remedies_of(caught.value) == (REMEDY_UPDATE_PROGRAM, REMEDY_CHOOSE_FILE)


def test_a_read_only_folder_offers_read_only_or_another_folder(made, monkeypatch):
    real_open = os.open

    def refuse(path, *args, **kwargs):  # what a read-only folder does (root ignores chmod)
        if str(path).endswith(".lock"):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(lock_module.os, "open", refuse)
    with pytest.raises(ReadOnlyLocationError) as caught:
        i.open_store(made)
    assert "chỉ cho đọc" in caught.value.message
    assert i.remedies_of(caught.value) == (REMEDY_OPEN_READ_ONLY, REMEDY_CHOOSE_FOLDER)
    with i.open_store(made, read_only=True) as viewer:
        assert viewer.people.count() == 300


def test_a_full_disk_on_open_says_so(made, monkeypatch):
    def full(*args, **kwargs):
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError as exc:  # wrapped as Store.open wraps it
            raise DatabaseError("Không mở được tệp dữ liệu: tệp bị hỏng ...") from exc

    monkeypatch.setattr(Store, "open", full)
    with pytest.raises(DiskFullError, match="đã đầy") as caught:
        i.open_store(made)
    assert i.remedies_of(caught.value) == (REMEDY_CHOOSE_FOLDER,)


def test_a_full_disk_while_saving_is_explained_and_writes_nothing(made):
    with i.open_store(made, user="tester") as store:
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from now on
        with pytest.raises(sqlite3.OperationalError) as caught:
            add_people(store, 2000, prefix="Thêm")
        error = i.explain_error(caught.value, path=made)
        assert isinstance(error, DiskFullError)
        assert "dữ liệu cũ vẫn nguyên vẹn" in error.message
    with Store.open(made, read_only=True) as viewer:
        assert viewer.people.count() == 300  # nothing of the failed operation was kept


def test_a_folder_given_as_the_file_is_refused(tmp_path):
    with pytest.raises(DatabaseError, match="là một thư mục"):
        i.open_store(tmp_path)


def test_a_file_open_in_another_window_is_reported_as_in_use(made):
    with Store.open(made, user="cán bộ A"):
        with pytest.raises(DatabaseInUseError, match="cán bộ A") as caught:
            i.open_store(made, user="cán bộ B")
        assert i.remedies_of(caught.value) == (REMEDY_OPEN_READ_ONLY,)


@pytest.mark.parametrize(
    "exc, kind, words",
    [
        (
            sqlite3.OperationalError("attempt to write a readonly database"),
            ReadOnlyLocationError,
            "chỉ cho đọc",
        ),
        (
            sqlite3.DatabaseError("file is not a database"),
            DamagedDatabaseError,
            "không phải tệp dữ liệu",
        ),
        (
            sqlite3.DatabaseError("database disk image is malformed"),
            DamagedDatabaseError,
            "bị hỏng",
        ),
        (sqlite3.OperationalError("database or disk is full"), DiskFullError, "đã đầy"),
        (sqlite3.OperationalError("disk I/O error"), DatabaseError, "USB bị rút"),
        (sqlite3.OperationalError("database is locked"), DatabaseInUseError, "đang bận"),
        (OSError(errno.ENOSPC, "No space left"), DiskFullError, "đã đầy"),
        (PermissionError(errno.EACCES, "Permission denied"), ReadOnlyLocationError, "chỉ cho đọc"),
        (OSError(errno.EROFS, "Read-only file system"), ReadOnlyLocationError, "chỉ cho đọc"),
        (FileNotFoundError(errno.ENOENT, "No such file", "x.db"), DatabaseError, "Không tìm thấy"),
        (OSError(errno.EIO, "Input/output error"), DatabaseError, "Lỗi đọc/ghi"),
    ],
)
def test_explain_error_gives_each_failure_its_vietnamese_message(tmp_path, exc, kind, words):
    error = i.explain_error(exc, path=tmp_path / "chapter.db")
    assert type(error) is kind
    assert words in error.message
    named = str(getattr(exc, "filename", None) or tmp_path / "chapter.db")
    assert named in error.message or kind is DatabaseInUseError


def test_explain_error_passes_our_own_errors_through():
    original = NewerDatabaseError("x")
    assert i.explain_error(original, path="a.db") is original
    plain = DatabaseError("y")
    assert i.explain_error(plain, path="a.db") is plain


# --- Kiểm tra dữ liệu --------------------------------------------------------------------------


def test_a_clean_database_has_no_findings(store):
    add_people(store, 3)
    assert i.run_full_check(store) == []


def problems(store):
    """One of each kind of problem the program looks for."""
    today = date(2026, 6, 30)
    gone = store.people.add(full_name="Người Đã Xóa")
    member = store.members.add(person_id=gone.id, branch_id=None, admitted_on=date(2020, 1, 1))
    store.people.delete(gone.id)  # the person goes, the membership stays: an orphan
    address = store.addresses.add(name="Hộ Bà Tư", opened_on=date(2020, 1, 1))
    sponsor = store.sponsors.add(name="Công ty A")
    store.commitments.add(
        sponsor_id=sponsor.id,
        address_id=address.id,
        start_on=date(2021, 1, 1),
        end_on=date(2025, 12, 31),
        amount=500_000,
    )
    closed = store.addresses.add(name="Hộ Đã Xóa", opened_on=date(2020, 1, 1))
    aid = store.aid.add(
        given_on=date(2026, 5, 1),
        recipient_kind="address",
        address_id=closed.id,
        cash_value=300_000,
        persons_reached=4,
        households_reached=1,
    )
    store.addresses.delete(closed.id)
    bad_id = store.people.add(full_name="Lê Văn Sai", id_number="12345")
    store.people.add(full_name="Lê Văn Đúng", id_number="001080001234", sex="M", birth_year=1980)
    return today, member, address, aid, bad_id


def test_full_check_finds_each_kind_of_problem(store):
    today, member, address, aid, bad_id = problems(store)
    findings = i.run_full_check(store, today=today)
    by_code = {f.code: f for f in findings}
    assert sorted(by_code) == [
        "aid_without_recipient",
        "expired_commitments",
        "invalid_id_number",
        "orphan_role",
    ]
    assert len(findings) == 4
    assert by_code["orphan_role"].row_ids == (member.id,)
    assert by_code["orphan_role"].repairable
    assert by_code["expired_commitments"].row_ids == (address.id,)
    assert "31/12/2025" in by_code["expired_commitments"].description
    assert not by_code["expired_commitments"].repairable
    assert by_code["aid_without_recipient"].row_ids == (aid.id,)
    assert "01/05/2026" in by_code["aid_without_recipient"].description
    assert by_code["invalid_id_number"].row_ids == (bad_id.id,)
    assert "Lê Văn Sai" in by_code["invalid_id_number"].description
    assert not by_code["invalid_id_number"].repairable


def test_an_active_or_open_ended_commitment_is_not_a_finding(store):
    address = store.addresses.add(name="Hộ Ông Năm", opened_on=date(2020, 1, 1))
    sponsor = store.sponsors.add(name="Công ty B")
    store.commitments.add(
        sponsor_id=sponsor.id, address_id=address.id, start_on=date(2021, 1, 1), amount=1
    )
    assert i.run_full_check(store, today=date(2026, 6, 30)) == []


def test_repairs_are_preceded_by_a_backup_and_keep_the_figures(store):
    today, member, _address, aid, _bad = problems(store)
    figures_before = compute(store, date(2026, 1, 1), today)
    findings = i.run_full_check(store, today=today)

    backup = i.apply_repairs(store, findings)

    assert backup is not None and backup.name.endswith("-before-repair.db")
    assert [b.path for b in list_backups(backup.parent, db_path=store.path)] == [backup]
    assert inspect_file(backup).usable
    conn = sqlite3.connect(backup)  # the backup holds the state before the repair
    assert conn.execute("SELECT deleted_at FROM members WHERE id = ?", [member.id]).fetchone() == (
        None,
    )
    conn.close()
    assert store.members.find(member.id) is None  # the orphan role is gone
    repaired = store.aid.get(aid.id)
    assert (repaired.recipient_kind, repaired.head_count) == ("group", 4)
    assert compute(store, date(2026, 1, 1), today) == figures_before
    assert store.undo_label == "Sửa 2 lỗi dữ liệu"  # one undo step
    assert {f.code for f in i.run_full_check(store, today=today)} == {
        "expired_commitments",
        "invalid_id_number",
    }


def test_nothing_repairable_makes_no_backup(store):
    store.people.add(full_name="Lê Văn Sai", id_number="12345")
    findings = i.run_full_check(store)
    assert [f.code for f in findings] == ["invalid_id_number"]
    assert i.apply_repairs(store, findings) is None
    assert not (store.path.parent / "backups").exists()


def test_a_damaged_file_is_reported_and_not_repaired(made):
    corrupt_table(made)
    with Store.open(made, user="tester") as store:
        findings = i.run_full_check(store)
        assert findings and {f.code for f in findings} == {"integrity"}
        assert "khôi phục" in findings[0].description
        fake = i.Finding("orphan_role", "x", "members", (1,), "x", lambda s: None)
        with pytest.raises(DamagedDatabaseError):
            i.apply_repairs(store, [fake])


def test_every_remedy_has_a_vietnamese_label():
    for kind in (DamagedDatabaseError, ReadOnlyLocationError, DiskFullError, DatabaseInUseError):
        for remedy in kind.remedies:
            assert i.REMEDY_LABELS[remedy]
    assert i.remedies_of(AppError("x")) == ()
