"""Personal data: consent and sponsor matching, masking, the per-person export, erasure
that keeps the figures right, and the program password."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from chapter_app.domain.models import SENSITIVE_PERSON_FIELDS
from chapter_app.domain.password import PasswordPolicyError
from chapter_app.errors import AppError, WrongPasswordError
from chapter_app.services import privacy as pv
from chapter_app.services.demo import generate_demo
from chapter_app.services.indicators import compute
from chapter_app.services.setup import init_database
from chapter_app.store.repository import Query
from chapter_app.store.schema_safety import personal_columns
from chapter_app.store.store import Store

ID = "051190001234"


def person(store, name="Nguyễn Văn An", **values):
    values.setdefault("id_number", ID)
    values.setdefault("phone", "0912345678")
    return store.people.add(full_name=name, **values)


# --- consent and sponsor matching ----------------------------------------------------------------


def test_consent_is_recorded_per_purpose_with_date_and_method(store):
    an = person(store)
    pv.record_consent(
        store, an.id, scopes=["register", "sponsor"], given_on=date(2026, 1, 5), method="ký giấy"
    )
    an = pv.record_consent(
        store, an.id, scopes=["report"], given_on=date(2026, 2, 1), method="ký giấy"
    )
    assert pv.consent_scopes(an) == {"register", "sponsor", "report"}
    assert (an.consent_date, an.consent_method) == (date(2026, 2, 1), "ký giấy")
    with pytest.raises(ValueError):
        pv.record_consent(store, an.id, scopes=["marketing"], given_on=date(2026, 1, 5), method="")


def test_withdrawing_sponsor_consent_hides_the_person_from_sponsor_matching(store):
    an = person(store, "Nguyễn Văn An")
    binh = person(store, "Trần Thị Bình", id_number=None)
    legacy = person(store, "Lê Văn Cũ", id_number=None)  # no consent on file (older record)
    for p in (an, binh):
        pv.record_consent(
            store, p.id, scopes=pv.SCOPES, given_on=date(2026, 1, 5), method="ký giấy"
        )
    assert {p.id for p in pv.sponsor_visible_people(store)} == {an.id, binh.id, legacy.id}

    after = pv.withdraw_consent(
        store, an.id, scopes=["sponsor"], on=date(2026, 3, 1), reason="Ông An yêu cầu"
    )

    assert pv.consent_scopes(after) == {"register", "report"}
    assert after.consent_withdrawn_on == date(2026, 3, 1)
    assert not pv.is_visible_to_sponsors(after)
    assert {p.id for p in pv.sponsor_visible_people(store)} == {binh.id, legacy.id}
    assert {p.id for p in pv.sponsor_visible_people(store, require_consent=True)} == {binh.id}
    assert pv.hidden_from_sponsors(store) == {an.id}
    (event,) = store.audit_entries(action="consent_withdrawn")
    assert event.reason == "Ông An yêu cầu"
    assert event.new_values["scopes"] == ["sponsor"]


def test_a_household_whose_head_withdrew_is_not_offered_to_sponsors(store):
    an = person(store)
    binh = person(store, "Trần Thị Bình", id_number=None)
    home_an = store.addresses.add(
        name="Hộ ông An", head_person_id=an.id, opened_on=date(2025, 1, 1)
    )
    home_binh = store.addresses.add(
        name="Hộ bà Bình", head_person_id=binh.id, opened_on=date(2025, 1, 1)
    )
    pv.record_consent(store, an.id, scopes=pv.SCOPES, given_on=date(2026, 1, 5), method="giấy")
    pv.withdraw_consent(store, an.id, on=date(2026, 3, 1), reason="Yêu cầu của chủ hộ")
    assert [a.id for a in pv.sponsor_visible_addresses(store)] == [home_binh.id]
    assert pv.sponsor_visible_addresses(store, require_consent=True) == []
    assert home_an.id not in {a.id for a in pv.sponsor_visible_addresses(store)}


def test_withdrawal_needs_a_reason(store):
    an = person(store)
    with pytest.raises(AppError, match="lý do"):
        pv.withdraw_consent(store, an.id, on=date(2026, 3, 1), reason="  ")


# --- masking -----------------------------------------------------------------------------------


def test_lists_show_the_id_number_masked_and_no_sensitive_fields(store):
    an = person(store, ethnicity="Kinh", religion="Phật giáo", disability="nhẹ", agent_orange=True)
    store.members.add(person_id=an.id, branch_id=None, admitted_on=date(2020, 1, 1))
    rows = pv.redact_rows(store.members.rows())  # a list's rows, as a table or export gets them
    assert rows[0]["id_number"] == "051******234"
    assert ID not in json.dumps(rows, default=str)
    shown = pv.redact_person(store.people.get(an.id))
    assert shown["id_number"] == "051******234"
    assert not set(SENSITIVE_PERSON_FIELDS) & set(shown)
    assert shown["full_name"] == "Nguyễn Văn An"


def test_full_id_and_sensitive_fields_only_when_chosen(store):
    an = person(store, ethnicity="Kinh")
    shown = pv.redact_person(an, include_sensitive=True, show_full_id=True)
    assert shown["id_number"] == ID
    assert shown["ethnicity"] == "Kinh"
    assert pv.redact_person({"full_name": "X", "id_number": None})["id_number"] is None


def test_the_schema_marks_sensitive_and_id_columns(store):
    marks = personal_columns(store.db)
    assert {c for (t, c), k in marks.items() if t == "people" and k == "sensitive"} == set(
        SENSITIVE_PERSON_FIELDS
    )
    assert marks[("people", "id_number")] == "id_number"
    assert set(personal_columns(store.db, kind="sensitive")) >= {("people", "religion")}


# --- the per-person export ----------------------------------------------------------------------


def test_export_holds_everything_about_the_person_and_is_audited(store):
    an = person(store, health_notes="tiểu đường")
    member = store.members.add(person_id=an.id, branch_id=None, admitted_on=date(2020, 1, 1))
    store.volunteers.add(person_id=an.id, registered_on=date(2021, 1, 1))
    home = store.addresses.add(name="Hộ ông An", head_person_id=an.id, opened_on=date(2025, 1, 1))
    store.addresses.household.add(address_id=home.id, person_id=an.id, relation="chủ hộ")
    store.aid.add(
        given_on=date(2026, 1, 20), recipient_kind="person", person_id=an.id, cash_value=500_000
    )
    other = person(store, "Trần Thị Bình", id_number=None)

    data = pv.export_person(store, an.id, reason="Ông An yêu cầu xem dữ liệu")

    assert data["person"]["id_number"] == ID  # his own data: in full
    assert data["person"]["health_notes"] == "tiểu đường"
    assert [m["id"] for m in data["members"]] == [member.id]
    assert [s["status"] for s in data["member_status"]] == ["admitted"]
    assert len(data["volunteers"]) == 1
    assert data["households"][0]["address_name"] == "Hộ ông An"
    assert [a["name"] for a in data["addresses_headed"]] == ["Hộ ông An"]
    assert [a["cash_value"] for a in data["aid_received"]] == [500_000]
    assert {e["table_name"] for e in data["audit"]} >= {"people", "members", "volunteers"}
    assert other.full_name not in json.dumps(data, ensure_ascii=False)
    json.dumps(data)  # plain values only
    (event,) = store.audit_entries(action="export_person")
    assert event.reason == "Ông An yêu cầu xem dữ liệu"
    assert event.new_values == {"person_id": an.id, "format": "data"}


def test_export_needs_a_reason_and_a_writable_file(store, db_path):
    an = person(store)
    with pytest.raises(AppError, match="lý do"):
        pv.export_person(store, an.id, reason="")
    store.close()
    with Store.open(db_path, read_only=True) as viewer, pytest.raises(AppError, match="chỉ đọc"):
        pv.export_person(viewer, an.id, reason="xem")


def test_xlsx_export_writes_every_section_with_formulas_neutralised(store, tmp_path):
    an = person(store, notes='=HYPERLINK("http://evil.example","Bấm")')
    store.members.add(
        person_id=an.id, branch_id=None, admitted_on=date(2020, 1, 1), notes="+84 gọi lại"
    )
    dest = pv.export_person_xlsx(store, an.id, tmp_path / "an.xlsx", reason="Yêu cầu ngày 5/1")

    book = load_workbook(dest)
    assert book.sheetnames[:3] == ["Thông tin cá nhân", "Hội viên", "Quá trình hội viên"]
    info = {row[0].value: row[1] for row in book["Thông tin cá nhân"].iter_rows(min_row=2)}
    assert info["Số định danh"].value == ID
    note = info["Ghi chú"]
    assert note.data_type == "s"
    assert note.value == '\'=HYPERLINK("http://evil.example","Bấm")'
    formulas = [
        c.coordinate for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]
    assert formulas == []
    assert not (tmp_path / "an.xlsx.partial").exists()
    (event,) = store.audit_entries(action="export_person")
    assert event.new_values["format"] == "xlsx" and event.reason == "Yêu cầu ngày 5/1"


# --- erasure -------------------------------------------------------------------------------------

PERIODS = [
    (date(2026, 7, 1), date(2026, 9, 30)),
    (date(2026, 1, 1), date(2026, 11, 23)),
    (date(2025, 1, 1), date(2025, 12, 31)),
]


def test_anonymising_people_keeps_every_figure(db_path):
    store = init_database(db_path, chapter_name="Hội CTĐ xã Thử", user="tester")
    try:
        generate_demo(store, size="small", seed=11, today=date(2026, 11, 23))
        before = [compute(store, start, end) for start, end in PERIODS]
        chosen = set()
        for repo in (store.members, store.volunteers, store.youth):
            chosen |= {r.person_id for r in repo.list(Query(limit=5))}
        chosen |= {
            a.person_id
            for a in store.aid.list(Query(filters={"recipient_kind": "person"}, limit=5))
        }
        chosen |= {a.head_person_id for a in store.addresses.list(Query(limit=5))}
        chosen.discard(None)
        assert len(chosen) >= 15
        for person_id in sorted(chosen):
            pv.anonymise_person(store, person_id, reason="Yêu cầu xóa dữ liệu")
        after = [compute(store, start, end) for start, end in PERIODS]
        assert after == before
        assert all(store.people.get(pid).full_name == pv.ANONYMOUS_NAME for pid in chosen)
    finally:
        store.close()


def test_anonymising_erases_the_data_everywhere_it_was_held(store):
    an = person(
        store,
        "Phạm Văn Riêng",
        address="12 Lê Lợi",
        ethnicity="Kinh",
        health_notes="tim",
        birth_year=1990,
        sex="M",
    )
    store.people.update(an.id, phone="0987654321")  # an older value, kept in the audit log
    member = store.members.add(
        person_id=an.id,
        branch_id=None,
        admitted_on=date(2020, 1, 1),
        card_no="CTĐ-77",
        notes="nhà gần chợ",
    )
    home = store.addresses.add(
        name="Hộ ông Phạm Văn Riêng", head_person_id=an.id, opened_on=date(2025, 1, 1)
    )
    sponsor = store.sponsors.add(
        name="Phạm Văn Riêng", kind="person", person_id=an.id, phone="0987654321"
    )
    assert store.undo_label is not None

    result = pv.anonymise_person(store, an.id, reason="Theo yêu cầu của người này")

    assert result.full_name == pv.ANONYMOUS_NAME
    assert result.anonymised_at
    for field in (
        "id_number",
        "phone",
        "address",
        "birth_year",
        "sex",
        "ethnicity",
        "health_notes",
    ):
        assert getattr(result, field) is None, field
    assert store.members.get(member.id).card_no is None
    assert store.members.get(member.id).notes is None
    assert store.addresses.get(home.id).name == f"Hộ đã ẩn danh số {home.id}"
    assert store.sponsors.get(sponsor.id).phone is None
    assert store.people.search("Riêng") == []
    assert store.people.search("0987654321") == []
    assert store.undo_label is None  # undo cannot bring the data back
    dump = "\n".join(store.db.conn.iterdump())
    for secret in ("Riêng", ID, "0987654321", "0912345678", "12 Lê Lợi", "CTĐ-77", "nhà gần chợ"):
        assert secret not in dump, secret
    (event,) = store.audit_entries(action="anonymise_person")
    assert event.reason == "Theo yêu cầu của người này"
    assert pv.anonymise_person(store, an.id, reason="lần nữa") == result  # idempotent
    store.close()
    raw = store.path.read_bytes()  # nor in the file's free space or the search index
    for secret in ("Riêng", "rieng", ID, "0987654321", "12 Lê Lợi", "CTĐ-77"):
        assert secret.encode() not in raw, secret


def _audit_values_of(db_path, table: str, row_id: int) -> list[dict]:
    """The old and new values of every audit entry of one row, read from the file."""
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute(
            "SELECT old_values, new_values FROM audit_log WHERE table_name = ? AND row_id = ?",
            [table, row_id],
        ).fetchall()
    finally:
        conn.close()
    return [json.loads(text) for row in rows for text in row if text]


def test_anonymising_leaves_no_sensitive_value_in_the_audit_log(store, db_path):
    rieng = person(
        store,
        "Phạm Văn Riêng",
        agent_orange=True,
        religion="Phật giáo",
        disability="khiếm thị",
        ethnicity="Kinh",
        health_notes="tim",
    )
    pv.record_consent(
        store, rieng.id, scopes=["register", "sponsor"], given_on=date(2026, 1, 5), method="ký"
    )
    store.people.update(rieng.id, agent_orange=False)  # earlier values, each in the log
    store.people.update(rieng.id, agent_orange=True)
    donor = store.donors.add(person_id=rieng.id, blood_group="AB+")
    watched = (*SENSITIVE_PERSON_FIELDS, "id_number", "consent_scope", "consent_method")
    logged = _audit_values_of(db_path, "people", rieng.id)
    assert any(values.get("agent_orange") in (1, True) for values in logged)  # before: kept

    pv.anonymise_person(store, rieng.id, reason="Theo yêu cầu của người này")

    logged = _audit_values_of(db_path, "people", rieng.id)
    assert len(logged) >= 6  # the entries are kept, their values erased
    for values in logged:
        for key in set(watched) & set(values):
            assert values[key] in (None, pv.ERASED), (key, values)
    assert {v.get("agent_orange") for v in logged} <= {None, pv.ERASED}
    for values in _audit_values_of(db_path, "donors", donor.id):
        assert values.get("blood_group") in (None, pv.ERASED), values
    assert store.people.get(rieng.id).agent_orange is False


def test_anonymising_clears_the_consent_date_and_the_circumstances_of_a_headed_household(
    store, db_path
):
    rieng = person(store, "Phạm Văn Riêng")
    pv.record_consent(store, rieng.id, scopes=["register"], given_on=date(2026, 1, 5), method="ký")
    home = store.addresses.add(
        name="Hộ neo đơn xóm Bàu",  # not named after the person: its name stays
        head_person_id=rieng.id,
        opened_on=date(2025, 1, 1),
        circumstances="Ung thư giai đoạn cuối",
        needs="Tiền thuốc",
    )
    store.addresses.update(home.id, circumstances="Ung thư, nằm viện", needs="Thuốc men")
    other = store.addresses.add(
        name="Hộ bà Lan", opened_on=date(2025, 1, 1), circumstances="Già yếu", needs="Gạo"
    )

    pv.anonymise_person(store, rieng.id, reason="Theo yêu cầu của người này")

    conn = sqlite3.connect(db_path)  # read back from the file, not through the store
    try:
        (consent_date,) = conn.execute(
            "SELECT consent_date FROM people WHERE id = ?", [rieng.id]
        ).fetchone()
        homes = dict(
            (row[0], row[1:])
            for row in conn.execute("SELECT id, name, circumstances, needs FROM addresses")
        )
    finally:
        conn.close()
    assert consent_date is None
    assert homes[home.id] == ("Hộ neo đơn xóm Bàu", None, None)  # the household is still counted
    assert homes[other.id] == ("Hộ bà Lan", "Già yếu", "Gạo")  # not headed by the person
    logged = _audit_values_of(db_path, "people", rieng.id)
    assert any("consent_date" in values for values in logged)
    assert {v["consent_date"] for v in logged if "consent_date" in v} <= {None, pv.ERASED}
    logged = _audit_values_of(db_path, "addresses", home.id)
    assert len(logged) >= 2  # the entries are kept, their values erased
    for values in logged:
        for key in {"circumstances", "needs"} & set(values):
            assert values[key] in (None, pv.ERASED), (key, values)
    assert any(
        v.get("circumstances") == "Già yếu"
        for v in _audit_values_of(db_path, "addresses", other.id)
    )


def test_a_deleted_person_can_be_anonymised_too(store):
    an = person(store, "Đỗ Thị Xóa")
    store.people.delete(an.id)
    result = pv.anonymise_person(store, an.id, reason="yêu cầu")
    assert result.deleted_at is not None and result.full_name == pv.ANONYMOUS_NAME
    assert "Đỗ Thị Xóa" not in "\n".join(store.db.conn.iterdump())


# --- the program password -----------------------------------------------------------------------


def test_password_is_set_checked_and_a_wrong_one_refused(store):
    assert not pv.has_program_password(store)
    assert pv.check_program_password(store, "anything")  # none set: the program opens
    pv.set_program_password(store, "Mật khẩu 123")
    assert pv.has_program_password(store)
    assert pv.check_program_password(store, "Mật khẩu 123")
    assert not pv.check_program_password(store, "mật khẩu 123")
    with pytest.raises(WrongPasswordError, match="không đúng"):
        pv.require_program_password(store, "sai")
    stored = store.settings.get("password_hash")
    assert stored.startswith("scrypt$16384$8$1$")
    assert "Mật khẩu" not in stored


def test_password_survives_reopening_and_its_hash_stays_out_of_the_audit_log(db_path):
    with init_database(db_path, chapter_name="Hội CTĐ xã Thử") as s:
        pv.set_program_password(s, "bí mật 2026")
        stored = s.settings.get("password_hash")
        assert [e.action for e in s.audit_entries(action="password_set")] == ["password_set"]
    with Store.open(db_path, user="tester") as again:
        assert pv.check_program_password(again, "bí mật 2026")
        assert not pv.check_program_password(again, "bí mật 2025")
    conn = sqlite3.connect(db_path)
    audit = " ".join(str(r) for r in conn.execute("SELECT * FROM audit_log"))
    conn.close()
    assert stored.split("$")[-1] not in audit


def test_changing_or_removing_the_password_needs_the_current_one(store):
    pv.set_program_password(store, "cũ 1234")
    with pytest.raises(WrongPasswordError):
        pv.set_program_password(store, "mới 5678", current="sai")
    with pytest.raises(WrongPasswordError):
        pv.clear_program_password(store, current="sai")
    pv.set_program_password(store, "mới 5678", current="cũ 1234")
    assert pv.check_program_password(store, "mới 5678")
    pv.clear_program_password(store, current="mới 5678")
    assert not pv.has_program_password(store)
    with pytest.raises(PasswordPolicyError):
        pv.set_program_password(store, "   ")


# --- the audit log viewer -------------------------------------------------------------------


def test_audit_log_filters_by_user_action_record_text_and_date(db_path):
    with Store.open(db_path, user="cán bộ A") as a:
        an = person(a, health_notes="tim mạch")
        a.people.update(an.id, phone="0987654321")
    with Store.open(db_path, user="cán bộ B") as b:
        b.units.add(name="Thôn Đông")
        b.people.delete(an.id, reason="Nhập trùng")
        entries, total = pv.audit_log(b)
        assert total == len(entries) == 4
        assert [e.action for e in entries] == ["delete", "insert", "update", "insert"]
        by_b, _ = pv.audit_log(b, pv.AuditFilter(user="cán bộ B"))
        assert {e.user for e in by_b} == {"cán bộ B"} and len(by_b) == 2
        deletions, _ = pv.audit_log(b, pv.AuditFilter(actions=("delete",)))
        assert [e.reason for e in deletions] == ["Nhập trùng"]
        about_an, _ = pv.audit_log(b, pv.AuditFilter(table="people", row_id=an.id))
        assert len(about_an) == 3
        found, _ = pv.audit_log(b, pv.AuditFilter(text="Thôn Đông"))
        assert [e.table_name for e in found] == ["units"]
        assert pv.audit_log(b, pv.AuditFilter(text="100%_"))[1] == 0  # wildcards are literal
        today = date.today()
        assert pv.audit_log(b, pv.AuditFilter(since=today, until=today))[1] == 4
        assert pv.audit_log(b, pv.AuditFilter(until=today - timedelta(days=1)))[1] == 0
        page, total = pv.audit_log(b, limit=2, offset=2)
        assert total == 4 and [e.action for e in page] == ["update", "insert"]
        users, actions = pv.audit_filter_choices(b)
        assert users == ["cán bộ A", "cán bộ B"] and "delete" in actions


def test_audit_export_masks_ids_hides_sensitive_values_and_is_itself_audited(store, tmp_path):
    an = person(store, notes="=1+1", health_notes="tim mạch")
    _, held = pv.audit_log(store)  # the set-up's entries and this person's
    dest = pv.export_audit_log_xlsx(store, tmp_path / "nhat-ky.xlsx", reason="Thanh tra yêu cầu")
    sheet = load_workbook(dest).active
    cells = [c.value for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None]
    text = json.dumps(cells, ensure_ascii=False)
    assert ID not in text and "051******234" in text
    assert "tim mạch" not in text and pv.SENSITIVE_MARK in text
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert sheet.cell(row=2, column=2).value == "tester"
    assert sheet.max_row == held + 1
    (event,) = store.audit_entries(action="export_audit")
    assert event.reason == "Thanh tra yêu cầu" and event.new_values["entries"] == held
    full = pv.export_audit_log_xlsx(
        store,
        tmp_path / "day-du.xlsx",
        reason="x",
        include_sensitive=True,
        show_full_id=True,
        where=pv.AuditFilter(table="people", row_id=an.id),
    )
    text = json.dumps(
        [c.value for row in load_workbook(full).active.iter_rows() for c in row], ensure_ascii=False
    )
    assert ID in text and "tim mạch" in text
