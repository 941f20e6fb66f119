"""Exchange packages for the level above, and consolidation there."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pypdf
import pytest

from chapter_app.domain.periods import parse_period
from chapter_app.errors import AppError, WrongPasswordError
from chapter_app.services import exchange as ex
from chapter_app.services.indicators import INDICATORS, stats_json
from chapter_app.services.records import save_member
from chapter_app.store.reports import ReportContent
from tests.services.conftest import make_chapter

TODAY = date(2026, 11, 23)
Q3 = parse_period("2026-Q3")
NOW = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)


def _rezip(source: Path, dest: Path, change) -> Path:
    """Copy a package's zip, letting ``change(name, data)`` return new data or None (drop)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(dest, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
    return dest


def _file_bytes(path: Path) -> dict[str, bytes]:
    return {s: Path(f"{path}{s}").read_bytes() for s in ("", "-wal") if Path(f"{path}{s}").exists()}


# --- building and reading -------------------------------------------------------------------------


def test_a_package_round_trips_its_manifest_figures_and_checksums(chapter, tmp_path):
    info = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", now=NOW)
    package = ex.read_package(info.path)
    manifest = package.manifest
    assert manifest["format"] == "ctdpkg" and manifest["format_version"] == 2
    assert manifest["chapter"]["name"] == "Hội CTĐ xã An"
    assert manifest["chapter"]["uuid"] == chapter.settings.get("chapter_uuid") != ""
    assert manifest["period"] == {
        "code": "2026-Q3",
        "kind": "quarter",
        "start": "2026-07-01",
        "end": "2026-09-30",
        "label": "quý III năm 2026",
    }
    assert manifest["created_at"] == "2026-10-05T08:00:00.000000+00:00"
    assert manifest["program"]["name"] == "chapter_app"
    assert [p["name"] for p in manifest["parts"]] == ["stats.json"]
    assert package.stats == json.loads(json.dumps(stats_json(chapter, Q3)))
    assert package.stats["period"]["members"]["new"] == 3
    assert package.content_sha256 == info.content_sha256
    assert chapter.audit_entries(action="package")[0].new_values["period"] == "2026-Q3"


def test_the_chapter_keeps_one_identity_across_packages(chapter, tmp_path):
    first = ex.build_package(chapter, Q3, tmp_path / "1.ctdpkg")
    second = ex.build_package(chapter, "2026-Q2", tmp_path / "2.ctdpkg")
    assert first.manifest["chapter"]["uuid"] == second.manifest["chapter"]["uuid"]


def test_the_issued_report_of_the_period_travels_with_the_package(chapter, tmp_path):
    pdf = b"%PDF-1.4 the issued report"
    chapter.reports.issue(
        year=2026,
        number=None,
        build=lambda n: ReportContent(
            issued_on=date(2026, 10, 3),
            period_code="2026-Q3",
            period_start=Q3.start,
            period_end=Q3.end,
            lang="vi",
            subject="Báo cáo quý III",
            data_json="{}",
            narrative_json="{}",
            pdf=pdf,
        ),
    )
    info = ex.build_package(chapter, Q3, tmp_path / "r.ctdpkg")
    assert ex.read_package(info.path).parts["report.pdf"] == pdf
    bare = ex.build_package(chapter, Q3, tmp_path / "n.ctdpkg", include_issued_report=False)
    assert "report.pdf" not in bare.part_names
    other = ex.build_package(chapter, Q3, tmp_path / "o.ctdpkg", report_pdf=b"%PDF other")
    assert ex.read_package(other.path).parts["report.pdf"] == b"%PDF other"
    assert (
        "report.pdf" not in ex.build_package(chapter, "2026-Q2", tmp_path / "q2.ctdpkg").part_names
    )


