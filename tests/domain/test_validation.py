"""Tests for chapter_app.domain.validation: every field rule, good and bad values."""

from __future__ import annotations

import copy
import pickle
import string
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chapter_app.domain import validation as v
from chapter_app.domain.validation import (
    Issue,
    Label,
    PartialDate,
    Severity,
    ValidationFailed,
    age_on,
    check_age,
    check_count,
    check_date_order,
    check_flag,
    check_id_number,
    check_money,
    check_quantity,
    check_sex,
    check_text,
    errors,
    normalise_phone,
    parse_birth,
    parse_date,
    raise_if_errors,
    split_full_name,
    validate_aid,
    validate_commitment,
    validate_member,
    validate_person,
    validate_volunteer,
    warnings,
)
from chapter_app.errors import AppError, InvalidRecordError

TODAY = date(2026, 6, 15)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def templates(issues) -> list[str]:
    return [i.template for i in issues]


def only_error(issues) -> Issue:
    assert len(issues) == 1, issues
    assert issues[0].severity is Severity.ERROR
    return issues[0]


def only_warning(issues) -> Issue:
    assert len(issues) == 1, issues
    assert issues[0].severity is Severity.WARNING
    return issues[0]


# --------------------------------------------------------------------------- Issue


def test_issue_message_formats_template_with_params():
    issue = Issue.error("notes", v.MSG_TEXT_TOO_LONG, limit=10, length=12)
    assert issue.message == "Không được dài quá 10 ký tự (đang có 12 ký tự)."
    assert issue.template == v.MSG_TEXT_TOO_LONG
    assert dict(issue.params) == {"limit": 10, "length": 12}


def test_issue_is_frozen_hashable_and_params_read_only():
    issue = Issue.warning("phone", v.MSG_PHONE_CONVERTED, old="01623456789", new="0323456789")
    with pytest.raises(AttributeError):
        issue.field = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        issue.params["old"] = "x"  # type: ignore[index]
    assert hash(issue) == hash(Issue.warning("phone", v.MSG_PHONE_CONVERTED, old="0", new="1"))
    assert issue in {issue}


def test_issue_defaults_to_error_with_no_params():
    issue = Issue("x", v.MSG_REQUIRED_GENERIC)
    assert issue.severity is Severity.ERROR
    assert dict(issue.params) == {}
    assert issue.message == "Chưa nhập thông tin bắt buộc."


def test_issue_equality_compares_params():
    a = Issue.error("x", v.MSG_COUNT_TOO_LARGE, limit=1)
    assert a == Issue.error("x", v.MSG_COUNT_TOO_LARGE, limit=1)
    assert a != Issue.error("x", v.MSG_COUNT_TOO_LARGE, limit=2)


def test_issue_survives_pickle_and_deepcopy():
    issue = Issue.warning("birth", v.MSG_AGE_BELOW, role=Label("Hội viên"), minimum=18, age=16)
    assert pickle.loads(pickle.dumps(issue)) == issue
    assert copy.deepcopy(issue) == issue


def test_issue_render_translates_template_and_label_params_only():
    issue = Issue.warning("birth", v.MSG_AGE_BELOW, role=Label("Hội viên"), minimum=18, age=16)
    table = {
        v.MSG_AGE_BELOW: "{role} are usually {minimum}+; this person is {age}.",
        "Hội viên": "Members",
    }
    assert issue.render(lambda s: table.get(s, s)) == "Members are usually 18+; this person is 16."
    assert issue.message == "Hội viên thường từ 18 tuổi; người này 16 tuổi."


def test_issue_render_formats_amount_params_with_vietnamese_grouping_or_given_formatter():
    issue = check_money("2000000000000", field="amount")[1][0]
    assert "1.000.000.000.000" in issue.message
    assert "1,000,000,000,000" in issue.render(format_number=lambda n: f"{n:,}")


def test_severity_is_a_string_enum():
    assert Severity.ERROR == "error"
    assert Severity.WARNING == "warning"
    assert Issue("x", "t", {}, "warning").severity is Severity.WARNING


def test_errors_and_warnings_split_issue_lists_in_order():
    e1 = Issue.error("a", "e1")
    w1 = Issue.warning("b", "w1")
    e2 = Issue.error("c", "e2")
    assert errors([e1, w1, e2]) == [e1, e2]
    assert warnings([e1, w1, e2]) == [w1]
    assert errors([]) == [] and warnings(iter([w1])) == [w1]


def test_validation_failed_carries_issues_and_joins_messages():
    issues = [Issue.error("a", "Lỗi một."), Issue.warning("b", "Cảnh báo hai.")]
    exc = ValidationFailed(issues)
    assert exc.issues == tuple(issues)
    assert str(exc) == "Lỗi một.\nCảnh báo hai."
    assert exc.errors == [issues[0]]
    assert isinstance(exc, InvalidRecordError) and isinstance(exc, AppError)
    assert exc.message == str(exc)


def test_validation_failed_pickles():
    exc = pickle.loads(pickle.dumps(ValidationFailed([Issue.error("a", "Lỗi một.")])))
    assert str(exc) == "Lỗi một."
    assert exc.issues == (Issue.error("a", "Lỗi một."),)


def test_raise_if_errors_raises_only_when_an_error_exists():
    raise_if_errors([Issue.warning("a", "w")])
    with pytest.raises(ValidationFailed) as info:
        raise_if_errors([Issue.warning("a", "w"), Issue.error("b", "e")])
    assert len(info.value.issues) == 2


def test_every_message_template_has_vietnamese_text_and_named_placeholders():
    found = [value for name, value in vars(v).items() if name.startswith("MSG_")]
    assert len(found) > 40
    for template in found:
        assert template == v.N_(template)
        names = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
        assert all(n and n.isidentifier() for n in names), template
        assert unicodedata.is_normalized("NFC", template)


# --------------------------------------------------------------------------- PartialDate


def test_partial_date_full():
    d = PartialDate(1956, 3, 4)
    assert d.is_full
    assert d.as_date() == date(1956, 3, 4)
    assert d.iso() == "1956-03-04"
    assert d.display() == "04/03/1956"
    assert str(d) == "04/03/1956"


def test_partial_date_year_only():
    d = PartialDate(1956)
    assert not d.is_full
    assert d.as_date() is None
    assert d.iso() == "1956"
    assert d.display() == "1956"


@pytest.mark.parametrize("text", ["1956", "1956-03-04", "2024-02-29", " 1956 "])
def test_partial_date_from_iso_round_trips(text):
    assert PartialDate.from_iso(text).iso() == text.strip()


@pytest.mark.parametrize("text", ["", "56", "1956-3-4", "04/03/1956", "2025-02-29", "1956-13-01"])
def test_partial_date_from_iso_refuses_other_text(text):
    with pytest.raises(ValueError):
        PartialDate.from_iso(text)


@pytest.mark.parametrize("args", [(2025, 2, 29), (1956, 3, None), (1956, None, 4), (0,)])
def test_partial_date_refuses_impossible_values(args):
    with pytest.raises(ValueError):
        PartialDate(*args)


def test_partial_date_is_frozen_and_comparable():
    assert PartialDate(1956) == PartialDate(1956)
    assert PartialDate(1956) != PartialDate(1956, 1, 1)
    with pytest.raises(AttributeError):
        PartialDate(1956).year = 1957  # type: ignore[misc]


