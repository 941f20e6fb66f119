"""What member and volunteer sheets share: the person part of a row (names, sex from a
"Nam"/"Nữ" column, birth, ID number, thôn), duplicates of people on file or earlier in
the sheet, and writing or updating the person with the role."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress, count, repeat
from operator import is_not, itemgetter
from types import MappingProxyType
from typing import Any

from chapter_app.domain import models as m
from chapter_app.domain.privacy import mask_id
from chapter_app.domain.text import clean_text, fold, person_sort_key
from chapter_app.domain.validation import N_, Issue, ValidationFailed, parse_date
from chapter_app.services import records as rec
from chapter_app.services.importer import fields as F
from chapter_app.services.importer.cells import blank, is_tick, to_birth, to_date, to_id, to_text
from chapter_app.services.importer.outcomes import Duplicate, PlannedRow, refuse_row
from chapter_app.services.importer.person_rows import PEOPLE_COLUMNS, PersonRows
from chapter_app.services.importer.planner import Planner, Writer
from chapter_app.store.exchange import PersonKey

MSG_BOTH_SEXES = N_("Cả cột Nam và cột Nữ đều có giá trị; chỉ được ghi ở một cột.")
MSG_UNKNOWN_STATUS = N_("Không hiểu tình trạng “{text}”.")
MSG_STATUS_DATE_REQUIRED = N_("Tình trạng “{status}” cần có ngày đổi tình trạng.")
MSG_STATUS_DATE_ORDER = N_("Ngày đổi tình trạng ({date}) sớm hơn ngày bắt đầu ({start}).")
MSG_START_BEFORE_BIRTH = N_("Ngày {date} sớm hơn ngày sinh ({birth}).")
MSG_STATUS_DATE_FUTURE = N_("Ngày đổi tình trạng ({date}) ở tương lai.")


@dataclass(slots=True)
class _PersonEntry:
    """A person for duplicate detection: on file (``person_id``) or an earlier sheet row."""

    full_name: str
    birth_year: int | None
    id_number: str | None
    sort_key: str | None  # None: computed from ``parts`` when needed
    person_id: int | None = None
    row: int | None = None
    # (family, middle, given), or a cleaned name mapping holding them (shared by rows)
    parts: tuple[str, str, str] | Mapping[str, Any] = ("", "", "")

    def key(self) -> str:
        if self.sort_key is None:
            parts = self.parts
            if parts.__class__ is not tuple:
                parts = tuple(parts.get(k) or "" for k in m.NAME_PARTS)
            self.sort_key = person_sort_key(*parts)
        return self.sort_key


def _put(table: dict[Any, Any], key: Any, entry: _PersonEntry) -> None:
    """Files ``entry`` under ``key``: alone, or in a list once a second one comes."""
    found = table.get(key)
    if found is None:
        table[key] = entry
    elif found.__class__ is list:
        found.append(entry)
    else:
        table[key] = [found, entry]


def _entries(found: Any) -> Sequence[_PersonEntry]:
    return () if found is None else found if found.__class__ is list else (found,)


class _PeopleIndex:
    """People on file and rows planned so far, by ID number and by (folded name, year);
    each key holds one entry, or a list of them (few keys have several)."""

    def __init__(self, people: Iterable[PersonKey]):
        self.by_id: dict[str, Any] = {}
        self.by_name: dict[tuple[str, int], Any] = {}
        for p in people:
            self._add(
                _PersonEntry(p.full_name, p.birth_year, p.id_number, p.sort_key, person_id=p.id),
                p.search_fold,
            )

    def _add(self, entry: _PersonEntry, search_fold: str) -> None:
        if entry.id_number:
            _put(self.by_id, entry.id_number, entry)
        if entry.birth_year:
            _put(self.by_name, (search_fold, entry.birth_year), entry)

    def add_row(self, cleaned: Mapping[str, Any], row: int, search_fold: str) -> None:
        get = cleaned.get
        parts = (get("family_name") or "", get("middle_name") or "", get("given_name") or "")
        full = cleaned.get("full_name") or ""
        entry = _PersonEntry(
            full, cleaned.get("birth_year"), cleaned.get("id_number"), None, row=row, parts=parts
        )
        self._add(entry, search_fold)

    def admit(
        self, cleaned: Mapping[str, Any], row: int, search_fold: str, name: Mapping[str, Any]
    ) -> list[_PersonEntry]:
        """``matches(cleaned, search_fold)``, then ``add_row(cleaned, row, search_fold)``;
        ``name``: the row's cleaned name parts (kept, shared, for sorting)."""
        id_number, year = cleaned["id_number"], cleaned["birth_year"]
        by_id, by_name = self.by_id, self.by_name
        key = (search_fold, year)
        known_id = bool(id_number) and id_number in by_id
        known_name = bool(year) and key in by_name
        found = (
            self.matches(cleaned, search_fold) if known_id or (search_fold and known_name) else []
        )
        entry = _PersonEntry(cleaned["full_name"] or "", year, id_number, None, None, row, name)
        # _put, inlined for the usual row: a number and a name not met before
        if known_id:
            _put(by_id, id_number, entry)
        elif id_number:
            by_id[id_number] = entry
        if known_name:
            _put(by_name, key, entry)
        elif year:
            by_name[key] = entry
        return found

    def matches(self, cleaned: Mapping[str, Any], search_fold: str) -> list[_PersonEntry]:
        """As ``PeopleRepository.find_duplicates``: same ID number, or same name and year."""
        found: dict[int, _PersonEntry] = {}
        id_number = cleaned.get("id_number")
        if id_number:
            for e in _entries(self.by_id.get(id_number)):
                found[id(e)] = e
        year = cleaned.get("birth_year")
        if search_fold and year:
            for e in _entries(self.by_name.get((search_fold, year))):
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


