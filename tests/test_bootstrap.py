"""tools/bootstrap.sh: waits for another apt (bounded), optional packages only warn, and a
second run starts at once (no pip when nothing changed). Run on a copy of the project
with stand-ins for apt-get, dpkg-query, id and the virtualenv's python."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/usr/bin/env bash\n" + body, encoding="utf-8")
    path.chmod(0o755)


def project(tmp_path: Path, *, installed: str, apt_fails_for: str = "") -> tuple[Path, Path]:
    """A copy of bootstrap.sh and pyproject.toml, and a bin folder of stand-ins that log."""
    root = tmp_path / "project"
    (root / "tools").mkdir(parents=True)
    shutil.copy(ROOT / "tools" / "bootstrap.sh", root / "tools" / "bootstrap.sh")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    log = tmp_path / "calls.log"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stub(bin_dir, "id", "echo 0\n")  # root: may install
    stub(
        bin_dir,
        "dpkg-query",
        f'for p in "${{@:3}}"; do case " {installed} " in *" $p "*) echo "ii  $p";; '
        f'*) echo "un  $p";; esac; done\n',
    )
    fail = f'case "$*" in *"install {apt_fails_for}"*) exit 100;; esac\n' if apt_fails_for else ""
    stub(bin_dir, "apt-get", f'echo "apt-get $*" >> {log}\n{fail}exit 0\n')
    venv = root / ".venv" / "bin"
    venv.mkdir(parents=True)
    stub(venv, "python", f'echo "python $*" >> {log}\n')
    stub(venv, "chapter-app", "exit 0\n")
    return root, bin_dir


def run(root: Path, bin_dir: Path) -> subprocess.CompletedProcess:
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(root), "APT_WAIT": "7"}
    return subprocess.run(
        ["bash", str(root / "tools" / "bootstrap.sh")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def calls(tmp_path: Path) -> list[str]:
    log = tmp_path / "calls.log"
    return log.read_text().splitlines() if log.exists() else []


ALL = (
    "libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 "
    "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 "
    "libxcb-shape0 libxcb-randr0 libxcb-xinerama0"
)


def test_apt_waits_for_the_lock_and_an_optional_package_only_warns(tmp_path):
    root, bin_dir = project(
        tmp_path, installed=ALL + " fonts-dejavu-core", apt_fails_for="poppler-utils"
    )
    result = run(root, bin_dir)
    assert result.returncode == 0, result.stderr
    apt = [line for line in calls(tmp_path) if line.startswith("apt-get")]
    assert apt and all("DPkg::Lock::Timeout=7" in line for line in apt)
    assert any("install fonts-liberation2" in line for line in apt)
    assert "optional package poppler-utils not installed" in result.stderr


def test_a_missing_qt_library_that_cannot_be_installed_stops_the_setup(tmp_path):
    root, bin_dir = project(tmp_path, installed="", apt_fails_for="libegl1")
    result = run(root, bin_dir)
    assert result.returncode != 0
    assert "libraries Qt needs" in result.stderr


def test_a_second_run_with_nothing_to_install_starts_at_once(tmp_path):
    root, bin_dir = project(
        tmp_path,
        installed=ALL + " fonts-liberation2 fonts-dejavu-core poppler-utils libreoffice-calc-nogui",
    )
    assert run(root, bin_dir).returncode == 0
    first = calls(tmp_path)
    assert not any(line.startswith("apt-get") for line in first)
    assert any("pip install" in line for line in first)  # the first time: installs

    assert run(root, bin_dir).returncode == 0
    assert calls(tmp_path) == first  # the second time: neither apt nor pip

    (root / "pyproject.toml").write_text(
        (root / "pyproject.toml").read_text() + "\n# changed\n", encoding="utf-8"
    )
    assert run(root, bin_dir).returncode == 0
    assert len(calls(tmp_path)) > len(first)  # a changed project is installed again
