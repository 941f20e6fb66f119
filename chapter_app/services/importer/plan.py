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
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from chapter_app.errors import AppError
from chapter_app.services.backups import REASON_BEFORE_IMPORT, create_backup

# Each kind's module registers its planner and writer when imported.
from chapter_app.services.importer import (  # noqa: F401
    addresses,
    aid,
    donations,
    members,
    structure,
    volunteers,
)
from chapter_app.services.importer import fields as F
from chapter_app.services.importer.cells import blank
from chapter_app.services.importer.layout import normalise_mapping
from chapter_app.services.importer.outcomes import (
    DUPLICATE_CHOICES,
    ImportPlan,
    ImportRefused,
    ImportResult,
    Outcome,
    PlannedRow,
    SheetPart,
    SkippedRow,
)
from chapter_app.services.importer.planner import SHEET_KINDS
from chapter_app.services.importer.sheets import choose_sheets, data_rows
from chapter_app.services.importer.structure import branch_name
from chapter_app.store.store import Store

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

    What was made meanwhile is then the collector's youngest generation: its first pass
    after the import would walk all of it (most of a second for 100,000 rows). It is moved
    to the oldest generation instead, as if it had lived through the passes, and looked at
    there in the collector's own time (unless something else keeps objects frozen).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()  # every generation into the permanent one...
            gc.unfreeze()  # ...and from there into the oldest
        gc.enable()


