"""The command line: ``chapter-app [--db PATH]`` opens the program; sub-commands run headless.

Each module named in ``COMMAND_MODULES`` adds its sub-commands with ``register(commands)``
and sets ``handler`` on them. Every command exits 0 on success and non-zero with a
clear Vietnamese message on any error (never a traceback for a user mistake).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence

from chapter_app import APP_TITLE, __version__
from chapter_app.cli.base import EXIT_ERROR, Parser, db_argument, refuse_output_over_register
from chapter_app.errors import AppError
from chapter_app.paths import default_db_path

COMMAND_MODULES = [
    "chapter_app.cli.core",
    "chapter_app.cli.exchange",
    "chapter_app.cli.report",
    "chapter_app.cli.ui",
    "chapter_app.cli.safety",
    "chapter_app.cli.organisation",
    "chapter_app.cli.blood",
    "chapter_app.cli.activities",
    "chapter_app.cli.people",
    "chapter_app.cli.households",
    "chapter_app.cli.distributions",
    "chapter_app.cli.dues",
]


def build_parser() -> Parser:
    from chapter_app.cli import argparse_vi

    argparse_vi.install()
    parser = Parser(
        prog="chapter-app",
        description=f"{APP_TITLE}: sổ theo dõi của Hội Chữ thập đỏ cấp xã.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        help="xem số phiên bản của chương trình rồi thoát",
    )
    parser.add_argument(
        "--selftest", action="store_true", help="tự kiểm tra chương trình rồi thoát"
    )
    db_argument(parser, required=False)
    commands = parser.add_subparsers(dest="command", parser_class=Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return parser


EXIT_WHEN_SHOWN_VAR = "CHAPTER_APP_EXIT_WHEN_SHOWN"  # for start-up benchmarks


def cmd_gui(args) -> int:
    from chapter_app.ui.app import run

    exit_when_shown = os.environ.get(EXIT_WHEN_SHOWN_VAR) == "1"
    return run(db_path=args.db or default_db_path(), exit_when_shown=exit_when_shown)


def _gui_arguments(argv: list[str]):
    """The arguments of ``chapter-app [--db PATH]`` (open the program), or None for any
    other command line (a command, ``--help``, ``--version``, a mistake)."""
    parser = _Quiet(prog="chapter-app", add_help=False)
    db_argument(parser, required=False)
    try:
        args, rest = parser.parse_known_args(argv)
    except ValueError:  # the full parser explains the mistake
        return None
    return None if rest else args


class _Quiet(Parser):
    def error(self, message: str):
        raise ValueError(message)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``chapter-app``; returns the exit code."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    # Opening the program (no command) needs none of the commands' modules.
    args = _gui_arguments(sys.argv[1:] if argv is None else list(argv))
    if args is None:
        args = build_parser().parse_args(argv)
        if args.selftest:
            from chapter_app.selftest import run_selftest

            return run_selftest()
    handler = getattr(args, "handler", cmd_gui)
    from chapter_app.cli import secret

    secret.current_args = args
    try:
        refuse_output_over_register(args)
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
