"""What a planned import says: each row's outcome and issues (with their cells), the plan
and the result of writing it, as the preview and the command line show them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

from chapter_app.domain.validation import N_, Issue, ValidationFailed
from chapter_app.errors import AppError
from chapter_app.services.importer import fields as F
from chapter_app.services.importer.layout import Column

MAPPING_FORMAT = 1
DUPLICATE_CHOICES = ("skip", "update", "new")


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


MSG_NO_COLUMN = N_("tệp không có cột này")


def outcome_of(issues: Sequence[CellIssue], duplicate: Duplicate | None) -> Outcome:
    if any(i.is_error for i in issues):
        return Outcome.ERROR
    if duplicate is not None:
        return Outcome.DUPLICATE
    return Outcome.WARNING if issues else Outcome.OK


@dataclass(frozen=True, slots=True)
class CellIssue:
    """An issue of one row, with the cell it comes from ("C7"; None when no cell holds it)
    and the field's header ("Năm sinh"); ``sheet`` is set when a plan has several sheets."""

    row: int
    cell: str | None
    field: str
    issue: Issue
    label: str = ""
    sheet: str = ""

    @property
    def is_error(self) -> bool:
        return self.issue.is_error

    def message(self, translate=None) -> str:
        tr = translate or (lambda s: s)
        text = self.issue.render(translate)
        if self.cell:
            where = f"Ô {self.cell}" + (f" ({tr(self.label)})" if self.label else "")
        else:
            where = f"Dòng {self.row}" + (
                f", {tr(self.label)} ({tr(MSG_NO_COLUMN)})" if self.label else ""
            )
        if self.sheet:
            where = f"Trang «{self.sheet}», {where[0].lower()}{where[1:]}"
        return f"{where}: {text}"


@dataclass(frozen=True)
class MissingRef:
    """A chi hội or thôn the sheet names that the register lacks; created on import if chosen."""

    key: str  # "branch:thon 3" (what: folded name)
    what: str  # "branch" | "unit"
    name: str  # the name it will be created with: "Chi hội Thôn 3"
    rows: int = 0  # how many rows name it

    @property
    def noun(self) -> str:
        return "chi hội" if self.what == "branch" else "thôn, tổ dân phố"


@dataclass(frozen=True)
class Duplicate:
    """What a row duplicates: a record on file (``record_id``) or an earlier row of the sheet."""

    description: str
    record_id: int | None = None  # person (members, volunteers), address or aid record
    role_id: int | None = None  # the person's member or volunteer record, if any
    same_as_row: int | None = None


_NO_REFS: Mapping[str, str] = MappingProxyType({})
_NONE_CREATED: frozenset[str] = frozenset()  # one for every row (each frozenset() is new)


def _issue_field(slot: str) -> property:
    """A ``PlannedRow`` field kept in ``slot``, read once the row's issues are made."""

    def get(row: PlannedRow) -> Any:
        if row._lazy is not None:
            row._make_issues()
        return getattr(row, slot)

    return property(get)


