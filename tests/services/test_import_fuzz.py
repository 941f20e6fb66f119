"""Mutated workbooks and text files (fixed seed): reading ends in a grid or an AppError
with a message, never another exception, a crash or a memory blow-up."""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from chapter_app.errors import AppError
from chapter_app.services.importer.reading import read_grid, read_sheets
from tests.services.test_import_formats import libreoffice

SEED = 20261205
MUTANTS = 2400


def _seed_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Hội viên"
    ws["A1"] = "DANH SÁCH HỘI VIÊN"
    ws.merge_cells("A1:E1")
    ws.append(["STT", "Họ và tên", "Năm sinh", "Ngày vào Hội", "Ghi chú"])
    for i in range(12):
        ws.append([i + 1, f"Nguyễn Văn {i}", 1950 + i, f"0{i % 9 + 1}/01/2020", "Hä vµ tªn"])
    ws["D5"].number_format = "dd/mm/yyyy"
    wb.create_sheet("Trang 2").append(["Döông Vaên Hieáu", 3.5, True])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("fuzz_seeds")
    xlsx = _seed_workbook(folder / "seed.xlsx")
    found = {"xlsx": xlsx.read_bytes()}
    for fmt in ("xls", "ods"):
        found[fmt] = libreoffice(xlsx, fmt).read_bytes()
    again = folder / "lo"  # as LibreOffice writes .xlsx: shared strings, styles with counts
    again.mkdir()
    (again / "seed.ods").write_bytes(found["ods"])
    found["xlsx-lo"] = libreoffice(again / "seed.ods", "xlsx").read_bytes()
    text = "Họ và tên;Năm sinh;Ghi chú\r\n" + "".join(
        f'"Nguyễn Văn {i}";{1950 + i};"có ""ngoặc"""\r\n' for i in range(12)
    )
    found["csv-utf8"] = text.encode("utf-8-sig")
    found["txt-utf16"] = text.replace(";", "\t").encode("utf-16")
    found["csv-1258"] = text.encode("cp1258", "replace")
    return found


_XML_EDITS = [
    lambda d, r: re.sub(rb'r="[A-Z]+[0-9]+"', b'r="XFD1048576"', d, count=1),
    lambda d, r: re.sub(rb'r="[A-Z]+[0-9]+"', b'r="A0"', d, count=1),
    lambda d, r: re.sub(rb'r="[A-Z]+[0-9]+"', b" ", d, count=r.randint(1, 5)),
    lambda d, r: re.sub(rb"[0-9]+", b"99999999999999999999", d, count=r.randint(1, 3)),
    lambda d, r: re.sub(rb'ref="[^"]*"', b'ref="A1:XFD1048576"', d),
    lambda d, r: re.sub(rb'(repeated|spanned)="[0-9]+"', rb'\1="1048576"', d),
    lambda d, r: re.sub(rb'([cC]ount)="[0-9]+"', rb'\1="4000000000"', d, count=r.randint(1, 3)),
    lambda d, r: d.replace(b"<v>", b"<v>-", 1),
    lambda d, r: d.replace(b'"', b"", 1),
    lambda d, r: d.replace(b"</", b"<", 1),
    lambda d, r: d[: r.randrange(len(d) + 1)],
    lambda d, r: d + d[: r.randrange(len(d) + 1)],
    lambda d, r: d.replace(b"<row", b'<row r="150000"', 1),
    lambda d, r: d.replace(b't="s"', b't="e"', 1).replace(b't="n"', b't="s"', 1),
]


def _flip(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(data))
        choice = rng.random()
        if choice < 0.5:
            data[i] = rng.randrange(256)
        elif choice < 0.75:
            del data[i : i + rng.randint(1, 64)]
        else:
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    return bytes(data)


def _mutate_zip(data: bytes, rng: random.Random) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    name = rng.choice(sorted(parts))
    if rng.random() < 0.7:
        parts[name] = rng.choice(_XML_EDITS)(parts[name], rng)
    else:
        parts[name] = _flip(parts[name], rng) if parts[name] else b"\x00"
    if rng.random() < 0.1:
        parts.pop(rng.choice(sorted(parts)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for part, content in parts.items():
            target.writestr(part, content)
    return out.getvalue()


def _mutate(kind: str, data: bytes, rng: random.Random) -> bytes:
    if kind in ("xlsx", "xlsx-lo", "ods") and rng.random() < 0.75:
        return _mutate_zip(data, rng)
    if kind.startswith(("csv", "txt")) and rng.random() < 0.3:
        extra = rng.choice([b'"', b"\x00", b"\r", b";" * 5000, b"\xff\xfe", b'"' + b"x" * 40000])
        i = rng.randrange(len(data))
        return data[:i] + extra + data[i:]
    return _flip(data, rng)


_SUFFIX = {"xlsx": ".xlsx", "xlsx-lo": ".xlsx", "xls": ".xls", "ods": ".ods", "csv-utf8": ".csv"}
_SUFFIX.update({"txt-utf16": ".txt", "csv-1258": ".csv"})


def test_mutated_files_give_a_grid_or_an_app_error(seeds, tmp_path):
    rng = random.Random(SEED)
    kinds = sorted(seeds)
    outcomes = {"read": 0, "refused": 0}
    path = tmp_path / "x"
    for n in range(MUTANTS):
        kind = kinds[n % len(kinds)]
        data = _mutate(kind, seeds[kind], rng)
        path = tmp_path / f"mutant{_SUFFIX[kind]}"
        path.write_bytes(data)
        try:
            grids = read_sheets(path) if n % 3 == 0 else [read_grid(path)]
        except AppError as exc:
            assert exc.message and "Traceback" not in exc.message
            outcomes["refused"] += 1
        except Exception as exc:  # pragma: no cover - what the test is for
            keep = Path(f"/tmp/fuzz_failure{_SUFFIX[kind]}")
            keep.write_bytes(data)
            raise AssertionError(f"mutant {n} ({kind}, kept in {keep}): {exc!r}") from exc
        else:
            assert all(isinstance(g.rows, list) for g in grids)
            outcomes["read"] += 1
    # both ends exercised: many mutants still read, many are refused
    assert outcomes["read"] > MUTANTS // 10 and outcomes["refused"] > MUTANTS // 10
