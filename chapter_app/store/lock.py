"""One writer per database file: a lock file beside it, held with an operating-system lock.

``chapter.db.lock`` holds who opened the file for writing (process id, computer, login
name, time, as JSON) and is locked with ``fcntl.flock`` (POSIX) or ``msvcrt.locking``
(Windows) for as long as the file is open. The OS lock is the truth: it disappears with
the process, so a lock file left behind by a crash or a power cut is found unlocked,
reported as stale and taken over. A clean close empties and removes the file.

Read-only opens never take the lock.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from chapter_app.errors import (
    DatabaseError,
    DatabaseInUseError,
    DiskFullError,
    ReadOnlyLocationError,
)
from chapter_app.store.backup import path_text

LOCK_SUFFIX = ".lock"
# Windows locks a byte range; lock one byte far past the JSON so readers can still read it.
_WINDOWS_LOCK_OFFSET = 1 << 30
_MAX_LOCK_FILE = 4096
_READ_ONLY_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}


def host_name() -> str:
    """This computer's name, as ``socket.gethostname()`` gives it (without importing socket
    where ``os.uname`` says the same: the register opens at start-up)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


@dataclass(frozen=True)
class LockHolder:
    """Who holds (or held) a database open for writing, as recorded in the lock file."""

    pid: int | None = None
    host: str | None = None
    user: str | None = None
    started_at: str | None = None  # ISO 8601, local time with offset

    @classmethod
    def current(cls, *, user: str | None) -> LockHolder:
        return cls(
            pid=os.getpid(),
            host=host_name(),
            user=user,
            started_at=datetime.now().astimezone().isoformat(timespec="seconds"),
        )

    @classmethod
    def from_json(cls, text: str) -> LockHolder | None:
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        pid = data.get("pid")
        return cls(
            pid=pid if isinstance(pid, int) and not isinstance(pid, bool) else None,
            host=_text_or_none(data.get("host")),
            user=_text_or_none(data.get("user")),
            started_at=_text_or_none(data.get("started_at")),
        )

    def to_json(self) -> str:
        return json.dumps(
            {"pid": self.pid, "host": self.host, "user": self.user, "started_at": self.started_at},
            ensure_ascii=False,
        )

    def describe(self) -> str:
        """Vietnamese: "người dùng «an» trên máy «VP-HOI» (mở lúc 08:15 ngày 05/01/2027)"."""
        parts = []
        if self.user:
            parts.append(f"người dùng «{self.user}»")
        if self.host:
            parts.append(f"trên máy «{self.host}»")
        when = _local_time_text(self.started_at)
        if when:
            parts.append(f"(mở lúc {when})")
        return " ".join(parts)


def _text_or_none(value: object) -> str | None:
    return value[:200] if isinstance(value, str) and value else None


def _local_time_text(iso: str | None) -> str | None:
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def lock_path(db_path: Path | str) -> Path:
    """The lock file of a database: ``chapter.db`` -> ``chapter.db.lock``."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


def read_holder(db_path: Path | str) -> LockHolder | None:
    """What the lock file records (whether or not it is still held), or None."""
    try:
        with open(lock_path(db_path), encoding="utf-8", errors="replace") as handle:
            text = handle.read(_MAX_LOCK_FILE)
    except OSError:
        return None
    return LockHolder.from_json(text) if text.strip() else None


def in_use_message(db_path: Path | str, holder: LockHolder | None) -> str:
    who = holder.describe() if holder else ""
    by = f" bởi {who}" if who else ""
    return (
        f"Tệp dữ liệu «{path_text(Path(db_path).name)}» đang được mở ở một cửa sổ khác của "
        f"chương trình{by}. Để tránh ghi đè lên nhau, chỉ một cửa sổ được sửa dữ liệu: hãy "
        "đóng cửa sổ kia, hoặc mở tệp ở chế độ chỉ đọc để xem."
    )


def _os_error(path: Path, exc: OSError) -> DatabaseError:
    folder = path.parent
    if exc.errno in _READ_ONLY_ERRNOS:
        return ReadOnlyLocationError(
            f"Không ghi được vào thư mục «{path_text(folder)}» (thư mục chỉ cho đọc, đĩa bị "
            "khóa ghi hoặc không có quyền ghi). Có thể mở tệp ở chế độ chỉ đọc để xem, hoặc "
            "chép tệp sang một thư mục khác rồi mở lại."
        )
    if exc.errno == errno.ENOSPC:
        return DiskFullError(
            f"Đĩa chứa thư mục «{path_text(folder)}» đã đầy. Hãy xóa bớt tệp trên đĩa hoặc "
            "chuyển tệp dữ liệu sang đĩa khác rồi mở lại."
        )
    return DatabaseError(
        f"Không tạo được tệp khóa «{path_text(path.name)}» trong thư mục "
        f"«{path_text(folder)}»: {path_text(exc.strerror or exc)}."
    )


def _try_os_lock(fd: int) -> bool:
    """Take the OS lock without waiting; False when another process (or handle) holds it."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise
    return True


