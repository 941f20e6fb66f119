"""Benchmarks of importing member sheets read with python-calamine (issue 14).

    .venv/bin/python bench/bench_import.py [--runs 5] [--large-runs 3] [--skip-large]

Budgets: a 10,000-row member sheet imports (preview and commit) in <= 1.0 s median; a
100,000-row sheet in <= 10 s with peak RSS <= 300 MB; both within 5x of python-calamine's
bare read of the same file (open, every row of the sheet as Python values) measured in
the same run. Each import of the large sheet runs in a fresh process so that its peak
RSS is its own. The time is split into read (reading.read_grid: checks, calamine, legacy
detection, merged ranges), plan (the rest of plan_import) and commit (apply_import).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import python_calamine

from bench.bench_exchange import build_sheet, template_db
from bench.common import DEMO_TODAY, report


def bare_read(path: Path) -> int:
    """What python-calamine alone does: open the workbook, every row as Python values."""
    with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
        return sum(1 for _ in book.get_sheet_by_index(0).iter_rows())


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started its program, in MB.

    ``ru_maxrss`` is not that on Linux: it keeps the peak of the process before ``exec``,
    here the parent that forked it while holding the sheet it built (hundreds of MB for
    the 100k sheet). The kernel's ``VmHWM`` belongs to the program's own memory.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one_import(sheet: Path, db: Path) -> dict:
    """Read, plan and commit ``sheet`` into ``db``; the times of each step, in ms."""
    import resource

    from chapter_app.services.importer import apply_import, plan_import
    from chapter_app.services.importer.reading import read_grid
    from chapter_app.services.setup import init_database

    store = init_database(db, chapter_name="Hội Chữ thập đỏ xã Tịnh Kỳ")
    started = time.perf_counter()
    read_grid(sheet)
    read = time.perf_counter()
    read_cpu = time.process_time()
    plan = plan_import(store, sheet, "members", today=DEMO_TODAY)
    planned = time.perf_counter()
    preview_cpu = time.process_time() - read_cpu
    before = resource.getrusage(resource.RUSAGE_SELF)
    peak_before = peak_rss_mb()
    result = apply_import(store, plan)
    done = time.perf_counter()
    after = resource.getrusage(resource.RUSAGE_SELF)
    store.close()
    return {
        "read_ms": (read - started) * 1000,
        "preview_ms": (planned - read) * 1000,  # plan_import reads the sheet again itself
        "commit_ms": (done - planned) * 1000,
        "import_ms": (done - read) * 1000,  # preview + commit, as a user runs it
        "added": result.added,
        "rows": len(plan.rows),
        "peak_rss_mb": peak_rss_mb(),
        "peak_before_commit_mb": peak_before,
        # CPU time (user + system) is less sensitive than wall time to a shared machine
        "preview_cpu_ms": preview_cpu * 1000,
        "commit_cpu_ms": (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        * 1000,
    }


def run_child(sheet: Path, db: Path) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(sheet), str(db)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure(label: str, sheet: Path, template: Path, runs: int, budget_ms: float) -> None:
    folder = sheet.parent
    bare, bare_cpu, results = [], [], []
    for run in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        bare_read(sheet)
        bare.append((time.perf_counter() - started) * 1000)
        bare_cpu.append((time.process_time() - started_cpu) * 1000)
        db = folder / f"{label}-{run}.db"
        shutil.copy(template, db)
        results.append(run_child(sheet, db))
        db.unlink()
    first = results[0]
    print(f"  {first['rows']:,} rows planned, {first['added']:,} members added")
    report(f"python-calamine bare read ({label})", bare)
    report(f"read_grid: checks + calamine + legacy ({label})", [r["read_ms"] for r in results])
    report(f"preview: plan_import ({label})", [r["preview_ms"] for r in results])
    report(f"commit: apply_import ({label})", [r["commit_ms"] for r in results])
    report(f"bare read CPU time ({label})", bare_cpu)
    report(f"preview CPU time ({label})", [r["preview_cpu_ms"] for r in results])
    report(f"commit CPU time, user + system ({label})", [r["commit_cpu_ms"] for r in results])
    imports = [r["import_ms"] for r in results]
    report(f"import = preview + commit ({label})", imports, budget_ms=budget_ms)
    ratio = statistics.median(imports) / statistics.median(bare)
    read_ratio = statistics.median(r["read_ms"] for r in results) / statistics.median(bare)
    print(
        f"{'import / bare calamine read (medians)':<48} {ratio:9.2f} x   "
        f"budget 5 x: {'ok' if ratio <= 5 else 'OVER'}"
    )
    print(f"{'read_grid / bare calamine read (medians)':<48} {read_ratio:9.2f} x")
    cpu = statistics.median(r["preview_cpu_ms"] + r["commit_cpu_ms"] for r in results)
    cpu_ratio = cpu / statistics.median(bare_cpu)
    print(f"{'import CPU / bare read CPU (medians)':<48} {cpu_ratio:9.2f} x")
    peak = max(r["peak_rss_mb"] for r in results)
    print(f"{'peak RSS of one import process':<48} {peak:9.0f} MB")
    commit_share = statistics.median(r["commit_ms"] for r in results) / statistics.median(imports)
    raised = max(r["peak_rss_mb"] - r["peak_before_commit_mb"] for r in results)
    print(f"{'commit share of the import (medians)':<48} {commit_share:9.0%}")
    print(f"{'peak RSS raised by the commit (worst run)':<48} {raised:9.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large-runs", type=int, default=3)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_import(*args.child)))
        return

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        template = template_db(folder)
        sizes = [("10k", 10_000, args.runs, 1_000)]
        if not args.skip_large:
            sizes.append(("100k", 100_000, args.large_runs, 10_000))
        for label, rows, runs, budget in sizes:
            started = time.perf_counter()
            sheet = build_sheet(folder / f"hoi_vien_{label}.xlsx", rows)
            print(
                f"built a {rows:,}-row sheet in {time.perf_counter() - started:.1f} s "
                f"({sheet.stat().st_size / 1e6:.1f} MB)"
            )
            measure(label, sheet, template, runs, budget)
            if label == "100k":
                print("peak RSS budget 300 MB")


if __name__ == "__main__":
    main()