# --------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/01/2026", date(2026, 1, 5)),
        ("5/1/2026", date(2026, 1, 5)),
        ("05-01-2026", date(2026, 1, 5)),
        ("05.01.2026", date(2026, 1, 5)),
        (" 05 / 01 / 2026 ", date(2026, 1, 5)),
        ("2026-01-05", date(2026, 1, 5)),
        ("2026-1-5", date(2026, 1, 5)),
        ("2026-01-05 00:00:00", date(2026, 1, 5)),
        ("2026-01-05T10:30", date(2026, 1, 5)),
        ("29/02/2024", date(2024, 2, 29)),
        ("29/02/2000", date(2000, 2, 29)),
        ("31/12/2100", date(2100, 12, 31)),
        ("01/01/1900", date(1900, 1, 1)),
        ("\ufeff05/01/2026", date(2026, 1, 5)),
    ],
)
def test_parse_date_accepts_vietnamese_and_iso_forms(text, expected):
    assert parse_date(text, field="d") == (expected, [])


@pytest.mark.parametrize(
    ("text", "template"),
    [
        ("31/02/2026", v.MSG_DATE_NOT_EXIST),
        ("29/02/2025", v.MSG_DATE_NOT_EXIST),
        ("29/02/1900", v.MSG_DATE_NOT_EXIST),
        ("31/04/2026", v.MSG_DATE_NOT_EXIST),
        ("00/01/2026", v.MSG_DATE_NOT_EXIST),
        ("2026-02-30", v.MSG_DATE_NOT_EXIST),
        ("05/01/26", v.MSG_DATE_YEAR_DIGITS),
        ("5/1/26", v.MSG_DATE_YEAR_DIGITS),
        ("05/01/202", v.MSG_DATE_YEAR_DIGITS),
        ("05/01/20266", v.MSG_DATE_YEAR_DIGITS),
        ("31/12/1899", v.MSG_DATE_YEAR_RANGE),
        ("01/01/2101", v.MSG_DATE_YEAR_RANGE),
        ("0999-01-01", v.MSG_DATE_YEAR_RANGE),
        ("12/13/2026", v.MSG_DATE_BAD_MONTH),
        ("01/00/2026", v.MSG_DATE_BAD_MONTH),
        ("05/01-2026", v.MSG_DATE_UNREADABLE),
        ("hôm qua", v.MSG_DATE_UNREADABLE),
        ("2026", v.MSG_DATE_UNREADABLE),
        ("05/01", v.MSG_DATE_UNREADABLE),
        ("2026/01/05", v.MSG_DATE_UNREADABLE),
    ],
)
def test_parse_date_refuses_bad_dates_with_a_clear_error(text, template):
    value, issues = parse_date(text, field="given_on")
    assert value is None
    issue = only_error(issues)
    assert issue.template == template
    assert issue.field == "given_on"


def test_parse_date_names_the_impossible_day():
    _, issues = parse_date("31/02/2026", field="d")
    assert issues[0].message == "Ngày 31/02/2026 không tồn tại."


def test_parse_date_passes_date_and_datetime_through():
    assert parse_date(date(2026, 1, 5), field="d") == (date(2026, 1, 5), [])
    value, issues = parse_date(datetime(2026, 1, 5, 13, 45), field="d")
    assert value == date(2026, 1, 5) and type(value) is date and issues == []


@pytest.mark.parametrize("blank", [None, "", "   ", "\t\n"])
def test_parse_date_blank_is_none_unless_required(blank):
    assert parse_date(blank, field="admitted_on") == (None, [])
    value, issues = parse_date(blank, field="admitted_on", required=True)
    assert value is None
    assert only_error(issues).message == "Chưa nhập ngày kết nạp."


def test_parse_date_required_uses_given_label_or_a_generic_message():
    _, issues = parse_date("", field="xyz", required=True, label="ngày họp")
    assert issues[0].message == "Chưa nhập ngày họp."
    _, issues = parse_date("", field="xyz", required=True)
    assert issues[0].template == v.MSG_REQUIRED_GENERIC


@pytest.mark.parametrize("value", [20260105, 45000.0, True, object(), ["05/01/2026"]])
def test_parse_date_refuses_non_text_non_dates(value):
    assert only_error(parse_date(value, field="d")[1]).template == v.MSG_DATE_UNREADABLE


# --------------------------------------------------------------------------- parse_birth


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1956", PartialDate(1956)),
        (" 1956 ", PartialDate(1956)),
        (1956, PartialDate(1956)),
        (1956.0, PartialDate(1956)),
        ("04/03/1956", PartialDate(1956, 3, 4)),
        ("4-3-1956", PartialDate(1956, 3, 4)),
        ("1956-03-04", PartialDate(1956, 3, 4)),
        (date(1956, 3, 4), PartialDate(1956, 3, 4)),
        (datetime(1956, 3, 4, 8, 0), PartialDate(1956, 3, 4)),
        (PartialDate(1956), PartialDate(1956)),
        ("1900", PartialDate(1900)),
        ("2026", PartialDate(2026)),
        ("15/06/2026", PartialDate(2026, 6, 15)),
    ],
)
def test_parse_birth_accepts_full_date_or_year_only(text, expected):
    assert parse_birth(text, today=TODAY) == (expected, [])


@pytest.mark.parametrize(
    ("text", "template"),
    [
        ("2027", v.MSG_BIRTH_FUTURE_YEAR),
        ("16/06/2026", v.MSG_BIRTH_FUTURE_DATE),
        ("01/01/2090", v.MSG_BIRTH_FUTURE_DATE),
        (PartialDate(2030), v.MSG_BIRTH_FUTURE_YEAR),
        ("1899", v.MSG_BIRTH_TOO_EARLY),
        ("0056", v.MSG_BIRTH_TOO_EARLY),
        ("31/12/1899", v.MSG_BIRTH_TOO_EARLY),
        (PartialDate(1850, 1, 1), v.MSG_BIRTH_TOO_EARLY),
        ("56", v.MSG_BIRTH_YEAR_DIGITS),
        (56, v.MSG_BIRTH_YEAR_DIGITS),
        ("04/03/56", v.MSG_DATE_YEAR_DIGITS),
        ("31/02/1956", v.MSG_DATE_NOT_EXIST),
        ("03/1956", v.MSG_BIRTH_UNREADABLE),
        ("khoảng 1956", v.MSG_BIRTH_UNREADABLE),
        ("19560", v.MSG_BIRTH_UNREADABLE),
        (-1956, v.MSG_BIRTH_UNREADABLE),
        (True, v.MSG_BIRTH_UNREADABLE),
    ],
)
def test_parse_birth_refuses_future_too_early_and_unreadable(text, template):
    value, issues = parse_birth(text, today=TODAY)
    assert value is None
    issue = only_error(issues)
    assert issue.template == template
    assert issue.field == "birth"


def test_parse_birth_future_message_names_the_date():
    _, issues = parse_birth("16/06/2026", today=TODAY)
    assert issues[0].message == "Ngày sinh 16/06/2026 ở tương lai."


def test_parse_birth_blank_and_required():
    assert parse_birth("", today=TODAY) == (None, [])
    _, issues = parse_birth(None, required=True, today=TODAY)
    assert issues[0].message == "Chưa nhập ngày sinh."


def test_parse_birth_defaults_today_to_the_real_today():
    future = date.today() + timedelta(days=400)
    assert parse_birth(future.strftime("%d/%m/%Y"))[0] is None
    assert parse_birth("1956")[0] == PartialDate(1956)


# --------------------------------------------------------------------------- date order


def test_check_date_order_end_before_start_is_an_error():
    issue = only_error(
        check_date_order(
            date(2026, 2, 1),
            date(2026, 1, 1),
            field="left_on",
            start_label="ngày đăng ký",
            end_label="ngày rời",
        )
    )
    assert issue.field == "left_on"
    assert issue.message == (
        "Ngày không hợp lệ: ngày rời (01/01/2026) sớm hơn ngày đăng ký (01/02/2026)."
    )
    assert isinstance(issue.params["end_label"], Label)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 1, 1), date(2026, 1, 1)),
        (date(2026, 1, 1), date(2026, 1, 2)),
        (None, date(2026, 1, 1)),
        (date(2026, 1, 1), None),
        (None, None),
    ],
)
def test_check_date_order_accepts_same_day_later_or_missing(start, end):
    assert check_date_order(start, end, field="f", start_label="a", end_label="b") == []


