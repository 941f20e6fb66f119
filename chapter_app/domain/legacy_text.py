"""Vietnamese text typed in the legacy 8-bit encodings TCVN3 (ABC) and VNI-Windows, to Unicode.

Sheets typed in the 1990s-2000s with the ``.VnTime`` (TCVN3) or ``VNI-Times`` fonts store
their bytes as Latin-1 characters: "Dương Văn Hiếu" is ``D­¬ng V¨n HiÕu`` in TCVN3 and
``Döông Vaên Hieáu`` in VNI. :func:`to_unicode` turns such text into NFC Unicode;
:func:`convert_table` finds and converts the legacy cells of a sheet (in place):

- a cell is judged by the Vietnamese syllables each reading gives (``D­¬ng`` read as
  Unicode is no word; read as TCVN3 it is "Dương");
- a cell holding a Vietnamese letter beyond Latin-1 (``ư``, ``ế``, a combining tone mark) is
  Unicode and never touched, nor is plain ASCII;
- a cell that reads as well one way as the other ("Toàn" is "Tồn" in VNI) is converted
  only when its column holds clearly legacy cells of that encoding and no Unicode ones.

TCVN3 has no capital letters with tone marks: capitals were typed with the ``.VnTimeH``
font, which draws the same bytes as capitals. A TCVN3 cell with no small ASCII letter and
a word mixing legacy bytes with two capital ASCII letters or more ("NGUYÔN") is read as
``.VnTimeH`` and converted to capitals, as is a cell
the caller marks as set in such a font (``upper_cells``); in a name whose other words are
capitalised, a word starting with a small toned vowel gets its capital ("Nguyễn Thị ánh"
was typed for "Ánh"). Standard library only.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

MODES = ("auto", "tcvn3", "vni", "off")
ENCODING_NAMES = {"tcvn3": "TCVN3", "vni": "VNI"}

# TCVN3 (ABC, TCVN 5712:1993 VN3): the byte (as a Latin-1 character) of each letter.
_TCVN3_LETTERS = {
    "à": "µ", "á": "¸", "ả": "¶", "ã": "·", "ạ": "¹",
    "ă": "¨", "ằ": "»", "ắ": "¾", "ẳ": "¼", "ẵ": "½", "ặ": "Æ",
    "â": "©", "ầ": "Ç", "ấ": "Ê", "ẩ": "È", "ẫ": "É", "ậ": "Ë",
    "đ": "®",
    "è": "Ì", "é": "Ð", "ẻ": "Î", "ẽ": "Ï", "ẹ": "Ñ",
    "ê": "ª", "ề": "Ò", "ế": "Õ", "ể": "Ó", "ễ": "Ô", "ệ": "Ö",
    "ì": "×", "í": "Ý", "ỉ": "Ø", "ĩ": "Ü", "ị": "Þ",
    "ò": "ß", "ó": "ã", "ỏ": "á", "õ": "â", "ọ": "ä",
    "ô": "«", "ồ": "å", "ố": "è", "ổ": "æ", "ỗ": "ç", "ộ": "é",
    "ơ": "¬", "ờ": "ê", "ớ": "í", "ở": "ë", "ỡ": "ì", "ợ": "î",
    "ù": "ï", "ú": "ó", "ủ": "ñ", "ũ": "ò", "ụ": "ô",
    "ư": "\xad", "ừ": "õ", "ứ": "ø", "ử": "ö", "ữ": "÷", "ự": "ù",
    "ỳ": "ú", "ý": "ý", "ỷ": "û", "ỹ": "ü", "ỵ": "þ",
    "Ă": "¡", "Â": "¢", "Đ": "§", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦",
}  # fmt: skip
TCVN3_TO_UNICODE = {byte: letter for letter, byte in _TCVN3_LETTERS.items()}
_TCVN3_CAPITALS = frozenset("ĂÂĐÊÔƠƯ")  # the capitals TCVN3 has bytes for
_TCVN3_TABLE = str.maketrans(TCVN3_TO_UNICODE)

# VNI-Windows: a base letter followed by one mark byte (or a letter of its own).
_VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_CIRCUMFLEX = {
    "": "â",
    "\u0301": "á",
    "\u0300": "à",
    "\u0309": "å",
    "\u0303": "ã",
    "\u0323": "ä",
}
_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_I = {"": "i", "\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}
_TONES = "\u0301\u0300\u0309\u0303\u0323"

VIETNAMESE_LOWER = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
VIETNAMESE_LETTERS = frozenset(VIETNAMESE_LOWER + VIETNAMESE_LOWER.upper())


def _vni_lower(letter: str) -> str:
    """The VNI-Windows spelling of one lowercase Vietnamese letter."""
    if letter == "đ":
        return "ñ"
    parts = unicodedata.normalize("NFD", letter)
    base, marks = parts[0], parts[1:]
    tone = next((m for m in marks if m in _TONES), "")
    if base == "i":
        return _VNI_I[tone]
    if base == "y" and tone == "\u0323":
        return "î"
    if "\u0302" in marks:  # circumflex: â ê ô
        return base + _VNI_CIRCUMFLEX[tone]
    if "\u0306" in marks:  # breve: ă
        return base + _VNI_BREVE[tone]
    if "\u031b" in marks:  # horn: ơ ư
        return ("ô" if base == "o" else "ö") + _VNI_TONE.get(tone, "")
    return base + _VNI_TONE.get(tone, "")


UNICODE_TO_VNI = {}
for _letter in VIETNAMESE_LOWER:
    if not _letter.isascii():
        UNICODE_TO_VNI[_letter] = _vni_lower(_letter)
        UNICODE_TO_VNI[_letter.upper()] = _vni_lower(_letter).upper()
VNI_TO_UNICODE = {spelling: letter for letter, spelling in UNICODE_TO_VNI.items()}
for _spelling, _letter in list(VNI_TO_UNICODE.items()):
    if len(_spelling) == 2 and _spelling[0].isupper():  # "Aù": capital base, small mark
        VNI_TO_UNICODE.setdefault(_spelling[0] + _spelling[1].lower(), _letter)
_VNI_PATTERN = re.compile(
    "|".join(re.escape(s) for s in sorted(VNI_TO_UNICODE, key=len, reverse=True) if s != "i")
)

# Characters that only Unicode Vietnamese has (beyond Latin-1), and the tone marks.
_UNICODE_ONLY = frozenset(c for c in VIETNAMESE_LETTERS if ord(c) > 0xFF) | frozenset(
    "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"
)

_UNICODE_ONLY_CHAR = re.compile("[" + "".join(sorted(_UNICODE_ONLY)) + "]")

_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_NUCLEI = " ".join(
    [
        "iêu yêu oai oay oeo uây uôi ươi ươu uya uyê uyu ",
        "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ",
        "ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê ",
        "a ă â e ê i o ô ơ u ư y",
    ]
).split()
_SYLLABLE = re.compile(f"{_ONSET}(?:{'|'.join(_NUCLEI)})(?:ch|ng|nh|[cmnpt])?")
_WORDS = re.compile(r"[^\s\d!-/:-@\[-`{-~]+")  # runs of anything but space, digits, ASCII marks


def to_unicode(text: str, encoding: str, *, upper: bool = False) -> str:
    """``text`` read as ``encoding`` ("tcvn3" or "vni"), in NFC; ``upper`` for ``.VnTimeH``."""
    if encoding == "tcvn3":
        result = text.translate(_TCVN3_TABLE)
    elif encoding == "vni":
        result = _VNI_PATTERN.sub(lambda m: VNI_TO_UNICODE[m[0]], text)
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}")
    result = unicodedata.normalize("NFC", result)
    return result.upper() if upper else result


@functools.lru_cache(maxsize=65536)
def _is_syllable(word: str) -> bool:
    parts = unicodedata.normalize("NFD", word.lower())
    if sum(parts.count(t) for t in _TONES) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
    if any(c not in VIETNAMESE_LETTERS for c in bare):
        return False
    return _SYLLABLE.fullmatch(bare) is not None


def score_text(text: str) -> int:
    """Vietnamese syllables minus other words, counting only words beyond ASCII."""
    return _score_words(text)[0]


def _score_words(text: str) -> tuple[int, int]:
    """(score, number of words beyond ASCII) of ``text``."""
    score = words = 0
    for word in _WORDS.findall(text):
        if not word.isascii():
            words += 1
            score += 1 if _is_syllable(word) else -1
    return score, words


def _looks_capital(text: str) -> bool:
    """Typed for ``.VnTimeH``: no small ASCII letter, and a word with legacy letters that
    has two capital ASCII letters or more ("NGUYÔN", not "Sè CCCD" for "Số CCCD")."""
    if any(c.isascii() and c.islower() for c in text):
        return False
    return any(
        not word.isascii() and sum(c.isascii() and c.isupper() for c in word) >= 2
        for word in text.split()
    )


@dataclass(frozen=True)
class CellGuess:
    """How a text cell reads: ``kind`` is "ascii", "unicode" (sure), "legacy" (sure:
    ``encodings`` holds the best reading or the two tied ones) or "either" (as good as
    Unicode in the ``encodings`` listed)."""

    kind: str
    encodings: tuple[str, ...] | None = ()  # None: not worked out ("either": see ``tied``)


_ASCII, _UNICODE, _EITHER = CellGuess("ascii"), CellGuess("unicode"), CellGuess("either", None)


def tied(text: str) -> tuple[str, ...]:
    """The legacy encodings that read ``text`` as well as Unicode does."""
    plain = score_text(text)
    return tuple(e for e in ("tcvn3", "vni") if score_text(to_unicode(text, e)) == plain)


def guess_cell(text: str) -> CellGuess:
    """Which encoding ``text`` was typed in, judged from the text alone."""
    if text.isascii():
        return _ASCII
    if _UNICODE_ONLY_CHAR.search(text) is not None:  # a character no legacy font has
        return _UNICODE
    plain, words = _score_words(text)
    if plain == words:  # every word reads as Vietnamese already: no reading is better
        return _EITHER
    scores = {enc: score_text(to_unicode(text, enc)) for enc in ("tcvn3", "vni")}
    best = max(scores.values())
    if best > plain:
        return CellGuess("legacy", tuple(e for e, s in scores.items() if s == best))
    return CellGuess("either", tuple(e for e, s in scores.items() if s == plain))


@dataclass(frozen=True)
class Conversion:
    """One cell converted: 0-based ``row`` and ``column``, the encoding and both texts."""

    row: int
    column: int
    encoding: str  # "tcvn3" or "vni"
    before: str
    after: str


def convert_table(
    rows: list[list[Any]],
    *,
    mode: str = "auto",
    upper_cells: Callable[[int, int], bool] | None = None,
    texts: Iterable[str] | None = None,
) -> list[Conversion]:
    """Convert the legacy text cells of ``rows`` to Unicode in place; the conversions made.

    ``mode``: "auto" (judge each cell and column), "tcvn3"/"vni" (every cell that is not
    ASCII nor sure Unicode is read in that encoding) or "off". ``upper_cells(row, column)``
    says a cell is set in a capitals-only font (``.VnTimeH``). A cell that reads as well
    as Unicode as in a legacy encoding is converted only on its column's evidence (sure
    legacy cells, no Unicode ones) or, when it is the only such cell of a column with no
    evidence (a header over numbers), its row's. ``texts``: the distinct text values of
    ``rows``, when the caller has them.
    """
    if mode not in MODES:
        raise ValueError(f"unknown legacy mode {mode!r}")
    if mode == "off":
        return []
    if texts is None:
        texts = {value for row in rows for value in row if value.__class__ is str}
    # each distinct text judged once
    seen = {value: guess_cell(value) for value in texts if not value.isascii()}
    if mode == "auto" and not any(g.kind == "legacy" for g in seen.values()):
        return []  # no cell is surely legacy: no evidence to convert any other either
    guesses: dict[tuple[int, int], CellGuess] = {}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value.__class__ is str and value in seen:
                guesses[r, c] = seen[value]
    chosen = _choose(guesses, rows) if mode == "auto" else _forced(guesses, mode)
    conversions = []
    for (r, c), encoding in chosen.items():
        before = rows[r][c]
        upper = encoding == "tcvn3" and (
            _looks_capital(before) or (upper_cells is not None and upper_cells(r, c))
        )
        after = to_unicode(before, encoding, upper=upper)
        if encoding == "tcvn3" and not upper:
            after = _capital_initials(after)
        if after != before:
            rows[r][c] = after
            conversions.append(Conversion(r, c, encoding, before, after))
    return conversions


def _capital_initials(text: str) -> str:
    """ "Nguyễn Thị ánh" -> "Nguyễn Thị Ánh": TCVN3 has no capital Á, Ấ, Ố...; in a name
    whose other words are capitalised, a word starting with such a letter gets it."""
    words = text.split(" ")
    starts = [w[0] for w in words if w and w[0].isalpha()]
    if len(starts) < 2 or not any(c.isupper() for c in starts):
        return text
    small = [c for c in starts if c.islower()]
    if not small or any(c.isascii() or c.upper() in _TCVN3_CAPITALS for c in small):
        return text
    return " ".join(w[:1].upper() + w[1:] if w[:1].islower() else w for w in words)


def _forced(guesses: dict[tuple[int, int], CellGuess], encoding: str) -> dict:
    return {key: encoding for key, g in guesses.items() if g.kind in ("legacy", "either")}


def _choose(
    guesses: dict[tuple[int, int], CellGuess], rows: list[list[Any]]
) -> dict[tuple[int, int], str]:
    """The encoding of each cell to convert, with its column's and the sheet's evidence."""
    sure: dict[int, dict[str, int]] = {}  # column -> encoding -> cells sure of it
    sure_rows: dict[int, dict[str, int]] = {}  # the same by row
    unicode_columns: set[int] = set()
    unicode_rows: set[int] = set()
    either_count: dict[int, int] = {}
    for (r, c), guess in guesses.items():
        if guess.kind == "either":
            either_count[c] = either_count.get(c, 0) + 1
        if guess.kind == "unicode":
            unicode_columns.add(c)
            unicode_rows.add(r)
        elif guess.kind == "legacy" and len(guess.encodings) == 1:
            for counts in (sure.setdefault(c, {}), sure_rows.setdefault(r, {})):
                counts[guess.encodings[0]] = counts.get(guess.encodings[0], 0) + 1
    sheet: dict[str, int] = {}
    for counts in sure.values():
        for encoding, n in counts.items():
            sheet[encoding] = sheet.get(encoding, 0) + n
    total = sum(sheet.values())
    dominant = next((e for e, n in sheet.items() if total >= 3 and n >= 0.9 * total), None)
    chosen = {}
    for (r, c), guess in guesses.items():
        if guess.kind == "legacy" and dominant and dominant not in guess.encodings:
            # one encoding to a sheet: "SÑT" is "SĐT" in a VNI sheet, though "SẸT" reads
            # better as a word in TCVN3
            text = rows[r][c]
            if score_text(to_unicode(text, dominant)) >= score_text(text):
                chosen[r, c] = dominant
                continue
        if guess.kind == "legacy":
            if len(guess.encodings) == 1:
                chosen[r, c] = guess.encodings[0]
            else:
                chosen[r, c] = _majority(guess.encodings, sure.get(c, {}), sheet)
        elif guess.kind == "either" and c not in unicode_columns:
            # the column's evidence or, for the one such cell of a column with none (a
            # header over numbers, say), its row's
            evidence = sure.get(c)
            if not evidence and either_count[c] == 1 and r not in unicode_rows:
                evidence = sure_rows.get(r, {})
            if not evidence:
                continue
            encodings = guess.encodings if guess.encodings is not None else tied(rows[r][c])
            candidates = [e for e in encodings if evidence.get(e)]
            if candidates:
                chosen[r, c] = _majority(tuple(candidates), evidence, sheet)
    return chosen


def _majority(encodings: Iterable[str], column: dict[str, int], sheet: dict[str, int]) -> str:
    return max(encodings, key=lambda e: (column.get(e, 0), sheet.get(e, 0), e == "tcvn3"))


def summary(conversions: list[Conversion], *, examples: int = 3) -> dict[str, Any]:
    """``{"tcvn3": {"cells": n, "examples": [(before, after), ...]}, ...}`` for a preview."""
    found: dict[str, Any] = {}
    for conversion in conversions:
        entry = found.setdefault(conversion.encoding, {"cells": 0, "examples": []})
        entry["cells"] += 1
        pair = (conversion.before, conversion.after)
        if len(entry["examples"]) < examples and pair not in entry["examples"]:
            entry["examples"].append(pair)
    return found
