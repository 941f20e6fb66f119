"""Rows given to ``BulkWriter.add_rows`` as tuples in column order are stored as ``add``
stores the same values (ids in sequence after the rows added before, UUIDs, timestamps,
text in NFC, dates as ISO text), are written whenever a chunk is full, even in the middle
of the rows of one call, and are undone with the rest of the operation."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from chapter_app.domain.person_names import NAME_COLUMNS, NameParts
from chapter_app.store.store import Store

COLUMNS = (*NAME_COLUMNS, "birth_date", "birth_year", "phone", "agent_orange")


def person(n: int) -> dict:
    name = unicodedata.normalize("NFD", f"Nguyễn Thị Hằng {n}")  # stored in NFC
    return {"full_name": name, "birth_date": date(1960, 1, 1 + n), "birth_year": 1960}


def as_row(values: dict) -> tuple:
    names = NameParts.of(None, None, None, values["full_name"])
    return (*names, values["birth_date"], values["birth_year"], None, False)


def stored(store: Store) -> list[tuple]:
    cursor = store.db.execute("SELECT * FROM people ORDER BY id")
    names = [d[0] for d in cursor.description]
    keep = [i for i, n in enumerate(names) if n not in ("uuid", "created_at", "updated_at")]
    return [tuple(row[i] for i in keep) for row in cursor]


def test_rows_as_tuples_are_stored_as_add_stores_them(tmp_path):
    by_add = Store.open(tmp_path / "a.db", user="tester")
    by_rows = Store.open(tmp_path / "b.db", user="tester")
    try:
        for store, rows in ((by_add, False), (by_rows, True)):
            with store.operation("Nhập thử"):
                writer = store.exchange.writer(chunk_rows=4)
                assert writer.add(store.people, person(0)) == 1
                if rows:
                    ids = writer.add_rows(
                        store.people, COLUMNS, [as_row(person(n)) for n in range(1, 11)]
                    )
                    assert ids == range(2, 12)
                    assert writer.pending < 4  # written chunk by chunk, within the call too
                else:
                    for n in range(1, 11):
                        writer.add(store.people, person(n))
                assert writer.flush() == 11
        assert stored(by_rows) == stored(by_add)
        assert by_rows.people.get(11).full_name == "Nguyễn Thị Hằng 10"
        assert by_rows.people.get(11).birth_date == date(1960, 1, 11)
        uuids = [r[0] for r in by_rows.db.execute("SELECT uuid FROM people")]
        assert len(set(uuids)) == 11 and all(len(u) == 36 and u[14] == "4" for u in uuids)
        assert [p.full_name for p in by_rows.people.search("hang 7")] == ["Nguyễn Thị Hằng 7"]

        assert by_rows.undo() == "Nhập thử"
        assert by_rows.people.count() == 0
    finally:
        by_add.close()
        by_rows.close()


def test_rows_of_the_wrong_width_or_with_ids_are_refused(store):
    with store.operation("Nhập thử"):
        writer = store.exchange.writer()
        with pytest.raises(ValueError, match="values for"):
            writer.add_rows(store.people, COLUMNS, [as_row(person(1))[:-1]])
        with pytest.raises(ValueError, match="ids"):
            writer.add_rows(store.people, ("id", *COLUMNS), [(5, *as_row(person(1)))])


def test_rows_given_as_stored_are_written_as_given(tmp_path):
    """``stored=True``: rows already as ``stored_values`` makes them are stored as the
    same rows given plainly; nothing is encoded again (the caller's guarantee)."""
    from chapter_app.store.bulk import stored_values

    rows = [as_row(person(n)) for n in range(1, 8)]
    stores = [Store.open(tmp_path / f"{given}.db", user="tester") for given in ("plain", "stored")]
    try:
        for store, given in zip(stores, (False, True), strict=True):
            with store.operation("Nhập thử"):
                writer = store.exchange.writer(chunk_rows=3)
                batch = [tuple(stored_values(r)) for r in rows] if given else rows
                assert writer.add_rows(store.people, COLUMNS, batch, stored=given) == range(1, 8)
                writer.flush()
        assert stored(stores[1]) == stored(stores[0])
        with stores[1].operation("Nhập thử"):  # not NFC, given as stored: kept as it is
            writer = stores[1].exchange.writer()
            nfd = unicodedata.normalize("NFD", "Hằng")
            row = stored_values(rows[0])
            row[5] = nfd  # the search fold
            writer.add_rows(stores[1].people, COLUMNS, [row], stored=True)
            writer.flush()
        folds = stores[1].db.execute("SELECT search_fold FROM people WHERE id = 8").fetchone()
        assert folds == (nfd,)
    finally:
        for store in stores:
            store.close()
