"""The generic repository: add/get/update/delete/restore, uuids, timestamps, NFC text."""

from __future__ import annotations

import unicodedata
import uuid as uuidlib
from datetime import date

import pytest

from chapter_app.domain.models import BloodDrive, Unit
from chapter_app.errors import NotFoundError
from chapter_app.store.repository import Query
from chapter_app.store.store import Store

LATER = "2099-01-01T00:00:00.000000+00:00"


def _raw(store: Store, table: str, row_id: int) -> dict:
    cursor = store.db.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
    row = cursor.fetchone()
    return None if row is None else dict(zip([d[0] for d in cursor.description], row, strict=True))


def _audit_count(store: Store) -> int:
    return store.db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]


# --- add / get ---------------------------------------------------------------------------


def test_add_returns_the_stored_record_as_a_frozen_dataclass(store):
    unit = store.units.add(name="Thôn Đông", kind="thon", valid_from=date(2020, 1, 1))
    assert isinstance(unit, Unit)
    assert unit.name == "Thôn Đông"
    assert unit.valid_from == date(2020, 1, 1)
    assert unit.deleted_at is None
    with pytest.raises(AttributeError):
        unit.name = "x"  # type: ignore[misc]
    assert store.units.get(unit.id) == unit


def test_every_row_gets_a_36_character_uuid(store):
    unit = store.units.add(name="Thôn 1")
    assert len(unit.uuid) == 36
    assert str(uuidlib.UUID(unit.uuid)) == unit.uuid
    assert _raw(store, "units", unit.id)["uuid"] == unit.uuid


def test_uuids_are_unique_across_rows_and_tables(store):
    uuids = [store.units.add(name=f"Thôn {i}").uuid for i in range(15)]
    uuids += [store.blood_drives.add(held_on=date(2024, 1, i + 1)).uuid for i in range(15)]
    assert len(set(uuids)) == 30


def test_new_row_has_created_at_equal_to_updated_at(store):
    drive = store.blood_drives.add(held_on=date(2024, 5, 1), donors=12)
    assert drive.created_at
    assert drive.created_at == drive.updated_at
    assert drive.created_at.endswith("+00:00")  # UTC


def test_get_by_uuid_finds_the_row(store):
    person = store.people.add(full_name="Nguyễn Văn An", phone="0912345678")
    assert store.people.get_by_uuid(person.uuid) == person
    assert store.people.get_by_uuid(str(uuidlib.uuid4())) is None


def test_get_of_a_missing_id_raises_not_found_with_a_vietnamese_message(store):
    with pytest.raises(NotFoundError) as info:
        store.units.get(12345)
    assert "Không tìm thấy" in info.value.message
    assert store.units.find(12345) is None


# --- update ------------------------------------------------------------------------------


def test_update_changes_the_field_and_updated_at_but_not_created_at_or_uuid(store, monkeypatch):
    drive = store.blood_drives.add(held_on=date(2024, 5, 1), donors=12)
    monkeypatch.setattr("chapter_app.store.repository.utc_now", lambda: LATER)
    changed = store.blood_drives.update(drive.id, donors=15)
    assert changed.donors == 15
    assert changed.updated_at == LATER
    assert changed.created_at == drive.created_at
    assert changed.uuid == drive.uuid
    assert changed.id == drive.id
    assert store.blood_drives.get(drive.id) == changed


def test_update_without_a_real_change_keeps_updated_at(store):
    drive = store.blood_drives.add(held_on=date(2024, 5, 1), donors=12)
    same = store.blood_drives.update(drive.id, donors=12)
    assert same.updated_at == drive.updated_at


@pytest.mark.parametrize("column", ["id", "uuid", "created_at", "updated_at", "deleted_at"])
def test_update_of_a_protected_column_raises_and_changes_nothing(store, column):
    unit = store.units.add(name="Thôn 1")
    audits = _audit_count(store)
    with pytest.raises(ValueError):
        store.units.update(unit.id, **{column: "x"})
    assert store.units.get(unit.id) == unit
    assert _audit_count(store) == audits


def test_update_of_an_unknown_column_raises_and_changes_nothing(store):
    unit = store.units.add(name="Thôn 1")
    audits = _audit_count(store)
    with pytest.raises(ValueError):
        store.units.update(unit.id, colour="đỏ")
    assert store.units.get(unit.id) == unit
    assert _audit_count(store) == audits


def test_add_with_an_unknown_column_raises_and_inserts_nothing(store):
    with pytest.raises(ValueError):
        store.units.add(name="Thôn 1", colour="đỏ")
    assert store.units.count(include_deleted=True) == 0
    assert _audit_count(store) == 0


