"""Conversion between SQLite rows and the domain's frozen dataclasses.

Dates are stored as ISO text, flags as 0/1, enums as their value. Text is NFC.
"""

from __future__ import annotations

import typing
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import fields
from datetime import UTC, date, datetime
from enum import Enum
from functools import cache
from typing import Any


def utc_now() -> str:
    """The current moment as ISO 8601 text in UTC (what every timestamp column holds)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def encode_value(value: Any) -> Any:
    """A Python value as SQLite stores it."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def encode_row(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: encode_value(value) for key, value in values.items()}


def _decode_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    return date.fromisoformat(value[:10])


def _decode_bool(value: Any) -> bool:
    return bool(value)


def _identity(value: Any) -> Any:
    return value


def _decoder_for(annotation: Any) -> Callable[[Any], Any]:
    args = typing.get_args(annotation)
    base = {a for a in args if a is not type(None)} or {annotation}
    if date in base:
        return _decode_date
    if bool in base:
        return _decode_bool
    return _identity


@cache
def decoders(model: type) -> dict[str, Callable[[Any], Any]]:
    """Per field of ``model``, the function that turns a stored value into a Python one."""
    hints = typing.get_type_hints(model)
    return {f.name: _decoder_for(hints[f.name]) for f in fields(model)}


def decode_row(model: type, row: Mapping[str, Any]):
    """Build ``model`` from a row mapping (extra columns are ignored)."""
    return model(**{name: decode(row[name]) for name, decode in decoders(model).items()})
