"""What every document shares: fonts, page templates, styles, the letterhead, signatures.

Layout follows Decree 30/2020/NĐ-CP: A4, margins top/bottom 20 mm, left 30 mm, right
15 mm; Times-New-Roman-compatible serif (Liberation Serif 2.x, bundled in
``resources/fonts`` with its OFL licence); page numbers centred in the top margin from
page 2. Text is normalised to NFC and every character is checked against the font:
a character the font lacks raises ``MissingGlyphError`` instead of printing a box.

Output is deterministic: the same data gives the same bytes (reportlab's invariant mode,
with the creation date and the file ID derived from the document's own date).
"""

from __future__ import annotations

import hashlib
import io
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import TimeStamp
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from chapter_app import APP_NAME
from chapter_app.errors import AppError
from chapter_app.paths import resources_dir
from chapter_app.services.report.data import Letterhead, Signature

FONT = "ChapterSerif"
BOLD = "ChapterSerif-Bold"
ITALIC = "ChapterSerif-Italic"
BOLD_ITALIC = "ChapterSerif-BoldItalic"
FONT_FILES = {
    FONT: "LiberationSerif-Regular.ttf",
    BOLD: "LiberationSerif-Bold.ttf",
    ITALIC: "LiberationSerif-Italic.ttf",
    BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}

PAGE = A4
TOP_MARGIN = 20 * mm
BOTTOM_MARGIN = 20 * mm
LEFT_MARGIN = 30 * mm
RIGHT_MARGIN = 15 * mm
PAGE_NUMBER_FROM_TOP = 12 * mm  # baseline of the page number, inside the top margin
BODY_SIZE = 13
BODY_LEADING = 17  # about 1.3 lines
FIRST_LINE_INDENT = 10 * mm
PARAGRAPH_SPACE = 6

PORTRAIT = "portrait"
LANDSCAPE = "landscape"


class MissingGlyphError(AppError):
    """A character the bundled font cannot print (the document is not produced)."""

    def __init__(self, char: str, context: str = ""):
        where = f" trong «{context}»" if context else ""
        super().__init__(
            f"Phông chữ không có ký tự «{char}» (U+{ord(char):04X}){where}; "
            "hãy sửa nội dung trước khi in."
        )
        self.char = char


def fonts_dir():
    return resources_dir() / "fonts"


class StrictTTFont(TTFont):
    """A TrueType font that raises on characters it lacks (reportlab would print notdef)."""

    def splitString(self, text, doc, encoding="utf-8"):
        if isinstance(text, bytes):
            text = text.decode(encoding)
        _check(text, self.face.charToGlyph)
        return super().splitString(text, doc, encoding)


_SILENT = frozenset("\xa0")  # reportlab prints NBSP as a space


def _check(text: str, cmap, context: str = "") -> None:
    for ch in text:
        if ord(ch) not in cmap and ch not in _SILENT:
            raise MissingGlyphError(ch, context or text[:60])


_registered = False


def register_fonts() -> None:
    """Register the four faces once per process (as a family, so <b>/<i> work)."""
    global _registered
    if _registered:
        return
    folder = fonts_dir()
    for name, file in FONT_FILES.items():
        path = folder / file
        if not path.is_file():
            raise AppError(f"Không tìm thấy phông chữ «{path}»; hãy cài đặt lại chương trình.")
        pdfmetrics.registerFont(StrictTTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
    )
    _registered = True


def printable(text: object) -> str:
    """``text`` as NFC, checked against the font; raises MissingGlyphError."""
    register_fonts()
    value = unicodedata.normalize("NFC", "" if text is None else str(text))
    _check(value.replace("\n", ""), pdfmetrics.getFont(FONT).face.charToGlyph)  # \n: a break
    return value


def markup(text: object) -> str:
    """Printable text escaped for a Paragraph (line breaks become <br/>)."""
    return escape(printable(text)).replace("\n", "<br/>")


def width_of(text: str, font: str, size: float) -> float:
    register_fonts()
    return pdfmetrics.stringWidth(printable(text), font, size)


# --- styles ----------------------------------------------------------------------------------


