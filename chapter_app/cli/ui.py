"""Desktop-program commands: ``screenshots`` (render every page and dialog to PNG files)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from chapter_app.cli.base import EXIT_OK, db_argument
from chapter_app.errors import AppError


def register(commands) -> None:
    """Add ``screenshots`` to the ``chapter-app`` sub-commands."""
    shots = commands.add_parser(
        "screenshots", help="chụp mọi trang và hộp thoại của chương trình ra tệp PNG"
    )
    db_argument(shots, required=True)
    shots.add_argument("--out", type=Path, required=True, help="thư mục ghi ảnh")
    shots.add_argument(
        "--lang", choices=["vi", "en"], default=None, help="ngôn ngữ (mặc định: theo cài đặt)"
    )
    shots.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="ngày coi là hôm nay (YYYY-MM-DD; mặc định hôm nay)",
    )
    shots.add_argument("--size", default="1280x800", help="cỡ cửa sổ, ví dụ 1280x800 (mặc định)")
    shots.set_defaults(handler=cmd_screenshots)


def cmd_screenshots(args) -> int:
    if not args.db.exists():
        raise AppError(f"Không tìm thấy tệp dữ liệu «{args.db}».")
    try:
        width, height = (int(part) for part in args.size.lower().split("x"))
    except ValueError as exc:
        raise AppError(f"Cỡ cửa sổ «{args.size}» không hợp lệ; ví dụ 1280x800.") from exc
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt starts: no screen needed
    from chapter_app.ui.screenshots import take_screenshots

    files = take_screenshots(
        args.db, args.out, language=args.lang, today=args.today, size=(width, height)
    )
    for path in files:
        print(path)
    print(f"Đã ghi {len(files)} ảnh vào {args.out}.")
    return EXIT_OK
