"""Counted activities: blood donation drives, first-aid classes, health care activities and
disaster drills (counted, not recorded per person).

``ACTIVITY_KINDS`` names each kind once (its repository, noun and cleaner) for the window's
forms and the ``activities`` command. ``save_activity`` checks the values and writes one
record in one operation; it raises ``ValidationFailed`` with every issue when a value is
wrong, so the caller shows the fields to fix and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from chapter_app.domain.validation import (
    N_,
    Issue,
    ValidationFailed,
    check_count,
    check_money,
    check_text,
    errors,
    parse_date,
    warnings,
)
from chapter_app.errors import NotFoundError
from chapter_app.i18n import format_date
from chapter_app.services.records import Saved
from chapter_app.store.store import Store

MSG_HELD_FUTURE = N_("Ngày {date} chưa tới; chỉ ghi hoạt động đã diễn ra.")
MSG_UNITS_MIX = N_("Tổng số đơn vị máu ({units}) khác tổng các loại 250, 350 và 450 ml ({mix}).")
MSG_DONORS_OVER_REGISTERED = N_(
    "Số người hiến ({donors}) nhiều hơn số người đăng ký ({registered})."
)
MSG_UNITS_NOT_DONORS = N_(
    "Mỗi lần hiến là một đơn vị: số đơn vị ({units}) khác số người hiến ({donors})."
)
MSG_NO_TRAINEES = N_("Lớp chưa có học viên nào.")
MSG_UNKNOWN_CHOICE = N_("«{value}» không có trong danh sách; chọn một trong: {choices}.")
MSG_NO_ACTIVITY = N_("Không có {noun} số {id}. Xem số bằng: chapter-app activities list")

NOTES_MAX = 2000

HEALTH_KIND = {
    "checkup": N_("Khám bệnh miễn phí"),
    "medicine": N_("Cấp thuốc miễn phí"),
    "other": N_("Khác"),
}
DRILL_KIND = {"drill": N_("Diễn tập"), "training": N_("Tập huấn")}

Cleaner = Callable[..., tuple[dict[str, Any], list[Issue]]]


def _held_on(raw: dict[str, Any], issues: list[Issue], today: date) -> date | None:
    held, found = parse_date(raw.get("held_on"), field="held_on", required=True, label=N_("ngày"))
    issues += found
    if held is not None and held > today:
        issues.append(Issue.error("held_on", MSG_HELD_FUTURE, date=format_date(held)))
        return None
    return held


def _counts(raw: dict[str, Any], keys: tuple[str, ...], issues: list[Issue]) -> dict[str, int]:
    values = {}
    for key in keys:
        value, found = check_count(raw.get(key), field=key)
        issues += found
        values[key] = value or 0
    return values


def _notes(raw: dict[str, Any], issues: list[Issue]) -> str | None:
    notes, found = check_text(raw.get("notes"), field="notes", max_length=NOTES_MAX, multiline=True)
    issues += found
    return notes


def _choice(raw: dict[str, Any], key: str, table: dict[str, str], issues: list[Issue]) -> str:
    value = str(raw.get(key) or "").strip() or next(iter(table))
    if value not in table:
        issues.append(Issue.error(key, MSG_UNKNOWN_CHOICE, value=value, choices=", ".join(table)))
    return value


def clean_blood_drive(raw: dict[str, Any], *, today: date) -> tuple[dict[str, Any], list[Issue]]:
    issues: list[Issue] = []
    cleaned: dict[str, Any] = {"held_on": _held_on(raw, issues, today)}
    cleaned["partner"], found = check_text(raw.get("partner"), field="partner", max_length=200)
    issues += found
    counts = _counts(
        raw, ("registered", "donors", "units", "units_250", "units_350", "units_450"), issues
    )
    mix = counts["units_250"] + counts["units_350"] + counts["units_450"]
    if not str(raw.get("units") or "").strip() and mix:
        counts["units"] = mix  # only the mix was typed: the total is its sum
    elif mix and counts["units"] != mix:
        issues.append(Issue.error("units", MSG_UNITS_MIX, units=counts["units"], mix=mix))
    if counts["registered"] and counts["donors"] > counts["registered"]:
        issues.append(
            Issue.warning(
                "donors",
                MSG_DONORS_OVER_REGISTERED,
                donors=counts["donors"],
                registered=counts["registered"],
            )
        )
    if counts["donors"] and counts["units"] and counts["units"] != counts["donors"]:
        issues.append(
            Issue.warning(
                "units", MSG_UNITS_NOT_DONORS, units=counts["units"], donors=counts["donors"]
            )
        )
    cleaned.update(counts)
    cleaned["notes"] = _notes(raw, issues)
    return cleaned, issues


def clean_firstaid(raw: dict[str, Any], *, today: date) -> tuple[dict[str, Any], list[Issue]]:
    issues: list[Issue] = []
    cleaned: dict[str, Any] = {"held_on": _held_on(raw, issues, today)}
    cleaned["title"], found = check_text(raw.get("title"), field="title", max_length=200)
    issues += found
    cleaned.update(_counts(raw, ("trainees", "cases_handled"), issues))
    if not cleaned["trainees"] and not cleaned["cases_handled"] and not errors(issues):
        issues.append(Issue.warning("trainees", MSG_NO_TRAINEES))
    cleaned["notes"] = _notes(raw, issues)
    return cleaned, issues


def _clean_kind_and_counts(
    raw: dict[str, Any], today: date, kinds: dict[str, str], counts: tuple[str, ...]
) -> tuple[dict[str, Any], list[Issue]]:
    """The date, a ``kind`` from ``kinds`` and the whole-number ``counts`` of an activity."""
    issues: list[Issue] = []
    cleaned: dict[str, Any] = {"held_on": _held_on(raw, issues, today)}
    cleaned["kind"] = _choice(raw, "kind", kinds, issues)
    cleaned.update(_counts(raw, counts, issues))
    return cleaned, issues


def clean_health(raw: dict[str, Any], *, today: date) -> tuple[dict[str, Any], list[Issue]]:
    cleaned, issues = _clean_kind_and_counts(raw, today, HEALTH_KIND, ("person_times",))
    value, found = check_money(raw.get("value"), field="value")
    issues += found
    cleaned["value"] = value or 0
    cleaned["notes"] = _notes(raw, issues)
    return cleaned, issues


def clean_drill(raw: dict[str, Any], *, today: date) -> tuple[dict[str, Any], list[Issue]]:
    cleaned, issues = _clean_kind_and_counts(raw, today, DRILL_KIND, ("sessions", "participants"))
    cleaned["notes"] = _notes(raw, issues)
    return cleaned, issues


@dataclass(frozen=True)
class ActivityKind:
    """One kind of counted activity: where it is stored and how its values are checked."""

    key: str  # as the command line names it
    repo_name: str
    noun: str  # N_-marked, translated where shown
    clean: Cleaner


ACTIVITY_KINDS: dict[str, ActivityKind] = {
    kind.key: kind
    for kind in (
        ActivityKind("blood-drive", "blood_drives", N_("đợt hiến máu"), clean_blood_drive),
        ActivityKind("first-aid", "firstaid", N_("lớp sơ cấp cứu"), clean_firstaid),
        ActivityKind("health", "health", N_("hoạt động chăm sóc sức khỏe"), clean_health),
        ActivityKind(
            "drill", "drills", N_("buổi diễn tập, tập huấn phòng chống thiên tai"), clean_drill
        ),
    )
}


def save_activity(
    store: Store,
    kind: ActivityKind,
    raw: dict[str, Any],
    *,
    today: date,
    record_id: int | None = None,
) -> Saved:
    """Check ``raw`` and add the activity (or change record ``record_id``) in one operation.

    Raises ``ValidationFailed`` (nothing written) when a value is wrong; warnings come back
    with the saved record.
    """
    cleaned, issues = kind.clean(raw, today=today)
    if errors(issues):
        raise ValidationFailed(issues)
    repo = getattr(store, kind.repo_name)
    if record_id is None:
        with store.operation(f"Thêm {kind.noun}"):
            record = repo.add(**cleaned)
    else:
        get_activity(store, kind, record_id)
        with store.operation(f"Sửa {kind.noun}"):
            record = repo.update(record_id, **cleaned)
    return Saved(record, tuple(warnings(issues)))


def get_activity(store: Store, kind: ActivityKind, record_id: int):
    """The stored activity ``record_id`` of ``kind``; a clear error when there is none."""
    from chapter_app.i18n import _

    try:
        return getattr(store, kind.repo_name).get(record_id)
    except NotFoundError:
        raise NotFoundError(_(MSG_NO_ACTIVITY).format(noun=_(kind.noun), id=record_id)) from None


def remove_activity(store: Store, kind: ActivityKind, record_id: int) -> None:
    """Delete activity ``record_id`` of ``kind`` in one operation (logged in the audit log)."""
    get_activity(store, kind, record_id)
    with store.operation(f"Xóa {kind.noun}"):
        getattr(store, kind.repo_name).delete(record_id)
