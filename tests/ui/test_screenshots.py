"""``chapter-app screenshots`` renders every page and the main dialogs to PNG files."""

from __future__ import annotations

import itertools
import json
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


def run_screenshots(db, out, *extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "QT_SCALE_FACTOR")}
    command = [sys.executable, "-m", "chapter_app", "screenshots", "--db", str(db)]
    command += ["--out", str(out), "--today", "2026-11-23", *extra]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


def test_on_a_1366x768_laptop_at_125_percent_every_page_and_dialog_fits(tmp_path):
    db = tmp_path / "demo.db"
    store = init_database(db, chapter_name="Hội Chữ thập đỏ xã Thử Nghiệm", user="tester")
    generate_demo(store, size="small", seed=2, today=date(2026, 11, 23))
    store.close()
    out = tmp_path / "laptop"

    result = run_screenshots(db, out, "--screen", "1366x768", "--scale", "1.25")

    assert result.returncode == 0, result.stderr
    assert "propagateSizeHints" not in result.stderr
    shots = sorted(out.glob("*.png"))
    names = {path.stem for path in shots}
    assert {
        "dialog-distribution",
        "dialog-form-address-new",
        "dialog-form-aid-new",
        "dialog-issued-report",
        "page-members",
    } <= names
    for path in shots:
        image = QImage(str(path))
        assert image.width() <= 1366 and image.height() <= 768, path.name
    page = QImage(str(out / "page-members.png"))
    assert page.width() > 1300 and page.height() > 700  # maximised on the laptop's screen

    axes = json.loads((out / "charts.json").read_text(encoding="utf-8"))
    assert set(axes) == {"aid_by_month", "members_by_branch", "addresses_by_category"}
    for key, labels in axes.items():
        numbers = [float(label.replace(".", "").replace(",", ".")) for label in labels]
        assert labels[0] == "0" and len(labels) >= 2, key
        assert numbers == sorted(set(numbers)), f"{key}: {labels}"  # rising, none repeated
        steps = {round(b - a, 6) for a, b in itertools.pairwise(numbers)}
        assert len(steps) == 1, f"{key}: {labels}"  # equal round steps
    assert axes["members_by_branch"][-1] in ("100", "150", "200", "250")  # ~120 a branch


def test_the_command_names_a_dialog_that_does_not_fit_and_fails(tmp_path):
    db = tmp_path / "demo.db"
    store = init_database(db, chapter_name="Hội Chữ thập đỏ xã Thử Nghiệm", user="tester")
    generate_demo(store, size="small", seed=2, today=date(2026, 11, 23))
    store.close()

    # 320x240 at 100 %: the distribution dialog and the wizard cannot shrink that far
    result = run_screenshots(db, tmp_path / "tiny", "--screen", "320x240", "--scale", "1")

    assert result.returncode != 0
    assert "không vừa màn hình" in result.stderr
    assert "dialog-distribution" in result.stderr
