"""The store side of Excel imports and exports and of exchange packages (issue 5).

``store.exchange`` gathers:

* ``lookups``: what an import plan compares rows with (people's duplicate keys, roles,
  aid already recorded) in a few queries instead of one per row;
* ``writer()``: a :class:`~chapter_app.store.bulk.BulkWriter` that inserts many new
  register rows inside the open operation, audited as ``Repository.add`` audits them,
  a few statements per chunk of rows, in bounded memory;
* ``exports``: the rows of a register with the names their references point at, for a
  spreadsheet, in the order of ids a register query returned;
* ``mappings``: column mappings of imports saved under a name;
* ``packages``: exchange packages received by an upper level, kept whole and never changed
  except for being marked as replaced by a newer one.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from typing import Any

from chapter_app.domain.models import NAME_PARTS, PERSON_DETAIL_FIELDS
from chapter_app.errors import AppError
from chapter_app.store.bulk import WRITE_ORDER, BulkWriter, indexes_set_aside
from chapter_app.store.codec import utc_now
from chapter_app.store.database import Database
from chapter_app.store.operations import Operations

_CHUNK = 5000  # ids per IN (...) list: well below SQLite's variable limit


def _chunks(ids: Sequence[int], size: int = _CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _decode_dates(row: dict[str, Any], columns: Iterable[str]) -> dict[str, Any]:
    for column in columns:
        value = row.get(column)
        if value:
            row[column] = date.fromisoformat(value[:10])
        else:
            row[column] = None
    return row


# --------------------------------------------------------------------------------------------
# Lookups for import plans
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonKey:
    """What duplicate detection needs to know about a person on file."""

    id: int
    full_name: str
    sort_key: str
    search_fold: str
    birth_year: int | None
    id_number: str | None


@dataclass(frozen=True)
class AidKey:
    """What tells an aid record from another when a sheet is imported twice."""

    id: int
    given_on: date
    recipient_kind: str
    address_id: int | None
    person_id: int | None
    group_name: str | None
    cash_value: int
    goods_value: int
    quantity: float | None


class ImportLookups:
    def __init__(self, db: Database):
        self.db = db

    def people(self) -> list[PersonKey]:
        """Every live person's duplicate keys (ID number, folded name, birth year)."""
        cursor = self.db.execute(
            "SELECT id, full_name, sort_key, search_fold, birth_year, id_number FROM people "
            "WHERE deleted_at IS NULL"
        )
        return [PersonKey(*row) for row in cursor]

    def role_ids(self, table: str) -> dict[int, int]:
        """``person_id -> role id`` of the live rows of a role table (members, volunteers)."""
        if table not in ("members", "volunteers", "youth"):
            raise ValueError(table)
        cursor = self.db.execute(
            f"SELECT person_id, MIN(id) FROM [{table}] WHERE deleted_at IS NULL GROUP BY person_id"
        )
        return dict(cursor.fetchall())

    def aid_on(self, days: Iterable[date]) -> list[AidKey]:
        """Live aid records given on any of ``days``."""
        wanted = sorted({d.isoformat() for d in days})
        keys: list[AidKey] = []
        for chunk in _chunks(wanted):
            cursor = self.db.execute(
                "SELECT id, given_on, recipient_kind, address_id, person_id, group_name, "
                "cash_value, goods_value, quantity FROM aid_records WHERE deleted_at IS NULL "
                f"AND given_on IN ({', '.join('?' * len(chunk))})",
                list(chunk),
            )
            for row in cursor:
                keys.append(AidKey(row[0], date.fromisoformat(row[1]), *row[2:]))
        return keys

    def state_token(self) -> int:
        """Grows with every write to the register (the newest audit entry's id)."""
        return self.db.execute("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetchone()[0]


# --------------------------------------------------------------------------------------------
# Export rows
# --------------------------------------------------------------------------------------------

PERSON_EXPORT_COLUMNS = ("full_name", *NAME_PARTS, *PERSON_DETAIL_FIELDS)
_PERSON_SELECT = ", ".join(f"p.[{c}] AS [{c}]" for c in PERSON_EXPORT_COLUMNS)


class ExportQueries:
    """Rows of a register for a spreadsheet: each record with the names it points at.

    Every method takes the ids a register query returned (search, filters and sort of the
    list on screen) and yields one dict per row in that order; dates are ``date``.
    """

    def __init__(self, db: Database):
        self.db = db

    def _by_ids(
        self, sql: str, ids: Sequence[int], *, key: str = "id", dates: Sequence[str] = ()
    ) -> Iterator[dict[str, Any]]:
        ids = list(ids)
        for chunk in _chunks(ids):
            cursor = self.db.execute(sql.format(ids=", ".join("?" * len(chunk))), [*chunk])
            names = [d[0] for d in cursor.description]
            found: dict[int, list[dict[str, Any]]] = {}
            for values in cursor:
                row = _decode_dates(dict(zip(names, values, strict=True)), dates)
                found.setdefault(row[key], []).append(row)
            for row_id in chunk:
                yield from found.get(row_id, ())

    def members(self, ids: Sequence[int]) -> Iterator[dict[str, Any]]:
        return self._by_ids(
            f"SELECT t.id AS id, {_PERSON_SELECT}, t.admitted_on, t.decision_no, t.card_no, "
            "t.status, t.status_on, b.name AS branch_name, u.name AS unit_name "
            "FROM members t JOIN people p ON p.id = t.person_id "
            "LEFT JOIN branches b ON b.id = t.branch_id LEFT JOIN units u ON u.id = p.unit_id "
            "WHERE t.id IN ({ids})",
            ids,
            dates=("birth_date", "admitted_on", "status_on"),
        )

    def volunteers(self, ids: Sequence[int]) -> Iterator[dict[str, Any]]:
        return self._by_ids(
            f"SELECT t.id AS id, {_PERSON_SELECT}, t.registered_on, t.left_on, t.is_core, "
            "t.skills, t.team, t.hours, b.name AS branch_name, u.name AS unit_name "
            "FROM volunteers t JOIN people p ON p.id = t.person_id "
            "LEFT JOIN branches b ON b.id = t.branch_id LEFT JOIN units u ON u.id = p.unit_id "
            "WHERE t.id IN ({ids})",
            ids,
            dates=("birth_date", "registered_on", "left_on"),
        )

    def people(self, ids: Sequence[int]) -> Iterator[dict[str, Any]]:
        return self._by_ids(
            f"SELECT p.id AS id, {_PERSON_SELECT}, u.name AS unit_name, "
            "EXISTS (SELECT 1 FROM members m WHERE m.person_id = p.id "
            "AND m.deleted_at IS NULL) AS is_member, "
            "EXISTS (SELECT 1 FROM volunteers v WHERE v.person_id = p.id "
            "AND v.deleted_at IS NULL) AS is_volunteer, "
            "EXISTS (SELECT 1 FROM youth y WHERE y.person_id = p.id "
            "AND y.deleted_at IS NULL) AS is_youth, "
            "EXISTS (SELECT 1 FROM addresses a WHERE a.head_person_id = p.id "
            "AND a.deleted_at IS NULL) AS is_household_head "
            "FROM people p LEFT JOIN units u ON u.id = p.unit_id WHERE p.id IN ({ids})",
            ids,
            dates=("birth_date",),
        )

    def addresses(self, ids: Sequence[int]) -> Iterator[dict[str, Any]]:
        """One row per commitment of each address (one row for an address without any)."""
        return self._by_ids(
            "SELECT a.id AS id, a.name, a.street_address, a.circumstances, a.needs, a.opened_on, "
            "a.survey_date, a.certified_on, a.file_no, a.registry_id, a.status, a.status_on, "
            "a.notes, u.name AS unit_name, "
            "(SELECT json_group_array(c.name) FROM (SELECT c.name FROM address_categories l "
            "JOIN categories c ON c.id = l.category_id WHERE l.address_id = a.id "
            "AND l.deleted_at IS NULL ORDER BY c.sort_order, c.id) c) AS categories, "
            "s.name AS sponsor_name, s.kind AS sponsor_kind, s.contact_name AS sponsor_contact, "
            "s.phone AS sponsor_phone, s.email AS sponsor_email, s.address AS sponsor_address, "
            "k.start_on AS commitment_start, k.end_on AS commitment_end, "
            "k.form AS commitment_form, k.frequency AS commitment_frequency, "
            "k.amount AS commitment_amount, k.description AS commitment_description, "
            "k.notes AS commitment_notes "
            "FROM addresses a LEFT JOIN units u ON u.id = a.unit_id "
            "LEFT JOIN commitments k ON k.address_id = a.id AND k.deleted_at IS NULL "
            "LEFT JOIN sponsors s ON s.id = k.sponsor_id "
            "WHERE a.id IN ({ids}) ORDER BY a.id, k.start_on, k.id",
            ids,
            dates=(
                "opened_on",
                "survey_date",
                "certified_on",
                "status_on",
                "commitment_start",
                "commitment_end",
            ),
        )

    def aid(self, ids: Sequence[int]) -> Iterator[dict[str, Any]]:
        return self._by_ids(
            "SELECT t.id AS id, t.given_on, t.recipient_kind, a.name AS address_name, "
            "p.full_name AS person_name, p.birth_date AS person_birth_date, "
            "p.birth_year AS person_birth_year, p.id_number AS person_id_number, t.group_name, "
            "t.head_count, c.name AS campaign_name, r.name AS area_name, t.form, "
            "t.description, t.quantity, t.unit, t.cash_value, t.goods_value, t.funding_source, "
            "s.name AS sponsor_name, t.persons_reached, t.households_reached, t.is_emergency, "
            "t.notes FROM aid_records t LEFT JOIN addresses a ON a.id = t.address_id "
            "LEFT JOIN people p ON p.id = t.person_id "
            "LEFT JOIN campaigns c ON c.id = t.campaign_id "
            "LEFT JOIN activity_areas r ON r.id = t.area_id "
            "LEFT JOIN sponsors s ON s.id = t.sponsor_id WHERE t.id IN ({ids})",
            ids,
            dates=("given_on", "person_birth_date"),
        )

    # --- whole tables, for exchange packages ------------------------------------------------

    def table_rows(self, table: str, columns: Sequence[str]) -> Iterator[dict[str, Any]]:
        """Every row of a register table, tombstones included, as stored (ISO dates)."""
        if table not in WRITE_ORDER and table not in ("campaigns", "activity_areas", "categories"):
            raise ValueError(table)
        cursor = self.db.execute(
            f"SELECT {', '.join(f'[{c}]' for c in columns)} FROM [{table}] ORDER BY id"
        )
        for values in cursor:
            yield dict(zip(columns, values, strict=True))

    def uuids(self, table: str) -> dict[int, str]:
        """``id -> uuid`` of every row of a register table, tombstones included."""
        if table not in WRITE_ORDER and table not in ("campaigns", "activity_areas", "categories"):
            raise ValueError(table)
        return dict(self.db.execute(f"SELECT id, uuid FROM [{table}]").fetchall())


# --------------------------------------------------------------------------------------------
# Saved mappings
# --------------------------------------------------------------------------------------------


class MappingsRepository:
    """Column mappings of imports, saved under a name per register."""

    def __init__(self, db: Database, ops: Operations):
        self.db = db
        self.ops = ops

    def save(self, kind: str, name: str, mapping: Mapping[str, Any]) -> None:
        text = json.dumps(dict(mapping), ensure_ascii=False, sort_keys=True)
        now = utc_now()
        with self.ops.run(f"Lưu cách ghép cột “{name}”", undoable=False):
            self.db.execute(
                "INSERT INTO import_mappings (kind, name, mapping, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(kind, name) DO UPDATE SET "
                "mapping = excluded.mapping, updated_at = excluded.updated_at",
                [kind, name, text, now, now],
            )
            self.ops.log_event("import_mapping_saved", details={"kind": kind, "name": name})

    def get(self, kind: str, name: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT mapping FROM import_mappings WHERE kind = ? AND name = ?", [kind, name]
        ).fetchone()
        return None if row is None else json.loads(row[0])

    def names(self, kind: str) -> list[str]:
        return [
            row[0]
            for row in self.db.execute(
                "SELECT name FROM import_mappings WHERE kind = ? ORDER BY updated_at DESC, name",
                [kind],
            )
        ]

    def delete(self, kind: str, name: str) -> None:
        with self.ops.run(f"Xóa cách ghép cột “{name}”", undoable=False):
            self.db.execute("DELETE FROM import_mappings WHERE kind = ? AND name = ?", [kind, name])
            self.ops.log_event("import_mapping_deleted", details={"kind": kind, "name": name})


# --------------------------------------------------------------------------------------------
# Received packages
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedPackage:
    id: int
    content_sha256: str
    chapter_uuid: str
    chapter_name: str
    parent_name: str | None
    period_code: str
    period_start: date
    period_end: date
    created_at: str
    program_version: str | None
    format_version: int
    manifest: dict[str, Any]
    stats: dict[str, Any]
    has_report: bool
    has_records: bool
    file_name: str | None
    received_at: str
    received_by: str | None
    replaced_by: int | None
    replaced_at: str | None

    @property
    def is_current(self) -> bool:
        return self.replaced_by is None


@dataclass(frozen=True)
class PackagePart:
    name: str
    sha256: str
    size: int
    content: bytes  # as the chapter wrote it (inflated when it is kept compressed)


@dataclass(frozen=True)
class IncomingPart:
    """A verified part to keep: ``content`` as stored (``encoding``: see ``part_codec``),
    read when the row is written (one part in memory at a time)."""

    name: str
    sha256: str
    size: int
    encoding: str
    read: Callable[[], bytes]


def _inflate(name: str, sha256: str, size: int, content: bytes, encoding: str) -> bytes:
    """A kept part's bytes: decoded to at most its recorded ``size`` (a hostile stream
    cannot fill the memory) and checked against its size and SHA-256, since a format-2
    package was checked as compressed when it was received."""
    import hashlib  # reading a kept part only: not imported to open a register

    from chapter_app.store.part_codec import DecodeError, decode

    try:
        data = decode(content, encoding, size)
    except DecodeError:
        data = None
    if data is None or len(data) != size or hashlib.sha256(data).hexdigest() != sha256:
        raise AppError(
            f"Phần {name} của một gói dữ liệu đã nhận không khớp mã kiểm tra SHA-256 ghi trong "
            "bản kê của gói. Hãy bỏ gói đó (chapter-app consolidate --remove) rồi xin Hội cơ sở "
            "gửi lại."
        )
    return data


_PACKAGE_COLUMNS = (
    "id",
    "content_sha256",
    "chapter_uuid",
    "chapter_name",
    "parent_name",
    "period_code",
    "period_start",
    "period_end",
    "created_at",
    "program_version",
    "format_version",
    "manifest",
    "stats",
    "has_report",
    "has_records",
    "file_name",
    "received_at",
    "received_by",
    "replaced_by",
    "replaced_at",
)


_PACKED_LIMIT = 4 << 20  # a manifest (256 KiB) or figures (1 MiB) inflated, and margin


def pack_json(value: Mapping[str, Any]) -> bytes:
    """A package's manifest or figures as kept: compact JSON, deflated (a quarter of the
    text; rows kept as text before migration 0009_exchange_packed_json are packed by it,
    and text is still read)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return zlib.compress(text.encode(), 9)


def _unpack_json(value: str | bytes) -> Any:
    if isinstance(value, bytes):
        inflater = zlib.decompressobj()
        try:
            value = inflater.decompress(value, _PACKED_LIMIT)
        except zlib.error:
            value = b""
        if not inflater.eof:
            raise AppError(
                "Bản kê của một gói dữ liệu đã nhận bị hỏng; hãy chạy chapter-app check, rồi "
                "bỏ gói đó (chapter-app consolidate --remove) và xin Hội cơ sở gửi lại."
            )
    return json.loads(value)


def _package(row: Sequence[Any]) -> ReceivedPackage:
    values = dict(zip(_PACKAGE_COLUMNS, row, strict=True))
    values["period_start"] = date.fromisoformat(values["period_start"])
    values["period_end"] = date.fromisoformat(values["period_end"])
    values["manifest"] = _unpack_json(values["manifest"])
    values["stats"] = _unpack_json(values["stats"])
    values["has_report"] = bool(values["has_report"])
    values["has_records"] = bool(values["has_records"])
    return ReceivedPackage(**values)


class PackagesRepository:
    """Packages received from chapters (upper-level mode)."""

    def __init__(self, db: Database, ops: Operations):
        self.db = db
        self.ops = ops

    def _select(self, where: str, params: Sequence[Any]) -> list[ReceivedPackage]:
        cursor = self.db.execute(
            f"SELECT {', '.join(_PACKAGE_COLUMNS)} FROM received_packages WHERE {where}",
            list(params),
        )
        return [_package(row) for row in cursor]

    def find(self, package_id: int) -> ReceivedPackage | None:
        found = self._select("id = ?", [package_id])
        return found[0] if found else None

    def get(self, package_id: int) -> ReceivedPackage:
        package = self.find(package_id)
        if package is None:
            raise AppError(f"Không tìm thấy gói dữ liệu số {package_id}.")
        return package

    def by_content(self, content_sha256: str) -> ReceivedPackage | None:
        found = self._select("content_sha256 = ?", [content_sha256])
        return found[0] if found else None

    def current(self, chapter_uuid: str, period_code: str) -> ReceivedPackage | None:
        """The package in force for a chapter and period (not replaced), if any."""
        found = self._select(
            "chapter_uuid = ? AND period_code = ? AND replaced_by IS NULL",
            [chapter_uuid, period_code],
        )
        return found[0] if found else None

    def for_period(self, period_code: str, *, current_only: bool = True) -> list[ReceivedPackage]:
        where = "period_code = ?" + (" AND replaced_by IS NULL" if current_only else "")
        return self._select(where + " ORDER BY chapter_name, created_at", [period_code])

    def history(self, chapter_uuid: str, period_code: str) -> list[ReceivedPackage]:
        """Every package of a chapter and period, oldest first."""
        return self._select(
            "chapter_uuid = ? AND period_code = ? ORDER BY created_at, id",
            [chapter_uuid, period_code],
        )

    def newest_period_code(self) -> str | None:
        """The period of the package received last, if any."""
        row = self.db.execute(
            "SELECT period_code FROM received_packages ORDER BY received_at DESC, id DESC LIMIT 1"
        ).fetchone()
        return row[0] if row else None

    def parts(self, package_id: int) -> list[PackagePart]:
        cursor = self.db.execute(
            "SELECT name, sha256, size, content, encoding FROM received_package_parts "
            "WHERE package_id = ? ORDER BY name",
            [package_id],
        )
        return [
            PackagePart(name, sha, size, _inflate(name, sha, size, content, encoding))
            for name, sha, size, content, encoding in cursor
        ]

    def part(self, package_id: int, name: str) -> PackagePart | None:
        row = self.db.execute(
            "SELECT name, sha256, size, content, encoding FROM received_package_parts "
            "WHERE package_id = ? AND name = ?",
            [package_id, name],
        ).fetchone()
        return None if row is None else PackagePart(*row[:3], _inflate(*row))

    def stored_size(self) -> int:
        """Bytes of every kept part as stored (to compare with the packages' size)."""
        return self.db.execute(
            "SELECT COALESCE(SUM(length(content)), 0) FROM received_package_parts"
        ).fetchone()[0]

    def remove(self, chapter_uuid: str, period_code: str, *, reason: str | None = None) -> int:
        """Remove every package of a chapter and period (the one in force and those it
        replaced), in one operation noted in the audit log; returns how many."""
        found = self.history(chapter_uuid, period_code)
        if not found:
            return 0
        ids = [p.id for p in found]
        marks = ", ".join("?" * len(ids))
        with self.ops.run(
            f"Bỏ gói dữ liệu của {found[-1].chapter_name} ({period_code})", undoable=False
        ):
            self.db.execute(
                f"DELETE FROM received_package_parts WHERE package_id IN ({marks})", ids
            )
            self.db.execute(
                f"UPDATE received_packages SET replaced_by = NULL WHERE id IN ({marks})", ids
            )
            self.db.execute(f"DELETE FROM received_packages WHERE id IN ({marks})", ids)
            self.ops.log_event(
                "package_removed",
                details={
                    "chapter_uuid": chapter_uuid,
                    "chapter_name": found[-1].chapter_name,
                    "period": period_code,
                    "packages": [
                        {"id": p.id, "content_sha256": p.content_sha256, "file_name": p.file_name}
                        for p in found
                    ],
                },
                reason=reason,
            )
        return len(found)

    def add(
        self,
        *,
        content_sha256: str,
        manifest: Mapping[str, Any],
        stats: Mapping[str, Any],
        parts: Sequence[IncomingPart],
        file_name: str | None,
        replaces: int | None = None,
    ) -> ReceivedPackage:
        """Keep a verified package (and mark ``replaces`` as replaced by it), in one operation
        (joining the caller's, when one is open: several packages, all or none)."""
        chapter = manifest["chapter"]
        period = manifest["period"]
        names = {p.name for p in parts}
        now = utc_now()
        with self.ops.run(
            f"Nhận gói dữ liệu của {chapter['name']} ({period['code']})", undoable=False
        ):
            cursor = self.db.execute(
                "INSERT INTO received_packages (content_sha256, chapter_uuid, chapter_name, "
                "parent_name, period_code, period_start, period_end, created_at, "
                "program_version, format_version, manifest, stats, has_report, has_records, "
                "file_name, received_at, received_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    content_sha256,
                    chapter["uuid"],
                    chapter["name"],
                    chapter.get("parent_name"),
                    period["code"],
                    period["start"],
                    period["end"],
                    manifest["created_at"],
                    (manifest.get("program") or {}).get("version"),
                    manifest["format_version"],
                    pack_json(manifest),
                    pack_json(stats),
                    int("report.pdf" in names),
                    int(any(n.startswith("records/") for n in names)),
                    file_name,
                    now,
                    self.ops.user,
                ],
            )
            package_id = cursor.lastrowid
            for p in parts:  # one part's bytes in memory at a time
                self.db.conn.execute(
                    "INSERT INTO received_package_parts (package_id, name, sha256, size, "
                    "content, encoding) VALUES (?, ?, ?, ?, ?, ?)",
                    (package_id, p.name, p.sha256, p.size, p.read(), p.encoding),
                )
            if replaces is not None:
                self.db.execute(
                    "UPDATE received_packages SET replaced_by = ?, replaced_at = ? WHERE id = ?",
                    [package_id, now, replaces],
                )
            self.ops.log_event(
                "package_received",
                details={
                    "package_id": package_id,
                    "chapter_uuid": chapter["uuid"],
                    "chapter_name": chapter["name"],
                    "period": period["code"],
                    "created_at": manifest["created_at"],
                    "content_sha256": content_sha256,
                    "file_name": file_name,
                    "replaces": replaces,
                },
            )
        return self.get(package_id)


# --------------------------------------------------------------------------------------------
# The façade
# --------------------------------------------------------------------------------------------


class Exchange:
    """``store.exchange``: lookups, bulk writes, export rows, saved mappings, packages."""

    def __init__(self, db: Database, ops: Operations):
        self.db = db
        self.ops = ops
        self.lookups = ImportLookups(db)
        self.exports = ExportQueries(db)
        self.mappings = MappingsRepository(db, ops)
        self.packages = PackagesRepository(db, ops)

    def writer(self, *, chunk_rows: int | None = None) -> BulkWriter:
        return BulkWriter(self.db, self.ops, chunk_rows=chunk_rows)

    def indexes_set_aside(self, *, rows: int) -> AbstractContextManager[list[str]]:
        """:func:`~chapter_app.store.bulk.indexes_set_aside` for the register tables an
        import writes many rows to (not the chi hội and thôn lists)."""
        tables = [t for t in WRITE_ORDER if t not in ("units", "branches")]
        return indexes_set_aside(self.db, tables, rows=rows)
