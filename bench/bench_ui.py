"""Benchmarks of the desktop program on the large demo (100,000 people, 40,000 members).

    .venv/bin/python bench/bench_ui.py [--runs 7] [--platform offscreen|xcb]

(a) Start-up: from launching a fresh Python process to the main window shown (the
    event loop running with the window on screen), on the large demo, against an empty
    PySide6 window started the same way. The program starts through the ``chapter-app``
    command's entry point (``chapter_app.cli.main``), byte-compiled as installed.
    Target: under 2 s, and within 2x of the empty window. Medians of ``--runs`` fresh
    processes each. The program shows its window before it opens the register; the time
    until the register is open in it and the first page (the dashboard, whose figures
    then load in the background) is built is reported as "ready".
(b) Search-as-you-type in the members page: from setting the search text (the 150 ms
    debounce bypassed) to the table model holding the new rows. Target: under 50 ms
    median, over every prefix of typical queries. The count of matches for the status
    bar arrives later from a background thread; its delay is reported too.

Not part of the test suite. The UI runs on a copy of the large database so that a
benchmark of another part of the program holding the file cannot get in the way.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_core import TYPED, keystrokes
from bench.common import LARGE_DB, large_store, report

# The program as the officer starts it: the ``chapter-app`` command's entry point.
APP_CHILD = """
import sys
from chapter_app.cli import main
sys.exit(main(["--db", sys.argv[1]]))
"""

EMPTY_CHILD = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.exit(0)))
sys.exit(app.exec())
"""


def time_to_lines(code: str, args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from starting ``python -c code`` to each line it prints (``shown``, ``ready``)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    seen = {}
    for line in process.stdout:
        seen[line.strip()] = time.perf_counter() - started
    process.wait(60)
    if "shown" not in seen:
        raise RuntimeError(f"the child never showed its window (exit {process.returncode})")
    return seen


def compile_program() -> None:
    """Byte-compile the program, as an installed copy is (``pip install`` compiles; the
    bootstrap does it for the editable install), so no run pays for compiling."""
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "chapter_app"), quiet=1)


def bench_startup(db: Path, *, runs: int, platform: str, config_home: Path) -> dict:
    compile_program()
    env = dict(os.environ, QT_QPA_PLATFORM=platform, XDG_CONFIG_HOME=str(config_home))
    env["CHAPTER_APP_EXIT_WHEN_SHOWN"] = "1"  # prints "shown" and "ready", then quits
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # one warm-up each: the first start after building the database reads it from disk
    time_to_lines(EMPTY_CHILD, [], env)
    time_to_lines(APP_CHILD, [str(db)], env)
    empty, shown, ready = [], [], []
    for _ in range(runs):  # interleaved, so both see the same machine load
        empty.append(time_to_lines(EMPTY_CHILD, [], env)["shown"] * 1000)
        app = time_to_lines(APP_CHILD, [str(db)], env)
        shown.append(app["shown"] * 1000)
        ready.append(app["ready"] * 1000)
    empty_row = report("start-up: empty PySide6 window shown", empty)
    shown_row = report("start-up: main window shown (large demo)", shown, budget_ms=2000)
    ready_row = report("start-up: ... register open in it, page 1", ready, budget_ms=2000)
    for name, row in (("shown", shown_row), ("ready", ready_row)):
        ratio = row["median_ms"] / empty_row["median_ms"]
        verdict = "ok" if ratio <= 2 else "OVER"
        print(
            f"{'start-up ratio, ' + name + ' / empty window':<48} {ratio:9.2f} x   "
            f"target 2x: {verdict}"
        )
    return {"empty": empty_row, "shown": shown_row, "ready": ready_row}


def bench_search(db: Path, *, config_home: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_CONFIG_HOME"] = str(config_home)
    from PySide6.QtCore import QCoreApplication

    from chapter_app.store.store import Store
    from chapter_app.ui.app import ensure_application
    from chapter_app.ui.main_window import MainWindow
    from chapter_app.ui.qt_i18n import apply_language

    app = ensure_application()
    apply_language(app, "vi")
    store = Store.open(db)
    window = MainWindow(store)
    window.show()
    page = window.show_page("members")
    window.worker.wait_idle()
    print(f"members: {store.members.count():,}  people: {store.people.count():,}")

    queries = [q for text in TYPED for q in keystrokes(text)]
    to_rows, to_count = [], []

    def type_and_wait(text: str) -> tuple[float, float]:
        started = time.perf_counter()
        page.search_box.setText(text)  # starts the debounce timer ...
        page.apply_search()  # ... which this call bypasses
        rows_at = time.perf_counter()
        while page.model.total < 0:  # the count comes from the worker thread
            window.worker.pool.waitForDone(1)
            QCoreApplication.processEvents()
        return (rows_at - started) * 1000, (time.perf_counter() - started) * 1000

    for q in queries[:10]:  # warm-up
        type_and_wait(q)
    for _round in range(3):
        for q in queries:
            rows_ms, count_ms = type_and_wait(q)
            to_rows.append(rows_ms)
            to_count.append(count_ms)
        type_and_wait("")
    rows_row = report("search-as-you-type: keystroke to model updated", to_rows, budget_ms=50)
    count_row = report("search-as-you-type: ... to count in status bar", to_count)
    window.close()
    store.close()
    return {"rows": rows_row, "count": count_row}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per start-up case")
    parser.add_argument("--platform", default="offscreen", help="Qt platform for start-up")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--skip-search", action="store_true")
    args = parser.parse_args()

    large_store().close()  # builds bench/data/large.db the first time (~35 s)
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "large.db"
        shutil.copy(LARGE_DB, db)
        config_home = Path(scratch) / "config"  # window settings of the benchmark only
        if not args.skip_startup:
            bench_startup(db, runs=args.runs, platform=args.platform, config_home=config_home)
        if not args.skip_search:
            bench_search(db, config_home=config_home)


if __name__ == "__main__":
    main()
