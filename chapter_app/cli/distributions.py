"""A handout (đợt trao quà) from the command line: one aid record per household or member,
all in one operation, and its sign-off sheet (danh sách ký nhận) as a PDF.

chapter-app distributions list [--year Y] [--json]
chapter-app distributions add --on DATE (--households all|"A; B; 3" [--unit THÔN]
                              | --members "1; 2") [--cash-each Đ] [--goods-each Đ] [...]
                              [--signoff FILE.pdf]
chapter-app distributions signoff SỐ --out FILE.pdf
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from chapter_app.cli.base import (
    EXIT_OK,
    Parser,
    db_argument,
    read_only_argument,
    write_output,
)
from chapter_app.cli.core import open_existing
from chapter_app.cli.record_commands import day, refuse
from chapter_app.errors import AppError

HEADER_OPTIONS = {
    "--cash-each": ("cash_per_recipient", "tiền mặt mỗi suất (đồng)"),
    "--goods-each": ("goods_per_recipient", "trị giá hiện vật mỗi suất (đồng)"),
    "--quantity": ("quantity", "số lượng hiện vật mỗi suất"),
    "--unit-name": ("unit", "đơn vị tính, ví dụ «suất», «kg»"),
    "--description": ("description", "nội dung, ví dụ «Quà Tết: gạo, dầu ăn»"),
    "--form": ("form", "hình thức (xem: chapter-app lists forms list)"),
    "--funding": ("funding_source", "nguồn: nội lực, nhà tài trợ, cấp trên"),
    "--emergency": ("is_emergency", "cứu trợ khẩn cấp: có / không"),
    "--notes": ("notes", "ghi chú"),
}
REFERENCE_OPTIONS = {
    "--campaign": ("campaign_id", "campaigns", "chương trình, ví dụ «Tết Nhân ái»"),
    "--area": ("area_id", "areas", "lĩnh vực"),
    "--sponsor": ("sponsor_id", "sponsors", "nhà tài trợ (khi nguồn là nhà tài trợ)"),
}
OPTION_OF_FIELD = {key: option for option, (key, _h) in HEADER_OPTIONS.items()} | {
    key: option for option, (key, _r, _h) in REFERENCE_OPTIONS.items()
}
OPTION_OF_FIELD |= {"given_on": "--on", "recipients": "--households/--members"}


def register(commands) -> None:
    parser = commands.add_parser(
        "distributions", help="đợt trao quà (một lần nhập cho nhiều hộ) và danh sách ký nhận"
    )
    sub = parser.add_subparsers(dest="distributions_command", parser_class=Parser)
    sub.required = True

    listing = sub.add_parser("list", help="các đợt trao quà đã ghi")
    db_argument(listing, required=True)
    read_only_argument(listing)
    listing.add_argument("--year", type=int, help="chỉ năm này")
    listing.add_argument("--json", action="store_true", help="in dạng JSON")
    listing.set_defaults(handler=cmd_list)

    add = sub.add_parser("add", help="ghi một đợt trao quà: mỗi hộ (hoặc hội viên) một lượt")
    db_argument(add, required=True)
    add.add_argument("--on", required=True, metavar="NGÀY", help="ngày trao (dd/mm/yyyy)")
    add.add_argument(
        "--households",
        metavar="HỘ",
        help="«all» (mọi hộ đang theo dõi) hoặc tên/số các hộ, cách nhau bằng dấu ;",
    )
    add.add_argument("--unit", metavar="THÔN", help="với --households all: chỉ hộ của thôn này")
    add.add_argument("--members", metavar="SỐ", help="số các hội viên, cách nhau bằng dấu ;")
    for option, (key, help_text) in HEADER_OPTIONS.items():
        add.add_argument(option, dest=key, help=help_text)
    for option, (key, _repo, help_text) in REFERENCE_OPTIONS.items():
        add.add_argument(option, dest=key, help=help_text)
    add.add_argument("--signoff", type=Path, metavar="TỆP.pdf", help="in danh sách ký nhận")
    add.set_defaults(handler=cmd_add)

    signoff = sub.add_parser("signoff", help="in danh sách ký nhận của một đợt (PDF)")
    db_argument(signoff, required=True)
    signoff.add_argument("id", type=int, metavar="SỐ", help="số của đợt (xem: list)")
    signoff.add_argument("--out", type=Path, required=True, metavar="TỆP.pdf")
    signoff.set_defaults(handler=cmd_signoff)


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _recipients(store, args) -> list[tuple[str, int]]:
    """The households or members chosen, as ``(kind, id)``; refused when none."""
    from chapter_app.cli.households import find_by_name
    from chapter_app.services.importer.structure import References
    from chapter_app.store.repository import Query

    if bool(args.households) == bool(args.members):
        raise AppError(
            "Nêu người nhận: --households all (mọi hộ đang theo dõi), --households "
            '"Hộ A; Hộ B" hoặc --members "1; 2". Không ghi gì.'
        )
    if args.members:
        chosen = []
        for text in _names(args.members):
            member = store.members.find(int(text)) if text.isdigit() else None
            if member is None:
                raise AppError(f"--members: không có hội viên số «{text}». Xem: members list.")
            chosen.append(("person", member.person_id))
        return chosen
    if args.households.strip().casefold() != "all":
        listing = "chapter-app addresses list"
        return [
            ("address", find_by_name(store.addresses, n, option="--households", noun="hộ",
                                     listing=listing))
            for n in _names(args.households)
        ]  # fmt: skip
    filters: dict[str, Any] = {"status": "following"}
    if args.unit:
        unit = References(store).unit(args.unit)
        if not isinstance(unit, int):
            raise AppError(f"--unit: không có thôn «{args.unit}». Xem: chapter-app units list.")
        filters["unit_id"] = unit
    chosen = [("address", i) for i in store.addresses.ids(Query(filters=filters))]
    if not chosen:
        raise AppError("Không có hộ nào đang theo dõi" + (" ở thôn này" if args.unit else "") + ".")
    return chosen


def _references(store, args) -> dict[str, int | None]:
    from chapter_app.cli.households import find_by_name

    found = {}
    for option, (key, repo_name, _help) in REFERENCE_OPTIONS.items():
        text = getattr(args, key)
        found[key] = None
        if text:
            where = "sponsors" if repo_name == "sponsors" else f"lists {repo_name}"
            listing = f"chapter-app {where} list"
            found[key] = find_by_name(
                getattr(store, repo_name), text, option=option, noun="mục", listing=listing
            )
    return found  # fmt: skip


def cmd_add(args) -> int:
    from chapter_app.domain.validation import ValidationFailed
    from chapter_app.services.distribution import create_distribution, stored_total

    values = {key: getattr(args, key) for _o, (key, _h) in HEADER_OPTIONS.items()}
    values = {key: value for key, value in values.items() if value is not None}
    with open_existing(args.db) as store:
        recipients = _recipients(store, args)
        try:
            distribution = create_distribution(
                store,
                given_on=args.on,
                recipients=recipients,
                today=date.today(),
                **_references(store, args),
                **values,
            )
        except ValidationFailed as exc:
            raise refuse(
                [f"{OPTION_OF_FIELD.get(i.field, i.field)}: {i.message}" for i in exc.errors]
            ) from None
        total = stored_total(store, distribution.id)
        if args.signoff:
            _write_signoff(store, distribution.id, args.signoff)
    print(
        f"Đã ghi đợt trao quà số {distribution.id} ngày {day(distribution.given_on)}: "
        f"{len(recipients)} suất, tổng {_money(total)}."
    )
    if args.signoff:
        print(f"Danh sách ký nhận: {args.signoff}")
    return EXIT_OK


def _money(amount: int) -> str:
    from chapter_app.i18n import format_money

    return format_money(amount)


def _write_signoff(store, distribution_id: int, out: Path) -> None:
    """The sheet as a PDF, noted in the audit log as the window notes it."""
    from chapter_app.services.pdf.signoff import render_signoff_sheet
    from chapter_app.services.report.lists import build_signoff_sheet

    sheet = build_signoff_sheet(store, distribution_id)
    write_output(out, render_signoff_sheet(sheet))
    store.ops.log_event(
        "export_list", details={"list": "signoff", "rows": len(sheet.rows), "destination": str(out)}
    )


def cmd_signoff(args) -> int:
    with open_existing(args.db, reader=True) as store:
        store.check_can_write()  # the sheet is noted in the audit log: refused before writing
        store.distributions.get(args.id)
        _write_signoff(store, args.id, args.out)
    print(f"Đã ghi danh sách ký nhận của đợt số {args.id} vào {args.out}.")
    return EXIT_OK


def cmd_list(args) -> int:
    from chapter_app.services.distribution import stored_total

    with open_existing(args.db, reader=args.read_only) as store:
        campaigns = {c.id: c.name for c in store.campaigns.list()}
        rows = [
            {
                "id": d.id,
                "given_on": d.given_on.isoformat(),
                "campaign": campaigns.get(d.campaign_id),
                "description": d.description,
                "recipients": store.aid.count(filters={"distribution_id": d.id}),
                "total": stored_total(store, d.id),
            }
            for d in store.distributions.list()
            if args.year is None or d.given_on.year == args.year
        ]
    rows.sort(key=lambda r: (r["given_on"], r["id"]))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return EXIT_OK
    if not rows:
        print('Chưa có đợt trao quà nào. Ghi: chapter-app distributions add --on 28/12/2026 '
              '--households all --cash-each 500000 --campaign "Tết Nhân ái" --db ...')  # fmt: skip
        return EXIT_OK
    for row in rows:
        what = ", ".join(p for p in (row["campaign"], row["description"]) if p)
        print(
            f"  số {row['id']:>4}  {day(row['given_on'])}  {row['recipients']} suất, "
            f"{_money(row['total'])}" + (f"  ({what})" if what else "")
        )
    return EXIT_OK
