"""Blood donors commands: ``donors due``, ``donors honours``, ``donors add``, ``donors donate``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from chapter_app.cli.base import EXIT_OK, Parser, db_argument
from chapter_app.errors import AppError


def register(commands) -> None:
    """Add ``donors`` with its sub-commands."""
    donors = commands.add_parser("donors", help="người hiến máu: gọi hiến máu, tôn vinh, ghi")
    sub = donors.add_subparsers(dest="donors_command", parser_class=Parser, required=True)

    due = sub.add_parser("due", help="những người có thể hiến máu vào một ngày")
    db_argument(due, required=True)
    due.add_argument("--on", required=True, type=date.fromisoformat, help="ngày (YYYY-MM-DD)")
    due.add_argument("--json", action="store_true", help="in dạng JSON")
    due.add_argument("--pdf", type=Path, help="ghi danh sách gọi hiến máu ra tệp PDF")
    due.add_argument("--xlsx", type=Path, help="ghi danh sách gọi hiến máu ra tệp Excel")
    due.add_argument("--sensitive", action="store_true", help="kèm nhóm máu (dữ liệu nhạy cảm)")
    due.set_defaults(handler=cmd_due)

    honours = sub.add_parser("honours", help="những người đạt mốc tôn vinh trong một năm")
    db_argument(honours, required=True)
    honours.add_argument("--year", required=True, type=int, help="năm, ví dụ 2026")
    honours.add_argument("--json", action="store_true", help="in dạng JSON")
    honours.add_argument("--pdf", type=Path, help="ghi danh sách đề nghị tôn vinh ra tệp PDF")
    honours.add_argument("--all", action="store_true", help="kèm những người đã được tôn vinh")
    honours.add_argument(
        "--record-given",
        type=date.fromisoformat,
        metavar="DATE",
        help="ghi là đã tôn vinh vào ngày này (YYYY-MM-DD)",
    )
    honours.add_argument("--decision", help="số quyết định tôn vinh")
    honours.set_defaults(handler=cmd_honours)

    add = sub.add_parser("add", help="ghi một người là người hiến máu")
    _person_arguments(add)
    add.add_argument("--blood-group", help="nhóm máu, ví dụ O+ hoặc AB Rh-")
    add.add_argument("--prior", type=int, help="số lần đã hiến trước khi có sổ")
    add.add_argument("--prior-last", type=date.fromisoformat, help="ngày hiến gần nhất trong số đó")
    add.set_defaults(handler=cmd_add)

    donate = sub.add_parser("donate", help="ghi một lần hiến máu")
    _person_arguments(donate)
    donate.add_argument("--on", type=date.fromisoformat, help="ngày hiến (mặc định: ngày của đợt)")
    donate.add_argument("--drive", type=int, help="số của đợt hiến máu")
    donate.add_argument("--volume", type=int, help="250, 350 hoặc 450 (ml)")
    donate.add_argument("--component", help="hiến thành phần máu (tiểu cầu, huyết tương ...)")
    donate.add_argument("--place", help="nơi hiến, cơ sở tiếp nhận máu")
    donate.add_argument("--certificate", help="số giấy chứng nhận")
    donate.set_defaults(handler=cmd_donate)

    defer = sub.add_parser("defer", help="ghi một lần đến hiến mà tạm hoãn (không hiến được)")
    _person_arguments(defer)
    defer.add_argument("--on", required=True, type=date.fromisoformat, help="ngày (YYYY-MM-DD)")
    defer.add_argument("--until", type=date.fromisoformat, help="tạm hoãn đến ngày")
    defer.add_argument("--drive", type=int, help="số của đợt hiến máu")
    defer.add_argument("--reason", help="lý do tạm hoãn")
    defer.set_defaults(handler=cmd_defer)


def _person_arguments(parser) -> None:
    db_argument(parser, required=True)
    parser.add_argument("--person-id", type=int, help="số của người trong sổ")
    parser.add_argument("--name", help="họ và tên")
    parser.add_argument("--birth-year", type=int, help="năm sinh")
    parser.add_argument("--id-number", help="số định danh")
    parser.add_argument(
        "--create", action="store_true", help="thêm người vào sổ khi chưa có (cần tên)"
    )


def _person_id(store, args) -> int:
    from chapter_app.services.blood.records import match_person

    if args.person_id:
        return store.people.get(args.person_id).id
    if not args.name:
        raise AppError("Hãy ghi --person-id hoặc --name (kèm --birth-year hoặc --id-number).")
    found = match_person(
        store, full_name=args.name, birth_year=args.birth_year, id_number=args.id_number
    )
    if found is not None:
        return found
    if not args.create:
        raise AppError(
            f"Không tìm thấy «{args.name}» trong sổ. Thêm --create để thêm người mới, hoặc ghi "
            "đúng năm sinh, số định danh."
        )
    return store.people.add(
        full_name=args.name, birth_year=args.birth_year, id_number=args.id_number
    ).id


def cmd_due(args) -> int:
    from chapter_app.cli.base import write_output
    from chapter_app.cli.core import open_existing
    from chapter_app.services.blood.eligibility import donors_due
    from chapter_app.services.blood.lists import build_call_list, export_call_list_xlsx
    from chapter_app.services.pdf.lists import render_list
    from chapter_app.services.report.lists import record_list_export

    with open_existing(args.db) as store:
        donors = donors_due(store, args.on)
        if args.pdf:
            data = build_call_list(store, args.on, include_sensitive=args.sensitive, donors=donors)
            write_output(args.pdf, render_list(data))
            record_list_export(store, data, destination=str(args.pdf))
        if args.xlsx:
            export_call_list_xlsx(store, args.on, args.xlsx, include_sensitive=args.sensitive)
    if args.json:
        rows = [d.as_json(include_sensitive=args.sensitive) for d in donors]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    for d in donors:
        last = d.last_whole.strftime("%d/%m/%Y") if d.last_whole else "chưa hiến"
        print(f"{d.name}\t{d.birth_year or ''}\t{d.phone or ''}\t{d.unit or ''}\t{last}")
    print(f"Tổng số: {len(donors)} người có thể hiến máu ngày {args.on:%d/%m/%Y}.")
    return EXIT_OK


def cmd_honours(args) -> int:
    from chapter_app.cli.base import write_output
    from chapter_app.cli.core import open_existing
    from chapter_app.services.blood.honours import honour_candidates, record_honours_given
    from chapter_app.services.blood.lists import build_honours_list
    from chapter_app.services.pdf.lists import render_list
    from chapter_app.services.report.lists import record_list_export

    with open_existing(args.db) as store:
        rows = honour_candidates(store, args.year, include_given=args.all)
        if args.pdf:
            pending = [r for r in rows if not r.given]
            data = build_honours_list(store, args.year, candidates=pending)
            write_output(args.pdf, render_list(data))
            record_list_export(store, data, destination=str(args.pdf))
        if args.record_given:
            added = record_honours_given(
                store,
                [r for r in rows if not r.given],
                year=args.year,
                given_on=args.record_given,
                decision_no=args.decision,
            )
            print(f"Đã ghi {added} người được tôn vinh.")
    if args.json:
        print(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return EXIT_OK
    for r in rows:
        print(
            f"{r.name}\t{r.birth_year or ''}\t{r.unit or ''}\tmốc {r.threshold}\t{r.donations} lần"
        )
    print(f"Tổng số: {len(rows)} người đạt mốc tôn vinh năm {args.year}.")
    return EXIT_OK


def cmd_add(args) -> int:
    from chapter_app.cli.core import open_existing
    from chapter_app.services.blood.records import ensure_donor

    values = {}
    if args.blood_group is not None:
        values["blood_group"] = args.blood_group
    if args.prior is not None:
        values["prior_donations"] = args.prior
    if args.prior_last is not None:
        values["prior_last_on"] = args.prior_last
    with open_existing(args.db) as store:
        with store.operation("Ghi người hiến máu"):
            donor = ensure_donor(store, _person_id(store, args), **values)
        name = store.people.get(donor.person_id).full_name
    print(f"Đã ghi {name} là người hiến máu.")
    return EXIT_OK


def cmd_donate(args) -> int:
    from chapter_app.cli.core import open_existing
    from chapter_app.services.blood.records import record_donation

    with open_existing(args.db) as store, store.operation("Ghi lần hiến máu"):
        donation = record_donation(
            store,
            person_id=_person_id(store, args),
            donated_on=args.on,
            drive_id=args.drive,
            kind="component" if args.component else "whole",
            volume_ml=args.volume,
            component=args.component,
            place=args.place,
            certificate_no=args.certificate,
        )
    print(f"Đã ghi lần hiến máu ngày {donation.donated_on:%d/%m/%Y}.")
    return EXIT_OK


def cmd_defer(args) -> int:
    from chapter_app.cli.core import open_existing
    from chapter_app.services.blood.records import record_deferral

    with open_existing(args.db) as store, store.operation("Ghi lần tạm hoãn hiến máu"):
        record_deferral(
            store,
            person_id=_person_id(store, args),
            on_date=args.on,
            drive_id=args.drive,
            reason=args.reason,
            until_on=args.until,
        )
    until = f" đến {args.until:%d/%m/%Y}" if args.until else ""
    print(f"Đã ghi tạm hoãn ngày {args.on:%d/%m/%Y}{until}.")
    return EXIT_OK