def _style(name: str, font: str = FONT, size: float = BODY_SIZE, **kw) -> ParagraphStyle:
    kw.setdefault("leading", size * 1.25)
    return ParagraphStyle(name, fontName=font, fontSize=size, **kw)


class Styles:
    """The paragraph styles of every document (sizes per Decree 30/2020)."""

    body = _style(
        "body",
        leading=BODY_LEADING,
        alignment=TA_JUSTIFY,
        firstLineIndent=FIRST_LINE_INDENT,
        spaceAfter=PARAGRAPH_SPACE,
    )
    heading1 = _style(
        "heading1",
        BOLD,
        keepWithNext=1,
        leading=BODY_LEADING,
        alignment=TA_LEFT,
        firstLineIndent=FIRST_LINE_INDENT,
        spaceBefore=4,
        spaceAfter=PARAGRAPH_SPACE,
    )
    heading2 = _style(
        "heading2",
        BOLD,
        keepWithNext=1,
        leading=BODY_LEADING,
        alignment=TA_LEFT,
        firstLineIndent=FIRST_LINE_INDENT,
        spaceAfter=PARAGRAPH_SPACE,
    )
    parent = _style("parent", FONT, 12, alignment=TA_CENTER, leading=14)
    chapter = _style("chapter", BOLD, 12, alignment=TA_CENTER, leading=14)
    number = _style("number", FONT, 13, alignment=TA_CENTER, leading=16)
    nation = _style("nation", BOLD, 12, alignment=TA_CENTER, leading=14)
    motto = _style("motto", BOLD, 13, alignment=TA_CENTER, leading=15)
    date_line = _style("date_line", ITALIC, 13, alignment=TA_CENTER, leading=16)
    title = _style("title", BOLD, 14, alignment=TA_CENTER, leading=18, spaceBefore=14)
    subject = _style("subject", BOLD, 14, alignment=TA_CENTER, leading=18)
    subtitle = _style("subtitle", FONT, 13, alignment=TA_CENTER, leading=16)
    note = _style("note", ITALIC, 12, alignment=TA_CENTER, leading=15)
    left_note = _style("left_note", ITALIC, 11, alignment=TA_LEFT, leading=14, spaceBefore=4)
    recipients_heading = _style("recipients_heading", BOLD_ITALIC, 12, leading=14)
    recipient = _style("recipient", FONT, 11, leading=13)
    sign = _style("sign", BOLD, 13, alignment=TA_CENTER, leading=16)
    sign_hint = _style("sign_hint", ITALIC, 12, alignment=TA_CENTER, leading=15)
    # Not keepWithNext: that would move a whole long table to the next page with it;
    # a CondPageBreak before the heading keeps it from being orphaned instead.
    group = _style("group", BOLD, 12, leading=15, spaceBefore=8, spaceAfter=4)
    cell = _style("cell", FONT, 10.5, leading=12.5)
    cell_center = _style("cell_center", FONT, 10.5, leading=12.5, alignment=TA_CENTER)
    cell_right = _style("cell_right", FONT, 10.5, leading=12.5, alignment=TA_RIGHT)
    cell_bold = _style("cell_bold", BOLD, 10.5, leading=12.5)
    cell_bold_right = _style("cell_bold_right", BOLD, 10.5, leading=12.5, alignment=TA_RIGHT)
    head = _style("head", BOLD, 10.5, leading=12.5, alignment=TA_CENTER)
    page_number = _style("page_number", FONT, 13)


S = Styles()
ALIGNED_CELL = {"left": S.cell, "center": S.cell_center, "right": S.cell_right}


def para(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(text), style)


# --- flowables -------------------------------------------------------------------------------


class Rule(Flowable):
    """A centred horizontal rule of a given length (under the chapter name, the motto...)."""

    def __init__(self, length: float, *, thickness: float = 0.6, before: float = 1, after=3):
        super().__init__()
        self.length = length
        self.thickness = thickness
        self.before = before
        self.after = after

    def wrap(self, available_width, available_height):
        self.available = available_width
        return available_width, self.before + self.thickness + self.after

    def draw(self):
        x = (self.available - self.length) / 2
        y = self.after + self.thickness / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x, y, x + self.length, y)


