"""TCVN3 (ABC) and VNI-Windows text to Unicode: every Vietnamese letter in both cases, the
detection per cell and per column, and Unicode or ASCII never touched."""

from __future__ import annotations

import unicodedata

import pytest

from chapter_app.domain.legacy_text import (
    TCVN3_TO_UNICODE,
    convert_table,
    guess_cell,
    summary,
    to_unicode,
)

LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
UPPER = LOWER.upper()
VIETNAMESE = [c for c in LOWER if not c.isascii()]  # the 67 letters beyond ASCII
TCVN3_CAPITALS = "ĂÂĐÊÔƠƯ"  # the only capitals TCVN3 has a byte of its own for

# The encoders are built here from the published rules, not from the module's tables.
_TONE_CODES = {"\u0301": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0323": 4}
_VNI_TONE = "ùøûõï"  # sắc huyền hỏi ngã nặng, after a vowel
_VNI_CIRCUMFLEX = "âáàåãä"  # â ê ô: plain, then with each tone
_VNI_BREVE = "êéèúüë"  # ă: plain, then with each tone
_VNI_I = "iíìæóò"  # i: plain, then with each tone (one byte each)


def vni(letter: str) -> str:
    """The VNI-Windows bytes (as Latin-1 characters) of one letter."""
    if letter.lower() == "đ":
        spelled = "ñ"
    else:
        parts = unicodedata.normalize("NFD", letter.lower())
        base, marks = parts[0], parts[1:]
        tone = next((_TONE_CODES[m] for m in marks if m in _TONE_CODES), None)
        index = 0 if tone is None else tone + 1
        if base == "i":
            spelled = _VNI_I[index]
        elif base == "y" and tone == 4:
            spelled = "î"
        elif "\u0302" in marks:
            spelled = base + _VNI_CIRCUMFLEX[index]
        elif "\u0306" in marks:
            spelled = base + _VNI_BREVE[index]
        elif "\u031b" in marks:
            spelled = ("ô" if base == "o" else "ö") + ("" if tone is None else _VNI_TONE[tone])
        else:
            spelled = base + ("" if tone is None else _VNI_TONE[tone])
    return spelled.upper() if letter.isupper() else spelled


def vni_text(text: str) -> str:
    return "".join(vni(c) if c in VIETNAMESE or c.lower() in VIETNAMESE else c for c in text)


TCVN3_OF = {letter: byte for byte, letter in TCVN3_TO_UNICODE.items()}


def tcvn3(text: str) -> str:
    """TCVN3 bytes of ``text`` (small letters; the 7 capitals it has)."""
    return "".join(TCVN3_OF.get(c, c) for c in text)


def test_the_tcvn3_table_covers_every_small_letter_and_its_seven_capitals():
    assert sorted(TCVN3_TO_UNICODE.values()) == sorted(VIETNAMESE + list(TCVN3_CAPITALS))
    assert all(0xA0 < ord(byte) <= 0xFF for byte in TCVN3_TO_UNICODE)


@pytest.mark.parametrize("letter", VIETNAMESE)
def test_every_small_letter_converts_from_both_encodings(letter):
    assert to_unicode(tcvn3(letter), "tcvn3") == letter
    assert to_unicode(vni(letter), "vni") == letter
    word = f"x{letter}n"  # inside a word, between ASCII letters
    assert to_unicode(tcvn3(word), "tcvn3") == word
    assert to_unicode(vni_text(word), "vni") == word


@pytest.mark.parametrize("letter", [c.upper() for c in VIETNAMESE])
def test_every_capital_converts_from_vni_and_from_tcvn3_as_vntimeh(letter):
    assert to_unicode(vni(letter), "vni") == letter
    assert unicodedata.is_normalized("NFC", to_unicode(vni(letter), "vni"))
    # TCVN3 capitals are the small letters' bytes drawn by the .VnTimeH font
    assert to_unicode(tcvn3(letter.lower()), "tcvn3", upper=True) == letter
    if letter in TCVN3_CAPITALS:
        assert to_unicode(tcvn3(letter), "tcvn3") == letter


def test_known_names_convert_as_the_issue_quotes_them():
    assert to_unicode("D\xad¬ng V¨n HiÕu", "tcvn3") == "Dương Văn Hiếu"
    assert to_unicode("Döông Vaên Hieáu", "vni") == "Dương Văn Hiếu"


def test_a_column_of_every_letter_in_both_cases_is_found_and_converted_in_both_encodings():
    words_lower = [f"{letter}" for letter in VIETNAMESE]
    for encode, name in ((tcvn3, "tcvn3"), (vni, "vni")):
        rows = [
            [encode(w), vni_text(w.upper()) if name == "vni" else w.upper()] for w in words_lower
        ]
        rows.insert(0, [encode("Họ và tên"), "ghi chú"])  # evidence of the sheet's encoding
        forced = [list(r) for r in rows]
        convert_table(forced, mode=name)
        assert [r[0] for r in forced[1:]] == words_lower
        if name == "vni":
            assert [r[1] for r in forced[1:]] == [w.upper() for w in words_lower]


def test_capitals_typed_for_vntimeh_become_capitals():
    rows = [[tcvn3("họ và tên")], [tcvn3("nguyễn văn hiếu").upper()], [tcvn3("trần thị ánh")]]
    # .VnTimeH text is typed with capital ASCII letters and the small letters' bytes
    rows[1][0] = "NGUY" + TCVN3_OF["ễ"] + "N V" + TCVN3_OF["ă"] + "N HI" + TCVN3_OF["ế"] + "U"
    conversions = convert_table(rows)
    assert [r[0] for r in rows] == ["họ và tên", "NGUYỄN VĂN HIẾU", "trần thị ánh"]
    assert {c.encoding for c in conversions} == {"tcvn3"}
    marked = [["Hä vµ tªn"], ["nguy" + TCVN3_OF["ễ"] + "n"]]  # set in .VnTimeH by its font
    convert_table(marked, upper_cells=lambda r, c: r == 1)
    assert marked[1][0] == "NGUYỄN"


NAMES = [
    "Dương Văn Hiếu",
    "Nguyễn Thị Ánh",
    "Trần Đình Phúc",
    "Lê Thị Tuyết",
    "Huỳnh Văn Khải",
    "Võ Thị Mỹ Hạnh",
    "Đặng Quốc Việt",
    "Bùi Thị Ngọc Ân",  # TCVN3 has no Ẩ: capitals with tones need .VnTimeH
]


@pytest.mark.parametrize("encode,name", [(tcvn3, "tcvn3"), (vni, "vni")])
def test_a_legacy_sheet_is_detected_headers_included(encode, name):
    header = ["STT", "Họ và tên", "Năm sinh", "Địa chỉ", "Ghi chú"]
    data = [[i + 1, n, 1960 + i, "Thôn Tịnh Kỳ", "Hội viên"] for i, n in enumerate(NAMES)]
    if name == "vni":
        legacy = [[(vni_text(v) if isinstance(v, str) else v) for v in r] for r in [header, *data]]
    else:
        legacy = [[(tcvn3(v) if isinstance(v, str) else v) for v in r] for r in [header, *data]]
    conversions = convert_table(legacy)
    assert legacy == [header, *data]
    assert {c.encoding for c in conversions} == {name}
    report = summary(conversions)
    assert report[name]["cells"] == len(conversions)
    before, after = report[name]["examples"][0]
    assert to_unicode(before, name) == after


def test_unicode_and_ascii_are_never_touched_even_beside_legacy_cells():
    unicode_rows = [
        ["Họ và tên", "Ghi chú"],
        ["Võ Thái Hòa", "Toàn"],  # only Latin-1 letters: "Toàn" is also VNI for "Tồn"
        ["Nguyễn Văn An", "Thôn 3"],
        ["Nguyen Van Binh", "ASCII only"],
        [unicodedata.normalize("NFD", "Trần Thị Bình"), "Hòa"],
    ]
    rows = [list(r) for r in unicode_rows]
    assert convert_table(rows) == []
    assert rows == unicode_rows
    # a mixed sheet: the name column in TCVN3, the rest Unicode
    mixed = [[tcvn3(name), "Thái Hòa", "Toàn"] for name in NAMES]
    conversions = convert_table(mixed)
    assert [r[0] for r in mixed] == NAMES
    assert all(r[1:] == ["Thái Hòa", "Toàn"] for r in mixed)
    assert {c.column for c in conversions} == {0}


def test_modes_off_and_forced():
    rows = [["Hä vµ tªn"]]
    assert convert_table(rows, mode="off") == [] and rows == [["Hä vµ tªn"]]
    rows = [["Toàn"]]  # reads as well as Unicode: auto leaves it, forcing VNI converts it
    assert convert_table([["Toàn"]]) == []
    convert_table(rows, mode="vni")
    assert rows == [["Tồn"]]
    rows = [["Nguyễn"]]  # sure Unicode: never converted, even when forced
    assert convert_table(rows, mode="tcvn3") == [] and rows == [["Nguyễn"]]
    with pytest.raises(ValueError):
        convert_table(rows, mode="viqr")


def test_guess_cell_kinds():
    assert guess_cell("Nguyen Van An").kind == "ascii"
    assert guess_cell("Nguyễn").kind == "unicode"
    assert guess_cell(tcvn3("Nguyễn Văn Hiếu")).encodings == ("tcvn3",)
    assert guess_cell(vni_text("Nguyễn Văn Hiếu")).encodings == ("vni",)


def test_a_capital_abbreviation_beside_a_small_legacy_word_stays_as_typed():
    rows = [[tcvn3("Số CCCD"), tcvn3("Họ và tên"), tcvn3("SĐT")]]
    rows += [["051", tcvn3(name), "09"] for name in NAMES]
    convert_table(rows)
    assert rows[0] == ["Số CCCD", "Họ và tên", "SĐT"]
