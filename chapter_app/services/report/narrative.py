"""The draft narrative: the period's figures woven into sentences, one section per area of work.

The officer edits every section before issuing; the assessment, the next period's tasks and
the proposals start empty. Sentences come from ``labels.SENTENCES``; figures are formatted
for the report's language (``1.234``, ``12.500.000 đ``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chapter_app.domain.periods import Period
from chapter_app.services.report import labels as L


@dataclass(frozen=True)
class NarrativeSection:
    """One section of the report's body: ``text`` holds paragraphs separated by ``\\n``."""

    key: str
    level: int  # 0 = paragraph without heading, 1 = "I. ...", 2 = "1. ..."
    heading: str
    text: str


def draft_narrative(
    *,
    lang: str,
    period: Period,
    blocks: Mapping[str, Mapping[str, Any]],
    targets: Mapping[str, int],
    chapter_name: str,
    parent_name: str,
    campaign_names: Mapping[str, str] | None = None,
) -> tuple[NarrativeSection, ...]:
    """The sections of ``labels.SECTIONS`` with draft text (empty for the officer's sections)."""
    w = _Writer(lang, period, blocks, targets, chapter_name, parent_name, campaign_names or {})
    texts = {
        "intro": w.intro(),
        "results": "",
        "organisation": w.organisation(),
        "members": w.members(),
        "volunteers": w.volunteers(),
        "addresses": w.addresses(),
        "aid": w.aid(),
        "health": w.health(),
        "blood": w.blood(),
        "emergency": w.emergency(),
        "assessment": "",
        "tasks": "",
        "proposals": "",
        "closing": w.closing(),
    }
    headings = L.HEADINGS[lang]
    next_period = L.next_period_name(period, lang).upper()
    return tuple(
        NarrativeSection(
            key=key,
            level=level,
            heading=headings[key].format(next_period=next_period),
            text=texts[key],
        )
        for key, level in L.SECTIONS
    )