# --------------------------------------------------------------------------- ages


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (PartialDate(1956, 3, 4), date(2026, 3, 3), 69),
        (PartialDate(1956, 3, 4), date(2026, 3, 4), 70),
        (PartialDate(1956, 3, 4), date(2026, 12, 31), 70),
        (PartialDate(2008, 2, 29), date(2026, 2, 28), 17),
        (PartialDate(2008, 2, 29), date(2026, 3, 1), 18),
        (PartialDate(2008, 2, 29), date(2028, 2, 29), 20),
        (PartialDate(1956), date(2026, 1, 1), 70),
        (PartialDate(1956), date(2026, 12, 31), 70),
        (PartialDate(2026), date(2026, 6, 15), 0),
    ],
)
def test_age_on_counts_completed_years_or_year_difference(birth, on, age):
    assert age_on(birth, on) == age


def test_check_age_below_minimum_is_a_warning_naming_the_age():
    issue = only_warning(
        check_age(PartialDate(2010, 1, 1), on=TODAY, minimum=18, role_label=v.N_("Hội viên"))
    )
    assert issue.message == "Hội viên thường từ 18 tuổi; người này 16 tuổi."
    assert issue.field == "birth"


def test_check_age_year_only_uses_year_difference():
    issue = only_warning(
        check_age(PartialDate(2009), on=date(2026, 1, 1), minimum=18, role_label="Hội viên")
    )
    assert issue.params["age"] == 17
    assert check_age(PartialDate(2008), on=date(2026, 1, 1), minimum=18, role_label="X") == []


@pytest.mark.parametrize(
    ("year", "warned"), [(2011, True), (2010, False), (1996, False), (1995, True), (1980, True)]
)
def test_check_age_youth_range_uses_minimum_and_maximum(year, warned):
    issues = check_age(
        PartialDate(year),
        on=TODAY,
        minimum=16,
        maximum=30,
        role_label="Thanh niên CTĐ",
        field="birth",
    )
    assert bool(issues) is warned
    assert all(i.severity is Severity.WARNING for i in issues)
    if year == 1980:
        assert issues[0].template == v.MSG_AGE_ABOVE
        assert issues[0].message == "Thanh niên CTĐ thường không quá 30 tuổi; người này 46 tuổi."


def test_check_age_without_birth_or_limits_is_silent():
    assert check_age(None, on=TODAY, minimum=18, role_label="X") == []
    assert check_age(PartialDate(2020), on=TODAY, role_label="X") == []


@pytest.mark.parametrize("birth", [PartialDate(2000, 5, 1), PartialDate(2001)])
def test_check_age_on_a_day_before_birth_is_a_warning(birth):
    issue = only_warning(check_age(birth, on=date(2000, 4, 30), minimum=18, role_label="X"))
    assert issue.template == v.MSG_AGE_BEFORE_BIRTH


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("(091) 234-5678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 (0) 912 345 678", "0912345678"),
        ("0084 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("912345678", "0912345678"),
        (912345678, "0912345678"),
        (912345678.0, "0912345678"),
        ("0312345678", "0312345678"),
        ("0512345678", "0512345678"),
        ("0712345678", "0712345678"),
        ("0812345678", "0812345678"),
        ("841234567", "0841234567"),
        ("0243 825 1234", "02438251234"),
        ("(0255) 3822 123", "02553822123"),
        ("02553822123", "02553822123"),
        ("0212345678", "0212345678"),
        ("2553822123", "02553822123"),
        ("\u00a00912\u00a0345\u00a0678 ", "0912345678"),
    ],
)
def test_normalise_phone_accepts_vietnamese_numbers(text, expected):
    assert normalise_phone(text) == (expected, [])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("01623456789", "0323456789"),
        ("0163 345 6789", "0333456789"),
        ("01643456789", "0343456789"),
        ("01653456789", "0353456789"),
        ("01663456789", "0363456789"),
        ("01673456789", "0373456789"),
        ("01683456789", "0383456789"),
        ("01693456789", "0393456789"),
        ("01203456789", "0703456789"),
        ("01213456789", "0793456789"),
        ("01223456789", "0773456789"),
        ("01263456789", "0763456789"),
        ("01283456789", "0783456789"),
        ("01233456789", "0833456789"),
        ("01243456789", "0843456789"),
        ("01253456789", "0853456789"),
        ("01273456789", "0813456789"),
        ("01293456789", "0823456789"),
        ("01863456789", "0563456789"),
        ("01883456789", "0583456789"),
        ("01993456789", "0593456789"),
        ("+84 162 345 6789", "0323456789"),
        ("841623456789", "0323456789"),
        ("1623456789", "0323456789"),
    ],
)
def test_normalise_phone_converts_old_11_digit_mobiles_with_a_warning(old, new):
    value, issues = normalise_phone(old)
    assert value == new
    issue = only_warning(issues)
    assert issue.template == v.MSG_PHONE_CONVERTED
    assert issue.params["new"] == new
    assert "đã được đổi sang số mới" in issue.message


@pytest.mark.parametrize(
    ("text", "template"),
    [
        ("0412345678", v.MSG_PHONE_INVALID),
        ("0612345678", v.MSG_PHONE_INVALID),
        ("0112345678", v.MSG_PHONE_INVALID),
        ("091234567", v.MSG_PHONE_INVALID),
        ("09123456789", v.MSG_PHONE_INVALID),
        ("01303456789", v.MSG_PHONE_INVALID),
        ("12345", v.MSG_PHONE_INVALID),
        ("0", v.MSG_PHONE_INVALID),
        ("00912345678", v.MSG_PHONE_INVALID),
        ("091234567890123", v.MSG_PHONE_INVALID),
        ("không có", v.MSG_PHONE_CHARACTERS),
        ("0912abc678", v.MSG_PHONE_CHARACTERS),
        ("0912345678 / 0987654321", v.MSG_PHONE_CHARACTERS),
        ("+1 212 555 0100", v.MSG_PHONE_FOREIGN),
        ("+", v.MSG_PHONE_FOREIGN),
        (True, v.MSG_PHONE_CHARACTERS),
    ],
)
def test_normalise_phone_refuses_garbage_with_an_error(text, template):
    value, issues = normalise_phone(text)
    assert value is None
    assert only_error(issues).template == template


@pytest.mark.parametrize("blank", [None, "", "  ", " - ", "( )"])
def test_normalise_phone_blank_is_none(blank):
    assert normalise_phone(blank) == (None, [])


def test_normalise_phone_error_quotes_what_was_typed():
    _, issues = normalise_phone("0412 345 678", field="sponsor_phone")
    assert issues[0].field == "sponsor_phone"
    assert "“0412 345 678”" in issues[0].message


# --------------------------------------------------------------------------- ID numbers

# 001 (Hà Nội), 0 = male 1900s, 85 = born 1985
GOOD_ID = "001085012345"


@pytest.mark.parametrize(
    ("text", "sex", "year"),
    [
        (GOOD_ID, "M", 1985),
        ("001 085 012 345", "M", 1985),
        ("001185012345", "F", 1985),
        ("079203012345", "M", 2003),
        ("079303012345", "F", 2003),
        ("096099000001", "M", 1999),
        ("001400000001", "M", 2100),
        ("001500000001", "F", 2100),
        ("001600000001", "M", 2200),
        ("001700000001", "F", 2200),
        ("001899000001", "M", 1899),
        ("001999000001", "F", 1899),
    ],
)
def test_check_id_number_accepts_12_digits_that_agree(text, sex, year):
    number = text.replace(" ", "")
    assert check_id_number(text, sex=sex, birth_year=year) == (number, [])
    assert check_id_number(text) == (number, [])
    assert v.id_number_facts(number)[1:] == (sex, year)


