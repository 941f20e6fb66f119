"""The façade over one database file: ``Store.open(path)``.

``store.people``, ``store.members``, ... are the repositories; ``store.operation``
groups writes into one transaction and one undo step; ``store.undo()`` and
``store.redo()`` walk the last 30 operations.
"""

from __future__ import annotations

import getpass
import importlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chapter_app.domain.text import collation_key, fold
from chapter_app.errors import DamagedDatabaseError, DatabaseError, ReadOnlyLocationError
from chapter_app.paths import default_backups_dir
from chapter_app.store.backup import backup_file_name, copy_database
from chapter_app.store.connection import (
    check_is_ours,
    check_not_newer,
    connect,
    is_initialised,
    migrate,
    pending_migrations,
    use_wal,
)
from chapter_app.store.database import Database
from chapter_app.store.lock import DatabaseLock
from chapter_app.store.operations import Operation, Operations, audit_row_filter
from chapter_app.store.settings import Settings, backups_locked

if TYPE_CHECKING:
    from chapter_app.store import organisation as org
    from chapter_app.store import registers as r
    from chapter_app.store.affiliates import AffiliatesRepository
    from chapter_app.store.blood import (
        DeferralsRepository,
        DonationsRepository,
        DonorsRepository,
        DrivesRepository,
        HonoursRepository,
    )
    from chapter_app.store.blood_queries import BloodQueries
    from chapter_app.store.exchange import Exchange
    from chapter_app.store.figures import Figures
    from chapter_app.store.reports import ReportsRepository

# What ``store.<name>`` is: (module in chapter_app.store, class, made with the operations).
# Made on first use, so that opening a register imports none of their modules (the
# dataclasses of the records take a while to build) until a page or job needs them.
PARTS: dict[str, tuple[str, str, bool]] = {
    "units": ("registers", "UnitsRepository", True),
    "branches": ("registers", "BranchesRepository", True),
    "people": ("registers", "PeopleRepository", True),
    "members": ("registers", "MembersRepository", True),
    "volunteers": ("registers", "VolunteersRepository", True),
    "youth": ("registers", "YouthRepository", True),
    "dues": ("registers", "DuesRepository", True),
    "categories": ("registers", "CategoriesRepository", True),
    "addresses": ("registers", "AddressesRepository", True),
    "sponsors": ("registers", "SponsorsRepository", True),
    "commitments": ("registers", "CommitmentsRepository", True),
    "campaigns": ("registers", "CampaignsRepository", True),
    "areas": ("registers", "AreasRepository", True),
    "distributions": ("registers", "DistributionsRepository", True),
    "aid": ("registers", "AidRepository", True),
    "blood_drives": ("blood", "DrivesRepository", True),  # with its named donations
    "firstaid": ("registers", "FirstAidRepository", True),
    "health": ("registers", "HealthRepository", True),
    "drills": ("registers", "DrillsRepository", True),
    "targets": ("registers", "TargetsRepository", True),
    "figures": ("figures", "Figures", False),
    "reports": ("reports", "ReportsRepository", True),
    "exchange": ("exchange", "Exchange", True),  # imports, exports, packages (issue 5)
    "affiliates": ("affiliates", "AffiliatesRepository", True),  # upper level: its chapters
    # the organisation (issue 13)
    "aid_forms": ("organisation", "AidFormsRepository", True),
    "officers": ("organisation", "OfficersRepository", True),
    "name_history": ("organisation", "NameHistoryRepository", True),
    "branch_moves": ("organisation", "MemberBranchMovesRepository", True),
    "unit_moves": ("organisation", "UnitMovesRepository", True),
    "org": ("organisation", "OrganisationQueries", False),
    # blood donors (issue 17)
    "donors": ("blood", "DonorsRepository", True),
    "donations": ("blood", "DonationsRepository", True),
    "deferrals": ("blood", "DeferralsRepository", True),
    "honours": ("blood", "HonoursRepository", True),
    "blood": ("blood_queries", "BloodQueries", False),
}
_PARTS_LOCK = threading.Lock()


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    user: str
    op_id: str
    op_label: str
    action: str
    table_name: str | None
    row_id: int | None
    row_uuid: str | None
    old_values: dict[str, Any] | None
    new_values: dict[str, Any] | None
    reason: str | None


def _fold_sql(value: Any) -> str | None:
    return None if value is None else fold(str(value))


def _vietnamese_order(a: str, b: str) -> int:
    """SQLite collation ``vi``: Vietnamese order for short lists sorted by a name column."""
    ka, kb = collation_key(a), collation_key(b)
    return (ka > kb) - (ka < kb)


class NeedsUpgradeError(DatabaseError):
    """A read-only open of a file written by an older version (its migrations are due)."""


