"""The report's recipients and signature from the settings (Decree 30/2020, "Nơi nhận").

The default recipients are placeholders ("Hội CTĐ cấp trên", "UBND xã" ...): printed, they
name the real bodies: the parent body "(để b/c)" and the commune's (or ward's) Party
committee, People's Committee and Fatherland Front, from the chapter's settings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from chapter_app.domain.text import clean_text

PARENT_PLACEHOLDER = "Hội CTĐ cấp trên"
LOCAL_BODIES = {  # placeholder -> (Vietnamese form, English form)
    "Đảng ủy xã": ("Đảng ủy {level} {place}", "The Party Committee of {place} {level}"),
    "UBND xã": ("UBND {level} {place}", "The People's Committee of {place} {level}"),
    "UBMTTQ Việt Nam xã": (
        "Ủy ban MTTQ Việt Nam {level} {place}",
        "The Fatherland Front Committee of {place} {level}",
    ),
}
LEVELS = {"xã": "commune", "phường": "ward", "thị trấn": "town", "đặc khu": "special zone"}
FOR_REPORT = {"vi": "(để b/c)", "en": "(for reporting)"}
DEPUTY = ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")


def local_level(chapter_name: str) -> str:
    """ "xã", "phường", "thị trấn" or "đặc khu", as the chapter's name says (default "xã")."""
    folded = chapter_name.lower()
    for word in ("phường", "thị trấn", "đặc khu", "xã"):
        if re.search(rf"\b{word}\b", folded):
            return word
    return "xã"


def recipients(settings: Mapping[str, Any], lang: str) -> list[str]:
    """The "Nơi nhận" lines (without the archive line), placeholders resolved."""
    parent = clean_text(str(settings.get("parent_name") or ""))
    place = clean_text(str(settings.get("place_name") or ""))
    level = local_level(clean_text(str(settings.get("chapter_name") or "")))
    lines = []
    for raw in settings.get("recipients") or []:
        line = clean_text(str(raw)).strip().rstrip(";").strip()
        if not line:
            continue
        if line == PARENT_PLACEHOLDER and parent:
            line = parent
        if parent and line == parent:
            line = f"{parent} {FOR_REPORT[lang]}"
        elif line in LOCAL_BODIES and place:
            vi, en = LOCAL_BODIES[line]
            form = vi if lang == "vi" else en
            line = form.format(level=level if lang == "vi" else LEVELS[level], place=place)
        lines.append(line)
    return lines


def signature(
    settings: Mapping[str, Any], *, signer: str | None = None, deputy: bool = False
) -> tuple[str, str, str]:
    """(form, title, name): "TM. BAN THƯỜNG VỤ" / "CHỦ TỊCH" / the name in the settings;
    ``deputy``: "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"; ``signer`` replaces the name."""
    form = clean_text(str(settings.get("signing_form") or ""))
    title = clean_text(str(settings.get("signer_title") or ""))
    if deputy:
        form, title = DEPUTY
    name = clean_text(signer) if signer else clean_text(str(settings.get("signer_name") or ""))
    return form, title, name


def officers_deputy(officers: Sequence[Any], name: str) -> bool:
    """Whether ``name`` is a vice-chair in the officers list (``services.officers.officers``
    rows: ``full_name`` and ``title`` "vice_chairman")."""
    return any(
        clean_text(str(officer.full_name)) == clean_text(name) and officer.title == "vice_chairman"
        for officer in officers
    )
