"""Demo donors and donations for ``services/demo.py``: donors picked among the demo's
adults, named donations at the drives of the last two years (each donor at most every
12 weeks), some deferrals and donations made before the register."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from chapter_app.domain.blood import BLOOD_GROUPS
from chapter_app.store.repository import Query
from chapter_app.store.store import Store

GROUP_WEIGHTS = (42, 1, 21, 1, 30, 1, 4, 0.2)  # O+ A+ B+ AB+ dominate in Vietnam
REASONS = ("Huyết sắc tố thấp", "Huyết áp cao", "Đang dùng thuốc")


def generate_donors(
    store: Store, *, rng: random.Random, adults: list[dict[str, Any]], today: date, count: int
) -> int:
    """Add ``count`` donors with their donations (no audit rows); returns donations added."""
    eligible = [p for p in adults if 18 <= today.year - p["birth_year"] <= 58]
    chosen = rng.sample(eligible, min(count, len(eligible)))
    donors, last = [], {}
    for donor_id, person in enumerate(chosen, start=1):
        prior = rng.choice([0, 0, 0, 1, 2, 3, 4, 5, 7, 9, 12, 14, 19, 24, 29])
        prior_last = date(today.year - 2, rng.randrange(1, 13), rng.randrange(1, 28))
        donors.append(
            {
                "id": donor_id,
                "person_id": person["id"],
                "blood_group": rng.choices(BLOOD_GROUPS, weights=GROUP_WEIGHTS)[0]
                if rng.random() < 0.8
                else None,
                "prior_donations": prior,
                "prior_last_on": prior_last if prior else None,
                "registered_on": prior_last if prior else None,
            }
        )
        last[donor_id] = prior_last if prior else None
    store.donors.add_many(donors, audit_rows=False)

    start = date(today.year - 1, 1, 1)
    drives = store.blood_drives.list(Query(filters={}, order_by="held_on"))
    donations, deferrals = [], []
    ids = list(last)
    for drive in drives:
        if drive.held_on < start or drive.held_on > today:
            continue
        # a big ward's drive takes in more people than the typed counts of a commune's
        wanted = min(len(ids) // 3, max(drive.donors, count // 8))
        rng.shuffle(ids)
        taken = 0
        for donor_id in ids:
            if taken >= wanted:
                break
            previous = last[donor_id]
            if previous is not None and drive.held_on - previous < timedelta(days=84):
                continue
            if rng.random() < 0.06:
                deferrals.append(
                    {
                        "donor_id": donor_id,
                        "on_date": drive.held_on,
                        "drive_id": drive.id,
                        "reason": rng.choice(
                            ["Huyết sắc tố thấp", "Huyết áp cao", "Đang dùng thuốc"]
                        ),
                        "until_on": drive.held_on + timedelta(days=rng.choice([7, 30, 90])),
                    }
                )
                continue
            donations.append(
                {
                    "donor_id": donor_id,
                    "donated_on": drive.held_on,
                    "drive_id": drive.id,
                    "kind": "whole",
                    "volume_ml": rng.choices((250, 350, 450), weights=(3, 6, 1))[0],
                    "place": drive.partner,
                    "certificate_no": f"{drive.held_on.year}-{len(donations) + 1:06d}",
                }
            )
            last[donor_id] = drive.held_on
            taken += 1
    store.donations.add_many(donations, audit_rows=False)
    store.deferrals.add_many(deferrals, audit_rows=False)
    return len(donations)
