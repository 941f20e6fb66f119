"""The sign-off sheet of a distribution: ``render_signoff_sheet(data) -> bytes``.

Portrait A4, the chapter's letterhead, the campaign and date, then one row per recipient
with name, (masked) ID number, address, value and a tall cell to sign in; the header row
repeats on every page. The renderer takes plain data and never reads the database.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from chapter_app.services.pdf.base import (
    FONT,
    PORTRAIT,
    S,
    build_pdf,
    frame_width,
    grid_table,
    letterhead,
    para,
    title_block,
)
from chapter_app.services.report import labels as L
from chapter_app.services.report.lists import SignoffSheet

WIDTHS_MM = (9, 42, 27, 40, 22, 25)
SIGNING_ROW_HEIGHT = 11 * mm


def render_signoff_sheet(data: SignoffSheet) -> bytes:
    """The sign-off sheet as PDF bytes."""
    L.check_language(data.lang)
    lang = data.lang
    t = L.LIST_TEXT[lang]
    width = frame_width(PORTRAIT)
    story: list[Flowable] = [letterhead(data.letterhead, width=width)]
    story += title_block(data.title, "", width=width)
    details = []
    if data.campaign:
        details.append(t["signoff_campaign"].format(campaign=data.campaign))
    details.append(t["signoff_given"].format(date=L.day(data.given_on, lang)))
    if data.description:
        details.append(t["signoff_description"].format(description=data.description))
    for line in details:
        story.append(para(line, S.note))
    story.append(Spacer(1, 6))
    rows = [
        [str(i), r.name, r.id_text, r.address, L.number(r.value, lang), ""]
        for i, r in enumerate(data.rows, start=1)
    ]
    rows.append(["", L.TEXT[lang]["total"], "", "", L.number(data.total, lang), ""])
    scale = width / (sum(WIDTHS_MM) * mm)
    story.append(
        grid_table(
            [
                t["col_no"],
                t["col_name"],
                t["col_id"],
                t["col_address"],
                t["col_value"],
                t["col_signature"],
            ],
            rows,
            widths=[w * mm * scale for w in WIDTHS_MM],
            aligns=["center", "left", "center", "left", "right", "left"],
            bold_rows=[len(rows) - 1],
            min_row_height=SIGNING_ROW_HEIGHT,
        )
    )
    story.append(
        para(
            t["total_rows"].format(count=L.number(len(data.rows), lang), noun=t["noun_recipients"])
            + " "
            + t["signoff_total"].format(value=L.money(data.total, lang)),
            S.left_note,
        )
    )
    story.append(Spacer(1, 8))
    story.append(_signatures(data, width))
    return build_pdf(
        story,
        title=f"{data.title} {data.campaign}".strip(),
        author=data.letterhead.chapter_name,
        subject=L.day(data.given_on, lang),
        when=data.given_on,
        lang=lang,
    )


def _signatures(data: SignoffSheet, width: float) -> Flowable:
    """Three columns: who prepared the list, who handed the aid over, the chapter's head."""
    t = L.LIST_TEXT[data.lang]
    columns = [
        [para(t["prepared_by"], S.sign), para(t["sign_hint"], S.sign_hint)],
        [para(t["handed_by"], S.sign), para(t["sign_hint"], S.sign_hint)],
        [
            *([para(data.signature.form.upper(), S.sign)] if data.signature.form else []),
            *([para(data.signature.title.upper(), S.sign)] if data.signature.title else []),
            Spacer(1, 24 * mm),
            *([para(data.signature.name, S.sign)] if data.signature.name else []),
        ],
    ]
    table = Table([columns], colWidths=[width / 3] * 3, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return KeepTogether([table])
