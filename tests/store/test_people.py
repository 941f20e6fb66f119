"""People: name parts, collation keys, Vietnamese sort, tone-less search, duplicates."""

from __future__ import annotations

import pytest

from chapter_app.domain.text import fold, person_sort_key


def _names(people) -> list[str]:
    return [p.full_name for p in people]


# --- names -------------------------------------------------------------------------------


def test_full_name_is_split_into_family_middle_and_given(store):
    person = store.people.add(full_name="Nguyễn Thị Minh Anh")
    assert (person.family_name, person.middle_name, person.given_name) == (
        "Nguyễn",
        "Thị Minh",
        "Anh",
    )
    assert person.full_name == "Nguyễn Thị Minh Anh"


def test_full_name_is_cleaned_of_extra_spaces(store):
    person = store.people.add(full_name="  Trần   Văn\tAn ")
    assert person.full_name == "Trần Văn An"
    assert person.given_name == "An"


def test_name_parts_given_separately_build_the_full_name(store):
    person = store.people.add(family_name="Lê", middle_name="Văn", given_name="Bình")
    assert person.full_name == "Lê Văn Bình"


def test_sort_key_and_search_fold_are_computed(store):
    person = store.people.add(full_name="Đỗ Thị Hằng")
    assert person.sort_key == person_sort_key("Đỗ", "Thị", "Hằng")
    assert person.search_fold == "do thi hang"


def test_sort_key_and_search_fold_are_recomputed_when_the_full_name_changes(store):
    person = store.people.add(full_name="Nguyễn Văn An")
    renamed = store.people.update(person.id, full_name="Phạm Đức Bình")
    assert (renamed.family_name, renamed.middle_name, renamed.given_name) == (
        "Phạm",
        "Đức",
        "Bình",
    )
    assert renamed.sort_key == person_sort_key("Phạm", "Đức", "Bình")
    assert renamed.search_fold == "pham duc binh"


def test_changing_one_name_part_recomputes_the_full_name_and_keys(store):
    person = store.people.add(full_name="Nguyễn Văn An")
    renamed = store.people.update(person.id, given_name="Ánh")
    assert renamed.full_name == "Nguyễn Văn Ánh"
    assert renamed.sort_key == person_sort_key("Nguyễn", "Văn", "Ánh")
    assert renamed.search_fold == fold("Nguyễn Văn Ánh")


def test_changing_other_fields_keeps_the_name_columns(store):
    person = store.people.add(full_name="Nguyễn Văn An")
    changed = store.people.update(person.id, phone="0912345678")
    assert changed.sort_key == person.sort_key
    assert changed.search_fold == person.search_fold


def test_a_person_without_a_given_name_is_refused(store):
    with pytest.raises(ValueError):
        store.people.add(full_name="   ")
    assert store.people.count(include_deleted=True) == 0


# --- sorting -----------------------------------------------------------------------------


def test_list_is_sorted_by_given_name_with_vietnamese_collation(store):
    for name in ["Phạm Đức", "Lê Văn Bình", "Hoàng Văn Dũng", "Nguyễn Thị Ánh", "Trần Văn An"]:
        store.people.add(full_name=name)
    assert _names(store.people.list()) == [
        "Trần Văn An",
        "Nguyễn Thị Ánh",
        "Lê Văn Bình",
        "Hoàng Văn Dũng",
        "Phạm Đức",
    ]


def test_d_with_stroke_sorts_after_d_and_before_e(store):
    for name in ["Vũ Thị Em", "Phạm Đức", "Lê Văn Dũng", "Trần Đào"]:
        store.people.add(full_name=name)
    assert [p.given_name for p in store.people.list()] == ["Dũng", "Đào", "Đức", "Em"]


def test_same_given_name_sorts_by_family_name(store):
    for name in ["Trần Văn An", "Lê Thị An", "Nguyễn Văn An"]:
        store.people.add(full_name=name)
    assert _names(store.people.list()) == ["Lê Thị An", "Nguyễn Văn An", "Trần Văn An"]


def test_list_sorted_by_name_descending(store):
    for name in ["Trần Văn An", "Lê Văn Bình", "Phạm Đức"]:
        store.people.add(full_name=name)
    assert _names(store.people.list(order_by="name", descending=True)) == [
        "Phạm Đức",
        "Lê Văn Bình",
        "Trần Văn An",
    ]


# --- search ------------------------------------------------------------------------------


@pytest.fixture
def people(store):
    return {
        "an": store.people.add(
            full_name="Nguyễn Văn An", id_number="001080012345", phone="0912345678"
        ),
        "anh": store.people.add(full_name="Nguyễn Thị Ánh", phone="0987654321"),
        "hang": store.people.add(full_name="Đỗ Thị Hằng", id_number="034190098765"),
        "binh": store.people.add(full_name="Lê Văn Bình"),
    }


def test_search_without_tones_finds_the_person(store, people):
    assert people["an"].id in [p.id for p in store.people.search("nguyen van an")]


def test_search_is_case_and_tone_insensitive(store, people):
    assert people["an"].id in [p.id for p in store.people.search("NGUYỄN VĂN AN")]


def test_search_for_d_finds_d_with_stroke(store, people):
    assert [p.id for p in store.people.search("do")] == [people["hang"].id]
    assert [p.id for p in store.people.search("Đỗ")] == [people["hang"].id]


def test_search_words_are_prefixes(store, people):
    found = [p.id for p in store.people.search("ngu an")]
    assert set(found) == {people["an"].id, people["anh"].id}


