"""Exchange commands: import, export, package, consolidate, chapters."""

from __future__ import annotations

import sys
from pathlib import Path

from chapter_app.cli.base import EXIT_ERROR, EXIT_OK, PERIOD_HELP, db_argument, read_only_argument
from chapter_app.cli.core import open_existing
from chapter_app.cli.secret import program_password_argument, unlock, unlock_for_backup
from chapter_app.errors import AppError

IMPORT_KINDS = ("members", "volunteers", "addresses", "aid", "donations")
EXPORT_KINDS = ("members", "volunteers", "addresses", "aid", "people")


def register(commands) -> None:
    """Add import, export, package, consolidate and chapters to the ``chapter-app`` sub-commands."""
    imp = commands.add_parser(
        "import",
        help="nhập danh sách từ tệp Excel (.xlsx, .xls), LibreOffice (.ods) hoặc CSV",
        description="Xem trước rồi nhập một danh sách. Có dòng lỗi thì không nhập gì (mã thoát "
        "1) trừ khi chọn --valid-only.",
    )
    imp.add_argument("kind", choices=IMPORT_KINDS, help="loại danh sách")
    imp.add_argument("file", type=Path, help="tệp .xlsx, .xls, .ods, .csv hoặc .txt")
    db_argument(imp, required=True)
    imp.add_argument("--mapping", type=Path, help="tệp ghép cột (JSON) đã lưu")
    imp.add_argument("--save-mapping", type=Path, help="lưu cách ghép cột vào tệp JSON này")
    imp.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi gì")
    imp.add_argument(
        "--on-duplicate",
        choices=("skip", "update", "new"),
        default="skip",
        help="dòng trùng người/bản ghi đã có: bỏ qua (mặc định), cập nhật, hoặc thêm mới",
    )
    imp.add_argument("--valid-only", action="store_true", help="chỉ nhập các dòng hợp lệ")
    imp.add_argument(
        "--sheet",
        metavar="TÊN|all",
        help="trang tính cần nhập (không cần dấu), hoặc all: mọi trang (mặc định: trang có "
        "tiêu đề cột khớp nhất; mọi trang khi mỗi trang là một chi hội)",
    )
    imp.add_argument(
        "--create-missing",
        action="store_true",
        help="tạo các chi hội, thôn mà tệp ghi nhưng sổ chưa có (cùng lúc với khi nhập)",
    )
    imp.add_argument("--header-row", type=int, help="số dòng tiêu đề cột (mặc định: tự tìm)")
    imp.add_argument(
        "--legacy",
        choices=("auto", "tcvn3", "vni", "off"),
        default="auto",
        help="chữ gõ bằng mã cũ TCVN3 (ABC, .VnTime) hay VNI: tự nhận ra (mặc định), "
        "coi mọi ô là TCVN3 hoặc VNI, hoặc không chuyển",
    )
    imp.add_argument(
        "--default",
        action="append",
        default=[],
        metavar="TRƯỜNG=GIÁ_TRỊ",
        help="giá trị chung cho một trường tệp thiếu hoặc để trống, ví dụ --default "
        'branch="Chi hội Thôn 3" hoặc --default "Ngày tiếp nhận=01/03/2025"',
    )
    imp.add_argument("--all", action="store_true", help="in mọi dòng lỗi, trùng và cảnh báo")
    program_password_argument(imp)
    imp.set_defaults(handler=cmd_import)

    exp = commands.add_parser("export", help="xuất một danh sách ra tệp Excel (.xlsx)")
    exp.add_argument("kind", choices=EXPORT_KINDS, help="loại danh sách")
    db_argument(exp, required=True)
    exp.add_argument("--out", type=Path, required=True, help="tệp .xlsx sẽ ghi")
    exp.add_argument("--unmasked", action="store_true", help="ghi đủ số định danh (không che)")
    exp.add_argument(
        "--with-sensitive",
        action="store_true",
        help="ghi cả thông tin nhạy cảm (dân tộc, tôn giáo, sức khỏe, khuyết tật, da cam)",
    )
    exp.add_argument("--search", help="chỉ xuất những người/bản ghi khớp từ tìm kiếm")
    read_only_argument(exp)
    program_password_argument(exp)
    exp.set_defaults(handler=cmd_export)

    pkg = commands.add_parser("package", help="tạo gói số liệu (.ctdpkg) gửi cấp trên")
    db_argument(pkg, required=True)
    pkg.add_argument("--period", required=True, help=PERIOD_HELP)
    pkg.add_argument("--out", type=Path, required=True, help="tệp .ctdpkg sẽ ghi")
    pkg.add_argument("--with-records", action="store_true", help="gửi kèm các bản ghi")
    pkg.add_argument(
        "--personal-data",
        choices=("minimal", "names", "full"),
        default="minimal",
        help="dữ liệu cá nhân kèm bản ghi: minimal (không tên), names, full (không bao giờ "
        "gồm thông tin nhạy cảm)",
    )
    pkg.add_argument("--password-file", type=Path, help="khóa gói bằng mật khẩu ghi trong tệp")
    pkg.add_argument("--report-pdf", type=Path, help="tệp PDF báo cáo gửi kèm")
    pkg.add_argument("--no-report", action="store_true", help="không gửi kèm báo cáo đã phát hành")
    read_only_argument(pkg)
    program_password_argument(pkg)
    pkg.set_defaults(handler=cmd_package)

    con = commands.add_parser(
        "consolidate",
        help="cấp trên: nhận gói số liệu của các Hội cơ sở và tổng hợp",
        description="Mọi gói được kiểm tra trước; nhận tất cả hoặc không nhận gói nào. Mỗi "
        "tệp có một dòng [ĐẠT] hoặc [LỖI]; mã thoát 0 khi đã nhận, 1 khi không nhận gì.",
    )
    db_argument(con, required=True)
    con.add_argument("files", type=Path, nargs="*", help="các tệp .ctdpkg")
    con.add_argument("--period", help="kỳ tổng hợp (mặc định: các kỳ của các gói vừa nhận)")
    con.add_argument("--password-file", type=Path, help="mật khẩu của các gói")
    con.add_argument("--name", help="tên đơn vị cấp trên (khi tạo tệp dữ liệu mới)")
    con.add_argument("--xlsx", type=Path, help="ghi bảng tổng hợp ra tệp .xlsx")
    con.add_argument("--pdf", type=Path, help="ghi báo cáo tổng hợp ra tệp .pdf")
    _upper_level_argument(con)
    con.add_argument(
        "--remove",
        metavar="TÊN_HỘI",
        help="bỏ gói đã nhận của Hội cơ sở này (tên hoặc mã) cho kỳ --period",
    )
    con.add_argument("--reason", help="lý do bỏ gói (ghi vào nhật ký)")
    program_password_argument(con)
    con.set_defaults(handler=cmd_consolidate)

    chs = commands.add_parser(
        "chapters",
        help="cấp trên: danh sách Hội cơ sở trực thuộc (để biết ai chưa gửi số liệu)",
        description="Xem, thêm hoặc bỏ các Hội cơ sở trực thuộc. Hội cơ sở gửi gói lần đầu "
        "được ghép với tên đã nhập (không phân biệt hoa thường, dấu) hoặc tự thêm vào.",
    )
    db_argument(chs, required=True)
    chs.add_argument("--add", action="append", default=[], metavar="TÊN", help="thêm Hội cơ sở")
    chs.add_argument("--remove", action="append", default=[], metavar="TÊN", help="bỏ Hội cơ sở")
    chs.add_argument("--period", help="cho biết Hội cơ sở nào đã / chưa gửi số liệu kỳ này")
    chs.add_argument("--name", help="tên đơn vị cấp trên (khi tạo tệp dữ liệu mới)")
    _upper_level_argument(chs)
    chs.set_defaults(handler=cmd_chapters)


