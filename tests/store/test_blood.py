"""The blood donors tables: one donor role per person, checked values, counting rules."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from chapter_app.domain.blood import parse_blood_group, threshold_crossed
from chapter_app.store.schema import migration_names


def _donor(store, name="Nguyễn Văn An", **values):
    person = store.people.add(full_name=name, birth_year=1990)
    return store.donors.add(person_id=person.id, **values)


def test_blood_migration_is_registered_by_its_assigned_name():
    assert "0006_blood_donors" in migration_names()


def test_a_person_has_at_most_one_live_donor_role(store):
    donor = _donor(store)
    with pytest.raises(sqlite3.IntegrityError):
        store.donors.add(person_id=donor.person_id)
    store.donors.delete(donor.id)
    assert store.donors.add(person_id=donor.person_id).person_id == donor.person_id


def test_blood_group_outside_abo_rh_is_refused_by_the_table(store):
    with pytest.raises(sqlite3.IntegrityError):
        _donor(store, blood_group="C+")


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("o+", "O+"),
        ("AB Rh-", "AB-"),
        ("A (Rh+)", "A+"),
        ("B dương", "B+"),
        ("0", "O+"),
        ("", None),
    ],
)
def test_blood_group_is_read_from_how_people_write_it(text, group):
    assert parse_blood_group(text) == group


def test_prior_donations_count_their_last_one_on_its_date(store):
    donor = _donor(store, prior_donations=4, prior_last_on=date(2026, 2, 1))
    store.donations.add(donor_id=donor.id, donated_on=date(2026, 6, 1), volume_ml=350)
    assert store.blood.total_of(donor.id, date(2025, 12, 31)) == 3
    assert store.blood.total_of(donor.id, date(2026, 3, 1)) == 4
    assert store.blood.total_of(donor.id, date(2026, 12, 31)) == 5


def test_deleted_donation_is_not_counted(store):
    donor = _donor(store)
    donation = store.donations.add(donor_id=donor.id, donated_on=date(2026, 6, 1))
    store.donations.delete(donation.id)
    assert store.blood.total_of(donor.id, date(2026, 12, 31)) == 0


def test_threshold_crossed_is_the_highest_passed():
    assert threshold_crossed(4, 11, (5, 10, 15)) == 10
    assert threshold_crossed(5, 9, (5, 10, 15)) is None


def test_deleting_a_drive_deletes_its_named_donations_and_undo_brings_them_back(store):
    donor = _donor(store)
    drive = store.blood_drives.add(held_on=date(2026, 6, 1))
    store.donations.add(donor_id=donor.id, donated_on=date(2026, 6, 1), drive_id=drive.id)
    store.deferrals.add(donor_id=donor.id, on_date=date(2026, 6, 1), drive_id=drive.id)
    store.donations.add(donor_id=donor.id, donated_on=date(2026, 1, 1))  # not at the drive
    store.blood_drives.delete(drive.id)
    assert (store.donations.count(), store.deferrals.count()) == (1, 0)
    store.undo()
    assert (store.donations.count(), store.deferrals.count()) == (2, 1)
