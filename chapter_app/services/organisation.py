"""The chapter's organisation: chi hội and thôn / tổ dân phố (issue 13).

Each use case is one operation (one transaction, one undo step): it writes everything
or, on any error, nothing. Errors are ``AppError`` with a Vietnamese message that says
what to do. Names are compared without tones, case or the leading kind word
("Chi hội thôn 3" = "CHI HOI THON 3"; "An Vĩnh" finds "Thôn An Vĩnh").

The reference lists, the yearly targets and the officers live in ``reference_lists``,
``targets`` and ``officers``; their names are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from chapter_app.domain import models as m
from chapter_app.domain.by_name import the_one
from chapter_app.domain.organisation import (
    BRANCH_KINDS,
    RATINGS,
    UNIT_KINDS,
    find_by_branch_name,
    same_branch_name,
    same_unit_name,
    unit_kind_of,
)
from chapter_app.domain.text import clean_text, fold
from chapter_app.errors import AppError, NotFoundError
from chapter_app.i18n import N_, _, format_date
from chapter_app.services.by_name import name_issue
from chapter_app.services.officers import (  # noqa: F401
    officers,
    person_named,
    set_officer,
    signer,
)
from chapter_app.services.reference_lists import (  # noqa: F401
    LIST_KINDS,
    add_entry,
    hide_entry,
    list_entries,
    move_entry,
    rename_entry,
)
from chapter_app.services.targets import (  # noqa: F401
    TARGET_KEYS,
    copy_targets,
    set_targets,
    targets_for,
)
from chapter_app.store.repository import Query
from chapter_app.store.store import Store


class OrganisationError(AppError):
    """A chi hội or thôn use case refused (duplicate name, unknown target, ...)."""


WHAT_BRANCH = N_("chi hội")
WHAT_UNIT = N_("thôn, tổ dân phố")


# --- chi hội ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BranchRow:
    """A chi hội as the list shows it."""

    branch: m.Branch
    unit_names: tuple[str, ...]
    head_name: str | None
    member_count: int
    rating: str | None  # this year's rating code (see ``RATINGS``)

    @property
    def dissolved(self) -> bool:
        return self.branch.dissolved_on is not None


def _name(text: str | None, what: str) -> str:
    name = clean_text(text)
    if not name:
        raise OrganisationError(_("Hãy nhập tên {what}.").format(what=_(what)))
    if len(name) > 120:
        raise OrganisationError(_("Tên {what} dài quá 120 ký tự.").format(what=_(what)))
    return name


def _check_branch_name_free(store: Store, name: str, *, except_id: int | None = None) -> None:
    for branch in store.branches.list():
        if branch.id != except_id and same_branch_name(branch.name, name):
            raise OrganisationError(
                _("Đã có chi hội «{existing}» (trùng tên với «{name}»). Hãy đặt tên khác.").format(
                    existing=branch.name, name=name
                )
            )


def _check_kind(kind: str) -> str:
    if kind not in BRANCH_KINDS:
        choices = ", ".join(str(k) for k in BRANCH_KINDS)
        raise OrganisationError(
            _("Loại chi hội «{kind}» không có; chọn một trong: {choices}.").format(
                kind=kind, choices=choices
            )
        )
    return str(kind)


def find_branch(
    store: Store, text: str | None, *, include_dissolved: bool = True
) -> m.Branch | None:
    """The one chi hội named ``text`` (``domain.organisation.branches_named``): exact first,
    then tones, case and "chi hội" ignored ("Chi hội thôn 3" = "CHI HOI THON 3" = "thôn 3");
    "Khê Thủy" finds "Chi hội thôn Khê Thủy" when only one chi hội has that short name. None
    when it names none, or several (of which not exactly one is live)."""
    branches = store.branches.list()
    if not include_dissolved:
        branches = [b for b in branches if b.dissolved_on is None]
    return find_by_branch_name(branches, text)


def get_branch(store: Store, ref: int | str) -> m.Branch:
    """The chi hội with this id or name; ``NotFoundError`` (Vietnamese) when there is none,
    or when the name fits several (naming them)."""
    if not isinstance(ref, int):  # one listing of the chi hội, as find_branch reads them
        found = store.branches.named(ref)
        if len(found) > 1:
            problem = name_issue(found, text=ref, field="branch", what="chi hội")
            raise NotFoundError(problem.render(_))
    branch = store.branches.find(ref) if isinstance(ref, int) else the_one(found)
    if branch is None:
        raise NotFoundError(
            _("Không có chi hội «{name}». Xem danh sách: chapter-app branches list.").format(
                name=ref
            )
        )
    return branch


def add_branch(
    store: Store,
    *,
    name: str,
    kind: str = "residential",
    founded_on: date | None = None,
    unit_ids: Iterable[int] = (),
    head_person_id: int | None = None,
    head_name: str | None = None,
) -> m.Branch:
    """Add a chi hội; a name already used (any tones or case) is refused. The head is a
    person on file (``head_person_id``) or named (``head_name``: found, else added)."""
    name = _name(name, WHAT_BRANCH)
    kind = _check_kind(kind)
    with store.operation(_("Thêm chi hội «{name}»").format(name=name)):
        _check_branch_name_free(store, name)
        if head_person_id is not None:
            store.people.get(head_person_id)
        elif clean_text(head_name):
            head_person_id = person_named(store, head_name)
        branch = store.branches.add(
            name=name, kind=kind, founded_on=founded_on, head_person_id=head_person_id
        )
        _link_units(store, branch.id, unit_ids)
    return branch


def _link_units(store: Store, branch_id: int, unit_ids: Iterable[int]) -> None:
    wanted = set(unit_ids)
    links = store.branches.units.list(Query(filters={"branch_id": branch_id}))
    for link in links:
        if link.unit_id not in wanted:
            store.branches.units.delete(link.id)
    present = {link.unit_id for link in links}
    for unit_id in sorted(wanted - present):
        if store.units.find(unit_id) is None:
            raise NotFoundError(_("Không có thôn, tổ dân phố số {id}.").format(id=unit_id))
        store.branches.units.add(branch_id=branch_id, unit_id=unit_id)


def update_branch(
    store: Store,
    branch_id: int,
    *,
    kind: str | None = None,
    founded_on: date | None = None,
    unit_ids: Iterable[int] | None = None,
    head_person_id: int | None = None,
    head_name: str | None = None,
    clear_head: bool = False,
) -> m.Branch:
    """Change a chi hội's kind, founding date, units or head (None: leave as it is); the
    head by id or by name (found, else added)."""
    branch = get_branch(store, branch_id)
    changes: dict = {}
    if kind is not None:
        changes["kind"] = _check_kind(kind)
    if founded_on is not None:
        changes["founded_on"] = founded_on
    if head_person_id is not None:
        store.people.get(head_person_id)
        changes["head_person_id"] = head_person_id
    elif clear_head:
        changes["head_person_id"] = None
    with store.operation(_("Sửa chi hội «{name}»").format(name=branch.name)):
        if head_person_id is None and clean_text(head_name):
            current = store.people.find(branch.head_person_id) if branch.head_person_id else None
            if current is None or fold(current.full_name) != fold(head_name):
                changes["head_person_id"] = person_named(store, head_name)
            else:
                changes.pop("head_person_id", None)
        if changes:
            branch = store.branches.update(branch.id, **changes)
        if unit_ids is not None:
            _link_units(store, branch.id, unit_ids)
    return branch


def rename_branch(
    store: Store, branch_id: int, new_name: str, *, on: date | None = None
) -> m.Branch:
    """Rename a chi hội; the old name is kept in its name history."""
    branch = get_branch(store, branch_id)
    new_name = _name(new_name, WHAT_BRANCH)
    if new_name == branch.name:
        return branch
    with store.operation(
        _("Đổi tên chi hội «{old}» thành «{new}»").format(old=branch.name, new=new_name)
    ):
        _check_branch_name_free(store, new_name, except_id=branch.id)
        store.name_history.add(
            table_name="branches",
            row_id=branch.id,
            old_name=branch.name,
            new_name=new_name,
            on_date=on or date.today(),
        )
        return store.branches.update(branch.id, name=new_name)


def dissolve_branch(store: Store, branch_id: int, *, on: date, move_members_to: int) -> int:
    """Dissolve a chi hội on day ``on``, moving its active members (and volunteers) to
    chi hội ``move_members_to`` in the same operation; returns how many members moved.

    Each move is kept in the member's chi hội history; the dissolved chi hội stays on file
    (and in the reports of the periods before ``on``).
    """
    branch = get_branch(store, branch_id)
    if branch.dissolved_on is not None:
        raise OrganisationError(
            _("Chi hội «{name}» đã giải thể ngày {date}.").format(
                name=branch.name, date=format_date(branch.dissolved_on)
            )
        )
    target = store.branches.find(move_members_to) if isinstance(move_members_to, int) else None
    if target is None:
        raise NotFoundError(
            _(
                "Không có chi hội số {id} để chuyển hội viên sang; hãy chọn một chi hội đang hoạt "
                "động."
            ).format(id=move_members_to)
        )
    if target.id == branch.id:
        raise OrganisationError(_("Hãy chọn một chi hội khác để chuyển hội viên sang."))
    if target.dissolved_on is not None and target.dissolved_on <= on:
        raise OrganisationError(
            _("Chi hội «{name}» đã giải thể; hãy chọn một chi hội đang hoạt động.").format(
                name=target.name
            )
        )
    if branch.founded_on is not None and on < branch.founded_on:
        raise OrganisationError(
            _("Ngày giải thể trước ngày thành lập chi hội «{name}».").format(name=branch.name)
        )
    reason = _("Chi hội «{old}» giải thể; chuyển sang chi hội «{new}».").format(
        old=branch.name, new=target.name
    )
    with store.operation(_("Giải thể chi hội «{name}»").format(name=branch.name)):
        moved = store.org.active_member_ids(branch.id, on)
        for member_id in moved:
            store.members.update(member_id, branch_id=target.id)
            store.branch_moves.add(
                member_id=member_id,
                from_branch_id=branch.id,
                to_branch_id=target.id,
                on_date=on,
                reason=reason,
            )
        for volunteer_id in store.org.volunteer_ids(branch.id):
            store.volunteers.update(volunteer_id, branch_id=target.id)
        store.branches.update(branch.id, dissolved_on=on, dissolved_into_id=target.id)
    return len(moved)


def rate_branch(store: Store, branch_id: int, *, year: int, rating: str | None) -> None:
    """Set (or with None clear) a chi hội's rating for ``year``: one rating per year."""
    branch = get_branch(store, branch_id)
    if rating is not None and rating not in RATINGS:
        labels = ", ".join(_(label) for label in RATINGS.values())
        raise OrganisationError(
            _("Xếp loại «{rating}» không có; chọn một trong: {labels}.").format(
                rating=rating, labels=labels
            )
        )
    if not 1900 <= year <= 2200:
        raise OrganisationError(_("Năm {year} không hợp lệ.").format(year=year))
    with store.operation(
        _("Xếp loại chi hội «{name}» năm {year}").format(name=branch.name, year=year)
    ):
        existing = store.branches.ratings.list(
            Query(filters={"branch_id": branch.id, "year": year})
        )
        for old in existing[1:] if rating is not None else existing:
            store.branches.ratings.delete(old.id)
        if rating is None:
            return
        if existing:
            store.branches.ratings.update(existing[0].id, rating=rating)
        else:
            store.branches.ratings.add(branch_id=branch.id, year=year, rating=rating)


