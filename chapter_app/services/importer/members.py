"""Member sheets (danh sách hội viên): the person, the chi hội, admission and status."""

from __future__ import annotations

from typing import Any

from chapter_app.domain.validation import Issue, validate_member
from chapter_app.services import records as rec
from chapter_app.services.importer.cells import to_text
from chapter_app.services.importer.member_columns import MemberColumns
from chapter_app.services.importer.outcomes import PlannedRow
from chapter_app.services.importer.people import PersonPayload, PersonPlanner, PersonWriter
from chapter_app.services.importer.person_rows import MEMBER_COLUMNS, STATUS_COLUMNS, MemberRows
from chapter_app.services.importer.planner import register


class MemberPlanner(PersonPlanner):
    kind = "members"
    role_table = "members"
    start_field = "admitted_on"
    row_by_row = False  # True: plan each row with plan_row (tests compare both ways)
    _columns: MemberColumns | None = None

    def role_input(self, g, issues: list[Issue]) -> dict[str, Any]:
        admitted, found = self.cell_date(g.get("admitted_on"), "admitted_on")
        issues += found
        return {
            "admitted_on": admitted,
            "decision_no": to_text(g.get("decision_no")),
            "card_no": to_text(g.get("card_no")),
        }

    def validate(self, raw):
        return validate_member(raw, today=self.today, settings=self.settings, memo=self.memo)

    def plan_rows(self, batch):
        """Column by column (:mod:`.member_columns`): the same rows as ``plan_row`` gives."""
        if self.row_by_row or "full_name" not in self.columns:
            return super().plan_rows(batch)
        if self._columns is None:
            self._columns = MemberColumns(self)
        kept = self.section_branch
        try:
            return self._columns.plan(batch)
        finally:
            self.section_branch = kept


class MemberWriter(PersonWriter):
    role = "members"
    rows = MemberRows

    def add_roles(self, writer, rows: MemberRows, person_ids) -> None:
        members = rows.members(person_ids)
        member_ids = writer.add_rows(self.store.members, MEMBER_COLUMNS, members, stored=True)
        history = self.store.members.history
        writer.add_rows(history, STATUS_COLUMNS, rows.statuses(member_ids), stored=True)

    def add(self, writer, p: PersonPayload) -> None:
        cleaned = p.cleaned
        person_id = writer.add(self.store.people, rec.person_columns(cleaned))
        admitted = cleaned["admitted_on"]
        status, status_on = (p.status, p.status_on) if p.status else ("admitted", admitted)
        member_id = writer.add(
            self.store.members,
            {
                "person_id": person_id,
                "branch_id": p.branch_id,
                "admitted_on": admitted,
                "decision_no": cleaned.get("decision_no"),
                "card_no": cleaned.get("card_no"),
                "status": status,
                "status_on": status_on,
            },
        )
        history = self.store.members.history
        writer.add(
            history,
            {
                "member_id": member_id,
                "status": "admitted",
                "on_date": admitted,
                "decision_no": cleaned.get("decision_no"),
            },
        )
        if p.status:
            writer.add(
                history, {"member_id": member_id, "status": p.status, "on_date": p.status_on}
            )

    def save(self, raw: dict[str, Any], person_id: int, role_id: int | None) -> None:
        today = self.plan.today
        if role_id is not None:
            member = self.store.members.get(role_id)
            base = {
                "branch": member.branch_id,
                "admitted_on": member.admitted_on,
                "decision_no": member.decision_no,
                "card_no": member.card_no,
            }
            raw = {**base, **raw}
            rec.save_member(self.store, raw, member_id=role_id, today=today)
        else:
            raw = {**raw, "person_id": person_id}
            rec.save_member(self.store, raw, today=today)

    def update(self, row: PlannedRow) -> None:
        super().update(row)
        p: PersonPayload = row.payload
        if p.status:
            member_id = self.store.exchange.lookups.role_ids("members")[row.duplicate.record_id]
            member = self.store.members.get(member_id)
            if (member.status, member.status_on) != (p.status, p.status_on):
                self.store.members.change_status(member_id, p.status, p.status_on)


register("members", planner=MemberPlanner, writer=MemberWriter)
