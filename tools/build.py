"""Build the one-folder program with PyInstaller, self-test it, measure it.

    .venv/bin/python tools/build.py [--skip-build] [--starts N]

Steps: ``pyinstaller build.spec`` into ``dist/chapter_app``; ``chapter-app-cli
--selftest`` from the frozen folder; the folder's size unpacked and zipped; a demo
database made by the frozen program; the median time from start to the main window
shown (offscreen) over N starts. Exits non-zero when a step fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist" / "chapter_app"
EXE_SUFFIX = ".exe" if os.name == "nt" else ""


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    print("$", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run(cmd, **kwargs)


def folder_size(path: Path) -> int:
    """Bytes of the files in ``path``, each counted once (symbolic links are not followed)."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def zipped_size(path: Path, dest: Path) -> int:
    """Size of a deflate zip of ``path``'s files (links skipped: Windows builds have none)."""
    import zipfile

    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        for f in sorted(path.rglob("*")):
            if f.is_file() and not f.is_symlink():
                archive.write(f, f.relative_to(path.parent))
    return dest.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--starts", type=int, default=5, help="start-up measurements")
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))

    if not args.skip_build:
        started = time.perf_counter()
        result = run(
            [
                sys.executable,
                "-m",
                "PyInstaller",
                "--noconfirm",
                "--clean",
                "--distpath",
                str(ROOT / "dist"),
                "--workpath",
                str(ROOT / "build"),
                str(ROOT / "build.spec"),
            ],
            cwd=ROOT,
        )
        if result.returncode:
            return result.returncode
        print(f"build: {time.perf_counter() - started:.0f} s")

    cli = DIST / f"chapter-app-cli{EXE_SUFFIX}"
    gui = DIST / f"chapter_app{EXE_SUFFIX}"
    result = run([str(cli), "--selftest"], env=env)
    if result.returncode:
        print("self-test FAILED")
        return result.returncode

    size = folder_size(DIST)
    with tempfile.TemporaryDirectory() as tmp:
        zipped = zipped_size(DIST, Path(tmp) / "chapter_app.zip")
        db = Path(tmp) / "demo.db"
        result = run([str(cli), "demo", "--db", str(db)], env=env)
        if result.returncode:
            return result.returncode
        times = []
        for _ in range(args.starts):
            started = time.perf_counter()
            result = run(
                [str(gui), "--db", str(db)],
                env=dict(env, CHAPTER_APP_EXIT_WHEN_SHOWN="1"),
                capture_output=True,
                text=True,
                timeout=120,
            )
            elapsed = time.perf_counter() - started
            if result.returncode or "shown" not in result.stdout:
                print(result.stdout, result.stderr)
                print("the frozen program did not show its main window")
                return 1
            times.append(elapsed)
    print(f"folder: {size / 2**20:.1f} MB unpacked, {zipped / 2**20:.1f} MB zipped")
    print(
        f"start to main window shown (frozen, offscreen, small demo): median "
        f"{statistics.median(times):.2f} s over {len(times)} starts "
        f"({', '.join(f'{t:.2f}' for t in times)})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
