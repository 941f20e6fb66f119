"""One repository per register, on top of the generic one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, ClassVar

from chapter_app.domain import models as m
from chapter_app.domain.by_name import named, the_one
from chapter_app.domain.organisation import branches_named, units_named
from chapter_app.domain.person_names import NameParts
from chapter_app.domain.text import fold
from chapter_app.errors import NotFoundError
from chapter_app.store.codec import decode_row, encode_value
from chapter_app.store.repository import Query, Repository, fts_match_expression

NAME_FIELDS = ("full_name", "family_name", "middle_name", "given_name")


def person_name_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """The stored name columns (parts, full name, sort key, search fold) from whatever was given.

    A ``full_name`` alone is split into family/middle/given; given parts win over it.
    """
    get = values.get
    names = NameParts.of(
        get("family_name"), get("middle_name"), get("given_name"), get("full_name")
    )
    return names._asdict()


def people_match_clause(person_column: str, text: str) -> tuple[str, list[Any]] | None:
    """SQL restricting ``person_column`` to people whose name, ID or phone match ``text``."""
    expression = fts_match_expression(text)
    if expression is None:
        return None
    return (
        f"{person_column} IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ?)",
        [expression],
    )


class PeopleRepository(Repository[m.Person]):
    table = "people"
    model = m.Person
    noun = "người"
    default_order = "t.sort_key"
    sort_columns: ClassVar = {"name": "t.sort_key", "birth": "COALESCE(t.birth_date, t.birth_year)"}

    def _prepare_new(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            **{k: v for k, v in values.items() if k not in NAME_FIELDS},
            **person_name_columns(values),
        }

    def _prepare_changes(self, old: Mapping[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        if not any(k in changes for k in NAME_FIELDS):
            return changes
        if "full_name" in changes and not any(
            k in changes for k in ("family_name", "middle_name", "given_name")
        ):
            names = person_name_columns({"full_name": changes["full_name"]})
        else:
            merged = {
                k: changes.get(k, old[k]) for k in ("family_name", "middle_name", "given_name")
            }
            names = person_name_columns(merged)
        return {**{k: v for k, v in changes.items() if k not in NAME_FIELDS}, **names}

    def _search_clause(self, text: str):
        return people_match_clause("t.id", text)

    def search(self, text: str, *, limit: int = 20) -> list[m.Person]:
        """Search-as-you-type: people whose folded name, ID or phone start with the typed words."""
        return self.list(Query(search=text, limit=limit))

    def find_duplicates(
        self,
        *,
        id_number: str | None = None,
        full_name: str | None = None,
        birth_year: int | None = None,
        exclude_id: int | None = None,
    ) -> list[m.Person]:
        """People who look like the same human: same ID number, or same name and birth year."""
        clauses, params = [], []
        if id_number:
            clauses.append("id_number = ?")
            params.append(id_number)
        if full_name and birth_year:
            clauses.append("(search_fold = ? AND birth_year = ?)")
            params.extend([fold(full_name), birth_year])
        if not clauses:
            return []
        sql = f"SELECT * FROM people WHERE deleted_at IS NULL AND ({' OR '.join(clauses)})"
        if exclude_id is not None:
            sql += " AND id != ?"
            params.append(exclude_id)
        cursor = self.db.execute(sql + " ORDER BY sort_key", params)
        names = [d[0] for d in cursor.description]
        return [decode_row(m.Person, dict(zip(names, row, strict=True))) for row in cursor]


class PersonRoleRepository(Repository):
    """A role attached to a person (member, volunteer, youth): lists join the person."""

    default_order = "p.sort_key"
    sort_columns: ClassVar = {"name": "p.sort_key"}
    display_columns = (
        "p.full_name AS full_name, p.sex AS sex, p.birth_date AS birth_date, "
        "p.birth_year AS birth_year, p.id_number AS id_number, p.phone AS phone, "
        "p.address AS address, p.unit_id AS unit_id"
    )

    def _from(self) -> str:
        return f"[{self.table}] t JOIN people p ON p.id = t.person_id"

    def _search_clause(self, text: str):
        return people_match_clause("t.person_id", text)

    def _filter_column(self, key: str) -> str:
        if key.startswith("person."):
            column = key.removeprefix("person.")
            if column in m.Person.field_names():
                return f"p.[{column}]"
        return super()._filter_column(key)

    def for_person(self, person_id: int) -> list:
        return self.list(Query(filters={"person_id": person_id}))


class StatusHistoryMixin:
    """Registers whose state is a dated history of events (members, addresses).

    The row caches the latest event (``status``, ``status_on``) for list filters;
    the history table is the truth that period figures are rebuilt from.
    """

    history: Repository
    history_key: ClassVar[str]

    def history_of(self, row_id: int) -> list:
        return self.history.list(Query(filters={self.history_key: row_id}, order_by="on_date"))

    def change_status(self, row_id: int, status: str, on_date: date, **extra: Any):
        """Append a status event and refresh the cached current status."""
        with self.ops.run(f"Đổi tình trạng {self.noun}"):
            self.get(row_id)
            self.history.add(
                **{self.history_key: row_id, "status": status, "on_date": on_date}, **extra
            )
            return self._refresh_status(row_id)

    def _refresh_status(self, row_id: int):
        latest = self.db.execute(
            f"SELECT status, on_date FROM [{self.history.table}] WHERE {self.history_key} = ? "
            "AND deleted_at IS NULL ORDER BY on_date DESC, id DESC LIMIT 1",
            [row_id],
        ).fetchone()
        if latest is None:
            return self.get(row_id)
        return self.update(row_id, status=latest[0], status_on=date.fromisoformat(latest[1]))


class MemberStatusRepository(Repository[m.MemberStatusEvent]):
    table = "member_status"
    model = m.MemberStatusEvent
    noun = "tình trạng hội viên"


class MembersRepository(StatusHistoryMixin, PersonRoleRepository):
    table = "members"
    model = m.Member
    noun = "hội viên"
    history_key = "member_id"
    sort_columns: ClassVar = {"name": "p.sort_key", "admitted_on": "t.admitted_on"}

    def __init__(self, db, ops):
        super().__init__(db, ops)
        self.history = MemberStatusRepository(db, ops)

    def add(self, **values: Any) -> m.Member:
        """Admit a member: the row plus its first status event, in one operation."""
        with self.ops.run(f"Thêm {self.noun}"):
            values.setdefault("status", m.MemberStatus.ADMITTED)
            values.setdefault("status_on", values.get("admitted_on"))
            member = super().add(**values)
            self.history.add(
                member_id=member.id,
                status=values["status"],
                on_date=values["status_on"],
                decision_no=values.get("decision_no"),
            )
            return member


class VolunteersRepository(PersonRoleRepository):
    table = "volunteers"
    model = m.Volunteer
    noun = "tình nguyện viên"


class YouthRepository(PersonRoleRepository):
    table = "youth"
    model = m.Youth
    noun = "thanh thiếu niên CTĐ"


class DuesRepository(Repository[m.DuesPayment]):
    table = "dues_payments"
    model = m.DuesPayment
    noun = "khoản hội phí"
    default_order = "t.paid_on"


class UnitsRepository(Repository[m.Unit]):
    table = "units"
    model = m.Unit
    noun = "thôn/tổ dân phố"
    default_order = "t.name COLLATE vi"
    search_columns = ("name",)

    def named(self, name: str) -> list[m.Unit]:
        """The thôn ``name`` names (``domain.organisation.units_named``): exact first, then
        tones, case and "thôn", "tổ dân phố", ... ignored; several when it fits several."""
        return units_named(self.list(), name)

    def merge(self, source_id: int, into_id: int, on_date: date) -> m.Unit:
        """Record that unit ``source_id`` was merged into ``into_id`` on ``on_date``."""
        with self.ops.run(f"Sáp nhập {self.noun}"):
            self.get(into_id)
            return self.update(source_id, merged_into_id=into_id, valid_to=on_date)


class BranchesRepository(Repository[m.Branch]):
    table = "branches"
    model = m.Branch
    noun = "chi hội"
    default_order = "t.name COLLATE vi"
    search_columns = ("name",)

    def __init__(self, db, ops):
        super().__init__(db, ops)
        self.units = _LinkRepository(db, ops, "branch_units", m.BranchUnit, "chi hội - thôn")
        self.ratings = _LinkRepository(db, ops, "branch_ratings", m.BranchRating, "xếp loại")

    def named(self, name: str) -> list[m.Branch]:
        """The chi hội ``name`` names (``domain.organisation.branches_named``): exact first,
        then tones, case, "chi hội" and "thôn" ignored; several when it fits several."""
        return branches_named(self.list(), name)

    def by_name(self, name: str) -> m.Branch | None:
        """The one chi hội ``name`` names (see :meth:`named`); None for none or several."""
        return the_one(self.named(name))


class _LinkRepository(Repository):
    """A small join table named at construction."""

    def __init__(self, db, ops, table: str, model: type, noun: str):
        self.table = table
        self.model = model
        self.noun = noun
        super().__init__(db, ops)


class CategoriesRepository(Repository[m.Category]):
    table = "categories"
    model = m.Category
    noun = "diện đối tượng"
    default_order = "t.sort_order"
    search_columns = ("name",)


class AddressStatusRepository(Repository[m.AddressStatusEvent]):
    table = "address_status"
    model = m.AddressStatusEvent
    noun = "tình trạng địa chỉ"


class AddressesRepository(StatusHistoryMixin, Repository[m.Address]):
    table = "addresses"
    model = m.Address
    noun = "địa chỉ nhân đạo"
    history_key = "address_id"
    default_order = "t.name COLLATE vi"
    sort_columns: ClassVar = {"name": "t.name COLLATE vi", "opened_on": "t.opened_on"}
    display_columns = "p.full_name AS head_name"
    special_filters: ClassVar = {
        "category": "t.id IN (SELECT address_id FROM address_categories "
        "WHERE category_id = ? AND deleted_at IS NULL)",
    }

    def __init__(self, db, ops):
        super().__init__(db, ops)
        self.history = AddressStatusRepository(db, ops)
        self.category_links = _LinkRepository(
            db, ops, "address_categories", m.AddressCategory, "diện của địa chỉ"
        )
        self.household = _LinkRepository(
            db, ops, "address_members", m.AddressMember, "thành viên hộ"
        )

    def _from(self) -> str:
        return "[addresses] t LEFT JOIN people p ON p.id = t.head_person_id"

    def _search_clause(self, text: str):
        from chapter_app.store.repository import like_pattern

        clause = "(fold(t.name) LIKE ? ESCAPE '\\' OR fold(t.street_address) LIKE ? ESCAPE '\\'"
        params: list[Any] = [like_pattern(text), like_pattern(text)]
        people = people_match_clause("t.head_person_id", text)
        if people:
            clause += " OR " + people[0]
            params.extend(people[1])
        return clause + ")", params

    def add(self, **values: Any) -> m.Address:
        """Open an address: the row, its categories and its first status event."""
        category_ids = values.pop("category_ids", ())
        with self.ops.run(f"Thêm {self.noun}"):
            values.setdefault("status", m.AddressStatus.FOLLOWING)
            values.setdefault("status_on", values.get("opened_on"))
            address = super().add(**values)
            self.history.add(
                address_id=address.id, status=values["status"], on_date=values["status_on"]
            )
            self.set_categories(address.id, category_ids)
            return address

    def categories_of(self, address_id: int) -> list[int]:
        return [
            link.category_id
            for link in self.category_links.list(Query(filters={"address_id": address_id}))
        ]

    def set_categories(self, address_id: int, category_ids: Iterable[int]) -> None:
        """Make the address's categories exactly ``category_ids``."""
        wanted = set(category_ids)
        with self.ops.run(f"Sửa diện của {self.noun}"):
            links = self.category_links.list(Query(filters={"address_id": address_id}))
            for link in links:
                if link.category_id not in wanted:
                    self.category_links.delete(link.id)
            present = {link.category_id for link in links}
            for category_id in sorted(wanted - present):
                self.category_links.add(address_id=address_id, category_id=category_id)


