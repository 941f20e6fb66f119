"""A status change (member leaving, address closed) is checked the same in the window and
on the command line."""

from datetime import date

from chapter_app.domain.status_change import check_status_change

TODAY = date(2026, 12, 5)


def fields(issues) -> list[str]:
    return [issue.field for issue in issues]


def test_a_status_and_a_date_between_the_start_and_today_pass():
    found = check_status_change(
        "left",
        date(2026, 6, 1),
        started_on=date(2020, 1, 5),
        start_label="ngày kết nạp",
        today=TODAY,
    )
    assert found == []


def test_missing_status_and_date_are_both_named():
    found = check_status_change(None, None, started_on=None, start_label="x", today=TODAY)
    assert fields(found) == ["status", "status_on"]


def test_a_date_before_the_start_or_after_today_is_refused():
    before = check_status_change(
        "left",
        date(2019, 1, 1),
        started_on=date(2020, 1, 5),
        start_label="ngày kết nạp",
        today=TODAY,
    )
    assert fields(before) == ["status_on"] and "05/01/2020" in before[0].message
    after = check_status_change(
        "left",
        date(2026, 12, 6),
        started_on=date(2020, 1, 5),
        start_label="ngày kết nạp",
        today=TODAY,
    )
    assert fields(after) == ["status_on"] and "05/12/2026" in after[0].message
