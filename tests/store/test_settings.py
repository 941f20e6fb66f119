"""Settings: defaults, typed round trips, audited writes."""

from __future__ import annotations

import pytest

from chapter_app.store.settings import DEFAULTS
from chapter_app.store.store import Store


@pytest.fixture
def store(db_path):
    s = Store.open(db_path, user="cán bộ A")
    yield s
    s.close()


def test_defaults_are_returned_when_unset(store):
    assert store.settings.get("dues_per_month") == 1000
    assert store.settings.get("signer_title") == "CHỦ TỊCH"
    assert store.settings.get("recipients") == DEFAULTS["recipients"]
    assert store.settings.all() == DEFAULTS


def test_unknown_setting_gives_none_or_the_callers_default(store):
    assert store.settings.get("no_such_key") is None
    assert store.settings.get("no_such_key", 42) == 42


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("chapter_name", "Hội Chữ thập đỏ xã Hòa Bình"),
        ("dues_per_month", 2000),
        ("recipients", ["Hội CTĐ huyện", "Đảng ủy xã"]),
        ("recipients", []),
        ("dues_exempt_max_percent", 0),
        ("custom_flag", True),
    ],
)
def test_set_then_get_round_trips_the_value_and_its_type(store, key, value):
    store.settings.set(key, value)
    got = store.settings.get(key)
    assert got == value
    assert type(got) is type(value)


def test_settings_survive_reopening(db_path):
    with Store.open(db_path, user="t") as store:
        store.settings.set("chapter_name", "Hội CTĐ xã Tân Phú")
        store.settings.set("youth_max_age", 35)
    with Store.open(db_path, user="t") as store:
        assert store.settings.get("chapter_name") == "Hội CTĐ xã Tân Phú"
        assert store.settings.get("youth_max_age") == 35
        assert store.settings.all()["youth_max_age"] == 35


def test_update_writes_several_settings(store):
    store.settings.update({"place_name": "Tân Phú", "signer_name": "Lê Văn Bình"})
    assert store.settings.get("place_name") == "Tân Phú"
    assert store.settings.get("signer_name") == "Lê Văn Bình"


def test_setting_write_appears_in_the_audit_log(store):
    store.settings.set("dues_per_month", 2000)
    [entry] = store.audit_entries(action="setting")
    assert entry.user == "cán bộ A"
    assert entry.new_values == {"key": "dues_per_month", "old": 1000, "new": 2000}
    assert entry.op_label == "Sửa cài đặt"


def test_each_changed_setting_has_its_own_audit_entry_in_one_operation(store):
    store.settings.update({"place_name": "Tân Phú", "signer_name": "Lê Văn Bình"})
    entries = store.audit_entries(action="setting")
    assert {e.new_values["key"] for e in entries} == {"place_name", "signer_name"}
    assert len({e.op_id for e in entries}) == 1


def test_setting_an_unchanged_value_writes_nothing(store):
    store.settings.set("dues_per_month", 1000)  # the default
    assert store.audit_entries(action="setting") == []
    store.settings.set("place_name", "Tân Phú")
    store.settings.set("place_name", "Tân Phú")
    assert len(store.audit_entries(action="setting")) == 1
