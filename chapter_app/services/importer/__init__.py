"""Importing registers from Excel (.xlsx) and CSV sheets as chapters keep them.

plan = plan_import(store, path, "members")          # preview: nothing is written
plan.rows[i].outcome / .issues (cell "C7" + reason) / .duplicate
result = apply_import(store, plan, on_duplicate="skip", valid_only=False)
"""

from chapter_app.services.importer.fields import FIELDS, KINDS, FieldSpec
from chapter_app.services.importer.layout import Column
from chapter_app.services.importer.plan import (
    DUPLICATE_CHOICES,
    CellIssue,
    Duplicate,
    ImportPlan,
    ImportRefused,
    ImportResult,
    Outcome,
    PlannedRow,
    SkippedRow,
    apply_import,
    load_mapping,
    plan_import,
    save_mapping_file,
)

__all__ = [
    "DUPLICATE_CHOICES",
    "FIELDS",
    "KINDS",
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
