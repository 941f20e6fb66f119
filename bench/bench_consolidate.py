"""Receiving a province's quarter: 100 commune packages with their records in one command.

Budget (issue 18): <= 10 s, and the upper register grows by no more than the packages'
own size. Baseline, measured in the same run: reading and SHA-256 hashing the same files.

    .venv/bin/python bench/bench_consolidate.py [--packages 100] [--target-mb 4.5] [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import sys
import time
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DATA_DIR, DEMO_TODAY
from chapter_app.services import exchange as ex
from chapter_app.services.demo import generate_demo
from chapter_app.services.receive import receive_packages
from chapter_app.services.setup import init_database

WORK = DATA_DIR / "consolidate"
PERIOD = "2026-Q3"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _grow(part: bytes, times: int) -> bytes:
    """A records part with its rows repeated ``times`` times (a larger commune)."""
    head, _, rest = part.partition(b'"rows":[')
    rows, _, tail = rest.rpartition(b'],"table":')
    return head + b'"rows":[' + b",".join([rows] * times) + b'],"table":' + tail


def make_packages(count: int, target_mb: float) -> list[Path]:
    """``count`` packages of about ``target_mb`` MB, each from its own chapter."""
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    store = init_database(WORK / "commune.db", chapter_name="Hội Chữ thập đỏ xã Mẫu")
    generate_demo(store, size="small", seed=3, today=DEMO_TODAY)
    made = ex.prepare_package(store, PERIOD, with_records=True, personal_data="full")
    store.close()
    probe = WORK / "probe.ctdpkg"
    probe.write_bytes(made.data)
    with zipfile.ZipFile(probe) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    manifest = json.loads(parts.pop("manifest.json"))
    times = max(1, round(target_mb * 1e6 / probe.stat().st_size))
    for name in ("records/people.json", "records/aid_records.json", "records/members.json"):
        parts[name] = _grow(parts[name], times)
    base = WORK / "base.zip"
    with zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(parts.items()):
            archive.writestr(name, data)
    manifest["parts"] = [
        {"name": n, "sha256": _sha(d), "size": len(d)} for n, d in sorted(parts.items())
    ]
    made_at = datetime(2026, 10, 5, tzinfo=UTC)
    paths = []
    for n in range(count):
        path = WORK / f"xa-{n:03d}.ctdpkg"
        shutil.copyfile(base, path)
        manifest["chapter"] = {
            "uuid": str(uuid.UUID(int=n + 1)),
            "name": f"Hội Chữ thập đỏ xã Số {n + 1}",
            "parent_name": "Hội CTĐ tỉnh Mẫu",
            "place_name": f"Xã {n + 1}",
        }
        manifest["created_at"] = (made_at + timedelta(minutes=n)).isoformat()
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        paths.append(path)
    return paths


def read_and_hash(paths: list[Path]) -> None:
    for path in paths:
        hashlib.sha256(path.read_bytes()).hexdigest()


def receive_all(paths: list[Path], run: int) -> tuple[float, int]:
    db = WORK / f"upper-{run}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(WORK / "backups", ignore_errors=True)
    store = init_database(db, chapter_name="Hội CTĐ tỉnh Mẫu")
    ex.enable_upper_mode(store)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = db.stat().st_size
    started = time.perf_counter()
    batch = receive_packages(store, paths)
    store.close()  # the command's end: what is left in the WAL is written to the file
    elapsed = time.perf_counter() - started
    assert batch.ok and batch.stored, [v.message for v in batch.verdicts if not v.ok][:3]
    return elapsed, db.stat().st_size - before


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--packages", type=int, default=100)
    parser.add_argument("--target-mb", type=float, default=4.5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    paths = make_packages(args.packages, args.target_mb)
    total = sum(p.stat().st_size for p in paths)
    print(
        f"{len(paths)} packages, {total / 1e6:.1f} MB in all "
        f"({total / len(paths) / 1e6:.2f} MB each)"
    )
    baseline, received, growth = [], [], []
    for run in range(args.runs):
        started = time.perf_counter()
        read_and_hash(paths)
        baseline.append(time.perf_counter() - started)
        elapsed, grown = receive_all(paths, run)
        received.append(elapsed)
        growth.append(grown)
    base, got = statistics.median(baseline), statistics.median(received)
    grown = statistics.median(growth)
    print(f"read and hash the files (baseline)   median {base:6.2f} s")
    print(
        f"consolidate --db UPPER {len(paths)} packages     median {got:6.2f} s  "
        f"ratio {got / base:.1f}x  budget 10 s: {'ok' if got <= 10 else 'OVER'}"
    )
    print(
        f"upper register grew by {grown / 1e6:.1f} MB for {total / 1e6:.1f} MB of packages "
        f"({grown / total:.3f}x): {'ok' if grown <= total else 'OVER'}"
    )
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
