"""Tests for the printed lists as data (services.report.lists) and as PDF (services.pdf.lists,
services.pdf.signoff): Vietnamese order, masked ID numbers, no sensitive data by default."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from chapter_app.errors import AppError
from chapter_app.services.pdf.lists import render_list
from chapter_app.services.pdf.signoff import render_signoff_sheet
from chapter_app.services.report.data import Letterhead, Signature
from chapter_app.services.report.lists import (
    Column,
    ListData,
    ListGroup,
    SignoffRow,
    SignoffSheet,
    build_address_list,
    build_list,
    build_member_list,
    build_signoff_sheet,
    build_volunteer_list,
    record_list_export,
)

PRINTED = date(2026, 11, 23)


def _person(store, name, **values):
    values.setdefault("birth_year", 1980)
    return store.people.add(full_name=name, **values)


def _member(store, name, branch_id, *, admitted=date(2020, 3, 1), **person):
    p = _person(store, name, **person)
    return store.members.add(person_id=p.id, branch_id=branch_id, admitted_on=admitted)


@pytest.fixture
def people(store):
    store.settings.update(
        {
            "chapter_name": "Hội Chữ thập đỏ xã Tịnh Kỳ",
            "parent_name": "Hội CTĐ tỉnh Quảng Ngãi",
            "place_name": "Tịnh Kỳ",
            "signer_name": "Nguyễn Thị Hằng",
        }
    )
    unit = store.units.add(name="Thôn An Hưng").id
    b1 = store.branches.add(name="Chi hội Thôn Hòa Mỹ").id
    b2 = store.branches.add(name="Chi hội Thôn An Hưng").id
    store.branches.units.add(branch_id=b2, unit_id=unit)
    # Branch "An Hưng": six members, given names An, An, Anh, Ánh, Dũng, Đức.
    for name, extra in [
        ("Nguyễn Văn Đức", {"id_number": "051190001234", "sex": "M", "unit_id": unit}),
        ("Trần Thị An", {"id_number": "079301004567", "sex": "F"}),
        ("Lê Văn Dũng", {"health_notes": "Bệnh tim mạch", "religion": "Phật giáo"}),
        ("Phạm Thị Ánh", {"birth_date": date(1990, 2, 14)}),
        ("Đỗ Văn An", {}),
        ("Hoàng Thị Anh", {"ethnicity": "Hrê"}),
    ]:
        _member(store, name, b2, **extra)
    _member(store, "Vũ Thị Hằng", b1)
    _member(store, "Mai Văn Tự", None)
    gone = _member(store, "Bùi Văn Rời", b2)
    store.members.change_status(gone.id, "left", date(2026, 1, 1), reason="Xin ra")
    deleted = _member(store, "Cao Văn Xóa", b2)
    store.members.delete(deleted.id)
    # Volunteers
    for name, values in [
        ("Ngô Thị Yến", {"is_core": True, "skills": "sơ cấp cứu", "team": "Đội xung kích"}),
        ("Lý Văn Bảo", {"skills": "vận động hiến máu", "hours": 1234}),
        ("Hồ Văn Đi", {"left_on": date(2025, 6, 1)}),
    ]:
        p = _person(store, name, id_number="052088009876")
        store.volunteers.add(person_id=p.id, registered_on=date(2024, 1, 1), **values)
    # Humanitarian addresses with categories (two of them health-related) and a sponsor
    cats = {c.name: c.id for c in store.categories.list()}
    head = _person(store, "Trần Văn Nghèo", id_number="051070005555")
    poor = store.addresses.add(
        name="Hộ ông Trần Văn Nghèo", head_person_id=head.id, unit_id=unit,
        street_address="12 đường Lê Lợi", opened_on=date(2023, 5, 1),
        category_ids=[cats["Hộ nghèo"], cats["Người khuyết tật"]],
    )  # fmt: skip
    orange = store.addresses.add(
        name="Hộ bà Lê Thị Cam", opened_on=date(2024, 2, 1),
        category_ids=[cats["Nạn nhân chất độc da cam"], cats["Hộ cận nghèo"]],
    )  # fmt: skip
    stopped = store.addresses.add(name="Hộ đã thoát nghèo", opened_on=date(2020, 1, 1))
    store.addresses.change_status(stopped.id, "out_of_hardship", date(2025, 1, 1))
    sponsor = store.sponsors.add(name="Công ty Bình Minh")
    store.commitments.add(
        sponsor_id=sponsor.id, address_id=poor.id, start_on=date(2024, 1, 1), amount=500_000
    )
    # A distribution: a household (head with ID), a person, an unnamed group
    walker = _person(store, "Đinh Thị Em", id_number="001199007777", address="5 Ngõ Hòa")
    distribution = store.distributions.add(
        given_on=date(2026, 1, 20), campaign_id=store.campaigns.by_name("Tết Nhân ái").id,
        description="Quà Tết 500.000 đ",
    )  # fmt: skip
    for values in (
        {"recipient_kind": "address", "address_id": poor.id, "cash_value": 500_000},
        {"recipient_kind": "address", "address_id": orange.id, "cash_value": 500_000},
        {"recipient_kind": "person", "person_id": walker.id, "goods_value": 300_000},
        {"recipient_kind": "group", "group_name": "Nhóm trẻ em thôn", "goods_value": 200_000},
    ):
        store.aid.add(given_on=date(2026, 1, 20), distribution_id=distribution.id, **values)
    store.distribution_id = distribution.id
    return store


def names_of(group: ListGroup) -> list[str]:
    return [row[1] for row in group.rows]


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


# --- members ---------------------------------------------------------------------------------


def test_members_are_grouped_by_branch_and_sorted_by_given_name(people):
    data = build_member_list(people, printed_on=PRINTED)
    assert [g.heading for g in data.groups] == [
        "Chi hội: Chi hội Thôn An Hưng",
        "Chi hội: Chi hội Thôn Hòa Mỹ",
        "Chưa thuộc chi hội nào",
    ]
    assert names_of(data.groups[0]) == [
        "Đỗ Văn An",
        "Trần Thị An",
        "Hoàng Thị Anh",
        "Phạm Thị Ánh",
        "Lê Văn Dũng",
        "Nguyễn Văn Đức",
    ]
    assert [row[0] for row in data.groups[0].rows] == ["1", "2", "3", "4", "5", "6"]
    assert names_of(data.groups[1]) == ["Vũ Thị Hằng"]
    assert data.row_count == 8
    assert data.total_line == "Tổng số: 8 hội viên."


def test_members_who_left_or_were_deleted_are_not_listed(people):
    names = [n for g in build_member_list(people).groups for n in names_of(g)]
    assert "Bùi Văn Rời" not in names and "Cao Văn Xóa" not in names


def test_member_rows_carry_masked_ids_and_formatted_dates(people):
    data = build_member_list(people, printed_on=PRINTED)
    rows = {row[1]: row for row in data.groups[0].rows}
    assert rows["Nguyễn Văn Đức"][2:8] == (
        "Nam", "1980", "051******234", "", "Thôn An Hưng", "01/03/2020",
    )  # fmt: skip
    assert rows["Phạm Thị Ánh"][3] == "14/02/1990"
    assert rows["Trần Thị An"][4] == "079******567"
    assert "Các số định danh" not in " ".join(data.notes)
    assert data.notes == ("Số định danh được che một phần để bảo vệ dữ liệu cá nhân.",)


def test_full_ids_only_when_asked(people):
    data = build_member_list(people, full_ids=True)
    rows = {row[1]: row for row in data.groups[0].rows}
    assert rows["Nguyễn Văn Đức"][4] == "051190001234"
    assert data.notes == ()


def test_one_branch_can_be_asked_for_by_name_without_tones(people):
    data = build_member_list(people, branches=["chi hoi thon hoa my"])
    assert [g.heading for g in data.groups] == ["Chi hội: Chi hội Thôn Hòa Mỹ"]


def test_an_unknown_branch_is_a_clear_error(people):
    with pytest.raises(AppError, match="Không tìm thấy chi hội «Thôn Ma»"):
        build_member_list(people, branches=["Thôn Ma"])


def test_the_member_list_pdf_is_landscape_a4_without_sensitive_data(people):
    pdf = render_list(build_member_list(people, printed_on=PRINTED))
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            (A4[1], A4[0])
        )
    text = pdf_text(pdf)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "HỘI CHỮ THẬP ĐỎ XÃ TỊNH KỲ",
        "Tịnh Kỳ, ngày 23 tháng 11 năm 2026",
        "DANH SÁCH HỘI VIÊN",
        "(Tính đến ngày 23/11/2026)",
        "Chi hội: Chi hội Thôn An Hưng",
        "Nguyễn Văn Đức",
        "Phạm Thị Ánh",
        "051******234",
        "Tổng số: 8 hội viên.",
        "Nguyễn Thị Hằng",
    ):
        assert expected in text
    for secret in ("051190001234", "079301004567", "Bệnh tim mạch", "Phật giáo", "Hrê"):
        assert secret not in text


# --- volunteers ------------------------------------------------------------------------------


def test_volunteers_still_active_are_listed_with_core_marked(people):
    data = build_volunteer_list(people, printed_on=PRINTED)
    (group,) = data.groups
    assert names_of(group) == ["Lý Văn Bảo", "Ngô Thị Yến"]
    rows = {row[1]: row for row in group.rows}
    assert rows["Ngô Thị Yến"][6:9] == ("sơ cấp cứu", "Đội xung kích", "x")
    assert rows["Lý Văn Bảo"][8] == ""
    assert rows["Lý Văn Bảo"][10] == "1.234"
    assert rows["Lý Văn Bảo"][4] == "052******876"
    assert data.total_line == "Tổng số: 2 tình nguyện viên."


# --- addresses -------------------------------------------------------------------------------


def test_addresses_followed_are_listed_with_categories_and_sponsors(people):
    data = build_address_list(people, printed_on=PRINTED)
    (group,) = data.groups
    assert names_of(group) == ["Hộ bà Lê Thị Cam", "Hộ ông Trần Văn Nghèo"]
    rows = {row[1]: row for row in group.rows}
    poor = rows["Hộ ông Trần Văn Nghèo"]
    assert poor[2:] == (
        "Trần Văn Nghèo", "Thôn An Hưng", "12 đường Lê Lợi", "Hộ nghèo",
        "Công ty Bình Minh (500.000 đ)", "01/05/2023",
    )  # fmt: skip
    assert rows["Hộ bà Lê Thị Cam"][5] == "Hộ cận nghèo"


def test_health_related_categories_are_left_out_unless_asked(people):
    hidden = build_address_list(people)
    assert "Các diện liên quan đến sức khỏe (dữ liệu cá nhân nhạy cảm) không được in." in (
        hidden.notes
    )
    text = pdf_text(render_list(hidden))
    assert "Người khuyết tật" not in text and "chất độc da cam" not in text
    shown = build_address_list(people, include_sensitive=True)
    rows = {row[1]: row for row in shown.groups[0].rows}
    assert rows["Hộ ông Trần Văn Nghèo"][5] == "Hộ nghèo; Người khuyết tật"
    assert rows["Hộ bà Lê Thị Cam"][5] == "Hộ cận nghèo; Nạn nhân chất độc da cam"
    assert shown.notes == ()


def test_the_address_list_for_a_branch_covers_its_residential_units(people):
    data = build_address_list(people, branches=["Chi hội Thôn An Hưng"])
    assert names_of(data.groups[0]) == ["Hộ ông Trần Văn Nghèo"]


def test_build_list_picks_the_list_by_name_and_exports_are_logged(people):
    data = build_list(people, "volunteers", printed_on=PRINTED)
    assert data.title == "DANH SÁCH TÌNH NGUYỆN VIÊN"
    record_list_export(people, data, destination="/tmp/x.pdf", full_ids=False)
    entry = people.audit_entries(action="export_list")[0]
    assert entry.new_values == {"list": "volunteers", "rows": 2, "destination": "/tmp/x.pdf"}
    with pytest.raises(ValueError):
        build_list(people, "sponsors")


def test_an_english_list_has_translated_headings(people):
    data = build_member_list(people, lang="en", printed_on=PRINTED)
    assert data.title == "LIST OF MEMBERS"
    assert data.columns[1].header == "Full name"
    assert data.groups[0].heading == "Branch: Chi hội Thôn An Hưng"
    assert "LIST OF MEMBERS" in pdf_text(render_list(data))


# --- a long list -------------------------------------------------------------------------------


LETTERHEAD = Letterhead(
    parent_name="Hội CTĐ tỉnh A",
    chapter_name="Hội CTĐ xã B",
    national_name="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    motto="Độc lập - Tự do - Hạnh phúc",
    number_line="",
    date_line="B, ngày 01 tháng 3 năm 2026",
)


def hand_list(rows: int) -> ListData:
    numbered = tuple((str(i), f"Người thứ {i:04d}", "") for i in range(1, rows + 1))
    return ListData(
        kind="members",
        lang="vi",
        letterhead=LETTERHEAD,
        title="DANH SÁCH HỘI VIÊN",
        subtitle="",
        columns=(Column("TT", 10, "center"), Column("Họ và tên", 80), Column("Ghi chú", 60)),
        groups=(ListGroup("", numbered),),
        total_line=f"Tổng số: {rows} hội viên.",
        notes=(),
        signature=Signature("TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Nguyễn Văn Ký"),
        printed_on=date(2026, 3, 1),
    )  # fmt: skip


def test_a_long_list_repeats_its_header_row_on_every_page(people):
    reader = PdfReader(io.BytesIO(render_list(hand_list(150))))
    texts = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert len(texts) >= 4
    for i, text in enumerate(texts):
        if "Người thứ" in text:
            assert "TT Họ và tên Ghi chú" in text, i
    assert all(f"Người thứ {i:04d}" in " ".join(texts) for i in range(1, 151))
    assert "2" in texts[1].split()[:1]  # page 2 starts with its number


def test_a_cell_with_a_line_break_wraps_instead_of_failing():
    data = hand_list(2)
    group = ListGroup("", (("1", "Hộ Nguyễn Văn A", "Số 12 Lê Lợi\nThôn An Hưng"),))
    text = pdf_text(render_list(ListData(**{**data.__dict__, "groups": (group,)})))
    assert "Số 12 Lê Lợi Thôn An Hưng" in text


# --- the sign-off sheet ------------------------------------------------------------------------


def test_the_signoff_sheet_lists_every_recipient_sorted_with_masked_ids(people):
    sheet = build_signoff_sheet(people, people.distribution_id)
    assert sheet.campaign == "Tết Nhân ái"
    assert sheet.given_on == date(2026, 1, 20)
    assert sheet.rows == (
        SignoffRow("Đinh Thị Em", "001******777", "5 Ngõ Hòa", 300_000),
        SignoffRow("Trần Văn Nghèo", "051******555", "12 đường Lê Lợi", 500_000),
        SignoffRow("Hộ bà Lê Thị Cam", "", "", 500_000),
        SignoffRow("Nhóm trẻ em thôn", "", "", 200_000),
    )
    assert sheet.total == 1_500_000


def test_the_signoff_sheet_pdf_has_a_signature_column_and_the_total(people):
    pdf = render_signoff_sheet(build_signoff_sheet(people, people.distribution_id))
    reader = PdfReader(io.BytesIO(pdf))
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) == (
        pytest.approx(A4)
    )
    text = pdf_text(pdf)
    for expected in (
        "DANH SÁCH KÝ NHẬN",
        "Chương trình: Tết Nhân ái",
        "Ngày trao: 20/01/2026",
        "Nội dung: Quà Tết 500.000 đ",
        "TT Họ và tên Số định danh Địa chỉ Trị giá (đồng) Ký nhận",
        "Đinh Thị Em 001******777 5 Ngõ Hòa 300.000",
        "Tổng cộng 1.500.000",
        "Tổng trị giá: 1.500.000 đ",
        "NGƯỜI LẬP DANH SÁCH",
        "NGƯỜI TRAO",
    ):
        assert expected in text
    assert "001199007777" not in text


def test_a_long_signoff_sheet_repeats_its_header_row():
    sheet = SignoffSheet(
        lang="vi",
        letterhead=LETTERHEAD,
        title="DANH SÁCH KÝ NHẬN",
        campaign="Tết Nhân ái",
        given_on=date(2026, 1, 20),
        description="",
        rows=tuple(SignoffRow(f"Người nhận {i:03d}", "001******777", "Thôn A", 500_000)
                   for i in range(1, 61)),
        signature=Signature("TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", ""),
    )  # fmt: skip
    reader = PdfReader(io.BytesIO(render_signoff_sheet(sheet)))
    texts = [" ".join(p.extract_text().split()) for p in reader.pages]
    with_rows = [t for t in texts if "Người nhận" in t]
    assert len(with_rows) >= 3  # tall rows to sign in: about 20 per page
    for text in with_rows:
        assert "TT Họ và tên Số định danh Địa chỉ Trị giá (đồng) Ký nhận" in text
    assert "Tổng cộng 30.000.000" in texts[-1] or "Tổng cộng 30.000.000" in texts[-2]
