"""Fuzzing the package reader: 1,200 mutated packages (fixed seed), never a traceback, and
the upper register unchanged by every package it refuses."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import random
import time
import zipfile
from datetime import UTC, datetime

import pytest

from chapter_app.errors import AppError
from chapter_app.services import exchange as ex
from chapter_app.services.receive import receive_packages
from chapter_app.services.setup import init_database
from tests.services.conftest import make_chapter

SEED = 20261205
ROUNDS = 1200
NOW = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)
ODD_VALUES = [
    None,
    True,
    -1,
    0,
    10**400,
    1.5,
    "",
    "x" * 5000,
    "\x1b[31m",
    "\u202e",
    [],
    [1, [2]],
    {},
    {"a": {"b": {}}},
    "2026-13-45",
    "2026-10-05T08:00:00",
]


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _mutate_json(value, rng: random.Random, depth: int = 0):
    """A random change somewhere in a JSON value: a new type, a key gone or added."""
    if isinstance(value, dict) and value and depth < 6 and rng.random() < 0.7:
        key = rng.choice(sorted(value, key=str))
        choice = rng.random()
        if choice < 0.15:
            del value[key]
        elif choice < 0.25:
            value[rng.choice(["extra", "Bad Key", "a.b", "x" * 60])] = rng.choice(ODD_VALUES)
        else:
            value[key] = _mutate_json(value[key], rng, depth + 1)
        return value
    if isinstance(value, list) and value and depth < 6 and rng.random() < 0.7:
        index = rng.randrange(len(value))
        value[index] = _mutate_json(value[index], rng, depth + 1)
        return value
    return copy.deepcopy(rng.choice(ODD_VALUES))


def _forged(parts: dict[str, bytes], manifest: dict, rng: random.Random) -> bytes:
    """Checksums recomputed: the mutation reaches the schema checks."""
    parts = dict(parts)
    target = rng.choice(["manifest", "stats", "records", "manifest-after"])
    if target == "stats":
        stats = _mutate_json(json.loads(parts["stats.json"]), rng)
        parts["stats.json"] = json.dumps(stats, ensure_ascii=False).encode()
    elif target == "records":
        name = rng.choice([n for n in parts if n.startswith("records/")])
        parts[name] = rng.choice([b"", b"{}", b"[]", parts[name][:-5], b"\xff\xfe", b"null"])
    manifest = copy.deepcopy(manifest)
    manifest["parts"] = [
        {"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)}
        for n, d in sorted(parts.items())
    ]
    if target in ("manifest", "manifest-after"):
        manifest = _mutate_json(manifest, rng)
    return _zip({"manifest.json": json.dumps(manifest, ensure_ascii=False).encode(), **parts})


def _bytes_mutated(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    kind = rng.random()
    if kind < 0.5:
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind < 0.7:
        del data[rng.randrange(len(data)) :]
    elif kind < 0.85:
        at = rng.randrange(len(data))
        data[at:at] = rng.randbytes(rng.randint(1, 64))
    else:  # a size field of the zip directory
        at = data.rfind(b"PK\x01\x02")
        if at >= 0:
            offset = at + rng.choice([20, 24, 28, 42])
            data[offset : offset + 4] = rng.randbytes(4)
    return bytes(data)


def _state(store) -> tuple:
    return tuple(
        store.db.execute(f"SELECT COUNT(*), COALESCE(MAX(id), 0) FROM {table}").fetchone()
        for table in ("received_packages", "received_package_parts", "audit_log", "affiliates")
    )


@pytest.fixture
def sources(tmp_path):
    store = make_chapter(tmp_path / "a.db", "Hội CTĐ xã An", members=2, aid=[100_000])
    plain = ex.prepare_package(store, "2026-Q3", with_records=True, now=NOW)
    locked = ex.prepare_package(store, "2026-Q3", password="pw-1234", now=NOW)
    store.close()
    with zipfile.ZipFile(io.BytesIO(plain.data)) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    manifest = json.loads(parts.pop("manifest.json"))
    return plain.data, locked.data, parts, manifest


def test_a_thousand_mutated_packages_never_crash_and_refusals_change_nothing(tmp_path, sources):
    plain, locked, parts, manifest = sources
    upper = init_database(tmp_path / "upper.db", chapter_name="Hội CTĐ tỉnh Thử", user="u")
    ex.enable_upper_mode(upper)
    rng = random.Random(SEED)
    path = tmp_path / "fuzz.ctdpkg"
    counts = {"refused": 0, "received": 0}
    started = time.perf_counter()
    try:
        for round_no in range(ROUNDS):
            kind = rng.random()
            if kind < 0.45:
                data = _forged(parts, manifest, rng)
            elif kind < 0.85:
                data = _bytes_mutated(plain, rng)
            else:
                data = _bytes_mutated(locked, rng)
            path.write_bytes(data)
            before = _state(upper)
            try:
                batch = receive_packages(upper, [path], password="pw-1234")
            except AppError as exc:  # a refusal outside the verdicts is still a clear one
                raise AssertionError(f"round {round_no}: raised instead of a verdict") from exc
            except Exception as exc:
                raise AssertionError(f"round {round_no}: traceback {exc!r}") from exc
            if batch.ok:
                counts["received"] += 1
            else:
                counts["refused"] += 1
                assert _state(upper) == before, f"round {round_no} changed the register"
                assert batch.verdicts[0].message
    finally:
        upper.close()
    elapsed = time.perf_counter() - started
    print(f"package fuzz: {ROUNDS} packages, {counts} in {elapsed:.1f} s")
    assert counts["refused"] >= ROUNDS * 0.8
