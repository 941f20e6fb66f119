"""Vietnamese labels (marked ``N_``, translated where shown) for the codes the forms offer."""

from __future__ import annotations

from chapter_app.domain import labels as codes
from chapter_app.i18n import _
from chapter_app.services import activities

# The code tables live in the domain (the command line shows the same words).
MEMBER_STATUS = codes.MEMBER_STATUS
ADDRESS_STATUS = codes.ADDRESS_STATUS
RECIPIENT_KIND = codes.RECIPIENT_KIND
FUNDING_SOURCE = codes.FUNDING_SOURCE
SPONSOR_KIND = codes.SPONSOR_KIND
SEX = codes.SEX
HEALTH_KIND = activities.HEALTH_KIND
DRILL_KIND = activities.DRILL_KIND


def label(table: dict[str, str], code: str | None) -> str:
    """The translated label of ``code`` (the code itself when unknown, empty for None)."""
    if code is None:
        return ""
    text = table.get(str(code))
    return _(text) if text else str(code)


def choices(table: dict[str, str]) -> list[tuple[str, str]]:
    """``(translated label, code)`` pairs for a choice box, in the table's order."""
    return [(_(text), code) for code, text in table.items()]