@pytest.mark.parametrize("sex", ["F", "Nữ", "female"])
def test_check_id_number_sex_mismatch_is_a_warning(sex):
    value, issues = check_id_number(GOOD_ID, sex=sex, birth_year=1985)
    assert value == GOOD_ID
    issue = only_warning(issues)
    assert issue.template == v.MSG_ID_SEX
    assert issue.message == "Số định danh ứng với giới tính nam, nhưng đã nhập giới tính nữ."


def test_check_id_number_birth_year_mismatch_is_a_warning_naming_both_years():
    value, issues = check_id_number(GOOD_ID, sex="M", birth_year=1958)
    assert value == GOOD_ID
    issue = only_warning(issues)
    assert issue.template == v.MSG_ID_YEAR
    assert "1985" in issue.message and "1958" in issue.message


def test_check_id_number_reports_sex_and_year_mismatch_together():
    _, issues = check_id_number("001185012345", sex="M", birth_year=2085)
    assert templates(issues) == [v.MSG_ID_SEX, v.MSG_ID_YEAR]
    assert all(i.severity is Severity.WARNING for i in issues)


@pytest.mark.parametrize("code", ["000", "097", "099", "100", "999"])
def test_check_id_number_province_code_out_of_range_is_a_warning(code):
    number = code + "085012345"
    value, issues = check_id_number(number)
    assert value == number
    issue = only_warning(issues)
    assert issue.template == v.MSG_ID_PROVINCE
    assert issue.params["code"] == code


@pytest.mark.parametrize("code", ["001", "048", "096"])
def test_check_id_number_province_code_in_range_is_fine(code):
    assert check_id_number(code + "085012345")[1] == []


@pytest.mark.parametrize("text", ["123456789", "012 345 678"])
def test_check_id_number_old_9_digit_cmnd_is_kept_with_a_warning(text):
    value, issues = check_id_number(text, sex="F", birth_year=1900)
    assert value == text.replace(" ", "")
    assert only_warning(issues).message == "Số CMND cũ 9 số; nên cập nhật số định danh 12 số."


@pytest.mark.parametrize("text", ["00108501234A", "CCCD001085012345", "001-085-012345", "-1"])
def test_check_id_number_letters_or_symbols_are_an_error(text):
    value, issues = check_id_number(text)
    assert value is None
    assert only_error(issues).template == v.MSG_ID_NOT_DIGITS


@pytest.mark.parametrize("text", ["1", "12345678", "1234567890", "00108501234", "0010850123456"])
def test_check_id_number_wrong_length_is_an_error_naming_the_length(text):
    value, issues = check_id_number(text)
    assert value is None
    issue = only_error(issues)
    assert issue.template == v.MSG_ID_LENGTH
    assert issue.params["length"] == len(text)


def test_check_id_number_spreadsheet_int_gets_its_leading_zeros_back_with_a_warning():
    value, issues = check_id_number(1085012345, sex="M", birth_year=1985)
    assert value == GOOD_ID
    assert only_warning(issues).template == v.MSG_ID_ZEROS_RESTORED
    value, issues = check_id_number(79203012345.0)
    assert value == "079203012345"


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_check_id_number_blank_is_none(blank):
    assert check_id_number(blank) == (None, [])


# --------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, 0),
        (500000, 500000),
        ("0", 0),
        ("1234567", 1234567),
        ("1.234.567", 1234567),
        ("1 234 567", 1234567),
        ("1\u00a0234\u00a0567", 1234567),
        ("1\u202f234\u202f567", 1234567),
        ("1.234.567 đ", 1234567),
        ("1.234.567đ", 1234567),
        ("1.234.567 ₫", 1234567),
        ("1.234.567₫", 1234567),
        ("1.234.567 đồng", 1234567),
        ("1.234.567 VNĐ", 1234567),
        ("1.234.567 vnd", 1234567),
        (nfd("500.000 đồng"), 500000),
        ("1,234,567", 1234567),
        ("1.234.567,00", 1234567),
        ("1234.0", 1234),
        ("+500.000", 500000),
        (500000.0, 500000),
        (Decimal("500000"), 500000),
        ("1.000.000.000.000", v.MONEY_MAX),
        (v.MONEY_MAX, v.MONEY_MAX),
    ],
)
def test_check_money_accepts_whole_dong_typed_the_vietnamese_way(value, expected):
    amount, issues = check_money(value, field="amount")
    assert (amount, issues) == (expected, [])
    assert type(amount) is int


@pytest.mark.parametrize(
    ("value", "template"),
    [
        (-1, v.MSG_MONEY_NEGATIVE),
        ("-500.000", v.MSG_MONEY_NEGATIVE),
        ("−500.000 đ", v.MSG_MONEY_NEGATIVE),
        (-0.5, v.MSG_MONEY_NEGATIVE),
        ("12,5", v.MSG_MONEY_FRACTION),
        ("1.234,5", v.MSG_MONEY_FRACTION),
        ("12.5", v.MSG_MONEY_FRACTION),
        ("1,234.56", v.MSG_MONEY_FRACTION),
        (12.5, v.MSG_MONEY_FRACTION),
        (Decimal("0.01"), v.MSG_MONEY_FRACTION),
        (v.MONEY_MAX + 1, v.MSG_MONEY_TOO_LARGE),
        ("1.000.000.000.001", v.MSG_MONEY_TOO_LARGE),
        ("99999999999999999999999999", v.MSG_MONEY_TOO_LARGE),
        pytest.param(10**5000, v.MSG_MONEY_TOO_LARGE, id="int-of-5000-digits"),
        (True, v.MSG_MONEY_UNREADABLE),
        (False, v.MSG_MONEY_UNREADABLE),
        ("100,000", v.MSG_MONEY_UNREADABLE),
        ("500k", v.MSG_MONEY_UNREADABLE),
        ("năm trăm nghìn", v.MSG_MONEY_UNREADABLE),
        ("1.23.456", v.MSG_MONEY_UNREADABLE),
        ("1 23", v.MSG_MONEY_UNREADABLE),
        ("đ", v.MSG_MONEY_UNREADABLE),
        ("--5", v.MSG_MONEY_UNREADABLE),
        (float("nan"), v.MSG_MONEY_UNREADABLE),
        (float("inf"), v.MSG_MONEY_UNREADABLE),
        ([500], v.MSG_MONEY_UNREADABLE),
    ],
)
def test_check_money_refuses_negative_fraction_absurd_bool_and_garbage(value, template):
    amount, issues = check_money(value, field="cash_value")
    assert amount is None
    issue = only_error(issues)
    assert issue.template == template
    assert issue.field == "cash_value"


def test_check_money_negative_message():
    assert check_money("-1", field="a")[1][0].message == "Số tiền không được âm."


def test_check_money_blank_and_required():
    assert check_money("", field="amount") == (None, [])
    assert check_money(None, field="amount") == (None, [])
    _, issues = check_money(" ", field="amount", required=True)
    assert only_error(issues).message == "Chưa nhập số tiền."


# --------------------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, 0),
        (12, 12),
        ("12", 12),
        (" 12 ", 12),
        ("1.234", 1234),
        ("1 234", 1234),
        (12.0, 12),
        ("10.000.000", 10_000_000),
    ],
)
def test_check_count_accepts_non_negative_whole_numbers(value, expected):
    assert check_count(value, field="persons_reached") == (expected, [])


@pytest.mark.parametrize(
    ("value", "template"),
    [
        (-1, v.MSG_COUNT_NEGATIVE),
        ("-3", v.MSG_COUNT_NEGATIVE),
        ("2,5", v.MSG_COUNT_FRACTION),
        (2.5, v.MSG_COUNT_FRACTION),
        (10_000_001, v.MSG_COUNT_TOO_LARGE),
        ("ba", v.MSG_COUNT_UNREADABLE),
        ("12 người", v.MSG_COUNT_UNREADABLE),
        (True, v.MSG_COUNT_UNREADABLE),
    ],
)
def test_check_count_refuses_negative_fraction_too_large_and_garbage(value, template):
    count, issues = check_count(value, field="households_reached")
    assert count is None
    assert only_error(issues).template == template


