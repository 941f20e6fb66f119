"""Safety commands: backup, restore, check."""

from __future__ import annotations

from pathlib import Path

from chapter_app.cli.base import EXIT_ERROR, EXIT_OK, db_argument, read_only_argument
from chapter_app.cli.secret import open_upgrading, program_password_argument, unlock_for_backup
from chapter_app.errors import AppError, DatabaseInUseError, ReadOnlyLocationError
from chapter_app.store.backup import path_text


def register(commands) -> None:
    """Add backup, restore and check to the ``chapter-app`` sub-commands."""
    backup = commands.add_parser(
        "backup", help="sao lưu tệp dữ liệu (bản sao nhất quán, kiểm tra trước khi sao lưu)"
    )
    db_argument(backup, required=True)
    backup.add_argument(
        "--out",
        type=Path,
        default=None,
        help="thư mục chứa bản sao lưu (mặc định: thư mục sao lưu trong Cài đặt)",
    )
    backup.add_argument(
        "--password-file",
        type=Path,
        default=None,
        help="khóa bản sao lưu bằng mật khẩu ghi ở dòng đầu tệp này (tệp .ctdbak)",
    )
    read_only_argument(backup)
    backup.set_defaults(handler=cmd_backup)

    restore = commands.add_parser(
        "restore",
        help="khôi phục tệp dữ liệu từ một bản sao lưu (sao lưu tình trạng hiện tại trước)",
    )
    db_argument(restore, required=True)
    restore.add_argument("backup", type=Path, help="tệp sao lưu để khôi phục")
    restore.add_argument(
        "--password-file",
        type=Path,
        default=None,
        help="mật khẩu của bản sao lưu đã khóa (dòng đầu của tệp)",
    )
    restore.set_defaults(handler=cmd_restore)

    check = commands.add_parser(
        "check",
        help="kiểm tra tệp dữ liệu có toàn vẹn không (mã thoát 0: toàn vẹn, 1: hỏng)",
        description="Kiểm tra toàn vẹn, liên kết, cấu trúc và nhật ký. Các ghi chú về dữ liệu "
        "(cam kết hết hạn, hội viên chưa có chi hội, có thể trùng người) được in ra nhưng "
        "không đổi mã thoát, trừ khi dùng --strict.",
    )
    db_argument(check, required=True)
    check.add_argument(
        "--repair",
        action="store_true",
        help="sửa các lỗi sửa được (sao lưu trước khi sửa)",
    )
    check.add_argument(
        "--strict",
        action="store_true",
        help="coi cả các ghi chú về dữ liệu là lỗi (mã thoát 1)",
    )
    read_only_argument(check)
    program_password_argument(check)
    check.set_defaults(handler=cmd_check)


def _counts_text(counts: dict[str, int]) -> str:
    from chapter_app.i18n import format_number

    labels = (
        ("people", "người"),
        ("members", "hội viên"),
        ("volunteers", "tình nguyện viên"),
        ("addresses", "địa chỉ nhân đạo"),
        ("aid", "lượt trợ giúp"),
    )
    return ", ".join(f"{format_number(counts.get(k, 0))} {label}" for k, label in labels)


def _missing(path: Path) -> AppError:
    return AppError(f"Không tìm thấy tệp dữ liệu «{path_text(path)}».")


def cmd_backup(args) -> int:
    from chapter_app.services.backups import REASON_MANUAL, create_backup
    from chapter_app.services.integrity import open_store
    from chapter_app.store.backup import inspect_file

    if not args.db.is_file():
        raise _missing(args.db)
    password = _password(args)
    try:
        store = open_upgrading(args.db, read_only=args.read_only)
    except (DatabaseInUseError, ReadOnlyLocationError):
        # The program has the file open, or it cannot be written: a backup only reads.
        store = open_store(args.db, read_only=True)
    with store:
        dest = create_backup(store, reason=REASON_MANUAL, dest_dir=args.out, password=password)
    if password is None:
        counts = _counts_text(inspect_file(dest, check="none").counts)
        print(f"Đã sao lưu vào {path_text(dest)} ({counts}).")
    else:
        print(f"Đã sao lưu vào {path_text(dest)} (đã khóa bằng mật khẩu).")
    return EXIT_OK


def _password(args) -> str | None:
    if args.password_file is None:
        return None
    from chapter_app.services.protect import read_password_file

    return read_password_file(args.password_file)


def cmd_restore(args) -> int:
    import getpass
    import sys

    from chapter_app.services.backups import is_protected_file, restore_backup

    if not args.backup.is_file():
        raise AppError(f"Không tìm thấy tệp sao lưu «{path_text(args.backup)}».")
    folder = None
    if args.db.is_file():
        folder = _configured_backups_dir(args.db)
    password = _password(args)
    if password is None and is_protected_file(args.backup) and sys.stdin.isatty():
        password = getpass.getpass(f"Mật khẩu của bản sao lưu «{args.backup.name}»: ") or None
    # A locked backup's password locks the copy of the state before, too.
    result = restore_backup(
        args.db, args.backup, backups_folder=folder, password=password, lock_with=password
    )
    counts = _counts_text(result.counts)
    print(f"Đã khôi phục {path_text(args.db)} từ {path_text(args.backup)} ({counts}).")
    if result.safety_copy is not None:
        print(f"Tình trạng trước khi khôi phục được giữ ở {path_text(result.safety_copy)}.")
    return EXIT_OK


def _configured_backups_dir(db_path: Path) -> Path | None:
    """The backups folder named in the file's settings, if it can be read."""
    from chapter_app.services.backups import backups_dir
    from chapter_app.store.store import Store

    try:
        with Store.open(db_path, read_only=True) as store:
            return backups_dir(store)
    except (AppError, OSError):
        return None


def cmd_check(args) -> int:
    """Exit 0 when the file is sound, 1 when damaged; advice is printed as notes and
    counts only with --strict."""
    from chapter_app.services.integrity import (
        advice,
        apply_repairs,
        damage,
        run_full_check,
    )

    if not args.db.is_file():
        raise _missing(args.db)
    with open_upgrading(args.db, read_only=not args.repair) as store:
        findings = run_full_check(store)
        if args.repair and any(f.repairable for f in findings):
            unlock_for_backup(store, args)
            backup = apply_repairs(store, findings)
            if backup is not None:
                repaired = sum(f.repairable for f in findings)
                print(f"Đã sao lưu vào {path_text(backup)} rồi sửa {repaired} lỗi.")
            findings = run_full_check(store)
    broken, notes = damage(findings), advice(findings)
    if broken:
        print(f"Tệp dữ liệu bị hỏng ({len(broken)} lỗi):")
        for finding in broken:
            print(f"- {finding.description}")
    else:
        print("Tệp dữ liệu toàn vẹn: cấu trúc, liên kết và nhật ký đều đúng.")
    if notes:
        print(f"Ghi chú về dữ liệu ({len(notes)} việc nên làm):")
        for finding in notes:
            mark = " [sửa được]" if finding.repairable else ""
            print(f"- {finding.description}{mark}")
        if any(f.repairable for f in notes) and not args.repair:
            print("Chạy lại với --repair để sửa các lỗi sửa được (có sao lưu trước).")
    if broken or (args.strict and notes):
        return EXIT_ERROR
    return EXIT_OK
