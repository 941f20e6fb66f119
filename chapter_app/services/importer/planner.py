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
from functools import partial
from typing import Any

from chapter_app.domain.cells import QUOTE, restore_cell
from chapter_app.domain.memo import ValueMemo
from chapter_app.domain.text import clean_text, fold
from chapter_app.domain.validation import N_, Issue
from chapter_app.services.importer import fields as F
from chapter_app.services.importer.cells import blank, to_date
from chapter_app.services.importer.outcomes import (
    CellIssue,
    Duplicate,
    ImportPlan,
    PlannedRow,
    field_label,
    outcome_of,
)
from chapter_app.services.importer.structure import References, branch_in_titles, branch_name
from chapter_app.store.store import Store

MSG_UNKNOWN_UNIT = N_("Chưa có thôn, tổ dân phố “{name}” trong danh mục; đã ghi vào địa chỉ.")
MSG_BRANCH_NOT_ON_FILE = N_("Chưa có chi hội “{name}” trong sổ; chọn tạo chi hội này khi nhập.")
_SECTION_PREFIX = re.compile(r"^(?:[IVXLC]+|[0-9]+|[A-Z])[.)]\s*", re.IGNORECASE)

_FALLBACK_CELLS = {"status_on": "status", "commitment_start": "opened_on"}


class CellPlaces:
    """Where a layout's issues are: the cell ("C7") and the header label of an issue on a
    field, as ``Planner.finish`` names them; kept per layout so that a row's issue cells
    can be made after the planner has moved to another sheet."""

    def __init__(self, kind: str, layout, columns: Mapping[str, int], sheet: str):
        self.kind = kind
        self.layout = layout
        self.columns = columns
        self.sheet = sheet
        self.places: dict[tuple[str, str], tuple[str | None, str]] = {}  # see ``_place``

    def cell(self, field_name: str, row: int) -> str | None:
        index = self.columns.get(field_name)
        if index is None:  # e.g. a status without its date: point at the status
            index = self.columns.get(_FALLBACK_CELLS.get(field_name, ""))
        if index is None:
            return None
        return f"{self.layout.columns[index].letter}{row}"

    def _place(self, source: str, field_name: str) -> tuple[str | None, str]:
        """The column letter of ``source`` (None: no cell) and the label of an issue on
        ``field_name`` found there (``cell`` and ``label``)."""
        cell = self.cell(source, 1)
        letter = None if cell is None else cell[:-1]
        return letter, self.label(source if cell else field_name)  # no cell: the field wanted

    def label(self, field_name: str) -> str:
        """The header of the column holding ``field_name`` (or the field's usual header)."""
        index = self.columns.get(field_name)
        if index is None:
            index = self.columns.get(_FALLBACK_CELLS.get(field_name, ""))
        if index is not None and self.layout.columns[index].title:
            return self.layout.columns[index].title
        if field_name in (F.MALE, F.FEMALE):
            return field_label(self.kind, field_name)
        spec = next((f for f in F.FIELDS[self.kind] if f.key == field_name), None)
        return spec.label if spec is not None else ""

    def cell_issue(self, issue: Issue, row: int, sources: Mapping[str, str | None]) -> CellIssue:
        """``issue`` of sheet row ``row`` with its cell (``sources``: field -> column key)."""
        field_name = issue.field
        source = sources.get(field_name, field_name) or field_name
        place = self.places.get((source, field_name))
        if place is None:
            place = self.places[(source, field_name)] = self._place(source, field_name)
        letter, label = place
        cell = None if letter is None else f"{letter}{row}"
        return CellIssue(row, cell, field_name, issue, label, self.sheet)


@dataclass(slots=True)
class LazyCells:
    """A row's issues and pending ``(key, issue)``, their cells made when first read."""

    places: CellPlaces
    row: int
    issues: tuple[Issue, ...]
    sources: Mapping[str, str | None]
    pending: tuple[tuple[str, Issue], ...]

    def make(self) -> tuple[tuple[CellIssue, ...], tuple[tuple[str, CellIssue], ...]]:
        """(the issues' cells, the pending issues' cells with their keys)."""
        make, row, sources = self.places.cell_issue, self.row, self.sources
        cells = tuple([make(i, row, sources) for i in self.issues])
        return cells, tuple([(key, make(i, row, sources)) for key, i in self.pending])


