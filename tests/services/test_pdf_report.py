"""Tests on the bytes of the report PDF (chapter_app.services.pdf.report).

The report is composed from hand-built figures: every indicator has its own distinct
value, and the campaigns are named with every Vietnamese vowel under every tone mark, so
the text read back from the PDF proves each figure and each letter was printed.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from chapter_app.domain.periods import parse_period
from chapter_app.services.indicators import INDICATOR_KEYS, MONEY_KEYS, indicator_blocks
from chapter_app.services.pdf.base import MissingGlyphError
from chapter_app.services.pdf.report import render_pdf
from chapter_app.services.report import labels as L
from chapter_app.services.report.data import compose_report
from chapter_app.services.setup import init_database
from tests.services.test_report_data import OFFICER_TEXTS

Q4 = parse_period("2026-Q4")
ISSUED = date(2027, 1, 5)
SETTINGS = {
    "chapter_name": "Hội Chữ thập đỏ xã Tịnh Kỳ",
    "parent_name": "Hội CTĐ tỉnh Quảng Ngãi",
    "place_name": "Tịnh Kỳ",
    "signer_name": "Nguyễn Thị Hằng",
    "document_code": "CTĐ",
    "signing_form": "TM. BAN THƯỜNG VỤ",
    "signer_title": "CHỦ TỊCH",
    "recipients": ["Hội CTĐ tỉnh Quảng Ngãi", "Đảng ủy xã Tịnh Kỳ", "UBND xã Tịnh Kỳ"],
    "archive_line": "Lưu: VT.",
}
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # ngang huyền hỏi ngã sắc nặng
VOWELS = "aăâeêioôơuưy"
# 24 names: every vowel with every tone, lower case and upper case (plus đ and Đ).
TONE_NAMES = [
    unicodedata.normalize("NFC", f"{prefix} " + " ".join(v + t for t in TONES))
    for vowels, prefix in ((VOWELS, "đợt"), (VOWELS.upper(), "ĐỢT"))
    for v in vowels
]
PAGE_WIDTHS = {round(A4[0], 1), round(A4[1], 1)}


@pytest.fixture(scope="module")
def zero_blocks(tmp_path_factory):
    store = init_database(tmp_path_factory.mktemp("pdf") / "t.db", chapter_name="x")
    blocks = indicator_blocks(store, Q4)
    store.close()
    return blocks


def distinct_blocks(zero_blocks, campaigns=TONE_NAMES):
    """Every indicator gets its own value in every block (money in millions)."""
    blocks = {name: dict(block) for name, block in zero_blocks.items()}
    for i, key in enumerate(INDICATOR_KEYS):
        scale = 1_000 if key in MONEY_KEYS else 1
        blocks["period"][key] = (1_000 + 37 * i) * scale
        blocks["ytd"][key] = (20_000 + 1_234 * i) * scale
        blocks["last_year"][key] = (300 + 7 * i) * scale
    for name in ("period", "ytd", "last_year"):
        blocks[name]["aid.by_campaign"] = {
            campaign: {"records": 1 + j, "person_times": 10 + j, "value": 1_000_000 * (j + 1)}
            for j, campaign in enumerate(campaigns)
        }
    return blocks


def compose(blocks, **kw):
    values = {
        "settings": SETTINGS,
        "period": Q4,
        "blocks": blocks,
        "targets": {"members.new": 50_000, "blood.units": 40_000},
        "lang": "vi",
        "number": 5,
        "issued_on": ISSUED,
    } | kw
    return compose_report(**values).with_narrative(OFFICER_TEXTS)


@pytest.fixture(scope="module")
def data(zero_blocks):
    return compose(distinct_blocks(zero_blocks))


@pytest.fixture(scope="module")
def pdf(data) -> bytes:
    return render_pdf(data)


@pytest.fixture(scope="module")
def reader(pdf) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(reader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def text_runs(page):
    """(x, y, text, font size) of every text run shown on a page, in page coordinates."""
    runs = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        runs.append((x, y, text.strip(), font_size * tm[0] * cm[0]))

    page.extract_text(visitor_text=visit)
    return runs


# --- pages and fonts -------------------------------------------------------------------------


def test_every_page_is_a4_portrait_for_the_text_and_landscape_for_the_annex(reader):
    sizes = [(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1))
             for p in reader.pages]  # fmt: skip
    assert sizes[0] == (round(A4[0], 1), round(A4[1], 1))
    assert all(set(size) == PAGE_WIDTHS for size in sizes)
    assert (round(A4[1], 1), round(A4[0], 1)) in sizes  # the annex pages


def test_every_font_is_an_embedded_liberation_serif_face(reader):
    seen = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            base = str(font["/BaseFont"])
            seen.add(base.split("+", 1)[-1])
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{base} is not embedded"
    assert seen == {
        "LiberationSerif",
        "LiberationSerif-Bold",
        "LiberationSerif-Italic",
        "LiberationSerif-BoldItalic",
    }


def test_the_creation_date_is_the_report_date_not_the_clock(reader):
    assert reader.metadata["/CreationDate"] == "D:20270105000000+00'00'"
    assert reader.metadata["/Title"] == (
        "Kết quả công tác Hội và phong trào Chữ thập đỏ quý IV năm 2026, phương hướng nhiệm vụ "
        "quý I năm 2027"
    )


# --- text --------------------------------------------------------------------------------------


def test_the_first_page_carries_the_letterhead_title_and_subject(reader):
    first = flat(page_texts(reader)[0])
    for expected in (
        "HỘI CTĐ TỈNH QUẢNG NGÃI",
        "HỘI CHỮ THẬP ĐỎ XÃ TỊNH KỲ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/BC-CTĐ",
        "Tịnh Kỳ, ngày 05 tháng 01 năm 2027",
        "BÁO CÁO",
        "Kết quả công tác Hội và phong trào Chữ thập đỏ quý IV năm 2026",
    ):
        assert expected in first


def test_signature_and_recipients_are_printed(reader):
    text = flat(" ".join(page_texts(reader)))
    for expected in (
        "Nơi nhận:",
        "- Hội CTĐ tỉnh Quảng Ngãi (để b/c);",
        "- Đảng ủy xã Tịnh Kỳ;",
        "- UBND xã Tịnh Kỳ;",
        "- Lưu: VT.",
        "TM. BAN THƯỜNG VỤ",
        "CHỦ TỊCH",
        "Nguyễn Thị Hằng",
    ):
        assert expected in text


def test_every_indicator_figure_is_printed(reader, data):
    words = set(" ".join(page_texts(reader)).split())
    missing = []
    for row in data.indicators:
        for value in (row.period, row.ytd, row.last_year):
            if L.number(value, "vi") not in words:
                missing.append((row.key, value))
        if L.signed(row.change, "vi") not in words:
            missing.append((row.key, "change", row.change))
        if row.percent_of_target is not None and L.percent(row.percent_of_target, "vi") not in (
            words
        ):
            missing.append((row.key, "percent"))
    assert missing == []
    assert "1.000" in words  # branches.count: a figure of the brief's form


def test_names_with_every_tone_mark_are_printed_exactly_as_stored(reader):
    text = flat(" ".join(page_texts(reader)))
    assert len(TONE_NAMES) == 24
    missing = [name for name in TONE_NAMES if name not in text]
    assert missing == []


def test_the_narrative_carries_the_money_in_vietnamese_form(reader, data):
    text = flat(" ".join(page_texts(reader)))
    assert flat(data.section("aid").text.split("\n")[0]) in text
    assert "đ" in text


def test_decomposed_text_is_printed_composed(data):
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hằng")
    assert decomposed != "Nguyễn Thị Hằng"
    pdf = render_pdf(replace(data, signer_name=decomposed, include_chart=False))
    text = flat(" ".join(page_texts(PdfReader(io.BytesIO(pdf)))))
    assert "Nguyễn Thị Hằng" in text
    assert "\u0303" not in text and "\u0300" not in text  # no loose combining marks


@pytest.mark.parametrize("bad", ["漢", "🙂", "\u0e01"])
def test_a_character_the_font_lacks_is_refused(data, bad):
    with pytest.raises(MissingGlyphError) as caught:
        render_pdf(replace(data, signer_name=f"Nguyễn {bad}"))
    assert caught.value.char == bad


def test_a_character_the_font_lacks_in_the_narrative_is_refused_too(data):
    with pytest.raises(MissingGlyphError):
        render_pdf(data.with_narrative({"proposals": "Đề nghị ✓ hỗ trợ ☃"}))


def test_the_officers_text_is_printed(data):
    edited = data.with_narrative({"assessment": "Ưu điểm: hoàn thành tốt.\nHạn chế: còn chậm."})
    text = flat(" ".join(page_texts(PdfReader(io.BytesIO(render_pdf(edited))))))
    assert "II. ĐÁNH GIÁ CHUNG Ưu điểm: hoàn thành tốt. Hạn chế: còn chậm." in text


# --- layout ------------------------------------------------------------------------------------


def test_no_text_starts_closer_than_30_mm_to_the_left_edge(reader):
    lefts = [x for page in reader.pages for x, _y, _t, _s in text_runs(page)]
    assert lefts
    assert min(lefts) >= 30 * mm - 0.01
    assert min(lefts) <= 30 * mm + 0.5  # justified text does start at the margin


def test_the_body_is_set_in_13_point(reader, data):
    sentence = data.section("intro").text[:20]
    sizes = {round(size, 1) for x, y, text, size in text_runs(reader.pages[0]) if sentence in text}
    assert sizes == {13.0}


def test_page_one_has_no_number_and_later_pages_are_numbered_top_centre(reader):
    height_of = [float(p.mediabox.height) for p in reader.pages]
    width_of = [float(p.mediabox.width) for p in reader.pages]
    top_runs = [
        [(x, text) for x, y, text, _s in text_runs(page) if y > height_of[i] - 20 * mm]
        for i, page in enumerate(reader.pages)
    ]
    assert top_runs[0] == []
    assert len(reader.pages) >= 3
    for i in range(1, len(reader.pages)):
        assert [text for _x, text in top_runs[i]] == [str(i + 1)]
        x = top_runs[i][0][0]
        assert abs(x + 3.25 - width_of[i] / 2) < 4  # centred (a digit is ~6.5 pt wide)


def test_a_long_annex_breaks_across_pages_with_its_header_repeated(zero_blocks):
    campaigns = [f"Chương trình vận động số {i:03d}" for i in range(1, 81)]
    data = compose(distinct_blocks(zero_blocks, campaigns), number=7)
    reader = PdfReader(io.BytesIO(render_pdf(replace(data, include_chart=False))))
    texts = [flat(t) for t in page_texts(reader)]
    first_annex = next(i for i, t in enumerate(texts) if "PHỤ LỤC" in t)
    with_rows = [
        i for i, t in enumerate(texts) if i >= first_annex and "Chương trình vận động số" in t
    ]
    assert len(with_rows) >= 2, "80 campaigns should not fit on one landscape page"
    for i in with_rows:
        assert "TT Chương trình vận động Lượt trợ giúp Lượt người" in texts[i], i
    printed = [c for c in campaigns if any(c in texts[i] for i in with_rows)]
    assert printed == campaigns
    # the indicator table's header is on the first annex page
    assert "TT Chỉ tiêu Đơn vị tính Trong kỳ Lũy kế năm" in texts[first_annex]
    assert (
        "(Kèm theo Báo cáo số 07/BC-CTĐ ngày 05/01/2027 của Hội Chữ thập đỏ xã Tịnh Kỳ)"
        in (texts[first_annex])
    )


def test_the_indicator_table_repeats_its_header_when_it_breaks(zero_blocks):
    # Long indicator labels (a chapter's long unit names) push the table over a page.
    data = compose(distinct_blocks(zero_blocks, []))
    long_rows = tuple(replace(row, label=row.label + " " + "x" * 180) for row in data.indicators)
    reader = PdfReader(io.BytesIO(render_pdf(replace(data, indicators=long_rows))))
    texts = [flat(t) for t in page_texts(reader)]
    annex = [i for i, t in enumerate(texts) if "xxxxxxxxxx" in t]
    assert len(annex) >= 2
    for i in annex:
        assert "Cùng kỳ năm trước" in texts[i] and "% chỉ tiêu năm" in texts[i]


def test_the_chart_page_is_optional(data, reader):
    without = PdfReader(io.BytesIO(render_pdf(replace(data, include_chart=False))))
    assert len(reader.pages) == len(without.pages) + 1
    chart_title = "Trị giá trợ giúp theo chương trình vận động quý IV năm 2026 (đồng)"
    assert chart_title in flat(page_texts(reader)[-1])
    assert chart_title not in flat(" ".join(page_texts(without)))


# --- determinism -------------------------------------------------------------------------------


def test_the_same_data_gives_the_same_bytes(data, pdf, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert render_pdf(data) == pdf


def test_different_data_gives_different_bytes(data, pdf):
    assert render_pdf(data.with_number(6)) != pdf


# --- English -----------------------------------------------------------------------------------


def test_the_english_report_has_the_same_layout_with_translated_labels(zero_blocks):
    data = compose(distinct_blocks(zero_blocks), lang="en")
    reader = PdfReader(io.BytesIO(render_pdf(data)))
    texts = [flat(t) for t in page_texts(reader)]
    for expected in (
        "SOCIALIST REPUBLIC OF VIET NAM",
        "Independence - Freedom - Happiness",
        "No.: 05/BC-CTĐ",
        "Tịnh Kỳ, 05 January 2027",
        "REPORT",
        "Results of the Red Cross work in quarter IV of 2026 and tasks for quarter I of 2027",
    ):
        assert expected in texts[0]
    whole = " ".join(texts)
    assert "Recipients:" in whole
    assert "No. Indicator Unit This period Year to date" in whole
    assert L.number(1_037, "en") == "1,037" and "1,037" in whole.split()


# --- the bundled font ----------------------------------------------------------------------------


def test_the_bundled_faces_cover_every_vietnamese_letter_and_the_dong_sign():
    from reportlab.pdfbase import pdfmetrics

    from chapter_app.services.pdf.base import FONT_FILES, fonts_dir, register_fonts

    register_fonts()
    letters = [unicodedata.normalize("NFC", v + t) for v in VOWELS + VOWELS.upper() for t in TONES]
    letters += ["đ", "Đ", "₫", "“", "”"]
    assert len(letters) == 12 * 2 * 6 + 5
    for name, file in FONT_FILES.items():
        assert (fonts_dir() / file).is_file()
        cmap = pdfmetrics.getFont(name).face.charToGlyph
        assert [ch for ch in letters if ord(ch) not in cmap] == [], name
    licence = (fonts_dir() / "LICENSE-LiberationSerif.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Reserved Font Name Liberation" in licence
