"""The exchange commands: import (preview, exit codes), export, package, consolidate."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
import pytest

from chapter_app.cli import main
from chapter_app.services.setup import init_database
from tests.services.test_import_sheets import chapter_member_sheet, member


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "xa.db"
    store = init_database(path, chapter_name="Hội CTĐ xã Thử", user="cli")
    store.branches.add(name="Chi hội Thôn 3")
    store.units.add(name="Thôn 3")
    store.close()
    return path


def _count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table} WHERE deleted_at IS NULL").fetchone()[0]
    finally:
        conn.close()


GOOD = [
    member("Nguyễn Văn An", male=1958, phone=912345678, admitted="05/01/2020"),
    member("Trần Thị Bình", female=1962, admitted=43831),
]
BAD = member("Sai Ngày", male=1970, admitted="31/02/2020")


def test_import_dry_run_prints_the_preview_and_writes_nothing(db, tmp_path, capsys):
    sheet = chapter_member_sheet(tmp_path / "ds.xlsx", GOOD)
    code = main(["import", "members", str(sheet), "--db", str(db), "--dry-run"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Nhập được: 2 dòng" in out and "Chạy thử" in out
    assert _count(db, "members") == 0


def test_import_with_an_error_row_imports_nothing_and_exits_non_zero(db, tmp_path, capsys):
    sheet = chapter_member_sheet(tmp_path / "ds.xlsx", [*GOOD, BAD])
    for extra in ([], ["--dry-run"]):
        code = main(["import", "members", str(sheet), "--db", str(db), *extra])
        captured = capsys.readouterr()
        assert code == 1
        assert "Ô I8 (Ngày vào Hội): Ngày 31/02/2020 không tồn tại." in captured.out
        assert "--valid-only" in captured.err
        assert _count(db, "members") == 0


def test_import_valid_only_imports_the_good_rows(db, tmp_path, capsys):
    sheet = chapter_member_sheet(tmp_path / "ds.xlsx", [*GOOD, BAD])
    code = main(["import", "members", str(sheet), "--db", str(db), "--valid-only"])
    out = capsys.readouterr().out
    assert code == 0
    assert "thêm 2 hội viên" in out and "1 dòng lỗi" in out
    assert _count(db, "members") == 2


def test_import_duplicates_follow_the_choice(db, tmp_path, capsys):
    sheet = chapter_member_sheet(tmp_path / "ds.xlsx", GOOD)
    assert main(["import", "members", str(sheet), "--db", str(db)]) == 0
    # Again: every row is a duplicate and is skipped; nothing is imported, so not a success.
    assert main(["import", "members", str(sheet), "--db", str(db)]) == 1
    assert "Không có dòng nào để nhập" in capsys.readouterr().err
    assert _count(db, "people") == 2
    assert main(["import", "members", str(sheet), "--db", str(db), "--on-duplicate", "new"]) == 0
    assert _count(db, "people") == 4
    assert "trùng: 2 dòng" in capsys.readouterr().out


def test_import_with_a_saved_mapping_and_defaults(db, tmp_path, capsys):
    wb = openpyxl.Workbook()
    wb.active.append(["Tên đầy đủ", "Năm sinh"])
    wb.active.append(["Lò Văn Mây", 1970])
    sheet = tmp_path / "x.xlsx"
    wb.save(sheet)
    mapping = tmp_path / "map.json"
    mapping.write_text('{"columns": {"Tên đầy đủ": "full_name"}}', encoding="utf-8")
    code = main(
        [
            "import",
            "members",
            str(sheet),
            "--db",
            str(db),
            "--mapping",
            str(mapping),
            "--default",
            "branch=Chi hội Thôn 3",
            "--default",
            "admitted_on=01/01/2019",
            "--save-mapping",
            str(tmp_path / "saved.json"),
        ]
    )
    assert code == 0, capsys.readouterr()
    assert _count(db, "members") == 1
    assert (tmp_path / "saved.json").exists()


def test_export_writes_a_masked_workbook(db, tmp_path, capsys):
    main(
        [
            "import",
            "members",
            str(chapter_member_sheet(tmp_path / "ds.xlsx", GOOD)),
            "--db",
            str(db),
        ]
    )
    out = tmp_path / "hv.xlsx"
    assert main(["export", "members", "--db", str(db), "--out", str(out)]) == 0
    assert "Đã xuất 2 dòng" in capsys.readouterr().out
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[5]][:2] == ["STT", "Họ và tên"]
    assert (
        main(
            [
                "export",
                "people",
                "--db",
                str(db),
                "--out",
                str(tmp_path / "p.xlsx"),
                "--unmasked",
                "--with-sensitive",
                "--search",
                "binh",
            ]
        )
        == 0
    )
    assert "Đã xuất 1 dòng" in capsys.readouterr().out


def test_package_and_consolidate_end_to_end(db, tmp_path, capsys):
    main(
        [
            "import",
            "members",
            str(chapter_member_sheet(tmp_path / "ds.xlsx", GOOD)),
            "--db",
            str(db),
        ]
    )
    password = tmp_path / "pw.txt"
    password.write_text("bí mật\n", encoding="utf-8")
    pkg = tmp_path / "xa.ctdpkg"
    assert (
        main(
            [
                "package",
                "--db",
                str(db),
                "--period",
                "2020-Q1",
                "--out",
                str(pkg),
                "--with-records",
                "--password-file",
                str(password),
            ]
        )
        == 0
    )
    assert "đã khóa bằng mật khẩu" in capsys.readouterr().out

    upper = tmp_path / "tinh.db"
    code = main(
        [
            "consolidate",
            "--db",
            str(upper),
            str(pkg),
            "--password-file",
            str(password),
            "--name",
            "Hội CTĐ tỉnh Thử",
            "--xlsx",
            str(tmp_path / "th.xlsx"),
            "--pdf",
            str(tmp_path / "th.pdf"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Đã nhận gói «xa.ctdpkg» (Hội CTĐ xã Thử, kỳ 2020-Q1)" in out
    assert "Tổng cộng" in out
    assert (tmp_path / "th.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "th.xlsx").exists()

    assert (
        main(["consolidate", "--db", str(upper), str(pkg), "--password-file", str(password)]) == 0
    )
    assert "không có gì thay đổi" in capsys.readouterr().out

    wrong = tmp_path / "wrong.txt"
    wrong.write_text("sai", encoding="utf-8")
    assert main(["consolidate", "--db", str(upper), str(pkg), "--password-file", str(wrong)]) == 1
    assert "Mật khẩu không đúng" in capsys.readouterr().err

    broken = tmp_path / "broken.ctdpkg"
    broken.write_bytes(pkg.read_bytes()[:200])
    assert main(["consolidate", "--db", str(upper), str(broken)]) == 1
    assert "Không nhận tệp này" in capsys.readouterr().err


def test_consolidate_refuses_a_chapter_register(db, tmp_path, capsys):
    main(
        [
            "import",
            "members",
            str(chapter_member_sheet(tmp_path / "ds.xlsx", GOOD)),
            "--db",
            str(db),
        ]
    )
    pkg = tmp_path / "xa.ctdpkg"
    main(["package", "--db", str(db), "--period", "2020-Q1", "--out", str(pkg)])
    assert main(["consolidate", "--db", str(db), str(pkg)]) == 1
    assert "không phải tệp của cấp trên" in capsys.readouterr().err


def test_consolidate_with_one_bad_package_receives_none(db, tmp_path, capsys):
    main(
        [
            "import",
            "members",
            str(chapter_member_sheet(tmp_path / "ds.xlsx", GOOD)),
            "--db",
            str(db),
        ]
    )
    good = tmp_path / "good.ctdpkg"
    main(["package", "--db", str(db), "--period", "2020-Q1", "--out", str(good)])
    bad = tmp_path / "bad.ctdpkg"
    bad.write_bytes(good.read_bytes()[:-40])
    upper = tmp_path / "tinh.db"
    assert main(["consolidate", "--db", str(upper), str(good), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.ctdpkg" in err and "Không nhận gói nào" in err
    assert not upper.exists()


def test_chapters_lists_who_has_not_sent_a_period(tmp_path, capsys):
    upper = tmp_path / "upper.db"
    assert main(["chapters", "--db", str(upper), "--add", "Hội CTĐ xã An", "--add", "Xã Tây"]) == 0
    # one bad name among several: nothing is changed
    assert main(["chapters", "--db", str(upper), "--add", "Xã Bắc", "--add", "xã  tây"]) == 1
    capsys.readouterr()
    assert main(["chapters", "--db", str(upper), "--period", "2026-Q3"]) == 0
    out = capsys.readouterr().out
    assert "2 Hội cơ sở trực thuộc:" in out
    assert "Hội CTĐ xã An — CHƯA GỬI" in out
    assert "Bắc" not in out


def test_valid_only_with_nothing_valid_exits_non_zero(db, tmp_path, capsys):
    sheet = chapter_member_sheet(tmp_path / "ds.xlsx", [BAD])
    code = main(["import", "members", str(sheet), "--db", str(db), "--valid-only"])
    assert code == 1
    assert "Không có dòng nào để nhập" in capsys.readouterr().err
    assert _count(db, "members") == 0


def test_consolidate_keeps_all_files_or_none_and_a_package_can_be_removed(tmp_path, capsys):
    """An existing upper register: a good and a damaged file keep nothing, each file with its
    verdict; then both good ones are kept, and ``--remove`` takes one out, noted in the log."""
    from chapter_app.services import exchange as ex
    from chapter_app.store.store import Store
    from tests.services.conftest import make_chapter

    made = []
    for n, name in enumerate(["Hội CTĐ xã An", "Hội CTĐ xã Bình"]):
        with make_chapter(tmp_path / f"{n}.db", name, members=n + 1, aid=[]) as store:
            made.append(ex.build_package(store, "2026-Q3", tmp_path / f"{n}.ctdpkg").path)
    upper = tmp_path / "tinh.db"
    with init_database(upper, chapter_name="Hội CTĐ tỉnh Thử", user="t") as store:
        ex.enable_upper_mode(store)
    bad = tmp_path / "hong.ctdpkg"
    bad.write_bytes(made[1].read_bytes()[:-60])

    def kept() -> int:
        with Store.open(upper, read_only=True) as store:
            return len(store.exchange.packages.for_period("2026-Q3"))

    assert main(["consolidate", "--db", str(upper), str(made[0]), str(bad)]) == 1
    out, err = capsys.readouterr()
    assert "[ĐẠT] 0.ctdpkg" in out and "[LỖI] hong.ctdpkg" in err
    assert "Không nhận gói nào (1/2" in err and kept() == 0
    assert main(["consolidate", "--db", str(upper), *map(str, made)]) == 0
    assert capsys.readouterr().out.count("[ĐẠT]") == 2 and kept() == 2

    remove = ["consolidate", "--db", str(upper), "--remove", "hoi ctd xa binh"]
    assert main([*remove, "--period", "2026-Q3", "--reason", "gửi nhầm"]) == 0
    assert "Đã bỏ 1 gói của Hội CTĐ xã Bình kỳ 2026-Q3" in capsys.readouterr().out
    assert kept() == 1
    with Store.open(upper, read_only=True) as store:
        entry = store.audit_entries(action="package_removed")[0]
    assert entry.reason == "gửi nhầm" and entry.user
    assert main([*remove, "--period", "2026-Q3"]) == 1
    assert "Không có gói nào" in capsys.readouterr().err
    assert main(remove) == 1  # a period is needed
    assert "--period" in capsys.readouterr().err
