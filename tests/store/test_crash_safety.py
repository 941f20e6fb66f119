"""Crash safety, proved by killing: writers are killed with SIGKILL at random moments, over
and over; afterwards every write a writer reported as committed is there, none is there by
halves, and SQLite's integrity and foreign-key checks pass.

A killed writer also leaves its lock file behind: each next writer must find it stale
and take over (one writer, stale lock cleared).
"""

from __future__ import annotations

import contextlib
import os
import queue
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from chapter_app.services.setup import init_database
from chapter_app.store.store import Store

CHILD = Path(__file__).with_name("crash_child.py")
KILLS = 220  # at least 200, as the issue asks
MAX_DELAY = 0.06  # seconds from start to kill: covers opening, writing and committing
SEED = 20260106


@dataclass
class Tally:
    kills: int = 0
    reported: set[str] = field(default_factory=set)
    ready: int = 0
    stale_cleared: int = 0
    unexpected_exits: list[str] = field(default_factory=list)


def _reader(stream, lines: queue.Queue, seen: dict | None = None) -> None:
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8").rstrip("\n")
        if seen is not None and line.startswith("ready "):
            seen[int(line.split()[1])] = time.monotonic()
        lines.put(line)
    lines.put(None)


def _take(tally: Tally, line: str) -> None:
    words = line.split()
    if words[0] == "ok":
        tally.reported.add(words[2])
    elif words[0] == "ready":
        tally.ready += 1
        tally.stale_cleared += words[2] == "stale"


