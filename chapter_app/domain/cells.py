"""Spreadsheet cells that cannot run as formulas (formula or CSV injection).

Text read from the register (a name, a note typed by anyone, an imported cell) may start
with ``=``, ``+``, ``-`` or ``@``; written to Excel as it is, it becomes a formula such as
``=HYPERLINK("http://...","Bấm vào đây")`` that runs when the sheet is opened.
:func:`neutralise_cell` prefixes such text with an apostrophe (the OWASP advice): the cell
is written as plain text, shows the apostrophe, and is never evaluated. Importers undo it
with :func:`restore_cell` so an export read back gives the original text.

Tab and carriage return at the start are treated the same way (they let a CSV field
break into a formula). Leading spaces do not hide a dangerous first character.
Numbers, dates and booleans are returned unchanged: a negative amount stays a number.

Standard library only.
"""

from __future__ import annotations

from typing import Any

QUOTE = "'"
DANGEROUS_FIRST = frozenset("=+-@\t\r\n")
# Look-alike characters that some spreadsheet programs also start formulas with.
_LOOK_ALIKES = frozenset("＝＋－＠")


def is_dangerous(text: str) -> bool:
    """True when ``text`` would be read as a formula (or start one) by a spreadsheet."""
    if not text:
        return False
    if text[0] in DANGEROUS_FIRST or text[0] in _LOOK_ALIKES:
        return True
    stripped = text.lstrip(" \u00a0\u3000")
    return bool(stripped) and (stripped[0] in DANGEROUS_FIRST or stripped[0] in _LOOK_ALIKES)


def _needs_quote(text: str) -> bool:
    # Apostrophes typed before a dangerous character are escaped too ("'=" -> "''="), so
    # that restore_cell() gives back exactly what was typed.
    return is_dangerous(text.lstrip(QUOTE))


def neutralise_cell(value: Any) -> Any:
    """``value`` safe to put in a spreadsheet cell: dangerous text gets a leading ``'``."""
    if isinstance(value, str) and _needs_quote(value):
        return QUOTE + value
    return value


def restore_cell(value: Any) -> Any:
    """Undo :func:`neutralise_cell` on a value read back from a sheet we exported."""
    if isinstance(value, str) and value.startswith(QUOTE) and _needs_quote(value[1:]):
        return value[1:]
    return value
