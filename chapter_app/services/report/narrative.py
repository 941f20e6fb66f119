"""The draft narrative: the register's figures woven into sentences, one section per area.

Sections follow real commune reports (``wording.SECTIONS``): the situation, the results by
area of work, the assessment, the direction for the next period and the proposals. What
the register cannot know (the situation, communication, emulation, the assessment, tasks
and proposals) starts empty with an outline for the officer. Every figure comes from the
indicator blocks the annex prints, so the prose and the annex cannot disagree.

Figures stop at ``cut`` (the report's date when it falls before the period's end): the
stock sentences say "Tính đến ngày …", comparisons name what they compare with ("so với
cùng kỳ năm 2025", or "so với năm 2025" for a whole year).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from chapter_app.domain.organisation import RATINGS
from chapter_app.domain.periods import Period
from chapter_app.services.indicators import net_members
from chapter_app.services.report import labels as L
from chapter_app.services.report import wording as W


@dataclass(frozen=True)
class NarrativeSection:
    """One section of the report's body: ``text`` holds paragraphs separated by ``\\n``.

    ``outline`` is what the officer is asked to write (shown while editing, never printed).
    """

    key: str
    level: int  # 0 = paragraph without heading, 1 = "I. ...", 2 = "1. ..."
    heading: str
    text: str
    outline: str = ""


@dataclass(frozen=True)
class Context:
    """What the sentences need besides the figures."""

    lang: str
    period: Period
    cut: date  # the last day the figures cover
    estimate: bool  # the officer estimates the whole year from the figures so far
    chapter: str
    parent: str
    campaign_names: Mapping[str, str]
    ratings_year: int | None = None
    ratings: Mapping[str, int] | None = None
    units: Mapping[str, Mapping[str, int]] | None = None  # physical units per campaign


def draft_narrative(
    context: Context, blocks: Mapping[str, Mapping[str, Any]], targets: Mapping[str, int]
) -> tuple[NarrativeSection, ...]:
    """The sections of ``wording.SECTIONS`` with draft text (empty for the officer's)."""
    w = _Writer(context, blocks, targets)
    lang = context.lang
    texts = {key: getattr(w, key)() if hasattr(w, key) else "" for key, _level in W.SECTIONS}
    headings = W.HEADINGS[lang]
    next_period = L.next_period_name(context.period, lang).upper()
    parent = context.parent or L.TEXT[lang]["parent_fallback"]
    return tuple(
        NarrativeSection(
            key=key,
            level=level,
            heading=headings[key].format(next_period=next_period),
            text=texts[key],
            outline=W.OUTLINES[lang].get(key, "").format(parent=parent),
        )
        for key, level in W.SECTIONS
    )


def as_of_note(context: Context) -> str:
    """ " (số liệu tính đến ngày 23/11/2026)" when the figures stop before the period's end."""
    if context.cut >= context.period.end:
        return ""
    key = "as_of_estimate" if context.estimate else "as_of"
    return L.sentence(context.lang, key, day=L.day(context.cut, context.lang))


class _Writer:
    """Fills the sentence templates; counts are passed as ints (formatted by the template)."""

    def __init__(self, context: Context, blocks, targets):
        self.c = context
        self.lang = context.lang
        self.period = context.period
        self.p = blocks["period"]
        self.y = blocks["ytd"]
        self.last = blocks["last_year"]
        self.targets = targets
        self.in_period = L.in_period(self.period, self.lang)
        self.day = L.day(context.cut, self.lang)
        self.truncated = context.cut < self.period.end
        # Year-to-date sentences only when the year-to-date differs from the period.
        self.has_ytd = self.period.start != self.period.year_to_date().start
        whole_year = self.period.kind == "year" and not self.truncated
        self.versus = self.say(
            "versus_year" if whole_year else "versus_same", year=str(self.period.year - 1)
        )

    def say(self, key: str, **values) -> str:
        return L.sentence(self.lang, key, **values)

    def m(self, value: int) -> str:
        return L.money(value, self.lang)

    def change(self, key: str, unit: str) -> str:
        """ "tăng 20 hội viên so với cùng kỳ năm 2025" (money keys: "tăng 1.000.000 đ ...")."""
        now, then = int(self.p[key]), int(self.last[key])
        diff = abs(now - then)
        one, many = W.CHANGE_UNITS[self.lang][unit]
        if unit == "money":
            value, noun = self.m(diff), ""
        else:
            value, noun = diff, (one if diff == 1 else many)
        if now == then:
            return self.say("same", versus=self.versus)
        return self.say("up" if now > then else "down", value=value, unit=noun,
                        versus=self.versus).replace("  ", " ")  # fmt: skip

    def target(self, key: str) -> str:
        """ ", đạt 85,3% chỉ tiêu năm (37/40)" from the year-to-date (empty without target)."""
        goal = self.targets.get(key)
        if not goal:
            return ""
        done = int(self.y[key])
        money = key in L.MONEY_KEYS
        text = self.say(
            "of_target",
            percent=L.percent(100 * done / goal, self.lang),
            done=self.m(done) if money else done,
            target=self.m(goal) if money else goal,
        )
        return text + self.estimate(key)

    def estimate(self, key: str) -> str:
        """ "; ước thực hiện cả năm …" when the officer estimates a report written early."""
        goal = self.targets.get(key)
        if not (self.c.estimate and self.truncated and goal):
            return ""
        year = self.period.year
        elapsed = (self.c.cut - date(year, 1, 1)).days + 1
        days = (date(year, 12, 31) - date(year, 1, 1)).days + 1
        value = round(int(self.y[key]) * days / elapsed)
        shown = self.m(value) if key in L.MONEY_KEYS else value
        return self.say("estimate", value=shown, percent=L.percent(100 * value / goal, self.lang))

    # --- sections ------------------------------------------------------------------------

    def intro(self) -> str:
        what = self.say("what", period=L.period_name(self.period, self.lang))
        return self.say(
            "intro_parent" if self.c.parent else "intro",
            year=str(self.period.year),
            parent=self.c.parent,
            chapter=self.c.chapter,
            what=what + as_of_note(self.c),
        )

    def organisation(self) -> str:
        p = self.p
        first = [self.say("branches", day=self.day, branches=p["branches.count"])]
        if self.c.ratings:
            first.append(self.ratings())
        moves = ""
        moved_in, moved_out = p.get("members.moved_in", 0), p.get("members.moved_out", 0)
        if moved_in and moved_out:
            moves = self.say("moves", moved_in=moved_in, moved_out=moved_out)
        elif moved_in or moved_out:
            moves = self.say("moved_in" if moved_in else "moved_out", count=moved_in or moved_out)
        members = [
            self.say(
                "members",
                in_period=self.in_period,
                new=p["members.new"],
                target=self.target("members.new"),
                left=p["members.left"],
                moves=moves,
            )
        ]
        net = net_members(p)
        net_text = self.say(
            "net_up" if net > 0 else "net_down" if net < 0 else "net_same", net=abs(net)
        )
        members.append(
            self.say(
                "members_total",
                net=net_text,
                day=self.day,
                total=p["members.total_end"],
                change=self.change("members.total_end", "members"),
            )
        )
        ytd = ""
        if self.has_ytd:
            ytd = self.say("dues_ytd", value=self.m(self.y["members.dues_collected"]))
        members.append(self.say("dues", dues=self.m(p["members.dues_collected"]), ytd=ytd))
        return " ".join(first) + "\n" + " ".join(members)

    def ratings(self) -> str:
        order = list(RATINGS)  # best first; codes not known go last, as typed
        ratings = sorted(
            self.c.ratings.items(),
            key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0]),
        )
        total = sum(self.c.ratings.values())
        parts = [
            self.say(
                "rating_first" if i == 0 else "rating_other",
                count=count,
                total=total,
                rating=L.translate_value(RATINGS.get(code, code).lower(), self.lang),
            )
            for i, (code, count) in enumerate(ratings)
        ]
        return self.say("ratings", year=str(self.c.ratings_year), ratings=", ".join(parts))

    def volunteers(self) -> str:
        p = self.p
        return self.say(
            "volunteers",
            day=self.day,
            total=p["volunteers.total_end"],
            change=self.change("volunteers.total_end", "volunteers"),
            core=p["volunteers.core_end"],
            in_period_lower=_lower_first(self.in_period),
            new=p["volunteers.new"],
            youth=p["youth.total_end"],
        )

    def resources(self) -> str:
        p = self.p
        if not p["aid.value_total"]:
            text = [self.say("resources_none", in_period=self.in_period)]
        else:
            sources = ""
            if p.get("aid.value_sponsor") or p.get("aid.value_higher"):
                sources = self.say(
                    "sources",
                    sponsor=self.m(p.get("aid.value_sponsor", 0)),
                    higher=self.m(p.get("aid.value_higher", 0)),
                )
            text = [
                self.say(
                    "resources",
                    in_period=self.in_period,
                    total=self.m(p["aid.value_total"]),
                    change=self.change("aid.value_total", "money"),
                    own=self.m(p["aid.value_own"]),
                    sources=sources,
                    target="" if self.has_ytd else self.target("aid.value_total"),
                )
            ]
        if self.has_ytd:
            text.append(
                self.say(
                    "resources_ytd",
                    total=self.m(self.y["aid.value_total"]),
                    target=self.target("aid.value_total"),
                )
            )
        return " ".join(text)

    def aid(self) -> str:
        p = self.p
        if not p["aid.records"]:
            return self.say("aid_none", in_period=self.in_period)
        text = [
            self.say(
                "aid",
                in_period=self.in_period,
                people=p["aid.person_times"],
                change=self.change("aid.person_times", "people"),
                total=self.m(p["aid.value_total"]),
                cash=self.m(p["aid.value_cash"]),
                goods=self.m(p["aid.value_goods"]),
            )
        ]
        campaigns = [(n, v) for n, v in p["aid.by_campaign"].items() if v["records"]]
        if campaigns:
            name, values = max(campaigns, key=lambda item: item[1]["value"])
            units = (self.c.units or {}).get(name)
            what = (
                self.say("aid_given", units=quantities(units, self.lang))
                if units
                else self.say("aid_reached", people=values["person_times"])
            )
            text.append(
                self.say(
                    "aid_main",
                    name=self.c.campaign_names.get(name, name),
                    what=what,
                    value=self.m(values["value"]),
                )
            )
        text = [" ".join(text)]
        if len(campaigns) > 1:  # the table follows this line (kept with it on one page)
            text.append(self.say("aid_table"))
        return "\n".join(text)

    def addresses(self) -> str:
        p = self.p
        text = [
            self.say(
                "addresses",
                day=self.day,
                on_file=p["addresses.on_file"],
                change=self.change("addresses.on_file", "addresses"),
                with_sponsor=p["addresses.with_sponsor"],
                sponsors=p["sponsors.active"],
            ),
            self.say(
                "addresses_moves",
                in_period=self.in_period,
                new=p["addresses.new"],
                closed=p["addresses.closed"],
            ),
        ]
        off = int(p.get("addresses.helped_off_list", 0))
        text.append(
            self.say(
                "addresses_helped_off" if off else "addresses_helped",
                helped=p["addresses.helped"],
                off=off,
            )
        )
        if p["addresses.monthly"]:
            text.append(
                self.say(
                    "monthly",
                    monthly=p["addresses.monthly"],
                    amount=self.m(p["addresses.monthly_amount"]),
                )
            )
        else:
            text.append(self.say("monthly_none"))
        return " ".join(text)

    def blood(self) -> str:
        p = self.p
        if p["blood.drives"]:
            text = [
                self.say(
                    "blood",
                    in_period=self.in_period,
                    drives=p["blood.drives"],
                    units=p["blood.units"],
                    donors=p["blood.donors"],
                    change=self.change("blood.units", "units"),
                )
            ]
        elif p["blood.units"]:  # donations named outside the chapter's drives
            text = [
                self.say(
                    "blood_no_drive",
                    in_period=self.in_period,
                    donors=p["blood.donors"],
                    units=p["blood.units"],
                )
            ]
        else:
            text = [self.say("blood_none", in_period=self.in_period)]
        if p.get("blood.repeat_donors") or p.get("blood.first_time"):
            text.append(
                self.say(
                    "blood_repeat", repeat=p["blood.repeat_donors"], first=p["blood.first_time"]
                )
            )
        if p.get("blood.population_share"):
            text.append(
                self.say("blood_share", share=L.percent(p["blood.population_share"], self.lang))
            )
        goal = self.targets.get("blood.units")
        if goal:
            done = int(self.y["blood.units"])
            since = "since_start" if self.has_ytd or self.period.kind != "year" else "whole_year"
            if self.period.kind == "year" and self.truncated:
                since = "since_start"
            text.append(
                self.say(
                    "blood_target",
                    since=self.say(since),
                    done=done,
                    target=goal,
                    percent=L.percent(100 * done / goal, self.lang),
                    estimate=self.estimate("blood.units"),
                )
            )
        return " ".join(text)

    def health(self) -> str:
        p = self.p
        if p["health.person_times"] or p["health.value"]:
            text = [
                self.say(
                    "health",
                    in_period=self.in_period,
                    people=p["health.person_times"],
                    value=self.m(p["health.value"]),
                    change=self.change("health.person_times", "people"),
                )
            ]
        else:
            text = [self.say("health_none", in_period=self.in_period)]
        if p["firstaid.classes"]:
            text.append(
                self.say("firstaid", classes=p["firstaid.classes"], trainees=p["firstaid.trainees"])
            )
        else:
            text.append(self.say("firstaid_none"))
        if p.get("firstaid.cases"):
            text.append(self.say("firstaid_cases", cases=p["firstaid.cases"]))
        return " ".join(text)

    def emergency(self) -> str:
        p = self.p
        if p["aid.emergency_value"] or p["aid.emergency_households"]:
            text = [
                self.say(
                    "emergency",
                    in_period=self.in_period,
                    households=p["aid.emergency_households"],
                    value=self.m(p["aid.emergency_value"]),
                )
            ]
        else:
            text = [self.say("emergency_none", in_period=self.in_period)]
        if p.get("drills.sessions"):
            text.append(
                self.say(
                    "drills",
                    sessions=p["drills.sessions"],
                    participants=p.get("drills.participants", 0),
                )
            )
        return " ".join(text)

    def closing(self) -> str:
        what = self.say("what", period=L.period_name(self.period, self.lang))
        return self.say("closing", what=what, chapter=self.c.chapter)


def quantities(units: Mapping[str, int], lang: str) -> str:
    """ "236 suất, 1.200 kg" (units in the report's language where known)."""
    return ", ".join(
        f"{L.number(n, lang)} {L.translate_value(unit, lang)}" for unit, n in units.items()
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
