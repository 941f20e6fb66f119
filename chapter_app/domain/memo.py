"""Remembering what a pure check gave for a value, during one long run (an import).

A sheet of 10,000 members names the same few chi hội, thôn, years and dates over and
over; checking each again costs most of an import's planning. :class:`ValueMemo` wraps
checks that depend on their one argument only and keeps their results per value.

A value is remembered only when equal values are certainly the same input: plain
``str`` (up to :data:`MAX_TEXT` characters), ``None``, and ``int``, ``bool``, ``date``,
naive ``datetime`` and non-zero finite ``float`` keyed with their exact type (so ``1``,
``1.0`` and ``True`` stay apart, and ``-0.0`` is never confused with ``0.0``). Anything
else (subclasses, other types) is checked every time. Each check keeps at most
``limit`` values (more, up to ``HARD_LIMIT``, when they keep being met again), so memory
stays bounded however many distinct values a sheet holds.

Results are shared between calls: callers must not change them (issue lists are
stored as tuples). Standard library only.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import date, datetime
from typing import Any, Protocol

MAX_TEXT = 200  # longer text is rare and seldom repeated: not worth its memory
DEFAULT_LIMIT = 4096
HARD_LIMIT = 65536

_MISS = object()
_KEYED_TYPES = frozenset({int, bool, date})


def value_key(value: Any) -> Hashable | None:
    """The key ``value`` is remembered under, or ``_MISS`` when it is not remembered."""
    cls = value.__class__
    if cls is str:
        return value if len(value) <= MAX_TEXT else _MISS
    if value is None:
        return None
    if cls in _KEYED_TYPES:
        return (cls, value)
    if cls is float:
        # NaN never equals itself; -0.0 equals 0.0 but reads differently: not remembered.
        return (cls, value) if value and value == value and abs(value) != float("inf") else _MISS
    if cls is datetime and value.tzinfo is None:
        return (cls, value)
    return _MISS


# Types whose equal values are the same input (as ``value_key`` keys them): text, None,
# whole numbers (no bool or float among them: 1 == 1.0 == True), dates and naive times.
_PLAIN_TYPES = frozenset({str, type(None), int, date, datetime})


def _distinct_is_equal(values: list[Any]) -> bool:
    """Whether equal values of ``values`` are always the same input (see ``value_key``)."""
    types = set(map(type, values))
    if not types <= _PLAIN_TYPES:
        return False
    return datetime not in types or all(v.tzinfo is None for v in values if v.__class__ is datetime)


def cached_check(check: Callable[[Any], Any], *, limit: int = DEFAULT_LIMIT) -> CachedCheck:
    """``check(value)`` remembered per value (see the module's rules).

    The first ``limit`` distinct values are kept; past that, more only while the values
    kept are met again at least as often as new ones come (a column of dates, not one of
    phone numbers), up to ``HARD_LIMIT``. The function made has ``table``, what it keeps,
    and ``column(values)``, the results for a whole column of values in one pass.
    """
    table: dict[Hashable, Any] = {}
    hits = 0
    get = table.get

    def remembered(value: Any) -> Any:
        nonlocal hits
        if value.__class__ is str and len(value) <= MAX_TEXT:  # the usual case, inlined
            key = value
        else:
            key = value_key(value)
            if key is _MISS:
                return check(value)
        found = get(key, _MISS)
        if found is not _MISS:
            hits += 1
            return found
        found = check(value)
        if found.__class__ is tuple and len(found) == 2 and found[1].__class__ is list:
            found = (found[0], tuple(found[1]))  # (value, issues): issues made read-only
        size = len(table)
        if size < limit or (hits >= size and size < HARD_LIMIT):
            table[key] = found
        return found

    def column(values: Iterable[Any]) -> list[Any]:
        """``[remembered(v) for v in values]``: a column's values checked in one pass,
        each distinct value once (same results; the table and its limits as above)."""
        nonlocal hits
        values = list(values)
        if not _distinct_is_equal(values):
            return [remembered(value) for value in values]
        # No two of these values are equal unless they are the same input: each distinct
        # value is checked (or found in the table) once, then handed to each of its cells.
        distinct = dict.fromkeys(values)
        checked = 0
        # the values ``remembered`` would still keep (``hits`` is counted at the end)
        room = max(limit, min(hits + 1, HARD_LIMIT)) - len(table)
        for value in distinct:
            if value.__class__ is str:
                key = value if len(value) <= MAX_TEXT else _MISS
            else:
                key = None if value is None else (value.__class__, value)
            found = _MISS if key is _MISS else get(key, _MISS)
            if found is _MISS:
                checked += 1
                found = check(value)
                if found.__class__ is tuple and len(found) == 2 and found[1].__class__ is list:
                    found = (found[0], tuple(found[1]) if found[1] else ())
                if key is not _MISS and room > 0:
                    table[key] = found
                    room -= 1
            distinct[value] = found
        hits += len(values) - checked
        return list(map(distinct.__getitem__, values))

    remembered.table = table  # type: ignore[attr-defined]
    remembered.column = column  # type: ignore[attr-defined]
    return remembered  # type: ignore[return-value]


class CachedCheck(Protocol):
    table: dict[Hashable, Any]

    def __call__(self, value: Any) -> Any: ...

    def column(self, values: Iterable[Any]) -> list[Any]: ...


class ValueMemo:
    """The remembered checks of one run, made once per name (``memo.get(name, make)``)."""

    def __init__(self, *, limit: int = DEFAULT_LIMIT):
        self.limit = limit
        self._made: dict[Hashable, Any] = {}

    def cached(self, check: Callable[[Any], Any]) -> CachedCheck:
        """``check`` remembered per value."""
        return cached_check(check, limit=self.limit)

    def get(self, name: Hashable, make: Callable[[ValueMemo], Any]) -> Any:
        """What ``make(self)`` built the first time ``name`` was asked for."""
        found = self._made.get(name, _MISS)
        if found is _MISS:
            found = self._made[name] = make(self)
        return found


__all__ = [
    "DEFAULT_LIMIT",
    "HARD_LIMIT",
    "MAX_TEXT",
    "CachedCheck",
    "ValueMemo",
    "cached_check",
    "value_key",
]
