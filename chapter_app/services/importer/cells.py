"""Cleaning the cells of a sheet before validation, and looking names up.

Dates as typed, Excel serials or a bare year; birth years; ID numbers a spreadsheet
mangled; ticks; ``resolver``/``lookup`` for reference lists (folded names -> ids).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from openpyxl.utils.datetime import from_excel

from chapter_app.domain.text import fold
from chapter_app.domain.validation import N_, Issue

MSG_YEAR_ONLY_DATE = N_("Chỉ có năm {year}; đã ghi ngày 01/01/{year}.")
MSG_MASKED_ID = N_("Số định danh đã bị che (“{text}”) nên không dùng được; đã bỏ qua.")

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
    if value is True or (is_number(value) and value == 1):
        return True
    return isinstance(value, str) and fold(value) in _TICKS


def remap(issues: Iterable[Issue], names: Mapping[str, str]) -> list[Issue]:
    return [Issue(names.get(i.field, i.field), i.template, i.params, i.severity) for i in issues]


# --------------------------------------------------------------------------------------------
# Planning
# --------------------------------------------------------------------------------------------


def resolver(records: Iterable[Any], *, strip: Sequence[str] = ()) -> dict[str, int]:
    """``folded name -> id``; with ``strip``, also the name without a leading word ("chi hội")."""
    found: dict[str, int] = {}
    for record in records:
        key = fold(record.name)
        found.setdefault(key, record.id)
        for prefix in strip:
            if key.startswith(prefix + " "):
                found.setdefault(key[len(prefix) + 1 :], record.id)
    return found


def lookup(table: Mapping[str, int], text: Any, *, strip: Sequence[str] = ()) -> int | None:
    key = fold(str(text))
    if key in table:
        return table[key]
    for prefix in strip:
        if key.startswith(prefix + " ") and key[len(prefix) + 1 :] in table:
            return table[key[len(prefix) + 1 :]]
    return None
