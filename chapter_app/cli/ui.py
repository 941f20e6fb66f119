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
    register_guide(commands)


def cmd_screenshots(args) -> int:
    if not args.db.exists():
        raise AppError(f"Không tìm thấy tệp dữ liệu «{args.db}».")
    width, height = _window_size(args.size)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt starts: no screen needed
    from chapter_app.ui.screenshots import take_screenshots

    files = take_screenshots(
        args.db, args.out, language=args.lang, today=args.today, size=(width, height)
    )
    for path in files:
        print(path)
    print(f"Đã ghi {len(files)} ảnh vào {args.out}.")
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

    width, height = _window_size(args.size)
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


def _window_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError as exc:
        raise AppError(f"Cỡ cửa sổ «{text}» không hợp lệ; ví dụ 1280x800.") from exc
    if not (320 <= width <= 8000 and 240 <= height <= 8000):
        raise AppError(
            f"Cỡ cửa sổ «{text}» ngoài khoảng dùng được (320x240 đến 8000x8000); ví dụ 1280x800."
        )
    return width, height
