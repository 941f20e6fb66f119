"""Cleaning the cells of a sheet before validation, and looking names up.

Dates as typed, Excel serials or a bare year; birth years; ID numbers a spreadsheet
mangled; ticks; :class:`Names` for the records of a reference list a cell names.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from openpyxl.utils.datetime import from_excel

from chapter_app.domain.text import clean_text, fold
from chapter_app.domain.validation import N_, Issue
from chapter_app.services.by_name import name_issue

MSG_YEAR_ONLY_DATE = N_("Chỉ có năm {year}; đã ghi ngày 01/01/{year}.")
MSG_MASKED_ID = N_("Số định danh đã bị che (“{text}”) nên không dùng được; đã bỏ qua.")


class Named(NamedTuple):
    id: int
    name: str


_YEAR = re.compile(r"[0-9]{4}")
_SERIAL = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")
_TICKS = frozenset({"x", "v", "✓", "✔", "co", "1"})


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


_EPOCH = date(1899, 12, 30)  # Excel's day 0 (for days after Excel's false 29/02/1900)


def serial_date(value: float) -> date | None:
    if value.__class__ is int and 60 <= value < 2958466:  # a whole day: no time to round
        return _EPOCH + timedelta(days=value)
    try:
        return from_excel(value).date() if 1 <= value < 2958466 else None
    except (ValueError, OverflowError, TypeError):
        return None


def to_date(value: Any, field_name: str) -> tuple[Any, list[Issue]]:
    """Dates as typed, Excel date serials, or a bare year (1 January, with a warning)."""
    cls = value.__class__
    if cls is int and not 1900 <= value <= 2100:  # the usual cells first: a serial,
        return serial_date(value) or value, []
    if cls is str:  # or text
        text = value.strip()
        if not text:
            return value, []
        if _YEAR.fullmatch(text):
            year = int(text)
            if 1900 <= year <= 2100:
                return date(year, 1, 1), [Issue.warning(field_name, MSG_YEAR_ONLY_DATE, year=year)]
        elif _SERIAL.fullmatch(text):
            return serial_date(float(text)) or value, []
        return value, []
    if isinstance(value, datetime):
        return value.date(), []
    if isinstance(value, date) or blank(value):
        return value, []
    year = None
    if is_number(value) and value == int(value):
        if 1900 <= value <= 2100:
            year = int(value)
        else:
            return serial_date(value) or value, []
    elif is_number(value):
        return serial_date(value) or value, []
    elif isinstance(value, str):
        text = value.strip()
        if _YEAR.fullmatch(text):
            year = int(text)
        elif _SERIAL.fullmatch(text):
            return serial_date(float(text)) or value, []
    if year is not None and 1900 <= year <= 2100:
        return date(year, 1, 1), [Issue.warning(field_name, MSG_YEAR_ONLY_DATE, year=year)]
    return value, []


def to_birth(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if is_number(value):
        if value == int(value) and value <= 9999:
            return int(value)
        return serial_date(value) or value
    if isinstance(value, str) and _SERIAL.fullmatch(value.strip()):
        return serial_date(float(value.strip())) or value
    return value


def to_id(value: Any, field_name: str) -> tuple[Any, list[Issue]]:
    if value.__class__ is str and value.isascii() and value.isdigit():  # the usual case
        return (int(value), []) if len(value) in (10, 11) else (value, [])
    if isinstance(value, str):
        text = value.strip()
        if "*" in text:
            return None, [Issue.warning(field_name, MSG_MASKED_ID, text=text)]
        compact = "".join(text.split())
        if compact.isdigit() and len(compact) in (10, 11):
            return int(compact), []  # a spreadsheet dropped the leading zeros: padded, warned
    return value, []


def to_text(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return value


def is_tick(value: Any) -> bool:
    if value.__class__ is int:  # the usual cell: a year
        return value == 1
    if value is True or (is_number(value) and value == 1):
        return True
    return isinstance(value, str) and fold(value) in _TICKS


def remap(issues: Iterable[Issue], names: Mapping[str, str]) -> list[Issue]:
    return [Issue(names.get(i.field, i.field), i.template, i.params, i.severity) for i in issues]


# --------------------------------------------------------------------------------------------
# Planning
# --------------------------------------------------------------------------------------------


class Names:
    """A reference list's records by name, for the cells of a sheet, settled as
    ``by_name`` settles a typed name: an exact name wins, one record equal to it without tones
    and case is taken, two or more are refused (:meth:`issue` names them). Each distinct text
    is settled once, however many rows give it."""

    def __init__(self, records: Iterable[Any]):
        self.exact: dict[str, list[Named]] = {}
        self.folded: dict[str, list[Named]] = {}
        self.settled: dict[str, list[Named]] = {}
        for record in records:
            self.add(record.name, record.id)

    def add(self, name: str, record_id: int) -> None:
        """A record of that name (one this import adds, say)."""
        named = Named(record_id, name)
        self.exact.setdefault(clean_text(name), []).append(named)
        self.folded.setdefault(fold(name), []).append(named)
        self.settled.clear()

    def candidates(self, text: Any) -> list[Named]:
        """The records ``text`` names: those named exactly so, else those equal to it without
        tones and case (none, one, or several)."""
        key = str(text)
        found = self.settled.get(key)
        if found is None:
            typed = clean_text(key)
            found = self.settled[key] = self.exact.get(typed) or self.folded.get(fold(typed), [])
        return found

    def id_of(self, text: Any) -> int | None:
        """The id of the one record ``text`` names; None when it names none or several."""
        found = self.candidates(text)
        return found[0].id if len(found) == 1 else None

    def issue(self, text: Any, *, field: str, what: str) -> Issue:
        """The error for ``text`` naming no record or several (those named)."""
        typed = clean_text(str(text))
        return name_issue(self.candidates(text), text=typed, field=field, what=what)
