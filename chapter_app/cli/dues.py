"""Members' dues (hội phí) from the command line, with the window's own checks.

chapter-app dues owing --year Y [--branch NAME] [--json]
chapter-app dues pay --year Y --members "1; 2" --months 1-6 --on DATE [--per-month Đ]
                     [--receipt SỐ] [--exempt]
"""

from __future__ import annotations

import json
from datetime import date

from chapter_app.cli.base import EXIT_OK, Parser, db_argument, read_only_argument
from chapter_app.cli.core import open_existing
from chapter_app.cli.record_commands import refuse
from chapter_app.errors import AppError


def register(commands) -> None:
    parser = commands.add_parser("dues", help="hội phí: ai còn nợ, ghi tiền đã thu")
    sub = parser.add_subparsers(dest="dues_command", parser_class=Parser)
    sub.required = True

    owing = sub.add_parser("owing", help="hội viên còn nợ hội phí trong năm (đến hôm nay)")
    db_argument(owing, required=True)
    read_only_argument(owing)
    owing.add_argument("--year", type=int, required=True, help="năm")
    owing.add_argument("--branch", metavar="CHI_HỘI", help="chỉ chi hội này")
    owing.add_argument("--json", action="store_true", help="in dạng JSON")
    owing.set_defaults(handler=cmd_owing)

    pay = sub.add_parser("pay", help="ghi hội phí đã thu (hoặc miễn) của một hay nhiều hội viên")
    db_argument(pay, required=True)
    pay.add_argument("--year", type=int, required=True, help="năm")
    pay.add_argument("--members", required=True, metavar="SỐ", help="số hội viên, cách nhau ;")
    pay.add_argument("--months", required=True, metavar="THÁNG", help="ví dụ «1-6» hoặc «1,2,3»")
    pay.add_argument("--on", required=True, metavar="NGÀY", help="ngày thu (dd/mm/yyyy)")
    pay.add_argument(
        "--per-month", metavar="Đ", help="số tiền mỗi tháng (mặc định: mức trong Cài đặt)"
    )
    pay.add_argument("--receipt", metavar="SỐ", help="số biên lai")
    pay.add_argument("--exempt", action="store_true", help="miễn hội phí các tháng này")
    pay.set_defaults(handler=cmd_pay)


def parse_months(text: str) -> set[int]:
    """ "1-3, 5" -> {1, 2, 3, 5}; refused (``AppError``) when not months of a year."""
    months: set[int] = set()
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        first, _dash, last = part.partition("-")
        try:
            low, high = int(first), int(last or first)
        except ValueError:
            raise AppError(f"--months: không hiểu «{part}»; ghi như «1-6» hoặc «1,2,3».") from None
        if not 1 <= low <= high <= 12:
            raise AppError(f"--months: «{part}» không phải các tháng từ 1 đến 12.")
        months.update(range(low, high + 1))
    if not months:
        raise AppError("--months: chưa nêu tháng nào; ghi như «1-6».")
    return months


def cmd_pay(args) -> int:
    from chapter_app.domain.validation import ValidationFailed
    from chapter_app.services.dues import DuesEntry, months_text, record_dues_many

    months = frozenset(parse_months(args.months))
    texts = [t.strip() for t in args.members.split(";") if t.strip()]
    if not texts or not all(t.isdigit() for t in texts):
        raise AppError("--members: ghi số hội viên, ví dụ «1; 2» (xem: chapter-app members list).")
    with open_existing(args.db) as store:
        rate = (
            args.per_month if args.per_month is not None else store.settings.get("dues_per_month")
        )
        entries = [DuesEntry(int(t), months, args.receipt, args.exempt) for t in texts]
        try:
            payments = record_dues_many(
                store, year=args.year, entries=entries, amount_per_month=rate or 0,
                paid_on=args.on, today=date.today(),
            )  # fmt: skip
        except ValidationFailed as exc:
            lines = []
            for issue in exc.errors:
                where = issue.field
                if where.startswith("member:"):
                    where = f"hội viên số {where.removeprefix('member:')}"
                where = {"paid_on": "--on", "amount_per_month": "--per-month"}.get(where, where)
                lines.append(f"{where}: {issue.message}")
            raise refuse(lines) from None
    from chapter_app.i18n import format_money

    what = "miễn" if args.exempt else "thu"
    total = "" if args.exempt else f", tổng {format_money(sum(p.amount for p in payments))}"
    print(
        f"Đã ghi {what} hội phí tháng {months_text(months)}/{args.year} của {len(entries)} "
        f"hội viên{total}."
    )
    return EXIT_OK


def cmd_owing(args) -> int:
    from chapter_app.services.dues import months_text, owing

    with open_existing(args.db, reader=args.read_only) as store:
        branch_id = None
        if args.branch:
            from chapter_app.services.importer.structure import References

            branch_id = References(store).lookup_branch(args.branch)
            if branch_id is None:
                raise AppError(f"Không có chi hội «{args.branch}». Xem: chapter-app branches list.")
        rows = owing(store, year=args.year, branch_id=branch_id)
    if args.json:
        shown = [
            {"member_id": r.member_id, "full_name": r.full_name, "months": list(r.months_owed),
             "amount": r.amount_owed}
            for r in rows
        ]  # fmt: skip
        print(json.dumps(shown, ensure_ascii=False, indent=1))
        return EXIT_OK
    if not rows:
        print(f"Không ai còn nợ hội phí năm {args.year} (đến hôm nay).")
        return EXIT_OK
    from chapter_app.i18n import format_money

    print(f"{len(rows)} hội viên còn nợ hội phí năm {args.year}:")
    for row in rows:
        months = months_text(row.months_owed)
        amount = format_money(row.amount_owed)
        print(f"  số {row.member_id:>5}  {row.full_name}  tháng {months}  {amount}")
    return EXIT_OK
