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
        import PySide6.QtCore
        from PySide6.QtWidgets import QApplication
        from chapter_app.ui.fit import ScreenFit
        seen["qt_namespace"] = "Qt" in vars(PySide6.QtCore)  # built on first use
        seen["modules"] = set(sys.modules)
        seen["fit"] = QApplication.instance().findChild(ScreenFit) is not None
    return original(*args, **kwargs)

builtins.print = note
code = main(["--db", sys.argv[1]])
heavy = ("sqlite_utils", "chapter_app.domain.models", "chapter_app.store.registers",
         "chapter_app.cli.core", "reportlab", "openpyxl", "PySide6.QtCharts", "babel.numbers",
         "socket")
print("loaded:", ",".join(m for m in heavy if m in seen["modules"]))
print("fit:", seen["fit"])
print("Qt namespace:", seen["qt_namespace"])
sys.exit(code)
"""


@pytest.fixture(scope="module")
def started(tmp_path_factory) -> list[str]:
    """What the program printed, started on a new register a second time (the window's
    size kept from the first: the very first start on a small screen maximises it)."""
    from chapter_app.services.setup import init_database

    folder = tmp_path_factory.mktemp("startup")
    init_database(folder / "x.db", chapter_name="Hội Chữ thập đỏ xã Thử Nghiệm").close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(folder / "cfg"))
    env["CHAPTER_APP_EXIT_WHEN_SHOWN"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    for _start in range(2):
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


def test_the_first_page_is_ready_before_the_qt_namespace_is_built(started):
    # its ~100 enums take ~25 ms to build; the window names ``Qt`` only once painted
    assert "Qt namespace: False" in started


def test_pysides_import_check_is_answered_the_same_from_the_files_bytes():
    import inspect
    import json

    import chapter_app.i18n
    import chapter_app.ui.app
    from chapter_app.ui import _uses_pyside

    for module in (chapter_app.ui.app, chapter_app.i18n, json, sys, inspect):
        try:
            expected = "PySide6" in inspect.getsource(module)
        except (OSError, TypeError):
            expected = False
        assert _uses_pyside(module) is expected, module.__name__
    assert _uses_pyside(chapter_app.ui.app) and not _uses_pyside(chapter_app.i18n)


def test_the_cheaper_import_check_is_the_one_pyside_calls():
    import chapter_app.ui

    feature = sys.modules["PySide6.support.feature"]
    assert feature._mod_uses_pyside is chapter_app.ui._uses_pyside
