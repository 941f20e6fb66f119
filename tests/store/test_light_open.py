"""Opening a register imports none of the heavy libraries: they load on first use
(start-up budget of issue 16). Checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

from chapter_app.services.setup import init_database

HEAVY = ("sqlite_utils", "reportlab", "openpyxl", "xlsxwriter", "python_calamine", "PySide6")
PROBE = """
import sys
from chapter_app.store.store import Store
store = Store.open(sys.argv[1])
store.members.count()
store.close()
print(" ".join(sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2:]))))
"""


def test_opening_and_reading_a_register_imports_no_heavy_library(tmp_path):
    init_database(tmp_path / "xa.db", chapter_name="Hội CTĐ xã Tịnh Kỳ").close()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "xa.db"), *HEAVY],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.split() == []
