"""Figures to look at again before issuing: what a provincial officer would query.

- a year-to-date figure over 300% of its yearly target (a wrong target or a typing error);
- a figure that fell by more than half against the same period last year;
- more addresses helped than followed (the addresses off the list explain it, or not).
"""

from __future__ import annotations

from dataclasses import dataclass

from chapter_app.services.report import labels as L
from chapter_app.services.report.data import ReportData

OVER_TARGET_PERCENT = 300
FALL_SHARE = 0.5
MIN_LAST_YEAR = 10  # smaller figures fall by half too easily to be worth a question


@dataclass(frozen=True)
class Check:
    """One figure to look at again: ``kind`` is over_target | fell | helped_over_followed."""

    kind: str
    key: str
    values: dict[str, str]


TEXTS = {
    "vi": {
        "over_target": "{label}: lũy kế {done} bằng {percent} chỉ tiêu năm ({target}); xem "
        "lại chỉ tiêu hoặc số liệu.",
        "fell": "{label}: {now}, giảm hơn một nửa so với cùng kỳ năm trước ({then}).",
        "helped_over_followed": "{helped} địa chỉ được trợ giúp nhưng chỉ {followed} địa chỉ "
        "đang theo dõi ({off} địa chỉ được trợ giúp không còn trong danh sách); kiểm tra tình "
        "trạng các địa chỉ.",
    },
    "en": {
        "over_target": "{label}: {done} so far is {percent} of the yearly target ({target}); "
        "check the target or the figures.",
        "fell": "{label}: {now}, less than half of the same period last year ({then}).",
        "helped_over_followed": "{helped} addresses were helped but only {followed} are "
        "followed ({off} helped addresses are off the list); check the addresses' status.",
    },
}


def figures_to_check(data: ReportData) -> list[Check]:
    """The report's figures worth a second look, in the annex's order."""
    lang = data.lang
    found: list[Check] = []

    def shown(row, value: int) -> str:
        return L.money(value, lang) if row.money else L.number(value, lang)

    for row in data.indicators:
        if row.percent_of_target is not None and row.percent_of_target > OVER_TARGET_PERCENT:
            found.append(
                Check("over_target", row.key, {
                    "label": row.label,
                    "done": shown(row, row.ytd),
                    "target": shown(row, row.target or 0),
                    "percent": L.percent(row.percent_of_target, lang),
                })
            )  # fmt: skip
    for row in data.indicators:
        if row.last_year >= MIN_LAST_YEAR and row.period < row.last_year * FALL_SHARE:
            found.append(
                Check("fell", row.key, {
                    "label": row.label,
                    "now": shown(row, row.period),
                    "then": shown(row, row.last_year),
                })
            )  # fmt: skip
    period = data.figures["period"]
    helped, followed = int(period["addresses.helped"]), int(period["addresses.on_file"])
    if helped > followed:
        found.append(
            Check("helped_over_followed", "addresses.helped", {
                "helped": L.number(helped, lang),
                "followed": L.number(followed, lang),
                "off": L.number(int(period.get("addresses.helped_off_list", 0)), lang),
            })
        )  # fmt: skip
    return found


def describe(check: Check, lang: str = "vi") -> str:
    """The check as a sentence for the officer (in ``lang``, "vi" or "en")."""
    return TEXTS[lang][check.kind].format(**check.values)
