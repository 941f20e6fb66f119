"""Personal-data rules shared by lists, exports and reports (domain brief §4).

Standard library only. ID numbers are masked in lists and exports by default; sensitive
data (health status, ethnicity, religion) is kept out of them unless explicitly chosen.
"""

from __future__ import annotations

import unicodedata

from chapter_app.domain.text import fold

MASK_CHAR = "*"
# Shown digits at each end of a masked ID number: the province code (3) and the last 3.
SHOWN_HEAD = 3
SHOWN_TAIL = 3

# Category names (folded) that reveal health status, which the law counts as sensitive
# (Law 91/2025, Decree 356/2025): printed only when sensitive fields are asked for.
SENSITIVE_CATEGORY_WORDS = (
    "chat doc da cam",
    "da cam",
    "khuyet tat",
    "benh",
    "hiv",
    "tam than",
)


def mask_id(number: str | None) -> str:
    """Mask an ID number for printing: ``"051190001234"`` -> ``"051******234"``.

    The first three digits (province code) and the last three stay; every character between
    becomes ``*``, so the length is kept (12-digit ID numbers and 9-digit CMND alike).
    Numbers too short to keep both ends (fewer than 7 characters) are masked entirely.
    Spaces and dots typed inside the number are dropped first. ``None`` or blank gives ``""``.
    """
    if not number:
        return ""
    digits = "".join(ch for ch in unicodedata.normalize("NFC", number) if not ch.isspace())
    digits = digits.replace(".", "")
    if not digits:
        return ""
    if len(digits) < SHOWN_HEAD + SHOWN_TAIL + 1:
        return MASK_CHAR * len(digits)
    hidden = len(digits) - SHOWN_HEAD - SHOWN_TAIL
    return digits[:SHOWN_HEAD] + MASK_CHAR * hidden + digits[-SHOWN_TAIL:]


def shown_id(number: str | None, *, full: bool = False) -> str:
    """The ID number as a list prints it: masked unless ``full`` was explicitly asked for."""
    if full:
        return unicodedata.normalize("NFC", number or "").strip()
    return mask_id(number)


def is_sensitive_category(name: str | None) -> bool:
    """True when a humanitarian-address category reveals health status (sensitive data).

    The category list is editable, so this goes by the words of the name: Agent Orange
    victims, disability, serious illness. Poverty categories are confidential but are the
    reason an address exists; they are not treated as sensitive here.
    """
    folded = fold(name)
    return any(word in folded for word in SENSITIVE_CATEGORY_WORDS)
