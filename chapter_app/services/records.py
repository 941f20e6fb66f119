"""Saving records as an officer types them: validate, resolve references, write in one operation.

Each ``save_*`` takes the raw values of a form or a spreadsheet row (text as typed),
raises ``ValidationFailed`` (with every field's issues) when anything is wrong and
writes nothing then; otherwise it writes in one operation and returns the record with
the warnings (age, ID cross-check, possible duplicate person) that did not block it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from chapter_app.domain import models as m
from chapter_app.domain.validation import (
    N_,
    Issue,
    ValidationFailed,
    errors,
    validate_address,
    validate_aid,
    validate_commitment,
    validate_member,
    validate_person,
    validate_sponsor,
    validate_volunteer,
    warnings,
)
from chapter_app.services.by_name import (
    MSG_UNKNOWN_REFERENCE,
    exists,
    name_issue,
    resolve_by_name,
)
from chapter_app.services.reference_lists import aid_form_aliases
from chapter_app.store.repository import Query
from chapter_app.store.store import Store

T = TypeVar("T")

PERSON_COLUMNS = (*m.NAME_PARTS, *m.PERSON_DETAIL_FIELDS, "unit_id")

MSG_DUPLICATE_ID = N_("Số định danh này đã có ở người khác: {name}.")
MSG_DUPLICATE_NAME = N_("Có thể trùng người đã có: {name}, sinh năm {year}.")
MSG_UNKNOWN_BRANCH = N_("Không có chi hội “{name}”.")
MSG_RECIPIENT_REQUIRED = N_("Chưa chọn người hoặc hộ nhận trợ giúp.")
MSG_ALREADY_MEMBER = N_("{name} đã là hội viên.")


@dataclass(frozen=True)
class Saved(Generic[T]):
    """A record as stored, with the warnings the officer accepted."""

    record: T
    warnings: tuple[Issue, ...] = ()


def _settings(store: Store) -> dict[str, Any]:
    return store.settings.all()


class KnownRecords:
    """For saving many rows: which record ids are live, each looked up once, and the
    register's settings read once. ``expect`` adds a row a bulk writer will write in the
    same operation (not in its table yet), so rows may point at it."""

    def __init__(self, store: Store):
        self.store = store
        self._live: dict[tuple[str, int], bool] = {}
        self._settings: dict[str, Any] | None = None

    def expect(self, table: str, record_id: int) -> None:
        self._live[(table, record_id)] = True

    def exists(self, repo, record_id: int) -> bool:
        key = (repo.table, record_id)
        live = self._live.get(key)
        if live is None:
            live = self._live[key] = repo.find(record_id) is not None
        return live

    def settings(self) -> dict[str, Any]:
        if self._settings is None:
            self._settings = _settings(self.store)
        return self._settings


def person_columns(cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """The people-table values from a cleaned person (birth_date as ``date``)."""
    values = {key: cleaned.get(key) for key in PERSON_COLUMNS if key in cleaned}
    birth = cleaned.get("birth_date")
    values["birth_date"] = date.fromisoformat(birth) if isinstance(birth, str) else birth
    values["agent_orange"] = bool(cleaned.get("agent_orange"))
    return values


def duplicate_warnings(
    store: Store, cleaned: Mapping[str, Any], *, exclude_person_id: int | None = None
) -> list[Issue]:
    """Warnings for people already on file with the same ID number, or name and birth year."""
    issues = []
    full_name = " ".join(
        part
        for part in (cleaned.get(k) for k in ("family_name", "middle_name", "given_name"))
        if part
    )
    for person in store.people.find_duplicates(
        id_number=cleaned.get("id_number"),
        full_name=full_name or None,
        birth_year=cleaned.get("birth_year"),
        exclude_id=exclude_person_id,
    ):
        if cleaned.get("id_number") and person.id_number == cleaned.get("id_number"):
            issues.append(Issue.warning("id_number", MSG_DUPLICATE_ID, name=person.full_name))
        else:
            issues.append(
                Issue.warning(
                    "full_name", MSG_DUPLICATE_NAME, name=person.full_name, year=person.birth_year
                )
            )
    return issues


# What each reference column points at: (repository attribute, Vietnamese noun).
REFERENCES = {
    "person_id": ("people", "người"),
    "head_person_id": ("people", "người"),
    "address_id": ("addresses", "địa chỉ nhân đạo"),
    "sponsor_id": ("sponsors", "nhà tài trợ"),
    "campaign_id": ("campaigns", "chương trình"),
    "area_id": ("areas", "lĩnh vực"),
    "branch_id": ("branches", "chi hội"),
    "unit_id": ("units", "thôn/tổ dân phố"),
    "distribution_id": ("distributions", "đợt trao quà"),
}


def check_references(
    store: Store, cleaned: Mapping[str, Any], known: KnownRecords | None = None
) -> list[Issue]:
    """Errors for ``*_id`` values that do not name a live record (instead of a database error)."""
    issues = []
    for key, value in cleaned.items():
        if key not in REFERENCES or value is None or value == "":
            continue
        repo_name, noun = REFERENCES[key]
        valid = isinstance(value, int) and not isinstance(value, bool)
        if not valid or not exists(getattr(store, repo_name), value, known):
            issues.append(Issue.error(key, MSG_UNKNOWN_REFERENCE, what=noun, name=str(value)))
    return issues


def _fail_on_errors(issues: list[Issue]) -> tuple[Issue, ...]:
    if errors(issues):
        raise ValidationFailed(issues)
    return tuple(warnings(issues))


def resolve_branch(store: Store, value: Any, issues: list[Issue]) -> int | None:
    """A branch id from an id or a name (``store.branches.named``); adds an error when it
    names none or several (naming them)."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and store.branches.find(value):
        return value
    found = store.branches.named(str(value))
    if len(found) == 1:
        return found[0].id
    if not found:
        issues.append(Issue.error("branch", MSG_UNKNOWN_BRANCH, name=str(value)))
    else:
        issues.append(name_issue(found, text=str(value), field="branch", what="chi hội"))
    return None


