"""The shape every register command shares: ``list``, ``add`` and ``change`` of one kind of
record, saved through the window's own ``services.records.save_*`` checks.

A :class:`RecordKind` says what differs (options, required ones, how to save, what a list
prints); :func:`register_kind` builds the sub-commands. Only the values named on the command
line change; every wrong value names its option and nothing is written.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chapter_app.cli.base import EXIT_OK, Parser, db_argument, read_only_argument
from chapter_app.cli.core import open_existing
from chapter_app.errors import AppError

Options = dict[str, tuple[str, str]]  # option -> (raw key of the form, help)


def _nothing(*_args) -> None:
    return None


@dataclass(frozen=True)
class RecordKind:
    command: str  # "members"
    noun: str  # "hội viên"
    options: Options
    required: tuple[str, ...]  # options an ``add`` needs
    example: str  # the values of an example ``add``
    save: Callable[[Any, dict, int | None], Any]  # (store, raw, id or None) -> Saved
    stored: Callable[[Any, int], dict]  # the values the window's form would show
    rows: Callable[[Any, argparse.Namespace], list[dict]]  # what a list prints (public)
    line: Callable[[dict], str]  # one listed row as text
    name_of: Callable[[Any, Any], str]  # (store, saved record) -> its name for messages
    resolve: Callable[[Any, dict], None] = _nothing  # typed names -> ids, in place
    list_options: Callable[[argparse.ArgumentParser], None] = _nothing
    option_of_field: dict[str, str] = field(default_factory=dict)  # issue field -> option
    hints: dict[str, str] = field(default_factory=dict)  # issue field -> what to do next

    def option_of(self, field_name: str) -> str:
        if field_name in self.option_of_field:
            return self.option_of_field[field_name]
        for option, (key, _help) in self.options.items():
            if key == field_name:
                return option
        return field_name


def register_kind(commands, kind: RecordKind, help_text: str):
    """Add ``kind.command`` with list, add and change; returns its sub-parsers so that a
    kind can add more (a status change, a commitment)."""
    parser = commands.add_parser(kind.command, help=help_text)
    sub = parser.add_subparsers(dest=f"{kind.command}_command", parser_class=Parser)
    sub.required = True
    listing = sub.add_parser("list", help=f"danh sách {kind.noun}")
    db_argument(listing, required=True)
    read_only_argument(listing)
    kind.list_options(listing)
    listing.add_argument("--json", action="store_true", help="in dạng JSON")
    listing.set_defaults(handler=cmd_list, kind=kind)
    required = ", ".join(kind.required)
    add = sub.add_parser("add", help=f"thêm {kind.noun}; bắt buộc: {required}")
    _value_options(add, kind)
    add.set_defaults(handler=cmd_add, kind=kind)
    change = sub.add_parser("change", help=f"sửa {kind.noun} (chỉ các giá trị được nêu)")
    change.add_argument("id", type=int, metavar="SỐ", help=f"số của {kind.noun} (xem: list)")
    _value_options(change, kind)
    change.set_defaults(handler=cmd_change, kind=kind)
    return sub


def add_status_parser(sub, noun: str, statuses: dict[str, str], handler):
    """``status SỐ --to CODE --on DATE [--reason …]``: a record's new status; returns the
    parser for options of its own."""
    status = sub.add_parser("status", help=f"ghi tình trạng mới của một {noun}")
    db_argument(status, required=True)
    status.add_argument("id", type=int, metavar="SỐ", help=f"số của {noun} (xem: list)")
    status.add_argument(
        "--to",
        required=True,
        choices=list(statuses),
        help="; ".join(f"{code}: {label}" for code, label in statuses.items()),
    )
    status.add_argument("--on", required=True, metavar="NGÀY", help="từ ngày (dd/mm/yyyy)")
    status.add_argument("--reason", help="lý do")
    status.set_defaults(handler=handler)
    return status


def _value_options(parser: argparse.ArgumentParser, kind: RecordKind) -> None:
    db_argument(parser, required=True)
    for option, (key, help_text) in kind.options.items():
        parser.add_argument(option, dest=f"value_{key}", metavar="GIÁ_TRỊ", help=help_text)


def saver(name: str, id_keyword: str, *, dated: bool = True):
    """A ``RecordKind.save`` calling ``services.records.<name>`` with the record's id as
    ``id_keyword`` (and today's date when the service takes one)."""

    def save(store, raw: dict, record_id: int | None):
        from chapter_app.services import records

        extra = {"today": date.today()} if dated else {}
        return getattr(records, name)(store, raw, **{id_keyword: record_id}, **extra)

    return save


def given_values(args) -> dict[str, str]:
    """The values typed on the command line, by the form's raw key."""
    return {
        key: value
        for _option, (key, _help) in args.kind.options.items()
        if (value := getattr(args, f"value_{key}", None)) is not None
    }


def refuse(lines: list[str]) -> AppError:
    return AppError("\n".join(lines) + "\nKhông ghi gì. Sửa các giá trị trên rồi chạy lại.")


def _save(args, *, record_id: int | None) -> int:
    from chapter_app.domain.validation import ValidationFailed

    kind: RecordKind = args.kind
    given = given_values(args)
    if record_id is None:
        missing = [o for o in kind.required if kind.options[o][0] not in given]
        if missing:
            raise AppError(
                f"Chưa nêu: {', '.join(missing)}. Ví dụ: chapter-app {kind.command} add "
                f"{kind.example} --db ..."
            )
    elif not given:
        raise AppError(f"Chưa nêu giá trị nào để sửa. Xem: chapter-app {kind.command} change -h")
    with open_existing(args.db) as store:
        kind.resolve(store, given)
        raw = given if record_id is None else kind.stored(store, record_id) | given
        try:
            saved = kind.save(store, raw, record_id)
        except ValidationFailed as exc:
            lines = [f"{kind.option_of(i.field)}: {i.message}" for i in exc.errors]
            lines += sorted({kind.hints[i.field] for i in exc.errors if i.field in kind.hints})
            raise refuse(lines) from None
        name = kind.name_of(store, saved.record)
    verb = "Đã thêm" if record_id is None else "Đã sửa"
    print(f"{verb} {kind.noun} số {saved.record.id}: {name}.")
    for issue in saved.warnings:
        print(f"Lưu ý ({kind.option_of(issue.field)}): {issue.message}")
    return EXIT_OK


def cmd_add(args) -> int:
    return _save(args, record_id=None)


def cmd_change(args) -> int:
    return _save(args, record_id=args.id)


def cmd_list(args) -> int:
    kind: RecordKind = args.kind
    with open_existing(args.db, reader=args.read_only) as store:
        shown = kind.rows(store, args)
    if args.json:
        print(json.dumps(shown, ensure_ascii=False, indent=1, default=str))
        return EXIT_OK
    if not shown:
        print(
            f"Không có {kind.noun} nào. Thêm: chapter-app {kind.command} add {kind.example} "
            "--db ..."
        )
        return EXIT_OK
    print(f"{len(shown)} {kind.noun}:")
    for row in shown:
        print(f"  số {row['id']:>5}  {kind.line(row)}")
    return EXIT_OK


def day(value: date | str | None) -> str:
    """dd/mm/yyyy of a date or ISO text; "" for none."""
    if not value:
        return ""
    return (date.fromisoformat(value) if isinstance(value, str) else value).strftime("%d/%m/%Y")


def form_date(value: Any) -> Any:
    """A stored value as the window's form would hold it (dates typed as dd/mm/yyyy)."""
    return day(value) if isinstance(value, date) else value
