"""Yearly targets (chỉ tiêu): which indicators take one, setting, reading and copying them.

The report's "Chỉ tiêu năm" and "% chỉ tiêu" columns and sentences read these
(``services.report.data``: year-to-date as a percentage of the year's target).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chapter_app.errors import AppError
from chapter_app.i18n import _
from chapter_app.services.indicators import INDICATORS
from chapter_app.store.store import Store

# Indicators that are parts or side figures of another take no target of their own.
_NO_TARGET = {
    "members.left",
    "aid.value_cash",
    "aid.value_goods",
    "aid.emergency_value",
    "aid.emergency_households",
}

# (key, Vietnamese label, unit) of every indicator that takes a yearly target, report order.
TARGET_KEYS: list[tuple[str, str, str]] = [row for row in INDICATORS if row[0] not in _NO_TARGET]
_KEYS = {key for key, _label, _unit in TARGET_KEYS}
MAX_TARGET = 10**15  # đồng or people: far above any chapter's year


def target_label(key: str, lang: str = "vi") -> tuple[str, str]:
    """(label, unit) of a target key in ``lang`` (the report's wording)."""
    from chapter_app.services.report.labels import indicator_label

    return indicator_label(key, lang)


class TargetError(AppError):
    """A target refused (unknown key, not a whole number, negative)."""


def _year(year: Any) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = 0
    if not 2000 <= value <= 2100:
        raise TargetError(_("Năm «{year}» không hợp lệ (ví dụ 2026).").format(year=year))
    return value


def parse_target_value(key: str, value: Any) -> int | None:
    """A target as a whole number ≥ 0 ("1.200.000" and "1 200 000" accepted); None clears."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip().replace(".", "").replace(",", "").replace(" ", "")
        text = text.replace("\u00a0", "").removesuffix("đ")
        if not text.isdigit():
            raise TargetError(
                _("Chỉ tiêu «{key}» phải là số nguyên không âm; đã ghi «{value}».").format(
                    key=key, value=value
                )
            )
        number = int(text)
    if number < 0 or number > MAX_TARGET:
        raise TargetError(
            _("Chỉ tiêu «{key}» phải là số nguyên không âm; đã ghi «{value}».").format(
                key=key, value=value
            )
        )
    return number


def set_targets(store: Store, year: int, values: Mapping[str, Any]) -> dict[str, int]:
    """Set the targets of ``year`` for the keys given (an empty value clears one), in one
    operation; returns the year's targets after it. Unknown keys are refused."""
    year = _year(year)
    unknown = sorted(set(values) - _KEYS)
    if unknown:
        raise TargetError(
            _("Không có chỉ tiêu «{keys}». Các khóa dùng được: {known}.").format(
                keys=", ".join(unknown), known=", ".join(k for k, _l, _u in TARGET_KEYS)
            )
        )
    parsed = {key: parse_target_value(key, value) for key, value in values.items()}
    with store.operation(_("Đặt chỉ tiêu năm {year}").format(year=year)):
        for key, value in parsed.items():
            if value is None:
                for old in store.targets.list(filters={"year": year, "key": key}):
                    store.targets.delete(old.id)
            else:
                store.targets.set(year, key, value)
    return targets_for(store, year)


def targets_for(store: Store, year: int) -> dict[str, int]:
    """``key -> target`` of ``year`` (keys without a target are absent)."""
    return store.targets.for_year(_year(year))


def copy_targets(store: Store, from_year: int, to_year: int) -> dict[str, int]:
    """Copy every target of ``from_year`` to ``to_year`` (replacing those already set there);
    refused when ``from_year`` has none."""
    source = targets_for(store, from_year)
    if not source:
        raise TargetError(_("Năm {year} chưa có chỉ tiêu nào để sao chép.").format(year=from_year))
    to_year = _year(to_year)
    with store.operation(
        _("Sao chép chỉ tiêu năm {a} sang năm {b}").format(a=from_year, b=to_year)
    ):
        for key, value in source.items():
            store.targets.set(to_year, key, value)
    return targets_for(store, to_year)
