"""Ending a sponsor's commitment to a humanitarian address.

Adding and changing a commitment go through :func:`chapter_app.services.records.save_commitment`;
ending one sets its last day (the commitment counts as active up to and including it) and
notes why, in one operation.
"""

from __future__ import annotations

from datetime import date

from chapter_app.domain import models as m
from chapter_app.domain.validation import (
    N_,
    Issue,
    ValidationFailed,
    check_date_order,
    check_text,
)

MSG_END_REQUIRED = N_("Chưa nhập ngày kết thúc cam kết.")
MSG_ALREADY_ENDED = N_(
    "Cam kết này đã kết thúc ngày {date}. Muốn đổi ngày kết thúc thì sửa cam kết."
)
MSG_END_FAR_AHEAD = N_("Ngày kết thúc {date} còn hơn một năm nữa: kiểm tra lại năm.")


def _day(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def end_commitment(
    store,
    commitment_id: int,
    *,
    end_on: date | None,
    today: date,
    reason: str | None = None,
) -> m.Commitment:
    """End the commitment on ``end_on`` (its last day), noting ``reason``.

    Raises ``ValidationFailed`` (nothing written) when the day is missing, before the
    start, more than a year ahead, or the commitment already ended on or before ``today``.
    """
    commitment = store.commitments.get(commitment_id)
    issues: list[Issue] = []
    if end_on is None:
        issues.append(Issue.error("end_on", MSG_END_REQUIRED))
    elif commitment.end_on is not None and commitment.end_on < today:
        issues.append(Issue.error("end_on", MSG_ALREADY_ENDED, date=_day(commitment.end_on)))
    else:
        issues += check_date_order(
            commitment.start_on,
            end_on,
            field="end_on",
            start_label=N_("ngày bắt đầu"),
            end_label=N_("ngày kết thúc"),
        )
        if end_on > date(today.year + 1, today.month, min(today.day, 28)):
            issues.append(Issue.error("end_on", MSG_END_FAR_AHEAD, date=_day(end_on)))
    reason, found = check_text(reason, field="reason", max_length=200)
    issues += found
    if any(issue.is_error for issue in issues):
        raise ValidationFailed(issues)
    notes = commitment.notes or ""
    if reason:
        line = f"Kết thúc {_day(end_on)}: {reason}"
        notes = f"{notes}\n{line}" if notes else line
    address = store.addresses.find(commitment.address_id)
    label = f"Kết thúc cam kết tài trợ: {address.name if address else commitment.address_id}"
    with store.operation(label):
        return store.commitments.update(commitment_id, end_on=end_on, notes=notes or None)
