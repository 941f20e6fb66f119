"""Backups: consistent copies from sound files only, made when something changed, listed
with dates and counts, thinned by the settings' counts, restored with a safety copy."""

from __future__ import annotations

import errno
import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from chapter_app.errors import DamagedDatabaseError, DatabaseInUseError, DiskFullError
from chapter_app.services import backups as b
from chapter_app.services.setup import init_database
from chapter_app.store.backup import inspect_file
from chapter_app.store.store import Store


def corrupt_table(db_path: Path, table: str = "people") -> None:
    """Overwrite the root page of ``table`` with garbage (the file must be closed)."""
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    conn.close()
    with open(db_path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(bytes([0xA5]) * page_size)


def add_people(store: Store, n: int, prefix: str = "Người") -> None:
    with store.operation("Thêm người"):
        for i in range(n):
            store.people.add(full_name=f"{prefix} Thử {i}")


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- making backups ---------------------------------------------------------------------------


def test_backup_is_a_consistent_copy_that_includes_writes_still_in_the_wal(store, tmp_path):
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    store.db.execute("PRAGMA wal_autocheckpoint = 0")  # keep recent pages in the -wal file
    store.people.add(full_name="Nguyễn Văn An")
    plain_copy = tmp_path / "plain-copy.db"
    shutil.copyfile(store.path, plain_copy)  # what a file copy would have kept
    conn = sqlite3.connect(plain_copy)
    assert conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 0
    conn.close()

    dest = b.create_backup(store, reason="manual", dest_dir=tmp_path / "out")

    assert dest.parent == tmp_path / "out"
    assert dest.name.startswith("chapter-") and dest.name.endswith("-manual.db")
    report = inspect_file(dest)
    assert report.usable
    assert report.counts["people"] == 1
    conn = sqlite3.connect(dest)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert files(tmp_path / "out") == [dest.name]  # no partial file left beside it
    (entry,) = store.audit_entries(action="backup")
    assert entry.new_values == {
        "file": dest.name,
        "folder": str(dest.parent),
        "reason": "manual",
        "protected": False,
    }


def test_backups_go_to_the_folder_named_in_the_settings(store, tmp_path):
    usb = tmp_path / "usb" / "sao lưu"
    store.settings.set("backups_dir", str(usb))
    dest = b.create_backup(store)
    assert dest.parent == usb
    assert b.backups_dir(store) == usb


def test_default_backups_folder_is_beside_the_database(store):
    dest = b.create_backup(store)
    assert dest.parent == store.path.parent / "backups"


def test_no_backup_is_made_from_a_damaged_database(db_path, tmp_path):
    with init_database(db_path, chapter_name="Hội CTĐ xã Thử") as s:
        add_people(s, 300)
    corrupt_table(db_path)
    out = tmp_path / "out"
    with Store.open(db_path, user="tester") as damaged:  # opening does not read the people
        with pytest.raises(DamagedDatabaseError) as caught:
            b.create_backup(damaged, dest_dir=out)
        assert "không sao lưu" in caught.value.message
        with pytest.raises(DamagedDatabaseError):
            b.backup_if_changed(damaged)
    assert files(out) == []
    assert files(db_path.parent / "backups") == []


def test_two_backups_in_the_same_second_do_not_overwrite_each_other(store, tmp_path):
    moment = datetime(2026, 3, 1, 10, 0, 0)
    first = b.create_backup(store, dest_dir=tmp_path, now=moment)
    second = b.create_backup(store, dest_dir=tmp_path, now=moment)
    assert first != second
    assert first.exists() and second.exists()


def test_backup_if_changed_backs_up_only_when_something_changed(store, tmp_path):
    store.settings.set("backups_dir", str(tmp_path / "bk"))
    first = b.backup_if_changed(store)
    assert first is not None  # never backed up before
    assert b.backup_if_changed(store) is None  # nothing changed since (its own log aside)
    assert b.backup_if_changed(store, reason="close") is None
    store.people.add(full_name="Trần Thị Bình")
    assert b.has_changes_since_backup(store)
    second = b.backup_if_changed(store, reason="close")
    assert second is not None and second.name.endswith("-close.db")
    assert not b.has_changes_since_backup(store)
    assert inspect_file(second).counts["people"] == 1


def test_nothing_changed_survives_reopening(db_path, tmp_path):
    with init_database(db_path, chapter_name="Hội CTĐ xã Thử") as s:
        assert b.backup_if_changed(s) is not None
    with Store.open(db_path, user="tester") as again:
        assert b.backup_if_changed(again) is None


def test_read_only_store_makes_no_automatic_backup(db_path):
    init_database(db_path, chapter_name="Hội CTĐ xã Thử").close()
    with Store.open(db_path, read_only=True) as viewer:
        assert b.backup_if_changed(viewer) is None


def test_unreachable_backup_folder_falls_back_beside_the_database(store, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    store.settings.set("backups_dir", str(blocker / "backups"))  # like an unplugged USB stick
    with pytest.raises(b.BackupLocationError) as caught:
        b.create_backup(store)
    assert "Cài đặt" in caught.value.message
    dest = b.backup_if_changed(store)
    assert dest is not None and dest.parent == store.path.parent / "backups"


@pytest.mark.parametrize(
    "failure",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        sqlite3.OperationalError("database or disk is full"),
    ],
)
def test_full_backup_disk_gives_a_clear_message(store, tmp_path, monkeypatch, failure):
    def full(*args, **kwargs):
        raise failure

    monkeypatch.setattr(b, "copy_database", full)
    with pytest.raises(DiskFullError) as caught:
        b.create_backup(store, dest_dir=tmp_path)
    assert "đầy" in caught.value.message
    assert store.audit_entries(action="backup") == []


def test_a_backup_that_fails_midway_leaves_no_file(store, tmp_path, monkeypatch):
    from chapter_app.store import backup as store_backup

    def broken_check(conn):
        return ["*** in database main *** Page 7: btreeInitPage() returns error code 11"]

    monkeypatch.setattr(store_backup, "quick_check", broken_check)  # the copy's check only
    with pytest.raises(b.BackupLocationError):  # the database itself is sound
        b.create_backup(store, dest_dir=tmp_path / "out")
    assert files(tmp_path / "out") == []


def test_a_backup_whose_sync_fails_leaves_no_file(store, tmp_path, monkeypatch):
    from chapter_app.store import backup as store_backup

    def failing(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(store_backup, "_datasync", failing)
    with pytest.raises(b.BackupLocationError):
        b.create_backup(store, dest_dir=tmp_path / "out")
    assert files(tmp_path / "out") == []
    assert store.audit_entries(action="backup") == []


def test_a_backup_takes_its_name_only_after_its_sync(store, tmp_path, monkeypatch):
    from chapter_app.store import backup as store_backup

    synced: list[list[str]] = []
    real = store_backup._datasync

    def watching(fd):
        real(fd)
        synced.append(files(tmp_path / "out"))  # what the folder held when the sync ended

    monkeypatch.setattr(store_backup, "_datasync", watching)
    add_people(store, 3)
    dest = b.create_backup(store, dest_dir=tmp_path / "out", thin=False)
    assert len(synced) == 1 and not any(n.endswith(".db") for n in synced[0])
    assert inspect_file(dest).usable and inspect_file(dest).counts["people"] == 3


def test_a_backup_is_synced_through_a_handle_open_for_writing(store, tmp_path, monkeypatch):
    """Windows flushes (FlushFileBuffers, behind os.fsync) only a writable handle: a
    read-only one fails with EBADF, which would refuse every backup there."""
    import os

    from chapter_app.store import backup as store_backup

    modes: list[int] = []
    real_open = os.open

    def watching_open(path, flags, *args, **kwargs):
        if str(path).endswith(store_backup.PARTIAL_SUFFIX):
            modes.append(flags & (os.O_RDONLY | os.O_WRONLY | os.O_RDWR))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(store_backup.os, "open", watching_open)
    b.create_backup(store, dest_dir=tmp_path / "out", thin=False)
    assert modes == [os.O_RDWR]


def test_a_backup_checks_once_the_copy_not_also_the_database(store, tmp_path, monkeypatch):
    from chapter_app.store import backup as store_backup

    checked: list[str] = []
    real = store_backup.quick_check

    def counting(conn):
        checked.append(conn.execute("PRAGMA database_list").fetchone()[2])
        return real(conn)

    monkeypatch.setattr(store_backup, "quick_check", counting)
    monkeypatch.setattr(b, "quick_check", counting)
    add_people(store, 3)
    dest = b.backup_if_changed(store)
    assert len(checked) == 1 and checked[0].endswith(".partial")
    assert dest is not None and dest.exists()


# --- listing ----------------------------------------------------------------------------------


def test_list_shows_dates_reasons_and_record_counts_newest_first(store, tmp_path):
    folder = tmp_path / "bk"
    add_people(store, 2)
    b.create_backup(store, dest_dir=folder, now=datetime(2026, 3, 1, 9, 0), thin=False)
    add_people(store, 3, prefix="Khác")
    b.create_backup(
        store, reason="before-import", dest_dir=folder, now=datetime(2026, 3, 2, 9, 0), thin=False
    )
    (folder / "other-20260303-090000-manual.db").write_bytes(b"another database's backup")
    (folder / "notes.txt").write_text("x")

    listed = b.list_backups(folder, db_path=store.path)

    assert [(i.made_at, i.reason, i.counts["people"]) for i in listed] == [
        (datetime(2026, 3, 2, 9, 0), "before-import", 5),
        (datetime(2026, 3, 1, 9, 0), "manual", 2),
    ]
    assert listed[0].reason_label == "Trước khi nhập dữ liệu"
    assert listed[0].chapter_name == "Hội Chữ thập đỏ xã Thử Nghiệm"
    assert all(i.usable and i.size > 0 for i in listed)
    everything = b.list_backups(folder, check=True)
    assert len(everything) == 3
    assert not everything[0].usable and everything[0].error  # the garbage file, flagged


def test_newest_good_backup_skips_a_damaged_newer_one(store, tmp_path):
    folder = tmp_path / "bk"
    add_people(store, 300)
    good = b.create_backup(store, dest_dir=folder, now=datetime(2026, 3, 1, 9, 0), thin=False)
    bad = b.create_backup(store, dest_dir=folder, now=datetime(2026, 3, 2, 9, 0), thin=False)
    corrupt_table(bad)
    assert b.newest_good_backup(folder, db_path=store.path).path == good


# --- thinning ---------------------------------------------------------------------------------

NOW = datetime(2026, 6, 15, 14, 0)  # a Monday


def hourly(start: datetime, end: datetime) -> list[tuple[Path, datetime]]:
    items, moment = [], start
    while moment <= end:
        items.append((Path(f"b-{moment:%Y%m%d-%H%M%S}.db"), moment))
        moment += timedelta(hours=5)
    return items


def kept(items, **counts) -> list[datetime]:
    doomed = b.plan_thinning(items, now=NOW, **counts)
    return sorted(at for path, at in items if path not in doomed)


def test_thinning_keeps_today_then_one_a_day_then_weekly_then_monthly():
    items = hourly(datetime(2024, 1, 1), NOW)  # every 5 hours for two and a half years
    survivors = kept(items, keep_daily=14, keep_weekly=8, keep_monthly=12)

    todays = [at for _, at in items if at.date() == NOW.date()]
    daily = [date(2026, 6, d) for d in range(1, 15)]  # the 14 days before today
    # then the newest of each of 8 ISO weeks not already kept (weeks 22 back to 15)
    weekly = [date(2026, 5, d) for d in (31, 24, 17, 10, 3)] + [
        date(2026, 4, d) for d in (26, 19, 12)
    ]
    # then the newest of each of 12 months not already kept (April 2026 back to May 2025)
    monthly = [date(2026, 4, 30), date(2026, 3, 31), date(2026, 2, 28), date(2026, 1, 31)] + [
        date(2025, m, d)
        for m, d in ((12, 31), (11, 30), (10, 31), (9, 30), (8, 31), (7, 31), (6, 30), (5, 31))
    ]
    newest_of_day = {}
    for _, at in items:
        newest_of_day[at.date()] = max(at, newest_of_day.get(at.date(), at))
    expected = sorted(todays + [newest_of_day[d] for d in daily + weekly + monthly])
    assert survivors == expected


def test_thinning_counts_come_from_the_arguments():
    items = hourly(datetime(2025, 1, 1), NOW)
    assert len(kept(items, keep_daily=3, keep_weekly=0, keep_monthly=0)) == 3 + sum(
        1 for _, at in items if at.date() == NOW.date()
    )
    fewer = kept(items, keep_daily=2, keep_weekly=1, keep_monthly=1)
    assert len([at for at in fewer if at.date() < NOW.date()]) == 4


def test_thinning_always_keeps_the_newest_backup_and_backups_dated_later():
    old = [(Path("a.db"), datetime(2020, 1, 1)), (Path("b.db"), datetime(2019, 1, 1))]
    assert b.plan_thinning(old, now=NOW, keep_daily=0, keep_weekly=0, keep_monthly=0) == {
        Path("b.db")
    }
    future = [(Path("f.db"), NOW + timedelta(days=3)), *old]
    doomed = b.plan_thinning(future, now=NOW, keep_daily=0, keep_weekly=0, keep_monthly=0)
    assert doomed == {Path("a.db"), Path("b.db")}
    assert b.plan_thinning([], now=NOW, keep_daily=1, keep_weekly=1, keep_monthly=1) == set()


def test_thinning_with_gaps_counts_days_that_have_backups():
    items = [(Path(f"{d}.db"), datetime(2026, 6, d, 12)) for d in (1, 5, 9, 10)]
    assert kept(items, keep_daily=3, keep_weekly=0, keep_monthly=0) == [
        datetime(2026, 6, d, 12) for d in (5, 9, 10)
    ]


def test_thin_backups_deletes_only_this_databases_planned_files(store, tmp_path):
    folder = tmp_path / "bk"
    for day in range(1, 6):
        b.create_backup(store, dest_dir=folder, now=datetime(2026, 5, day, 8, 0), thin=False)
    foreign = folder / "other-20260101-080000-manual.db"
    foreign.write_bytes(b"x")
    deleted = b.thin_backups(
        folder, db_path=store.path, now=NOW, keep_daily=2, keep_weekly=0, keep_monthly=0
    )
    assert sorted(p.name for p in deleted) == [
        "chapter-20260501-080000-manual.db",
        "chapter-20260502-080000-manual.db",
        "chapter-20260503-080000-manual.db",
    ]
    assert foreign.exists()
    assert files(folder) == [
        "chapter-20260504-080000-manual.db",
        "chapter-20260505-080000-manual.db",
        foreign.name,
    ]


def test_create_backup_thins_with_the_settings_counts(store, tmp_path):
    folder = tmp_path / "bk"
    store.settings.update(
        {"backup_keep_daily": 1, "backup_keep_weekly": 0, "backup_keep_monthly": 0}
    )
    for day in (1, 2, 3):
        b.create_backup(store, dest_dir=folder, now=datetime(2026, 5, day, 8, 0))
    assert files(folder) == [
        "chapter-20260502-080000-manual.db",
        "chapter-20260503-080000-manual.db",
    ]


# --- restoring --------------------------------------------------------------------------------


def test_restore_round_trip_keeps_a_copy_of_the_state_it_replaces(db_path, tmp_path):
    folder = tmp_path / "bk"
    with init_database(db_path, chapter_name="Hội CTĐ xã Thử") as s:
        s.people.add(full_name="Nguyễn Văn An")
        backup = b.create_backup(s, dest_dir=folder)
        s.people.add(full_name="Trần Thị Bình")  # written after the backup

    result = b.restore_backup(db_path, backup, backups_folder=folder, user="cán bộ A")

    assert result.counts["people"] == 1
    with Store.open(db_path, user="tester") as restored:
        assert [p.full_name for p in restored.people.list()] == ["Nguyễn Văn An"]
        (entry,) = restored.audit_entries(action="restore_backup")
        assert entry.user == "cán bộ A"
        assert entry.new_values["from"] == str(backup)
        assert entry.new_values["safety_copy"] == str(result.safety_copy)
    assert inspect_file(db_path).usable
    safety = inspect_file(result.safety_copy)
    assert result.safety_copy.name.endswith("-before-restore.db")
    assert safety.usable and safety.counts["people"] == 2  # nothing was lost by restoring
    assert not db_path.with_name(db_path.name + ".restoring").exists()


def test_restore_refuses_a_damaged_backup_and_leaves_the_database_alone(db_path, tmp_path):
    with init_database(db_path, chapter_name="Hội CTĐ xã Thử") as s:
        add_people(s, 300)
        backup = b.create_backup(s, dest_dir=tmp_path / "bk")
        s.people.add(full_name="Người Sau Cùng")
    corrupt_table(backup)
    before = db_path.read_bytes()
    with pytest.raises(DamagedDatabaseError) as caught:
        b.restore_backup(db_path, backup)
    assert "bị hỏng" in caught.value.message
    assert db_path.read_bytes() == before
    assert files(db_path.parent / "backups") == []


def test_restore_refuses_a_file_that_is_not_our_backup(db_path, tmp_path):
    init_database(db_path, chapter_name="Hội CTĐ xã Thử").close()
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(DamagedDatabaseError, match="không phải bản sao lưu"):
        b.restore_backup(db_path, foreign)


def test_restore_refuses_while_the_database_is_open_for_writing(store, tmp_path):
    backup = b.create_backup(store, dest_dir=tmp_path / "bk")
    with pytest.raises(DatabaseInUseError):
        b.restore_backup(store.path, backup)


def test_restoring_over_a_damaged_database_keeps_its_bytes_aside(db_path, tmp_path):
    folder = tmp_path / "bk"
    with init_database(db_path, chapter_name="Hội CTĐ xã Thử") as s:
        add_people(s, 300)
        backup = b.create_backup(s, dest_dir=folder)
    corrupt_table(db_path)
    damaged_bytes = db_path.read_bytes()
    result = b.restore_backup(db_path, backup, backups_folder=folder)
    assert result.safety_copy.name.endswith("-damaged.db")
    assert result.safety_copy.read_bytes() == damaged_bytes
    assert inspect_file(db_path).usable
    assert inspect_file(db_path).counts["people"] == 300


def test_restore_of_an_older_backup_day_is_verified_by_its_record_counts(db_path, tmp_path):
    folder = tmp_path / "bk"
    with init_database(db_path, chapter_name="Hội CTĐ xã Thử") as s:
        b.create_backup(s, dest_dir=folder, now=datetime(2026, 1, 1, 8), thin=False)
        s.people.add(full_name="Nguyễn Văn An")
        b.create_backup(s, dest_dir=folder, now=datetime(2026, 1, 2, 8), thin=False)
    listed = b.list_backups(folder, db_path=db_path)
    oldest = listed[-1]
    assert oldest.made_at.date() == date(2026, 1, 1)
    result = b.restore_backup(db_path, oldest.path, backups_folder=folder)
    assert result.counts == oldest.counts
    assert inspect_file(db_path).counts == oldest.counts


# --- backups locked with a password ----------------------------------------------------------


def test_a_backup_copied_out_can_be_locked_with_a_password_and_restored(db_path, tmp_path):
    from chapter_app.errors import WrongPasswordError

    usb = tmp_path / "usb"
    with init_database(db_path, chapter_name="Hội CTĐ xã Thử") as s:
        s.people.add(full_name="Nguyễn Văn Mật", id_number="051190001234")
        locked = b.create_backup(s, dest_dir=usb, password="mật khẩu USB")
        s.people.add(full_name="Người Sau Cùng")
        (entry,) = s.audit_entries(action="backup")
        assert entry.new_values["protected"] is True

    assert locked.name.endswith("-manual.ctdbak")
    raw = locked.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert "Mật".encode() not in raw and b"051190001234" not in raw
    assert files(usb) == [locked.name]  # no plain copy left beside it
    (listed,) = b.list_backups(usb, db_path=db_path)
    assert listed.protected and listed.counts == {}

    with pytest.raises(WrongPasswordError):
        b.verify_backup(locked)
    with pytest.raises(WrongPasswordError):
        b.verify_backup(locked, password="sai")
    assert b.verify_backup(locked, password="mật khẩu USB").counts["people"] == 1

    result = b.restore_backup(db_path, locked, password="mật khẩu USB", backups_folder=usb)
    assert result.counts["people"] == 1
    with Store.open(db_path, read_only=True) as restored:
        assert [p.full_name for p in restored.people.list()] == ["Nguyễn Văn Mật"]


def test_an_empty_backup_password_is_refused_before_anything_is_written(store, tmp_path):
    from chapter_app.errors import AppError

    with pytest.raises(AppError):
        b.create_backup(store, dest_dir=tmp_path / "usb", password="")
    assert files(tmp_path / "usb") == []
