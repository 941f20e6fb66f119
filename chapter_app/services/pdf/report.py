"""The periodic report as a PDF: ``render_pdf(data) -> bytes``.

Portrait pages: letterhead, "BÁO CÁO" and subject, the narrative, signature and "Nơi nhận".
Then a landscape annex: the indicator table, aid by campaign and by area (header rows
repeat when a table runs onto the next page), and an optional chart of aid by campaign.
"""

from __future__ import annotations

import re

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Spacer,
)

from chapter_app.services.pdf.base import (
    BOLD,
    FONT,
    LANDSCAPE,
    PORTRAIT,
    DottedLines,
    S,
    build_pdf,
    frame_width,
    grid_table,
    letterhead,
    para,
    printable,
    signature_block,
    title_block,
)
from chapter_app.services.report import labels as L
from chapter_app.services.report import wording as W
from chapter_app.services.report.data import GroupRow, ReportData
from chapter_app.services.report.narrative import quantities

INDICATOR_WIDTHS_MM = (10, 86, 22, 24, 24, 24, 22, 20, 20)
GROUP_WIDTHS_MM = (10, 92, 25, 25, 33, 33, 34)
CLOSING = ParagraphStyle("closing", parent=S.body, keepWithNext=1)
CHART_MAX_BARS = 15  # more campaigns than this: the smallest are summed as one bar


def render_pdf(data: ReportData) -> bytes:
    """The report as PDF bytes; the same data always gives the same bytes."""
    L.check_language(data.lang)
    text = L.TEXT[data.lang]
    width = frame_width(PORTRAIT)
    story: list[Flowable] = [letterhead(data.letterhead(), width=width)]
    story += title_block(data.title, data.subject, width=width)
    story += _narrative(data)
    story.append(
        signature_block(
            data.signature(),
            width=width,
            recipients_heading=text["recipients"],
            recipients=data.recipients,
        )
    )
    story += _annex(data)
    if data.include_chart and any(row.value for row in data.by_campaign):
        story += _chart(data)
    return build_pdf(
        story,
        title=data.subject,
        author=data.chapter_name,
        subject=f"{data.title} {data.number_line}".strip(),
        when=data.issued_on,
        lang=data.lang,
        draft_mark=text["draft_mark"] if data.is_draft else "",
    )


def _narrative(data: ReportData) -> list[Flowable]:
    story: list[Flowable] = []
    for section in data.narrative:
        if section.heading:
            style = S.heading1 if section.level == 1 else S.heading2
            story.append(para(section.heading, style))
        paragraphs = [p for p in section.text.split("\n") if p.strip()]
        # The closing sentence stays on the page of the signature.
        style = CLOSING if section.key == "closing" else S.body
        printed = [para(NUMBER_THEN_WORD.sub("\\1\xa0", p), style) for p in paragraphs]
        if section.key == "aid" and len([g for g in data.by_campaign if g.records]) > 1:
            # the table with the line that announces it
            printed[-1:] = [KeepTogether([*printed[-1:], _aid_table(data)])]
        story += printed
        if not paragraphs and section.key in L.OFFICER_SECTIONS:
            story.append(DottedLines(3))
    return story


# A number and the word after it stay on one line ("4.440.000 đ", "128 địa chỉ").
NUMBER_THEN_WORD = re.compile(r"(\d) (?=[^\W\d_])")


def _aid_table(data: ReportData) -> Flowable:
    """The period's campaigns in the body: given (physical units), people reached, value."""
    lang = data.lang
    head = W.AID_TABLE[lang]
    rows = [
        [
            g.name,
            quantities(data.units_by_campaign.get(g.name, {}), lang),
            L.number(g.person_times, lang),
            L.number(g.value, lang),
        ]
        for g in data.by_campaign
        if g.records
    ]
    shown = [g for g in data.by_campaign if g.records]
    rows.append(
        [
            L.TEXT[lang]["total"],
            "",
            L.number(sum(g.person_times for g in shown), lang),
            L.number(sum(g.value for g in shown), lang),
        ]
    )
    width = frame_width(PORTRAIT)
    widths = [width * f for f in (0.34, 0.24, 0.17, 0.25)]
    table = grid_table(
        [head["campaign"], head["given"], head["people"], head["value"]],
        rows,
        widths=widths,
        aligns=["left", "right", "right", "right"],
        bold_rows=[len(rows) - 1],
    )
    return KeepTogether([table, Spacer(1, 6)])


