"""The register pages, driven as the officer drives them (pytest-qt, offscreen).

Vietnamese text is typed with input-method commit strings (``qtbot.keyClicks`` with
non-ASCII characters aborts the test process).
"""

from __future__ import annotations

import itertools
import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from chapter_app.domain.text import fold
from chapter_app.services.demo import generate_demo
from chapter_app.services.setup import init_database
from chapter_app.store.repository import Query
from chapter_app.store.store import Store
from chapter_app.ui.main_window import MainWindow
from chapter_app.ui.pages.activities import ActivitiesPage
from chapter_app.ui.pages.addresses import AddressesPage
from chapter_app.ui.pages.aid import AidPage
from chapter_app.ui.pages.members import MembersPage
from chapter_app.ui.pages.sponsors import SponsorsPage
from chapter_app.ui.pages.volunteers import VolunteersPage
from chapter_app.ui.qt_i18n import apply_language
from chapter_app.ui.worker import Worker

DEMO_DAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    """A small demo register, built once per module and copied for each test."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = init_database(path, chapter_name="Hội Chữ thập đỏ xã Thử Nghiệm", user="tester")
    generate_demo(store, size="small", seed=3, today=DEMO_DAY)
    store.close()
    return path


@pytest.fixture
def demo(demo_template, tmp_path, qapp):
    apply_language(qapp, "vi")
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    store = Store.open(path, user="tester")
    yield store
    store.close()


@pytest.fixture
def worker(demo, qapp):
    w = Worker(demo.path)
    yield w
    w.shutdown()


def make_page(qtbot, page_class, store, worker):
    page = page_class(store, worker)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    page.ensure_loaded()
    return page


def commit_text(widget, text: str) -> None:
    """Type ``text`` into ``widget`` the way an input method (Telex, VNI) delivers it."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def shown_column(page, key: str) -> list[str]:
    column = page.model.column_of(key)
    return [page.model.data(page.model.index(row, column)) for row in range(page.model.rowCount())]


def fetch_all(model) -> None:
    while model.canFetchMore():
        model.fetchMore()


@pytest.mark.parametrize(
    ("page_class", "repo"),
    [
        (MembersPage, "members"),
        (VolunteersPage, "volunteers"),
        (AddressesPage, "addresses"),
        (SponsorsPage, "sponsors"),
        (AidPage, "aid"),
    ],
)
def test_each_register_page_lists_the_rows_of_its_register(qtbot, demo, worker, page_class, repo):
    page = make_page(qtbot, page_class, demo, worker)
    total = getattr(demo, repo).count(Query())
    assert total > 0
    assert page.model.rowCount() == min(total, page.model.page_size)
    qtbot.waitUntil(lambda: page.model.total == total)
    assert page.status_text().endswith(f"{total:,}".replace(",", "."))


def test_activity_tabs_list_each_kind_of_activity(qtbot, demo, worker):
    page = make_page(qtbot, ActivitiesPage, demo, worker)
    for index, tab in enumerate(page.pages):
        page.tabs.setCurrentIndex(index)
        tab.ensure_loaded()
        assert tab.model.rowCount() == min(tab.repo.count(Query()), tab.model.page_size)
    assert page.pages[0].model.rowCount() > 0


def test_a_long_list_is_fetched_a_page_at_a_time(qtbot, demo, worker):
    page = make_page(qtbot, MembersPage, demo, worker)
    total = demo.members.count(Query())
    assert total > 2 * page.model.page_size
    assert page.model.rowCount() == page.model.page_size
    assert page.model.canFetchMore()
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() > page.model.page_size)
    fetch_all(page.model)
    assert page.model.rowCount() == total
    assert not page.model.canFetchMore()


def test_search_without_tones_finds_names_with_tones(qtbot, demo, worker):
    page = make_page(qtbot, MembersPage, demo, worker)
    name = next(
        row["full_name"]
        for row in demo.members.rows(Query(limit=300))
        if row["full_name"] != fold(row["full_name"])
    )
    page.search_box.setText(fold(name))  # typed without tones, lower case
    qtbot.waitUntil(lambda: page.model.search == fold(name), timeout=2000)
    names = shown_column(page, "full_name")
    assert name in names
    assert all(fold(name) in fold(shown) for shown in names)


def test_vietnamese_typed_through_the_input_method_searches_too(qtbot, demo, worker):
    page = make_page(qtbot, MembersPage, demo, worker)
    commit_text(page.search_box, "Nguyễn")
    assert page.search_box.text() == "Nguyễn"
    page.apply_search()
    names = shown_column(page, "full_name")
    assert names
    assert all("nguyen" in fold(shown) for shown in names)
    qtbot.waitUntil(lambda: page.model.total >= 0)
    assert page.model.total < demo.members.count(Query())


