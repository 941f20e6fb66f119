"""Aggregate queries behind the report's indicators (SQL only; no Python loops over rows).

Every method takes ISO dates (inclusive) and ignores tombstones, including roles
of people who were deleted. "Active at a day" means: started on or before it and
not ended on or before it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chapter_app.store.database import Database

ACTIVE_MEMBER = "('admitted', 'moved_in', 'readmitted')"
LIVE_PERSON = "JOIN people p ON p.id = t.person_id AND p.deleted_at IS NULL"


def _iso(day: date | str) -> str:
    return day if isinstance(day, str) else day.isoformat()


class Figures:
    """Counts and sums for one database."""

    def __init__(self, db: Database):
        self.db = db

    def _one(self, sql: str, params: list[Any]) -> int:
        value = self.db.execute(sql, params).fetchone()[0]
        return int(value or 0)

    # --- organisation and members ------------------------------------------------------

    def branches_active(self, end: date) -> int:
        e = _iso(end)
        return self._one(
            "SELECT COUNT(*) FROM branches WHERE deleted_at IS NULL "
            "AND (founded_on IS NULL OR founded_on <= ?) "
            "AND (dissolved_on IS NULL OR dissolved_on > ?)",
            [e, e],
        )

    def members_active(self, end: date) -> int:
        """Members whose latest status event on or before ``end`` is an active one."""
        # SQLite returns the bare column `status` from the row holding the MAX(); events
        # on the same day are ordered by id. Deleted members (or people) are excluded
        # through a small set rather than a join per event.
        return self._one(
            f"""SELECT COUNT(*) FROM (
                SELECT h.status AS status, MAX(h.on_date || '#' || printf('%012d', h.id))
                FROM member_status h
                WHERE h.deleted_at IS NULL AND h.on_date <= ?
                AND h.member_id NOT IN ({self._DEAD_MEMBERS})
                GROUP BY h.member_id
            ) WHERE status IN {ACTIVE_MEMBER}""",
            [_iso(end)],
        )

    # Members that no longer count: deleted, or their person deleted (both via partial indexes).
    _DEAD_MEMBERS = """SELECT id FROM members WHERE deleted_at IS NOT NULL
        UNION SELECT id FROM members WHERE person_id IN (
            SELECT id FROM people WHERE deleted_at IS NOT NULL)"""

    def branch_ratings(self, up_to_year: int) -> tuple[int | None, dict[str, int]]:
        """(year, {rating: branches}) of the latest year up to ``up_to_year`` with ratings
        of live branches; (None, {}) when no branch was ever rated."""
        row = self.db.execute(
            """SELECT MAX(r.year) FROM branch_ratings r
               JOIN branches b ON b.id = r.branch_id AND b.deleted_at IS NULL
               WHERE r.deleted_at IS NULL AND r.year <= ?""",
            [up_to_year],
        ).fetchone()
        if row[0] is None:
            return None, {}
        cursor = self.db.execute(
            """SELECT r.rating, COUNT(DISTINCT r.branch_id) FROM branch_ratings r
               JOIN branches b ON b.id = r.branch_id AND b.deleted_at IS NULL
               WHERE r.deleted_at IS NULL AND r.year = ? GROUP BY r.rating""",
            [row[0]],
        )
        return int(row[0]), {rating: int(n) for rating, n in cursor}

    def member_events(self, start: date, end: date, statuses: tuple[str, ...]) -> int:
        marks = ", ".join("?" * len(statuses))
        return self._one(
            f"""SELECT COUNT(*) FROM member_status h
                WHERE h.deleted_at IS NULL AND h.on_date BETWEEN ? AND ?
                AND h.status IN ({marks}) AND h.member_id NOT IN ({self._DEAD_MEMBERS})""",
            [_iso(start), _iso(end), *statuses],
        )

    def dues_collected(self, start: date, end: date) -> int:
        return self._one(
            f"""SELECT SUM(d.amount) FROM dues_payments d
               WHERE d.deleted_at IS NULL AND d.exempt = 0 AND d.paid_on BETWEEN ? AND ?
               AND d.member_id NOT IN ({self._DEAD_MEMBERS})""",
            [_iso(start), _iso(end)],
        )

    # --- volunteers and youth ----------------------------------------------------------

    def role_active(self, table: str, end: date, *, core_only: bool = False) -> int:
        e = _iso(end)
        core = " AND t.is_core = 1" if core_only else ""
        return self._one(
            f"""SELECT COUNT(*) FROM [{table}] t {LIVE_PERSON}
                WHERE t.deleted_at IS NULL AND t.registered_on <= ?
                AND (t.left_on IS NULL OR t.left_on > ?){core}""",
            [e, e],
        )

    def role_new(self, table: str, start: date, end: date) -> int:
        return self._one(
            f"""SELECT COUNT(*) FROM [{table}] t {LIVE_PERSON}
                WHERE t.deleted_at IS NULL AND t.registered_on BETWEEN ? AND ?""",
            [_iso(start), _iso(end)],
        )

    # --- humanitarian addresses and sponsors ---------------------------------------------

    _FOLLOWED = """SELECT a.id FROM addresses a JOIN (
            SELECT h.address_id AS address_id, h.status AS status,
                   MAX(h.on_date || '#' || printf('%012d', h.id))
            FROM address_status h
            WHERE h.deleted_at IS NULL AND h.on_date <= ?
            GROUP BY h.address_id
        ) s ON s.address_id = a.id
        WHERE a.deleted_at IS NULL AND a.opened_on <= ? AND s.status = 'following'"""

    def addresses_on_file(self, end: date) -> int:
        e = _iso(end)
        return self._one(f"SELECT COUNT(*) FROM ({self._FOLLOWED})", [e, e])

    def addresses_with_sponsor(self, end: date) -> int:
        e = _iso(end)
        return self._one(
            f"""SELECT COUNT(*) FROM ({self._FOLLOWED}) f WHERE EXISTS (
                SELECT 1 FROM commitments c JOIN sponsors s ON s.id = c.sponsor_id
                WHERE c.address_id = f.id AND c.deleted_at IS NULL AND s.deleted_at IS NULL
                AND c.start_on <= ? AND (c.end_on IS NULL OR c.end_on >= ?))""",
            [e, e, e, e],
        )

    def addresses_opened(self, start: date, end: date) -> int:
        return self._one(
            "SELECT COUNT(*) FROM addresses WHERE deleted_at IS NULL AND opened_on BETWEEN ? AND ?",
            [_iso(start), _iso(end)],
        )

    def addresses_closed(self, start: date, end: date) -> int:
        """Addresses taken off the list in the period (out of hardship or stopped)."""
        return self._one(
            """SELECT COUNT(DISTINCT h.address_id) FROM address_status h
               JOIN addresses a ON a.id = h.address_id AND a.deleted_at IS NULL
               WHERE h.deleted_at IS NULL AND h.on_date BETWEEN ? AND ?
               AND h.status IN ('out_of_hardship', 'stopped')""",
            [_iso(start), _iso(end)],
        )

    def addresses_helped_off_list(self, start: date, end: date) -> int:
        """Addresses helped in the period that are not being followed at ``end``."""
        s, e = _iso(start), _iso(end)
        return self._one(
            f"""SELECT COUNT(DISTINCT r.address_id) FROM aid_records r
                JOIN addresses a ON a.id = r.address_id AND a.deleted_at IS NULL
                WHERE r.deleted_at IS NULL AND r.given_on BETWEEN ? AND ?
                AND r.address_id NOT IN ({self._FOLLOWED})""",
            [s, e, e, e],
        )

    def monthly_support(self, end: date) -> tuple[int, int]:
        """(addresses, đồng a month) of the monthly cash commitments active at ``end``
        on addresses still followed (frequency "hằng tháng" or "tháng")."""
        e = _iso(end)
        row = self.db.execute(
            f"""SELECT COUNT(DISTINCT c.address_id), SUM(c.amount) FROM commitments c
                JOIN sponsors s ON s.id = c.sponsor_id AND s.deleted_at IS NULL
                WHERE c.deleted_at IS NULL AND c.start_on <= ?
                AND (c.end_on IS NULL OR c.end_on >= ?)
                AND lower(COALESCE(c.frequency, '')) LIKE '%tháng%'
                AND c.address_id IN ({self._FOLLOWED})""",
            [e, e, e, e],
        ).fetchone()
        return int(row[0] or 0), int(row[1] or 0)

    def sponsors_active(self, end: date) -> int:
        e = _iso(end)
        return self._one(
            """SELECT COUNT(DISTINCT c.sponsor_id) FROM commitments c
               JOIN sponsors s ON s.id = c.sponsor_id AND s.deleted_at IS NULL
               JOIN addresses a ON a.id = c.address_id AND a.deleted_at IS NULL
               WHERE c.deleted_at IS NULL AND c.start_on <= ?
               AND (c.end_on IS NULL OR c.end_on >= ?)""",
            [e, e],
        )

    # --- aid ---------------------------------------------------------------------------

    def aid_totals(self, start: date, end: date) -> dict[str, int]:
        row = self.db.execute(
            """SELECT COUNT(*), SUM(persons_reached), SUM(households_reached),
                      SUM(cash_value), SUM(goods_value),
                      SUM(CASE WHEN funding_source = 'own' THEN cash_value + goods_value END),
                      SUM(CASE WHEN funding_source = 'sponsor' THEN cash_value + goods_value END),
                      SUM(CASE WHEN funding_source = 'higher' THEN cash_value + goods_value END),
                      SUM(CASE WHEN is_emergency = 1 THEN cash_value + goods_value END),
                      SUM(CASE WHEN is_emergency = 1 THEN households_reached END),
                      COUNT(DISTINCT CASE WHEN address_id NOT IN (
                          SELECT id FROM addresses WHERE deleted_at IS NOT NULL)
                          THEN address_id END)
               FROM aid_records WHERE deleted_at IS NULL AND given_on BETWEEN ? AND ?""",
            [_iso(start), _iso(end)],
        ).fetchone()
        (records, persons, households, cash, goods, own, sponsor, higher, emergency,
         em_households, helped) = (int(v or 0) for v in row)  # fmt: skip
        return {
            "records": records,
            "person_times": persons,
            "households": households,
            "value_cash": cash,
            "value_goods": goods,
            "value_total": cash + goods,
            "value_own": own,
            "value_sponsor": sponsor,
            "value_higher": higher,
            "emergency_value": emergency,
            "emergency_households": em_households,
            "addresses_helped": helped,
        }

    def aid_grouped(
        self, start: date, end: date, *, by: str
    ) -> list[tuple[str | None, int, int, int]]:
        """(name, records, person-times, value) per campaign (``by='campaign'``) or area.

        Grouped by name, so a campaign deleted and added again under the same name is one row.
        """
        table, column = {
            "campaign": ("campaigns", "campaign_id"),
            "area": ("activity_areas", "area_id"),
        }[by]
        cursor = self.db.execute(
            f"""SELECT g.name, COUNT(*), SUM(r.persons_reached), SUM(r.cash_value + r.goods_value)
                FROM aid_records r LEFT JOIN [{table}] g ON g.id = r.{column}
                WHERE r.deleted_at IS NULL AND r.given_on BETWEEN ? AND ?
                GROUP BY g.name ORDER BY MIN(COALESCE(g.id, 1e9))""",
            [_iso(start), _iso(end)],
        )
        return [(name, int(n), int(p or 0), int(v or 0)) for name, n, p, v in cursor]

    def aid_quantities(self, start: date, end: date) -> dict[str, dict[str, int]]:
        """Physical units given per campaign: ``{campaign: {unit: quantity}}`` (whole units;
        records without a unit are not counted here)."""
        cursor = self.db.execute(
            """SELECT COALESCE(g.name, ''), lower(trim(r.unit)), SUM(r.quantity)
               FROM aid_records r LEFT JOIN campaigns g ON g.id = r.campaign_id
               WHERE r.deleted_at IS NULL AND r.given_on BETWEEN ? AND ?
               AND COALESCE(trim(r.unit), '') != '' AND r.quantity > 0
               GROUP BY 1, 2 ORDER BY MIN(COALESCE(g.id, 1e9)), 2""",
            [_iso(start), _iso(end)],
        )
        found: dict[str, dict[str, int]] = {}
        for name, unit, quantity in cursor:
            found.setdefault(name, {})[unit] = round(quantity or 0)
        return found

    # --- counted activities ------------------------------------------------------------

    def activity_sums(
        self, table: str, columns: tuple[str, ...], start: date, end: date
    ) -> dict[str, int]:
        """COUNT(*) as ``count`` plus SUM of each column over rows held in the period."""
        sums = ", ".join(f"SUM([{c}])" for c in columns)
        row = self.db.execute(
            f"SELECT COUNT(*), {sums} FROM [{table}] WHERE deleted_at IS NULL "
            "AND held_on BETWEEN ? AND ?",
            [_iso(start), _iso(end)],
        ).fetchone()
        return {"count": int(row[0] or 0)} | {
            c: int(v or 0) for c, v in zip(columns, row[1:], strict=True)
        }
