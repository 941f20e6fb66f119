"""The code labels live in one place: every stored code has one, and the forms, the lists,
the exports and the command line show the same words."""

from __future__ import annotations

import pytest

from chapter_app.domain import labels, models

TABLES = [
    (labels.MEMBER_STATUS, models.MemberStatus),
    (labels.MEMBER_STATUS_LISTED, models.MemberStatus),
    (labels.ADDRESS_STATUS, models.AddressStatus),
    (labels.RECIPIENT_KIND, models.RecipientKind),
    (labels.RECIPIENT_KIND_LISTED, models.RecipientKind),
    (labels.FUNDING_SOURCE, models.FundingSource),
    (labels.SPONSOR_KIND, models.SponsorKind),
]


@pytest.mark.parametrize("table,codes", TABLES, ids=lambda x: getattr(x, "__name__", ""))
def test_every_stored_code_has_a_label_and_no_other(table, codes):
    assert list(table) == [str(code) for code in codes]
    assert all(text and text == text.strip() for text in table.values())


def test_a_label_reads_inside_a_sentence_with_its_first_letter_lowered():
    assert labels.lower_first("Ra khỏi Hội") == "ra khỏi Hội"
    assert labels.lower_first("Đang theo dõi") == "đang theo dõi"
    assert labels.lower_first("") == ""


def test_forms_lists_exports_and_the_command_line_share_the_tables():
    from chapter_app.cli import households, people
    from chapter_app.services.importer import fields

    assert set(labels.SEX) == {"M", "F"}
    assert households.ADDRESS_STATUSES == {
        "following": "đang theo dõi",
        "out_of_hardship": "đã thoát khó khăn",
        "stopped": "ngừng theo dõi",
    }
    assert people.MEMBER_STATUSES["moved_out"] == "chuyển sinh hoạt đi"
    assert "admitted" not in people.MEMBER_STATUSES
    assert people.STATUS_LABELS["moved_in"] == "đang sinh hoạt (chuyển đến)"
    assert dict(fields.FUNDING_LABELS) == labels.FUNDING_SOURCE
    assert dict(fields.RECIPIENT_LABELS) == labels.RECIPIENT_KIND_LISTED
