"""Integrity: opening a file safely, explaining every failure, and "Kiểm tra dữ liệu".

- ``open_store(path)`` is ``Store.open`` with the checks a damaged file needs: an empty,
  truncated or foreign file, a newer version, a read-only folder, a full disk or a file in
  use each raise an ``AppError`` whose message is clear Vietnamese and whose ``remedies``
  name the ways forward (``REMEDY_LABELS``); never a traceback, never a written file.
- ``explain_error(exc, path=...)`` turns any SQLite or file-system error (on open or later,
  e.g. a full disk while saving) into such an error.
- ``run_full_check(store)`` runs SQLite's full check and the program's own checks and
  returns ``Finding``s; ``apply_repairs(store, findings)`` backs up, then repairs.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

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
from chapter_app.services.backups import REASON_BEFORE_REPAIR, create_backup
from chapter_app.store.backup import (
    foreign_key_problems,
    integrity_check,
    path_text,
    quick_check,
)
from chapter_app.store.schema_safety import (
    addresses_with_only_expired_commitments,
    aid_without_recipient,
    audit_sequence_gaps,
    likely_duplicate_people,
    members_without_branch,
    orphan_roles,
    people_with_id_numbers,
)
from chapter_app.store.store import Store

REMEDY_LABELS = {
    REMEDY_OPEN_BACKUP: "Mở bản sao lưu tốt gần nhất",
    REMEDY_OPEN_READ_ONLY: "Mở ở chế độ chỉ đọc",
    REMEDY_CHOOSE_FOLDER: "Chọn thư mục khác",
    REMEDY_CHOOSE_FILE: "Chọn tệp khác",
    REMEDY_UPDATE_PROGRAM: "Cập nhật chương trình",
}

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100


def remedies_of(exc: BaseException) -> tuple[str, ...]:
    """The ways forward to offer with an error (keys of ``REMEDY_LABELS``)."""
    if isinstance(exc, NewerDatabaseError):
        return (REMEDY_UPDATE_PROGRAM, REMEDY_CHOOSE_FILE)
    return tuple(getattr(exc, "remedies", ()))


# --- explaining failures ------------------------------------------------------------------


def _damaged(path: Path, what: str) -> DamagedDatabaseError:
    return DamagedDatabaseError(
        f"Tệp dữ liệu «{path_text(path)}» {what}. Tệp không bị ghi thêm gì. Có thể mở bản "
        "sao lưu tốt gần nhất (chương trình sẽ giữ lại tệp này), hoặc chọn tệp khác."
    )


def _not_a_database(path: Path) -> DamagedDatabaseError:
    return DamagedDatabaseError(
        f"Tệp «{path_text(path)}» không phải tệp dữ liệu của chương trình (có thể là tệp "
        "khác đặt nhầm tên, hoặc tệp đã hỏng hoàn toàn). Tệp không bị thay đổi. Hãy chọn "
        "đúng tệp, hoặc mở bản sao lưu tốt gần nhất."
    )


def _read_only(path: Path) -> ReadOnlyLocationError:
    return ReadOnlyLocationError(
        f"Không ghi được vào «{path_text(path)}»: thư mục hoặc ổ đĩa chỉ cho đọc (đĩa CD, "
        "USB gạt khóa ghi, thư mục không có quyền ghi). Có thể mở ở chế độ chỉ đọc để xem, "
        "hoặc chép tệp sang thư mục khác rồi mở lại."
    )


def _disk_full(path: Path) -> DiskFullError:
    return DiskFullError(
        f"Ổ đĩa chứa «{path_text(path)}» đã đầy nên không ghi được; thao tác vừa rồi không "
        "được lưu và dữ liệu cũ vẫn nguyên vẹn. Hãy xóa bớt tệp trên ổ đĩa, hoặc chuyển tệp "
        "dữ liệu sang thư mục (ổ đĩa) khác."
    )


def _io_error(path: Path) -> DatabaseError:
    error = DatabaseError(
        f"Lỗi đọc/ghi ổ đĩa khi dùng «{path_text(path)}» (USB bị rút ra, ổ mạng mất kết nối "
        "hoặc đĩa hỏng). Thao tác vừa rồi không được lưu. Hãy cắm lại thiết bị rồi mở lại tệp; nếu "
        "vẫn lỗi, mở bản sao lưu tốt gần nhất."
    )
    error.remedies = (REMEDY_OPEN_BACKUP, REMEDY_CHOOSE_FILE)
    return error


def _folder_writable(path: Path) -> bool:
    folder = path.parent if path.parent != Path("") else Path(".")
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def explain_error(exc: BaseException, *, path: Path | str) -> AppError:
    """A clear Vietnamese ``AppError`` for any failure while opening or writing ``path``.

    ``AppError``s other than the generic ``DatabaseError`` pass through unchanged; a
    generic one is explained from its cause when it has one.
    """
    path = Path(path)
    if isinstance(exc, AppError) and type(exc) is not DatabaseError:
        return exc
    if isinstance(exc, DatabaseError):
        cause = exc.__cause__
        return explain_error(cause, path=path) if cause is not None else exc
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return _disk_full(path)
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return _read_only(path)
        if exc.errno == errno.ENOENT:
            error = DatabaseError(
                f"Không tìm thấy tệp hoặc thư mục «{path_text(exc.filename or path)}»."
            )
            error.remedies = (REMEDY_CHOOSE_FILE,)
            return error
        if exc.errno == errno.EIO:
            return _io_error(path)
        return DatabaseError(f"Lỗi tệp «{path_text(path)}»: {exc.strerror or exc}.")
    if isinstance(exc, sqlite3.Error):
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        text = str(exc).lower()
        if code == sqlite3.SQLITE_FULL or "database or disk is full" in text:
            return _disk_full(path)
        if code == sqlite3.SQLITE_READONLY or "readonly database" in text:
            return _read_only(path)
        if code == sqlite3.SQLITE_NOTADB or "not a database" in text or "encrypted" in text:
            return _not_a_database(path)
        if code == sqlite3.SQLITE_CORRUPT or "malformed" in text or "corrupt" in text:
            return _damaged(path, "bị hỏng (cấu trúc bên trong không còn nguyên vẹn)")
        if code == sqlite3.SQLITE_BUSY or "database is locked" in text:
            return DatabaseInUseError(
                f"Tệp dữ liệu «{path_text(path.name)}» đang bận vì một chương trình khác đang "
                "ghi. Hãy đợi một lát rồi thử lại, hoặc mở ở chế độ chỉ đọc."
            )
        if code == sqlite3.SQLITE_CANTOPEN or "unable to open" in text:
            if not _folder_writable(path):
                return _read_only(path)
            error = DatabaseError(f"Không mở được tệp «{path_text(path)}» ({exc}).")
            error.remedies = (REMEDY_CHOOSE_FILE, REMEDY_CHOOSE_FOLDER)
            return error
        if code == sqlite3.SQLITE_IOERR or "disk i/o error" in text:
            return _io_error(path)
        return DatabaseError(f"Lỗi cơ sở dữ liệu khi dùng «{path_text(path)}»: {exc}.")
    return DatabaseError(f"Lỗi không mong đợi khi dùng «{path_text(path)}»: {exc}.")


# --- opening ---------------------------------------------------------------------------------


def check_file(path: Path | str, *, allow_empty: bool = False) -> None:
    """Look at the file's bytes before SQLite does: empty, not a database, truncated.

    Raises ``DamagedDatabaseError``; a missing file is left to the caller.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size == 0:
            if allow_empty:
                return
            raise _damaged(
                path,
                "rỗng (0 byte), có thể do mất điện hoặc rút USB khi đang ghi",
            )
        with open(path, "rb") as handle:
            header = handle.read(HEADER_SIZE)
    except OSError as exc:
        raise explain_error(exc, path=path) from exc
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        raise _not_a_database(path)
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise _not_a_database(path)
    (pages,) = struct.unpack(">I", header[28:32])
    counter_valid = header[24:28] == header[92:96]
    wal = path.with_name(path.name + "-wal")
    wal_has_frames = wal.exists() and wal.stat().st_size > 32
    if counter_valid and pages and not wal_has_frames and size < pages * page_size:
        raise _damaged(
            path,
            f"bị cắt cụt: chỉ còn {size:,} trong {pages * page_size:,} byte".replace(",", "."),
        )


