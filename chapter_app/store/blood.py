"""Repositories of the blood donors register: donors (a role of a person), donations,
deferrals and honours. The aggregate queries are in ``store/blood_queries.py``."""

from __future__ import annotations

from typing import Any, ClassVar

from chapter_app.domain import blood as b
from chapter_app.store.registers import BloodDrivesRepository, PersonRoleRepository
from chapter_app.store.repository import Query, Repository


class DonorsRepository(PersonRoleRepository):
    table = "donors"
    model = b.Donor
    noun = "người hiến máu"

    def for_person_id(self, person_id: int) -> b.Donor | None:
        """The live donor role of a person, or None."""
        found = self.list(Query(filters={"person_id": person_id}, limit=1))
        return found[0] if found else None


class _DonorEventRepository(Repository):
    """Rows that belong to one donor (donations, deferrals, honours)."""

    date_column: ClassVar[str]
    display_columns = "p.full_name AS full_name, p.id AS person_id"

    def _from(self) -> str:
        return (
            f"[{self.table}] t JOIN donors d ON d.id = t.donor_id "
            "JOIN people p ON p.id = d.person_id"
        )

    def of_donor(self, donor_id: int) -> list[Any]:
        return self.list(Query(filters={"donor_id": donor_id}, order_by=self.date_column))


class DonationsRepository(_DonorEventRepository):
    table = "donations"
    model = b.Donation
    noun = "lần hiến máu"
    default_order = "t.donated_on"
    date_column = "donated_on"


class DeferralsRepository(_DonorEventRepository):
    table = "deferrals"
    model = b.Deferral
    noun = "lần tạm hoãn hiến máu"
    default_order = "t.on_date"
    date_column = "on_date"


class HonoursRepository(_DonorEventRepository):
    table = "donor_honours"
    model = b.DonorHonour
    noun = "lần tôn vinh người hiến máu"
    default_order = "t.year"
    date_column = "year"


class DrivesRepository(BloodDrivesRepository):
    """Blood drives whose named donations and deferrals go with them when deleted (one
    operation: undo brings all of them back)."""

    def delete(self, row_id: int, *, reason: str | None = None) -> None:
        with self.ops.run(f"Xóa {self.noun}"):
            for repo_class in (DonationsRepository, DeferralsRepository):
                events = repo_class(self.db, self.ops)
                for event_id in events.ids(Query(filters={"drive_id": row_id})):
                    events.delete(event_id, reason=reason)
            super().delete(row_id, reason=reason)
