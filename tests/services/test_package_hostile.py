"""Hostile and careless packages: refused whole, never a traceback, the upper level unchanged."""

from __future__ import annotations

import hashlib
import json
import struct
import time
import zipfile
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chapter_app.domain.periods import parse_period
from chapter_app.errors import AppError
from chapter_app.services import exchange as ex
from chapter_app.services import protect
from chapter_app.services.package_read import KeptPart, PackageFile, inflate
from chapter_app.services.receive import receive_packages, remove_package
from chapter_app.store.part_codec import decode
from tests.services.conftest import make_chapter

Q3 = parse_period("2026-Q3")
NOW = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def forge(source: Path, dest: Path, *, manifest=None, stats=None, parts=None) -> Path:
    """A consistent package (checksums recomputed) whose manifest, figures or parts were
    changed by the given functions: what anyone could write by hand."""
    with zipfile.ZipFile(source) as old:
        contents = {i.filename: old.read(i) for i in old.infolist()}
    man = json.loads(contents.pop("manifest.json"))
    if stats is not None:
        data = json.loads(contents["stats.json"])
        contents["stats.json"] = json.dumps(stats(data), ensure_ascii=False).encode()
    if parts is not None:
        contents = parts(contents)
    man["parts"] = [
        {"name": n, "sha256": _sha(d), "size": len(d), "zip_sha256": _sha(_deflated(d))}
        for n, d in sorted(contents.items())
    ]
    if manifest is not None:
        man = manifest(man)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as new:
        new.writestr("manifest.json", json.dumps(man, ensure_ascii=False).encode())
        for name, data in contents.items():
            new.writestr(name, data)
    return dest


def _deflated(data: bytes) -> bytes:
    """``data`` as ``zipfile`` stores it with ZIP_DEFLATED (the default level)."""
    packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def _state(store) -> tuple:
    rows = store.db.execute("SELECT COUNT(*) FROM received_packages").fetchone()[0]
    parts = store.db.execute("SELECT COUNT(*) FROM received_package_parts").fetchone()[0]
    audit = store.db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    return rows, parts, audit


def _refused(upper, path, match, **options):
    before = _state(upper)
    with pytest.raises(AppError, match=match):
        ex.receive_package(upper, path, **options)
    assert _state(upper) == before


# --- forged figures -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "forged",
    [7, [1, 2], "mười", 10**400, {"x": {"bogus": 1}}, -5, 1.5, True],
    ids=["int", "list", "str", "huge", "nested", "negative", "float", "bool"],
)
def test_a_forged_figure_is_refused_and_consolidation_keeps_working(
    chapter, upper, tmp_path, forged
):
    good = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW)

    def change(stats):
        stats["period"]["aid"]["by_campaign"] = forged
        return stats

    bad = forge(good.path, tmp_path / "bad.ctdpkg", stats=change)
    _refused(upper, bad, r"sai dạng|không hợp lệ|mục lạ")
    ex.receive_package(upper, good.path)
    assert ex.consolidate(upper, Q3).totals["aid.value_total"] == 800_000


@pytest.mark.parametrize(
    "change",
    [
        lambda s: {**s, "period": 5},
        lambda s: {**s, "period": {**s["period"], "members": 12}},
        lambda s: {**s, "period": {**s["period"], "members": {"new": "3"}}},
        lambda s: {**s, "extra": {}},
        lambda s: {**s, "period": {**s["period"], "Members!": {"new": 1}}},
    ],
    ids=["block-int", "group-int", "figure-text", "unknown-block", "bad-key"],
)
def test_figures_of_the_wrong_shape_are_refused(chapter, upper, tmp_path, change):
    good = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW)
    _refused(upper, forge(good.path, tmp_path / "bad.ctdpkg", stats=change), "Gói «bad.ctdpkg»")


# --- sizes ----------------------------------------------------------------------------------


