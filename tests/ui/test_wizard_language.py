"""The first-run wizard offers the language on its first page; the register keeps it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from chapter_app import i18n
from chapter_app.store.store import Store
from chapter_app.ui.first_run import FirstRunWizard, create_database
from chapter_app.ui.qt_i18n import apply_language


@pytest.fixture(autouse=True)
def vietnamese_after(qapp):
    apply_language(qapp, "vi")
    yield
    apply_language(qapp, "vi")


def test_choosing_english_on_the_first_page_reopens_the_wizard_in_english(qtbot, tmp_path):
    wizard = FirstRunWizard(tmp_path / "chapter.db")
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.currentPage() is wizard.intro
    combo = wizard.intro.findChild(QComboBox, "language")
    assert [combo.itemText(i) for i in range(combo.count())] == ["Tiếng Việt", "English"]
    assert combo.currentData() == "vi"

    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the officer picks English

    assert wizard.result() == FirstRunWizard.LANGUAGE_CHANGED
    assert i18n.language() == "en"
    again = FirstRunWizard(tmp_path / "chapter.db")
    qtbot.addWidget(again)
    assert again.intro.title() == "Welcome"
    assert again.intro.findChild(QComboBox, "language").currentData() == "en"


def test_the_register_created_in_english_opens_in_english(tmp_path):
    path = tmp_path / "chapter.db"
    create_database(
        path,
        chapter_name="Hội Chữ thập đỏ xã Tịnh Kỳ",
        parent_name="",
        place_name="",
        signing_form="",
        signer_title="",
        signer_name="",
        demo=False,
        language="en",
    )
    with Store.open(path) as store:
        assert store.settings.get("language") == "en"
