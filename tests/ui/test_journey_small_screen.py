"""Day one on the officer's laptop: the blank-register journey on a 1366×768 screen at
Windows' 125 % (1093×614 logical pixels).

The journey runs in a fresh process whose offscreen screen is that laptop's
(``screen_environment``); every step clicks its buttons with the mouse where they are
shown, and fails when a window it acts in leaves the screen or a button is cut off or
covered (``journey.click``), so passing means the day can be done without moving a window.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from chapter_app.ui.screenshots import screen_environment

ROOT = Path(__file__).resolve().parents[2]
JOURNEY = "tests/ui/test_journey_blank_register.py"


def test_the_blank_register_journey_runs_on_a_1366x768_laptop_at_125_percent(tmp_path):
    env = dict(os.environ, **screen_environment(1366, 768, 1.25, tmp_path))
    env["JOURNEY_SCREEN"] = "1093x614"  # checked by the journey before its first step
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", JOURNEY, "-q", "-x", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    took = time.perf_counter() - started
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout
    assert took < 60, f"the journey took {took:.0f} s"
