"""Checks on an Excel 97-2003 ``.xls`` file before python-calamine reads it.

calamine trusts the sizes an ``.xls`` states: the compound file's sector counts and stream
sizes, the string table's count, the cells' row and column numbers (each sheet becomes
one dense block). A damaged or hostile 8 KB file can so ask for gigabytes, and a failed
allocation in Rust ends the whole program. This module reads the compound file's header,
its sector table and directory, then the ``Workbook`` stream's records, and checks every
such number against the file's real size and the limits of :mod:`.guard`.
"""

from __future__ import annotations

import struct
from pathlib import Path

from chapter_app.services.importer.guard import MAX_TEXT_BYTES, check_extent, damaged, too_big

_FREE = 0xFFFFFFFF
_END = 0xFFFFFFFE
_CELL_RECORDS = {0x0203, 0x0204, 0x0205, 0x027E, 0x0201, 0x00FD, 0x0006, 0x0406, 0x0003}
_MULTI_RECORDS = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column ... last column
_BOF, _SST, _DIMENSIONS = 0x0809, 0x00FC, 0x0200


class _Damaged(Exception):
    pass


def check_xls(path: Path) -> None:
    """Raise :class:`AppError` unless ``path`` is a compound file calamine can read safely."""
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise too_big(path, f"tệp nặng {size / 2**20:,.0f} MB")
    data = path.read_bytes()
    try:
        _check_records(path, _workbook_stream(data))
    except (_Damaged, struct.error, IndexError) as exc:
        raise damaged(path, str(exc) or "cấu trúc tệp .xls") from exc


def _u32(data: bytes, offset: int) -> int:
    return struct.unpack_from("<I", data, offset)[0]


def _workbook_stream(data: bytes) -> bytes:
    if len(data) < 512:
        raise _Damaged("tệp quá ngắn")
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12) or struct.unpack_from("<H", data, 0x20)[0] != 6:
        raise _Damaged("đầu tệp sai")
    sector = 1 << shift
    sectors = len(data) // sector - 1  # the header takes the first sector's place
    n_fat, first_dir = _u32(data, 0x2C), _u32(data, 0x30)
    cutoff, n_minifat, first_difat, n_difat = (_u32(data, o) for o in (0x38, 0x40, 0x44, 0x48))
    if cutoff != 4096 or max(n_fat, n_minifat, n_difat) > sectors:
        raise _Damaged("số đoạn sai")

    def read_sector(index: int) -> bytes:
        if index >= sectors:
            raise _Damaged("đoạn ngoài tệp")
        start = (index + 1) * sector
        return data[start : start + sector]

    difat = [_u32(data, 0x4C + 4 * i) for i in range(109)]
    next_difat = first_difat
    for _ in range(n_difat):
        if next_difat in (_FREE, _END):
            break
        block = read_sector(next_difat)
        difat += struct.unpack_from(f"<{sector // 4 - 1}I", block)
        next_difat = _u32(block, sector - 4)
    fat_sectors = [s for s in difat if s not in (_FREE, _END)][:n_fat]
    fat: list[int] = []
    for index in fat_sectors:
        fat += struct.unpack(f"<{sector // 4}I", read_sector(index))

    def chain(start: int) -> bytes:
        parts, seen = [], set()
        while start not in (_END, _FREE):
            if start in seen or start >= len(fat):
                raise _Damaged("chuỗi đoạn hỏng")
            seen.add(start)
            parts.append(read_sector(start))
            start = fat[start]
        return b"".join(parts)

    directory = chain(first_dir)
    entries = {}
    root = None
    for offset in range(0, len(directory) - 127, 128):
        entry = directory[offset : offset + 128]
        kind = entry[66]
        if kind not in (1, 2, 5):
            continue
        start, length = _u32(entry, 116), struct.unpack_from("<Q", entry, 120)[0]
        if sector == 512:
            length &= 0xFFFFFFFF  # version 3 files keep only the low half
        if length > len(data):
            raise _Damaged("độ dài luồng sai")
        name_length = struct.unpack_from("<H", entry, 64)[0]
        name = entry[: max(0, min(name_length, 64) - 2)].decode("utf-16-le", "replace")
        if kind == 5 and root is None:
            root = (start, length)
        elif kind == 2:
            entries.setdefault(name, (start, length))
    found = entries.get("Workbook") or entries.get("Book")
    if found is None:
        raise _Damaged("không có bảng tính trong tệp")
    start, length = found
    if length >= cutoff:
        return chain(start)[:length]
    # a small stream lives in the mini stream, in 64-byte mini sectors
    if root is None:
        raise _Damaged("thiếu mục gốc")
    mini_stream = chain(root[0])[: root[1]]
    minifat: list[int] = []
    minifat_bytes = chain(_u32(data, 0x3C)) if n_minifat else b""
    minifat += struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes)
    parts, seen = [], set()
    while start not in (_END, _FREE):
        if start in seen or start >= len(minifat) or (start + 1) * 64 > len(mini_stream):
            raise _Damaged("chuỗi đoạn nhỏ hỏng")
        seen.add(start)
        parts.append(mini_stream[start * 64 : (start + 1) * 64])
        start = minifat[start]
    return b"".join(parts)[:length]


def _check_records(path: Path, stream: bytes) -> None:
    """The string table's count and each sheet's extent from its cell records."""
    i, end = 0, len(stream)
    rows = cols = 0
    while i + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, i)
        body = stream[i + 4 : i + 4 + length]
        i += 4 + length
        if kind == _BOF:
            if rows or cols:
                check_extent(path, rows, cols)
            rows = cols = 0
        elif kind in _CELL_RECORDS and len(body) >= 4:
            row, col = struct.unpack_from("<HH", body, 0)
            rows, cols = max(rows, row + 1), max(cols, col + 1)
        elif kind in _MULTI_RECORDS and len(body) >= 6:
            row = struct.unpack_from("<H", body, 0)[0]
            last = struct.unpack_from("<H", body, len(body) - 2)[0]
            rows, cols = max(rows, row + 1), max(cols, last + 1)
        elif kind == _SST and len(body) >= 8:
            if _u32(body, 4) > len(stream):  # each string takes at least 3 bytes
                raise _Damaged("bảng chuỗi sai")
        elif kind == _DIMENSIONS and len(body) >= 12:
            first_row, last_row = _u32(body, 0), _u32(body, 4)
            if last_row > 1_048_576 or first_row > last_row:
                raise _Damaged("kích thước trang sai")
    if rows or cols:
        check_extent(path, rows, cols)
