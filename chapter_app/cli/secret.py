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


def unlock(store, args, *, what: str) -> None:
    """Ask the program password before ``what`` (personal data shown in full); nothing to
    ask when none is set. Wrong tries are counted and slowed as in the window."""
    from chapter_app.services.program_password import (
        check_program_password,
        has_program_password,
    )
    from chapter_app.services.protect import read_password_file

    if not has_program_password(store):
        return
    path = getattr(args, "program_password_file", None)
    if path is not None:
        password = read_password_file(path)
    elif sys.stdin is not None and sys.stdin.isatty():
        password = getpass.getpass(f"Mật khẩu chương trình (để {what}): ")
    else:
        raise AppError(
            f"Sổ có mật khẩu chương trình: cần mật khẩu để {what}. Hãy chạy lệnh ở cửa sổ dòng "
            "lệnh (sẽ hỏi mật khẩu) hoặc dùng --program-password-file TỆP."
        )
    if not check_program_password(store, password):
        raise WrongPasswordError(f"Mật khẩu chương trình không đúng; không {what}.")


def unlock_for_backup(store, args) -> None:
    """Before a write that makes an automatic backup: the password it is locked with."""
    from chapter_app.services.program_password import ENCRYPT_KEY

    if store.settings.get(ENCRYPT_KEY, True):
        unlock(store, args, what="khóa bản sao lưu tự động trước khi ghi")