class UpgradeNeedsPasswordError(DatabaseError):
    """A file of an older version whose automatic backups are locked with the program
    password: the backup taken before its upgrade must be locked too, so the upgrade waits
    for the password (``upgrade_backup`` of ``Store.open``). The file is not changed."""


UpgradeBackup = Callable[[Database, Path], Any]


def plain_upgrade_backup(db: Database, path: Path) -> Path:
    """The copy kept (in ``backups/`` beside the file) before a file is upgraded; refused
    with ``UpgradeNeedsPasswordError`` when its backups must be locked with a password."""
    if backups_locked(db):
        raise UpgradeNeedsPasswordError(
            f"Tệp dữ liệu «{path.name}» cần được nâng cấp cho phiên bản này, và sổ có mật khẩu "
            "chương trình: bản sao lưu trước khi nâng cấp được khóa bằng mật khẩu đó. Hãy nhập "
            "mật khẩu chương trình (trên dòng lệnh: --program-password-file TỆP); tệp chưa bị "
            "thay đổi."
        )
    dest = default_backups_dir(path) / backup_file_name(path, reason="migrate")
    copy_database(db.conn, dest)
    return dest


class Store:
    """One open register database."""

    def __init__(self, db: Database, path: Path, *, user: str, read_only: bool = False):
        self.db = db
        self.path = path
        self.read_only = read_only
        self.lock: DatabaseLock | None = None  # held while open for writing (one writer)
        # The program password once typed right this session (automatic backups are
        # locked with it); never written anywhere.
        self.session_password: str | None = None
        self.ops = Operations(db, user=user)
        self.settings = Settings(db, self.ops)
        # The repositories and queries (``store.people``, ``store.figures``, ...) are made,
        # and their modules imported, on first use: see ``PARTS`` and ``__getattr__``.

    units: r.UnitsRepository
    branches: r.BranchesRepository
    people: r.PeopleRepository
    members: r.MembersRepository
    volunteers: r.VolunteersRepository
    youth: r.YouthRepository
    dues: r.DuesRepository
    categories: r.CategoriesRepository
    addresses: r.AddressesRepository
    sponsors: r.SponsorsRepository
    commitments: r.CommitmentsRepository
    campaigns: r.CampaignsRepository
    areas: r.AreasRepository
    distributions: r.DistributionsRepository
    aid: r.AidRepository
    blood_drives: DrivesRepository
    firstaid: r.FirstAidRepository
    health: r.HealthRepository
    drills: r.DrillsRepository
    targets: r.TargetsRepository
    figures: Figures
    reports: ReportsRepository
    exchange: Exchange
    affiliates: AffiliatesRepository
    aid_forms: org.AidFormsRepository
    officers: org.OfficersRepository
    name_history: org.NameHistoryRepository
    branch_moves: org.MemberBranchMovesRepository
    unit_moves: org.UnitMovesRepository
    org: org.OrganisationQueries
    donors: DonorsRepository
    donations: DonationsRepository
    deferrals: DeferralsRepository
    honours: HonoursRepository
    blood: BloodQueries

    def __getattr__(self, name: str) -> Any:
        """Make the repository ``name`` of :data:`PARTS` on first use (then kept)."""
        part = PARTS.get(name)
        if part is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        module_name, class_name, with_ops = part
        with _PARTS_LOCK:  # the worker's threads may ask at the same time
            made = self.__dict__.get(name)
            if made is None:
                module = importlib.import_module(f"chapter_app.store.{module_name}")
                kind = getattr(module, class_name)
                made = kind(self.db, self.ops) if with_ops else kind(self.db)
                self.__dict__[name] = made
        return made

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        user: str | None = None,
        read_only: bool = False,
        create: bool = True,
        upgrade_backup: UpgradeBackup | None = None,
    ) -> Store:
        """Open (and if needed create and migrate) the database at ``path``.

        Raises ``NewerDatabaseError`` for a file from a newer program version and
        ``DatabaseError`` for a file that is not usable. A file with older schema is
        backed up before it is migrated, by ``upgrade_backup(db, path)`` (default
        :func:`plain_upgrade_backup`: a copy in ``backups/`` beside it, refused when the
        register's backups must be locked with its password). Opening for writing
        takes the one-writer lock (``DatabaseInUseError`` when another window holds it);
        read-only opens never do.
        """
        path = Path(path)
        if not path.exists():
            if read_only or not create:
                raise DatabaseError(f"Không tìm thấy tệp dữ liệu «{path}».")
            path.parent.mkdir(parents=True, exist_ok=True)
        elif (read_only or not create) and path.is_file() and path.stat().st_size == 0:
            # An empty file is not a database (a power cut while copying?): never fill it in.
            raise DamagedDatabaseError(
                f"Tệp dữ liệu «{path}» rỗng (0 byte); tệp không bị thay đổi. Hãy mở bản sao lưu "
                "gần nhất hoặc chọn tệp khác."
            )
        user = user or _login_name()
        lock = None if read_only else DatabaseLock.acquire(path, user=user)
        try:
            db = connect(path, read_only=read_only)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        try:
            db.conn.create_function("fold", 1, _fold_sql, deterministic=True)
            db.conn.create_collation("vi", _vietnamese_order)
            check_not_newer(db, path)
            check_is_ours(db, path)
            pending = pending_migrations(db)
            if pending and read_only:
                raise NeedsUpgradeError(
                    f"Tệp dữ liệu «{path}» cần được nâng cấp trước khi mở ở chế độ chỉ đọc."
                )
            if pending and is_initialised(db):  # may refuse: the file is not touched before
                (upgrade_backup or plain_upgrade_backup)(db, path)
            if not read_only:
                use_wal(db)
            if pending:
                migrate(db)
        except sqlite3.DatabaseError as exc:
            db.close()
            if lock is not None:
                lock.release()
            raise DatabaseError(
                f"Không mở được tệp dữ liệu «{path}»: tệp bị hỏng hoặc không phải cơ sở dữ liệu "
                f"của chương trình ({exc})."
            ) from exc
        except Exception:
            db.close()
            if lock is not None:
                lock.release()
            raise
        store = cls(db, path, user=user, read_only=read_only)
        store.lock = lock
        if read_only:
            store.ops.aside = store.write_aside
        return store

    def begin_snapshot(self) -> None:
        """A reader: every query from now on sees the file as it is now (one read
        transaction, held until close), whatever a writer commits meanwhile (WAL)."""
        self.db.execute("BEGIN")
        self.db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()

    def write_aside(self, sql: str, params: list[Any]) -> None:
        """A reader's one write (an audit entry, the chapter's identity): its own short
        connection and transaction, without the one-writer lock; SQLite serialises it with
        the writer's transactions (``busy_timeout``)."""
        from chapter_app.store.connection import BUSY_TIMEOUT_MS

        try:
            conn = sqlite3.connect(
                f"file:{self.path.as_posix()}?mode=rw",
                uri=True,
                isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
            try:
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("BEGIN IMMEDIATE")
                if sql:
                    try:
                        conn.execute(sql, params)
                    except BaseException:
                        conn.execute("ROLLBACK")
                        raise
                    conn.execute("COMMIT")
                else:
                    conn.execute("ROLLBACK")
            finally:
                conn.close()
        except (sqlite3.Error, OSError) as exc:
            raise ReadOnlyLocationError(
                f"Không ghi được vào tệp dữ liệu «{self.path.name}» (tệp hoặc thư mục chỉ cho "
                f"đọc, hoặc đang bận: {exc}). Thao tác này phải được ghi vào nhật ký nên chưa "
                "làm gì; hãy chép tệp sang thư mục ghi được rồi làm lại."
            ) from exc

    def settings_outside(self, key: str) -> Any:
        """A setting as committed now (a reader's snapshot may be older)."""
        from chapter_app.store.connection import connect

        db = connect(self.path, read_only=True)
        try:
            row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        finally:
            db.close()
        return None if row is None or row[0] is None else json.loads(row[0])

    def check_can_write(self) -> None:
        """Raise ``ReadOnlyLocationError`` now (before any output file is written) when this
        store could not note an event in its audit log."""
        if self.read_only:
            self.write_aside("", [])
            return
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("ROLLBACK")

    def close(self) -> None:
        self.db.close()
        if self.lock is not None:
            self.lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- operations, undo ----------------------------------------------------------------

    @contextmanager
    def operation(self, label: str) -> Iterator[Operation]:
        """Group writes into one transaction, one audit group and one undo step."""
        with self.ops.run(label) as op:
            yield op

    def undo(self) -> str:
        return self.ops.undo()

    def redo(self) -> str:
        return self.ops.redo()

    @property
    def undo_label(self) -> str | None:
        return self.ops.undo_label

    @property
    def redo_label(self) -> str | None:
        return self.ops.redo_label

    # --- audit -----------------------------------------------------------------------------

    def audit_entries(
        self,
        *,
        table: str | None = None,
        row_id: int | None = None,
        action: str | None = None,
        limit: int = 200,
    ) -> list[AuditEntry]:
        """The newest audit entries first, optionally for one table/row/action (a row's
        entries include those of a run of rows inserted in bulk that holds it)."""
        where, params = audit_row_filter(table, row_id)
        if action is not None:
            where.append("action = ?")
            params.append(action)
        sql = "SELECT * FROM audit_log"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id DESC LIMIT ?"
        cursor = self.db.execute(sql, [*params, limit])
        names = [d[0] for d in cursor.description]
        entries = []
        for row in cursor:
            values = dict(zip(names, row, strict=True))
            for key in ("old_values", "new_values"):
                values[key] = json.loads(values[key]) if values[key] else None
            entries.append(AuditEntry(**values))
        return entries


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some Windows set-ups
        return "?"
