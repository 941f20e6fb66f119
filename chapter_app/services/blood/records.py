"""Writing the donors register: the donor role, donations, deferrals, a drive's donors.

Every function is one operation (all-or-nothing) and raises ``BloodInputError`` (with a
Vietnamese message saying what to do) for a value it cannot accept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from chapter_app.domain.blood import (
    WHOLE_BLOOD_VOLUMES,
    Deferral,
    Donation,
    DonationKind,
    Donor,
    parse_blood_group,
)
from chapter_app.errors import InvalidRecordError
from chapter_app.i18n import _, format_date
from chapter_app.store.repository import Query
from chapter_app.store.store import Store


class BloodInputError(InvalidRecordError):
    """A donation, deferral or donor value that cannot be recorded; ``field`` names the
    value (``donated_on``, ``volume_ml`` ...) when one is at fault."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.field = field


def blood_group_value(text: Any) -> str | None:
    """A blood group as typed, checked; raises ``BloodInputError``."""
    try:
        return parse_blood_group(text)
    except ValueError:
        raise BloodInputError(
            _("Nhóm máu «{text}» không hợp lệ; ghi A, B, AB hoặc O, kèm Rh+ hoặc Rh-.").format(
                text=text
            )
        ) from None


def ensure_donor(store: Store, person_id: int, **values: Any) -> Donor:
    """The person's donor role, added if missing; given values (blood group, prior
    donations, date of the last one, notes) are written over the stored ones."""
    if "blood_group" in values:
        values["blood_group"] = blood_group_value(values["blood_group"])
    prior = values.get("prior_donations")
    if prior is not None and (not isinstance(prior, int) or prior < 0):
        raise BloodInputError(_("Số lần hiến trước đây phải là số nguyên không âm."))
    with store.operation(_("Ghi người hiến máu")):
        store.people.get(person_id)
        donor = store.donors.for_person_id(person_id)
        if donor is None:
            return store.donors.add(person_id=person_id, **values)
        return store.donors.update(donor.id, **values) if values else donor


def _check_donation(
    store: Store,
    *,
    donated_on: date,
    kind: str,
    volume_ml: int | None,
    drive_id: int | None,
    today: date,
) -> None:
    if donated_on > today:
        raise BloodInputError(
            _("Ngày hiến máu {day} chưa đến; hãy ghi ngày đã hiến.").format(
                day=format_date(donated_on)
            ),
            field="donated_on",
        )
    if kind not in (DonationKind.WHOLE, DonationKind.COMPONENT):
        raise BloodInputError(_("Loại hiến máu phải là máu toàn phần hoặc thành phần máu."))
    if (
        kind == DonationKind.WHOLE
        and volume_ml is not None
        and volume_ml not in WHOLE_BLOOD_VOLUMES
    ):
        raise BloodInputError(
            _("Thể tích {ml} ml không hợp lệ; máu toàn phần là 250, 350 hoặc 450 ml.").format(
                ml=volume_ml
            ),
            field="volume_ml",
        )
    if drive_id is not None and store.blood_drives.find(drive_id) is None:
        raise BloodInputError(_("Không tìm thấy đợt hiến máu số {id}.").format(id=drive_id))


def record_donation(
    store: Store,
    *,
    person_id: int,
    donated_on: date | None = None,
    drive_id: int | None = None,
    kind: str = DonationKind.WHOLE,
    volume_ml: int | None = None,
    component: str | None = None,
    place: str | None = None,
    certificate_no: str | None = None,
    today: date | None = None,
) -> Donation:
    """One donation of a person (made a donor if not yet); at a drive, the date defaults
    to the drive's day and the place to its partner centre."""
    if drive_id is not None and donated_on is None:
        drive = store.blood_drives.find(drive_id)
        donated_on = drive.held_on if drive else None
        place = place or (drive.partner if drive else None)
    if donated_on is None:
        raise BloodInputError(_("Chưa có ngày hiến máu."), field="donated_on")
    _check_donation(
        store,
        donated_on=donated_on,
        kind=kind,
        volume_ml=volume_ml,
        drive_id=drive_id,
        today=today or date.today(),
    )
    with store.operation(_("Ghi lần hiến máu")):
        donor = ensure_donor(store, person_id)
        return store.donations.add(
            donor_id=donor.id,
            donated_on=donated_on,
            drive_id=drive_id,
            kind=kind,
            volume_ml=volume_ml,
            component=component,
            place=place,
            certificate_no=certificate_no,
        )


def record_deferral(
    store: Store,
    *,
    person_id: int,
    on_date: date,
    drive_id: int | None = None,
    reason: str | None = None,
    until_on: date | None = None,
) -> Deferral:
    """A person who came to give and was not accepted (not a donation)."""
    if until_on is not None and until_on < on_date:
        raise BloodInputError(_("Ngày hết tạm hoãn phải sau ngày đến hiến máu."))
    with store.operation(_("Ghi lần tạm hoãn hiến máu")):
        donor = ensure_donor(store, person_id)
        return store.deferrals.add(
            donor_id=donor.id, on_date=on_date, drive_id=drive_id, reason=reason, until_on=until_on
        )


@dataclass(frozen=True)
class DriveDonor:
    """One person picked on a drive's form: donated (with a volume) or deferred."""

    person_id: int
    volume_ml: int | None = 350
    deferred: bool = False
    certificate_no: str | None = None


def set_drive_donors(
    store: Store, drive_id: int, donors: Sequence[DriveDonor], *, today: date | None = None
) -> int:
    """Make the drive's named donations and deferrals exactly ``donors`` (one operation);
    returns how many donated. A person may be picked once."""
    drive = store.blood_drives.get(drive_id)
    seen = [d.person_id for d in donors]
    if len(seen) != len(set(seen)):
        raise BloodInputError(_("Một người được chọn hai lần trong cùng một đợt hiến máu."))
    for d in donors:
        if not d.deferred:
            _check_donation(
                store,
                donated_on=drive.held_on,
                kind=DonationKind.WHOLE,
                volume_ml=d.volume_ml,
                drive_id=drive_id,
                today=today or date.today(),
            )
    with store.operation(_("Ghi người hiến máu của đợt")):
        for repo in (store.donations, store.deferrals):
            for row_id in repo.ids(Query(filters={"drive_id": drive_id})):
                repo.delete(row_id)
        for d in donors:
            donor = ensure_donor(store, d.person_id)
            if d.deferred:
                store.deferrals.add(donor_id=donor.id, on_date=drive.held_on, drive_id=drive_id)
            else:
                store.donations.add(
                    donor_id=donor.id,
                    donated_on=drive.held_on,
                    drive_id=drive_id,
                    kind=DonationKind.WHOLE,
                    volume_ml=d.volume_ml,
                    place=drive.partner,
                    certificate_no=d.certificate_no,
                )
    return sum(1 for d in donors if not d.deferred)


def match_person(
    store: Store,
    *,
    full_name: str,
    birth_year: int | None = None,
    id_number: str | None = None,
) -> int | None:
    """The person of the register this is: by ID number, else by name and birth year (as
    the imports match). None when nobody matches; ``BloodInputError`` when several do."""
    if id_number:
        found = store.people.find_duplicates(id_number=id_number)
        if found:
            return found[0].id
    if not birth_year:
        return None
    found = store.people.find_duplicates(full_name=full_name, birth_year=birth_year)
    if len(found) > 1:
        raise BloodInputError(
            _("Có {count} người tên «{name}» sinh năm {year}; hãy ghi số định danh.").format(
                count=len(found), name=full_name, year=birth_year
            )
        )
    return found[0].id if found else None
