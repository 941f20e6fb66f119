"""Exchange packages for the level above, and their consolidation there.

A package (``.ctdpkg``) is a zip holding

* ``manifest.json``: format and version, the chapter's identity (a UUID made once per
  database, its name), the period, when and by which program version it was made, and the
  SHA-256 and size of every other part;
* ``stats.json``: the indicator figures (``stats --json``: period, year-to-date, last year);
* ``report.pdf``: the issued report of the period, when there is one;
* ``records/<table>.json`` (optional): the register's rows with their UUIDs and tombstones,
  references as UUIDs, personal data kept to the level chosen (never sensitive data).

With a password, that zip is encrypted whole (AES-256-GCM, see ``services.protect``) and
carried inside an outer zip as ``package.enc`` beside a small ``envelope.json``.

The upper level (a database whose setting ``mode`` is ``upper``) verifies every checksum,
refuses a damaged, truncated or altered package with a clear message, keeps each package
once (receiving it again changes nothing), lets a newer package of the same chapter and
period replace the older one (showing what changed), and builds the consolidated table
(one row per chapter, totals), its workbook and the consolidated report.

The checksums find damage and edits to any part; they do not prove who made a package
(anyone can write a consistent new manifest). A password does: AES-GCM refuses any change.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import uuid as uuidlib
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from chapter_app import APP_NAME, __version__
from chapter_app.domain.periods import Period, parse_period
from chapter_app.domain.privacy import is_sensitive_category
from chapter_app.services import protect
from chapter_app.services.indicators import INDICATORS, MONEY_KEYS, stats_json
from chapter_app.services.package_read import VerifiedPackage, read_package
from chapter_app.services.package_schema import (
    FORMAT,
    FORMAT_VERSION,
    GROUP_KEYS,
    PERSONAL_DATA_LEVELS,
    PROTECTED_FORMAT,
    PackageError,
    PasswordRequiredError,
    content_hash,
    json_bytes,
)
from chapter_app.store.exchange import ReceivedPackage
from chapter_app.store.files import write_bytes_whole
from chapter_app.store.store import Store

SUFFIX = ".ctdpkg"
INDICATOR_LABELS = {key: label for key, label, _unit in INDICATORS}
# The figures a consolidated table shows on screen (the Excel table and the PDF: all of them).
MAIN_KEYS = (
    "members.total_end",
    "members.new",
    "volunteers.total_end",
    "addresses.on_file",
    "aid.person_times",
    "aid.value_total",
)


# --------------------------------------------------------------------------------------------
# Chapter identity and modes
# --------------------------------------------------------------------------------------------


def chapter_identity(store: Store) -> dict[str, str]:
    """The chapter as packages name it; its UUID is made (and kept) on first need."""
    settings = store.settings.all()
    chapter_uuid = settings.get("chapter_uuid") or ""
    if not chapter_uuid and store.read_only:
        # A reader (the program has the file open) notes it aside, once for good.
        store.write_aside(
            "INSERT INTO settings (key, value, updated_at) VALUES ('chapter_uuid', ?, "
            "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) ON CONFLICT(key) DO UPDATE SET "
            "value = excluded.value WHERE settings.value IS NULL OR settings.value IN "
            "('\"\"', 'null')",
            [json.dumps(str(uuidlib.uuid4()))],
        )
        chapter_uuid = store.settings_outside("chapter_uuid")
    elif not chapter_uuid:
        chapter_uuid = str(uuidlib.uuid4())
        store.settings.set("chapter_uuid", chapter_uuid)
    return {
        "uuid": chapter_uuid,
        "name": settings.get("chapter_name") or "",
        "parent_name": settings.get("parent_name") or "",
        "place_name": settings.get("place_name") or "",
    }


def is_upper_level(store: Store) -> bool:
    return store.settings.get("mode") == "upper"


def enable_upper_mode(store: Store) -> None:
    """Make the database an upper level's (it receives packages); refused for a register."""
    if is_upper_level(store):
        return
    if store.people.count():
        raise PackageError(
            f"Tệp dữ liệu «{store.path.name}» đang là sổ của một Hội cơ sở (đã có dữ liệu); "
            "hãy dùng một tệp riêng cho cấp trên."
        )
    store.settings.set("mode", "upper")