def test_search_needs_every_word(store, people):
    assert [p.id for p in store.people.search("nguyen binh")] == []


def test_search_by_id_number_prefix(store, people):
    assert [p.id for p in store.people.search("0010800")] == [people["an"].id]
    assert [p.id for p in store.people.search("034190098765")] == [people["hang"].id]


def test_search_by_phone_prefix(store, people):
    assert [p.id for p in store.people.search("091234")] == [people["an"].id]
    assert [p.id for p in store.people.search("0987")] == [people["anh"].id]


def test_search_results_are_in_name_order(store, people):
    assert [p.id for p in store.people.search("nguyen")] == [people["an"].id, people["anh"].id]


def test_search_limit_caps_the_results(store):
    for i in range(30):
        store.people.add(full_name=f"Nguyễn Văn Số{i}")
    assert len(store.people.search("nguyen")) == 20
    assert len(store.people.search("nguyen", limit=5)) == 5


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "'",
        '""',
        '"Nguyễn',
        "AND",
        "OR",
        "NOT",
        "an AND",
        "*",
        "an*",
        "NEAR(",
        "NEAR(an binh",
        "(",
        ")",
        "^",
        "-",
        ":",
        "search_fold:an",
        "'; DROP TABLE people; --",
        "\\",
        "%",
        "_",
        "\x00",
        "   ",
        "",
    ],
)
def test_fts_hostile_search_text_never_raises(store, people, text):
    result = store.people.search(text)
    assert isinstance(result, list)
    assert store.people.count() == 4  # nothing was dropped or changed


def test_search_ignores_punctuation_inside_words(store, people):
    assert people["an"].id in [p.id for p in store.people.search('"nguyen" "an"')]


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("H’Hen Niê", "H’Hen Niê"),
        ("H’Hen Niê", "h'hen"),
        ("Y-Moan Ênuôl", "Y-Moan"),
        ("Y-Moan Ênuôl", "y-moan enuol"),
    ],
)
def test_name_with_apostrophe_or_hyphen_is_found_when_typed_as_written(store, stored, typed):
    # Ê Đê and other minority names are written with ’ or -; typing the name as it is
    # written must find the person.
    person = store.people.add(full_name=stored)
    assert [p.id for p in store.people.search(typed)] == [person.id]


def test_soft_deleted_person_is_not_found_by_search(store, people):
    store.people.delete(people["hang"].id)
    assert store.people.search("do thi hang") == []
    assert store.people.search("034190") == []


def test_renamed_person_is_found_by_the_new_name_only(store, people):
    store.people.update(people["binh"].id, full_name="Phan Văn Cường")
    assert [p.id for p in store.people.search("cuong")] == [people["binh"].id]
    assert store.people.search("binh") == []


def test_changed_phone_is_searchable(store, people):
    store.people.update(people["binh"].id, phone="0355111222")
    assert [p.id for p in store.people.search("0355")] == [people["binh"].id]


def test_members_are_searched_by_their_person_name(store, people):
    from datetime import date

    member = store.members.add(
        person_id=people["hang"].id, branch_id=None, admitted_on=date(2024, 1, 1)
    )
    store.members.add(person_id=people["binh"].id, branch_id=None, admitted_on=date(2024, 1, 1))
    assert [m.id for m in store.members.list(search="do hang")] == [member.id]


# --- duplicates ----------------------------------------------------------------------------


def test_find_duplicates_by_id_number(store):
    first = store.people.add(full_name="Nguyễn Văn An", id_number="001080012345")
    store.people.add(full_name="Nguyễn Văn An", id_number="001080099999")
    found = store.people.find_duplicates(id_number="001080012345")
    assert [p.id for p in found] == [first.id]


def test_find_duplicates_by_name_and_birth_year(store):
    same = store.people.add(full_name="Nguyễn Văn An", birth_year=1980)
    store.people.add(full_name="Nguyễn Văn An", birth_year=1981)
    store.people.add(full_name="Nguyễn Văn Anh", birth_year=1980)
    found = store.people.find_duplicates(full_name="nguyễn văn an", birth_year=1980)
    assert [p.id for p in found] == [same.id]


def test_find_duplicates_by_name_ignores_tones(store):
    same = store.people.add(full_name="Đỗ Thị Hằng", birth_year=1975)
    found = store.people.find_duplicates(full_name="Do Thi Hang", birth_year=1975)
    assert [p.id for p in found] == [same.id]


def test_find_duplicates_matches_either_rule(store):
    by_id = store.people.add(full_name="Trần Văn Ba", id_number="001")
    by_name = store.people.add(full_name="Lê Văn Bình", birth_year=1990)
    found = store.people.find_duplicates(id_number="001", full_name="Lê Văn Bình", birth_year=1990)
    assert {p.id for p in found} == {by_id.id, by_name.id}


def test_find_duplicates_excludes_the_person_being_edited_and_deleted_people(store):
    me = store.people.add(full_name="Nguyễn Văn An", id_number="001080012345")
    gone = store.people.add(full_name="Nguyễn Văn An", id_number="001080012345")
    store.people.delete(gone.id)
    assert store.people.find_duplicates(id_number="001080012345", exclude_id=me.id) == []


def test_find_duplicates_without_criteria_finds_nothing(store):
    store.people.add(full_name="Nguyễn Văn An", birth_year=1980)
    assert store.people.find_duplicates() == []
    assert store.people.find_duplicates(full_name="Nguyễn Văn An") == []