# The people columns a typed value sets; any other key sets the column of its own name.
_COLUMNS_OF_TYPED = {"full_name": m.NAME_PARTS, "birth": ("birth_date", "birth_year")}


def columns_typed(raw: Mapping[str, Any]) -> set[str]:
    """The people columns ``raw`` carries a value for (``None`` included: a cleared field)."""
    return {column for key in raw for column in _COLUMNS_OF_TYPED.get(key, (key,))}


def _save_person(
    store: Store, cleaned: Mapping[str, Any], person_id: int | None, raw: Mapping[str, Any]
) -> int:
    """Add a person, or change one: a change writes only the columns ``raw`` carries, so a
    form that does not show a field (ethnicity, old address…) leaves what is stored."""
    values = person_columns(cleaned)
    if person_id is None:
        return store.people.add(**values).id
    typed = columns_typed(raw)
    store.people.update(person_id, **{k: v for k, v in values.items() if k in typed})
    return person_id


def _add_or_update(store: Store, repo, record_id: int | None, values: Mapping[str, Any], label):
    """In one operation called ``label``: change record ``record_id``, or add one when it is
    None; only the columns of the repository's model are written."""
    own = {k: v for k, v in values.items() if k in repo.model.field_names()}
    with store.operation(label):
        return repo.update(record_id, **own) if record_id else repo.add(**own)


def person_fields(
    store: Store, raw: Mapping[str, Any], *, today: date, known: KnownRecords
) -> dict[str, Any]:
    """The people-table values ``save_person`` would add for ``raw`` (``ValidationFailed``
    on errors; its possible-duplicate warnings, which block nothing, are not looked for)."""
    cleaned, issues = validate_person(raw, today=today, settings=known.settings())
    issues += check_references(store, cleaned, known)
    _fail_on_errors(issues)
    return person_columns(cleaned)


