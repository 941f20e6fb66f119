"""Helpers for the benchmarks: the large demo database (built once) and timing."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from chapter_app.services.demo import generate_demo
from chapter_app.services.setup import init_database
from chapter_app.store.store import Store

DATA_DIR = Path(__file__).parent / "data"
LARGE_DB = DATA_DIR / "large.db"
DEMO_TODAY = date(2026, 11, 23)


def build_large(path: Path = LARGE_DB, *, seed: int = 1) -> float:
    """Create the large demo database at ``path`` (replacing it); returns seconds taken."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    store = init_database(path, chapter_name="Hội Chữ thập đỏ xã Tịnh Kỳ")
    generate_demo(store, size="large", seed=seed, today=DEMO_TODAY)
    store.close()
    return time.perf_counter() - started


def large_store() -> Store:
    """The large demo database, built on first use."""
    if not LARGE_DB.exists():
        print(f"building {LARGE_DB} ...", flush=True)
        print(f"  built in {build_large():.1f} s", flush=True)
    return Store.open(LARGE_DB)


def measure(fn: Callable[[], object], *, repeat: int, warmup: int = 1) -> list[float]:
    """Wall-clock milliseconds of ``repeat`` calls after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def report(name: str, times_ms: list[float], *, budget_ms: float | None = None) -> dict:
    ordered = sorted(times_ms)
    median = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    verdict = ""
    if budget_ms is not None:
        verdict = f"  budget {budget_ms:g} ms: {'ok' if median <= budget_ms else 'OVER'}"
    print(f"{name:<48} median {median:9.2f} ms  p95 {p95:9.2f} ms  n={len(ordered)}{verdict}")
    return {
        "name": name,
        "median_ms": median,
        "p95_ms": p95,
        "n": len(ordered),
        "budget_ms": budget_ms,
    }
