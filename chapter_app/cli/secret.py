"""The program password on the command line: commands that reveal personal data ask it."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from chapter_app.errors import AppError, WrongPasswordError


def program_password_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--program-password-file",
        type=Path,
        default=None,
        help="mật khẩu chương trình (dòng đầu của tệp), khi sổ có mật khẩu và lệnh cho xem "
        "dữ liệu cá nhân đầy đủ; không có thì hỏi",
    )


# The command's arguments (set by ``cli.main``): a file of an older version opened by any
# command may need the program password for its upgrade (``upgrade_password``).
current_args: argparse.Namespace | None = None


def _ask(args, *, what: str) -> str:
    """The program password from ``--program-password-file``, or typed at the terminal."""
    from chapter_app.services.protect import read_password_file

    path = getattr(args, "program_password_file", None)
    if path is not None:
        return read_password_file(path)
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(f"Mật khẩu chương trình (để {what}): ")
    raise AppError(
        f"Sổ có mật khẩu chương trình: cần mật khẩu để {what}. Hãy chạy lệnh ở cửa sổ dòng "
        "lệnh (sẽ hỏi mật khẩu) hoặc dùng --program-password-file TỆP."
    )


def upgrade_password(path: Path) -> str:
    """The password the backup before ``path``'s upgrade is locked with (checked by the
    upgrade itself)."""
    return _ask(current_args, what=f"nâng cấp tệp «{path.name}» (bản sao lưu trước đó được khóa)")


def open_upgrading(path: Path, **options):
    """``services.integrity.open_store(path, **options)``; a file of an older version whose
    backups are locked is upgraded with the program password (asked as ``unlock`` does)."""
    from chapter_app.services.integrity import open_store
    from chapter_app.store.store import UpgradeNeedsPasswordError

    try:
        return open_store(path, **options)
    except UpgradeNeedsPasswordError:
        return open_store(path, password=upgrade_password(path), **options)


def unlock(store, args, *, what: str) -> None:
    """Ask the program password before ``what`` (personal data shown in full); nothing to
    ask when none is set. Wrong tries are counted and slowed as in the window."""
    from chapter_app.services.program_password import (
        check_program_password,
        has_program_password,
    )

    if not has_program_password(store):
        return
    password = _ask(args, what=what)
    if not check_program_password(store, password):
        raise WrongPasswordError(f"Mật khẩu chương trình không đúng; không {what}.")


def unlock_for_backup(store, args) -> None:
    """Before a write that makes an automatic backup: the password it is locked with."""
    from chapter_app.services.program_password import ENCRYPT_KEY

    if store.settings.get(ENCRYPT_KEY, True):
        unlock(store, args, what="khóa bản sao lưu tự động trước khi ghi")
