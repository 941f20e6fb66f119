"""Realistic, deterministic demo data for trying the program and for benchmarks.

The same ``seed`` and ``today`` always give the same database. ``small`` is a
commune of a few thousand people; ``large`` is 100,000 people and 300,000 aid
records over five years. Rows are written in bulk (one summary audit entry per
table) inside a single transaction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from chapter_app.services.blood.demo import generate_donors
from chapter_app.services.setup import seed_reference_lists
from chapter_app.store.repository import Query
from chapter_app.store.store import Store

# Family names with their approximate share of the population (per cent).
FAMILY_NAMES = [
    ("Nguyễn", 38.4),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 3.5),
    ("Huỳnh", 2.5),
    ("Phan", 4.5),
    ("Vũ", 2.0),
    ("Võ", 2.0),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Trương", 0.8),
    ("Đinh", 0.6),
    ("Lương", 0.5),
    ("Mai", 0.4),
    ("Tạ", 0.2),
    ("Lâm", 0.3),
    ("Châu", 0.2),
]
MIDDLE_MALE = [
    "Văn",
    "Văn",
    "Văn",
    "Hữu",
    "Đức",
    "Minh",
    "Quang",
    "Thanh",
    "Công",
    "Xuân",
    "Đình",
    "Ngọc",
    "Tấn",
    "Quốc",
    "Thế",
    "Bá",
]
MIDDLE_FEMALE = [
    "Thị",
    "Thị",
    "Thị",
    "Thị",
    "Ngọc",
    "Thu",
    "Thanh",
    "Minh",
    "Kim",
    "Bích",
    "Hồng",
    "Mỹ",
    "Diệu",
    "Phương",
    "Thùy",
]
GIVEN_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Duy",
    "Đạt",
    "Đức",
    "Hải",
    "Hiếu",
    "Hoàng",
    "Hùng",
    "Huy",
    "Hưng",
    "Khánh",
    "Khoa",
    "Kiên",
    "Long",
    "Lộc",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Thịnh",
    "Toàn",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Vũ",
    "Hậu",
    "Lực",
    "Tỉnh",
    "Mạnh",
    "Ẩn",
]
GIVEN_FEMALE = [
    "Anh",
    "Ánh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hồng",
    "Huệ",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Tâm",
    "Thảo",
    "Thắm",
    "Thơ",
    "Thu",
    "Thủy",
    "Trang",
    "Trinh",
    "Tuyết",
    "Uyên",
    "Vân",
    "Vy",
    "Xuân",
    "Yến",
    "Ẩn",
    "Ngữ",
]
PLACE_WORDS = [
    "An",
    "Phú",
    "Hòa",
    "Thạnh",
    "Lộc",
    "Đông",
    "Tây",
    "Bình",
    "Mỹ",
    "Thọ",
    "Xuân",
    "Trung",
    "Hưng",
    "Phước",
    "Long",
    "Tân",
    "Đức",
    "Khánh",
    "Thượng",
    "Hạ",
]
STREETS = [
    "Nguyễn Huệ",
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Quang Trung",
    "Hai Bà Trưng",
    "Phan Đình Phùng",
    "Hùng Vương",
    "Bà Triệu",
    "Lý Thường Kiệt",
    "Võ Thị Sáu",
]
SPONSOR_ORGS = [
    "Công ty TNHH {p} {q}",
    "Ngân hàng Agribank chi nhánh {p}",
    "Trường THCS {p} {q}",
    "Chùa {p} {q}",
    "Hợp tác xã nông nghiệp {p} {q}",
    "Công ty CP Xây dựng {p}",
    "Quỹ Bảo trợ trẻ em {p}",
    "Hội Doanh nhân trẻ {p}",
    "Bưu điện {p} {q}",
]
PROVINCE_CODES = ["051", "049", "052", "054", "056", "048", "046", "001", "079"]
SKILLS = [
    "sơ cấp cứu",
    "ứng phó thảm họa",
    "vận động hiến máu",
    "chăm sóc người già",
    "truyền thông",
    "bơi cứu đuối",
]
TEAMS = ["Đội xung kích", "Đội sơ cấp cứu", "Câu lạc bộ hiến máu", "Câu lạc bộ TNV"]
BLOOD_CENTRES = [
    "Bệnh viện Đa khoa tỉnh",
    "Trung tâm Huyết học - Truyền máu",
    "Viện Huyết học - Truyền máu Trung ương",
    "Bệnh viện Chợ Rẫy",
]

SIZES = {
    "small": {
        "people": 3000,
        "members": 1200,
        "volunteers": 150,
        "youth": 120,
        "units": 8,
        "addresses": 150,
        "sponsors": 40,
        "aid": 5000,
        "donors": 400,
        "years": 5,
    },
    "large": {
        "people": 100_000,
        "members": 40_000,
        "volunteers": 3000,
        "youth": 2000,
        "units": 40,
        "addresses": 3000,
        "sponsors": 600,
        "aid": 300_000,
        "donors": 8000,
        "years": 5,
    },
}


@dataclass(frozen=True)
class DemoSummary:
    people: int
    members: int
    volunteers: int
    youth: int
    addresses: int
    sponsors: int
    commitments: int
    aid_records: int
    dues_payments: int


def _weighted(rng: random.Random, pairs):
    names, weights = zip(*pairs, strict=True)
    return rng.choices(names, weights=weights)[0]


def _random_day(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _id_number(rng: random.Random, sex: str, year: int) -> str:
    century = (year // 100) - 19  # 1900s -> 0, 2000s -> 1
    digit = {0: 0, 1: 2}.get(century, 0) + (1 if sex == "F" else 0)
    return f"{rng.choice(PROVINCE_CODES)}{digit}{year % 100:02d}{rng.randrange(10**6):06d}"


def _phone(rng: random.Random) -> str:
    return rng.choice(["03", "05", "07", "08", "09"]) + f"{rng.randrange(10**8):08d}"


def generate_demo(
    store: Store, *, size: str = "small", seed: int = 1, today: date | None = None
) -> DemoSummary:
    """Fill ``store`` with demo data. The database should be new (just initialised)."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}")
    spec = SIZES[size]
    today = today or date.today()
    rng = random.Random(seed)
    first_year = today.year - spec["years"] + 1

    with store.operation(f"Tạo dữ liệu mẫu ({size})"):
        seed_reference_lists(store)
        settings = store.settings.all()
        if not settings.get("chapter_name"):
            store.settings.update(
                {
                    "chapter_name": "Hội Chữ thập đỏ xã Tịnh Kỳ",
                    "parent_name": "Hội CTĐ tỉnh Quảng Ngãi",
                    "place_name": "Tịnh Kỳ",
                    "signer_name": "Nguyễn Văn Hùng",
                }
            )
        campaigns = {c.code: c.id for c in store.campaigns.list(Query())}
        areas = {a.code: a.id for a in store.areas.list(Query())}
        category_ids = [c.id for c in store.categories.list(Query())]

        # Units and branches: one residential branch per unit, plus a school and an agency.
        unit_names = []
        while len(unit_names) < spec["units"]:
            name = f"Thôn {rng.choice(PLACE_WORDS)} {rng.choice(PLACE_WORDS)}"
            if name not in unit_names and len(set(name.split()[1:])) == 2:
                unit_names.append(name)
        store.units.add_many(
            (
                {"id": i, "name": n, "kind": "thon", "valid_from": date(2000, 1, 1)}
                for i, n in enumerate(unit_names, start=1)
            ),
            audit_rows=False,
        )
        unit_ids = list(range(1, len(unit_names) + 1))
        branch_rows = [
            {"id": i, "name": f"Chi hội {n}", "kind": "residential", "founded_on": date(2005, 3, 1)}
            for i, n in enumerate(unit_names, start=1)
        ]
        branch_rows.append(
            {
                "id": len(branch_rows) + 1,
                "name": "Chi hội Trường THCS Tịnh Kỳ",
                "kind": "school",
                "founded_on": date(2012, 9, 5),
            }
        )
        branch_rows.append(
            {
                "id": len(branch_rows) + 1,
                "name": "Chi hội UBND xã",
                "kind": "agency",
                "founded_on": date(2010, 1, 10),
            }
        )
        store.branches.add_many(branch_rows, audit_rows=False)
        store.branches.units.add_many(
            ({"branch_id": i, "unit_id": i} for i in unit_ids), audit_rows=False
        )
        branch_ids = [row["id"] for row in branch_rows]

        # People.
        people = []
        for pid in range(1, spec["people"] + 1):
            sex = "F" if rng.random() < 0.52 else "M"
            age = min(95, max(1, int(rng.gauss(38, 20))))
            year = today.year - age
            full_date = rng.random() < 0.7
            birth = _random_day(rng, date(year, 1, 1), date(year, 12, 28)) if full_date else None
            middle = rng.choice(MIDDLE_FEMALE if sex == "F" else MIDDLE_MALE)
            if rng.random() < 0.25:  # two-word middle names are common
                middle += " " + rng.choice(["Minh", "Ngọc", "Thanh", "Hoài", "Bảo", "Gia"])
            unit = rng.choice(unit_ids)
            people.append(
                {
                    "id": pid,
                    "family_name": _weighted(rng, FAMILY_NAMES),
                    "middle_name": middle,
                    "given_name": rng.choice(GIVEN_FEMALE if sex == "F" else GIVEN_MALE),
                    "sex": sex,
                    "birth_date": birth,
                    "birth_year": year,
                    "id_number": _id_number(rng, sex, year)
                    if age >= 14 and rng.random() < 0.6
                    else None,
                    "phone": _phone(rng) if age >= 15 and rng.random() < 0.7 else None,
                    "address": (
                        f"{rng.randrange(1, 300)} {rng.choice(STREETS)}, {unit_names[unit - 1]}"
                    ),
                    "unit_id": unit,
                    "consent_date": _random_day(rng, date(2026, 1, 1), today)
                    if rng.random() < 0.5
                    else None,
                    "consent_scope": "register,report" if rng.random() < 0.5 else None,
                }
            )
        store.people.add_many(people, audit_rows=False)
        adults = [p for p in people if today.year - p["birth_year"] >= 18]
        young = [p for p in people if 16 <= today.year - p["birth_year"] <= 30]

        # Members with status history.
        member_people = rng.sample(adults, min(spec["members"], len(adults)))
        members, events, dues = [], [], []
        dues_rate = int(settings.get("dues_per_month") or 1000)
        for mid, person in enumerate(member_people, start=1):
            earliest = max(date(2000, 1, 1), date(person["birth_year"] + 18, 1, 1))
            admitted = (
                _random_day(rng, earliest, today)
                if rng.random() < 0.25
                else _random_day(
                    rng, earliest, min(today, date(max(earliest.year, first_year - 1), 12, 31))
                )
            )
            members.append(
                {
                    "id": mid,
                    "person_id": person["id"],
                    "branch_id": person["unit_id"]
                    if rng.random() < 0.9
                    else rng.choice(branch_ids),
                    "admitted_on": admitted,
                    "status": "admitted",
                    "status_on": admitted,
                    "decision_no": f"{rng.randrange(1, 99):02d}/QĐ-CTĐ",
                    "card_no": f"HV{mid:06d}" if rng.random() < 0.4 else None,
                }
            )
            events.append({"member_id": mid, "status": "admitted", "on_date": admitted})
            end_status = None
            if rng.random() < 0.10 and admitted < today - timedelta(days=60):
                end_status = rng.choice(["left", "removed", "died", "moved_out"])
                ended = _random_day(rng, admitted + timedelta(days=30), today)
                events.append({"member_id": mid, "status": end_status, "on_date": ended})
                members[-1].update(status=end_status, status_on=ended)
            for year in range(max(admitted.year, first_year), today.year + 1):
                if end_status or rng.random() < 0.15:
                    continue
                paid_on = _random_day(rng, date(year, 3, 1), min(date(year, 12, 20), today))
                if paid_on < admitted:
                    continue
                exempt = rng.random() < 0.05
                dues.append(
                    {
                        "member_id": mid,
                        "period_from": f"{year}-01",
                        "period_to": f"{year}-12",
                        "amount": 0 if exempt else 12 * dues_rate,
                        "paid_on": paid_on,
                        "receipt_no": f"{year}/{mid:05d}",
                        "exempt": exempt,
                    }
                )
        store.members.add_many(members, audit_rows=False)
        store.members.history.add_many(events, audit_rows=False)
        store.dues.add_many(dues, audit_rows=False)

        # Volunteers and youth.
        volunteers = []
        for person in rng.sample(adults, min(spec["volunteers"], len(adults))):
            registered = _random_day(rng, date(2015, 1, 1), today)
            left = _random_day(rng, registered, today) if rng.random() < 0.1 else None
            volunteers.append(
                {
                    "person_id": person["id"],
                    "registered_on": registered,
                    "left_on": left,
                    "is_core": rng.random() < 0.3,
                    "skills": ", ".join(rng.sample(SKILLS, 2)),
                    "team": rng.choice(TEAMS),
                    "hours": rng.randrange(0, 400),
                    "branch_id": person["unit_id"],
                }
            )
        store.volunteers.add_many(volunteers, audit_rows=False)
        youth = [
            {
                "person_id": p["id"],
                "kind": "teen" if today.year - p["birth_year"] < 18 else "youth",
                "registered_on": _random_day(rng, date(2018, 1, 1), today),
            }
            for p in rng.sample(young, min(spec["youth"], len(young)))
        ]
        store.youth.add_many(youth, audit_rows=False)

        # Humanitarian addresses, with categories, status history and household members.
        addresses, links, statuses, household = [], [], [], []
        heads = rng.sample(adults, min(spec["addresses"], len(adults)))
        for aid_, head in enumerate(heads, start=1):
            opened = _random_day(rng, date(2010, 1, 1), today)
            status, status_on = "following", opened
            statuses.append({"address_id": aid_, "status": "following", "on_date": opened})
            if rng.random() < 0.12 and opened < today - timedelta(days=365):
                status = rng.choice(["out_of_hardship", "stopped"])
                status_on = _random_day(rng, opened + timedelta(days=180), today)
                statuses.append(
                    {
                        "address_id": aid_,
                        "status": status,
                        "on_date": status_on,
                        "reason": "Đã thoát nghèo"
                        if status == "out_of_hardship"
                        else "Chuyển đi nơi khác",
                    }
                )
            addresses.append(
                {
                    "id": aid_,
                    "name": f"Hộ {head['family_name']} {head['middle_name']} {head['given_name']}",
                    "head_person_id": head["id"],
                    "unit_id": head["unit_id"],
                    "street_address": head["address"],
                    "opened_on": opened,
                    "survey_date": opened - timedelta(days=rng.randrange(5, 40)),
                    "certified_on": opened - timedelta(days=rng.randrange(1, 5)),
                    "file_no": f"ĐCNĐ-{aid_:04d}",
                    "status": status,
                    "status_on": status_on,
                    "circumstances": rng.choice(
                        [
                            "Chồng mất sớm, một mình nuôi hai con nhỏ.",
                            "Người già neo đơn, sức khỏe yếu.",
                            "Nhà bị hư hỏng sau bão, thu nhập bấp bênh.",
                            "Con bị bệnh hiểm nghèo, chi phí điều trị lớn.",
                        ]
                    ),
                    "needs": rng.choice(
                        [
                            "Hỗ trợ sinh kế",
                            "Sửa chữa nhà",
                            "Học bổng cho con",
                            "Hỗ trợ thường xuyên hằng tháng",
                        ]
                    ),
                }
            )
            for cat in rng.sample(category_ids, rng.choice([1, 1, 2, 3])):
                links.append({"address_id": aid_, "category_id": cat})
            household.append({"address_id": aid_, "person_id": head["id"], "relation": "Chủ hộ"})
        store.addresses.add_many(addresses, audit_rows=False)
        store.addresses.history.add_many(statuses, audit_rows=False)
        store.addresses.category_links.add_many(links, audit_rows=False)
        store.addresses.household.add_many(household, audit_rows=False)

        # Sponsors and commitments.
        sponsors = []
        for sid in range(1, spec["sponsors"] + 1):
            if rng.random() < 0.6:
                name = rng.choice(SPONSOR_ORGS).format(
                    p=rng.choice(PLACE_WORDS), q=rng.choice(PLACE_WORDS)
                )
                sponsors.append(
                    {
                        "id": sid,
                        "name": name,
                        "kind": "org",
                        "contact_name": f"{_weighted(rng, FAMILY_NAMES)} Văn "
                        f"{rng.choice(GIVEN_MALE)}",
                        "phone": _phone(rng),
                    }
                )
            else:
                person = rng.choice(adults)
                sponsors.append(
                    {
                        "id": sid,
                        "name": f"Ông/bà {person['family_name']} "
                        f"{person['middle_name']} {person['given_name']}",
                        "kind": "person",
                        "person_id": person["id"],
                        "phone": person["phone"],
                    }
                )
        store.sponsors.add_many(sponsors, audit_rows=False)
        commitments = []
        for address in addresses:
            if rng.random() < 0.6:
                start = _random_day(rng, address["opened_on"], today)
                end = (
                    start + timedelta(days=365 * rng.choice([1, 2, 3]))
                    if rng.random() < 0.5
                    else None
                )
                commitments.append(
                    {
                        "sponsor_id": rng.randrange(1, len(sponsors) + 1),
                        "address_id": address["id"],
                        "start_on": start,
                        "end_on": end,
                        "form": rng.choice(["cash", "cash", "rice", "scholarship", "livelihood"]),
                        "frequency": "hằng tháng",
                        "amount": rng.choice([300_000, 500_000, 500_000, 700_000, 1_000_000]),
                    }
                )
        store.commitments.add_many(commitments, audit_rows=False)

        # Aid records over the years, shaped by campaign seasons.
        aid_rows = _aid_rows(
            rng, spec["aid"], first_year, today, addresses, people, sponsors, campaigns, areas
        )
        store.aid.add_many(aid_rows, audit_rows=False)

        _activities(store, rng, first_year, today)
        generate_donors(  # its own random stream: the other demo data stay as they were
            store, rng=random.Random(seed + 17), adults=adults, today=today, count=spec["donors"]
        )
        for year in range(first_year, today.year + 1):
            for key, value in {
                "members.new": max(10, spec["members"] // 40),
                "aid.value_total": 50_000_000 * spec["aid"] // 5000,
                "blood.units": 120,
                "addresses.on_file": spec["addresses"],
            }.items():
                store.targets.add(year=year, key=key, value=value)

    return DemoSummary(
        people=len(people),
        members=len(members),
        volunteers=len(volunteers),
        youth=len(youth),
        addresses=len(addresses),
        sponsors=len(sponsors),
        commitments=len(commitments),
        aid_records=len(aid_rows),
        dues_payments=len(dues),
    )


def _aid_rows(rng, count, first_year, today, addresses, people, sponsors, campaigns, areas):
    campaign_plan = [  # (campaign code, weight, months it happens in, area code)
        ("tet", 40, (1, 2), "relief"),
        ("thang_nhan_dao", 15, (5,), "relief"),
        ("dia_chi_nhan_dao", 20, tuple(range(1, 13)), "relief"),
        ("cuu_tro", 10, (9, 10, 11), "disaster"),
        ("nguoi_tot", 5, tuple(range(1, 13)), "values"),
        ("dinh_duong", 4, (6, 7, 8), "health"),
        ("sinh_ke", 3, (3, 4), "relief"),
        ("hoc_bong", 3, (8, 9), "relief"),
    ]
    codes, weights = zip(*[(c, w) for c, w, _, _ in campaign_plan], strict=True)
    plan = {c: (months, area) for c, _, months, area in campaign_plan}
    years = list(range(first_year, today.year + 1))
    rows = []
    while len(rows) < count:
        code = rng.choices(codes, weights=weights)[0]
        months, area = plan[code]
        year = rng.choice(years)
        month = rng.choice(months)
        day = date(year, month, rng.randrange(1, 29))
        if day > today:
            continue
        pick = rng.random()
        cash = goods = 0
        if code == "tet":
            goods = rng.choice([300_000, 500_000, 500_000, 1_000_000])
        elif code == "dia_chi_nhan_dao":
            cash = rng.choice([300_000, 500_000, 1_000_000])
        elif code == "cuu_tro":
            cash, goods = rng.choice([(1_000_000, 500_000), (0, 700_000), (2_000_000, 0)])
        else:
            goods = rng.choice([200_000, 400_000, 600_000])
        row = {
            "given_on": day,
            "campaign_id": campaigns.get(code),
            "area_id": areas.get(area),
            "cash_value": cash,
            "goods_value": goods,
            "form": "cash" if cash and not goods else "goods",
            "funding_source": rng.choices(["own", "sponsor", "higher", "other"], [45, 30, 20, 5])[
                0
            ],
            "is_emergency": code == "cuu_tro",
            "quantity": 1,
            "unit": "suất",
        }
        if row["funding_source"] == "sponsor" and sponsors:
            row["sponsor_id"] = rng.randrange(1, len(sponsors) + 1)
        if pick < 0.4 and addresses:
            address = rng.choice(addresses)
            if address["opened_on"] > day:
                continue
            row.update(
                recipient_kind="address",
                address_id=address["id"],
                persons_reached=rng.randrange(1, 6),
                households_reached=1,
            )
        elif pick < 0.95:
            person = rng.choice(people)
            row.update(
                recipient_kind="person",
                person_id=person["id"],
                persons_reached=1,
                households_reached=1,
            )
        else:
            heads = rng.randrange(20, 120)
            row.update(
                recipient_kind="group",
                group_name="Chợ Tết 0 đồng" if code == "tet" else "Người dân vùng lũ",
                head_count=heads,
                persons_reached=heads,
                households_reached=heads // 3,
                quantity=heads,
            )
            row["goods_value"] = goods * heads // 4
        rows.append(row)
    return rows


def _activities(store: Store, rng: random.Random, first_year: int, today: date) -> None:
    drives, classes, health, drills = [], [], [], []
    for year in range(first_year, today.year + 1):
        for month in (1, 4, 6, 8, 11):
            held = date(year, month, rng.randrange(5, 25))
            if held > today:
                continue
            registered = rng.randrange(80, 220)
            donors = int(registered * rng.uniform(0.7, 0.9))
            u250 = int(donors * 0.3)
            u350 = int(donors * 0.6)
            drives.append(
                {
                    "held_on": held,
                    "partner": rng.choice(BLOOD_CENTRES),
                    "registered": registered,
                    "donors": donors,
                    "units": donors,
                    "units_250": u250,
                    "units_350": u350,
                    "units_450": donors - u250 - u350,
                }
            )
        for month in rng.sample(range(1, 13), 3):
            held = date(year, month, rng.randrange(1, 28))
            if held <= today:
                classes.append(
                    {
                        "held_on": held,
                        "title": "Tập huấn sơ cấp cứu ban đầu",
                        "trainees": rng.randrange(20, 60),
                        "cases_handled": rng.randrange(0, 15),
                    }
                )
        for month in (3, 7, 10, 12):
            held = date(year, month, rng.randrange(1, 28))
            if held <= today:
                health.append(
                    {
                        "held_on": held,
                        "kind": "checkup",
                        "person_times": rng.randrange(50, 300),
                        "value": rng.randrange(5, 40) * 1_000_000,
                    }
                )
        for month in (5, 8):
            held = date(year, month, rng.randrange(1, 28))
            if held <= today:
                drills.append(
                    {
                        "held_on": held,
                        "kind": "drill",
                        "sessions": 1,
                        "participants": rng.randrange(30, 150),
                    }
                )
    store.blood_drives.add_many(drives, audit_rows=False)
    store.firstaid.add_many(classes, audit_rows=False)
    store.health.add_many(health, audit_rows=False)
    store.drills.add_many(drills, audit_rows=False)
