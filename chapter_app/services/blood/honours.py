"""Honours for repeat donors: who reaches a threshold in a year, and recording them given."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from chapter_app.domain.blood import threshold_crossed
from chapter_app.i18n import _
from chapter_app.services.blood.records import BloodInputError
from chapter_app.services.blood.settings import honour_form, honour_thresholds
from chapter_app.store.store import Store


@dataclass(frozen=True)
class HonourCandidate:
    """A donor whose total reached ``threshold`` during the year (``donations`` at its end)."""

    donor_id: int
    person_id: int
    name: str
    sex: str | None
    birth_year: int | None
    unit: str | None
    branch: str | None
    threshold: int
    donations: int
    form: str
    given: bool

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "sex": self.sex,
            "birth_year": self.birth_year,
            "unit": self.unit,
            "branch": self.branch,
            "threshold": self.threshold,
            "donations": self.donations,
            "form": self.form,
            "given": self.given,
        }


def honour_candidates(
    store: Store, year: int, *, include_given: bool = False
) -> list[HonourCandidate]:
    """Donors whose count of donations (prior ones included) passed a threshold during
    ``year``: one row each, at the highest threshold passed. Those already honoured for
    that threshold are left out unless ``include_given``."""
    thresholds = honour_thresholds(store)
    crossing: dict[int, tuple[int, int]] = {}  # donor id -> (threshold, donations)
    for r in store.blood.counts_in_year(year):
        threshold = threshold_crossed(int(r["before"]), int(r["after"]), thresholds)
        if threshold is not None:
            crossing[r["donor_id"]] = (threshold, int(r["after"]))
    out = []
    for r in store.blood.donor_people(list(crossing)) if crossing else []:
        threshold, donations = crossing[r["donor_id"]]
        given = threshold in json.loads(r["given"] or "[]")
        if given and not include_given:
            continue
        out.append(
            HonourCandidate(
                donor_id=r["donor_id"],
                person_id=r["person_id"],
                name=r["name"],
                sex=r["sex"],
                birth_year=r["birth_year"]
                or (int(r["birth_date"][:4]) if r["birth_date"] else None),
                unit=r["unit"],
                branch=r["branch"],
                threshold=threshold,
                donations=donations,
                form=honour_form(store, threshold),
                given=given,
            )
        )
    return out


def record_honours_given(
    store: Store,
    candidates: Sequence[HonourCandidate],
    *,
    year: int,
    given_on: date,
    decision_no: str | None = None,
) -> int:
    """Record the honours as given (one operation); returns how many were new."""
    if not candidates:
        raise BloodInputError(_("Chưa chọn người được tôn vinh."))
    added = 0
    with store.operation(_("Ghi tôn vinh người hiến máu")):
        for c in candidates:
            existing = store.honours.count(
                filters={"donor_id": c.donor_id, "threshold": c.threshold}
            )
            if existing:
                continue
            store.honours.add(
                donor_id=c.donor_id,
                year=year,
                threshold=c.threshold,
                form=c.form,
                given_on=given_on,
                decision_no=decision_no,
            )
            added += 1
    return added
