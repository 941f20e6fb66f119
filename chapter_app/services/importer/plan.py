"""Importing a register from a sheet: a preview first (``plan_import``), then one transaction.

``plan_import`` reads the sheet, finds its header and maps its columns, cleans every
cell and validates every row with the same checks as the forms (the ``validate_*``
functions and the reference, duplicate and role rules of ``services.records``), without
writing anything. Each row gets an outcome: imported, imported with warnings, error
(with the exact cell and the reason) or duplicate of a person or record already on file
(or of an earlier row of the same sheet).

``apply_import`` writes the plan: all accepted rows or nothing. It refuses a plan with
error rows unless ``valid_only`` is chosen, takes a backup of the database, then writes
in one operation (one transaction, one undo step, one audit group, a summary entry in the
audit log). New members and volunteers (the large sheets) are written in bulk with one
audit entry and undo change per row; updates of existing records, addresses with their
sponsors and commitments, and aid records go through the ``save_*`` use cases row by row.
"""

from __future__ import annotations

import gc
import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from openpyxl.utils.datetime import from_excel

from chapter_app.domain import models as m
from chapter_app.domain.cells import restore_cell
from chapter_app.domain.organisation import UNIT_PREFIXES
from chapter_app.domain.privacy import mask_id
from chapter_app.domain.text import clean_text, fold, person_sort_key
from chapter_app.domain.validation import (
    N_,
    Issue,
    Severity,
    ValidationFailed,
    parse_date,
    validate_address,
    validate_aid,
    validate_commitment,
    validate_member,
    validate_person,
    validate_sponsor,
    validate_volunteer,
)
from chapter_app.errors import AppError
from chapter_app.services import records as rec
from chapter_app.services.backups import REASON_BEFORE_IMPORT, create_backup
from chapter_app.services.importer import fields as F
from chapter_app.services.importer.layout import Column, find_layout, normalise_mapping
from chapter_app.services.importer.reading import Grid, read_grid
from chapter_app.services.organisation import unit_lookup
from chapter_app.store.exchange import PersonKey
from chapter_app.store.repository import Query
from chapter_app.store.store import Store

MAPPING_FORMAT = 1
DUPLICATE_CHOICES = ("skip", "update", "new")

MSG_YEAR_ONLY_DATE = N_("Chỉ có năm {year}; đã ghi ngày 01/01/{year}.")
MSG_BOTH_SEXES = N_("Cả cột Nam và cột Nữ đều có giá trị; chỉ được ghi ở một cột.")
MSG_MASKED_ID = N_("Số định danh đã bị che (“{text}”) nên không dùng được; đã bỏ qua.")
MSG_UNKNOWN_UNIT = N_("Chưa có thôn, tổ dân phố “{name}” trong danh mục; đã ghi vào địa chỉ.")
MSG_UNKNOWN_STATUS = N_("Không hiểu tình trạng “{text}”.")
MSG_STATUS_DATE_REQUIRED = N_("Tình trạng “{status}” cần có ngày đổi tình trạng.")
MSG_STATUS_DATE_ORDER = N_("Ngày đổi tình trạng ({date}) sớm hơn ngày bắt đầu ({start}).")
MSG_STATUS_DATE_FUTURE = N_("Ngày đổi tình trạng ({date}) ở tương lai.")
MSG_UNKNOWN_CATEGORY = N_("Không có diện đối tượng “{name}” trong danh mục.")
MSG_SPONSOR_MISSING = N_("Có thông tin tài trợ nhưng chưa ghi tên nhà tài trợ.")
MSG_AMBIGUOUS_PERSON = N_(
    "Có {count} người tên “{name}” trong sổ; thêm năm sinh hoặc số định danh để phân biệt."
)
MSG_NEW_PERSON = N_("“{name}” chưa có trong sổ; sẽ thêm người này vào sổ.")
MSG_RECIPIENT_NAME_REQUIRED = N_("Chưa ghi tên người hoặc hộ nhận trợ giúp.")
MSG_ADDRESS_ON_FILE = N_("Địa chỉ nhân đạo “{name}” đã có trong sổ.")
MSG_AID_ON_FILE = N_("Đã có lượt trợ giúp giống hệt (cùng ngày, người nhận và giá trị).")

_TICKS = frozenset({"x", "v", "✓", "✔", "co", "1"})
_SECTION_PREFIX = re.compile(r"^(?:[IVXLC]+|[0-9]+|[A-Z])[.)]\s*", re.IGNORECASE)
_FOOTER_MARKERS = (
    "nguoi lap",
    "lap bieu",
    "xac nhan cua",
    "chu tich",
    "truong ban",
    "ky ten",
    "ky ghi ro",
    "tm ",
    "t m ",
    "kt chu tich",
    "noi nhan",
    "thu truong",
)
_DATE_LINE = re.compile(r"ngay\s+\S*\s*thang\s+\S*\s*nam")


