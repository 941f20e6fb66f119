"""A person's stored name columns, worked out once from the parts or the full name."""

from __future__ import annotations

from typing import NamedTuple

from chapter_app.domain.text import clean_text, fold, person_sort_key, split_full_name


class NameParts(NamedTuple):
    """The name columns a person is stored with (:data:`NAME_COLUMNS`, in this order)."""

    family_name: str
    middle_name: str
    given_name: str
    full_name: str
    sort_key: str
    search_fold: str

    @classmethod
    def of(
        cls,
        family: str | None,
        middle: str | None,
        given: str | None,
        full: str | None = None,
    ) -> NameParts:
        """From the parts when any is given (each cleaned), else from ``full`` split into
        family, middle and given; ``ValueError`` when that leaves no given name."""
        if family or middle or given:
            family, middle, given = clean_text(family), clean_text(middle), clean_text(given)
        else:
            family, middle, given = split_full_name(full or "")
        if not given:
            raise ValueError("a person needs at least a given name")
        joined = " ".join(filter(None, (family, middle, given)))  # join_name: parts are clean
        key = person_sort_key(family, middle, given)
        return cls(family, middle, given, joined, key, fold(joined))


NAME_COLUMNS: tuple[str, ...] = NameParts._fields
