"""The report's indicators (domain brief §3) for a period, year-to-date and last year.

Keys are the brief's dotted machine keys. Stock figures (``*.total_end``,
``addresses.on_file`` ...) are taken at the block's last day; flow figures
(``*.new``, ``aid.*`` ...) are summed over the block's days. Money is whole đồng.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from chapter_app.domain.periods import Period
from chapter_app.store.store import Store

NO_CAMPAIGN = "Không thuộc chương trình"
NO_AREA = "Chưa phân lĩnh vực"

# The brief's keys, in report order, with Vietnamese labels and units (for tables).
INDICATORS: list[tuple[str, str, str]] = [
    ("branches.count", "Số chi hội", "chi hội"),
    ("members.total_end", "Tổng số hội viên", "người"),
    ("members.new", "Hội viên kết nạp mới", "người"),
    ("members.left", "Hội viên ra khỏi Hội, xóa tên, từ trần", "người"),
    ("members.dues_collected", "Hội phí thu được", "đồng"),
    ("volunteers.total_end", "Tổng số tình nguyện viên", "người"),
    ("volunteers.core_end", "Tình nguyện viên nòng cốt", "người"),
    ("volunteers.new", "Tình nguyện viên mới", "người"),
    ("youth.total_end", "Thanh, thiếu niên Chữ thập đỏ", "người"),
    ("addresses.on_file", "Địa chỉ nhân đạo đang theo dõi", "địa chỉ"),
    ("addresses.with_sponsor", "Địa chỉ nhân đạo có nhà tài trợ", "địa chỉ"),
    ("addresses.new", "Địa chỉ nhân đạo mới", "địa chỉ"),
    ("addresses.helped", "Địa chỉ nhân đạo được trợ giúp", "địa chỉ"),
    ("addresses.closed", "Địa chỉ nhân đạo đưa ra khỏi danh sách", "địa chỉ"),
    ("addresses.monthly", "Địa chỉ được trợ cấp thường xuyên hằng tháng", "địa chỉ"),
    ("addresses.monthly_amount", "Mức trợ cấp thường xuyên mỗi tháng", "đồng"),
    ("sponsors.active", "Nhà tài trợ đang cam kết", "nhà tài trợ"),
    ("aid.records", "Số lượt trợ giúp", "lượt"),
    ("aid.person_times", "Lượt người được trợ giúp", "lượt người"),
    ("aid.households", "Lượt hộ được trợ giúp", "lượt hộ"),
    ("aid.value_total", "Tổng trị giá trợ giúp", "đồng"),
    ("aid.value_cash", "Trong đó tiền mặt", "đồng"),
    ("aid.value_goods", "Trong đó hiện vật", "đồng"),
    ("aid.value_own", "Trong đó nội lực", "đồng"),
    ("aid.emergency_value", "Cứu trợ khẩn cấp: trị giá", "đồng"),
    ("aid.emergency_households", "Cứu trợ khẩn cấp: lượt hộ", "lượt hộ"),
    ("blood.drives", "Số đợt hiến máu", "đợt"),
    ("blood.donors", "Người hiến máu", "người"),
    ("blood.repeat_donors", "Người hiến máu nhắc lại", "người"),
    ("blood.first_time", "Người hiến máu lần đầu", "người"),
    ("blood.units", "Đơn vị máu", "đơn vị"),
    ("blood.volume_ml", "Lượng máu tiếp nhận", "ml"),
    ("firstaid.classes", "Lớp tập huấn sơ cấp cứu", "lớp"),
    ("firstaid.trainees", "Học viên sơ cấp cứu", "người"),
    ("health.person_times", "Khám bệnh, cấp thuốc", "lượt người"),
    ("health.value", "Trị giá khám bệnh, cấp thuốc", "đồng"),
]
INDICATOR_KEYS = [key for key, _label, _unit in INDICATORS]
MONEY_KEYS = {key for key, _label, unit in INDICATORS if unit == "đồng"}


def stocks(store: Store, end) -> dict[str, Any]:
    """Figures taken at the day ``end`` (counts of what is active then)."""
    f = store.figures
    monthly = f.monthly_support(end)
    return {
        "branches.count": f.branches_active(end),
        "members.total_end": f.members_active(end),
        "volunteers.total_end": f.role_active("volunteers", end),
        "volunteers.core_end": f.role_active("volunteers", end, core_only=True),
        "youth.total_end": f.role_active("youth", end),
        "addresses.on_file": f.addresses_on_file(end),
        "addresses.with_sponsor": f.addresses_with_sponsor(end),
        "sponsors.active": f.sponsors_active(end),
        "addresses.monthly": monthly[0],
        "addresses.monthly_amount": monthly[1],
    }


def flows(store: Store, start, end) -> dict[str, Any]:
    """Figures summed over the days ``start..end``."""
    f = store.figures
    aid = f.aid_totals(start, end)
    blood = f.activity_sums("blood_drives", ("units",), start, end)
    donations = store.blood.period_figures(start, end)
    firstaid = f.activity_sums("firstaid_classes", ("trainees", "cases_handled"), start, end)
    health = f.activity_sums("health_activities", ("person_times", "value"), start, end)
    drills = f.activity_sums("disaster_drills", ("sessions", "participants"), start, end)
    return {
        "members.new": f.member_events(start, end, ("admitted", "readmitted")),
        "members.left": f.member_events(start, end, ("left", "removed", "died")),
        "members.moved_in": f.member_events(start, end, ("moved_in",)),
        "members.moved_out": f.member_events(start, end, ("moved_out",)),
        "members.dues_collected": f.dues_collected(start, end),
        "volunteers.new": f.role_new("volunteers", start, end),
        "addresses.new": f.addresses_opened(start, end),
        "addresses.helped": aid["addresses_helped"],
        "addresses.closed": f.addresses_closed(start, end),
        "aid.records": aid["records"],
        "aid.person_times": aid["person_times"],
        "aid.households": aid["households"],
        "aid.value_total": aid["value_total"],
        "aid.value_cash": aid["value_cash"],
        "aid.value_goods": aid["value_goods"],
        "aid.value_own": aid["value_own"],
        "aid.value_sponsor": aid["value_sponsor"],
        "aid.value_higher": aid["value_higher"],
        "aid.by_campaign": _grouped(f.aid_grouped(start, end, by="campaign"), NO_CAMPAIGN),
        "aid.by_area": _grouped(f.aid_grouped(start, end, by="area"), NO_AREA),
        "aid.emergency_value": aid["emergency_value"],
        "aid.emergency_households": aid["emergency_households"],
        "blood.drives": blood["count"],
        "blood.donors": donations["donors"],
        "blood.repeat_donors": donations["repeat_donors"],
        "blood.first_time": donations["first_time"],
        "blood.units": donations["units"],
        "blood.volume_ml": donations["volume_ml"],
        **_population_share(store, donations["donors"]),
        "firstaid.classes": firstaid["count"],
        "firstaid.trainees": firstaid["trainees"],
        "firstaid.cases": firstaid["cases_handled"],
        "health.person_times": health["person_times"],
        "health.value": health["value"],
        "drills.sessions": drills["sessions"],
        "drills.participants": drills["participants"],
    }


def _population_share(store: Store, donors: int) -> dict[str, float]:
    """``blood.population_share``: donors as a per cent of the commune's population
    (two decimals), only when the population setting is set."""
    population = int(store.settings.get("population") or 0)
    if population <= 0:
        return {}
    return {"blood.population_share": round(100 * donors / population, 2)}


def compute(store: Store, start, end) -> dict[str, Any]:
    """Every indicator over ``start..end`` as a flat dict of dotted keys."""
    return stocks(store, end) | flows(store, start, end)


def units_by_campaign(store: Store, period: Period, *, as_of: date | None = None):
    """Physical units of aid given per campaign in the period (up to ``as_of``):
    ``{campaign: {unit: quantity}}``; kept out of the indicator blocks (packages carry only
    the flat indicators and the two groupings)."""
    return {
        (name or NO_CAMPAIGN): units
        for name, units in store.figures.aid_quantities(
            period.start, cut_off(period, as_of)
        ).items()
    }


def net_members(block: dict[str, Any]) -> int:
    """Members gained less members lost in a block's days (the change of the total)."""
    return (
        int(block["members.new"])
        + int(block.get("members.moved_in", 0))
        - int(block["members.left"])
        - int(block.get("members.moved_out", 0))
    )


