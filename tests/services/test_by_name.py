"""A record named by typing: the exact name wins, one name equal without tones and case is
taken, two or more such names are refused with a message naming them (never the first)."""

from __future__ import annotations

from datetime import date

import pytest

from chapter_app.domain.validation import ValidationFailed
from chapter_app.services.by_name import named, resolve_by_name
from chapter_app.services.records import save_aid, save_commitment

TODAY = date(2026, 11, 23)
TONED = "Nguyễn Văn An"
PLAIN = "Nguyen Van An"


@pytest.fixture
def twins(store):
    """Two households whose names differ only in tones, and a sponsor."""
    toned = store.addresses.add(name=TONED, opened_on=date(2025, 1, 1))
    plain = store.addresses.add(name=PLAIN, opened_on=date(2025, 1, 1))
    sponsor = store.sponsors.add(name="Công ty TNHH Phú Thọ")
    return toned, plain, sponsor


def _resolve(store, value):
    issues = []
    found = resolve_by_name(store.addresses, value, field="address", what="hộ", issues=issues)
    return found, issues


def test_the_exact_name_wins_over_one_equal_without_tones(store, twins):
    toned, plain, _sponsor = twins
    assert _resolve(store, TONED) == (toned.id, [])
    assert _resolve(store, PLAIN) == (plain.id, [])
    assert _resolve(store, "  Nguyễn   Văn An ") == (toned.id, [])


def test_a_name_equal_to_two_without_tones_is_refused_naming_both(store, twins):
    for typed in ("nguyen van an", "NGUYỄN VĂN AN"):
        found, issues = _resolve(store, typed)
        assert found is None
        (issue,) = issues
        assert issue.is_error and issue.field == "address"
        assert f"“{TONED}”" in issue.message and f"“{PLAIN}”" in issue.message
        assert "Có 2 hộ" in issue.message
        assert "Gõ tên đúng như trong danh sách" in issue.message


def test_one_name_equal_without_tones_and_case_is_taken(store):
    only = store.addresses.add(name="Hộ bà Phạm Thị Lụa", opened_on=date(2025, 1, 1))
    assert _resolve(store, "ho ba pham thi lua") == (only.id, [])


def test_a_name_no_record_has_and_an_id_no_record_has_are_refused(store, twins):
    assert _resolve(store, "Lê Văn Tám")[1][0].message == "Không tìm thấy hộ “Lê Văn Tám”."
    found, issues = _resolve(store, 999)
    assert found is None and "999" in issues[0].message
    assert _resolve(store, twins[1].id) == (twins[1].id, [])
    assert _resolve(store, "") == (None, [])


def test_two_records_of_the_very_same_name_are_refused_as_such(store, twins):
    store.addresses.add(name=TONED, opened_on=date(2025, 2, 1))
    found, (issue,) = _resolve(store, TONED)
    assert found is None
    assert issue.message.startswith(f"Có 2 hộ cùng tên “{TONED}”.")


def test_named_prefers_exact_names_among_plain_records():
    class R:
        def __init__(self, name):
            self.name = name

    records = [R("Đỗ Thị Hằng"), R("Do Thi Hang"), R("do thi hang")]
    assert [r.name for r in named(records, "do thi hang")] == ["do thi hang"]
    assert [r.name for r in named(records, "DO THI HANG")] == [r.name for r in records]
    assert named(records, "Đỗ Thị Hà") == []


def test_save_commitment_and_save_aid_refuse_a_household_of_two_names(store, twins):
    _toned, plain, sponsor = twins
    before = len(store.commitments.list())
    with pytest.raises(ValidationFailed) as caught:
        save_commitment(
            store,
            {"sponsor_id": sponsor.id, "address": "nguyen van an", "start_on": "01/03/2025"},
            today=TODAY,
        )
    (issue,) = caught.value.errors
    assert issue.field == "address" and PLAIN in issue.message and TONED in issue.message
    assert len(store.commitments.list()) == before
    saved = save_commitment(
        store,
        {"sponsor_id": sponsor.id, "address": PLAIN, "start_on": "01/03/2025"},
        today=TODAY,
    )
    assert saved.record.address_id == plain.id


def test_save_aid_refuses_a_sponsor_named_by_two_and_takes_the_exact_one(store, twins):
    toned_sponsor = store.sponsors.add(name="Bà Lê Thị Hoa")
    store.sponsors.add(name="Ba Le Thi Hoa")
    raw = {
        "given_on": "20/01/2026",
        "recipient_kind": "group",
        "group_name": "Chợ Tết 0 đồng",
        "head_count": "10",
        "cash_value": "100.000",
    }
    with pytest.raises(ValidationFailed) as caught:
        save_aid(store, {**raw, "sponsor": "ba le thi hoa"}, today=TODAY)
    assert [i.field for i in caught.value.errors] == ["sponsor"]
    saved = save_aid(store, {**raw, "sponsor": "Bà Lê Thị Hoa"}, today=TODAY)
    assert saved.record.sponsor_id == toned_sponsor.id