# --------------------------------------------------------------------------------------------
# Records: the register's rows, minimised
# --------------------------------------------------------------------------------------------

_COMMON = ("id", "uuid", "created_at", "updated_at", "deleted_at")
# table -> {level: columns added at that level}; references are rewritten as UUIDs.
_RECORD_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "units": {"minimal": ("name", "kind", "valid_from", "valid_to", "merged_into_id")},
    "branches": {"minimal": ("name", "kind", "founded_on", "dissolved_on")},
    "people": {
        "minimal": ("sex", "birth_year", "unit_id"),
        "names": ("full_name", "family_name", "middle_name", "given_name", "birth_date", "address"),
        "full": ("id_number", "phone", "old_address", "notes"),
    },
    "members": {
        "minimal": ("person_id", "branch_id", "admitted_on", "status", "status_on"),
        "full": ("decision_no", "card_no"),
    },
    "member_status": {"minimal": ("member_id", "status", "on_date")},
    "volunteers": {
        "minimal": ("person_id", "branch_id", "registered_on", "left_on", "is_core", "hours"),
        "names": ("skills", "team"),
    },
    "addresses": {
        "minimal": ("unit_id", "opened_on", "status", "status_on"),
        "names": ("name", "street_address", "head_person_id"),
        "full": ("file_no", "registry_id", "needs", "survey_date", "certified_on"),
    },
    "address_status": {"minimal": ("address_id", "status", "on_date")},
    "sponsors": {
        "minimal": ("name", "kind"),
        "full": ("contact_name", "phone", "email", "address"),
    },
    "commitments": {
        "minimal": (
            "sponsor_id",
            "address_id",
            "start_on",
            "end_on",
            "form",
            "frequency",
            "amount",
        ),
    },
    "aid_records": {
        "minimal": (
            "given_on",
            "recipient_kind",
            "address_id",
            "person_id",
            "head_count",
            "campaign_id",
            "area_id",
            "form",
            "quantity",
            "unit",
            "cash_value",
            "goods_value",
            "funding_source",
            "sponsor_id",
            "persons_reached",
            "households_reached",
            "is_emergency",
        ),
        "names": ("group_name", "description"),
    },
}
_REFERENCES = {
    "merged_into_id": "units",
    "unit_id": "units",
    "person_id": "people",
    "head_person_id": "people",
    "branch_id": "branches",
    "member_id": "members",
    "address_id": "addresses",
    "sponsor_id": "sponsors",
}
_NAMED_REFERENCES = {"campaign_id": "campaigns", "area_id": "activity_areas"}


def _record_columns(table: str, level: str) -> list[str]:
    levels = PERSONAL_DATA_LEVELS[: PERSONAL_DATA_LEVELS.index(level) + 1]
    columns = [c for lv in levels for c in _RECORD_COLUMNS[table].get(lv, ())]
    return [*_COMMON, *columns]


