"""The main window: pages, menus and shortcuts, status bar, state kept between runs."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from chapter_app.services.demo import generate_demo
from chapter_app.services.setup import init_database
from chapter_app.store.repository import Query
from chapter_app.store.store import Store
from chapter_app.ui.main_window import PAGE_NAMES, RESTART_EXIT_CODE, MainWindow
from chapter_app.ui.pages.base import set_today
from chapter_app.ui.qt_i18n import apply_language

DEMO_DAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = init_database(path, chapter_name="Hội Chữ thập đỏ xã Thử Nghiệm", user="tester")
    generate_demo(store, size="small", seed=5, today=DEMO_DAY)
    store.close()
    return path


@pytest.fixture
def demo(demo_template, tmp_path, qapp):
    apply_language(qapp, "vi")
    set_today(DEMO_DAY)
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    store = Store.open(path, user="tester")
    yield store
    store.close()
    set_today(None)
    apply_language(qapp, "vi")


@pytest.fixture
def ui_settings(tmp_path):
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, demo, ui_settings):
    w = MainWindow(demo, ui_settings=ui_settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def test_the_window_opens_on_the_dashboard_with_every_page_in_the_navigation(window):
    items = [window.navigation.item(i) for i in range(window.navigation.count())]
    titles = [item.text() for item in items if not item.isHidden()]
    assert titles == [
        "Tổng quan",
        "Hội viên",
        "Tình nguyện viên",
        "Địa chỉ nhân đạo",
        "Nhà tài trợ",
        "Trợ giúp",
        "Hoạt động",
        "Báo cáo",
        "Tổ chức",
        "Cài đặt",
    ]
    assert window.current_page_name() == "dashboard"
    assert not window.page_actions["consolidation"].isVisible()  # an upper level's page
    assert str(window.store.path) in window.path_label.text()
    assert window.windowTitle().startswith("Hội Chữ thập đỏ xã Thử Nghiệm")


def test_every_page_opens_from_the_navigation(qtbot, window):
    for row, name in enumerate(PAGE_NAMES):
        window.navigation.setCurrentRow(row)
        assert window.stack.currentWidget() is window.pages[name]
        assert window.page_actions[name].isChecked()
    window.worker.wait_idle()


def test_menus_carry_the_usual_shortcuts(window):
    assert window.new_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert window.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert [s.toString() for s in window.redo_action.shortcuts()] == ["Ctrl+Shift+Z", "Ctrl+Y"]
    assert window.refresh_action.shortcut().toString() == "F5"
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus[:3] == ["&Tệp", "&Sửa", "&Xem"]
    assert menus[-1] == "&Hướng dẫn"  # other menus (Công cụ) go between, Help stays last


def test_ctrl_n_and_ctrl_f_act_on_the_current_register(qtbot, window, monkeypatch):
    from chapter_app.ui import forms

    opened = []
    monkeypatch.setattr(
        forms, "open_form", lambda kind, store, **kw: opened.append((kind, kw.get("record_id")))
    )
    window.show_page("dashboard")
    assert not window.new_action.isEnabled()
    page = window.show_page("volunteers")
    assert window.new_action.isEnabled()
    window.new_action.trigger()
    assert opened == [("volunteer", None)]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.find_action.trigger()
    assert page.search_box.hasFocus()


def test_the_status_bar_counts_the_rows_of_the_current_view(qtbot, window, demo):
    page = window.show_page("members")
    total = demo.members.count(Query())
    qtbot.waitUntil(lambda: window.count_label.text() == f"Hội viên: {total:,}".replace(",", "."))
    page.search_box.setText("nguyen")
    page.apply_search()
    found = demo.members.count(Query(search="nguyen"))
    assert found < total
    qtbot.waitUntil(lambda: window.count_label.text() == f"Hội viên: {found:,}".replace(",", "."))
    window.show_page("sponsors")
    sponsors = demo.sponsors.count(Query())
    qtbot.waitUntil(lambda: window.count_label.text() == f"Nhà tài trợ: {sponsors}")


def test_undo_and_redo_name_the_operation(qtbot, window, demo):
    assert not window.undo_action.isEnabled()
    assert window.undo_action.text() == "Hoàn tác"
    sponsor = demo.sponsors.list(Query())[0]
    with demo.operation(f"Sửa nhà tài trợ: {sponsor.name}"):
        demo.sponsors.update(sponsor.id, phone="0912345678")
    assert window.undo_action.text() == f"Hoàn tác: Sửa nhà tài trợ: {sponsor.name}"
    window.undo_action.trigger()
    assert demo.sponsors.get(sponsor.id).phone == sponsor.phone
    assert window.redo_action.text() == f"Làm lại: Sửa nhà tài trợ: {sponsor.name}"
    assert not window.undo_action.isEnabled()
    window.redo_action.trigger()
    assert demo.sponsors.get(sponsor.id).phone == "0912345678"
    assert "Đã làm lại" in window.statusBar().currentMessage()


def test_window_size_splitter_and_column_widths_are_kept(qtbot, demo, ui_settings):
    first = MainWindow(demo, ui_settings=ui_settings)
    qtbot.addWidget(first)
    first.show()
    first.showNormal()  # it opens maximised on this small screen; the officer restores it
    first.resize(720, 520)
    first.splitter.setSizes([260, 460])
    page = first.show_page("members")
    page.table.setColumnWidth(0, 333)  # as when dragged: the others make room
    kept = list(page.column_fitter.base)
    assert page.table.columnWidth(0) == 333
    first.close()

    second = MainWindow(demo, ui_settings=ui_settings)
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (720, 520)  # the offscreen screen is 800x600
    assert second.splitter.sizes()[0] == 260
    assert second.show_page("members").column_fitter.base == kept
    second.close()


def test_the_dashboard_shows_the_figures_computed_in_the_background(qtbot, window, demo):
    from chapter_app.services.indicators import stocks

    page = window.pages["dashboard"]
    qtbot.waitUntil(lambda: page.data is not None, timeout=10000)
    expected = stocks(demo, DEMO_DAY)["members.total_end"]
    assert page.cards["members"].main.text() == f"{expected:,}".replace(",", ".")
    assert page.cards["aid_value"].main.text().endswith(" đ")
    assert set(page.chart_views) == {"aid_by_month", "members_by_branch", "addresses_by_category"}
    assert len(page.data.aid_by_month) == 12
    assert sum(count for _name, count in page.data.members_by_branch) == expected


def test_the_reports_page_shows_the_indicators_of_the_chosen_period(qtbot, window, demo):
    from chapter_app.domain.periods import parse_period
    from chapter_app.services.indicators import INDICATORS, indicator_blocks

    page = window.show_page("reports")
    page.year.setValue(2026)
    page.kind.setCurrentIndex(2)  # quý III
    qtbot.waitUntil(
        lambda: page.period is not None and page.period.code == "2026-Q3", timeout=10000
    )
    blocks = indicator_blocks(demo, parse_period("2026-Q3"))
    labels = [page.table.item(row, 0).text() for row in range(page.table.rowCount())]
    for key, label, _unit in INDICATORS:
        row = labels.index(label)
        assert page.table.item(row, 2).text() == f"{blocks['period'][key]:,}".replace(",", ".")
        assert page.table.item(row, 4).text() == f"{blocks['last_year'][key]:,}".replace(",", ".")


def test_changing_the_language_offers_a_restart_and_the_new_window_speaks_english(
    qtbot, qapp, window, demo, ui_settings, monkeypatch
):
    page = window.show_page("settings")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    exits = []
    monkeypatch.setattr(qapp, "exit", lambda code=0: exits.append(code))
    page.panel.language.setCurrentIndex(page.panel.language.findData("en"))
    with qtbot.waitSignal(window.restart_requested):
        assert page.save()
    qtbot.waitUntil(lambda: exits == [RESTART_EXIT_CODE])
    assert demo.settings.get("language") == "en"

    # What app.run does after the restart exit code: the language of the register, a new window.
    apply_language(qapp, demo.settings.get("language"))
    english = MainWindow(demo, ui_settings=ui_settings)
    qtbot.addWidget(english)
    english.show()
    titles = [english.navigation.item(i).text() for i in range(english.navigation.count())]
    assert titles[:3] == ["Overview", "Members", "Volunteers"]
    members = english.show_page("members")
    assert members.model.headerData(0, Qt.Orientation.Horizontal) == "Full name"
    english.close()


def test_the_program_opens_the_register_it_is_given(qapp, demo_template, tmp_path, capsys):
    from chapter_app.ui.app import run

    path = tmp_path / "open.db"
    shutil.copy(demo_template, path)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    assert run(db_path=path, exit_when_shown=True) == 0
    assert capsys.readouterr().out.split() == ["shown", "ready"]
    assert (tmp_path / "chapter_app" / "window.ini").exists()  # the window's state was kept


def test_without_a_register_the_first_run_wizard_comes_first(qapp, tmp_path, monkeypatch):
    from chapter_app.ui import first_run
    from chapter_app.ui.app import run

    shown = []
    monkeypatch.setattr(first_run.FirstRunWizard, "exec", lambda self: shown.append(self) or 0)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    path = tmp_path / "new.db"
    assert run(db_path=path) == 0  # the officer cancelled the wizard
    assert shown and shown[0].db_path == path
    assert not path.exists()


def test_tro_giup_names_only_the_aid_page_and_help_is_huong_dan(window):
    titles = [action.text().replace("&", "") for action in window.menuBar().actions()]
    assert "Trợ giúp" not in titles and titles[-1] == "Hướng dẫn"
    assert window.help_menu.title() == "&Hướng dẫn"
    assert window.help_menu.actions()[-1] is window.about_action
    pages = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert pages.count("Trợ giúp") == 1
    assert window.page_actions["aid"].text().replace("&", "") == "Trợ giúp"  # the page


def test_at_the_programs_start_the_shortcuts_come_once_the_first_page_is_up(
    qtbot, demo, ui_settings
):
    window = MainWindow(None, ui_settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    window.attach(demo, shortcuts_later=True)
    assert window.undo_action.shortcut().isEmpty()  # not before the first paint
    qtbot.waitUntil(lambda: window.undo_action.shortcut().toString() == "Ctrl+Z")
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert window.guide_action.shortcut().toString() == "F1"
    assert window.page_actions["members"].shortcut().toString() == "Ctrl+2"
    assert [s.toString() for s in window.redo_action.shortcuts()] == ["Ctrl+Shift+Z", "Ctrl+Y"]
    window.close()
