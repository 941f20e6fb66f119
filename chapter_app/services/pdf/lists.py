"""Printed lists (members, volunteers, humanitarian addresses): ``render_list(data) -> bytes``.

Same letterhead and fonts as the report; landscape A4 for the wide tables. Each group
(a branch) gets its heading and a ruled table whose header row repeats on every page.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from chapter_app.services.pdf.base import (
    LANDSCAPE,
    PORTRAIT,
    S,
    build_pdf,
    frame_width,
    grid_table,
    letterhead,
    para,
    signature_block,
    title_block,
)
from chapter_app.services.report import labels as L
from chapter_app.services.report.lists import ListData

KEEP_NOTE = ParagraphStyle("keep_note", parent=S.left_note, keepWithNext=1)


def render_list(data: ListData) -> bytes:
    """The list as PDF bytes."""
    L.check_language(data.lang)
    orientation = LANDSCAPE if data.landscape else PORTRAIT
    width = frame_width(orientation)
    story: list[Flowable] = [letterhead(data.letterhead, width=width)]
    story += title_block(data.title, "", width=width)
    if data.subtitle:
        story.append(para(data.subtitle, S.note))
    story.append(Spacer(1, 6))
    header = [c.header for c in data.columns]
    widths = _fit([c.width_mm * mm for c in data.columns], width)
    aligns = [c.align for c in data.columns]
    for group in data.groups:
        if group.heading:
            story.append(CondPageBreak(30 * mm))
            story.append(para(group.heading, S.group))
        story.append(grid_table(header, group.rows, widths=widths, aligns=aligns))
    # The total and the notes stay on the page of the signature.
    story.append(para(data.total_line, KEEP_NOTE))
    for note in data.notes:
        story.append(para(note, KEEP_NOTE))
    story.append(signature_block(data.signature, width=width))
    return build_pdf(
        story,
        title=data.title,
        author=data.letterhead.chapter_name,
        subject=data.subtitle,
        when=data.printed_on,
        lang=data.lang,
        first=orientation,
    )


def _fit(widths: list[float], available: float) -> list[float]:
    """Scale the columns to the frame width (lists are designed for landscape A4)."""
    total = sum(widths)
    return [w * available / total for w in widths]