class DottedLines(Flowable):
    """Empty dotted lines for a section the officer writes by hand."""

    def __init__(self, count: int = 3, *, spacing: float = BODY_LEADING + 2):
        super().__init__()
        self.count = count
        self.spacing = spacing

    def wrap(self, available_width, available_height):
        self.available = available_width
        return available_width, self.count * self.spacing

    def draw(self):
        self.canv.setLineWidth(0.5)
        self.canv.setDash(1, 2)
        for i in range(self.count):
            y = (self.count - i - 1) * self.spacing + 3
            self.canv.line(0, y, self.available, y)
        self.canv.setDash()


PLACE_WORDS = re.compile(
    r"\b(TỈNH|THÀNH PHỐ|XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU|HUYỆN|QUẬN|THỊ XÃ)\s+(\S.*)$"
)
MIN_HEADER_SIZE = 9


def keep_place_together(text: str) -> str:
    """Upper-case ``text`` with no-break spaces inside its place name ("TỈNH QUẢNG NGÃI"),
    so a line may break before the place name but never inside it."""
    upper = " ".join(text.upper().split())
    found = PLACE_WORDS.search(upper)
    if not found:
        return upper
    place = found.group(0).replace(" ", "\xa0")
    return upper[: found.start()] + place


def fitted(text: str, style: ParagraphStyle, width: float) -> Paragraph:
    """``text`` in ``style``, its size shrunk (down to 9 pt) until no unbreakable piece is
    wider than ``width``: a long place name shrinks rather than splits (and if even that is
    not enough, it breaks between words, never inside one)."""
    size = style.fontSize
    pieces = text.split(" ")
    while size > MIN_HEADER_SIZE and max(width_of(p, style.fontName, size) for p in pieces) > width:
        size -= 0.5
    if max(width_of(p, style.fontName, size) for p in pieces) > width:
        text = text.replace("\xa0", " ")  # too long even small: break between its words
    if size != style.fontSize:
        style = ParagraphStyle(
            f"{style.name}-{size}", parent=style, fontSize=size, leading=size * 1.17
        )
    return para(text, style)