def save_person(
    store: Store, raw: Mapping[str, Any], *, person_id: int | None = None, today: date | None = None
) -> Saved[m.Person]:
    """Add or change a person (no role)."""
    today = today or date.today()
    cleaned, issues = validate_person(raw, today=today, settings=_settings(store))
    issues += check_references(store, cleaned)
    issues += duplicate_warnings(store, cleaned, exclude_person_id=person_id)
    accepted = _fail_on_errors(issues)
    label = "Sửa" if person_id else "Thêm"
    with store.operation(f"{label} người: {_display_name(cleaned)}"):
        pid = _save_person(store, cleaned, person_id, raw)
    return Saved(store.people.get(pid), accepted)


def _display_name(cleaned: Mapping[str, Any]) -> str:
    return " ".join(
        p for p in (cleaned.get(k) for k in ("family_name", "middle_name", "given_name")) if p
    )


def save_member(
    store: Store, raw: Mapping[str, Any], *, member_id: int | None = None, today: date | None = None
) -> Saved[m.Member]:
    """Admit a member (a new person, or ``raw['person_id']``) or change one."""
    today = today or date.today()
    raw = dict(raw)
    raw.setdefault("branch", raw.get("branch_id"))
    cleaned, issues = validate_member(raw, today=today, settings=_settings(store))
    issues += check_references(store, {k: v for k, v in cleaned.items() if k != "branch_id"})
    branch_id = resolve_branch(store, cleaned.get("branch"), issues)
    existing = store.members.get(member_id) if member_id else None
    person_id = existing.person_id if existing else raw.get("person_id")
    if person_id is None:
        issues += duplicate_warnings(store, cleaned)
    elif existing is None and store.members.list(Query(filters={"person_id": person_id})):
        issues.append(
            Issue.error("full_name", MSG_ALREADY_MEMBER, name=store.people.get(person_id).full_name)
        )
    accepted = _fail_on_errors(issues)
    fields = {
        "branch_id": branch_id,
        "admitted_on": cleaned["admitted_on"],
        "decision_no": cleaned.get("decision_no"),
        "card_no": cleaned.get("card_no"),
    }
    name = _display_name(cleaned)
    if existing is None:
        with store.operation(f"Thêm hội viên: {name}"):
            pid = _save_person(store, cleaned, person_id, raw)
            member = store.members.add(person_id=pid, **fields)
    else:
        with store.operation(f"Sửa hội viên: {name}"):
            _save_person(store, cleaned, existing.person_id, raw)
            member = store.members.update(member_id, **fields)
            if existing.branch_id != branch_id and branch_id is not None:
                store.branch_moves.add(
                    member_id=member_id,
                    from_branch_id=existing.branch_id,
                    to_branch_id=branch_id,
                    on_date=today,
                )
            if existing.admitted_on != cleaned["admitted_on"]:
                member = _move_admission(store, member_id, cleaned["admitted_on"])
    return Saved(member, accepted)


def _move_admission(store: Store, member_id: int, admitted_on: date) -> m.Member:
    """Keep the first 'admitted' event on the admission date when the date is corrected."""
    events = [e for e in store.members.history_of(member_id) if e.status == "admitted"]
    if events:
        store.members.history.update(events[0].id, on_date=admitted_on)
    return store.members._refresh_status(member_id)


