"""Who may give blood on a day (the call list of a drive)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chapter_app.services.blood.settings import eligibility_rules
from chapter_app.store.store import Store


@dataclass(frozen=True)
class DueDonor:
    """A donor who may give on the day, with what the caller needs to reach them."""

    donor_id: int
    person_id: int
    name: str
    birth_year: int | None
    age: int
    sex: str | None
    phone: str | None
    unit: str | None
    branch: str | None
    blood_group: str | None  # sensitive: shown only when chosen
    last_whole: date | None
    donations: int

    def as_json(self, *, include_sensitive: bool = False) -> dict:
        row = {
            "name": self.name,
            "birth_year": self.birth_year,
            "age": self.age,
            "phone": self.phone,
            "unit": self.unit,
            "branch": self.branch,
            "last_donation": self.last_whole.isoformat() if self.last_whole else None,
            "donations": self.donations,
        }
        if include_sensitive:
            row["blood_group"] = self.blood_group
        return row


def donors_due(store: Store, on: date, *, donor_ids: list[int] | None = None) -> list[DueDonor]:
    """Donors who may give on ``on`` under the settings' rules (see
    ``BloodQueries.due``), in Vietnamese name order; ``donor_ids`` narrows the list."""
    rules = eligibility_rules(store)
    rows = store.blood.due(
        on,
        whole_days=rules.whole_interval_days,
        component_days=rules.component_interval_days,
        min_age=rules.min_age,
        max_age=rules.max_age,
        search_ids=donor_ids,
    )
    out = []
    for row in rows:
        donor_id, person_id, name, sex, birth_date, birth_year, phone, unit, branch, group = row[
            :10
        ]
        age, last_whole, donations = row[10:]
        out.append(
            DueDonor(
                donor_id=donor_id,
                person_id=person_id,
                name=name,
                birth_year=birth_year or (int(birth_date[:4]) if birth_date else None),
                age=int(age),
                sex=sex,
                phone=phone,
                unit=unit,
                branch=branch,
                blood_group=group,
                last_whole=date.fromisoformat(last_whole) if last_whole else None,
                donations=int(donations),
            )
        )
    return out
