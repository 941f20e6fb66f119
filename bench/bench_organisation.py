"""What the Tổ chức page reads on the large demo (40,000 members, 300,000 aid records).

    .venv/bin/python bench/bench_organisation.py [--db PATH]

Each figure is the median of several runs with a ratio to a bare ``sqlite3`` baseline
measured in the same run: the chi hội list against counting the active members at a day
(the same status-history scan, without the grouping), the lists' use counts against one
plain ``COUNT(*)`` over the aid records, the writes against one bare committed write
transaction. The page reads these off the GUI thread; the
writes (add a chi hội, set a year's targets) run on it. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEMO_TODAY, LARGE_DB, large_store, measure, report
from chapter_app.services import organisation as org
from chapter_app.services import reference_lists as rl
from chapter_app.services import targets as tg
from chapter_app.store.store import Store

ACTIVE = "('admitted', 'moved_in', 'readmitted')"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None, help="a large database (copied first)")
    args = parser.parse_args()
    source = args.db or LARGE_DB
    if not source.exists():
        large_store().close()
    work = Path(tempfile.mkdtemp()) / "large.db"
    shutil.copy(source, work)  # the benchmark writes: never into the shared file
    store = Store.open(work)
    bare = sqlite3.connect(work)
    day = DEMO_TODAY.isoformat()

    def bare_active() -> int:
        return bare.execute(
            f"""SELECT COUNT(*) FROM (SELECT h.status AS status,
                MAX(h.on_date || '#' || printf('%012d', h.id)) FROM member_status h
                WHERE h.deleted_at IS NULL AND h.on_date <= ? GROUP BY h.member_id)
                WHERE status IN {ACTIVE}""",
            [day],
        ).fetchone()[0]

    def bare_aid_count() -> int:
        return bare.execute("SELECT COUNT(*) FROM aid_records WHERE deleted_at IS NULL").fetchone()[
            0
        ]

    def bare_write() -> None:
        """One committed write transaction (what any operation costs at least)."""
        bare.execute("UPDATE settings SET updated_at = updated_at WHERE key = 'chapter_name'")
        bare.commit()

    results = []

    def pair(name, fn, baseline, repeat=5):
        base = report(f"  baseline for {name}", measure(baseline, repeat=repeat))
        ours = report(name, measure(fn, repeat=repeat))
        ratio = ours["median_ms"] / base["median_ms"]
        print(f"{'':<48} ratio to baseline {ratio:5.1f}x")
        results.append((name, ours["median_ms"], ratio))

    pair("branch_rows (chi hội list)", lambda: org.branch_rows(store, on=DEMO_TODAY), bare_active)
    pair("unit_rows (thôn list)", lambda: org.unit_rows(store), bare_aid_count)
    for kind in rl.LIST_KINDS:
        pair(f"list_entries {kind}", lambda kind=kind: rl.list_entries(store, kind), bare_aid_count)
    pair(
        "set_targets (3 keys, one operation)",
        lambda: tg.set_targets(
            store, 2026, {"members.new": 50, "blood.units": 120, "aid.records": 9}
        ),
        bare_write,
    )
    names = iter(range(10_000))
    pair(
        "add_branch (name check + insert)",
        lambda: org.add_branch(store, name=f"Chi hội đo {next(names)}"),
        bare_write,
    )
    print()
    print(f"median of the page's reads: {statistics.median(r[1] for r in results[:6]):.1f} ms")
    store.close()
    bare.close()
    shutil.rmtree(work.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