def collect_records(store: Store, *, personal_data: str = "minimal") -> dict[str, bytes]:
    """``records/<table>.json`` parts: rows with UUIDs (references too), tombstones bare."""
    if personal_data not in PERSONAL_DATA_LEVELS:
        raise PackageError(
            f"Mức dữ liệu cá nhân “{personal_data}” không hợp lệ; chọn "
            f"{', '.join(PERSONAL_DATA_LEVELS)}."
        )
    exports = store.exchange.exports
    uuids: dict[str, dict[int, str]] = {}

    def uuid_of(table: str, row_id: Any) -> str | None:
        if row_id is None:
            return None
        if table not in uuids:
            uuids[table] = exports.uuids(table)
        return uuids[table].get(row_id)

    names = {
        table: {r["id"]: r["name"] for r in exports.table_rows(table, ("id", "name"))}
        for table in _NAMED_REFERENCES.values()
    }
    categories = {r["id"]: r["name"] for r in exports.table_rows("categories", ("id", "name"))}
    links: dict[int, list[str]] = {}
    for link in exports.table_rows(
        "address_categories", ("address_id", "category_id", "deleted_at")
    ):
        name = categories.get(link["category_id"])
        if link["deleted_at"] is None and name and not is_sensitive_category(name):
            links.setdefault(link["address_id"], []).append(name)

    parts: dict[str, bytes] = {}
    for table in _RECORD_COLUMNS:
        columns = _record_columns(table, personal_data)
        rows = []
        for row in exports.table_rows(table, columns):
            if row["deleted_at"]:
                rows.append({k: row[k] for k in ("uuid", "updated_at", "deleted_at")})
                continue
            out: dict[str, Any] = {}
            for key, value in row.items():
                if key == "id":
                    continue
                if key in _REFERENCES:
                    out[key.removesuffix("_id")] = uuid_of(_REFERENCES[key], value)
                elif key in _NAMED_REFERENCES:
                    out[key.removesuffix("_id")] = names[_NAMED_REFERENCES[key]].get(value)
                else:
                    out[key] = value
            if table == "addresses":
                out["categories"] = links.get(row["id"], [])
            rows.append(out)
        payload = {"table": table, "personal_data": personal_data, "rows": rows}
        parts[f"records/{table}.json"] = _json_bytes(payload)
    return parts


# --------------------------------------------------------------------------------------------
# Building a package
# --------------------------------------------------------------------------------------------


_json_bytes = json_bytes


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class PackageInfo:
    path: Path
    manifest: dict[str, Any]
    content_sha256: str
    protected: bool

    @property
    def part_names(self) -> list[str]:
        return [p["name"] for p in self.manifest["parts"]]


def issued_report_of(store: Store, period: Period | str):
    """The newest report issued for exactly ``period`` (its summary), or None."""
    if isinstance(period, str):
        period = parse_period(period)
    issued = [
        r
        for r in store.reports.for_period(period.start, period.end)
        if r.period_code == period.code
    ]
    return max(issued, key=lambda r: (r.issued_on, r.year, r.number, r.id), default=None)


def _issued_report_pdf(store: Store, period: Period) -> bytes | None:
    latest = issued_report_of(store, period)
    return None if latest is None else store.reports.get(latest.id).pdf


def _zip_bytes(parts: Mapping[str, bytes], when: datetime) -> bytes:
    buffer = io.BytesIO()
    stamp = when.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            _write_entry(archive, name, data, stamp)
    return buffer.getvalue()


def _write_entry(archive: zipfile.ZipFile, name: str, data: bytes, stamp: tuple) -> None:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def _package_zip(parts: Mapping[str, bytes], manifest: dict[str, Any], when: datetime) -> bytes:
    """The package's zip: the parts, then the manifest, whose entries get the SHA-256 of
    each part's bytes as the zip holds them (``zip_sha256``, read back once written)."""
    buffer = io.BytesIO()
    stamp = when.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            _write_entry(archive, name, data, stamp)
        infos = {info.filename: info for info in archive.infolist()}
        with buffer.getbuffer() as written:  # released before the zip grows again
            for entry in manifest["parts"]:
                entry["zip_sha256"] = _stored_sha256(written, infos[entry["name"]])
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        _write_entry(archive, "manifest.json", manifest_bytes, stamp)
    return buffer.getvalue()


def _stored_sha256(written: memoryview, info: zipfile.ZipInfo) -> str:
    """SHA-256 of a written entry's bytes as stored: after its local header (30 bytes) and
    that header's name and extra field, whose lengths are at offsets 26 and 28."""
    at = info.header_offset
    name_length, extra_length = struct.unpack_from("<HH", written, at + 26)
    start = at + 30 + name_length + extra_length
    with written[start : start + info.compress_size] as data:
        return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class PreparedPackage:
    """A package made in memory (``prepare_package``), not yet written."""

    period: Period
    manifest: dict[str, Any]
    data: bytes  # the file's bytes
    protected: bool
    personal_data: str | None  # the level of the records, None without records

    @property
    def content_sha256(self) -> str:
        return content_hash(self.manifest)


