"""Shared fixtures: a fresh database per test; Qt runs offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from chapter_app.services.setup import init_database


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "chapter.db"


@pytest.fixture
def store(db_path):
    """A new, initialised database (settings and reference lists), closed after the test."""
    s = init_database(db_path, chapter_name="Hội Chữ thập đỏ xã Thử Nghiệm", user="tester")
    yield s
    s.close()