def test_records_carry_uuids_and_tombstones_with_personal_data_minimised(chapter, tmp_path):
    gone = chapter.members.list()[0]
    chapter.members.delete(gone.id)
    minimal = ex.read_package(
        ex.build_package(chapter, Q3, tmp_path / "m.ctdpkg", with_records=True).path
    )
    people = json.loads(minimal.parts["records/people.json"])["rows"]
    members = json.loads(minimal.parts["records/members.json"])["rows"]
    assert len(people) == 3 and all("full_name" not in p and "id_number" not in p for p in people)
    assert {p["birth_year"] for p in people} == {1950, 1951, 1952}
    tombstone = next(m for m in members if m["uuid"] == gone.uuid)
    assert set(tombstone) == {"uuid", "updated_at", "deleted_at"}
    person_uuids = {p["uuid"] for p in people}
    live = [m for m in members if not m.get("deleted_at")]
    assert len(live) == 2 and all(m["person"] in person_uuids for m in live)
    aid = json.loads(minimal.parts["records/aid_records.json"])["rows"]
    assert {a["campaign"] for a in aid} == {"Tháng Nhân đạo"}
    everything = b"".join(minimal.parts.values()).decode()
    assert "Bệnh tim" not in everything and "0912345678" not in everything

    names = ex.read_package(
        ex.build_package(
            chapter, Q3, tmp_path / "n.ctdpkg", with_records=True, personal_data="names"
        ).path
    )
    people = json.loads(names.parts["records/people.json"])["rows"]
    assert "Hội Viên Số 1" in {p["full_name"] for p in people}
    assert all("id_number" not in p for p in people)
    full = ex.read_package(
        ex.build_package(
            chapter, Q3, tmp_path / "f.ctdpkg", with_records=True, personal_data="full"
        ).path
    )
    text = b"".join(full.parts.values()).decode()
    assert "0912345678" in text and "Bệnh tim" not in text  # sensitive data never travels


# --- damage and tampering -------------------------------------------------------------------------


def test_a_changed_part_is_refused(chapter, tmp_path):
    info = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg")

    def inflate(name, data):
        if name != "stats.json":
            return data
        stats = json.loads(data)
        stats["period"]["members"]["new"] += 100
        return json.dumps(stats).encode()

    tampered = _rezip(info.path, tmp_path / "t.ctdpkg", inflate)
    with pytest.raises(ex.PackageError, match="không khớp mã kiểm tra SHA-256"):
        ex.read_package(tampered)


def test_a_truncated_package_is_refused(chapter, tmp_path):
    info = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", with_records=True)
    data = info.path.read_bytes()
    for size in (len(data) // 2, len(data) - 30, 100):
        cut = tmp_path / f"cut{size}.ctdpkg"
        cut.write_bytes(data[:size])
        with pytest.raises(ex.PackageError, match=r"hỏng|cắt cụt"):
            ex.read_package(cut)


def test_a_missing_or_an_extra_part_is_refused(chapter, tmp_path):
    info = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", report_pdf=b"%PDF")
    missing = _rezip(
        info.path, tmp_path / "m.ctdpkg", lambda n, d: None if n == "report.pdf" else d
    )
    with pytest.raises(ex.PackageError, match=r"thiếu phần report\.pdf"):
        ex.read_package(missing)
    with zipfile.ZipFile(info.path, "a") as archive:
        archive.writestr("evil.exe", b"MZ")
    with pytest.raises(ex.PackageError, match="phần lạ"):
        ex.read_package(info.path)


def test_a_file_that_is_not_a_package_is_refused(tmp_path):
    path = tmp_path / "x.ctdpkg"
    path.write_bytes(b"hello")
    with pytest.raises(ex.PackageError, match="không phải gói"):
        ex.read_package(path)
    other = tmp_path / "y.ctdpkg"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "something-else"}))
    with pytest.raises(ex.PackageError, match="không phải gói dữ liệu"):
        ex.read_package(other)


