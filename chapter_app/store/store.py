"""The façade over one database file: ``Store.open(path)``.

``store.people``, ``store.members``, ... are the repositories; ``store.operation``
groups writes into one transaction and one undo step; ``store.undo()`` and
``store.redo()`` walk the last 30 operations.
"""

from __future__ import annotations

import getpass
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from chapter_app.domain.text import collation_key, fold
from chapter_app.errors import DamagedDatabaseError, DatabaseError, ReadOnlyLocationError
from chapter_app.paths import default_backups_dir
from chapter_app.store import organisation as org
from chapter_app.store import registers as r
from chapter_app.store.affiliates import AffiliatesRepository
from chapter_app.store.backup import backup_file_name, copy_database
from chapter_app.store.blood import (
    DeferralsRepository,
    DonationsRepository,
    DonorsRepository,
    DrivesRepository,
    HonoursRepository,
)
from chapter_app.store.blood_queries import BloodQueries
from chapter_app.store.connection import (
    check_is_ours,
    check_not_newer,
    connect,
    is_initialised,
    migrate,
    pending_migrations,
    use_wal,
)
from chapter_app.store.exchange import Exchange
from chapter_app.store.figures import Figures
from chapter_app.store.lock import DatabaseLock
from chapter_app.store.operations import Operation, Operations, audit_row_filter
from chapter_app.store.reports import ReportsRepository
from chapter_app.store.settings import Settings


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
        self.units = r.UnitsRepository(db, self.ops)
        self.branches = r.BranchesRepository(db, self.ops)
        self.people = r.PeopleRepository(db, self.ops)
        self.members = r.MembersRepository(db, self.ops)
        self.volunteers = r.VolunteersRepository(db, self.ops)
        self.youth = r.YouthRepository(db, self.ops)
        self.dues = r.DuesRepository(db, self.ops)
        self.categories = r.CategoriesRepository(db, self.ops)
        self.addresses = r.AddressesRepository(db, self.ops)
        self.sponsors = r.SponsorsRepository(db, self.ops)
        self.commitments = r.CommitmentsRepository(db, self.ops)
        self.campaigns = r.CampaignsRepository(db, self.ops)
        self.areas = r.AreasRepository(db, self.ops)
        self.distributions = r.DistributionsRepository(db, self.ops)
        self.aid = r.AidRepository(db, self.ops)
        self.blood_drives = DrivesRepository(db, self.ops)  # with its named donations
        self.firstaid = r.FirstAidRepository(db, self.ops)
        self.health = r.HealthRepository(db, self.ops)
        self.drills = r.DrillsRepository(db, self.ops)
        self.targets = r.TargetsRepository(db, self.ops)
        self.figures = Figures(db)
        self.reports = ReportsRepository(db, self.ops)
        self.exchange = Exchange(db, self.ops)  # imports, exports, packages (issue 5)
        self.affiliates = AffiliatesRepository(db, self.ops)  # upper level: its chapters
        # the organisation (issue 13)
        self.aid_forms = org.AidFormsRepository(db, self.ops)
        self.officers = org.OfficersRepository(db, self.ops)
        self.name_history = org.NameHistoryRepository(db, self.ops)
        self.branch_moves = org.MemberBranchMovesRepository(db, self.ops)
        self.unit_moves = org.UnitMovesRepository(db, self.ops)
        self.org = org.OrganisationQueries(db)
        # blood donors (issue 17)
        self.donors = DonorsRepository(db, self.ops)
        self.donations = DonationsRepository(db, self.ops)
        self.deferrals = DeferralsRepository(db, self.ops)
        self.honours = HonoursRepository(db, self.ops)
        self.blood = BloodQueries(db)

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        user: str | None = None,
        read_only: bool = False,
        create: bool = True,
    ) -> Store:
        """Open (and if needed create and migrate) the database at ``path``.

        Raises ``NewerDatabaseError`` for a file from a newer program version and
        ``DatabaseError`` for a file that is not usable. A file with older schema is
        backed up (beside it, in ``backups/``) before it is migrated. Opening for writing
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
            if not read_only:
                use_wal(db)
            pending = pending_migrations(db)
            if pending and read_only:
                raise NeedsUpgradeError(
                    f"Tệp dữ liệu «{path}» cần được nâng cấp trước khi mở ở chế độ chỉ đọc."
                )
            if pending:
                if is_initialised(db):
                    dest = default_backups_dir(path) / backup_file_name(path, reason="migrate")
                    copy_database(db.conn, dest)
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
