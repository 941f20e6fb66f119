"""Volunteer sheets (danh sách tình nguyện viên): the person, the chi hội, skills, team."""

from __future__ import annotations

from typing import Any

from chapter_app.domain.validation import Issue, validate_volunteer
from chapter_app.services import records as rec
from chapter_app.services.importer.cells import to_text
from chapter_app.services.importer.people import PersonPayload, PersonPlanner, PersonWriter
from chapter_app.services.importer.person_rows import (
    VOLUNTEER_COLUMNS,
    VOLUNTEER_KEYS,
    VolunteerRows,
)
from chapter_app.services.importer.planner import register


class VolunteerPlanner(PersonPlanner):
    kind = "volunteers"
    role_table = "volunteers"
    start_field = "registered_on"

    def role_input(self, g, issues: list[Issue]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key in ("registered_on", "left_on"):
            values[key], found = self.cell_date(g.get(key), key)
            issues += found
        for key in ("is_core", "skills", "team", "hours"):
            values[key] = to_text(g.get(key))
        return values

    def validate(self, raw):
        return validate_volunteer(raw, today=self.today, settings=self.settings, memo=self.memo)


class VolunteerWriter(PersonWriter):
    role = "volunteers"
    rows = VolunteerRows

    def add_roles(self, writer, rows: VolunteerRows, person_ids) -> None:
        rows_of = rows.volunteers(person_ids)
        writer.add_rows(self.store.volunteers, VOLUNTEER_COLUMNS, rows_of, stored=True)

    def add(self, writer, p: PersonPayload) -> None:
        cleaned = p.cleaned
        person_id = writer.add(self.store.people, rec.person_columns(cleaned))
        values = {key: cleaned.get(key) for key in VOLUNTEER_KEYS}
        writer.add(
            self.store.volunteers, {**values, "person_id": person_id, "branch_id": p.branch_id}
        )

    def save(self, raw: dict[str, Any], person_id: int, role_id: int | None) -> None:
        today = self.plan.today
        if role_id is not None:
            volunteer = self.store.volunteers.get(role_id)
            base = {
                key: getattr(volunteer, key)
                for key in ("registered_on", "left_on", "is_core", "skills", "team", "hours")
            }
            base["branch_id"] = volunteer.branch_id
            raw = {**base, **raw}
            rec.save_volunteer(self.store, raw, volunteer_id=role_id, today=today)
        else:
            raw = {**raw, "person_id": person_id}
            rec.save_volunteer(self.store, raw, today=today)


register("volunteers", planner=VolunteerPlanner, writer=VolunteerWriter)
