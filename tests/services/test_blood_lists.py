"""The call list and the honours proposal: grouped, sorted, blood group only when chosen."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader

from chapter_app.services.blood.lists import (
    build_call_list,
    build_honours_list,
    export_call_list_xlsx,
)
from chapter_app.services.blood.records import ensure_donor, record_donation
from chapter_app.services.pdf.lists import render_list

TODAY = date(2026, 12, 31)


def _donor(store, name, unit_id, *, prior=0, group="AB-"):
    person = store.people.add(full_name=name, birth_year=1990, unit_id=unit_id, phone="0912345678")
    ensure_donor(store, person.id, prior_donations=prior, blood_group=group)
    return person.id


def _register(store):
    dong = store.units.add(name="Thôn Đông").id
    an = store.units.add(name="Thôn An").id
    _donor(store, "Trần Văn Đức", dong)
    _donor(store, "Lê Thị Dung", dong)
    _donor(store, "Phạm Văn Bảy", an, prior=9)
    record_donation(
        store,
        person_id=store.people.find_duplicates(full_name="Phạm Văn Bảy", birth_year=1990)[0].id,
        donated_on=date(2026, 3, 1),
        volume_ml=350,
        today=TODAY,
    )


def test_call_list_groups_by_unit_in_vietnamese_order_and_hides_blood_group(store):
    _register(store)
    data = build_call_list(store, date(2026, 12, 20), printed_on=TODAY)
    assert [g.heading for g in data.groups] == ["Thôn An", "Thôn Đông"]
    assert [row[1] for row in data.groups[1].rows] == ["Lê Thị Dung", "Trần Văn Đức"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_list(data))).pages)
    assert "Trần Văn Đức" in text and "AB-" not in text
    shown = build_call_list(store, date(2026, 12, 20), include_sensitive=True, printed_on=TODAY)
    assert "AB-" in shown.groups[0].rows[0]


def test_honours_proposal_names_the_threshold_and_total(store):
    _register(store)
    data = build_honours_list(store, 2026, printed_on=TODAY)
    assert [g.heading for g in data.groups] == ["Mốc 10 lần hiến máu"]
    assert data.groups[0].rows[0][1] == "Phạm Văn Bảy" and data.groups[0].rows[0][6] == "10"


def test_call_list_excel_has_one_row_per_donor_and_is_logged(store, tmp_path):
    _register(store)
    dest = tmp_path / "goi.xlsx"
    assert export_call_list_xlsx(store, date(2026, 12, 20), dest) == 3
    sheet = load_workbook(dest).active
    names = [row[1] for row in sheet.iter_rows(min_row=6, values_only=True)]
    assert sorted(names) == ["Lê Thị Dung", "Phạm Văn Bảy", "Trần Văn Đức"]
    assert store.audit_entries(action="export", limit=1)
