"""Vietnamese text conventions: normalisation, search folding, names, collation.

Standard library only. Every function accepts NFC or NFD input and returns NFC text (or a key
built from NFC text), so pasted or imported decomposed text behaves like typed text.

Collation follows Qt's ``QCollator`` for the ``vi_VN`` locale (ICU), which the tests use as the
oracle: letters first (alphabet a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y
z), then tone marks (ngang < huyền < hỏi < ngã < sắc < nặng), then case (lower before upper),
each level compared over the whole string.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "clean_multiline",
    "clean_text",
    "collation_key",
    "fold",
    "join_name",
    "nfc",
    "normalise_name_case",
    "person_sort_key",
    "split_full_name",
]


# --------------------------------------------------------------------------------------------
# Normalisation and cleaning
# --------------------------------------------------------------------------------------------

# C0/C1 control characters, DEL, zero-width space, byte-order mark and the bidirectional
# controls (marks, embeddings, overrides, isolates: no Vietnamese text has them, and they
# can make a name display as another): dropped outright.
# Whitespace controls (tab, newline, CR, VT, FF, NEL) become spaces instead.
_WHITESPACE_CONTROLS = "\t\n\r\x0b\x0c\x85"
_BIDI_CONTROLS = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_DROP = {
    cp: None
    for cp in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x200B, 0xFEFF, *_BIDI_CONTROLS]
    if chr(cp) not in _WHITESPACE_CONTROLS
}
_CLEAN_TABLE = {**_DROP, **{ord(ch): " " for ch in _WHITESPACE_CONTROLS}}
_LINE_BREAKS = ("\r\n", "\r", "\x85", "\u2028", "\u2029")

# Pure functions over short texts that repeat (names, places) are memoised by value: an
# import of thousands of rows folds and collates the same family and given names over and
# over. Bounded, so a long session does not grow without limit.
_MEMO_SIZE = 1 << 14


def nfc(text: str | None) -> str:
    """Return ``text`` in Unicode NFC; ``None`` becomes ``""``."""
    if not text:
        return ""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=_MEMO_SIZE)
def clean_text(text: str | None) -> str:
    """Return single-line NFC text for a form field.

    Control characters are removed (tabs and line breaks become spaces), every run of whitespace
    (including non-breaking and other Unicode spaces) becomes one space, and the ends are
    stripped. ``None`` becomes ``""``.
    """
    if not text:
        return ""
    if not text.isprintable():  # else it has none of the table's characters (all unprintable)
        text = text.translate(_CLEAN_TABLE)
    return " ".join(unicodedata.normalize("NFC", text).split())


def clean_multiline(text: str | None) -> str:
    """Return multi-line NFC text (notes, addresses) with ``\\n`` line breaks.

    ``\\r\\n``, ``\\r`` and Unicode line separators become ``\\n``. Within each line, control
    characters are removed (tabs become spaces), runs of whitespace collapse to one space and
    trailing spaces are stripped; leading indentation is kept (as spaces). Blank lines at the
    start and end of the text are removed; blank lines inside it are kept (as empty lines).
    """
    if not text:
        return ""
    for brk in _LINE_BREAKS:
        text = text.replace(brk, "\n")
    lines = []
    for raw in text.split("\n"):
        line = unicodedata.normalize("NFC", raw.translate(_CLEAN_TABLE))
        body = line.lstrip()
        indent = " " * (len(line) - len(body))
        lines.append(indent + " ".join(body.split()) if body else "")
    return "\n".join(lines).strip("\n")


# --------------------------------------------------------------------------------------------
# Search folding
# --------------------------------------------------------------------------------------------

# After NFD every tone mark and letter diacritic is a combining mark in U+0300..U+036F.
# đ/Đ have no decomposition, so they are mapped explicitly.
_FOLD_TABLE = {cp: None for cp in range(0x0300, 0x0370)}
_FOLD_TABLE.update({ord("đ"): "d", ord("Đ"): "d"})
_FOLD_MARKS = re.compile("[\u0300-\u036f]+")


@lru_cache(maxsize=_MEMO_SIZE)
def fold(text: str | None) -> str:
    """Return the search form of ``text``: no tone marks or diacritics, lower case, đ -> d.

    "Nguyễn Văn An" -> "nguyen van an", "Đỗ Thị Hằng" -> "do thi hang". Works on NFC and NFD
    input; whitespace is cleaned as by :func:`clean_text`; digits and punctuation are kept.
    Search by checking ``fold(query) in fold(stored)``.
    """
    text = unicodedata.normalize("NFD", clean_text(text).casefold())
    if not text.isascii():  # else no mark nor đ to take off
        # as ``text.translate(_FOLD_TABLE)``, faster
        text = _FOLD_MARKS.sub("", text).replace("đ", "d").replace("Đ", "d")
    return unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------


def split_full_name(full: str | None) -> tuple[str, str, str]:
    """Split a full name into ``(family, middle, given)`` after :func:`clean_text`.

    The first word is the family name (*họ*), the last the given name (*tên*), anything between
    the middle name (*tên đệm*): "Nguyễn Thị Minh Anh" -> ("Nguyễn", "Thị Minh", "Anh").
    One word -> ("", "", word); two words -> (family, "", given); empty -> ("", "", "").
    Case is not changed (see :func:`normalise_name_case`). Two-word family names such as
    "Tôn Nữ" cannot be told apart from middle names and end up in ``middle``.
    """
    words = clean_text(full).split(" ")
    if words == [""]:
        return ("", "", "")
    if len(words) == 1:
        return ("", "", words[0])
    return (words[0], " ".join(words[1:-1]), words[-1])


_CAPITALISE_AFTER = frozenset("-'’")


def _capitalise(word: str) -> str:
    chars = list(word.lower())
    for i, ch in enumerate(chars):
        if i == 0 or chars[i - 1] in _CAPITALISE_AFTER:
            chars[i] = ch.upper()
    return "".join(chars)


def normalise_name_case(full: str | None) -> str:
    """Return the cleaned name with each word capitalised: "NGUYỄN VĂN AN" -> "Nguyễn Văn An".

    Works with đ/Đ and every Vietnamese letter; the part after a hyphen or an apostrophe is
    capitalised too ("h’hen niê" -> "H’Hen Niê", "ka-sô" -> "Ka-Sô").
    """
    return " ".join(_capitalise(word) for word in clean_text(full).split(" "))


def join_name(family: str | None, middle: str | None, given: str | None) -> str:
    """Join name parts with single spaces, skipping empty parts; the result is cleaned NFC."""
    return " ".join(
        part for part in (clean_text(family), clean_text(middle), clean_text(given)) if part
    )


# --------------------------------------------------------------------------------------------
# Collation
# --------------------------------------------------------------------------------------------
#
# A key is  primary + "\x02" + secondary + "\x02" + tertiary,  compared by code point (Python
# ``<``, SQLite BINARY: UTF-8 byte order is code point order). Built from NFC text, each
# character is mapped by three ``str.translate`` tables (memoised dicts):
#
# * primary: the base letter or symbol, one character in U+0100.. (Latin Extended, printable);
#   characters outside the tables get "\u024f" + the character (lower-cased), so they sort
#   after all known ones, in code point order;
# * secondary: "0" for each base character followed by one weight per combining mark (tones
#   and other diacritics), as ICU does; trailing "0"s are dropped (harmless: when primaries are
#   equal both strings have the same number of base characters);
# * tertiary: one weight per base character ("0" lower case or uncased, "5" upper case, other
#   digits for space and hyphen variants); trailing "0"s are dropped.
#
# Exact (same order as QCollator vi_VN) for Vietnamese and ASCII letters, digits, whitespace and
# the punctuation in _PRIMARY_ORDER, including combining-mark sequences; other characters are
# approximate (ICU expansions such as æ, ß, "…" are not modelled).

# Primary order as reported by QCollator(vi_VN); tested against it in tests/domain/test_text.py.
_PRIMARY_ORDER = (
    "\t\n\x0b\x0c\r\x85\u2028\u2029 "
    "_-\u2010\u2012\u2013\u2014\u2015,;:!¡?¿.·'\u2039\u203a\"«»()[]{}§¶@*/\\&#%"
    "\u2020\u2021\u2022\u2032`´^¯¨¸°©®+±÷×<=>¬|¦~¤¢$£¥₫€"
    "0123456789"
    "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
)
# Secondary weights of combining marks, lowest first (ICU root order with the Vietnamese
# tailoring of the five tones). Marks in one string share a weight.
_MARK_ORDER = (
    "\u0332",
    "\u0313",
    "\u0314",
    "\u0300",  # huyền
    "\u0309",  # hỏi
    "\u0303",  # ngã
    "\u0301",  # sắc
    "\u0323",  # nặng
    "\u0306",
    "\u0302",
    "\u030c",
    "\u030a",
    "\u0342",
    "\u0308",
    "\u030b",
    "\u0307",
    "\u0338",
    "\u0327",
    "\u0328",
    "\u0304",
    "\u030d\u030e\u0312\u0315\u031a\u033d\u033e\u033f\u0346\u034a\u034b\u034c\u0350\u0351"
    "\u0352\u0357\u035b\u035d\u035e",
    "\u0316\u0317\u0318\u0319\u031c\u031d\u031e\u031f\u0320\u0329\u032a\u032b\u032c\u032f"
    "\u0333\u033a\u033b\u033c\u0347\u0348\u0349\u034d\u034e\u0353\u0354\u0355\u0356\u0359"
    "\u035a\u035c\u035f\u0362",
    "\u0336\u0337",
    "\u0335",
    "\u0305",
    "\u030f",
    "\u0310",
    "\u0311",
    "\u031b",
    "\u0321",
    "\u0322",
    "\u0324",
    "\u0325",
    "\u0326",
    "\u032d",
    "\u032e",
    "\u0330",
    "\u0331",
    "\u0334",
    "\u0339",
    "\u0345",
    "\u0358",
    "\u0360",
    "\u0361",
    "\u0363",
    "\u0368",
    "\u0369",
    "\u0364",
    "\u036a",
    "\u0365",
    "\u036b",
    "\u0366",
    "\u036c",
    "\u036d",
    "\u0367",
    "\u036e",
    "\u036f",
)
# Base letter + modifier that form a separate Vietnamese letter (a primary difference).
_CONTRACTIONS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_CONTRACTIONS.update({(b.upper(), m): v.upper() for (b, m), v in _CONTRACTIONS.items()})

_SOLIDUS_LETTERS = {"ø": "o", "Ø": "O"}

_SEP_LEVEL = "\x02"  # between the levels of one key
_SEP_PART = "\x01"  # between the keys of a person's name parts (below _SEP_LEVEL)
_UNKNOWN_PRIMARY = "\u024f"  # prefix for characters outside _PRIMARY_ORDER

_SEC_COMMON = "0"
# Typographic quotes share the primary of ' or " and differ at the secondary level, with weights
# between the common weight and the marks ("1".."4").
_QUOTE_VARIANTS = {
    "‘": ("'", 1),
    "’": ("'", 2),
    "‚": ("'", 3),
    "‛": ("'", 4),
    "“": ('"', 1),
    "”": ('"', 2),
    "„": ('"', 3),
    "‟": ('"', 4),
}
_SEC_QUOTE_BASE = ord(_SEC_COMMON)
_SEC_MARK = {m: chr(0x35 + i) for i, group in enumerate(_MARK_ORDER) for m in group}
_SEC_OTHER_MARK = chr(0x35 + len(_MARK_ORDER))

_TER_LOWER = "0"
_TER_WIDE = "1"
_TER_COMPAT = "2"
_TER_UPPER = "5"
_TER_NOBREAK = "6"
# Characters sharing a primary with another one, told apart at the tertiary level.
_TERTIARY_VARIANTS = {
    "\u3000": (" ", _TER_WIDE),
    **{chr(cp): (" ", _TER_COMPAT) for cp in [*range(0x2000, 0x200B), 0x205F, 0x1680]},
    **{ch: (" ", _TER_NOBREAK) for ch in "\xa0\u2007\u202f"},
    "\u2011": ("\u2010", _TER_NOBREAK),
}
# Ignored at every level (as ICU does): other controls, format characters, soft hyphen.
_IGNORABLE = frozenset(
    chr(cp)
    for cp in [
        *range(0x00, 0x20),
        0x7F,
        *range(0x80, 0xA0),
        0xAD,
        0x034F,
        *range(0x200B, 0x2010),
        *range(0x2060, 0x2065),
        0xFEFF,
    ]
    if chr(cp) not in _PRIMARY_ORDER
)

_PRIMARY_WEIGHT = {ch: chr(0x100 + rank) for rank, ch in enumerate(_PRIMARY_ORDER)}
assert max(_PRIMARY_WEIGHT.values()) < _UNKNOWN_PRIMARY


def _weights(ch: str) -> tuple[str, str, str]:
    """Return the (primary, secondary, tertiary) weights of one NFC character."""
    if ch in _IGNORABLE:
        return ("", "", "")
    if ch in _PRIMARY_WEIGHT:
        return (_PRIMARY_WEIGHT[ch], _SEC_COMMON, _TER_LOWER)
    if ch in _TERTIARY_VARIANTS:
        base, tertiary = _TERTIARY_VARIANTS[ch]
        return (_PRIMARY_WEIGHT[base], _SEC_COMMON, tertiary)
    if ch in _QUOTE_VARIANTS:
        base, rank = _QUOTE_VARIANTS[ch]
        return (_PRIMARY_WEIGHT[base], chr(_SEC_QUOTE_BASE + rank), _TER_LOWER)
    if ch in _SEC_MARK:  # a mark NFC could not compose with the preceding character
        return ("", _SEC_MARK[ch], "")
    if unicodedata.combining(ch):
        return ("", _SEC_OTHER_MARK, "")
    lower = ch.lower()
    if lower != ch and lower in _PRIMARY_WEIGHT:
        return (_PRIMARY_WEIGHT[lower], _SEC_COMMON, _TER_UPPER)
    if ch in _SOLIDUS_LETTERS:  # ICU: ø = o + combining long solidus overlay
        return _weights_of_sequence(_SOLIDUS_LETTERS[ch] + "\u0338")
    decomposed = unicodedata.normalize("NFD", ch)
    if len(decomposed) > 1 and all(unicodedata.combining(m) for m in decomposed[1:]):
        return _weights_of_sequence(decomposed)
    if len(lower) != 1:
        lower = ch
    return (_UNKNOWN_PRIMARY + lower, _SEC_COMMON, _TER_UPPER if lower != ch else _TER_LOWER)


def _weights_of_sequence(seq: str) -> tuple[str, str, str]:
    """Weights of a base character followed by combining marks (canonical order)."""
    base, marks = seq[0], seq[1:]
    seen_classes = set()
    for i, mark in enumerate(marks):
        ccc = unicodedata.combining(mark)
        if (base, mark) in _CONTRACTIONS and ccc not in seen_classes:
            base = _CONTRACTIONS[base, mark]
            marks = marks[:i] + marks[i + 1 :]
            break
        seen_classes.add(ccc)
    primary, secondary, tertiary = _weights(base)
    secondary += "".join(_SEC_MARK.get(m, _SEC_OTHER_MARK) for m in marks)
    return (primary, secondary, tertiary)


# Secondary-table value of a combining mark left over after NFC: tells collation_key to take the
# slow path, because ICU orders the marks of a character canonically (NFD), not as NFC leaves them.
_STRAY_MARK = "\uffff"


class _Table(dict):
    """A ``str.translate`` table for one level that fills itself in on first use (nothing
    is computed at import: the program's start-up does not wait for it)."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        if self.level == 1 and (ch in _SEC_MARK or unicodedata.combining(ch)):
            value = _STRAY_MARK
        else:
            value = _weights(ch)[self.level]
        self[cp] = value
        return value


_PRIMARY_TABLE = _Table(0)
_SECONDARY_TABLE = _Table(1)
_TERTIARY_TABLE = _Table(2)


@lru_cache(maxsize=_MEMO_SIZE)
def collation_key(text: str | None) -> str:
    """Return a key whose code point order (``<``, SQLite BINARY) is Vietnamese collation.

    Letters over the whole string first (a < ă < â < b ... d < đ ...), then tones (ngang < huyền <
    hỏi < ngã < sắc < nặng), then case (lower before upper) - the order of QCollator for vi_VN.
    NFC and NFD input give the same key. Keys contain no NUL; the lowest character used is
    "\\x01" (in :func:`person_sort_key`).
    """
    if not text:
        return _SEP_LEVEL + _SEP_LEVEL
    text = unicodedata.normalize("NFC", text)
    secondary = text.translate(_SECONDARY_TABLE)
    if not secondary.isascii():  # combining marks NFC could not compose: rare, slow path
        return _collation_key_by_clusters(text)
    return (
        text.translate(_PRIMARY_TABLE)
        + _SEP_LEVEL
        + secondary.rstrip(_SEC_COMMON)
        + _SEP_LEVEL
        + text.translate(_TERTIARY_TABLE).rstrip(_TER_LOWER)
    )


def _collation_key_by_clusters(text: str) -> str:
    """collation_key for NFC text containing uncomposed combining marks."""
    clusters: list[str] = []
    for ch in text:
        if clusters and (ch in _SEC_MARK or unicodedata.combining(ch)):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    levels = [
        _weights(c) if len(c) == 1 else _weights_of_sequence(unicodedata.normalize("NFD", c))
        for c in clusters
    ]
    return (
        "".join(p for p, _, _ in levels)
        + _SEP_LEVEL
        + "".join(s for _, s, _ in levels).rstrip(_SEC_COMMON)
        + _SEP_LEVEL
        + "".join(t for _, _, t in levels).rstrip(_TER_LOWER)
    )


@lru_cache(maxsize=_MEMO_SIZE)
def person_sort_key(family: str | None, middle: str | None, given: str | None) -> str:
    """Return the key that sorts people by given name, then family name, then middle name.

    Each part is compared in full (letters, tones, case) before the next part is looked at, so
    every "An" sorts before every "Án" whatever the family names; this is what sorting a table
    by the columns given, family, middle with QCollator gives. Parts are cleaned first.
    """
    return (
        collation_key(clean_text(given))
        + _SEP_PART
        + collation_key(clean_text(family))
        + _SEP_PART
        + collation_key(clean_text(middle))
    )
