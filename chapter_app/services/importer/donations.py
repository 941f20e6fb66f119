"""Blood donation logs (sổ theo dõi người hiến máu tình nguyện), in either of the two
shapes chapters keep:

- one row per donation: name, birth year, sex, ID number, thôn, blood group, the date,
  the volume (250/350/450 ml, or a component such as "tiểu cầu"), place, certificate;
- one row per donor: the same person columns with "Số lần hiến" and the date of the last.

People are matched as the other imports match them: by ID number, else by name and birth
year (on file, or an earlier row of the same sheet: one person, many donations). Someone
not on file is added. A donation already on file (same person, same day) is a duplicate.
A per-donor row sets the donor's donations made before the register (count and last date).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chapter_app.domain.blood import WHOLE_BLOOD_VOLUMES, DonationKind, parse_blood_group
from chapter_app.domain.text import clean_text, fold
from chapter_app.domain.validation import N_, Issue, parse_date, validate_person
from chapter_app.services import records as rec
from chapter_app.services.importer import fields as F
from chapter_app.services.importer.cells import blank, is_number, to_date, to_text
from chapter_app.services.importer.outcomes import Duplicate, PlannedRow
from chapter_app.services.importer.people import PersonPlanner, _PeopleIndex
from chapter_app.services.importer.planner import Planner, Writer, register

KIND = "donations"
F.declare_kind(
    KIND,
    noun=N_("lượt hiến máu"),
    title=N_("SỔ THEO DÕI NGƯỜI HIẾN MÁU TÌNH NGUYỆN"),
    fields=(
        *F._PERSON,  # the person columns every person sheet shares
        F.make_field("blood_group", "Nhóm máu", F.TEXT, "nhom mau abo", "nhom mau rh", "abo"),
        F.make_field(
            "donated_on",
            "Ngày hiến",
            F.DATE,
            "ngay hien mau",
            "ngay",
            "thoi gian hien",
            "ngay hien mau tinh nguyen",
        ),
        F.make_field(
            "volume",
            "Thể tích (ml)",
            F.TEXT,
            "the tich",
            "luong mau",
            "luong mau hien",
            "so ml",
            "ml",
            "loai",
            "don vi mau",
            "the tich mau",
        ),
        F.make_field(
            "place",
            "Nơi hiến",
            F.TEXT,
            "dia diem",
            "dia diem hien",
            "noi tiep nhan",
            "co so tiep nhan",
            "don vi tiep nhan",
            "noi hien mau",
        ),
        F.make_field(
            "certificate_no",
            "Số giấy chứng nhận",
            F.TEXT,
            "so chung nhan",
            "giay chung nhan",
            "so gcn",
            "gcn",
        ),
        F.make_field(
            "count",
            "Số lần hiến",
            F.COUNT,
            "so lan hien mau",
            "tong so lan hien",
            "so lan da hien",
            "so lan",
        ),
        F.make_field(
            "last_on",
            "Lần hiến gần nhất",
            F.DATE,
            "ngay hien gan nhat",
            "lan hien cuoi",
            "ngay hien cuoi",
            "lan cuoi",
            "ngay hien lan cuoi",
        ),
    ),
    required_any=("full_name", "given_name"),
)

MSG_BLOOD_GROUP = N_("Nhóm máu “{text}” không hợp lệ; ghi A, B, AB hoặc O, kèm Rh+ hoặc Rh-.")
MSG_NO_DONATION = N_("Dòng không có ngày hiến, cũng không có số lần hiến.")
MSG_VOLUME = N_("Thể tích “{text}” không hợp lệ; ghi 250, 350, 450 ml hoặc tên thành phần máu.")
MSG_DATE = N_("Ngày “{text}” không đọc được; ghi theo dạng ngày/tháng/năm.")
MSG_FUTURE = N_("Ngày hiến {date} chưa đến.")
MSG_COUNT = N_("Số lần hiến “{text}” phải là số nguyên không âm.")
MSG_SEVERAL_PEOPLE = N_("Có {count} người trùng tên và năm sinh trong sổ; đã chọn {name}.")

_COMPONENT_WORDS = ("tieu cau", "huyet tuong", "hong cau", "thanh phan", "tc", "ht", "apheresis")


def read_volume(value: Any) -> tuple[str, int | None, str | None] | None:
    """(kind, ml, component) from a volume cell: ``350``, ``"350ml"``, ``"Tiểu cầu"``;
    None when it cannot be read. A blank cell is whole blood of unknown volume."""
    if blank(value):
        return DonationKind.WHOLE, None, None
    if is_number(value) and int(value) in WHOLE_BLOOD_VOLUMES and value == int(value):
        return DonationKind.WHOLE, int(value), None
    text = fold(str(value))
    digits = re.fullmatch(r"\s*([0-9]{3})\s*(ml)?\s*", text)
    if digits and int(digits.group(1)) in WHOLE_BLOOD_VOLUMES:
        return DonationKind.WHOLE, int(digits.group(1)), None
    if any(text == w or text.startswith(w + " ") for w in _COMPONENT_WORDS):
        return DonationKind.COMPONENT, None, clean_text(str(value))
    return None


@dataclass
class DonationPayload:
    cleaned: dict[str, Any]  # the person, as validate_person cleaned it
    person_id: int | None  # on file, or None: added (once, by ``first_row``)
    first_row: int | None  # the earlier sheet row naming the same person, if any
    blood_group: str | None
    donated_on: date | None
    kind: str
    volume_ml: int | None
    component: str | None
    place: str | None
    certificate_no: str | None
    count: int | None = None  # one row per donor: donations in all
    last_on: date | None = None
    notes: list[str] = field(default_factory=list)


class DonationPlanner(PersonPlanner):
    kind = KIND
    role_table = "donors"
    start_field = "donated_on"

    def __init__(self, store, layout, *, today, defaults):
        self.people = _PeopleIndex(store.exchange.lookups.people())
        self.roles = {}
        self.on_file: dict[tuple[int, str], int] = {}  # (person id, day) -> donation id
        self.seen_days: dict[tuple[Any, date], int] = {}  # (person, day) -> first sheet row
        Planner.__init__(self, store, layout, today=today, defaults=defaults)

    def prepare(self, rows: Sequence[tuple[int, Sequence[Any]]]) -> None:
        if self.on_file or not self.store.donations.count():
            return
        cursor = self.store.db.execute(
            "SELECT d.person_id, x.donated_on, x.id FROM donations x "
            "JOIN donors d ON d.id = x.donor_id WHERE x.deleted_at IS NULL"
        )
        self.on_file = {(pid, day): did for pid, day, did in cursor}

    def _date(self, g, key: str, issues: list[Issue]) -> date | None:
        value, found = to_date(g.get(key), key)
        issues += found
        if blank(value) or isinstance(value, date):
            return value or None
        day, found = parse_date(value, field=key)
        if day is None:
            issues.append(Issue.error(key, MSG_DATE, text=to_text(value)))
        return day

    def plan_row(self, row: int, values: Sequence[Any]) -> PlannedRow:
        g = self.gather(values)
        raw, sources, issues = self.person_input(g, row)
        cleaned, found = validate_person(raw, today=self.today, settings=self.settings)
        issues += found
        try:
            group = parse_blood_group(g.get("blood_group"))
        except ValueError:
            group = None
            issues.append(Issue.error("blood_group", MSG_BLOOD_GROUP, text=g.get("blood_group")))
        donated_on = self._date(g, "donated_on", issues)
        last_on = self._date(g, "last_on", issues)
        for day, key in ((donated_on, "donated_on"), (last_on, "last_on")):
            if day is not None and day > self.today:
                issues.append(Issue.error(key, MSG_FUTURE, date=f"{day:%d/%m/%Y}"))
        count = g.get("count")
        if not blank(count):
            if is_number(count) and count == int(count) and count >= 0:
                count = int(count)
            elif isinstance(count, str) and count.strip().isdigit():
                count = int(count.strip())
            else:
                issues.append(Issue.error("count", MSG_COUNT, text=count))
                count = None
        else:
            count = None
        volume = read_volume(g.get("volume"))
        if volume is None:
            issues.append(Issue.error("volume", MSG_VOLUME, text=g.get("volume")))
            volume = (DonationKind.WHOLE, None, None)
        if donated_on is None and count is None and not any(i.is_error for i in issues):
            issues.append(Issue.error("donated_on", MSG_NO_DONATION))
        label = cleaned.get("full_name") or clean_text(str(g.get("full_name") or ""))
        if donated_on is not None:
            label = f"{donated_on:%d/%m/%Y} – {label}"
        person_id = first_row = None
        duplicate = None
        if not any(i.is_error for i in issues):
            search_fold = fold(cleaned.get("full_name"))
            matches = self.people.matches(cleaned, search_fold)
            on_file = [m for m in matches if m.person_id is not None]
            earlier = [m for m in matches if m.row is not None]
            if on_file:
                person_id = on_file[0].person_id
                if len(on_file) > 1:
                    issues.append(
                        Issue.warning(
                            "full_name",
                            MSG_SEVERAL_PEOPLE,
                            count=len(on_file),
                            name=on_file[0].full_name,
                        )
                    )
            elif earlier:
                first_row = earlier[0].row
            else:
                self.people.add_row(cleaned, row, search_fold)
            duplicate = self._duplicate(person_id, first_row, donated_on)
        payload = DonationPayload(
            cleaned=cleaned,
            person_id=person_id,
            first_row=first_row,
            blood_group=group,
            donated_on=donated_on,
            kind=volume[0],
            volume_ml=volume[1],
            component=volume[2],
            place=clean_text(str(g["place"])) if not blank(g.get("place")) else None,
            certificate_no=(
                clean_text(str(to_text(g["certificate_no"])))
                if not blank(g.get("certificate_no"))
                else None
            ),
            count=count,
            last_on=last_on,
        )
        return self.finish(row, label, issues, sources, duplicate=duplicate, payload=payload)

    def _duplicate(self, person_id, first_row, day) -> Duplicate | None:
        if day is None:
            return None
        key = person_id if person_id is not None else ("row", first_row)
        if person_id is not None and (person_id, day.isoformat()) in self.on_file:
            return Duplicate(
                f"lần hiến ngày {day:%d/%m/%Y} đã có trong sổ",
                record_id=self.on_file[(person_id, day.isoformat())],
            )
        if first_row is not None or person_id is not None:
            earlier = self.seen_days.get((key, day))
            if earlier is not None:
                return Duplicate(f"dòng {earlier} trong tệp (cùng ngày hiến)", same_as_row=earlier)
        return None

    def finish(self, row, label, issues, sources, *, duplicate=None, payload=None):
        planned = super().finish(row, label, issues, sources, duplicate=duplicate, payload=payload)
        p = payload
        if p is not None and p.donated_on is not None and duplicate is None:
            key = p.person_id if p.person_id is not None else ("row", p.first_row or row)
            self.seen_days.setdefault((key, p.donated_on), row)
        return planned


class DonationWriter(Writer):
    """New people in bulk, then donor roles and donations, in the import's operation."""

    def write(self, todo: list[tuple[PlannedRow, str]]) -> tuple[int, int]:
        from chapter_app.services.blood.records import ensure_donor

        bulk = self.store.exchange.writer()
        person_of_row: dict[int, int] = {}  # row first naming a new person -> its id
        for row, _choice in todo:
            p: DonationPayload = row.payload
            first = p.first_row or row.row
            if p.person_id is None and first not in person_of_row:
                # the first row naming this person (or, when that row is not written, this one)
                cleaned = dict(p.cleaned)
                if row.refs:
                    self.place(row, cleaned, address_key="address")
                person_of_row[first] = bulk.add(self.store.people, rec.person_columns(cleaned))
        bulk.flush()
        added = updated = 0
        for row, choice in todo:
            p = row.payload
            person_id = p.person_id or person_of_row[p.first_row or row.row]
            values: dict[str, Any] = {}
            donor = self.store.donors.for_person_id(person_id)
            if p.blood_group and (donor is None or not donor.blood_group):
                values["blood_group"] = p.blood_group
            if p.count is not None:
                named = self.store.donations.count(filters={"donor_id": donor.id}) if donor else 0
                values["prior_donations"] = max(p.count - named - (1 if p.donated_on else 0), 0)
                values["prior_last_on"] = p.last_on
            donor = ensure_donor(self.store, person_id, **values)
            if p.donated_on is None:
                added += 1
                continue
            donation = {
                "donated_on": p.donated_on,
                "kind": p.kind,
                "volume_ml": p.volume_ml,
                "component": p.component,
                "place": p.place,
                "certificate_no": p.certificate_no,
            }
            if choice == "update" and row.duplicate and row.duplicate.record_id:
                self.store.donations.update(row.duplicate.record_id, **donation)
                updated += 1
            else:
                self.store.donations.add(donor_id=donor.id, **donation)
                added += 1
        return added, updated


register(KIND, planner=DonationPlanner, writer=DonationWriter)
