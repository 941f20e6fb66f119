"""Benchmarks of Excel import and export (issue 5).

    .venv/bin/python bench/bench_exchange.py [--rows 10000] [--runs 5] [--export-runs 3]

Budgets: importing a 10,000-row member sheet (as chapters keep them: title rows, a merged
two-row header with Nam/Nữ birth-year columns, Excel date serials, phones stored as
numbers, a totals row) under 5 s median, and within 3x of openpyxl merely reading the
same file (read-only mode, every value); exporting the 100,000 people of the large demo
database to .xlsx under 15 s median. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl

from bench.common import DEMO_TODAY, large_store, report
from chapter_app.services.excel_export import export_register
from chapter_app.services.importer import Outcome, apply_import, plan_import
from chapter_app.services.setup import init_database

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Mai",
    "Trương",
    "Tạ",
    "Lương",
    "Cao",
]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thành", "Xuân", "Đình", "Ngọc"]
MIDDLE_F = ["Thị", "Thị Thu", "Thị Minh", "Ngọc", "Thị Kim", "Thị Hồng", "Thanh", "Thị Mỹ"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Hải",
    "Hùng",
    "Khoa",
    "Long",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tài",
    "Thắng",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Hoàng",
]
GIVEN_F = [
    "Anh",
    "Bích",
    "Chi",
    "Dung",
    "Hà",
    "Hằng",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Thảo",
    "Trang",
    "Vân",
    "Yến",
]
BRANCHES = 12


def build_sheet(path: Path, rows: int, *, seed: int = 7) -> Path:
    """A member sheet of ``rows`` members as a commune's chi hội keep them."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "HỘI CHỮ THẬP ĐỎ XÃ TỊNH KỲ"
    ws["A2"] = "DANH SÁCH HỘI VIÊN TOÀN XÃ NĂM 2026"
    ws.merge_cells("A1:E1")
    ws.merge_cells("A2:L2")
    header = [
        "STT",
        "Họ và tên",
        "Năm sinh",
        None,
        "Số CCCD",
        "SĐT",
        "Địa chỉ",
        "Thôn",
        "Chi hội",
        "Ngày vào Hội",
        "Số thẻ",
        "Ghi chú",
    ]
    for col, text in enumerate(header, start=1):
        ws.cell(4, col, text)
    ws.cell(5, 3, "Nam")
    ws.cell(5, 4, "Nữ")
    ws.merge_cells("C4:D4")
    for letter in "ABEFGHIJKL":
        ws.merge_cells(f"{letter}4:{letter}5")
    for i in range(rows):
        male = rng.random() < 0.45
        name = " ".join(
            [
                rng.choice(FAMILY),
                rng.choice(MIDDLE_M if male else MIDDLE_F),
                rng.choice(GIVEN_M if male else GIVEN_F),
            ]
        )
        if rng.random() < 0.1:
            name = unicodedata.normalize("NFD", name)
        if rng.random() < 0.1:
            name = name.upper()
        year = rng.randint(1940, 2004)
        province = rng.choice([51, 52, 49])
        id_number = f"{province:03d}{0 if male else 1}{year % 100:02d}{i:06d}"
        branch = rng.randint(1, BRANCHES)
        admitted_day = date(rng.randint(2005, 2025), rng.randint(1, 12), rng.randint(1, 28))
        style = rng.random()
        if style < 0.4:
            admitted: object = (admitted_day - date(1899, 12, 30)).days  # a serial number
        elif style < 0.7:
            admitted = admitted_day.strftime("%d/%m/%Y")
        else:
            admitted = datetime.combine(admitted_day, datetime.min.time())
        values = [
            i + 1,
            name,
            year if male else None,
            None if male else year,
            int(id_number) if rng.random() < 0.3 else id_number,
            rng.choice([9, 3, 8, 7]) * 10**8 + rng.randint(0, 10**8 - 1),
            f"Xóm {rng.randint(1, 6)}",
            f"Thôn {branch}",
            f"Chi hội Thôn {branch}",
            admitted,
            f"HV-{i + 1:05d}",
            rng.choice([None, None, None, "Tổ trưởng", "Cựu chiến binh", "- Hộ nghèo"]),
        ]
        for col, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(6 + i, col, value)
    ws.cell(7 + rows, 1, "Tổng cộng")
    ws.cell(7 + rows, 3, f"{rows} hội viên")
    ws.cell(9 + rows, 2, "NGƯỜI LẬP BIỂU")
    ws.cell(9 + rows, 9, "CHỦ TỊCH")
    wb.save(path)
    return path