class SponsorsRepository(Repository[m.Sponsor]):
    table = "sponsors"
    model = m.Sponsor
    noun = "nhà tài trợ"
    default_order = "t.name COLLATE vi"
    search_columns = ("name", "contact_name", "phone")


class CommitmentsRepository(Repository[m.Commitment]):
    table = "commitments"
    model = m.Commitment
    noun = "cam kết"
    default_order = "t.start_on"
    display_columns = "s.name AS sponsor_name, a.name AS address_name"

    def _from(self) -> str:
        return (
            "[commitments] t JOIN sponsors s ON s.id = t.sponsor_id "
            "JOIN addresses a ON a.id = t.address_id"
        )

    def active_on(self, day: date) -> list[m.Commitment]:
        iso = encode_value(day)
        cursor = self.db.execute(
            "SELECT * FROM commitments WHERE deleted_at IS NULL AND start_on <= ? "
            "AND (end_on IS NULL OR end_on >= ?) ORDER BY start_on, id",
            [iso, iso],
        )
        names = [d[0] for d in cursor.description]
        return [decode_row(m.Commitment, dict(zip(names, r, strict=True))) for r in cursor]


class CampaignsRepository(Repository[m.Campaign]):
    table = "campaigns"
    model = m.Campaign
    noun = "chương trình vận động"
    default_order = "t.sort_order"
    search_columns = ("name",)

    def by_name(self, name: str) -> m.Campaign | None:
        """The campaign ``name`` names (``domain.by_name``: exact first, else one equal to it
        without tones and case); None for none or several."""
        return the_one(named(self.list(), name))