def _set_declared_size(path: Path, member: str, size: int) -> None:
    """Make the zip directory claim ``size`` bytes for ``member`` (nothing inflated)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.find(b"PK\x01\x02" + bytes(0))
    while at >= 0:
        length = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if data[at + 46 : at + 46 + length] == name:
            data[at + 24 : at + 28] = struct.pack("<L", size)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def test_a_zip_claiming_more_than_the_cap_is_refused_before_inflating(chapter, upper, tmp_path):
    good = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW, with_records=True)
    bomb = tmp_path / "bomb.ctdpkg"
    bomb.write_bytes(good.path.read_bytes())
    _set_declared_size(bomb, "records/people.json", 0xFFFF_FFF0)
    started = time.perf_counter()
    _refused(upper, bomb, "quá lớn")
    assert time.perf_counter() - started < 2


def test_a_part_inflating_past_its_declared_size_is_refused(chapter, upper, tmp_path):
    good = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW, with_records=True)
    bomb = tmp_path / "bomb.ctdpkg"
    bomb.write_bytes(good.path.read_bytes())
    _set_declared_size(bomb, "records/people.json", 100)
    _refused(upper, bomb, r"không khớp|hỏng")


def test_a_manifest_claiming_a_huge_part_is_refused(chapter, upper, tmp_path):
    good = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW)

    def huge(manifest):
        manifest["parts"][0]["size"] = 5 << 30
        return manifest

    _refused(upper, forge(good.path, tmp_path / "big.ctdpkg", manifest=huge), "quá lớn")


def test_a_highly_compressible_oversized_part_is_refused_streamed(chapter, upper, tmp_path):
    """A 1 GiB-and-more report made of zeros: refused from the directory, nothing inflated."""
    good = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW)
    bomb = tmp_path / "zeros.ctdpkg"
    with zipfile.ZipFile(good.path) as old, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
        with new.open("report.pdf", "w", force_zip64=True) as big:
            chunk = b"\0" * (1 << 20)
            for _ in range(80):
                big.write(chunk)
    assert bomb.stat().st_size < 1 << 20
    _refused(upper, bomb, r"phần lạ|quá lớn|không đúng dạng")


# --- key derivation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "log2_n,r,p", [(20, 32, 16), (22, 8, 1), (18, 8, 1), (15, 64, 1), (15, 8, 16), (4, 8, 1)]
)
def test_hostile_key_derivation_parameters_are_refused_at_once(
    chapter, upper, tmp_path, log2_n, r, p
):
    good = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW, password="pw-1234")

    def hostile(contents):
        sealed = bytearray(contents["package.enc"])
        sealed[9:12] = bytes([log2_n, r, p])
        contents["package.enc"] = bytes(sealed)
        return contents

    with zipfile.ZipFile(good.path) as old:
        contents = hostile({i.filename: old.read(i) for i in old.infolist()})
    bad = tmp_path / "kdf.ctdpkg"
    with zipfile.ZipFile(bad, "w") as new:
        for name, data in contents.items():
            new.writestr(name, data)
    started = time.perf_counter()
    _refused(upper, bad, "hỏng", password="pw-1234")
    assert time.perf_counter() - started < 2


def test_backups_share_the_key_derivation_bounds(tmp_path):
    plain = tmp_path / "x.bin"
    plain.write_bytes(b"data" * 1000)
    locked = protect.encrypt_file(plain, tmp_path / "x.ctdbak", "pw-1234")
    data = bytearray(locked.read_bytes())
    data[9] = 22
    locked.write_bytes(bytes(data))
    with pytest.raises(protect.ProtectedFileError):
        protect.decrypt_file(locked, tmp_path / "out.bin", "pw-1234")
    assert not (tmp_path / "out.bin").exists()


# --- manifests ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change,match",
    [
        (lambda m: {**m, "created_at": "2026-10-05T08:00:00"}, "múi giờ"),
        (lambda m: {**m, "created_at": "2099-01-01T00:00:00+00:00"}, "không hợp lý"),
        (lambda m: {**m, "created_at": 17}, "thời điểm"),
        (lambda m: {**m, "program": "chapter_app 0.1"}, "program"),
        (lambda m: {**m, "program": {"name": ["x"]}}, "program"),
        (lambda m: {**m, "surprise": 1}, "mục lạ"),
        (lambda m: {**m, "chapter": "Xã An"}, "chapter"),
        (lambda m: {**m, "chapter": {**m["chapter"], "uuid": "not-a-uuid"}}, "UUID"),
        (lambda m: {**m, "period": {**m["period"], "end": "2026-12-31"}}, "không khớp"),
        (lambda m: {**m, "period": {**m["period"], "code": "2026-Q9"}}, "không hợp lệ"),
        (lambda m: {**m, "format_version": "1"}, "phiên bản"),
        (lambda m: {**m, "parts": {}}, "danh sách phần"),
        (lambda m: {**m, "parts": [*m["parts"], m["parts"][0]]}, "hai lần"),
        (lambda m: {**m, "records": {"included": "yes"}}, "records"),
        (lambda m: {**m, "records": {"included": False, "sensitive": True}}, "nhạy cảm"),
    ],
    ids=[
        "naive-time",
        "future",
        "time-int",
        "program-str",
        "program-list",
        "unknown-key",
        "chapter-str",
        "bad-uuid",
        "period-end",
        "period-code",
        "version-str",
        "parts-dict",
        "twice",
        "records-str",
        "sensitive",
    ],
)
def test_malformed_manifests_are_refused_with_a_message(chapter, upper, tmp_path, change, match):
    good = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW)
    _refused(upper, forge(good.path, tmp_path / "m.ctdpkg", manifest=change), match)


@pytest.mark.parametrize(
    "name",
    ["", "   ", "x" * 200_000, "Xã An\x1b[2J", "Xã An\x00", "Xã \u202eAn", "Xã\nAn", 42, None],
    ids=["empty", "blank", "long", "escape", "nul", "rtl", "newline", "int", "none"],
)
def test_chapter_names_are_checked_like_typed_names(chapter, upper, tmp_path, name):
    good = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW)

    def rename(manifest):
        manifest["chapter"]["name"] = name
        return manifest

    _refused(upper, forge(good.path, tmp_path / "n.ctdpkg", manifest=rename), "tên Hội")


def test_a_records_part_of_another_shape_is_refused(chapter, upper, tmp_path):
    good = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW, with_records=True)

    def change(contents):
        contents["records/people.json"] = b'{"rows": "nothing here"}'
        return contents

    _refused(upper, forge(good.path, tmp_path / "r.ctdpkg", parts=change), "không đúng dạng")


# --- one command, all or nothing ------------------------------------------------------------


def test_a_bad_package_among_good_ones_keeps_nothing(chapter, upper, tmp_path):
    good = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW)
    other = make_chapter(tmp_path / "b.db", "Hội CTĐ xã Bình", members=1, aid=[])
    second = ex.build_package(other, Q3, tmp_path / "binh.ctdpkg", now=NOW)
    other.close()
    cut = tmp_path / "cut.ctdpkg"
    cut.write_bytes(second.path.read_bytes()[:-50])
    before = _state(upper)
    batch = receive_packages(upper, [good.path, cut, second.path])
    assert not batch.ok and not batch.stored
    assert [v.ok for v in batch.verdicts] == [True, False, True]
    assert "cut.ctdpkg" in batch.verdicts[1].message
    assert _state(upper) == before
    batch = receive_packages(upper, [good.path, second.path])
    assert batch.ok and batch.stored
    assert len(ex.consolidate(upper, Q3).rows) == 2


def test_twin_packages_in_one_command_are_kept_once(chapter, upper, tmp_path):
    first = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW)
    twin = tmp_path / "an-copy.ctdpkg"
    twin.write_bytes(first.path.read_bytes())
    batch = receive_packages(upper, [first.path, twin])
    assert batch.ok and [r.status for r in batch.results] == ["added", "unchanged"]
    assert _state(upper)[0] == 1


def test_two_packages_of_one_chapter_in_one_command_newest_wins(chapter, upper, tmp_path):
    newer = ex.build_package(
        chapter, Q3, tmp_path / "new.ctdpkg", now=datetime(2026, 10, 9, tzinfo=UTC)
    )
    older = ex.build_package(chapter, Q3, tmp_path / "old.ctdpkg", now=NOW)
    batch = receive_packages(upper, [newer.path, older.path])
    assert [r.status for r in batch.results] == ["replaced", "added"]
    current = upper.exchange.packages.current(newer.manifest["chapter"]["uuid"], Q3.code)
    assert current.file_name == "new.ctdpkg"


def test_two_different_packages_made_at_one_moment_are_refused(chapter, upper, tmp_path):
    first = ex.build_package(chapter, Q3, tmp_path / "a1.ctdpkg", now=NOW)

    def change(stats):
        stats["period"]["members"]["new"] = 99
        return stats

    twin = forge(first.path, tmp_path / "a2.ctdpkg", stats=change)
    before = _state(upper)
    batch = receive_packages(upper, [first.path, twin])
    assert not batch.ok and _state(upper) == before
    assert [v.ok for v in batch.verdicts] == [True, False]
    assert "cùng thời điểm tạo" in batch.verdicts[1].message


def test_one_backup_per_command_not_per_package(chapter, upper, tmp_path):
    paths = []
    for n in range(4):
        store = make_chapter(tmp_path / f"c{n}.db", f"Hội CTĐ xã Số {n}", members=1, aid=[])
        paths.append(ex.build_package(store, Q3, tmp_path / f"c{n}.ctdpkg", now=NOW).path)
        store.close()
    batch = receive_packages(upper, paths)
    assert batch.ok and batch.backup is not None
    backups = list(batch.backup.parent.glob("*before-consolidation*"))
    assert len(backups) == 1


def test_parts_are_kept_as_compressed_as_the_package(chapter, upper, tmp_path):
    info = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW, with_records=True)
    ex.receive_package(upper, info.path)
    assert upper.exchange.packages.stored_size() <= info.path.stat().st_size
    package = upper.exchange.packages.current(info.manifest["chapter"]["uuid"], Q3.code)
    people = upper.exchange.packages.part(package.id, "records/people.json")
    assert _sha(people.content) == people.sha256


def test_a_received_package_can_be_removed_and_the_removal_is_audited(chapter, upper, tmp_path):
    info = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW)
    ex.receive_package(upper, info.path)
    name, count = remove_package(upper, "hoi ctd xa an", "2026-Q3", reason="gửi nhầm")
    assert (name, count) == ("Hội CTĐ xã An", 1)
    assert ex.consolidate(upper, Q3).rows == ()
    entry = upper.audit_entries(action="package_removed")[0]
    assert entry.new_values["chapter_name"] == "Hội CTĐ xã An" and entry.reason == "gửi nhầm"
    assert _state(upper)[1] == 0
    with pytest.raises(AppError, match="Không có gói nào"):
        remove_package(upper, "Hội CTĐ xã An", "2026-Q3")
    assert ex.receive_package(upper, info.path).status == "added"


def test_a_package_file_changed_after_its_check_is_not_kept(chapter, upper, tmp_path):
    info = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW, with_records=True)
    with PackageFile(info.path) as reader:
        package = reader.verify()
        part = next(p for p in package.stored if p.name == "records/people.json")
        data = bytearray(info.path.read_bytes())
        data[part.offset + 10] ^= 0xFF
        info.path.write_bytes(bytes(data))
        with pytest.raises(AppError, match="thay đổi"):
            reader.raw(part)


def test_a_forged_package_kept_by_an_older_version_no_longer_breaks_consolidation(
    chapter, upper, tmp_path
):
    """Received before packages were checked: consolidation skips its bad figures, and the
    package can be removed."""
    good = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW)
    ex.receive_package(upper, good.path)
    stats = upper.exchange.packages.for_period(Q3.code)[0].stats  # kept as text before
    stats["period"]["aid"]["by_campaign"] = 7
    stats["period"]["aid"]["by_area"] = {"x": 5}
    stats["period"]["members"]["new"] = [1]
    with upper.ops.run("giả mạo", undoable=False):
        upper.db.execute("UPDATE received_packages SET stats = ?", [json.dumps(stats)])
    consolidation = ex.consolidate(upper, Q3)
    assert consolidation.totals["aid.by_campaign"] == {}
    assert consolidation.totals["members.new"] == 0
    assert "\n".join(ex.consolidation_lines(consolidation))
    assert remove_package(upper, "Hội CTĐ xã An", "2026-Q3")[1] == 1


def test_packages_are_checked_alike_without_the_fast_inflater(
    chapter, upper, tmp_path, monkeypatch
):
    """ISA-L inflates when installed; plain zlib gives the same verdicts without it."""
    import zlib

    from chapter_app.services import package_read

    monkeypatch.setattr(package_read, "_inflater", zlib)
    good = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW, with_records=True)
    with zipfile.ZipFile(good.path) as archive:
        info = archive.getinfo("records/people.json")
    with PackageFile(good.path) as reader:
        part = next(p for p in reader.verify().stored if p.name == info.filename)
    damaged = tmp_path / "damaged.ctdpkg"
    data = bytearray(good.path.read_bytes())
    data[part.offset : part.offset + 8] = b"\xff" * 8
    damaged.write_bytes(bytes(data))
    _refused(upper, damaged, r"hỏng|không khớp")
    assert ex.receive_package(upper, good.path).status == "added"


def test_a_part_found_damaged_after_others_were_written_undoes_them_and_their_backup(
    chapter, upper, tmp_path
):
    """Parts are checked while the packages checked before them are written: the newest
    package's damaged records part undoes the two written before it, and the backup."""
    first = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW)
    other = make_chapter(tmp_path / "b.db", "Hội CTĐ xã Bình", members=1, aid=[])
    second = ex.build_package(other, Q3, tmp_path / "binh.ctdpkg", now=NOW)
    newest = ex.build_package(
        other,
        Q3,
        tmp_path / "binh-moi.ctdpkg",
        now=datetime(2026, 10, 9, tzinfo=UTC),
        with_records=True,
    )
    other.close()
    with PackageFile(newest.path) as reader:
        part = next(p for p in reader.verify().stored if p.name == "records/people.json")
    data = bytearray(newest.path.read_bytes())
    data[part.offset + part.length // 2] ^= 0x55  # the zip directory and manifest stay whole
    newest.path.write_bytes(bytes(data))
    with PackageFile(newest.path) as reader:
        reader.verify_head()  # passes: only the parts' check finds it
    before = _state(upper)
    batch = receive_packages(upper, [newest.path, first.path, second.path])
    assert not batch.ok and not batch.stored and batch.backup is None
    assert [v.ok for v in batch.verdicts] == [False, True, True]
    assert "binh-moi.ctdpkg" in batch.verdicts[0].message
    assert "chưa được nhận" in batch.verdicts[1].message
    assert _state(upper) == before
    from chapter_app.services.backups import backups_dir

    folder = backups_dir(upper)
    assert not folder.exists() or not list(folder.glob("*before-consolidation*"))
    assert receive_packages(upper, [first.path, second.path]).stored
    assert len(list(folder.glob("*before-consolidation*"))) == 1
    entries = upper.audit_entries(action="backup")
    assert len(entries) == 1 and entries[0].new_values["reason"] == "before-consolidation"


def test_a_removal_keeps_its_reason_as_one_clean_line_and_names_safely(chapter, upper, tmp_path):
    info = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW)
    ex.receive_package(upper, info.path)
    with pytest.raises(AppError) as caught:
        remove_package(upper, "Xã \x1b[2J\u202eAn", "2026-Q3")
    assert "\x1b" not in caught.value.message and "\u202e" not in caught.value.message
    with pytest.raises(AppError, match="dài quá"):
        remove_package(upper, "Hội CTĐ xã An", "2026-Q3", reason="x" * 501)
    assert _state(upper)[0] == 1
    remove_package(upper, "Hội CTĐ xã An", "2026-Q3", reason="gửi\x1b[31m  nhầm\n kỳ")
    entry = upper.audit_entries(action="package_removed")[0]
    assert entry.reason == "gửi[31m nhầm kỳ"


def test_checked_bytes_kept_for_writing_are_the_bytes_of_the_file(chapter, tmp_path):
    """Parts are written from the very bytes that were checked (no second read of a file
    that could have changed meanwhile): as they lie in the file, or re-encoded from them."""
    info = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW, with_records=True)
    data = info.path.read_bytes()
    with PackageFile(info.path) as reader:
        raws: dict[str, KeptPart] = {}
        package = reader.verify_parts(reader.verify_head(), keep_raw=raws)
        records = [p for p in package.stored if p.name.startswith("records/")]
        assert records and {p.name for p in records} <= set(raws)
        for part in records:
            kept = raws[part.name]
            as_in_file = data[part.offset : part.offset + part.length]
            if kept.encoding == part.encoding:
                assert kept.content == as_in_file
            else:
                assert kept.encoding == "zstd" and len(kept.content) < len(as_in_file)
                assert decode(kept.content, "zstd", part.size) == inflate(as_in_file, part.encoding)
            with pytest.raises(ValueError):
                reader.raw(part)
