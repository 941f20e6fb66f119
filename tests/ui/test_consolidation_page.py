"""Sending a package from the Báo cáo page, and the upper level's Tổng hợp page."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox, QWizard

from chapter_app.services import exchange as ex
from chapter_app.services.setup import init_database
from chapter_app.store.store import Store
from chapter_app.ui.first_run import FirstRunWizard
from chapter_app.ui.main_window import MainWindow
from chapter_app.ui.pages.base import set_today
from chapter_app.ui.worker import Worker
from tests.services.test_exchange_packages import Q3, make_chapter

TODAY = date(2026, 11, 23)


@pytest.fixture
def quiet(monkeypatch):
    """Record message boxes instead of showing them."""
    shown: list[tuple[str, str]] = []
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(
            QMessageBox, name, lambda _p, title, text, *a, **k: shown.append((title, text))
        )
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    return shown


@pytest.fixture
def chapter(tmp_path):
    store = make_chapter(tmp_path / "an.db", "Hội CTĐ xã An", members=3, aid=[500_000])
    yield store
    store.close()


@pytest.fixture
def upper_window(qtbot, tmp_path, quiet):
    set_today(TODAY)
    store = init_database(tmp_path / "upper.db", chapter_name="Hội CTĐ huyện Thử", user="u")
    ex.enable_upper_mode(store)
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, ui_settings=settings)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()
    window.worker.wait_idle()
    store.close()
    set_today(None)


def test_the_package_dialog_validates_the_password_as_typed_and_writes_the_package(
    qtbot, chapter, tmp_path, quiet
):
    from chapter_app.ui.dialogs.package import PackageDialog

    worker = Worker(chapter.path)
    dialog = PackageDialog(chapter, worker, "2026-Q3", "Quý III năm 2026")
    qtbot.addWidget(dialog)
    assert not dialog.with_report.isEnabled()  # nothing issued for the period
    dialog.protect.setChecked(True)
    assert not dialog.ok_button.isEnabled()
    assert dialog.message.text() == "Chưa nhập mật khẩu."
    dialog.password.setText("mật khẩu 1")
    dialog.repeat.setText("mật khẩu")
    assert dialog.message.text() == "Hai lần nhập mật khẩu không giống nhau."
    assert not dialog.ok_button.isEnabled()
    dialog.repeat.setText("mật khẩu 1")
    assert dialog.ok_button.isEnabled()
    dialog.with_records.setChecked(True)
    dialog.personal.setCurrentIndex(dialog.personal.findData("names"))

    dest = tmp_path / "out" / "an-2026-Q3.ctdpkg"
    dialog.create(dest)
    qtbot.waitUntil(lambda: dialog.info is not None, timeout=20000)
    worker.wait_idle()
    worker.shutdown()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert quiet and quiet[-1][0] == "Đã tạo gói số liệu"
    with pytest.raises(ex.PasswordRequiredError):
        ex.read_package(dest)
    package = ex.read_package(dest, password="mật khẩu 1")
    assert package.manifest["records"] == {
        "included": True,
        "personal_data": "names",
        "sensitive": False,
    }
    assert package.manifest["period"]["code"] == "2026-Q3"
    assert not (dest.parent / (dest.name + ".partial")).exists()
    logged = chapter.db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'package'")
    assert logged.fetchone()[0] == 1


def test_the_reports_page_opens_the_package_dialog_for_its_period(qtbot, chapter, quiet):
    from chapter_app.ui.pages.reports import ReportsPage

    set_today(TODAY)
    worker = Worker(chapter.path)
    page = ReportsPage(chapter, worker)
    page.show()
    page.kind.setCurrentIndex(page.kind.findData("Q3"))
    qtbot.waitUntil(
        lambda: page.data is not None and page.data.period_code == "2026-Q3", timeout=10000
    )
    qtbot.waitUntil(lambda: not page.loading, timeout=10000)
    dialog = page.send_to_upper_level()
    assert dialog.period_code == "2026-Q3"
    dialog.reject()
    page.close()
    worker.wait_idle()
    worker.shutdown()
    shiboken6.delete(page)
    set_today(None)


def test_an_upper_level_opens_on_tong_hop_and_receives_packages(
    qtbot, upper_window, tmp_path, monkeypatch
):
    window = upper_window
    assert window.current_page_name() == "consolidation"
    assert window.page_actions["consolidation"].isVisible()
    page = window.pages["consolidation"]

    chapters = [
        make_chapter(tmp_path / "a.db", "Hội CTĐ xã An", members=3, aid=[500_000, 300_000]),
        make_chapter(tmp_path / "b.db", "Hội CTĐ xã Bình", members=1, aid=[1_000_000]),
    ]
    try:
        plain = ex.build_package(chapters[0], Q3, tmp_path / "a.ctdpkg")
        locked = ex.build_package(chapters[1], Q3, tmp_path / "b.ctdpkg", password="bí mật")
    finally:
        for store in chapters:
            store.close()
    bad = tmp_path / "hong.ctdpkg"
    bad.write_bytes(plain.path.read_bytes()[:-200])  # truncated on the way

    window.store.affiliates.add_name("Hội CTĐ xã Tây")  # listed, never sends
    answers = iter([("sai", True), ("bí mật", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    lines = page.receive([plain.path, locked.path, bad])
    # one bad package: each file has its verdict, and nothing at all is kept
    assert "a.ctdpkg" in lines[0] and "đạt kiểm tra" in lines[0]
    assert "b.ctdpkg" in lines[1] and "đạt kiểm tra" in lines[1]  # after one wrong password
    assert "hong.ctdpkg" in lines[2] and "không nhận" in lines[2]
    assert lines[-1].startswith("Không nhận gói nào")
    assert window.store.exchange.packages.for_period("2026-Q3") == []

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("bí mật", True))
    lines = page.receive([plain.path, locked.path])
    assert lines[0].startswith("Đã nhận gói «a.ctdpkg»")
    assert lines[1].startswith("Đã nhận gói «b.ctdpkg»")
    assert page.results_dialog.text.toPlainText().count("Đã nhận gói") == 2
    assert page.period_code() == "2026-Q3"
    assert len(window.store.exchange.packages.for_period("2026-Q3")) == 2

    cells = [
        [page.table.item(r, c).text() for c in range(page.table.columnCount())]
        for r in range(page.table.rowCount())
    ]
    names = [row[1] for row in cells]
    assert names == ["Hội CTĐ xã An", "Hội CTĐ xã Bình", "Tổng cộng", "Hội CTĐ xã Tây"]
    assert cells[3][2] == "Chưa gửi"
    headers = [page.table.horizontalHeaderItem(c).text() for c in range(page.table.columnCount())]
    assert cells[2][headers.index("Hội viên kết nạp mới")] == "4"  # 3 + 1
    assert cells[2][headers.index("Tổng trị giá trợ giúp")] == "1.800.000"  # Vietnamese style
    assert "2/3 Hội cơ sở đã gửi" in page.summary.text()
    assert "Chưa gửi: Hội CTĐ xã Tây." in page.summary.text()

    # the same package again changes nothing
    again = page.receive([plain.path])
    assert "không có gì thay đổi" in again[0]

    # a package sent by mistake is taken out again, with its reason in the audit log
    page.table.setCurrentCell(1, 1)
    assert page.remove_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("gửi nhầm kỳ", True))
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert [r.chapter_name for r in page.consolidation.rows] == ["Hội CTĐ xã An"]
    entry = window.store.audit_entries(action="package_removed")[0]
    assert entry.reason == "gửi nhầm kỳ" and entry.new_values["chapter_name"] == "Hội CTĐ xã Bình"
    page.receive([locked.path])

    xlsx = page.export_excel(tmp_path / "tong-hop.xlsx")
    rows = list(openpyxl.load_workbook(xlsx).active.iter_rows(values_only=True))
    assert any(r[1] == "Tổng cộng" for r in rows)
    pdf = page.save_pdf(tmp_path / "tong-hop.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_list_of_chapters_is_edited_with_messages_at_the_field(qtbot, upper_window):
    page = upper_window.pages["consolidation"]
    dialog = page.edit_affiliates()
    dialog.name.setText("Hội CTĐ xã Tây")
    assert dialog.add()
    dialog.name.setText("hội ctđ  xã tây")
    assert dialog.message.text() == "«hội ctđ xã tây» đã có trong danh sách."
    assert not dialog.add_button.isEnabled()
    dialog.name.setText("Hội CTĐ xã Tấy")  # another tone: another commune
    assert dialog.add()
    assert dialog.list.count() == 2
    dialog.list.setCurrentRow(0)
    assert dialog.remove_selected(confirm=False)
    assert [a.name for a in upper_window.store.affiliates.list()] == ["Hội CTĐ xã Tấy"]
    dialog.accept()
    assert "0/1 Hội cơ sở đã gửi" in page.summary.text()


def test_a_chapters_register_hides_tong_hop(qtbot, chapter, tmp_path):
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    window = MainWindow(chapter, ui_settings=settings)
    qtbot.addWidget(window)
    row = [window.navigation.item(i).text() for i in range(window.navigation.count())].index(
        "Tổng hợp"
    )
    assert window.navigation.item(row).isHidden()
    assert window.current_page_name() == "dashboard"
    window.close()
    window.worker.wait_idle()


def test_the_first_run_wizard_can_make_an_upper_levels_database(qtbot, tmp_path):
    path = tmp_path / "huyen.db"
    wizard = FirstRunWizard(path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.chapter.chapter_name.setText("Hội Chữ thập đỏ huyện Sơn Tịnh")
    wizard.chapter.upper.setChecked(True)
    wizard.next()
    wizard.next()
    assert not wizard.file.demo.isEnabled()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.result() == QDialog.DialogCode.Accepted, timeout=30000)
    with Store.open(path) as store:
        assert ex.is_upper_level(store)
        assert store.people.count() == 0


def test_a_package_file_name_is_plain_ascii(chapter):
    from chapter_app.ui.dialogs.package import package_file_name

    assert package_file_name(chapter, "2026-Q3") == "hoi-ctd-xa-an-2026-Q3.ctdpkg"


def test_nothing_is_left_half_written_when_the_package_cannot_be_saved(
    qtbot, chapter, tmp_path, quiet
):
    from chapter_app.ui.dialogs.package import PackageDialog

    worker = Worker(chapter.path)
    dialog = PackageDialog(chapter, worker, "2026-Q3", "Quý III năm 2026")
    qtbot.addWidget(dialog)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    dialog.create(blocker / "goi.ctdpkg")  # its folder is a file
    qtbot.waitUntil(lambda: dialog.job is None and bool(quiet), timeout=20000)
    worker.wait_idle()
    worker.shutdown()
    assert dialog.info is None
    assert dialog.ok_button.isEnabled()  # the officer can choose another place
    assert list(tmp_path.glob("**/*.ctdpkg*")) == []