UPPER_LEVEL_HELP = (
    "chuyển một tệp dữ liệu đã có (tạo bằng init) sang chế độ cấp trên: tệp đó sẽ nhận gói "
    "số liệu của các Hội cơ sở trực thuộc để tổng hợp, không còn là sổ của một Hội cơ sở"
)


def _upper_level_argument(parser) -> None:
    parser.add_argument("--upper-level", action="store_true", help=UPPER_LEVEL_HELP)


def _defaults(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise AppError(f"--default cần dạng TRƯỜNG=GIÁ_TRỊ; đã ghi “{pair}”.")
        values[key.strip()] = value.strip()
    return values


def cmd_import(args) -> int:
    from chapter_app.services.importer import (
        Outcome,
        apply_import,
        load_mapping,
        plan_import,
        save_mapping_file,
    )

    mapping = load_mapping(args.mapping) if args.mapping else None
    with open_existing(args.db) as store:
        plan = plan_import(
            store,
            args.file,
            args.kind,
            mapping,
            sheet=args.sheet,
            header_row=args.header_row,
            defaults=_defaults(args.default),
            create_missing=args.create_missing,
            legacy=args.legacy,
        )
        print("\n".join(plan.summary_lines(limit=None if args.all else 50)))
        if args.save_mapping:
            save_mapping_file(plan, args.save_mapping)
            print(f"Đã lưu cách ghép cột vào {args.save_mapping}.")
        for line in _how_to_go_on(plan, args):
            print(line, file=sys.stderr)
        if plan.missing and not args.create_missing:
            return EXIT_ERROR
        if plan.has_errors and not args.valid_only:
            print(
                f"Không nhập gì: có {plan.count(Outcome.ERROR)} dòng lỗi. Sửa tệp rồi nhập lại, "
                "hoặc dùng --valid-only để chỉ nhập các dòng hợp lệ.",
                file=sys.stderr,
            )
            return EXIT_ERROR
        if plan.importable == 0 and not (plan.duplicate_rows and args.on_duplicate != "skip"):
            print(
                "Không có dòng nào để nhập: mọi dòng đều lỗi hoặc trùng với hồ sơ đã có "
                "(--on-duplicate update để cập nhật hồ sơ đã có).",
                file=sys.stderr,
            )
            return EXIT_ERROR
        if args.dry_run:
            print("Chạy thử: chưa ghi gì vào tệp dữ liệu.")
            return EXIT_OK
        unlock_for_backup(store, args)
        result = apply_import(
            store, plan, on_duplicate=args.on_duplicate, valid_only=args.valid_only
        )
        print("\n".join(result.summary_lines()))
    if result.added + result.updated == 0:
        print("Không nhập được dòng nào.", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def _how_to_go_on(plan, args) -> list[str]:
    """What the user can do about missing chi hội / thôn and required columns."""
    lines = []
    if plan.missing and not args.create_missing:
        names = "; ".join(f"{m.name} ({m.rows} dòng)" for m in plan.missing)
        lines.append(
            f"Sổ chưa có {len(plan.missing)} chi hội, thôn mà tệp ghi: {names}. Chưa nhập gì. "
            "Thêm --create-missing để tạo chúng cùng lúc khi nhập, hoặc thêm trước (chapter-app "
            "branches add / units add, hay trang Tổ chức) rồi nhập lại."
        )
    if plan.missing_fields:
        from chapter_app.services.importer import fields as F

        for key in plan.missing_fields:
            spec = F.field_spec(plan.kind, key)
            lines.append(
                f"Tệp không có cột «{spec.label}» (bắt buộc): cho một giá trị chung cho mọi "
                f'dòng bằng --default {key}="…".'
            )
    return lines


def cmd_export(args) -> int:
    from chapter_app.services.excel_export import export_register
    from chapter_app.store.repository import Query

    with open_existing(args.db, reader=True) as store:
        store.check_can_write()  # the export is noted in the audit log: refused before writing
        if args.unmasked or args.with_sensitive:
            unlock(store, args, what="xuất đủ số định danh hoặc thông tin nhạy cảm")
        result = export_register(
            store,
            args.kind,
            args.out,
            query=Query(search=args.search) if args.search else None,
            unmasked=args.unmasked,
            include_sensitive=args.with_sensitive,
        )
    notes = []
    if result.masked:
        notes.append("số định danh đã che")
    if not result.sensitive_included:
        notes.append("không gồm thông tin nhạy cảm")
    print(
        f"Đã xuất {result.rows} dòng ra {result.path}"
        + (f" ({', '.join(notes)})" if notes else "")
        + "."
    )
    return EXIT_OK


def cmd_package(args) -> int:
    from chapter_app.domain.periods import parse_period
    from chapter_app.services.exchange import build_package
    from chapter_app.services.protect import read_password_file

    period = parse_period(args.period)
    password = read_password_file(args.password_file) if args.password_file else None
    report = args.report_pdf.read_bytes() if args.report_pdf else None
    with open_existing(args.db, reader=True) as store:
        store.check_can_write()  # the package is noted in the audit log: refused before writing
        if args.with_records and args.personal_data != "minimal":
            unlock(store, args, what="gửi kèm tên và thông tin cá nhân")
        info = build_package(
            store,
            period,
            args.out,
            with_records=args.with_records,
            personal_data=args.personal_data,
            password=password,
            report_pdf=report,
            include_issued_report=not args.no_report,
        )
    parts = ", ".join(info.part_names)
    print(
        f"Đã tạo gói {info.path} ({period.vietnamese_label()}): {parts}"
        + ("; đã khóa bằng mật khẩu" if info.protected else "")
        + "."
    )
    print(f"Mã nội dung (SHA-256): {info.content_sha256}")
    return EXIT_OK


def _check_output(path: Path | None, suffix: str) -> None:
    """Refuse an output path that cannot be written, before anything is changed."""
    if path is None:
        return
    if path.suffix.lower() != suffix:
        raise AppError(f"Tệp ghi ra phải có đuôi {suffix} («{path.name}»).")
    if path.is_dir():
        raise AppError(f"«{path}» là một thư mục; hãy chọn tên tệp.")
    if not path.parent.is_dir():
        raise AppError(f"Không có thư mục «{path.parent}».")
    probe = path.with_name(path.name + ".probe")
    try:
        probe.touch(exist_ok=False)
    except OSError as exc:
        raise AppError(f"Không ghi được tệp «{path}»: {exc.strerror or exc}.") from exc
    probe.unlink()


def _precheck(paths, password):
    from chapter_app.services.package_read import PackageFile
    from chapter_app.services.receive import Verdict

    verdicts = []
    for path in paths:
        try:
            with PackageFile(path, password=password) as reader:
                package = reader.verify()
            verdicts.append(Verdict(path, True, f"Gói «{package.file_name}» đạt kiểm tra."))
        except AppError as exc:
            verdicts.append(Verdict(path, False, exc.message))
    return verdicts


def _refused(verdicts) -> int:
    """Print each file's verdict (refusals on stderr) and say that nothing was received."""
    for verdict in verdicts:
        if verdict.ok:
            print(f"[ĐẠT] {verdict.path.name}: {verdict.message}")
        else:
            print(f"[LỖI] {verdict.path.name}: {verdict.message}", file=sys.stderr)
    refused = sum(not v.ok for v in verdicts)
    print(
        f"Không nhận gói nào ({refused}/{len(verdicts)} gói bị từ chối); hãy bỏ hoặc thay các "
        "gói lỗi rồi chạy lại.",
        file=sys.stderr,
    )
    return EXIT_ERROR


def _open_upper(db: Path, name: str | None, *, upper_level: bool = False):
    """The upper level's database at ``db``: created when missing; an existing chapter's
    file is switched to upper-level mode only with ``upper_level`` (``--upper-level``) and
    only while it is still empty; a chapter's register is refused."""
    from chapter_app.services import exchange as ex
    from chapter_app.services.setup import init_database

    created = False
    if db.exists() and db.stat().st_size > 0:
        store = open_existing(db)
    else:
        store = init_database(db, chapter_name=name or "Hội Chữ thập đỏ cấp trên")
        created = True
        print(f"Đã tạo tệp dữ liệu cấp trên {db}.")
    if not ex.is_upper_level(store) and not created and not upper_level:
        chapter = store.settings.get("chapter_name") or db.name
        store.close()
        raise AppError(
            f"Tệp «{db}» là sổ của Hội cơ sở «{chapter}», không phải tệp của cấp trên. Danh sách "
            "Hội cơ sở trực thuộc và việc tổng hợp gói số liệu chỉ dùng ở tệp của cấp trên: hãy "
            "chỉ ra một tệp khác (tệp mới sẽ được tạo), hoặc thêm --upper-level nếu muốn chuyển "
            "hẳn tệp này sang chế độ cấp trên (chỉ được khi tệp chưa có hội viên, người nào)."
        )
    if not ex.is_upper_level(store):
        try:
            ex.enable_upper_mode(store)
        except BaseException:
            store.close()
            raise
        print(f"Tệp dữ liệu {db} chuyển sang chế độ cấp trên.")
    return store


def cmd_consolidate(args) -> int:
    """Every package checked first, each with its verdict; then all kept or none (exit 1)."""
    from chapter_app.domain.periods import parse_period
    from chapter_app.services import exchange as ex
    from chapter_app.services.protect import read_password_file
    from chapter_app.services.receive import receive_packages, remove_package

    password = read_password_file(args.password_file) if args.password_file else None
    wanted = parse_period(args.period).code if args.period else None
    if args.remove and (not wanted or args.files):
        raise AppError(
            "--remove cần một kỳ (--period) và không đi cùng tệp gói: "
            'chapter-app consolidate --db UPPER.db --remove "TÊN HỘI" --period 2026-Q3'
        )
    if args.remove and not (args.db.exists() and args.db.stat().st_size > 0):
        raise AppError(f"Không tìm thấy tệp dữ liệu «{args.db}».")
    _check_output(args.xlsx, ".xlsx")
    _check_output(args.pdf, ".pdf")
    periods = [wanted] if wanted else []
    if not periods and not args.files:
        raise AppError("Hãy chỉ ra các tệp gói, hoặc một kỳ (--period) để xem bảng tổng hợp.")
    if (args.xlsx or args.pdf) and not wanted and len(args.files) != 1:
        raise AppError("Hãy chọn một kỳ (--period) để ghi bảng hoặc báo cáo tổng hợp.")

    if args.files and not (args.db.exists() and args.db.stat().st_size > 0):
        # A new upper file is made only for packages that pass.
        verdicts = _precheck(args.files, password)
        if any(not v.ok for v in verdicts):
            return _refused(verdicts)
    with _open_upper(args.db, args.name, upper_level=args.upper_level) as store:
        unlock_for_backup(store, args)
        if args.remove:
            name, count = remove_package(store, args.remove, wanted, reason=args.reason)
            print(f"Đã bỏ {count} gói của {name} kỳ {wanted} (ghi vào nhật ký).")
        if args.files:
            batch = receive_packages(store, args.files, password=password)
            if not batch.ok:
                return _refused(batch.verdicts)
            for verdict in batch.verdicts:
                print(f"[ĐẠT] {verdict.path.name}: {verdict.message}")
            for result in batch.results:
                if not wanted and result.period_code not in periods:
                    periods.append(result.period_code)
        if (args.xlsx or args.pdf) and len(periods) != 1:
            raise AppError("Hãy chọn một kỳ (--period) để ghi bảng hoặc báo cáo tổng hợp.")
        for code in periods:
            consolidation = ex.consolidate(store, code)
            print()
            print("\n".join(ex.consolidation_lines(consolidation)))
            if args.pdf:
                pdf = ex.consolidated_report_pdf(store, consolidation)
            if args.xlsx:
                ex.export_consolidation(consolidation, args.xlsx)
                print(f"Đã ghi bảng tổng hợp ra {args.xlsx}.")
            if args.pdf:
                partial = args.pdf.with_name(args.pdf.name + ".partial")
                partial.write_bytes(pdf)
                partial.replace(args.pdf)
                print(f"Đã ghi báo cáo tổng hợp ra {args.pdf}.")
    return EXIT_OK


def cmd_chapters(args) -> int:
    """All additions and removals in one operation: one bad name and nothing is changed."""
    from chapter_app.domain.periods import parse_period
    from chapter_app.services import exchange as ex
    from chapter_app.store.affiliates import checked_name

    # checked before the file is touched (a new file is created only for a good command)
    period = parse_period(args.period) if args.period else None
    for name in args.add:
        checked_name(name)
    if args.remove and not (args.db.exists() and args.db.stat().st_size > 0):
        raise AppError(f"Không có «{args.remove[0]}» trong danh sách Hội cơ sở trực thuộc.")
    with _open_upper(args.db, args.name, upper_level=args.upper_level) as store:
        repo = store.affiliates
        if args.add or args.remove:
            with store.ops.run("Sửa danh sách Hội cơ sở trực thuộc"):
                for name in args.add:
                    print(f"Đã thêm «{repo.add_name(name).name}».")
                for name in args.remove:
                    found = repo.by_name(name)
                    if found is None:
                        raise AppError(f"Không có «{name}» trong danh sách Hội cơ sở trực thuộc.")
                    repo.delete(found.id)
                    print(f"Đã bỏ «{found.name}».")
        sent = {}
        if period is not None:
            consolidation = ex.consolidate(store, period)
            sent = {row.chapter_uuid: row for row in consolidation.rows}
        listed = repo.list()
        print(f"{len(listed)} Hội cơ sở trực thuộc:")
        for number, affiliate in enumerate(listed, start=1):
            line = f"{number:>4}. {affiliate.name}"
            if period is not None:
                row = sent.get(affiliate.chapter_uuid)
                line += (
                    f" — đã gửi (gói tạo lúc {row.created_at[:16].replace('T', ' ')})"
                    if row
                    else " — CHƯA GỬI"
                )
            elif affiliate.chapter_uuid is None:
                line += " (chưa gửi gói nào)"
            print(line)
    return EXIT_OK
