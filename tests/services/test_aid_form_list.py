"""Aid records and commitments take their form from the register's editable list."""

from __future__ import annotations

from datetime import date

import pytest

from chapter_app.domain.validation import ValidationFailed
from chapter_app.services import reference_lists as rl
from chapter_app.services.records import save_aid

TODAY = date(2026, 11, 23)


def _group_aid(form: str) -> dict:
    return {
        "recipient_kind": "group",
        "group_name": "Nhóm trẻ mồ côi",
        "head_count": "5",
        "given_on": "20/11/2026",
        "goods_value": "1000000",
        "form": form,
    }


def test_an_aid_form_added_to_the_list_is_accepted_by_its_name(store):
    cow = rl.add_entry(store, "forms", "Bò giống", name_en="Breeding cow")
    saved = save_aid(store, _group_aid("bò giống"), today=TODAY)
    assert saved.record.form == cow.code == "bo_giong"
    assert save_aid(store, _group_aid("Breeding cow"), today=TODAY).record.form == "bo_giong"


def test_a_form_not_in_the_list_is_refused_naming_the_lists_forms(store):
    with pytest.raises(ValidationFailed) as failed:
        save_aid(store, _group_aid("Trâu giống"), today=TODAY)
    text = str(failed.value.issues[0].message)
    assert "Trâu giống" in text and "Tiền mặt" in text
    assert store.aid.count() == 0


def test_a_deleted_form_is_no_longer_accepted_even_by_its_usual_word(store):
    rice = rl.find_entry(store, "forms", "Gạo")
    rl.delete_entry(store, "forms", rice.id)
    with pytest.raises(ValidationFailed):
        save_aid(store, _group_aid("gạo"), today=TODAY)
    assert save_aid(store, _group_aid("tiền"), today=TODAY).record.form == "cash"


def test_aid_in_a_form_of_the_list_exports_its_name_and_imports_back(store, tmp_path):
    import openpyxl

    from chapter_app.services.excel_export import export_register
    from chapter_app.services.importer import apply_import, plan_import

    rl.add_entry(store, "forms", "Bò giống")
    save_aid(store, _group_aid("Bò giống"), today=TODAY)
    exported = export_register(store, "aid", tmp_path / "aid.xlsx", today=TODAY)
    ws = openpyxl.load_workbook(exported.path).active
    header = [c.value for c in ws[5]]
    assert ws.cell(6, header.index("Hình thức") + 1).value == "Bò giống"
    for record in store.aid.list():
        store.aid.delete(record.id)
    plan = plan_import(store, exported.path, "aid", today=TODAY)
    assert plan.counts["error"] == 0
    apply_import(store, plan)
    assert [a.form for a in store.aid.list()] == ["bo_giong"]


def test_the_households_printed_file_names_a_form_of_the_list(store):
    from chapter_app.services.records import save_address
    from chapter_app.services.report.household import build_household_file

    rl.add_entry(store, "forms", "Bò giống", name_en="Breeding cow")
    address = save_address(store, {"name": "Hộ bà Lan", "opened_on": "01/01/2025"}, today=TODAY)
    raw = {**_group_aid("Bò giống"), "recipient_kind": "address", "address_id": address.record.id}
    save_aid(store, raw, today=TODAY)
    vi = build_household_file(store, address.record.id, printed_on=TODAY)
    en = build_household_file(store, address.record.id, lang="en", printed_on=TODAY)
    assert vi.aid[0][2] == "Bò giống" and en.aid[0][2] == "Breeding cow"