def test_a_package_from_a_newer_program_is_refused(chapter, tmp_path):
    info = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg")

    def newer(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["format_version"] = 99
        return json.dumps(manifest).encode()

    with pytest.raises(ex.PackageError, match="phiên bản mới hơn"):
        ex.read_package(_rezip(info.path, tmp_path / "n.ctdpkg", newer))


# --- passwords ------------------------------------------------------------------------------------


def test_a_protected_package_opens_only_with_its_password(chapter, tmp_path):
    info = ex.build_package(
        chapter,
        Q3,
        tmp_path / "an.ctdpkg",
        password="Mật-khẩu 2026",
        with_records=True,
        personal_data="names",
    )
    assert info.protected
    raw = info.path.read_bytes()
    assert b"Hoi Vien" not in raw and "Hội Viên".encode() not in raw
    assert zipfile.is_zipfile(info.path)
    package = ex.read_package(info.path, password="Mật-khẩu 2026")
    assert package.protected and package.stats["period"]["members"]["new"] == 3
    with pytest.raises(WrongPasswordError, match="Mật khẩu không đúng"):
        ex.read_package(info.path, password="mat khau 2026")
    with pytest.raises(ex.PasswordRequiredError, match="khóa bằng mật khẩu"):
        ex.read_package(info.path)


def test_a_changed_protected_package_is_refused(chapter, tmp_path):
    info = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", password="pw")

    def flip(name, data):
        return data[:-3] + bytes([data[-3] ^ 0xFF]) + data[-2:] if name == "package.enc" else data

    with pytest.raises(ex.PackageError, match="hỏng"):
        ex.read_package(_rezip(info.path, tmp_path / "t.ctdpkg", flip), password="pw")


# --- receiving at the upper level -----------------------------------------------------------------


def test_only_an_upper_level_database_receives_packages(chapter, tmp_path):
    info = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg")
    with pytest.raises(ex.PackageError, match="không phải cơ sở dữ liệu cấp trên"):
        ex.receive_package(chapter, info.path)
    with pytest.raises(ex.PackageError, match="đã có dữ liệu"):
        ex.enable_upper_mode(chapter)


def test_receiving_the_same_package_twice_changes_nothing(chapter, upper, tmp_path):
    info = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg", password="pw")
    first = ex.receive_package(upper, info.path, password="pw")
    assert first.status == "added"
    assert any(p.name.endswith("before-consolidation.db") for p in (tmp_path / "backups").iterdir())
    assert first.package.chapter_name == "Hội CTĐ xã An"
    before = _file_bytes(upper.path)
    audit = len(upper.audit_entries(limit=10_000))
    again = ex.receive_package(upper, info.path, password="pw")
    assert again.status == "unchanged" and "không có gì thay đổi" in again.message
    assert _file_bytes(upper.path) == before
    assert len(upper.audit_entries(limit=10_000)) == audit
    # the same package sent again without a password is the same package too
    plain = tmp_path / "plain.ctdpkg"
    plain.write_bytes(_inner_zip(info.path, "pw"))
    assert ex.receive_package(upper, plain).status == "unchanged"
    assert len(upper.exchange.packages.for_period("2026-Q3", current_only=False)) == 1


def _inner_zip(path: Path, password: str) -> bytes:
    from chapter_app.services.protect import decrypt_bytes

    with zipfile.ZipFile(path) as archive:
        return decrypt_bytes(archive.read("package.enc"), password)


def test_a_newer_package_replaces_the_older_one_and_shows_the_difference(chapter, upper, tmp_path):
    old = ex.build_package(chapter, Q3, tmp_path / "old.ctdpkg", now=NOW)
    save_member(
        chapter,
        {
            "full_name": "Người Bổ Sung",
            "birth": "1980",
            "branch": "Chi hội Thôn 1",
            "admitted_on": "20/09/2026",
        },
        today=TODAY,
    )
    new = ex.build_package(chapter, Q3, tmp_path / "new.ctdpkg", now=NOW + timedelta(days=2))
    assert ex.receive_package(upper, old.path).status == "added"
    result = ex.receive_package(upper, new.path)
    assert result.status == "replaced"
    changed = {d.key: (d.old, d.new) for d in result.differences}
    assert changed["members.new"] == (3, 4)
    assert changed["members.total_end"] == (3, 4)
    assert "Hội viên kết nạp mới: 3 → 4" in result.message
    history = upper.exchange.packages.history(result.package.chapter_uuid, "2026-Q3")
    assert [p.replaced_by for p in history] == [result.package.id, None]
    assert ex.consolidate(upper, Q3).totals["members.new"] == 4
    # the older one arriving late changes nothing
    late = ex.receive_package(upper, old.path)
    assert late.status == "unchanged"
    older = ex.build_package(chapter, Q3, tmp_path / "older.ctdpkg", now=NOW - timedelta(days=1))
    before = _file_bytes(upper.path)
    assert ex.receive_package(upper, older.path).status == "older"
    assert _file_bytes(upper.path) == before
    assert ex.consolidate(upper, Q3).totals["members.new"] == 4


def test_three_chapters_consolidate_to_the_sum_of_their_figures(upper, tmp_path):
    chapters = [
        make_chapter(tmp_path / "a.db", "Hội CTĐ xã An", members=3, aid=[500_000, 300_000]),
        make_chapter(tmp_path / "b.db", "Hội CTĐ xã Bình", members=1, aid=[1_000_000]),
        make_chapter(tmp_path / "c.db", "Hội CTĐ phường Cầu", members=5, aid=[]),
        make_chapter(tmp_path / "d.db", "Hội CTĐ xã Đông", members=2, aid=[100_000]),
    ]
    try:
        figures = []
        for i, store in enumerate(chapters[:3]):
            info = ex.build_package(store, Q3, tmp_path / f"{i}.ctdpkg")
            assert ex.receive_package(upper, info.path).status == "added"
            figures.append(stats_json(store, Q3))
        late = ex.build_package(chapters[3], "2026-Q2", tmp_path / "late.ctdpkg")
        ex.receive_package(upper, late.path)  # Đông has only sent Q2
    finally:
        for store in chapters:
            store.close()

    result = ex.consolidate(upper, Q3)
    assert [r.chapter_name for r in result.rows] == [
        "Hội CTĐ phường Cầu",
        "Hội CTĐ xã An",
        "Hội CTĐ xã Bình",
    ]
    flat = [ex.flatten(f["period"]) for f in figures]
    for key, _label, _unit in INDICATORS:
        assert result.totals[key] == sum(f[key] for f in flat), key
    assert result.totals["members.new"] == 9
    assert result.totals["aid.value_total"] == 1_800_000
    assert result.totals["aid.by_campaign"]["Tháng Nhân đạo"] == {
        "records": 3,
        "person_times": 3,
        "value": 1_800_000,
    }
    assert result.missing == ("Hội CTĐ xã Đông",)

    table = ex.export_consolidation(result, tmp_path / "tong_hop.xlsx")
    import openpyxl

    ws = openpyxl.load_workbook(table).active
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "STT")
    totals = next(r for r in rows if r and r[1] == "Tổng cộng")
    assert totals[header.index("Hội viên kết nạp mới")] == 9
    assert totals[header.index("Tổng trị giá trợ giúp")] == 1_800_000
    assert any(r[1] == "Hội CTĐ xã Đông" for r in rows)

    pdf = ex.consolidated_report_pdf(upper, result, issued_on=date(2026, 10, 10))
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "HỘI CTĐ TỈNH THỬ" in text.upper()
    assert "1.800.000" in text
    data = ex.consolidated_report(upper, result, issued_on=date(2026, 10, 10))
    assert data.indicator("members.new").period == 9


