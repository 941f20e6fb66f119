"""The sign-off sheet of a distribution: ``render_signoff_sheet(data) -> bytes``.

Portrait A4, the chapter's letterhead, the campaign and date, then one row per recipient
with name, (masked) ID number, address, value and a tall cell to sign in; the header row
repeats on every page. The renderer takes plain data and never reads the database.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from chapter_app.services.pdf.base import (
    PORTRAIT,
    S,
    build_pdf,
    frame_width,
    grid_table,
    hint_column,
    letterhead,
    para,
    scaled_widths,
    signer_column,
    signing_columns,
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
            widths=scaled_widths(WIDTHS_MM, width),
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
        hint_column(t["prepared_by"], t["sign_hint"]),
        hint_column(t["handed_by"], t["sign_hint"]),
        signer_column(data.signature),
    ]
    return signing_columns(columns, width=width, padding=2)
