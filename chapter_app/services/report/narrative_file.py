"""The officer's sections as a plain text file: headings as in the report, text under them.

``narrative_template(data)`` writes the file to fill in (each heading followed by its
outline); ``read_narrative(text, data)`` reads a filled file back as section texts. A
heading line matches a section by its words, numbering and case aside ("III. Đánh giá
chung", "ĐÁNH GIÁ CHUNG" and "[assessment]" are the same); text before the first heading
and under unknown headings is refused with a message naming the line.
"""

from __future__ import annotations

import re
import unicodedata

from chapter_app.errors import AppError
from chapter_app.services.report import labels as L
from chapter_app.services.report import wording as W
from chapter_app.services.report.data import ReportData

NUMBERING = re.compile(r"^\s*(?:[IVX]+|\d+)[.)]\s*", re.IGNORECASE)
KEY_LINE = re.compile(r"^\s*\[([a-z_]+)\]\s*$")


class NarrativeFileError(AppError):
    """The narrative file does not follow the report's headings."""


def _fold(heading: str) -> str:
    text = unicodedata.normalize("NFC", heading).strip()
    text = NUMBERING.sub("", text)
    return " ".join(text.casefold().rstrip(":").split())


def narrative_template(data: ReportData, *, officer_only: bool = True) -> str:
    """The file the officer fills: each heading, then its outline (or current text)."""
    parts = []
    for section in data.narrative:
        if not section.heading or (officer_only and section.key not in L.OFFICER_SECTIONS):
            continue
        parts.append(section.heading)
        parts.append(section.text or section.outline)
        parts.append("")
    return "\n".join(parts)


def read_narrative(text: str, data: ReportData) -> dict[str, str]:
    """Section key -> text from a narrative file (only the sections the file names)."""
    by_heading = {_fold(s.heading): s.key for s in data.narrative if s.heading}
    # "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ" without the period it is about is the same heading.
    templates = W.HEADINGS.get(data.lang, {})
    by_heading |= {_fold(t.replace("{next_period}", "")): key for key, t in templates.items() if t}
    keys = {s.key for s in data.narrative}
    found: dict[str, list[str]] = {}
    current: str | None = None
    for number, line in enumerate(unicodedata.normalize("NFC", text).splitlines(), start=1):
        bracket = KEY_LINE.match(line)
        key = bracket.group(1) if bracket and bracket.group(1) in keys else None
        if key is None and line.strip():
            key = by_heading.get(_fold(line))
        if key is not None:
            current = key
            found.setdefault(key, [])
            continue
        if current is None:
            if line.strip():
                raise NarrativeFileError(
                    f"Dòng {number} của tệp nội dung nằm trước mọi tiêu đề mục: «{line[:60]}». "
                    "Hãy bắt đầu mỗi phần bằng tiêu đề mục như trong báo cáo "
                    "(ví dụ «III. ĐÁNH GIÁ CHUNG»)."
                )
            continue
        found[current].append(line)
    outlines = {s.key: s.outline for s in data.narrative}
    texts = {key: "\n".join(lines).strip() for key, lines in found.items()}
    # An outline left as it was is not the officer's text.
    return {key: ("" if text == outlines[key] else text) for key, text in texts.items()}