def branch_ratings(store: Store, year: int) -> dict[int, str]:
    """``chi hội id -> rating code`` for ``year``."""
    return {
        r.branch_id: r.rating for r in store.branches.ratings.list(Query(filters={"year": year}))
    }


def branch_member_counts(store: Store, on: date) -> dict[int, int]:
    """Active members on day ``on`` per chi hội id (chi hội without members are absent)."""
    return {k: v for k, v in store.org.branch_member_counts(on).items() if k is not None}


def branch_rows(store: Store, *, on: date, include_dissolved: bool = True) -> list[BranchRow]:
    """Every chi hội with its units, head, members on ``on`` and the rating of ``on.year``."""
    counts = branch_member_counts(store, on)
    ratings = branch_ratings(store, on.year)
    units = {u.id: u for u in store.units.list()}
    dissolved = {b.id for b in store.branches.list() if b.dissolved_on is not None}
    links: dict[int, list[str]] = {}
    for link in store.branches.units.list():
        unit = units.get(link.unit_id)
        # a live chi hội shows the units in use; a dissolved one, those it had
        if unit is not None and (unit.merged_into_id is None or link.branch_id in dissolved):
            links.setdefault(link.branch_id, []).append(unit.name)
    rows = []
    for branch in store.branches.list():
        if branch.dissolved_on is not None and not include_dissolved:
            continue
        head = store.people.find(branch.head_person_id) if branch.head_person_id else None
        rows.append(
            BranchRow(
                branch=branch,
                unit_names=tuple(links.get(branch.id, ())),
                head_name=head.full_name if head else None,
                member_count=counts.get(branch.id, 0),
                rating=ratings.get(branch.id),
            )
        )
    rows.sort(key=lambda r: r.dissolved)
    return rows


