"""Report commands: ``report`` (the periodic report as PDF) and ``list`` (printed lists)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from chapter_app.cli.base import (
    EXIT_OK,
    PERIOD_HELP,
    db_argument,
    read_only_argument,
    write_output,
)
from chapter_app.cli.secret import program_password_argument, unlock


def register(commands) -> None:
    """Add ``report`` and ``list`` to the ``chapter-app`` sub-commands."""
    report = commands.add_parser("report", help="báo cáo định kỳ dạng PDF")
    db_argument(report, required=True)
    report.add_argument("--period", required=True, help=PERIOD_HELP)
    report.add_argument("--out", type=Path, required=True, help="tệp PDF cần ghi")
    report.add_argument("--number", type=int, default=None, help="số văn bản (bỏ trống: bản nháp)")
    report.add_argument(
        "--date",
        type=date.fromisoformat,
        default=None,
        help="ngày ký báo cáo (YYYY-MM-DD; mặc định hôm nay)",
    )
    report.add_argument("--lang", choices=["vi", "en"], default="vi", help="ngôn ngữ (vi, en)")
    report.add_argument("--json", type=Path, default=None, help="ghi thêm dữ liệu báo cáo (JSON)")
    report.add_argument("--no-chart", action="store_true", help="không in trang biểu đồ")
    read_only_argument(report)
    report.add_argument("--signer", default=None, help="họ tên người ký (thay tên trong cài đặt)")
    report.add_argument(
        "--deputy", action="store_true", help="Phó Chủ tịch ký thay (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH)"
    )
    report.add_argument(
        "--narrative",
        type=Path,
        default=None,
        metavar="FILE",
        help="tệp văn bản chứa nội dung các mục (tiêu đề mục như trong báo cáo)",
    )
    report.add_argument(
        "--narrative-outline",
        type=Path,
        default=None,
        metavar="FILE",
        help="ghi tệp mẫu các mục cần viết (để điền rồi dùng với --narrative)",
    )
    report.add_argument(
        "--estimate",
        action="store_true",
        help="báo cáo trước khi hết kỳ: ghi thêm số ước thực hiện cả năm",
    )
    report.set_defaults(handler=cmd_report)

    lists = commands.add_parser("list", help="in danh sách dạng PDF")
    lists.add_argument("kind", choices=["members", "volunteers", "addresses"])
    db_argument(lists, required=True)
    lists.add_argument("--out", type=Path, required=True, help="tệp PDF cần ghi")
    lists.add_argument(
        "--branch",
        action="append",
        default=None,
        metavar="NAME",
        help="chỉ in chi hội này (có thể lặp lại)",
    )
    lists.add_argument("--lang", choices=["vi", "en"], default="vi", help="ngôn ngữ (vi, en)")
    lists.add_argument(
        "--date",
        type=date.fromisoformat,
        default=None,
        help="ngày ghi trên danh sách (YYYY-MM-DD; mặc định hôm nay)",
    )
    lists.add_argument(
        "--full-ids", action="store_true", help="in đầy đủ số định danh (mặc định: che một phần)"
    )
    lists.add_argument(
        "--sensitive",
        action="store_true",
        help="in cả các diện liên quan đến sức khỏe (dữ liệu nhạy cảm)",
    )
    read_only_argument(lists)
    program_password_argument(lists)
    lists.set_defaults(handler=cmd_list)


def cmd_report(args) -> int:
    from chapter_app.cli.core import open_existing
    from chapter_app.domain.periods import parse_period
    from chapter_app.services.pdf.report import render_pdf
    from chapter_app.services.report import labels as L
    from chapter_app.services.report.checks import describe, figures_to_check
    from chapter_app.services.report.data import build_report
    from chapter_app.services.report.narrative_file import narrative_template, read_narrative

    period = parse_period(args.period)
    with open_existing(args.db, reader=True) as store:
        data = build_report(
            store,
            period,
            lang=args.lang,
            number=args.number,
            issued_on=args.date,
            include_chart=not args.no_chart,
            estimate=args.estimate,
            signer=args.signer,
            deputy=args.deputy,
        )
    if args.narrative:
        data = data.with_narrative(read_narrative(_read_text(args.narrative), data))
    if args.narrative_outline:
        write_output(args.narrative_outline, narrative_template(data).encode("utf-8"))
    pdf = render_pdf(data)
    write_output(args.out, pdf)
    if args.json:
        write_output(args.json, (data.to_json() + "\n").encode("utf-8"))
    # The message is in the program's language (Vietnamese), whatever the report's.
    print(f"Đã ghi báo cáo {L.period_name(period, 'vi')} vào {args.out}.")
    empty = data.empty_sections()
    if empty:
        print(
            "Bản DỰ THẢO: còn mục để trống ("
            + "; ".join(s.heading for s in empty)
            + "). Viết các mục này vào tệp và chạy lại với --narrative TỆP."
        )
    elif data.number is None:
        print("Bản DỰ THẢO: chưa có số văn bản (--number).")
    checks = figures_to_check(data)
    if checks:
        print("Số liệu cần xem lại trước khi ban hành:")
        for check in checks:
            print(f"- {describe(check, 'vi')}")
    return EXIT_OK


def _read_text(path: Path) -> str:
    from chapter_app.errors import AppError

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise AppError(f"Không đọc được tệp «{path}»: {exc.strerror}.") from exc
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AppError(f"Tệp «{path}» không phải văn bản Unicode (UTF-8); hãy lưu lại dạng UTF-8.")


def cmd_list(args) -> int:
    from chapter_app.cli.core import open_existing
    from chapter_app.services.pdf.lists import render_list
    from chapter_app.services.report.lists import build_list, record_list_export

    options = {"branches": args.branch, "lang": args.lang, "printed_on": args.date}
    if args.kind in ("members", "volunteers"):
        options["full_ids"] = args.full_ids
    if args.kind == "addresses":
        options["include_sensitive"] = args.sensitive
    with open_existing(args.db, reader=True) as store:
        store.check_can_write()  # the list is noted in the audit log: refused before writing
        if options.get("full_ids") or options.get("include_sensitive"):
            unlock(store, args, what="in đủ số định danh hoặc thông tin nhạy cảm")
        data = build_list(store, args.kind, **options)
        pdf = render_list(data)
        write_output(args.out, pdf)
        record_list_export(
            store,
            data,
            destination=str(args.out),
            **{k: v for k, v in options.items() if k != "printed_on"},
        )
    print(f"Đã ghi danh sách ({data.row_count} dòng) vào {args.out}.")
    return EXIT_OK