# --- members and volunteers -------------------------------------------------------------------


_NOTHING_GIVEN: Mapping[str, Any] = MappingProxyType({})
# The person's fields given to the validator as the sheet has them (dates as text)
PERSON_TEXT_KEYS = (
    "phone",
    "address",
    "old_address",
    "notes",
    "ethnicity",
    "religion",
    "health_notes",
    "disability",
    "agent_orange",
)
_LAYOUTS: dict[tuple, tuple] = {}  # (keys, which are not None): each kept once
_PICKERS: dict[tuple, itemgetter] = {}  # (layout, keys): what PersonPayload.packed takes
_NONES = repeat(None)


class PersonPayload:
    """What a member or volunteer row writes: ``cleaned`` (the validator's output, a new
    dict at each access: keep it in a local), ``given`` (the validator input the sheet gave,
    non-empty values only; kept only for a row that duplicates a person on file, the one
    case that updates), the chi hội, a status and ``name_fold``: ``fold`` of the cleaned
    full name, as the plan made it for finding duplicates (the commit's search column),
    or None. Compact: 100,000 rows are planned at once.
    """

    __slots__ = ("_layout", "_values", "branch_id", "given", "name_fold", "status", "status_on")

    def __init__(
        self,
        cleaned: Mapping[str, Any],
        given: Mapping[str, Any],
        branch_id: int | None,
        status: str | None = None,
        status_on: date | None = None,
        *,
        keys: tuple[str, ...] | None = None,
        name_fold: str | None = None,
    ):
        """``keys``: ``tuple(cleaned)``, when the caller has it made (rows alike share it)."""
        # The keys, and which values are not None, shared by rows alike; the values kept
        # without their Nones (most of a row's fields are empty).
        assert keys is None or len(keys) == len(cleaned)
        self._keep(tuple(cleaned) if keys is None else keys, cleaned.values())
        self.given = given
        self.branch_id = branch_id
        self.status = status
        self.status_on = status_on
        self.name_fold = name_fold

    @classmethod
    def of_values(
        cls,
        keys: tuple[str, ...],
        values: Sequence[Any],
        given: Mapping[str, Any],
        branch_id: int | None,
        status: str | None = None,
        status_on: date | None = None,
        *,
        name_fold: str | None = None,
    ) -> PersonPayload:
        """As ``PersonPayload(dict(zip(keys, values)), ...)``, without the mapping."""
        payload = cls.__new__(cls)
        payload._keep(keys, values)
        payload.given = given
        payload.branch_id = branch_id
        payload.status = status
        payload.status_on = status_on
        payload.name_fold = name_fold
        return payload

    def _keep(self, keys: tuple[str, ...], values: Iterable[Any]) -> None:
        present = tuple(map(is_not, values, _NONES))
        layout = (keys, present)
        self._layout = _LAYOUTS.setdefault(layout, layout)
        self._values = tuple(compress(values, present))

    @property
    def cleaned(self) -> dict[str, Any]:
        keys, present = self._layout
        values = iter(self._values)
        return {
            key: next(values) if kept else None for key, kept in zip(keys, present, strict=True)
        }

    def packed(self, keys: tuple[str, ...]) -> tuple[Any, ...]:
        """The cleaned values of ``keys`` (two or more), in that order; None for a key the
        row does not have. Quicker than ``cleaned``: no mapping is made."""
        pick = _PICKERS.get((self._layout, keys))
        if pick is None:
            names, present = self._layout
            kept = [k for k, given in zip(names, present, strict=True) if given]
            where = dict(zip(kept, count()))
            missing = len(where)  # the None after the values
            pick = _PICKERS[(self._layout, keys)] = itemgetter(
                *(where.get(key, missing) for key in keys)
            )
        return pick((*self._values, None))

    def replaced(self, *, cleaned: Mapping[str, Any], branch_id: int | None) -> PersonPayload:
        """The payload with ``cleaned`` (the same name) and ``branch_id``."""
        return PersonPayload(
            cleaned, self.given, branch_id, self.status, self.status_on, name_fold=self.name_fold
        )


