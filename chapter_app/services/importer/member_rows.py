"""Planned member rows as rows of the people, members and member_status tables.

The quick way for :class:`~chapter_app.services.importer.members.MemberWriter` to write
many new members: each row's values as a tuple in the order of the table's columns, for
``BulkWriter.add_rows``, instead of a mapping per row and per table. They store what
``MemberWriter.add`` stores (``records.person_columns``, the member with its status and
its first status event, a second event for a status given in the sheet); a test holds
both ways, and the member form, to the same stored rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import islice
from typing import Any

from chapter_app.domain import models as m
from chapter_app.domain.person_names import NAME_COLUMNS, NameParts
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
# What a row's values are read as: name parts, details, then the member's own
_KEYS = (*m.NAME_PARTS, *_DETAILS, "admitted_on", "decision_no", "card_no")
_NAMES = len(m.NAME_PARTS)
_BIRTH = _NAMES + len(_DETAILS) - 2
_MEMBER = _BIRTH + 2
CHUNK = 2000  # payloads turned into rows at a time: memory stays bounded


def person_row(v: Sequence[Any]) -> tuple[Any, ...]:
    """The people row of a member's values (read with ``_KEYS``)."""
    birth = v[_BIRTH]
    if isinstance(birth, str):
        birth = date.fromisoformat(birth)
    return (
        *NameParts.of(v[0], v[1], v[2]),
        *v[_NAMES:_BIRTH],
        birth,
        1 if v[_BIRTH + 1] else 0,
    )


class MemberRows:
    """A chunk of payloads as table rows; ``people()`` first, then ``members(ids)`` with
    the ids the people got, then ``statuses(ids)`` with the members' ids."""

    __slots__ = ("payloads", "values")

    def __init__(self, payloads: Sequence[PersonPayload]):
        self.payloads = payloads
        self.values = [p.packed(_KEYS) for p in payloads]

    def people(self) -> list[tuple[Any, ...]]:
        return [person_row(v) for v in self.values]

    def members(self, person_ids: Sequence[int]) -> list[tuple[Any, ...]]:
        rows = []
        for person_id, p, v in zip(person_ids, self.payloads, self.values, strict=True):
            admitted, decision, card = v[_MEMBER:]
            status, on = (p.status, p.status_on) if p.status else ("admitted", admitted)
            rows.append((person_id, p.branch_id, admitted, decision, card, status, on))
        return rows

    def statuses(self, member_ids: Sequence[int]) -> list[tuple[Any, ...]]:
        """Each member's admission, then the status the sheet gave (if any), in row order."""
        rows = []
        for member_id, p, v in zip(member_ids, self.payloads, self.values, strict=True):
            rows.append((member_id, "admitted", v[_MEMBER], v[_MEMBER + 1]))
            if p.status:
                rows.append((member_id, p.status, p.status_on, None))
        return rows


def chunks(payloads: Sequence[PersonPayload], size: int = CHUNK):
    """``payloads`` as :class:`MemberRows` of at most ``size``."""
    it = iter(payloads)
    while batch := list(islice(it, size)):
        yield MemberRows(batch)
