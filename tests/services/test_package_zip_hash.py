"""Format 2: each part's hash as stored in the zip (issue 18, checking 100 packages fast).

The upper level hashes the parts as compressed and inflates them only to check their
bounds and frame; format-1 packages (without those hashes) are still received, checked
inflated; kept parts are inflated bounded and checked again when they are read."""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from datetime import UTC, datetime

import pytest

from chapter_app.domain.periods import parse_period
from chapter_app.errors import AppError
from chapter_app.services import exchange as ex
from chapter_app.services.package_read import PackageFile
from chapter_app.services.receive import receive_packages
from tests.services.conftest import make_chapter
from tests.services.test_package_hostile import _refused, _set_declared_size, _state, forge

Q3 = parse_period("2026-Q3")
NOW = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)
PEOPLE = "records/people.json"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _package(chapter, tmp_path, name="an.ctdpkg"):
    return ex.build_package(chapter, Q3, tmp_path / name, now=NOW, with_records=True)


def _as_format_1(manifest):
    for entry in manifest["parts"]:
        del entry["zip_sha256"]
    return {**manifest, "format_version": 1}


def _part_offset(path, member: str) -> tuple[int, int]:
    with PackageFile(path) as reader:
        part = next(p for p in reader.verify().stored if p.name == member)
        return part.offset, part.length


def test_each_part_names_the_hash_of_its_bytes_as_stored(chapter, tmp_path):
    info = _package(chapter, tmp_path)
    data = info.path.read_bytes()
    assert info.manifest["format_version"] == 2
    with PackageFile(info.path) as reader:
        stored = {p.name: p for p in reader.verify().stored}
    entries = {p["name"]: p for p in info.manifest["parts"]}
    assert set(entries) == set(stored) and PEOPLE in entries
    for name, part in stored.items():
        raw = data[part.offset : part.offset + part.length]
        assert entries[name]["zip_sha256"] == _sha(raw) != entries[name]["sha256"]
        assert _sha(zlib.decompress(raw, -15)) == entries[name]["sha256"]


def test_a_format_1_package_is_still_received(chapter, upper, tmp_path):
    info = _package(chapter, tmp_path)
    old = forge(info.path, tmp_path / "old.ctdpkg", manifest=_as_format_1)
    result = ex.receive_package(upper, old)
    assert result.status == "added"
    assert upper.exchange.packages.current(result.package.chapter_uuid, Q3.code).format_version == 1
    people = upper.exchange.packages.part(result.package.id, PEOPLE)
    assert _sha(people.content) == people.sha256


def test_a_format_1_package_is_still_checked_inflated(chapter, upper, tmp_path):
    info = _package(chapter, tmp_path)

    def change(manifest):  # the bytes changed after the manifest was made
        manifest = _as_format_1(manifest)
        entry = next(p for p in manifest["parts"] if p["name"] == PEOPLE)
        entry["sha256"] = _sha(b"what the chapter sent")
        return manifest

    _refused(upper, forge(info.path, tmp_path / "old.ctdpkg", manifest=change), "SHA-256")


@pytest.mark.parametrize(
    "change",
    [
        lambda m: {**m, "format_version": 1},  # names zip hashes format 1 does not know
        lambda m: {
            **m,
            "parts": [{k: v for k, v in p.items() if k != "zip_sha256"} for p in m["parts"]],
        },
        lambda m: {**m, "parts": [{**p, "zip_sha256": "0" * 63} for p in m["parts"]]},
        lambda m: {**m, "parts": [{**p, "zip_sha256": 7} for p in m["parts"]]},
    ],
    ids=["version-1-with-hashes", "version-2-without", "short-hash", "number"],
)
def test_zip_hashes_must_match_the_format_version(chapter, upper, tmp_path, change):
    info = _package(chapter, tmp_path)
    bad = forge(info.path, tmp_path / "bad.ctdpkg", manifest=change)
    _refused(upper, bad, "mục lạ|thiếu zip_sha256|mã kiểm tra")


