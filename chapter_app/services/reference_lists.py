"""The editable reference lists: campaigns, activity areas, household categories, aid forms.

Entries are added, renamed (with an optional English name), hidden (retired) and
reordered; an entry in use is never deleted (``delete_entry`` refuses it). Aid forms
keep their code (records store the code); the list gives them labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chapter_app.domain.text import clean_text, fold
from chapter_app.errors import AppError, NotFoundError
from chapter_app.i18n import N_, _
from chapter_app.store.store import Store

# kind -> (store repository attribute, table, Vietnamese noun)
LIST_KINDS = {
    "campaigns": ("campaigns", "campaigns", N_("chương trình vận động")),
    "areas": ("areas", "activity_areas", N_("lĩnh vực hoạt động")),
    "categories": ("categories", "categories", N_("diện đối tượng")),
    "forms": ("aid_forms", "aid_forms", N_("hình thức trợ giúp")),
}


class ListError(AppError):
    """A reference list change refused."""


@dataclass(frozen=True)
class ListEntry:
    """One entry of a reference list, as every list shows it."""

    kind: str
    id: int
    name: str
    name_en: str | None
    code: str | None
    sort_order: int
    hidden: bool
    uses: int | None

    def label(self, lang: str = "vi") -> str:
        """The name to show in ``lang`` (the English name when there is one)."""
        return self.name_en if lang == "en" and self.name_en else self.name


def _repo(store: Store, kind: str):
    if kind not in LIST_KINDS:
        raise ListError(
            _("Không có danh mục «{kind}»; chọn một trong: {kinds}.").format(
                kind=kind, kinds=", ".join(LIST_KINDS)
            )
        )
    return getattr(store, LIST_KINDS[kind][0])


def _noun(kind: str) -> str:
    return _(LIST_KINDS[kind][2])


def _entry(kind: str, record, uses: int | None) -> ListEntry:
    return ListEntry(
        kind=kind,
        id=record.id,
        name=record.name,
        name_en=record.name_en,
        code=getattr(record, "code", None),
        sort_order=record.sort_order,
        hidden=not record.active,
        uses=uses,
    )


def _uses(store: Store, kind: str, record) -> int:
    value = record.code if kind == "forms" else record.id
    return store.org.list_uses(LIST_KINDS[kind][1], value)


def list_entries(
    store: Store, kind: str, *, include_hidden: bool = True, with_uses: bool = True
) -> list[ListEntry]:
    """The entries of list ``kind`` in their order (hidden ones too unless told), with how
    many records use each (``uses`` is None with ``with_uses=False``: a scan of the aid
    records is skipped)."""
    repo = _repo(store, kind)
    records = sorted(repo.list(), key=lambda r: (r.sort_order, r.id))
    counts = store.org.list_use_counts(LIST_KINDS[kind][1]) if with_uses else None
    entries = []
    for r in records:
        if include_hidden or r.active:
            uses = None if counts is None else counts.get(r.code if kind == "forms" else r.id, 0)
            entries.append(_entry(kind, r, uses))
    return entries


def find_entry(store: Store, kind: str, text: str | None) -> ListEntry | None:
    """The entry named ``text`` (tones and case ignored; also its English name or code),
    with how many records use it."""
    wanted = fold(text)
    if not wanted:
        return None
    for record in _repo(store, kind).list():
        if wanted in (fold(record.name), fold(record.name_en), fold(getattr(record, "code", None))):
            return _entry(kind, record, _uses(store, kind, record))
    return None


def get_entry(store: Store, kind: str, ref: int | str) -> ListEntry:
    """The entry with this id or name, with how many records use it."""
    repo = _repo(store, kind)
    if isinstance(ref, int):
        record = repo.find(ref)
    else:
        found = find_entry(store, kind, ref)
        if found is not None:
            return found
        record = None
    if record is None:
        raise NotFoundError(
            _("Không có «{name}» trong danh mục {noun}.").format(name=ref, noun=_noun(kind))
        )
    return _entry(kind, record, _uses(store, kind, record))


def _clean_name(kind: str, name: str | None) -> str:
    cleaned = clean_text(name)
    if not cleaned:
        raise ListError(_("Hãy nhập tên {noun}.").format(noun=_noun(kind)))
    if len(cleaned) > 200:
        raise ListError(_("Tên {noun} dài quá 200 ký tự.").format(noun=_noun(kind)))
    return cleaned


def _check_free(store: Store, kind: str, name: str, *, except_id: int | None = None) -> None:
    for entry in list_entries(store, kind, with_uses=False):
        if entry.id != except_id and fold(entry.name) == fold(name):
            raise ListError(
                _("Danh mục {noun} đã có «{name}».").format(noun=_noun(kind), name=entry.name)
            )


def _new_code(store: Store, kind: str, name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")[:40] or "muc"
    taken = {e.code for e in list_entries(store, kind, with_uses=False)}
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def add_entry(store: Store, kind: str, name: str, *, name_en: str | None = None) -> ListEntry:
    """Add an entry at the end of list ``kind``; a name already there is refused."""
    repo = _repo(store, kind)
    name = _clean_name(kind, name)
    with store.operation(
        _("Thêm «{name}» vào danh mục {noun}").format(name=name, noun=_noun(kind))
    ):
        _check_free(store, kind, name)
        entries = list_entries(store, kind, with_uses=False)
        values = {
            "name": name,
            "name_en": clean_text(name_en) or None,
            "sort_order": max((e.sort_order for e in entries), default=0) + 1,
        }
        if kind in ("campaigns", "areas", "forms"):
            values["code"] = _new_code(store, kind, name)
        record = repo.add(**values)
    return _entry(kind, record, 0)


def rename_entry(
    store: Store, kind: str, entry_id: int, name: str | None = None, *, name_en: str | None = None
) -> ListEntry:
    """Rename an entry and/or set its English name (None: leave; "" clears the English name).

    Records keep pointing at the entry, so they show the new name."""
    repo = _repo(store, kind)
    entry = get_entry(store, kind, entry_id)
    changes = {}
    if name is not None:
        changes["name"] = _clean_name(kind, name)
    if name_en is not None:
        changes["name_en"] = clean_text(name_en) or None
    with store.operation(
        _("Sửa «{name}» trong danh mục {noun}").format(name=entry.name, noun=_noun(kind))
    ):
        if "name" in changes:
            _check_free(store, kind, changes["name"], except_id=entry.id)
        record = repo.update(entry.id, **changes) if changes else repo.get(entry.id)
    return _entry(kind, record, _uses(store, kind, record))


def hide_entry(store: Store, kind: str, entry_id: int, *, hidden: bool = True) -> ListEntry:
    """Hide (retire) an entry, or show it again: hidden entries are not offered in forms,
    but records that use them keep them."""
    repo = _repo(store, kind)
    entry = get_entry(store, kind, entry_id)
    verb = _("Ẩn") if hidden else _("Hiện lại")
    with store.operation(f"{verb} «{entry.name}»"):
        record = repo.update(entry.id, active=not hidden)
    return _entry(kind, record, _uses(store, kind, record))


def move_entry(store: Store, kind: str, entry_id: int, *, by: int) -> list[ListEntry]:
    """Move an entry ``by`` places (-1 up, +1 down) and renumber the list 1..n."""
    repo = _repo(store, kind)
    entries = list_entries(store, kind, with_uses=False)
    index = next((i for i, e in enumerate(entries) if e.id == entry_id), None)
    if index is None:
        get_entry(store, kind, entry_id)  # raises the Vietnamese not-found message
    new_index = max(0, min(len(entries) - 1, index + by))
    entry = entries.pop(index)
    entries.insert(new_index, entry)
    with store.operation(_("Sắp xếp danh mục {noun}").format(noun=_noun(kind))):
        for order, e in enumerate(entries, start=1):
            if e.sort_order != order:
                repo.update(e.id, sort_order=order)
    return list_entries(store, kind, with_uses=False)


def delete_entry(store: Store, kind: str, entry_id: int) -> None:
    """Delete an entry nobody uses; one in use is refused (hide it instead)."""
    repo = _repo(store, kind)
    entry = get_entry(store, kind, entry_id)
    if entry.uses:
        raise ListError(
            _("«{name}» đang được dùng ở {n} bản ghi nên không xóa được; hãy ẩn nó đi.").format(
                name=entry.name, n=entry.uses
            )
        )
    with store.operation(
        _("Xóa «{name}» khỏi danh mục {noun}").format(name=entry.name, noun=_noun(kind))
    ):
        repo.delete(entry.id)


def labels(store: Store, kind: str, lang: str = "vi") -> dict[str, str]:
    """``Vietnamese name -> name shown in lang`` (for reports grouping by name), and for aid
    forms ``code -> label``."""
    key = "code" if kind == "forms" else "name"
    return {getattr(e, key): e.label(lang) for e in list_entries(store, kind, with_uses=False)}


def aid_form_aliases(store: Store) -> dict[str, str]:
    """What names an aid form of the register's list (hidden ones too, so old records
    still save): the Vietnamese names first, then the English names and the codes, each
    mapped to the code (``forms=`` of ``validate_aid`` and ``validate_commitment``)."""
    entries = list_entries(store, "forms", with_uses=False)
    aliases: dict[str, str] = {}
    seen: set[str] = set()
    for key in ("name", "name_en", "code"):
        for entry in entries:
            text = getattr(entry, key)
            if text and text.casefold() not in seen:
                seen.add(text.casefold())
                aliases[text] = entry.code
    return aliases
