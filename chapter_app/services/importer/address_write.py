"""Writing a planned humanitarian address sheet: households on file are changed row by row
first; new households, with their status events, categories, head and members, sponsors
and commitments, are then added in bulk, validated as the ``records.save_*`` they stand
for."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from chapter_app.domain import models as m
from chapter_app.domain.validation import ValidationFailed
from chapter_app.services import records as rec
from chapter_app.services.importer.address_plan import SPONSOR_NOUN, AddressPayload
from chapter_app.services.importer.cells import Names
from chapter_app.services.importer.outcomes import PlannedRow, refuse_row
from chapter_app.services.importer.planner import Writer
from chapter_app.services.reference_lists import aid_form_aliases
from chapter_app.store.bulk import BulkWriter
from chapter_app.store.repository import Query

# The columns of a household on file that a row of the sheet may change.
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


class AddressWriter(Writer):
    """Addresses on file are changed row by row first; new addresses, with their status
    events, categories, household head and members, sponsors and commitments, are then
    added in bulk (a few statements per chunk of rows, one audit entry per table),
    validated as the ``rec.save_*`` they stand for."""

    def __init__(self, store, plan):
        super().__init__(store, plan)
        self.sponsors = Names(store.sponsors.list())
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

    def settled(self, row: PlannedRow) -> AddressPayload:
        """The row's payload with the thôn created by this import filled in."""
        p: AddressPayload = row.payload
        if not row.refs:
            return p
        raw, given = dict(p.raw), dict(p.given)
        self.place(row, raw, address_key="street_address")
        self.place(row, given, address_key="street_address")
        return replace(p, raw=raw, given=given)

    def update(self, row: PlannedRow, p: AddressPayload) -> None:
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

    def add(self, p: AddressPayload) -> int:
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

    def commit(self, address_id: int, p: AddressPayload) -> None:
        """The sponsor (found by name, else added) and the commitment the row names, unless
        the address has one from that sponsor starting that day."""
        if p.sponsor is None:
            return
        name = p.sponsor["name"]
        if len(self.sponsors.candidates(name)) > 1:  # planned as an error; on file since?
            raise ValidationFailed([self.sponsors.issue(name, field="sponsor", what=SPONSOR_NOUN)])
        sponsor_id = self.sponsors.id_of(name)
        if sponsor_id is None:
            sponsor_id = self.add_sponsor(p.sponsor)
            self.sponsors.add(name, sponsor_id)
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