def test_check_count_honours_maximum_and_names_it():
    _, issues = check_count(1001, field="x", maximum=1000)
    assert issues[0].message == "Số quá lớn (tối đa 1.000)."
    assert check_count(1000, field="x", maximum=1000) == (1000, [])


def test_check_count_blank_and_required():
    assert check_count("", field="head_count") == (None, [])
    _, issues = check_count("", field="head_count", required=True)
    assert issues[0].message == "Chưa nhập số người của nhóm."


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2,5", 2.5), ("2.5", 2.5), (2.5, 2.5), (3, 3.0), ("1.500", 1500.0), ("0", 0.0)],
)
def test_check_quantity_accepts_decimals(value, expected):
    quantity, issues = check_quantity(value)
    assert (quantity, issues) == (expected, [])
    assert type(quantity) is float


@pytest.mark.parametrize("value", ["-2", "hai", True, float("nan"), 10**10])
def test_check_quantity_refuses_negative_garbage_and_huge(value):
    assert only_error(check_quantity(value)[1])


# --------------------------------------------------------------------------- text


def test_check_text_normalises_nfd_to_nfc():
    value, issues = check_text(nfd("Nguyễn Thị Đào"), field="full_name", max_length=100)
    assert issues == []
    assert value == "Nguyễn Thị Đào"
    assert unicodedata.is_normalized("NFC", value)
    assert len(value) == 14


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Thôn   Đông \t Hòa  ", "Thôn Đông Hòa"),
        ("Thôn\nĐông\r\nHòa", "Thôn Đông Hòa"),
        ("\ufeffThôn Đông", "Thôn Đông"),
        ("a\u200bb", "ab"),
        (12345, "12345"),
        (12345.0, "12345"),
    ],
)
def test_check_text_single_line_strips_and_collapses_whitespace(raw, expected):
    assert check_text(raw, field="address", max_length=300) == (expected, [])


def test_check_text_multiline_keeps_lines_and_tabs_but_trims():
    raw = "  Dòng một   \r\n\tDòng hai\rDòng ba  \n\n"
    value, issues = check_text(raw, field="notes", max_length=2000, multiline=True)
    assert issues == []
    assert value == "Dòng một\n\tDòng hai\nDòng ba"


@pytest.mark.parametrize("blank", [None, "", "   ", "\n\t", "\ufeff"])
def test_check_text_empty_is_none_unless_required(blank):
    assert check_text(blank, field="notes", max_length=10) == (None, [])
    _, issues = check_text(blank, field="full_name", max_length=10, required=True)
    assert only_error(issues).message == "Chưa nhập họ và tên."


def test_check_text_too_long_names_the_limit():
    value, issues = check_text("a" * 101, field="full_name", max_length=100)
    assert value is None
    issue = only_error(issues)
    assert issue.template == v.MSG_TEXT_TOO_LONG
    assert issue.params["limit"] == 100
    assert "100" in issue.message and "101" in issue.message


def test_check_text_length_is_counted_after_nfc_and_whitespace_cleanup():
    assert check_text(nfd("Đỗ Ánh") + "   ", field="x", max_length=6) == ("Đỗ Ánh", [])


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b", "\x0b", "\x0c", "\x7f", "\x85", "\x1f"])
@pytest.mark.parametrize("multiline", [False, True])
def test_check_text_refuses_control_characters(bad, multiline):
    value, issues = check_text(f"ab{bad}cd", field="notes", max_length=100, multiline=multiline)
    assert value is None
    issue = only_error(issues)
    assert issue.template == v.MSG_TEXT_CONTROL
    assert issue.params["code"] == f"U+{ord(bad):04X}"


# --------------------------------------------------------------------------- sex


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("M", "M"),
        ("m", "M"),
        ("Nam", "M"),
        ("NAM", "M"),
        ("nam", "M"),
        (" nam ", "M"),
        ("Nam giới", "M"),
        ("male", "M"),
        ("Male", "M"),
        ("F", "F"),
        ("f", "F"),
        ("Nữ", "F"),
        ("nữ", "F"),
        ("NỮ", "F"),
        ("nu", "F"),
        ("Nu", "F"),
        (nfd("Nữ"), "F"),
        ("nữ giới", "F"),
        ("female", "F"),
        ("FEMALE", "F"),
    ],
)
def test_check_sex_understands_vietnamese_and_english_words(word, expected):
    assert check_sex(word) == (expected, [])


@pytest.mark.parametrize("word", ["x", "khác", "nam nữ", "1", "boy", True])
def test_check_sex_refuses_other_words(word):
    value, issues = check_sex(word)
    assert value is None
    assert only_error(issues).template == v.MSG_SEX_INVALID


@pytest.mark.parametrize("blank", [None, "", " "])
def test_check_sex_blank_is_none(blank):
    assert check_sex(blank) == (None, [])


# --------------------------------------------------------------------------- flags


@pytest.mark.parametrize(
    "yes", [True, 1, 1.0, "x", "X", "có", "Có", nfd("có"), "co", "1", "true", "yes", "✓"]
)
def test_check_flag_yes_words(yes):
    assert check_flag(yes, field="is_core") == (True, [])


@pytest.mark.parametrize("no", [False, 0, None, "", " ", "0", "không", "Không", "no", "false"])
def test_check_flag_no_words_and_empty(no):
    assert check_flag(no, field="is_core") == (False, [])


@pytest.mark.parametrize("odd", ["có lẽ", "2", 7])
def test_check_flag_refuses_other_words(odd):
    value, issues = check_flag(odd, field="is_core")
    assert value is False
    assert only_error(issues).template == v.MSG_FLAG_INVALID


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        ("Nguyễn Thị Minh Anh", ("Nguyễn", "Thị Minh", "Anh")),
        ("Nguyễn Văn An", ("Nguyễn", "Văn", "An")),
        ("Lê Lợi", ("Lê", "", "Lợi")),
        ("Mai", ("", "", "Mai")),
        ("NGUYỄN THỊ ĐÀO", ("Nguyễn", "Thị", "Đào")),
        ("đỗ văn đức", ("Đỗ", "Văn", "Đức")),
        ("H'HEN NIÊ", ("H'Hen", "", "Niê")),
        ("  Trần   Thị  Bé  ", ("Trần", "Thị", "Bé")),
        ("McDonald van Tran", ("McDonald", "van", "Tran")),
        ("", ("", "", "")),
    ],
)
def test_split_full_name(full, parts):
    assert split_full_name(full) == parts


# --------------------------------------------------------------------------- validate_person


def good_person(**changes):
    raw = {
        "full_name": "Nguyễn Thị Minh Anh",
        "sex": "Nữ",
        "birth": "04/03/1985",
        "id_number": "001185012345",
        "phone": "+84 912 345 678",
        "address": "Thôn  Đông, xã Tịnh Kỳ",
        "notes": "Dòng 1\nDòng 2",
        "ethnicity": "Kinh",
        "religion": "Không",
        "health_notes": "",
    }
    raw.update(changes)
    return raw


