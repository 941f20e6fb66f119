"""Issued reports: numbered from the year's sequence and kept byte for byte.

An issued report is an official document, so its row is written once and never changed:
no update, no delete, no undo. The issue itself is recorded in the audit log (without the
PDF). Numbers restart at 1 each year; a number is taken inside the same transaction that
stores the report, so two reports can never get the same number.
"""

from __future__ import annotations

import hashlib
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chapter_app.errors import AppError, NotFoundError
from chapter_app.store.codec import utc_now
from chapter_app.store.database import Database
from chapter_app.store.operations import Operations


class ReportNumberTakenError(AppError):
    """The document number asked for is already used by a report of that year."""


class ReportIntegrityError(AppError):
    """A stored PDF no longer matches the SHA-256 recorded when it was issued."""


@dataclass(frozen=True)
class ReportContent:
    """What the service hands over to be stored, once it knows the number."""

    issued_on: date
    period_code: str
    period_start: date
    period_end: date
    lang: str
    subject: str
    data_json: str
    narrative_json: str
    pdf: bytes


@dataclass(frozen=True)
class IssuedReportSummary:
    id: int
    uuid: str
    year: int
    number: int
    issued_on: date
    period_code: str
    period_start: date
    period_end: date
    lang: str
    subject: str
    pdf_sha256: str
    issued_by: str | None
    created_at: str
    withdrawn_on: date | None = field(default=None, kw_only=True)
    withdrawal_reason: str | None = field(default=None, kw_only=True)

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_on is not None


@dataclass(frozen=True)
class IssuedReport(IssuedReportSummary):
    data_json: str
    narrative_json: str
    pdf: bytes


SUMMARY_COLUMNS = [
    "id",
    "uuid",
    "year",
    "number",
    "issued_on",
    "period_code",
    "period_start",
    "period_end",
    "lang",
    "subject",
    "pdf_sha256",
    "issued_by",
    "created_at",
    "withdrawn_on",
    "withdrawal_reason",
]
DATE_COLUMNS = ("issued_on", "period_start", "period_end")


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    values = dict(row)
    for key in DATE_COLUMNS:
        values[key] = date.fromisoformat(values[key])
    if values.get("withdrawn_on"):
        values["withdrawn_on"] = date.fromisoformat(values["withdrawn_on"])
    if "pdf" in values:
        values["pdf"] = bytes(values["pdf"])
    return values


