"""The validation pass every kind of sheet shares, and the list of kinds.

A kind of sheet (members, volunteers, addresses, aid...) is one module that declares its
columns with ``fields.declare_kind`` (built-in kinds are in :mod:`.fields`), subclasses
:class:`Planner` (one sheet row -> one :class:`PlannedRow`, nothing written) and
:class:`Writer` (the accepted rows -> records, inside the import's transaction), and
registers both with :func:`register`, and is named in the import list of :mod:`.plan`.
The base planner gathers a row's mapped cells (with the defaults and the chi hội of the
nearest section heading), looks up chi hội and thôn, and turns issues into outcomes that
name their cells.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from chapter_app.domain.cells import restore_cell
from chapter_app.domain.text import clean_text, fold
from chapter_app.domain.validation import N_, Issue, Severity
from chapter_app.services import records as rec
from chapter_app.services.importer import fields as F
from chapter_app.services.importer.cells import blank, lookup, resolver
from chapter_app.services.importer.outcomes import (
    CellIssue,
    Duplicate,
    ImportPlan,
    Outcome,
    PlannedRow,
)
from chapter_app.store.store import Store

MSG_UNKNOWN_UNIT = N_("Chưa có thôn, tổ dân phố “{name}” trong danh mục; đã ghi vào địa chỉ.")
_SECTION_PREFIX = re.compile(r"^(?:[IVXLC]+|[0-9]+|[A-Z])[.)]\s*", re.IGNORECASE)

_FALLBACK_CELLS = {"status_on": "status", "commitment_start": "opened_on"}


class Planner:
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
        self.branches = resolver(store.branches.list(), strip=("chi hoi",))
        self.units = resolver(store.units.list())
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
        if blank(value):
            return None, []
        if isinstance(value, int) and not isinstance(value, bool):
            return value, []
        key = ("branch", value)
        if key not in self._resolved:
            self._resolved[key] = self._resolve_branch(value)
        found, issues = self._resolved[key]
        return found, list(issues)

    def _resolve_branch(self, value: Any) -> tuple[Any, list[Issue]]:
        branch_id = lookup(self.branches, value, strip=("chi hoi",))
        if branch_id is None:
            text = clean_text(str(value))
            return text, [Issue.error("branch", rec.MSG_UNKNOWN_BRANCH, name=text)]
        return branch_id, []

    def resolve_unit(self, g: dict[str, Any], address_key: str) -> tuple[int | None, list[Issue]]:
        value = g.get("unit")
        if blank(value):
            return None, []
        key = ("unit", value)
        if key not in self._resolved:
            self._resolved[key] = lookup(self.units, value)
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
        texts = {clean_text(str(v)) for v in values if not blank(v)}
        if len(texts) != 1 or "branch" not in self.fieldset():
            return None
        text = texts.pop()
        if not isinstance(next(v for v in values if not blank(v)), str):
            return None
        name = _SECTION_PREFIX.sub("", text)
        bare = fold(name)
        if bare.startswith("chi hoi ") or lookup(self.branches, bare, strip=("chi hoi",)):
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

    def prepare(self, rows: Sequence[tuple[int, Sequence[Any]]]) -> None:
        """Called once with every data row before ``plan_row``: load what the rows need."""


class Writer:
    """Writes the accepted rows of a plan; called inside the import's one operation."""

    def __init__(self, store: Store, plan: ImportPlan):
        self.store = store
        self.plan = plan

    def write(self, todo: list[tuple[PlannedRow, str]]) -> tuple[int, int]:
        """Write ``(row, "new" | "update")`` pairs; returns (added, updated)."""
        raise NotImplementedError


@dataclass(frozen=True)
class SheetKind:
    key: str  # "members": the register, as ``import KIND`` names it
    planner: type[Planner]
    writer: type[Writer]


SHEET_KINDS: dict[str, SheetKind] = {}


def register(key: str, *, planner: type[Planner], writer: type[Writer]) -> SheetKind:
    """Make ``key`` importable (its fields must be in ``fields.FIELDS``)."""
    if key not in F.FIELDS:
        raise ValueError(f"no fields declared for import kind {key!r}")
    kind = SheetKind(key, planner, writer)
    SHEET_KINDS[key] = kind
    return kind
