"""Issuing a report: number it, render it, keep it; reopen, reprint and compare it later.

``issue_report`` takes the next number of the year's sequence (numbers restart each year),
stores the report's data, its narrative, the PDF and the PDF's SHA-256 in one transaction.
``reprint`` gives back exactly the bytes that were issued. ``differences_since_issue``
recomputes the figures of the issued period and lists those that changed since.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from chapter_app.errors import AppError
from chapter_app.services.indicators import indicator_blocks
from chapter_app.services.pdf.report import render_pdf
from chapter_app.services.report.data import ReportData, plain_blocks
from chapter_app.store.reports import (
    IssuedReport,
    IssuedReportSummary,
    ReportContent,
    ReportIntegrityError,
)
from chapter_app.store.store import Store


class ReportIncompleteError(AppError):
    """A section the officer must write is still empty (the report is only a draft)."""


__all__ = [
    "IssuedReport",
    "IssuedReportSummary",
    "ReportIncompleteError",
    "differences_since_issue",
    "issue_report",
    "issued_data",
    "next_report_number",
    "reprint",
    "rerender",
    "withdraw_report",
]


def next_report_number(store: Store, year: int) -> int:
    """The number the next report issued in ``year`` would get (for the preview)."""
    return store.reports.next_number(year)


def issue_report(
    store: Store,
    data: ReportData,
    *,
    narrative: Mapping[str, str] | None = None,
    number: int | None = None,
) -> IssuedReport:
    """Issue ``data`` with the officer's ``narrative`` (section key -> text; others unchanged).

    The number is ``number`` if given, else ``data.number`` if the data carries one, else the
    next of the sequence of the year the report is dated in. Raises
    ``ReportIncompleteError`` if one of the officer's sections is empty,
    ``ReportNumberTakenError`` if that number is already used, ``MissingGlyphError`` if the
    text holds a character the font cannot print (nothing is stored then).
    """
    final = data.with_narrative(narrative or {})
    empty = final.empty_sections()
    if empty:
        raise ReportIncompleteError(
            "Chưa ban hành được: còn mục để trống ("
            + "; ".join(s.heading for s in empty)
            + "). Hãy viết nội dung các mục này rồi ban hành lại."
        )
    wanted = number if number is not None else data.number

    def build(taken: int) -> ReportContent:
        issued = final.with_number(taken)
        return ReportContent(
            issued_on=issued.issued_on,
            period_code=issued.period_code,
            period_start=issued.period_start,
            period_end=issued.period_end,
            lang=issued.lang,
            subject=issued.subject,
            data_json=issued.to_json(),
            narrative_json=json.dumps(issued.narrative_texts(), ensure_ascii=False),
            pdf=render_pdf(issued),
        )

    return store.reports.issue(year=final.issued_on.year, number=wanted, build=build)


def withdraw_report(
    store: Store, report_id: int, *, reason: str, on: date | None = None
) -> IssuedReport:
    """Withdraw an issued report with ``reason`` (kept with its number, which is not reused;
    issue the replacement as a new report)."""
    return store.reports.withdraw(report_id, reason=reason, on=on or date.today())


def issued_data(store: Store, report_id: int) -> ReportData:
    """The data of an issued report, as it was issued (to reopen it on the report page)."""
    return ReportData.from_json(store.reports.get(report_id).data_json)


def rerender(store: Store, report_id: int) -> bytes:
    """Render the issued report again from its stored data (equal bytes while the renderer
    and the fonts are unchanged)."""
    return render_pdf(issued_data(store, report_id))


def reprint(store: Store, report_id: int) -> bytes:
    """The issued PDF, byte-identical to the one issued.

    The report is rendered again from its stored data; should that differ (a newer version
    of the program draws differently), the stored original is returned instead. Raises
    ``ReportIntegrityError`` if the stored PDF no longer matches its recorded SHA-256.
    """
    report = store.reports.get(report_id)
    if hashlib.sha256(report.pdf).hexdigest() != report.pdf_sha256:
        raise ReportIntegrityError(
            f"Tệp PDF của báo cáo số {report.number:02d}/{report.year} đã bị thay đổi "
            "so với khi phát hành; hãy khôi phục từ bản sao lưu."
        )
    again = render_pdf(ReportData.from_json(report.data_json))
    if hashlib.sha256(again).hexdigest() == report.pdf_sha256:
        return again
    return report.pdf


def differences_since_issue(store: Store, report_id: int) -> list[tuple[str, Any, Any]]:
    """Figures of the issued report that differ now: ``(key, issued_value, current_value)``.

    Keys are ``<block>.<indicator>`` (``period.members.new``, ``ytd.aid.value_total``,
    ``last_year.blood.units``), ``<block>.aid.by_campaign.<name>.<field>`` for the groups,
    and ``target.<indicator>`` for the yearly targets. A value missing on one side is None.
    ``labels.describe_key`` turns a key into a readable label.
    """
    data = issued_data(store, report_id)
    period = data.period
    issued = _flatten(data.figures) | {f"target.{k}": v for k, v in data.targets.items()}
    now_blocks = plain_blocks(indicator_blocks(store, period, as_of=data.as_of))
    targets = store.targets.for_year(period.year)
    current = _flatten(now_blocks) | {f"target.{k}": v for k, v in sorted(targets.items())}

    # In the order the figures are computed (the report's order), then keys gone since.
    # Indicators this program counts but the issued report did not know are not changes.
    def known(key: str) -> bool:
        block, _, rest = key.partition(".")
        if block == "target":
            return True
        indicator = ".".join(rest.split(".")[:2])
        return indicator in data.figures.get(block, {})

    keys = [k for k in current if known(k)] + [k for k in issued if k not in current]
    return [
        (key, issued.get(key), current.get(key))
        for key in keys
        if issued.get(key) != current.get(key)
    ]


def _flatten(blocks: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for block in ("period", "ytd", "last_year"):
        for key, value in blocks.get(block, {}).items():
            if isinstance(value, Mapping):
                for name, fields in value.items():
                    for field, number in fields.items():
                        flat[f"{block}.{key}.{name}.{field}"] = number
            else:
                flat[f"{block}.{key}"] = value
    return flat
