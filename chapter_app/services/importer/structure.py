"""The chi hội and thôn a sheet names: found in the register, or noted as missing.

Lookups are tone-, case- and prefix-insensitive ("CHI HOI THON 3" is "Chi hội Thôn 3",
"An Vĩnh" is "Thôn An Vĩnh"). What the register lacks becomes a :class:`MissingRef` with
the name it would be created under; :func:`create_missing` creates the chosen ones inside
the import's operation, so they exist only if the import is committed.
"""

from __future__ import annotations

import re
from typing import Any

from chapter_app.domain.organisation import branch_key, unit_key
from chapter_app.domain.text import clean_text, fold
from chapter_app.domain.validation import Issue
from chapter_app.services import organisation as org
from chapter_app.services.by_name import name_issue
from chapter_app.services.importer.outcomes import MissingRef
from chapter_app.store.store import Store

_BRANCH_PREFIX = "chi hoi"
_STOP_WORDS = {"nam", "xa", "phuong", "thi", "tran", "tinh", "huyen", "quy", "dot", "tu", "den"}


def _title_case(text: str) -> str:
    """ "CHI HỘI THÔN 3" -> "Chi hội Thôn 3"; text with lower-case letters is kept as typed."""
    text = clean_text(text)
    if text != text.upper():
        return text
    words = text.title().split()
    if len(words) >= 2 and fold(" ".join(words[:2])) == _BRANCH_PREFIX:
        words[1] = words[1].lower()
    return " ".join(words)


def branch_name(text: Any) -> str:
    """The name a chi hội named ``text`` in a sheet is created under ("Chi hội Thôn 3")."""
    name = _title_case(str(text))
    if not fold(name).startswith(_BRANCH_PREFIX + " "):
        name = f"Chi hội {name}"
    return name


def unit_name(text: Any) -> str:
    return _title_case(str(text))


def branch_in_titles(lines: list[str]) -> str | None:
    """The chi hội a title row names: "DANH SÁCH HỘI VIÊN CHI HỘI THÔN AN VĨNH NĂM 2026"
    -> "THÔN AN VĨNH" (the words after "chi hội", up to a year, a place word or a dash)."""
    for line in lines:
        words = clean_text(line).split()
        folded = [fold(w).strip(",.:;()") for w in words]
        for i in range(len(words) - 2):
            if folded[i] != "chi" or folded[i + 1] != "hoi":
                continue
            taken = []
            for word, key in zip(words[i + 2 :], folded[i + 2 :], strict=True):
                if key in _STOP_WORDS or word in ("-", "–") or re.fullmatch(r"[0-9]{4}", key):
                    break
                taken.append(word.strip(",.:;()"))
                if word.endswith((",", ".", ";", ":")):
                    break
            if taken:
                return " ".join(taken)
    return None


class References:
    """Chi hội and thôn named by a sheet: ids of those on file, missing ones noted."""

    def __init__(self, store: Store):
        self.store = store
        self._found: dict[tuple[str, str], int | str | Issue] = {}
        self.missing: dict[str, MissingRef] = {}
        self.units_of: dict[str, set[int | str]] = {}  # missing chi hội -> thôn its rows name

    def _resolve(self, what: str, text: Any) -> int | str | Issue:
        """The record's id, or the key of a :class:`MissingRef` when the register lacks it,
        or the error naming the records a name fits when it fits several (field ``what``)."""
        cache = (what, str(text))
        if cache not in self._found:
            if what == "branch":
                found = self.store.branches.named(str(text))
                name, noun = branch_name(text), "chi hội"
            else:
                found = org.units_named(self.store, str(text), follow_merges=True)
                name, noun = unit_name(text), "thôn/tổ dân phố"
            record = found[0] if len(found) == 1 else None
            if len(found) > 1:
                typed = clean_text(str(text))
                issue = name_issue(found, text=typed, field=what, what=noun)
                self._found[cache] = issue
                return issue
            if record is not None:
                self._found[cache] = record.id
            else:
                plain = branch_key(name) if what == "branch" else unit_key(name)
                key = f"{what}:{plain}"
                self.missing.setdefault(key, MissingRef(key, what, name))
                self._found[cache] = key
        found = self._found[cache]
        if isinstance(found, str):
            ref = self.missing[found]
            self.missing[found] = MissingRef(ref.key, ref.what, ref.name, ref.rows + 1)
        return found

    def lookup_branch(self, text: Any) -> int | None:
        """The id of the chi hội named ``text``, if on file (nothing noted as missing)."""
        cache = ("branch", str(text))
        if cache in self._found:
            found = self._found[cache]
            return found if isinstance(found, int) else None
        record = org.find_branch(self.store, str(text))
        return record.id if record is not None else None

    def branch(self, text: Any) -> int | str | Issue:
        return self._resolve("branch", text)

    def unit(self, text: Any) -> int | str | Issue:
        return self._resolve("unit", text)

    def refs(self) -> list[MissingRef]:
        return sorted(self.missing.values(), key=lambda m: (m.what != "branch", fold(m.name)))


def create_missing(
    store: Store, refs: list[MissingRef], units_of: dict[str, set[int | str]] | None = None
) -> dict[str, int]:
    """Create the chosen thôn, then the chosen chi hội covering the thôn their rows name
    (``units_of``: chi hội key -> unit ids or keys), inside the caller's operation.
    Returns key -> new id."""
    created: dict[str, int] = {}
    for ref in refs:
        if ref.what == "unit":
            created[ref.key] = org.add_unit(store, name=ref.name).id
    for ref in refs:
        if ref.what == "branch":
            named = (units_of or {}).get(ref.key, ())
            unit_ids = sorted({created.get(u) if isinstance(u, str) else u for u in named} - {None})
            created[ref.key] = org.add_branch(store, name=ref.name, unit_ids=unit_ids).id
    return created
