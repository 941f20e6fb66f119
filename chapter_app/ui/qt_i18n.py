"""Qt's side of the languages: translators for Qt's own texts, locale, application font.

Qt ships no Vietnamese translation of its own buttons and menus (OK, Cancel, Yes, No,
Copy, Paste, the wizard's Next/Back). ``resources/translations/qtbase_vi.ts`` holds the
few we show; its compiled ``qtbase_vi.qm`` is committed (it is small and the program
loads it as is); ``tests/ui/test_languages.py`` recompiles the ``.ts`` with
``pyside6-lrelease`` and fails when the committed ``.qm`` is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication

from chapter_app import i18n
from chapter_app.paths import resources_dir

# Letters that a font must have to show Vietnamese (a few of the rarest stacked marks).
VIETNAMESE_PROBE = "ẮẳẵặỆễỗỡợỬữỹđĐ₫"
# Fonts tried, in order, when the default font lacks Vietnamese letters.
FALLBACK_FAMILIES = ("Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial")

_installed: list[QTranslator] = []


def qt_translations_dir() -> Path:
    return resources_dir() / "translations"


def qtbase_qm_path(language: str = "vi") -> Path:
    return qt_translations_dir() / f"qtbase_{language}.qm"


def locale_for(language: str) -> QLocale:
    if language == "vi":
        return QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def install_qt_translators(app: QCoreApplication, language: str) -> bool:
    """Replace the installed Qt translators with those of ``language``; True if one loaded."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(locale_for(language))
    path = qtbase_qm_path(language)
    if language == "en" or not path.exists():
        return False
    translator = QTranslator(app)
    if not translator.load(str(path)):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True


def apply_language(app: QCoreApplication, language: str) -> str:
    """Activate ``language`` for gettext and for Qt; returns the language actually used."""
    i18n.set_language(language)
    used = i18n.language()
    install_qt_translators(app, used)
    return used


def covers_vietnamese(font: QFont) -> bool:
    metrics = QFontMetrics(font)
    return all(metrics.inFontUcs4(ord(ch)) for ch in VIETNAMESE_PROBE)


def choose_font(app: QGuiApplication) -> QFont:
    """Keep the platform's font when it has every Vietnamese letter; otherwise pick one that has.

    (Windows' Segoe UI has them; a bare Linux or the offscreen platform may start on a font
    without them and show boxes.)
    """
    font = app.font()
    if covers_vietnamese(font):
        return font
    families = set(QFontDatabase.families())
    for family in FALLBACK_FAMILIES:
        if family in families:
            candidate = QFont(family, font.pointSize())
            if covers_vietnamese(candidate):
                app.setFont(candidate)
                return candidate
    return font


def style_arguments() -> list[str]:
    """What a new QApplication is given for the program's style (see ``setup_application``):
    set that way, the style is never asked for from Python, which costs ~8 ms of PySide
    types at start-up."""
    return ["-style", "Fusion"] if sys.platform.startswith("linux") else []


def setup_application(app: QApplication, *, styled: bool = False) -> None:
    """Font and style that every start of the program shares (GUI, tests, screenshots).

    ``styled``: the application was made with :func:`style_arguments`."""
    choose_font(app)
    if styled:
        return
    if sys.platform.startswith("linux") and app.style().name().lower() not in {"fusion"}:
        # The plain "windows" style that a bare Linux falls back to looks dated; Fusion is
        # Qt's portable style and renders the same under X11 and offscreen.
        app.setStyle("Fusion")
