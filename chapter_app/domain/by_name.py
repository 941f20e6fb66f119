"""Which records a typed name names (a sponsor, a campaign, a chi hội, a list item).

The rule, for every layer: the records named exactly as typed (as NFC, spaces tidied) when
there are any, else those equal to it without tones and case. One is the record meant; two
or more are for the caller to refuse, naming them, never one of them taken silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from chapter_app.domain.text import clean_text, fold


def named(records: Iterable[Any], text: str | None) -> list[Any]:
    """The records (with a ``name``) that ``text`` names: those named exactly ``text`` when
    there are any, else those whose name equals it tone- and case-insensitively."""
    records = list(records)
    typed = clean_text(text)
    exact = [r for r in records if clean_text(r.name) == typed]
    if exact:
        return exact
    wanted = fold(typed)
    return [r for r in records if fold(r.name) == wanted]


def the_one(found: list[Any]) -> Any | None:
    """The record of ``found`` when it is the only one, else None."""
    return found[0] if len(found) == 1 else None
