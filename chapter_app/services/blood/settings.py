"""The blood donors settings, read once per use: donation intervals, ages, honours."""

from __future__ import annotations

from chapter_app.domain.blood import (
    DEFAULT_HONOUR_FORMS,
    DEFAULT_HONOUR_THRESHOLDS,
    EligibilityRules,
    parse_thresholds,
)
from chapter_app.store.store import Store


def eligibility_rules(store: Store) -> EligibilityRules:
    get = store.settings.get
    return EligibilityRules(
        whole_interval_days=int(get("blood_whole_interval_days") or 84),
        component_interval_days=int(get("blood_component_interval_days") or 14),
        min_age=int(get("blood_min_age") or 18),
        max_age=int(get("blood_max_age") or 60),
    )


def honour_thresholds(store: Store) -> tuple[int, ...]:
    try:
        return parse_thresholds(store.settings.get("blood_honour_thresholds"))
    except (TypeError, ValueError):
        return DEFAULT_HONOUR_THRESHOLDS


def honour_form(store: Store, threshold: int) -> str:
    """The form of honour for a threshold: the setting, else the national default (the
    nearest lower threshold's form for thresholds without their own)."""
    forms = {str(k): v for k, v in (store.settings.get("blood_honour_forms") or {}).items()}
    if forms.get(str(threshold)):
        return forms[str(threshold)]
    lower = [t for t in DEFAULT_HONOUR_FORMS if t <= threshold]
    return DEFAULT_HONOUR_FORMS[max(lower)] if lower else ""
