"""The chapter's organisation: chi hội kinds and ratings, officer titles, name keys.

Names of chi hội and thôn are compared without tones, case or a leading kind word:
"Chi hội thôn 3" = "CHI HOI THON 3" = "thôn 3"; "An Vĩnh" finds "Thôn An Vĩnh".
Standard library only.
"""

from __future__ import annotations

from chapter_app.domain.by_name import the_one
from chapter_app.domain.models import BranchKind, UnitKind
from chapter_app.domain.text import clean_text, fold
from chapter_app.domain.validation import N_

BRANCH_KINDS = {
    BranchKind.RESIDENTIAL: N_("Thôn, tổ dân phố"),
    BranchKind.AGENCY: N_("Cơ quan"),
    BranchKind.SCHOOL: N_("Trường học"),
    BranchKind.INTEREST: N_("Nghề nghiệp, sở thích"),
}

UNIT_KINDS = {
    UnitKind.THON: N_("Thôn"),
    UnitKind.TO_DAN_PHO: N_("Tổ dân phố"),
    UnitKind.AP: N_("Ấp"),
    UnitKind.BAN: N_("Bản"),
    UnitKind.KHU_PHO: N_("Khu phố"),
}

# Yearly rating of a chi hội, best first.
RATINGS = {
    "strong": N_("Vững mạnh"),
    "good": N_("Khá"),
    "average": N_("Trung bình"),
    "weak": N_("Yếu"),
}

# Officers; the report's signer comes from the chairman (or a vice chairman "KT.").
OFFICER_TITLES = {
    "chairman": N_("Chủ tịch"),
    "vice_chairman": N_("Phó Chủ tịch"),
    "standing_member": N_("Ủy viên Ban Thường vụ"),
    "member": N_("Ủy viên Ban Chấp hành"),
}

# Leading words of a name that say what kind of thing it is (folded, longest first).
BRANCH_PREFIXES = ("chi hoi",)
UNIT_PREFIXES = ("to dan pho", "khu pho", "thon", "ap", "ban", "to", "khu", "xom", "lang")
UNIT_KIND_PREFIXES = {
    "to dan pho": UnitKind.TO_DAN_PHO,
    "khu pho": UnitKind.KHU_PHO,
    "thon": UnitKind.THON,
    "ap": UnitKind.AP,
    "ban": UnitKind.BAN,
}


def strip_prefix(folded: str, prefixes: tuple[str, ...]) -> tuple[str, str]:
    """``(prefix, rest)`` of a folded name; prefix is "" when the name has none of them."""
    for prefix in prefixes:
        if folded.startswith(prefix + " ") and folded[len(prefix) + 1 :].strip():
            return prefix, folded[len(prefix) + 1 :].strip()
    return "", folded


def branch_key(name: str | None) -> str:
    """The comparison key of a chi hội name: folded, without "chi hội" (and then a unit word)."""
    _prefix, rest = strip_prefix(fold(name), BRANCH_PREFIXES)
    return rest


def branch_short_key(name: str | None) -> str:
    """A chi hội name without "chi hội" and a unit word: "Chi hội thôn An Vĩnh" -> "an vinh"."""
    _prefix, rest = strip_prefix(branch_key(name), UNIT_PREFIXES)
    return rest


def same_branch_name(a: str | None, b: str | None) -> bool:
    """Whether two chi hội names name the same chi hội: "Chi hội thôn 3" = "CHI HOI THON 3"
    = "Thôn 3"; "Chi hội Trung Hải" = "Chi hội thôn Trung Hải"; "Chi hội tổ 3" is another."""
    if branch_key(a) == branch_key(b):
        return True
    (pa, ra), (pb, rb) = (strip_prefix(branch_key(n), UNIT_PREFIXES) for n in (a, b))
    return ra == rb and (not pa or not pb or pa == pb)


def branches_named(branches: list, text: str | None) -> list:
    """The chi hội of ``branches`` (having ``.name`` and ``.dissolved_on``) that ``text``
    names, as ``by_name.named`` settles a name: those named exactly ``text``, else the same
    name without tones and case, else without "chi hội", else the same short name ("Khê
    Thủy" for "Chi hội thôn Khê Thủy"). Of several found at one step, the only live one is
    taken; otherwise all of them are returned, for the caller to refuse."""
    if not fold(text):
        return []
    for key in (clean_text, fold, branch_key, branch_short_key):
        wanted = key(text)
        found = [b for b in branches if key(b.name) == wanted]
        if found:
            live = [b for b in found if b.dissolved_on is None]
            return live if len(live) == 1 else found
    return []


def find_by_branch_name(branches: list, text: str | None):
    """The one chi hội of ``branches`` that ``text`` names (:func:`branches_named`), or None
    when it names none or several."""
    return the_one(branches_named(branches, text))


def unit_key(name: str | None) -> str:
    """The comparison key of a thôn name: folded, without "thôn", "tổ dân phố", "ấp", ..."""
    _prefix, rest = strip_prefix(fold(name), UNIT_PREFIXES)
    return rest


def unit_prefix(name: str | None) -> str:
    """The folded kind word a thôn name starts with ("" when none)."""
    return strip_prefix(fold(name), UNIT_PREFIXES)[0]


def same_unit_name(a: str | None, b: str | None) -> bool:
    """Whether two thôn names name the same thôn: "Thôn An Vĩnh" = "AN VINH" = "thon an
    vinh"; "Tổ An Vĩnh" is another thôn than "Thôn An Vĩnh"."""
    if fold(a) == fold(b):
        return True
    if unit_key(a) != unit_key(b):
        return False
    pa, pb = unit_prefix(a), unit_prefix(b)
    return not pa or not pb or pa == pb


def units_named(units: list, text: str | None) -> list:
    """The thôn of ``units`` (having ``.name`` and ``.merged_into_id``) that ``text`` names,
    as ``by_name.named`` settles a name: those named exactly ``text``, else the same name
    without tones and case, else without "thôn", "tổ dân phố", ... (:func:`same_unit_name`).
    Of several found at one step, the only one not merged away is taken; otherwise all of
    them are returned, for the caller to refuse."""
    if not fold(text):
        return []
    typed, folded = clean_text(text), fold(text)
    steps = (
        lambda u: clean_text(u.name) == typed,
        lambda u: fold(u.name) == folded,
        lambda u: same_unit_name(u.name, text),
    )
    for fits in steps:
        found = [u for u in units if fits(u)]
        if found:
            live = [u for u in found if u.merged_into_id is None]
            return live if len(live) == 1 else found
    return []


def unit_kind_of(name: str | None, default: str = UnitKind.THON) -> str:
    """The unit kind a name's leading word says ("Tổ dân phố 5" -> to_dan_pho)."""
    return UNIT_KIND_PREFIXES.get(unit_prefix(name), default)
