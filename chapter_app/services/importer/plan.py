"""Importing a register from a sheet: a preview first (``plan_import``), then one transaction.

``plan_import`` reads the sheet, finds its header and maps its columns, then hands every
data row to the planner of the sheet's kind (:mod:`.members`, :mod:`.volunteers`,
:mod:`.addresses`, :mod:`.aid`, each over the shared pass of :mod:`.planner`), which
cleans the cells and validates the row with the same checks as the forms, without
writing anything. Each row gets an outcome: imported, imported with warnings, error
(with the exact cell and the reason) or duplicate of a person or record already on file
(or of an earlier row of the same sheet).

``apply_import`` writes the plan: all accepted rows or nothing. It refuses a plan with
error rows unless ``valid_only`` is chosen, takes a backup of the database, then writes
in one operation (one transaction, one undo step, one audit group, a summary entry in the
audit log) with the writer of the sheet's kind.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from chapter_app.domain.text import clean_text, fold
from chapter_app.errors import AppError
from chapter_app.services.backups import REASON_BEFORE_IMPORT, create_backup

# Each kind's module registers its planner and writer when imported.
from chapter_app.services.importer import addresses, aid, members, volunteers  # noqa: F401
from chapter_app.services.importer import fields as F
from chapter_app.services.importer.cells import blank, is_number
from chapter_app.services.importer.layout import find_layout, normalise_mapping
from chapter_app.services.importer.outcomes import (
    DUPLICATE_CHOICES,
    ImportPlan,
    ImportRefused,
    ImportResult,
    Outcome,
    PlannedRow,
    SkippedRow,
)
from chapter_app.services.importer.planner import SHEET_KINDS
from chapter_app.services.importer.reading import Grid, read_grid
from chapter_app.store.store import Store

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


# --------------------------------------------------------------------------------------------
# Rows that are not records: blanks, totals, signatures
# --------------------------------------------------------------------------------------------


def _row_kind(values: Sequence[Any], stt_columns: Sequence[int]) -> str:
    """ "blank", "total" (ends the list), "subtotal", "footer" (ends the list) or "data"."""
    numbered = any(
        i < len(values)
        and (is_number(values[i]) or (isinstance(values[i], str) and values[i].strip().isdigit()))
        for i in stt_columns
    )
    if numbered:  # most rows of a list: the STT cell holds a number
        return "data"
    cells = [v for v in values if not blank(v)]
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
    if kind not in SHEET_KINDS:
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
    planner = SHEET_KINDS[kind].planner(store, layout, today=today, defaults=defaults or {})
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
                if any(not blank(v) for v in grid.rows[i])
            ]
            break
        data.append((number, values))
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
        if mapped and all(blank(values[i]) for i in mapped if i < len(values)):
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
    writer = SHEET_KINDS[plan.kind].writer(store, plan)
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