# --- thôn / tổ dân phố ---------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    """A thôn / tổ dân phố as the list shows it."""

    unit: m.Unit
    merged_into_name: str | None
    people: int
    households: int
    old_names: tuple[str, ...]

    @property
    def merged(self) -> bool:
        return self.unit.merged_into_id is not None


def _check_unit_name_free(store: Store, name: str, *, except_ids: Iterable[int] = ()) -> None:
    skip = set(except_ids)
    for unit in store.units.list():
        if unit.id not in skip and unit.merged_into_id is None and same_unit_name(unit.name, name):
            raise OrganisationError(
                _(
                    "Đã có thôn, tổ dân phố «{existing}» (trùng với «{name}»). Hãy đặt tên khác."
                ).format(existing=unit.name, name=name)
            )


def _check_unit_kind(kind: str) -> str:
    if kind not in UNIT_KINDS:
        choices = ", ".join(str(k) for k in UNIT_KINDS)
        raise OrganisationError(
            _("Loại «{kind}» không có; chọn một trong: {choices}.").format(
                kind=kind, choices=choices
            )
        )
    return str(kind)


def units_named(store: Store, text: str | None, *, follow_merges: bool = False) -> list[m.Unit]:
    """The thôn / tổ dân phố ``text`` names (``store.units.named``: exact first, then tones,
    case and a leading "thôn", "tổ dân phố", "tổ", "ấp", "bản", "khu phố" ignored): one, or
    several for the caller to refuse. With ``follow_merges``, a merged unit gives the unit
    it was merged into (several that became one are one)."""
    found = store.units.named(text) if clean_text(text) else []
    if not follow_merges:
        return found
    became: dict[int, m.Unit] = {}
    for unit in found:
        seen = set()
        while unit.merged_into_id and unit.id not in seen:
            seen.add(unit.id)
            unit = store.units.find(unit.merged_into_id) or unit
        became.setdefault(unit.id, unit)
    return list(became.values())


