"""The backup made when the large register closes (``backup_if_changed``, as the main
window's close does) against a bare ``sqlite3`` online backup of the same file.

    .venv/bin/python bench/bench_backup.py [--db PATH] [--runs 5]

Each run writes one small change first (a backup is made only when something changed),
on a copy of the large demo (the benchmark writes: never into the shared file). Printed:
medians of the close's backup, of the bare copy and of one ``PRAGMA quick_check``, and
the ratio of the close's backup to the bare copy. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import LARGE_DB, large_store, report
from chapter_app.services.backups import backup_if_changed
from chapter_app.store.backup import quick_check
from chapter_app.store.store import Store


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None, help="a large database (copied first)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    source = args.db or LARGE_DB
    if not source.exists():
        large_store().close()
    folder = Path(tempfile.mkdtemp())
    work = folder / "large.db"
    shutil.copy(source, work)
    store = Store.open(work)
    bare_dest = folder / "bare.db"
    close, bare, check = [], [], []
    for run in range(args.runs):
        with store.operation("bench"):
            store.branches.add(name=f"Chi hội thử {run}")
        started = time.perf_counter()
        made = backup_if_changed(store, reason="close")
        close.append((time.perf_counter() - started) * 1000)
        assert made is not None
        made.unlink()

        started = time.perf_counter()
        target = sqlite3.connect(bare_dest)
        store.db.conn.backup(target)
        target.close()
        bare.append((time.perf_counter() - started) * 1000)
        bare_dest.unlink()

        started = time.perf_counter()
        assert quick_check(store.db.conn) == []
        check.append((time.perf_counter() - started) * 1000)
    store.close()
    size = os.path.getsize(work) / 1e6
    print(f"large register {size:.0f} MB, load average {os.getloadavg()[0]:.2f}")
    report("backup at close (backup_if_changed)", close)
    report("bare sqlite3 online backup", bare)
    report("one PRAGMA quick_check", check)
    ratio = statistics.median(close) / statistics.median(bare)
    print(f"ratio close backup / bare copy: {ratio:.1f}x")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
