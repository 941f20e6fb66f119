"""The safety-net dialogs: backup, restore, data check, start-up remedies, password, audit."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from PySide6.QtWidgets import QCheckBox, QInputDialog, QMessageBox

from chapter_app.services.backups import backups_dir, create_backup, list_backups
from chapter_app.services.privacy import set_program_password
from chapter_app.store.store import Store
from chapter_app.ui.dialogs import safety
from chapter_app.ui.dialogs.audit import AuditDialog
from chapter_app.ui.main_window import MainWindow
from chapter_app.ui.worker import Worker


@pytest.fixture
def quiet(monkeypatch):
    shown = []
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(
            QMessageBox, name, staticmethod(lambda *a, _n=name, **k: shown.append((_n, a[2])))
        )
    return shown


def test_backup_now_creates_a_file_and_says_where(qapp, store, quiet):
    class W:
        pass

    window = W()
    window.store = store
    path = safety.backup_now(window)
    assert path is not None and path.exists()
    assert quiet[-1][0] == "information" and str(path) in quiet[-1][1]


def test_the_restore_dialog_lists_backups_and_restoring_brings_back_a_member(qtbot, store, db_path):
    person = store.people.add(full_name="Nguyễn Văn An")
    store.members.add(person_id=person.id, branch_id=None, admitted_on=date(2020, 1, 1))
    create_backup(store, reason="manual")
    store.people.delete(person.id)
    backups = list_backups(backups_dir(store), db_path=store.path)
    dialog = safety.RestoreDialog(backups)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(backups) >= 1
    assert dialog.table.item(0, 0).text().count("/") == 2  # dd/MM/yyyy HH:mm
    assert dialog.table.item(0, 3).text() == "1"  # members
    safety.restore_into(store, dialog.selected().path)
    with Store.open(db_path, user="tester") as again:
        assert [p.full_name for p in again.people.list()] == ["Nguyễn Văn An"]


def test_the_check_dialog_lists_a_seeded_problem_and_repairs_it(qtbot, store, quiet):
    gone = store.people.add(full_name="Người Đã Xóa")
    store.members.add(person_id=gone.id, branch_id=None, admitted_on=date(2020, 1, 1))
    store.people.delete(gone.id)
    worker = Worker(store.path)
    dialog = safety.CheckDialog(store, worker)
    qtbot.addWidget(dialog)
    assert worker.wait_idle()
    assert dialog.list.count() >= 1
    assert dialog.repair_button.isEnabled()
    dialog.repair()
    assert worker.wait_idle()
    assert dialog.list.count() == 0
    worker.shutdown()


def test_a_register_in_use_can_be_opened_read_only(qapp, store, db_path, monkeypatch):
    def click(box):
        (button,) = [b for b in box.buttons() if b.text() == "Mở chỉ để xem"]
        button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click)
    opened = safety.start_register(db_path)  # ``store`` holds the lock
    assert opened is not None and opened.read_only
    opened.close()


def test_a_register_in_use_stays_closed_when_the_officer_closes(qapp, store, db_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "exec", lambda box: box.buttons()[-1].click() or 0)
    assert safety.start_register(db_path) is None


def test_a_wrong_password_is_refused_three_times_and_a_restart_must_wait(
    qapp, store, db_path, monkeypatch, quiet
):
    set_program_password(store, "bí mật 1")
    store.close()
    typed = iter(["sai", "sai nữa", "vẫn sai"])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (next(typed), True)))
    assert safety.start_register(db_path) is None
    assert quiet[-1][0] == "warning"
    # a restart does not give three fresh tries: even the right password waits
    right = iter(["bí mật 1"])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (next(right), True)))
    assert safety.start_register(db_path) is None
    assert "hãy đợi" in quiet[-1][1]
    with sqlite3.connect(db_path) as conn:  # the wait is over
        conn.execute("UPDATE password_throttle SET last_failure_at = '2020-01-01T00:00:00+00:00'")
    right = iter(["bí mật 1"])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (next(right), True)))
    opened = safety.start_register(db_path)
    assert opened is not None and opened.session_password == "bí mật 1"
    opened.close()


def test_the_audit_viewer_shows_entries_and_filters_by_action(qtbot, store):
    store.people.add(full_name="Trần Thị Bình")
    create_backup(store, reason="manual")
    dialog = AuditDialog(store)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() >= 2
    index = dialog.action.findData("backup")
    dialog.action.setCurrentIndex(index)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 2).text() == "Sao lưu"


def test_the_audit_viewer_shows_the_run_of_rows_an_import_added(qtbot, store):
    with store.operation("Nhập hội viên từ tệp ds.xlsx"):
        writer = store.exchange.writer()
        ids = [writer.add(store.people, {"full_name": f"Lê Văn An {n}"}) for n in range(3)]
        writer.flush()
    dialog = AuditDialog(store)
    qtbot.addWidget(dialog)
    texts = [dialog.table.item(row, 4).text() for row in range(dialog.table.rowCount())]
    assert f"Người #{ids[0]}–{ids[-1]}" in texts


def test_the_window_has_the_safety_menus(qtbot, store, tmp_path):
    from PySide6.QtCore import QSettings

    window = MainWindow(
        store, ui_settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&Tệp", "&Sửa", "&Xem", "&Công cụ", "&Hướng dẫn"]
    assert set(window.safety_actions) >= {"backup_now", "restore_backup", "check_data"}
    assert window.backup_timer.isActive()
    store.people.add(full_name="Lê Văn Cường")
    window.close()  # backs up what changed
    assert any(b.reason == "close" for b in list_backups(backups_dir(store), db_path=store.path))


def test_the_check_dialog_shows_advice_as_a_to_do_list_on_a_sound_file(qtbot, store, quiet):
    from PySide6.QtCore import Qt

    for _ in range(2):
        store.people.add(full_name="Trần Thị Bình", birth_year=1975)
    worker = Worker(store.path)
    dialog = safety.CheckDialog(store, worker)
    qtbot.addWidget(dialog)
    assert worker.wait_idle()
    assert "Tệp dữ liệu toàn vẹn" in dialog.status.text()
    item = dialog.list.item(0)
    assert "Có thể trùng người" in item.text()
    assert item.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert item.checkState() == Qt.CheckState.Unchecked
    worker.shutdown()


def test_the_settings_turn_locked_automatic_backups_off_and_on(qtbot, store):
    from chapter_app.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    box = dialog.panel.findChild(QCheckBox, "backup_encrypt")
    assert box.isChecked()  # on by default
    box.setChecked(False)
    dialog.accept()
    assert store.settings.get("backup_encrypt") is False
    again = SettingsDialog(store)
    qtbot.addWidget(again)
    assert not again.panel.backup_encrypt.isChecked()


def test_an_export_from_a_file_that_cannot_be_written_is_refused_before_any_file(
    qapp, tmp_path, monkeypatch, quiet
):
    import subprocess

    from PySide6.QtWidgets import QFileDialog

    from chapter_app.services.setup import init_database
    from chapter_app.ui.dialogs import excel

    folder = tmp_path / "cd"
    folder.mkdir()
    with init_database(folder / "xa.db", chapter_name="Hội CTĐ xã Thử", user="t") as made:
        made.people.add(full_name="Nguyễn Văn An")
    asked = []
    monkeypatch.setattr(excel, "_choose_kind", lambda *a: "people")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(1) or ("", ""))
    paths = [str(p) for p in (*folder.iterdir(), folder)]
    subprocess.run(["chattr", "+i", *paths], check=True)
    try:
        viewer = Store.open(folder / "xa.db", user="t", read_only=True)

        class W:
            store = viewer

            def current_page_name(self):
                return ""

        assert excel.export_to_excel(W()) is None
        viewer.close()
    finally:
        subprocess.run(["chattr", "-i", *paths], check=True)
    assert asked == []  # not even asked where to write
    assert quiet[-1][0] == "warning" and "chỉ cho đọc" in quiet[-1][1]


def test_an_older_locked_register_asks_the_password_once_and_its_upgrade_backup_is_locked(
    qapp, tmp_path, monkeypatch, quiet
):
    from chapter_app.services.backups import is_protected_file
    from tests.services.test_upgrade_backup import PASSWORD, _old_register

    path = _old_register(tmp_path, password=PASSWORD)
    asked = []
    typed = iter(["sai", PASSWORD])

    def get_text(*args, **kwargs):
        asked.append(args[2])
        return next(typed), True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    opened = safety.start_register(path)
    assert opened is not None and opened.session_password == PASSWORD
    opened.close()
    assert len(asked) == 2 and "nâng cấp" in asked[0] and "không đúng" in asked[1]
    (backup,) = (tmp_path / "backups").iterdir()
    assert backup.name.endswith("-migrate.ctdbak") and is_protected_file(backup)
