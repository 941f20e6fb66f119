"""Blood donors: recording donations, who may give on a day, honours, a drive's figures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chapter_app.services.blood.drives import drive_figures
from chapter_app.services.blood.eligibility import donors_due
from chapter_app.services.blood.honours import honour_candidates, record_honours_given
from chapter_app.services.blood.records import (
    BloodInputError,
    DriveDonor,
    ensure_donor,
    record_deferral,
    record_donation,
    set_drive_donors,
)

TODAY = date(2026, 12, 31)
DRIVE_DAY = date(2026, 12, 20)


def _person(store, name, *, birth_year=1990, birth_date=None):
    return store.people.add(full_name=name, birth_year=birth_year, birth_date=birth_date).id


def _give(store, person_id, day, **kw):
    return record_donation(store, person_id=person_id, donated_on=day, today=TODAY, **kw)


def _names(rows):
    return sorted(r.name for r in rows)


def test_donor_may_give_again_twelve_weeks_after_whole_blood(store):
    exactly = _person(store, "Lê Văn Đủ")
    one_day_short = _person(store, "Trần Thị Thiếu")
    _give(store, exactly, DRIVE_DAY - timedelta(days=84), volume_ml=350)
    _give(store, one_day_short, DRIVE_DAY - timedelta(days=83), volume_ml=350)
    assert _names(donors_due(store, DRIVE_DAY)) == ["Lê Văn Đủ"]


def test_age_limits_use_the_birth_year_when_no_birth_date(store):
    for name, year in [("A Mười Tám", 2008), ("B Mười Bảy", 2009), ("C Sáu Mươi", 1966)]:
        _give(store, _person(store, name, birth_year=year), date(2025, 1, 5))
    _give(store, _person(store, "D Sáu Mốt", birth_year=1965), date(2025, 1, 5))
    _give(store, _person(store, "E Chưa Rõ", birth_year=None), date(2025, 1, 5))
    assert _names(donors_due(store, DRIVE_DAY)) == ["A Mười Tám", "C Sáu Mươi"]


def test_full_birth_date_counts_the_birthday(store):
    born = date(2008, 12, 21)  # turns 18 the day after the drive
    _give(store, _person(store, "Vũ Văn Trẻ", birth_year=None, birth_date=born), date(2025, 1, 5))
    assert donors_due(store, DRIVE_DAY) == []
    assert _names(donors_due(store, DRIVE_DAY + timedelta(days=1))) == ["Vũ Văn Trẻ"]


def test_running_deferral_keeps_a_donor_off_the_call_list(store):
    pid = _person(store, "Phạm Văn Hoãn")
    record_deferral(store, person_id=pid, on_date=date(2026, 12, 1), until_on=date(2027, 1, 1))
    assert donors_due(store, DRIVE_DAY) == []
    assert _names(donors_due(store, date(2027, 1, 2))) == ["Phạm Văn Hoãn"]


def test_prior_donations_last_date_counts_as_whole_blood(store):
    pid = _person(store, "Hồ Văn Cũ")
    ensure_donor(store, pid, prior_donations=3, prior_last_on=date(2026, 11, 1))
    assert donors_due(store, DRIVE_DAY) == []


def test_honours_name_the_highest_threshold_passed_in_the_year(store):
    nine_then_two = _person(store, "Ngô Văn Mười")
    ensure_donor(store, nine_then_two, prior_donations=9, prior_last_on=date(2025, 6, 1))
    _give(store, nine_then_two, date(2026, 2, 1))
    _give(store, nine_then_two, date(2026, 6, 1))
    already_five = _person(store, "Đỗ Thị Năm")
    ensure_donor(store, already_five, prior_donations=5, prior_last_on=date(2025, 6, 1))
    _give(store, already_five, date(2026, 2, 1))
    rows = honour_candidates(store, 2026)
    assert [(r.name, r.threshold, r.donations) for r in rows] == [("Ngô Văn Mười", 10, 11)]


def test_honour_recorded_as_given_is_not_proposed_again(store):
    pid = _person(store, "Bùi Văn Năm")
    ensure_donor(store, pid, prior_donations=4)
    _give(store, pid, date(2026, 3, 1))
    rows = honour_candidates(store, 2026)
    assert record_honours_given(store, rows, year=2026, given_on=TODAY) == 1
    assert honour_candidates(store, 2026) == []
    assert [r.given for r in honour_candidates(store, 2026, include_given=True)] == [True]


def test_drive_figures_come_from_named_donations_when_there_are_some(store):
    named = store.blood_drives.add(held_on=DRIVE_DAY, registered=2, donors=1, units=1)
    typed = store.blood_drives.add(held_on=DRIVE_DAY, registered=9, donors=8, units=8, units_350=8)
    people = [_person(store, n) for n in ("An", "Bình", "Cường")]
    set_drive_donors(
        store,
        named.id,
        [
            DriveDonor(people[0], volume_ml=250),
            DriveDonor(people[1], volume_ml=450),
            DriveDonor(people[2], deferred=True),
        ],
        today=TODAY,
    )
    figures = drive_figures(store, [named, typed])
    assert (figures[named.id].registered, figures[named.id].donors) == (3, 2)
    assert (figures[named.id].units_250, figures[named.id].units_450) == (1, 1)
    assert figures[named.id].volume_ml == 700
    assert (figures[typed.id].units, figures[typed.id].named) == (8, False)


def test_failed_drive_donors_leave_the_previous_list(store):
    drive = store.blood_drives.add(held_on=DRIVE_DAY)
    pid = _person(store, "An")
    set_drive_donors(store, drive.id, [DriveDonor(pid)], today=TODAY)
    with pytest.raises(BloodInputError):
        set_drive_donors(store, drive.id, [DriveDonor(pid, volume_ml=300)], today=TODAY)
    assert store.donations.count(filters={"drive_id": drive.id}) == 1


def test_future_donation_and_bad_volume_are_refused_with_a_message(store):
    pid = _person(store, "An")
    with pytest.raises(BloodInputError, match="chưa đến"):
        _give(store, pid, TODAY + timedelta(days=1))
    with pytest.raises(BloodInputError, match="250, 350 hoặc 450"):
        _give(store, pid, TODAY, volume_ml=500)
    assert store.donors.count() == 0


def test_call_list_gives_the_member_branch_else_the_volunteer_branch(store):
    member_branch = store.branches.add(name="Chi hội Thôn Một")
    volunteer_branch = store.branches.add(name="Chi hội Trường")
    member = _person(store, "Hội Viên")
    store.members.add(person_id=member, branch_id=member_branch.id, admitted_on=date(2020, 1, 1))
    store.volunteers.add(
        person_id=member, branch_id=volunteer_branch.id, registered_on=date(2020, 1, 1)
    )
    volunteer = _person(store, "Tình Nguyện")
    store.volunteers.add(
        person_id=volunteer, branch_id=volunteer_branch.id, registered_on=date(2020, 1, 1)
    )
    for pid in (member, volunteer):
        _give(store, pid, date(2025, 1, 5))
    assert {d.name: d.branch for d in donors_due(store, DRIVE_DAY)} == {
        "Hội Viên": "Chi hội Thôn Một",
        "Tình Nguyện": "Chi hội Trường",
    }


def test_blood_group_is_sensitive_kept_in_the_access_export_and_erased_on_request(store):
    from chapter_app.services.privacy import anonymise_person, export_person, redact_person

    pid = _person(store, "Đinh Văn Kín")
    ensure_donor(store, pid, blood_group="AB-")
    _give(store, pid, date(2026, 5, 1), volume_ml=250)
    row = store.donors.rows()[0]
    assert "blood_group" not in redact_person(row)
    assert redact_person(row, include_sensitive=True)["blood_group"] == "AB-"
    exported = export_person(store, pid, reason="Yêu cầu của người hiến")
    assert exported["blood_donor"][0]["blood_group"] == "AB-"
    assert [d["volume_ml"] for d in exported["donations"]] == [250]
    anonymise_person(store, pid, reason="Yêu cầu xóa")
    assert store.donors.for_person_id(pid).blood_group is None
    assert store.donations.count() == 1  # the donation still counts, without the name