class PlannedRow:
    """One sheet row as planned: its outcome, what it is about and its issues (with their
    cells). ``issues``, ``base`` and ``pending`` of a row the planner made are made when
    first read (``lazy_issues``); they read the same as if made at once."""

    __slots__ = (
        "_base",
        "_created",
        "_issues",
        "_lazy",
        "_pending",
        "duplicate",
        "label",
        "outcome",
        "payload",
        "refs",
        "row",
        "sheet",
    )

    def __init__(
        self,
        row: int,  # the sheet's row number (1-based, as Excel shows it)
        outcome: Outcome,
        label: str,  # what the row is about: a name, an address, "05/01/2026 – Nguyễn Văn An"
        issues: tuple[CellIssue, ...] = (),
        duplicate: Duplicate | None = None,
        payload: Any = None,
        sheet: str = "",  # the sheet's name, when a plan has several
        # Issues that hold unless a missing chi hội / thôn is created: (MissingRef key, issue).
        pending: tuple[tuple[str, CellIssue], ...] = (),
        base: tuple[CellIssue, ...] = (),  # the issues without the pending ones
        # The missing "branch"/"unit" keys, …; most rows share one empty mapping.
        refs: Mapping[str, str] = _NO_REFS,
    ):
        self.row = row
        self.outcome = outcome
        self.label = label
        self._issues = issues
        self.duplicate = duplicate
        self.payload = payload
        self.sheet = sheet
        self._pending = pending
        self._base = base
        self.refs = refs
        self._lazy = None
        self._created: frozenset[str] | set[str] = _NONE_CREATED

    def lazy_issues(self, lazy: Any) -> None:
        """Take the row's issues from ``lazy`` (``planner.LazyCells``: ``issues`` and
        ``pending`` without their cells, ``make()`` them with) when they are first read;
        the outcome is the caller's, from the same issues."""
        self._lazy = lazy

    def _make_issues(self) -> None:
        cells, pending = self._lazy.make()
        self._lazy = None
        if pending:
            self._base, self._pending = cells, pending
            created = self._created
            self._issues = cells + tuple(i for key, i in pending if key not in created)
        else:
            self._issues = cells

    issues = _issue_field("_issues")  # tuple[CellIssue, ...]
    pending = _issue_field("_pending")  # tuple[tuple[str, CellIssue], ...]
    base = _issue_field("_base")  # tuple[CellIssue, ...]

    @property
    def has_issues(self) -> bool:
        """``bool(self.issues)``, without making the issues' cells."""
        lazy = self._lazy
        if lazy is None:
            return bool(self._issues)
        created = self._created
        return bool(lazy.issues) or any(key not in created for key, _ in lazy.pending)

    def settle(self, created: set[str] | frozenset[str]) -> None:
        """Outcome and issues once the chi hội / thôn in ``created`` are to be created."""
        lazy = self._lazy
        if lazy is not None:
            if lazy.pending:
                self._created = created
                issues = lazy.issues + tuple(i for key, i in lazy.pending if key not in created)
                self.outcome = outcome_of(issues, self.duplicate)
            return
        if not self._pending:
            return
        self._issues = self._base + tuple(i for key, i in self._pending if key not in created)
        self.outcome = outcome_of(self._issues, self.duplicate)

    def _compared(self) -> tuple[Any, ...]:
        return (
            self.row,
            self.outcome,
            self.label,
            self.issues,
            self.duplicate,
            self.sheet,
            self.pending,
            self.base,
            self.refs,
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._compared() == other._compared()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"PlannedRow(row={self.row!r}, outcome={self.outcome!r}, label={self.label!r}, "
            f"issues={self.issues!r}, duplicate={self.duplicate!r}, sheet={self.sheet!r}, "
            f"pending={self.pending!r}, base={self.base!r}, refs={self.refs!r})"
        )

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
    sheet: str = ""


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
    missing: list[MissingRef] = field(default_factory=list)
    create: frozenset[str] = frozenset()  # keys of ``missing`` to create when importing
    sheets: list[SheetPart] = field(default_factory=list)  # every sheet read into the plan
    source: str = ""  # how the file was read: "Excel .xlsx", "CSV, mã UTF-8, dấu ;"...
    missing_fields: list[str] = field(default_factory=list)  # required, no column, no default
    legacy: str = "auto"  # TCVN3/VNI conversion asked for: auto|tcvn3|vni|off
    units_of: dict[str, set] = field(default_factory=dict)  # new chi hội -> thôn of its rows

    def choose_missing(self, keys: Iterable[str] | None = None) -> None:
        """Create the missing chi hội / thôn in ``keys`` (None: all of them) on import."""
        known = {m.key for m in self.missing}
        self.create = frozenset(known if keys is None else set(keys) & known)
        for row in self.rows:
            row.settle(self.create)

    @property
    def to_create(self) -> list[MissingRef]:
        return [m for m in self.missing if m.key in self.create]

    @property
    def importable(self) -> int:
        """Rows that would be written as new records (valid, not duplicates)."""
        return self.count(Outcome.OK) + self.count(Outcome.WARNING)

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

    def row(self, number: int, sheet: str | None = None) -> PlannedRow:
        return next(r for r in self.rows if r.row == number and sheet in (None, r.sheet))

    def mapping(self) -> dict[str, Any]:
        """The column mapping as it can be saved and given again (by header title)."""
        columns = {}
        for column in self.columns:
            key = column.title or column.letter
            if column.field or not column.auto:
                columns[key] = column.field
        return {"format": MAPPING_FORMAT, "kind": self.kind, "columns": columns}

    def missing_lines(self) -> list[str]:
        """What the sheet names that the register lacks, and what will be created."""
        lines = []
        for what, noun in (("branch", "Chi hội"), ("unit", "Thôn, tổ dân phố")):
            found = [m for m in self.missing if m.what == what]
            if not found:
                continue
            names = ", ".join(
                f"{m.name} ({m.rows} dòng)" + (" — sẽ tạo" if m.key in self.create else "")
                for m in found
            )
            lines.append(f"{noun} chưa có trong sổ: {names}.")
        return lines

    def summary_lines(self, *, details: bool = True, limit: int | None = 50) -> list[str]:
        """The preview in Vietnamese, as the command line prints it."""
        noun = F.KIND_NOUNS[self.kind]
        lines = [f"Tệp {self.file_name}" + (f": {self.source}" if self.source else "") + "."]
        for part in self.sheets or [SheetPart(self.sheet_name, self.header_rows, self.columns)]:
            lines += part.summary_lines(self.kind, noun)
        lines += self.notes
        if self.missing:
            lines += self.missing_lines()
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
            lines += self._row_lines(limit)
        return lines

    def _row_lines(self, limit: int | None) -> list[str]:
        """Each error, duplicate and warning row with its messages; what only a missing
        chi hội / thôn causes is said once above, not on every row."""
        lines: list[str] = []
        shown = 0
        for wanted in (Outcome.ERROR, Outcome.DUPLICATE, Outcome.WARNING):
            for row in self.rows:
                issues = row.base if row.pending else row.issues
                outcome = outcome_of(issues, row.duplicate) if row.pending else row.outcome
                if outcome is not wanted or not (issues or row.duplicate):
                    continue
                if limit is not None and shown >= limit:
                    lines.append("…")
                    return lines
                shown += 1
                where = f"Trang «{row.sheet}», dòng" if row.sheet else "Dòng"
                head = f"{where} {row.row} ({OUTCOME_LABELS[outcome]}) {row.label}"
                if row.duplicate is not None:
                    head += f" — trùng với {row.duplicate.description}"
                lines.append(head)
                lines += [f"    {issue.message()}" for issue in issues]
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
    created: tuple[str, ...] = ()  # the chi hội and thôn created: "Chi hội Thôn 3", "Thôn 3"

    def summary_lines(self) -> list[str]:
        noun = F.KIND_NOUNS[self.kind]
        lines = [
            f"Đã nhập từ tệp {self.file_name}: thêm {self.added} {noun}, cập nhật {self.updated}, "
            f"bỏ qua {self.skipped_duplicates} dòng trùng và {self.skipped_errors} dòng lỗi."
        ]
        if self.created:
            lines.append(f"Đã tạo chi hội, thôn mới: {'; '.join(self.created)}.")
        if self.backup_path is not None:
            lines.append(f"Bản sao lưu trước khi nhập: {self.backup_path}")
        return lines


