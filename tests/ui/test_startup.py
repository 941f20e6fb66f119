"""Start-up: the window is ready on a register without loading what the first page does
not need, and the dialogs are kept inside the screen once it is.

Each case starts the program in a fresh process (as ``bench/bench_ui.py`` does), since
what a start imports can only be seen in a process that has imported nothing yet.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import builtins, sys
from chapter_app.cli import main

seen = {}
original = builtins.print

def note(*args, **kwargs):
    if args and args[0] == "ready":
        from PySide6.QtWidgets import QApplication
        from chapter_app.ui.fit import ScreenFit
        seen["modules"] = set(sys.modules)
        seen["fit"] = QApplication.instance().findChild(ScreenFit) is not None
    return original(*args, **kwargs)

builtins.print = note
code = main(["--db", sys.argv[1]])
heavy = ("sqlite_utils", "chapter_app.domain.models", "chapter_app.store.registers",
         "chapter_app.cli.core", "reportlab", "openpyxl", "PySide6.QtCharts", "babel.numbers")
print("loaded:", ",".join(m for m in heavy if m in seen["modules"]))
print("fit:", seen["fit"])
sys.exit(code)
"""


@pytest.fixture(scope="module")
def started(tmp_path_factory) -> list[str]:
    """What the program printed, started once on a new register."""
    from chapter_app.services.setup import init_database

    folder = tmp_path_factory.mktemp("startup")
    init_database(folder / "x.db", chapter_name="Hội Chữ thập đỏ xã Thử Nghiệm").close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(folder / "cfg"))
    env["CHAPTER_APP_EXIT_WHEN_SHOWN"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder / "x.db")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.splitlines()


def test_the_first_page_is_ready_without_the_records_sqlite_utils_or_the_commands(started):
    assert "shown" in started and "ready" in started
    loaded = next(line for line in started if line.startswith("loaded:"))
    assert loaded.strip() == "loaded:", loaded


def test_dialogs_are_kept_inside_the_screen_once_the_register_is_open(started):
    assert "fit: True" in started
