"""The printed lists as plain data: members by branch, volunteers, humanitarian addresses,
and the sign-off sheet of a distribution.

Rows are already formatted strings, sorted the Vietnamese way (given name first). ID
numbers are masked unless ``full_ids`` is asked for; sensitive data (health-related
address categories) is left out unless ``include_sensitive`` is asked for. Nothing here
reads more than the list needs, and nothing is rendered here (see
``chapter_app.services.pdf.lists`` and ``.signoff``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from chapter_app.domain.models import ACTIVE_MEMBER_STATUSES
from chapter_app.domain.privacy import is_sensitive_category, shown_id
from chapter_app.domain.text import collation_key
from chapter_app.errors import AppError
from chapter_app.services.report import labels as L
from chapter_app.services.report.data import Letterhead, Signature
from chapter_app.store.repository import Query
from chapter_app.store.store import Store

LIST_KINDS = ("members", "volunteers", "addresses")


@dataclass(frozen=True)
class Column:
    header: str
    width_mm: float
    align: str = "left"  # left | center | right


@dataclass(frozen=True)
class ListGroup:
    heading: str  # "" for a list without groups
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ListData:
    kind: str
    lang: str
    letterhead: Letterhead
    title: str
    subtitle: str
    columns: tuple[Column, ...]
    groups: tuple[ListGroup, ...]
    total_line: str
    notes: tuple[str, ...]
    signature: Signature
    printed_on: date
    landscape: bool = True

    @property
    def row_count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


@dataclass(frozen=True)
class SignoffRow:
    name: str
    id_text: str  # already masked (or blank) by whoever builds the sheet
    address: str
    value: int  # đồng


@dataclass(frozen=True)
class SignoffSheet:
    lang: str
    letterhead: Letterhead
    title: str
    campaign: str
    given_on: date
    description: str
    rows: tuple[SignoffRow, ...]
    signature: Signature

    @property
    def total(self) -> int:
        return sum(row.value for row in self.rows)


# --- shared ----------------------------------------------------------------------------------


def _letterhead(store: Store, lang: str, printed_on: date) -> Letterhead:
    settings = store.settings.all()
    text = L.TEXT[lang]
    return Letterhead(
        parent_name=str(settings.get("parent_name") or ""),
        chapter_name=str(settings.get("chapter_name") or ""),
        national_name=text["national_name"],
        motto=text["motto"],
        number_line="",
        date_line=L.date_line(str(settings.get("place_name") or ""), printed_on, lang),
    )


def _signature(store: Store, lang: str) -> Signature:
    settings = store.settings.all()
    return Signature(
        form=L.translate_value(str(settings.get("signing_form") or ""), lang),
        title=L.translate_value(str(settings.get("signer_title") or ""), lang),
        name=str(settings.get("signer_name") or ""),
    )


def list_data(store: Store, *, kind: str, lang: str, printed_on: date, **parts: Any) -> ListData:
    """A printed list with the chapter's letterhead (dated ``printed_on``) and signer: the
    parts every list shares; ``parts`` are the other fields of ``ListData``."""
    return ListData(
        kind=kind,
        lang=lang,
        letterhead=_letterhead(store, lang, printed_on),
        signature=_signature(store, lang),
        printed_on=printed_on,
        **parts,
    )


def _branch_ids(store: Store, names: Sequence[str] | None) -> list[int] | None:
    if not names:
        return None
    ids = []
    for name in names:
        branch = store.branches.by_name(name)
        if branch is None:
            known = ", ".join(b.name for b in store.branches.list())
            raise AppError(f"Không tìm thấy chi hội «{name}». Các chi hội: {known}.")
        ids.append(branch.id)
    return ids


def _iso_day(value: Any, lang: str) -> str:
    if not value:
        return ""
    return L.day(date.fromisoformat(str(value)), lang)


def _birth(row: dict[str, Any], lang: str) -> str:
    if row.get("birth_date"):
        return _iso_day(row["birth_date"], lang)
    return str(row["birth_year"]) if row.get("birth_year") else ""


def _sex(value: Any, lang: str) -> str:
    t = L.LIST_TEXT[lang]
    return {"M": t["male"], "F": t["female"]}.get(value or "", "")


def _units(store: Store) -> dict[int, str]:
    return {u.id: u.name for u in store.units.list(Query(include_deleted=True))}


def _notes(lang: str, *, full_ids: bool, hidden_sensitive: bool = False) -> tuple[str, ...]:
    t = L.LIST_TEXT[lang]
    notes = []
    if not full_ids:
        notes.append(t["ids_masked"])
    if hidden_sensitive:
        notes.append(t["sensitive_hidden"])
    return tuple(notes)


def _numbered(rows: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple((str(i), *row) for i, row in enumerate(rows, start=1))


# --- members ---------------------------------------------------------------------------------


def build_member_list(
    store: Store,
    *,
    branches: Sequence[str] | None = None,
    full_ids: bool = False,
    lang: str = "vi",
    printed_on: date | None = None,
) -> ListData:
    """Members currently active, grouped by branch, sorted by given name then family name."""
    L.check_language(lang)
    printed_on = printed_on or date.today()
    t = L.LIST_TEXT[lang]
    filters: dict[str, Any] = {"status": [str(s) for s in ACTIVE_MEMBER_STATUSES]}
    wanted = _branch_ids(store, branches)
    if wanted is not None:
        filters["branch_id"] = wanted
    units = _units(store)
    branch_names = {b.id: b.name for b in store.branches.list(Query(include_deleted=True))}
    by_branch: dict[int | None, list[list[str]]] = {}
    for row in store.members.rows(Query(filters=filters, order_by="name")):
        by_branch.setdefault(row["branch_id"], []).append(
            [
                row["full_name"],
                _sex(row["sex"], lang),
                _birth(row, lang),
                shown_id(row["id_number"], full=full_ids),
                row["phone"] or "",
                units.get(row["unit_id"], ""),
                _iso_day(row["admitted_on"], lang),
                row["card_no"] or "",
            ]
        )
    order = sorted(
        by_branch,
        key=lambda b: (b is None, collation_key(branch_names.get(b, "")) if b else ""),
    )
    groups = tuple(
        ListGroup(
            heading=t["branch"].format(name=branch_names[b]) if b is not None else t["no_branch"],
            rows=_numbered(by_branch[b]),
        )
        for b in order
    )
    count = sum(len(g.rows) for g in groups)
    return list_data(
        store,
        kind="members",
        lang=lang,
        printed_on=printed_on,
        title=t["members_title"],
        subtitle=t["as_of"].format(date=L.day(printed_on, lang)),
        columns=(
            Column(t["col_no"], 10, "center"),
            Column(t["col_name"], 55),
            Column(t["col_sex"], 15, "center"),
            Column(t["col_birth"], 22, "center"),
            Column(t["col_id"], 30, "center"),
            Column(t["col_phone"], 25, "center"),
            Column(t["col_unit"], 45),
            Column(t["col_admitted"], 24, "center"),
            Column(t["col_card"], 26, "center"),
        ),
        groups=groups,
        total_line=t["total_rows"].format(count=L.number(count, lang), noun=t["noun_members"]),
        notes=_notes(lang, full_ids=full_ids),
    )


# --- volunteers ------------------------------------------------------------------------------


def build_volunteer_list(
    store: Store,
    *,
    branches: Sequence[str] | None = None,
    full_ids: bool = False,
    lang: str = "vi",
    printed_on: date | None = None,
) -> ListData:
    """Volunteers who have not left, sorted by given name; core volunteers marked."""
    L.check_language(lang)
    printed_on = printed_on or date.today()
    t = L.LIST_TEXT[lang]
    filters: dict[str, Any] = {"left_on": None}
    wanted = _branch_ids(store, branches)
    if wanted is not None:
        filters["branch_id"] = wanted
    rows = [
        [
            row["full_name"],
            _sex(row["sex"], lang),
            _birth(row, lang),
            shown_id(row["id_number"], full=full_ids),
            row["phone"] or "",
            row["skills"] or "",
            row["team"] or "",
            t["yes"] if row["is_core"] else "",
            _iso_day(row["registered_on"], lang),
            L.number(row["hours"] or 0, lang),
        ]
        for row in store.volunteers.rows(Query(filters=filters, order_by="name"))
    ]
    return list_data(
        store,
        kind="volunteers",
        lang=lang,
        printed_on=printed_on,
        title=t["volunteers_title"],
        subtitle=t["as_of"].format(date=L.day(printed_on, lang)),
        columns=(
            Column(t["col_no"], 9, "center"),
            Column(t["col_name"], 42),
            Column(t["col_sex"], 12, "center"),
            Column(t["col_birth"], 20, "center"),
            Column(t["col_id"], 26, "center"),
            Column(t["col_phone"], 22, "center"),
            Column(t["col_skills"], 51),
            Column(t["col_team"], 28),
            Column(t["col_core"], 12, "center"),
            Column(t["col_registered"], 20, "center"),
            Column(t["col_hours"], 13, "right"),
        ),
        groups=(ListGroup("", _numbered(rows)),),
        total_line=t["total_rows"].format(
            count=L.number(len(rows), lang), noun=t["noun_volunteers"]
        ),
        notes=_notes(lang, full_ids=full_ids),
    )


# --- humanitarian addresses ------------------------------------------------------------------


def build_address_list(
    store: Store,
    *,
    branches: Sequence[str] | None = None,
    include_sensitive: bool = False,
    lang: str = "vi",
    printed_on: date | None = None,
) -> ListData:
    """Addresses being followed, with their categories and active sponsors.

    Categories revealing health status are sensitive personal data: they are left out
    (and a note says so) unless ``include_sensitive`` is asked for. ``branches`` limits the
    list to the residential units those branches cover.
    """
    L.check_language(lang)
    printed_on = printed_on or date.today()
    t = L.LIST_TEXT[lang]
    filters: dict[str, Any] = {"status": "following"}
    wanted = _branch_ids(store, branches)
    if wanted is not None:
        unit_ids = sorted(
            {
                link.unit_id
                for link in store.branches.units.list(Query(filters={"branch_id": wanted}))
            }
        )
        filters["unit_id"] = unit_ids
    units = _units(store)
    category_names = {c.id: c.name for c in store.categories.list(Query(include_deleted=True))}
    category_order = {
        c.id: (c.sort_order, c.id) for c in store.categories.list(Query(include_deleted=True))
    }
    categories: dict[int, list[int]] = {}
    for link in store.addresses.category_links.list(Query()):
        categories.setdefault(link.address_id, []).append(link.category_id)
    sponsor_names = {s.id: s.name for s in store.sponsors.list(Query())}
    sponsors: dict[int, list[str]] = {}
    for c in store.commitments.active_on(printed_on):
        if c.sponsor_id not in sponsor_names:
            continue
        text = sponsor_names[c.sponsor_id]
        if c.amount:
            text += f" ({L.money(c.amount, lang)})"
        sponsors.setdefault(c.address_id, []).append(text)
    hidden = False
    records = sorted(
        store.addresses.rows(Query(filters=filters)), key=lambda r: collation_key(r["name"])
    )
    rows = []
    for row in records:
        names = []
        for category_id in sorted(categories.get(row["id"], []), key=category_order.get):
            name = category_names.get(category_id, "")
            if is_sensitive_category(name) and not include_sensitive:
                hidden = True
                continue
            names.append(name)
        rows.append(
            [
                row["name"],
                row["head_name"] or "",
                units.get(row["unit_id"], ""),
                row["street_address"] or "",
                "; ".join(names),
                "; ".join(sponsors.get(row["id"], [])),
                _iso_day(row["opened_on"], lang),
            ]
        )
    return list_data(
        store,
        kind="addresses",
        lang=lang,
        printed_on=printed_on,
        title=t["addresses_title"],
        subtitle=t["as_of"].format(date=L.day(printed_on, lang)),
        columns=(
            Column(t["col_no"], 10, "center"),
            Column(t["col_household"], 40),
            Column(t["col_head"], 36),
            Column(t["col_unit"], 28),
            Column(t["col_address"], 36),
            Column(t["col_categories"], 42),
            Column(t["col_sponsors"], 40),
            Column(t["col_opened"], 20, "center"),
        ),
        groups=(ListGroup("", _numbered(rows)),),
        total_line=t["total_rows"].format(
            count=L.number(len(rows), lang), noun=t["noun_addresses"]
        ),
        notes=_notes(lang, full_ids=True, hidden_sensitive=hidden),
    )


def build_list(store: Store, kind: str, **options: Any) -> ListData:
    """``build_member_list`` / ``build_volunteer_list`` / ``build_address_list`` by name."""
    builders = {
        "members": build_member_list,
        "volunteers": build_volunteer_list,
        "addresses": build_address_list,
    }
    if kind not in builders:
        raise ValueError(f"unknown list {kind!r}; use one of {LIST_KINDS}")
    return builders[kind](store, **options)


def record_list_export(store: Store, data: ListData, *, destination: str, **options: Any) -> None:
    """Log that a list of personal data left the program (Law 91/2025 asks for it)."""
    store.ops.log_event(
        "export_list",
        details={
            "list": data.kind,
            "rows": data.row_count,
            "destination": destination,
            **{k: v for k, v in options.items() if v not in (None, False, ())},
        },
    )


# --- the sign-off sheet of a distribution ----------------------------------------------------


def build_signoff_sheet(
    store: Store,
    distribution_id: int,
    *,
    full_ids: bool = False,
    lang: str = "vi",
    printed_on: date | None = None,
) -> SignoffSheet:
    """The sign-off sheet of one distribution: every recipient with ID, address and value."""
    L.check_language(lang)
    distribution = store.distributions.get(distribution_id)
    printed_on = printed_on or distribution.given_on
    campaign = ""
    if distribution.campaign_id:
        found = store.campaigns.find(distribution.campaign_id, include_deleted=True)
        campaign = found.name if found else ""
    units = _units(store)
    # Named people first, by given name; then households without a head and groups, by name.
    entries: list[tuple[tuple[int, str], SignoffRow]] = []
    for aid in store.aid.list(Query(filters={"distribution_id": distribution_id})):
        value = aid.cash_value + aid.goods_value
        person = None
        address_text = ""
        if aid.recipient_kind == "address" and aid.address_id:
            household = store.addresses.find(aid.address_id, include_deleted=True)
            if household is not None:
                address_text = household.street_address or units.get(household.unit_id, "")
                if household.head_person_id:
                    person = store.people.find(household.head_person_id, include_deleted=True)
                if person is None:
                    entries.append(
                        (
                            (1, collation_key(household.name)),
                            SignoffRow(household.name, "", address_text, value),
                        )
                    )
                    continue
        elif aid.person_id:
            person = store.people.find(aid.person_id, include_deleted=True)
        if person is not None:
            address_text = address_text or person.address or units.get(person.unit_id, "")
            row = SignoffRow(
                name=person.full_name,
                id_text=shown_id(person.id_number, full=full_ids),
                address=address_text,
                value=value,
            )
            entries.append(((0, person.sort_key), row))
        else:
            name = aid.group_name or ""
            entries.append(((1, collation_key(name)), SignoffRow(name, "", address_text, value)))
    entries.sort(key=lambda e: e[0])
    return SignoffSheet(
        lang=lang,
        letterhead=_letterhead(store, lang, printed_on),
        title=L.LIST_TEXT[lang]["signoff_title"],
        campaign=campaign,
        given_on=distribution.given_on,
        description=distribution.description or "",
        rows=tuple(row for _key, row in entries),
        signature=_signature(store, lang),
    )