class ImportRefused(AppError):
    """The plan cannot be written as it is (rows with errors, or a stale preview)."""


@dataclass
class SheetPart:
    """One sheet read into a plan: where its header is and how its columns map."""

    name: str
    header_rows: tuple[int, ...]  # 1-based
    columns: list[Column]
    rows: int = 0
    branch: str | None = None  # the chi hội its rows belong to (sheet name or title row)

    def summary_lines(self, kind: str, noun: str) -> list[str]:
        header = "–".join(str(n) for n in self.header_rows) or "không tìm thấy"
        lines = [
            f"Trang tính «{self.name}»: dòng tiêu đề {header}; {self.rows} dòng {noun}"
            + (f"; chi hội: {self.branch}" if self.branch else "")
            + "."
        ]
        mapped = [
            f"{c.letter}: {c.title or '(trống)'} → {field_label(kind, c.field)}"
            for c in self.columns
            if c.field and c.field != F.IGNORE
        ]
        if mapped:
            lines.append("Ghép cột: " + "; ".join(mapped) + ".")
        unmapped = [f"{c.letter} “{c.title}”" for c in self.columns if c.title and not c.field]
        if unmapped:
            lines.append("Cột bỏ qua: " + ", ".join(unmapped) + ".")
        return lines


def field_label(kind: str, key: str | None) -> str:
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


def refuse_row(row: PlannedRow, exc: ValidationFailed) -> ImportRefused:
    """The refusal of a row that the writing step found invalid after all."""
    messages = "; ".join(i.render() for i in exc.issues if i.is_error)
    return ImportRefused(f"Dòng {row.row} ({row.label}) không ghi được: {messages}")
