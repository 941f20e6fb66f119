"""Importing registers from Excel (.xlsx) and CSV sheets as chapters keep them.

One module per kind of sheet (members, volunteers, addresses, aid) over the shared
pass of ``planner``; ``sheets`` chooses the sheets and their rows; ``plan`` runs the kind's
planner and writer; ``structure`` finds (or creates) the chi hội and thôn a sheet names.

plan = plan_import(store, path, "members")          # preview: nothing is written
plan.rows[i].outcome / .issues (cell "C7" + reason) / .duplicate
result = apply_import(store, plan, on_duplicate="skip", valid_only=False)
"""

from chapter_app.services.importer.fields import FIELDS, KINDS, FieldSpec
from chapter_app.services.importer.layout import Column
from chapter_app.services.importer.outcomes import (
    DUPLICATE_CHOICES,
    OUTCOME_LABELS,
    CellIssue,
    Duplicate,
    ImportPlan,
    ImportRefused,
    ImportResult,
    Outcome,
    PlannedRow,
    SkippedRow,
    load_mapping,
    save_mapping_file,
)
from chapter_app.services.importer.plan import apply_import, plan_import
from chapter_app.services.importer.sheets import ALL_SHEETS

__all__ = [
    "ALL_SHEETS",
    "DUPLICATE_CHOICES",
    "FIELDS",
    "KINDS",
    "OUTCOME_LABELS",
    "CellIssue",
    "Column",
    "Duplicate",
    "FieldSpec",
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "Outcome",
    "PlannedRow",
    "SkippedRow",
    "apply_import",
    "load_mapping",
    "plan_import",
    "save_mapping_file",
]