def build_package(store: Store, period: Period | str, dest: Path | str, **options: Any):
    """Write the package of ``period`` to ``dest``: ``prepare_package(store, period,
    **options)`` then ``write_package``; returns the ``PackageInfo``."""
    check_package_path(dest)
    return write_package(store, prepare_package(store, period, **options), dest)


def check_package_path(dest: Path | str) -> Path:
    """``dest`` as a path, refused unless it ends in .ctdpkg."""
    dest = Path(dest)
    if dest.suffix.lower() != SUFFIX:
        raise PackageError(f"Tệp gói phải có đuôi {SUFFIX} («{dest.name}»).")
    return dest


def prepare_package(
    store: Store,
    period: Period | str,
    *,
    with_records: bool = False,
    personal_data: str = "minimal",
    password: str | None = None,
    report_pdf: bytes | None = None,
    include_issued_report: bool = True,
    now: datetime | None = None,
) -> PreparedPackage:
    """The package of ``period``, in memory; reads only (a background job may make it),
    except that the chapter's identity is made on first need.

    The issued report of the period (the newest, if several) goes in unless
    ``include_issued_report`` is False; ``report_pdf`` gives the PDF to include instead.
    ``with_records`` adds the register's rows at the ``personal_data`` level (``minimal``:
    no names; ``names``: names, birth dates and addresses; ``full``: also ID numbers and
    phones; sensitive data never). ``password`` encrypts the package.
    """
    if isinstance(period, str):
        period = parse_period(period)
    if with_records and personal_data not in PERSONAL_DATA_LEVELS:
        raise PackageError(f"Mức dữ liệu cá nhân “{personal_data}” không hợp lệ.")
    if password is not None:
        password = protect.normalise_password(password)
    now = now or datetime.now(UTC)
    identity = chapter_identity(store)
    if not identity["name"]:
        raise PackageError("Chưa đặt tên Hội trong phần cài đặt; gói dữ liệu cần tên Hội.")
    parts: dict[str, bytes] = {"stats.json": _json_bytes(stats_json(store, period))}
    pdf = (
        report_pdf
        if report_pdf is not None
        else (_issued_report_pdf(store, period) if include_issued_report else None)
    )
    if pdf is not None:
        parts["report.pdf"] = pdf
    if with_records:
        parts.update(collect_records(store, personal_data=personal_data))
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "chapter": identity,
        "period": {
            "code": period.code,
            "kind": period.kind,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "label": period.vietnamese_label(),
        },
        "created_at": now.astimezone(UTC).isoformat(timespec="microseconds"),
        "program": {"name": APP_NAME, "version": __version__},
        "records": {
            "included": with_records,
            "personal_data": personal_data if with_records else None,
            "sensitive": False,
        },
        "parts": [
            {"name": name, "sha256": _sha256(data), "size": len(data)}
            for name, data in sorted(parts.items())
        ],
    }
    inner = _package_zip(parts, manifest, now)
    if password is not None:
        envelope = {
            "format": PROTECTED_FORMAT,
            "format_version": FORMAT_VERSION,
            "cipher": "AES-256-GCM",
            "kdf": "scrypt",
        }
        data = _zip_bytes(
            {
                "envelope.json": _json_bytes(envelope),
                "package.enc": protect.encrypt_bytes(inner, password),
            },
            now,
        )
    else:
        data = inner
    level = personal_data if with_records else None
    return PreparedPackage(period, manifest, data, password is not None, level)


