"""The household's file as data and as a PDF; how a commitment's amount is worded."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from chapter_app.services.dossier import commitment_period
from chapter_app.services.pdf.household import render_household_file
from chapter_app.services.report.household import amount_text, build_household_file


@pytest.mark.parametrize(
    ("frequency", "period"),
    [
        ("hằng tháng", "month"),
        ("Hằng  Tháng", "month"),
        ("hang thang", "month"),
        ("monthly", "month"),
        ("hằng quý", "quarter"),
        ("hằng năm", "year"),
        ("một lần", None),
        ("6 tháng một lần", None),
        ("", None),
        (None, None),
    ],
)
def test_a_commitments_period_is_read_from_its_frequency(frequency, period):
    assert commitment_period(frequency) == period


def test_a_monthly_amount_reads_per_month_and_others_keep_their_frequency():
    assert amount_text(500_000, "hằng tháng", "vi") == "500.000 đ/tháng"
    assert amount_text(1_000_000, "hằng quý", "vi") == "1.000.000 đ/quý"
    assert amount_text(2_000_000, "một lần", "vi") == "2.000.000 đ (một lần)"
    assert amount_text(300_000, None, "vi") == "300.000 đ"


def test_the_file_leaves_health_categories_out_unless_asked(store):
    with store.operation("Chuẩn bị"):
        names = {c.name: c.id for c in store.categories.list()}
        address = store.addresses.add(
            name="Hộ ông Đinh Văn Tư",
            opened_on=date(2024, 2, 1),
            category_ids=[names["Hộ nghèo"], names["Nạn nhân chất độc da cam"]],
        )
        sponsor = store.sponsors.add(name="Công ty Bình Minh")
        store.commitments.add(
            sponsor_id=sponsor.id,
            address_id=address.id,
            start_on=date(2025, 1, 1),
            amount=500_000,
            frequency="hằng tháng",
        )
    printed = date(2026, 11, 23)
    data = build_household_file(store, address.id, printed_on=printed)
    facts = dict(data.facts)
    assert facts["Diện đối tượng"] == "Hộ nghèo"
    assert data.commitments == (
        ("Công ty Bình Minh", "01/01/2025", "chưa hết hạn", "Tiền mặt", "500.000 đ/tháng"),
    )
    full = build_household_file(store, address.id, printed_on=printed, include_sensitive=True)
    assert dict(full.facts)["Diện đối tượng"] == "Hộ nghèo, Nạn nhân chất độc da cam"

    english = build_household_file(store, address.id, printed_on=printed, lang="en")
    pdf = render_household_file(english)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "HUMANITARIAN ADDRESS FILE" in text
    assert "/month" in text
