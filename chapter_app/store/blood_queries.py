"""Aggregate queries over donors and donations (SQL only, no Python loops over rows).

Counting rule for donations made before the register (``donors.prior_donations`` with
``prior_last_on``): the last of them is dated ``prior_last_on``, the others earlier than
any date asked about; without ``prior_last_on`` all of them are. Prior donations count as
whole blood. Deleted donors, donations and people never count.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from chapter_app.store.database import Database

LIVE_DONOR = "d.deleted_at IS NULL AND p.deleted_at IS NULL AND p.anonymised_at IS NULL"

# Named donations of a donor up to (and including) a day: ``{day}`` is a parameter name.
_NAMED_UP_TO = """(SELECT COUNT(*) FROM donations x WHERE x.donor_id = d.id
    AND x.deleted_at IS NULL AND x.donated_on <= :{day})"""

# Prior donations counted at a day.
_PRIOR_AT = """(d.prior_donations - CASE WHEN d.prior_donations > 0
    AND d.prior_last_on IS NOT NULL AND d.prior_last_on > :{day} THEN 1 ELSE 0 END)"""


def count_at(day_param: str) -> str:
    """SQL: donations of donor ``d`` made on or before the day bound to ``:day_param``."""
    return f"({_PRIOR_AT.format(day=day_param)} + {_NAMED_UP_TO.format(day=day_param)})"


def _later(a: str, b: str) -> str:
    return f"(CASE WHEN {a} IS NULL THEN {b} WHEN {b} IS NULL OR {a} >= {b} THEN {a} ELSE {b} END)"


# The donors' chi hội: through their latest member role, else their latest volunteer role.
# Two CTEs (``mb``, ``vb``) to put after ``WITH``; join them on ``p.id``.
BRANCH_CTES = """
    mb AS (SELECT m.person_id AS pid, br.name AS name, MAX(m.id)
        FROM members m JOIN branches br ON br.id = m.branch_id
        WHERE m.deleted_at IS NULL AND m.person_id IN (SELECT person_id FROM donors)
        GROUP BY m.person_id),
    vb AS (SELECT v.person_id AS pid, br.name AS name, MAX(v.id)
        FROM volunteers v JOIN branches br ON br.id = v.branch_id
        WHERE v.deleted_at IS NULL AND v.person_id IN (SELECT person_id FROM donors)
        GROUP BY v.person_id)"""
BRANCH_JOINS = "LEFT JOIN mb ON mb.pid = p.id LEFT JOIN vb ON vb.pid = p.id"
_BRANCH = "COALESCE(mb.name, vb.name)"

_PERSON_COLUMNS = f"""d.id AS donor_id, p.id AS person_id, p.full_name AS name,
    p.sort_key AS sort_key, p.sex AS sex, p.birth_date AS birth_date,
    p.birth_year AS birth_year, p.phone AS phone, p.id_number AS id_number,
    u.name AS unit, {_BRANCH} AS branch, d.blood_group AS blood_group"""


# Age on the day bound to ``:on``; with a birth year only, the difference of years.
_AGE = """CASE WHEN p.birth_date IS NOT NULL THEN
    CAST(substr(:on, 1, 4) AS INTEGER) - CAST(substr(p.birth_date, 1, 4) AS INTEGER)
    - (substr(:on, 6, 5) < substr(p.birth_date, 6, 5))
    WHEN p.birth_year IS NOT NULL THEN CAST(substr(:on, 1, 4) AS INTEGER) - p.birth_year END"""


# What the call list shows of a donor (``due`` returns these, in this order, as tuples).
DUE_COLUMNS = f"""d.id, p.id, p.full_name, p.sex, p.birth_date, p.birth_year, p.phone,
    u.name, {_BRANCH}, d.blood_group"""


def _rows(db: Database, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


class BloodQueries:
    """Who may give, who reaches a threshold, a drive's figures, the period's indicators."""

    def __init__(self, db: Database):
        self.db = db

    # --- eligibility ---------------------------------------------------------------------

    def due(
        self,
        on: date,
        *,
        whole_days: int,
        component_days: int,
        min_age: int,
        max_age: int,
        search_ids: list[int] | None = None,
    ) -> list[tuple]:
        """Rows (in ``DUE_COLUMNS`` order, then age, last whole blood, donations) of the
        donors who may give on ``on``: last whole blood ≥ ``whole_days`` earlier (last
        component ≥ ``component_days``), no deferral running that day, aged
        ``min_age..max_age`` that day (birth year only: the difference of years; unknown
        age: not listed). Sorted by Vietnamese name order."""
        last_whole = _later("lw.last_whole", "d.prior_last_on")
        only = "AND d.id IN (SELECT value FROM json_each(:ids))" if search_ids is not None else ""
        # Donors first (intervals, deferrals: no person needed), then their people.
        sql = f"""
            WITH {BRANCH_CTES}, lw AS (
                SELECT donor_id,
                    MAX(CASE WHEN kind = 'whole' THEN donated_on END) AS last_whole,
                    MAX(CASE WHEN kind = 'component' THEN donated_on END) AS last_component,
                    COUNT(*) AS named
                FROM donations WHERE deleted_at IS NULL AND donated_on <= :on
                GROUP BY donor_id
            ), c AS MATERIALIZED (
                SELECT d.id AS id, {last_whole} AS last_whole,
                    lw.last_component AS last_component,
                    d.prior_donations + COALESCE(lw.named, 0) AS donations
                FROM donors d LEFT JOIN lw ON lw.donor_id = d.id
                WHERE d.deleted_at IS NULL {only}
            ), ok AS MATERIALIZED (
                SELECT c.* FROM c
                WHERE (c.last_whole IS NULL OR c.last_whole <= :whole_before)
                AND (c.last_component IS NULL OR c.last_component <= :component_before)
                AND NOT EXISTS (SELECT 1 FROM deferrals f WHERE f.donor_id = c.id
                    AND f.deleted_at IS NULL AND f.on_date <= :on AND f.until_on > :on)
            )
            SELECT {DUE_COLUMNS}, {_AGE} AS age, ok.last_whole, ok.donations
            FROM ok CROSS JOIN donors d ON d.id = ok.id
            CROSS JOIN people p ON p.id = d.person_id
            LEFT JOIN units u ON u.id = p.unit_id {BRANCH_JOINS}
            WHERE {LIVE_DONOR} AND {_AGE} BETWEEN :min_age AND :max_age
            ORDER BY p.sort_key, p.id"""
        params: dict[str, Any] = {
            "on": on.isoformat(),
            "min_age": min_age,
            "max_age": max_age,
            "whole_before": (on - timedelta(days=whole_days)).isoformat(),
            "component_before": (on - timedelta(days=component_days)).isoformat(),
        }
        if search_ids is not None:
            params["ids"] = json.dumps(search_ids)
        return self.db.execute(sql, params).fetchall()  # tuples: 7,000 rows, no dicts

    # --- honours -------------------------------------------------------------------------

    def counts_in_year(self, year: int) -> list[dict[str, Any]]:
        """Donors whose count grew during ``year``: their count at the end of the year before
        (``before``) and at the end of ``year`` (``after``): ``donor_id``, ``before``,
        ``after`` only (``donor_people`` gives the person columns of the ones wanted)."""
        sql = f"""
            WITH n AS (
                SELECT donor_id, SUM(donated_on <= :before) AS nb, COUNT(*) AS na,
                    SUM(donated_on >= :start) AS ny
                FROM donations WHERE deleted_at IS NULL AND donated_on <= :after
                GROUP BY donor_id
            ), c AS (
                SELECT d.id AS id,
                    {_PRIOR_AT.format(day="before")} + COALESCE(n.nb, 0) AS before,
                    {_PRIOR_AT.format(day="after")} + COALESCE(n.na, 0) AS after
                FROM donors d LEFT JOIN n ON n.donor_id = d.id
                WHERE d.deleted_at IS NULL
                AND (n.ny > 0 OR d.prior_last_on BETWEEN :start AND :after)
            )
            SELECT c.id AS donor_id, c.before, c.after FROM c WHERE c.after > c.before"""
        params = {
            "start": f"{year:04d}-01-01",
            "before": f"{year - 1:04d}-12-31",
            "after": f"{year:04d}-12-31",
        }
        return _rows(self.db, sql, params)

    def donor_people(self, donor_ids: list[int]) -> list[dict[str, Any]]:
        """Person columns of these donors, in name order, with the thresholds already
        given (``given``, a JSON list)."""
        sql = f"""
            WITH {BRANCH_CTES}
            SELECT {_PERSON_COLUMNS},
                (SELECT json_group_array(h.threshold) FROM donor_honours h
                 WHERE h.donor_id = d.id AND h.deleted_at IS NULL) AS given
            FROM json_each(:ids) j CROSS JOIN donors d ON d.id = j.value
            CROSS JOIN people p ON p.id = d.person_id
            LEFT JOIN units u ON u.id = p.unit_id {BRANCH_JOINS}
            WHERE {LIVE_DONOR}
            ORDER BY p.sort_key, p.id"""
        return _rows(self.db, sql, {"ids": json.dumps(donor_ids)})

    def total_of(self, donor_id: int, on: date) -> int:
        """The donor's donations made on or before ``on`` (prior ones included)."""
        row = self.db.execute(
            f"SELECT {count_at('on')} FROM donors d WHERE d.id = :id",
            {"on": on.isoformat(), "id": donor_id},
        ).fetchone()
        return int(row[0]) if row else 0

    def summaries(self, donor_ids: list[int]) -> dict[int, tuple[int, str | None]]:
        """Per donor: (donations in all, prior ones included; last donation day or None)."""
        if not donor_ids:
            return {}
        cursor = self.db.execute(
            f"""SELECT d.id, d.prior_donations + COUNT(x.id),
                {_later("MAX(x.donated_on)", "d.prior_last_on")}
            FROM donors d LEFT JOIN donations x ON x.donor_id = d.id AND x.deleted_at IS NULL
            WHERE d.id IN (SELECT value FROM json_each(?)) GROUP BY d.id""",
            [json.dumps(donor_ids)],
        )
        return {row[0]: (int(row[1]), row[2]) for row in cursor}

    # --- drives --------------------------------------------------------------------------

    def drive_figures(self, drive_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
        """Per drive with named donations: registered (came: donated or deferred), donated
        (distinct donors), units and the 250/350/450 ml mix, and the volume in ml."""
        where = "" if drive_ids is None else "AND x.drive_id IN (SELECT value FROM json_each(?))"
        params: list[Any] = [] if drive_ids is None else [json.dumps(drive_ids)]
        sql = f"""
            SELECT x.drive_id, COUNT(*), COUNT(DISTINCT x.donor_id),
                SUM(x.volume_ml = 250), SUM(x.volume_ml = 350), SUM(x.volume_ml = 450),
                SUM(COALESCE(x.volume_ml, 0)),
                (SELECT COUNT(DISTINCT donor_id) FROM (
                    SELECT donor_id FROM donations WHERE drive_id = x.drive_id
                        AND deleted_at IS NULL
                    UNION SELECT donor_id FROM deferrals WHERE drive_id = x.drive_id
                        AND deleted_at IS NULL))
            FROM donations x WHERE x.deleted_at IS NULL AND x.drive_id IS NOT NULL {where}
            GROUP BY x.drive_id"""
        out = {}
        for drive_id, units, donated, u250, u350, u450, volume, came in self.db.execute(
            sql, params
        ):
            out[drive_id] = {
                "registered": int(came or 0),
                "donors": int(donated or 0),
                "units": int(units or 0),
                "units_250": int(u250 or 0),
                "units_350": int(u350 or 0),
                "units_450": int(u450 or 0),
                "volume_ml": int(volume or 0),
            }
        return out

    # --- indicators ----------------------------------------------------------------------

    def period_figures(self, start: date, end: date) -> dict[str, int]:
        """blood.* flows over ``start..end``: named donations plus, for drives held in the
        period without named donations, their typed counts."""
        p = {"start": start.isoformat(), "end": end.isoformat()}
        named = self.db.execute(
            f"""WITH x AS (
                SELECT n.donor_id, n.volume_ml FROM donations n
                JOIN donors d ON d.id = n.donor_id JOIN people p ON p.id = d.person_id
                WHERE n.deleted_at IS NULL AND n.donated_on BETWEEN :start AND :end
                AND d.deleted_at IS NULL AND p.deleted_at IS NULL
            ), who AS (SELECT DISTINCT donor_id FROM x)
            SELECT (SELECT COUNT(*) FROM x), (SELECT SUM(COALESCE(volume_ml, 0)) FROM x),
                (SELECT COUNT(*) FROM who),
                (SELECT COUNT(*) FROM who JOIN donors d ON d.id = who.donor_id
                 WHERE {count_at("end")} >= 2),
                (SELECT COUNT(*) FROM who JOIN donors d ON d.id = who.donor_id
                 WHERE {count_at("before")} = 0)""",
            p | {"before": _day_before(start)},
        ).fetchone()
        typed = self.db.execute(
            """SELECT SUM(donors), SUM(units),
                SUM(250 * units_250 + 350 * units_350 + 450 * units_450)
            FROM blood_drives b WHERE b.deleted_at IS NULL AND b.held_on BETWEEN :start AND :end
            AND NOT EXISTS (SELECT 1 FROM donations n WHERE n.drive_id = b.id
                AND n.deleted_at IS NULL)""",
            p,
        ).fetchone()
        units, volume, donors, repeat, first = (int(v or 0) for v in named)
        t_donors, t_units, t_volume = (int(v or 0) for v in typed)
        return {
            "donors": donors + t_donors,
            "repeat_donors": repeat,
            "first_time": first,
            "units": units + t_units,
            "volume_ml": volume + t_volume,
        }


def _day_before(day: date) -> str:
    return (day - timedelta(days=1)).isoformat()