def write_package(store: Store, prepared: PreparedPackage, dest: Path | str) -> PackageInfo:
    """Write a prepared package to ``dest`` (whole or not at all) and note it in the log."""
    dest = check_package_path(dest)
    data, manifest, period = prepared.data, prepared.manifest, prepared.period
    write_bytes_whole(dest, data)
    sha = content_hash(manifest)
    store.ops.log_event(
        "package",
        details={
            "file": dest.name,
            "period": period.code,
            "content_sha256": sha,
            "with_records": prepared.personal_data is not None,
            "personal_data": prepared.personal_data,
            "report": any(p["name"] == "report.pdf" for p in manifest["parts"]),
            "protected": prepared.protected,
        },
    )
    return PackageInfo(dest, manifest, sha, prepared.protected)


# --------------------------------------------------------------------------------------------
# Receiving at the upper level
# --------------------------------------------------------------------------------------------


def flatten(nested: Mapping[str, Any]) -> dict[str, Any]:
    """``{"members": {"new": 3}}`` -> ``{"members.new": 3}`` (the inverse of ``nest``)."""
    flat: dict[str, Any] = {}
    for group, values in nested.items():
        if isinstance(values, Mapping):
            for key, value in values.items():
                flat[f"{group}.{key}"] = value
        else:
            flat[group] = values
    return flat


@dataclass(frozen=True)
class Difference:
    key: str
    label: str
    old: Any
    new: Any

    def line(self) -> str:
        return f"{self.label}: {_show(self.key, self.old)} → {_show(self.key, self.new)}"


def _show(key: str, value: Any) -> str:
    if isinstance(value, int):
        text = f"{value:,}".replace(",", ".")
        return f"{text} đ" if key in MONEY_KEYS else text
    return json.dumps(value, ensure_ascii=False)


def differences(old_stats: Mapping[str, Any], new_stats: Mapping[str, Any]) -> list[Difference]:
    """Period figures that differ between two packages, in the report's order."""
    old, new = flatten(old_stats.get("period", {})), flatten(new_stats.get("period", {}))
    keys = [k for k, _label, _unit in INDICATORS]
    keys += sorted((set(old) | set(new)) - set(keys))
    return [
        Difference(k, INDICATOR_LABELS.get(k, k), old.get(k), new.get(k))
        for k in keys
        if old.get(k) != new.get(k)
    ]


@dataclass(frozen=True)
class ReceiveResult:
    status: str  # "added" | "replaced" | "unchanged" | "older"
    file_name: str
    chapter_name: str
    period_code: str
    package: ReceivedPackage | None  # the package in force after receiving
    previous: ReceivedPackage | None = None  # the one replaced (or the newer one kept)
    differences: tuple[Difference, ...] = ()

    @property
    def message(self) -> str:
        who = f"{self.chapter_name}, kỳ {self.period_code}"
        if self.status == "added":
            return f"Đã nhận gói «{self.file_name}» ({who})."
        if self.status == "unchanged":
            return f"Gói «{self.file_name}» ({who}) đã được nhận trước đây; không có gì thay đổi."
        if self.status == "older":
            return (
                f"Gói «{self.file_name}» ({who}) cũ hơn gói đã nhận (tạo lúc "
                f"{self.previous.created_at}); giữ gói mới hơn, không thay đổi gì."
            )
        lines = [f"Gói «{self.file_name}» ({who}) thay cho gói tạo lúc {self.previous.created_at}."]
        if self.differences:
            lines.append("Số liệu thay đổi:")
            lines += [f"  {d.line()}" for d in self.differences]
        else:
            lines.append("Số liệu không thay đổi.")
        return "\n".join(lines)


def require_upper(store: Store) -> None:
    """Refuse a chapter's own register where an upper level's database is needed."""
    if not is_upper_level(store):
        raise PackageError(
            f"Tệp dữ liệu «{store.path.name}» là sổ của một Hội cơ sở, không phải cơ sở dữ liệu "
            "cấp trên; chỉ cấp trên mới nhận và tổng hợp gói của các Hội cơ sở."
        )


