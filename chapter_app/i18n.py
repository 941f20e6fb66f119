"""Translations (gettext) and Vietnamese/English formatting of numbers, money and dates (Babel).

No Qt here. ``_`` translates at the point of use; ``N_`` marks module-level strings.

Vietnamese is the source language: every ``msgid`` is the Vietnamese text, so the
program needs no catalogue for ``vi``. Other languages are read at run time straight
from ``i18n/<lang>/LC_MESSAGES/chapter_app.po`` (parsed with Babel and compiled into an
in-memory ``.mo``), so no generated ``.mo`` file is ever committed or needed.
"""

from __future__ import annotations

import gettext
from datetime import date
from io import BytesIO
from pathlib import Path

from chapter_app.paths import i18n_dir

DOMAIN = "chapter_app"
LANGUAGES = ("vi", "en")
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}  # each in its own language
_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "vi"


def N_(message: str) -> str:
    """Mark a string for translation; it is translated where it is shown."""
    return message


def _(message: str) -> str:
    """Translate ``message`` (written in Vietnamese) into the active language."""
    return _translation.gettext(message)


def pgettext(context: str, message: str) -> str:
    """Translate ``message`` as used in ``context`` (the same Vietnamese can need two
    English words: "người" is "person" in a form and "people" as a unit of count)."""
    return _translation.pgettext(context, message)


def catalogue_path(language: str) -> Path:
    """The ``.po`` file of ``language``."""
    return i18n_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(language: str) -> gettext.NullTranslations:
    """The translations of ``language`` read from its ``.po`` file (fuzzy entries are skipped).

    A missing catalogue gives the identity (the Vietnamese source text).
    """
    path = catalogue_path(language)
    if language == "vi" or not path.exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def set_language(language: str) -> None:
    """Activate ``vi`` (the source language) or ``en``; unknown languages fall back to vi."""
    global _translation, _language
    _language = language if language in LANGUAGES else "vi"
    _translation = load_translations(_language)


def language() -> str:
    return _language


def _locale() -> str:
    return "vi_VN" if _language == "vi" else "en_US"


def format_number(value: int | float) -> str:
    """``1234567`` -> ``1.234.567`` (Vietnamese) or ``1,234,567`` (English)."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale())


def format_money(value: int) -> str:
    """Whole đồng: ``485.000.000 đ``."""
    return f"{format_number(int(value))} đ"


def format_date(value: date | None) -> str:
    """``dd/mm/yyyy`` in both languages (the administrative form); empty for None."""
    if value is None:
        return ""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, "dd/MM/yyyy", locale=_locale())
