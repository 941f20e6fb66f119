"""Validation with a memo (what an import uses) gives exactly what validation without one
gives, for hostile values too, whatever the values met before."""

from __future__ import annotations

import math
from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chapter_app.domain import validation as v
from chapter_app.domain.memo import MAX_TEXT, ValueMemo, cached_check
from tests.domain.test_validation_fuzz import HOSTILE_TEXT, VALUES

TODAY = date(2026, 11, 23)
EXAMPLES = settings(
    max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
PERSON_KEYS = [
    "full_name",
    "family_name",
    "middle_name",
    "given_name",
    "sex",
    "birth",
    "id_number",
    "phone",
    "address",
    "old_address",
    "notes",
    "ethnicity",
    "religion",
    "health_notes",
    "disability",
    "agent_orange",
    "branch",
    "admitted_on",
    "decision_no",
    "card_no",
    "registered_on",
    "left_on",
    "is_core",
    "skills",
    "team",
    "hours",
    "unit_id",
]
# Values that equal each other but do not read the same, and hostile text.
LOOKALIKES = [1, 1.0, True, 0, 0.0, -0.0, False, "1", "1.0", math.nan, math.inf, -math.inf]
REPEATED = st.sampled_from(
    [*LOOKALIKES, *HOSTILE_TEXT, None, "", date(2000, 2, 29), datetime(2000, 2, 29, 13, 5)]
)
RAW = st.dictionaries(st.sampled_from(PERSON_KEYS), st.one_of(REPEATED, VALUES), max_size=12)


def rendered(result):
    cleaned, issues = result
    return cleaned, list(issues), [i.render() for i in issues]


@EXAMPLES
@given(st.lists(RAW, min_size=1, max_size=25))
def test_validation_with_a_memo_equals_validation_without_one(rows):
    memo = ValueMemo()
    for validate in (v.validate_person, v.validate_member, v.validate_volunteer):
        for raw in rows + rows:  # every row twice: the second time from the memo
            plain = validate(raw, today=TODAY, settings={})
            remembered = validate(raw, today=TODAY, settings={}, memo=memo)
            assert rendered(remembered) == rendered(plain)
            assert isinstance(remembered[1], list)


def test_values_that_compare_equal_are_remembered_apart():
    memo = ValueMemo()
    for value in [*LOOKALIKES, *LOOKALIKES]:
        for validate in (v.validate_member, v.validate_volunteer):
            raw = {"full_name": "An", "birth": value, "phone": value, "hours": value}
            raw |= {"agent_orange": value, "is_core": value, "card_no": value}
            assert rendered(validate(raw, today=TODAY, memo=memo)) == rendered(
                validate(raw, today=TODAY)
            )


def test_a_memo_answers_for_the_day_it_was_asked_about():
    memo = ValueMemo()
    raw = {"full_name": "An", "birth": "15/06/2026", "branch": 1, "admitted_on": "01/01/2026"}
    before, issues_before = v.validate_member(raw, today=date(2026, 6, 1), memo=memo)
    after, _ = v.validate_member(raw, today=date(2026, 7, 1), memo=memo)
    assert before["birth"] is None and any(i.field == "birth" for i in issues_before)
    assert after["birth"] == v.PartialDate(2026, 6, 15)


def test_a_remembered_result_cannot_be_changed_by_its_caller():
    memo = ValueMemo()
    raw = {"full_name": "Nguyễn Văn 1", "branch": "x", "admitted_on": "31/02/2020"}
    _, first = v.validate_member(raw, today=TODAY, memo=memo)
    first.clear()
    _, again = v.validate_member(raw, today=TODAY, memo=memo)
    assert {i.field for i in again} == {"full_name", "admitted_on"}


def test_a_memo_keeps_a_bounded_number_of_values():
    calls = []
    check = cached_check(lambda value: calls.append(value) or (value, []), limit=3)
    for value in ["a", "b", "c", "d", "a", "d", "x" * (MAX_TEXT + 1), "x" * (MAX_TEXT + 1)]:
        assert check(value)[0] == value
    assert len(check.table) == 3
    assert calls == ["a", "b", "c", "d", "d", "x" * (MAX_TEXT + 1), "x" * (MAX_TEXT + 1)]


def test_a_memo_keeps_more_values_while_they_are_met_again():
    check = cached_check(lambda value: (value, []), limit=2)
    for value in ["a", "b", "a", "b", "a", "c", "d"]:
        check(value)
    assert set(check.table) == {"a", "b", "c", "d"}  # three hits: room for two more
    for value in ["e", "f", "g"]:
        check(value)
    assert "g" not in check.table


def test_a_column_checked_in_one_pass_gives_what_each_value_gives_alone():
    from datetime import date, datetime
    from enum import StrEnum

    from chapter_app.domain.memo import cached_check

    class Word(StrEnum):
        ONE = "1"

    calls = []

    def check(value):
        calls.append(value)
        return (repr(value), [value.__class__.__name__])

    values = [
        "1", 1, 1.0, True, None, float("nan"), -0.0, 0.0, "x" * 300, Word.ONE,
        date(2020, 1, 1), datetime(2020, 1, 1), "1", 1, None, "x" * 300,
    ]  # fmt: skip
    remembered = cached_check(check)
    alone = [remembered(v) for v in values]
    calls.clear()
    column = cached_check(check).column(values)
    assert column == alone
    assert [(r, tuple(i)) for r, i in column] == [(repr(v), (type(v).__name__,)) for v in values]

    def checked(value):
        return sum(1 for c in calls if c.__class__ is value.__class__ and c == value)

    assert checked("1") == 1 and checked(1) == 1 and checked(None) == 0 + calls.count(None)
    assert checked("x" * 300) == 2  # long text is never remembered
    assert checked(Word.ONE) == 1 and checked(0.0) == 2  # nor subclasses, nor 0.0 or -0.0
