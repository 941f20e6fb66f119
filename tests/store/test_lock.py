"""One writer: a second writer is refused with who/when and offered read-only; a lock left by
a crash is found stale and cleared; read-only opens never lock."""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from chapter_app.errors import (
    REMEDY_OPEN_READ_ONLY,
    DatabaseInUseError,
    NewerDatabaseError,
    ReadOnlyLocationError,
)
from chapter_app.store import lock as lock_module
from chapter_app.store.lock import DatabaseLock, LockHolder, lock_path, probe, read_holder
from chapter_app.store.store import Store


def _python(code: str, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        **kwargs,
    )


HOLD_OPEN = """
    import sys
    from chapter_app.store.store import Store
    store = Store.open(sys.argv[1], user="cán bộ A")
    print("open", flush=True)
    sys.stdin.readline()
    store.close()
"""

TRY_OPEN = """
    import sys
    from chapter_app.errors import DatabaseInUseError
    from chapter_app.store.store import Store
    try:
        Store.open(sys.argv[1], user="cán bộ B").close()
    except DatabaseInUseError as exc:
        print("refused", exc.holder.user, exc.holder.pid)
        print(exc.message)
    else:
        print("opened")
"""


def test_lock_file_names_the_writer_while_open_and_goes_on_close(db_path):
    with Store.open(db_path, user="cán bộ A") as store:
        data = json.loads(lock_path(db_path).read_text(encoding="utf-8"))
        assert data["pid"] == os.getpid()
        assert data["user"] == "cán bộ A"
        assert data["host"] == socket.gethostname()
        assert data["started_at"]
        assert store.lock.held
        assert store.lock.stale is None
    assert not lock_path(db_path).exists()
    assert not store.lock.held


def test_second_writer_in_the_same_process_is_refused_with_who_and_when(db_path):
    with Store.open(db_path, user="cán bộ A"):
        with pytest.raises(DatabaseInUseError) as caught:
            Store.open(db_path, user="cán bộ B")
        error = caught.value
        assert error.holder.user == "cán bộ A"
        assert error.holder.pid == os.getpid()
        assert "cán bộ A" in error.message
        assert socket.gethostname() in error.message
        assert "chỉ đọc" in error.message
        assert error.remedies == (REMEDY_OPEN_READ_ONLY,)
    # Once the first one closes, the second may open.
    Store.open(db_path, user="cán bộ B").close()


def test_second_process_is_refused_while_the_first_holds_the_file(db_path):
    Store.open(db_path, user="tester").close()
    holder = _python(HOLD_OPEN, str(db_path), stdin=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "open"
        other = _python(TRY_OPEN, str(db_path))
        out, err = other.communicate(timeout=60)
        assert other.returncode == 0, err
        first, message = out.splitlines()[:2]
        assert first == f"refused cán bộ A {holder.pid}"
        assert "đang được mở ở một cửa sổ khác" in message
        assert probe(db_path).pid == holder.pid
    finally:
        holder.communicate("\n", timeout=60)
    assert holder.returncode == 0
    assert probe(db_path) is None
    out, _ = _python(TRY_OPEN, str(db_path)).communicate(timeout=60)
    assert out.strip() == "opened"


def test_read_only_opens_take_no_lock_and_cannot_write(db_path):
    with Store.open(db_path, user="cán bộ A") as writer:
        writer.units.add(name="Thôn 1")
        with Store.open(db_path, read_only=True) as viewer:
            assert viewer.lock is None
            assert [u.name for u in viewer.units.list()] == ["Thôn 1"]
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                viewer.units.add(name="Thôn 2")
        assert read_holder(db_path).user == "cán bộ A"  # untouched by the viewer


def test_lock_left_by_a_killed_process_is_detected_as_stale_and_cleared(db_path):
    Store.open(db_path, user="tester").close()
    victim = _python(HOLD_OPEN, str(db_path), stdin=subprocess.PIPE)
    assert victim.stdout.readline().strip() == "open"
    if hasattr(signal, "SIGKILL"):
        os.kill(victim.pid, signal.SIGKILL)
    else:  # pragma: no cover - Windows
        victim.kill()
    victim.wait(timeout=60)
    left = read_holder(db_path)
    assert left is not None and left.pid == victim.pid  # the crash left its lock file

    with Store.open(db_path, user="cán bộ B") as store:
        assert store.lock.stale == left
        assert read_holder(db_path).user == "cán bộ B"
        assert read_holder(db_path).pid == os.getpid()
    assert not lock_path(db_path).exists()


def test_unreadable_leftover_lock_file_is_cleared_too(db_path):
    Store.open(db_path, user="tester").close()
    lock_path(db_path).write_bytes(b"\x00\xffnot json")
    with Store.open(db_path, user="tester") as store:
        assert store.lock.stale == LockHolder()
    assert not lock_path(db_path).exists()


def test_a_failed_open_releases_the_lock(db_path):
    Store.open(db_path, user="tester").close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(NewerDatabaseError):
        Store.open(db_path, user="tester")
    assert not lock_path(db_path).exists()
    assert probe(db_path) is None


def test_read_only_folder_gives_a_clear_error_with_the_read_only_offer(db_path, monkeypatch):
    Store.open(db_path, user="tester").close()

    real_open = os.open

    def refuse(path, *args, **kwargs):  # as a read-only folder does (root ignores chmod)
        if str(path).endswith(".lock"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(lock_module.os, "open", refuse)
    with pytest.raises(ReadOnlyLocationError) as caught:
        Store.open(db_path, user="tester")
    assert "chỉ cho đọc" in caught.value.message
    assert REMEDY_OPEN_READ_ONLY in caught.value.remedies
    monkeypatch.undo()
    with Store.open(db_path, read_only=True) as viewer:  # the offered way forward works
        assert viewer.read_only


def test_lock_object_is_a_context_manager_and_release_is_idempotent(tmp_path):
    target = tmp_path / "x.db"
    with DatabaseLock.acquire(target, user="a") as held, pytest.raises(DatabaseInUseError):
        DatabaseLock.acquire(target, user="b")
    held.release()
    assert not lock_path(target).exists()
    DatabaseLock.acquire(target, user="b").release()


def test_holder_description_is_vietnamese_with_local_time():
    holder = LockHolder(pid=1, host="VP-HOI", user="an", started_at="2027-01-05T08:15:00+07:00")
    text = holder.describe()
    assert text.startswith("người dùng «an» trên máy «VP-HOI» (mở lúc ")
    assert "/01/2027" in text
    assert LockHolder(started_at="not a date").describe() == ""
    assert LockHolder.from_json('{"pid": true, "user": 5}') == LockHolder()
    assert LockHolder.from_json("[]") is None
