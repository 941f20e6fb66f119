"""The user guide shipped with the program: Markdown sections per language, with pictures.

The guide lives in ``resources/guide/<lang>/NN-<key>.md`` (one file per task of the
officer, in the order of their numbers; the first ``# `` line is the section's title) and
its pictures in ``resources/guide/img/<lang>/`` (made from the demo register by
``chapter-app guide-pictures``). No Qt here: the window shows what this module reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from chapter_app.paths import resources_dir

GUIDE_LANGUAGES = ("vi", "en")

# The guide's section for each page of the main window (F1 opens it).
PAGE_SECTIONS = {
    "dashboard": "first-day",
    "organisation": "first-day",
    "members": "members",
    "volunteers": "members",
    "addresses": "addresses",
    "sponsors": "addresses",
    "aid": "aid",
    "activities": "activities",
    "donors": "activities",
    "reports": "report",
    "consolidation": "upper-level",
    "settings": "backups",
}
FIRST_SECTION = "first-day"

_PICTURE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
_FILE_NAME = re.compile(r"^\d+-(?P<key>[a-z-]+)\.md$")


@dataclass(frozen=True)
class GuideSection:
    """One section of the guide: its key (``members``), title and Markdown text."""

    key: str
    title: str
    markdown: str

    def pictures(self) -> list[str]:
        """The file names of the pictures the section shows, in order."""
        return _PICTURE.findall(self.markdown)


def guide_dir() -> Path:
    return resources_dir() / "guide"


def pictures_dir(language: str) -> Path:
    """Where the pictures of ``language``'s guide are (the text browser's search path)."""
    return guide_dir() / "img" / _language(language)


def _language(language: str) -> str:
    return language if language in GUIDE_LANGUAGES else GUIDE_LANGUAGES[0]


def load_guide(language: str) -> list[GuideSection]:
    """Every section of the guide in ``language`` (Vietnamese for an unknown language)."""
    folder = guide_dir() / _language(language)
    sections = []
    for path in sorted(folder.glob("*.md")):
        match = _FILE_NAME.match(path.name)
        if not match:
            continue
        text = path.read_text(encoding="utf-8")
        first = text.lstrip().splitlines()[0] if text.strip() else ""
        title = first.lstrip("#").strip() or match["key"]
        sections.append(GuideSection(key=match["key"], title=title, markdown=text))
    return sections


def section_for_page(page_name: str) -> str:
    """The key of the guide section that explains the page named ``page_name``."""
    return PAGE_SECTIONS.get(page_name, FIRST_SECTION)


def pictures_used() -> set[str]:
    """Every picture file name that the guide shows, in any language."""
    return {name for lang in GUIDE_LANGUAGES for s in load_guide(lang) for name in s.pictures()}
