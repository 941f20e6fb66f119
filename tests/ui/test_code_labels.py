"""The forms and the lists show the code labels of ``domain.labels`` (one table each)."""

from __future__ import annotations

from chapter_app.domain import labels as codes
from chapter_app.ui.forms import labels as form_labels
from chapter_app.ui.pages import labels as list_labels


def test_forms_and_lists_use_the_domain_tables():
    for name in ("MEMBER_STATUS", "ADDRESS_STATUS", "RECIPIENT_KIND", "FUNDING_SOURCE"):
        assert getattr(form_labels, name) is getattr(codes, name), name
    for name in ("SPONSOR_KIND", "SEX"):
        assert getattr(form_labels, name) is getattr(list_labels, name) is getattr(codes, name)
    assert list_labels.MEMBER_STATUS is codes.MEMBER_STATUS_LISTED
    assert list_labels.RECIPIENT_KIND is codes.RECIPIENT_KIND_LISTED
    assert list_labels.ADDRESS_STATUS is codes.ADDRESS_STATUS
    assert form_labels.choices(codes.SEX) == [("Nam", "M"), ("Nữ", "F")]
