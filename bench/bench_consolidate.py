"""Receiving a province's quarter: 100 commune packages with their records in one command.

Budget (issue 18): <= 10 s, and the upper register grows by no more than the packages'
own size. Baseline, measured in the same run: reading and SHA-256 hashing the same files.

By default each commune's package is made from its own generated register (the small demo
seeded by the commune's number: its own names, ID numbers, phones and figures, nothing
repeated within or between packages; kept in bench/data/consolidate/realistic, made again
with --fresh). ``--repeated`` receives instead one larger content (the small demo with its
rows repeated to about --target-mb) under 100 chapters' names, as measured before.

    .venv/bin/python bench/bench_consolidate.py [--packages 100] [--runs 3] [--fresh]
        [--repeated [--target-mb 4.5] [--old]] [--breakdown] [--dbstat] [--compare-repack]

``--compare-repack`` receives the same files again, alternately in each run, with every
part kept as it came (``REPACK_MAX_SIZE`` off): the cost and the gain of re-encoding.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import statistics
import sys
import time
import uuid
import zipfile
import zlib
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DATA_DIR, DEMO_TODAY
from chapter_app.services import exchange as ex
from chapter_app.services import package_read
from chapter_app.services.demo import generate_demo
from chapter_app.services.package_read import PackageFile
from chapter_app.services.package_schema import FORMAT_VERSION
from chapter_app.services.receive import receive_packages
from chapter_app.services.setup import init_database

WORK = DATA_DIR / "consolidate"
REALISTIC = WORK / "realistic"
PERIOD = "2026-Q3"
MADE_AT = datetime(2026, 10, 5, tzinfo=UTC)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _grow(part: bytes, times: int) -> bytes:
    """A records part with its rows repeated ``times`` times (a larger commune)."""
    head, _, rest = part.partition(b'"rows":[')
    rows, _, tail = rest.rpartition(b'],"table":')
    return head + b'"rows":[' + b",".join([rows] * times) + b'],"table":' + tail


def _deflated(data: bytes) -> bytes:
    """``data`` as ``zipfile`` stores it with ZIP_DEFLATED (the default level)."""
    packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def _remove_db(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def _make_commune(n: int) -> int:
    """The package of commune ``n``, made from its own register (demo seed ``n + 1``)."""
    db = REALISTIC / f"xa-{n:03d}.db"
    _remove_db(db)
    store = init_database(
        db, chapter_name=f"Hội Chữ thập đỏ xã Số {n + 1}", parent_name="Hội CTĐ tỉnh Mẫu"
    )
    generate_demo(store, size="small", seed=n + 1, today=DEMO_TODAY)
    made = ex.prepare_package(
        store, PERIOD, with_records=True, personal_data="full", now=MADE_AT + timedelta(minutes=n)
    )
    store.close()
    _remove_db(db)
    (REALISTIC / f"xa-{n:03d}.ctdpkg").write_bytes(made.data)
    return len(made.data)


def _current(path: Path) -> bool:
    """Whether ``path`` is a package this version would make (else it is made again)."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return False
    return manifest.get("format_version") == FORMAT_VERSION


def make_realistic(count: int, *, fresh: bool) -> list[Path]:
    """``count`` packages, each from its own generated register (made once, then reused)."""
    REALISTIC.mkdir(parents=True, exist_ok=True)
    paths = [REALISTIC / f"xa-{n:03d}.ctdpkg" for n in range(count)]
    todo = [n for n, path in enumerate(paths) if fresh or not _current(path)]
    if todo:
        print(f"making {len(todo)} communes' registers and packages ...", flush=True)
        started = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2) as pool:
            list(pool.map(_make_commune, todo))
        print(f"  made in {time.perf_counter() - started:.0f} s", flush=True)
    return paths


def make_repeated(count: int, target_mb: float, *, version: int = 2) -> list[Path]:
    """``count`` packages of about ``target_mb`` MB, one content under ``count`` chapters'
    names (the small demo's rows repeated); ``version`` 1 as made before format 2 (no hash
    of the parts as stored), checked inflated."""
    WORK.mkdir(parents=True, exist_ok=True)
    for old in [*WORK.glob(f"v{version}-*.ctdpkg"), *WORK.glob("commune.db*")]:
        old.unlink()
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
    manifest["format_version"] = version
    manifest["parts"] = [
        {"name": n, "sha256": _sha(d), "size": len(d)} for n, d in sorted(parts.items())
    ]
    if version >= 2:
        for entry in manifest["parts"]:
            entry["zip_sha256"] = _sha(_deflated(parts[entry["name"]]))
    paths = []
    for n in range(count):
        path = WORK / f"v{version}-xa-{n:03d}.ctdpkg"
        shutil.copyfile(base, path)
        manifest["chapter"] = {
            "uuid": str(uuid.UUID(int=n + 1)),
            "name": f"Hội Chữ thập đỏ xã Số {n + 1}",
            "parent_name": "Hội CTĐ tỉnh Mẫu",
            "place_name": f"Xã {n + 1}",
        }
        manifest["created_at"] = (MADE_AT + timedelta(minutes=n)).isoformat()
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        paths.append(path)
    return paths


def read_and_hash(paths: list[Path]) -> None:
    for path in paths:
        hashlib.sha256(path.read_bytes()).hexdigest()


