"""Exporting registers to Excel, and export then re-import round-tripping every field."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from chapter_app.services.excel_export import export_register
from chapter_app.services.importer import Outcome, apply_import, plan_import
from chapter_app.services.records import (
    save_address,
    save_aid,
    save_commitment,
    save_member,
    save_sponsor,
    save_volunteer,
)
from chapter_app.services.setup import init_database
from chapter_app.store.repository import Query

TODAY = date(2026, 11, 23)


def _setup_lists(store):
    for name in ("Chi hội Thôn 3", "Chi hội Thôn 4"):
        store.branches.add(name=name)
    for name in ("Thôn 3", "Thôn 4"):
        store.units.add(name=name)


@pytest.fixture
def source(store):
    _setup_lists(store)
    return store


@pytest.fixture
def target(tmp_path):
    store = init_database(tmp_path / "target.db", chapter_name="Hội đích", user="tester")
    _setup_lists(store)
    yield store
    store.close()


def _unit(store, name):
    return next(u.id for u in store.units.list() if u.name == name)


def _members(store):
    save_member(
        store,
        {
            "full_name": "Nguyễn Văn An",
            "sex": "Nam",
            "birth": "12/03/1958",
            "id_number": "051058001234",
            "phone": "0912345678",
            "address": "Xóm 2",
            "old_address": "Xóm 2, xã Tịnh Ấn (cũ)",
            "unit_id": _unit(store, "Thôn 3"),
            "notes": "- Tổ trưởng\n- Cựu chiến binh",
            "ethnicity": "Kinh",
            "religion": "Phật giáo",
            "health_notes": "Huyết áp cao",
            "disability": "Khiếm thính",
            "agent_orange": True,
            "branch": "Chi hội Thôn 3",
            "admitted_on": "05/01/2020",
            "decision_no": "12/QĐ-CTĐ",
            "card_no": "HV-0001",
        },
        today=TODAY,
    )
    save_member(
        store,
        {
            "full_name": "Trần Thị Bình",
            "sex": "Nữ",
            "birth": "1962",
            "phone": "0905123456",
            "branch": "Chi hội Thôn 4",
            "admitted_on": "01/02/2015",
            "notes": "=1+1",
        },
        today=TODAY,
    )
    died = save_member(
        store,
        {
            "full_name": "Lê Văn Cường",
            "birth": "1940",
            "branch": "Chi hội Thôn 3",
            "admitted_on": "01/01/2000",
        },
        today=TODAY,
    ).record
    store.members.change_status(died.id, "died", date(2025, 10, 10))


def _person_fields(person):
    return (
        person.full_name,
        person.family_name,
        person.middle_name,
        person.given_name,
        person.sex,
        person.birth_date,
        person.birth_year,
        person.id_number,
        person.phone,
        person.address,
        person.old_address,
        person.notes,
        person.ethnicity,
        person.religion,
        person.health_notes,
        person.disability,
        person.agent_orange,
    )


def _unit_name(store, unit_id):
    return store.units.get(unit_id).name if unit_id else None


def _branch_name(store, branch_id):
    return store.branches.get(branch_id).name if branch_id else None


def _member_view(store):
    view = {}
    for m in store.members.list():
        p = store.people.get(m.person_id)
        view[p.full_name] = (
            *_person_fields(p),
            _unit_name(store, p.unit_id),
            _branch_name(store, m.branch_id),
            m.admitted_on,
            m.decision_no,
            m.card_no,
            m.status,
            m.status_on,
        )
    return view


def _round_trip(source, target, kind, tmp_path, **apply):
    exported = export_register(
        source, kind, tmp_path / f"{kind}.xlsx", unmasked=True, include_sensitive=True, today=TODAY
    )
    plan = plan_import(target, exported.path, kind, today=TODAY)
    assert plan.count(Outcome.ERROR) == 0, plan.summary_lines()
    result = apply_import(target, plan, **apply)
    return exported, plan, result


def test_members_round_trip_every_field(source, target, tmp_path):
    _members(source)
    _round_trip(source, target, "members", tmp_path)
    assert _member_view(target) == _member_view(source)


def test_volunteers_round_trip_every_field(source, target, tmp_path):
    save_volunteer(
        source,
        {
            "full_name": "Đặng Thị Thu",
            "sex": "Nữ",
            "birth": "12/08/1995",
            "phone": "0976000111",
            "id_number": "051195000111",
            "registered_on": "01/03/2024",
            "left_on": "01/09/2026",
            "is_core": True,
            "skills": "Sơ cấp cứu, bơi cứu đuối",
            "team": "Đội xung kích",
            "hours": 40,
            "branch": "Chi hội Thôn 3",
            "address": "Xóm 1",
            "unit_id": _unit(source, "Thôn 3"),
            "religion": "Công giáo",
        },
        today=TODAY,
    )
    save_volunteer(
        source,
        {"full_name": "Hà Văn Long", "birth": "2000", "registered_on": "05/05/2025"},
        today=TODAY,
    )

    def view(store):
        result = {}
        for v in store.volunteers.list():
            p = store.people.get(v.person_id)
            result[p.full_name] = (
                *_person_fields(p),
                _unit_name(store, p.unit_id),
                _branch_name(store, v.branch_id),
                v.registered_on,
                v.left_on,
                v.is_core,
                v.skills,
                v.team,
                v.hours,
            )
        return result

    _round_trip(source, target, "volunteers", tmp_path)
    assert view(target) == view(source)


def _addresses(store):
    categories = {c.name: c.id for c in store.categories.list()}
    lan = save_address(
        store,
        {
            "name": "Hộ bà Nguyễn Thị Lan",
            "street_address": "Xóm 1",
            "unit_id": _unit(store, "Thôn 3"),
            "opened_on": "15/02/2024",
            "survey_date": "01/02/2024",
            "certified_on": "10/02/2024",
            "circumstances": "Chồng mất, nuôi 2 con nhỏ",
            "needs": "Vốn chăn nuôi",
            "file_no": "HS-07",
            "registry_id": "IND-123",
            "notes": "Ưu tiên",
            "category_ids": [categories["Hộ nghèo"], categories["Người khuyết tật"]],
        },
        today=TODAY,
    ).record
    bay = save_address(
        store,
        {
            "name": "Hộ ông Trần Văn Bảy",
            "opened_on": "01/01/2020",
            "category_ids": [categories["Hộ cận nghèo"]],
        },
        today=TODAY,
    ).record
    store.addresses.change_status(bay.id, "out_of_hardship", date(2025, 6, 30))
    company = save_sponsor(
        store,
        {
            "name": "Công ty TNHH Ánh Dương",
            "kind": "org",
            "contact_name": "Chị Hoa",
            "phone": "0905000111",
            "email": "hoa@anhduong.vn",
            "address": "Quảng Ngãi",
        },
    ).record
    pagoda = save_sponsor(store, {"name": "Bà Phạm Thị Hiền", "kind": "person"}).record
    save_commitment(
        store,
        {
            "sponsor_id": company.id,
            "address_id": lan.id,
            "start_on": "01/03/2024",
            "form": "cash",
            "frequency": "hằng tháng",
            "amount": 500000,
            "description": "Hỗ trợ sinh hoạt",
            "notes": "Chuyển khoản",
        },
        today=TODAY,
    )
    save_commitment(
        store,
        {
            "sponsor_id": pagoda.id,
            "address_id": lan.id,
            "start_on": "01/04/2024",
            "end_on": "31/12/2026",
            "form": "rice",
            "amount": 200000,
        },
        today=TODAY,
    )


def _address_view(store):
    categories = {c.id: c.name for c in store.categories.list()}
    view = {}
    for a in store.addresses.list():
        commitments = sorted(
            (
                store.sponsors.get(c.sponsor_id).name,
                c.start_on,
                c.end_on,
                c.form,
                c.frequency,
                c.amount,
                c.description,
                c.notes,
            )
            for c in store.commitments.list(Query(filters={"address_id": a.id}))
        )
        view[a.name] = (
            a.street_address,
            _unit_name(store, a.unit_id),
            a.circumstances,
            a.needs,
            a.opened_on,
            a.survey_date,
            a.certified_on,
            a.file_no,
            a.registry_id,
            a.status,
            a.status_on,
            a.notes,
            sorted(categories[i] for i in store.addresses.categories_of(a.id)),
            commitments,
        )
    sponsors = {
        s.name: (s.kind, s.contact_name, s.phone, s.email, s.address) for s in store.sponsors.list()
    }
    return view, sponsors


def test_addresses_with_sponsors_round_trip_every_field(source, target, tmp_path):
    _addresses(source)
    _round_trip(source, target, "addresses", tmp_path)
    assert _address_view(target) == _address_view(source)


def test_aid_round_trips_every_field(source, tmp_path):
    lan = save_address(source, {"name": "Hộ bà Lan", "opened_on": "01/01/2020"}, today=TODAY).record
    an = save_member(
        source,
        {
            "full_name": "Nguyễn Văn An",
            "birth": "1958",
            "id_number": "051058001234",
            "branch": "Chi hội Thôn 3",
            "admitted_on": "01/01/2000",
        },
        today=TODAY,
    ).record
    namesake = save_member(
        source,
        {
            "full_name": "Nguyễn Văn An",
            "birth": "1970",
            "branch": "Chi hội Thôn 3",
            "admitted_on": "01/01/2000",
        },
        today=TODAY,
    ).record
    sponsor = save_sponsor(source, {"name": "Công ty Ánh Dương"}).record
    save_aid(
        source,
        {
            "given_on": "20/01/2026",
            "recipient_kind": "address",
            "address_id": lan.id,
            "campaign": "Tết Nhân ái",
            "area": "Cứu trợ khẩn cấp và trợ giúp nhân đạo",
            "form": "goods",
            "description": "Quà Tết",
            "quantity": "2,5",
            "unit": "kg",
            "cash_value": 500000,
            "goods_value": 300000,
            "funding_source": "sponsor",
            "sponsor_id": sponsor.id,
            "persons_reached": 4,
            "households_reached": 1,
            "is_emergency": True,
            "notes": "+ thêm 1 suất",
        },
        today=TODAY,
    )
    save_aid(
        source,
        {
            "given_on": "21/01/2026",
            "recipient_kind": "person",
            "person_id": an.person_id,
            "form": "cash",
            "cash_value": 1000000,
        },
        today=TODAY,
    )
    save_aid(
        source,
        {
            "given_on": "21/01/2026",
            "recipient_kind": "person",
            "person_id": namesake.person_id,
            "form": "rice",
            "quantity": 10,
            "unit": "kg",
            "goods_value": 150000,
        },
        today=TODAY,
    )
    save_aid(
        source,
        {
            "given_on": "22/01/2026",
            "recipient_kind": "group",
            "group_name": "Chợ Tết 0 đồng",
            "head_count": 120,
            "form": "other",
            "goods_value": 24000000,
            "funding_source": "own",
        },
        today=TODAY,
    )

    def view(store):
        return sorted(
            (
                a.given_on,
                a.recipient_kind,
                a.address_id,
                a.person_id,
                a.group_name,
                a.head_count,
                a.campaign_id,
                a.area_id,
                a.form,
                a.description,
                a.quantity,
                a.unit,
                a.cash_value,
                a.goods_value,
                a.funding_source,
                a.sponsor_id,
                a.persons_reached,
                a.households_reached,
                a.is_emergency,
                a.notes,
            )
            for a in store.aid.list()
        )

    before = view(source)
    exported = export_register(source, "aid", tmp_path / "aid.xlsx", unmasked=True, today=TODAY)
    for record in source.aid.list():
        source.aid.delete(record.id)
    assert source.aid.count() == 0
    plan = plan_import(source, exported.path, "aid", today=TODAY)
    assert plan.counts == {"ok": 4, "warning": 0, "error": 0, "duplicate": 0}
    apply_import(source, plan)
    assert view(source) == before


def test_the_sheet_has_a_frozen_vietnamese_header_real_dates_and_formatted_money(source, tmp_path):
    _members(source)
    lan = save_address(source, {"name": "Hộ bà Lan", "opened_on": "01/01/2020"}, today=TODAY).record
    save_aid(
        source,
        {
            "given_on": "20/01/2026",
            "recipient_kind": "address",
            "address_id": lan.id,
            "cash_value": 1234567,
        },
        today=TODAY,
    )
    result = export_register(source, "members", tmp_path / "hv.xlsx", today=TODAY)
    ws = openpyxl.load_workbook(result.path).active
    assert ws["A1"].value == "DANH SÁCH HỘI VIÊN"
    assert "ngày xuất: 23/11/2026" in ws["A2"].value
    headers = [c.value for c in ws[5]]
    assert headers[:4] == ["STT", "Họ và tên", "Giới tính", "Ngày sinh (hoặc năm sinh)"]
    assert ws.freeze_panes == "A6"
    assert ws.auto_filter.ref == "A5:P8"
    an = next(r for r in ws.iter_rows(min_row=6) if r[1].value == "Nguyễn Văn An")
    birth, admitted = an[3], an[10]
    assert isinstance(birth.value, datetime) and birth.value.date() == date(1958, 3, 12)
    assert birth.number_format == "dd/mm/yyyy"
    assert admitted.value.date() == date(2020, 1, 5)
    binh = next(r for r in ws.iter_rows(min_row=6) if r[1].value == "Trần Thị Bình")
    assert binh[3].value == 1962 and binh[3].number_format == "0"  # a year alone
    # column widths fit the longest value (and never collapse below the header)
    name_width = ws.column_dimensions["B"].width
    assert name_width >= len("Nguyễn Văn An") + 1

    aid = export_register(source, "aid", tmp_path / "tg.xlsx", today=TODAY)
    ws = openpyxl.load_workbook(aid.path).active
    header = [c.value for c in ws[5]]
    cash = ws.cell(6, header.index("Tiền mặt (đồng)") + 1)
    assert cash.value == 1234567 and cash.number_format == "#,##0"


def test_id_numbers_are_masked_and_sensitive_fields_left_out_unless_chosen(source, tmp_path):
    _members(source)
    default = export_register(source, "members", tmp_path / "a.xlsx", today=TODAY)
    ws = openpyxl.load_workbook(default.path).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "051******234" in values
    assert "051058001234" not in values
    for hidden in (
        "Dân tộc",
        "Kinh",
        "Phật giáo",
        "Huyết áp cao",
        "Khiếm thính",
        "Nạn nhân chất độc da cam",
    ):
        assert hidden not in values
    assert default.masked and not default.sensitive_included

    full = export_register(
        source, "members", tmp_path / "b.xlsx", unmasked=True, include_sensitive=True, today=TODAY
    )
    ws = openpyxl.load_workbook(full.path).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "051058001234" in values and "Huyết áp cao" in values and "Có" in values


def test_sensitive_categories_of_addresses_are_left_out_by_default(source, tmp_path):
    _addresses(source)
    ws = openpyxl.load_workbook(
        export_register(source, "addresses", tmp_path / "a.xlsx", today=TODAY).path
    ).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "Hộ nghèo" in values  # "Người khuyết tật" reveals health: left out
    assert not any("khuyết tật" in str(v) for v in values)
    assert "Chồng mất, nuôi 2 con nhỏ" not in values


def test_the_export_follows_the_search_and_filters_of_the_list(source, tmp_path):
    _members(source)
    branch4 = source.branches.by_name("Chi hội Thôn 4").id
    by_search = export_register(
        source, "members", tmp_path / "s.xlsx", query=Query(search="nguyen van"), today=TODAY
    )
    by_filter = export_register(
        source,
        "members",
        tmp_path / "f.xlsx",
        query=Query(filters={"branch_id": branch4}),
        today=TODAY,
    )
    names = [
        r[1]
        for r in openpyxl.load_workbook(by_search.path).active.iter_rows(
            min_row=6, values_only=True
        )
    ]
    assert names == ["Nguyễn Văn An"]
    names = [
        r[1]
        for r in openpyxl.load_workbook(by_filter.path).active.iter_rows(
            min_row=6, values_only=True
        )
    ]
    assert names == ["Trần Thị Bình"]
    people = export_register(source, "people", tmp_path / "p.xlsx", today=TODAY)
    assert people.rows == 3


def test_text_that_would_run_as_a_formula_is_neutralised(source, tmp_path):
    _members(source)
    result = export_register(source, "members", tmp_path / "m.xlsx", today=TODAY)
    ws = openpyxl.load_workbook(result.path).active
    notes = {r[1].value: r[15] for r in ws.iter_rows(min_row=6)}
    assert notes["Trần Thị Bình"].value == "'=1+1"
    assert notes["Trần Thị Bình"].data_type == "s"
    assert notes["Nguyễn Văn An"].value.startswith("'- Tổ trưởng")


def test_every_export_is_recorded_in_the_audit_log(source, tmp_path):
    _members(source)
    export_register(
        source, "members", tmp_path / "m.xlsx", unmasked=True, today=TODAY, query=Query(search="an")
    )
    entry = source.audit_entries(action="export")[0]
    assert entry.new_values["file"] == "m.xlsx"
    assert entry.new_values["unmasked"] is True
    assert entry.new_values["search"] == "an"


def test_the_export_file_must_be_xlsx_and_no_partial_file_is_left(source, tmp_path):
    from chapter_app.errors import AppError

    with pytest.raises(AppError, match=r"\.xlsx"):
        export_register(source, "members", tmp_path / "m.csv", today=TODAY)
    assert list(tmp_path.glob("*partial*")) == []