def test_update_of_a_missing_row_raises_not_found(store):
    with pytest.raises(NotFoundError):
        store.units.update(999, name="Thôn 9")


# --- soft delete / restore -----------------------------------------------------------------


def test_delete_keeps_the_row_as_a_tombstone(store):
    unit = store.units.add(name="Thôn 1")
    store.units.delete(unit.id)
    raw = _raw(store, "units", unit.id)
    assert raw is not None
    assert raw["deleted_at"] is not None
    assert raw["uuid"] == unit.uuid
    assert raw["name"] == "Thôn 1"


def test_deleted_row_is_not_found_by_get_or_find(store):
    unit = store.units.add(name="Thôn 1")
    store.units.delete(unit.id)
    with pytest.raises(NotFoundError):
        store.units.get(unit.id)
    assert store.units.find(unit.id) is None
    tombstone = store.units.find(unit.id, include_deleted=True)
    assert tombstone is not None and tombstone.deleted_at is not None
    assert store.units.get(unit.id, include_deleted=True).uuid == unit.uuid


def test_deleted_row_is_left_out_of_list_count_and_ids(store):
    keep = store.units.add(name="Thôn A")
    gone = store.units.add(name="Thôn B")
    store.units.delete(gone.id)
    assert [u.id for u in store.units.list()] == [keep.id]
    assert store.units.count() == 1
    assert store.units.ids() == [keep.id]


def test_include_deleted_shows_tombstones(store):
    keep = store.units.add(name="Thôn A")
    gone = store.units.add(name="Thôn B")
    store.units.delete(gone.id)
    assert {u.id for u in store.units.list(include_deleted=True)} == {keep.id, gone.id}
    assert store.units.count(Query(include_deleted=True)) == 2


def test_deleting_twice_or_updating_a_deleted_row_raises_not_found(store):
    unit = store.units.add(name="Thôn 1")
    store.units.delete(unit.id)
    with pytest.raises(NotFoundError):
        store.units.delete(unit.id)
    with pytest.raises(NotFoundError):
        store.units.update(unit.id, name="Thôn 2")


def test_restore_brings_a_tombstone_back(store):
    unit = store.units.add(name="Thôn 1")
    store.units.delete(unit.id)
    restored = store.units.restore(unit.id)
    assert restored.deleted_at is None
    assert restored.uuid == unit.uuid
    assert restored.created_at == unit.created_at
    assert store.units.get(unit.id).name == "Thôn 1"
    assert store.units.count() == 1


def test_restore_of_a_missing_row_raises_not_found(store):
    with pytest.raises(NotFoundError):
        store.units.restore(404)


# --- NFC ---------------------------------------------------------------------------------


def test_text_given_in_nfd_is_stored_in_nfc(store):
    name = "Thôn Đồng Tiến"
    nfd = unicodedata.normalize("NFD", name)
    assert nfd != name
    unit = store.units.add(name=nfd, notes=unicodedata.normalize("NFD", "Ghi chú: hộ nghèo"))
    raw = _raw(store, "units", unit.id)
    assert raw["name"] == name
    assert unicodedata.is_normalized("NFC", raw["name"])
    assert raw["notes"] == "Ghi chú: hộ nghèo"
    assert unit.name == name


def test_text_updated_in_nfd_is_stored_in_nfc(store):
    unit = store.units.add(name="Thôn 1")
    store.units.update(unit.id, name=unicodedata.normalize("NFD", "Thôn Hạ"))
    assert _raw(store, "units", unit.id)["name"] == "Thôn Hạ"


def test_person_name_given_in_nfd_is_stored_in_nfc(store):
    person = store.people.add(full_name=unicodedata.normalize("NFD", "Nguyễn Thị Ánh"))
    raw = _raw(store, "people", person.id)
    for column in ("full_name", "family_name", "middle_name", "given_name"):
        assert unicodedata.is_normalized("NFC", raw[column]), column
    assert raw["full_name"] == "Nguyễn Thị Ánh"
    assert raw["given_name"] == "Ánh"


def test_filter_value_in_nfd_matches_text_stored_in_nfc(store):
    unit = store.units.add(name="Thôn Đồng Tiến")
    found = store.units.list(filters={"name": unicodedata.normalize("NFD", "Thôn Đồng Tiến")})
    assert [u.id for u in found] == [unit.id]


def test_dates_round_trip_as_dates(store):
    drive = store.blood_drives.add(held_on=date(2024, 2, 29), donors=3)
    assert isinstance(drive, BloodDrive)
    assert drive.held_on == date(2024, 2, 29)
    assert _raw(store, "blood_drives", drive.id)["held_on"] == "2024-02-29"