def _defaults(kind: str, given: Mapping[str, Any] | None) -> dict[str, Any]:
    """Defaults by field key or by a header the field is known by ("Ngày tiếp nhận")."""
    known = {spec.key for spec in F.FIELDS[kind]}
    matcher = F.Matcher(kind)
    found, unknown = {}, []
    for key, value in (given or {}).items():
        field_key = key if key in known else matcher.match(key)
        if field_key is None or field_key == F.IGNORE:
            unknown.append(key)
        else:
            found[field_key] = value
    if unknown:
        names = ", ".join(f"{s.key} ({s.label})" for s in F.FIELDS[kind] if s.key != F.IGNORE)
        raise AppError(
            f"Không có trường {', '.join(unknown)} trong {F.KIND_NOUNS[kind]}; các trường: {names}."
        )
    return found


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
    create_missing: bool = False,
    legacy: str = "auto",
) -> ImportPlan:
    """Read ``path`` and plan the import of register ``kind``; writes nothing.

    ``mapping`` corrects the automatic column mapping: ``{"C": "phone", "Năm sinh / Nam":
    "male", "Ghi chú": None}`` (column letters or header titles to field keys; ``None``
    ignores a column), or a mapping saved from ``plan.mapping()``. ``defaults`` give values
    for fields the sheet lacks or leaves empty (``{"branch": "Chi hội Thôn 3"}``; keys are
    field keys or headers). ``header_row`` (1-based) overrides the header search.
    ``sheet``: a sheet's name (tones and case ignored), ``"all"``, or None: the sheet whose
    header matches best (every sheet, when each is a chi hội of its own).
    ``create_missing`` chooses to create every chi hội and thôn the register lacks
    (``plan.choose_missing`` changes the choice).
    """
    if kind not in SHEET_KINDS:
        raise AppError(f"Không nhập được loại “{kind}”; chọn một trong: {', '.join(SHEET_KINDS)}.")
    path = Path(path)
    today = today or date.today()
    wanted = dict(mapping or {})
    header_row = header_row or wanted.get("header_row") or None
    given = _defaults(kind, defaults)
    sheets, names, notes = choose_sheets(
        path, kind, sheet, header_row, normalise_mapping(wanted), legacy
    )
    several = len(sheets) > 1
    first = sheets[0]
    planner = SHEET_KINDS[kind].planner(store, first.layout, today=today, defaults=given)
    rows: list[PlannedRow] = []
    skipped: list[SkippedRow] = []
    parts: list[SheetPart] = []
    for part in sheets:
        layout, grid = part.layout, part.grid
        name = grid.sheet_name if several else ""
        if part is not first or several:
            planner.use_layout(layout, sheet=name, branch=grid.sheet_name if several else None)
        notes += [(f"Trang «{name}»: " if name else "") + n for n in layout.notes]
        if part is not first and grid.conversions:
            notes.append(f"Trang «{name}»: đọc tệp: {grid.describe()}.")
        fields_present = set(layout.field_columns()) | set(planner.defaults)
        if layout.header_rows and not fields_present & set(F.REQUIRED_ANY[kind]):
            notes.append(
                f"Không tìm thấy cột {F.field_spec(kind, F.REQUIRED_ANY[kind][0]).label}; hãy "
                "ghép cột bằng tay."
            )
        data = data_rows(layout, grid, skipped, name)
        grid.rows = []  # the rows live on in ``data`` only, each until it is planned
        planner.prepare(data)
        before = len(rows)
        mapped = list(layout.field_columns().values())
        sections = "branch" not in layout.field_columns()
        batch: list[tuple[int, list[Any], str | None]] = []
        for number, values in _handed_over(data):
            section = planner.section_row(values) if sections else None
            if section is not None:
                planner.section_branch = section
                skipped.append(SkippedRow(number, "dòng tên chi hội", name))
                continue
            lead = values[mapped[0]] if mapped and mapped[0] < len(values) else None
            if lead is not None and (lead.__class__ is not str or lead.strip()):
                pass  # the usual row: its first mapped cell is filled in
            elif mapped and all(blank(values[i]) for i in mapped if i < len(values)):
                skipped.append(SkippedRow(number, "dòng trống", name))  # e.g. only STT filled in
                continue
            batch.append((number, values, planner.section_branch))
            if len(batch) == _BATCH_ROWS:
                rows += planner.plan_rows(batch)
                batch = []
        if batch:
            rows += planner.plan_rows(batch)
        branch = planner.defaults.get("branch")
        parts.append(
            SheetPart(
                grid.sheet_name,
                tuple(i + 1 for i in layout.header_rows),
                layout.columns,
                len(rows) - before,
                branch_name(branch) if isinstance(branch, str) else None,
            )
        )
    notes += planner.notes
    plan = ImportPlan(
        kind=kind,
        path=path,
        file_name=first.grid.file_name,
        sheet_name=first.grid.sheet_name,
        sheet_names=names,
        sha256=_file_sha256(path),
        header_rows=parts[0].header_rows,
        columns=first.layout.columns,
        rows=rows,
        skipped=skipped,
        notes=notes,
        defaults=dict(given),
        today=today,
        state_token=store.exchange.lookups.state_token(),
        missing=planner.structure.refs(),
        sheets=parts,
        source=first.grid.describe(),
        missing_fields=_missing_fields(kind, rows),
        legacy=legacy,
        units_of=planner.structure.units_of,
    )
    plan.choose_missing(None if create_missing else ())
    return plan


_BATCH_ROWS = 4096  # rows planned together (column by column where the kind can)


