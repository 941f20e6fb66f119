"""What each record of the register is: frozen dataclasses, one per table.

Dates are ``datetime.date``; money is whole đồng (``int``); flags are ``bool``.
Every record carries its row id, a stable UUID (used when records are merged
upward) and created/updated/deleted timestamps (ISO text, UTC). Deleted rows are
kept as tombstones (``deleted_at`` set) and never returned by ordinary queries.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum

from chapter_app.domain.fields import SENSITIVE_PERSON_FIELDS


class BranchKind(StrEnum):
    RESIDENTIAL = "residential"
    AGENCY = "agency"
    SCHOOL = "school"
    INTEREST = "interest"


class UnitKind(StrEnum):
    THON = "thon"
    AP = "ap"
    BAN = "ban"
    TO_DAN_PHO = "to_dan_pho"
    KHU_PHO = "khu_pho"


class MemberStatus(StrEnum):
    """Events of a member's status history; the last one on or before a day is the state."""

    ADMITTED = "admitted"
    MOVED_IN = "moved_in"
    READMITTED = "readmitted"
    MOVED_OUT = "moved_out"
    LEFT = "left"
    REMOVED = "removed"
    DIED = "died"


ACTIVE_MEMBER_STATUSES = (MemberStatus.ADMITTED, MemberStatus.MOVED_IN, MemberStatus.READMITTED)
ENDING_MEMBER_STATUSES = (
    MemberStatus.MOVED_OUT,
    MemberStatus.LEFT,
    MemberStatus.REMOVED,
    MemberStatus.DIED,
)


class AddressStatus(StrEnum):
    FOLLOWING = "following"
    OUT_OF_HARDSHIP = "out_of_hardship"
    STOPPED = "stopped"


class RecipientKind(StrEnum):
    ADDRESS = "address"
    PERSON = "person"
    GROUP = "group"


class FundingSource(StrEnum):
    OWN = "own"
    SPONSOR = "sponsor"
    HIGHER = "higher"
    OTHER = "other"


class AidForm(StrEnum):
    CASH = "cash"
    GOODS = "goods"
    RICE = "rice"
    WORKDAYS = "workdays"
    LIVELIHOOD = "livelihood"
    INSURANCE = "insurance"
    SCHOLARSHIP = "scholarship"
    HOUSE_REPAIR = "house_repair"
    OTHER = "other"


class SponsorKind(StrEnum):
    ORGANISATION = "org"
    PERSON = "person"


class ConsentScope(StrEnum):
    REGISTER = "register"
    SPONSOR_MATCHING = "sponsor"
    REPORTING = "report"


@dataclass(frozen=True, kw_only=True)
class Record:
    """Columns every table has."""

    id: int
    uuid: str
    created_at: str
    updated_at: str
    deleted_at: str | None = None

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


@dataclass(frozen=True, kw_only=True)
class Unit(Record):
    """A residential unit (thôn / ấp / bản / tổ dân phố / khu phố)."""

    name: str
    kind: str = UnitKind.THON
    valid_from: date | None = None
    valid_to: date | None = None
    merged_into_id: int | None = None
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class Branch(Record):
    """A chi hội."""

    name: str
    kind: str = BranchKind.RESIDENTIAL
    founded_on: date | None = None
    dissolved_on: date | None = None
    notes: str | None = None
    head_person_id: int | None = None
    dissolved_into_id: int | None = None  # the chi hội its members were moved to


@dataclass(frozen=True, kw_only=True)
class BranchUnit(Record):
    branch_id: int
    unit_id: int


@dataclass(frozen=True, kw_only=True)
class BranchRating(Record):
    branch_id: int
    year: int
    rating: str


@dataclass(frozen=True, kw_only=True)
class Person(Record):
    """One human being; roles (member, volunteer, ...) point at it."""

    family_name: str
    middle_name: str
    given_name: str
    full_name: str
    sort_key: str
    search_fold: str
    sex: str | None = None
    birth_date: date | None = None
    birth_year: int | None = None
    id_number: str | None = None
    phone: str | None = None
    address: str | None = None
    old_address: str | None = None
    unit_id: int | None = None
    notes: str | None = None
    # sensitive fields (Law 91/2025): kept out of lists, exports and reports by default
    ethnicity: str | None = None
    religion: str | None = None
    health_notes: str | None = None
    disability: str | None = None
    agent_orange: bool = False
    # consent
    consent_date: date | None = None
    consent_scope: str | None = None
    consent_method: str | None = None
    consent_withdrawn_on: date | None = None
    anonymised_at: str | None = None


# What is known about a person besides the name parts (what forms, imports and exports carry).
PERSON_DETAIL_FIELDS = (
    "sex",
    "birth_date",
    "birth_year",
    "id_number",
    "phone",
    "address",
    "old_address",
    "notes",
    *SENSITIVE_PERSON_FIELDS,
)
NAME_PARTS = ("family_name", "middle_name", "given_name")


@dataclass(frozen=True, kw_only=True)
class Member(Record):
    person_id: int
    branch_id: int | None
    admitted_on: date
    decision_no: str | None = None
    card_no: str | None = None
    status: str = MemberStatus.ADMITTED
    status_on: date | None = None
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class MemberStatusEvent(Record):
    member_id: int
    status: str
    on_date: date
    reason: str | None = None
    decision_no: str | None = None