def test_listed_chapters_that_never_sent_are_missing_and_a_first_package_links_by_name(
    upper, chapter, tmp_path
):
    upper.affiliates.add_name("Hội CTĐ xã Tây")
    upper.affiliates.add_name("hội ctđ  XÃ AN")  # typed loosely: case and spacing aside
    with pytest.raises(AppError, match="đã có trong danh sách"):
        upper.affiliates.add_name("Hội CTĐ xã Tây")
    with pytest.raises(AppError, match="Chưa nhập tên"):
        upper.affiliates.add_name("   ")
    for hostile in ("Xã\x1b[2J", "Xã \u202eAn", "Xã\x00An", "x" * 201):
        with pytest.raises(AppError, match=r"ký tự lạ|dài quá"):
            upper.affiliates.add_name(hostile)
    assert ex.consolidate(upper, Q3).missing == ("hội ctđ XÃ AN", "Hội CTĐ xã Tây")

    info = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg")
    ex.receive_package(upper, info.path)

    listed = upper.affiliates.list()
    assert [(a.name, a.chapter_uuid) for a in listed] == [
        ("Hội CTĐ xã An", info.manifest["chapter"]["uuid"]),  # linked, renamed as it signs
        ("Hội CTĐ xã Tây", None),
    ]
    assert ex.consolidate(upper, Q3).missing == ("Hội CTĐ xã Tây",)
    assert ex.consolidate(upper, "2026-Q2").missing == ("Hội CTĐ xã An", "Hội CTĐ xã Tây")


def test_a_package_from_an_unlisted_chapter_lists_it_in_the_same_operation(
    upper, chapter, tmp_path
):
    info = ex.build_package(chapter, Q3, tmp_path / "an.ctdpkg")
    undo_before = upper.undo_label
    ex.receive_package(upper, info.path)
    (listed,) = upper.affiliates.list()
    assert listed.name == "Hội CTĐ xã An"
    ops = {
        row[0]
        for row in upper.db.execute(
            "SELECT op_id FROM audit_log "
            "WHERE table_name = 'affiliates' OR action = 'package_received'"
        )
    }
    assert len(ops) == 1  # the package and the chapter's entry: one operation
    assert upper.undo_label == undo_before  # a received package is kept for good


def test_chapter_names_that_differ_by_a_tone_are_two_chapters(upper):
    upper.affiliates.add_name("Hội CTĐ xã Hòa An")
    upper.affiliates.add_name("Hội CTĐ xã Hòa Ân")
    upper.affiliates.add_name("Hội CTĐ xã Hoà Ấn".replace("Hoà", "Hòa"))
    assert upper.affiliates.by_name("HỘI CTĐ XÃ HÒA ÂN").name == "Hội CTĐ xã Hòa Ân"
    assert len(upper.affiliates.list()) == 3
