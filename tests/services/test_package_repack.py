"""Received parts re-encoded at zstd level 1 when smaller (issue 18: the upper register grows
by less than the packages' size); kept parts read back byte for byte, damage still found."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import UTC, datetime

import pytest

from chapter_app.domain.periods import parse_period
from chapter_app.errors import AppError
from chapter_app.services import exchange as ex
from chapter_app.services import package_read
from chapter_app.services.package_read import PackageFile
from chapter_app.store.part_codec import DecodeError, ZstdEncoder, decode, zstd
from chapter_app.store.schema import migration_names
from chapter_app.store.store import Store
from tests.services.conftest import make_chapter
from tests.services.test_package_hostile import _refused, _state

Q3 = parse_period("2026-Q3")
NOW = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)
PEOPLE = "records/people.json"


@pytest.fixture
def big_chapter(tmp_path):
    store = make_chapter(tmp_path / "b.db", "Hội CTĐ xã Bình", members=25, aid=[100_000] * 30)
    yield store
    store.close()


def _package(chapter, tmp_path, name="an.ctdpkg"):
    return ex.build_package(chapter, Q3, tmp_path / name, now=NOW, with_records=True).path


def _kept(store) -> dict[str, tuple[str, bytes]]:
    rows = store.db.execute("SELECT name, encoding, content FROM received_package_parts")
    return {name: (encoding, bytes(content)) for name, encoding, content in rows}


def _encodings(store) -> set[str]:
    rows = store.db.execute("SELECT DISTINCT encoding FROM received_package_parts")
    return {row[0] for row in rows}


def _in_file(path) -> dict[str, tuple[str, bytes, bytes]]:
    """Each part as the package holds it: (encoding, bytes as stored, bytes inflated)."""
    data = path.read_bytes()
    with PackageFile(path) as reader:
        return {
            p.name: (
                p.encoding,
                data[p.offset : p.offset + p.length],
                package_read.inflate(data[p.offset : p.offset + p.length], p.encoding),
            )
            for p in reader.verify().stored
        }


def _figures(store):
    result = ex.consolidate(store, Q3)
    return result.totals, result.blocks, [(r.chapter_name, r.figures) for r in result.rows]


def test_the_encoder_round_trips_in_pieces_and_gives_up_when_not_smaller():
    data = "Nguyễn Thị Hằng, 0912345678, 15/08/2026;".encode() * 5000
    encoder = ZstdEncoder(len(data))
    for start in range(0, len(data), 777):
        encoder.feed(data[start : start + 777])
    packed = encoder.result()
    assert packed is not None and len(packed) < len(data) // 10
    assert decode(packed, "zstd", len(data)) == data
    noise = os.urandom(64 << 10)  # incompressible: the frame is larger than the bytes
    encoder = ZstdEncoder(len(noise))
    encoder.feed(noise)
    assert encoder.result() is None
    assert ZstdEncoder(1).result() is None  # even an empty frame is not smaller than 1 byte


def test_decode_is_bounded_and_refuses_broken_streams():
    data = b"x" * 100_000
    packed = zstd.compress(data, 1)
    assert decode(packed, "zstd", len(data)) == data
    with pytest.raises(DecodeError):  # more than its size: stopped at the size and one byte
        decode(packed, "zstd", 10)
    with pytest.raises(DecodeError):
        decode(packed[:-3], "zstd", len(data))
    with pytest.raises(DecodeError):
        decode(packed + b"tail", "zstd", len(data))
    with pytest.raises(DecodeError):
        decode(b"\x00" * 40, "zstd", len(data))
    with pytest.raises(DecodeError):
        decode(packed, "brotli", len(data))


def test_parts_are_kept_in_zstd_exactly_when_it_is_smaller(big_chapter, upper, tmp_path):
    path = _package(big_chapter, tmp_path)
    result = ex.receive_package(upper, path)
    in_file = _in_file(path)
    kept = _kept(upper)
    assert set(kept) == set(in_file)
    encodings = set()
    for name, (encoding, content) in kept.items():
        file_encoding, raw, inflated = in_file[name]
        if name == "stats.json":  # checked before the parts, kept as it came
            assert (encoding, content) == (file_encoding, raw)
            continue
        smaller = len(zstd.compress(inflated, 1)) < len(raw)
        assert encoding == ("zstd" if smaller else file_encoding), name
        if smaller:
            assert len(content) < len(raw)
            assert decode(content, "zstd", len(inflated)) == inflated
        else:
            assert content == raw
        encodings.add(encoding)
    assert encodings == {"zstd", "deflate"}  # both cases met (small parts stay deflate)
    for part in upper.exchange.packages.parts(result.package.id):
        assert part.content == in_file[part.name][2]
        assert hashlib.sha256(part.content).hexdigest() == part.sha256
    assert upper.exchange.packages.stored_size() < sum(len(r) for _e, r, _i in in_file.values())


def test_a_part_above_the_repack_size_is_kept_as_it_came(big_chapter, upper, tmp_path, monkeypatch):
    path = _package(big_chapter, tmp_path)
    in_file = _in_file(path)
    members = "records/members.json"
    limit = len(in_file[members][2]) - 1
    monkeypatch.setattr(package_read, "REPACK_MAX_SIZE", limit)
    ex.receive_package(upper, path)
    kept = _kept(upper)
    assert kept[members] == in_file[members][:2]
    assert any(
        encoding == "zstd" and len(in_file[name][2]) <= limit
        for name, (encoding, _content) in kept.items()
    )
    for name, (encoding, content) in kept.items():
        if len(in_file[name][2]) > limit:
            assert (encoding, content) == in_file[name][:2]


def test_a_damaged_part_is_refused_while_being_re_encoded(big_chapter, upper, tmp_path):
    path = _package(big_chapter, tmp_path)
    encoding, raw, _inflated = _in_file(path)[PEOPLE]
    assert encoding == "deflate"
    data = bytearray(path.read_bytes())
    at = bytes(data).index(raw) + len(raw) // 2
    data[at : at + 8] = b"\xff" * 8
    damaged = tmp_path / "damaged.ctdpkg"
    damaged.write_bytes(bytes(data))
    _refused(upper, damaged, r"không khớp|hỏng|không giải nén được")


def test_a_damaged_zstd_part_is_refused_when_read_and_the_register_unchanged(
    big_chapter, upper, tmp_path
):
    result = ex.receive_package(upper, _package(big_chapter, tmp_path))
    encoding, content = _kept(upper)[PEOPLE]
    assert encoding == "zstd"
    for broken in (content[:-5], content[:20] + bytes(40) + content[60:], content + b"\x00"):
        upper.db.execute(
            "UPDATE received_package_parts SET content = ? WHERE name = ?", [broken, PEOPLE]
        )
        before = _state(upper), _kept(upper)
        with pytest.raises(AppError, match="không khớp mã kiểm tra SHA-256"):
            upper.exchange.packages.part(result.package.id, PEOPLE)
        with pytest.raises(AppError, match="consolidate --remove"):
            upper.exchange.packages.parts(result.package.id)
        assert (_state(upper), _kept(upper)) == before


def test_consolidated_figures_and_parts_are_the_same_with_or_without_repacking(
    big_chapter, chapter, tmp_path, monkeypatch
):
    paths = [_package(big_chapter, tmp_path, "b.ctdpkg"), _package(chapter, tmp_path)]
    registers = {}
    for repack in (False, True):
        if not repack:
            monkeypatch.setattr(package_read, "REPACK_MAX_SIZE", -1)
        else:
            monkeypatch.undo()
        store = _upper(tmp_path / f"upper-{repack}.db")
        for path in paths:
            ex.receive_package(store, path)
        assert ("zstd" in _encodings(store)) is repack
        registers[repack] = (
            _figures(store),
            {
                p.name: (p.sha256, p.content)
                for package in store.exchange.packages.for_period(Q3.code)
                for p in store.exchange.packages.parts(package.id)
            },
            store.exchange.packages.stored_size(),
        )
        store.close()
    assert registers[True][:2] == registers[False][:2]
    assert registers[True][2] < registers[False][2]


def _upper(path):
    from chapter_app.services.setup import init_database

    store = init_database(path, chapter_name="Hội CTĐ tỉnh Thử", user="u")
    ex.enable_upper_mode(store)
    return store


def _as_before_0010(path, *, spelled: str | None = None) -> None:
    """The register as migration 0009 left it: zstd not allowed, 0010 not applied
    (``spelled``: the CHECK written otherwise than 0009 writes it)."""
    conn = sqlite3.connect(path)
    sql = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'received_package_parts'"
    ).fetchone()[0]
    old = sql.replace(", 'zstd'", "").replace('"received_package_parts"', "old_parts")
    old = old.replace("received_package_parts", "old_parts")
    if spelled is not None:
        old = old.replace("CHECK (encoding IN ('plain', 'deflate'))", spelled)
    assert "'zstd'" not in old and "deflate" in old
    with conn:
        conn.execute(old)
        conn.execute("INSERT INTO old_parts SELECT * FROM received_package_parts")
        conn.execute("DROP TABLE received_package_parts")
        conn.execute("ALTER TABLE old_parts RENAME TO received_package_parts")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0010_exchange_zstd'")
    conn.close()


@pytest.mark.parametrize("spelled", [None, "CHECK(encoding in ('plain','deflate'))"])
def test_the_migration_keeps_old_deflate_parts_and_allows_zstd(
    big_chapter, chapter, tmp_path, monkeypatch, spelled
):
    """0009's CHECK is widened in place (the file does not grow); one written otherwise
    is widened by copying the table."""
    path = tmp_path / "upper.db"
    store = _upper(path)
    monkeypatch.setattr(package_read, "REPACK_MAX_SIZE", -1)  # as received before 0010
    ex.receive_package(store, _package(chapter, tmp_path))
    monkeypatch.undo()
    rows_before = store.db.execute(
        "SELECT id, package_id, name, sha256, size, content, encoding "
        "FROM received_package_parts ORDER BY id"
    ).fetchall()
    figures = _figures(store)
    store.close()
    _as_before_0010(path, spelled=spelled)
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError), conn:
        conn.execute("UPDATE received_package_parts SET encoding = 'zstd' WHERE id = 1")
    conn.execute("VACUUM")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()

    with Store.open(path) as store:
        applied = [r[0] for r in store.db.execute("SELECT name FROM _sqlite_migrations")]
        assert applied[-1] == "0010_exchange_zstd" and sorted(applied) == sorted(migration_names())
        rows = store.db.execute(
            "SELECT id, package_id, name, sha256, size, content, encoding "
            "FROM received_package_parts ORDER BY id"
        ).fetchall()
        assert rows == rows_before and {r[-1] for r in rows} == {"deflate"}
        grown = store.db.execute("PRAGMA page_count").fetchone()[0] - pages
        freed = store.db.execute("PRAGMA freelist_count").fetchone()[0]
        if spelled is None:  # in place: at most a page for the migration's own record
            assert grown <= 1 and freed == 0
        else:  # copied: the old table's pages were let go
            assert freed > 0 and grown >= freed
        assert _figures(store) == figures
        for package in store.exchange.packages.for_period(Q3.code):
            for part in store.exchange.packages.parts(package.id):
                assert hashlib.sha256(part.content).hexdigest() == part.sha256
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ex.receive_package(store, _package(big_chapter, tmp_path, "b.ctdpkg"))
        assert _encodings(store) == {"deflate", "zstd"}