class PersonPlanner(Planner):
    role_table: str
    start_field: str

    def __init__(self, store, layout, *, today, defaults):
        self.people = _PeopleIndex(store.exchange.lookups.people())
        self.roles = store.exchange.lookups.role_ids(self.role_table)
        super().__init__(store, layout, today=today, defaults=defaults)

    def on_layout(self) -> None:
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
            if not is_tick(value) and birth is None:
                birth, sources["birth"] = value, which
        raw["sex"] = sex
        raw["birth"] = self.memo.get("to_birth", lambda memo: memo.cached(to_birth))(birth)
        raw["id_number"], found = to_id(g.get("id_number"), "id_number")
        issues += found
        unit_id, found = self.resolve_unit(g, "address")
        issues += found
        if unit_id is not None:
            raw["unit_id"] = unit_id
        for key in PERSON_TEXT_KEYS:
            if key in g:
                value = g[key]
                raw[key] = value if value is None or value.__class__ is str else to_text(value)
        return raw, sources, issues

    def status_checks(self, g, start: date | None) -> tuple[str | None, date | None, list[Issue]]:
        text, on = g.get("status"), g.get("status_on")
        if text is None and on is None:  # the usual row: no status given
            return None, None, []
        issues: list[Issue] = []
        on, found = to_date(on, "status_on")
        issues += found
        if not isinstance(on, date) and not blank(on):
            on, found = parse_date(on, field="status_on")
            issues += found
        if blank(text):
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

    def start_after_birth(self, cleaned: Mapping[str, Any]) -> list[Issue]:
        """An error on the joining date when it comes before the birth (date or year)."""
        start, birth = cleaned.get(self.start_field), cleaned.get("birth")
        if not isinstance(start, date) or birth is None:
            return []
        full = birth.as_date()
        if (full is not None and start < full) or (full is None and start.year < birth.year):
            return [
                Issue.error(
                    self.start_field,
                    MSG_START_BEFORE_BIRTH,
                    date=f"{start:%d/%m/%Y}",
                    birth=birth.display(),
                )
            ]
        return []

    def plan_row(self, row: int, values: Sequence[Any]) -> PlannedRow:
        g = self.gather(values)
        raw, sources, issues = self.person_input(g, row)
        raw.update(self.role_input(g, issues))
        branch, found = self.resolve_branch(g.get("branch"))
        raw["branch"] = branch
        cleaned, validation = self.validate(raw)
        issues += validation
        issues += self.start_after_birth(cleaned)
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
        duplicate = search_fold = None
        if not any(i.is_error for i in issues):
            search_fold = fold(cleaned.get("full_name"))
            matches = self.people.matches(cleaned, search_fold)
            issues += _person_warnings(cleaned, matches)
            duplicate = self.describe(matches)
            self.people.add_row(cleaned, row, search_fold)
        if duplicate is not None and duplicate.record_id is not None:  # may be updated
            given = {k: v for k, v in raw.items() if not blank(v)}
        else:
            given = _NOTHING_GIVEN
        payload = PersonPayload(cleaned, given, branch_id, status, status_on, name_fold=search_fold)
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


