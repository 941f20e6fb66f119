"""Checks of a status change typed for a record with a status history (a member, an address).

The same rules in the window's "Tình trạng" section and on the command line: a new status
is chosen, its date is given, not in the future and not before the record began.
"""

from __future__ import annotations

from datetime import date

from chapter_app.domain.validation import MSG_DATE_FUTURE, N_, Issue, check_date_order

MSG_STATUS_REQUIRED = N_("Chưa chọn tình trạng mới.")
MSG_STATUS_DATE_REQUIRED = N_("Chưa nhập ngày đổi tình trạng.")


def check_status_change(
    status: str | None,
    on_date: date | None,
    *,
    started_on: date | None,
    start_label: str,
    today: date,
) -> list[Issue]:
    """Errors on ``status`` and ``status_on`` (a date not typed at all is ``None``)."""
    issues = []
    if status is None:
        issues.append(Issue.error("status", MSG_STATUS_REQUIRED))
    if on_date is None:
        issues.append(Issue.error("status_on", MSG_STATUS_DATE_REQUIRED))
    elif on_date > today:
        issues.append(
            Issue.error("status_on", MSG_DATE_FUTURE, today=_day(today), date=_day(on_date))
        )
    else:
        issues += check_date_order(
            started_on,
            on_date,
            field="status_on",
            start_label=start_label,
            end_label=N_("ngày đổi tình trạng"),
        )
    return issues


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")
