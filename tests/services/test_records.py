"""Saving records as typed: validation first, nothing written on errors, warnings returned."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from chapter_app.domain.validation import ValidationFailed
from chapter_app.services.records import (
    save_address,
    save_aid,
    save_commitment,
    save_member,
    save_sponsor,
    save_volunteer,
)
from chapter_app.store.repository import Query

TODAY = date(2026, 11, 23)


@pytest.fixture
def branch(store):
    return store.branches.add(name="Chi hội Thôn Phú Thọ")


def _counts(db_path) -> tuple[int, int, int]:
    conn = sqlite3.connect(db_path)
    try:
        return tuple(
            conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("people", "members", "audit_log")
        )
    finally:
        conn.close()


def test_member_typed_as_an_officer_would_is_cleaned_and_saved(store, branch):
    saved = save_member(
        store,
        {
            "full_name": "  nguyễn   văn an ",
            "sex": "Nam",
            "birth": "1980",
            "branch": "chi hoi thon phu tho",
            "admitted_on": "05/01/2026",
            "id_number": "051080123456",
            "phone": "+84 912 345 678",
        },
        today=TODAY,
    )
    person = store.people.get(saved.record.person_id)
    assert person.full_name == "Nguyễn Văn An"
    assert (person.sex, person.birth_year, person.birth_date) == ("M", 1980, None)
    assert person.phone == "0912345678"
    assert saved.record.branch_id == branch.id
    assert saved.record.admitted_on == date(2026, 1, 5)
    assert [e.status for e in store.members.history_of(saved.record.id)] == ["admitted"]
    assert saved.warnings == ()
    assert store.undo_label == "Thêm hội viên: Nguyễn Văn An"


def test_bad_fields_raise_with_every_issue_and_write_nothing(store, branch, db_path):
    before = _counts(db_path)
    with pytest.raises(ValidationFailed) as caught:
        save_member(
            store,
            {
                "full_name": "",
                "branch": "Không có",
                "admitted_on": "31/02/2026",
                "id_number": "12a",
            },
            today=TODAY,
        )
    fields = {issue.field for issue in caught.value.issues}
    assert {"full_name", "branch", "admitted_on", "id_number"} <= fields
    assert _counts(db_path) == before


def test_possible_duplicate_person_is_a_warning_not_an_error(store, branch):
    raw = {"full_name": "Trần Thị Hằng", "birth": "1975", "branch": branch.id}
    save_member(store, {**raw, "admitted_on": "01/03/2020"}, today=TODAY)
    second = save_volunteer(store, {**raw, "registered_on": "01/03/2021"}, today=TODAY)
    assert [w.field for w in second.warnings] == ["full_name"]
    assert "Trần Thị Hằng" in second.warnings[0].message


def test_same_id_number_warns_with_the_other_persons_name(store, branch):
    save_member(
        store,
        {
            "full_name": "Lê Văn Bình",
            "id_number": "051080123456",
            "branch": branch.id,
            "admitted_on": "01/01/2020",
        },
        today=TODAY,
    )
    other = save_volunteer(
        store,
        {"full_name": "Lê Bình", "id_number": "051080123456", "registered_on": "02/02/2022"},
        today=TODAY,
    )
    assert any(w.field == "id_number" and "Lê Văn Bình" in w.message for w in other.warnings)


def test_correcting_the_admission_date_moves_the_admission_event(store, branch):
    saved = save_member(
        store,
        {"full_name": "Phạm Đức", "branch": branch.id, "admitted_on": "01/06/2026"},
        today=TODAY,
    )
    changed = save_member(
        store,
        {"full_name": "Phạm Đức", "branch": branch.id, "admitted_on": "01/04/2026"},
        member_id=saved.record.id,
        today=TODAY,
    )
    assert changed.record.admitted_on == date(2026, 4, 1)
    assert [e.on_date for e in store.members.history_of(saved.record.id)] == [date(2026, 4, 1)]
    assert changed.record.status_on == date(2026, 4, 1)


def test_a_person_cannot_be_admitted_twice(store, branch):
    saved = save_member(
        store,
        {"full_name": "Đỗ Thị Lan", "branch": branch.id, "admitted_on": "01/01/2020"},
        today=TODAY,
    )
    with pytest.raises(ValidationFailed):
        save_member(
            store,
            {
                "full_name": "Đỗ Thị Lan",
                "branch": branch.id,
                "admitted_on": "01/01/2021",
                "person_id": saved.record.person_id,
            },
            today=TODAY,
        )


def test_address_sponsor_commitment_and_aid_chain(store):
    category = store.categories.list(Query())[0]
    address = save_address(
        store,
        {"name": "Hộ bà Nguyễn Thị Lan", "opened_on": "10/02/2025", "category_ids": [category.id]},
        today=TODAY,
    ).record
    assert store.addresses.categories_of(address.id) == [category.id]
    sponsor = save_sponsor(store, {"name": "Công ty TNHH Phú Thọ", "phone": "0912345678"}).record
    commitment = save_commitment(
        store,
        {
            "sponsor": "cong ty tnhh phu tho",
            "address_id": address.id,
            "start_on": "01/03/2025",
            "amount": "500.000 đ",
        },
        today=TODAY,
    ).record
    assert (commitment.sponsor_id, commitment.amount) == (sponsor.id, 500_000)
    aid = save_aid(
        store,
        {
            "given_on": "20/01/2026",
            "recipient_kind": "address",
            "address_id": address.id,
            "campaign": "Tết Nhân ái",
            "goods_value": "500.000",
            "funding_source": "nhà tài trợ",
            "sponsor_id": sponsor.id,
        },
        today=TODAY,
    ).record
    assert (aid.goods_value, aid.persons_reached, aid.households_reached) == (500_000, 1, 1)
    assert store.campaigns.get(aid.campaign_id).name == "Tết Nhân ái"
    assert aid.funding_source == "sponsor"


def test_aid_to_a_person_needs_the_person(store):
    with pytest.raises(ValidationFailed) as caught:
        save_aid(store, {"given_on": "01/01/2026", "recipient_kind": "person"}, today=TODAY)
    assert "recipient" in {i.field for i in caught.value.issues}


def test_group_aid_counts_the_head_count_as_persons_reached(store):
    aid = save_aid(
        store,
        {
            "given_on": "01/02/2026",
            "recipient_kind": "group",
            "group_name": "Chợ Tết 0 đồng",
            "head_count": "120",
            "goods_value": "6.000.000",
        },
        today=TODAY,
    ).record
    assert aid.persons_reached == 120


def test_changing_a_member_keeps_the_person_fields_the_form_does_not_show(store, branch):
    """Ethnicity, religion, old address and health notes come from imports; a form that does
    not carry them must not wipe them when the officer corrects the phone."""
    saved = save_member(
        store,
        {
            "full_name": "Đinh Thị Hoa",
            "birth": "1975",
            "branch": branch.id,
            "admitted_on": "05/01/2020",
        },
        today=TODAY,
    )
    person_id = saved.record.person_id
    store.people.update(
        person_id,
        ethnicity="Hrê",
        religion="Phật giáo",
        old_address="Thôn 9 cũ",
        health_notes="Huyết áp cao",
        agent_orange=True,
    )
    save_member(
        store,
        {
            "full_name": "Đinh Thị Hoa",
            "birth": "1975",
            "branch": branch.id,
            "admitted_on": "05/01/2020",
            "phone": "0912345678",
            "address": None,  # a field the form shows, left empty: cleared
            "person_id": person_id,
        },
        member_id=saved.record.id,
        today=TODAY,
    )
    person = store.people.get(person_id)
    assert person.phone == "0912345678"
    assert (person.ethnicity, person.religion, person.old_address) == (
        "Hrê",
        "Phật giáo",
        "Thôn 9 cũ",
    )
    assert person.health_notes == "Huyết áp cao"
    assert person.agent_orange is True
    assert person.address is None


def test_a_changed_field_the_caller_gives_is_still_written_and_cleared(store, branch):
    saved = save_member(
        store,
        {
            "full_name": "Lê Văn Tám",
            "branch": branch.id,
            "admitted_on": "05/01/2021",
            "phone": "0912345678",
        },
        today=TODAY,
    )
    person_id = saved.record.person_id
    save_member(
        store,
        {
            "full_name": "Lê Văn Tám",
            "branch": branch.id,
            "admitted_on": "05/01/2021",
            "phone": None,
            "birth": "12/03/1990",
            "person_id": person_id,
        },
        member_id=saved.record.id,
        today=TODAY,
    )
    person = store.people.get(person_id)
    assert person.phone is None
    assert (person.birth_date, person.birth_year) == (date(1990, 3, 12), 1990)