@dataclass(frozen=True, kw_only=True)
class Volunteer(Record):
    person_id: int
    registered_on: date
    left_on: date | None = None
    is_core: bool = False
    skills: str | None = None
    team: str | None = None
    hours: int = 0
    branch_id: int | None = None
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class Youth(Record):
    """A Red Cross youth (16-30) or teenager."""

    person_id: int
    kind: str = "youth"  # youth | teen
    registered_on: date
    left_on: date | None = None
    school_or_unit: str | None = None
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class DuesPayment(Record):
    member_id: int
    period_from: str  # YYYY-MM
    period_to: str  # YYYY-MM
    amount: int
    paid_on: date | None = None
    receipt_no: str | None = None
    exempt: bool = False
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class Category(Record):
    name: str
    sort_order: int = 0
    active: bool = True
    name_en: str | None = None


@dataclass(frozen=True, kw_only=True)
class Affiliate(Record):
    """A chapter that reports to this upper level (Hội cơ sở trực thuộc).

    ``chapter_uuid`` is the identity its packages carry; it is empty until the first
    package of a chapter entered by name arrives.
    """

    name: str
    chapter_uuid: str | None = None
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class Address(Record):
    """A humanitarian address (địa chỉ nhân đạo): usually a household in hardship."""

    name: str
    head_person_id: int | None = None
    unit_id: int | None = None
    street_address: str | None = None
    circumstances: str | None = None
    needs: str | None = None
    opened_on: date
    survey_date: date | None = None
    certified_on: date | None = None
    file_no: str | None = None
    registry_id: str | None = None
    status: str = AddressStatus.FOLLOWING
    status_on: date | None = None
    notes: str | None = None


# The fields of a household an officer types, in the form or a sheet's row: all but the head
# (picked), the status (changed by its own events) and the record's bookkeeping.
ADDRESS_TYPED_FIELDS = (
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


@dataclass(frozen=True, kw_only=True)
class AddressMember(Record):
    address_id: int
    person_id: int
    relation: str | None = None


@dataclass(frozen=True, kw_only=True)
class AddressCategory(Record):
    address_id: int
    category_id: int


@dataclass(frozen=True, kw_only=True)
class AddressStatusEvent(Record):
    address_id: int
    status: str
    on_date: date
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class Sponsor(Record):
    name: str
    kind: str = SponsorKind.ORGANISATION
    person_id: int | None = None
    contact_name: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class Commitment(Record):
    sponsor_id: int
    address_id: int
    start_on: date
    end_on: date | None = None
    form: str = AidForm.CASH
    frequency: str | None = None
    amount: int = 0
    description: str | None = None
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class Campaign(Record):
    name: str
    code: str | None = None
    description: str | None = None
    active: bool = True
    name_en: str | None = None
    sort_order: int = 0


@dataclass(frozen=True, kw_only=True)
class ActivityArea(Record):
    name: str
    code: str
    name_en: str | None = None
    sort_order: int = 0
    active: bool = True


@dataclass(frozen=True, kw_only=True)
class AidFormEntry(Record):
    """An aid form of the editable list; records keep its ``code``."""

    code: str
    name: str
    name_en: str | None = None
    sort_order: int = 0
    active: bool = True


@dataclass(frozen=True, kw_only=True)
class Distribution(Record):
    """A handout entered once; it owns one aid record per recipient."""

    given_on: date
    campaign_id: int | None = None
    area_id: int | None = None
    form: str = AidForm.GOODS
    description: str | None = None
    cash_per_recipient: int = 0
    goods_per_recipient: int = 0
    funding_source: str = FundingSource.OWN
    sponsor_id: int | None = None
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class AidRecord(Record):
    given_on: date
    recipient_kind: str
    address_id: int | None = None
    person_id: int | None = None
    group_name: str | None = None
    head_count: int | None = None
    campaign_id: int | None = None
    area_id: int | None = None
    form: str = AidForm.GOODS
    description: str | None = None
    quantity: float | None = None
    unit: str | None = None
    cash_value: int = 0
    goods_value: int = 0
    funding_source: str = FundingSource.OWN
    sponsor_id: int | None = None
    persons_reached: int = 0
    households_reached: int = 0
    is_emergency: bool = False
    distribution_id: int | None = None
    notes: str | None = None

    @property
    def value_total(self) -> int:
        return self.cash_value + self.goods_value


@dataclass(frozen=True, kw_only=True)
class BloodDrive(Record):
    held_on: date
    partner: str | None = None
    registered: int = 0
    donors: int = 0
    units: int = 0
    units_250: int = 0
    units_350: int = 0
    units_450: int = 0
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class FirstAidClass(Record):
    held_on: date
    title: str | None = None
    trainees: int = 0
    cases_handled: int = 0
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class HealthActivity(Record):
    held_on: date
    kind: str = "checkup"  # checkup | medicine | other
    person_times: int = 0
    value: int = 0
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class DisasterDrill(Record):
    held_on: date
    kind: str = "drill"  # drill | training
    sessions: int = 1
    participants: int = 0
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class Target(Record):
    """A yearly target (chỉ tiêu) for one indicator key."""

    year: int
    key: str
    value: int


@dataclass(frozen=True, kw_only=True)
class Officer(Record):
    """A chapter officer: chairman, vice chairman or standing committee member, with dates."""

    person_id: int
    title: str
    from_on: date | None = None
    to_on: date | None = None
    sort_order: int = 0
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class NameChange(Record):
    """A chi hội or thôn renamed on a day (the old name stays for earlier periods)."""

    table_name: str
    row_id: int
    old_name: str
    new_name: str
    on_date: date


@dataclass(frozen=True, kw_only=True)
class MemberBranchMove(Record):
    """A member moved from one chi hội to another (e.g. when a chi hội is dissolved)."""

    member_id: int
    from_branch_id: int | None = None
    to_branch_id: int
    on_date: date
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class UnitMove(Record):
    """A person or household moved to another thôn when units were merged."""

    table_name: str
    row_id: int
    from_unit_id: int
    to_unit_id: int
    on_date: date
