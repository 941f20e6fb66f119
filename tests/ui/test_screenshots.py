"""``chapter-app screenshots`` renders every page and the main dialogs to PNG files."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

from PySide6.QtGui import QImage

from chapter_app.services.demo import generate_demo
from chapter_app.services.setup import init_database
from chapter_app.ui.main_window import PAGE_NAMES


def test_the_screenshots_command_writes_a_png_of_every_page_and_dialog(tmp_path):
    db = tmp_path / "demo.db"
    store = init_database(db, chapter_name="Hội Chữ thập đỏ xã Thử Nghiệm", user="tester")
    generate_demo(store, size="small", seed=2, today=date(2026, 11, 23))
    store.close()
    out = tmp_path / "shots"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # the command sets it
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "chapter_app",
            "screenshots",
            "--db",
            str(db),
            "--out",
            str(out),
            "--today",
            "2026-11-23",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    names = {path.stem for path in out.glob("*.png")}
    expected_pages = {
        f"page-{name}" for name in PAGE_NAMES if name not in ("activities", "consolidation")
    }
    expected_pages |= {
        f"page-activities-{tab}" for tab in ("blood_drives", "firstaid", "health", "drills")
    }
    assert expected_pages <= names
    assert {"dialog-settings-1", "dialog-first-run-1", "dialog-confirm-delete"} <= names
    assert "dialog-form-member-new" in names  # the record forms are there too
    image = QImage(str(out / "page-members.png"))
    assert (image.width(), image.height()) == (1280, 800)
    assert "Đã ghi" in result.stdout
