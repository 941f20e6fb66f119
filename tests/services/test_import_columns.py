"""Member rows planned column by column (``member_columns``) give the very plan that
planning row by row (``PersonPlanner.plan_row``) gives: outcomes, issues with their cells
and fields, values, duplicates, missing chi hội and thôn, on hostile and legacy values."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from chapter_app.services.importer import plan_import
from chapter_app.services.importer.members import MemberPlanner
from chapter_app.services.records import save_member
from tests.services.test_import_formats import tcvn3, vni
from tests.services.test_import_sheets import TODAY, simple_sheet

HEADER = [
    "STT",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Nam",
    "Nữ",
    "Số CCCD",
    "SĐT",
    "Địa chỉ",
    "Thôn",
    "Chi hội",
    "Ngày vào Hội",
    "Số quyết định",
    "Số thẻ",
    "Tình trạng",
    "Ngày đổi tình trạng",
    "Ghi chú",
    "Dân tộc",
    "Chất độc da cam",
]
FIELDS = [
    "full_name",
    "sex",
    "birth",
    "male",
    "female",
    "id_number",
    "phone",
    "address",
    "unit",
    "branch",
    "admitted_on",
    "decision_no",
    "card_no",
    "status",
    "status_on",
    "notes",
    "ethnicity",
    "agent_orange",
]


def row(name, *, admitted=None, **given):
    given["admitted_on"] = admitted
    return [None, name, *(given.get(key) for key in FIELDS[1:])]


B3 = "Chi hội Thôn 3"
HOSTILE = [
    row("Nguyễn Văn An", male=1958, id_number="051058001234", branch=B3, admitted="05/01/2020"),
    # the same person again (a duplicate of an earlier row), then of one on file
    row("NGUYỄN VĂN AN", male=1958, id_number="051058001234", branch=B3, admitted=43831),
    row("Trần Thị Hồ Sơ", female=1970, branch=B3, admitted=2015, phone="0905123456"),
    # quote-neutralised cells, spaces, invisible characters, control characters
    row("'=Lê Văn Ba", male=1980, branch="  " + B3 + " ", admitted="01/02/2003"),
    row("   ", male=1980, branch=B3, admitted="01/02/2003"),
    row("\ufeff", female=1981, branch=B3, admitted="01/02/2003"),
    row("Phan\u200b Văn Tư", sex="nam", birth="12/12/1975", branch=B3, admitted="2010-07-01"),
    row("Võ Văn\x7f Năm\tSáu", sex="M", birth=1975, branch=B3, admitted="2010-07-01"),
    row(unicodedata.normalize("NFD", "Đặng Thị Sáu"), sex="Nữ", birth=datetime(1960, 3, 4)),
    row("Bùi Văn 7", male=1990, branch=B3, admitted=date(2012, 5, 6), notes="x" * 2500),
    row("Ngô " + "Văn " * 40 + "Dài", male=1990, branch=B3, admitted="01/01/2012"),
    # both Nam and Nữ; a tick; a bad sex; a birth in the future; a birth too early
    row("Hà Văn Hai Cột", male=1960, female=1961, branch=B3, admitted="01/01/2012"),
    row("Lý Thị Tích", female="x", birth=1966, branch=B3, admitted="01/01/2012"),
    row("Mai Văn Giới", sex="không rõ", birth=1966, branch=B3, admitted="01/01/2012"),
    row("Đinh Văn Sau", male=2030, branch=B3, admitted="01/01/2012"),
    row("Tạ Văn Xưa", male=1850, branch=B3, admitted="01/01/2012"),
    row("Kiều Thị Trẻ", female=2015, branch=B3, admitted="01/01/2020"),
    row("Lò Văn Trước", male=2000, branch=B3, admitted="01/01/1990"),
    # ID numbers: masked, lost zeros (text and number), old CMND, letters, wrong sex/year
    row("Cao Văn Che", male=1962, id_number="051****01234", branch=B3, admitted="01/01/2012"),
    row("Cao Văn Mười", male=1962, id_number="51062001234", branch=B3, admitted="01/01/2012"),
    row("Cao Văn Một", male=1962, id_number=51062001235, branch=B3, admitted="01/01/2012"),
    row("Cao Văn Chín", male=1962, id_number=212345678, branch=B3, admitted="01/01/2012"),
    row("Cao Văn Chữ", male=1962, id_number="05106200A234", branch=B3, admitted="01/01/2012"),
    row("Cao Thị Lệch", female=1962, id_number="051062001236", branch=B3, admitted="01/01/2012"),
    row("Cao Văn Lệch", male=1963, id_number="051062001237", branch=B3, admitted="01/01/2012"),
    row("Cao Văn Tỉnh", male=1962, id_number="099062001238", branch=B3, admitted="01/01/2012"),
    row("Cao Văn Float", male=1962.0, id_number=51062001239.0, branch=B3, admitted=43831.5),
    # phones: +84, old 11-digit mobile, letters, foreign, a number
    row("Hồ Văn Điện", male=1962, phone="+84 905 123 456", branch=B3, admitted="01/01/2012"),
    row("Hồ Văn Cũ", male=1962, phone="01662345678", branch=B3, admitted="01/01/2012"),
    row("Hồ Văn Chữ", male=1962, phone="09x5123456", branch=B3, admitted="01/01/2012"),
    row("Hồ Văn Ngoại", male=1962, phone="+1 555 0100", branch=B3, admitted="01/01/2012"),
    row("Hồ Văn Số", male=1962, phone=358123456, branch=B3, admitted="01/01/2012"),
    # chi hội: missing (several spellings), by number, none; thôn unknown
    row("Trương Văn Mới", male=1970, branch="Chi hội Thôn 9", unit="Thôn 9", admitted=2019),
    row("Trương Văn Hoa", male=1971, branch="CHI HOI THON 9", unit="thôn 9", admitted=2019),
    row("Trương Văn Không", male=1972, admitted=2019),
    row("Trương Văn Số", male=1973, branch=1, admitted=2019),
    row("Trương Văn Thật", male=1974, branch=True, admitted=2019),
    # admission: missing, unreadable, future, before birth; status with and without date
    row("Châu Văn Thiếu", male=1960, branch=B3),
    row("Châu Văn Đọc", male=1960, branch=B3, admitted="ngày 5 tháng 1"),
    row("Châu Văn Tới", male=1960, branch=B3, admitted="01/01/2027"),
    row("Châu Văn Lùi", male=1960, branch=B3, admitted="01/01/1950"),
    row("Châu Văn Rời", male=1960, branch=B3, admitted=2000, status="Ra khỏi Hội"),
    row(
        "Châu Văn Chuyển",
        male=1960,
        branch=B3,
        admitted=2000,
        status="chuyển sinh hoạt",
        status_on="01/01/1999",
    ),
    row("Châu Văn Lạ", male=1960, branch=B3, admitted=2000, status="đi vắng"),
    row("Châu Văn Ngày", male=1960, branch=B3, admitted=2000, status_on="01/01/2001"),
    # texts: dates and numbers in text columns, flags
    row("Âu Văn Dài", male=1960, branch=B3, admitted=2000, notes=date(2020, 1, 1), ethnicity=5),
    row("Âu Văn Cờ", male=1960, branch=B3, admitted=2000, agent_orange="x"),
    row("Âu Văn Cờ Lạ", male=1960, branch=B3, admitted=2000, agent_orange="chắc vậy"),
    row("Âu Văn Thẻ", male=1960, branch=B3, admitted=2000, card_no=12345, decision_no=date.min),
    row(12345, male=1960, branch=B3, admitted=2000),
    row(None, male=1960, branch=B3, admitted=2000, notes="only a note"),
    # legacy encodings: a TCVN3 and a VNI name (converted when the sheet is read)
    row(tcvn3("Dương Văn Hiếu"), male=1958, branch=B3, admitted="05/01/2020"),
    row(vni("Dương Văn Hiếu"), male=1958, branch=B3, admitted="05/01/2020"),
    row("Hoàng Đình Phúc", male=1962, id_number="051062001240", branch=B3, admitted=2012),
]


@pytest.fixture
def chapter(store):
    store.branches.add(name="Chi hội Thôn 3")
    store.units.add(name="Thôn 3")
    # on file: the person row "Hoàng Đình Phúc" duplicates (same ID number)
    save_member(
        store,
        {
            "full_name": "Hoàng Đình Phúc",
            "birth": 1962,
            "id_number": "051062001240",
            "branch": "Chi hội Thôn 3",
            "admitted_on": date(2010, 1, 1),
        },
        today=TODAY,
    )
    return store


def _everything(plan) -> list:
    """All a plan says, row by row, in a form that compares exactly."""
    rows = []
    for r in plan.rows:
        p = r.payload
        payload = (p.cleaned, list(p.cleaned), dict(p.given), p.branch_id, p.status, p.status_on)
        rows.append((r.row, r.outcome, r.label, r.issues, r.duplicate, r.sheet, r.pending, r.base))
        rows.append((dict(r.refs), payload))
    return [
        rows,
        plan.skipped,
        plan.missing,
        plan.notes,
        plan.units_of,
        plan.missing_fields,
        [(c.letter, c.field) for c in plan.columns],
    ]


def _both_ways(monkeypatch, store, path, **kwargs):
    """The plan made row by row, the plan made column by column, and the rows the column
    path handed back to ``plan_row``."""
    monkeypatch.setattr(MemberPlanner, "row_by_row", True)
    by_row = plan_import(store, path, "members", today=TODAY, **kwargs)
    monkeypatch.setattr(MemberPlanner, "row_by_row", False)
    handed: list[int] = []
    plan_row = MemberPlanner.plan_row

    def counted(self, number, values):
        handed.append(number)
        return plan_row(self, number, values)

    monkeypatch.setattr(MemberPlanner, "plan_row", counted)
    by_column = plan_import(store, path, "members", today=TODAY, **kwargs)
    return by_row, by_column, handed


def test_hostile_member_values_give_the_same_plan_column_by_column(chapter, tmp_path, monkeypatch):
    path = simple_sheet(tmp_path / "hostile.xlsx", HEADER, HOSTILE)
    by_row, by_column, handed = _both_ways(monkeypatch, chapter, path)
    mapped = {c.field for c in by_row.columns}
    assert set(FIELDS) <= mapped  # every field the column path handles is in the sheet
    assert _everything(by_column) == _everything(by_row)
    # only the rows the column path does not cover went row by row: no full name, or
    # both Nam and Nữ filled in
    first = 2  # the header is row 1
    names = {HOSTILE[n - first][1] for n in handed}
    assert names == {"   ", "\ufeff", None, "Hà Văn Hai Cột"}
    outcomes = {o for o in by_column.counts if by_column.counts[o]}
    assert outcomes == {"ok", "warning", "error", "duplicate"}
    messages = "\n".join(m for r in by_column.rows for m in r.messages())
    assert "Ô G21 (Số CCCD)" in messages  # cells named as row by row
    converted = [r.label for r in by_column.rows if r.label == "Dương Văn Hiếu"]
    assert len(converted) == 2  # TCVN3 and VNI names read as Unicode, then planned


def test_creating_the_missing_chi_hoi_settles_the_same_rows_both_ways(
    chapter, tmp_path, monkeypatch
):
    path = simple_sheet(tmp_path / "hostile.xlsx", HEADER, HOSTILE)
    by_row, by_column, _ = _both_ways(monkeypatch, chapter, path, create_missing=True)
    assert [m.name for m in by_column.missing] == ["Chi hội Thôn 9", "Chi hội True", "Thôn 9"]
    assert [m.rows for m in by_column.missing] == [2, 1, 2]
    assert _everything(by_column) == _everything(by_row)


def test_section_headings_and_defaults_give_the_same_plan_column_by_column(
    chapter, tmp_path, monkeypatch
):
    header = [h for h in HEADER if h != "Chi hội"]
    rows = [[v for i, v in enumerate(r) if i != HEADER.index("Chi hội")] for r in HOSTILE]
    with_sections = [
        ["I. CHI HỘI THÔN 3"],
        *rows[:20],
        ["II. Chi hội Thôn 9"],
        *rows[20:],
    ]
    path = simple_sheet(tmp_path / "sections.xlsx", header, with_sections)
    by_row, by_column, _ = _both_ways(
        monkeypatch, chapter, path, defaults={"admitted_on": "01/01/2020"}
    )
    assert _everything(by_column) == _everything(by_row)
    branches = {r.payload.cleaned["branch"] for r in by_column.rows}
    assert branches == {1, "Chi hội Thôn 9"}  # from the heading above each row


def test_a_large_sheet_of_repeated_values_gives_the_same_plan_column_by_column(
    chapter, tmp_path, monkeypatch
):
    # more rows than one batch, values repeated past the memo's first tables
    rows = [
        row(
            f"Nguyễn Văn {chr(0x41 + i % 26)}{i % 7}",
            male=1950 + i % 13,
            id_number=f"0510{(1950 + i % 13) % 100:02d}{i:06d}",
            phone=900000000 + i,
            branch=B3 if i % 5 else "Chi hội Thôn 8",
            unit="Thôn 3" if i % 3 else "Thôn 8",
            admitted=43000 + i % 500,
            card_no=f"HV-{i:05d}",
        )
        for i in range(4500)
    ]
    path = simple_sheet(tmp_path / "large.xlsx", HEADER, rows)
    by_row, by_column, handed = _both_ways(monkeypatch, chapter, path)
    assert handed == []
    assert _everything(by_column) == _everything(by_row)
    assert by_column.counts["duplicate"] > 0