class ReportsRepository:
    """Issue, read and list issued reports."""

    def __init__(self, db: Database, ops: Operations):
        self.db = db
        self.ops = ops

    def next_number(self, year: int) -> int:
        """The number the next report issued in ``year`` would get."""
        row = self.db.execute(
            "SELECT MAX(number) FROM issued_reports WHERE year = ? AND deleted_at IS NULL", [year]
        ).fetchone()
        return int(row[0] or 0) + 1

    def number_taken(self, year: int, number: int) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM issued_reports WHERE year = ? AND number = ? AND deleted_at IS NULL",
            [year, number],
        ).fetchone()
        return row is not None

    def issue(
        self,
        *,
        year: int,
        number: int | None,
        build: Callable[[int], ReportContent],
        label: str = "Phát hành báo cáo",
    ) -> IssuedReport:
        """Take ``number`` (or the year's next one), build the content with it, store it.

        ``build(number)`` runs inside the transaction, so the number cannot be taken by
        someone else meanwhile; if it raises, nothing is stored.
        """
        with self.ops.run(label, undoable=False):
            if number is None:
                number = self.next_number(year)
            elif number < 1:
                raise AppError(f"Số văn bản phải từ 1 trở lên (đã nhập {number}).")
            elif self.number_taken(year, number):
                raise ReportNumberTakenError(
                    f"Số {number:02d} của năm {year} đã dùng cho một báo cáo khác."
                )
            content = build(number)
            if content.issued_on.year != year:
                raise ValueError("a report's number belongs to the year it is issued in")
            now = utc_now()
            sha = hashlib.sha256(content.pdf).hexdigest()
            cursor = self.db.execute(
                "INSERT INTO issued_reports (uuid, created_at, updated_at, year, number, "
                "issued_on, period_code, period_start, period_end, lang, subject, data_json, "
                "narrative_json, pdf, pdf_sha256, issued_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    str(uuidlib.uuid4()),
                    now,
                    now,
                    year,
                    number,
                    content.issued_on.isoformat(),
                    content.period_code,
                    content.period_start.isoformat(),
                    content.period_end.isoformat(),
                    content.lang,
                    content.subject,
                    content.data_json,
                    content.narrative_json,
                    content.pdf,
                    sha,
                    self.ops.user,
                ],
            )
            report_id = cursor.lastrowid
            self.ops.log_event(
                "report_issued",
                details={
                    "report_id": report_id,
                    "year": year,
                    "number": number,
                    "period": content.period_code,
                    "lang": content.lang,
                    "pdf_sha256": sha,
                },
            )
        return self.get(report_id)

    def withdraw(self, report_id: int, *, reason: str, on: date) -> IssuedReport:
        """Mark an issued report withdrawn (the only change an issued report ever takes).

        The row, its PDF and its number stay: the number is not given again, and the
        replacement is issued under the next free one.
        """
        reason = " ".join((reason or "").split())
        if not reason:
            raise AppError("Hãy ghi lý do thu hồi báo cáo.")
        with self.ops.run("Thu hồi báo cáo", undoable=False):
            report = self.get(report_id)
            if report.withdrawn_on is not None:
                raise AppError(
                    f"Báo cáo số {report.number:02d}/{report.year} đã thu hồi ngày "
                    f"{report.withdrawn_on:%d/%m/%Y}."
                )
            self.db.execute(
                "UPDATE issued_reports SET withdrawn_on = ?, withdrawal_reason = ?, "
                "withdrawn_by = ?, updated_at = ? WHERE id = ?",
                [on.isoformat(), reason, self.ops.user, utc_now(), report_id],
            )
            self.ops.log_event(
                "report_withdrawn",
                details={
                    "report_id": report_id,
                    "year": report.year,
                    "number": report.number,
                    "reason": reason,
                },
            )
        return self.get(report_id)

    def find(self, report_id: int) -> IssuedReport | None:
        cursor = self.db.execute(
            "SELECT * FROM issued_reports WHERE id = ? AND deleted_at IS NULL", [report_id]
        )
        row = cursor.fetchone()
        if row is None:
            return None
        names = [d[0] for d in cursor.description]
        values = _decode(dict(zip(names, row, strict=True)))
        fields = set(IssuedReport.__dataclass_fields__)
        return IssuedReport(**{k: v for k, v in values.items() if k in fields})

    def get(self, report_id: int) -> IssuedReport:
        report = self.find(report_id)
        if report is None:
            raise NotFoundError(f"Không tìm thấy báo cáo đã phát hành số {report_id}.")
        return report

    def by_number(self, year: int, number: int) -> IssuedReport | None:
        row = self.db.execute(
            "SELECT id FROM issued_reports WHERE year = ? AND number = ? AND deleted_at IS NULL",
            [year, number],
        ).fetchone()
        return None if row is None else self.get(row[0])

    def list(self, *, year: int | None = None) -> list[IssuedReportSummary]:
        """Issued reports, newest first (without their data or PDF)."""
        sql = f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM issued_reports WHERE deleted_at IS NULL"
        params: list[Any] = []
        if year is not None:
            sql += " AND year = ?"
            params.append(year)
        sql += " ORDER BY year DESC, number DESC"
        return [
            IssuedReportSummary(**_decode(dict(zip(SUMMARY_COLUMNS, row, strict=True))))
            for row in self.db.execute(sql, params)
        ]

    def for_period(self, start: date, end: date) -> list[IssuedReportSummary]:
        """Issued reports whose period overlaps ``start..end`` (records there changed)."""
        return [r for r in self.list() if r.period_start <= end and r.period_end >= start]
