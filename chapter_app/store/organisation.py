"""Repositories of the organisation's own tables: aid forms, officers and the history rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from chapter_app.domain import models as m
from chapter_app.store.database import Database
from chapter_app.store.figures import ACTIVE_MEMBER, Figures
from chapter_app.store.repository import Query, Repository


class AidFormsRepository(Repository[m.AidFormEntry]):
    table = "aid_forms"
    model = m.AidFormEntry
    noun = "hình thức trợ giúp"
    default_order = "t.sort_order"
    search_columns = ("name",)

    def by_code(self, code: str) -> m.AidFormEntry | None:
        found = self.list(Query(filters={"code": code}))
        return found[0] if found else None


class OfficersRepository(Repository[m.Officer]):
    table = "officers"
    model = m.Officer
    noun = "cán bộ Hội"
    default_order = "t.sort_order"
    display_columns = "p.full_name AS full_name"

    def _from(self) -> str:
        return "[officers] t JOIN people p ON p.id = t.person_id"


class NameHistoryRepository(Repository[m.NameChange]):
    table = "name_history"
    model = m.NameChange
    noun = "lịch sử tên"
    default_order = "t.on_date"

    def of(self, table_name: str, row_id: int) -> list[m.NameChange]:
        return self.list(Query(filters={"table_name": table_name, "row_id": row_id}))


class MemberBranchMovesRepository(Repository[m.MemberBranchMove]):
    table = "member_branch_moves"
    model = m.MemberBranchMove
    noun = "chuyển chi hội"
    default_order = "t.on_date"

    def of_member(self, member_id: int) -> list[m.MemberBranchMove]:
        return self.list(Query(filters={"member_id": member_id}))


class UnitMovesRepository(Repository[m.UnitMove]):
    table = "unit_moves"
    model = m.UnitMove
    noun = "chuyển thôn"
    default_order = "t.on_date"


# What refers to an entry of each reference list: (table, column) pairs; aid forms by code.
LIST_USES = {
    "campaigns": (("aid_records", "campaign_id"), ("distributions", "campaign_id")),
    "activity_areas": (("aid_records", "area_id"), ("distributions", "area_id")),
    "categories": (("address_categories", "category_id"),),
    "aid_forms": (("aid_records", "form"), ("distributions", "form"), ("commitments", "form")),
}


class OrganisationQueries:
    """Read-only questions the organisation's use cases ask (counts, who is where)."""

    def __init__(self, db: Database):
        self.db = db

    @staticmethod
    def _latest_active() -> str:
        """Ids of members active on the day given as the one ``?`` parameter."""
        return f"""SELECT x.member_id FROM (
                SELECT h.member_id AS member_id, h.status AS status,
                       MAX(h.on_date || '#' || printf('%012d', h.id))
                FROM member_status h WHERE h.deleted_at IS NULL AND h.on_date <= ?
                GROUP BY h.member_id) x WHERE x.status IN {ACTIVE_MEMBER}"""

    def branch_member_counts(self, on: date) -> dict[int | None, int]:
        """Active members on day ``on`` per chi hội id (None: members without a chi hội)."""
        rows = self.db.execute(
            f"""SELECT branch_id, COUNT(*) FROM (
                SELECT m.branch_id AS branch_id, h.status AS status,
                       MAX(h.on_date || '#' || printf('%012d', h.id))
                FROM member_status h JOIN members m ON m.id = h.member_id
                WHERE h.deleted_at IS NULL AND h.on_date <= ?
                AND h.member_id NOT IN ({Figures._DEAD_MEMBERS})
                GROUP BY h.member_id
            ) WHERE status IN {ACTIVE_MEMBER} GROUP BY branch_id""",
            [on.isoformat()],
        )
        return {branch_id: count for branch_id, count in rows}

    def active_member_ids(self, branch_id: int, on: date) -> list[int]:
        """Members of chi hội ``branch_id`` active on day ``on``."""
        rows = self.db.execute(
            f"""SELECT m.id FROM members m WHERE m.deleted_at IS NULL AND m.branch_id = ?
                AND m.id IN ({self._latest_active()}) ORDER BY m.id""",
            [branch_id, on.isoformat()],
        )
        return [row[0] for row in rows]

    def volunteer_ids(self, branch_id: int) -> list[int]:
        rows = self.db.execute(
            "SELECT id FROM volunteers WHERE deleted_at IS NULL AND branch_id = ? "
            "AND left_on IS NULL ORDER BY id",
            [branch_id],
        )
        return [row[0] for row in rows]

    def rows_in_units(self, table: str, unit_ids: Iterable[int]) -> list[tuple[int, int]]:
        """``(row id, unit id)`` of the live people or addresses in these units."""
        if table not in ("people", "addresses"):
            raise ValueError(table)
        ids = list(unit_ids)
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = self.db.execute(
            f"SELECT id, unit_id FROM [{table}] WHERE deleted_at IS NULL "
            f"AND unit_id IN ({marks}) ORDER BY id",
            ids,
        )
        return [(row[0], row[1]) for row in rows]

    def unit_counts(self) -> dict[int, tuple[int, int]]:
        """``unit id -> (people, households)`` on file."""
        counts: dict[int, list[int]] = {}
        for index, table in enumerate(("people", "addresses")):
            for unit_id, count in self.db.execute(
                f"SELECT unit_id, COUNT(*) FROM [{table}] WHERE deleted_at IS NULL "
                "AND unit_id IS NOT NULL GROUP BY unit_id"
            ):
                counts.setdefault(unit_id, [0, 0])[index] = count
        return {unit_id: (c[0], c[1]) for unit_id, c in counts.items()}

    def list_uses(self, table: str, value: int | str) -> int:
        """How many live records use the entry ``value`` (an id, or an aid form's code)."""
        total = 0
        for use_table, column in LIST_USES[table]:
            total += self.db.execute(
                f"SELECT COUNT(*) FROM [{use_table}] WHERE deleted_at IS NULL AND [{column}] = ?",
                [value],
            ).fetchone()[0]
        return total

    def list_use_counts(self, table: str) -> dict[int | str, int]:
        """``entry id (or aid form code) -> live records using it``, one grouped query per
        table that refers to the list."""
        counts: dict[int | str, int] = {}
        for use_table, column in LIST_USES[table]:
            for value, count in self.db.execute(
                f"SELECT [{column}], COUNT(*) FROM [{use_table}] WHERE deleted_at IS NULL "
                f"AND [{column}] IS NOT NULL GROUP BY [{column}]"
            ):
                counts[value] = counts.get(value, 0) + count
        return counts