def test_validate_person_cleans_a_good_person_without_issues():
    cleaned, issues = validate_person(good_person(), today=TODAY)
    assert issues == []
    assert cleaned["full_name"] == "Nguyễn Thị Minh Anh"
    assert (cleaned["family_name"], cleaned["middle_name"], cleaned["given_name"]) == (
        "Nguyễn",
        "Thị Minh",
        "Anh",
    )
    assert cleaned["sex"] == "F"
    assert cleaned["birth_date"] == "1985-03-04"
    assert cleaned["birth_year"] == 1985
    assert cleaned["birth"] == PartialDate(1985, 3, 4)
    assert cleaned["id_number"] == "001185012345"
    assert cleaned["phone"] == "0912345678"
    assert cleaned["address"] == "Thôn Đông, xã Tịnh Kỳ"
    assert cleaned["notes"] == "Dòng 1\nDòng 2"
    assert cleaned["health_notes"] is None
    assert cleaned["agent_orange"] is False


def test_validate_person_year_only_birth():
    cleaned, issues = validate_person(good_person(birth="1985"), today=TODAY)
    assert issues == []
    assert cleaned["birth_date"] is None
    assert cleaned["birth_year"] == 1985


def test_validate_person_missing_name_is_an_error():
    cleaned, issues = validate_person(good_person(full_name="  "), today=TODAY)
    issue = only_error(issues)
    assert issue.field == "full_name"
    assert issue.message == "Chưa nhập họ và tên."
    assert cleaned["full_name"] is None


def test_validate_person_accepts_name_parts():
    raw = good_person(full_name=None, family_name="trần", middle_name="", given_name="bình")
    cleaned, issues = validate_person(raw, today=TODAY)
    assert issues == []
    assert cleaned["full_name"] == "Trần Bình"
    assert (cleaned["family_name"], cleaned["middle_name"], cleaned["given_name"]) == (
        "Trần",
        "",
        "Bình",
    )


def test_validate_person_name_parts_without_given_name_is_an_error():
    raw = good_person(full_name="", family_name="Trần")
    _, issues = validate_person(raw, today=TODAY)
    assert only_error(issues).field == "given_name"


def test_validate_person_title_cases_all_upper_names_and_keeps_mixed_case():
    cleaned, _ = validate_person(good_person(full_name=nfd("NGUYỄN THỊ MINH ANH")), today=TODAY)
    assert cleaned["full_name"] == "Nguyễn Thị Minh Anh"
    cleaned, _ = validate_person(good_person(full_name="Nguyễn thị Minh Anh"), today=TODAY)
    assert cleaned["middle_name"] == "thị Minh"


def test_validate_person_name_too_long_is_an_error():
    _, issues = validate_person(good_person(full_name="A " * 60), today=TODAY)
    assert only_error(issues).template == v.MSG_TEXT_TOO_LONG


def test_validate_person_name_with_digits_is_a_warning():
    _, issues = validate_person(good_person(full_name="Nguyễn Văn An 2"), today=TODAY)
    assert only_warning(issues).template == v.MSG_NAME_DIGITS


def test_validate_person_cross_checks_id_number_with_cleaned_sex_and_birth_year():
    _, issues = validate_person(good_person(sex="nam", birth="1958"), today=TODAY)
    assert templates(issues) == [v.MSG_ID_SEX, v.MSG_ID_YEAR]
    assert errors(issues) == []


def test_validate_person_reports_every_bad_field_at_once():
    raw = good_person(sex="?", birth="31/02/1985", id_number="12ab", phone="123", address="x" * 301)
    cleaned, issues = validate_person(raw, today=TODAY)
    assert {i.field for i in errors(issues)} == {"sex", "birth", "id_number", "phone", "address"}
    for key in ("sex", "birth", "birth_date", "birth_year", "id_number", "phone", "address"):
        assert cleaned[key] is None


def test_validate_person_notes_limit_2000_and_multiline():
    _, issues = validate_person(good_person(notes="a" * 2001), today=TODAY)
    assert only_error(issues).params["limit"] == 2000
    cleaned, issues = validate_person(good_person(notes="a" * 2000), today=TODAY)
    assert issues == [] and len(cleaned["notes"]) == 2000


def test_validate_person_passes_ids_through_and_drops_unknown_keys():
    cleaned, _ = validate_person(good_person(unit_id=7, favourite_colour="đỏ"), today=TODAY)
    assert cleaned["unit_id"] == 7
    assert "favourite_colour" not in cleaned


def test_validate_person_future_birth_is_an_error():
    _, issues = validate_person(good_person(birth="2027", id_number=""), today=TODAY)
    assert only_error(issues).template == v.MSG_BIRTH_FUTURE_YEAR


# --------------------------------------------------------------------------- validate_member


def good_member(**changes):
    raw = good_person(
        branch="Chi hội thôn Đông",
        admitted_on="05/01/2020",
        decision_no="12/QĐ-CTĐ",
        card_no="A-0012",
    )
    raw.update(changes)
    return raw


def test_a_good_member_has_no_issues():
    cleaned, issues = validate_member(good_member(), today=TODAY)
    assert issues == []
    assert cleaned["branch"] == "Chi hội thôn Đông"
    assert cleaned["admitted_on"] == date(2020, 1, 5)
    assert cleaned["decision_no"] == "12/QĐ-CTĐ"
    assert cleaned["card_no"] == "A-0012"
    assert cleaned["given_name"] == "Anh"


def test_member_branch_may_be_an_id():
    cleaned, issues = validate_member(good_member(branch=3), today=TODAY)
    assert issues == [] and cleaned["branch"] == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"full_name": ""}, "full_name"),
        ({"admitted_on": ""}, "admitted_on"),
        ({"admitted_on": None}, "admitted_on"),
        ({"admitted_on": "31/02/2020"}, "admitted_on"),
        ({"admitted_on": "16/06/2026"}, "admitted_on"),
        ({"branch": " "}, "branch"),
        ({"card_no": "x" * 51}, "card_no"),
    ],
)
def test_member_missing_or_bad_required_fields_are_errors(changes, field):
    _, issues = validate_member(good_member(**changes), today=TODAY)
    assert [i.field for i in errors(issues)] == [field]


def test_member_admission_date_messages():
    _, issues = validate_member(good_member(admitted_on=""), today=TODAY)
    assert issues[0].message == "Chưa nhập ngày kết nạp."
    _, issues = validate_member(good_member(admitted_on="16/06/2026"), today=TODAY)
    assert issues[0].template == v.MSG_DATE_FUTURE
    assert "16/06/2026" in issues[0].message and "15/06/2026" in issues[0].message
    assert validate_member(good_member(admitted_on="15/06/2026"), today=TODAY)[1] == []


def test_member_under_minimum_age_at_admission_is_only_a_warning():
    raw = good_member(birth="2005", id_number="001305012345", admitted_on="01/01/2021")
    cleaned, issues = validate_member(raw, today=TODAY)
    issue = only_warning(issues)
    assert issue.message == "Hội viên thường từ 18 tuổi; người này 16 tuổi."
    assert errors(issues) == []
    raise_if_errors(issues)  # warnings do not block
    assert cleaned["admitted_on"] == date(2021, 1, 1)


def test_member_minimum_age_is_a_setting():
    raw = good_member(birth="2005", id_number="", admitted_on="01/01/2021")
    assert validate_member(raw, today=TODAY, settings={"member_min_age": 16})[1] == []
    assert validate_member(raw, today=TODAY, settings={"member_min_age": 17})[1]


def test_member_errors_block_through_validation_failed():
    _, issues = validate_member(good_member(full_name="", admitted_on=""), today=TODAY)
    with pytest.raises(ValidationFailed) as info:
        raise_if_errors(issues)
    assert "Chưa nhập họ và tên." in str(info.value)
    assert "Chưa nhập ngày kết nạp." in str(info.value)


# --------------------------------------------------------------------------- validate_volunteer


def good_volunteer(**changes):
    raw = good_person(
        registered_on="01/03/2024",
        left_on="",
        is_core="x",
        skills="Sơ cấp cứu",
        team="Đội xung kích",
    )
    raw.update(changes)
    return raw