class PersonWriter(Writer):
    role: str  # "members" | "volunteers"
    rows: type[PersonRows]  # how a chunk of payloads becomes table rows
    bulk_rows = True  # False: each row with add (tests compare both ways)

    def write(self, todo: list[tuple[PlannedRow, str]]) -> tuple[int, int]:
        updated = 0
        # Updates first (save_* may insert rows), then the new rows in bulk.
        for row, choice in todo:
            if choice == "update":
                self.update(row)
                updated += 1
        writer = self.store.exchange.writer()
        new = [self.settled(row) for row, choice in todo if choice == "new"]
        self.add_all(writer, new)
        writer.flush()
        return len(new), updated

    def add_all(self, writer, payloads: Sequence[PersonPayload]) -> None:
        """Add every new row with ``writer`` (a BulkWriter), in order: as ``add`` for each
        payload, but (``bulk_rows``) each table's rows given as tuples, a chunk of
        payloads at a time (:mod:`.person_rows`)."""
        if not self.bulk_rows:
            for p in payloads:
                self.add(writer, p)
            return
        people = self.store.people
        for rows in self.rows.chunks(payloads):
            person_ids = writer.add_rows(people, PEOPLE_COLUMNS, rows.people(), stored=True)
            self.add_roles(writer, rows, person_ids)

    def add(self, writer, p: PersonPayload) -> None:
        """Add one new row's person and role with ``writer``."""
        raise NotImplementedError

    def add_roles(self, writer, rows: PersonRows, person_ids: Sequence[int]) -> None:
        """Add the role's rows of ``rows``, whose people got ``person_ids``."""
        raise NotImplementedError

    def settled(self, row: PlannedRow) -> PersonPayload:
        """The row's payload with the chi hội and thôn created by this import filled in."""
        p: PersonPayload = row.payload
        if not row.refs:
            return p
        cleaned = dict(p.cleaned)
        self.place(row, cleaned, address_key="address")
        return p.replaced(cleaned=cleaned, branch_id=self.branch_of(row, p.branch_id))

    def update(self, row: PlannedRow) -> None:
        p: PersonPayload = row.payload
        person = self.store.people.get(row.duplicate.record_id)
        given = dict(p.given)
        self.place(row, given, address_key="address")
        raw = _overlay(_person_raw(person), given)
        role_id = self.store.exchange.lookups.role_ids(self.role).get(person.id)
        try:
            self.save(raw, person.id, role_id)
        except ValidationFailed as exc:
            raise refuse_row(row, exc) from exc