def find_unit(store: Store, text: str | None, *, follow_merges: bool = False) -> m.Unit | None:
    """The one thôn / tổ dân phố ``text`` names (:func:`units_named`); None when it names
    none, or several."""
    return the_one(units_named(store, text, follow_merges=follow_merges))


def get_unit(store: Store, ref: int | str) -> m.Unit:
    """The thôn with this id or name; ``NotFoundError`` (Vietnamese) when there is none,
    or when the name fits several (naming them)."""
    if not isinstance(ref, int):
        found = units_named(store, ref)
        if len(found) > 1:
            problem = name_issue(found, text=ref, field="unit", what="thôn/tổ dân phố")
            raise NotFoundError(problem.render(_))
    unit = store.units.find(ref) if isinstance(ref, int) else the_one(found)
    if unit is None:
        raise NotFoundError(
            _("Không có thôn, tổ dân phố «{name}». Xem danh sách: chapter-app units list.").format(
                name=ref
            )
        )
    return unit


def add_unit(
    store: Store, *, name: str, kind: str | None = None, valid_from: date | None = None
) -> m.Unit:
    """Add a thôn / tổ dân phố (its kind read from the name's first word when not given)."""
    name = _name(name, WHAT_UNIT)
    kind = _check_unit_kind(kind or unit_kind_of(name))
    with store.operation(_("Thêm thôn, tổ dân phố «{name}»").format(name=name)):
        _check_unit_name_free(store, name)
        return store.units.add(name=name, kind=kind, valid_from=valid_from)


