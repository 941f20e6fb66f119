"""Keep the gettext catalogues in step with the code.

    .venv/bin/python tools/i18n.py            extract, update the catalogues, report
    .venv/bin/python tools/i18n.py --check    also exit 1 when English has gaps
    .venv/bin/python tools/i18n.py --list     print the untranslated English msgids

Extracts every ``_()`` / ``N_()`` string of ``chapter_app`` (see ``babel.cfg``), plus the
indicator labels and units of ``chapter_app.services.indicators`` (plain Vietnamese
strings translated where the reports page shows them), into ``i18n/chapter_app.pot``;
then updates ``i18n/en/LC_MESSAGES/chapter_app.po`` and ``i18n/vi/...`` (Vietnamese is
the source language: its msgstr stay empty, which means "as written"). No ``.mo`` file
is written: the program compiles the ``.po`` in memory when it starts in English.
"""

from __future__ import annotations

import argparse
import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DOMAIN = "chapter_app"
I18N = ROOT / "i18n"
POT = I18N / f"{DOMAIN}.pot"
LANGUAGES = ("vi", "en")
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "_": None}


def po_path(language: str) -> Path:
    return I18N / language / "LC_MESSAGES" / f"{DOMAIN}.po"


# Contexts (pgettext) of the indicator table's labels and units as the reports page shows them.
INDICATOR_CONTEXT = "indicator"
UNIT_CONTEXT = "unit"


def extra_messages() -> list[tuple[str, str, str | None]]:
    """(msgid, where, context) for strings that are data in services but shown translated
    in the UI (``chapter_app/ui/pages/reports.py``)."""
    from chapter_app.services import indicators

    where = "chapter_app/services/indicators.py"
    found: list[tuple[str, str, str | None]] = []
    for _key, label, unit in indicators.INDICATORS:
        found += [(label, where, INDICATOR_CONTEXT), (unit, where, UNIT_CONTEXT)]
    found += [(indicators.NO_CAMPAIGN, where, None), (indicators.NO_AREA, where, None)]
    return found


def extract() -> Catalog:
    """The template: every message of the program with where it is used (no line numbers)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog(project="chapter_app", domain=DOMAIN, charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        if not isinstance(message, str) or not message:
            continue  # plural forms are not used
        catalog.add(
            message,
            None,
            [(filename.replace("\\", "/"), lineno)],
            auto_comments=comments,
            context=context,
        )
    for message, where, context in extra_messages():
        if message:
            catalog.add(message, None, [(where, 0)], context=context)
    return catalog


def _write(catalog: Catalog, path: Path) -> bool:
    """Write ``catalog`` to ``path`` if its text changed; True when written."""
    buffer = BytesIO()
    write_po(
        buffer,
        catalog,
        width=100,
        omit_header=False,
        sort_output=True,
        ignore_obsolete=True,
        include_lineno=False,
    )
    data = buffer.getvalue()
    # The creation date in the header changes on every run: keep the old file if only it did.
    if path.exists() and _without_dates(path.read_bytes()) == _without_dates(data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _without_dates(data: bytes) -> bytes:
    return b"\n".join(
        line
        for line in data.splitlines()
        if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date'))
    )


def update(template: Catalog) -> dict[str, Catalog]:
    """Bring each language's catalogue in line with ``template`` (obsolete entries dropped)."""
    catalogs = {}
    for language in LANGUAGES:
        path = po_path(language)
        if path.exists():
            with path.open("rb") as po:
                catalog = read_po(po, locale=language, domain=DOMAIN)
        else:
            catalog = Catalog(locale=language, domain=DOMAIN, project="chapter_app", fuzzy=False)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.fuzzy = False
        _write(catalog, path)
        catalogs[language] = catalog
    return catalogs


def untranslated(catalog: Catalog) -> list[str]:
    """msgids without a translation (or marked fuzzy)."""
    return [
        message.id for message in catalog if message.id and (not message.string or message.fuzzy)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if English has gaps")
    parser.add_argument("--list", action="store_true", help="print untranslated msgids")
    args = parser.parse_args(argv)

    template = extract()
    _write(template, POT)
    catalogs = update(template)
    missing = untranslated(catalogs["en"])
    print(f"{len(template)} messages; English: {len(missing)} untranslated or fuzzy.")
    if args.list:
        for message in missing:
            print(repr(message))
    return 1 if (args.check and missing) else 0


if __name__ == "__main__":
    raise SystemExit(main())
