"""The chapters an upper level expects packages from (``store.affiliates``, issue 5).

Officers of the upper level list their chapters by name; a chapter's first package links
its entry (by the name, case and spacing aside) to the identity the chapter's packages carry, and a
package from a chapter not listed adds it. Consolidation then names every listed chapter
that has not sent the period.
"""

from __future__ import annotations

from chapter_app.domain import models as m
from chapter_app.domain.text import nfc
from chapter_app.errors import AppError
from chapter_app.store.repository import Repository


def checked_name(name: str | None) -> str:
    """A chapter's name as listed (spaces tidied, NFC); AppError when empty or too long."""
    name = " ".join(nfc(name or "").split())
    if not name or not name.isprintable():
        raise AppError("Chưa nhập tên Hội cơ sở." if not name else "Tên Hội cơ sở có ký tự lạ.")
    if len(name) > 200:
        raise AppError("Tên Hội cơ sở dài quá 200 ký tự.")
    return name


def _name_key(name: str) -> str:
    return " ".join(nfc(name).casefold().split())


class AffiliatesRepository(Repository[m.Affiliate]):
    table = "affiliates"
    model = m.Affiliate
    noun = "Hội cơ sở trực thuộc"
    default_order = "t.name COLLATE vi"
    search_columns = ("name",)

    def by_name(self, name: str) -> m.Affiliate | None:
        """The listed chapter of the same name but for case and spacing, if any (tones count:
        "xã An" and "xã Ân" are two communes)."""
        wanted = _name_key(name)
        return next((a for a in self.list() if _name_key(a.name) == wanted), None)

    def by_chapter(self, chapter_uuid: str) -> m.Affiliate | None:
        return next((a for a in self.list() if a.chapter_uuid == chapter_uuid), None)

    def add_name(self, name: str, *, notes: str | None = None) -> m.Affiliate:
        """List a chapter by name; refused when it is empty or already listed."""
        name = checked_name(name)
        if self.by_name(name) is not None:
            raise AppError(f"«{name}» đã có trong danh sách Hội cơ sở trực thuộc.")
        return self.add(name=name, notes=notes)

    def note_sender(self, chapter_uuid: str, name: str) -> m.Affiliate:
        """The entry of the chapter that sent a package: linked by identity, else by name
        (an entry not yet linked), else added. Its name follows the newest package."""
        with self.ops.run(f"Ghi nhận {self.noun} {name}"):
            found = self.by_chapter(chapter_uuid)
            if found is None:
                named = self.by_name(name)
                if named is not None and named.chapter_uuid is None:
                    return self.update(named.id, chapter_uuid=chapter_uuid, name=name)
                return self.add(name=name, chapter_uuid=chapter_uuid)
            if found.name != name:
                return self.update(found.id, name=name)
            return found