def rename_unit(store: Store, unit_id: int, new_name: str, *, on: date | None = None) -> m.Unit:
    """Rename a thôn; the old name stays in its history."""
    unit = get_unit(store, unit_id)
    new_name = _name(new_name, WHAT_UNIT)
    if new_name == unit.name:
        return unit
    with store.operation(
        _("Đổi tên thôn «{old}» thành «{new}»").format(old=unit.name, new=new_name)
    ):
        _check_unit_name_free(store, new_name, except_ids=[unit.id])
        store.name_history.add(
            table_name="units",
            row_id=unit.id,
            old_name=unit.name,
            new_name=new_name,
            on_date=on or date.today(),
        )
        return store.units.update(unit.id, name=new_name)


def merge_units(store: Store, unit_ids: Iterable[int], *, into_name: str, on: date) -> m.Unit:
    """Merge two or more thôn into one on day ``on``; returns the unit they became.

    ``into_name`` names a new unit, or one of the merged units (which then goes on).
    People and households of the merged units move to it (each move kept); the merged
    units stay on file with ``valid_to`` and ``merged_into_id`` (their names stay in the
    history and in reports of earlier periods); their chi hội links follow.
    """
    ids = list(dict.fromkeys(unit_ids))
    units = [get_unit(store, unit_id) for unit_id in ids]
    into_name = _name(into_name, WHAT_UNIT)
    for unit in units:
        if unit.merged_into_id is not None:
            raise OrganisationError(
                _("Thôn «{name}» đã được sáp nhập trước đó.").format(name=unit.name)
            )
    kept = next((u for u in units if fold(u.name) == fold(into_name)), None)
    sources = [u for u in units if kept is None or u.id != kept.id]
    if len(units) < 2:
        raise OrganisationError(_("Hãy chọn ít nhất hai thôn, tổ dân phố để sáp nhập."))
    names = ", ".join(u.name for u in units)
    with store.operation(_("Sáp nhập {names} thành «{name}»").format(names=names, name=into_name)):
        if kept is None:
            _check_unit_name_free(store, into_name, except_ids=ids)
            kind = unit_kind_of(into_name, default=units[0].kind)
            kept = store.units.add(name=into_name, kind=kind, valid_from=on)
        source_ids = [u.id for u in sources]
        for table in ("people", "addresses"):
            repo = store.people if table == "people" else store.addresses
            for row_id, from_unit in store.org.rows_in_units(table, source_ids):
                repo.update(row_id, unit_id=kept.id)
                store.unit_moves.add(
                    table_name=table,
                    row_id=row_id,
                    from_unit_id=from_unit,
                    to_unit_id=kept.id,
                    on_date=on,
                )
        for link in store.branches.units.list(Query(filters={"unit_id": source_ids})):
            if store.branches.get(link.branch_id, include_deleted=True).dissolved_on is not None:
                continue
            already = store.branches.units.count(
                Query(filters={"branch_id": link.branch_id, "unit_id": kept.id})
            )
            if not already:
                store.branches.units.add(branch_id=link.branch_id, unit_id=kept.id)
        for unit in sources:
            store.units.merge(unit.id, kept.id, on)
    return store.units.get(kept.id)


def unit_rows(store: Store, *, include_merged: bool = True) -> list[UnitRow]:
    """Every thôn with where it was merged, its people and households and its old names."""
    units = store.units.list()
    names = {u.id: u.name for u in units}
    counts = store.org.unit_counts()
    history: dict[int, list[str]] = {}
    for change in store.name_history.list(Query(filters={"table_name": "units"})):
        history.setdefault(change.row_id, []).append(change.old_name)
    rows = []
    for unit in units:
        if unit.merged_into_id is not None and not include_merged:
            continue
        people, households = counts.get(unit.id, (0, 0))
        rows.append(
            UnitRow(
                unit=unit,
                merged_into_name=names.get(unit.merged_into_id) if unit.merged_into_id else None,
                people=people,
                households=households,
                old_names=tuple(history.get(unit.id, ())),
            )
        )
    rows.sort(key=lambda r: r.merged)
    return rows
