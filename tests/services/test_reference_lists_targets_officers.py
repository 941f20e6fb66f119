"""Reference lists, yearly targets and officers: editable, never losing what records use."""

from __future__ import annotations

from datetime import date

import pytest

from chapter_app.domain.periods import parse_period
from chapter_app.errors import AppError
from chapter_app.services import reference_lists as rl
from chapter_app.services import targets as tg
from chapter_app.services.officers import officers, set_officer, signer
from chapter_app.services.report.data import build_report


@pytest.mark.parametrize("kind", ["campaigns", "areas", "categories", "forms"])
def test_every_list_can_add_rename_hide_and_reorder(store, kind):
    entry = rl.add_entry(store, kind, "Mục thử nghiệm", name_en="Test entry")
    assert rl.list_entries(store, kind)[-1].id == entry.id
    assert entry.label("en") == "Test entry" and entry.label("vi") == "Mục thử nghiệm"
    rl.rename_entry(store, kind, entry.id, "Mục đã đổi", name_en="Renamed")
    rl.move_entry(store, kind, entry.id, by=-100)
    first = rl.list_entries(store, kind)[0]
    assert (first.id, first.name, first.name_en) == (entry.id, "Mục đã đổi", "Renamed")
    rl.hide_entry(store, kind, entry.id)
    assert entry.id not in [e.id for e in rl.list_entries(store, kind, include_hidden=False)]
    assert rl.get_entry(store, kind, entry.id).hidden
    with pytest.raises(AppError, match="đã có"):
        rl.add_entry(store, kind, "MUC DA DOI")


def test_an_entry_in_use_is_never_deleted(store):
    tet = rl.find_entry(store, "campaigns", "tết nhân ái")
    store.aid.add(
        given_on=date(2026, 1, 20),
        recipient_kind="group",
        group_name="Chợ Tết",
        campaign_id=tet.id,
        form="goods",
    )
    assert rl.get_entry(store, "campaigns", tet.id).uses == 1
    with pytest.raises(AppError, match="đang được dùng"):
        rl.delete_entry(store, "campaigns", tet.id)
    assert store.campaigns.find(tet.id) is not None
    goods = rl.find_entry(store, "forms", "goods")
    assert goods.uses == 1 and goods.name == "Hiện vật, quà"
    unused = rl.add_entry(store, "campaigns", "Trung thu")
    rl.delete_entry(store, "campaigns", unused.id)
    assert rl.find_entry(store, "campaigns", "Trung thu") is None


def test_targets_are_set_copied_and_refused_when_unknown(store):
    tg.set_targets(store, 2025, {"members.new": 40, "blood.units": "1.200"})
    assert tg.targets_for(store, 2025) == {"members.new": 40, "blood.units": 1200}
    tg.set_targets(store, 2025, {"blood.units": ""})
    assert tg.targets_for(store, 2025) == {"members.new": 40}
    assert tg.copy_targets(store, 2025, 2026) == {"members.new": 40}
    with pytest.raises(AppError, match=r"Không có chỉ tiêu «members\.nw»"):
        tg.set_targets(store, 2026, {"members.new": 50, "members.nw": 3})
    with pytest.raises(AppError, match="số nguyên không âm"):
        tg.set_targets(store, 2026, {"members.new": "-5"})
    assert tg.targets_for(store, 2026) == {"members.new": 40}  # nothing of the bad calls
    with pytest.raises(AppError, match="chưa có chỉ tiêu"):
        tg.copy_targets(store, 2020, 2021)
    keys = [key for key, _label, _unit in tg.TARGET_KEYS]
    assert "members.new" in keys and "aid.value_cash" not in keys


def test_the_report_carries_the_target_and_the_percent_of_it(store):
    tg.set_targets(store, 2026, {"blood.units": 120})
    store.blood_drives.add(held_on=date(2026, 2, 1), donors=25, units=30)
    store.blood_drives.add(held_on=date(2026, 8, 1), donors=25, units=30)
    data = build_report(store, parse_period("2026-Q3"), issued_on=date(2026, 10, 5))
    row = next(r for r in data.indicators if r.key == "blood.units")
    assert (row.target, row.percent_of_target) == (120, 50.0)


def test_the_signer_is_the_chairman_else_a_vice_chairman_for_him(store):
    assert signer(store).name == ""
    vice = set_officer(store, title="vice_chairman", full_name="Trần Thị Bình")
    assert signer(store, date(2026, 1, 1)) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thị Bình")
    set_officer(
        store,
        title="chairman",
        full_name="Nguyễn Văn An",
        from_on=date(2025, 1, 1),
        to_on=date(2026, 3, 31),
    )
    assert signer(store, date(2026, 1, 1)).name == "Nguyễn Văn An"
    assert signer(store, date(2026, 5, 1)).name == "Trần Thị Bình"
    assert [r.title for r in officers(store, date(2026, 1, 1))] == ["chairman", "vice_chairman"]
    assert store.officers.get(vice.id).person_id is not None
    with pytest.raises(AppError, match="Chức vụ"):
        set_officer(store, title="boss", full_name="X")


def test_the_report_is_signed_by_the_officer_in_office(store):
    set_officer(store, title="vice_chairman", full_name="Trần Thị Bình")
    data = build_report(store, parse_period("2026-Q3"), issued_on=date(2026, 10, 5))
    assert (data.signing_form, data.signer_title, data.signer_name) == (
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Thị Bình",
    )


def test_the_english_report_names_a_campaign_by_its_english_name(store):
    entry = rl.add_entry(store, "campaigns", "Trung thu cho em", name_en="Mid-Autumn for children")
    store.aid.add(
        given_on=date(2026, 9, 10),
        recipient_kind="group",
        group_name="Trẻ em thôn 3",
        campaign_id=entry.id,
        form="goods",
        goods_value=5_000_000,
    )
    english = build_report(store, parse_period("2026-Q3"), lang="en", issued_on=date(2026, 10, 5))
    assert [g.name for g in english.by_campaign] == ["Mid-Autumn for children"]
    vietnamese = build_report(store, parse_period("2026-Q3"), issued_on=date(2026, 10, 5))
    assert [g.name for g in vietnamese.by_campaign] == ["Trung thu cho em"]
