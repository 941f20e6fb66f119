"""Blood donors: what a donor, a donation, a deferral and an honour are, and the rules.

A donor is a role of a person of the register (no second record). The blood group is
health data (sensitive, Law 91/2025): kept out of lists and exports unless chosen.
Standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from chapter_app.domain.models import Record

BLOOD_GROUPS = ("O+", "O-", "A+", "A-", "B+", "B-", "AB+", "AB-")
WHOLE_BLOOD_VOLUMES = (250, 350, 450)
SENSITIVE_DONOR_FIELDS = ("blood_group",)  # health data (Law 91/2025)
DEFAULT_HONOUR_THRESHOLDS = (5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 100)
# Who gives the honour at each threshold (Quyết định 122/QĐ-BCĐQG, provinces adapt it).
DEFAULT_HONOUR_FORMS = {
    5: "Giấy khen của Hội CTĐ cấp tỉnh",
    10: "Bằng khen của Chủ tịch UBND cấp tỉnh",
    15: "Bằng khen của Chủ tịch UBND cấp tỉnh",
    20: "Bằng khen của Bộ Y tế",
    30: "Bằng khen của Trung ương Hội CTĐ Việt Nam",
    40: "Bằng khen của Thủ tướng Chính phủ",
    50: "Bằng khen của Thủ tướng Chính phủ",
}


class DonationKind(StrEnum):
    WHOLE = "whole"  # whole blood: 250/350/450 ml
    COMPONENT = "component"  # platelets, plasma ... (apheresis)


@dataclass(frozen=True, kw_only=True)
class Donor(Record):
    """The donor role of a person: blood group and donations made before the register."""

    person_id: int
    blood_group: str | None = None  # sensitive
    prior_donations: int = 0
    prior_last_on: date | None = None
    registered_on: date | None = None
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class Donation(Record):
    donor_id: int
    donated_on: date
    drive_id: int | None = None
    kind: str = DonationKind.WHOLE
    volume_ml: int | None = None
    component: str | None = None
    place: str | None = None
    certificate_no: str | None = None
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class Deferral(Record):
    """A donor who came and was not accepted (kept apart from donations)."""

    donor_id: int
    on_date: date
    drive_id: int | None = None
    reason: str | None = None
    until_on: date | None = None
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class DonorHonour(Record):
    """An honour given to a donor for reaching a threshold of donations."""

    donor_id: int
    year: int
    threshold: int
    form: str | None = None
    given_on: date | None = None
    decision_no: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class EligibilityRules:
    """Settings: days between whole-blood (and component) donations, age limits."""

    whole_interval_days: int = 84  # 12 weeks
    component_interval_days: int = 14
    min_age: int = 18
    max_age: int = 60


def parse_blood_group(text: object) -> str | None:
    """``"o+"``, ``"O Rh+"``, ``"AB (Rh-)"``, ``"A dương"`` -> ``"O+"``, ``"AB-"``; blank: None.

    Raises ValueError for anything that is not an ABO group with an optional Rh sign
    (a group without Rh is read as Rh+, by far the most common in Vietnam).
    """
    if text is None:
        return None
    raw = unicodedata.normalize("NFC", str(text)).strip().upper()
    if not raw:
        return None
    raw = raw.replace("DƯƠNG", "+").replace("ÂM", "-").replace("POS", "+").replace("NEG", "-")
    raw = raw.replace("−", "-").replace("RH", "")
    raw = re.sub(r"[\s()\[\]]", "", raw)
    match = re.fullmatch(r"(AB|A|B|O|0)([+-]?)", raw)
    if not match:
        raise ValueError(f"not a blood group: {text!r}")
    group = "O" if match.group(1) == "0" else match.group(1)
    return group + (match.group(2) or "+")


def age_that_day(*, birth_date: date | None, birth_year: int | None, on: date) -> int | None:
    """Age in whole years on ``on``; with only a birth year, ``on.year - birth_year``."""
    if birth_date is not None:
        before = (on.month, on.day) < (birth_date.month, birth_date.day)
        return on.year - birth_date.year - int(before)
    if birth_year:
        return on.year - birth_year
    return None


def next_allowed(
    *, last_whole: date | None, last_component: date | None, rules: EligibilityRules
) -> date | None:
    """The first day a donor may give whole blood again (None: no donation on record)."""
    days = []
    if last_whole is not None:
        days.append(last_whole + timedelta(days=rules.whole_interval_days))
    if last_component is not None:
        days.append(last_component + timedelta(days=rules.component_interval_days))
    return max(days) if days else None


def threshold_crossed(before: int, after: int, thresholds: tuple[int, ...]) -> int | None:
    """The highest threshold ``t`` with ``before < t <= after`` (None when none is crossed)."""
    crossed = [t for t in thresholds if before < t <= after]
    return max(crossed) if crossed else None


def parse_thresholds(value: object) -> tuple[int, ...]:
    """A thresholds setting (list or "5, 10, 15") as a sorted tuple of positive integers."""
    items = re.split(r"[,;\s]+", value) if isinstance(value, str) else list(value or [])
    numbers = sorted({int(x) for x in items if str(x).strip()})
    if not numbers or numbers[0] < 1:
        raise ValueError("thresholds must be positive whole numbers")
    return tuple(numbers)
