"""What a package's manifest, envelope and figures may hold: checked before anything is kept.

Every check here works on parsed JSON (plain dicts, lists, strings and numbers) and raises
``PackageError`` with a Vietnamese message naming the file and what is wrong. Nothing a
package says is trusted before it passed: types, known keys, ranges, sizes, times with
their zone, and chapter names checked as a name typed in the window is.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid as uuidlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from chapter_app.errors import AppError, InvalidPeriodError
from chapter_app.store.affiliates import checked_name

FORMAT = "ctdpkg"
# 2: each part also names the SHA-256 of its bytes as stored in the zip (``zip_sha256``),
# so the upper level checks 400 MB of compressed bytes, not 3 GB inflated; version 1
# packages (without it) are still received, every part hashed inflated.
FORMAT_VERSION = 2
ZIP_HASH_VERSION = 2
PROTECTED_FORMAT = "ctdpkg-protected"
PERSONAL_DATA_LEVELS = ("minimal", "names", "full")
GROUP_KEYS = ("aid.by_campaign", "aid.by_area")
GROUP_FIELDS = ("records", "person_times", "value")
RECORD_TABLES = (
    "units",
    "branches",
    "people",
    "members",
    "member_status",
    "volunteers",
    "addresses",
    "address_status",
    "sponsors",
    "commitments",
    "aid_records",
)
BLOCKS = ("period", "ytd", "last_year")
MAX_FIGURE = 10**15  # a thousand trillion đồng: no commune's figure comes near
MAX_GROUPS = 500  # campaigns or activity areas in one block
MAX_TEXT = 200
MAX_KEYS = 400  # indicators in one block (about 40 today)
_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_PARTS = 2 + len(RECORD_TABLES)  # stats.json, report.pdf, records/*.json
_SHA256 = re.compile(r"[0-9a-f]{64}")
# Packages made before 2020 cannot exist (the format is from 2026); a clock a day or two
# ahead is tolerated, a package "made" years from now (to win every replacement) is not.
_EARLIEST = datetime(2020, 1, 1, tzinfo=UTC)
_FUTURE_SLACK = timedelta(days=2)


class PackageError(AppError):
    """A package cannot be made, read or received; the message says why, in Vietnamese."""


class PasswordRequiredError(PackageError):
    """The package is password-protected and no password was given."""


def damaged(name: str, why: str = "") -> PackageError:
    return PackageError(
        f"Gói «{name}» bị hỏng hoặc bị cắt cụt{(' (' + why + ')') if why else ''}; "
        "không nhận gói này. Hãy xin Hội cơ sở gửi lại."
    )


def malformed(name: str, why: str) -> PackageError:
    return PackageError(
        f"Gói «{name}» không đúng dạng gói của chương trình ({why}); không nhận gói này. "
        "Hãy xin Hội cơ sở tạo và gửi lại gói."
    )


def newer_message(name: str) -> str:
    return (
        f"Gói «{name}» được tạo bởi phiên bản mới hơn của chương trình; hãy cập nhật chương "
        "trình rồi nhận lại."
    )


def part_names() -> frozenset[str]:
    """Every part a package may hold besides its manifest."""
    return frozenset(
        {"stats.json", "report.pdf", *(f"records/{table}.json" for table in RECORD_TABLES)}
    )


def part_size_limit(part: str) -> int:
    """The largest a part may be, uncompressed (see README, "Gói số liệu")."""
    if part == "stats.json":
        return 1 << 20
    if part == "report.pdf":
        return 64 << 20
    return 512 << 20  # records of one table: a large ward's aid records are ~200 MB


# --- small checks ---------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _keys(value: Any, name: str, where: str, *, required: set[str], allowed: set[str]) -> dict:
    if not isinstance(value, dict):
        raise malformed(name, f"{where} phải là một nhóm giá trị")
    missing = sorted(required - set(value))
    if missing:
        raise malformed(name, f"{where} thiếu {', '.join(missing)}")
    unknown = sorted(set(value) - allowed)
    if unknown:
        shown = ", ".join(shown_text(k) for k in unknown[:3])
        raise malformed(name, f"{where} có mục lạ {shown}")
    return value


def shown_text(text: Any) -> str:
    """A value of a package (or typed by anyone) as it may be shown in a message: short,
    printable, between «»."""
    shown = "".join(c if c.isprintable() else "?" for c in str(text)[:40])
    return f"«{shown}{'…' if len(str(text)) > 40 else ''}»"


def _text(value: Any, name: str, where: str, *, empty: bool = True) -> str:
    if not isinstance(value, str):
        raise malformed(name, f"{where} phải là chữ")
    if len(value) > MAX_TEXT:
        raise malformed(name, f"{where} dài quá {MAX_TEXT} ký tự")
    if not value.isprintable():
        raise malformed(name, f"{where} có ký tự điều khiển hoặc ký tự lạ")
    if not empty and not value.strip():
        raise malformed(name, f"{where} để trống")
    return value


def chapter_name(value: Any, name: str) -> str:
    """The chapter's name, accepted only as the window accepts a typed name."""
    if not isinstance(value, str):
        raise malformed(name, "tên Hội phải là chữ")
    try:
        tidy = checked_name(value)
    except AppError as exc:
        raise malformed(name, f"tên Hội không hợp lệ: {exc.message.rstrip('.')}") from None
    if tidy != value:
        raise malformed(name, "tên Hội có khoảng trắng thừa hoặc chưa chuẩn hóa Unicode")
    return value


