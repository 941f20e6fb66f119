"""What a planned import says: each row's outcome and issues (with their cells), the plan
and the result of writing it, as the preview and the command line show them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
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
            f"{c.letter}: {c.title or '(trống)'} → {field_label(self.kind, c.field)}"
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
