"""Desktop-program commands: ``screenshots`` (render every page and dialog to PNG files)."""

from __future__ import annotations

import os
import sys
import tempfile
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
    shots.add_argument(
        "--screen",
        default=None,
        help="màn hình giả định, điểm ảnh thật, ví dụ 1366x768: cửa sổ phóng to hết màn hình, "
        "báo lỗi nếu có hộp thoại không vừa",
    )
    shots.add_argument(
        "--scale", type=float, default=1.0, help="tỷ lệ hiển thị của Windows, ví dụ 1.25 (125%%)"
    )
    shots.set_defaults(handler=cmd_screenshots)
    register_guide(commands)


def _size(text: str, what: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError as exc:
        raise AppError(f"{what} «{text}» không hợp lệ; ví dụ 1366x768.") from exc
    if width < 200 or height < 200:
        raise AppError(f"{what} «{text}» quá nhỏ; ví dụ 1366x768.")
    if width > 10000 or height > 10000:
        raise AppError(f"{what} «{text}» quá lớn; ví dụ 1366x768.")
    return width, height


def cmd_screenshots(args) -> int:
    if not args.db.exists():
        raise AppError(f"Không tìm thấy tệp dữ liệu «{args.db}».")
    size = _size(args.size, "Cỡ cửa sổ")
    if not 0.5 <= args.scale <= 4:
        raise AppError(f"Tỷ lệ «{args.scale:g}» không hợp lệ; ví dụ 1.25.")
    scratch = tempfile.TemporaryDirectory()
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt starts: no screen needed
    if args.screen is not None:
        from chapter_app.ui.screenshots import screen_environment

        width, height = _size(args.screen, "Màn hình")
        os.environ.update(screen_environment(width, height, args.scale, Path(scratch.name)))
        size = None  # maximised on that screen
    elif args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = f"{args.scale:g}"
    from chapter_app.ui.screenshots import MISFITS, take_screenshots

    with scratch:
        files = take_screenshots(args.db, args.out, language=args.lang, today=args.today, size=size)
    for path in files:
        print(path)
    print(f"Đã ghi {len(files)} tệp vào {args.out}.")
    if MISFITS:
        for name, why in sorted(MISFITS.items()):
            print(f"Không vừa màn hình: {name}: {why}", file=sys.stderr)
        raise AppError(
            f"{len(MISFITS)} hộp thoại không vừa màn hình: " + ", ".join(sorted(MISFITS))
        )
    return EXIT_OK


def register_guide(commands) -> None:
    """Add ``guide-pictures`` (remake the pictures of the user guide from the demo data)."""
    pictures = commands.add_parser(
        "guide-pictures",
        help="làm lại ảnh của sách hướng dẫn từ dữ liệu mẫu (mọi ngôn ngữ)",
    )
    pictures.add_argument(
        "--out",
        type=Path,
        default=None,
        help="thư mục ghi ảnh (mặc định: resources/guide/img của chương trình)",
    )
    pictures.add_argument("--size", default="1093x614", help="cỡ cửa sổ (mặc định 1093x614)")
    pictures.set_defaults(handler=cmd_guide_pictures)


def cmd_guide_pictures(args) -> int:
    import shutil
    import tempfile

    width, height = _size(args.size, "Cỡ cửa sổ")
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from chapter_app.services.demo import generate_demo
    from chapter_app.services.guide import GUIDE_LANGUAGES, load_guide, pictures_dir
    from chapter_app.services.setup import init_database
    from chapter_app.ui.screenshots import take_screenshots

    today = date(2026, 11, 23)
    written = 0
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "demo.db"
        store = init_database(
            db,
            chapter_name="Hội Chữ thập đỏ xã Tịnh Kỳ",
            parent_name="Hội CTĐ tỉnh Quảng Ngãi",
            place_name="Tịnh Kỳ",
            user="guide",
        )
        generate_demo(store, size="small", seed=7, today=today)
        store.close()
        for language in GUIDE_LANGUAGES:
            wanted = {name for section in load_guide(language) for name in section.pictures()}
            shots = Path(scratch) / language
            take_screenshots(db, shots, language=language, today=today, size=(width, height))
            target = (args.out / language) if args.out else pictures_dir(language)
            target.mkdir(parents=True, exist_ok=True)
            missing = sorted(name for name in wanted if not (shots / name).exists())
            if missing:
                raise AppError(
                    "Sách hướng dẫn cần ảnh mà lệnh chụp không tạo ra: " + ", ".join(missing)
                )
            for name in sorted(wanted):
                shutil.copyfile(shots / name, target / name)
                written += 1
            print(f"{language}: {len(wanted)} ảnh → {target}")
    print(f"Đã ghi {written} ảnh cho sách hướng dẫn.")
    return EXIT_OK
