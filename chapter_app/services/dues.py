"""Membership dues (hội phí): who paid for which months, and who still owes.

A payment row covers a run of months (``period_from``..``period_to``, ``YYYY-MM``) with
an amount and a receipt number; an exempt member's row has ``exempt`` set and amount 0.
A member owes for each month of the year in which they were an active member (from the
month of admission to the month they left), up to the month of ``as_of``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chapter_app.domain import models as m
from chapter_app.domain.validation import (
    N_,
    Amount,
    Issue,
    ValidationFailed,
    check_money,
    check_text,
    errors,
    parse_date,
)
from chapter_app.store.repository import Query, Range
from chapter_app.store.store import Store

MSG_NO_MONTHS = N_("Chưa chọn tháng nào.")
MSG_BAD_MONTH = N_("Tháng {month} không hợp lệ (chỉ từ 1 đến 12).")
MSG_ALREADY_PAID = N_("Đã đóng hội phí các tháng {months} năm {year} rồi.")
MSG_NOT_MEMBER_THEN = N_("Chưa là hội viên (hoặc đã thôi) trong các tháng {months} năm {year}.")
MSG_PAID_IN_FUTURE = N_("Ngày thu {date} chưa tới.")
MSG_EXEMPT_SHARE = N_(
    "Số hội viên được miễn hội phí năm {year} là {count} ({percent}%), vượt mức {limit}% cho phép."
)
MSG_UNKNOWN_MEMBER = N_("Không tìm thấy hội viên số {id}.")

ACTIVE = {s.value for s in m.ACTIVE_MEMBER_STATUSES}


@dataclass(frozen=True)
class DuesRow:
    """One member's dues for one year."""

    member_id: int
    person_id: int
    full_name: str
    branch_id: int | None
    due_months: frozenset[int]  # months the member had to pay for (up to as_of)
    paid_months: frozenset[int]  # paid or exempt
    exempt_months: frozenset[int]
    amount_paid: int
    receipts: tuple[str, ...] = ()

    @property
    def owed_months(self) -> tuple[int, ...]:
        return tuple(sorted(self.due_months - self.paid_months))

    @property
    def exempt(self) -> bool:
        return bool(self.exempt_months)


@dataclass(frozen=True)
class Owing:
    member_id: int
    full_name: str
    branch_id: int | None
    months_owed: tuple[int, ...]
    amount_owed: int


@dataclass(frozen=True)
class DuesEntry:
    """What the dues screen records for one member."""

    member_id: int
    months: frozenset[int]
    receipt_no: str | None = None
    exempt: bool = False


@dataclass
class _Payments:
    paid: set[int] = field(default_factory=set)
    exempt: set[int] = field(default_factory=set)
    amount: int = 0
    receipts: list[str] = field(default_factory=list)


