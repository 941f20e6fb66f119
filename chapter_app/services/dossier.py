"""What the person, address and sponsor files show, gathered from the store (no Qt here).

A person's roles (member, volunteer, youth, household head or member, sponsor), the aid
they or their household received, and the places where roles conflict; an address's
household, categories, commitments, aid over time and status history; a sponsor's
commitments and the aid given in their name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from chapter_app.domain import models as m
from chapter_app.domain.text import fold
from chapter_app.domain.validation import N_, Issue
from chapter_app.store.repository import Query

MSG_VOLUNTEER_AID_PERSON = N_("Nhận trợ giúp ngày {date} trong thời gian đang là tình nguyện viên.")
MSG_VOLUNTEER_AID_HOUSEHOLD = N_(
    "{name} (hộ của người này) nhận trợ giúp ngày {date}, khi người này đang là tình nguyện viên."
)
MSG_VOLUNTEER_DISTRIBUTION_PERSON = N_(
    "Nhận quà của đợt trao ngày {date} trong thời gian đang là tình nguyện viên: "
    "kiểm tra người này không tự trao quà cho mình."
)
MSG_VOLUNTEER_DISTRIBUTION_HOUSEHOLD = N_(
    "{name} (hộ của người này) nhận quà của đợt trao ngày {date}, khi người này đang là "
    "tình nguyện viên: kiểm tra người này không tự trao quà cho hộ mình."
)
MSG_SPONSOR_OWN_HOUSEHOLD = N_("Là nhà tài trợ của chính hộ mình ({address}).")
MSG_AID_AFTER_DEATH = N_("Có trợ giúp ngày {date}, sau ngày từ trần ({died}).")


def _day(value: date | None) -> str:
    return "" if value is None else f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


@dataclass(frozen=True)
class Household:
    address: m.Address
    is_head: bool
    relation: str | None


@dataclass(frozen=True)
class BranchMove:
    """A member's move from one chi hội to another, with the chi hội's present names."""

    on_date: date
    from_name: str | None
    to_name: str
    reason: str | None


def member_branch_moves(store, member_id: int) -> list[BranchMove]:
    """The chi hội moves of one member, oldest first (a dissolved chi hội, a change made
    in the member's form)."""
    names: dict[int, str] = {}

    def name(branch_id: int | None) -> str | None:
        if branch_id is None:
            return None
        if branch_id not in names:
            branch = store.branches.find(branch_id)
            names[branch_id] = branch.name if branch else ""
        return names[branch_id]

    return [
        BranchMove(
            on_date=move.on_date,
            from_name=name(move.from_branch_id),
            to_name=name(move.to_branch_id) or "",
            reason=move.reason,
        )
        for move in sorted(store.branch_moves.of_member(member_id), key=lambda m_: m_.on_date)
    ]


@dataclass
class PersonDossier:
    person: m.Person
    members: list[m.Member] = field(default_factory=list)
    member_history: dict[int, list[m.MemberStatusEvent]] = field(default_factory=dict)
    branch_moves: dict[int, list[BranchMove]] = field(default_factory=dict)
    volunteers: list[m.Volunteer] = field(default_factory=list)
    youth: list[m.Youth] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    sponsors: list[m.Sponsor] = field(default_factory=list)
    aid: list[m.AidRecord] = field(default_factory=list)
    conflicts: list[Issue] = field(default_factory=list)
    is_donor: bool = False

    @property
    def roles(self) -> list[str]:
        """Codes of the roles held (member, volunteer, youth, head, household, sponsor)."""
        found = []
        if self.members:
            found.append("member")
        if self.volunteers:
            found.append("volunteer")
        if self.youth:
            found.append("youth")
        if any(h.is_head for h in self.households):
            found.append("head")
        if any(not h.is_head for h in self.households):
            found.append("household")
        if self.sponsors:
            found.append("sponsor")
        if self.is_donor:
            found.append("donor")
        return found

    @property
    def aid_total(self) -> int:
        return sum(a.value_total for a in self.aid)


def _volunteering_on(volunteers: list[m.Volunteer], day: date) -> bool:
    return any(
        v.registered_on <= day and (v.left_on is None or day < v.left_on) for v in volunteers
    )


def person_dossier(store, person_id: int) -> PersonDossier:
    """Every role of one person, the aid to them or their households, and role conflicts."""
    person = store.people.get(person_id)
    dossier = PersonDossier(person=person)
    by_person = Query(filters={"person_id": person_id})
    dossier.members = store.members.list(by_person)
    dossier.member_history = {mb.id: store.members.history_of(mb.id) for mb in dossier.members}
    dossier.branch_moves = {mb.id: member_branch_moves(store, mb.id) for mb in dossier.members}
    dossier.volunteers = store.volunteers.list(by_person)
    dossier.youth = store.youth.list(by_person)
    seen: dict[int, Household] = {}
    for address in store.addresses.list(Query(filters={"head_person_id": person_id})):
        seen[address.id] = Household(address, True, None)
    for link in store.addresses.household.list(by_person):
        if link.address_id in seen:
            continue
        address = store.addresses.find(link.address_id)
        if address is not None:
            seen[address.id] = Household(address, False, link.relation)
    dossier.households = list(seen.values())
    dossier.sponsors = store.sponsors.list(by_person)
    dossier.is_donor = store.donors.for_person_id(person_id) is not None

    aid = {a.id: a for a in store.aid.list(by_person)}
    if seen:
        for record in store.aid.list(Query(filters={"address_id": list(seen)})):
            aid[record.id] = record
    dossier.aid = sorted(aid.values(), key=lambda a: (a.given_on, a.id))
    dossier.conflicts = _conflicts(store, dossier)
    return dossier


def _conflicts(store, dossier: PersonDossier) -> list[Issue]:
    issues: list[Issue] = []
    if dossier.volunteers:
        for record in dossier.aid:
            if not _volunteering_on(dossier.volunteers, record.given_on):
                continue
            from_distribution = record.distribution_id is not None
            if record.address_id is None:
                template = (
                    MSG_VOLUNTEER_DISTRIBUTION_PERSON
                    if from_distribution
                    else MSG_VOLUNTEER_AID_PERSON
                )
                issues.append(Issue.warning("roles", template, date=_day(record.given_on)))
            else:
                template = (
                    MSG_VOLUNTEER_DISTRIBUTION_HOUSEHOLD
                    if from_distribution
                    else MSG_VOLUNTEER_AID_HOUSEHOLD
                )
                issues.append(
                    Issue.warning(
                        "roles",
                        template,
                        date=_day(record.given_on),
                        name=_address_name(dossier, record.address_id),
                    )
                )
    own = {h.address.id: h.address for h in dossier.households}
    for sponsor in dossier.sponsors:
        for commitment in store.commitments.list(Query(filters={"sponsor_id": sponsor.id})):
            if commitment.address_id in own:
                issues.append(
                    Issue.warning(
                        "roles",
                        MSG_SPONSOR_OWN_HOUSEHOLD,
                        address=own[commitment.address_id].name,
                    )
                )
    died = [
        event.on_date
        for events in dossier.member_history.values()
        for event in events
        if event.status == m.MemberStatus.DIED
    ]
    if died:
        death = min(died)
        for record in dossier.aid:
            if record.person_id == dossier.person.id and record.given_on > death:
                issues.append(
                    Issue.warning(
                        "roles",
                        MSG_AID_AFTER_DEATH,
                        date=_day(record.given_on),
                        died=_day(death),
                    )
                )
    return issues


def _address_name(dossier: PersonDossier, address_id: int) -> str:
    for household in dossier.households:
        if household.address.id == address_id:
            return household.address.name
    return str(address_id)


@dataclass
class AddressDossier:
    address: m.Address
    head: m.Person | None
    household: list[tuple[m.Person, str | None]]
    categories: list[str]
    commitments: list[dict]
    aid: list[dict]
    history: list[m.AddressStatusEvent]
    unit_name: str | None

    @property
    def aid_cash(self) -> int:
        return sum(row["cash_value"] for row in self.aid)

    @property
    def aid_goods(self) -> int:
        return sum(row["goods_value"] for row in self.aid)

    @property
    def aid_total(self) -> int:
        return self.aid_cash + self.aid_goods

    def aid_by_year(self) -> list[tuple[int, int, int]]:
        """``(year, records, value)`` for each year with aid, oldest first."""
        years: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for row in self.aid:
            year = int(str(row["given_on"])[:4])
            years[year][0] += 1
            years[year][1] += row["cash_value"] + row["goods_value"]
        return [(year, n, value) for year, (n, value) in sorted(years.items())]


def address_dossier(store, address_id: int) -> AddressDossier:
    address = store.addresses.get(address_id)
    head = store.people.find(address.head_person_id) if address.head_person_id else None
    household = []
    for link in store.addresses.household.list(Query(filters={"address_id": address_id})):
        person = store.people.find(link.person_id)
        if person is not None:
            household.append((person, link.relation))
    category_ids = set(store.addresses.categories_of(address_id))
    categories = [c.name for c in store.categories.list(Query()) if c.id in category_ids]
    commitments = store.commitments.rows(Query(filters={"address_id": address_id}))
    aid = store.aid.rows(Query(filters={"address_id": address_id}, order_by="given_on"))
    unit = store.units.find(address.unit_id) if address.unit_id else None
    return AddressDossier(
        address=address,
        head=head,
        household=household,
        categories=categories,
        commitments=commitments,
        aid=aid,
        history=store.addresses.history_of(address_id),
        unit_name=unit.name if unit else None,
    )


# --- commitments ---------------------------------------------------------------------

# How often a commitment pays, from its free-text frequency ("hằng tháng", "monthly").
_PERIODS = {
    "month": ("thang", "hang thang", "moi thang", "1 thang", "monthly", "a month", "per month"),
    "quarter": ("quy", "hang quy", "moi quy", "quarterly", "a quarter", "per quarter"),
    "year": ("nam", "hang nam", "moi nam", "yearly", "annually", "a year", "per year"),
}


def commitment_period(frequency: str | None) -> str | None:
    """``"month"``, ``"quarter"`` or ``"year"`` when ``frequency`` names a regular period
    (tones, case and spacing ignored), else None ("một lần", "khi có đợt", blank)."""
    if not frequency:
        return None
    wanted = " ".join(fold(frequency).replace("/", " ").split())
    for period, names in _PERIODS.items():
        if wanted in names:
            return period
    return None


def is_active(commitment: dict, day: date) -> bool:
    """True when the commitment (a ``rows()`` dict) runs on ``day``."""
    start = _as_date(commitment["start_on"])
    end = _as_date(commitment["end_on"])
    return start <= day and (end is None or end >= day)


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@dataclass
class SponsorDossier:
    sponsor: m.Sponsor
    commitments: list[dict]
    aid: list[dict]

    @property
    def aid_total(self) -> int:
        return sum(row["cash_value"] + row["goods_value"] for row in self.aid)


def sponsor_dossier(store, sponsor_id: int) -> SponsorDossier:
    """One sponsor: their commitments (with the address names) and the aid in their name."""
    sponsor = store.sponsors.get(sponsor_id)
    commitments = store.commitments.rows(Query(filters={"sponsor_id": sponsor_id}))
    aid = store.aid.rows(Query(filters={"sponsor_id": sponsor_id}, order_by="given_on"))
    return SponsorDossier(sponsor=sponsor, commitments=commitments, aid=aid)
