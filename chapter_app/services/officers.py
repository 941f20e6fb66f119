"""The chapter's officers (chairman, vice chairmen, standing committee) and the report's signer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from chapter_app.domain import models as m
from chapter_app.domain.organisation import OFFICER_TITLES
from chapter_app.domain.text import clean_text, fold
from chapter_app.errors import AppError
from chapter_app.i18n import _
from chapter_app.store.store import Store


class OfficerError(AppError):
    """An officer change refused."""


@dataclass(frozen=True)
class OfficerRow:
    officer: m.Officer
    full_name: str

    @property
    def title(self) -> str:
        return self.officer.title


class Signer(NamedTuple):
    """The report's signature block: "TM. BAN THƯỜNG VỤ" / "CHỦ TỊCH" / the name."""

    form: str
    title: str
    name: str


_TITLE_ORDER = {title: i for i, title in enumerate(OFFICER_TITLES)}


def person_named(store: Store, full_name: str) -> int:
    """The id of the one person on file with this name (tones and case ignored), else of a
    new person with it; call inside an operation."""
    name = clean_text(full_name)
    found = [p for p in store.people.search(name, limit=50) if fold(p.full_name) == fold(name)]
    if len(found) == 1:
        return found[0].id
    return store.people.add(full_name=name).id


def set_officer(
    store: Store,
    *,
    title: str,
    person_id: int | None = None,
    full_name: str | None = None,
    from_on: date | None = None,
    to_on: date | None = None,
    officer_id: int | None = None,
) -> m.Officer:
    """Add an officer (or change ``officer_id``): a person on file, or a new person named
    ``full_name``; ``to_on`` ends the term."""
    if title not in OFFICER_TITLES:
        raise OfficerError(
            _("Chức vụ «{title}» không có; chọn một trong: {choices}.").format(
                title=title, choices=", ".join(OFFICER_TITLES)
            )
        )
    if from_on and to_on and to_on < from_on:
        raise OfficerError(_("Ngày thôi giữ chức trước ngày bắt đầu."))
    name = clean_text(full_name)
    if person_id is None and not name:
        raise OfficerError(_("Hãy chọn hoặc nhập họ tên cán bộ."))
    label = _("Cán bộ Hội: {title}").format(title=_(OFFICER_TITLES[title]))
    with store.operation(label):
        if person_id is None:
            person_id = person_named(store, name)
        else:
            store.people.get(person_id)
        values = {"person_id": person_id, "title": title, "from_on": from_on, "to_on": to_on}
        if officer_id is not None:
            return store.officers.update(officer_id, **values)
        return store.officers.add(**values, sort_order=_TITLE_ORDER[title])


def end_officer(store: Store, officer_id: int, *, on: date) -> m.Officer:
    """End an officer's term on day ``on`` (the row stays as history)."""
    officer = store.officers.get(officer_id)
    with store.operation(_("Thôi giữ chức cán bộ Hội")):
        return store.officers.update(officer.id, to_on=on)


def officers(store: Store, on: date | None = None) -> list[OfficerRow]:
    """Officers in office on day ``on`` (every officer ever when None), chairman first."""
    rows = []
    for row in store.officers.rows():
        officer = store.officers.get(row["id"])
        if on is not None and (
            (officer.from_on and officer.from_on > on) or (officer.to_on and officer.to_on < on)
        ):
            continue
        rows.append(OfficerRow(officer, row["full_name"]))
    rows.sort(key=lambda r: (_TITLE_ORDER.get(r.title, 99), r.officer.from_on or date.min))
    return rows


def signer(store: Store, on: date | None = None) -> Signer:
    """Who signs the report on day ``on``: the chairman ("TM. BAN THƯỜNG VỤ / CHỦ TỊCH"),
    else a vice chairman ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"); without officers, the settings."""
    on = on or date.today()
    current = officers(store, on)
    chairman = next((r for r in current if r.title == "chairman"), None)
    if chairman is not None:
        return Signer("TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", chairman.full_name)
    vice = next((r for r in current if r.title == "vice_chairman"), None)
    if vice is not None:
        return Signer("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", vice.full_name)
    settings = store.settings.all()
    return Signer(
        str(settings.get("signing_form") or ""),
        str(settings.get("signer_title") or ""),
        str(settings.get("signer_name") or ""),
    )
