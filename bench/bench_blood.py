"""Benchmarks of the blood donors lists on the large demo (issue 17).

    .venv/bin/python bench/bench_blood.py [--repeat N]

Budgets: ``donors due`` (who may give on a day) and ``donors honours`` (who reaches a
threshold in a year) under 200 ms median on the large demo (8,000 donors with their
donations). Each is compared with a bare-SQL baseline run in the same process: the
same question asked with plain ``sqlite3`` and no program code (no settings, no name
order, no chi hội lookups, no dataclasses). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DATA_DIR, build_large, measure, report
from chapter_app.services.blood.eligibility import donors_due
from chapter_app.services.blood.honours import honour_candidates
from chapter_app.store.store import Store

BLOOD_DB = DATA_DIR / "large-blood.db"  # its own copy: older large.db files have no donors
DUE_ON = date(2026, 12, 20)
YEAR = 2026

BARE_DUE = """
    SELECT d.id, p.full_name, p.phone FROM donors d JOIN people p ON p.id = d.person_id
    LEFT JOIN (SELECT donor_id, MAX(donated_on) AS last FROM donations
               WHERE deleted_at IS NULL GROUP BY donor_id) x ON x.donor_id = d.id
    WHERE d.deleted_at IS NULL
    AND COALESCE(x.last, d.prior_last_on, '0000') <= date(?, '-84 days')
    AND CAST(substr(?, 1, 4) AS INTEGER) - p.birth_year BETWEEN 18 AND 60"""

BARE_HONOURS = """
    SELECT d.id, p.full_name,
        d.prior_donations + SUM(x.donated_on < ?) AS before,
        d.prior_donations + COUNT(x.id) AS after
    FROM donors d JOIN people p ON p.id = d.person_id
    JOIN donations x ON x.donor_id = d.id AND x.deleted_at IS NULL AND x.donated_on <= ?
    WHERE d.deleted_at IS NULL GROUP BY d.id HAVING SUM(x.donated_on >= ?) > 0"""


def blood_store() -> Store:
    if not BLOOD_DB.exists():
        print(f"building {BLOOD_DB} ...", flush=True)
        print(f"  built in {build_large(BLOOD_DB):.1f} s", flush=True)
    return Store.open(BLOOD_DB)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    store = blood_store()
    print(
        f"people: {store.people.count():,}  donors: {store.donors.count():,}  "
        f"donations: {store.donations.count():,}"
    )
    due = donors_due(store, DUE_ON)
    honours = honour_candidates(store, YEAR)
    print(f"due on {DUE_ON}: {len(due):,}  honours {YEAR}: {len(honours):,}")
    bare = sqlite3.connect(BLOOD_DB)
    on = DUE_ON.isoformat()
    start, end = f"{YEAR}-01-01", f"{YEAR}-12-31"
    results = [
        report(
            "donors due: bare SQL baseline",
            measure(lambda: bare.execute(BARE_DUE, [on, on]).fetchall(), repeat=args.repeat),
        ),
        report(
            "donors due (donors_due)",
            measure(lambda: donors_due(store, DUE_ON), repeat=args.repeat),
            budget_ms=200,
        ),
        report(
            "donors honours: bare SQL baseline",
            measure(
                lambda: bare.execute(BARE_HONOURS, [start, end, start]).fetchall(),
                repeat=args.repeat,
            ),
        ),
        report(
            "donors honours (honour_candidates)",
            measure(lambda: honour_candidates(store, YEAR), repeat=args.repeat),
            budget_ms=200,
        ),
    ]
    for base, ours in ((results[0], results[1]), (results[2], results[3])):
        ratio = ours["median_ms"] / max(base["median_ms"], 1e-6)
        print(f"{ours['name']}: {ratio:.2f}x the bare SQL median")
    bare.close()
    store.close()


if __name__ == "__main__":
    main()