def _handed_over(data: list[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    """The items of ``data``, each let go as it is handed over: a sheet's cells are freed
    while its planned rows are made, so both are never held whole at once."""
    for index, item in enumerate(data):
        data[index] = None  # type: ignore[call-overload]
        yield item
    data.clear()


def _missing_fields(kind: str, rows: Sequence[PlannedRow]) -> list[str]:
    """Fields some row needs that the sheet has no column for (give one value for all)."""
    known = {spec.key for spec in F.FIELDS[kind]}
    found: dict[str, None] = {}
    for row in rows:
        if row.outcome is not Outcome.ERROR:  # no error among its issues, pending or not
            continue
        for issue in row.base if row.pending else row.issues:  # not a chi hội to create
            if issue.is_error and issue.cell is None and issue.field in known:
                found.setdefault(issue.field)
    return list(found)


def _choices(
    plan: ImportPlan, on_duplicate: str, per_row_choices: Mapping[Any, str] | None
) -> dict[tuple[str, int], str]:
    if on_duplicate not in DUPLICATE_CHOICES:
        raise AppError(f"Cách xử lý dòng trùng “{on_duplicate}” không hợp lệ.")
    choices = {}
    given = per_row_choices or {}
    for row in plan.duplicate_rows:
        choice = given.get((row.sheet, row.row), given.get(row.row, on_duplicate))
        if choice not in DUPLICATE_CHOICES:
            raise AppError(f"Cách xử lý dòng trùng “{choice}” (dòng {row.row}) không hợp lệ.")
        choices[(row.sheet, row.row)] = choice
    return choices


@_cycle_collector_paused()
def apply_import(
    store: Store,
    plan: ImportPlan,
    *,
    on_duplicate: str = "skip",
    per_row_choices: Mapping[Any, str] | None = None,
    valid_only: bool = False,
) -> ImportResult:
    """Write the plan in one operation: every accepted row, or nothing at all.

    Rows with errors make the whole import refused (``ImportRefused``, nothing written)
    unless ``valid_only``. Duplicates are skipped, update the record on file, or are added
    as new, per ``per_row_choices`` (row number, or (sheet, row), -> choice) or
    ``on_duplicate``; a row that
    duplicates an earlier row of the sheet is skipped unless "new" is chosen for it. A
    backup is taken before anything is written; the import is one undo step and is
    summarised in the audit log. The chi hội and thôn chosen with ``plan.choose_missing``
    that the written rows name are created first, in the same operation.
    """
    choices = _choices(plan, on_duplicate, per_row_choices)
    # One pass over the rows: what to write, what is skipped, the chi hội / thôn named
    todo: list[tuple[PlannedRow, str]] = []  # (row, "new" | "update")
    skipped_duplicates = skipped_errors = with_warnings = 0
    named: set[str | None] = set()
    error, duplicate = Outcome.ERROR, Outcome.DUPLICATE
    for row in plan.rows:
        outcome = row.outcome
        if outcome is error:
            skipped_errors += 1
            continue
        if outcome is duplicate:
            choice = choices[(row.sheet, row.row)]
            if choice == "skip" or (choice == "update" and row.duplicate.record_id is None):
                skipped_duplicates += 1
                continue
        else:
            choice = "new"
        todo.append((row, choice))
        if row.refs:
            named.update((row.refs.get("branch"), row.refs.get("unit")))
        if row.has_issues:  # a row written has no errors: warnings
            with_warnings += 1
    if skipped_errors and not valid_only:
        raise ImportRefused(
            f"Không nhập dòng nào: tệp có {skipped_errors} dòng lỗi. Hãy sửa tệp, "
            "hoặc chọn chỉ nhập các dòng hợp lệ."
        )
    if store.exchange.lookups.state_token() != plan.state_token:
        raise ImportRefused(
            "Dữ liệu đã thay đổi sau khi xem trước; hãy xem trước lại rồi mới nhập."
        )
    if not todo:
        return ImportResult(
            plan.kind, plan.file_name, 0, 0, skipped_duplicates, skipped_errors, 0, None, None
        )

    backup = create_backup(store, reason=REASON_BEFORE_IMPORT)
    noun = F.KIND_NOUNS[plan.kind]
    label = f"Nhập {noun} từ tệp {plan.file_name}"
    writer = SHEET_KINDS[plan.kind].writer(store, plan)
    chosen = [ref for ref in plan.to_create if ref.key in named]
    with store.operation(label):
        writer.created = structure.create_missing(store, chosen, plan.units_of)
        with store.exchange.indexes_set_aside(rows=len(todo)):  # a large import, few on file
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
                "created": [ref.name for ref in chosen],
            },
        )
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
        tuple(ref.name for ref in chosen),
    )
