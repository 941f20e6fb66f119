"""blood.* indicators: named donations counted by person, typed drives by their counts."""

from __future__ import annotations

from datetime import date

from chapter_app.domain.periods import parse_period
from chapter_app.services.blood.records import ensure_donor, record_donation
from chapter_app.services.indicators import indicator_blocks, stats_json

TODAY = date(2026, 12, 31)


def _give(store, person_id, day, volume=350, drive_id=None):
    record_donation(
        store, person_id=person_id, donated_on=day, volume_ml=volume, drive_id=drive_id, today=TODAY
    )


def _register(store):
    first = store.people.add(full_name="Nguyễn Văn Một", birth_year=1990).id
    twice = store.people.add(full_name="Trần Thị Hai", birth_year=1991).id
    veteran = store.people.add(full_name="Lê Văn Cũ", birth_year=1980).id
    ensure_donor(store, veteran, prior_donations=6, prior_last_on=date(2025, 5, 1))
    named_drive = store.blood_drives.add(held_on=date(2026, 10, 10), donors=99, units=99)
    _give(store, first, date(2026, 10, 10), 250, named_drive.id)
    _give(store, twice, date(2026, 4, 2), 350)
    _give(store, twice, date(2026, 10, 10), 450, named_drive.id)
    _give(store, veteran, date(2026, 10, 10), 350, named_drive.id)
    _give(store, veteran, date(2025, 10, 1), 350)  # last year: outside 2026
    # a drive whose names were not kept: its typed counts are added
    store.blood_drives.add(held_on=date(2026, 11, 1), donors=10, units=12, units_350=12)


def test_year_counts_distinct_named_donors_plus_typed_drives(store):
    _register(store)
    year = indicator_blocks(store, parse_period("2026"))["period"]
    assert year["blood.drives"] == 2
    assert year["blood.donors"] == 3 + 10
    assert year["blood.units"] == 4 + 12
    assert year["blood.volume_ml"] == 250 + 350 + 450 + 350 + 12 * 350
    # repeat: more than one donation by the end of the year (prior ones count)
    assert year["blood.repeat_donors"] == 2
    assert year["blood.first_time"] == 2  # Một, and Hai (first ever on 2 April)


def test_quarter_first_time_looks_at_donations_before_the_quarter(store):
    _register(store)
    q4 = indicator_blocks(store, parse_period("2026-Q4"))["period"]
    assert (q4["blood.donors"], q4["blood.first_time"], q4["blood.repeat_donors"]) == (13, 1, 2)


def test_population_share_appears_only_when_population_is_set(store):
    _register(store)
    assert "population_share" not in stats_json(store, parse_period("2026"))["period"]["blood"]
    store.settings.set("population", 1300)
    assert stats_json(store, parse_period("2026"))["period"]["blood"]["population_share"] == 1.0
