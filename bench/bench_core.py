"""Benchmarks of the register's core on the large demo (100,000 people, 300,000 aid records).

    .venv/bin/python bench/bench_core.py [--generate-runs N]

Budgets (issue 2): search-as-you-type under 20 ms median; quarterly stats under
300 ms; demo generation is reported. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DATA_DIR, build_large, large_store, measure, report
from chapter_app.domain.periods import parse_period
from chapter_app.services.indicators import indicator_blocks

# What an officer types, keystroke by keystroke (every prefix is one search).
TYPED = [
    "nguyen van an",
    "tran thi hang",
    "do duc",
    "le minh",
    "pham thi ngoc anh",
    "hoang",
    "vu",
    "051",
    "0912",
    "dang van",
    "bui thi thu",
    "phuong",
    "Đỗ",
    "Nguyễn Thị Hằng",
]


def keystrokes(text: str) -> list[str]:
    return [text[: i + 1] for i in range(len(text)) if text[i] != " "]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--generate-runs",
        type=int,
        default=1,
        help="how many times to time `demo --size large` (each ~1 min)",
    )
    args = parser.parse_args()

    store = large_store()
    print(f"people: {store.people.count():,}  aid records: {store.aid.count():,}")

    queries = [q for text in TYPED for q in keystrokes(text)]
    times = []
    for q in queries:
        times += measure(lambda q=q: store.people.search(q, limit=50), repeat=3, warmup=1)
    report("search-as-you-type: first 50 people", times, budget_ms=20)
    times = []
    for q in queries:
        times += measure(lambda q=q: store.people.count(search=q), repeat=3, warmup=1)
    report("search-as-you-type: count of matches", times)
    times = []
    for q in queries:
        times += measure(lambda q=q: store.members.rows(search=q, limit=50), repeat=3, warmup=1)
    report("member list page with search (50 rows)", times)

    period = parse_period("2026-Q3")
    report(
        "stats for 2026-Q3 (period, ytd, last year)",
        measure(lambda: indicator_blocks(store, period), repeat=15),
        budget_ms=300,
    )
    store.close()

    gen = [build_large(DATA_DIR / f"gen-{i}.db") * 1000 for i in range(args.generate_runs)]
    for i in range(args.generate_runs):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DATA_DIR / f'gen-{i}.db'}{suffix}").unlink(missing_ok=True)
    report("demo --size large (generation)", gen)


if __name__ == "__main__":
    main()
