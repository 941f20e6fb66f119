"""Fixtures of the service tests: a chapter's register and an upper level's database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from chapter_app.services import exchange as ex
from chapter_app.services.records import save_address, save_aid, save_member
from chapter_app.services.setup import init_database

TODAY = date(2026, 11, 23)


def make_chapter(path: Path, name: str, *, members: int, aid: list[int]):
    """A chapter with ``members`` admitted in Q3 2026 and aid records of the given cash values."""
    store = init_database(path, chapter_name=name, parent_name="Hội CTĐ tỉnh Thử", user="t")
    store.branches.add(name="Chi hội Thôn 1")
    for i in range(members):
        save_member(
            store,
            {
                "full_name": f"Hội Viên Số {i}",
                "birth": str(1950 + i),
                "id_number": f"0510{50 + i:02d}00{i:04d}",
                "phone": "0912345678",
                "branch": "Chi hội Thôn 1",
                "admitted_on": f"{1 + i}/07/2026",
                "health_notes": "Bệnh tim",
            },
            today=TODAY,
        )
    address = save_address(
        store, {"name": f"Hộ khó khăn {name}", "opened_on": "01/01/2026"}, today=TODAY
    ).record
    for value in aid:
        save_aid(
            store,
            {
                "given_on": "15/08/2026",
                "recipient_kind": "address",
                "address_id": address.id,
                "cash_value": value,
                "campaign": "Tháng Nhân đạo",
            },
            today=TODAY,
        )
    return store


@pytest.fixture
def chapter(tmp_path):
    store = make_chapter(tmp_path / "a.db", "Hội CTĐ xã An", members=3, aid=[500_000, 300_000])
    yield store
    store.close()


@pytest.fixture
def upper(tmp_path):
    store = init_database(tmp_path / "upper.db", chapter_name="Hội CTĐ tỉnh Thử", user="u")
    ex.enable_upper_mode(store)
    yield store
    store.close()
