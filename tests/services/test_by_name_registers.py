"""Campaigns and chi hội found by name follow the ``by_name`` rule: the exact name wins, one
name equal without tones and case is taken, two or more are refused (never the first)."""

from __future__ import annotations

from datetime import date

import pytest

from chapter_app.errors import NotFoundError
from chapter_app.services import organisation as org
from chapter_app.services.records import resolve_branch

TODAY = date(2026, 11, 23)


def test_a_campaign_by_name_exact_first_one_folded_taken_two_refused(store):
    toned = store.campaigns.add(name="Quà Tết Ấm")
    plain = store.campaigns.add(name="Quà Tết Âm")
    only = store.campaigns.add(name="Học bổng Vượt khó")
    assert store.campaigns.by_name("Quà Tết Âm").id == plain.id  # exact, not the first
    assert store.campaigns.by_name("Quà Tết Ấm").id == toned.id
    assert store.campaigns.by_name("qua tet am") is None  # fits both: neither is taken
    assert store.campaigns.by_name("HOC BONG VUOT KHO").id == only.id


@pytest.fixture
def twins(store):
    """Two live chi hội whose names differ only in tones, and one more."""
    toned = store.branches.add(name="Chi hội Thôn Mỹ Hòa")
    plain = store.branches.add(name="Chi hội Thôn Mỹ Hoà Hạ")
    hoa = store.branches.add(name="Chi hội thôn Mý Hoa")
    return toned, plain, hoa


def test_a_branch_by_name_takes_the_exact_name_and_refuses_two_without_tones(store, twins):
    toned, _plain, hoa = twins
    assert store.branches.by_name("Chi hội thôn Mý Hoa").id == hoa.id
    assert store.branches.by_name("Chi hội Thôn Mỹ Hòa").id == toned.id
    assert store.branches.by_name("chi hoi thon my hoa") is None
    assert {b.id for b in store.branches.named("chi hoi thon my hoa")} == {toned.id, hoa.id}
    assert store.branches.by_name("Mỹ Hoà Hạ").id == twins[1].id  # the one short name


def test_of_two_branches_without_tones_the_only_live_one_is_taken(store, twins):
    toned, _plain, hoa = twins
    store.branches.update(hoa.id, dissolved_on=date(2020, 1, 1))
    assert store.branches.by_name("chi hoi thon my hoa").id == toned.id
    assert org.find_branch(store, "chi hoi thon my hoa").id == toned.id


def test_resolve_branch_names_the_candidates_of_an_ambiguous_name(store, twins):
    toned, _plain, _hoa = twins
    issues = []
    assert resolve_branch(store, "Chi hội Thôn Mỹ Hòa", issues) == toned.id and issues == []
    assert resolve_branch(store, "chi hoi thon my hoa", issues) is None
    (issue,) = issues
    assert issue.is_error and issue.field == "branch"
    assert "“Chi hội Thôn Mỹ Hòa”, “Chi hội thôn Mý Hoa”" in issue.message
    assert "Gõ tên đúng" in issue.message
    issues = []
    assert resolve_branch(store, "Chi hội Thôn 9", issues) is None
    assert "Không có chi hội" in issues[0].message


def test_get_branch_refuses_a_name_fitting_two_naming_them(store, twins):
    assert org.find_branch(store, "chi hoi thon my hoa") is None
    with pytest.raises(NotFoundError, match=r"Chi hội Thôn Mỹ Hòa.*Chi hội thôn Mý Hoa"):
        org.get_branch(store, "chi hoi thon my hoa")
    with pytest.raises(NotFoundError, match="Không có chi hội"):
        org.get_branch(store, "Chi hội Thôn 9")
