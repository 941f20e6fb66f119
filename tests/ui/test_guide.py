"""The user guide inside the program: F1 opens the section about the current page."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from chapter_app.services.guide import (
    GUIDE_LANGUAGES,
    PAGE_SECTIONS,
    load_guide,
    pictures_dir,
    section_for_page,
)
from chapter_app.services.setup import init_database
from chapter_app.ui.main_window import PAGE_NAMES, MainWindow
from chapter_app.ui.qt_i18n import apply_language


@pytest.fixture
def window(qtbot, qapp, tmp_path):
    store = init_database(tmp_path / "blank.db", chapter_name="Hội Chữ thập đỏ xã Thử")
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    w = MainWindow(store, ui_settings=settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    store.close()
    apply_language(qapp, "vi")


def test_every_language_has_the_same_sections_with_a_title_and_text():
    keys = {lang: [s.key for s in load_guide(lang)] for lang in GUIDE_LANGUAGES}
    assert len(keys["vi"]) >= 9
    assert keys["en"] == keys["vi"]
    for lang in GUIDE_LANGUAGES:
        for section in load_guide(lang):
            assert section.title and len(section.markdown) > 300, (lang, section.key)


def test_every_picture_the_guide_shows_is_there():
    for lang in GUIDE_LANGUAGES:
        for section in load_guide(lang):
            for name in section.pictures():
                image = QImage(str(pictures_dir(lang) / name))
                assert not image.isNull(), (lang, section.key, name)


def test_every_page_of_the_window_has_a_section_of_the_guide():
    keys = {s.key for s in load_guide("vi")}
    assert set(PAGE_NAMES) <= set(PAGE_SECTIONS)
    assert {section_for_page(name) for name in PAGE_NAMES} <= keys


@pytest.mark.parametrize("language", GUIDE_LANGUAGES)
def test_f1_opens_the_guide_at_the_section_of_every_page(window, qapp, language):
    apply_language(qapp, language)
    window._guide = None  # the guide is built in the language active when it opens
    titles = {s.key: s.title for s in load_guide(language)}
    for name in PAGE_NAMES:
        if not window.page_actions[name].isVisible():
            continue
        window.show_page(name)
        QTest.keyClick(window, Qt.Key.Key_F1)
        guide = window._guide
        assert guide is not None and guide.isVisible()
        expected = section_for_page(name)
        assert guide.current_key() == expected, name
        shown = guide.text.toPlainText()
        assert shown.startswith(titles[expected]), (name, shown[:60])
    assert guide.windowTitle() == ("Hướng dẫn sử dụng" if language == "vi" else "User guide")


def test_the_guide_fits_a_laptop_screen_at_125_percent(window):
    window.open_guide()
    size = window._guide.frameGeometry()
    area = window._guide.screen().availableGeometry()
    assert size.width() <= area.width() and size.height() <= area.height()
    assert size.width() <= 1093 and size.height() <= 800


def test_the_guide_pictures_command_remakes_every_picture(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run(
        [sys.executable, "-m", "chapter_app", "guide-pictures", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for lang in GUIDE_LANGUAGES:
        wanted = {name for s in load_guide(lang) for name in s.pictures()}
        made = {path.name for path in (tmp_path / lang).glob("*.png")}
        assert wanted and wanted == made
        image = QImage(str(tmp_path / lang / "page-members.png"))
        assert (image.width(), image.height()) == (1093, 614)
