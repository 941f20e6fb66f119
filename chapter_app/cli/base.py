"""What every command module shares: exit codes, the parser class, the --db option."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chapter_app.paths import DB_ENV_VAR

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
PERIOD_HELP = "kỳ báo cáo: 2026-Q3, 2026-H1, 2026-9M, 2026 hoặc 2026-07-01..2026-09-30"


class Parser(argparse.ArgumentParser):
    """argparse with Vietnamese usage errors (exit code 2)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: lỗi: {message}\n")


def db_argument(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        required=required,
        help=f"tệp dữ liệu (mặc định: ${DB_ENV_VAR} hoặc thư mục dữ liệu người dùng)",
    )


def read_only_argument(parser: argparse.ArgumentParser) -> None:
    """``--read-only``: the command reads a snapshot without the one-writer lock (it runs
    while the program has the file open) and changes nothing but the audit log's note."""
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="chỉ đọc: không giữ quyền ghi, chạy được khi chương trình đang mở tệp",
    )