def test_a_changed_byte_in_a_stored_part_refuses_the_whole_command(chapter, upper, tmp_path):
    good = _package(chapter, tmp_path, "an.ctdpkg")
    other = make_chapter(tmp_path / "b.db", "Hội CTĐ xã Bình", members=2, aid=[100_000])
    bad = _package(other, tmp_path, "binh.ctdpkg")
    other.close()
    offset, length = _part_offset(bad.path, PEOPLE)
    data = bytearray(bad.path.read_bytes())
    data[offset + length // 2] ^= 0x01
    bad.path.write_bytes(bytes(data))
    before = _state(upper)
    batch = receive_packages(upper, [good.path, bad.path])
    assert [v.ok for v in batch.verdicts] == [True, False]
    # the damaged stream may fail to inflate, or inflate to other bytes: refused either way
    assert "không nhận gói này" in batch.verdicts[1].message.lower()
    assert not batch.stored and _state(upper) == before


def _rezip(source, dest, *, change=lambda data: data, level=None):
    """The package with people.json changed by ``change`` and zipped again at ``level``,
    its manifest untouched (bytes altered after the package was made)."""
    with zipfile.ZipFile(source) as old:
        contents = {i.filename: old.read(i) for i in old.infolist()}
    contents[PEOPLE] = change(contents[PEOPLE])
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as new:
        for name, data in contents.items():
            new.writestr(name, data)
    return dest


def test_a_part_altered_to_the_same_size_is_refused(chapter, upper, tmp_path):
    info = _package(chapter, tmp_path)

    def swap(data):
        return data.replace(b'"birth_year":1950', b'"birth_year":1951', 1)

    sample = zipfile.ZipFile(info.path).read(PEOPLE)
    assert swap(sample) != sample and len(swap(sample)) == len(sample)
    _refused(upper, _rezip(info.path, tmp_path / "bad.ctdpkg", change=swap), "SHA-256")


def test_a_part_compressed_again_differently_is_refused_as_altered(chapter, upper, tmp_path):
    """Format 2 names the bytes as stored: the same records packed otherwise are not the
    package the chapter made."""
    info = _package(chapter, tmp_path)
    _refused(upper, _rezip(info.path, tmp_path / "bad.ctdpkg", level=1), "SHA-256")


def test_a_stored_part_still_inflates_within_its_declared_size(chapter, upper, tmp_path):
    """Hashing the compressed bytes does not skip inflating them: a part inflating past
    the size its manifest and the zip directory name is refused, though its zip hash is
    right."""
    info = _package(chapter, tmp_path)

    def small_size(manifest):
        entry = next(p for p in manifest["parts"] if p["name"] == PEOPLE)
        entry["size"] = 100
        return manifest

    bad = forge(info.path, tmp_path / "bad.ctdpkg", manifest=small_size)
    _set_declared_size(bad, PEOPLE, 100)
    with PackageFile(bad) as reader:  # what it claims passes the quick checks
        head = reader.verify_head()
    assert next(p for p in head.manifest["parts"] if p["name"] == PEOPLE)["zip_sha256"]
    _refused(upper, bad, "không khớp mã kiểm tra SHA-256")


def _kept_part(upper, info):
    package = upper.exchange.packages.current(info.manifest["chapter"]["uuid"], Q3.code)
    return package.id


@pytest.mark.parametrize(
    "content",
    [
        zlib.compress(b"x" * (64 << 20), 9)[2:-4],  # a bomb: 64 MiB from a few kilobytes
        b"not a deflate stream",
        zlib.compress(b"[]", 9)[2:-4],  # whole, but not the recorded bytes
    ],
    ids=["bomb", "garbage", "other-bytes"],
)
def test_a_kept_part_is_inflated_bounded_and_checked_when_read(chapter, upper, tmp_path, content):
    info = _package(chapter, tmp_path)
    ex.receive_package(upper, info.path)
    package_id = _kept_part(upper, info)
    with upper.db.atomic():
        upper.db.execute(
            "UPDATE received_package_parts SET content = ? WHERE package_id = ? AND name = ?",
            [content, package_id, PEOPLE],
        )
    with pytest.raises(AppError, match="SHA-256"):
        upper.exchange.packages.part(package_id, PEOPLE)
    with pytest.raises(AppError, match="SHA-256"):
        upper.exchange.packages.parts(package_id)


def test_the_manifest_kept_at_the_upper_level_names_the_zip_hashes(chapter, upper, tmp_path):
    info = _package(chapter, tmp_path)
    ex.receive_package(upper, info.path)
    package = upper.exchange.packages.get(_kept_part(upper, info))
    with zipfile.ZipFile(info.path) as archive:
        sent = json.loads(archive.read("manifest.json"))
    assert package.manifest == sent
    assert all("zip_sha256" in p for p in package.manifest["parts"])


def test_the_manifest_and_figures_are_kept_deflated_and_old_text_rows_still_read(
    chapter, upper, tmp_path
):
    info = _package(chapter, tmp_path)
    ex.receive_package(upper, info.path)
    manifest, stats = upper.db.execute("SELECT manifest, stats FROM received_packages").fetchone()
    assert isinstance(manifest, bytes) and isinstance(stats, bytes)
    kept = upper.exchange.packages.for_period(Q3.code)[0]
    assert len(stats) < len(json.dumps(kept.stats, ensure_ascii=False)) / 2
    with upper.ops.run("như phiên bản trước", undoable=False):
        upper.db.execute(
            "UPDATE received_packages SET manifest = ?, stats = ?",
            [json.dumps(kept.manifest), json.dumps(kept.stats)],
        )
    again = upper.exchange.packages.for_period(Q3.code)[0]
    assert (again.manifest, again.stats) == (kept.manifest, kept.stats)


def test_a_damaged_kept_manifest_gives_a_message_not_a_traceback(chapter, upper, tmp_path):
    info = _package(chapter, tmp_path)
    ex.receive_package(upper, info.path)
    with upper.ops.run("hỏng", undoable=False):
        upper.db.execute("UPDATE received_packages SET manifest = ?", [b"\x78\x9c broken"])
    with pytest.raises(AppError, match="bị hỏng"):
        upper.exchange.packages.for_period(Q3.code)


def test_packages_kept_as_text_by_an_older_version_are_packed_when_the_file_is_upgraded(
    chapter, tmp_path
):
    """Migration 0009_exchange_packed_json: an older version's text rows become deflated
    JSON with the same content (and an older version then refuses the file as newer)."""
    import sqlite3

    from chapter_app.store.store import Store
    from tests.services.conftest import init_database

    path = tmp_path / "province.db"
    upper = init_database(path, chapter_name="Hội CTĐ tỉnh Thử", user="u")
    ex.enable_upper_mode(upper)
    ex.receive_package(upper, _package(chapter, tmp_path).path)
    kept = upper.exchange.packages.for_period(Q3.code)[0]
    upper.close()
    conn = sqlite3.connect(path)  # as the older version kept it
    conn.execute(
        "UPDATE received_packages SET manifest = ?, stats = ?",
        [json.dumps(kept.manifest, ensure_ascii=False), json.dumps(kept.stats)],
    )
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0009_exchange_packed_json'")
    conn.commit()
    conn.close()
    with Store.open(path, user="u") as store:
        types = store.db.execute(
            "SELECT typeof(manifest), typeof(stats) FROM received_packages"
        ).fetchone()
        again = store.exchange.packages.for_period(Q3.code)[0]
    assert types == ("blob", "blob")
    assert (again.manifest, again.stats) == (kept.manifest, kept.stats)