def _annex(data: ReportData) -> list[Flowable]:
    text = L.TEXT[data.lang]
    lang = data.lang
    if data.number is not None:
        attached = text["annex_attached"].format(
            number=data.number_line.split(" ", 1)[-1],
            date=L.day(data.issued_on, lang),
            chapter=data.chapter_name,
        )
    else:
        attached = text["annex_attached_draft"].format(
            period=data.period_name, chapter=data.chapter_name
        )
    story: list[Flowable] = [
        NextPageTemplate(LANDSCAPE),
        PageBreak(),
        para(text["annex"], S.title),
        para(text["annex_subtitle"].format(period=data.period_name.upper()), S.subject),
        para(attached, S.note),
        Spacer(1, 8),
    ]

    def n(value: int) -> str:
        return L.number(value, lang)

    rows = []
    for index, row in enumerate(data.indicators, start=1):
        rows.append(
            [
                str(index),
                row.label,
                row.unit,
                n(row.period),
                n(row.ytd),
                n(row.last_year),
                L.signed(row.change, lang),
                n(row.target) if row.target is not None else "",
                L.percent(row.percent_of_target, lang) if row.percent_of_target is not None else "",
            ]
        )
    story.append(
        grid_table(
            [
                text["col_no"],
                text["col_indicator"],
                text["col_unit"],
                text["col_period"],
                text["col_ytd"],
                text["col_last_year"],
                text["col_change"],
                text["col_target"],
                text["col_percent"],
            ],
            rows,
            widths=[w * mm for w in INDICATOR_WIDTHS_MM],
            aligns=["center", "left", "center", *["right"] * 6],
        )
    )
    for title, column, groups in (
        (text["by_campaign_title"], text["col_campaign"], data.by_campaign),
        (text["by_area_title"], text["col_area"], data.by_area),
    ):
        if not groups:
            continue
        story.append(CondPageBreak(40 * mm))
        story.append(para(title, S.group))
        story.append(_group_table(groups, column, lang))
    return story


def _group_table(groups: tuple[GroupRow, ...], column: str, lang: str) -> Flowable:
    text = L.TEXT[lang]

    def n(value: int) -> str:
        return L.number(value, lang)

    rows = [
        [str(i), g.name, n(g.records), n(g.person_times), n(g.value), n(g.ytd_value),
         n(g.last_year_value)]
        for i, g in enumerate(groups, start=1)
    ]  # fmt: skip
    rows.append(
        [
            "",
            text["total"],
            n(sum(g.records for g in groups)),
            n(sum(g.person_times for g in groups)),
            n(sum(g.value for g in groups)),
            n(sum(g.ytd_value for g in groups)),
            n(sum(g.last_year_value for g in groups)),
        ]
    )
    return grid_table(
        [
            text["col_no"],
            column,
            text["col_records"],
            text["col_person_times"],
            text["col_value_period"],
            text["col_value_ytd"],
            text["col_value_last_year"],
        ],
        rows,
        widths=[w * mm for w in GROUP_WIDTHS_MM],
        aligns=["center", "left", *["right"] * 5],
        bold_rows=[len(rows) - 1],
    )


def _chart(data: ReportData) -> list[Flowable]:
    """A landscape page: horizontal bars of the period's aid value per campaign."""
    lang = data.lang
    bars = [(g.name, g.value) for g in data.by_campaign if g.value]
    if len(bars) > CHART_MAX_BARS:
        ranked = sorted(bars, key=lambda bar: -bar[1])
        kept = {name for name, _value in ranked[: CHART_MAX_BARS - 1]}
        other = sum(value for name, value in bars if name not in kept)
        bars = [bar for bar in bars if bar[0] in kept]
        bars.append((L.TEXT[lang]["chart_other"], other))
    width = frame_width(LANDSCAPE)
    bar_space = 9 * mm
    chart_height = max(40 * mm, bar_space * len(bars))
    label_width = 75 * mm
    height = chart_height + 30 * mm
    drawing = Drawing(width, height, initialFontName=FONT, initialFontSize=10)
    title = L.TEXT[lang]["chart_title"].format(period=data.period_name)
    drawing.add(
        String(width / 2, height - 14, printable(title), fontName=BOLD, fontSize=13,
               textAnchor="middle")
    )  # fmt: skip
    chart = HorizontalBarChart()
    chart.x = label_width
    chart.y = 12 * mm
    chart.width = width - label_width - 30 * mm
    chart.height = chart_height
    chart.data = [[value for _name, value in reversed(bars)]]
    chart.bars[0].fillColor = HexColor("#b22222")
    chart.bars[0].strokeColor = None
    chart.barSpacing = 2
    chart.groupSpacing = 6
    chart.categoryAxis.categoryNames = [printable(name) for name, _value in reversed(bars)]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 11
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 9
    chart.valueAxis.labelTextFormat = lambda v: L.number(int(v), lang)
    chart.valueAxis.visibleGrid = False  # reportlab draws the grid over the bars
    chart.barLabelFormat = lambda v: L.number(int(v), lang)
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 10
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return [PageBreak(), Spacer(1, 4), drawing]