def _grouped(rows, fallback: str) -> dict[str, dict[str, int]]:
    return {
        (name or fallback): {"records": n, "person_times": persons, "value": value}
        for name, n, persons, value in rows
    }


def cut_off(period: Period, as_of: date | None) -> date:
    """The last day the figures cover: the period's end, or ``as_of`` when it falls earlier
    (a report written before its period ends counts up to its own date, never beyond)."""
    if as_of is None or as_of >= period.end:
        return period.end
    return max(as_of, period.start)


def indicator_blocks(
    store: Store, period: Period, *, as_of: date | None = None
) -> dict[str, dict[str, Any]]:
    """Flat indicators for the period, year-to-date and the same period last year.

    With ``as_of`` before the period's end, every block stops at that day: the period from
    its start to ``as_of``, the year from 1 January to ``as_of``, and last year the same
    days one year earlier (stocks taken at ``as_of`` and at the same day last year).
    The net change of members is ``members.net``: admitted and moved in, less those who
    left, were removed, died or moved away.
    """
    end = cut_off(period, as_of)
    cut = replace(period, end=end) if end != period.end else period
    ytd = cut.year_to_date()
    last = cut.same_period_last_year()
    at_end = stocks(store, end)  # the period and the year-to-date end on the same day
    period_flows = flows(store, cut.start, end)
    # Told for the period only (the prose and the checks use it).
    period_flows["addresses.helped_off_list"] = store.figures.addresses_helped_off_list(
        cut.start, end
    )
    return {
        "period": at_end | period_flows,
        "ytd": at_end | flows(store, ytd.start, ytd.end),
        "last_year": compute(store, last.start, last.end),
    }


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    """``{"members.new": 3}`` -> ``{"members": {"new": 3}}``."""
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        group, _, name = key.partition(".")
        nested.setdefault(group, {})[name] = value
    return nested


def stats_json(store: Store, period: Period) -> dict[str, Any]:
    """What ``chapter-app stats --json`` prints: the three blocks, nested by dotted keys."""
    return {name: nest(block) for name, block in indicator_blocks(store, period).items()}