def open_store(
    path: Path | str,
    *,
    user: str | None = None,
    read_only: bool = False,
    create: bool = False,
    check: bool = True,
    password: str | None = None,
) -> Store:
    """Open ``path`` with every safety check; errors are explained ``AppError``s.

    A file of an older version is backed up before its upgrade, locked with the program
    ``password`` when its automatic backups are (``services.upgrade``): without it the
    upgrade is refused (``UpgradeNeedsPasswordError``), the file unchanged. A password
    found right there is kept for the session (``store.session_password``).

    ``create`` allows a missing or empty file to become a new database. ``check`` runs
    ``PRAGMA quick_check`` once the file is open (the store is closed again if it fails).
    ``store.lock.stale`` tells when the previous session ended without closing (a crash).
    """
    path = Path(path)
    if path.exists():
        if path.is_dir():
            error = DatabaseError(f"«{path_text(path)}» là một thư mục, không phải tệp dữ liệu.")
            error.remedies = (REMEDY_CHOOSE_FILE,)
            raise error
        check_file(path, allow_empty=create)
    elif not create:
        error = DatabaseError(f"Không tìm thấy tệp dữ liệu «{path_text(path)}».")
        error.remedies = (REMEDY_CHOOSE_FILE,)
        raise error
    from chapter_app.services.upgrade import LockedUpgradeBackup

    upgrade_backup = LockedUpgradeBackup(password)
    try:
        store = Store.open(
            path, user=user, read_only=read_only, create=create, upgrade_backup=upgrade_backup
        )
    except (sqlite3.Error, OSError, DatabaseError) as exc:
        raise explain_error(exc, path=path) from exc
    if upgrade_backup.checked:
        store.session_password = password
    if check:
        try:
            problems = quick_check(store.db.conn)
        except sqlite3.Error as exc:
            store.close()
            raise explain_error(exc, path=path) from exc
        if problems:
            store.close()
            raise _damaged(path, f"bị hỏng ({problems[0]})")
    return store