def letterhead(head: Letterhead, *, width: float) -> Table:
    """The two-column header: parent body / chapter / number; nation / motto / date line.

    Place names never split across lines (no-break spaces; the line shrinks if needed).
    """
    left_width = min(72 * mm, width * 0.42)
    right_width = width - left_width
    chapter = keep_place_together(head.chapter_name)
    chapter_rule = min(width_of(chapter, BOLD, 12), left_width) * 0.4
    left = [
        fitted(keep_place_together(head.parent_name), S.parent, left_width),
        fitted(chapter, S.chapter, left_width),
    ]
    left.append(Rule(chapter_rule, before=4))
    right = [
        para(head.national_name, S.nation),
        para(head.motto, S.motto),
        Rule(width_of(head.motto, BOLD, 13), before=4),
    ]
    bottom_left = para(head.number_line, S.number) if head.number_line else ""
    bottom_right = para(head.date_line, S.date_line) if head.date_line else ""
    table = Table(
        [[left, right], [bottom_left, bottom_right]],
        colWidths=[left_width, right_width],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def title_block(title: str, subject: str, *, width: float) -> list[Flowable]:
    """ "BÁO CÁO", the subject in bold, a short rule under it (Decree 30)."""
    story: list[Flowable] = [para(title, S.title)]
    if subject:
        story.append(para(subject, S.subject))
        story.append(Rule(min(width_of(subject, BOLD, 14), width) / 3, before=2, after=10))
    return story


def signature_block(
    signature: Signature,
    *,
    width: float,
    recipients_heading: str = "",
    recipients: Sequence[str] = (),
    hint: str = "",
) -> Flowable:
    """ "Nơi nhận" on the left, the signing form, title, space to sign and name on the right."""
    left: list[Flowable] = []
    if recipients_heading:
        left.append(para(recipients_heading, S.recipients_heading))
        for i, recipient in enumerate(recipients):
            text = recipient.strip().lstrip("-").strip()
            last = i == len(recipients) - 1
            if not last and not text.endswith((";", ".")):
                text += ";"
            left.append(para(f"- {text}", S.recipient))
    right: list[Flowable] = []
    if signature.form:
        right.append(para(signature.form.upper(), S.sign))
    if signature.title:
        right.append(para(signature.title.upper(), S.sign))
    if hint:
        right.append(para(hint, S.sign_hint))
    right.append(Spacer(1, 26 * mm))
    if signature.name:
        right.append(para(signature.name, S.sign))
    left_width = width * 0.48
    table = Table([[left, right]], colWidths=[left_width, width - left_width], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    # One row: it never splits, and a paragraph with keepWithNext can stay with it.
    return table


def signer_column(signature: Signature) -> list[Flowable]:
    """The chapter's signer under the foot of a sheet: form, title, room to sign, name."""
    return [
        *([para(signature.form.upper(), S.sign)] if signature.form else []),
        *([para(signature.title.upper(), S.sign)] if signature.title else []),
        Spacer(1, 24 * mm),
        *([para(signature.name, S.sign)] if signature.name else []),
    ]


def hint_column(heading: str, hint: str) -> list[Flowable]:
    """A signing column for someone the sheet does not name ("Người lập" and its hint)."""
    return [para(heading, S.sign), para(hint, S.sign_hint)]


def signing_columns(
    columns: Sequence[list[Flowable]], *, width: float, padding: float | None = None
) -> Flowable:
    """Signing columns side by side in equal widths, kept together on one page
    (``padding``: the cells' left and right padding, reportlab's default when None)."""
    style = [("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if padding is not None:
        style += [("LEFTPADDING", (0, 0), (-1, -1), padding)]
        style += [("RIGHTPADDING", (0, 0), (-1, -1), padding)]
    count = len(columns)
    table = Table([list(columns)], colWidths=[width / count] * count, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return KeepTogether([table])


def scaled_widths(widths_mm: Sequence[float], width: float) -> list[float]:
    """Column widths in the proportions of ``widths_mm``, filling ``width``."""
    scale = width / (sum(widths_mm) * mm)
    return [w * mm * scale for w in widths_mm]


CELL_PADDING = 3
GRID = [
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("GRID", (0, 0), (-1, -1), 0.5, "black"),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]


def grid_table(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    widths: Sequence[float],
    aligns: Sequence[str],
    bold_rows: Iterable[int] = (),
    min_row_height: float | None = None,
) -> Table:
    """A ruled table whose header row repeats on every page it runs onto.

    Cells that fit on one line are drawn as plain strings (fast: long lists have tens of
    thousands of cells); longer ones become wrapping paragraphs.
    """
    bold = set(bold_rows)
    size = S.cell.fontSize
    room = [w - 2 * CELL_PADDING for w in widths]
    data: list[list[object]] = [[para(h, S.head) for h in header]]
    for index, row in enumerate(rows):
        font = BOLD if index in bold else FONT
        cells: list[object] = []
        for column, (value, align) in enumerate(zip(row, aligns, strict=True)):
            text = printable(value)
            if not text:
                cells.append("")
            elif "\n" not in text and pdfmetrics.stringWidth(text, font, size) <= room[column]:
                cells.append(text)
            elif index in bold:
                cells.append(Paragraph(markup(text), S.cell_bold_right if align == "right" else
                                       S.cell_bold))  # fmt: skip
            else:
                cells.append(Paragraph(markup(text), ALIGNED_CELL[align]))
        data.append(cells)
    heights = None
    if min_row_height is not None:
        heights = [None] + [min_row_height] * (len(data) - 1)
    table = Table(data, colWidths=list(widths), rowHeights=heights, repeatRows=1, hAlign="LEFT")
    commands = [
        *GRID,
        ("FONTSIZE", (0, 1), (-1, -1), size),
        ("LEADING", (0, 1), (-1, -1), S.cell.leading),
    ]
    for column, align in enumerate(aligns):
        commands.append(("ALIGN", (column, 1), (column, -1), align.upper()))
    for index in bold:
        commands.append(("FONTNAME", (0, index + 1), (-1, index + 1), BOLD))
    table.setStyle(TableStyle(commands))
    return table


# --- the document ----------------------------------------------------------------------------


def frame_width(orientation: str = PORTRAIT) -> float:
    size = PAGE if orientation == PORTRAIT else landscape(PAGE)
    return size[0] - LEFT_MARGIN - RIGHT_MARGIN


def _page_number(canvas: Canvas, doc) -> None:
    width, height = canvas._pagesize
    mark = getattr(doc, "draft_mark", "")
    if mark:  # "DỰ THẢO" framed in the top right corner of every page
        canvas.saveState()
        size = 12
        text_width = pdfmetrics.stringWidth(mark, BOLD, size)
        x = width - RIGHT_MARGIN - text_width
        y = height - PAGE_NUMBER_FROM_TOP
        canvas.setFont(BOLD, size)
        canvas.drawString(x, y, mark)
        canvas.setLineWidth(0.8)
        canvas.rect(x - 4, y - 4, text_width + 8, size + 6)
        canvas.restoreState()
    number = canvas.getPageNumber()
    if number < 2:
        return
    canvas.saveState()
    canvas.setFont(FONT, S.page_number.fontSize)
    canvas.drawCentredString(width / 2, height - PAGE_NUMBER_FROM_TOP, str(number))
    canvas.restoreState()


def _template(orientation: str) -> PageTemplate:
    size = PAGE if orientation == PORTRAIT else landscape(PAGE)
    frame = Frame(
        LEFT_MARGIN,
        BOTTOM_MARGIN,
        size[0] - LEFT_MARGIN - RIGHT_MARGIN,
        size[1] - TOP_MARGIN - BOTTOM_MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=orientation,
    )
    return PageTemplate(id=orientation, frames=[frame], onPage=_page_number, pagesize=size)


def _fixed_timestamp(moment: datetime) -> TimeStamp:
    stamp = TimeStamp.__new__(TimeStamp)
    stamp.t = moment.timestamp()
    stamp.lt = time.gmtime(stamp.t)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    stamp.tzname = "UTC"
    return stamp


def _canvas_maker(moment: datetime, seed: str) -> Callable[..., Canvas]:
    """A Canvas whose creation date and file ID come from the document, not the clock."""

    class FixedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            kwargs["invariant"] = 1
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = _fixed_timestamp(moment)
            signature = hashlib.md5(usedforsecurity=False)
            signature.update(seed.encode("utf-8"))
            self._doc.signature = signature

    return FixedCanvas


def build_pdf(
    story: list[Flowable],
    *,
    title: str,
    author: str,
    subject: str,
    when: date,
    lang: str,
    first: str = PORTRAIT,
    draft_mark: str = "",
) -> bytes:
    """Lay out ``story`` on A4 pages (``PORTRAIT`` or ``LANDSCAPE`` first) and return the PDF.

    Switch orientation inside the story with ``NextPageTemplate(LANDSCAPE)`` + ``PageBreak()``.
    ``draft_mark`` ("DỰ THẢO") is printed framed in the top right corner of every page.
    """
    register_fonts()
    buffer = io.BytesIO()
    templates = [_template(PORTRAIT), _template(LANDSCAPE)]
    if first == LANDSCAPE:
        templates.reverse()
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAGE if first == PORTRAIT else landscape(PAGE),
        pageTemplates=templates,
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=printable(title),
        author=printable(author),
        subject=printable(subject),
        creator=APP_NAME,
        invariant=1,
        initialFontName=FONT,
        initialFontSize=BODY_SIZE,
        lang="vi-VN" if lang == "vi" else "en-US",
    )
    doc.draft_mark = printable(draft_mark)
    moment = datetime(when.year, when.month, when.day, tzinfo=UTC)
    seed = f"{APP_NAME}|{title}|{subject}|{when.isoformat()}"
    doc.build(story, canvasmaker=_canvas_maker(moment, seed))
    return buffer.getvalue()
