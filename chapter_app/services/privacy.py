"""Personal data (Law 91/2025/QH15, Decree 356/2025/NĐ-CP; domain brief §4).

- Consent per person and purpose (``register``, ``sponsor`` matching, ``report`` upward):
  ``record_consent``, ``withdraw_consent``. A person whose consent for sponsor matching is
  withdrawn (or was recorded without that purpose) is left out of
  ``sponsor_visible_people`` / ``sponsor_visible_addresses``, which sponsor lists and
  sponsor exports use.
- ``redact_person`` / ``redact_rows``: what a list, an export or a package may show of a
  person: the ID number masked and the sensitive fields left out, unless chosen.
- ``export_person`` / ``export_person_xlsx``: everything held about one person (their right
  of access), and ``anonymise_person``: their right to erasure, keeping the figures right.
  Both need a reason and are written to the audit log.
- The optional program password: ``set_program_password``, ``check_program_password``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, is_dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from chapter_app.domain.blood import SENSITIVE_DONOR_FIELDS
from chapter_app.domain.cells import neutralise_cell
from chapter_app.domain.models import SENSITIVE_PERSON_FIELDS, Address, ConsentScope, Person
from chapter_app.domain.password import hash_password
from chapter_app.domain.privacy import mask_id
from chapter_app.domain.text import fold
from chapter_app.errors import AppError
from chapter_app.services.program_password import (  # noqa: F401 - part of this API
    PasswordThrottledError,
    check_program_password,
    has_program_password,
    require_program_password,
)
from chapter_app.store.backup import path_text
from chapter_app.store.codec import utc_now
from chapter_app.store.files import write_whole
from chapter_app.store.repository import Query
from chapter_app.store.schema_safety import (
    PERSONAL_COLUMNS,
    audit_op_ids_for_row,
    audit_query,
    audit_users_and_actions,
    checkpoint,
    forget_undo_history,
    people_hidden_from_sponsors,
    purge_search_index,
    scrub_audit_text,
    scrub_audit_values,
    set_secure_delete,
    write_setting_quietly,
)
from chapter_app.store.store import AuditEntry, Store

SCOPES = tuple(scope.value for scope in ConsentScope)  # register, sponsor, report
SCOPE_LABELS = {
    ConsentScope.REGISTER.value: "Lưu trong sổ của Hội",
    ConsentScope.SPONSOR_MATCHING.value: "Giới thiệu với nhà tài trợ",
    ConsentScope.REPORTING.value: "Báo cáo lên cấp trên",
}
ANONYMOUS_NAME = "Đã ẩn danh"
ERASED = "[đã xóa]"
PASSWORD_KEY = "password_hash"

# Person columns blanked when a person is anonymised (names are rewritten separately).
_PERSON_BLANKED = (
    "sex",
    "birth_date",
    "birth_year",
    "id_number",
    "phone",
    "address",
    "old_address",
    "unit_id",
    "notes",
    "ethnicity",
    "religion",
    "health_notes",
    "disability",
    "consent_method",
    "consent_date",
)
_NAME_COLUMNS = ("family_name", "middle_name", "given_name", "full_name", "sort_key", "search_fold")
# Person columns whose earlier values are erased from the audit log: all of the above, every
# sensitive field (Agent Orange status is a flag set to false, not blanked, but its history
# is health data too) and the purposes consented to.
_PERSON_SCRUBBED = tuple(
    dict.fromkeys((*_PERSON_BLANKED, *_NAME_COLUMNS, *SENSITIVE_PERSON_FIELDS, "consent_scope"))
)
# Role and link columns that may hold something personal, blanked too.
_ROLE_BLANKED = {
    "members": ("card_no", "notes"),
    "member_status": ("reason",),
    "volunteers": ("notes",),
    "youth": ("school_or_unit", "notes"),
    "dues_payments": ("notes",),
    "address_members": (),
    "aid_records": ("notes",),
    "donors": ("blood_group", "notes"),  # the blood group is health data
}
_SPONSOR_BLANKED = ("contact_name", "phone", "email", "address", "notes")
# The household columns the schema marks sensitive (circumstances, needs): blanked in every
# household the person heads, its earlier values erased from the audit log.
_HOUSEHOLD_BLANKED = tuple(
    c for (t, c), kind in PERSONAL_COLUMNS.items() if t == "addresses" and kind == "sensitive"
)


def _require_reason(reason: str | None) -> str:
    text = " ".join(str(reason or "").split())
    if not text:
        raise AppError("Hãy ghi lý do (ví dụ: «Theo yêu cầu của người này ngày 05/01/2027»).")
    return text[:500]


def _require_writable(store: Store, what: str) -> None:
    if store.read_only:
        raise AppError(
            f"Không thể {what} khi tệp đang mở ở chế độ chỉ đọc (thao tác này phải được ghi "
            "vào nhật ký). Hãy mở tệp bình thường rồi làm lại."
        )


# --- consent -----------------------------------------------------------------------------------


def consent_scopes(person: Person) -> frozenset[str]:
    """The purposes this person consents to now (empty when none or not recorded)."""
    return frozenset((person.consent_scope or "").split())


def consent_recorded(person: Person) -> bool:
    return person.consent_scope is not None


def _scopes(values: Iterable[str]) -> set[str]:
    wanted = {str(v) for v in values}
    unknown = wanted - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown consent scope(s): {sorted(unknown)}")
    return wanted


def record_consent(
    store: Store,
    person_id: int,
    *,
    scopes: Iterable[str],
    given_on: date,
    method: str,
) -> Person:
    """Record that the person consented to ``scopes`` on ``given_on``, and how
    (``method``: "ký giấy đồng ý", "đồng ý bằng lời có người làm chứng", ...)."""
    wanted = _scopes(scopes)
    if not wanted:
        raise ValueError("no consent scope given")
    person = store.people.get(person_id)
    current = consent_scopes(person) | wanted
    with store.operation(f"Ghi nhận đồng ý: {person.full_name}"):
        return store.people.update(
            person_id,
            consent_scope=" ".join(sorted(current)),
            consent_date=given_on,
            consent_method=" ".join(str(method).split())[:200] or None,
        )


def withdraw_consent(
    store: Store,
    person_id: int,
    *,
    scopes: Iterable[str] | None = None,
    on: date,
    reason: str,
) -> Person:
    """The person withdraws consent for ``scopes`` (all of them when None)."""
    reason = _require_reason(reason)
    person = store.people.get(person_id)
    withdrawn = set(SCOPES) if scopes is None else _scopes(scopes)
    remaining = consent_scopes(person) - withdrawn
    with store.operation(f"Rút lại đồng ý: {person.full_name}"):
        updated = store.people.update(
            person_id, consent_scope=" ".join(sorted(remaining)), consent_withdrawn_on=on
        )
        store.ops.log_event(
            "consent_withdrawn",
            details={"person_id": person_id, "scopes": sorted(withdrawn), "on": on.isoformat()},
            reason=reason,
        )
    return updated


def is_visible_to_sponsors(person: Person) -> bool:
    """Shown to sponsors unless a consent was recorded without the sponsor purpose
    (withdrawn, or never given). People with no consent on file (older records) are
    shown; pass ``require_consent=True`` to the list functions to show only those who
    consented."""
    return not consent_recorded(person) or ConsentScope.SPONSOR_MATCHING.value in consent_scopes(
        person
    )


def hidden_from_sponsors(store: Store) -> set[int]:
    """Ids of the people that sponsor lists and exports must leave out."""
    return people_hidden_from_sponsors(store.db)


def sponsor_visible_people(
    store: Store, query: Query | None = None, *, require_consent: bool = False
) -> list[Person]:
    """People a sponsor may be shown (``query`` as for ``store.people.list``)."""
    hidden = hidden_from_sponsors(store)
    people = store.people.list(query or Query())
    if require_consent:
        return [p for p in people if ConsentScope.SPONSOR_MATCHING.value in consent_scopes(p)]
    return [p for p in people if p.id not in hidden]


def sponsor_visible_addresses(
    store: Store, query: Query | None = None, *, require_consent: bool = False
) -> list[Address]:
    """Humanitarian addresses a sponsor may be shown: those whose head has not withdrawn
    consent for sponsor matching (with ``require_consent``, only heads who consented)."""
    hidden = hidden_from_sponsors(store)
    addresses = store.addresses.list(query or Query())
    if not require_consent:
        return [a for a in addresses if a.head_person_id not in hidden]
    visible = []
    for address in addresses:
        head = store.people.find(address.head_person_id) if address.head_person_id else None
        if head and ConsentScope.SPONSOR_MATCHING.value in consent_scopes(head):
            visible.append(address)
    return visible


# --- what lists, exports and packages may show -----------------------------------------------


def _as_dict(record: Any) -> dict[str, Any]:
    if is_dataclass(record) and not isinstance(record, type):
        return asdict(record)
    return dict(record)


def redact_person(
    record: Person | Mapping[str, Any],
    *,
    include_sensitive: bool = False,
    show_full_id: bool = False,
) -> dict[str, Any]:
    """A person (or a list row with person columns) as it may leave the edit form:
    the ID number masked (``051******234``) and the sensitive fields (health, disability,
    Agent Orange status, ethnicity, religion) removed, unless explicitly chosen."""
    row = _as_dict(record)
    if "id_number" in row and not show_full_id:
        row["id_number"] = mask_id(row["id_number"]) or None
    if not include_sensitive:
        for key in (*SENSITIVE_PERSON_FIELDS, *SENSITIVE_DONOR_FIELDS):
            row.pop(key, None)
    return row


def redact_rows(
    rows: Iterable[Person | Mapping[str, Any]],
    *,
    include_sensitive: bool = False,
    show_full_id: bool = False,
) -> list[dict[str, Any]]:
    return [
        redact_person(r, include_sensitive=include_sensitive, show_full_id=show_full_id)
        for r in rows
    ]


# --- the right of access: everything held about a person -------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _records(items: Sequence[Any]) -> list[dict[str, Any]]:
    return [_plain(_as_dict(item)) for item in items]


def _collect(store: Store, person_id: int) -> dict[str, Any]:
    person = store.people.get(person_id, include_deleted=True)
    by_person = Query(filters={"person_id": person_id}, include_deleted=True)
    members = store.members.list(by_person)
    member_ids = [m.id for m in members]
    status = (
        store.members.history.list(
            Query(filters={"member_id": member_ids}, include_deleted=True, order_by="on_date")
        )
        if member_ids
        else []
    )
    dues = (
        store.dues.list(Query(filters={"member_id": member_ids}, include_deleted=True))
        if member_ids
        else []
    )
    volunteers = store.volunteers.list(by_person)
    youth = store.youth.list(by_person)
    links = store.addresses.household.list(by_person)
    households = []
    for link in links:
        address = store.addresses.find(link.address_id, include_deleted=True)
        households.append(
            {**_plain(_as_dict(link)), "address_name": address.name if address else None}
        )
    headed = store.addresses.list(
        Query(filters={"head_person_id": person_id}, include_deleted=True)
    )
    aid = store.aid.list(by_person)
    sponsors = store.sponsors.list(by_person)
    donors = store.donors.list(by_person)
    donor_ids = [d.id for d in donors]
    donations = (
        store.donations.list(Query(filters={"donor_id": donor_ids}, include_deleted=True))
        if donor_ids
        else []
    )
    audit = {}  # by id: an import's run of rows may hold several of the person's rows
    related = [("people", [person_id]), ("members", member_ids)]
    related += [("volunteers", [v.id for v in volunteers]), ("youth", [y.id for y in youth])]
    related += [("sponsors", [s.id for s in sponsors]), ("donors", donor_ids)]
    for table, ids in related:
        for row_id in ids:
            for entry in store.audit_entries(table=table, row_id=row_id, limit=100_000):
                audit[entry.id] = _plain(_as_dict(entry))
    audit = [audit[key] for key in sorted(audit)]
    return {
        "person": _plain(_as_dict(person)),
        "consent": {
            "scopes": sorted(consent_scopes(person)),
            "recorded": consent_recorded(person),
        },
        "members": _records(members),
        "member_status": _records(status),
        "dues": _records(dues),
        "volunteers": _records(volunteers),
        "youth": _records(youth),
        "households": households,
        "addresses_headed": _records(headed),
        "aid_received": _records(aid),
        "sponsor_records": _records(sponsors),
        "blood_donor": _records(donors),
        "donations": _records(donations),
        "audit": audit,
    }


def export_person(store: Store, person_id: int, *, reason: str) -> dict[str, Any]:
    """Everything held about a person, as plain values (dates as ISO text), for their
    request to see their data. The ID number is given in full (it is their own data).
    The export is recorded in the audit log with ``reason``."""
    reason = _require_reason(reason)
    _require_writable(store, "xuất dữ liệu của một người")
    data = _collect(store, person_id)
    data["exported_at"] = utc_now()
    store.ops.log_event(
        "export_person", details={"person_id": person_id, "format": "data"}, reason=reason
    )
    return data


PERSON_LABELS = {
    "full_name": "Họ và tên",
    "family_name": "Họ",
    "middle_name": "Tên đệm",
    "given_name": "Tên",
    "sex": "Giới tính",
    "birth_date": "Ngày sinh",
    "birth_year": "Năm sinh",
    "id_number": "Số định danh",
    "phone": "Số điện thoại",
    "address": "Địa chỉ",
    "old_address": "Địa chỉ cũ",
    "notes": "Ghi chú",
    "ethnicity": "Dân tộc",
    "religion": "Tôn giáo",
    "health_notes": "Tình trạng sức khỏe",
    "disability": "Khuyết tật",
    "agent_orange": "Nạn nhân chất độc da cam",
    "consent_date": "Ngày đồng ý",
    "consent_scope": "Phạm vi đồng ý",
    "consent_method": "Cách thức đồng ý",
    "consent_withdrawn_on": "Ngày rút lại đồng ý",
    "created_at": "Ghi vào sổ lúc",
    "updated_at": "Sửa lần cuối lúc",
}
SECTION_TITLES = {
    "members": "Hội viên",
    "member_status": "Quá trình hội viên",
    "dues": "Hội phí",
    "volunteers": "Tình nguyện viên",
    "youth": "Thanh thiếu niên CTĐ",
    "households": "Thành viên hộ",
    "addresses_headed": "Chủ hộ địa chỉ nhân đạo",
    "aid_received": "Trợ giúp đã nhận",
    "sponsor_records": "Nhà tài trợ",
    "audit": "Nhật ký thay đổi",
}


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "có" if value else "không"
    return neutralise_cell(value)


def export_person_xlsx(store: Store, person_id: int, dest: Path | str, *, reason: str) -> Path:
    """Write everything held about a person to an Excel workbook (one sheet per kind of
    record); every text cell is neutralised against formulas. Audited with ``reason``."""
    from openpyxl import Workbook

    reason = _require_reason(reason)
    _require_writable(store, "xuất dữ liệu của một người")
    data = _collect(store, person_id)
    book = Workbook()
    sheet = book.active
    sheet.title = "Thông tin cá nhân"
    sheet.append(["Thông tin", "Giá trị"])
    for key, value in data["person"].items():
        if key in ("id", "uuid", "sort_key", "search_fold", "deleted_at", "anonymised_at"):
            continue
        sheet.append([PERSON_LABELS.get(key, key), _cell(value)])
    sheet.append(["Xuất lúc", _cell(utc_now())])
    for section, title in SECTION_TITLES.items():
        rows = data[section]
        if not rows:
            continue
        ws = book.create_sheet(title[:31])
        columns = list(rows[0])
        ws.append(columns)
        for row in rows:
            ws.append([_cell(row.get(c)) for c in columns])
    dest = write_whole(dest, book.save)
    store.ops.log_event(
        "export_person",
        details={"person_id": person_id, "format": "xlsx", "file": path_text(dest.name)},
        reason=reason,
    )
    return dest


# --- the right to erasure -----------------------------------------------------------------


def _blank_rows(store: Store, repo, rows, columns: Sequence[str], touched: list) -> None:
    for row in rows:
        changes = {c: None for c in columns if getattr(row, c) is not None}
        if changes and row.deleted_at is None:
            repo.update(row.id, **changes)
        elif changes:
            _update_tombstone(repo, row.id, changes)
        touched.append((repo.table, row.id, columns))


def _update_tombstone(repo, row_id: int, changes: dict[str, Any]) -> None:
    repo.restore(row_id)
    repo.update(row_id, **changes)
    repo.delete(row_id, reason="Ẩn danh dữ liệu cá nhân")


def anonymise_person(store: Store, person_id: int, *, reason: str) -> Person:
    """Erase a person's personal data but keep the record, so every figure stays right.

    Name -> "Đã ẩn danh"; sex, birth, ID number, phone, addresses, unit, notes, the day and
    way consent was given and the sensitive fields are cleared; roles, dues, household links,
    households and aid stay (counted) with their free-text notes cleared; a person-sponsor's
    contact details, the circumstances and needs of a household the person heads and the
    name of one named after them are cleared too. Earlier values are removed from the audit log
    and from the undo history, and freed space in the file is zeroed. Not undoable;
    recorded in the audit log with ``reason``. Backups made before still hold the old
    data until they are thinned away.
    """
    reason = _require_reason(reason)
    _require_writable(store, "xóa dữ liệu cá nhân")
    person = store.people.get(person_id, include_deleted=True)
    if person.anonymised_at:
        return person
    old_name = person.full_name
    touched: list[tuple[str, int, Sequence[str]]] = []
    set_secure_delete(store.db, True)
    try:
        with store.ops.run(f"Ẩn danh người số {person_id}", undoable=False):
            changes = {c: None for c in _PERSON_BLANKED}
            changes.update(
                family_name="",
                middle_name="",
                given_name=ANONYMOUS_NAME,
                agent_orange=False,
                consent_scope="",
                consent_withdrawn_on=date.today(),
                anonymised_at=utc_now(),
            )
            if person.deleted_at is None:
                store.people.update(person_id, **changes)
            else:
                _update_tombstone(store.people, person_id, changes)
            touched.append(("people", person_id, _PERSON_SCRUBBED))

            by_person = Query(filters={"person_id": person_id}, include_deleted=True)
            members = store.members.list(by_person)
            _blank_rows(store, store.members, members, _ROLE_BLANKED["members"], touched)
            for member in members:
                history = store.members.history.list(
                    Query(filters={"member_id": member.id}, include_deleted=True)
                )
                _blank_rows(
                    store, store.members.history, history, _ROLE_BLANKED["member_status"], touched
                )
                dues = store.dues.list(
                    Query(filters={"member_id": member.id}, include_deleted=True)
                )
                _blank_rows(store, store.dues, dues, _ROLE_BLANKED["dues_payments"], touched)
            for repo, key in (
                (store.volunteers, "volunteers"),
                (store.youth, "youth"),
                (store.donors, "donors"),
            ):
                _blank_rows(store, repo, repo.list(by_person), _ROLE_BLANKED[key], touched)
            _blank_rows(
                store, store.aid, store.aid.list(by_person), _ROLE_BLANKED["aid_records"], touched
            )
            for sponsor in store.sponsors.list(by_person):
                changes = {c: None for c in _SPONSOR_BLANKED}
                changes["name"] = f"Nhà tài trợ đã ẩn danh số {sponsor.id}"
                if sponsor.deleted_at is None:
                    store.sponsors.update(sponsor.id, **changes)
                else:
                    _update_tombstone(store.sponsors, sponsor.id, changes)
                touched.append(("sponsors", sponsor.id, ("name", *_SPONSOR_BLANKED)))
            headed = store.addresses.list(
                Query(filters={"head_person_id": person_id}, include_deleted=True)
            )
            for address in headed:
                changes = {c: None for c in _HOUSEHOLD_BLANKED if getattr(address, c) is not None}
                columns = _HOUSEHOLD_BLANKED
                if old_name and fold(old_name) in fold(address.name):
                    changes["name"] = f"Hộ đã ẩn danh số {address.id}"
                    columns = ("name", *columns)
                if changes and address.deleted_at is None:
                    store.addresses.update(address.id, **changes)
                elif changes:
                    _update_tombstone(store.addresses, address.id, changes)
                touched.append(("addresses", address.id, columns))

            op_ids: set[str] = set()
            for table, row_id, columns in touched:
                scrub_audit_values(
                    store.db, table=table, row_id=row_id, fields=columns, placeholder=ERASED
                )
                op_ids |= audit_op_ids_for_row(store.db, table, row_id)
            scrub_audit_text(store.db, op_ids=op_ids, text=old_name, replacement=ANONYMOUS_NAME)
            purge_search_index(store.db)
            store.ops.log_event("anonymise_person", details={"person_id": person_id}, reason=reason)
    finally:
        set_secure_delete(store.db, False)
    forget_undo_history(store.ops)
    checkpoint(store.db)
    return store.people.get(person_id, include_deleted=True)


# --- the program password ------------------------------------------------------------------


def set_program_password(store: Store, new_password: str, *, current: str | None = None) -> None:
    """Set (or change) the password asked at start; changing needs the current one.

    Raises ``PasswordPolicyError`` for an unacceptable new password and
    ``WrongPasswordError`` when ``current`` is wrong. The hash never enters the audit log.
    """
    if has_program_password(store):
        require_program_password(store, current or "")
    stored = hash_password(new_password)
    with store.ops.run("Đặt mật khẩu chương trình", undoable=False):
        write_setting_quietly(store.db, PASSWORD_KEY, stored, updated_at=utc_now())
        store.ops.log_event("password_set")
    store.session_password = new_password


def clear_program_password(store: Store, *, current: str) -> None:
    """Remove the password (the current one must be given)."""
    require_program_password(store, current)
    with store.ops.run("Bỏ mật khẩu chương trình", undoable=False):
        write_setting_quietly(store.db, PASSWORD_KEY, None, updated_at=utc_now())
        store.ops.log_event("password_removed")
    store.session_password = None


# --- the audit log viewer -------------------------------------------------------------------

ACTION_LABELS = {
    "insert": "Thêm",
    "update": "Sửa",
    "delete": "Xóa",
    "restore": "Khôi phục bản ghi",
    "undo": "Hoàn tác",
    "redo": "Làm lại",
    "setting": "Sửa cài đặt",
    "bulk_insert": "Thêm hàng loạt",
    "import": "Nhập danh sách",
    "backup": "Sao lưu",
    "restore_backup": "Khôi phục từ bản sao lưu",
    "export_person": "Xuất dữ liệu của một người",
    "export_audit": "Xuất nhật ký",
    "anonymise_person": "Ẩn danh một người",
    "consent_withdrawn": "Rút lại đồng ý",
    "password_set": "Đặt mật khẩu",
    "password_removed": "Bỏ mật khẩu",
}
SENSITIVE_MARK = "[dữ liệu nhạy cảm]"


@dataclass(frozen=True)
class AuditFilter:
    """What the audit log viewer shows: by user, kind of action, record, local dates, text."""

    user: str | None = None
    actions: tuple[str, ...] | None = None
    table: str | None = None
    row_id: int | None = None
    since: date | None = None  # local dates, inclusive
    until: date | None = None
    text: str | None = None


def _utc_bound(day: date | None, *, next_day: bool = False) -> str | None:
    if day is None:
        return None
    if next_day:
        day = day + timedelta(days=1)
    return datetime.combine(day, time.min).astimezone().astimezone(UTC).isoformat()


def audit_log(
    store: Store, where: AuditFilter | None = None, *, limit: int | None = 200, offset: int = 0
) -> tuple[list[AuditEntry], int]:
    """One page of the audit log (newest first) and how many entries match in all."""
    where = where or AuditFilter()
    rows, total = audit_query(
        store.db,
        user=where.user,
        actions=where.actions,
        table=where.table,
        row_id=where.row_id,
        since=_utc_bound(where.since),
        before=_utc_bound(where.until, next_day=True),
        text=where.text,
        limit=limit,
        offset=offset,
    )
    return [AuditEntry(**row) for row in rows], total


def audit_filter_choices(store: Store) -> tuple[list[str], list[str]]:
    """The users and actions present, for the viewer's drop-down lists."""
    return audit_users_and_actions(store.db)


