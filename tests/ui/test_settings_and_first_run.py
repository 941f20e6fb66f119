"""The settings form and the first-run wizard."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QWizard

from chapter_app.store.repository import Query
from chapter_app.store.store import Store
from chapter_app.ui.first_run import FirstRunWizard
from chapter_app.ui.qt_i18n import apply_language
from chapter_app.ui.settings_dialog import SettingsDialog, SettingsPanel


@pytest.fixture(autouse=True)
def vietnamese(qapp):
    apply_language(qapp, "vi")


def test_the_settings_form_saves_every_setting(qtbot, store):
    panel = SettingsPanel(store)
    qtbot.addWidget(panel)
    panel.chapter_name.setText("  Hội Chữ thập đỏ   phường Trần Phú ")
    panel.parent_name.setText("Hội Chữ thập đỏ tỉnh Quảng Ngãi")
    panel.place_name.setText("Trần Phú")
    panel.document_code.setText("CTĐ")
    panel.signing_form.setCurrentText("KT. CHỦ TỊCH")
    panel.signer_title.setCurrentText("PHÓ CHỦ TỊCH")
    panel.signer_name.setText("Lê Thị Hồng")
    panel.recipients.setPlainText("Hội CTĐ tỉnh Quảng Ngãi\n\nĐảng ủy phường\nUBND phường\n")
    panel.archive_line.setText("Lưu: VT, CTĐ.")
    panel.dues.setText("2.000")
    panel.exempt.setValue(8)
    panel.member_age.setValue(18)
    panel.volunteer_age.setValue(16)
    panel.youth_min.setValue(15)
    panel.youth_max.setValue(30)
    panel.backups_dir.setText("/srv/sao-luu")
    assert panel.save()
    values = store.settings.all()
    assert values["chapter_name"] == "Hội Chữ thập đỏ phường Trần Phú"
    assert values["signing_form"] == "KT. CHỦ TỊCH"
    assert values["signer_title"] == "PHÓ CHỦ TỊCH"
    assert values["recipients"] == ["Hội CTĐ tỉnh Quảng Ngãi", "Đảng ủy phường", "UBND phường"]
    assert values["dues_per_month"] == 2000
    assert values["dues_exempt_max_percent"] == 8
    assert values["volunteer_min_age"] == 16
    assert (values["youth_min_age"], values["youth_max_age"]) == (15, 30)
    assert values["backups_dir"] == "/srv/sao-luu"
    assert values["language"] == "vi"


def test_bad_values_are_shown_at_their_fields_and_nothing_is_saved(qtbot, store):
    before = store.settings.all()
    panel = SettingsPanel(store)
    qtbot.addWidget(panel)
    panel.show()
    panel.chapter_name.setText("   ")
    panel.dues.setText("một nghìn")
    panel.youth_min.setValue(40)
    panel.youth_max.setValue(30)
    panel.place_name.setText("Nơi khác")
    assert not panel.save()
    assert panel.chapter_error.isVisible() and "tên Hội" in panel.chapter_error.text()
    assert "một nghìn" in panel.dues_error.text()
    assert panel.ages_error.text()
    assert store.settings.all() == before


def test_the_settings_dialog_saves_and_reports_a_language_change(qtbot, store):
    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    dialog.panel.language.setCurrentIndex(dialog.panel.language.findData("en"))
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert store.settings.get("language") == "en"
    assert dialog.language_changed


def _walk(qtbot, wizard, *, name: str, demo: bool):
    wizard.show()
    assert wizard.currentPage() is wizard.intro
    wizard.next()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # name required
    wizard.chapter.chapter_name.setText(name)
    wizard.chapter.parent_name.setText("Hội Chữ thập đỏ tỉnh Quảng Ngãi")
    wizard.chapter.place_name.setText("Tịnh Kỳ")
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    wizard.signer.signer_name.setText("Nguyễn Văn Hùng")
    wizard.next()
    assert wizard.currentPage() is wizard.organisation  # left empty: the Excel import
    wizard.next()
    assert wizard.currentPage() is wizard.file
    wizard.file.demo.setChecked(demo)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.result() == QDialog.DialogCode.Accepted, timeout=30000)


def test_the_first_run_wizard_creates_the_database(qtbot, tmp_path):
    path = tmp_path / "new" / "chapter.db"
    wizard = FirstRunWizard(path)
    qtbot.addWidget(wizard)
    _walk(qtbot, wizard, name="Hội Chữ thập đỏ xã Tịnh Kỳ", demo=False)
    assert wizard.db_path == path and path.exists()
    with Store.open(path) as store:
        settings = store.settings.all()
        assert settings["chapter_name"] == "Hội Chữ thập đỏ xã Tịnh Kỳ"
        assert settings["place_name"] == "Tịnh Kỳ"
        assert settings["signer_name"] == "Nguyễn Văn Hùng"
        assert settings["signing_form"] == "TM. BAN THƯỜNG VỤ"
        assert store.campaigns.count(Query()) > 0  # reference lists are there
        assert store.people.count(Query()) == 0


def test_the_first_run_wizard_can_load_demo_data(qtbot, tmp_path):
    path = tmp_path / "thu.db"
    wizard = FirstRunWizard(path)
    qtbot.addWidget(wizard)
    _walk(qtbot, wizard, name="Hội Chữ thập đỏ xã Dùng Thử", demo=True)
    with Store.open(path) as store:
        assert store.settings.get("chapter_name") == "Hội Chữ thập đỏ xã Dùng Thử"
        assert store.members.count(Query()) > 0


def test_the_wizard_refuses_to_overwrite_an_existing_file(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    path = tmp_path / "co-roi.db"
    path.write_bytes(b"not empty")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    wizard = FirstRunWizard(path)
    qtbot.addWidget(wizard)
    assert not wizard.file.validatePage()
    assert "không ghi đè" in warnings[0]
    assert path.read_bytes() == b"not empty"