def _os_unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_UN)


def _same_file(fd: int, path: Path) -> bool:
    """POSIX: the locked handle is still the file at ``path`` (not unlinked by its releaser)."""
    if sys.platform == "win32":  # pragma: no cover - open files cannot be deleted there
        return True
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _read_fd(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    data = os.read(fd, _MAX_LOCK_FILE)
    return data.decode("utf-8", errors="replace")


class DatabaseLock:
    """The writer's lock on one database file; ``acquire`` it, ``release`` it on close.

    ``stale`` is the holder recorded by a lock file that was left behind by a crash and
    has just been cleared (None when the file was free).
    """

    def __init__(self, db_path: Path, fd: int, holder: LockHolder, stale: LockHolder | None):
        self.db_path = db_path
        self.path = lock_path(db_path)
        self.holder = holder
        self.stale = stale
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, db_path: Path | str, *, user: str | None = None) -> DatabaseLock:
        """Lock ``db_path`` for writing or raise ``DatabaseInUseError`` (naming the holder).

        A read-only or full folder raises ``ReadOnlyLocationError`` / ``DiskFullError``.
        """
        db_path = Path(db_path)
        path = lock_path(db_path)
        for _attempt in range(20):
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
            except OSError as exc:
                raise _os_error(path, exc) from exc
            try:
                locked = _try_os_lock(fd)
            except OSError as exc:
                os.close(fd)
                raise _os_error(path, exc) from exc
            if not locked:
                holder = LockHolder.from_json(_safe_read(fd))
                os.close(fd)
                raise DatabaseInUseError(in_use_message(db_path, holder), holder)
            if not _same_file(fd, path):
                # The holder released and removed the file between our open and our lock.
                _os_unlock(fd)
                os.close(fd)
                continue
            try:
                previous = _read_fd(fd)
                stale = LockHolder.from_json(previous) if previous.strip() else None
                if previous.strip() and stale is None:
                    stale = LockHolder()
                holder = LockHolder.current(user=user)
                os.lseek(fd, 0, os.SEEK_SET)
                os.ftruncate(fd, 0)
                os.write(fd, holder.to_json().encode("utf-8"))
            except OSError as exc:
                _os_unlock(fd)
                os.close(fd)
                raise _os_error(path, exc) from exc
            return cls(db_path, fd, holder, stale)
        raise DatabaseInUseError(in_use_message(db_path, read_holder(db_path)), None)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Empty and remove the lock file, then let the OS lock go (idempotent)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            if _same_file(fd, self.path):
                with contextlib.suppress(OSError):  # Windows: another process has it open
                    os.unlink(self.path)
        finally:
            _os_unlock(fd)
            os.close(fd)

    def __enter__(self) -> DatabaseLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def __del__(self):  # a forgotten lock must not outlive its object
        with contextlib.suppress(Exception):
            self.release()


def _safe_read(fd: int) -> str:
    try:
        return _read_fd(fd)
    except OSError:
        return ""


def probe(db_path: Path | str) -> LockHolder | None:
    """Who holds ``db_path`` open for writing right now, or None when nobody does.

    Takes the lock for an instant when it is free (and gives it back).
    """
    try:
        lock = DatabaseLock.acquire(db_path, user=None)
    except DatabaseInUseError as exc:
        return exc.holder or LockHolder()
    except DatabaseError:
        return None
    lock.release()
    return None
