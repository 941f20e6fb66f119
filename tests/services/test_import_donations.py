"""Importing donation logs on a register made by ``init`` alone, then asking who is due
honours and who may give: the answers are counted by hand from the log in the test."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

import openpyxl
import pytest

from chapter_app.cli import main
from chapter_app.domain.blood import DEFAULT_HONOUR_THRESHOLDS
from chapter_app.services.importer import apply_import, plan_import

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Đức"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Khánh", "Lan", "Mai", "Nam", "Phúc"]
UNITS = ["Thôn Đông", "Thôn Tây", "Thôn Nam", "Tổ dân phố 3"]
PLACES = ["Bệnh viện tỉnh", "Viện Huyết học - Truyền máu Trung ương", "Hội CTĐ xã"]
DRIVE_DAY = date(2026, 12, 20)
LAST_DAY = date(2026, 11, 30)  # every donation in the log is before this


def _log(seed: int = 7, donors: int = 70):
    """(rows, people): one row per donation, shuffled; people by name with their donations."""
    rng = random.Random(seed)
    names = sorted({f"{f} {m} {g}" for f in FAMILY for m in MIDDLE for g in GIVEN})
    people = {}
    rows = []
    for name in rng.sample(names, donors):
        year = rng.randrange(1958, 2008)
        sex = rng.choice(["Nam", "Nữ"])
        unit = rng.choice(UNITS)
        group = rng.choice(["O+", "A+", "B+", "AB+", "O-", "A (Rh+)", "b rh+", ""])
        count = rng.choice([1, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12])
        day = date(2023, 1, 2) + timedelta(days=rng.randrange(0, 200))
        days = []
        for _ in range(count):
            if day > LAST_DAY:
                break
            days.append(day)
            day += timedelta(days=84 + rng.randrange(0, 90))
        people[name] = {"year": year, "days": days}
        for d in days:
            rows.append(
                [
                    name,
                    year,
                    sex,
                    unit,
                    group,
                    d.strftime("%d/%m/%Y") if rng.random() < 0.5 else d,
                    rng.choice([250, 350, 350, 450, "350ml", "350 ml"]),
                    rng.choice(PLACES),
                    f"GCN-{rng.randrange(10**6):06d}",
                ]
            )
    rng.shuffle(rows)
    return rows, people


def _write(path, rows, headers) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["SỔ THEO DÕI NGƯỜI HIẾN MÁU TÌNH NGUYỆN"])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)


HEADERS = [
    "Họ và tên",
    "Năm sinh",
    "Giới tính",
    "Thôn",
    "Nhóm máu",
    "Ngày hiến",
    "Thể tích",
    "Nơi hiến",
    "Số giấy chứng nhận",
]


@pytest.fixture
def blank_db(tmp_path):
    db = tmp_path / "x.db"
    assert main(["init", "--db", str(db), "--chapter-name", "Hội CTĐ xã Thử"]) == 0
    return str(db)


def _json(capsys, argv):
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_several_hundred_row_log_imports_and_lists_match_a_hand_count(tmp_path, blank_db, capsys):
    rows, people = _log()
    assert len(rows) >= 300
    sheet = tmp_path / "so-hien-mau.xlsx"
    _write(sheet, rows, HEADERS)
    assert main(["import", "donations", str(sheet), "--db", blank_db, "--create-missing"]) == 0
    from chapter_app.store.store import Store

    with Store.open(blank_db) as store:  # one person per donor, the thôn created
        assert store.people.count() == store.donors.count() == len(people)
        assert sorted(u.name for u in store.units.list()) == sorted(UNITS)
        assert store.donations.count() == len(rows)

    # Honours 2026: the highest threshold passed between the end of 2025 and of 2026.
    expected_honours = {}
    for name, p in people.items():
        before = sum(d.year <= 2025 for d in p["days"])
        after = sum(d.year <= 2026 for d in p["days"])
        passed = [t for t in DEFAULT_HONOUR_THRESHOLDS if before < t <= after]
        if passed:
            expected_honours[name] = (max(passed), after)
    honours = _json(capsys, ["donors", "honours", "--db", blank_db, "--year", "2026", "--json"])
    assert {r["name"]: (r["threshold"], r["donations"]) for r in honours} == expected_honours
    assert expected_honours  # the log does reach thresholds

    # Due on 20/12/2026: last whole-blood donation 12 weeks before, aged 18-60 (birth year).
    expected_due = {
        name
        for name, p in people.items()
        if p["days"]
        and max(p["days"]) <= DRIVE_DAY - timedelta(weeks=12)
        and 18 <= DRIVE_DAY.year - p["year"] <= 60
    }
    due = _json(capsys, ["donors", "due", "--db", blank_db, "--on", "2026-12-20", "--json"])
    assert {r["name"] for r in due} == expected_due
    assert expected_due and len(expected_due) < len(people)  # some are due, some are not
    assert all("blood_group" not in r for r in due)  # sensitive: not unless asked

    # stats: donors, repeat donors and units of 2026.
    gave_2026 = {n: p for n, p in people.items() if any(d.year == 2026 for d in p["days"])}
    stats = _json(capsys, ["stats", "--db", blank_db, "--period", "2026", "--json"])["period"]
    assert stats["blood"]["donors"] == len(gave_2026)
    assert stats["blood"]["units"] == sum(
        sum(d.year == 2026 for d in p["days"]) for p in people.values()
    )
    assert stats["blood"]["repeat_donors"] == sum(
        1 for p in gave_2026.values() if sum(d.year <= 2026 for d in p["days"]) > 1
    )
    assert stats["blood"]["first_time"] == sum(
        1 for p in gave_2026.values() if min(p["days"]).year == 2026
    )

    # Importing the same log again adds nothing: every donation is a duplicate (and the
    # command says so, exiting non-zero as every import does when nothing is imported).
    capsys.readouterr()
    assert main(["import", "donations", str(sheet), "--db", blank_db, "--create-missing"]) == 1
    assert "trùng" in capsys.readouterr().err
    again = _json(capsys, ["stats", "--db", blank_db, "--period", "2026", "--json"])["period"]
    assert again["blood"] == stats["blood"]


def test_one_row_per_donor_sets_donations_before_the_register(tmp_path, store):
    sheet = tmp_path / "tong-hop.xlsx"
    _write(
        sheet,
        [
            ["Nguyễn Văn Mười", 1980, "Nam", "Thôn Đông", 10, "15/03/2026"],
            ["Lê Thị Bốn", 1990, "Nữ", "Thôn Tây", 4, "01/06/2025"],
        ],
        ["Họ và tên", "Năm sinh", "Giới tính", "Thôn", "Số lần hiến", "Lần hiến gần nhất"],
    )
    plan = plan_import(store, sheet, "donations", create_missing=True, today=date(2026, 12, 1))
    assert [r.outcome for r in plan.rows] == ["ok", "ok"]
    apply_import(store, plan)
    donors = {r["full_name"]: r for r in store.donors.rows()}
    assert donors["Nguyễn Văn Mười"]["prior_donations"] == 10
    assert store.blood.total_of(donors["Lê Thị Bốn"]["id"], date(2026, 12, 31)) == 4
    from chapter_app.services.blood.honours import honour_candidates

    assert [(c.name, c.threshold) for c in honour_candidates(store, 2026)] == [
        ("Nguyễn Văn Mười", 10)
    ]


def test_bad_cells_are_named_and_nothing_is_imported(tmp_path, store):
    sheet = tmp_path / "loi.xlsx"
    _write(
        sheet,
        [
            ["Nguyễn Văn An", 1990, "Nam", "Thôn Đông", "C+", "01/02/2026", 350, "", ""],
            ["Trần Thị Bé", 1991, "Nữ", "Thôn Đông", "O", "01/02/2026", 300, "", ""],
            ["Lê Văn Chín", 1992, "Nam", "Thôn Đông", "O", "", "", "", ""],
        ],
        HEADERS,
    )
    plan = plan_import(store, sheet, "donations", create_missing=True, today=date(2026, 12, 1))
    messages = [i.message() for r in plan.rows for i in r.issues]
    assert any(m.startswith("Ô E3") and "Nhóm máu" in m for m in messages)
    assert any(m.startswith("Ô G4") for m in messages)
    assert any("không có ngày hiến" in m for m in messages)
    from chapter_app.services.importer import ImportRefused

    with pytest.raises(ImportRefused):
        apply_import(store, plan)
    assert store.donations.count() == 0 and store.people.count() == 0


def test_same_person_same_day_twice_in_the_log_is_one_donation(tmp_path, store):
    sheet = tmp_path / "lap.xlsx"
    row = ["Nguyễn Văn An", 1990, "Nam", "Thôn Đông", "O+", "01/02/2026", 350, "", ""]
    later = [*row[:5], "10/05/2026", 250, "", ""]
    _write(sheet, [row, later, row], HEADERS)
    plan = plan_import(store, sheet, "donations", create_missing=True, today=date(2026, 12, 1))
    assert [r.outcome for r in plan.rows] == ["ok", "ok", "duplicate"]
    assert plan.rows[2].duplicate.same_as_row == 3
    apply_import(store, plan)
    assert store.people.count() == 1
    assert [d.volume_ml for d in store.donations.list(order_by="donated_on")] == [350, 250]
