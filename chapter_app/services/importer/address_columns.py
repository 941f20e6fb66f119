"""What the columns of a humanitarian address sheet hold, read cell by cell: the sponsor
and commitment columns, the categories a cell lists, an amount's period named in its
header, the household head and members, and the household's status."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from chapter_app.domain.text import clean_text
from chapter_app.domain.validation import Issue, parse_date, validate_person
from chapter_app.services.importer import fields as F
from chapter_app.services.importer.cells import Names, blank, remap, to_date
from chapter_app.services.importer.people import (
    MSG_STATUS_DATE_ORDER,
    MSG_STATUS_DATE_REQUIRED,
    MSG_UNKNOWN_STATUS,
)

# A sponsor's and a commitment's values: their own key -> the sheet's field.
SPONSOR_FIELDS = {
    "name": "sponsor",
    "kind": "sponsor_kind",
    "contact_name": "sponsor_contact",
    "phone": "sponsor_phone",
    "email": "sponsor_email",
    "address": "sponsor_address",
}
COMMITMENT_FIELDS = {
    "start_on": "commitment_start",
    "end_on": "commitment_end",
    "amount": "commitment_amount",
    "form": "commitment_form",
    "frequency": "commitment_frequency",
    "description": "commitment_description",
    "notes": "commitment_notes",
}
# "Số tiền/tháng", "Mức hỗ trợ hằng tháng": the amount is per month (quarter, year).
_PER = (("thang", "hằng tháng"), ("quy", "hằng quý"), ("nam", "hằng năm"))
_RELATION = re.compile(r"^(.*?)\s*(?:\(([^)]*)\)|[-–:]\s*(.+))?$")


def category_names(categories: Names, text: str) -> list[tuple[str, int | None]]:
    """The categories a cell lists ("Hộ nghèo; Người già neo đơn, không nơi nương tựa"),
    each with its id in ``categories`` or None (naming none, or several: see
    ``categories.issue``): the longest run of pieces that names a category is taken, so a
    name with a comma in it is not cut in two."""
    pieces = [p for p in re.split(r"[,;/+\n]", text)]
    found: list[tuple[str, int | None]] = []
    i = 0
    while i < len(pieces):
        if not pieces[i].strip():
            i += 1
            continue
        for j in range(len(pieces), i, -1):
            name = ", ".join(p.strip() for p in pieces[i:j])
            if categories.candidates(name):
                found.append((name, categories.id_of(name)))
                i = j
                break
        else:
            found.append((pieces[i], None))
            i += 1
    return found


def frequency_in_title(title: str | None) -> str | None:
    """ "hằng tháng" for an amount column headed "Số tiền/tháng" (or per quarter, year)."""
    words = F.header_key(title).split()
    return next((label for word, label in _PER if word in words[1:]), None)


def household_people(
    g: Mapping[str, Any], raw: Mapping[str, Any], *, name_title: str, today: date
) -> tuple[dict[str, Any] | None, list[tuple[dict[str, Any], str | None]], list[Issue]]:
    """The head (when the name column, titled ``name_title``, is headed "chủ hộ") and the
    members of the household as people to add, with the issues found:
    ``({"full_name": ...}, [(person, relation), ...], issues)``."""
    issues: list[Issue] = []
    where = {"unit_id": raw.get("unit_id"), "address": raw.get("street_address")}
    head = None
    if "chu ho" in F.header_key(name_title) and not blank(raw.get("name")):
        person, found = validate_person({"full_name": raw["name"], **where}, today=today)
        issues += remap(found, {"full_name": "name", "given_name": "name"})
        head = {"full_name": person.get("full_name") or raw["name"], **where}
    household = []
    text = g.get("household_members")
    for part in re.split(r"[,;\n]+", str(text)) if not blank(text) else ():
        match = _RELATION.match(clean_text(part))
        name = clean_text(match[1]) if match else ""
        if not name:
            continue
        relation = clean_text(match[2] or match[3] or "") or None
        person, found = validate_person({"full_name": name, **where}, today=today)
        issues += remap(found, {k: "household_members" for k in ("full_name", "given_name")})
        household.append(({"full_name": person.get("full_name") or name, **where}, relation))
    return head, household, issues


def address_status(
    g: Mapping[str, Any], start: date | None
) -> tuple[str | None, date | None, list[Issue]]:
    """The status the row gives and since when (``None`` for "đang theo dõi", the status
    every household starts with), checked against the day it was opened (``start``)."""
    text, on = g.get("status"), g.get("status_on")
    on, issues = to_date(on, "status_on")
    if blank(text):
        return None, None, issues
    status = F.ADDRESS_STATUS_WORDS.get(F.header_key(text))
    if status is None:
        return None, None, [*issues, Issue.error("status", MSG_UNKNOWN_STATUS, text=text)]
    if status == "following":
        return None, None, issues
    if not isinstance(on, date):
        on, found = parse_date(on, field="status_on")
        issues += found
    if not isinstance(on, date):
        if not any(i.is_error for i in issues):
            issues.append(Issue.error("status_on", MSG_STATUS_DATE_REQUIRED, status=text))
        return status, None, issues
    if start is not None and on < start:
        issues.append(
            Issue.error(
                "status_on",
                MSG_STATUS_DATE_ORDER,
                date=f"{on:%d/%m/%Y}",
                start=f"{start:%d/%m/%Y}",
            )
        )
    return status, on, issues
