"""Counted activities from the command line: blood drives, first-aid classes, health care
activities, disaster drills.

chapter-app activities list [--year Y] [--kind K] [--json]
chapter-app activities add KIND --on DATE [values ...]
chapter-app activities change KIND ID [values ...]
chapter-app activities remove KIND ID
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import date
from typing import Any

from chapter_app.cli.base import EXIT_OK, Parser, db_argument, read_only_argument
from chapter_app.cli.core import open_existing
from chapter_app.domain.validation import ValidationFailed
from chapter_app.services.activities import ACTIVITY_KINDS, DRILL_KIND, HEALTH_KIND

# option -> (field key, help, kinds that take it); values stay text so that the checks
# of the window give the same messages
VALUE_OPTIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "--on": ("held_on", "ngày tổ chức (dd/mm/yyyy hoặc YYYY-MM-DD)", tuple(ACTIVITY_KINDS)),
    "--partner": ("partner", "đơn vị tiếp nhận máu", ("blood-drive",)),
    "--registered": ("registered", "số người đăng ký", ("blood-drive",)),
    "--donors": ("donors", "số người hiến", ("blood-drive",)),
    "--units": ("units", "tổng số đơn vị máu", ("blood-drive",)),
    "--units-250": ("units_250", "số đơn vị loại 250 ml", ("blood-drive",)),
    "--units-350": ("units_350", "số đơn vị loại 350 ml", ("blood-drive",)),
    "--units-450": ("units_450", "số đơn vị loại 450 ml", ("blood-drive",)),
    "--title": ("title", "tên lớp, nội dung", ("first-aid",)),
    "--trainees": ("trainees", "số học viên", ("first-aid",)),
    "--cases": ("cases_handled", "số ca sơ cấp cứu đã xử lý", ("first-aid",)),
    "--type": (
        "kind",
        "hình thức: " + ", ".join(HEALTH_KIND) + " (health); " + ", ".join(DRILL_KIND) + " (drill)",
        ("health", "drill"),
    ),
    "--person-times": ("person_times", "số lượt người", ("health",)),
    "--value": ("value", "trị giá (đồng)", ("health",)),
    "--sessions": ("sessions", "số buổi", ("drill",)),
    "--participants": ("participants", "số người tham gia", ("drill",)),
    "--notes": ("notes", "ghi chú", tuple(ACTIVITY_KINDS)),
}
OPTION_OF_FIELD = {field: option for option, (field, _h, _k) in VALUE_OPTIONS.items()}
KINDS_HELP = (
    "blood-drive (đợt hiến máu), first-aid (lớp sơ cấp cứu), health (chăm sóc sức khỏe), "
    "drill (diễn tập, tập huấn phòng chống thiên tai)"
)


def register(commands) -> None:
    """Add ``activities`` with list, add, change and remove."""
    parser = commands.add_parser(
        "activities", help="hoạt động: đợt hiến máu, lớp sơ cấp cứu, chăm sóc sức khỏe, diễn tập"
    )
    sub = parser.add_subparsers(dest="activities_command", parser_class=Parser, required=True)

    listing = sub.add_parser("list", help="các hoạt động đã ghi, theo loại")
    db_argument(listing, required=True)
    read_only_argument(listing)
    listing.add_argument("--year", type=int, help="chỉ năm này")
    listing.add_argument("--kind", choices=list(ACTIVITY_KINDS), help=KINDS_HELP)
    listing.add_argument("--json", action="store_true", help="in dạng JSON")
    listing.set_defaults(handler=cmd_list)

    add = sub.add_parser("add", help="ghi một hoạt động đã diễn ra")
    _kind_argument(add)
    _value_options(add)
    add.set_defaults(handler=cmd_add)

    change = sub.add_parser("change", help="sửa một hoạt động (chỉ các giá trị được nêu)")
    _kind_argument(change)
    change.add_argument("id", type=int, metavar="SỐ", help="số của hoạt động (xem bằng list)")
    _value_options(change)
    change.set_defaults(handler=cmd_change)

    remove = sub.add_parser("remove", help="xóa một hoạt động ghi nhầm (hoàn tác được)")
    _kind_argument(remove)
    remove.add_argument("id", type=int, metavar="SỐ", help="số của hoạt động (xem bằng list)")
    remove.set_defaults(handler=cmd_remove)


def _kind_argument(parser: argparse.ArgumentParser) -> None:
    db_argument(parser, required=True)
    parser.add_argument("activity", choices=list(ACTIVITY_KINDS), metavar="LOẠI", help=KINDS_HELP)


def _value_options(parser: argparse.ArgumentParser) -> None:
    for option, (field, help_text, kinds) in VALUE_OPTIONS.items():
        where = "" if len(kinds) == len(ACTIVITY_KINDS) else f" [{', '.join(kinds)}]"
        parser.add_argument(option, dest=field, help=help_text + where)


def _given_values(args) -> dict[str, str]:
    """The values typed on the command line; an option the kind does not take is refused."""
    from chapter_app.errors import AppError

    given = {}
    for option, (field, _help, kinds) in VALUE_OPTIONS.items():
        value = getattr(args, field, None)
        if value is None:
            continue
        if args.activity not in kinds:
            raise AppError(
                f"{option} không dùng cho {args.activity}; dùng cho: {', '.join(kinds)}. "
                f"Xem: chapter-app activities add --help"
            )
        given[field] = value
    return given


def _save(args, values: dict, *, record_id: int | None = None) -> int:
    """Save through the window's own checks; each wrong value names its option."""
    from chapter_app.errors import AppError
    from chapter_app.i18n import _, format_date
    from chapter_app.services.activities import get_activity, save_activity

    kind = ACTIVITY_KINDS[args.activity]
    with open_existing(args.db) as store:
        if record_id is not None:  # the values not named on the command line are kept
            stored = asdict(get_activity(store, kind, record_id))
            values = {f: stored.get(f) for f, *_rest in VALUE_OPTIONS.values()} | values
        try:
            saved = save_activity(store, kind, values, today=date.today(), record_id=record_id)
        except ValidationFailed as exc:
            lines = [f"{OPTION_OF_FIELD.get(i.field, i.field)}: {i.message}" for i in exc.errors]
            raise AppError(
                "\n".join(lines) + "\nKhông ghi gì. Sửa các giá trị trên rồi chạy lại."
            ) from None
    verb = "Đã ghi" if record_id is None else "Đã sửa"
    record = saved.record
    print(f"{verb} {_(kind.noun)} số {record.id}, ngày {format_date(record.held_on)}.")
    for issue in saved.warnings:
        print(f"Lưu ý ({OPTION_OF_FIELD.get(issue.field, issue.field)}): {issue.message}")
    return EXIT_OK


