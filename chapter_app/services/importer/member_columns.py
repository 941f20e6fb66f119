"""Member rows planned column by column: the plan ``PersonPlanner.plan_row`` gives, faster.

A sheet repeats its values (chi hội, thôn, years, dates) and most of a row's checks look
at one value: each column is cleaned and checked in one pass, each distinct value once
(the import's :class:`ValueMemo`, the very checks ``validate_member`` remembers). Each row
then only puts its checked values together, in the order ``validate_member`` does, and
does what depends on several of them (the ID number against sex and birth year, the age
at admission, the status, duplicates), in sheet order. A row this path does not cover (no
full name, both Nam and Nữ filled in) is planned by ``plan_row`` in its turn: same plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from itertools import zip_longest
from operator import attrgetter
from typing import Any

from chapter_app.domain.cells import QUOTE, restore_cell
from chapter_app.domain.text import clean_text, fold
from chapter_app.domain.validation import (
    DEFAULT_MEMBER_MIN_AGE,
    MSG_BRANCH_REQUIRED,
    N_,
    Issue,
    check_age,
    date_not_future,
    id_number_agreement,
    is_blank,
    person_checks,
)
from chapter_app.services.importer import fields as F
from chapter_app.services.importer.cells import blank, is_tick, to_birth, to_date, to_id, to_text
from chapter_app.services.importer.outcomes import Outcome, PlannedRow
from chapter_app.services.importer.people import (
    _NOTHING_GIVEN,
    PERSON_TEXT_KEYS,
    PersonPayload,
    _person_warnings,
)
from chapter_app.services.importer.planner import MSG_BRANCH_NOT_ON_FILE, MSG_UNKNOWN_UNIT

_NOTHING: tuple[None, tuple[Issue, ...]] = (None, ())
_is_error = attrgetter("is_error")
_MEMBER_ROLE = N_("Hội viên")
_NO_NAME_KEYS = ("full_name", "family_name", "middle_name", "given_name")  # the name's keys


def _gathered(value: Any) -> Any:
    """A cell as ``Planner.gather`` hands it on (quote undone, blank text -> None)."""
    if value[:1] == QUOTE:
        value = restore_cell(value)
    return value if value.strip() else None


def _needs_gathering(value: Any) -> bool:
    """Text that ``_gathered`` changes: starting with a quote or a space, or empty."""
    return value.__class__ is str and (value[:1] == QUOTE or not value[:1].strip())


def _gathered_column(cells: Sequence[Any]) -> list[Any]:
    """``_gathered`` of each text cell (a new list), each distinct text looked at once."""
    try:
        odd = {
            v: _gathered(v)
            for v in set(cells)
            if v.__class__ is str and (v[:1] == QUOTE or not v[:1].strip())  # _needs_gathering
        }
    except TypeError:  # a cell that cannot be hashed
        return [_gathered(v) if _needs_gathering(v) else v for v in cells]
    if not odd:
        return list(cells)
    return [odd.get(v, v) if v.__class__ is str else v for v in cells]


def _as_input(value: Any) -> Any:
    """A text field's cell as ``person_input`` gives it to the validator."""
    return value if value is None or value.__class__ is str else to_text(value)


def _inputs(values: list[Any]) -> list[Any]:
    """``_as_input`` of each value (``to_text`` of the dates; text and None as they are)."""
    if all(v is None or v.__class__ is str for v in values):
        return values
    return [_as_input(v) for v in values]


def _date_checked(check, value: Any) -> tuple[tuple[Any, tuple[Issue, ...]], Any]:
    """``to_date`` of a joining date's cell, and ``check`` of what it gives: each as
    ``(value, issues)``, the issues as tuples (remembered results are shared)."""
    read, found = to_date(value, "admitted_on")
    checked, issues = check(read)
    return (read, tuple(found) if found else ()), (checked, tuple(issues) if issues else ())


def _checked(check, values: list[Any]) -> list[Any]:
    """``check`` of each value, column by column; an empty value (None) is not checked,
    as ``validate_person`` does not check it: ``(None, ())``."""
    present = [v for v in values if v is not None]
    if not present:
        return [_NOTHING] * len(values)
    if len(present) == len(values):
        return check.column(values)
    found = iter(check.column(present))
    return [_NOTHING if v is None else next(found) for v in values]


