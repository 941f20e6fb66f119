"""The import's fast paths change nothing: planned rows kept compact (a plan of 100,000
rows is held at once) give back what they were given; Excel day numbers read as before."""

from __future__ import annotations

from datetime import date

from openpyxl.utils.datetime import from_excel

from chapter_app.services.importer.cells import serial_date
from chapter_app.services.importer.people import PersonPayload
from chapter_app.services.importer.plan import _handed_over


def test_a_payload_gives_back_its_cleaned_values_in_order_nones_included():
    cleaned = {"unit_id": 3, "full_name": "Lê Văn Tám", "sex": None, "phone": "", "notes": None}
    cleaned |= {"agent_orange": False, "admitted_on": date(2020, 1, 2), "branch": 0}
    payload = PersonPayload(cleaned, {}, 7, "left", date(2021, 1, 1))
    again = payload.cleaned
    assert again == cleaned and list(again) == list(cleaned)
    again["full_name"] = "changed"  # a copy: the payload keeps its own values
    assert payload.cleaned["full_name"] == "Lê Văn Tám"
    other = payload.replaced(cleaned={**cleaned, "sex": "M"}, branch_id=9)
    assert other.cleaned["sex"] == "M" and other.branch_id == 9
    assert (other.status, other.status_on) == ("left", date(2021, 1, 1))


def test_rows_are_let_go_as_they_are_planned():
    data = [(1, ["a"]), (2, ["b"]), (3, ["c"])]
    seen = []
    for number, values in _handed_over(data):
        seen.append(values)
        assert data[number - 1] is None  # the caller holds the only reference
    assert seen == [["a"], ["b"], ["c"]] and data == []


def test_whole_excel_day_numbers_read_as_openpyxl_reads_them():
    days = [*range(1, 70), *range(2_958_400, 2_958_466), *range(36_000, 50_000, 3)]
    for value in days:
        assert serial_date(value) == from_excel(value).date(), value
    for value in (59.5, 60.25, 45_000.999_999_99, 45_000.5):
        assert serial_date(value) == from_excel(value).date(), value
    assert serial_date(0) is None and serial_date(2_958_466) is None
