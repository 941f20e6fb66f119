"""Tests for chapter_app.domain.privacy: masking ID numbers, sensitive categories."""

from __future__ import annotations

import unicodedata

import pytest

from chapter_app.domain.privacy import is_sensitive_category, mask_id, shown_id


def test_a_12_digit_id_keeps_the_province_code_and_the_last_three_digits():
    assert mask_id("051190001234") == "051******234"


def test_masking_keeps_the_length_of_the_number():
    for number in ("051190001234", "212345678", "0123456"):
        assert len(mask_id(number)) == len(number)


def test_an_old_9_digit_cmnd_is_masked_in_the_middle():
    assert mask_id("212345678") == "212***678"


def test_spaces_and_dots_typed_inside_the_number_are_dropped_before_masking():
    assert mask_id("051 190 001 234") == "051******234"
    assert mask_id("051.190.001.234") == "051******234"


@pytest.mark.parametrize("number", ["123456", "12", "9"])
def test_a_number_too_short_to_keep_both_ends_is_masked_entirely(number):
    assert mask_id(number) == "*" * len(number)


@pytest.mark.parametrize("number", [None, "", "   "])
def test_no_number_gives_an_empty_text(number):
    assert mask_id(number) == ""


def test_the_middle_digits_never_appear_in_the_masked_number():
    masked = mask_id("079123987654")
    assert "123987" not in masked
    assert masked.count("*") == 6


def test_shown_id_masks_unless_the_full_number_is_asked_for():
    assert shown_id("051190001234") == "051******234"
    assert shown_id("051190001234", full=True) == "051190001234"
    assert shown_id(None, full=True) == ""


@pytest.mark.parametrize(
    "name",
    [
        "Nạn nhân chất độc da cam",
        "Người khuyết tật",
        "Người mắc bệnh hiểm nghèo",
        unicodedata.normalize("NFD", "NGƯỜI KHUYẾT TẬT"),
    ],
)
def test_health_related_categories_are_sensitive(name):
    assert is_sensitive_category(name)


@pytest.mark.parametrize(
    "name",
    [
        "Hộ nghèo",
        "Hộ cận nghèo",
        "Người già neo đơn, không nơi nương tựa",
        "Trẻ em mồ côi",
        "Hộ gặp thiên tai",
        "Hộ gia đình chính sách",
        "",
        None,
    ],
)
def test_other_categories_are_not_sensitive(name):
    assert not is_sensitive_category(name)
