"""Planned member and volunteer rows as rows of the people table and the role's tables.

The quick way for a :class:`~chapter_app.services.importer.people.PersonWriter` to write
many new people: each row's values as a tuple in the order of the table's columns, for
``BulkWriter.add_rows``, instead of a mapping per row and per table. They store what the
writer's ``add`` stores (``records.person_columns``; a member with its status, its first
status event and a second one for a status given in the sheet; a volunteer); tests hold
both ways, and the member form, to the same stored rows.

The rows are already in stored form (``add_rows(..., stored=True)``): the name columns
made once per name from what the plan made (``planned_names``), dates as ISO text,
flags as 0/1; the other values as the validators cleaned them: numbers, None, and text
made NFC (``check_text`` and the checks of names, phone, ID number and sex normalise
it; legacy text is converted to NFC before that). Tests hold each row to
``stored_values(row)``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any
from unicodedata import is_normalized, normalize

from chapter_app.domain import models as m
from chapter_app.domain.person_names import NAME_COLUMNS, NameParts
from chapter_app.domain.text import person_sort_key
from chapter_app.store.bulk import stored_values

if TYPE_CHECKING:
    from chapter_app.services.importer.people import PersonPayload

# The person's columns besides the names, as records.person_columns gives them; the last
# two need a conversion (birth_date given as text, agent_orange as a flag).
_DETAILS = (
    *(f for f in m.PERSON_DETAIL_FIELDS if f not in ("birth_date", "agent_orange")),
    "unit_id",
    "birth_date",
    "agent_orange",
)
PEOPLE_COLUMNS = (*NAME_COLUMNS, *_DETAILS)
_NAME_KEYS = (*m.NAME_PARTS, "full_name")
_NAMES = len(_NAME_KEYS)
_BIRTH = _NAMES + len(_DETAILS) - 2
_ROLE = _BIRTH + 2  # where a role's own values start
CHUNK = 2000  # payloads turned into rows at a time: memory stays bounded
NAMES_KEPT = 1 << 14  # names whose columns are kept for the next rows (then forgotten)


def stored_names(family: str | None, middle: str | None, given: str | None) -> tuple[Any, ...]:
    """The name columns of a person with these cleaned parts, as stored
    (``NameParts.of``, then ``stored_values``); ``ValueError`` without a given name."""
    return tuple(stored_values(NameParts.of(family, middle, given)))


def planned_names(
    family: str, middle: str, given: str, full: str, search_fold: str
) -> tuple[Any, ...]:
    """``stored_names(family, middle, given)``, from a validator's cleaned name (``full``
    and its parts) and ``search_fold = fold(full)`` that the plan has made already.

    When ``full`` is clean single-line NFC text (as ``clean_text`` leaves it) and the
    parts are its words joined, so are the parts (words of NFC text split at spaces are
    NFC): ``NameParts.of`` would give them back as they are, ``full`` as their join and
    ``fold(full)`` as the fold; only the sort key is left to make. Otherwise (a part
    made not NFC by title case, say) ``stored_names`` itself.
    """
    if (
        given
        and full.isprintable()
        and is_normalized("NFC", full)
        and " ".join(filter(None, (family, middle, given))) == full
        and " ".join(full.split()) == full
    ):
        key = normalize("NFC", person_sort_key(family, middle, given))
        return (family, middle, given, full, key, search_fold)
    return stored_names(family, middle, given)


@lru_cache(maxsize=4096)
def _iso(day: date) -> str:
    return day.isoformat()


def _day(value: date | None) -> str | None:
    """A cleaned date as stored: ISO text (rows of an import share few dates)."""
    return None if value is None else _iso(value)


def person_row(v: Sequence[Any], names: tuple[Any, ...] | None = None) -> tuple[Any, ...]:
    """The people row, in stored form, of a row's values (read with ``PersonRows.keys``);
    ``names``: its ``stored_names`` when made already, else made here."""
    birth = v[_BIRTH]  # ISO text from the validator
    if isinstance(birth, date):
        birth = _iso(birth)
    return (
        *(names or stored_names(v[0], v[1], v[2])),
        *v[_NAMES:_BIRTH],
        birth,
        1 if v[_BIRTH + 1] else 0,
    )


class PersonRows:
    """A chunk of payloads as table rows: ``people()`` first, then the role's rows with
    the ids the people got."""

    role_keys: tuple[str, ...] = ()  # the role's cleaned values, read after the person's
    keys: tuple[str, ...] = (*_NAME_KEYS, *_DETAILS)
    __slots__ = ("names", "payloads", "values")

    def __init_subclass__(cls) -> None:
        cls.keys = (*_NAME_KEYS, *_DETAILS, *cls.role_keys)

    def __init__(self, payloads: Sequence[PersonPayload], names: dict | None = None):
        """``names``: the name columns made so far, by (family, middle, given)."""
        self.payloads = payloads
        self.values = [p.packed(self.keys) for p in payloads]
        self.names = {} if names is None else names

    def people(self) -> list[tuple[Any, ...]]:
        """The people rows; each name's columns made once (``planned_names``, from the
        fold the plan made) for a payload with its ``name_fold``, else by ``person_row``."""
        rows = []
        made = self.names
        for p, v in zip(self.payloads, self.values, strict=True):
            names = None
            if p.name_fold is not None:
                key = (v[0], v[1], v[2])
                names = made.get(key)
                if names is None:
                    names = made[key] = planned_names(*key, v[3], p.name_fold)
            rows.append(person_row(v, names))
        return rows

    @classmethod
    def chunks(cls, payloads: Sequence[PersonPayload], size: int | None = None) -> Iterator:
        """``payloads`` as rows of at most ``size`` (default ``CHUNK``) payloads each."""
        it = iter(payloads)
        names: dict = {}
        while batch := list(islice(it, size or CHUNK)):
            if len(names) > NAMES_KEPT:
                names.clear()
            yield cls(batch, names)


MEMBER_COLUMNS = (
    "person_id",
    "branch_id",
    "admitted_on",
    "decision_no",
    "card_no",
    "status",
    "status_on",
)
STATUS_COLUMNS = ("member_id", "status", "on_date", "decision_no")


class MemberRows(PersonRows):
    role_keys = ("admitted_on", "decision_no", "card_no")
    __slots__ = ()

    def members(self, person_ids: Sequence[int]) -> list[tuple[Any, ...]]:
        rows = []
        for person_id, p, v in zip(person_ids, self.payloads, self.values, strict=True):
            admitted, decision, card = v[_ROLE:]
            admitted = _day(admitted)
            status, on = (p.status, _day(p.status_on)) if p.status else ("admitted", admitted)
            rows.append((person_id, p.branch_id, admitted, decision, card, status, on))
        return rows

    def statuses(self, member_ids: Sequence[int]) -> list[tuple[Any, ...]]:
        """Each member's admission, then the status the sheet gave (if any), in row order."""
        rows = []
        for member_id, p, v in zip(member_ids, self.payloads, self.values, strict=True):
            rows.append((member_id, "admitted", _day(v[_ROLE]), v[_ROLE + 1]))
            if p.status:
                rows.append((member_id, p.status, _day(p.status_on), None))
        return rows


VOLUNTEER_KEYS = ("registered_on", "left_on", "is_core", "skills", "team", "hours")
VOLUNTEER_COLUMNS = (*VOLUNTEER_KEYS, "person_id", "branch_id")


class VolunteerRows(PersonRows):
    role_keys = VOLUNTEER_KEYS
    __slots__ = ()

    def volunteers(self, person_ids: Sequence[int]) -> list[tuple[Any, ...]]:
        rows = []
        for person_id, p, v in zip(person_ids, self.payloads, self.values, strict=True):
            registered, left, core, skills, team, hours = v[_ROLE:]
            core = int(core) if core.__class__ is bool else core
            rows.append(
                (_day(registered), _day(left), core, skills, team, hours, person_id, p.branch_id)
            )
        return rows
