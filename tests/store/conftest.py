"""Store tests work on a bare database: schema only, no settings or reference lists."""

from __future__ import annotations

import pytest

from chapter_app.store.store import Store


@pytest.fixture
def store(db_path):
    s = Store.open(db_path, user="tester")
    yield s
    s.close()