def save_volunteer(
    store: Store,
    raw: Mapping[str, Any],
    *,
    volunteer_id: int | None = None,
    today: date | None = None,
) -> Saved[m.Volunteer]:
    """Register a volunteer (a new person, or ``raw['person_id']``) or change one."""
    today = today or date.today()
    cleaned, issues = validate_volunteer(raw, today=today, settings=_settings(store))
    issues += check_references(store, {k: v for k, v in cleaned.items() if k != "branch_id"})
    branch_id = resolve_branch(store, cleaned.get("branch") or raw.get("branch_id"), issues)
    existing = store.volunteers.get(volunteer_id) if volunteer_id else None
    person_id = existing.person_id if existing else raw.get("person_id")
    if person_id is None:
        issues += duplicate_warnings(store, cleaned)
    accepted = _fail_on_errors(issues)
    fields = {
        key: cleaned.get(key)
        for key in ("registered_on", "left_on", "is_core", "skills", "team", "hours")
    }
    fields["branch_id"] = branch_id
    name = _display_name(cleaned)
    with store.operation(f"{'Sửa' if existing else 'Thêm'} tình nguyện viên: {name}"):
        pid = _save_person(store, cleaned, person_id, raw)
        if existing:
            record = store.volunteers.update(volunteer_id, **fields)
        else:
            record = store.volunteers.add(person_id=pid, **fields)
    return Saved(record, accepted)


def address_fields(
    store: Store, raw: Mapping[str, Any], *, today: date, known: KnownRecords | None = None
) -> tuple[dict[str, Any], list[int], tuple[Issue, ...]]:
    """The address columns, category ids and warnings ``save_address`` saves for ``raw``."""
    cleaned, issues = validate_address(raw, today=today)
    issues += check_references(store, cleaned, known)
    accepted = _fail_on_errors(issues)
    category_ids = cleaned.pop("category_ids")
    return (
        {k: v for k, v in cleaned.items() if k in m.Address.field_names()},
        category_ids,
        accepted,
    )


def save_address(
    store: Store,
    raw: Mapping[str, Any],
    *,
    address_id: int | None = None,
    today: date | None = None,
) -> Saved[m.Address]:
    """Open or change a humanitarian address (with its categories)."""
    today = today or date.today()
    fields, category_ids, accepted = address_fields(store, raw, today=today)
    with store.operation(f"{'Sửa' if address_id else 'Thêm'} địa chỉ nhân đạo: {fields['name']}"):
        if address_id:
            record = store.addresses.update(address_id, **fields)
            store.addresses.set_categories(address_id, category_ids)
        else:
            record = store.addresses.add(**fields, category_ids=category_ids)
    return Saved(record, accepted)


def sponsor_fields(
    store: Store, raw: Mapping[str, Any], known: KnownRecords | None = None
) -> tuple[dict[str, Any], tuple[Issue, ...]]:
    """The sponsor values and warnings ``save_sponsor`` saves for ``raw``."""
    cleaned, issues = validate_sponsor(raw)
    issues += check_references(store, cleaned, known)
    return cleaned, _fail_on_errors(issues)


def save_sponsor(
    store: Store, raw: Mapping[str, Any], *, sponsor_id: int | None = None
) -> Saved[m.Sponsor]:
    cleaned, accepted = sponsor_fields(store, raw)
    label = f"{'Sửa' if sponsor_id else 'Thêm'} nhà tài trợ: {cleaned['name']}"
    return Saved(_add_or_update(store, store.sponsors, sponsor_id, cleaned, label), accepted)


def commitment_fields(
    store: Store,
    raw: Mapping[str, Any],
    *,
    today: date,
    forms: Mapping[str, str],
    known: KnownRecords | None = None,
) -> tuple[dict[str, Any], tuple[Issue, ...]]:
    """The commitment values and warnings ``save_commitment`` saves for ``raw``."""
    cleaned, issues = validate_commitment(raw, today=today, forms=forms or None)
    sponsor_id = resolve_by_name(
        store.sponsors,
        cleaned.get("sponsor_id") or cleaned.get("sponsor"),
        field="sponsor",
        what="nhà tài trợ",
        issues=issues,
        known=known,
    )
    address_id = resolve_by_name(
        store.addresses,
        cleaned.get("address_id") or cleaned.get("address"),
        field="address",
        what="địa chỉ nhân đạo",
        issues=issues,
        known=known,
    )
    if sponsor_id is None and not errors(issues):
        issues.append(Issue.error("sponsor", MSG_UNKNOWN_REFERENCE, what="nhà tài trợ", name=""))
    if address_id is None and not errors(issues):
        issues.append(
            Issue.error("address", MSG_UNKNOWN_REFERENCE, what="địa chỉ nhân đạo", name="")
        )
    accepted = _fail_on_errors(issues)
    return {**cleaned, "sponsor_id": sponsor_id, "address_id": address_id}, accepted


