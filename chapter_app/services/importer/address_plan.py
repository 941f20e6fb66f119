"""Planning a humanitarian address sheet row by row: the household with its categories,
status, head and members, and the sponsor with a commitment when the row names one; a
further row of the same household (in the file) adds a sponsor to it, and a household on
file is offered for update."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chapter_app.domain import models as m
from chapter_app.domain.text import clean_text, fold
from chapter_app.domain.validation import (
    N_,
    Issue,
    validate_address,
    validate_commitment,
    validate_sponsor,
)
from chapter_app.services.importer.address_columns import (
    COMMITMENT_FIELDS,
    SPONSOR_FIELDS,
    address_status,
    category_names,
    frequency_in_title,
    household_people,
)
from chapter_app.services.importer.cells import Names, blank, remap, to_date, to_text
from chapter_app.services.importer.outcomes import Duplicate, PlannedRow
from chapter_app.services.importer.planner import Planner
from chapter_app.services.reference_lists import aid_form_aliases

MSG_UNKNOWN_CATEGORY = N_("Không có diện đối tượng “{name}” trong danh mục.")
MSG_SPONSOR_MISSING = N_("Có thông tin tài trợ nhưng chưa ghi tên nhà tài trợ.")
MSG_ADDRESS_ON_FILE = N_("Địa chỉ nhân đạo “{name}” đã có trong sổ.")
CATEGORY_NOUN, SPONSOR_NOUN = "diện đối tượng", "nhà tài trợ"  # as errors name them

_TEXT_FIELDS = (
    "name",
    "street_address",
    "circumstances",
    "needs",
    "file_no",
    "registry_id",
    "notes",
)


@dataclass
class AddressPayload:
    """What a planned row hands the writer."""

    raw: dict[str, Any]
    given: dict[str, Any]
    status: str | None
    status_on: date | None
    sponsor: dict[str, Any] | None
    commitment: dict[str, Any] | None
    continues: tuple[str, int] | None = None  # (sheet, row) of the same address earlier
    head: dict[str, Any] | None = None  # the household head as a person (name column "chủ hộ")
    household: list[tuple[dict[str, Any], str | None]] = field(default_factory=list)


class AddressPlanner(Planner):
    kind = "addresses"

    def __init__(self, store, layout, *, today, defaults):
        super().__init__(store, layout, today=today, defaults=defaults)
        self.forms = aid_form_aliases(store) or None
        self.categories = Names(store.categories.list())
        self.sponsors = Names(store.sponsors.list())
        self.on_file: dict[str, list[m.Address]] = {}
        for address in store.addresses.list():
            self.on_file.setdefault(fold(address.name), []).append(address)
        self.in_file: dict[str, list[tuple[int, str, str]]] = {}  # name: (row, street, sheet)

    def plan_row(self, row: int, values: Sequence[Any]) -> PlannedRow:
        g = self.gather(values)
        issues: list[Issue] = []
        sources: dict[str, str | None] = {}
        unit_id, found = self.resolve_unit(g, "street_address")
        issues += found
        raw: dict[str, Any] = {"unit_id": unit_id} if unit_id is not None else {}
        for key in _TEXT_FIELDS:
            raw[key] = to_text(g.get(key))
        for key in ("opened_on", "survey_date", "certified_on"):
            raw[key], found = to_date(g.get(key), key)
            issues += found
        raw["category_ids"] = self.category_ids(g, issues)
        cleaned, found = validate_address(raw, today=self.today)
        issues += found
        head, household, found = household_people(
            g, raw, name_title=self.title_of("name"), today=self.today
        )
        issues += found
        status, status_on, found = address_status(g, cleaned.get("opened_on"))
        issues += found
        sponsor, commitment = self.sponsor_and_commitment(g, cleaned, issues, sources)

        label = cleaned.get("name") or ""
        duplicate = continues = None
        if not any(i.is_error for i in issues):
            duplicate, continues = self.same_household(row, cleaned, sponsor, issues)
            if continues is not None:
                label += f" (thêm nhà tài trợ cho địa chỉ ở dòng {continues[1]})"
        given = {k: v for k, v in raw.items() if not blank(v) and v != []}
        payload = AddressPayload(
            raw, given, status, status_on, sponsor, commitment, continues, head, household
        )
        return self.finish(row, label, issues, sources, duplicate=duplicate, payload=payload)

    def title_of(self, key: str) -> str | None:
        """The header of the column read as ``key`` (None when the sheet has none)."""
        index = self.columns.get(key)
        return None if index is None else self.layout.columns[index].title

    def category_ids(self, g, issues: list[Issue]) -> list[int]:
        """The ids of the categories the row lists (an unknown one is an error)."""
        ids: list[int] = []
        if blank(g.get("categories")):
            return ids
        for name, category_id in category_names(self.categories, str(g["categories"])):
            if category_id is None and self.categories.candidates(name):  # several
                issues.append(self.categories.issue(name, field="categories", what=CATEGORY_NOUN))
            elif category_id is None:
                issues.append(
                    Issue.error("categories", MSG_UNKNOWN_CATEGORY, name=clean_text(name))
                )
            elif category_id not in ids:
                ids.append(category_id)
        return ids

    def sponsor_and_commitment(self, g, cleaned, issues: list[Issue], sources):
        """The sponsor and commitment values the row names (``(None, None)`` when none; an
        error when commitment columns are filled without a sponsor)."""
        if blank(g.get("sponsor")):
            if any(not blank(g.get(v)) for v in COMMITMENT_FIELDS.values()):
                issues.append(Issue.error("sponsor", MSG_SPONSOR_MISSING))
            return None, None
        sponsor = {k: to_text(g.get(v)) for k, v in SPONSOR_FIELDS.items()}
        if len(self.sponsors.candidates(g["sponsor"])) > 1:  # one on file, or a new one
            issues.append(self.sponsors.issue(g["sponsor"], field="sponsor", what=SPONSOR_NOUN))
        _, found = validate_sponsor(sponsor)
        issues += remap(found, SPONSOR_FIELDS)
        commitment: dict[str, Any] = {k: to_text(g.get(v)) for k, v in COMMITMENT_FIELDS.items()}
        for key in ("start_on", "end_on"):
            commitment[key], found = to_date(g.get(COMMITMENT_FIELDS[key]), COMMITMENT_FIELDS[key])
            issues += found
        if blank(commitment["start_on"]):
            commitment["start_on"] = cleaned.get("opened_on")
            sources["commitment_start"] = "opened_on"
        commitment["amount"] = g.get("commitment_amount")
        if blank(commitment.get("frequency")):
            commitment["frequency"] = frequency_in_title(self.title_of("commitment_amount"))
        _, found = validate_commitment(commitment, today=self.today, forms=self.forms)
        issues += remap(found, COMMITMENT_FIELDS)
        return sponsor, commitment

    def same_household(self, row: int, cleaned, sponsor, issues: list[Issue]):
        """``(duplicate, continues)``: an earlier row of the file with the same name (and
        street, where both give one) is continued when this row names a sponsor, else a
        duplicate; otherwise a household on file of that name is a duplicate (a warning)."""
        key = fold(cleaned["name"])
        street = fold(cleaned.get("street_address"))
        earlier, sheet = next(
            (
                (r, sh)
                for r, s, sh in self.in_file.get(key, ())
                if not s or not street or s == street
            ),
            (None, ""),
        )
        if earlier is not None and sponsor is not None:
            return None, (sheet, earlier)
        if earlier is not None:
            return Duplicate(
                f"dòng {earlier} trong tệp ({cleaned['name']})", same_as_row=earlier
            ), None
        duplicate = None
        match = next(
            (
                a
                for a in self.on_file.get(key, ())
                if not a.street_address or not street or fold(a.street_address) == street
            ),
            None,
        )
        if match is not None:
            issues.append(Issue.warning("name", MSG_ADDRESS_ON_FILE, name=match.name))
            duplicate = Duplicate(
                f"địa chỉ nhân đạo “{match.name}”"
                + (f", {match.street_address}" if match.street_address else ""),
                record_id=match.id,
            )
        self.in_file.setdefault(key, []).append((row, street, self.sheet))
        return duplicate, None
