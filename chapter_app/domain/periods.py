"""Reporting periods.

Forms: ``2026-Q3``, ``2026-H1``, ``2026-9M``, ``2026``, ``2026-07-01..2026-09-30``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from chapter_app.errors import InvalidPeriodError

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    """An inclusive range of days with the kind it was asked as."""

    start: date
    end: date
    kind: str  # quarter | half | nine_months | year | custom
    code: str  # the text it was parsed from, normalised

    @property
    def year(self) -> int:
        return self.end.year

    @property
    def quarter(self) -> int | None:
        if self.kind != "quarter":
            return None
        return (self.start.month - 1) // 3 + 1

    def year_to_date(self) -> Period:
        """From 1 January of the period's (end) year to the period's end."""
        return Period(date(self.end.year, 1, 1), self.end, "custom", f"{self.end.year}-YTD")

    def same_period_last_year(self) -> Period:
        """The same days one year earlier (29 February becomes 28)."""
        return Period(
            _shift_year(self.start, -1),
            _shift_year(self.end, -1),
            self.kind,
            _shift_code(self.code, self),
        )

    def vietnamese_label(self) -> str:
        """ "quý IV năm 2026", "6 tháng đầu năm 2026", "năm 2026", "từ 01/07/2026 đến ..."."""
        if self.kind == "quarter":
            return f"quý {ROMAN[self.quarter]} năm {self.year}"
        if self.kind == "half":
            first = self.start.month == 1
            return f"6 tháng {'đầu' if first else 'cuối'} năm {self.year}"
        if self.kind == "nine_months":
            return f"9 tháng đầu năm {self.year}"
        if self.kind == "year":
            return f"năm {self.year}"
        return f"từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _shift_year(day: date, years: int) -> date:
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return date(year, day.month, min(day.day, last))


def _shift_code(code: str, period: Period) -> str:
    if period.kind == "custom":
        start, end = _shift_year(period.start, -1), _shift_year(period.end, -1)
        return f"{start.isoformat()}..{end.isoformat()}"
    return re.sub(r"^\d{4}", str(period.end.year - 1), code)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _check_year(year: int, text: str) -> None:
    if not 1900 <= year <= 2100:
        raise InvalidPeriodError(f"Năm trong kỳ báo cáo «{text}» không hợp lệ.")


def parse_period(text: str) -> Period:
    """Parse a period code; raises InvalidPeriodError with a Vietnamese message."""
    raw = (text or "").strip()
    code = raw.upper()
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", code):
        year, quarter = int(m[1]), int(m[2])
        _check_year(year, raw)
        first = 3 * (quarter - 1) + 1
        return Period(date(year, first, 1), _month_end(year, first + 2), "quarter", code)
    if m := re.fullmatch(r"(\d{4})-H([12])", code):
        year, half = int(m[1]), int(m[2])
        _check_year(year, raw)
        first = 1 if half == 1 else 7
        return Period(date(year, first, 1), _month_end(year, first + 5), "half", code)
    if m := re.fullmatch(r"(\d{4})-9M", code):
        year = int(m[1])
        _check_year(year, raw)
        return Period(date(year, 1, 1), date(year, 9, 30), "nine_months", code)
    if m := re.fullmatch(r"(\d{4})", code):
        year = int(m[1])
        _check_year(year, raw)
        return Period(date(year, 1, 1), date(year, 12, 31), "year", code)
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", code):
        try:
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        except ValueError as exc:
            raise InvalidPeriodError(f"Ngày trong kỳ báo cáo «{raw}» không tồn tại.") from exc
        _check_year(start.year, raw)
        _check_year(end.year, raw)
        if end < start:
            raise InvalidPeriodError(f"Kỳ báo cáo «{raw}»: ngày kết thúc trước ngày bắt đầu.")
        return Period(start, end, "custom", f"{start.isoformat()}..{end.isoformat()}")
    raise InvalidPeriodError(
        f"Không hiểu kỳ báo cáo «{raw}». Dùng dạng 2026-Q3 (quý), 2026-H1 (6 tháng), "
        "2026-9M (9 tháng), 2026 (năm) hoặc 2026-07-01..2026-09-30."
    )


def current_quarter(today: date) -> Period:
    return parse_period(f"{today.year}-Q{(today.month - 1) // 3 + 1}")