def receive_package(
    store: Store, path: Path | str, *, password: str | None = None
) -> ReceiveResult:
    """Verify one package and keep it (upper-level databases only); ``PackageError`` when
    it is refused. ``services.receive.receive_packages`` receives several at once."""
    from chapter_app.services.receive import receive_packages

    batch = receive_packages(store, [path], password=password)
    batch.raise_first_error()
    return batch.results[0]


# --------------------------------------------------------------------------------------------
# Consolidation
# --------------------------------------------------------------------------------------------


def _is_figure(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _add(total: dict[str, Any], figures: Mapping[str, Any]) -> None:
    """Sum ``figures`` into ``total``; a figure of the wrong shape (kept by a version that
    did not check packages) is left out rather than breaking every consolidation."""
    for key, value in figures.items():
        if key in GROUP_KEYS and isinstance(value, Mapping):
            groups = total.setdefault(key, {})
            for name, counts in value.items():
                if not isinstance(counts, Mapping):
                    continue
                into = groups.setdefault(name, {})
                for k, v in counts.items():
                    if _is_figure(v):
                        into[k] = into.get(k, 0) + v
        elif key not in GROUP_KEYS and _is_figure(value):
            total[key] = total.get(key, 0) + value


def _figures_of(stats: Any, block: str) -> dict[str, Any]:
    """One block of a package's figures, flat, without figures of the wrong shape."""
    nested = stats.get(block) if isinstance(stats, Mapping) else None
    if not isinstance(nested, Mapping):
        return {}
    cleaned: dict[str, Any] = {}
    _add(cleaned, flatten(nested))
    return cleaned


def _empty_block() -> dict[str, Any]:
    block: dict[str, Any] = {key: 0 for key, _label, _unit in INDICATORS}
    block.update({key: {} for key in GROUP_KEYS})
    return block


@dataclass(frozen=True)
class ChapterRow:
    chapter_uuid: str
    chapter_name: str
    package_id: int
    created_at: str
    received_at: str
    figures: dict[str, Any]  # the period block, flat dotted keys
    blocks: dict[str, dict[str, Any]]  # period / ytd / last_year, flat


@dataclass(frozen=True)
class Consolidation:
    period: Period
    rows: tuple[ChapterRow, ...]
    totals: dict[str, Any]  # the period block summed over the chapters
    blocks: dict[str, dict[str, Any]] = field(repr=False)  # period / ytd / last_year summed
    missing: tuple[str, ...] = ()  # listed chapters (store.affiliates) that did not send

    @property
    def keys(self) -> list[str]:
        return [key for key, _label, _unit in INDICATORS]


def consolidate(store: Store, period: Period | str) -> Consolidation:
    """The figures of every chapter for ``period`` (the newest package each), and the totals."""
    require_upper(store)
    if isinstance(period, str):
        period = parse_period(period)
    rows = []
    blocks = {name: _empty_block() for name in ("period", "ytd", "last_year")}
    for package in store.exchange.packages.for_period(period.code):
        flat = {name: _figures_of(package.stats, name) for name in blocks}
        for name in blocks:
            _add(blocks[name], flat[name])
        rows.append(
            ChapterRow(
                package.chapter_uuid,
                package.chapter_name,
                package.id,
                package.created_at,
                package.received_at,
                flat["period"],
                flat,
            )
        )
    sent = {r.chapter_uuid for r in rows}
    missing = tuple(a.name for a in store.affiliates.list() if a.chapter_uuid not in sent)
    rows.sort(key=lambda r: r.chapter_name)
    return Consolidation(period, tuple(rows), dict(blocks["period"]), blocks, missing)


def consolidated_report(
    store: Store, consolidation: Consolidation, *, issued_on: date | None = None, lang: str = "vi"
):
    """The consolidated report as ``ReportData`` (the upper level's letterhead, summed figures)."""
    from chapter_app.services.report.data import compose_report

    period = consolidation.period
    return compose_report(
        settings=store.settings.all(),
        period=period,
        blocks=consolidation.blocks,
        targets=store.targets.for_year(period.year),
        lang=lang,
        number=None,
        issued_on=issued_on or date.today(),
    )


def consolidated_report_pdf(
    store: Store, consolidation: Consolidation, *, issued_on: date | None = None
) -> bytes:
    from chapter_app.services.pdf.report import render_pdf

    return render_pdf(consolidated_report(store, consolidation, issued_on=issued_on))


def export_consolidation(consolidation: Consolidation, dest: Path | str) -> Path:
    """The consolidated table as a workbook: one row per chapter, the totals, who is missing."""
    from chapter_app.services.excel_export import COUNT, MONEY, TEXT, SheetWriter, write_workbook

    keys = consolidation.keys
    headers = ["STT", "Hội cơ sở", "Thời điểm tạo gói", *(INDICATOR_LABELS[k] for k in keys)]
    types = [COUNT, TEXT, TEXT, *(MONEY if k in MONEY_KEYS else COUNT for k in keys)]

    def fill(workbook) -> None:
        writer = SheetWriter(workbook, "Tổng hợp", headers, types)
        period = consolidation.period
        writer.title(
            [
                f"BẢNG TỔNG HỢP SỐ LIỆU {period.vietnamese_label().upper()}",
                f"Từ {period.start:%d/%m/%Y} đến {period.end:%d/%m/%Y}; "
                f"{len(consolidation.rows)} Hội cơ sở đã gửi số liệu.",
                "",
            ]
        )
        writer.header()
        for n, row in enumerate(consolidation.rows, start=1):
            writer.write(
                [
                    n,
                    row.chapter_name,
                    row.created_at[:19].replace("T", " "),
                    *(int(row.figures.get(k, 0)) for k in keys),
                ]
            )
        writer.write(
            [None, "Tổng cộng", None, *(int(consolidation.totals.get(k, 0)) for k in keys)]
        )
        if consolidation.missing:
            writer.write([None, None, None])
            writer.write([None, "Chưa gửi số liệu kỳ này:", None])
            for name in consolidation.missing:
                writer.write([None, name, None])
        writer.finish()

    return write_workbook(dest, fill)


def consolidation_lines(consolidation: Consolidation) -> list[str]:
    """The consolidated table as text lines (for the command line)."""
    period = consolidation.period
    lines = [f"Tổng hợp {period.vietnamese_label()}: {len(consolidation.rows)} Hội cơ sở."]
    main = MAIN_KEYS
    headers = ["Hội cơ sở", *(INDICATOR_LABELS[k] for k in main)]
    table = [
        [r.chapter_name, *(_show(k, int(r.figures.get(k, 0))) for k in main)]
        for r in consolidation.rows
    ]
    table.append(["Tổng cộng", *(_show(k, int(consolidation.totals.get(k, 0))) for k in main)])
    widths = [max(len(row[i]) for row in [headers, *table]) for i in range(len(headers))]
    for i, row in enumerate([headers, *table]):
        cells = [row[0].ljust(widths[0])] + [row[j].rjust(widths[j]) for j in range(1, len(row))]
        lines.append("  ".join(cells))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    if consolidation.missing:
        lines.append("Chưa gửi số liệu kỳ này: " + ", ".join(consolidation.missing) + ".")
    else:
        lines.append("Tất cả Hội cơ sở đã biết đều đã gửi số liệu kỳ này.")
    return lines


__all__: Sequence[str] = [
    "Consolidation",
    "PackageError",
    "PackageInfo",
    "PasswordRequiredError",
    "ReceiveResult",
    "VerifiedPackage",
    "build_package",
    "chapter_identity",
    "check_package_path",
    "consolidate",
    "consolidated_report",
    "consolidated_report_pdf",
    "enable_upper_mode",
    "export_consolidation",
    "issued_report_of",
    "prepare_package",
    "read_package",
    "receive_package",
    "require_upper",
    "write_package",
]