def aware_time(value: Any, name: str, where: str, *, now: datetime | None = None) -> datetime:
    """An ISO 8601 time with its zone, not before 2020 nor in the future."""
    if not isinstance(value, str) or len(value) > 40:
        raise malformed(name, f"{where} không phải thời điểm")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise malformed(name, f"{where} không phải thời điểm") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise malformed(name, f"{where} thiếu múi giờ")
    now = now or datetime.now(UTC)
    if moment < _EARLIEST or moment > now + _FUTURE_SLACK:
        raise malformed(name, f"{where} không hợp lý ({shown_text(value)})")
    return moment


# --- the manifest ---------------------------------------------------------------------------

_MANIFEST_KEYS = {"format", "format_version", "chapter", "period", "created_at", "parts"}
_MANIFEST_OPTIONAL = {"program", "records"}


def check_format(manifest: Any, name: str) -> None:
    """Ours and not newer (told apart first: a newer program's manifest may differ)."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackageError(f"Tệp «{name}» không phải gói dữ liệu của chương trình.")
    version = manifest.get("format_version")
    if not _is_int(version) or version < 1:
        raise malformed(name, "số phiên bản định dạng không hợp lệ")
    if version > FORMAT_VERSION:
        raise PackageError(newer_message(name))


def check_manifest(manifest: Any, name: str, *, now: datetime | None = None) -> dict[str, Any]:
    """The manifest, checked whole; returns it unchanged."""
    from chapter_app.domain.periods import parse_period

    check_format(manifest, name)
    _keys(
        manifest,
        name,
        "bản kê",
        required=_MANIFEST_KEYS,
        allowed=_MANIFEST_KEYS | _MANIFEST_OPTIONAL,
    )
    chapter = _keys(
        manifest["chapter"],
        name,
        "mục chapter",
        required={"uuid", "name"},
        allowed={"uuid", "name", "parent_name", "place_name"},
    )
    try:
        parsed_uuid = uuidlib.UUID(chapter["uuid"]) if isinstance(chapter["uuid"], str) else None
    except ValueError:
        parsed_uuid = None
    if parsed_uuid is None or str(parsed_uuid) != chapter["uuid"]:
        raise malformed(name, "mã Hội (UUID) không hợp lệ")
    chapter_name(chapter["name"], name)
    for key in ("parent_name", "place_name"):
        if key in chapter:
            _text(chapter[key], name, f"mục chapter.{key}")

    period = _keys(
        manifest["period"],
        name,
        "mục period",
        required={"code", "start", "end"},
        allowed={"code", "kind", "start", "end", "label"},
    )
    code = _text(period["code"], name, "mã kỳ", empty=False)
    try:
        parsed = parse_period(code)
    except InvalidPeriodError:
        raise malformed(name, f"kỳ báo cáo {shown_text(code)} không hợp lệ") from None
    if parsed.code != code:
        raise malformed(name, f"kỳ báo cáo {shown_text(code)} không chuẩn")
    if period["start"] != parsed.start.isoformat() or period["end"] != parsed.end.isoformat():
        raise malformed(name, "ngày đầu, ngày cuối không khớp kỳ báo cáo")
    if "kind" in period and period["kind"] != parsed.kind:
        raise malformed(name, "loại kỳ không khớp kỳ báo cáo")
    if "label" in period:
        _text(period["label"], name, "tên kỳ")

    aware_time(manifest["created_at"], name, "thời điểm tạo gói", now=now)

    if "program" in manifest:
        program = _keys(
            manifest["program"], name, "mục program", required=set(), allowed={"name", "version"}
        )
        for key in ("name", "version"):
            if key in program:
                _text(program[key], name, f"mục program.{key}")

    parts = manifest["parts"]
    if not isinstance(parts, list) or not 1 <= len(parts) <= MAX_PARTS:
        raise malformed(name, "danh sách phần không hợp lệ")
    allowed_parts = part_names()
    seen: set[str] = set()
    part_keys = {"name", "sha256", "size"}
    if manifest["format_version"] >= ZIP_HASH_VERSION:
        part_keys.add("zip_sha256")
    for entry in parts:
        entry = _keys(entry, name, "một phần", required=part_keys, allowed=part_keys)
        part = entry["name"]
        if not isinstance(part, str) or part not in allowed_parts:
            raise malformed(name, f"phần lạ {shown_text(part)}")
        if part in seen:
            raise malformed(name, f"phần {part} ghi hai lần")
        seen.add(part)
        for key in part_keys - {"name", "size"}:
            if not isinstance(entry[key], str) or not _SHA256.fullmatch(entry[key]):
                raise malformed(name, f"mã kiểm tra của phần {part} không hợp lệ")
        size = entry["size"]
        if not _is_int(size) or size < 0:
            raise malformed(name, f"cỡ của phần {part} không hợp lệ")
        if size > part_size_limit(part):
            raise PackageError(
                f"Phần {part} của gói «{name}» quá lớn ({size:,} byte; tối đa "
                f"{part_size_limit(part):,} byte); không nhận gói này.".replace(",", ".")
            )
    if "stats.json" not in seen:
        raise malformed(name, "thiếu phần stats.json trong bản kê")

    records_parts = {p for p in seen if p.startswith("records/")}
    if "records" in manifest:
        records = _keys(
            manifest["records"],
            name,
            "mục records",
            required={"included"},
            allowed={"included", "personal_data", "sensitive"},
        )
        if not isinstance(records["included"], bool):
            raise malformed(name, "mục records.included phải là đúng/sai")
        if records.get("sensitive", False) is not False:
            raise malformed(name, "gói không được chứa dữ liệu nhạy cảm")
        level = records.get("personal_data")
        if records["included"]:
            if level not in PERSONAL_DATA_LEVELS:
                raise malformed(name, "mức dữ liệu cá nhân không hợp lệ")
            if not records_parts:
                raise malformed(name, "bản kê ghi có bản ghi nhưng không có phần bản ghi")
        elif level is not None or records_parts:
            raise malformed(name, "bản kê ghi không có bản ghi nhưng có phần bản ghi")
    elif records_parts:
        raise malformed(name, "có phần bản ghi nhưng bản kê không ghi mức dữ liệu cá nhân")
    return manifest


def records_level(manifest: Mapping[str, Any]) -> str | None:
    records = manifest.get("records") or {}
    return records.get("personal_data") if records.get("included") else None


# --- the envelope of a protected package ----------------------------------------------------

_ENVELOPE_KEYS = {"format", "format_version", "cipher", "kdf"}


def check_envelope(envelope: Any, name: str) -> None:
    if not isinstance(envelope, dict) or envelope.get("format") != PROTECTED_FORMAT:
        raise PackageError(f"Tệp «{name}» không phải gói dữ liệu của chương trình.")
    version = envelope.get("format_version")
    if not _is_int(version) or version < 1:
        raise malformed(name, "số phiên bản định dạng không hợp lệ")
    if version > FORMAT_VERSION:
        raise PackageError(newer_message(name))
    _keys(envelope, name, "phong bì", required=_ENVELOPE_KEYS, allowed=_ENVELOPE_KEYS)
    if envelope["cipher"] != "AES-256-GCM" or envelope["kdf"] != "scrypt":
        raise malformed(name, "cách khóa không được hỗ trợ")


# --- the figures ----------------------------------------------------------------------------


def _figure(value: Any, name: str, where: str) -> int:
    if not _is_int(value) or not 0 <= value <= MAX_FIGURE:
        raise PackageError(
            f"Gói «{name}» có số liệu sai dạng ở {where} ({shown_text(value)}: cần một số nguyên "
            "không âm); không nhận gói này. Hãy xin Hội cơ sở tạo và gửi lại gói."
        )
    return value


def check_stats(stats: Any, name: str) -> dict[str, Any]:
    """``stats.json``: up to three blocks (period, ytd, last_year), each nested by the dotted
    keys of the indicators: whole numbers from 0 to 10^15, and the two grouped figures as
    name -> records, person_times, value. A key this version does not compute is accepted
    when it has the shape of one (a newer chapter's program may add indicators; they are
    shown but never mixed up with a group), up to ``MAX_KEYS`` a block."""
    _keys(stats, name, "số liệu", required={"period"}, allowed=set(BLOCKS))
    for block_name, block in stats.items():
        if not isinstance(block, dict):
            raise PackageError(
                f"Gói «{name}» có số liệu sai dạng ở khối {block_name}; không nhận gói này."
            )
        count = 0
        for group, fields in block.items():
            where = f"{block_name}.{shown_text(group)}"
            if not isinstance(group, str) or not _KEY.fullmatch(group):
                raise malformed(name, f"tên chỉ tiêu {shown_text(group)} không hợp lệ")
            if not isinstance(fields, dict):
                raise PackageError(
                    f"Gói «{name}» có số liệu sai dạng ở {where} ({shown_text(fields)}: cần một "
                    "nhóm chỉ tiêu); không nhận gói này."
                )
            for field, value in fields.items():
                count += 1
                if count > MAX_KEYS:
                    raise malformed(name, f"quá nhiều chỉ tiêu ở khối {block_name}")
                if not _KEY.fullmatch(field):
                    raise malformed(name, f"tên chỉ tiêu {shown_text(field)} không hợp lệ")
                key = f"{group}.{field}"
                if key in GROUP_KEYS:
                    _check_groups(value, name, f"{block_name}.{key}")
                else:
                    _figure(value, name, f"{block_name}.{key}")
    return stats


def _check_groups(value: Any, name: str, where: str) -> None:
    if not isinstance(value, dict) or len(value) > MAX_GROUPS:
        raise PackageError(
            f"Gói «{name}» có số liệu sai dạng ở {where} (cần danh sách theo đợt/lĩnh vực); "
            "không nhận gói này."
        )
    for label, counts in value.items():
        _text(label, name, f"tên nhóm ở {where}", empty=False)
        if not isinstance(counts, dict) or not set(counts) <= set(GROUP_FIELDS):
            where_label = f"{where}.{shown_text(label)}"
            _keys(counts, name, where_label, required=set(), allowed=set(GROUP_FIELDS))
        for field, figure in counts.items():
            if not _is_int(figure) or not 0 <= figure <= MAX_FIGURE:
                _figure(figure, name, f"{where}.{shown_text(label)}.{field}")


def json_bytes(value: Any) -> bytes:
    """Canonical JSON (sorted keys, no spaces, UTF-8): what checksums are taken of."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def content_hash(manifest: Mapping[str, Any]) -> str:
    """What identifies a package: the SHA-256 of its canonical manifest (which names every
    part's SHA-256), whatever the zip or its encryption."""
    return hashlib.sha256(json_bytes(manifest)).hexdigest()
