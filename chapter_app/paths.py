"""Where the program keeps its data and finds its bundled resources.

Works from a source checkout and from a PyInstaller folder. A file named
``portable.txt`` beside the frozen program switches to portable mode: data is
kept in a ``data`` folder beside the program (for a program carried on a USB stick).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from chapter_app import APP_NAME

DB_ENV_VAR = "CHAPTER_APP_DB"
DEFAULT_DB_NAME = "chapter.db"
PORTABLE_MARKER = "portable.txt"


def is_frozen() -> bool:
    """True when running from a PyInstaller build."""
    return bool(getattr(sys, "frozen", False))


def program_dir() -> Path:
    """The folder holding the program (the frozen executable's folder, or the source tree)."""
    if is_frozen():
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """The bundled ``resources/`` folder."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", program_dir())) / "resources"
    return program_dir() / "resources"


def i18n_dir() -> Path:
    """The folder of gettext catalogues (``i18n/<lang>/LC_MESSAGES``)."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", program_dir())) / "i18n"
    return program_dir() / "i18n"


def is_portable() -> bool:
    """True when a portable marker file stands beside the frozen program."""
    return is_frozen() and (program_dir() / PORTABLE_MARKER).exists()


def data_dir() -> Path:
    """The folder for the database and backups (created on demand by callers)."""
    if is_portable():
        return program_dir() / "data"
    from platformdirs import user_data_path  # imported when needed (start-up time)

    return user_data_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    """The database used when none is given: ``$CHAPTER_APP_DB`` or the data folder's file."""
    env = os.environ.get(DB_ENV_VAR)
    if env:
        return Path(env).expanduser()
    return data_dir() / DEFAULT_DB_NAME


def default_backups_dir(db_path: Path) -> Path:
    """Backups folder used when the settings name none: ``backups`` beside the database."""
    return db_path.resolve().parent / "backups"
