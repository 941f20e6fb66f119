"""The audit log and undo/redo of operations."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from chapter_app.errors import AppError, NotFoundError
from chapter_app.store.operations import UNDO_DEPTH
from chapter_app.store.store import Store

USER = "cán bộ A"


@pytest.fixture
def store(db_path):
    s = Store.open(db_path, user=USER)
    yield s
    s.close()


def _raw(store: Store, table: str, row_id: int) -> dict:
    cursor = store.db.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
    row = cursor.fetchone()
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


# --- audit log ---------------------------------------------------------------------------


def test_insert_writes_an_audit_entry_with_the_whole_row(store):
    person = store.people.add(full_name="Nguyễn Văn An", phone="0912345678")
    [entry] = store.audit_entries(table="people", row_id=person.id)
    assert entry.action == "insert"
    assert entry.user == USER
    assert entry.op_label == "Thêm người"
    assert entry.table_name == "people"
    assert entry.row_id == person.id
    assert entry.row_uuid == person.uuid
    assert entry.old_values is None
    assert entry.new_values["full_name"] == "Nguyễn Văn An"
    assert entry.new_values["phone"] == "0912345678"
    assert entry.new_values["uuid"] == person.uuid
    assert entry.op_id


def test_audit_time_is_utc_iso_text(store):
    before = datetime.now(UTC)
    store.units.add(name="Thôn 1")
    after = datetime.now(UTC)
    [entry] = store.audit_entries()
    at = datetime.fromisoformat(entry.at)
    assert at.utcoffset().total_seconds() == 0
    assert before <= at <= after


def test_update_audit_entry_holds_only_the_changed_fields(store):
    person = store.people.add(full_name="Nguyễn Văn An", phone="0912345678", address="Thôn 1")
    store.people.update(person.id, phone="0988000111", address="Thôn 1")
    entry = store.audit_entries(table="people", row_id=person.id, action="update")[0]
    assert entry.op_label == "Sửa người"
    assert entry.old_values == {"phone": "0912345678"}
    assert entry.new_values == {"phone": "0988000111"}
    assert entry.row_uuid == person.uuid
    assert entry.user == USER


def test_rename_audit_entry_holds_the_recomputed_name_columns(store):
    person = store.people.add(full_name="Nguyễn Văn An")
    store.people.update(person.id, given_name="Bình")
    entry = store.audit_entries(table="people", action="update")[0]
    assert set(entry.new_values) == {"given_name", "full_name", "sort_key", "search_fold"}
    assert entry.old_values["full_name"] == "Nguyễn Văn An"
    assert entry.new_values["full_name"] == "Nguyễn Văn Bình"


def test_delete_writes_an_audit_entry_with_the_reason(store):
    unit = store.units.add(name="Thôn 1")
    store.units.delete(unit.id, reason="nhập trùng")
    entry = store.audit_entries(table="units", row_id=unit.id, action="delete")[0]
    assert entry.op_label == "Xóa thôn/tổ dân phố"
    assert entry.reason == "nhập trùng"
    assert entry.old_values == {"deleted_at": None}
    assert (
        entry.new_values["deleted_at"] == store.units.find(unit.id, include_deleted=True).deleted_at
    )
    assert entry.row_uuid == unit.uuid


def test_restore_writes_an_audit_entry(store):
    unit = store.units.add(name="Thôn 1")
    store.units.delete(unit.id)
    store.units.restore(unit.id)
    entry = store.audit_entries(table="units", row_id=unit.id)[0]
    assert entry.action == "restore"
    assert entry.new_values == {"deleted_at": None}


def test_audit_entries_filter_by_table_and_row(store):
    first = store.units.add(name="Thôn 1")
    second = store.units.add(name="Thôn 2")
    store.units.update(first.id, name="Thôn Một")
    store.people.add(full_name="Nguyễn Văn An")

    assert [e.action for e in store.audit_entries(table="units", row_id=first.id)] == [
        "update",
        "insert",
    ]
    assert [e.row_id for e in store.audit_entries(table="units", row_id=second.id)] == [second.id]
    assert {e.table_name for e in store.audit_entries(table="people")} == {"people"}
    assert len(store.audit_entries(table="units")) == 3
    assert len(store.audit_entries()) == 4


def test_audit_entries_are_newest_first_and_limited(store):
    for i in range(5):
        store.units.add(name=f"Thôn {i}")
    entries = store.audit_entries(limit=3)
    assert [e.new_values["name"] for e in entries] == ["Thôn 4", "Thôn 3", "Thôn 2"]


def test_user_given_to_open_is_recorded(db_path):
    with Store.open(db_path, user="cán bộ B") as other:
        other.units.add(name="Thôn 1")
        assert [e.user for e in other.audit_entries()] == ["cán bộ B"]
    with Store.open(db_path, user=USER) as again:
        again.units.add(name="Thôn 2")
        assert [e.user for e in again.audit_entries()] == [USER, "cán bộ B"]


def test_operation_label_is_recorded_on_every_entry(store):
    with store.operation("Nhập danh sách hộ"):
        store.people.add(full_name="Nguyễn Văn An")
        store.units.add(name="Thôn 1")
    entries = store.audit_entries()
    assert {e.op_label for e in entries} == {"Nhập danh sách hộ"}
    assert len({e.op_id for e in entries}) == 1


def test_separate_operations_have_separate_op_ids(store):
    store.units.add(name="Thôn 1")
    store.units.add(name="Thôn 2")
    assert len({e.op_id for e in store.audit_entries()}) == 2


# --- undo / redo ---------------------------------------------------------------------------


def test_nothing_to_undo_or_redo_on_a_new_store(store):
    assert store.undo_label is None
    assert store.redo_label is None
    with pytest.raises(AppError) as info:
        store.undo()
    assert info.value.message == "Không có thao tác nào để hoàn tác."
    with pytest.raises(AppError) as info:
        store.redo()
    assert info.value.message == "Không có thao tác nào để làm lại."


def test_undo_of_an_add_leaves_a_tombstone(store):
    person = store.people.add(full_name="Nguyễn Văn An")
    assert store.undo() == "Thêm người"
    with pytest.raises(NotFoundError):
        store.people.get(person.id)
    tombstone = _raw(store, "people", person.id)
    assert tombstone["deleted_at"] is not None
    assert tombstone["uuid"] == person.uuid
    assert store.people.search("nguyen") == []


def test_redo_of_an_add_brings_the_row_back(store):
    person = store.people.add(full_name="Nguyễn Văn An")
    store.undo()
    assert store.redo() == "Thêm người"
    assert store.people.get(person.id) == person
    assert [p.id for p in store.people.search("nguyen")] == [person.id]


def test_undo_of_an_update_puts_the_old_values_back(store):
    person = store.people.add(full_name="Nguyễn Văn An", phone="0912345678")
    store.people.update(person.id, full_name="Trần Văn Bình", phone="0988000111")
    store.undo()
    assert store.people.get(person.id) == person
    assert [p.id for p in store.people.search("nguyen van an")] == [person.id]
    assert store.people.search("binh") == []


def test_redo_of_an_update_applies_the_new_values_again(store):
    person = store.people.add(full_name="Nguyễn Văn An", phone="0912345678")
    changed = store.people.update(person.id, full_name="Trần Văn Bình")
    store.undo()
    store.redo()
    assert store.people.get(person.id) == changed
    assert [p.id for p in store.people.search("binh")] == [person.id]


def test_undo_of_a_delete_brings_the_row_back(store):
    unit = store.units.add(name="Thôn 1")
    store.units.delete(unit.id)
    assert store.undo() == "Xóa thôn/tổ dân phố"
    assert store.units.get(unit.id) == unit


def test_redo_of_a_delete_deletes_again(store):
    unit = store.units.add(name="Thôn 1")
    store.units.delete(unit.id)
    store.undo()
    store.redo()
    assert store.units.find(unit.id) is None
    assert store.units.find(unit.id, include_deleted=True) is not None


def test_undo_of_a_multi_row_operation_undoes_every_row(store):
    person = store.people.add(full_name="Nguyễn Văn An")
    member = store.members.add(person_id=person.id, branch_id=None, admitted_on=date(2024, 3, 1))
    assert store.members.history_of(member.id)
    assert store.undo_label == "Thêm hội viên"
    store.undo()
    assert store.members.find(member.id) is None
    assert store.members.history.count() == 0
    assert store.members.history.count(include_deleted=True) == 1
    assert store.people.get(person.id) == person  # the earlier operation is untouched


def test_redo_of_a_multi_row_operation_redoes_every_row(store):
    person = store.people.add(full_name="Nguyễn Văn An")
    member = store.members.add(person_id=person.id, branch_id=None, admitted_on=date(2024, 3, 1))
    store.undo()
    store.redo()
    assert store.members.get(member.id) == member
    [event] = store.members.history_of(member.id)
    assert event.status == "admitted"
    assert event.on_date == date(2024, 3, 1)


def test_undo_of_a_labelled_operation_with_several_tables(store):
    category = store.categories.add(name="Hộ nghèo")
    with store.operation("Mở địa chỉ nhân đạo"):
        head = store.people.add(full_name="Đỗ Thị Hằng")
        address = store.addresses.add(
            name="Hộ bà Hằng",
            head_person_id=head.id,
            opened_on=date(2024, 1, 10),
            category_ids=[category.id],
        )
    assert store.undo() == "Mở địa chỉ nhân đạo"
    assert store.people.find(head.id) is None
    assert store.addresses.find(address.id) is None
    assert store.addresses.categories_of(address.id) == []
    assert store.addresses.history.count() == 0
    assert store.categories.get(category.id) == category


def test_undo_and_redo_labels_follow_the_stacks(store):
    store.units.add(name="Thôn 1")
    with store.operation("Đổi tên thôn"):
        store.units.update(1, name="Thôn Một")
    assert store.undo_label == "Đổi tên thôn"
    assert store.redo_label is None
    store.undo()
    assert store.undo_label == "Thêm thôn/tổ dân phố"
    assert store.redo_label == "Đổi tên thôn"
    store.undo()
    assert store.undo_label is None
    assert store.redo_label == "Thêm thôn/tổ dân phố"
    store.redo()
    assert store.undo_label == "Thêm thôn/tổ dân phố"
    assert store.redo_label == "Đổi tên thôn"


def test_a_new_operation_clears_redo(store):
    store.units.add(name="Thôn 1")
    store.units.add(name="Thôn 2")
    store.undo()
    assert store.redo_label is not None
    store.units.add(name="Thôn 3")
    assert store.redo_label is None
    with pytest.raises(AppError):
        store.redo()


def test_undo_keeps_the_last_thirty_operations(store):
    assert UNDO_DEPTH == 30
    for i in range(35):
        store.units.add(name=f"Thôn {i}")
    for _ in range(30):
        store.undo()
    with pytest.raises(AppError) as info:
        store.undo()
    assert "hoàn tác" in info.value.message
    assert [u.name for u in store.units.list(order_by="id")] == [f"Thôn {i}" for i in range(5)]


def test_undo_and_redo_are_audited(store):
    unit = store.units.add(name="Thôn 1")
    store.units.update(unit.id, name="Thôn Một")
    store.undo()
    [undo] = store.audit_entries(action="undo")
    assert undo.op_label == "Hoàn tác: Sửa thôn/tổ dân phố"
    assert undo.table_name == "units"
    assert undo.row_id == unit.id
    assert undo.row_uuid == unit.uuid
    assert undo.user == USER
    assert undo.old_values["name"] == "Thôn Một"
    assert undo.new_values["name"] == "Thôn 1"

    store.redo()
    [redo] = store.audit_entries(action="redo")
    assert redo.op_label == "Làm lại: Sửa thôn/tổ dân phố"
    assert redo.old_values["name"] == "Thôn 1"
    assert redo.new_values["name"] == "Thôn Một"
    assert redo.op_id != undo.op_id


def test_undo_itself_is_not_an_undo_step(store):
    store.units.add(name="Thôn 1")
    store.units.add(name="Thôn 2")
    store.undo()
    assert store.undo_label == "Thêm thôn/tổ dân phố"
    store.undo()
    assert store.undo_label is None
    assert store.units.count() == 0


def test_undo_of_an_operation_is_one_transaction_in_the_audit_log(store):
    person = store.people.add(full_name="Nguyễn Văn An")
    store.members.add(person_id=person.id, branch_id=None, admitted_on=date(2024, 3, 1))
    store.undo()
    undos = store.audit_entries(action="undo")
    assert {e.table_name for e in undos} == {"members", "member_status"}
    assert len({e.op_id for e in undos}) == 1


def test_operation_that_logs_an_event_before_changing_rows_is_still_undoable(store):
    # An operation with row changes is one undo step whatever order its parts run in.
    with store.operation("Nhập và ghi sự kiện"):
        store.ops.log_event("export", details={"rows": 1})
        person = store.people.add(full_name="Nguyễn Văn An")
    assert store.undo_label == "Nhập và ghi sự kiện"
    store.undo()
    assert store.people.find(person.id) is None
