"""Day one of a chapter, from no file at all, through the real window only.

The wizard creates the register with its chi hội and thôn; the yearly targets are set;
three members are typed (one with only a birth year); one of them also volunteers; three
households are opened and one gets a sponsor with a monthly commitment from its file; a
Tết handout reaches the three households, in an aid form added on the Tổ chức page; a
blood drive is recorded; the quarterly report is issued from the Báo cáo page and its
figures and "% chỉ tiêu" are checked against what was typed. The test body only drives
widgets; the register is read only to assert.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings

from chapter_app.services.report import labels as L
from chapter_app.services.report.issue import issued_data
from chapter_app.store.repository import Query
from chapter_app.ui.forms import base, widgets
from chapter_app.ui.pages.base import set_today
from tests.ui import journey as j

TODAY = date(2027, 1, 6)  # the officer reports on 2026-Q4 early in January

BRANCHES = ["Chi hội Thôn An Vĩnh", "Chi hội Thôn Khê Tân"]  # typed in the wizard
UNITS = ["Thôn An Vĩnh", "Thôn Khê Tân", "Thôn Trường Thọ"]
ORG_PAGE_BRANCH = "Chi hội Thôn Trường Thọ"  # added on the Tổ chức page
SCHOOL_BRANCH = "Chi hội Trường THCS Tịnh Kỳ"  # added from the member form
TARGETS = {"members.new": "6", "addresses.new": "4", "blood.units": "60"}
GIFT_FORM = "Quà Tết (tiền và hiện vật)"  # an aid form added on the Tổ chức page


@pytest.fixture
def clock(monkeypatch, qapp):
    from chapter_app.ui.qt_i18n import apply_language

    apply_language(qapp, "vi")
    monkeypatch.setattr(widgets, "today", lambda: TODAY)
    monkeypatch.setattr(base, "ASK_BEFORE_DISCARD", False)
    set_today(TODAY)
    yield
    set_today(None)


def _pdf_text(path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _table_row(text: str, label: str) -> str:
    """The annex table's row that starts with ``label`` (up to the next row's number)."""
    start = text.index(label, text.index("PHỤ LỤC"))
    return text[start : start + len(label) + 60]


def test_a_chapter_starts_from_nothing_and_issues_its_quarterly_report(
    qtbot, tmp_path, clock, monkeypatch
):
    path = j.create_register(
        qtbot,
        tmp_path / "tinh-ky.db",
        chapter="Hội Chữ thập đỏ xã Tịnh Kỳ",
        parent="Hội Chữ thập đỏ tỉnh Quảng Ngãi",
        place="Tịnh Kỳ",
        signer="Nguyễn Văn Hùng",
        branches=BRANCHES,
        units=UNITS,
    )
    window = j.open_window(qtbot, path, QSettings(str(tmp_path / "w.ini"), QSettings.IniFormat))
    store = window.store
    j.add_branch_on_org_page(
        qtbot,
        window,
        name=ORG_PAGE_BRANCH,
        kind="Thôn, tổ dân phố",
        units=["Thôn Trường Thọ"],
        head="Võ Văn Sơn",
    )
    steps = j.first_steps(qtbot, window)  # the wizard made the chi hội and thôn
    assert steps == {"branches": "✔", "members": "○", "targets": "○", "addresses": "○"}
    message = j.set_targets(qtbot, window, year=2026, targets=TARGETS, from_first_steps=True)
    assert message == "Đã lưu 3 chỉ tiêu năm 2026."

    j.add_member(
        qtbot,
        window,
        name="Nguyễn Thị Ánh",
        sex="Nữ",
        birth="12/03/1985",
        unit="an vinh",
        branch="chi hoi an vinh",
        admitted="05/10/2026",
        decision="12/QĐ-CTĐ",
    )
    j.add_member(
        qtbot,
        window,
        name="Trần Văn Bình",
        sex="Nam",
        birth="1962",  # only the year is known
        unit="Thôn Khê Tân",
        branch="Chi hội Thôn Khê Tân",
        admitted="15/11/2026",
    )
    j.add_member(
        qtbot,
        window,
        name="Lê Thị Cúc",
        sex="Nữ",
        birth="01/07/1990",
        unit="truong tho",
        branch=SCHOOL_BRANCH,
        admitted="01/12/2026",
        new_branch=True,
    )
    j.add_volunteer_of_member(
        qtbot, window, search="tran van binh", registered="20/11/2026", skills="Sơ cấp cứu"
    )
    for name, unit in (
        ("Hộ bà Phạm Thị Lụa", "Thôn An Vĩnh"),
        ("Hộ ông Đinh Văn Tư", "Thôn Khê Tân"),
        ("Hộ bà Võ Thị Mai", "Thôn Trường Thọ"),
    ):
        j.add_household(qtbot, window, name=name, unit=unit, opened="01/10/2026", street="")
    amount = j.sponsor_household(
        qtbot,
        window,
        household="Hộ bà Phạm Thị Lụa",
        sponsor="Công ty TNHH Bình Minh",
        phone="0905123456",
        start="01/11/2026",
        amount="500000",
    )
    assert amount == "500.000 đ/tháng"
    assert j.sponsor_file_rows(qtbot, window, sponsor="Công ty TNHH Bình Minh") == [
        [
            "Hộ bà Phạm Thị Lụa",
            "01/11/2026",
            "chưa hết hạn",
            "Tiền mặt",
            "500.000 đ/tháng",
            "đang đỡ đầu",
        ]
    ]
    # the steps done are ticked; the targets asked for are this year's (2027), not 2026's
    steps = j.first_steps(qtbot, window)
    assert steps == {"branches": "✔", "members": "✔", "targets": "○", "addresses": "✔"}
    assert "năm 2027" in window.current_page().first_steps.texts["targets"].text()
    j.add_aid_form_on_org_page(qtbot, window, name=GIFT_FORM)
    total = j.distribute(
        qtbot,
        window,
        given_on="28/12/2026",
        campaign="Tết Nhân ái",
        description="Quà Tết: gạo, dầu ăn",
        cash_each="500000",
        form=GIFT_FORM,
    )
    assert total == "3 hộ × 500.000 đ = 1.500.000 đ"
    j.add_blood_drive(
        qtbot,
        window,
        held_on="15/12/2026",
        partner="Trung tâm Huyết học Quảng Ngãi",
        registered="40",
        donors="30",
        units="30",
    )
    page = j.issue_quarterly_report(
        qtbot, window, monkeypatch, year=2026, quarter=4, pdf_path=tmp_path / "bc.pdf"
    )

    # --- what the officer checks: the register and the issued report -----------------
    assert sorted(b.name for b in store.branches.list(Query())) == sorted(
        [*BRANCHES, ORG_PAGE_BRANCH, SCHOOL_BRANCH]
    )
    assert sorted(u.name for u in store.units.list(Query())) == sorted(UNITS)
    binh = store.people.search("Trần Văn Bình")[0]
    assert (binh.birth_year, binh.birth_date) == (1962, None)
    assert store.volunteers.list(Query())[0].person_id == binh.id
    gift = next(f for f in store.aid_forms.list() if f.name == GIFT_FORM)
    assert {a.form for a in store.aid.list(Query())} == {gift.code}

    data = issued_data(store, page.selected_report_id())
    assert data.period_code == "2026-Q4"

    def figure(key):
        row = data.indicator(key)
        return row.period, row.target, row.percent_of_target

    # what was typed, and the targets: year-to-date as a share of the year's target
    assert figure("branches.count")[0] == 4
    assert figure("members.total_end")[0] == 3
    assert figure("members.new") == (3, 6, 50.0)
    assert figure("volunteers.total_end")[0] == 1
    assert figure("addresses.on_file")[0] == 3
    assert figure("addresses.new") == (3, 4, 75.0)
    assert figure("addresses.with_sponsor")[0] == 1
    assert figure("sponsors.active")[0] == 1
    assert figure("aid.records")[0] == 3
    assert figure("aid.households")[0] == 3
    assert figure("aid.value_total")[0] == 1_500_000
    assert figure("blood.drives")[0] == 1
    assert figure("blood.donors")[0] == 30
    assert figure("blood.units") == (30, 60, 50.0)

    # the printed report says the same, in the officer's words
    text = _pdf_text(tmp_path / "bc.pdf")
    assert "HỘI CHỮ THẬP ĐỎ XÃ TỊNH KỲ" in text
    assert "% chỉ tiêu" in text
    for label, target, percent in (
        ("Hội viên kết nạp mới", "6", 50.0),
        ("Địa chỉ nhân đạo mới", "4", 75.0),
        ("Đơn vị máu", "60", 50.0),
    ):
        row = _table_row(text, label)
        assert f" {target} {L.percent(percent, 'vi')}" in row, row
    assert "1.500.000" in _table_row(text, "Tết Nhân ái")