class _Writer:
    """Fills the sentence templates; counts are passed as ints (formatted by the template)."""

    def __init__(self, lang, period, blocks, targets, chapter, parent, campaign_names):
        self.lang = lang
        self.period = period
        self.p = blocks["period"]
        self.y = blocks["ytd"]
        self.last = blocks["last_year"]
        self.targets = targets
        self.chapter = chapter
        self.parent = parent
        self.campaign_names = campaign_names
        self.in_period = L.in_period(period, lang)
        self.end = L.day(period.end, lang)
        # Year-to-date sentences only when the year-to-date differs from the period.
        self.has_ytd = period.start != period.year_to_date().start

    def say(self, key: str, **values) -> str:
        return L.sentence(self.lang, key, **values)

    def m(self, value: int) -> str:
        return L.money(value, self.lang)

    def target(self, key: str) -> str:
        goal = self.targets.get(key)
        if not goal:
            return ""
        return self.say("of_target", percent=L.percent(100 * self.y[key] / goal, self.lang))

    def intro(self) -> str:
        return self.say(
            "intro_parent" if self.parent else "intro",
            year=str(self.period.year),
            parent=self.parent,
            chapter=self.chapter,
            period=L.period_name(self.period, self.lang),
        )

    def organisation(self) -> str:
        return self.say("organisation", end=self.end, branches=self.p["branches.count"])

    def members(self) -> str:
        p = self.p
        sentences = [
            self.say(
                "members",
                in_period=self.in_period,
                new=p["members.new"],
                total=p["members.total_end"],
                branches=p["branches.count"],
                end=self.end,
            )
        ]
        if p["members.left"]:
            sentences.append(self.say("members_left", left=p["members.left"]))
        change = p["members.total_end"] - self.last["members.total_end"]
        if change > 0:
            moved = self.say("up", value=change)
        elif change < 0:
            moved = self.say("down", value=-change)
        else:
            moved = self.say("same")
        sentences.append(self.say("members_change", change=moved))
        sentences.append(self.say("dues", dues=self.m(p["members.dues_collected"])))
        if self.has_ytd:
            sentences.append(
                self.say(
                    "members_ytd",
                    new=self.y["members.new"],
                    target=self.target("members.new"),
                    dues=self.m(self.y["members.dues_collected"]),
                )
            )
        return " ".join(sentences)

    def volunteers(self) -> str:
        p = self.p
        return self.say(
            "volunteers",
            end=self.end,
            total=p["volunteers.total_end"],
            core=p["volunteers.core_end"],
            in_period_lower=_lower_first(self.in_period),
            new=p["volunteers.new"],
            youth=p["youth.total_end"],
        )

    def addresses(self) -> str:
        p = self.p
        return self.say(
            "addresses",
            end=self.end,
            on_file=p["addresses.on_file"],
            with_sponsor=p["addresses.with_sponsor"],
            sponsors=p["sponsors.active"],
            in_period=self.in_period,
            new=p["addresses.new"],
            helped=p["addresses.helped"],
        )

    def aid(self) -> str:
        p = self.p
        if not p["aid.records"]:
            paragraphs = [self.say("aid_none", in_period=self.in_period)]
        else:
            paragraphs = [
                self.say(
                    "aid",
                    in_period=self.in_period,
                    records=p["aid.records"],
                    person_times=p["aid.person_times"],
                    households=p["aid.households"],
                    total=self.m(p["aid.value_total"]),
                    cash=self.m(p["aid.value_cash"]),
                    goods=self.m(p["aid.value_goods"]),
                    own=self.m(p["aid.value_own"]),
                )
            ]
            campaigns = [(name, v) for name, v in p["aid.by_campaign"].items() if v["records"]]
            if campaigns:
                paragraphs.append(self.say("aid_campaigns"))
                for i, (name, values) in enumerate(campaigns):
                    line = self.say(
                        "aid_campaign",
                        name=self.campaign_names.get(name, name),
                        records=values["records"],
                        person_times=values["person_times"],
                        value=self.m(values["value"]),
                    )
                    paragraphs.append(line + ("." if i == len(campaigns) - 1 else ";"))
        if self.has_ytd:
            paragraphs.append(
                self.say(
                    "aid_ytd",
                    total=self.m(self.y["aid.value_total"]),
                    target=self.target("aid.value_total"),
                )
            )
        return "\n".join(paragraphs)

    def health(self) -> str:
        p = self.p
        if p["health.person_times"] or p["health.value"]:
            sentences = [
                self.say(
                    "health",
                    in_period=self.in_period,
                    person_times=p["health.person_times"],
                    value=self.m(p["health.value"]),
                )
            ]
        else:
            sentences = [self.say("health_none", in_period=self.in_period)]
        if p["firstaid.classes"]:
            sentences.append(
                self.say("firstaid", classes=p["firstaid.classes"], trainees=p["firstaid.trainees"])
            )
        else:
            sentences.append(self.say("firstaid_none"))
        if p.get("firstaid.cases"):
            sentences.append(self.say("firstaid_cases", cases=p["firstaid.cases"]))
        return " ".join(sentences)

    def blood(self) -> str:
        p = self.p
        if p["blood.drives"]:
            sentences = [
                self.say(
                    "blood",
                    in_period=self.in_period,
                    drives=p["blood.drives"],
                    donors=p["blood.donors"],
                    units=p["blood.units"],
                )
            ]
        elif p["blood.units"]:  # donations named outside the chapter's drives
            sentences = [
                self.say(
                    "blood_no_drive",
                    in_period=self.in_period,
                    donors=p["blood.donors"],
                    units=p["blood.units"],
                )
            ]
        else:
            sentences = [self.say("blood_none", in_period=self.in_period)]
        if p.get("blood.repeat_donors") or p.get("blood.first_time"):
            sentences.append(
                self.say(
                    "blood_repeat", repeat=p["blood.repeat_donors"], first=p["blood.first_time"]
                )
            )
        if p.get("blood.population_share"):
            sentences.append(
                self.say("blood_share", share=L.percent(p["blood.population_share"], self.lang))
            )
        if self.has_ytd:
            sentences.append(
                self.say(
                    "blood_ytd", units=self.y["blood.units"], target=self.target("blood.units")
                )
            )
        return " ".join(sentences)

    def emergency(self) -> str:
        p = self.p
        if p["aid.emergency_value"] or p["aid.emergency_households"]:
            sentences = [
                self.say(
                    "emergency",
                    in_period=self.in_period,
                    households=p["aid.emergency_households"],
                    value=self.m(p["aid.emergency_value"]),
                )
            ]
        else:
            sentences = [self.say("emergency_none", in_period=self.in_period)]
        if p.get("drills.sessions"):
            sentences.append(
                self.say(
                    "drills",
                    sessions=p["drills.sessions"],
                    participants=p.get("drills.participants", 0),
                )
            )
        return " ".join(sentences)

    def closing(self) -> str:
        return self.say(
            "closing", period=L.period_name(self.period, self.lang), chapter=self.chapter
        )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
