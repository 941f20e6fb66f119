"""Benchmark of the commit of address and aid sheets (issue 14: their new records are
written in bulk, as members are).

    .venv/bin/python bench/bench_import_kinds.py [--runs 5] [--households 2000] [--aid 5000]

An address sheet of ``--households`` households (head, two members, categories, a sponsor
and a monthly commitment each) and an aid sheet of ``--aid`` rows (every second one to a
person on file, the others to new people) are planned and committed into copies of a
register holding the chi hội, thôn, sponsors and people they name. Reports the medians of
the commit (``apply_import``) and of the preview, beside python-calamine's bare read of
the same file, measured in the same run. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl
import python_calamine

from bench.common import report
from chapter_app.services import records as rec
from chapter_app.services.importer import apply_import, plan_import
from chapter_app.services.setup import init_database
from chapter_app.store.store import Store

TODAY = date(2026, 11, 20)
SPONSORS = ["Công ty May Tịnh Kỳ", "Chùa Phước Lâm", "Nhà hảo tâm Ánh Dương"]
ON_FILE = 500  # people on file that aid rows name


def _sheet(path: Path, header: list, rows) -> Path:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def address_sheet(path: Path, households: int) -> Path:
    header = [
        "STT",
        "Họ tên chủ hộ",
        "Thành viên trong hộ",
        "Địa chỉ",
        "Thôn",
        "Diện đối tượng",
        "Ngày tiếp nhận",
        "Nhà tài trợ",
        "Hình thức hỗ trợ",
        "Số tiền/tháng",
        "Ngày bắt đầu",
    ]
    rows = (
        [
            n + 1,
            f"Nguyễn Thị Khó {n}",
            f"Trần Văn Út {n} (con), Trần Thị Bé {n} - cháu",
            f"Xóm {n % 9}",
            f"Thôn {1 + n % 5}",
            "Hộ nghèo; Người khuyết tật" if n % 2 else "Hộ cận nghèo",
            "01/03/2025",
            SPONSORS[n % 3],
            "Tiền mặt",
            100_000 * (1 + n % 5),
            "01/04/2025",
        ]
        for n in range(households)
    )
    return _sheet(path, header, rows)


def aid_sheet(path: Path, count: int) -> Path:
    header = ["STT", "Ngày", "Họ và tên", "Năm sinh", "Thôn", "Chương trình", "Số tiền"]
    rows = (
        [
            n + 1,
            "20/01/2026",
            f"Người Cũ {n % ON_FILE}" if n % 2 else f"Phạm Văn Nhận {n}",
            1950 + n % 40,
            f"Thôn {1 + n % 5}",
            "Tết Nhân ái",
            10_000 * (1 + n % 50) + n,
        ]
        for n in range(count)
    )
    return _sheet(path, header, rows)


def template(path: Path) -> Path:
    store = init_database(path, chapter_name="Hội Chữ thập đỏ xã Tịnh Kỳ")
    for n in range(1, 6):
        store.units.add(name=f"Thôn {n}")
    with store.operation("Chuẩn bị"):
        for name in SPONSORS:
            store.sponsors.add(name=name)
        for n in range(ON_FILE):
            rec.save_person(
                store, {"full_name": f"Người Cũ {n}", "birth": str(1950 + n % 40)}, today=TODAY
            )
    store.close()
    return path


def bare_read(path: Path) -> int:
    with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
        return sum(1 for _ in book.get_sheet_by_index(0).iter_rows())


def measure(kind: str, sheet: Path, base: Path, runs: int) -> None:
    bare, preview, commit, added = [], [], [], 0
    for run in range(runs):
        started = time.perf_counter()
        bare_read(sheet)
        bare.append((time.perf_counter() - started) * 1000)
        db = base.parent / f"{kind}-{run}.db"
        shutil.copy(base, db)
        store = Store.open(db)
        started = time.perf_counter()
        plan = plan_import(store, sheet, kind, today=TODAY)
        planned = time.perf_counter()
        added = apply_import(store, plan).added
        done = time.perf_counter()
        store.close()
        preview.append((planned - started) * 1000)
        commit.append((done - planned) * 1000)
    print(f"  {kind}: {added:,} records added")
    report(f"python-calamine bare read ({kind})", bare)
    report(f"preview: plan_import ({kind})", preview)
    report(f"commit: apply_import ({kind})", commit)
    ratio = statistics.median(commit) / statistics.median(bare)
    print(f"{'commit / bare calamine read (medians)':<48} {ratio:9.2f} x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--aid", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = template(folder / "template.db")
        measure("addresses", address_sheet(folder / "dcnd.xlsx", args.households), base, args.runs)
        measure("aid", aid_sheet(folder / "tro_giup.xlsx", args.aid), base, args.runs)


if __name__ == "__main__":
    main()