def read_with_openpyxl(path: Path, *, read_only: bool = True) -> int:
    workbook = openpyxl.load_workbook(path, read_only=read_only, data_only=True)
    count = sum(1 for _ in workbook.active.iter_rows(values_only=True))
    workbook.close()
    return count


def template_db(folder: Path) -> Path:
    path = folder / "template.db"
    store = init_database(path, chapter_name="Hội Chữ thập đỏ xã Tịnh Kỳ")
    for n in range(1, BRANCHES + 1):
        store.branches.add(name=f"Chi hội Thôn {n}")
        store.units.add(name=f"Thôn {n}")
    store.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--export-runs", type=int, default=3)
    parser.add_argument("--skip-export", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        sheet = build_sheet(folder / "hoi_vien.xlsx", args.rows)
        print(
            f"built a {args.rows:,}-row sheet in {time.perf_counter() - started:.1f} s "
            f"({sheet.stat().st_size / 1e6:.1f} MB)"
        )
        template = template_db(folder)

        read_times, load_times = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            read_with_openpyxl(sheet)
            read_times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            read_with_openpyxl(sheet, read_only=False)
            load_times.append((time.perf_counter() - started) * 1000)

        plan_times, import_times = [], []
        for run in range(args.runs):
            db = folder / f"run{run}.db"
            shutil.copy(template, db)
            store = init_database(db, chapter_name="Hội Chữ thập đỏ xã Tịnh Kỳ")
            started = time.perf_counter()
            plan = plan_import(store, sheet, "members", today=DEMO_TODAY)
            planned = time.perf_counter()
            result = apply_import(store, plan)
            done = time.perf_counter()
            plan_times.append((planned - started) * 1000)
            import_times.append((done - started) * 1000)
            if run == 0:
                print(
                    f"  rows {len(plan.rows):,}: {plan.counts}; added {result.added:,}; "
                    f"errors {plan.count(Outcome.ERROR)}"
                )
            store.close()

        report("openpyxl read-only: every value of the sheet", read_times)
        report("openpyxl default load_workbook + every value", load_times)
        report("import preview (read, map, clean, validate)", plan_times)
        report(f"import {args.rows:,} members (preview + write)", import_times, budget_ms=5000)
        for name, base in (("read-only", read_times), ("default load", load_times)):
            ratio = statistics.median(import_times) / statistics.median(base)
            print(
                f"{'import / openpyxl ' + name + ' (medians)':<48} {ratio:9.2f} x   "
                f"budget 3 x: {'ok' if ratio <= 3 else 'OVER'}"
            )

    if args.skip_export:
        return
    store = large_store()
    print(f"people: {store.people.count():,}  members: {store.members.count():,}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        times = []
        for run in range(args.export_runs):
            started = time.perf_counter()
            result = export_register(store, "people", out / f"people{run}.xlsx")
            times.append((time.perf_counter() - started) * 1000)
        print(f"  {result.rows:,} rows, {result.path.stat().st_size / 1e6:.1f} MB")
        report("export 100,000 people to .xlsx", times, budget_ms=15000)
        times = []
        for run in range(args.export_runs):
            started = time.perf_counter()
            result = export_register(store, "members", out / f"members{run}.xlsx")
            times.append((time.perf_counter() - started) * 1000)
        report(f"export {result.rows:,} members to .xlsx", times)
    store.close()


if __name__ == "__main__":
    main()
