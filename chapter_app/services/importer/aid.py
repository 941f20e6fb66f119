"""Aid sheets (danh sách trợ giúp): the day, the recipient (a humanitarian address, a
person on file or new, or a group), the campaign, area and sponsor, and the values."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from chapter_app.domain import models as m
from chapter_app.domain.text import clean_text, fold
from chapter_app.domain.validation import (
    N_,
    Issue,
    ValidationFailed,
    parse_date,
    validate_aid,
    validate_person,
)
from chapter_app.services import records as rec
from chapter_app.services.by_name import quoted
from chapter_app.services.importer import fields as F
from chapter_app.services.importer.cells import (
    Names,
    blank,
    remap,
    to_birth,
    to_date,
    to_id,
    to_text,
)
from chapter_app.services.importer.outcomes import Duplicate, PlannedRow, refuse_row
from chapter_app.services.importer.planner import Planner, Writer, register
from chapter_app.services.reference_lists import aid_form_aliases
from chapter_app.store.exchange import PersonKey

MSG_AMBIGUOUS_PERSON = N_(
    "Có {count} người tên “{name}” trong sổ; thêm năm sinh hoặc số định danh để phân biệt."
)
MSG_NEW_PERSON = N_("“{name}” chưa có trong sổ; sẽ thêm người này vào sổ.")
MSG_RECIPIENT_NAME_REQUIRED = N_("Chưa ghi tên người hoặc hộ nhận trợ giúp.")
MSG_HOUSEHOLDS_NAMED = N_(
    "Có {count} địa chỉ nhân đạo khớp với “{name}”: {names}. "
    "Ghi thôn của hộ ở cột Thôn, tổ dân phố để chọn một."
)
MSG_AID_ON_FILE = N_("Đã có lượt trợ giúp giống hệt (cùng ngày, người nhận và giá trị).")

# --- aid ----------------------------------------------------------------------------------------


_DATE_WORDS = re.compile(r"ngay ([0-9]{1,2}) thang ([0-9]{1,2}) nam ([0-9]{4})")
_DATE_DIGITS = re.compile(r"(?<![0-9])([0-9]{1,2}) ([0-9]{1,2}) ([0-9]{4})(?![0-9])")


def _title_date(titles: str) -> date | None:
    """The first date a title row gives ("ngày 20 tháng 01 năm 2026", "20/01/2026")."""
    for pattern in (_DATE_WORDS, _DATE_DIGITS):
        match = pattern.search(titles)
        if match:
            try:
                return date(int(match[3]), int(match[2]), int(match[1]))
            except ValueError:
                continue
    return None


@dataclass
class _AidPayload:
    raw: dict[str, Any]
    new_person: dict[str, Any] | None = None
    new_person_key: tuple | None = None


class AidPlanner(Planner):
    kind = "aid"

    def __init__(self, store, layout, *, today, defaults):
        super().__init__(store, layout, today=today, defaults=defaults)
        self.forms = aid_form_aliases(store) or None
        addresses = store.addresses.list()
        self.households = Names(addresses)
        self.unit_of = {a.id: a.unit_id for a in addresses}
        self.unit_names: dict[int, str] | None = None  # thôn names, when a message needs them
        people = store.exchange.lookups.people()
        self.people_by_id = {p.id_number: p for p in people if p.id_number}
        self.people_by_name: dict[str, list[PersonKey]] = {}
        for p in people:
            self.people_by_name.setdefault(p.search_fold, []).append(p)
        self.refs = {
            "campaign": (Names(store.campaigns.list()), "chương trình"),
            "area": (Names(store.areas.list()), "lĩnh vực"),
            "sponsor": (Names(store.sponsors.list()), "nhà tài trợ"),
        }
        self.on_file: dict[tuple, int] | None = None
        self.in_file: dict[tuple, int] = {}
        self.from_titles()

    def on_layout(self) -> None:
        if hasattr(self, "refs"):  # not during the base class's first call
            self.from_titles()

    def from_titles(self) -> None:
        """An aid sheet without a campaign or date column takes them from its title rows
        ("DANH SÁCH TRAO QUÀ TẾT NHÂN ÁI ... NGÀY 20 THÁNG 01 NĂM 2026")."""
        titles = " | ".join(F.header_key(t) for t in self.layout.title_lines)
        if not titles:
            return
        where = f"Trang «{self.sheet}»: " if self.sheet else ""
        if "campaign" not in self.columns and "campaign" not in self.defaults:
            found = [
                c.name
                for c in self.store.campaigns.list()
                if re.search(rf"(?<![0-9a-z]){re.escape(F.header_key(c.name))}(?![0-9a-z])", titles)
            ]
            if found:
                name = max(found, key=len)
                self.defaults["campaign"] = name
                self.notes.append(where + f"chương trình lấy theo tiêu đề: {name}.")
        if "given_on" not in self.columns and "given_on" not in self.defaults:
            day = _title_date(titles)
            if day is not None:
                self.defaults["given_on"] = day
                self.notes.append(where + f"ngày trợ giúp lấy theo tiêu đề: {day:%d/%m/%Y}.")

    def prepare(self, rows: Sequence[tuple[int, Sequence[Any]]]) -> None:
        """Load the aid already recorded on the days the sheet names (one query)."""
        index = self.columns.get("given_on")
        days = set()
        if index is not None:
            for _row, values in rows:
                value, _ = to_date(values[index] if index < len(values) else None, "given_on")
                if isinstance(value, str):
                    value, _ = parse_date(value, field="given_on")
                if isinstance(value, date):
                    days.add(value)
        if isinstance(self.defaults.get("given_on"), date):
            days.add(self.defaults["given_on"])
        if self.on_file is None:
            self.on_file = {}
        for a in self.store.exchange.lookups.aid_on(days):
            group = fold(a.group_name) if a.recipient_kind == "group" else ""
            key = (
                a.given_on,
                a.recipient_kind,
                a.address_id,
                a.person_id,
                group,
                a.cash_value,
                a.goods_value,
                a.quantity,
            )
            self.on_file.setdefault(key, a.id)

    def household(self, name: str, unit_id: int | None, issues: list[Issue]) -> int | None:
        """The household ``name`` names (``by_name``'s rule), of several the only one in the
        row's thôn; None with an error naming them (and their thôn) when that does not
        settle it, or when it names none."""
        found = self.households.candidates(name)
        if len(found) > 1 and unit_id is not None:  # the Thôn column tells them apart
            found = [f for f in found if self.unit_of.get(f.id) == unit_id] or found
        if len(found) == 1:
            return found[0].id
        if not found:
            issues.append(self.households.issue(name, field="recipient", what="địa chỉ nhân đạo"))
            return None
        if self.unit_names is None:
            self.unit_names = {u.id: u.name for u in self.store.units.list()}
        units = [self.unit_names.get(self.unit_of.get(f.id)) for f in found]
        names = quoted([f.name for f in found], units)
        issues.append(
            Issue.error("recipient", MSG_HOUSEHOLDS_NAMED, count=len(found), name=name, names=names)
        )
        return None

    def recipient(self, g, kind, issues: list[Issue], raw: dict[str, Any], unit_id=None):
        name = g.get("recipient")
        if blank(name):
            if kind == "group" and not blank(g.get("group_name")):
                return kind, None
            issues.append(Issue.error("recipient", MSG_RECIPIENT_NAME_REQUIRED))
            return kind, None
        name = clean_text(str(name))
        if kind is None:
            if self.households.candidates(name):
                kind = "address"
            elif not blank(g.get("head_count")) and blank(g.get("recipient_id")):
                kind = "group"
            else:
                kind = "person"
        if kind == "address":
            address_id = self.household(name, unit_id, issues)
            if address_id is not None:
                raw["address_id"] = address_id
            return kind, None
        if kind == "group":
            raw["group_name"] = g.get("group_name") or name
            return kind, None
        # a person: by ID number, else by name and birth year, else by a unique name
        id_number, found = to_id(g.get("recipient_id"), "recipient_id")
        issues += found
        birth = to_birth(g.get("recipient_birth"))
        person_raw = {"full_name": name, "birth": birth, "id_number": id_number}
        if unit_id is not None:
            person_raw["unit_id"] = unit_id
        cleaned, found = validate_person(person_raw, today=self.today)
        issues += remap(
            found,
            {
                "birth": "recipient_birth",
                "id_number": "recipient_id",
                "full_name": "recipient",
                "given_name": "recipient",
            },
        )
        if any(i.is_error for i in found):
            return kind, None
        if cleaned.get("id_number") and cleaned["id_number"] in self.people_by_id:
            raw["person_id"] = self.people_by_id[cleaned["id_number"]].id
            return kind, None
        candidates = self.people_by_name.get(fold(cleaned["full_name"]), [])
        if cleaned.get("birth_year"):
            candidates = [p for p in candidates if p.birth_year == cleaned["birth_year"]]
        if len(candidates) > 1 and unit_id is not None:  # the Thôn column tells them apart
            candidates = [c for c in candidates if self.store.people.get(c.id).unit_id == unit_id]
        if len(candidates) == 1:
            raw["person_id"] = candidates[0].id
            return kind, None
        if len(candidates) > 1:
            issues.append(
                Issue.error(
                    "recipient",
                    MSG_AMBIGUOUS_PERSON,
                    count=len(candidates),
                    name=cleaned["full_name"],
                )
            )
            return kind, None
        issues.append(Issue.warning("recipient", MSG_NEW_PERSON, name=cleaned["full_name"]))
        new_key = (fold(cleaned["full_name"]), cleaned.get("birth_year"), cleaned.get("id_number"))
        return kind, (person_raw, new_key)

    def plan_row(self, row: int, values: Sequence[Any]) -> PlannedRow:
        if self.on_file is None:
            self.on_file = {}
        g = self.gather(values)
        issues: list[Issue] = []
        sources = {
            "head_count": "head_count",
            "recipient_kind": "recipient_kind",
            "group_name": "group_name" if "group_name" in self.columns else "recipient",
        }
        raw: dict[str, Any] = {}
        raw["given_on"], found = to_date(g.get("given_on"), "given_on")
        issues += found
        kind_text = g.get("recipient_kind")
        kind = None
        if not blank(kind_text):
            kind = F.RECIPIENT_WORDS.get(F.header_key(kind_text))
        unit_id, found = self.resolve_unit(g, "address", key="recipient_unit")
        issues += found
        kind, new_person = self.recipient(g, kind, issues, raw, unit_id)
        raw["recipient_kind"] = kind or kind_text
        for key, (table, what) in self.refs.items():
            value = g.get(key)
            if blank(value):
                continue
            ref_id = table.id_of(value)
            if ref_id is None:
                issues.append(table.issue(value, field=key, what=what))
            else:
                raw[f"{key}_id"] = ref_id
        for key in (
            "head_count",
            "cash_value",
            "goods_value",
            "quantity",
            "persons_reached",
            "households_reached",
            "funding_source",
            "form",
            "is_emergency",
        ):
            raw[key] = g.get(key)
        for key in ("description", "unit", "notes"):
            raw[key] = to_text(g.get(key))
        if g.get("group_name") is not None:
            raw["group_name"] = g.get("group_name")
        cleaned, found = validate_aid(raw, today=self.today, forms=self.forms)
        issues += found
        if kind == "address" and not raw.get("address_id") and not any(i.is_error for i in issues):
            issues.append(Issue.error("recipient", rec.MSG_RECIPIENT_REQUIRED))
        when = cleaned.get("given_on")
        who = clean_text(str(g.get("recipient") or g.get("group_name") or ""))
        label = f"{when:%d/%m/%Y} – {who}" if when else who
        duplicate = None
        if not any(i.is_error for i in issues) and new_person is None:
            quantity = cleaned.get("quantity")
            key = (
                when,
                kind,
                raw.get("address_id"),
                raw.get("person_id"),
                fold(cleaned.get("group_name")) if kind == "group" else "",
                cleaned["cash_value"],
                cleaned["goods_value"],
                quantity,
            )
            found_id = self.on_file.get(key)
            if found_id is not None:
                issues.append(Issue.warning("given_on", MSG_AID_ON_FILE))
                duplicate = Duplicate(f"lượt trợ giúp số {found_id} đã có", record_id=found_id)
            elif key in self.in_file:
                duplicate = Duplicate(
                    f"dòng {self.in_file[key]} trong tệp", same_as_row=self.in_file[key]
                )
            else:
                self.in_file[key] = row
        payload = _AidPayload(raw, *(new_person or (None, None)))
        return self.finish(row, label, issues, sources, duplicate=duplicate, payload=payload)


class AidWriter(Writer):
    """Records on file are changed row by row first; new records (and the new people
    they name) are then added in bulk: a few statements per chunk of rows, one audit
    entry per table, validated as ``rec.save_aid`` validates them."""

    def __init__(self, store, plan):
        super().__init__(store, plan)
        self.new_people: dict[tuple, int] = {}
        self.forms = aid_form_aliases(store)

    def write(self, todo: list[tuple[PlannedRow, str]]) -> tuple[int, int]:
        today = self.plan.today
        updated = 0
        for row, choice in todo:
            if choice == "update":
                try:
                    raw = self.raw(row, None, None)
                    aid_id = row.duplicate.record_id
                    rec.save_aid(self.store, raw, aid_id=aid_id, today=today, forms=self.forms)
                except ValidationFailed as exc:
                    raise refuse_row(row, exc) from exc
                updated += 1
        bulk = self.store.exchange.writer()
        known = rec.KnownRecords(self.store)
        own = m.AidRecord.field_names()
        added = 0
        for row, choice in todo:
            if choice == "update":
                continue
            try:
                raw = self.raw(row, bulk, known)
                fields, _ = rec.aid_fields(
                    self.store, raw, today=today, forms=self.forms, known=known
                )
            except ValidationFailed as exc:
                raise refuse_row(row, exc) from exc
            bulk.add(self.store.aid, {k: v for k, v in fields.items() if k in own})
            added += 1
        bulk.flush()
        return added, updated

    def raw(self, row: PlannedRow, bulk, known) -> dict[str, Any]:
        """The row's aid values, with the id of the new person it names (added the first
        time: by ``bulk`` when given, else saved at once)."""
        p: _AidPayload = row.payload
        raw = dict(p.raw)
        if p.new_person is None:
            return raw
        person_id = self.new_people.get(p.new_person_key)
        if person_id is None:
            person = dict(p.new_person)
            self.place(row, person, address_key="address")
            today = self.plan.today
            if bulk is None:
                person_id = rec.save_person(self.store, person, today=today).record.id
            else:
                values = rec.person_fields(self.store, person, today=today, known=known)
                person_id = bulk.add(self.store.people, values)
                known.expect("people", person_id)
            self.new_people[p.new_person_key] = person_id
        raw["person_id"] = person_id
        return raw


register("aid", planner=AidPlanner, writer=AidWriter)