def check_only(paths: list[Path]) -> float:
    """Seconds to check every package on one thread (parts inflated, hashed and re-encoded
    as when received), nothing written: the checking share of a receive."""
    started = time.perf_counter()
    for path in paths:
        with PackageFile(path) as reader:
            reader.verify_parts(reader.verify_head(), keep_raw={})
    return time.perf_counter() - started


def _page_use(db: Path) -> dict[str, int]:
    """Bytes of pages by table or index (SQLite's dbstat)."""
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))
    finally:
        conn.close()


def receive_all(paths: list[Path], run: int, *, dbstat: bool = False):
    """``(seconds, CPU seconds of the process, bytes the file grew, bytes grown by table
    when dbstat)``."""
    db = WORK / f"upper-{run}.db"
    _remove_db(db)
    shutil.rmtree(WORK / "backups", ignore_errors=True)
    store = init_database(db, chapter_name="Hội CTĐ tỉnh Mẫu")
    ex.enable_upper_mode(store)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = db.stat().st_size
    pages = _page_use(db) if dbstat else {}
    started, cpu = time.perf_counter(), time.process_time()
    batch = receive_packages(store, paths)
    store.close()  # the command's end: what is left in the WAL is written to the file
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert batch.ok and batch.stored, [v.message for v in batch.verdicts if not v.ok][:3]
    grown = db.stat().st_size - before
    if dbstat:
        pages = {name: size - pages.get(name, 0) for name, size in _page_use(db).items()}
    db.unlink()
    return elapsed, cpu, grown, pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--packages", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="make the communes' packages again")
    parser.add_argument(
        "--repeated", action="store_true", help="one repeated content under every name"
    )
    parser.add_argument("--target-mb", type=float, default=4.5, help="with --repeated")
    parser.add_argument(
        "--old", action="store_true", help="with --repeated: also format-1 packages"
    )
    parser.add_argument(
        "--breakdown", action="store_true", help="also check the packages alone (one thread)"
    )
    parser.add_argument("--dbstat", action="store_true", help="where the register grew")
    parser.add_argument(
        "--compare-repack",
        action="store_true",
        help="also receive the same files keeping every part as it came, alternately",
    )
    args = parser.parse_args()
    if args.repeated:
        versions = (2, 1) if args.old else (2,)
        sets = {v: make_repeated(args.packages, args.target_mb, version=v) for v in versions}
    else:
        sets = {2: make_realistic(args.packages, fresh=args.fresh)}
    repack = package_read.REPACK_MAX_SIZE
    variants = {f"format {v}": (paths, repack) for v, paths in sets.items()}
    if args.compare_repack:  # the same files, parts kept as they came (as before zstd)
        variants["format 2, parts kept as they came"] = (sets[2], -1)
    paths = sets[2]
    total = sum(p.stat().st_size for p in paths)
    kind = "repeated content" if args.repeated else "each from its own register"
    print(
        f"{len(paths)} packages ({kind}), {total:,} bytes in all "
        f"({total / len(paths) / 1e6:.2f} MB each)"
    )
    loads = [os.getloadavg()[0]]
    baseline, checks = [], []
    received: dict[str, list[float]] = {label: [] for label in variants}
    cpus: dict[str, list[float]] = {label: [] for label in variants}
    growth: dict[str, list[int]] = {label: [] for label in variants}
    pages: dict[str, list[int]] = {}
    for run in range(args.runs):
        started = time.perf_counter()
        read_and_hash(paths)
        baseline.append(time.perf_counter() - started)
        if args.breakdown:
            checks.append(check_only(paths))
        for label, (files, repack_max) in variants.items():
            package_read.REPACK_MAX_SIZE = repack_max
            elapsed, cpu, grown, by_table = receive_all(files, run, dbstat=args.dbstat)
            package_read.REPACK_MAX_SIZE = repack
            received[label].append(elapsed)
            cpus[label].append(cpu)
            growth[label].append(grown)
            if repack_max == repack and files is paths:
                for name, size in by_table.items():
                    pages.setdefault(name, []).append(size)
            loads.append(os.getloadavg()[0])
    base = statistics.median(baseline)
    print(f"read and hash the files (baseline)   median {base:6.2f} s")
    if checks:
        check = statistics.median(checks)
        print(
            f"check alone, one thread, nothing written: median {check:6.2f} s ({check / base:.1f}x)"
        )
    for label, (files, _repack_max) in variants.items():
        got = statistics.median(received[label])
        grown = statistics.median(growth[label])
        total = sum(p.stat().st_size for p in files)
        print(
            f"consolidate {len(files)} packages, {label}: median {got:6.2f} s "
            f"(runs {', '.join(f'{t:.2f}' for t in received[label])})  ratio "
            f"{got / base:.1f}x  budget 10 s: {'ok' if got <= 10 else 'OVER'}"
        )
        print(f"  CPU of the process (all threads): median {statistics.median(cpus[label]):.2f} s")
        print(
            f"  upper register grew by {grown:,} bytes for {total:,} bytes of packages "
            f"({grown / total:.4f}x): {'ok' if grown <= total else 'OVER'}"
        )
    for name, sizes in sorted(pages.items(), key=lambda item: -statistics.median(item[1])):
        if statistics.median(sizes):
            print(f"  {name:<44} {statistics.median(sizes):>14,.0f} bytes")
    print(
        "load average (1 min) during the runs: "
        + ", ".join(f"{x:.2f}" for x in loads)
        + f"; median {statistics.median(loads):.2f}"
    )


if __name__ == "__main__":
    main()