def test_sorting_by_the_name_header_follows_vietnamese_collation(qtbot, demo, worker):
    from PySide6.QtCore import QCollator, QLocale

    page = make_page(qtbot, MembersPage, demo, worker)
    fetch_all(page.model)
    collator = QCollator(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    rows = [page.model.row(i) for i in range(page.model.rowCount())]
    people = {
        p.id: p for p in demo.people.list(Query(filters={"id": [r["person_id"] for r in rows]}))
    }

    def parts(row):
        person = people[row["person_id"]]
        return (person.given_name, person.family_name, person.middle_name)

    for before, after in itertools.pairwise(rows):
        a, b = parts(before), parts(after)
        for x, y in zip(a, b, strict=True):
            order = collator.compare(x, y)
            if order:
                assert order < 0, f"{before['full_name']} before {after['full_name']}"
                break
    given = [parts(r)[0] for r in rows]
    d_names = [i for i, g in enumerate(given) if g.startswith("D")]
    dd_names = [i for i, g in enumerate(given) if g.startswith("Đ")]
    if d_names and dd_names:
        assert max(d_names) < min(dd_names)  # "Đức" after every "D..."

    header = page.table.horizontalHeader()
    column = page.model.column_of("full_name")
    page.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert page.model.descending
    assert page.model.row(0)["id"] == rows[-1]["id"]


def test_a_column_without_sql_sort_keeps_the_current_order(qtbot, demo, worker):
    page = make_page(qtbot, MembersPage, demo, worker)
    first = page.model.row(0)["id"]
    page.table.sortByColumn(page.model.column_of("phone"), Qt.SortOrder.AscendingOrder)
    assert page.model.order_by == "name"
    assert page.model.row(0)["id"] == first
    assert page.table.horizontalHeader().sortIndicatorSection() == page.model.column_of("full_name")


def test_member_filters_by_branch_status_and_admission_year(qtbot, demo, worker):
    page = make_page(qtbot, MembersPage, demo, worker)
    branch = demo.branches.list(Query())[0]
    page.branch_filter.set_value(branch.id)
    fetch_all(page.model)
    assert page.model.rowCount() == demo.members.count(Query(filters={"branch_id": branch.id}))
    assert set(shown_column(page, "branch_id")) == {branch.name}

    page.branch_filter.setCurrentIndex(0)
    page.status_filter.set_value("died")
    fetch_all(page.model)
    assert page.model.rowCount() == demo.members.count(Query(filters={"status": "died"}))
    assert set(shown_column(page, "status")) == {"Từ trần"}

    page.status_filter.setCurrentIndex(0)
    page.year_filter.set_year(2020)
    fetch_all(page.model)
    assert page.model.rowCount() > 0
    assert all(shown.endswith("/2020") for shown in shown_column(page, "admitted_on"))


def test_volunteer_filters_core_and_still_active(qtbot, demo, worker):
    page = make_page(qtbot, VolunteersPage, demo, worker)
    page.core_filter.set_value(True)
    fetch_all(page.model)
    assert page.model.rowCount() == demo.volunteers.count(Query(filters={"is_core": True}))
    assert set(shown_column(page, "is_core")) == {"✓"}
    page.core_filter.setCurrentIndex(0)
    page.active_filter.set_value("left")
    fetch_all(page.model)
    left = page.model.rowCount()
    page.active_filter.set_value("active")
    fetch_all(page.model)
    assert left + page.model.rowCount() == demo.volunteers.count(Query())
    assert set(shown_column(page, "left_on")) == {""}


def test_address_filters_by_category_and_status(qtbot, demo, worker):
    page = make_page(qtbot, AddressesPage, demo, worker)
    category = demo.categories.list(Query())[0]
    page.category_filter.set_value(category.id)
    fetch_all(page.model)
    assert page.model.rowCount() == demo.addresses.count(Query(filters={"category": category.id}))
    assert all(category.name in shown for shown in shown_column(page, "categories"))
    page.status_filter.set_value("following")
    fetch_all(page.model)
    assert set(shown_column(page, "status")) <= {"Đang theo dõi"}


def test_aid_filters_by_campaign_recipient_kind_and_year(qtbot, demo, worker):
    page = make_page(qtbot, AidPage, demo, worker)
    page.kind_filter.set_value("group")
    page.period_filter.set_year(2026)
    fetch_all(page.model)
    assert page.model.rowCount() > 0
    assert set(shown_column(page, "recipient_kind")) == {"Nhóm"}
    assert all(shown.endswith("/2026") for shown in shown_column(page, "given_on"))
    campaign = demo.campaigns.list(Query())[0]
    page.kind_filter.setCurrentIndex(0)
    page.period_filter.set_year(None)
    page.campaign_filter.set_value(campaign.id)
    fetch_all(page.model)
    assert page.model.rowCount() == demo.aid.count(Query(filters={"campaign_id": campaign.id}))
    assert set(shown_column(page, "campaign_name")) == {campaign.name}


def test_id_numbers_are_masked_and_money_and_dates_written_the_vietnamese_way(qtbot, demo, worker):
    members = make_page(qtbot, MembersPage, demo, worker)
    ids = [s for s in shown_column(members, "id_number") if s]
    assert ids
    assert all(len(s) == 12 and s[3:9] == "******" for s in ids)
    aid = make_page(qtbot, AidPage, demo, worker)
    totals = shown_column(aid, "value_total")
    assert all(s.endswith(" đ") for s in totals)
    assert any("." in s for s in totals)  # 1.000.000 đ
    day = shown_column(aid, "given_on")[0]
    assert len(day) == 10 and day[2] == "/" and day[5] == "/"


def test_delete_asks_then_deletes_and_undo_brings_the_member_back(
    qtbot, demo, tmp_path, monkeypatch
):
    window = MainWindow(
        demo, ui_settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("members")
    total = demo.members.count(Query())
    row = page.model.row(0)
    asked = []

    def answer_yes(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert row["full_name"] in asked[0]
    qtbot.waitUntil(lambda: page.model.row(0)["id"] != row["id"])
    assert demo.members.count(Query()) == total - 1
    assert window.undo_action.text() == f"Hoàn tác: Xóa hội viên: {row['full_name']}"
    qtbot.waitUntil(
        lambda: window.count_label.text() == f"Hội viên: {total - 1:,}".replace(",", ".")
    )

    window.undo_action.trigger()
    qtbot.waitUntil(lambda: page.model.row(0)["id"] == row["id"])
    assert demo.members.count(Query()) == total
    assert window.redo_action.isEnabled()
    assert window.redo_action.text() == f"Làm lại: Xóa hội viên: {row['full_name']}"
    qtbot.waitUntil(lambda: window.count_label.text() == f"Hội viên: {total:,}".replace(",", "."))
    window.close()


def test_saying_no_to_the_confirmation_deletes_nothing(qtbot, demo, worker, monkeypatch):
    page = make_page(qtbot, MembersPage, demo, worker)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    total = demo.members.count(Query())
    page.table.selectRow(0)
    page.delete_button.click()
    assert demo.members.count(Query()) == total


def test_enter_and_double_click_open_the_selected_record(qtbot, demo, worker, monkeypatch):
    from chapter_app.ui import forms

    opened = []
    monkeypatch.setattr(
        forms,
        "open_form",
        lambda kind, store, *, record_id=None, parent=None: opened.append((kind, record_id)),
    )
    page = make_page(qtbot, MembersPage, demo, worker)
    page.table.selectRow(2)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    index = page.model.index(3, 0)
    page.table.doubleClicked.emit(index)
    assert opened[0] == ("member", page.model.row_id(2))
    assert opened[1][0] == "member"


def test_a_record_saved_by_a_form_appears_in_the_list(qtbot, demo, worker, monkeypatch):
    """The page refreshes after any operation on the store (here: a form saving)."""
    from chapter_app.services.records import save_member
    from chapter_app.ui import forms

    branch = demo.branches.list(Query())[0]

    def fake_form(kind, store, *, record_id=None, parent=None):
        assert kind == "member"
        save_member(
            store,
            {
                "full_name": "Đặng Thị Xuân Hằng",
                "birth": "1990",
                "branch": branch.id,
                "admitted_on": "05/01/2026",
            },
            today=DEMO_DAY,
        )
        return True

    monkeypatch.setattr(forms, "open_form", fake_form)
    page = make_page(qtbot, MembersPage, demo, worker)
    commit_text(page.search_box, "dang thi xuan hang")
    page.apply_search()
    assert page.model.rowCount() == 0
    page.add_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert shown_column(page, "full_name") == ["Đặng Thị Xuân Hằng"]


def test_member_added_in_the_real_form_is_found_edited_deleted_and_restored(
    qtbot, demo, tmp_path, monkeypatch
):
    """End to end through the record form: add (name typed in Vietnamese), find it by
    typing without tones, edit it, delete it, undo."""
    from PySide6.QtWidgets import QDialog

    branch = demo.branches.list(Query())[0]
    window = MainWindow(
        demo, ui_settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("members")
    seen = []

    def fill_and_save(dialog):
        dialog.show()
        seen.append(dialog)
        if dialog.record_id is None:
            commit_text(dialog.fields["full_name"].editor, "Đặng Thị Xuân Hằng")
            dialog.fields["birth"].set_raw("1990")
            dialog.fields["branch"].set_raw(branch.id)
            dialog.fields["admitted_on"].set_raw(date(2026, 1, 5))
        else:
            dialog.fields["card_no"].set_raw("HV-9999")
        if not dialog.save() and dialog.warning_panel.isVisibleTo(dialog):
            dialog.confirm_button.click()  # accept the warnings (e.g. a similar name)
        return dialog.result()

    monkeypatch.setattr(QDialog, "exec", fill_and_save)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)

    window.new_action.trigger()  # Ctrl+N on the members page
    assert seen and seen[0].saved_count == 1
    page.search_box.setText("dang thi xuan hang")
    qtbot.waitUntil(lambda: shown_column(page, "full_name") == ["Đặng Thị Xuân Hằng"])

    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shown_column(page, "card_no") == ["HV-9999"])

    page.table.selectRow(0)
    page.delete_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert window.undo_action.text() == "Hoàn tác: Xóa hội viên: Đặng Thị Xuân Hằng"
    window.activateWindow()
    page.table.setFocus()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Z
    qtbot.waitUntil(lambda: shown_column(page, "card_no") == ["HV-9999"])
    window.close()