def _run_fork_server(db_path: Path, rng: random.Random, kills: int, tally: Tally, errors):
    server = subprocess.Popen(
        [sys.executable, str(CHILD), "serve", str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=errors,
    )
    lines: queue.Queue = queue.Queue()
    ready_at: dict[int, float] = {}
    threading.Thread(target=_reader, args=(server.stdout, lines, ready_at), daemon=True).start()
    opening: list[float] = []  # how long writers take to open, on this machine

    def send(text: str) -> None:
        server.stdin.write((text + "\n").encode())
        server.stdin.flush()

    def until(prefix: str) -> list[str]:
        while True:
            line = lines.get(timeout=30)
            assert line is not None, "the fork server died"
            if line.startswith(prefix):
                return line.split()
            _take(tally, line)

    try:
        for i in range(kills):
            spawned = time.monotonic()
            send(f"spawn t{i}")
            pid = int(until("pid ")[1])
            # Kill anywhere from start-up to well into writing, on fast and slow machines.
            typical_open = sorted(opening)[len(opening) // 2] if opening else 0.0
            time.sleep(rng.uniform(0, max(MAX_DELAY, 2.5 * typical_open)))
            os.kill(pid, signal.SIGKILL)
            send(f"reap {pid}")
            _, _, sig, code = until(f"reaped {pid} ")
            if pid in ready_at:
                opening.append(ready_at[pid] - spawned)
            if int(sig) == signal.SIGKILL:
                tally.kills += 1
            else:
                tally.unexpected_exits.append(f"writer {pid}: signal {sig}, exit {code}")
        send("quit")
        server.wait(timeout=30)
        while (line := lines.get(timeout=30)) is not None:
            _take(tally, line)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def _run_plain(db_path: Path, rng: random.Random, kills: int, tally: Tally, errors):
    """One fresh Python process per kill (where fork is not available, and as a check of
    the plain way)."""
    for i in range(kills):
        child = subprocess.Popen(
            [sys.executable, str(CHILD), "once", str(db_path), f"p{i}"],
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=_reader, args=(child.stdout, lines), daemon=True).start()
        # Wait until it is open (Python's start-up is not the interesting part), then kill.
        while (line := lines.get(timeout=30)) is not None:
            _take(tally, line)
            if line.startswith("ready"):
                break
        time.sleep(rng.uniform(0, MAX_DELAY))
        child.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
        child.wait(timeout=30)
        while (line := lines.get(timeout=30)) is not None:
            _take(tally, line)
        tally.kills += 1


def _verify(db_path: Path, tally: Tally) -> dict:
    conn = sqlite3.connect(db_path)
    try:
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        foreign_keys = conn.execute("PRAGMA foreign_key_check").fetchall()
        people = dict(
            conn.execute("SELECT uuid, id FROM people WHERE notes LIKE 't%' OR notes LIKE 'p%'")
        )
        half = conn.execute(
            """SELECT p.uuid,
                 (SELECT COUNT(*) FROM members m WHERE m.person_id = p.id),
                 (SELECT COUNT(*) FROM member_status s JOIN members m ON m.id = s.member_id
                   WHERE m.person_id = p.id),
                 (SELECT COUNT(*) FROM audit_log a WHERE a.op_id = (
                   SELECT op_id FROM audit_log WHERE row_uuid = p.uuid))
               FROM people p WHERE p.notes LIKE 't%' OR p.notes LIKE 'p%'"""
        ).fetchall()
    finally:
        conn.close()
    missing = tally.reported - set(people)
    halves = [row for row in half if row[1:] != (1, 1, 3)]
    return {
        "integrity": integrity,
        "foreign_keys": foreign_keys,
        "stored": len(people),
        "missing": missing,
        "halves": halves,
    }


def _report(name: str, tally: Tally, result: dict) -> None:
    print(
        f"\n{name}: kills={tally.kills} writers_opened={tally.ready} "
        f"stale_locks_cleared={tally.stale_cleared} "
        f"committed_reported={len(tally.reported)} stored={result['stored']} "
        f"lost={len(result['missing'])} half_written={len(result['halves'])} "
        f"integrity={'ok' if result['integrity'] == ['ok'] else result['integrity'][:3]} "
        f"foreign_key_problems={len(result['foreign_keys'])}"
    )


def _check(tally: Tally, result: dict, *, kills: int) -> None:
    assert tally.unexpected_exits == []
    assert tally.kills == kills
    assert result["integrity"] == ["ok"]
    assert result["foreign_keys"] == []
    assert result["missing"] == set(), "committed writes were lost"
    assert result["halves"] == [], "writes were half present"
    # Writes committed but killed before they could be reported: at most one per kill.
    assert len(tally.reported) <= result["stored"] <= len(tally.reported) + kills


def test_writers_killed_at_random_moments_lose_no_committed_write(tmp_path, capsys):
    db_path = tmp_path / "crash.db"
    init_database(db_path, chapter_name="Hội CTĐ xã Thử").close()
    rng = random.Random(SEED)
    tally = Tally()
    errors = (tmp_path / "errors.txt").open("wb")
    started = time.monotonic()
    with errors:
        if hasattr(os, "fork"):
            _run_fork_server(db_path, rng, KILLS, tally, errors)
        else:  # pragma: no cover - Windows
            _run_plain(db_path, rng, KILLS, tally, errors)
    result = _verify(db_path, tally)
    with capsys.disabled():
        _report(f"kill test ({time.monotonic() - started:.1f} s)", tally, result)
    assert (tmp_path / "errors.txt").read_text(errors="replace") == ""
    _check(tally, result, kills=KILLS)
    # The kills landed while writing, not only while starting up.
    assert tally.ready >= KILLS // 4
    assert len(tally.reported) >= KILLS // 2
    # Writers that got as far as opening found the lock left by a killed one, and took over.
    # (A writer killed before it wrote its lock leaves none behind, so not every one is stale.)
    assert 0 < tally.stale_cleared <= tally.ready


def test_plain_writer_processes_killed_lose_no_committed_write(tmp_path, capsys):
    db_path = tmp_path / "crash.db"
    init_database(db_path, chapter_name="Hội CTĐ xã Thử").close()
    rng = random.Random(SEED + 1)
    tally = Tally()
    kills = 6
    with (tmp_path / "errors.txt").open("wb") as errors:
        _run_plain(db_path, rng, kills, tally, errors)
    result = _verify(db_path, tally)
    with capsys.disabled():
        _report("plain processes", tally, result)
    _check(tally, result, kills=kills)
    assert tally.stale_cleared == kills - 1  # every writer after the first found a stale lock


# --- imports and restores killed at random moments -------------------------------------------

JOB_KILLS = 30


class _Jobs:
    """The fork server running one job per ``spawn`` line (an import or a restore)."""

    def __init__(self, db_path: Path, errors):
        self.server = subprocess.Popen(
            [sys.executable, str(CHILD), "serve", str(db_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=_reader, args=(self.server.stdout, self.lines), daemon=True).start()
        self.done: list[str] = []  # "imported ..." / "restored ..." / "consolidated" lines
        self.stale = 0

    def _until(self, prefix: str) -> list[str]:
        while True:
            line = self.lines.get(timeout=60)
            assert line is not None, "the fork server died"
            if line.startswith(prefix):
                return line.split()
            if line.startswith(("imported", "restored", "consolidated")):
                self.done.append(line)
            elif line.startswith("ready") and line.endswith("stale"):
                self.stale += 1

    def timed(self, job: str, runs: int = 2) -> float:
        """The shortest time ``job`` takes here when left to finish."""
        times = []
        for _ in range(runs):
            began = time.monotonic()
            self.run(job, kill_after=None)
            times.append(time.monotonic() - began)
        return min(times)

    def run(self, job: str, *, kill_after: float | None) -> bool:
        """Run ``job``; kill it after ``kill_after`` seconds (None: let it finish). True
        when it was killed before it ended."""
        self.server.stdin.write(f"spawn {job}\n".encode())
        self.server.stdin.flush()
        pid = int(self._until("pid ")[1])
        if kill_after is not None:
            time.sleep(kill_after)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.server.stdin.write(f"reap {pid}\n".encode())
        self.server.stdin.flush()
        _, _, sig, code = self._until(f"reaped {pid} ")
        assert int(sig) == signal.SIGKILL or int(code) == 0, f"job {job}: exit {code}"
        return int(sig) == signal.SIGKILL

    def kill_series(self, job_of, rng: random.Random) -> int:
        """Time ``job_of(0)`` left to finish, then run ``job_of(1..JOB_KILLS)`` each killed
        at a random moment within that time; returns how many were killed."""
        duration = self.timed(job_of(0), runs=1)
        kills = 0
        for i in range(1, JOB_KILLS + 1):
            began = time.monotonic()
            if self.run(job_of(i), kill_after=rng.uniform(0, 0.9 * duration)):
                kills += 1
            else:  # it ended before the kill: aim earlier from now on
                duration = min(duration, time.monotonic() - began)
        return kills

    def close(self) -> None:
        self.server.stdin.write(b"quit\n")
        self.server.stdin.flush()
        self.server.wait(timeout=30)
        while (line := self.lines.get(timeout=30)) is not None:
            if line.startswith(("imported", "restored", "consolidated")):
                self.done.append(line)


def _integrity(db_path: Path) -> tuple[list[str], list]:
    conn = sqlite3.connect(db_path)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")], conn.execute(
            "PRAGMA foreign_key_check"
        ).fetchall()
    finally:
        conn.close()


def test_imports_killed_at_random_moments_are_whole_or_absent(tmp_path, capsys):
    db_path = tmp_path / "crash.db"
    with init_database(db_path, chapter_name="Hội CTĐ xã Thử") as store:
        store.branches.add(name="Chi hội Thôn 1")
    rng = random.Random(SEED + 2)
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    started = time.monotonic()
    with (tmp_path / "errors.txt").open("wb") as errors:
        jobs = _Jobs(db_path, errors)
        try:
            kills = jobs.kill_series(lambda i: f"i{i} import {sheets}", rng)
        finally:
            jobs.close()
    conn = sqlite3.connect(db_path)
    counts = {
        f"i{i}": conn.execute(
            "SELECT COUNT(*) FROM people WHERE full_name LIKE ?", [f"Người Nhập i{i} Số %"]
        ).fetchone()[0]
        for i in range(JOB_KILLS + 1)
    }
    conn.close()
    integrity, foreign_keys = _integrity(db_path)
    reported = {line.split()[2] for line in jobs.done}
    whole = sum(1 for n in counts.values() if n == 40)
    halves = {tag: n for tag, n in counts.items() if n not in (0, 40)}
    with capsys.disabled():
        print(
            f"\nimport kill test ({time.monotonic() - started:.1f} s): imports={JOB_KILLS + 1} "
            f"kills={kills} completed_reported={len(reported)} stored_whole={whole} "
            f"absent={len(counts) - whole - len(halves)} half_written={len(halves)} "
            f"stale_locks_cleared={jobs.stale} "
            f"integrity={'ok' if integrity == ['ok'] else integrity[:3]} "
            f"foreign_key_problems={len(foreign_keys)}"
        )
    assert (tmp_path / "errors.txt").read_text(errors="replace") == ""
    assert integrity == ["ok"] and foreign_keys == []
    assert halves == {}, "an import was half written"
    assert all(counts[tag] == 40 for tag in reported), "a reported import was lost"
    assert kills >= JOB_KILLS // 2  # most kills landed while importing


def test_restores_killed_at_random_moments_leave_the_old_file_or_the_new(tmp_path, capsys):
    from chapter_app.services.backups import create_backup

    db_path = tmp_path / "crash.db"
    with init_database(db_path, chapter_name="Hội CTĐ xã Thử") as store:
        with store.operation("Thêm"):
            for n in range(3):
                store.people.add(full_name=f"Người Sao Lưu {n}")
        backup = create_backup(store, dest_dir=tmp_path / "saved")
        with store.operation("Thêm"):
            for n in range(5):
                store.people.add(full_name=f"Người Sau {n}")
    pristine = tmp_path / "pristine.db"
    shutil.copyfile(db_path, pristine)
    rng = random.Random(SEED + 3)
    outcomes = {"old": 0, "restored": 0}
    started = time.monotonic()
    kills = 0
    with (tmp_path / "errors.txt").open("wb") as errors:
        jobs = _Jobs(db_path, errors)
        try:
            duration = jobs.timed(f"r0 restore {backup}", runs=1)
            for _i in range(JOB_KILLS):
                for suffix in ("-wal", "-shm", ".lock", ".restoring"):
                    Path(f"{db_path}{suffix}").unlink(missing_ok=True)
                shutil.copyfile(pristine, db_path)
                began = time.monotonic()
                if jobs.run(f"r restore {backup}", kill_after=rng.uniform(0, 0.9 * duration)):
                    kills += 1
                else:  # it ended before the kill: aim earlier from now on
                    duration = min(duration, time.monotonic() - began)
                integrity, foreign_keys = _integrity(db_path)
                assert integrity == ["ok"] and foreign_keys == []
                with Store.open(db_path, user="t") as store:  # a stale lock is taken over
                    people = store.people.count()
                assert people in (3, 8), f"{people} people: neither the old file nor the new"
                outcomes["restored" if people == 3 else "old"] += 1
        finally:
            jobs.close()
    with capsys.disabled():
        print(
            f"\nrestore kill test ({time.monotonic() - started:.1f} s): restores={JOB_KILLS} "
            f"kills={kills} left_old={outcomes['old']} left_restored={outcomes['restored']} "
            f"integrity=ok"
        )
    assert (tmp_path / "errors.txt").read_text(errors="replace") == ""
    assert kills >= JOB_KILLS // 2


def test_consolidations_killed_at_random_moments_keep_every_package_or_none(tmp_path, capsys):
    """The upper level receiving a few packages with their records in one command: killed
    at any moment, it has kept all of that command's packages or none of them."""
    from chapter_app.services import exchange as ex
    from tests.services.conftest import make_chapter
    from tests.store.crash_child import PACKAGES

    db_path = tmp_path / "upper.db"
    with init_database(db_path, chapter_name="Hội CTĐ tỉnh Thử") as store:
        ex.enable_upper_mode(store)
    packages = tmp_path / "packages"
    packages.mkdir()
    with make_chapter(tmp_path / "xa.db", "Hội CTĐ xã Mẫu", members=30, aid=[100_000] * 30) as xa:
        base = ex.build_package(xa, "2026-Q3", packages / "base.ctdpkg", with_records=True).path
    rng = random.Random(SEED + 4)
    started = time.monotonic()
    with (tmp_path / "errors.txt").open("wb") as errors:
        jobs = _Jobs(db_path, errors)
        try:
            kills = jobs.kill_series(lambda i: f"c{i} consolidate {base}", rng)
        finally:
            jobs.close()
    conn = sqlite3.connect(db_path)
    kept = {
        f"c{i}": conn.execute(
            "SELECT COUNT(*) FROM received_packages WHERE chapter_name LIKE ?",
            [f"Hội CTĐ xã c{i} Số %"],
        ).fetchone()[0]
        for i in range(JOB_KILLS + 1)
    }
    parts = conn.execute(
        "SELECT COUNT(DISTINCT n) FROM (SELECT package_id, COUNT(*) AS n "
        "FROM received_package_parts GROUP BY package_id)"
    ).fetchone()[0]
    conn.close()
    integrity, foreign_keys = _integrity(db_path)
    reported = {line.split()[2] for line in jobs.done}
    whole = sum(1 for n in kept.values() if n == PACKAGES)
    halves = {tag: n for tag, n in kept.items() if n not in (0, PACKAGES)}
    with capsys.disabled():
        print(
            f"\nconsolidation kill test ({time.monotonic() - started:.1f} s): "
            f"commands={JOB_KILLS + 1} of {PACKAGES} packages, kills={kills} "
            f"completed_reported={len(reported)} kept_whole={whole} "
            f"absent={len(kept) - whole - len(halves)} half_kept={len(halves)} "
            f"stale_locks_cleared={jobs.stale} "
            f"integrity={'ok' if integrity == ['ok'] else integrity[:3]} "
            f"foreign_key_problems={len(foreign_keys)}"
        )
    assert (tmp_path / "errors.txt").read_text(errors="replace") == ""
    assert integrity == ["ok"] and foreign_keys == []
    assert halves == {}, "a consolidation was half kept"
    assert parts <= 1  # every package kept has all its parts
    assert all(kept[tag] == PACKAGES for tag in reported), "a reported consolidation was lost"
    assert kills >= JOB_KILLS // 2  # most kills landed while receiving
