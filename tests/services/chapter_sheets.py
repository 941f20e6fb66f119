"""Sheets as chapters keep them, generated with openpyxl for the import tests.

``member_register_sheet`` writes the 137-row member list of a commune chapter: title rows,
a two-row header with merged cells ("Năm sinh" over "Nam" and "Nữ"), the header repeated
where the printed page breaks, four chi hội and four thôn that a register made by ``init``
does not have (each spelled more than one way), a totals row and signatures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import openpyxl

# (as the sheet spells the chi hội, as it spells the thôn) per group of rows
SPELLINGS = [
    ("Chi hội An Vĩnh", "Thôn An Vĩnh"),
    ("CHI HỘI AN VĨNH", "An Vĩnh"),
    ("Chi hội thôn 3", "Thôn 3"),
    ("CHI HOI THON 3", "thôn 3"),
    ("Chi hội Thôn Đông", "Thôn Đông"),
    ("Thôn Tây", "Thôn Tây"),  # the chi hội written without "Chi hội"
]
BRANCHES = {"Chi hội An Vĩnh", "Chi hội thôn 3", "Chi hội Thôn Đông", "Chi hội Thôn Tây"}
UNITS = {"Thôn An Vĩnh", "Thôn 3", "Thôn Đông", "Thôn Tây"}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE_MEN = ["Văn", "Hữu", "Đức", "Minh", "Quang"]
MIDDLE_WOMEN = ["Thị", "Ngọc", "Thu", "Kim", "Mỹ"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hiếu", "Lan", "Mai", "Nga", "Phúc", "Sơn", "Tâm"]


@dataclass
class RegisterSheet:
    path: Path
    rows: int
    women: int
    first_data_row: int
    names: list[str]


def member_register_sheet(path: Path, *, rows: int = 137, page: int = 45) -> RegisterSheet:
    """The member list of a chapter, ``rows`` members; the header repeats every ``page`` rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DS hội viên"
    cover = wb.create_sheet("Hướng dẫn", 0)  # a cover page before the list
    cover["A1"] = "Danh sách gửi Hội cấp trên trước ngày 15/12."
    ws["A1"] = "HỘI CHỮ THẬP ĐỎ XÃ TỊNH KỲ"
    ws.merge_cells("A1:D1")
    ws["F1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws.merge_cells("F1:I1")
    ws["F2"] = "Độc lập - Tự do - Hạnh phúc"
    ws.merge_cells("F2:I2")
    ws["A4"] = "DANH SÁCH HỘI VIÊN NĂM 2026"
    ws.merge_cells("A4:I4")
    header_top = ["STT", "Họ và tên", "Năm sinh", None, "Thôn", "Chi hội", "Ngày vào Hội"]
    header_top += ["Số điện thoại", "Ghi chú"]
    header_sub = [None, None, "Nam", "Nữ", None, None, None, None, None]

    def header(at: int) -> None:
        for col, value in enumerate(header_top, start=1):
            ws.cell(at, col, value)
        for col, value in enumerate(header_sub, start=1):
            if value:
                ws.cell(at + 1, col, value)
        ws.merge_cells(start_row=at, start_column=3, end_row=at, end_column=4)
        for col in (1, 2, 5, 6, 7, 8, 9):
            ws.merge_cells(start_row=at, start_column=col, end_row=at + 1, end_column=col)

    header(6)
    r = 8
    women = 0
    names = []
    for i in range(rows):
        if i and i % page == 0:  # the header printed again on the next page
            header(r)
            r += 2
        woman = i % 3 == 1
        women += woman
        family = FAMILY[i % len(FAMILY)]
        middle = (MIDDLE_WOMEN if woman else MIDDLE_MEN)[i % 5]
        given = GIVEN[(i * 7) % len(GIVEN)]
        name = f"{family} {middle} {given}"
        names.append(name)
        branch, unit = SPELLINGS[i % len(SPELLINGS)]
        year = 1950 + i % 50
        ws.cell(r, 1, i + 1)
        ws.cell(r, 2, name)
        ws.cell(r, 4 if woman else 3, year)
        ws.cell(r, 5, unit)
        ws.cell(r, 6, branch)
        ws.cell(r, 7, date(2010 + i % 15, 1 + i % 12, 1 + i % 28) if i % 4 else "15/03/2019")
        if i % 5 == 0:
            ws.cell(r, 8, f"09{i:08d}")
        r += 1
    ws.cell(r, 2, "Tổng cộng: 137 hội viên")
    ws.cell(r + 2, 6, "Tịnh Kỳ, ngày 20 tháng 11 năm 2026")
    ws.cell(r + 3, 6, "TM. BAN THƯỜNG VỤ")
    wb.save(path)
    return RegisterSheet(path, rows, women, 8, names)
