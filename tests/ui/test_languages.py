"""Vietnamese by default (Qt's own buttons too), English complete after a switch."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QMessageBox, QWizard

from chapter_app import i18n
from chapter_app.ui.qt_i18n import apply_language, qtbase_qm_path

LRELEASE = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "pyside6-lrelease"


@pytest.fixture(autouse=True)
def back_to_vietnamese(qapp):
    yield
    apply_language(qapp, "vi")


def _plain(text: str) -> str:
    return text.replace("&", "")


def test_qt_buttons_speak_vietnamese(qapp):
    apply_language(qapp, "vi")
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Xác nhận",
        "Xóa?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    assert _plain(box.button(QMessageBox.StandardButton.Yes).text()) == "Có"
    assert _plain(box.button(QMessageBox.StandardButton.No).text()) == "Không"
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Save
        | QDialogButtonBox.StandardButton.Close
        | QDialogButtonBox.StandardButton.Apply
    )
    texts = {_plain(b.text()) for b in buttons.buttons()}
    assert texts == {"Đồng ý", "Hủy", "Lưu", "Đóng", "Áp dụng"}
    wizard = QWizard()
    wizard.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
    assert _plain(wizard.buttonText(QWizard.WizardButton.NextButton)) == "Tiếp >"
    assert _plain(wizard.buttonText(QWizard.WizardButton.BackButton)) == "< Quay lại"
    assert _plain(wizard.buttonText(QWizard.WizardButton.FinishButton)) == "Hoàn tất"
    edit = QLineEdit()
    menu = edit.createStandardContextMenu()
    items = [_plain(a.text()).split("\t")[0] for a in menu.actions() if a.text()]
    assert items == ["Hoàn tác", "Làm lại", "Cắt", "Sao chép", "Dán", "Xóa", "Chọn tất cả"]


def test_english_mode_keeps_qt_in_english_and_translates_the_program(qapp):
    apply_language(qapp, "en")
    box = QMessageBox(QMessageBox.Icon.Question, "t", "x", QMessageBox.StandardButton.Yes)
    assert _plain(box.button(QMessageBox.StandardButton.Yes).text()) == "Yes"
    assert i18n._("Hội viên") == "Members"
    assert i18n.format_number(1234567) == "1,234,567"
    apply_language(qapp, "vi")
    assert i18n._("Hội viên") == "Hội viên"
    assert i18n.format_number(1234567) == "1.234.567"


def test_the_english_catalogue_is_read_from_the_po_file_without_any_mo(qapp):
    assert not list(i18n.catalogue_path("en").parent.glob("*.mo"))
    assert i18n.load_translations("en").gettext("Tổng quan") == "Overview"
    i18n.set_language("xx")
    assert i18n.language() == "vi"


def test_the_committed_qtbase_vi_qm_is_compiled_from_the_ts(tmp_path):
    """resources/translations/qtbase_vi.qm is committed; it must match its .ts source."""
    source = qtbase_qm_path("vi").with_suffix(".ts")
    lrelease = str(LRELEASE) if LRELEASE.exists() else shutil.which("pyside6-lrelease")
    assert lrelease, "pyside6-lrelease (PySide6) is needed to check the compiled translation"
    fresh = tmp_path / "qtbase_vi.qm"
    subprocess.run([lrelease, str(source), "-qm", str(fresh)], check=True, capture_output=True)
    assert fresh.read_bytes() == qtbase_qm_path("vi").read_bytes(), (
        "qtbase_vi.qm is stale: run pyside6-lrelease resources/translations/qtbase_vi.ts "
        "-qm resources/translations/qtbase_vi.qm"
    )
