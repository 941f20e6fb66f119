"""The gettext catalogues: English complete for what the desktop program shows."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from chapter_app import i18n

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _tools_i18n():
    spec = importlib.util.spec_from_file_location("tools_i18n", ROOT / "tools" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("tools_i18n", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def template():
    """Every message extracted from the code right now (not the committed .pot)."""
    return _tools_i18n().extract()


@pytest.fixture(scope="module")
def english():
    with i18n.catalogue_path("en").open("rb") as po:
        return read_po(po, locale="en")


def _untranslated(english, message) -> bool:
    found = english.get(message.id, context=message.context)
    return found is None or not found.string or found.fuzzy


def test_every_string_of_the_desktop_program_has_an_english_translation(template, english):
    shown_by_ui = [
        message
        for message in template
        if message.id
        and any(
            path.startswith(("chapter_app/ui/", "chapter_app/services/indicators.py"))
            for path, _line in message.locations
        )
    ]
    assert len(shown_by_ui) > 300
    missing = [(m.context, m.id) for m in shown_by_ui if _untranslated(english, m)]
    assert missing == [], "run: .venv/bin/python tools/i18n.py --list, then translate"


def test_every_string_of_the_program_has_an_english_translation(template, english):
    missing = [(m.context, m.id) for m in template if m.id and _untranslated(english, m)]
    assert missing == []


def test_translations_keep_the_placeholders_of_the_source(english):
    wrong = [
        (message.id, message.string)
        for message in english
        if message.id
        and message.string
        and sorted(PLACEHOLDER.findall(message.id)) != sorted(PLACEHOLDER.findall(message.string))
    ]
    assert wrong == []


def test_the_vietnamese_catalogue_is_the_source_itself():
    with i18n.catalogue_path("vi").open("rb") as po:
        vietnamese = read_po(po, locale="vi")
    assert len(vietnamese) > 100
    assert all(not message.string for message in vietnamese if message.id)


def test_english_is_loaded_from_the_po_at_run_time():
    try:
        i18n.set_language("en")
        assert i18n.language() == "en"
        assert i18n._("Hội viên") == "Members"
        assert i18n._("Chưa nhập {label}.").format(label="x") == "Please enter the x."
        assert i18n.format_money(485000000) == "485,000,000 đ"
    finally:
        i18n.set_language("vi")
    assert i18n._("Hội viên") == "Hội viên"
    assert i18n.format_money(485000000) == "485.000.000 đ"