# --- the full check ---------------------------------------------------------------------------


# What makes a file unsound; every other finding is advice about the data (a to-do list).
DAMAGE_CODES = frozenset({"integrity", "foreign_key", "schema", "audit_sequence"})


@dataclass(frozen=True)
class Finding:
    """One problem found by "Kiểm tra dữ liệu", with an optional repair."""

    code: str  # integrity | foreign_key | orphan_role | expired_commitments | ...
    description: str  # Vietnamese, for the list
    table: str | None = None
    row_ids: tuple[int, ...] = ()
    repair_label: str | None = None
    repair: Callable[[Store], None] | None = field(default=None, compare=False, repr=False)

    @property
    def repairable(self) -> bool:
        return self.repair is not None

    @property
    def is_damage(self) -> bool:
        """The file is not sound (``check`` exits 1); otherwise it is advice."""
        return self.code in DAMAGE_CODES


def damage(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_damage]


def advice(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if not f.is_damage]


def _schema_findings(store: Store) -> list[Finding]:
    from chapter_app.store.connection import applied_migrations
    from chapter_app.store.schema import migration_names

    known, applied = migration_names(), applied_migrations(store.db)
    missing = [name for name in known if name not in applied]
    unknown = [name for name in applied if name not in known]
    findings = [Finding("schema", f"Cấu trúc tệp thiếu bước nâng cấp {name}.") for name in missing]
    findings += [
        Finding("schema", f"Tệp có bước nâng cấp lạ {name} (phiên bản mới hơn?).")
        for name in unknown
    ]
    return findings


def _role_noun(table: str) -> str:
    return {"members": "Hội viên", "volunteers": "Tình nguyện viên", "youth": "Thanh niên CTĐ"}[
        table
    ]


def _repair_orphan(table: str, role_id: int) -> Callable[[Store], None]:
    def repair(store: Store) -> None:
        getattr(store, table).delete(
            role_id, reason="Kiểm tra dữ liệu: người của vai trò này đã bị xóa"
        )

    return repair


def _repair_aid(aid_id: int) -> Callable[[Store], None]:
    def repair(store: Store) -> None:
        record = store.aid.get(aid_id)
        store.aid.update(
            aid_id,
            recipient_kind="group",
            address_id=None,
            person_id=None,
            group_name=record.group_name or "Không rõ người nhận",
            head_count=max(record.head_count or 0, record.persons_reached, 1),
        )

    return repair


