"""Backups: made with SQLite's backup API from a sound database only, listed with their
dates and record counts, thinned, and restored with a copy of the current state first.

- ``create_backup(store, reason=...)``: "Sao lưu ngay" and the forced backups (before an
  import, a restore, a consolidation, a repair). Refuses a database that fails its check.
- ``backup_if_changed(store)``: every 30 minutes while the program runs and on close;
  makes a backup only when something changed since the last one.
- ``list_backups(folder, db_path=...)`` and ``restore_backup(db_path, backup)``: "Khôi phục
  từ bản sao lưu".
- ``plan_thinning(...)``: which backups to delete (all of today's stay, then the newest of
  each day, week and month, as many as the settings say).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from chapter_app.errors import (
    AppError,
    DamagedDatabaseError,
    DatabaseError,
    DiskFullError,
    NewerDatabaseError,
    ReadOnlyLocationError,
    WrongPasswordError,
)
from chapter_app.paths import default_backups_dir
from chapter_app.store.backup import (
    BACKUP_SUFFIX,
    PROTECTED_SUFFIX,
    FileReport,
    audit_max_id,
    backup_file_name,
    copy_database,
    inspect_file,
    last_backup_audit_id,
    open_read_only,
    parse_backup_name,
    path_text,
    quick_check,
    record_backup,
    unique_path,
)
from chapter_app.store.codec import utc_now
from chapter_app.store.lock import DatabaseLock
from chapter_app.store.store import Store

# Why a backup was made (part of its file name).
REASON_MANUAL = "manual"
REASON_AUTO = "auto"
REASON_CLOSE = "close"
REASON_BEFORE_RESTORE = "before-restore"
REASON_BEFORE_IMPORT = "before-import"
REASON_BEFORE_CONSOLIDATION = "before-consolidation"
REASON_BEFORE_REPAIR = "before-repair"
REASON_MIGRATE = "migrate"
REASON_DAMAGED = "damaged"  # a plain copy of a damaged file, kept aside before a restore

REASON_LABELS = {
    REASON_MANUAL: "Sao lưu thủ công",
    REASON_AUTO: "Sao lưu tự động",
    REASON_CLOSE: "Sao lưu khi đóng chương trình",
    REASON_BEFORE_RESTORE: "Trước khi khôi phục",
    REASON_BEFORE_IMPORT: "Trước khi nhập dữ liệu",
    REASON_BEFORE_CONSOLIDATION: "Trước khi tổng hợp",
    REASON_BEFORE_REPAIR: "Trước khi sửa lỗi dữ liệu",
    REASON_MIGRATE: "Trước khi nâng cấp",
    REASON_DAMAGED: "Bản chép tệp bị hỏng",
}
_REASON = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}")


class BackupLocationError(DatabaseError):
    """The backups folder cannot be reached (a USB stick not plugged in, a network drive)."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file as the restore dialog lists it."""

    path: Path
    made_at: datetime  # local time, from the file name (or the file's time)
    reason: str
    size: int
    counts: dict[str, int] = field(default_factory=dict)  # people, members, ... aid
    chapter_name: str | None = None
    checked: bool = False  # integrity checked (``problems`` then tells the result)
    problems: tuple[str, ...] = ()
    error: str | None = None
    is_ours: bool = True
    is_newer: bool = False
    protected: bool = False  # locked with a password: counts are known once unlocked

    @property
    def usable(self) -> bool:
        """Readable, ours, not newer, and (when checked) sound."""
        return not self.problems and self.error is None and self.is_ours and not self.is_newer

    @property
    def reason_label(self) -> str:
        base = re.sub(r"-[0-9]+$", "", self.reason)  # "manual-2": a second one that second
        return REASON_LABELS.get(base, self.reason)


@dataclass(frozen=True)
class RestoreResult:
    db_path: Path
    restored_from: Path
    safety_copy: Path | None  # the state just before the restore
    counts: dict[str, int]


# --- where -------------------------------------------------------------------------------