class AreasRepository(Repository[m.ActivityArea]):
    table = "activity_areas"
    model = m.ActivityArea
    noun = "lĩnh vực hoạt động"
    default_order = "t.sort_order"
    search_columns = ("name",)


class DistributionsRepository(Repository[m.Distribution]):
    table = "distributions"
    model = m.Distribution
    noun = "đợt trao quà"
    default_order = "t.given_on"


class AidRepository(Repository[m.AidRecord]):
    table = "aid_records"
    model = m.AidRecord
    noun = "lượt trợ giúp"
    default_order = "t.given_on"
    sort_columns: ClassVar = {"date": "t.given_on", "value": "(t.cash_value + t.goods_value)"}
    display_columns = (
        "COALESCE(a.name, p.full_name, t.group_name) AS recipient_name, "
        "c.name AS campaign_name, (t.cash_value + t.goods_value) AS value_total"
    )

    def _from(self) -> str:
        return (
            "[aid_records] t LEFT JOIN addresses a ON a.id = t.address_id "
            "LEFT JOIN people p ON p.id = t.person_id "
            "LEFT JOIN campaigns c ON c.id = t.campaign_id"
        )

    def _search_clause(self, text: str):
        from chapter_app.store.repository import like_pattern

        pattern = like_pattern(text)
        clause = (
            "(t.address_id IN (SELECT id FROM addresses WHERE fold(name) LIKE ? ESCAPE '\\') "
            "OR fold(t.group_name) LIKE ? ESCAPE '\\'"
        )
        params: list[Any] = [pattern, pattern]
        people = people_match_clause("t.person_id", text)
        if people:
            clause += " OR " + people[0]
            params.extend(people[1])
        return clause + ")", params