def save_commitment(
    store: Store,
    raw: Mapping[str, Any],
    *,
    commitment_id: int | None = None,
    today: date | None = None,
    forms: Mapping[str, str] | None = None,
) -> Saved[m.Commitment]:
    """Record (or change) a commitment; ``forms``: ``aid_form_aliases(store)`` when the
    caller saves many (read from the register when None)."""
    today = today or date.today()
    forms = forms if forms is not None else aid_form_aliases(store)
    fields, accepted = commitment_fields(store, raw, today=today, forms=forms)
    label = "Sửa cam kết" if commitment_id else "Thêm cam kết tài trợ"
    return Saved(_add_or_update(store, store.commitments, commitment_id, fields, label), accepted)


def aid_fields(
    store: Store,
    raw: Mapping[str, Any],
    *,
    today: date,
    forms: Mapping[str, str],
    known: KnownRecords | None = None,
) -> tuple[dict[str, Any], tuple[Issue, ...]]:
    """The aid record values and warnings ``save_aid`` saves for ``raw``."""
    cleaned, issues = validate_aid(raw, today=today, forms=forms or None)
    issues += check_references(
        store, {k: cleaned.get(k) for k in ("address_id", "person_id", "distribution_id")}, known
    )
    campaign_id = resolve_by_name(
        store.campaigns,
        cleaned.get("campaign_id") or cleaned.get("campaign"),
        field="campaign",
        what="chương trình",
        issues=issues,
        known=known,
    )
    area_id = resolve_by_name(
        store.areas,
        cleaned.get("area_id") or cleaned.get("area"),
        field="area",
        what="lĩnh vực",
        issues=issues,
        known=known,
    )
    sponsor_id = resolve_by_name(
        store.sponsors,
        cleaned.get("sponsor_id") or cleaned.get("sponsor"),
        field="sponsor",
        what="nhà tài trợ",
        issues=issues,
        known=known,
    )
    kind = cleaned.get("recipient_kind")
    if kind == "address" and not cleaned.get("address_id"):
        issues.append(Issue.error("recipient", MSG_RECIPIENT_REQUIRED))
    if kind == "person" and not cleaned.get("person_id"):
        issues.append(Issue.error("recipient", MSG_RECIPIENT_REQUIRED))
    accepted = _fail_on_errors(issues)
    fields = {**cleaned, "campaign_id": campaign_id, "area_id": area_id, "sponsor_id": sponsor_id}
    if not fields.get("persons_reached"):
        fields["persons_reached"] = cleaned["head_count"] if kind == "group" else 1
    if kind == "address" and not fields.get("households_reached"):
        fields["households_reached"] = 1
    return fields, accepted


def save_aid(
    store: Store,
    raw: Mapping[str, Any],
    *,
    aid_id: int | None = None,
    today: date | None = None,
    forms: Mapping[str, str] | None = None,
) -> Saved[m.AidRecord]:
    """Record (or change) one aid record; campaign/area/sponsor may be given by id or name;
    the form is one of the register's list (``forms``: ``aid_form_aliases(store)`` when
    the caller saves many; read from the register when None)."""
    today = today or date.today()
    forms = forms if forms is not None else aid_form_aliases(store)
    fields, accepted = aid_fields(store, raw, today=today, forms=forms)
    label = "Sửa lượt trợ giúp" if aid_id else "Thêm lượt trợ giúp"
    return Saved(_add_or_update(store, store.aid, aid_id, fields, label), accepted)