def run_full_check(store: Store, *, today: date | None = None) -> list[Finding]:
    """Whether the file is sound (``is_damage``: SQLite's full integrity check, foreign keys,
    the schema's migrations, the audit log's sequence), then advice about the data: roles
    whose person was deleted, addresses still followed whose commitments have all ended,
    aid records without a recipient, members without a chi hội, likely duplicate people,
    people with an invalid ID number."""
    today = today or date.today()
    findings: list[Finding] = []
    conn = store.db.conn
    try:
        problems = integrity_check(conn)
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    for problem in problems[:50]:
        findings.append(
            Finding(
                "integrity",
                f"Tệp dữ liệu bị hỏng: {problem}. Nên khôi phục từ bản sao lưu tốt gần nhất.",
            )
        )
    if problems:
        return findings  # the program's own checks cannot be trusted on a damaged file
    findings += _schema_findings(store)
    for after, following in audit_sequence_gaps(store.db):
        findings.append(
            Finding(
                "audit_sequence",
                f"Nhật ký thao tác bị mất mục: sau mục số {after} là mục số {following} "
                "(nhật ký không bao giờ bị xóa; tệp đã bị sửa bên ngoài chương trình).",
                "audit_log",
                (after, following),
            )
        )
    for table, row_id, parent in foreign_key_problems(conn):
        findings.append(
            Finding(
                "foreign_key",
                f"Bản ghi số {row_id} của bảng {table} trỏ tới {parent} không tồn tại.",
                table,
                (row_id,),
            )
        )
    for table, role_id, person_id in orphan_roles(store.db):
        findings.append(
            Finding(
                "orphan_role",
                f"{_role_noun(table)} số {role_id} thuộc về người số {person_id} đã bị xóa.",
                table,
                (role_id,),
                "Xóa vai trò này",
                _repair_orphan(table, role_id),
            )
        )
    for address_id, name, last_end in addresses_with_only_expired_commitments(
        store.db, today.isoformat()
    ):
        end = date.fromisoformat(last_end[:10]).strftime("%d/%m/%Y")
        findings.append(
            Finding(
                "expired_commitments",
                f"Địa chỉ nhân đạo «{name}» vẫn đang theo dõi nhưng mọi cam kết tài trợ đã "
                f"hết hạn (cam kết cuối kết thúc ngày {end}): gia hạn cam kết, tìm nhà tài "
                "trợ mới hoặc đổi tình trạng địa chỉ.",
                "addresses",
                (address_id,),
            )
        )
    for aid_id, kind, given_on in aid_without_recipient(store.db):
        day = date.fromisoformat(given_on[:10]).strftime("%d/%m/%Y")
        what = {"address": "hộ", "person": "người", "group": "nhóm"}.get(kind, kind)
        findings.append(
            Finding(
                "aid_without_recipient",
                f"Lượt trợ giúp số {aid_id} ngày {day} không có {what} nhận "
                "(đã bị xóa hoặc chưa ghi).",
                "aid_records",
                (aid_id,),
                "Ghi thành trợ giúp nhóm «Không rõ người nhận» (giữ nguyên số liệu)",
                _repair_aid(aid_id),
            )
        )
    for member_id, name in members_without_branch(store.db):
        findings.append(
            Finding(
                "member_without_branch",
                f"Hội viên {name} (số {member_id}) chưa thuộc chi hội nào: chọn chi hội.",
                "members",
                (member_id,),
            )
        )
    for name, birth_year, ids in likely_duplicate_people(store.db):
        year = f" sinh năm {birth_year}" if birth_year else ""
        findings.append(
            Finding(
                "likely_duplicate",
                f"Có thể trùng người: «{name}»{year} có {len(ids.split(','))} hồ sơ (số "
                f"{ids.replace(',', ', ')}): xem lại và gộp nếu là một người.",
                "people",
                tuple(int(i) for i in ids.split(",")),
            )
        )
    from chapter_app.domain.validation import check_id_number

    for person_id, name, number, sex, birth_year in people_with_id_numbers(store.db):
        _value, issues = check_id_number(number, sex=sex, birth_year=birth_year)
        errors = [issue for issue in issues if issue.is_error]
        if errors:
            findings.append(
                Finding(
                    "invalid_id_number",
                    f"Số định danh của {name} (số {person_id}) không hợp lệ: {errors[0].message}",
                    "people",
                    (person_id,),
                )
            )
    return findings


def apply_repairs(
    store: Store, findings: Sequence[Finding], *, backup_dir: Path | None = None
) -> Path | None:
    """Back up, then apply the repairs of ``findings`` in one operation (one undo step).

    Returns the backup's path, or None when nothing was repairable. A damaged database is
    not backed up and not repaired (``DamagedDatabaseError``).
    """
    repairable = [f for f in findings if f.repair is not None]
    if not repairable:
        return None
    backup = create_backup(store, reason=REASON_BEFORE_REPAIR, dest_dir=backup_dir, thin=False)
    with store.operation(f"Sửa {len(repairable)} lỗi dữ liệu"):
        for finding in repairable:
            finding.repair(store)
    return backup
