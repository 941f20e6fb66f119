"""The report as plain data: ``build_report(store, period) -> ReportData``.

Everything the PDF prints is here, already in the report's language: the letterhead from
the settings, the number and date lines, the subject, the indicator table (period,
year-to-date, same period last year, change, % of the yearly target), aid by campaign
and by area, and the draft narrative. ``ReportData`` round-trips through JSON, which is
how issued reports are kept and reprinted.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from chapter_app.domain.periods import Period, parse_period
from chapter_app.domain.text import clean_multiline, clean_text
from chapter_app.services.indicators import (
    INDICATORS,
    MONEY_KEYS,
    cut_off,
    indicator_blocks,
    units_by_campaign,
)
from chapter_app.services.report import heading
from chapter_app.services.report import labels as L
from chapter_app.services.report import wording as W
from chapter_app.services.report.narrative import (
    Context,
    NarrativeSection,
    as_of_note,
    draft_narrative,
)
from chapter_app.store.store import Store

DATA_FORMAT = 1  # bump when ReportData's JSON form changes incompatibly


@dataclass(frozen=True)
class Letterhead:
    """The two-column header of an administrative document (Decree 30/2020)."""

    parent_name: str  # line 1 of the left column, printed upper case
    chapter_name: str  # line 2, upper case and bold, with a short rule under it
    national_name: str  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto: str  # "Độc lập - Tự do - Hạnh phúc", with a rule as long as the text
    number_line: str  # "Số: 05/BC-CTĐ"; "" for documents without a number
    date_line: str  # "Tịnh Kỳ, ngày 05 tháng 01 năm 2027", in italics


@dataclass(frozen=True)
class Signature:
    """The signature block: "TM. BAN THƯỜNG VỤ" / "CHỦ TỊCH", space to sign, the name."""

    form: str
    title: str
    name: str


@dataclass(frozen=True)
class IndicatorRow:
    key: str
    label: str
    unit: str
    money: bool
    period: int
    ytd: int
    last_year: int
    change: int  # period - last_year
    target: int | None  # the yearly target, if one is set
    percent_of_target: float | None  # year-to-date as % of the yearly target (1 decimal)


@dataclass(frozen=True)
class GroupRow:
    """Aid for one campaign or activity area (values in đồng)."""

    name: str
    records: int
    person_times: int
    value: int
    ytd_value: int
    last_year_value: int


@dataclass(frozen=True)
class ReportData:
    lang: str
    period_code: str
    period_kind: str
    period_start: date
    period_end: date
    period_name: str  # "quý IV năm 2026"
    parent_name: str
    chapter_name: str
    place_name: str
    document_code: str
    number: int | None
    issued_on: date
    number_line: str
    date_line: str
    national_name: str
    motto: str
    title: str
    subject: str
    signing_form: str
    signer_title: str
    signer_name: str
    recipients: tuple[str, ...]  # as printed, the archive line last
    indicators: tuple[IndicatorRow, ...]
    by_campaign: tuple[GroupRow, ...]
    by_area: tuple[GroupRow, ...]
    figures: dict[str, dict[str, Any]]  # indicator_blocks(): period / ytd / last_year
    targets: dict[str, int]
    narrative: tuple[NarrativeSection, ...]
    include_chart: bool = True
    format: int = field(default=DATA_FORMAT)
    as_of: date | None = None  # the last day the figures cover (None: the period's end)
    estimate: bool = False  # the officer estimates the whole year ("ước thực hiện cả năm")
    ratings_year: int | None = None
    ratings: dict[str, int] = field(default_factory=dict)
    units_by_campaign: dict[str, dict[str, int]] = field(default_factory=dict)

    # --- views ---------------------------------------------------------------------------

    @property
    def period(self) -> Period:
        return parse_period(self.period_code)

    def letterhead(self) -> Letterhead:
        return Letterhead(
            parent_name=self.parent_name,
            chapter_name=self.chapter_name,
            national_name=self.national_name,
            motto=self.motto,
            number_line=self.number_line,
            date_line=self.date_line,
        )

    def signature(self) -> Signature:
        return Signature(form=self.signing_form, title=self.signer_title, name=self.signer_name)

    def indicator(self, key: str) -> IndicatorRow:
        return next(row for row in self.indicators if row.key == key)

    def section(self, key: str) -> NarrativeSection:
        return next(s for s in self.narrative if s.key == key)

    # --- changes ---------------------------------------------------------------------------

    def with_narrative(self, texts: Mapping[str, str]) -> ReportData:
        """The same report with some sections' text replaced (cleaned, NFC)."""
        known = {s.key for s in self.narrative}
        unknown = sorted(set(texts) - known)
        if unknown:
            raise ValueError(f"unknown narrative sections: {unknown}")
        sections = tuple(
            replace(s, text=clean_multiline(texts[s.key])) if s.key in texts else s
            for s in self.narrative
        )
        return replace(self, narrative=sections)

    def with_number(self, number: int | None) -> ReportData:
        """The same report carrying document number ``number`` (None: a draft)."""
        return replace(
            self,
            number=number,
            number_line=L.document_number(number, self.document_code, self.lang),
        )

    def narrative_texts(self) -> dict[str, str]:
        return {s.key: s.text for s in self.narrative}

    def empty_sections(self) -> list[NarrativeSection]:
        """The officer's sections still empty (the report is then a draft)."""
        return [
            s
            for s in self.narrative
            if s.key in L.OFFICER_SECTIONS and (not s.text.strip() or s.text == s.outline)
        ]

    @property
    def is_draft(self) -> bool:
        """Marked "DỰ THẢO" on every page: no number yet, or a section left empty."""
        return self.number is None or bool(self.empty_sections())

    @property
    def cut(self) -> date:
        return self.as_of or self.period_end

    # --- JSON ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        values = asdict(self)
        for key in ("period_start", "period_end", "issued_on", "as_of"):
            if values[key] is not None:
                values[key] = values[key].isoformat()
        return values

    def to_json(self) -> str:
        """Canonical JSON (sorted keys, UTF-8 text): the same data gives the same text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=1)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> ReportData:
        values = dict(values)
        if values.get("format", DATA_FORMAT) > DATA_FORMAT:
            raise ValueError("the report was saved by a newer version of the program")
        for key in ("period_start", "period_end", "issued_on"):
            values[key] = date.fromisoformat(values[key])
        if values.get("as_of"):
            values["as_of"] = date.fromisoformat(values["as_of"])
        values["recipients"] = tuple(values["recipients"])
        values["indicators"] = tuple(IndicatorRow(**row) for row in values["indicators"])
        values["by_campaign"] = tuple(GroupRow(**row) for row in values["by_campaign"])
        values["by_area"] = tuple(GroupRow(**row) for row in values["by_area"])
        values["narrative"] = tuple(NarrativeSection(**s) for s in values["narrative"])
        return cls(**values)

    @classmethod
    def from_json(cls, text: str) -> ReportData:
        return cls.from_dict(json.loads(text))


# --- building ---------------------------------------------------------------------------------


def build_report(
    store: Store,
    period: Period,
    *,
    lang: str = "vi",
    number: int | None = None,
    issued_on: date | None = None,
    include_chart: bool = True,
    estimate: bool = False,
    signer: str | None = None,
    deputy: bool = False,
) -> ReportData:
    """Gather the report for ``period`` from the register (the draft narrative included).

    Figures stop at ``issued_on`` when it falls before the period's end (never beyond the
    report's own date). The signer comes from the officers list (issue 13), else the
    settings; ``signer`` names someone else (a vice-chair of the list signs "KT. CHỦ TỊCH /
    PHÓ CHỦ TỊCH", as does anyone with ``deputy``).
    """
    from chapter_app.services.officers import officers
    from chapter_app.services.officers import signer as officer_signer
    from chapter_app.services.reference_lists import labels as list_labels

    issued_on = issued_on or date.today()
    cut = cut_off(period, issued_on)
    ratings_year, ratings = store.figures.branch_ratings(period.year)
    settings = store.settings.all()
    if signer:
        deputy = deputy or heading.officers_deputy(officers(store, issued_on), signer)
    else:
        signs = officer_signer(store, issued_on)
        settings = settings | {
            "signing_form": signs.form,
            "signer_title": signs.title,
            "signer_name": signs.name,
        }
    names = list_labels(store, "campaigns", lang) | list_labels(store, "areas", lang)
    return compose_report(
        settings=settings,
        period=period,
        blocks=indicator_blocks(store, period, as_of=cut),
        targets=store.targets.for_year(period.year),
        lang=lang,
        number=number,
        issued_on=issued_on,
        include_chart=include_chart,
        as_of=cut if cut < period.end else None,
        estimate=estimate,
        ratings=(ratings_year, ratings),
        signer=signer,
        deputy=deputy,
        list_names=names,
        units=units_by_campaign(store, period, as_of=cut),
    )


def compose_report(
    *,
    settings: Mapping[str, Any],
    period: Period,
    blocks: Mapping[str, Mapping[str, Any]],
    targets: Mapping[str, int],
    lang: str,
    number: int | None,
    issued_on: date,
    include_chart: bool = True,
    as_of: date | None = None,
    estimate: bool = False,
    ratings: tuple[int | None, Mapping[str, int]] = (None, {}),
    signer: str | None = None,
    deputy: bool = False,
    list_names: Mapping[str, str] | None = None,
    units: Mapping[str, Mapping[str, int]] | None = None,
) -> ReportData:
    """``ReportData`` from the settings and already computed indicator blocks (no database).

    ``list_names`` gives campaigns and activity areas their name in ``lang`` (the English
    names of the reference lists); names not in it go through the report's own labels."""
    L.check_language(lang)
    text = L.TEXT[lang]

    def setting(key: str) -> str:
        return clean_text(str(settings.get(key) or ""))

    chapter = setting("chapter_name")
    parent = setting("parent_name")
    place = setting("place_name")
    code = setting("document_code")
    archive = setting("archive_line")
    printed_recipients = tuple(
        L.translate_value(r, lang)
        for r in [*heading.recipients(settings, lang), *([archive] if archive else [])]
    )
    name = L.period_name(period, lang)
    figures = plain_blocks(blocks)

    def shown(name: str) -> str:
        return (list_names or {}).get(name) or L.translate_value(name, lang)

    campaign_names = {
        n: shown(n) for block in figures.values() for n in block.get("aid.by_campaign", {})
    }
    context = Context(
        lang=lang,
        period=period,
        cut=as_of or period.end,
        estimate=estimate,
        chapter=chapter,
        parent=parent,
        campaign_names=campaign_names,
        ratings_year=ratings[0],
        ratings=dict(ratings[1]),
        units=dict(units or {}),
    )
    narrative = draft_narrative(context, figures, targets)
    form, title, signer_name = heading.signature(settings, signer=signer, deputy=deputy)
    subject = W.SUBJECTS[lang][W.subject_kind(period.kind, period.start.month == 1)].format(
        period=name, next_period=L.next_period_name(period, lang)
    )
    return ReportData(
        lang=lang,
        period_code=period.code,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        period_name=name,
        parent_name=parent,
        chapter_name=chapter,
        place_name=place,
        document_code=code,
        number=number,
        issued_on=issued_on,
        number_line=L.document_number(number, code, lang),
        date_line=L.date_line(place, issued_on, lang),
        national_name=text["national_name"],
        motto=text["motto"],
        title=text["title"],
        subject=subject + as_of_note(context),
        signing_form=L.translate_value(form, lang),
        signer_title=L.translate_value(title, lang),
        signer_name=signer_name,
        recipients=printed_recipients,
        indicators=_indicator_rows(figures, targets, lang),
        by_campaign=_group_rows(figures, "aid.by_campaign", shown),
        by_area=_group_rows(figures, "aid.by_area", shown),
        figures=figures,
        targets={k: int(v) for k, v in sorted(targets.items())},
        narrative=narrative,
        include_chart=include_chart,
        as_of=as_of,
        estimate=estimate,
        ratings_year=ratings[0],
        ratings=dict(ratings[1]),
        units_by_campaign={shown(n): dict(u) for n, u in (units or {}).items()},
    )


def plain_blocks(blocks: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The blocks as JSON-ready dicts (text keys NFC), so stored and rebuilt data compare equal."""
    return json.loads(
        unicodedata.normalize("NFC", json.dumps({k: dict(v) for k, v in blocks.items()}))
    )


def _indicator_rows(figures, targets: Mapping[str, int], lang: str) -> tuple[IndicatorRow, ...]:
    rows = []
    for key, _label, _unit in INDICATORS:
        label, unit = L.indicator_label(key, lang)
        period, ytd, last = (int(figures[b][key]) for b in ("period", "ytd", "last_year"))
        target = targets.get(key)
        percent = round(100 * ytd / target, 1) if target else None
        rows.append(
            IndicatorRow(
                key=key,
                label=label,
                unit=unit,
                money=key in MONEY_KEYS,
                period=period,
                ytd=ytd,
                last_year=last,
                change=period - last,
                target=int(target) if target is not None else None,
                percent_of_target=percent,
            )
        )
    return tuple(rows)


def _group_rows(figures, key: str, shown) -> tuple[GroupRow, ...]:
    """One row per name found in any block, in the period's order, then the others."""
    names: list[str] = []
    for block in ("period", "ytd", "last_year"):
        names += [n for n in figures[block][key] if n not in names]
    empty = {"records": 0, "person_times": 0, "value": 0}
    rows = []
    for name in names:
        p = figures["period"][key].get(name, empty)
        rows.append(
            GroupRow(
                name=shown(name),
                records=p["records"],
                person_times=p["person_times"],
                value=p["value"],
                ytd_value=figures["ytd"][key].get(name, empty)["value"],
                last_year_value=figures["last_year"][key].get(name, empty)["value"],
            )
        )
    return tuple(rows)