class Planner:
    """Turns the rows of a sheet into planned rows for one register.

    One planner plans every sheet of an import (``use_layout`` before each), so that
    duplicates are found across sheets and a missing chi hội is listed once.
    """

    kind: str
    name_fields = ("full_name", "family_name", "middle_name", "given_name", "family_middle")

    def __init__(self, store: Store, layout, *, today: date, defaults: Mapping[str, Any]):
        self.store = store
        self.today = today
        self.user_defaults = dict(defaults)
        self.settings = store.settings.all()
        self.memo = ValueMemo()  # checks of the values met before in this import
        self.notes: list[str] = []
        self.structure = References(store)
        self.section_branch: str | None = None
        self.sheet = ""
        self._pending: list[tuple[str, Issue]] = []  # this row's issues unless created
        self._row_refs: dict[str, str] = {}  # this row's missing chi hội / thôn keys
        self._row_unit: int | str | None = None  # this row's thôn: id, or key when missing
        self.use_layout(layout)

    def use_layout(self, layout, *, sheet: str = "", branch: str | None = None) -> None:
        """Plan the next rows with ``layout`` (a sheet's header); ``sheet`` names the sheet in
        messages; ``branch`` is the chi hội of rows that name none (the sheet's name)."""
        self.layout = layout
        self.columns = layout.field_columns()
        self.sheet = sheet
        self._cells = CellPlaces(self.kind, layout, self.columns, sheet)
        self.defaults = dict(self.user_defaults)
        self.section_branch = None
        wants_branch = "branch" in self.fieldset() and "branch" not in self.columns
        if wants_branch and "branch" not in self.defaults:
            self.default_branch_from_titles(fallback=branch)
        self.on_layout()

    def on_layout(self) -> None:
        """Called when a sheet's layout is taken up: derive what depends on its columns."""

    # --- helpers ------------------------------------------------------------------------

    def gather(self, values: Sequence[Any]) -> dict[str, Any]:
        self._pending = []
        self._row_refs = {}
        self._row_unit = None
        found: dict[str, Any] = {}
        width = len(values)
        for key, index in self.columns.items():
            value = values[index] if index < width else None
            if isinstance(value, str):
                if value[:1] == QUOTE:
                    value = restore_cell(value)
                if not value.strip():
                    value = None
            found[key] = value
        if self.section_branch and found.get("branch") is None:
            found["branch"] = self.section_branch  # the nearest "Chi hội ..." heading above
        if self.defaults:
            for key, value in self.defaults.items():
                if found.get(key) is None:
                    found[key] = value
        return found

    def cell_date(self, value: Any, field_name: str) -> tuple[Any, Sequence[Issue]]:
        """``cells.to_date(value, field_name)``, remembered per value for this import."""
        make = partial(_cached_to_date, field_name=field_name)
        return self.memo.get(("to_date", field_name), make)(value)

    def fieldset(self) -> set[str]:
        return {spec.key for spec in F.FIELDS[self.kind]}

    def resolve_branch(self, value: Any) -> tuple[Any, list[Issue]]:
        """The chi hội's id; for one the register lacks, the name (an error unless it is
        created: see ``PlannedRow.settle``); for a name fitting several, the name and the error."""
        if blank(value):
            return None, []
        if isinstance(value, int) and not isinstance(value, bool):
            return value, []
        found = self.structure.branch(value)
        if isinstance(found, int):
            return found, []
        if isinstance(found, Issue):  # a name fitting several chi hội
            return clean_text(str(value)), [found]
        name = self.structure.missing[found].name
        self._row_refs["branch"] = found
        self._pending.append((found, Issue.error("branch", MSG_BRANCH_NOT_ON_FILE, name=name)))
        return name, []

    def resolve_unit(
        self, g: dict[str, Any], address_key: str, *, key: str = "unit"
    ) -> tuple[int | None, list[Issue]]:
        """The thôn's id (field ``key``); for one the register lacks, None (with a warning,
        and the name written into the address, unless it is created); for a name fitting
        several, None and the error naming them."""
        value = g.get(key)
        if blank(value):
            return None, []
        found = self.structure.unit(value)
        if isinstance(found, Issue):  # a name fitting several thôn
            return None, [Issue.error(key, found.template, **found.params)]
        self._row_unit = found
        if isinstance(found, int):
            return found, []
        self._row_refs["unit"] = found
        self._row_refs["unit_text"] = clean_text(str(value))
        self._row_refs["address_key"] = address_key
        self._pending.append(
            (found, Issue.warning(key, MSG_UNKNOWN_UNIT, name=clean_text(str(value))))
        )
        return None, []

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
        pending = self._pending
        if issues or pending:  # their cells are made when the row's issues are read
            lazy = LazyCells(self._cells, row, tuple(issues), sources, tuple(pending))
            outcome = outcome_of(issues, duplicate)
        else:
            lazy, outcome = None, outcome_of((), duplicate)
        planned = PlannedRow(row, outcome, label, (), duplicate, payload, self.sheet)
        branch = self._row_refs.get("branch")
        if branch and self._row_unit is not None:  # a new chi hội covers the thôn of its rows
            self.structure.units_of.setdefault(branch, set()).add(self._row_unit)
        if lazy is not None:
            planned.lazy_issues(lazy)
        if pending:
            planned.refs = dict(self._row_refs)
            planned.settle(frozenset())
        return planned

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
        if bare.startswith("chi hoi ") or isinstance(self.structure.lookup_branch(name), int):
            return name
        return None

    def default_branch_from_titles(self, *, fallback: str | None = None) -> None:
        """Rows of a sheet with no chi hội column belong to the chi hội its title names
        (one on file, or "CHI HỘI ..."), else to ``fallback`` (the sheet's name)."""
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
                self.notes.append(self._where() + f"chi hội lấy theo tiêu đề: {best[0][2]}.")
                return
        named = branch_in_titles(self.layout.title_lines) or fallback
        if named:
            self.defaults["branch"] = named
            source = "tiêu đề" if named != fallback else "tên trang tính"
            self.notes.append(self._where() + f"chi hội lấy theo {source}: {branch_name(named)}.")

    def _where(self) -> str:
        return f"Trang «{self.sheet}»: " if self.sheet else "Trang này: "

    def plan_row(self, row: int, values: Sequence[Any]) -> PlannedRow:
        raise NotImplementedError

    def plan_rows(self, batch: Sequence[tuple[int, Sequence[Any], str | None]]) -> list[PlannedRow]:
        """Plan ``(row number, cells, chi hội of the section heading above)`` in order: the
        same as ``plan_row`` on each (a kind may plan them column by column)."""
        kept = self.section_branch
        planned = []
        for number, values, section in batch:
            self.section_branch = section
            planned.append(self.plan_row(number, values))
        self.section_branch = kept
        return planned

    def prepare(self, rows: Sequence[tuple[int, Sequence[Any]]]) -> None:
        """Called once with every data row before ``plan_row``: load what the rows need."""


def _cached_to_date(memo: ValueMemo, *, field_name: str):
    return memo.cached(partial(to_date, field_name=field_name))


class Writer:
    """Writes the accepted rows of a plan; called inside the import's one operation."""

    def __init__(self, store: Store, plan: ImportPlan):
        self.store = store
        self.plan = plan
        self.created: dict[str, int] = {}  # MissingRef key -> id of the record created

    def branch_of(self, row: PlannedRow, current: Any) -> Any:
        """The id of the chi hội this import created for ``row``, else ``current``."""
        key = row.refs.get("branch")
        return self.created.get(key, current) if key else current

    def place(self, row: PlannedRow, values: dict[str, Any], *, address_key: str) -> None:
        """Put the thôn this import created for ``row`` into ``values["unit_id"]``; a thôn
        not created is written into the address instead, as typed."""
        key = row.refs.get("unit")
        if not key:
            return
        if key in self.created:
            values["unit_id"] = self.created[key]
            return
        text = row.refs.get("unit_text") or ""
        current = clean_text(str(values.get(address_key) or ""))
        if fold(text) not in fold(current):
            values[address_key] = f"{current}, {text}" if current else text

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
