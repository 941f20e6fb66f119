"""Tables for issued reports (issue 4).

Migrations here register on the shared set: ``@migrations(name="00NN_reports_...")``.
"""

from __future__ import annotations

from chapter_app.store.database import Database
from chapter_app.store.schema import COMMON, execute_all, migrations


@migrations(name="0002_reports_issued")
def issued_reports(db: Database) -> None:
    """Issued reports: the number of the year's sequence, the data, the narrative, the PDF.

    An issued report is an official document: rows are never changed or deleted, and the
    PDF is kept byte for byte with its SHA-256.
    """
    execute_all(
        db,
        [
            f"""CREATE TABLE issued_reports ({COMMON},
                year INTEGER NOT NULL,
                number INTEGER NOT NULL CHECK (number >= 1),
                issued_on TEXT NOT NULL,
                period_code TEXT NOT NULL,
                period_start TEXT NOT NULL,
                period_end TEXT NOT NULL,
                lang TEXT NOT NULL DEFAULT 'vi' CHECK (lang IN ('vi', 'en')),
                subject TEXT NOT NULL,
                data_json TEXT NOT NULL,
                narrative_json TEXT NOT NULL,
                pdf BLOB NOT NULL,
                pdf_sha256 TEXT NOT NULL CHECK (length(pdf_sha256) = 64),
                issued_by TEXT
            )""",
            "CREATE UNIQUE INDEX idx_issued_reports_number ON issued_reports(year, number) "
            "WHERE deleted_at IS NULL",
            "CREATE INDEX idx_issued_reports_period ON issued_reports(period_start, period_end)",
        ],
    )
