"""The printed file of one household: ``render_household_file(data) -> bytes``.

Portrait A4 with the chapter's letterhead; the household's facts, its members, its
sponsors' commitments, the aid it received (with the total) and its status history; the
preparer and the chapter's signer at the foot. Never reads the database.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from chapter_app.services.pdf.base import (
    FONT,
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
from chapter_app.services.report.household import HouseholdFile


def _facts(data: HouseholdFile, width: float) -> Table:
    rows = [[para(label, S.cell_bold), para(value, S.cell)] for label, value in data.facts]
    table = Table(rows, colWidths=[width * 0.32, width * 0.68], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def render_household_file(data: HouseholdFile) -> bytes:
    """The household's file as PDF bytes."""
    lang = data.lang
    t = data.text
    width = frame_width(PORTRAIT)
    story: list[Flowable] = [letterhead(data.letterhead, width=width)]
    story += title_block(data.title, data.name, width=width)
    story.append(para(t["household"], S.group))
    story.append(_facts(data, width))
    if data.members:
        story.append(para(t["members"], S.group))
        story.append(
            grid_table(
                [t["col_no"], t["col_name"], t["col_relation"], t["col_birth"]],
                [(str(i), *row) for i, row in enumerate(data.members, start=1)],
                widths=scaled_widths((10, 80, 45, 25), width),
                aligns=["center", "left", "left", "center"],
            )
        )
    story.append(para(t["commitments"], S.group))
    if data.commitments:
        story.append(
            grid_table(
                [t["col_sponsor"], t["col_from"], t["col_to"], t["col_form"], t["col_amount"]],
                data.commitments,
                widths=scaled_widths((55, 24, 24, 28, 34), width),
                aligns=["left", "center", "center", "left", "right"],
            )
        )
    else:
        story.append(para(t["no_commitment"], S.left_note))
    story.append(para(t["aid"], S.group))
    if data.aid:
        story.append(
            grid_table(
                [
                    t["col_date"],
                    t["col_campaign"],
                    t["col_form"],
                    t["col_description"],
                    t["col_value"],
                ],
                [(*row[:4], L.number(row[4], lang)) for row in data.aid],
                widths=scaled_widths((22, 35, 28, 55, 25), width),
                aligns=["center", "left", "left", "left", "right"],
            )
        )
        story.append(para(data.aid_total_line, S.left_note))
    else:
        story.append(para(t["no_aid"], S.left_note))
    if data.history:
        story.append(para(t["history"], S.group))
        story.append(
            grid_table(
                [t["col_date"], t["status"], t["col_reason"]],
                data.history,
                widths=scaled_widths((25, 45, 95), width),
                aligns=["center", "left", "left"],
            )
        )
    story.append(Spacer(1, 8))
    story.append(_signatures(data, width))
    return build_pdf(
        story,
        title=f"{data.title}: {data.name}",
        author=data.letterhead.chapter_name,
        subject=data.name,
        when=data.printed_on,
        lang=lang,
    )


def _signatures(data: HouseholdFile, width: float) -> Flowable:
    t = data.text
    columns = [hint_column(t["prepared_by"], t["sign_hint"]), signer_column(data.signature)]
    return signing_columns(columns, width=width)