def cmd_add(args) -> int:
    values = _given_values(args)
    if args.activity == "drill":
        values.setdefault("sessions", "1")  # as the window's form starts
    return _save(args, values)


def cmd_change(args) -> int:
    return _save(args, _given_values(args), record_id=args.id)


def cmd_remove(args) -> int:
    from chapter_app.i18n import _
    from chapter_app.services.activities import remove_activity

    kind = ACTIVITY_KINDS[args.activity]
    with open_existing(args.db) as store:
        remove_activity(store, kind, args.id)
    print(f"Đã xóa {_(kind.noun)} số {args.id} (hoàn tác được trong chương trình: Sửa > Hoàn tác).")
    return EXIT_OK


def _summary(kind_key: str, record) -> str:
    from chapter_app.i18n import _, format_money

    if kind_key == "blood-drive":
        parts = [f"{record.units} đơn vị máu", f"{record.donors} người hiến"]
        parts += [record.partner] if record.partner else []
    elif kind_key == "first-aid":
        parts = [record.title or "", f"{record.trainees} học viên"]
        parts += [f"{record.cases_handled} ca sơ cấp cứu"] if record.cases_handled else []
    elif kind_key == "health":
        parts = [_(HEALTH_KIND.get(record.kind, record.kind)), f"{record.person_times} lượt người"]
        parts += [format_money(record.value)] if record.value else []
    else:
        parts = [_(DRILL_KIND.get(record.kind, record.kind)), f"{record.sessions} buổi"]
        parts += [f"{record.participants} người tham gia"]
    return "; ".join(p for p in parts if p)


def _rows(store, kind_key: str, year: int | None) -> list[dict[str, Any]]:
    records = getattr(store, ACTIVITY_KINDS[kind_key].repo_name).list()
    return sorted(
        (r for r in records if year is None or r.held_on.year == year),
        key=lambda r: (r.held_on, r.id),
    )


def cmd_list(args) -> int:
    from chapter_app.i18n import _, format_date

    kinds = [args.kind] if args.kind else list(ACTIVITY_KINDS)
    with open_existing(args.db, reader=args.read_only) as store:
        found = {key: _rows(store, key, args.year) for key in kinds}
    if args.json:
        out = {
            key: [{**asdict(r), "held_on": r.held_on.isoformat()} for r in records]
            for key, records in found.items()
        }
        print(json.dumps(out, ensure_ascii=False, indent=1, default=str))
        return EXIT_OK
    if not any(found.values()):
        print(
            "Chưa ghi hoạt động nào"
            + (f" trong năm {args.year}" if args.year else "")
            + '. Ghi: chapter-app activities add first-aid --on 15/03/2026 --title "…" '
            "--trainees 30 --db ..."
        )
        return EXIT_OK
    for key, records in found.items():
        if not records:
            continue
        noun = _(ACTIVITY_KINDS[key].noun)
        print(f"{noun[0].upper()}{noun[1:]} ({key}): {len(records)}")
        for record in records:
            print(f"  số {record.id:>4}  {format_date(record.held_on)}  {_summary(key, record)}")
    return EXIT_OK
