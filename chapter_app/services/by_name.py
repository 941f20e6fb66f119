"""Finding the record an officer named by typing its name (a sponsor, a household, a list item).

The contract (``domain.by_name``), for forms, spreadsheets and the command line alike: a
record whose name is exactly what was typed (as NFC, spaces tidied) wins; otherwise one record
equal to it without tones and case is taken ("nguyen van an" finds "Nguyễn Văn An"); two or
more such records are refused with a message naming them, never one of them taken silently.
"""

from __future__ import annotations

from typing import Any

from chapter_app.domain.by_name import named
from chapter_app.domain.text import clean_text, fold
from chapter_app.domain.validation import N_, Issue
from chapter_app.store.repository import Query

MSG_UNKNOWN_REFERENCE = N_("Không tìm thấy {what} “{name}”.")
MSG_NAMES_DIFFER_IN_TONES = N_(
    "Có {count} {what} chỉ khác nhau ở dấu hoặc chữ hoa: {names}. "
    "Gõ tên đúng như trong danh sách (đủ dấu, đúng chữ hoa) để chọn một."
)
MSG_NAMES_FIT = N_(
    "“{name}” khớp với {count} {what}: {names}. "
    "Gõ tên đúng như trong danh sách (đủ dấu, đúng chữ hoa) để chọn một."
)
MSG_SAME_NAME = N_("Có {count} {what} cùng tên “{name}”. Đặt tên khác nhau cho chúng rồi chọn lại.")


def exists(repo, record_id: int, known=None) -> bool:
    """Whether ``record_id`` names a live record of ``repo`` (looked up through ``known``,
    a ``records.KnownRecords``, when given)."""
    return known.exists(repo, record_id) if known else repo.find(record_id) is not None


def quoted(names: list[str], notes: list[str | None] | None = None) -> str:
    """Names as a message lists them: “An”, “Bình” (with a note after each: “An” (Thôn 1))."""
    notes = notes or [None] * len(names)
    return ", ".join(f"“{n}”" + (f" ({w})" if w else "") for n, w in zip(names, notes, strict=True))


def name_issue(found: list[Any], *, text: str, field: str, what: str) -> Issue:
    """The error for ``text`` naming no record or several (``found``, from :func:`named`)."""
    if not found:
        return Issue.error(field, MSG_UNKNOWN_REFERENCE, what=what, name=text)
    names = [r.name for r in found]
    if len({clean_text(n) for n in names}) == 1:
        return Issue.error(field, MSG_SAME_NAME, count=len(found), what=what, name=names[0])
    listed = quoted(names)
    if len({fold(n) for n in names}) > 1:  # "An Vĩnh" fits "Thôn An Vĩnh" and "Tổ An Vĩnh"
        return Issue.error(
            field, MSG_NAMES_FIT, name=text, count=len(found), what=what, names=listed
        )
    return Issue.error(field, MSG_NAMES_DIFFER_IN_TONES, count=len(found), what=what, names=listed)


def resolve_by_name(
    repo, value: Any, *, field: str, what: str, issues: list[Issue], known=None
) -> int | None:
    """The id of the record ``value`` names: an id (checked live) or a name (see the module's
    contract). None for an empty value; None with an error added to ``issues`` when the value
    names no record or several."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        if not exists(repo, value, known):
            issues.append(Issue.error(field, MSG_UNKNOWN_REFERENCE, what=what, name=str(value)))
            return None
        return value
    found = named(repo.list(Query()), str(value))
    if len(found) == 1:
        return found[0].id
    issues.append(name_issue(found, text=str(value), field=field, what=what))
    return None
