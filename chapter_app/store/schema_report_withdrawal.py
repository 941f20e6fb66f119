"""Withdrawing an issued report (issue 15): the report stays, marked with the reason.

A withdrawn report keeps its row, its PDF and its number (numbers are never reused); the
replacement is issued under the next free number.
"""

from __future__ import annotations

from chapter_app.store.database import Database
from chapter_app.store.schema import execute_all, migrations


@migrations(name="0007_reports_withdrawal")
def reports_withdrawal(db: Database) -> None:
    """When and why an issued report was withdrawn, and by whom (and an index for the
    physical units of aid the report now counts)."""
    execute_all(
        db,
        [
            "ALTER TABLE issued_reports ADD COLUMN withdrawn_on TEXT",
            "ALTER TABLE issued_reports ADD COLUMN withdrawal_reason TEXT",
            "ALTER TABLE issued_reports ADD COLUMN withdrawn_by TEXT",
            # Covering: the physical units given per campaign in a period (the report's
            # aid table) read only this index.
            "CREATE INDEX idx_aid_units ON aid_records(given_on, deleted_at, campaign_id, "
            "unit, quantity)",
        ],
    )
