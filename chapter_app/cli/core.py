"""Core commands: init, demo, stats."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from chapter_app.cli.base import EXIT_OK, db_argument, read_only_argument
from chapter_app.errors import AppError


def register(commands) -> None:
    """Add init, demo and stats to the ``chapter-app`` sub-commands."""
    init = commands.add_parser("init", help="tạo tệp dữ liệu mới cho một Hội cơ sở")
    db_argument(init, required=True)
    init.add_argument("--chapter-name", required=True, help="tên Hội, ví dụ «Hội CTĐ xã Tịnh Kỳ»")
    init.add_argument("--parent", default="", help="tên Hội cấp trên")
    init.add_argument("--place", default="", help="địa danh ghi ở dòng ngày tháng")
    init.add_argument("--signer", default="", help="họ tên người ký báo cáo (Chủ tịch Hội)")
    init.set_defaults(handler=cmd_init)

    demo = commands.add_parser("demo", help="tạo dữ liệu mẫu")
    db_argument(demo, required=True)
    demo.add_argument("--size", choices=["small", "large"], default="small")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="ngày cuối của dữ liệu mẫu (YYYY-MM-DD; mặc định hôm nay)",
    )
    demo.set_defaults(handler=cmd_demo)

    stats = commands.add_parser("stats", help="các chỉ tiêu của một kỳ báo cáo")
    db_argument(stats, required=True)
    stats.add_argument(
        "--period",
        required=True,
        help="2026-Q3, 2026-H1, 2026-9M, 2026 hoặc 2026-07-01..2026-09-30",
    )
    stats.add_argument("--json", action="store_true", help="in dạng JSON")
    read_only_argument(stats)
    stats.set_defaults(handler=cmd_stats)


def open_existing(path: Path, *, reader: bool = False):
    """Open an existing database for a command through the window's own safe open
    (``services.integrity.open_store``): a newer, foreign or damaged file gives the same
    message everywhere. A ``reader`` never takes the one-writer lock (it runs while the
    program is open) and reads one consistent snapshot; a missing file is a clear error."""
    from chapter_app.services.integrity import open_store

    if not path.exists():
        raise AppError(
            f"Không tìm thấy tệp dữ liệu «{path}». Tạo tệp mới bằng: chapter-app init --db {path} "
            '--chapter-name "..."'
        )
    from chapter_app.cli.secret import upgrade_password
    from chapter_app.store.store import NeedsUpgradeError, UpgradeNeedsPasswordError

    try:
        store = open_store(path, read_only=reader)
    except (NeedsUpgradeError, UpgradeNeedsPasswordError):
        # A file of an older version: upgraded once (backed up first, as the window does;
        # the backup locked with the program password when automatic backups are).
        password = None
        try:
            open_store(path).close()
        except UpgradeNeedsPasswordError:
            password = upgrade_password(path)
            open_store(path, password=password).close()
        store = open_store(path, read_only=reader)
        store.session_password = password or store.session_password
    if reader:
        store.begin_snapshot()
    return store


def cmd_init(args) -> int:
    from chapter_app.services.setup import init_database

    if args.db.exists() and args.db.stat().st_size > 0:
        raise AppError(f"Tệp «{args.db}» đã có; không ghi đè. Hãy chọn tên tệp khác.")
    store = init_database(
        args.db,
        chapter_name=args.chapter_name,
        parent_name=args.parent,
        place_name=args.place,
        signer_name=args.signer,
    )
    store.close()
    print(f"Đã tạo tệp dữ liệu {args.db} cho {args.chapter_name}.")
    return EXIT_OK


def cmd_demo(args) -> int:
    from chapter_app.services.demo import generate_demo
    from chapter_app.services.setup import init_database

    if args.db.exists() and args.db.stat().st_size > 0:
        store = open_existing(args.db)
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
    with open_existing(args.db, reader=True) as store:
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
