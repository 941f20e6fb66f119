"""Translations (gettext) and Vietnamese/English formatting of numbers, money and dates (Babel).

No Qt here. ``_`` translates at the point of use; ``N_`` marks module-level strings.
"""

from __future__ import annotations

import gettext
from datetime import date

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal

from chapter_app.paths import i18n_dir

DOMAIN = "chapter_app"
LANGUAGES = ("vi", "en")
_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "vi"


def N_(message: str) -> str:
    """Mark a string for translation; it is translated where it is shown."""
    return message


def _(message: str) -> str:
    """Translate ``message`` (written in Vietnamese) into the active language."""
    return _translation.gettext(message)


def set_language(language: str) -> None:
    """Activate ``vi`` (the source language) or ``en``; unknown languages fall back to vi."""
    global _translation, _language
    _language = language if language in LANGUAGES else "vi"
    if _language == "vi":
        _translation = gettext.NullTranslations()
        return
    _translation = gettext.translation(
        DOMAIN, localedir=str(i18n_dir()), languages=[_language], fallback=True
    )


def language() -> str:
    return _language


def _locale() -> str:
    return "vi_VN" if _language == "vi" else "en_US"


def format_number(value: int | float) -> str:
    """``1234567`` -> ``1.234.567`` (Vietnamese) or ``1,234,567`` (English)."""
    return format_decimal(value, locale=_locale())


def format_money(value: int) -> str:
    """Whole đồng: ``485.000.000 đ``."""
    return f"{format_number(int(value))} đ"


def format_date(value: date | None) -> str:
    """``dd/mm/yyyy`` in both languages (the administrative form); empty for None."""
    if value is None:
        return ""
    return babel_format_date(value, "dd/MM/yyyy", locale=_locale())