class BloodDrivesRepository(Repository[m.BloodDrive]):
    table = "blood_drives"
    model = m.BloodDrive
    noun = "đợt hiến máu"
    default_order = "t.held_on"
    search_columns = ("partner", "notes")


class FirstAidRepository(Repository[m.FirstAidClass]):
    table = "firstaid_classes"
    model = m.FirstAidClass
    noun = "lớp sơ cấp cứu"
    default_order = "t.held_on"
    search_columns = ("title", "notes")


class HealthRepository(Repository[m.HealthActivity]):
    table = "health_activities"
    model = m.HealthActivity
    noun = "hoạt động chăm sóc sức khỏe"
    default_order = "t.held_on"
    search_columns = ("notes",)


class DrillsRepository(Repository[m.DisasterDrill]):
    table = "disaster_drills"
    model = m.DisasterDrill
    noun = "buổi diễn tập phòng chống thiên tai"
    default_order = "t.held_on"
    search_columns = ("notes",)


class TargetsRepository(Repository[m.Target]):
    table = "targets"
    model = m.Target
    noun = "chỉ tiêu"
    default_order = "t.year"

    def for_year(self, year: int) -> dict[str, int]:
        return {t.key: t.value for t in self.list(Query(filters={"year": year}))}

    def set(self, year: int, key: str, value: int) -> m.Target:
        """Set the target of ``key`` for ``year`` (replacing any earlier one)."""
        with self.ops.run(f"Đặt {self.noun}"):
            existing = self.list(Query(filters={"year": year, "key": key}))
            if existing:
                return self.update(existing[0].id, value=value)
            return self.add(year=year, key=key, value=value)


__all__ = [name for name in dir() if name.endswith("Repository")] + [
    "NotFoundError",
    "person_name_columns",
]