class Outcome(StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"
    DUPLICATE = "duplicate"


OUTCOME_LABELS = {
    Outcome.OK: N_("nhập"),
    Outcome.WARNING: N_("nhập, có cảnh báo"),
    Outcome.ERROR: N_("lỗi"),
    Outcome.DUPLICATE: N_("trùng"),
}


@dataclass(frozen=True)
class CellIssue:
    """An issue of one row, with the cell it comes from ("C7"; None when no cell holds it)."""

    row: int
    cell: str | None
    field: str
    issue: Issue

    @property
    def is_error(self) -> bool:
        return self.issue.is_error

    def message(self, translate=None) -> str:
        text = self.issue.render(translate)
        where = f"Ô {self.cell}" if self.cell else f"Dòng {self.row}"
        return f"{where}: {text}"


@dataclass(frozen=True)
class Duplicate:
    """What a row duplicates: a record on file (``record_id``) or an earlier row of the sheet."""

    description: str
    record_id: int | None = None  # person (members, volunteers), address or aid record
    role_id: int | None = None  # the person's member or volunteer record, if any
    same_as_row: int | None = None


@dataclass
class PlannedRow:
    row: int  # the sheet's row number (1-based, as Excel shows it)
    outcome: Outcome
    label: str  # what the row is about: a name, an address, "05/01/2026 – Nguyễn Văn An"
    issues: tuple[CellIssue, ...] = ()
    duplicate: Duplicate | None = None
    payload: Any = field(default=None, repr=False, compare=False)

    @property
    def errors(self) -> list[CellIssue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[CellIssue]:
        return [i for i in self.issues if not i.is_error]

    def messages(self, translate=None) -> list[str]:
        return [i.message(translate) for i in self.issues]


@dataclass(frozen=True)
class SkippedRow:
    row: int
    reason: str


@dataclass
class ImportPlan:
    """The preview of an import: how the sheet was read and what each row will become."""

    kind: str
    path: Path
    file_name: str
    sheet_name: str
    sheet_names: list[str]
    sha256: str
    header_rows: tuple[int, ...]  # 1-based
    columns: list[Column]
    rows: list[PlannedRow]
    skipped: list[SkippedRow]
    notes: list[str]
    defaults: dict[str, Any]
    today: date
    state_token: int

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome is outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {o.value: self.count(o) for o in Outcome}

    @property
    def has_errors(self) -> bool:
        return any(r.outcome is Outcome.ERROR for r in self.rows)

    @property
    def error_rows(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.outcome is Outcome.ERROR]

    @property
    def duplicate_rows(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.outcome is Outcome.DUPLICATE]

    def row(self, number: int) -> PlannedRow:
        return next(r for r in self.rows if r.row == number)

    def mapping(self) -> dict[str, Any]:
        """The column mapping as it can be saved and given again (by header title)."""
        columns = {}
        for column in self.columns:
            key = column.title or column.letter
            if column.field or not column.auto:
                columns[key] = column.field
        return {"format": MAPPING_FORMAT, "kind": self.kind, "columns": columns}

    def summary_lines(self, *, details: bool = True, limit: int | None = 50) -> list[str]:
        """The preview in Vietnamese, as the command line prints it."""
        noun = F.KIND_NOUNS[self.kind]
        header = "–".join(str(n) for n in self.header_rows) or "không tìm thấy"
        lines = [
            f"Tệp {self.file_name}, trang “{self.sheet_name}”; dòng tiêu đề: {header}; "
            f"{len(self.rows)} dòng {noun}.",
        ]
        mapped = [
            f"{c.letter}: {c.title or '(trống)'} → {_field_label(self.kind, c.field)}"
            for c in self.columns
            if c.field and c.field != F.IGNORE
        ]
        if mapped:
            lines.append("Ghép cột: " + "; ".join(mapped) + ".")
        unmapped = [f"{c.letter} “{c.title}”" for c in self.columns if c.title and not c.field]
        if unmapped:
            lines.append("Cột bỏ qua: " + ", ".join(unmapped) + ".")
        lines += self.notes
        ok, warn = self.count(Outcome.OK), self.count(Outcome.WARNING)
        skipped = {}
        for s in self.skipped:
            skipped[s.reason] = skipped.get(s.reason, 0) + 1
        lines.append(
            f"Nhập được: {ok + warn} dòng (trong đó {warn} dòng có cảnh báo); lỗi: "
            f"{self.count(Outcome.ERROR)} dòng; trùng: {self.count(Outcome.DUPLICATE)} dòng"
            + (
                "; bỏ qua: " + ", ".join(f"{n} {reason}" for reason, n in skipped.items())
                if skipped
                else ""
            )
            + "."
        )
        if details:
            shown = 0
            for wanted in (Outcome.ERROR, Outcome.DUPLICATE, Outcome.WARNING):
                for row in self.rows:
                    if row.outcome is not wanted:
                        continue
                    if limit is not None and shown >= limit:
                        lines.append("…")
                        return lines
                    shown += 1
                    head = f"Dòng {row.row} ({OUTCOME_LABELS[row.outcome]}) {row.label}"
                    if row.duplicate is not None:
                        head += f" — trùng với {row.duplicate.description}"
                    lines.append(head)
                    lines += [f"    {message}" for message in row.messages()]
        return lines


@dataclass(frozen=True)
class ImportResult:
    kind: str
    file_name: str
    added: int
    updated: int
    skipped_duplicates: int
    skipped_errors: int
    with_warnings: int
    backup_path: Path | None
    label: str | None  # the operation's label (what undo shows), None when nothing was written

    def summary_lines(self) -> list[str]:
        noun = F.KIND_NOUNS[self.kind]
        lines = [
            f"Đã nhập từ tệp {self.file_name}: thêm {self.added} {noun}, cập nhật {self.updated}, "
            f"bỏ qua {self.skipped_duplicates} dòng trùng và {self.skipped_errors} dòng lỗi."
        ]
        if self.backup_path is not None:
            lines.append(f"Bản sao lưu trước khi nhập: {self.backup_path}")
        return lines


class ImportRefused(AppError):
    """The plan cannot be written as it is (rows with errors, or a stale preview)."""


def _field_label(kind: str, key: str | None) -> str:
    if key is None:
        return "(bỏ qua)"
    if key in (F.MALE, F.FEMALE):
        return "Nam (năm sinh)" if key == F.MALE else "Nữ (năm sinh)"
    return F.field_spec(kind, key).label


def load_mapping(path: Path | str) -> dict[str, Any]:
    """A mapping saved with :func:`save_mapping_file` (or written by hand)."""
    try:
        values = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise AppError(f"Không đọc được tệp ghép cột «{path}»: {exc}") from exc
    if not isinstance(values, dict):
        raise AppError(f"Tệp ghép cột «{path}» không đúng dạng.")
    return values


def save_mapping_file(plan: ImportPlan, path: Path | str) -> Path:
    path = Path(path)
    path.write_text(json.dumps(plan.mapping(), ensure_ascii=False, indent=2), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# Cleaning cells
# --------------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _serial(value: float) -> date | None:
    try:
        return from_excel(value).date() if 1 <= value < 2958466 else None
    except (ValueError, OverflowError, TypeError):
        return None


def _to_date(value: Any, field_name: str) -> tuple[Any, list[Issue]]:
    """Dates as typed, Excel date serials, or a bare year (1 January, with a warning)."""
    if isinstance(value, datetime):
        return value.date(), []
    if isinstance(value, date) or _blank(value):
        return value, []
    year = None
    if _is_number(value) and value == int(value):
        if 1900 <= value <= 2100:
            year = int(value)
        else:
            return _serial(value) or value, []
    elif _is_number(value):
        return _serial(value) or value, []
    elif isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[0-9]{4}", text):
            year = int(text)
        elif re.fullmatch(r"[0-9]{5}(?:\.[0-9]+)?", text):
            return _serial(float(text)) or value, []
    if year is not None and 1900 <= year <= 2100:
        return date(year, 1, 1), [Issue.warning(field_name, MSG_YEAR_ONLY_DATE, year=year)]
    return value, []


def _to_birth(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if _is_number(value):
        if value == int(value) and value <= 9999:
            return int(value)
        return _serial(value) or value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{5}(?:\.[0-9]+)?", value.strip()):
        return _serial(float(value.strip())) or value
    return value


def _to_id(value: Any, field_name: str) -> tuple[Any, list[Issue]]:
    if isinstance(value, str):
        text = value.strip()
        if "*" in text:
            return None, [Issue.warning(field_name, MSG_MASKED_ID, text=text)]
        compact = "".join(text.split())
        if compact.isdigit() and len(compact) in (10, 11):
            return int(compact), []  # a spreadsheet dropped the leading zeros: padded, warned
    return value, []


def _to_text(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return value


def _is_tick(value: Any) -> bool:
    if value is True or (_is_number(value) and value == 1):
        return True
    return isinstance(value, str) and fold(value) in _TICKS


def _remap(issues: Iterable[Issue], names: Mapping[str, str]) -> list[Issue]:
    return [Issue(names.get(i.field, i.field), i.template, i.params, i.severity) for i in issues]


# --------------------------------------------------------------------------------------------
# Planning
# --------------------------------------------------------------------------------------------


def _resolver(records: Iterable[Any], *, strip: Sequence[str] = ()) -> dict[str, int]:
    """``folded name -> id``; with ``strip``, also the name without a leading word ("chi hội")."""
    found: dict[str, int] = {}
    for record in records:
        key = fold(record.name)
        found.setdefault(key, record.id)
        for prefix in strip:
            if key.startswith(prefix + " "):
                found.setdefault(key[len(prefix) + 1 :], record.id)
    return found


def _lookup(table: Mapping[str, int], text: Any, *, strip: Sequence[str] = ()) -> int | None:
    key = fold(str(text))
    if key in table:
        return table[key]
    for prefix in strip:
        if key.startswith(prefix + " ") and key[len(prefix) + 1 :] in table:
            return table[key[len(prefix) + 1 :]]
    return None


@dataclass
class _PersonEntry:
    """A person for duplicate detection: on file (``person_id``) or an earlier sheet row."""

    full_name: str
    birth_year: int | None
    id_number: str | None
    sort_key: str | None  # None: computed from ``parts`` when needed
    person_id: int | None = None
    row: int | None = None
    parts: tuple[str, str, str] = ("", "", "")

    def key(self) -> str:
        if self.sort_key is None:
            self.sort_key = person_sort_key(*self.parts)
        return self.sort_key


class _PeopleIndex:
    def __init__(self, people: Iterable[PersonKey]):
        self.by_id: dict[str, list[_PersonEntry]] = {}
        self.by_name: dict[tuple[str, int], list[_PersonEntry]] = {}
        for p in people:
            self._add(
                _PersonEntry(p.full_name, p.birth_year, p.id_number, p.sort_key, person_id=p.id),
                p.search_fold,
            )

    def _add(self, entry: _PersonEntry, search_fold: str) -> None:
        if entry.id_number:
            self.by_id.setdefault(entry.id_number, []).append(entry)
        if entry.birth_year:
            self.by_name.setdefault((search_fold, entry.birth_year), []).append(entry)

    def add_row(self, cleaned: Mapping[str, Any], row: int, search_fold: str) -> None:
        parts = tuple(cleaned.get(k) or "" for k in ("family_name", "middle_name", "given_name"))
        full = cleaned.get("full_name") or ""
        entry = _PersonEntry(
            full, cleaned.get("birth_year"), cleaned.get("id_number"), None, row=row, parts=parts
        )
        self._add(entry, search_fold)

    def matches(self, cleaned: Mapping[str, Any], search_fold: str) -> list[_PersonEntry]:
        """As ``PeopleRepository.find_duplicates``: same ID number, or same name and year."""
        found: dict[int, _PersonEntry] = {}
        id_number = cleaned.get("id_number")
        if id_number:
            for e in self.by_id.get(id_number, ()):
                found[id(e)] = e
        year = cleaned.get("birth_year")
        if search_fold and year:
            for e in self.by_name.get((search_fold, year), ()):
                found[id(e)] = e
        if len(found) < 2:
            return list(found.values())
        return sorted(found.values(), key=lambda e: e.key())


def _person_warnings(cleaned: Mapping[str, Any], matches: Sequence[_PersonEntry]) -> list[Issue]:
    """The warnings ``records.duplicate_warnings`` gives for these matches."""
    issues = []
    for e in matches:
        if cleaned.get("id_number") and e.id_number == cleaned.get("id_number"):
            issues.append(Issue.warning("id_number", rec.MSG_DUPLICATE_ID, name=e.full_name))
        else:
            issues.append(
                Issue.warning(
                    "full_name", rec.MSG_DUPLICATE_NAME, name=e.full_name, year=e.birth_year
                )
            )
    return issues


_FALLBACK_CELLS = {"status_on": "status", "commitment_start": "opened_on"}


class _Planner:
    """Turns the rows of a sheet into planned rows for one register."""

    kind: str
    name_fields = ("full_name", "family_name", "middle_name", "given_name", "family_middle")

    def __init__(self, store: Store, layout, *, today: date, defaults: Mapping[str, Any]):
        self.store = store
        self.layout = layout
        self.today = today
        self.defaults = dict(defaults)
        self.settings = store.settings.all()
        self.columns = layout.field_columns()
        self.notes: list[str] = []
        self.branches = _resolver(store.branches.list(), strip=("chi hoi",))
        self.units = unit_lookup(store)  # "An Vĩnh" finds "Thôn An Vĩnh" (issue 13)
        self.section_branch: str | None = None
        self._resolved: dict[tuple[str, Any], Any] = {}  # reference cells already looked up

    # --- helpers ------------------------------------------------------------------------

    def gather(self, values: Sequence[Any]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key, index in self.columns.items():
            value = values[index] if index < len(values) else None
            if isinstance(value, str):
                value = restore_cell(value)
                if not value.strip():
                    value = None
            found[key] = value
        if self.section_branch and found.get("branch") is None:
            found["branch"] = self.section_branch  # the nearest "Chi hội ..." heading above
        for key, value in self.defaults.items():
            if found.get(key) is None:
                found[key] = value
        return found

    def fieldset(self) -> set[str]:
        return {spec.key for spec in F.FIELDS[self.kind]}

    def cell(self, field_name: str, row: int) -> str | None:
        index = self.columns.get(field_name)
        if index is None:  # e.g. a status without its date: point at the status
            index = self.columns.get(_FALLBACK_CELLS.get(field_name, ""))
        if index is None:
            return None
        return f"{self.layout.columns[index].letter}{row}"

    def resolve_branch(self, value: Any) -> tuple[Any, list[Issue]]:
        if _blank(value):
            return None, []
        if isinstance(value, int) and not isinstance(value, bool):
            return value, []
        key = ("branch", value)
        if key not in self._resolved:
            self._resolved[key] = self._resolve_branch(value)
        found, issues = self._resolved[key]
        return found, list(issues)

    def _resolve_branch(self, value: Any) -> tuple[Any, list[Issue]]:
        branch_id = _lookup(self.branches, value, strip=("chi hoi",))
        if branch_id is None:
            text = clean_text(str(value))
            return text, [Issue.error("branch", rec.MSG_UNKNOWN_BRANCH, name=text)]
        return branch_id, []

    def resolve_unit(self, g: dict[str, Any], address_key: str) -> tuple[int | None, list[Issue]]:
        value = g.get("unit")
        if _blank(value):
            return None, []
        key = ("unit", value)
        if key not in self._resolved:
            self._resolved[key] = _lookup(self.units, value, strip=UNIT_PREFIXES)
        unit_id = self._resolved[key]
        if unit_id is not None:
            return unit_id, []
        text = clean_text(str(value))
        current = clean_text(str(g.get(address_key) or ""))
        if fold(text) not in fold(current):
            g[address_key] = f"{current}, {text}" if current else text
        return None, [Issue.warning("unit", MSG_UNKNOWN_UNIT, name=text)]

    def finish(
        self,
        row: int,
        label: str,
        issues: Sequence[Issue],
        sources: Mapping[str, str | None],
        *,
        duplicate: Duplicate | None = None,
        payload: Any = None,
    ) -> PlannedRow:
        cells = tuple(
            CellIssue(row, self.cell(sources.get(i.field, i.field), row), i.field, i)
            for i in issues
        )
        if any(i.severity is Severity.ERROR for i in issues):
            outcome = Outcome.ERROR
        elif duplicate is not None:
            outcome = Outcome.DUPLICATE
        elif issues:
            outcome = Outcome.WARNING
        else:
            outcome = Outcome.OK
        return PlannedRow(row, outcome, label, cells, duplicate, payload)

    def section_row(self, values: Sequence[Any]) -> str | None:
        """A row naming a chi hội above its members ("I. CHI HỘI THÔN 1"): the name."""
        texts = {clean_text(str(v)) for v in values if not _blank(v)}
        if len(texts) != 1 or "branch" not in self.fieldset():
            return None
        text = texts.pop()
        if not isinstance(next(v for v in values if not _blank(v)), str):
            return None
        name = _SECTION_PREFIX.sub("", text)
        bare = fold(name)
        if bare.startswith("chi hoi ") or _lookup(self.branches, bare, strip=("chi hoi",)):
            return name
        return None

    def default_branch_from_titles(self) -> None:
        if "branch" in self.columns or "branch" in self.defaults:
            return
        if "branch" not in self.fieldset():
            return
        titles = " | ".join(fold(t) for t in self.layout.title_lines)
        hits = set()
        for branch in self.store.branches.list():
            key = fold(branch.name)
            bare = key[len("chi hoi ") :] if key.startswith("chi hoi ") else key
            if re.search(rf"(?<![0-9a-z]){re.escape(bare)}(?![0-9a-z])", titles):
                hits.add((len(bare), branch.id, branch.name))
        if hits:
            longest = max(h[0] for h in hits)
            best = [h for h in hits if h[0] == longest]
            if len(best) == 1:
                self.defaults["branch"] = best[0][1]
                self.notes.append(f"Chi hội lấy theo tiêu đề của trang: {best[0][2]}.")

    def plan_row(self, row: int, values: Sequence[Any]) -> PlannedRow:
        raise NotImplementedError


# --- members and volunteers -------------------------------------------------------------------


@dataclass
class _PersonPayload:
    cleaned: dict[str, Any]
    given: dict[str, Any]  # the validator input the sheet gave (non-empty values only)
    branch_id: int | None
    status: str | None = None
    status_on: date | None = None


class _PersonPlanner(_Planner):
    role_table: str
    start_field: str

    def __init__(self, store, layout, *, today, defaults):
        super().__init__(store, layout, today=today, defaults=defaults)
        self.people = _PeopleIndex(store.exchange.lookups.people())
        self.roles = store.exchange.lookups.role_ids(self.role_table)
        self.default_branch_from_titles()
        cols = self.columns
        name_col = next(
            (k for k in ("full_name", "given_name", "family_middle", "family_name") if k in cols),
            None,
        )
        self.name_sources: dict[str, str | None] = {
            k: (k if k in cols else name_col)
            for k in ("full_name", "family_name", "middle_name", "given_name")
        }

    def person_input(self, g: dict[str, Any], row: int):
        """The validator input for the person part, its sources and the issues found so far."""
        raw: dict[str, Any] = {}
        issues: list[Issue] = []
        cols = self.columns
        if g.get("full_name") is not None:
            raw["full_name"] = g["full_name"]
        elif "family_middle" in cols:
            raw["full_name"] = (
                " ".join(
                    str(v) for v in (g.get("family_middle"), g.get("given_name")) if v is not None
                )
                or None
            )
        else:
            for key in ("family_name", "middle_name", "given_name"):
                raw[key] = g.get(key)
        sources = dict(self.name_sources)
        sex, birth = g.get("sex"), g.get("birth")
        sources["sex"], sources["birth"] = "sex", "birth"
        male, female = g.get(F.MALE), g.get(F.FEMALE)
        if male is not None and female is not None:
            issues.append(Issue.error(F.FEMALE, MSG_BOTH_SEXES))
        elif male is not None or female is not None:
            which = F.MALE if male is not None else F.FEMALE
            value = male if male is not None else female
            if sex is None:
                sex, sources["sex"] = ("Nam" if which == F.MALE else "Nữ"), which
            if not _is_tick(value) and birth is None:
                birth, sources["birth"] = value, which
        raw["sex"] = sex
        raw["birth"] = _to_birth(birth)
        raw["id_number"], found = _to_id(g.get("id_number"), "id_number")
        issues += found
        unit_id, found = self.resolve_unit(g, "address")
        issues += found
        if unit_id is not None:
            raw["unit_id"] = unit_id
        for key in (
            "phone",
            "address",
            "old_address",
            "notes",
            "ethnicity",
            "religion",
            "health_notes",
            "disability",
            "agent_orange",
        ):
            if key in g:
                raw[key] = _to_text(g[key])
        return raw, sources, issues

    def status_checks(self, g, start: date | None) -> tuple[str | None, date | None, list[Issue]]:
        text, on = g.get("status"), g.get("status_on")
        issues: list[Issue] = []
        on, found = _to_date(on, "status_on")
        issues += found
        if not isinstance(on, date) and not _blank(on):
            on, found = parse_date(on, field="status_on")
            issues += found
        if _blank(text):
            return None, on if isinstance(on, date) else None, issues
        status = F.MEMBER_STATUS_WORDS.get(F.header_key(text))
        if status is None:
            return None, None, [*issues, Issue.error("status", MSG_UNKNOWN_STATUS, text=text)]
        if status == "admitted":
            return None, None, issues
        if not isinstance(on, date):
            if not any(i.is_error for i in issues):
                issues.append(Issue.error("status_on", MSG_STATUS_DATE_REQUIRED, status=text))
            return status, None, issues
        shown = f"{on:%d/%m/%Y}"
        if start is not None and on < start:
            issues.append(
                Issue.error(
                    "status_on", MSG_STATUS_DATE_ORDER, date=shown, start=f"{start:%d/%m/%Y}"
                )
            )
        elif on > self.today:
            issues.append(Issue.error("status_on", MSG_STATUS_DATE_FUTURE, date=shown))
        return status, on, issues

    def validate(self, raw):
        raise NotImplementedError

    def plan_row(self, row: int, values: Sequence[Any]) -> PlannedRow:
        g = self.gather(values)
        raw, sources, issues = self.person_input(g, row)
        raw.update(self.role_input(g, issues))
        branch, found = self.resolve_branch(g.get("branch"))
        raw["branch"] = branch
        cleaned, validation = self.validate(raw)
        issues += validation
        if found:
            issues += found
            branch_id = None
        else:
            branch_id = branch if isinstance(branch, int) else None
        status, status_on, found = (
            self.status_checks(g, cleaned.get(self.start_field))
            if self.role_table == "members"
            else (None, None, [])
        )
        issues += found
        label = cleaned.get("full_name") or clean_text(str(g.get("full_name") or ""))
        duplicate = None
        if not any(i.is_error for i in issues):
            search_fold = fold(cleaned.get("full_name"))
            matches = self.people.matches(cleaned, search_fold)
            issues += _person_warnings(cleaned, matches)
            duplicate = self.describe(matches)
            self.people.add_row(cleaned, row, search_fold)
        given = {k: v for k, v in raw.items() if not _blank(v)}
        payload = _PersonPayload(cleaned, given, branch_id, status, status_on)
        return self.finish(row, label, issues, sources, duplicate=duplicate, payload=payload)

    def describe(self, matches: Sequence[_PersonEntry]) -> Duplicate | None:
        if not matches:
            return None
        on_file = [e for e in matches if e.person_id is not None]
        if on_file:
            e = on_file[0]
            role_id = self.roles.get(e.person_id)
            parts = [e.full_name]
            if e.birth_year:
                parts.append(f"sinh năm {e.birth_year}")
            if e.id_number:
                parts.append(f"số định danh {mask_id(e.id_number)}")
            noun = F.KIND_NOUNS[self.kind]
            parts.append(f"đã là {noun}" if role_id else f"chưa là {noun}")
            return Duplicate(", ".join(parts), record_id=e.person_id, role_id=role_id)
        e = matches[0]
        return Duplicate(f"dòng {e.row} trong tệp ({e.full_name})", same_as_row=e.row)


class _MemberPlanner(_PersonPlanner):
    kind = "members"
    role_table = "members"
    start_field = "admitted_on"

    def role_input(self, g, issues: list[Issue]) -> dict[str, Any]:
        admitted, found = _to_date(g.get("admitted_on"), "admitted_on")
        issues += found
        return {
            "admitted_on": admitted,
            "decision_no": _to_text(g.get("decision_no")),
            "card_no": _to_text(g.get("card_no")),
        }

    def validate(self, raw):
        return validate_member(raw, today=self.today, settings=self.settings)


class _VolunteerPlanner(_PersonPlanner):
    kind = "volunteers"
    role_table = "volunteers"
    start_field = "registered_on"

    def role_input(self, g, issues: list[Issue]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key in ("registered_on", "left_on"):
            values[key], found = _to_date(g.get(key), key)
            issues += found
        for key in ("is_core", "skills", "team", "hours"):
            values[key] = _to_text(g.get(key))
        return values

    def validate(self, raw):
        return validate_volunteer(raw, today=self.today, settings=self.settings)


# --- addresses --------------------------------------------------------------------------------

_SPONSOR_FIELDS = {
    "name": "sponsor",
    "kind": "sponsor_kind",
    "contact_name": "sponsor_contact",
    "phone": "sponsor_phone",
    "email": "sponsor_email",
    "address": "sponsor_address",
}
_COMMITMENT_FIELDS = {
    "start_on": "commitment_start",
    "end_on": "commitment_end",
    "amount": "commitment_amount",
    "form": "commitment_form",
    "frequency": "commitment_frequency",
    "description": "commitment_description",
    "notes": "commitment_notes",
}


@dataclass
class _AddressPayload:
    raw: dict[str, Any]
    given: dict[str, Any]
    status: str | None
    status_on: date | None
    sponsor: dict[str, Any] | None
    commitment: dict[str, Any] | None
    continues: int | None = None  # the earlier row of the same address


class _AddressPlanner(_Planner):
    kind = "addresses"

    def __init__(self, store, layout, *, today, defaults):
        super().__init__(store, layout, today=today, defaults=defaults)
        self.categories = _resolver(store.categories.list())
        self.on_file: dict[str, list[m.Address]] = {}
        for address in store.addresses.list():
            self.on_file.setdefault(fold(address.name), []).append(address)
        self.in_file: dict[str, list[tuple[int, str]]] = {}

    def plan_row(self, row: int, values: Sequence[Any]) -> PlannedRow:
        g = self.gather(values)
        issues: list[Issue] = []
        sources: dict[str, str | None] = {}
        unit_id, found = self.resolve_unit(g, "street_address")
        issues += found
        raw: dict[str, Any] = {"unit_id": unit_id} if unit_id is not None else {}
        for key in (
            "name",
            "street_address",
            "circumstances",
            "needs",
            "file_no",
            "registry_id",
            "notes",
        ):
            raw[key] = _to_text(g.get(key))
        for key in ("opened_on", "survey_date", "certified_on"):
            raw[key], found = _to_date(g.get(key), key)
            issues += found
        category_ids = []
        if not _blank(g.get("categories")):
            for name in re.split(r"[,;/+\n]", str(g["categories"])):
                if not name.strip():
                    continue
                category_id = _lookup(self.categories, name)
                if category_id is None:
                    issues.append(
                        Issue.error("categories", MSG_UNKNOWN_CATEGORY, name=clean_text(name))
                    )
                elif category_id not in category_ids:
                    category_ids.append(category_id)
        raw["category_ids"] = category_ids
        cleaned, found = validate_address(raw, today=self.today)
        issues += found
        status, status_on, found = self.status(g, cleaned.get("opened_on"))
        issues += found

        sponsor = commitment = None
        commitment_given = {
            k: g.get(v) for k, v in _COMMITMENT_FIELDS.items() if not _blank(g.get(v))
        }
        if not _blank(g.get("sponsor")):
            sponsor = {k: _to_text(g.get(v)) for k, v in _SPONSOR_FIELDS.items()}
            _, found = validate_sponsor(sponsor)
            issues += _remap(found, _SPONSOR_FIELDS)
            commitment = {k: _to_text(g.get(v)) for k, v in _COMMITMENT_FIELDS.items()}
            for key in ("start_on", "end_on"):
                commitment[key], found = _to_date(
                    g.get(_COMMITMENT_FIELDS[key]), _COMMITMENT_FIELDS[key]
                )
                issues += found
            if _blank(commitment["start_on"]):
                commitment["start_on"] = cleaned.get("opened_on")
                sources["commitment_start"] = "opened_on"
            commitment["amount"] = g.get("commitment_amount")
            _, found = validate_commitment(commitment, today=self.today)
            issues += _remap(found, _COMMITMENT_FIELDS)
        elif commitment_given:
            issues.append(Issue.error("sponsor", MSG_SPONSOR_MISSING))

        label = cleaned.get("name") or ""
        duplicate = None
        continues = None
        if not any(i.is_error for i in issues):
            key = fold(cleaned["name"])
            street = fold(cleaned.get("street_address"))
            earlier = next(
                (r for r, s in self.in_file.get(key, ()) if not s or not street or s == street),
                None,
            )
            if earlier is not None and sponsor is not None:
                continues = earlier
                label += f" (thêm nhà tài trợ cho địa chỉ ở dòng {earlier})"
            elif earlier is not None:
                duplicate = Duplicate(
                    f"dòng {earlier} trong tệp ({cleaned['name']})", same_as_row=earlier
                )
            else:
                match = next(
                    (
                        a
                        for a in self.on_file.get(key, ())
                        if not a.street_address or not street or fold(a.street_address) == street
                    ),
                    None,
                )
                if match is not None:
                    issues.append(Issue.warning("name", MSG_ADDRESS_ON_FILE, name=match.name))
                    duplicate = Duplicate(
                        f"địa chỉ nhân đạo “{match.name}”"
                        + (f", {match.street_address}" if match.street_address else ""),
                        record_id=match.id,
                    )
                self.in_file.setdefault(key, []).append((row, street))
        given = {k: v for k, v in raw.items() if not _blank(v) and v != []}
        payload = _AddressPayload(raw, given, status, status_on, sponsor, commitment, continues)
        return self.finish(row, label, issues, sources, duplicate=duplicate, payload=payload)

    def status(self, g, start):
        text, on = g.get("status"), g.get("status_on")
        on, issues = _to_date(on, "status_on")
        if _blank(text):
            return None, None, issues
        status = F.ADDRESS_STATUS_WORDS.get(F.header_key(text))
        if status is None:
            return None, None, [*issues, Issue.error("status", MSG_UNKNOWN_STATUS, text=text)]
        if status == "following":
            return None, None, issues
        if not isinstance(on, date):
            on, found = parse_date(on, field="status_on")
            issues += found
        if not isinstance(on, date):
            if not any(i.is_error for i in issues):
                issues.append(Issue.error("status_on", MSG_STATUS_DATE_REQUIRED, status=text))
            return status, None, issues
        if start is not None and on < start:
            issues.append(
                Issue.error(
                    "status_on",
                    MSG_STATUS_DATE_ORDER,
                    date=f"{on:%d/%m/%Y}",
                    start=f"{start:%d/%m/%Y}",
                )
            )
        return status, on, issues


# --- aid ----------------------------------------------------------------------------------------


@dataclass
class _AidPayload:
    raw: dict[str, Any]
    new_person: dict[str, Any] | None = None
    new_person_key: tuple | None = None


class _AidPlanner(_Planner):
    kind = "aid"

    def __init__(self, store, layout, *, today, defaults):
        super().__init__(store, layout, today=today, defaults=defaults)
        self.addresses: dict[str, list[int]] = {}
        for address in store.addresses.list():
            self.addresses.setdefault(fold(address.name), []).append(address.id)
        people = store.exchange.lookups.people()
        self.people_by_id = {p.id_number: p for p in people if p.id_number}
        self.people_by_name: dict[str, list[PersonKey]] = {}
        for p in people:
            self.people_by_name.setdefault(p.search_fold, []).append(p)
        self.refs = {
            "campaign": (_resolver(store.campaigns.list()), "chương trình"),
            "area": (_resolver(store.areas.list()), "lĩnh vực"),
            "sponsor": (_resolver(store.sponsors.list()), "nhà tài trợ"),
        }
        self.on_file: dict[tuple, int] | None = None
        self.in_file: dict[tuple, int] = {}

    def prepare(self, rows: Sequence[tuple[int, Sequence[Any]]]) -> None:
        """Load the aid already recorded on the days the sheet names (one query)."""
        index = self.columns.get("given_on")
        days = set()
        if index is not None:
            for _row, values in rows:
                value, _ = _to_date(values[index] if index < len(values) else None, "given_on")
                if isinstance(value, str):
                    value, _ = parse_date(value, field="given_on")
                if isinstance(value, date):
                    days.add(value)
        self.on_file = {}
        for a in self.store.exchange.lookups.aid_on(days):
            group = fold(a.group_name) if a.recipient_kind == "group" else ""
            key = (
                a.given_on,
                a.recipient_kind,
                a.address_id,
                a.person_id,
                group,
                a.cash_value,
                a.goods_value,
                a.quantity,
            )
            self.on_file.setdefault(key, a.id)

    def recipient(self, g, kind: str | None, issues: list[Issue], raw: dict[str, Any]):
        name = g.get("recipient")
        if _blank(name):
            if kind == "group" and not _blank(g.get("group_name")):
                return kind, None
            issues.append(Issue.error("recipient", MSG_RECIPIENT_NAME_REQUIRED))
            return kind, None
        name = clean_text(str(name))
        key = fold(name)
        if kind is None:
            if key in self.addresses:
                kind = "address"
            elif not _blank(g.get("head_count")) and _blank(g.get("recipient_id")):
                kind = "group"
            else:
                kind = "person"
        if kind == "address":
            ids = self.addresses.get(key, [])
            if not ids:
                issues.append(
                    Issue.error(
                        "recipient", rec.MSG_UNKNOWN_REFERENCE, what="địa chỉ nhân đạo", name=name
                    )
                )
            else:
                raw["address_id"] = ids[0]
            return kind, None
        if kind == "group":
            raw["group_name"] = g.get("group_name") or name
            return kind, None
        # a person: by ID number, else by name and birth year, else by a unique name
        id_number, found = _to_id(g.get("recipient_id"), "recipient_id")
        issues += found
        birth = _to_birth(g.get("recipient_birth"))
        person_raw = {"full_name": name, "birth": birth, "id_number": id_number}
        cleaned, found = validate_person(person_raw, today=self.today)
        issues += _remap(
            found,
            {
                "birth": "recipient_birth",
                "id_number": "recipient_id",
                "full_name": "recipient",
                "given_name": "recipient",
            },
        )
        if any(i.is_error for i in found):
            return kind, None
        if cleaned.get("id_number") and cleaned["id_number"] in self.people_by_id:
            raw["person_id"] = self.people_by_id[cleaned["id_number"]].id
            return kind, None
        candidates = self.people_by_name.get(fold(cleaned["full_name"]), [])
        if cleaned.get("birth_year"):
            candidates = [p for p in candidates if p.birth_year == cleaned["birth_year"]]
        if len(candidates) == 1:
            raw["person_id"] = candidates[0].id
            return kind, None
        if len(candidates) > 1:
            issues.append(
                Issue.error(
                    "recipient",
                    MSG_AMBIGUOUS_PERSON,
                    count=len(candidates),
                    name=cleaned["full_name"],
                )
            )
            return kind, None
        issues.append(Issue.warning("recipient", MSG_NEW_PERSON, name=cleaned["full_name"]))
        new_key = (fold(cleaned["full_name"]), cleaned.get("birth_year"), cleaned.get("id_number"))
        return kind, (person_raw, new_key)

    def plan_row(self, row: int, values: Sequence[Any]) -> PlannedRow:
        if self.on_file is None:
            self.on_file = {}
        g = self.gather(values)
        issues: list[Issue] = []
        sources = {
            "head_count": "head_count",
            "recipient_kind": "recipient_kind",
            "group_name": "group_name" if "group_name" in self.columns else "recipient",
        }
        raw: dict[str, Any] = {}
        raw["given_on"], found = _to_date(g.get("given_on"), "given_on")
        issues += found
        kind_text = g.get("recipient_kind")
        kind = None
        if not _blank(kind_text):
            kind = F.RECIPIENT_WORDS.get(F.header_key(kind_text))
        kind, new_person = self.recipient(g, kind, issues, raw)
        raw["recipient_kind"] = kind or kind_text
        for key, (table, what) in self.refs.items():
            value = g.get(key)
            if _blank(value):
                continue
            ref_id = _lookup(table, value)
            if ref_id is None:
                issues.append(
                    Issue.error(
                        key, rec.MSG_UNKNOWN_REFERENCE, what=what, name=clean_text(str(value))
                    )
                )
            else:
                raw[f"{key}_id"] = ref_id
        for key in (
            "head_count",
            "cash_value",
            "goods_value",
            "quantity",
            "persons_reached",
            "households_reached",
            "funding_source",
            "form",
            "is_emergency",
        ):
            raw[key] = g.get(key)
        for key in ("description", "unit", "notes"):
            raw[key] = _to_text(g.get(key))
        if g.get("group_name") is not None:
            raw["group_name"] = g.get("group_name")
        cleaned, found = validate_aid(raw, today=self.today)
        issues += found
        if kind == "address" and not raw.get("address_id") and not any(i.is_error for i in issues):
            issues.append(Issue.error("recipient", rec.MSG_RECIPIENT_REQUIRED))
        when = cleaned.get("given_on")
        who = clean_text(str(g.get("recipient") or g.get("group_name") or ""))
        label = f"{when:%d/%m/%Y} – {who}" if when else who
        duplicate = None
        if not any(i.is_error for i in issues) and new_person is None:
            quantity = cleaned.get("quantity")
            key = (
                when,
                kind,
                raw.get("address_id"),
                raw.get("person_id"),
                fold(cleaned.get("group_name")) if kind == "group" else "",
                cleaned["cash_value"],
                cleaned["goods_value"],
                quantity,
            )
            found_id = self.on_file.get(key)
            if found_id is not None:
                issues.append(Issue.warning("given_on", MSG_AID_ON_FILE))
                duplicate = Duplicate(f"lượt trợ giúp số {found_id} đã có", record_id=found_id)
            elif key in self.in_file:
                duplicate = Duplicate(
                    f"dòng {self.in_file[key]} trong tệp", same_as_row=self.in_file[key]
                )
            else:
                self.in_file[key] = row
        payload = _AidPayload(raw, *(new_person or (None, None)))
        return self.finish(row, label, issues, sources, duplicate=duplicate, payload=payload)


_PLANNERS = {
    "members": _MemberPlanner,
    "volunteers": _VolunteerPlanner,
    "addresses": _AddressPlanner,
    "aid": _AidPlanner,
}


# --------------------------------------------------------------------------------------------
# Rows that are not records: blanks, totals, signatures
# --------------------------------------------------------------------------------------------


def _row_kind(values: Sequence[Any], stt_columns: Sequence[int]) -> str:
    """ "blank", "total" (ends the list), "subtotal", "footer" (ends the list) or "data"."""
    numbered = any(
        i < len(values)
        and (_is_number(values[i]) or (isinstance(values[i], str) and values[i].strip().isdigit()))
        for i in stt_columns
    )
    if numbered:  # most rows of a list: the STT cell holds a number
        return "data"
    cells = [v for v in values if not _blank(v)]
    if not cells:
        return "blank"
    first = next((v for v in cells if isinstance(v, str)), None)
    if first is None:
        return "data"
    toned = " ".join(clean_text(first).casefold().split())
    folded = fold(first)
    if toned.startswith("tổng") or folded.startswith(("tong cong", "tong so")):
        return "total"
    if toned.startswith("cộng"):
        return "subtotal"
    for value in cells:
        if isinstance(value, str):
            text = F.header_key(value) + " "
            if text.startswith(_FOOTER_MARKERS) or _DATE_LINE.search(text):
                return "footer"
    return "data"


# --------------------------------------------------------------------------------------------
# The public API
# --------------------------------------------------------------------------------------------


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause CPython's cycle collector while a sheet is planned or written.

    A large import creates a few hundred thousand objects that live until it ends (the
    sheet's cells, the planned rows, the rows written and their undo changes). The
    collector walks all of them again each time their number grows by a quarter, for
    nothing: they hold no reference cycles. That was a tenth of the import's time. Memory
    is still freed as usual by reference counting; only the search for cycles waits until
    the import is over. Left alone when the collector is already paused.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@_cycle_collector_paused()
def plan_import(
    store: Store,
    path: Path | str,
    kind: str,
    mapping: Mapping[str, Any] | None = None,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    defaults: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> ImportPlan:
    """Read ``path`` and plan the import of register ``kind``; writes nothing.

    ``mapping`` corrects the automatic column mapping: ``{"C": "phone", "Năm sinh / Nam":
    "male", "Ghi chú": None}`` (column letters or header titles to field keys; ``None``
    ignores a column), or a mapping saved from ``plan.mapping()``. ``defaults`` give values
    for fields the sheet lacks or leaves empty (``{"branch": "Chi hội Thôn 3"}``).
    ``header_row`` (1-based) overrides the header search.
    """
    if kind not in _PLANNERS:
        raise AppError(f"Không nhập được loại “{kind}”; chọn một trong: {', '.join(F.KINDS)}.")
    path = Path(path)
    today = today or date.today()
    grid: Grid = read_grid(path, sheet=sheet)
    wanted = dict(mapping or {})
    header_row = header_row or wanted.get("header_row") or None
    layout = find_layout(grid, kind, header_row=header_row, mapping=normalise_mapping(wanted))
    known = {spec.key for spec in F.FIELDS[kind]}
    unknown = sorted(set(defaults or {}) - known)
    if unknown:
        raise AppError(f"Không có trường {', '.join(unknown)} trong {F.KIND_NOUNS[kind]}.")
    planner = _PLANNERS[kind](store, layout, today=today, defaults=defaults or {})
    notes = list(layout.notes)
    fields_present = set(layout.field_columns()) | set(planner.defaults)
    if layout.header_rows and not fields_present & set(F.REQUIRED_ANY[kind]):
        notes.append(
            f"Không tìm thấy cột {F.field_spec(kind, F.REQUIRED_ANY[kind][0]).label}; hãy ghép "
            "cột bằng tay."
        )

    stt = layout.stt_columns()
    data: list[tuple[int, list[Any]]] = []
    skipped: list[SkippedRow] = []
    for index in range(layout.data_start, len(grid.rows)):
        values = grid.rows[index]
        number = index + 1
        what = _row_kind(values, stt)
        if what == "blank":
            skipped.append(SkippedRow(number, "dòng trống"))
            continue
        if what == "subtotal":
            skipped.append(SkippedRow(number, "dòng cộng"))
            continue
        if what in ("total", "footer"):
            skipped.append(
                SkippedRow(number, "dòng tổng cộng" if what == "total" else "dòng ký tên")
            )
            skipped += [
                SkippedRow(i + 1, "sau dòng tổng cộng" if what == "total" else "dòng ký tên")
                for i in range(index + 1, len(grid.rows))
                if any(not _blank(v) for v in grid.rows[i])
            ]
            break
        data.append((number, values))
    if isinstance(planner, _AidPlanner):
        planner.prepare(data)
    rows: list[PlannedRow] = []
    mapped = list(layout.field_columns().values())
    sections = "branch" not in layout.field_columns()
    for number, values in data:
        section = planner.section_row(values) if sections else None
        if section is not None:
            planner.section_branch = section
            skipped.append(SkippedRow(number, "dòng tên chi hội"))
            continue
        if mapped and all(_blank(values[i]) for i in mapped if i < len(values)):
            skipped.append(SkippedRow(number, "dòng trống"))  # e.g. only STT filled in
            continue
        rows.append(planner.plan_row(number, values))
    notes += planner.notes
    return ImportPlan(
        kind=kind,
        path=path,
        file_name=grid.file_name,
        sheet_name=grid.sheet_name,
        sheet_names=grid.sheet_names,
        sha256=_file_sha256(path),
        header_rows=tuple(i + 1 for i in layout.header_rows),
        columns=layout.columns,
        rows=rows,
        skipped=skipped,
        notes=notes,
        defaults=dict(planner.defaults),
        today=today,
        state_token=store.exchange.lookups.state_token(),
    )


def _choices(
    plan: ImportPlan, on_duplicate: str, per_row_choices: Mapping[int, str] | None
) -> dict[int, str]:
    if on_duplicate not in DUPLICATE_CHOICES:
        raise AppError(f"Cách xử lý dòng trùng “{on_duplicate}” không hợp lệ.")
    choices = {}
    for row in plan.duplicate_rows:
        choice = (per_row_choices or {}).get(row.row, on_duplicate)
        if choice not in DUPLICATE_CHOICES:
            raise AppError(f"Cách xử lý dòng trùng “{choice}” (dòng {row.row}) không hợp lệ.")
        choices[row.row] = choice
    return choices


@_cycle_collector_paused()
def apply_import(
    store: Store,
    plan: ImportPlan,
    *,
    on_duplicate: str = "skip",
    per_row_choices: Mapping[int, str] | None = None,
    valid_only: bool = False,
) -> ImportResult:
    """Write the plan in one operation: every accepted row, or nothing at all.

    Rows with errors make the whole import refused (``ImportRefused``, nothing written)
    unless ``valid_only``. Duplicates are skipped, update the record on file, or are added
    as new, per ``per_row_choices`` (row number -> choice) or ``on_duplicate``; a row that
    duplicates an earlier row of the sheet is skipped unless "new" is chosen for it. A
    backup is taken before anything is written; the import is one undo step and is
    summarised in the audit log.
    """
    choices = _choices(plan, on_duplicate, per_row_choices)
    if plan.has_errors and not valid_only:
        raise ImportRefused(
            f"Không nhập dòng nào: tệp có {plan.count(Outcome.ERROR)} dòng lỗi. Hãy sửa tệp, "
            "hoặc chọn chỉ nhập các dòng hợp lệ."
        )
    if store.exchange.lookups.state_token() != plan.state_token:
        raise ImportRefused(
            "Dữ liệu đã thay đổi sau khi xem trước; hãy xem trước lại rồi mới nhập."
        )
    todo: list[tuple[PlannedRow, str]] = []  # (row, "new" | "update")
    skipped_duplicates = 0
    for row in plan.rows:
        if row.outcome is Outcome.ERROR:
            continue
        if row.outcome is Outcome.DUPLICATE:
            choice = choices[row.row]
            if choice == "skip" or (choice == "update" and row.duplicate.record_id is None):
                skipped_duplicates += 1
                continue
            todo.append((row, choice))
        else:
            todo.append((row, "new"))
    skipped_errors = plan.count(Outcome.ERROR)
    if not todo:
        return ImportResult(
            plan.kind, plan.file_name, 0, 0, skipped_duplicates, skipped_errors, 0, None, None
        )

    backup = create_backup(store, reason=REASON_BEFORE_IMPORT)
    noun = F.KIND_NOUNS[plan.kind]
    label = f"Nhập {noun} từ tệp {plan.file_name}"
    writer = _WRITERS[plan.kind](store, plan)
    with store.operation(label):
        added, updated = writer.write(todo)
        store.ops.log_event(
            "import",
            details={
                "kind": plan.kind,
                "file": plan.file_name,
                "sheet": plan.sheet_name,
                "sha256": plan.sha256,
                "rows": len(plan.rows),
                "added": added,
                "updated": updated,
                "skipped_duplicates": skipped_duplicates,
                "skipped_errors": skipped_errors,
                "valid_only": valid_only,
                "on_duplicate": on_duplicate,
                "backup": backup.name,
            },
        )
    with_warnings = sum(1 for row, _ in todo if row.warnings)
    return ImportResult(
        plan.kind,
        plan.file_name,
        added,
        updated,
        skipped_duplicates,
        skipped_errors,
        with_warnings,
        backup,
        label,
    )


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _person_raw(person: m.Person) -> dict[str, Any]:
    """A person on file as validator input (what the form would show)."""
    not_typed = {"birth_date", "birth_year"}  # typed as one "birth" value
    keys = ("full_name", *(f for f in m.PERSON_DETAIL_FIELDS if f not in not_typed), "unit_id")
    raw: dict[str, Any] = {key: getattr(person, key) for key in keys}
    raw["birth"] = person.birth_date or person.birth_year
    return raw


def _overlay(raw: dict[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(raw)
    names = ("full_name", "family_name", "middle_name", "given_name")
    if any(k in given for k in names):
        for key in names:
            merged.pop(key, None)
    merged.update(given)
    return merged


def _refuse_row(row: PlannedRow, exc: ValidationFailed) -> ImportRefused:
    messages = "; ".join(i.render() for i in exc.issues if i.is_error)
    return ImportRefused(f"Dòng {row.row} ({row.label}) không ghi được: {messages}")


class _PersonWriter:
    role: str  # "members" | "volunteers"

    def __init__(self, store: Store, plan: ImportPlan):
        self.store = store
        self.plan = plan

    def write(self, todo: list[tuple[PlannedRow, str]]) -> tuple[int, int]:
        updated = 0
        # Updates first (save_* may insert rows), then the new rows in bulk.
        for row, choice in todo:
            if choice == "update":
                self.update(row)
                updated += 1
        writer = self.store.exchange.writer()
        added = 0
        for row, choice in todo:
            if choice == "new":
                self.add(writer, row.payload)
                added += 1
        writer.flush()
        return added, updated

    def update(self, row: PlannedRow) -> None:
        p: _PersonPayload = row.payload
        person = self.store.people.get(row.duplicate.record_id)
        raw = _overlay(_person_raw(person), p.given)
        role_id = self.store.exchange.lookups.role_ids(self.role).get(person.id)
        try:
            self.save(raw, person.id, role_id)
        except ValidationFailed as exc:
            raise _refuse_row(row, exc) from exc


class _MemberWriter(_PersonWriter):
    role = "members"

    def add(self, writer, p: _PersonPayload) -> None:
        cleaned = p.cleaned
        person_id = writer.add(self.store.people, rec.person_columns(cleaned))
        admitted = cleaned["admitted_on"]
        status, status_on = (p.status, p.status_on) if p.status else ("admitted", admitted)
        member_id = writer.add(
            self.store.members,
            {
                "person_id": person_id,
                "branch_id": p.branch_id,
                "admitted_on": admitted,
                "decision_no": cleaned.get("decision_no"),
                "card_no": cleaned.get("card_no"),
                "status": status,
                "status_on": status_on,
            },
        )
        history = self.store.members.history
        writer.add(
            history,
            {
                "member_id": member_id,
                "status": "admitted",
                "on_date": admitted,
                "decision_no": cleaned.get("decision_no"),
            },
        )
        if p.status:
            writer.add(
                history, {"member_id": member_id, "status": p.status, "on_date": p.status_on}
            )

    def save(self, raw: dict[str, Any], person_id: int, role_id: int | None) -> None:
        today = self.plan.today
        if role_id is not None:
            member = self.store.members.get(role_id)
            base = {
                "branch": member.branch_id,
                "admitted_on": member.admitted_on,
                "decision_no": member.decision_no,
                "card_no": member.card_no,
            }
            raw = {**base, **raw}
            rec.save_member(self.store, raw, member_id=role_id, today=today)
        else:
            raw = {**raw, "person_id": person_id}
            rec.save_member(self.store, raw, today=today)

    def update(self, row: PlannedRow) -> None:
        super().update(row)
        p: _PersonPayload = row.payload
        if p.status:
            member_id = self.store.exchange.lookups.role_ids("members")[row.duplicate.record_id]
            member = self.store.members.get(member_id)
            if (member.status, member.status_on) != (p.status, p.status_on):
                self.store.members.change_status(member_id, p.status, p.status_on)


class _VolunteerWriter(_PersonWriter):
    role = "volunteers"

    def add(self, writer, p: _PersonPayload) -> None:
        cleaned = p.cleaned
        person_id = writer.add(self.store.people, rec.person_columns(cleaned))
        values = {
            key: cleaned.get(key)
            for key in ("registered_on", "left_on", "is_core", "skills", "team", "hours")
        }
        writer.add(
            self.store.volunteers, {**values, "person_id": person_id, "branch_id": p.branch_id}
        )

    def save(self, raw: dict[str, Any], person_id: int, role_id: int | None) -> None:
        today = self.plan.today
        if role_id is not None:
            volunteer = self.store.volunteers.get(role_id)
            base = {
                key: getattr(volunteer, key)
                for key in ("registered_on", "left_on", "is_core", "skills", "team", "hours")
            }
            base["branch_id"] = volunteer.branch_id
            raw = {**base, **raw}
            rec.save_volunteer(self.store, raw, volunteer_id=role_id, today=today)
        else:
            raw = {**raw, "person_id": person_id}
            rec.save_volunteer(self.store, raw, today=today)


class _AddressWriter:
    def __init__(self, store: Store, plan: ImportPlan):
        self.store = store
        self.plan = plan
        self.sponsors = _resolver(store.sponsors.list())
        self.address_of_row: dict[int, int | None] = {}

    def write(self, todo: list[tuple[PlannedRow, str]]) -> tuple[int, int]:
        added = updated = 0
        today = self.plan.today
        for row, choice in todo:
            p: _AddressPayload = row.payload
            try:
                if p.continues is not None:
                    address_id = self.address_of_row.get(p.continues)
                    if address_id is not None:
                        self.commit(address_id, p)
                    continue
                if choice == "update":
                    address_id = row.duplicate.record_id
                    address = self.store.addresses.get(address_id)
                    base = {
                        k: getattr(address, k)
                        for k in (
                            "name",
                            "street_address",
                            "unit_id",
                            "circumstances",
                            "needs",
                            "opened_on",
                            "survey_date",
                            "certified_on",
                            "file_no",
                            "registry_id",
                            "notes",
                        )
                    }
                    base["category_ids"] = self.store.addresses.categories_of(address_id)
                    rec.save_address(
                        self.store, {**base, **p.given}, address_id=address_id, today=today
                    )
                    updated += 1
                else:
                    address_id = rec.save_address(self.store, p.raw, today=today).record.id
                    added += 1
                self.address_of_row[row.row] = address_id
                if p.status:
                    current = self.store.addresses.get(address_id)
                    if (current.status, current.status_on) != (p.status, p.status_on):
                        self.store.addresses.change_status(address_id, p.status, p.status_on)
                self.commit(address_id, p)
            except ValidationFailed as exc:
                raise _refuse_row(row, exc) from exc
        return added, updated

    def commit(self, address_id: int, p: _AddressPayload) -> None:
        if p.sponsor is None:
            return
        sponsor_id = _lookup(self.sponsors, p.sponsor["name"])
        if sponsor_id is None:
            sponsor_id = rec.save_sponsor(self.store, p.sponsor).record.id
            self.sponsors[fold(p.sponsor["name"])] = sponsor_id
        commitment = dict(p.commitment, sponsor_id=sponsor_id, address_id=address_id)
        for existing in self.store.commitments.list(Query(filters={"address_id": address_id})):
            start = commitment["start_on"]
            if existing.sponsor_id == sponsor_id and existing.start_on == start:
                return
        rec.save_commitment(self.store, commitment, today=self.plan.today)


class _AidWriter:
    def __init__(self, store: Store, plan: ImportPlan):
        self.store = store
        self.plan = plan
        self.new_people: dict[tuple, int] = {}

    def write(self, todo: list[tuple[PlannedRow, str]]) -> tuple[int, int]:
        added = updated = 0
        today = self.plan.today
        for row, choice in todo:
            p: _AidPayload = row.payload
            raw = dict(p.raw)
            try:
                if p.new_person is not None:
                    person_id = self.new_people.get(p.new_person_key)
                    if person_id is None:
                        person_id = rec.save_person(self.store, p.new_person, today=today).record.id
                        self.new_people[p.new_person_key] = person_id
                    raw["person_id"] = person_id
                if choice == "update":
                    rec.save_aid(self.store, raw, aid_id=row.duplicate.record_id, today=today)
                    updated += 1
                else:
                    rec.save_aid(self.store, raw, today=today)
                    added += 1
            except ValidationFailed as exc:
                raise _refuse_row(row, exc) from exc
        return added, updated


_WRITERS = {
    "members": _MemberWriter,
    "volunteers": _VolunteerWriter,
    "addresses": _AddressWriter,
    "aid": _AidWriter,
}