def _redact_values(
    values: Mapping[str, Any] | None, *, include_sensitive: bool, show_full_id: bool
) -> Mapping[str, Any] | None:
    if not values:
        return values
    shown = dict(values)
    if "id_number" in shown and not show_full_id and shown["id_number"] not in (None, ERASED):
        shown["id_number"] = mask_id(str(shown["id_number"])) or None
    if not include_sensitive:
        for key in SENSITIVE_PERSON_FIELDS:
            if key in shown:
                shown[key] = SENSITIVE_MARK
    return shown


def _local_time(iso: str) -> str:
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return moment.strftime("%d/%m/%Y %H:%M:%S")


def export_audit_log_xlsx(
    store: Store,
    dest: Path | str,
    *,
    reason: str,
    where: AuditFilter | None = None,
    include_sensitive: bool = False,
    show_full_id: bool = False,
) -> Path:
    """Write the audit entries matching ``where`` to an Excel workbook: ID numbers masked
    and sensitive values hidden unless chosen, formulas neutralised. Audited with
    ``reason`` (the log holds personal data)."""
    from openpyxl import Workbook

    reason = _require_reason(reason)
    _require_writable(store, "xuất nhật ký")
    entries, _total = audit_log(store, where, limit=None)
    book = Workbook()
    sheet = book.active
    sheet.title = "Nhật ký"
    sheet.append(
        [
            "Thời điểm",
            "Người dùng",
            "Thao tác",
            "Việc",
            "Bảng",
            "Số bản ghi",
            "Trước",
            "Sau",
            "Lý do",
        ]
    )
    options = {"include_sensitive": include_sensitive, "show_full_id": show_full_id}
    for e in entries:
        sheet.append(
            [
                _cell(_local_time(e.at)),
                _cell(e.user),
                _cell(ACTION_LABELS.get(e.action, e.action)),
                _cell(e.op_label),
                _cell(e.table_name),
                e.row_id,
                _cell(_redact_values(e.old_values, **options)),
                _cell(_redact_values(e.new_values, **options)),
                _cell(e.reason),
            ]
        )
    dest = write_whole(dest, book.save)
    store.ops.log_event(
        "export_audit",
        details={"file": path_text(dest.name), "entries": len(entries), **options},
        reason=reason,
    )
    return dest
