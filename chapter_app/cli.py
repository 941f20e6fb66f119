"""The command line: ``chapter-app [--db PATH]`` opens the program; sub-commands run headless.

Every command exits 0 on success and non-zero with a clear Vietnamese message on
any error (never a traceback for a user mistake).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from chapter_app import APP_TITLE, __version__
from chapter_app.errors import AppError
from chapter_app.paths import DB_ENV_VAR, default_db_path

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse with Vietnamese usage errors (exit code 2)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: lỗi: {message}\n")


def _db_argument(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        required=required,
        help=f"tệp dữ liệu (mặc định: ${DB_ENV_VAR} hoặc thư mục dữ liệu người dùng)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="chapter-app",
        description=f"{APP_TITLE}: sổ theo dõi của Hội Chữ thập đỏ cấp xã.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _db_argument(parser, required=False)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    init = commands.add_parser("init", help="tạo tệp dữ liệu mới cho một Hội cơ sở")
    _db_argument(init, required=True)
    init.add_argument("--chapter-name", required=True, help="tên Hội, ví dụ «Hội CTĐ xã Tịnh Kỳ»")
    init.add_argument("--parent", default="", help="tên Hội cấp trên")
    init.add_argument("--place", default="", help="địa danh ghi ở dòng ngày tháng")

    demo = commands.add_parser("demo", help="tạo dữ liệu mẫu")
    _db_argument(demo, required=True)
    demo.add_argument("--size", choices=["small", "large"], default="small")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="ngày cuối của dữ liệu mẫu (YYYY-MM-DD; mặc định hôm nay)",
    )

    stats = commands.add_parser("stats", help="các chỉ tiêu của một kỳ báo cáo")
    _db_argument(stats, required=True)
    stats.add_argument(
        "--period",
        required=True,
        help="2026-Q3, 2026-H1, 2026-9M, 2026 hoặc 2026-07-01..2026-09-30",
    )
    stats.add_argument("--json", action="store_true", help="in dạng JSON")
    return parser


def _open_existing(path: Path):
    from chapter_app.store.store import Store

    if not path.exists():
        raise AppError(
            f"Không tìm thấy tệp dữ liệu «{path}». Tạo tệp mới bằng: chapter-app init --db {path} "
            '--chapter-name "..."'
        )
    return Store.open(path, create=False)


def cmd_init(args) -> int:
    from chapter_app.services.setup import init_database

    if args.db.exists() and args.db.stat().st_size > 0:
        raise AppError(f"Tệp «{args.db}» đã có; không ghi đè. Hãy chọn tên tệp khác.")
    store = init_database(
        args.db, chapter_name=args.chapter_name, parent_name=args.parent, place_name=args.place
    )
    store.close()
    print(f"Đã tạo tệp dữ liệu {args.db} cho {args.chapter_name}.")
    return EXIT_OK


def cmd_demo(args) -> int:
    from chapter_app.services.demo import generate_demo
    from chapter_app.services.setup import init_database

    if args.db.exists() and args.db.stat().st_size > 0:
        store = _open_existing(args.db)
        if store.people.count():
            store.close()
            raise AppError(f"Tệp «{args.db}» đã có dữ liệu; dữ liệu mẫu chỉ tạo trong tệp mới.")
    else:
        store = init_database(args.db, chapter_name="")
    with store:
        summary = generate_demo(store, size=args.size, seed=args.seed, today=args.today)
    print(
        f"Đã tạo dữ liệu mẫu: {summary.people} người, {summary.members} hội viên, "
        f"{summary.volunteers} tình nguyện viên, {summary.addresses} địa chỉ nhân đạo, "
        f"{summary.aid_records} lượt trợ giúp."
    )
    return EXIT_OK


def cmd_stats(args) -> int:
    from chapter_app.domain.periods import parse_period
    from chapter_app.services.indicators import INDICATORS, MONEY_KEYS, indicator_blocks, nest

    period = parse_period(args.period)
    with _open_existing(args.db) as store:
        blocks = indicator_blocks(store, period)
    if args.json:
        payload = {name: nest(block) for name, block in blocks.items()}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(_stats_table(period, blocks, INDICATORS, MONEY_KEYS))
    return EXIT_OK


def _stats_table(period, blocks, indicators, money_keys) -> str:
    from chapter_app.i18n import format_number

    def cell(key: str, block: str) -> str:
        value = blocks[block][key]
        return format_number(value) + (" đ" if key in money_keys else "")

    headers = ["Chỉ tiêu", "Trong kỳ", "Lũy kế năm", "Cùng kỳ năm trước"]
    rows = [
        [label, cell(k, "period"), cell(k, "ytd"), cell(k, "last_year")]
        for k, label, _unit in indicators
    ]
    for name, values in blocks["period"]["aid.by_campaign"].items():
        rows.append([f"  Trợ giúp trong kỳ: {name}", format_number(values["value"]) + " đ", "", ""])
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(4)]
    lines = [
        f"Kỳ báo cáo: {period.vietnamese_label()} "
        f"({period.start:%d/%m/%Y} - {period.end:%d/%m/%Y})",
        "",
    ]
    for i, row in enumerate([headers, *rows]):
        cells = [row[0].ljust(widths[0])] + [row[j].rjust(widths[j]) for j in range(1, 4)]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def cmd_gui(args) -> int:
    from chapter_app.ui.app import run

    return run(db_path=args.db or default_db_path())


COMMANDS = {"init": cmd_init, "demo": cmd_demo, "stats": cmd_stats}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``chapter-app``; returns the exit code."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    handler = COMMANDS.get(args.command, cmd_gui)
    try:
        return handler(args)
    except AppError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(f"Lỗi tệp: {exc.strerror or exc} ({exc.filename or ''})", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
