"""Canary for the PySide6 6.12.0 / Python 3.11 bug that corrupts the refcount of None."""

from __future__ import annotations

import sys


def test_qt_calls_returning_nothing_leave_the_refcount_of_none_unchanged(qapp):
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    label.setText("khởi động")  # warm up any one-time caches
    before = sys.getrefcount(None)
    for i in range(1000):
        label.setText(f"Hội viên {i}")
    after = sys.getrefcount(None)
    # A healthy binding keeps the count steady (a few references may come and go);
    # the broken one loses one reference per call.
    assert abs(after - before) < 50
