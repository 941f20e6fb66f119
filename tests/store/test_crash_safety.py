"""Crash safety, proved by killing: writers are killed with SIGKILL at random moments, over
and over; afterwards every write a writer reported as committed is there, none is there by
halves, and SQLite's integrity and foreign-key checks pass.

A killed writer also leaves its lock file behind: each next writer must find it stale
and take over (one writer, stale lock cleared).
"""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from chapter_app.services.setup import init_database

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
