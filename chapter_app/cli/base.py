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


# Arguments naming a file (or folder) a command writes.
OUTPUT_ARGUMENTS = ("out", "pdf", "xlsx", "json", "save_mapping", "narrative_outline", "signoff")


def refuse_output_over_register(args: argparse.Namespace) -> None:
    """Refuse (``AppError``) an output file that is the register itself or one of its
    companions (``-wal``, ``-shm``, ``-journal``, ``.lock``): a report written there would
    destroy the data. Checked before the command opens anything."""
    from chapter_app.errors import AppError

    db = getattr(args, "db", None)
    if not isinstance(db, Path):
        return
    register = [Path(f"{db}{suffix}") for suffix in ("", "-wal", "-shm", "-journal", ".lock")]
    for name in OUTPUT_ARGUMENTS:
        out = getattr(args, name, None)
        if isinstance(out, Path) and any(_same_file(out, path) for path in register):
            raise AppError(
                f"Tệp ghi ra «{out}» chính là tệp dữ liệu (hoặc tệp đi kèm của nó); ghi vào đó "
                "sẽ làm mất dữ liệu. Hãy chọn tên tệp khác."
            )


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return a.samefile(b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


def write_output(path: Path, content: bytes) -> None:
    """Write through a temporary file beside ``path``, so a failure leaves no half file."""
    from chapter_app.store.files import write_bytes_whole

    write_bytes_whole(path, content)