def months_text(months: Iterable[int]) -> str:
    """``[1, 2, 3, 5]`` -> ``"1-3, 5"``."""
    runs = _runs(sorted(set(months)))
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _runs(months: Sequence[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for month in months:
        if runs and month == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs


def _months_in(period_from: str, period_to: str, year: int) -> set[int]:
    start = (int(period_from[:4]), int(period_from[5:7]))
    end = (int(period_to[:4]), int(period_to[5:7]))
    return {month for month in range(1, 13) if start <= (year, month) <= end}


def _active_months(events: list[m.MemberStatusEvent], year: int, last_month: int) -> set[int]:
    """Months 1..last_month of ``year`` in which the history says the member was active."""
    events = sorted(events, key=lambda e: (e.on_date, e.id))
    months = set()
    for month in range(1, last_month + 1):
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1)  # first day of the next month
        state_at_start = None
        for event in events:
            if event.on_date < first:
                state_at_start = event.status
        active = state_at_start in ACTIVE
        for event in events:
            if first <= event.on_date < last and event.status in ACTIVE:
                active = True
        if active:
            months.add(month)
    return months


def _last_month(year: int, as_of: date) -> int:
    if year < as_of.year:
        return 12
    if year > as_of.year:
        return 0
    return as_of.month


def _members(store: Store, branch_id: int | None) -> list[dict[str, Any]]:
    filters: dict[str, Any] = {"person.deleted_at": None}
    if branch_id is not None:
        filters["branch_id"] = branch_id
    return store.members.rows(Query(filters=filters, order_by="name"))


def _payments(store: Store, member_ids: list[int], year: int) -> dict[int, _Payments]:
    found: dict[int, _Payments] = defaultdict(_Payments)
    if not member_ids:
        return found
    query = Query(
        filters={
            "member_id": member_ids,
            "period_to": Range(low=f"{year}-01"),
            "period_from": Range(high=f"{year}-12"),
        }
    )
    for payment in store.dues.list(query):
        months = _months_in(payment.period_from, payment.period_to, year)
        entry = found[payment.member_id]
        if payment.exempt:
            entry.exempt |= months
        entry.paid |= months
        entry.amount += payment.amount
        if payment.receipt_no:
            entry.receipts.append(payment.receipt_no)
    return found


def dues_grid(
    store: Store, *, branch_id: int | None, year: int, as_of: date | None = None
) -> list[DuesRow]:
    """Every member of the branch (all branches for None) who was a member at some time in
    ``year``, with the months they had to pay for (up to ``as_of``, default today) and the
    months paid. Sorted by name the Vietnamese way."""
    as_of = as_of or date.today()
    members = _members(store, branch_id)
    ids = [row["id"] for row in members]
    history: dict[int, list[m.MemberStatusEvent]] = defaultdict(list)
    if ids:
        for event in store.members.history.list(Query(filters={"member_id": ids})):
            history[event.member_id].append(event)
    payments = _payments(store, ids, year)
    whole_year = 12 if year <= as_of.year else 0
    rows = []
    for member in members:
        in_year = _active_months(history[member["id"]], year, whole_year)
        paid = payments.get(member["id"], _Payments())
        if not in_year and not paid.paid:
            continue
        due = {month for month in in_year if month <= _last_month(year, as_of)}
        rows.append(
            DuesRow(
                member_id=member["id"],
                person_id=member["person_id"],
                full_name=member["full_name"],
                branch_id=member["branch_id"],
                due_months=frozenset(due),
                paid_months=frozenset(paid.paid),
                exempt_months=frozenset(paid.exempt),
                amount_paid=paid.amount,
                receipts=tuple(paid.receipts),
            )
        )
    return rows


def owing(
    store: Store,
    *,
    year: int,
    branch_id: int | None = None,
    as_of: date | None = None,
    amount_per_month: int | None = None,
) -> list[Owing]:
    """Members who still owe dues for ``year`` (months up to ``as_of``), with the amount at
    ``amount_per_month`` (default: the ``dues_per_month`` setting)."""
    rate = (
        amount_per_month
        if amount_per_month is not None
        else int(store.settings.get("dues_per_month") or 0)
    )
    return [
        Owing(
            member_id=row.member_id,
            full_name=row.full_name,
            branch_id=row.branch_id,
            months_owed=row.owed_months,
            amount_owed=len(row.owed_months) * rate,
        )
        for row in dues_grid(store, branch_id=branch_id, year=year, as_of=as_of)
        if row.owed_months
    ]


def _check_entry(
    entry: DuesEntry,
    *,
    year: int,
    grid: dict[int, DuesRow],
    store: Store,
) -> list[Issue]:
    field = f"member:{entry.member_id}"
    issues: list[Issue] = []
    if not entry.months:
        return [Issue.error(field, MSG_NO_MONTHS)]
    bad = sorted(mo for mo in entry.months if not isinstance(mo, int) or not 1 <= mo <= 12)
    if bad:
        return [Issue.error(field, MSG_BAD_MONTH, month=bad[0])]
    row = grid.get(entry.member_id)
    if row is None:
        if store.members.find(entry.member_id) is None:
            return [Issue.error(field, MSG_UNKNOWN_MEMBER, id=entry.member_id)]
        active: set[int] = set()
        already: set[int] = set()
    else:  # the grid was built for the whole year: due months are the active months
        active = set(row.due_months)
        already = set(row.paid_months)
    twice = sorted(entry.months & already)
    if twice:
        issues.append(Issue.error(field, MSG_ALREADY_PAID, months=months_text(twice), year=year))
    outside = sorted(entry.months - active)
    if outside:
        issues.append(
            Issue.error(field, MSG_NOT_MEMBER_THEN, months=months_text(outside), year=year)
        )
    return issues


def record_dues_many(
    store: Store,
    *,
    year: int,
    entries: Sequence[DuesEntry],
    amount_per_month: Any,
    paid_on: Any,
    today: date | None = None,
) -> list[m.DuesPayment]:
    """Record the payments of several members in one operation (one row per run of
    consecutive months). Raises ``ValidationFailed`` and writes nothing on any error;
    issue fields are ``member:<id>`` for a member's months, or the argument name."""
    today = today or date.today()
    issues: list[Issue] = []
    rate, found = check_money(amount_per_month, field="amount_per_month", required=True)
    issues += found
    day, found = parse_date(paid_on, field="paid_on", required=True)
    issues += found
    if day is not None and day > today:
        issues.append(Issue.error("paid_on", MSG_PAID_IN_FUTURE, date=f"{day:%d/%m/%Y}"))
    receipts = {}
    for entry in entries:
        receipts[entry.member_id], found = check_text(
            entry.receipt_no, field=f"receipt:{entry.member_id}", max_length=50
        )
        issues += found
    grid = {
        row.member_id: row
        for row in dues_grid(store, branch_id=None, year=year, as_of=date(year, 12, 31))
        if row.member_id in {e.member_id for e in entries}
    }
    for entry in entries:
        issues += _check_entry(entry, year=year, grid=grid, store=store)
    if errors(issues):
        raise ValidationFailed(issues)
    written = []
    count = sum(len(e.months) for e in entries)
    with store.operation(f"Thu hội phí năm {year}: {len(entries)} hội viên, {count} tháng"):
        for entry in entries:
            for first, last in _runs(sorted(entry.months)):
                written.append(
                    store.dues.add(
                        member_id=entry.member_id,
                        period_from=f"{year}-{first:02d}",
                        period_to=f"{year}-{last:02d}",
                        amount=0 if entry.exempt else (last - first + 1) * rate,
                        paid_on=day,
                        receipt_no=receipts[entry.member_id],
                        exempt=entry.exempt,
                    )
                )
    return written


def record_dues(
    store: Store,
    *,
    member_id: int,
    year: int,
    months: set[int],
    amount_per_month: Any,
    paid_on: Any,
    receipt_no: str | None = None,
    exempt: bool = False,
    today: date | None = None,
) -> list[m.DuesPayment]:
    """Record one member's payment (or exemption) for ``months`` of ``year``."""
    return record_dues_many(
        store,
        year=year,
        entries=[DuesEntry(member_id, frozenset(months), receipt_no, exempt)],
        amount_per_month=amount_per_month,
        paid_on=paid_on,
        today=today,
    )


def exemption_warning(store: Store, *, year: int, extra_exempt: int = 0) -> Issue | None:
    """A warning when more members are exempt in ``year`` than the setting allows (10%)."""
    rows = dues_grid(store, branch_id=None, year=year, as_of=date(year, 12, 31))
    if not rows:
        return None
    exempt = sum(1 for row in rows if row.exempt) + extra_exempt
    limit = float(store.settings.get("dues_exempt_max_percent") or 0)
    percent = round(100 * exempt / len(rows), 1)
    if limit and percent > limit:
        return Issue.warning(
            "exempt",
            MSG_EXEMPT_SHARE,
            year=year,
            count=Amount(exempt),
            percent=str(percent).replace(".", ","),
            limit=str(int(limit)) if float(limit).is_integer() else str(limit),
        )
    return None