def test_a_good_volunteer_has_no_issues():
    cleaned, issues = validate_volunteer(good_volunteer(), today=TODAY)
    assert issues == []
    assert cleaned["registered_on"] == date(2024, 3, 1)
    assert cleaned["left_on"] is None
    assert cleaned["is_core"] is True
    assert cleaned["skills"] == "Sơ cấp cứu"
    assert cleaned["team"] == "Đội xung kích"
    assert cleaned["hours"] == 0


@pytest.mark.parametrize(
    ("flag", "expected"),
    [("x", True), ("có", True), ("1", True), (True, True), ("", False), (None, False)],
)
def test_volunteer_is_core_is_bool_ish(flag, expected):
    cleaned, issues = validate_volunteer(good_volunteer(is_core=flag), today=TODAY)
    assert issues == [] and cleaned["is_core"] is expected


def test_volunteer_registration_is_required():
    _, issues = validate_volunteer(good_volunteer(registered_on=""), today=TODAY)
    assert only_error(issues).message == "Chưa nhập ngày đăng ký."


def test_volunteer_left_before_registered_is_an_error():
    cleaned, issues = validate_volunteer(good_volunteer(left_on="28/02/2024"), today=TODAY)
    issue = only_error(issues)
    assert issue.field == "left_on" and issue.template == v.MSG_DATE_ORDER
    assert cleaned["left_on"] is None
    cleaned, issues = validate_volunteer(good_volunteer(left_on="01/03/2025"), today=TODAY)
    assert issues == [] and cleaned["left_on"] == date(2025, 3, 1)


def test_volunteer_under_minimum_age_is_a_warning_and_setting_driven():
    raw = good_volunteer(birth="01/06/2008", id_number="")
    issue = only_warning(validate_volunteer(raw, today=TODAY)[1])
    assert issue.message == "Tình nguyện viên thường từ 18 tuổi; người này 15 tuổi."
    assert validate_volunteer(raw, today=TODAY, settings={"volunteer_min_age": 15})[1] == []


# --------------------------------------------------------------------------- validate_aid


def good_aid(**changes):
    raw = {
        "given_on": "20/01/2026",
        "recipient_kind": "address",
        "cash_value": "500.000 đ",
        "goods_value": "300.000",
        "quantity": "1",
        "unit": "suất",
        "persons_reached": "4",
        "households_reached": "1",
        "funding_source": "nội lực",
        "is_emergency": "",
        "address_id": 9,
    }
    raw.update(changes)
    return raw


def test_a_good_aid_record_has_no_issues():
    cleaned, issues = validate_aid(good_aid(), today=TODAY)
    assert issues == []
    assert cleaned["given_on"] == date(2026, 1, 20)
    assert cleaned["recipient_kind"] == "address"
    assert cleaned["cash_value"] == 500_000
    assert cleaned["goods_value"] == 300_000
    assert cleaned["value_total"] == 800_000
    assert cleaned["quantity"] == 1.0
    assert cleaned["persons_reached"] == 4
    assert cleaned["households_reached"] == 1
    assert cleaned["funding_source"] == "own"
    assert cleaned["form"] == "goods"
    assert cleaned["is_emergency"] is False
    assert cleaned["address_id"] == 9


@pytest.mark.parametrize(
    ("typed", "source"),
    [
        ("own", "own"),
        ("nội lực", "own"),
        ("Nội lực", "own"),
        (nfd("nội lực"), "own"),
        ("sponsor", "sponsor"),
        ("nhà tài trợ", "sponsor"),
        ("higher", "higher"),
        ("cấp trên", "higher"),
        ("other", "other"),
        ("khác", "other"),
        ("", "own"),
        (None, "own"),
    ],
)
def test_aid_funding_source_accepts_codes_and_vietnamese(typed, source):
    cleaned, issues = validate_aid(good_aid(funding_source=typed), today=TODAY)
    assert issues == [] and cleaned["funding_source"] == source


def test_aid_unknown_funding_source_is_an_error():
    _, issues = validate_aid(good_aid(funding_source="ngân sách"), today=TODAY)
    assert only_error(issues).template == v.MSG_FUNDING_INVALID


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("address", "address"),
        ("person", "person"),
        ("group", "group"),
        ("Cá nhân", "person"),
        ("nhóm", "group"),
        ("địa chỉ nhân đạo", "address"),
    ],
)
def test_aid_recipient_kinds(typed, kind):
    cleaned, issues = validate_aid(good_aid(recipient_kind=typed, head_count="30"), today=TODAY)
    assert issues == [] and cleaned["recipient_kind"] == kind


@pytest.mark.parametrize(
    ("typed", "template"), [("", v.MSG_REQUIRED), ("hội", v.MSG_RECIPIENT_KIND_INVALID)]
)
def test_aid_recipient_kind_missing_or_unknown_is_an_error(typed, template):
    _, issues = validate_aid(good_aid(recipient_kind=typed), today=TODAY)
    issue = only_error(issues)
    assert issue.field == "recipient_kind" and issue.template == template


@pytest.mark.parametrize(
    ("head_count", "template"),
    [("", v.MSG_GROUP_HEAD_COUNT), ("0", v.MSG_GROUP_EMPTY), ("-3", v.MSG_COUNT_NEGATIVE)],
)
def test_aid_group_needs_a_positive_head_count(head_count, template):
    cleaned, issues = validate_aid(
        good_aid(recipient_kind="group", head_count=head_count), today=TODAY
    )
    issue = only_error(issues)
    assert issue.field == "head_count" and issue.template == template
    assert cleaned["head_count"] is None


def test_aid_given_on_required_and_at_most_a_year_ahead():
    _, issues = validate_aid(good_aid(given_on=""), today=TODAY)
    assert only_error(issues).message == "Chưa nhập ngày trợ giúp."
    assert validate_aid(good_aid(given_on="15/06/2027"), today=TODAY)[1] == []
    _, issues = validate_aid(good_aid(given_on="16/06/2027"), today=TODAY)
    assert only_error(issues).template == v.MSG_DATE_TOO_FAR


def test_aid_one_year_ahead_of_29_february():
    assert validate_aid(good_aid(given_on="28/02/2025"), today=date(2024, 2, 29))[1] == []


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("cash_value", "-5"),
        ("goods_value", "12,5"),
        ("cash_value", True),
        ("persons_reached", "2,5"),
        ("households_reached", "-1"),
        ("quantity", "-2"),
        ("is_emergency", "có lẽ"),
        ("form", "vàng"),
    ],
)
def test_aid_bad_amounts_and_counts_are_errors_on_their_field(field, bad):
    _, issues = validate_aid(good_aid(**{field: bad}), today=TODAY)
    assert [i.field for i in errors(issues)] == [field]


def test_aid_decimal_quantity():
    cleaned, issues = validate_aid(good_aid(quantity="2,5", unit="kg"), today=TODAY)
    assert issues == [] and cleaned["quantity"] == 2.5


def test_aid_without_value_or_quantity_is_a_warning():
    cleaned, issues = validate_aid(
        good_aid(cash_value="", goods_value="0", quantity=""), today=TODAY
    )
    issue = only_warning(issues)
    assert issue.template == v.MSG_NO_VALUE
    assert issue.message.startswith("Chưa có giá trị")
    assert cleaned["value_total"] == 0
    assert cleaned["cash_value"] == 0 and cleaned["goods_value"] == 0


def test_aid_with_quantity_but_no_value_is_fine():
    raw = good_aid(cash_value="", goods_value="", quantity="10")
    assert validate_aid(raw, today=TODAY)[1] == []


def test_aid_emergency_flag():
    cleaned, _ = validate_aid(good_aid(is_emergency="x"), today=TODAY)
    assert cleaned["is_emergency"] is True


# --------------------------------------------------------------------------- validate_commitment


def good_commitment(**changes):
    raw = {
        "start_on": "01/01/2026",
        "end_on": "31/12/2026",
        "amount": "500.000 đ",
        "form": "tiền mặt",
        "frequency": "hằng tháng",
        "sponsor_id": 2,
        "address_id": 9,
    }
    raw.update(changes)
    return raw


