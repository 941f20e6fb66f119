"""Humanitarian address sheets: the household, its categories and status, and the sponsor
with a commitment when the row names one (a further row of the same household adds a
sponsor to it)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from chapter_app.domain import models as m
from chapter_app.domain.text import clean_text, fold
from chapter_app.domain.validation import (
    N_,
    Issue,
    ValidationFailed,
    parse_date,
    validate_address,
    validate_commitment,
    validate_person,
    validate_sponsor,
)
from chapter_app.services import records as rec
from chapter_app.services.importer import fields as F
from chapter_app.services.importer.cells import blank, lookup, remap, resolver, to_date, to_text
from chapter_app.services.importer.outcomes import Duplicate, PlannedRow, refuse_row
from chapter_app.services.importer.people import (
    MSG_STATUS_DATE_ORDER,
    MSG_STATUS_DATE_REQUIRED,
    MSG_UNKNOWN_STATUS,
)
from chapter_app.services.importer.planner import Planner, Writer, register
from chapter_app.services.reference_lists import aid_form_aliases
from chapter_app.store.bulk import BulkWriter
from chapter_app.store.repository import Query

MSG_UNKNOWN_CATEGORY = N_("Không có diện đối tượng “{name}” trong danh mục.")
MSG_SPONSOR_MISSING = N_("Có thông tin tài trợ nhưng chưa ghi tên nhà tài trợ.")
# "Số tiền/tháng", "Mức hỗ trợ hằng tháng": the amount is per month (quarter, year).
_PER = (("thang", "hằng tháng"), ("quy", "hằng quý"), ("nam", "hằng năm"))
_RELATION = re.compile(r"^(.*?)\s*(?:\(([^)]*)\)|[-–:]\s*(.+))?$")
MSG_ADDRESS_ON_FILE = N_("Địa chỉ nhân đạo “{name}” đã có trong sổ.")

# --- addresses --------------------------------------------------------------------------------

_SPONSOR_FIELDS = {
    "name": "sponsor",
    "kind": "sponsor_kind",
    "contact_name": "sponsor_contact",
    "phone": "sponsor_phone",
    "email": "sponsor_email",
    "address": "sponsor_address",
}
_COMMITMENT_FIELDS = {
    "start_on": "commitment_start",
    "end_on": "commitment_end",
    "amount": "commitment_amount",
    "form": "commitment_form",
    "frequency": "commitment_frequency",
    "description": "commitment_description",
    "notes": "commitment_notes",
}


@dataclass
class _AddressPayload:
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
        self.categories = resolver(store.categories.list())
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
        for key in (
            "name",
            "street_address",
            "circumstances",
            "needs",
            "file_no",
            "registry_id",
            "notes",
        ):
            raw[key] = to_text(g.get(key))
        for key in ("opened_on", "survey_date", "certified_on"):
            raw[key], found = to_date(g.get(key), key)
            issues += found
        category_ids = []
        if not blank(g.get("categories")):
            for name, category_id in self.category_names(str(g["categories"])):
                if category_id is None:
                    issues.append(
                        Issue.error("categories", MSG_UNKNOWN_CATEGORY, name=clean_text(name))
                    )
                elif category_id not in category_ids:
                    category_ids.append(category_id)
        raw["category_ids"] = category_ids
        cleaned, found = validate_address(raw, today=self.today)
        issues += found
        head, household = self.household(g, raw, issues)
        status, status_on, found = self.status(g, cleaned.get("opened_on"))
        issues += found

        sponsor = commitment = None
        commitment_given = {
            k: g.get(v) for k, v in _COMMITMENT_FIELDS.items() if not blank(g.get(v))
        }
        if not blank(g.get("sponsor")):
            sponsor = {k: to_text(g.get(v)) for k, v in _SPONSOR_FIELDS.items()}
            _, found = validate_sponsor(sponsor)
            issues += remap(found, _SPONSOR_FIELDS)
            commitment = {k: to_text(g.get(v)) for k, v in _COMMITMENT_FIELDS.items()}
            for key in ("start_on", "end_on"):
                commitment[key], found = to_date(
                    g.get(_COMMITMENT_FIELDS[key]), _COMMITMENT_FIELDS[key]
                )
                issues += found
            if blank(commitment["start_on"]):
                commitment["start_on"] = cleaned.get("opened_on")
                sources["commitment_start"] = "opened_on"
            commitment["amount"] = g.get("commitment_amount")
            if blank(commitment.get("frequency")):
                commitment["frequency"] = self.frequency_of_amount()
            _, found = validate_commitment(commitment, today=self.today, forms=self.forms)
            issues += remap(found, _COMMITMENT_FIELDS)
        elif commitment_given:
            issues.append(Issue.error("sponsor", MSG_SPONSOR_MISSING))

        label = cleaned.get("name") or ""
        duplicate = None
        continues = None
        if not any(i.is_error for i in issues):
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
                continues = (sheet, earlier)
                label += f" (thêm nhà tài trợ cho địa chỉ ở dòng {earlier})"
            elif earlier is not None:
                duplicate = Duplicate(
                    f"dòng {earlier} trong tệp ({cleaned['name']})", same_as_row=earlier
                )
            else:
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
        given = {k: v for k, v in raw.items() if not blank(v) and v != []}
        payload = _AddressPayload(
            raw, given, status, status_on, sponsor, commitment, continues, head, household
        )
        return self.finish(row, label, issues, sources, duplicate=duplicate, payload=payload)

    def category_names(self, text: str) -> list[tuple[str, int | None]]:
        """The categories a cell lists ("Hộ nghèo; Người già neo đơn, không nơi nương tựa"):
        the longest run of pieces that names a category is taken, so a name with a comma
        in it is not cut in two."""
        pieces = [p for p in re.split(r"[,;/+\n]", text)]
        found: list[tuple[str, int | None]] = []
        i = 0
        while i < len(pieces):
            if not pieces[i].strip():
                i += 1
                continue
            for j in range(len(pieces), i, -1):
                name = ", ".join(p.strip() for p in pieces[i:j])
                category_id = lookup(self.categories, name)
                if category_id is not None:
                    found.append((name, category_id))
                    i = j
                    break
            else:
                found.append((pieces[i], None))
                i += 1
        return found

    def frequency_of_amount(self) -> str | None:
        """ "hằng tháng" for an amount column headed "Số tiền/tháng" (or per quarter, year)."""
        index = self.columns.get("commitment_amount")
        if index is None:
            return None
        words = F.header_key(self.layout.columns[index].title).split()
        return next((label for word, label in _PER if word in words[1:]), None)

    def household(self, g, raw, issues: list[Issue]):
        """The head (when the name column is headed "chủ hộ") and the members of the
        household as people to add: ``({"full_name": ...}, [(person, relation), ...])``."""
        where = {"unit_id": raw.get("unit_id"), "address": raw.get("street_address")}
        head = None
        index = self.columns.get("name")
        titled = F.header_key(self.layout.columns[index].title) if index is not None else ""
        if "chu ho" in titled and not blank(raw.get("name")):
            person, found = validate_person({"full_name": raw["name"], **where}, today=self.today)
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
            person, found = validate_person({"full_name": name, **where}, today=self.today)
            issues += remap(found, {k: "household_members" for k in ("full_name", "given_name")})
            household.append(({"full_name": person.get("full_name") or name, **where}, relation))
        return head, household

    def status(self, g, start):
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


class AddressWriter(Writer):
    """Addresses on file are changed row by row first; new addresses, with their status
    events, categories, household head and members, sponsors and commitments, are then
    added in bulk (a few statements per chunk of rows, one audit entry per table),
    validated as the ``rec.save_*`` they stand for."""

    def __init__(self, store, plan):
        super().__init__(store, plan)
        self.sponsors = resolver(store.sponsors.list())
        self.forms = aid_form_aliases(store)
        self.address_of_row: dict[tuple[str, int], int | None] = {}
        self.bulk: BulkWriter | None = None  # while the new rows are written
        self.known = rec.KnownRecords(store)
        self.new_addresses: set[int] = set()
        self.commitments: set[tuple[int, int, date | None]] = set()  # added by this import

    def write(self, todo: list[tuple[PlannedRow, str]]) -> tuple[int, int]:
        updated = 0
        for row, choice in todo:
            p = self.settled(row)
            if choice != "update" or p.continues is not None:
                continue
            try:
                self.update(row, p)
            except ValidationFailed as exc:
                raise refuse_row(row, exc) from exc
            updated += 1
        self.bulk = self.store.exchange.writer()
        added = 0
        for row, choice in todo:
            p = self.settled(row)
            if choice == "update" and p.continues is None:
                continue
            try:
                if p.continues is not None:
                    address_id = self.address_of_row.get(p.continues)
                    if address_id is not None:
                        self.commit(address_id, p)
                    continue
                address_id = self.add(p)
                self.address_of_row[(row.sheet, row.row)] = address_id
                self.commit(address_id, p)
            except ValidationFailed as exc:
                raise refuse_row(row, exc) from exc
            added += 1
        self.bulk.flush()
        self.bulk = None
        return added, updated

    def settled(self, row: PlannedRow) -> _AddressPayload:
        """The row's payload with the thôn created by this import filled in."""
        p: _AddressPayload = row.payload
        if not row.refs:
            return p
        raw, given = dict(p.raw), dict(p.given)
        self.place(row, raw, address_key="street_address")
        self.place(row, given, address_key="street_address")
        return replace(p, raw=raw, given=given)

    def update(self, row: PlannedRow, p: _AddressPayload) -> None:
        address_id = row.duplicate.record_id
        address = self.store.addresses.get(address_id)
        base = {k: getattr(address, k) for k in _UPDATED_FIELDS}
        base["category_ids"] = self.store.addresses.categories_of(address_id)
        today = self.plan.today
        rec.save_address(self.store, {**base, **p.given}, address_id=address_id, today=today)
        self.address_of_row[(row.sheet, row.row)] = address_id
        if p.status:
            current = self.store.addresses.get(address_id)
            if (current.status, current.status_on) != (p.status, p.status_on):
                self.store.addresses.change_status(address_id, p.status, p.status_on)
        self.commit(address_id, p)

    def add(self, p: _AddressPayload) -> int:
        """A new address as ``save_address`` and ``addresses.add`` write it (its first
        status event, its categories), its household, and the status the sheet gives (as
        ``change_status``: a further event, the latest by date is the current one)."""
        bulk, known, addresses = self.bulk, self.known, self.store.addresses
        fields, category_ids, _ = rec.address_fields(
            self.store, p.raw, today=self.plan.today, known=known
        )
        fields.setdefault("status", m.AddressStatus.FOLLOWING)
        fields.setdefault("status_on", fields.get("opened_on"))
        events = [(fields["status"], fields["status_on"])]
        if p.status and events[0] != (p.status, p.status_on):
            events.append((p.status, p.status_on))
            # as _refresh_status: the latest by date, the later event on the same day
            latest = max(range(2), key=lambda i: (events[i][1] or date.min, i))
            fields["status"], fields["status_on"] = events[latest]
        unit_id = p.raw.get("unit_id")
        if p.head is not None:
            fields["head_person_id"] = self.person({**p.head, "unit_id": unit_id})
        address_id = bulk.add(addresses, fields)
        known.expect("addresses", address_id)
        self.new_addresses.add(address_id)
        for status, on in events:
            bulk.add(addresses.history, {"address_id": address_id, "status": status, "on_date": on})
        for category_id in sorted(set(category_ids)):
            bulk.add(
                addresses.category_links, {"address_id": address_id, "category_id": category_id}
            )
        for person, relation in p.household:
            person_id = self.person({**person, "unit_id": unit_id})
            bulk.add(
                addresses.household,
                {"address_id": address_id, "person_id": person_id, "relation": relation},
            )
        return address_id

    def person(self, raw: dict[str, Any]) -> int:
        values = rec.person_fields(self.store, raw, today=self.plan.today, known=self.known)
        person_id = self.bulk.add(self.store.people, values)
        self.known.expect("people", person_id)
        return person_id

    def commit(self, address_id: int, p: _AddressPayload) -> None:
        """The sponsor (found by name, else added) and the commitment the row names, unless
        the address has one from that sponsor starting that day."""
        if p.sponsor is None:
            return
        sponsor_id = lookup(self.sponsors, p.sponsor["name"])
        if sponsor_id is None:
            sponsor_id = self.add_sponsor(p.sponsor)
            self.sponsors[fold(p.sponsor["name"])] = sponsor_id
        commitment = dict(p.commitment, sponsor_id=sponsor_id, address_id=address_id)
        start = commitment["start_on"]
        if (address_id, sponsor_id, start) in self.commitments:
            return
        if address_id not in self.new_addresses:
            on_file = self.store.commitments.list(Query(filters={"address_id": address_id}))
            if any(c.sponsor_id == sponsor_id and c.start_on == start for c in on_file):
                return
        self.commitments.add((address_id, sponsor_id, start))
        today = self.plan.today
        if self.bulk is None:
            rec.save_commitment(self.store, commitment, today=today, forms=self.forms)
            return
        fields, _ = rec.commitment_fields(
            self.store, commitment, today=today, forms=self.forms, known=self.known
        )
        own = m.Commitment.field_names()
        self.bulk.add(self.store.commitments, {k: v for k, v in fields.items() if k in own})

    def add_sponsor(self, raw: dict[str, Any]) -> int:
        if self.bulk is None:
            return rec.save_sponsor(self.store, raw).record.id
        fields, _ = rec.sponsor_fields(self.store, raw, self.known)
        own = m.Sponsor.field_names()
        sponsor_id = self.bulk.add(
            self.store.sponsors, {k: v for k, v in fields.items() if k in own}
        )
        self.known.expect("sponsors", sponsor_id)
        return sponsor_id


_UPDATED_FIELDS = (
    "name",
    "street_address",
    "unit_id",
    "circumstances",
    "needs",
    "opened_on",
    "survey_date",
    "certified_on",
    "file_no",
    "registry_id",
    "notes",
)


register("addresses", planner=AddressPlanner, writer=AddressWriter)