class MemberColumns:
    """Plans batches of member rows for one :class:`~.members.MemberPlanner`."""

    def __init__(self, planner):
        self.p = planner
        memo = planner.memo
        self.memo = memo
        self.checks = person_checks(planner.today, memo)
        checks = self.checks
        self.to_birth = memo.get("to_birth", lambda m: m.cached(to_birth))
        # the joining date's cell read (to_date), then checked: both at once, per cell
        self.admitted_in = planner.memo.get(
            ("to_date then check", "admitted_on"),
            lambda m: m.cached(partial(_date_checked, checks.role_dates["admitted_on"])),
        )
        self.texts = (("phone", checks.phone), *checks.texts)
        self.short = tuple(checks.short_texts.items())
        self.fold = memo.get("fold", lambda m: m.cached(fold))
        self.min_age = int(planner.settings.get("member_min_age", DEFAULT_MEMBER_MIN_AGE))
        self.branches: dict[Any, tuple[Any, Any]] = {}  # cell -> (resolved, cleaned) on file
        self.units: dict[Any, int] = {}  # cell -> thôn id on file
        # id_number_agreement by (digits 4-6, sex, birth year); check_age by age (birth years)
        self.agreements: dict[tuple[str, Any, Any], tuple[Issue, ...]] = {}
        self.ages: dict[int, tuple[Issue, ...]] = {}

    def check_age(self, birth, admitted) -> list[Issue]:
        return check_age(birth, on=admitted, minimum=self.min_age, role_label=_MEMBER_ROLE)

    def column(self, key: str, table: list[tuple[Any, ...]], sections: list[Any]) -> list[Any]:
        """The cells of field ``key`` as ``gather`` gives them (section chi hội, defaults);
        ``table``: the batch's columns, ``sections``: the chi hội heading each row."""
        p = self.p
        index = p.columns.get(key)
        if index is None or index >= len(table):
            values: list[Any] = [None] * len(sections)
        else:
            # text starting with a quote or a space is gathered; other cells are as read
            values = _gathered_column(table[index])
        if key == "branch" and any(sections):
            values = [
                section if v is None and section else v
                for v, section in zip(values, sections, strict=True)
            ]
        if key in p.defaults:
            default = p.defaults[key]
            values = [default if v is None else v for v in values]
        return values

    def present(self, key: str) -> bool:
        return key in self.p.columns or key in self.p.defaults

    def plan(self, batch: Sequence[tuple[int, Sequence[Any], str | None]]) -> list[PlannedRow]:
        p = self.p
        checks = self.checks
        table = list(zip_longest(*(cells for _, cells, _ in batch)))  # the batch's columns
        col = partial(self.column, table=table, sections=[section for _, _, section in batch])
        full_names = col("full_name")
        sexes, births = col("sex"), col("birth")
        males, females = col(F.MALE), col(F.FEMALE)
        # Sex and birth from a "Nam" / "Nữ" column (its year, or a tick)
        sex_from = [None] * len(batch)
        birth_from = [None] * len(batch)
        fallback = [is_blank(v) for v in full_names]
        if self.present(F.MALE) or self.present(F.FEMALE):
            for i, (male, female) in enumerate(zip(males, females, strict=True)):
                if male is None and female is None:
                    continue
                if male is not None and female is not None:
                    fallback[i] = True
                    continue
                which, value = (F.MALE, male) if male is not None else (F.FEMALE, female)
                if sexes[i] is None:
                    sexes[i], sex_from[i] = ("Nam" if which == F.MALE else "Nữ"), which
                if births[i] is None and not is_tick(value):
                    births[i], birth_from[i] = value, which
        name_checked = checks.full_name.column(full_names)
        sex_checked = _checked(checks.sex, sexes)
        birth_inputs = self.to_birth.column(births)
        birth_checked = _checked(checks.birth, birth_inputs)
        # to_id costs less than remembering it
        id_inputs = [to_id(v, "id_number") for v in col("id_number")]
        id_checked = checks.id_number.column(v for v, _ in id_inputs)
        units = col("unit")
        given_texts = {key: _inputs(col(key)) for key in PERSON_TEXT_KEYS if self.present(key)}
        texts = [
            (key, _checked(check, given_texts[key]) if key in given_texts else None)
            for key, check in self.texts
        ]
        agent_orange = given_texts.get("agent_orange")
        admitted_in = self.admitted_in.column(col("admitted_on"))  # (read, checked) of each
        given_short = {key: _inputs(col(key)) for key, _ in self.short}  # to_text of each
        short = [(key, _checked(check, given_short[key])) for key, check in self.short]
        branches = col("branch")
        statuses, status_dates = col("status"), col("status_on")
        folds = self.fold.column(name["full_name"] for name, _ in name_checked)

        planned: list[PlannedRow] = []
        append = planned.append
        today, sheet = p.today, p.sheet
        people = p.people
        agreements, ages = self.agreements, self.ages
        given_checked = [(key, checked) for key, checked in texts if checked is not None]
        empty_row: dict[str, Any] = dict.fromkeys(
            [
                *_NO_NAME_KEYS,
                *("sex", "birth", "birth_date", "birth_year", "id_number"),
                *(key for key, _ in texts),
                *("agent_orange", "branch", "admitted_on"),
                *(key for key, _ in short),
            ]
        )
        empty_row["agent_orange"] = False
        empty_row_with_unit = {"unit_id": None, **empty_row}
        # every key the loop sets is in these already: a row's keys are one of the two
        keys, keys_with_unit = tuple(empty_row), tuple(empty_row_with_unit)
        # a row's values in ``keys_with_unit`` order (its unit_id first), not a mapping
        at = {key: n for n, key in enumerate(keys_with_unit)}
        empty_values = list(empty_row_with_unit.values())
        at_full, at_year, at_id = at["full_name"], at["birth_year"], at["id_number"]
        at_sex, at_birth, at_date = at["sex"], at["birth"], at["birth_date"]
        at_orange, at_branch, at_admitted = at["agent_orange"], at["branch"], at["admitted_on"]
        given_checked = [(at[key], checked) for key, checked in given_checked]
        short_at = [(at[key], checked) for key, checked in short]
        where_from: dict[tuple[Any, Any], dict[str, Any]] = {}  # the cells issues are on
        for i, (number, cells, section) in enumerate(batch):
            if fallback[i]:
                p.section_branch = section
                append(p.plan_row(number, cells))
                continue
            issues: list[Issue] = []
            pending: list[tuple[str, Issue]] | None = None  # made when a row needs them
            refs: dict[str, str] | None = None
            id_value, found = id_inputs[i]
            if found:
                issues += found
            # the thôn (resolve_unit)
            unit_id = row_unit = None
            value = units[i]
            if not blank(value):
                unit_id = self.units.get(value) if value.__class__ is str else None
                if unit_id is None:
                    row_unit = p.structure.unit(value)
                    if isinstance(row_unit, int):
                        unit_id = row_unit
                        if value.__class__ is str:
                            self.units[value] = row_unit
                    elif isinstance(row_unit, Issue):  # a name fitting several thôn
                        issues.append(row_unit)
                        row_unit = None
                    else:
                        text = clean_text(str(value))
                        refs = {"unit": row_unit, "unit_text": text, "address_key": "address"}
                        issue = Issue.warning("unit", MSG_UNKNOWN_UNIT, name=text)
                        pending = [(row_unit, issue)]
                else:
                    row_unit = unit_id
            (admitted, found), admitted_checked = admitted_in[i]
            if found:
                issues += found
            # the chi hội (resolve_branch)
            value = branches[i]
            known = self.branches.get(value) if value.__class__ is str else None
            if known is not None:
                branch, branch_cleaned = known
            elif blank(value):
                branch = None
                branch_cleaned = checks.branch(None)
            elif isinstance(value, int) and not isinstance(value, bool):
                branch = value
                branch_cleaned = checks.branch(value)
            else:
                found_branch = p.structure.branch(value)
                if isinstance(found_branch, int):
                    branch = found_branch
                    branch_cleaned = checks.branch(branch)
                    if value.__class__ is str:
                        self.branches[value] = (branch, branch_cleaned)
                elif isinstance(found_branch, Issue):  # a name fitting several chi hội
                    branch = clean_text(str(value))
                    branch_cleaned = checks.branch(branch)
                    issues.append(found_branch)
                else:
                    branch = p.structure.missing[found_branch].name
                    branch_cleaned = checks.branch(branch)
                    if refs is None:
                        refs, pending = {}, []
                    refs["branch"] = found_branch
                    pending.append(  # type: ignore[union-attr]
                        (found_branch, Issue.error("branch", MSG_BRANCH_NOT_ON_FILE, name=branch))
                    )
            # validate_person
            # every key in validate_member's order, each None until set (agent_orange False)
            cleaned = empty_values.copy()
            cleaned[0] = unit_id
            name, found = name_checked[i]
            for key, value in name.items():
                cleaned[at[key]] = value
            if found:
                issues += found
            sex, found = sex_checked[i]
            cleaned[at_sex] = sex
            if found:
                issues += found
            birth, found = birth_checked[i]
            if found:
                issues += found
            cleaned[at_birth] = birth
            if birth is not None:
                cleaned[at_date] = birth.iso() if birth.month is not None else None
                birth_year = cleaned[at_year] = birth.year
            else:
                cleaned[at_date] = birth_year = cleaned[at_year] = None
            number_id, found = id_checked[i]
            cleaned[at_id] = number_id
            if found:
                issues += found
            if number_id is not None and len(number_id) == 12:
                # the agreement depends on the number's digits 4 to 6 only (sex, century, year)
                key = (number_id[3:6], sex, birth_year)
                found = agreements.get(key)
                if found is None:
                    found = agreements[key] = tuple(
                        id_number_agreement(number_id, sex=sex, birth_year=birth_year)
                    )
                if found:
                    issues += found
            for n, checked in given_checked:
                cleaned[n], found = checked[i]
                if found:
                    issues += found
            if agent_orange is not None and agent_orange[i] is not None:
                cleaned[at_orange], found = checks.agent_orange(agent_orange[i])
                issues += found
            # validate_member
            if branch_cleaned is None:
                issues.append(Issue.error("branch", MSG_BRANCH_REQUIRED))
            cleaned[at_branch] = branch_cleaned
            admitted, found = admitted_checked
            if found:
                issues += found
            if admitted is not None and admitted > today:
                admitted = date_not_future(
                    admitted, field="admitted_on", today=today, issues=issues
                )
            cleaned[at_admitted] = admitted
            for n, checked in short_at:
                cleaned[n], found = checked[i]
                if found:
                    issues += found
            if admitted is not None and birth is not None:
                if birth.month is None and admitted.year >= birth.year:
                    # a birth year alone: check_age's warnings depend on the age only
                    age = admitted.year - birth.year
                    found = ages.get(age)
                    if found is None:
                        found = ages[age] = tuple(self.check_age(birth, admitted))
                else:
                    found = self.check_age(birth, admitted)
                if found:
                    issues += found
                    # admitted before the birth (check_age's first warning): an error too
                    issues += p.start_after_birth(dict(zip(keys_with_unit, cleaned, strict=True)))
            status = status_on = None
            if statuses[i] is not None or status_dates[i] is not None:
                status, status_on, found = p.status_checks(
                    {"status": statuses[i], "status_on": status_dates[i]}, admitted
                )
                issues += found
            label = cleaned[at_full] or clean_text(str(full_names[i] or ""))
            duplicate = name_fold = None
            if not issues or not any(map(_is_error, issues)):
                name_fold = folds[i]
                # what admit and _person_warnings read of the row
                said = {
                    "full_name": cleaned[at_full],
                    "birth_year": cleaned[at_year],
                    "id_number": cleaned[at_id],
                }
                matches = people.admit(said, number, folds[i], name)
                if matches:
                    issues += _person_warnings(said, matches)
                    duplicate = p.describe(matches)
            if duplicate is not None and duplicate.record_id is not None:  # may be updated
                raw: dict[str, Any] = {
                    "full_name": full_names[i],
                    "sex": sexes[i],
                    "birth": birth_inputs[i],
                    "id_number": id_value,
                }
                if unit_id is not None:
                    raw["unit_id"] = unit_id
                for key, values in given_texts.items():
                    raw[key] = values[i]
                raw["admitted_on"] = admitted_in[i][0][0]
                for key, values in given_short.items():
                    raw[key] = values[i]
                raw["branch"] = branch
                given = {k: v for k, v in raw.items() if not blank(v)}
            else:
                given = _NOTHING_GIVEN
            branch_id = branch if isinstance(branch, int) else None
            if unit_id is None:
                del cleaned[0]
                row_keys = keys
            else:
                row_keys = keys_with_unit
            payload = PersonPayload.of_values(
                row_keys, cleaned, given, branch_id, status, status_on, name_fold=name_fold
            )
            if not issues and not pending:
                outcome = Outcome.OK if duplicate is None else Outcome.DUPLICATE
                append(PlannedRow(number, outcome, label, (), duplicate, payload, sheet))
                continue
            p._pending, p._row_refs, p._row_unit = pending or [], refs or {}, row_unit
            sources = where_from.get((sex_from[i], birth_from[i]))
            if sources is None:
                sources = where_from[(sex_from[i], birth_from[i])] = dict(p.name_sources)
                sources["sex"] = sex_from[i] or "sex"
                sources["birth"] = birth_from[i] or "birth"
            append(p.finish(number, label, issues, sources, duplicate=duplicate, payload=payload))
        return planned