def test_a_good_commitment_has_no_issues():
    cleaned, issues = validate_commitment(good_commitment(), today=TODAY)
    assert issues == []
    assert cleaned["start_on"] == date(2026, 1, 1)
    assert cleaned["end_on"] == date(2026, 12, 31)
    assert cleaned["amount"] == 500_000
    assert cleaned["form"] == "cash"
    assert cleaned["frequency"] == "hằng tháng"
    assert cleaned["sponsor_id"] == 2 and cleaned["address_id"] == 9


def test_commitment_open_ended():
    cleaned, issues = validate_commitment(good_commitment(end_on=""), today=TODAY)
    assert issues == [] and cleaned["end_on"] is None


def test_commitment_start_required():
    _, issues = validate_commitment(good_commitment(start_on=""), today=TODAY)
    assert only_error(issues).message == "Chưa nhập ngày bắt đầu."


def test_commitment_end_before_start_is_an_error():
    _, issues = validate_commitment(good_commitment(end_on="31/12/2025"), today=TODAY)
    issue = only_error(issues)
    assert issue.field == "end_on"
    assert "ngày kết thúc (31/12/2025)" in issue.message


@pytest.mark.parametrize(
    ("typed", "form"),
    [
        ("cash", "cash"),
        ("goods", "goods"),
        ("rice", "rice"),
        ("workdays", "workdays"),
        ("livelihood", "livelihood"),
        ("insurance", "insurance"),
        ("scholarship", "scholarship"),
        ("house_repair", "house_repair"),
        ("other", "other"),
        ("Gạo", "rice"),
        ("thẻ BHYT", "insurance"),
        ("học bổng", "scholarship"),
        ("sửa nhà", "house_repair"),
        ("", "cash"),
    ],
)
def test_commitment_forms(typed, form):
    cleaned, issues = validate_commitment(good_commitment(form=typed), today=TODAY)
    assert issues == [] and cleaned["form"] == form


@pytest.mark.parametrize(("key", "bad"), [("form", "vàng"), ("amount", "-1"), ("amount", "1,5")])
def test_commitment_bad_form_or_amount_is_an_error(key, bad):
    _, issues = validate_commitment(good_commitment(**{key: bad}), today=TODAY)
    assert [i.field for i in errors(issues)] == [key]


def test_commitment_start_far_ahead_is_a_warning():
    issue = only_warning(
        validate_commitment(good_commitment(start_on="01/01/2028", end_on=""), today=TODAY)[1]
    )
    assert issue.template == v.MSG_DATE_FAR_AHEAD


# --------------------------------------------------------------------------- properties

anything = st.one_of(
    st.text(),
    st.text(alphabet="0123456789 ./-,+()đ₫x"),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.booleans(),
    st.none(),
    st.dates(),
)


def assert_parser_result(result):
    value, issues = result
    assert isinstance(issues, list)
    assert all(isinstance(i, Issue) for i in issues)
    for issue in issues:
        assert isinstance(issue.message, str)
    if errors(issues):
        assert value is None


@given(anything)
def test_every_parser_returns_value_and_issues_for_any_input(value):
    assert_parser_result(parse_date(value, field="d", required=True))
    assert_parser_result(parse_birth(value, today=TODAY))
    assert_parser_result(normalise_phone(value))
    assert_parser_result(check_id_number(value, sex="M", birth_year=1980))
    assert_parser_result(check_money(value, field="m"))
    assert_parser_result(check_count(value, field="c"))
    assert_parser_result(check_quantity(value))
    assert_parser_result(check_text(value, field="t", max_length=20))
    assert_parser_result(check_text(value, field="t", max_length=20, multiline=True))
    assert_parser_result(check_sex(value))
    assert isinstance(check_flag(value, field="f")[1], list)


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "full_name",
                "sex",
                "birth",
                "id_number",
                "phone",
                "branch",
                "admitted_on",
                "registered_on",
                "left_on",
                "given_on",
                "recipient_kind",
                "cash_value",
                "quantity",
                "start_on",
                "end_on",
                "amount",
                "form",
                "head_count",
            ]
        ),
        anything,
    )
)
def test_record_validators_never_raise(raw):
    for validate in (validate_person, validate_member, validate_volunteer):
        cleaned, issues = validate(raw, today=TODAY)
        assert isinstance(cleaned, dict) and isinstance(issues, list)
    for validate in (validate_aid, validate_commitment):
        cleaned, issues = validate(raw, today=TODAY)
        assert isinstance(cleaned, dict) and isinstance(issues, list)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_parse_date_round_trips_partial_date_display(d):
    shown = PartialDate.from_date(d).display()
    assert parse_date(shown, field="d") == (d, [])
    assert parse_date(PartialDate.from_date(d).iso(), field="d") == (d, [])


@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY), st.booleans())
def test_parse_birth_round_trips_display_and_iso(d, year_only):
    birth = PartialDate(d.year) if year_only else PartialDate.from_date(d)
    assert parse_birth(birth.display(), today=TODAY) == (birth, [])
    assert PartialDate.from_iso(birth.iso()) == birth


@given(st.integers(min_value=0, max_value=v.MONEY_MAX))
def test_check_money_reads_str_of_any_non_negative_int(n):
    assert check_money(str(n), field="m") == (n, [])
    assert check_money(v.group_thousands(n) + " đ", field="m") == (n, [])


phone_like = st.builds(
    lambda prefix, chunks, sep: prefix + sep.join(chunks),
    st.sampled_from(["", "0", "+84", "+84 ", "84", "0084", "(0", "01"]),
    st.lists(st.text(alphabet="0123456789", min_size=1, max_size=4), min_size=1, max_size=5),
    st.sampled_from(["", " ", ".", "-", ") "]),
)


@given(st.one_of(phone_like, st.text(alphabet="0123456789 +.-()"), st.integers(min_value=0)))
def test_phone_normalisation_is_idempotent(text):
    value, _ = normalise_phone(text)
    if value is not None:
        assert normalise_phone(value) == (value, [])


def digits(n: int):
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


valid_phone = st.one_of(
    st.builds(lambda p, d: "0" + p + d, st.sampled_from("35789"), digits(8)),
    st.builds(lambda d: "02" + d, digits(8)),
    st.builds(lambda d: "02" + d, digits(9)),
    st.builds(lambda p, d: p + d, st.sampled_from(sorted(v.OLD_MOBILE_PREFIXES)), digits(7)),
)


def typed_like_a_person(number: str, lead: str, sep: str, size: int) -> str:
    rest = number[1:]
    chunks = [rest[i : i + size] for i in range(0, len(rest), size)]
    return lead + sep.join(chunks)


@given(
    valid_phone,
    st.sampled_from(["0", "+84", "+84 ", "84", "0084 ", "", "+84 (0) "]),
    st.sampled_from(["", " ", ".", "-"]),
    st.integers(min_value=2, max_value=4),
)
def test_phone_any_typing_of_a_valid_number_gives_its_canonical_form(number, lead, sep, size):
    canonical, _ = normalise_phone(number)
    assert canonical is not None
    assert (len(canonical) == 10 and canonical[:2] in v.MOBILE_PREFIXES) or (
        canonical.startswith("02") and len(canonical) in (10, 11)
    )
    value, issues = normalise_phone(typed_like_a_person(number, lead, sep, size))
    assert value == canonical
    assert errors(issues) == []
    assert normalise_phone(value) == (value, [])


@given(st.text())
def test_check_text_output_is_nfc_and_stable(text):
    value, _ = check_text(text, field="t", max_length=1000)
    if value is not None:
        assert unicodedata.is_normalized("NFC", value)
        assert check_text(value, field="t", max_length=1000) == (value, [])