def backups_dir(store: Store) -> Path:
    """The backups folder: the ``backups_dir`` setting, else ``backups`` beside the file."""
    configured = store.settings.get("backups_dir")
    if configured:
        return Path(str(configured)).expanduser()
    return default_backups_dir(store.path)


def _location_error(folder: Path, exc: OSError) -> DatabaseError:
    if exc.errno == errno.ENOSPC:
        return DiskFullError(
            f"Đĩa chứa thư mục sao lưu «{path_text(folder)}» đã đầy; bản sao lưu chưa được tạo. "
            "Hãy xóa bớt tệp hoặc chọn thư mục sao lưu khác trong Cài đặt."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ReadOnlyLocationError(
            f"Không ghi được vào thư mục sao lưu «{path_text(folder)}» (chỉ cho đọc hoặc không "
            "có quyền); bản sao lưu chưa được tạo. Hãy chọn thư mục sao lưu khác trong Cài đặt."
        )
    return BackupLocationError(
        f"Không dùng được thư mục sao lưu «{path_text(folder)}» ({exc.strerror or exc}); "
        "nếu là USB, hãy cắm lại rồi thử lại, hoặc chọn thư mục khác trong Cài đặt."
    )


def _sqlite_write_error(folder: Path, exc: sqlite3.Error) -> DatabaseError:
    if getattr(exc, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_FULL or "full" in str(exc):
        return _location_error(folder, OSError(errno.ENOSPC, "disk full"))
    if getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_READONLY,):
        return _location_error(folder, OSError(errno.EROFS, "read-only"))
    return BackupLocationError(
        f"Không ghi được bản sao lưu vào «{path_text(folder)}» ({exc}); bản sao lưu chưa được tạo."
    )


# --- making backups ------------------------------------------------------------------------


def _check_reason(reason: str) -> str:
    if not isinstance(reason, str) or not _REASON.fullmatch(reason):
        raise ValueError(f"bad backup reason {reason!r}")
    return reason


def damage_of(store: Store) -> list[str]:
    """What ``PRAGMA quick_check`` finds wrong in the open database (empty when sound)."""
    try:
        return quick_check(store.db.conn)
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def refuse_if_damaged(store: Store) -> None:
    """Raise ``DamagedDatabaseError`` when the open database fails ``PRAGMA quick_check``."""
    _refuse_damage(damage_of(store))


def _refuse_damage(problems: list[str]) -> None:
    if problems:
        raise DamagedDatabaseError(
            "Tệp dữ liệu không qua được kiểm tra toàn vẹn, nên không sao lưu (để bản sao lưu "
            "tốt không bị thay bằng bản hỏng). Hãy dùng «Kiểm tra dữ liệu» hoặc khôi phục từ "
            f"bản sao lưu gần nhất. Chi tiết: {problems[0]}"
        )


def create_backup(
    store: Store,
    *,
    reason: str = REASON_MANUAL,
    dest_dir: Path | str | None = None,
    now: datetime | None = None,
    thin: bool = True,
    password: str | None = None,
    note: bool = True,
) -> Path:
    """Back up the open database into ``dest_dir`` (default: the backups folder).

    The copy is checked (``PRAGMA quick_check``) before it takes its name; the online
    backup copies the database's pages as they are, so that one check also finds a
    damaged database, which is never backed up (the database itself is checked only when
    the copy fails, to tell a damaged database from a failed write). The backup is
    recorded in the audit log (unless the store is read-only, or ``note`` is off: the
    caller then calls ``note_backup``) and the folder is thinned by the settings' counts
    (unless ``thin`` is off).

    With ``password`` (a copy that leaves the program, e.g. on a USB stick) the file is
    ``*.ctdbak``, encrypted with :mod:`chapter_app.services.protect`; the plain copy
    exists only as a temporary file beside it and is removed. Automatic backups (any
    ``reason`` but manual) are locked with the program password when one is set and the
    setting ``backup_encrypt`` is on (``program_password.backup_password``).
    """
    _check_reason(reason)
    if password is None and reason != REASON_MANUAL:
        from chapter_app.services.program_password import backup_password

        password = backup_password(store)  # automatic backups: locked when a password is set
    folder = Path(dest_dir) if dest_dir is not None else backups_dir(store)
    now = now or datetime.now()
    suffix = BACKUP_SUFFIX if password is None else PROTECTED_SUFFIX
    try:
        folder.mkdir(parents=True, exist_ok=True)
        name = backup_file_name(store.path, reason=reason, now=now, suffix=suffix)
        dest = unique_path(folder / name)
        if password is None:
            copy_database(store.db.conn, dest)
        else:
            _copy_protected(store, dest, password)
    except OSError as exc:
        raise _location_error(folder, exc) from exc
    except sqlite3.DatabaseError as exc:
        _refuse_damage(damage_of(store))
        raise _sqlite_write_error(folder, exc) from exc
    if note and not store.read_only:
        note_backup(store, dest, reason=reason, protected=password is not None)
    if thin:
        thin_store_backups(store, folder, now=now)
    return dest


def note_backup(store: Store, dest: Path, *, reason: str, protected: bool) -> None:
    """Record the backup ``dest`` in the audit log and the backups' log (joining the open
    operation, if any: a caller whose operation is undone leaves no note behind)."""
    with store.ops.run("Sao lưu dữ liệu", undoable=False):
        store.ops.log_event(
            "backup",
            details={
                "file": path_text(dest.name),
                "folder": path_text(dest.parent),
                "reason": reason,
                "protected": protected,
            },
        )
        record_backup(
            store.db.conn,
            path=dest,
            reason=reason,
            audit_id=audit_max_id(store.db.conn),
            made_at=utc_now(),
        )


def thin_store_backups(store: Store, folder: Path, *, now: datetime | None = None) -> None:
    """Thin ``folder`` by the register's settings (daily, weekly, monthly counts)."""
    thin_backups(
        folder,
        db_path=store.path,
        now=now or datetime.now(),
        keep_daily=int(store.settings.get("backup_keep_daily")),
        keep_weekly=int(store.settings.get("backup_keep_weekly")),
        keep_monthly=int(store.settings.get("backup_keep_monthly")),
    )


def _copy_protected(store: Store, dest: Path, password: str) -> None:
    from chapter_app.services.protect import encrypt_file, normalise_password

    normalise_password(password)  # an empty password is refused before anything is written
    plain = dest.with_name(dest.name + ".plain.partial")
    try:
        copy_database(store.db.conn, plain)
        encrypt_file(plain, dest, password)
    finally:
        plain.unlink(missing_ok=True)


def is_protected_file(path: Path) -> bool:
    """True when ``path`` is a backup locked with a password."""
    from chapter_app.services.protect import is_protected

    try:
        with open(path, "rb") as handle:
            return is_protected(handle.read(64))
    except OSError:
        return False


@contextmanager
def _unlocked(path: Path, password: str | None) -> Iterator[Path]:
    """The plain database of a backup: the file itself, or (locked with a password) a
    temporary decrypted copy that is removed afterwards."""
    if not is_protected_file(path):
        yield path
        return
    from chapter_app.services.protect import decrypt_file

    if not password:
        raise WrongPasswordError(
            f"Bản sao lưu «{path_text(path.name)}» được khóa bằng mật khẩu; hãy nhập mật khẩu."
        )
    with tempfile.TemporaryDirectory(prefix="chapter-restore-") as folder:
        plain = Path(folder) / "backup.db"
        decrypt_file(path, plain, password)  # WrongPasswordError / ProtectedFileError
        yield plain


def has_changes_since_backup(store: Store) -> bool:
    """True when anything was written since the last backup (or none was ever made)."""
    last = last_backup_audit_id(store.db.conn)
    newest = audit_max_id(store.db.conn)
    return newest > 0 if last is None else newest > last


def backup_if_changed(
    store: Store, *, reason: str = REASON_AUTO, now: datetime | None = None
) -> Path | None:
    """The timer's and the close's backup: only when something changed, never read-only.

    When the configured folder cannot be used (a USB stick not plugged in), the backup
    goes to ``backups`` beside the database instead; compare the returned path's folder
    with ``backups_dir(store)`` to tell the officer.
    """
    if store.read_only or not has_changes_since_backup(store):
        return None
    try:
        return create_backup(store, reason=reason, now=now)
    except (BackupLocationError, ReadOnlyLocationError, DiskFullError):
        fallback = default_backups_dir(store.path)
        if backups_dir(store).resolve() == fallback.resolve():
            raise
        return create_backup(store, reason=reason, now=now, dest_dir=fallback)


# --- listing and thinning -------------------------------------------------------------------


def _backup_files(folder: Path, db_path: Path | None) -> list[tuple[Path, datetime, str]]:
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        if path.suffix not in (BACKUP_SUFFIX, PROTECTED_SUFFIX) or not path.is_file():
            continue
        if db_path is not None:
            parsed = parse_backup_name(path.name, stem=Path(db_path).stem)
            if parsed is None:
                continue
        else:
            match = re.fullmatch(r"(.+)-(\d{8}-\d{6})-([A-Za-z0-9_.-]+)\.(db|ctdbak)", path.name)
            parsed = parse_backup_name(path.name, stem=match[1]) if match else None
        if parsed is None:
            try:
                made_at = datetime.fromtimestamp(path.stat().st_mtime)
            except OSError:
                continue
            parsed = (made_at, "")
        found.append((path, *parsed))
    return found


def _info(
    path: Path,
    made_at: datetime,
    reason: str,
    report: FileReport,
    checked: bool,
    protected: bool = False,
):
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return BackupInfo(
        path=path,
        made_at=made_at,
        reason=reason,
        size=size,
        counts=dict(report.counts),
        chapter_name=report.chapter_name,
        checked=checked,
        problems=report.problems,
        error=report.error,
        is_ours=report.is_ours or report.error is not None or bool(report.problems) or protected,
        is_newer=report.is_newer,
        protected=protected,
    )


def list_backups(
    folder: Path | str, *, db_path: Path | str | None = None, check: bool = False
) -> list[BackupInfo]:
    """The backups in ``folder`` (of ``db_path`` only, when given), newest first, with their
    record counts. ``check`` runs the full integrity check on each (slow on big files;
    :func:`verify_backup` checks the one chosen)."""
    folder = Path(folder)
    infos = []
    for path, made_at, reason in _backup_files(folder, Path(db_path) if db_path else None):
        if is_protected_file(path):  # its content is known once unlocked (verify_backup)
            infos.append(_info(path, made_at, reason, FileReport(path), False, protected=True))
            continue
        report = inspect_file(path, check="full" if check else "none")
        infos.append(_info(path, made_at, reason, report, check))
    infos.sort(key=lambda b: (b.made_at, b.path.name), reverse=True)
    return infos


def verify_backup(path: Path | str, *, password: str | None = None) -> BackupInfo:
    """Check one backup fully; raise a clear error when it cannot be restored.

    A backup locked with a password needs ``password`` (``WrongPasswordError`` when it is
    missing or wrong, ``ProtectedFileError`` when the locked file was damaged).
    """
    path = Path(path)
    if not path.is_file():
        raise DatabaseError(f"Không tìm thấy tệp sao lưu «{path_text(path)}».")
    protected = is_protected_file(path)
    with _unlocked(path, password) as plain:
        found = inspect_file(plain, check="full")
    report = FileReport(
        path,
        problems=found.problems,
        is_ours=found.is_ours,
        is_newer=found.is_newer,
        counts=found.counts,
        chapter_name=found.chapter_name,
        error=found.error,
    )
    parsed = _backup_files(path.parent, None)
    made_at, reason = next(
        ((m, r) for p, m, r in parsed if p == path),
        (datetime.fromtimestamp(path.stat().st_mtime), ""),
    )
    info = _info(path, made_at, reason, report, True, protected=protected)
    if report.error is not None or report.problems:
        detail = report.error or report.problems[0]
        raise DamagedDatabaseError(
            f"Bản sao lưu «{path_text(path.name)}» bị hỏng hoặc không đọc được, không dùng "
            f"để khôi phục được ({detail}). Hãy chọn bản sao lưu khác."
        )
    if not report.is_ours:
        raise DamagedDatabaseError(
            f"Tệp «{path_text(path.name)}» không phải bản sao lưu sổ của Hội; "
            "hãy chọn bản sao lưu khác."
        )
    if report.is_newer:
        raise NewerDatabaseError(
            f"Bản sao lưu «{path_text(path.name)}» được tạo bởi phiên bản mới hơn của chương "
            "trình. Hãy cập nhật chương trình để dùng bản sao lưu này."
        )
    return info


def newest_good_backup(folder: Path | str, *, db_path: Path | str) -> BackupInfo | None:
    """The newest backup of ``db_path`` in ``folder`` that passes the full check."""
    for info in list_backups(folder, db_path=db_path):
        try:
            return verify_backup(info.path)
        except AppError:
            continue
    return None


def plan_thinning(
    backups: Iterable[tuple[Path, datetime]],
    *,
    now: datetime,
    keep_daily: int,
    keep_weekly: int,
    keep_monthly: int,
) -> set[Path]:
    """The backups to delete. A pure function of the list, the moment and the counts.

    Kept: every backup from today (or dated later), the newest backup of each of the last
    ``keep_daily`` days that have one, then of each of the ``keep_weekly`` weeks before
    those (ISO weeks), then of each of the ``keep_monthly`` months before those; and
    always the newest backup of all. (A period whose newest backup is already kept by an
    earlier rule does not count towards the later rule, so the rules follow each other.)
    """
    items = sorted(backups, key=lambda b: (b[1], str(b[0])), reverse=True)
    if not items:
        return set()
    today = now.date()
    keep: set[Path] = set()
    older = []
    for path, made_at in items:
        if made_at.date() >= today:
            keep.add(path)
        else:
            older.append((path, made_at))

    def day(d: datetime):
        return d.date()

    def week(d: datetime):
        return tuple(d.isocalendar())[:2]

    def month(d: datetime):
        return (d.year, d.month)

    for count, period_of in ((keep_daily, day), (keep_weekly, week), (keep_monthly, month)):
        if count <= 0:
            continue
        kept_here = 0
        last_period = None
        for path, made_at in older:
            period = period_of(made_at)
            if period == last_period:
                continue
            last_period = period
            if path in keep:
                continue
            keep.add(path)
            kept_here += 1
            if kept_here >= count:
                break
    keep.add(items[0][0])  # whatever the counts, the newest backup stays
    return {path for path, _ in items} - keep


def thin_backups(
    folder: Path | str,
    *,
    db_path: Path | str,
    now: datetime | None = None,
    keep_daily: int,
    keep_weekly: int,
    keep_monthly: int,
) -> list[Path]:
    """Delete the backups of ``db_path`` in ``folder`` that :func:`plan_thinning` lets go.

    Only files named like this database's backups are considered; returns those deleted.
    """
    files = _backup_files(Path(folder), Path(db_path))
    doomed = plan_thinning(
        [(path, made_at) for path, made_at, _reason in files],
        now=now or datetime.now(),
        keep_daily=keep_daily,
        keep_weekly=keep_weekly,
        keep_monthly=keep_monthly,
    )
    deleted = []
    for path in sorted(doomed):
        try:
            path.unlink()
        except OSError:
            continue
        deleted.append(path)
    return deleted


# --- restoring ------------------------------------------------------------------------------


def _keep_current_state(
    db_path: Path, folder: Path, now: datetime, lock_with: str | None = None
) -> Path | None:
    """Back up the database about to be replaced (locked with ``lock_with`` when given);
    a damaged one is copied aside as it is."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(db_path), isolation_level=None)
        try:
            sound = not quick_check(conn)
            if sound:
                suffix = BACKUP_SUFFIX if lock_with is None else PROTECTED_SUFFIX
                name = backup_file_name(
                    db_path, reason=REASON_BEFORE_RESTORE, now=now, suffix=suffix
                )
                dest = unique_path(folder / name)
                if lock_with is None:
                    return copy_database(conn, dest)
                from chapter_app.services.protect import encrypt_file

                plain = dest.with_name(dest.name + ".plain.partial")
                try:
                    copy_database(conn, plain)
                    return encrypt_file(plain, dest, lock_with)
                finally:
                    plain.unlink(missing_ok=True)
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        pass
    # Damaged (or unreadable): keep the bytes as they are, with their write-ahead log.
    dest = unique_path(folder / backup_file_name(db_path, reason=REASON_DAMAGED, now=now))
    shutil.copyfile(db_path, dest)
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, dest.with_name(dest.name + "-wal"))
    return dest


def restore_backup(
    db_path: Path | str,
    backup_path: Path | str,
    *,
    user: str | None = None,
    backups_folder: Path | str | None = None,
    now: datetime | None = None,
    password: str | None = None,
    lock_with: str | None = None,
) -> RestoreResult:
    """Replace the database at ``db_path`` with the backup at ``backup_path``
    (``password``: for a backup locked with one).

    The backup is checked fully first; the current state is backed up (locked with
    ``lock_with`` when given: the program password of a register that has one), or, if damaged,
    copied aside) into ``backups_folder`` (default ``backups`` beside the database); the
    new file is built beside the database, checked, and renamed over it in one step;
    the result is checked again and the restore is written to its audit log.
    The database must not be open (close the store first): the one-writer lock is taken.
    """
    db_path = Path(db_path)
    backup_path = Path(backup_path)
    if db_path.exists() and backup_path.exists() and db_path.samefile(backup_path):
        raise AppError("Không thể khôi phục một tệp từ chính nó.")
    info = verify_backup(backup_path, password=password)
    folder = Path(backups_folder) if backups_folder else default_backups_dir(db_path)
    now = now or datetime.now()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = DatabaseLock.acquire(db_path, user=user)
    partial = db_path.with_name(db_path.name + ".restoring")
    try:
        try:
            safety = _keep_current_state(db_path, folder, now, lock_with)
        except OSError as exc:
            raise _location_error(folder, exc) from exc
        try:
            with _unlocked(backup_path, password) as plain:
                source = open_read_only(plain)
                try:
                    copy_database(source, partial)
                finally:
                    source.close()
            report = inspect_file(partial, check="full")
            if not report.usable:
                raise DamagedDatabaseError(
                    f"Bản chép từ «{path_text(backup_path.name)}» không qua được kiểm tra; "
                    "tệp dữ liệu hiện tại không bị thay đổi."
                )
            for suffix in ("-wal", "-shm", "-journal"):
                db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
            os.replace(partial, db_path)
        except OSError as exc:
            raise _location_error(db_path.parent, exc) from exc
        except sqlite3.DatabaseError as exc:
            raise _sqlite_write_error(db_path.parent, exc) from exc
        result = inspect_file(db_path, check="full")
        if not result.usable:  # pragma: no cover - the same bytes passed a moment ago
            if safety is not None and safety.exists():
                shutil.copyfile(safety, db_path)
            raise DamagedDatabaseError(
                "Tệp sau khi khôi phục không qua được kiểm tra; đã đặt lại tệp như trước."
            )
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        lock.release()
    # A backup of an older version is upgraded here; the backup just restored is its copy
    # from before the upgrade (locked or not, as it was made), so no other is taken.
    with Store.open(db_path, user=user, upgrade_backup=lambda db, path: None) as store:
        store.ops.log_event(
            "restore_backup",
            details={
                "from": path_text(backup_path),
                "made_at": info.made_at.isoformat(timespec="seconds"),
                "safety_copy": path_text(safety) if safety else None,
            },
        )
    return RestoreResult(db_path, backup_path, safety, dict(info.counts))
