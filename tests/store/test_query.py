"""Query: filters (scalar, NULL, IN, Range), sort, paging, search on small tables."""

from __future__ import annotations

from datetime import date

import pytest

from chapter_app.store.repository import Query, Range


@pytest.fixture
def drives(store):
    """Ten blood drives over 2024, one a month from January to October."""
    rows = []
    for month in range(1, 11):
        rows.append(
            store.blood_drives.add(
                held_on=date(2024, month, 15),
                partner=None if month % 3 == 0 else ("Bệnh viện A" if month % 2 else "Viện B"),
                donors=month * 10,
                units=month,
            )
        )
    return rows


def _months(records) -> list[int]:
    return [r.held_on.month for r in records]


def test_scalar_filter_matches_equal_values(store, drives):
    found = store.blood_drives.list(filters={"partner": "Bệnh viện A"})
    assert _months(found) == [1, 5, 7]


def test_none_filter_matches_null(store, drives):
    found = store.blood_drives.list(filters={"partner": None})
    assert _months(found) == [3, 6, 9]


def test_list_filter_matches_any_of_the_values(store, drives):
    found = store.blood_drives.list(filters={"donors": [20, 40, 999]})
    assert _months(found) == [2, 4]


def test_empty_list_filter_matches_nothing(store, drives):
    assert store.blood_drives.list(filters={"donors": []}) == []


def test_range_filter_on_dates_is_inclusive(store, drives):
    found = store.blood_drives.list(
        filters={"held_on": Range(date(2024, 3, 15), date(2024, 6, 15))}
    )
    assert _months(found) == [3, 4, 5, 6]


def test_range_filter_with_an_open_end(store, drives):
    since = store.blood_drives.list(filters={"held_on": Range(low=date(2024, 9, 1))})
    until = store.blood_drives.list(filters={"held_on": Range(high=date(2024, 2, 14))})
    assert _months(since) == [9, 10]
    assert _months(until) == [1]


def test_filters_combine_with_and(store, drives):
    found = store.blood_drives.list(
        filters={"partner": "Viện B", "held_on": Range(date(2024, 4, 1), date(2024, 12, 31))}
    )
    assert _months(found) == [4, 8, 10]


def test_count_applies_the_same_filters(store, drives):
    assert store.blood_drives.count(filters={"partner": None}) == 3
    assert store.blood_drives.count(Query(filters={"donors": Range(50, 70)})) == 3


def test_order_by_a_column_and_descending(store, drives):
    ascending = store.blood_drives.list(order_by="donors")
    descending = store.blood_drives.list(order_by="donors", descending=True)
    assert _months(ascending) == list(range(1, 11))
    assert _months(descending) == list(range(10, 0, -1))


def test_named_sort_column(store):
    store.aid.add(
        given_on=date(2024, 1, 1),
        recipient_kind="group",
        group_name="A",
        cash_value=100,
        goods_value=0,
    )
    store.aid.add(
        given_on=date(2024, 1, 2),
        recipient_kind="group",
        group_name="B",
        cash_value=10,
        goods_value=500,
    )
    store.aid.add(
        given_on=date(2024, 1, 3),
        recipient_kind="group",
        group_name="C",
        cash_value=0,
        goods_value=50,
    )
    by_value = store.aid.list(order_by="value", descending=True)
    assert [a.group_name for a in by_value] == ["B", "A", "C"]


def test_paging_with_limit_and_offset_gives_disjoint_pages(store, drives):
    pages = [
        store.blood_drives.list(Query(order_by="held_on", limit=3, offset=offset))
        for offset in (0, 3, 6, 9)
    ]
    ids = [[r.id for r in page] for page in pages]
    assert [len(page) for page in ids] == [3, 3, 3, 1]
    flat = [i for page in ids for i in page]
    assert len(flat) == len(set(flat)) == 10
    assert flat == [r.id for r in store.blood_drives.list(order_by="held_on")]


def test_count_ignores_paging(store, drives):
    assert store.blood_drives.count(Query(limit=2, offset=4)) == 10


def test_query_object_and_keywords_give_the_same_result(store, drives):
    query = Query(filters={"partner": "Viện B"}, order_by="donors", descending=True, limit=2)
    assert store.blood_drives.list(query) == store.blood_drives.list(
        filters={"partner": "Viện B"}, order_by="donors", descending=True, limit=2
    )


def test_unknown_filter_raises_value_error(store, drives):
    with pytest.raises(ValueError):
        store.blood_drives.list(filters={"colour": "đỏ"})
    with pytest.raises(ValueError):
        store.blood_drives.count(filters={"held_on; DROP TABLE people": 1})


def test_unknown_sort_raises_value_error(store, drives):
    with pytest.raises(ValueError):
        store.blood_drives.list(order_by="colour")
    with pytest.raises(ValueError):
        store.blood_drives.list(order_by="held_on; DROP TABLE people")
    assert store.blood_drives.count() == 10


def test_search_on_a_small_table_ignores_tones_and_case(store):
    store.units.add(name="Thôn Đông Hòa")
    store.units.add(name="Thôn Tây")
    assert [u.name for u in store.units.list(search="dong hoa")] == ["Thôn Đông Hòa"]
    assert [u.name for u in store.units.list(search="THÔN TÂY")] == ["Thôn Tây"]


def test_search_wildcards_are_literal(store):
    store.units.add(name="Thôn 1")
    store.units.add(name="Tổ 100%")
    assert [u.name for u in store.units.list(search="%")] == ["Tổ 100%"]
    assert store.units.list(search="_") == []


def test_members_filter_on_person_columns(store):
    woman = store.people.add(full_name="Nguyễn Thị Ánh", sex="F")
    man = store.people.add(full_name="Trần Văn An", sex="M")
    for person in (woman, man):
        store.members.add(person_id=person.id, branch_id=None, admitted_on=date(2024, 1, 1))
    found = store.members.list(filters={"person.sex": "F"})
    assert [m.person_id for m in found] == [woman.id]
