"""Address and aid imports add their new records in bulk: the register ends up as the
row-by-row writing of before left it (that writer is kept below as the reference, run on
a second register), audited as runs of ids, undone in one step, and a row that fails in
the middle of the writing leaves nothing at all."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date

import openpyxl
import pytest

from chapter_app.domain.validation import Issue, ValidationFailed
from chapter_app.errors import AppError
from chapter_app.services import records as rec
from chapter_app.services.importer import Outcome, apply_import, plan_import
from chapter_app.services.importer.addresses import AddressWriter, _AddressPayload
from chapter_app.services.importer.aid import AidWriter, _AidPayload
from chapter_app.services.importer.outcomes import refuse_row
from chapter_app.services.importer.planner import SHEET_KINDS
from chapter_app.services.setup import init_database
from chapter_app.store.repository import Query
from chapter_app.store.store import Store

TODAY = date(2026, 11, 20)
HOUSEHOLDS = 40
TABLES = (
    "people",
    "addresses",
    "address_status",
    "address_categories",
    "address_members",
    "sponsors",
    "commitments",
    "aid_records",
)


class RowByRowAddresses(AddressWriter):
    """The address writer before the bulk writes (the reference)."""

    def __init__(self, store, plan):
        super().__init__(store, plan)
        self.address_of_row = {}

    def write(self, todo):
        added = updated = 0
        today = self.plan.today
        for row, choice in todo:
            p: _AddressPayload = row.payload
            if row.refs:
                raw, given = dict(p.raw), dict(p.given)
                self.place(row, raw, address_key="street_address")
                self.place(row, given, address_key="street_address")
                p = replace(p, raw=raw, given=given)
            try:
                if p.continues is not None:
                    address_id = self.address_of_row.get(p.continues)
                    if address_id is not None:
                        self.commit(address_id, p)
                    continue
                if choice == "update":
                    address_id = row.duplicate.record_id
                    address = self.store.addresses.get(address_id)
                    base = {
                        k: getattr(address, k)
                        for k in (
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
                    }
                    base["category_ids"] = self.store.addresses.categories_of(address_id)
                    rec.save_address(
                        self.store, {**base, **p.given}, address_id=address_id, today=today
                    )
                    updated += 1
                else:
                    address_id = rec.save_address(self.store, p.raw, today=today).record.id
                    self.add_household(address_id, p)
                    added += 1
                self.address_of_row[(row.sheet, row.row)] = address_id
                if p.status:
                    current = self.store.addresses.get(address_id)
                    if (current.status, current.status_on) != (p.status, p.status_on):
                        self.store.addresses.change_status(address_id, p.status, p.status_on)
                self.commit(address_id, p)
            except ValidationFailed as exc:
                raise refuse_row(row, exc) from exc
        return added, updated

    def add_household(self, address_id: int, p: _AddressPayload) -> None:
        """The household head and members of a new address, as people of the register."""
        today = self.plan.today
        unit_id = p.raw.get("unit_id")
        if p.head is not None:
            head = rec.save_person(self.store, {**p.head, "unit_id": unit_id}, today=today)
            self.store.addresses.update(address_id, head_person_id=head.record.id)
        for person, relation in p.household:
            saved = rec.save_person(self.store, {**person, "unit_id": unit_id}, today=today)
            self.store.addresses.household.add(
                address_id=address_id, person_id=saved.record.id, relation=relation
            )

    def commit(self, address_id: int, p: _AddressPayload) -> None:
        if p.sponsor is None:
            return
        sponsor_id = self.sponsors.id_of(p.sponsor["name"])
        if sponsor_id is None:
            sponsor_id = rec.save_sponsor(self.store, p.sponsor).record.id
            self.sponsors.add(p.sponsor["name"], sponsor_id)
        commitment = dict(p.commitment, sponsor_id=sponsor_id, address_id=address_id)
        for existing in self.store.commitments.list(Query(filters={"address_id": address_id})):
            start = commitment["start_on"]
            if existing.sponsor_id == sponsor_id and existing.start_on == start:
                return
        rec.save_commitment(self.store, commitment, today=self.plan.today, forms=self.forms)


class RowByRowAid(AidWriter):
    """The aid writer before the bulk writes (the reference)."""

    def write(self, todo):
        added = updated = 0
        today = self.plan.today
        for row, choice in todo:
            p: _AidPayload = row.payload
            raw = dict(p.raw)
            try:
                if p.new_person is not None:
                    person_id = self.new_people.get(p.new_person_key)
                    if person_id is None:
                        person = dict(p.new_person)
                        self.place(row, person, address_key="address")
                        person_id = rec.save_person(self.store, person, today=today).record.id
                        self.new_people[p.new_person_key] = person_id
                    raw["person_id"] = person_id
                if choice == "update":
                    aid_id = row.duplicate.record_id
                    rec.save_aid(self.store, raw, aid_id=aid_id, today=today, forms=self.forms)
                    updated += 1
                else:
                    rec.save_aid(self.store, raw, today=today, forms=self.forms)
                    added += 1
            except ValidationFailed as exc:
                raise refuse_row(row, exc) from exc
        return added, updated


def _sheet(path, header, rows, *, titles=()):
    wb = openpyxl.Workbook()
    for title in titles:
        wb.active.append([title])
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


ADDRESS_HEADER = [
    "STT",
    "Họ tên chủ hộ",
    "Thành viên trong hộ",
    "Địa chỉ",
    "Thôn",
    "Diện đối tượng",
    "Ngày tiếp nhận",
    "Nhà tài trợ",
    "Hình thức hỗ trợ",
    "Số tiền/tháng",
    "Ngày bắt đầu",
    "Tình trạng",
    "Ngày đổi tình trạng",
]
SPONSORS = ["Công ty May Tịnh Kỳ", "Chùa Phước Lâm", "Nhà hảo tâm Ánh Dương"]


def address_sheet(path):
    """Households with members, categories, a sponsor (one on file, two new, each shared),
    some out of hardship on a later day or on the day they were taken on, and rows that
    add a second sponsor to the household above them; the first household is on file."""
    rows = []
    for n in range(HOUSEHOLDS):
        members = f"Trần Văn Út {n} (con), Trần Thị Bé {n} - cháu" if n % 3 else None
        status, on = (None, None)
        if n % 7 == 3:
            status, on = "Đã thoát khó khăn", "01/06/2025"
        elif n % 7 == 5:
            status, on = "Đã thoát khó khăn", "01/03/2025"  # the day it was taken on
        categories = "Hộ nghèo; Người khuyết tật" if n % 2 else "Hộ cận nghèo"
        sponsor = SPONSORS[n % 3] if n % 4 else None
        start = "01/04/2025" if sponsor else None
        amount = 100_000 * (1 + n % 5) if sponsor else None
        rows.append(
            [
                n + 1,
                f"Nguyễn Thị Khó {n}",
                members,
                f"Xóm {n % 4}",
                f"Thôn {1 + n % 2}",
                categories,
                "01/03/2025",
                sponsor,
                "Tiền mặt" if sponsor else None,
                amount,
                start,
                status,
                on,
            ]
        )
        if n % 5 == 1:
            rows.append(
                [
                    None,
                    f"Nguyễn Thị Khó {n}",
                    None,
                    f"Xóm {n % 4}",
                    f"Thôn {1 + n % 2}",
                    None,
                    "01/03/2025",
                    SPONSORS[(n + 1) % 3],
                    "Gạo",
                    50_000,
                    "01/05/2025",
                    None,
                    None,
                ]
            )
    return _sheet(path, ADDRESS_HEADER, rows)


def register(path) -> Store:
    store = init_database(path, chapter_name="Hội Chữ thập đỏ xã Thử Nghiệm", user="tester")
    store.units.add(name="Thôn 1")  # Thôn 2 is created by the import
    store.sponsors.add(name=SPONSORS[0])
    rec.save_address(
        store,
        {"name": "Nguyễn Thị Khó 0", "street_address": "Xóm 0", "opened_on": "01/03/2025"},
        today=TODAY,
    )
    return store


def households(store: Store) -> list:
    """What the register holds about its addresses, by names rather than ids."""
    units = {u.id: u.name for u in store.units.list()}
    categories = {c.id: c.name for c in store.categories.list()}
    sponsors = {s.id: s.name for s in store.sponsors.list()}
    people = {
        p.id: (p.full_name, units.get(p.unit_id)) for p in store.people.list(Query(limit=None))
    }
    found = []
    for a in sorted(store.addresses.list(Query(limit=None)), key=lambda a: a.name):
        history = store.addresses.history.list(Query(filters={"address_id": a.id}, limit=None))
        members = store.addresses.household.list(Query(filters={"address_id": a.id}))
        commitments = store.commitments.list(Query(filters={"address_id": a.id}))
        found.append(
            (
                a.name,
                a.street_address,
                units.get(a.unit_id),
                a.opened_on,
                a.status,
                a.status_on,
                people.get(a.head_person_id),
                sorted(categories[i] for i in store.addresses.categories_of(a.id)),
                sorted((h.status, h.on_date) for h in history),
                sorted((people[m.person_id], m.relation) for m in members),
                sorted(
                    (sponsors[c.sponsor_id], c.form, c.amount, c.frequency, c.start_on, c.end_on)
                    for c in commitments
                ),
            )
        )
    return [found, sorted(sponsors.values()), sorted(people.values(), key=str)]


def counts(db_path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM [{t}]").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


def import_addresses(store: Store, sheet, **choices):
    plan = plan_import(store, sheet, "addresses", today=TODAY, create_missing=True)
    assert plan.count(Outcome.ERROR) == 0, plan.summary_lines()
    return apply_import(store, plan, **choices)


@pytest.mark.parametrize("on_duplicate", ["skip", "update"])
def test_an_address_sheet_written_in_bulk_gives_what_row_by_row_writing_gave(
    tmp_path, monkeypatch, on_duplicate
):
    sheet = address_sheet(tmp_path / "dcnd.xlsx")
    bulk, reference = register(tmp_path / "bulk.db"), register(tmp_path / "ref.db")
    got = import_addresses(bulk, sheet, on_duplicate=on_duplicate)
    kind = SHEET_KINDS["addresses"]
    monkeypatch.setitem(SHEET_KINDS, "addresses", replace(kind, writer=RowByRowAddresses))
    expected = import_addresses(reference, sheet, on_duplicate=on_duplicate)
    assert (got.added, got.updated) == (expected.added, expected.updated)
    assert got.added == HOUSEHOLDS - 1
    assert households(bulk) == households(reference)
    assert counts(tmp_path / "bulk.db") == counts(tmp_path / "ref.db")
    view = households(bulk)[0]
    assert [h[4] for h in view].count("out_of_hardship") == 11
    assert sum(len(h[10]) for h in view) == 30 + 8  # 8 second sponsors
    bulk.close()
    reference.close()


def test_an_address_import_is_audited_as_runs_and_undone_in_one_step(tmp_path):
    store = register(tmp_path / "a.db")
    before = households(store)
    import_addresses(store, address_sheet(tmp_path / "dcnd.xlsx"))
    [summary] = store.audit_entries(action="import")
    entries = [e for e in store.audit_entries(limit=500) if e.op_id == summary.op_id]
    runs = {e.table_name for e in entries if e.action == "insert" and e.row_id is None}
    assert {"people", "addresses", "address_status", "address_categories"} <= runs
    assert {"address_members", "sponsors", "commitments"} <= runs
    assert len(entries) < 20
    store.undo()
    assert households(store) == before


def _fails_on(monkeypatch, module_function: str, name: str):
    real = getattr(rec, module_function)

    def failing(store, raw, *args, **kwargs):
        if name in str(raw.get("full_name") or raw.get("name") or ""):
            raise ValidationFailed([Issue.error("full_name", "hỏng")])
        return real(store, raw, *args, **kwargs)

    monkeypatch.setattr(rec, module_function, failing)


def test_an_address_row_failing_in_the_middle_leaves_nothing(tmp_path, monkeypatch):
    store = register(tmp_path / "a.db")
    monkeypatch.setattr("chapter_app.store.bulk.CHUNK_ROWS", 20)  # chunks written before
    sheet = address_sheet(tmp_path / "dcnd.xlsx")
    plan = plan_import(store, sheet, "addresses", today=TODAY, create_missing=True)
    before, view = counts(tmp_path / "a.db"), households(store)
    _fails_on(monkeypatch, "person_fields", "Trần Thị Bé 35")
    with pytest.raises(AppError):
        apply_import(store, plan)
    assert counts(tmp_path / "a.db") == before and households(store) == view
    assert [u.name for u in store.units.list()] == ["Thôn 1"]


AID_HEADER = ["STT", "Ngày", "Họ và tên", "Năm sinh", "Thôn", "Chương trình", "Số tiền"]


def aid_sheet(path, people: int = 30):
    """Aid to people on file and to new ones (some named twice: one person added)."""
    rows = []
    for n in range(people):
        name = f"Phạm Văn Nhận {n % 11}" if n % 2 else f"Người Cũ {n % 6}"
        rows.append(
            [
                n + 1,
                "20/01/2026",
                name,
                1950 + n % 11 if n % 2 else 1960 + n % 6,
                "Thôn 1",
                "Tết Nhân ái",
                10_000 * (1 + n),
            ]
        )
    return _sheet(path, AID_HEADER, rows)


def aid_register(path) -> Store:
    store = init_database(path, chapter_name="Hội Chữ thập đỏ xã Thử Nghiệm", user="tester")
    store.units.add(name="Thôn 1")
    for n in range(6):
        rec.save_person(store, {"full_name": f"Người Cũ {n}", "birth": str(1960 + n)}, today=TODAY)
    return store


def aid_view(store: Store) -> list:
    people = {
        p.id: (p.full_name, p.birth_year, p.unit_id) for p in store.people.list(Query(limit=None))
    }
    campaigns = {c.id: c.name for c in store.campaigns.list()}
    return [
        *sorted(
            (
                people.get(r.person_id),
                r.given_on,
                r.recipient_kind,
                campaigns.get(r.campaign_id),
                r.cash_value,
                r.goods_value,
                r.persons_reached,
                r.households_reached,
            )
            for r in store.aid.list(Query(limit=None))
        ),
        sorted(people.values()),
    ]


def import_aid(store: Store, sheet):
    plan = plan_import(store, sheet, "aid", today=TODAY)
    assert plan.count(Outcome.ERROR) == 0, plan.summary_lines()
    return apply_import(store, plan)


def test_an_aid_sheet_written_in_bulk_gives_what_row_by_row_writing_gave(tmp_path, monkeypatch):
    sheet = aid_sheet(tmp_path / "tet.xlsx")
    bulk, reference = aid_register(tmp_path / "bulk.db"), aid_register(tmp_path / "ref.db")
    got = import_aid(bulk, sheet)
    kind = SHEET_KINDS["aid"]
    monkeypatch.setitem(SHEET_KINDS, "aid", replace(kind, writer=RowByRowAid))
    expected = import_aid(reference, sheet)
    assert got.added == expected.added == 30
    assert aid_view(bulk) == aid_view(reference)
    assert bulk.people.count() == 6 + 11  # each new person added once
    bulk.undo()
    assert bulk.aid.count() == 0 and bulk.people.count() == 6
    bulk.close()
    reference.close()


def test_an_aid_row_failing_in_the_middle_leaves_nothing(tmp_path, monkeypatch):
    store = aid_register(tmp_path / "a.db")
    monkeypatch.setattr("chapter_app.store.bulk.CHUNK_ROWS", 5)
    plan = plan_import(store, aid_sheet(tmp_path / "tet.xlsx"), "aid", today=TODAY)
    before = counts(tmp_path / "a.db")
    real = rec.aid_fields
    calls = []

    def fails_on_the_twentieth(*args, **kwargs):
        calls.append(1)
        if len(calls) == 20:
            raise ValidationFailed([Issue.error("cash_value", "hỏng")])
        return real(*args, **kwargs)

    monkeypatch.setattr(rec, "aid_fields", fails_on_the_twentieth)
    with pytest.raises(AppError):
        apply_import(store, plan)
    assert counts(tmp_path / "a.db") == before and store.aid.count() == 0
