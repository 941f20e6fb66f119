"""The household form shows every typed field of a household on file
(``models.ADDRESS_TYPED_FIELDS``, the list the address import updates too)."""

from __future__ import annotations

from datetime import date

from chapter_app.domain.models import ADDRESS_TYPED_FIELDS, Address
from chapter_app.ui.forms.address_form import AddressDialog
from tests.ui.journey import open_dialog


def test_the_typed_fields_are_fields_of_a_household_and_leave_out_head_and_status():
    assert set(ADDRESS_TYPED_FIELDS) <= set(Address.field_names())
    assert not {"head_person_id", "status", "status_on", "id"} & set(ADDRESS_TYPED_FIELDS)


def test_a_household_on_file_shows_each_typed_field(qtbot, store):
    unit = store.units.add(name="Thôn 2")
    values = {
        "name": "Hộ bà Năm",
        "street_address": "Xóm Bàu",
        "unit_id": unit.id,
        "circumstances": "Già yếu, sống một mình",
        "needs": "Gạo",
        "opened_on": date(2025, 1, 1),
        "survey_date": date(2025, 1, 2),
        "certified_on": date(2025, 1, 3),
        "file_no": "HS-07",
        "registry_id": "DC-12",
        "notes": "Gần trạm y tế",
    }
    assert set(values) == set(ADDRESS_TYPED_FIELDS)
    address = store.addresses.add(**values)
    dialog = open_dialog(qtbot, AddressDialog(store, record_id=address.id))
    shown = {key: dialog.fields[key].raw() for key in ADDRESS_TYPED_FIELDS if key != "unit_id"}
    shown["unit_id"] = dialog.unit.raw()
    typed = {k: f"{v:%d/%m/%Y}" if isinstance(v, date) else v for k, v in values.items()}
    assert shown == typed  # dates as the officer reads them
