"""Organisation commands: branches (chi hội), units (thôn), lists, targets.

chapter-app branches list|add NAME [--type T] [--founded DATE]|rename OLD NEW
                    |dissolve NAME --on DATE --move-members-to OTHER|rate NAME YEAR RATING
chapter-app units list|add NAME|rename OLD NEW|merge A B ... --into NEW --on DATE
chapter-app lists {campaigns,areas,categories,forms} list|add|rename|hide|show|move ...
chapter-app targets set YEAR KEY=VALUE ...|show YEAR|copy FROM TO
"""

from __future__ import annotations

import argparse
from datetime import date

from chapter_app.cli.base import EXIT_OK, Parser, db_argument
from chapter_app.cli.core import open_existing
from chapter_app.domain.organisation import BRANCH_KINDS, OFFICER_TITLES, RATINGS, UNIT_KINDS
from chapter_app.errors import AppError

RATING_WORDS = {"vung manh": "strong", "kha": "good", "trung binh": "average", "yeu": "weak"}


def _day(text: str) -> date:
    """A date typed as YYYY-MM-DD or dd/mm/yyyy (argparse type)."""
    from chapter_app.domain.validation import parse_date

    value, issues = parse_date(text, field="date", required=True)
    if issues or value is None:
        raise argparse.ArgumentTypeError(
            f"ngày «{text}» không đọc được (dd/mm/yyyy hoặc YYYY-MM-DD)"
        )
    return value


def _sub(parent, name: str, help_text: str, handler) -> argparse.ArgumentParser:
    parser = parent.add_parser(name, help=help_text)
    db_argument(parser, required=True)
    parser.set_defaults(handler=handler)
    return parser


def register(commands) -> None:
    """Add branches, units, lists and targets to the ``chapter-app`` sub-commands."""
    br = commands.add_parser("branches", help="chi hội: xem, thêm, đổi tên, giải thể, xếp loại")
    brs = br.add_subparsers(dest="action", required=True, parser_class=Parser)
    p = _sub(brs, "list", "danh sách chi hội với số hội viên", cmd_branches_list)
    p.add_argument("--on", type=_day, help="số hội viên tính đến ngày (mặc định hôm nay)")
    p = _sub(brs, "add", "thêm chi hội", cmd_branches_add)
    p.add_argument("name", metavar="TÊN")
    p.add_argument(
        "--type",
        choices=[str(k) for k in BRANCH_KINDS],
        default="residential",
        help="residential (thôn, tổ dân phố), agency (cơ quan), school (trường học), "
        "interest (nghề nghiệp, sở thích)",
    )
    p.add_argument("--founded", type=_day, help="ngày thành lập")
    p.add_argument(
        "--units", nargs="*", default=[], metavar="THÔN", help="các thôn chi hội phụ trách"
    )
    p = _sub(brs, "rename", "đổi tên chi hội (tên cũ vẫn được lưu)", cmd_branches_rename)
    p.add_argument("old", metavar="TÊN_CŨ")
    p.add_argument("new", metavar="TÊN_MỚI")
    p = _sub(
        brs,
        "dissolve",
        "giải thể chi hội, chuyển hội viên sang chi hội khác",
        cmd_branches_dissolve,
    )
    p.add_argument("name", metavar="TÊN")
    p.add_argument("--on", type=_day, required=True, help="ngày giải thể")
    p.add_argument(
        "--move-members-to", required=True, metavar="CHI_HỘI", help="chi hội nhận hội viên"
    )
    p = _sub(brs, "rate", "xếp loại chi hội trong năm", cmd_branches_rate)
    p.add_argument("name", metavar="TÊN")
    p.add_argument("year", type=int, metavar="NĂM")
    p.add_argument("rating", metavar="XẾP_LOẠI", help="vững mạnh, khá, trung bình, yếu")

    un = commands.add_parser("units", help="thôn, tổ dân phố: xem, thêm, đổi tên, sáp nhập")
    uns = un.add_subparsers(dest="action", required=True, parser_class=Parser)
    _sub(uns, "list", "danh sách thôn, tổ dân phố (cả các thôn đã sáp nhập)", cmd_units_list)
    p = _sub(uns, "add", "thêm thôn, tổ dân phố", cmd_units_add)
    p.add_argument("name", metavar="TÊN")
    p.add_argument(
        "--type",
        choices=[str(k) for k in UNIT_KINDS],
        default=None,
        help="mặc định theo chữ đầu của tên (Thôn, Tổ dân phố, Ấp, Bản, Khu phố)",
    )
    p = _sub(uns, "rename", "đổi tên thôn (tên cũ vẫn được lưu)", cmd_units_rename)
    p.add_argument("old", metavar="TÊN_CŨ")
    p.add_argument("new", metavar="TÊN_MỚI")
    p = _sub(uns, "merge", "sáp nhập hai thôn trở lên thành một", cmd_units_merge)
    p.add_argument("names", nargs="+", metavar="THÔN")
    p.add_argument("--into", required=True, metavar="TÊN_MỚI", help="tên thôn sau sáp nhập")
    p.add_argument("--on", type=_day, required=True, help="ngày sáp nhập")

    ls = commands.add_parser(
        "lists", help="danh mục: chương trình, lĩnh vực, diện đối tượng, hình thức"
    )
    ls.add_argument("kind", choices=["campaigns", "areas", "categories", "forms"])
    lss = ls.add_subparsers(dest="action", required=True, parser_class=Parser)
    _sub(lss, "list", "xem danh mục", cmd_lists_list)
    p = _sub(lss, "add", "thêm một mục", cmd_lists_add)
    p.add_argument("name", metavar="TÊN")
    p.add_argument("--en", help="tên tiếng Anh")
    p = _sub(lss, "rename", "đổi tên một mục (và/hoặc tên tiếng Anh)", cmd_lists_rename)
    p.add_argument("old", metavar="TÊN_CŨ")
    p.add_argument("new", metavar="TÊN_MỚI", nargs="?")
    p.add_argument("--en", help='tên tiếng Anh ("" để xóa)')
    p = _sub(lss, "hide", "ẩn một mục (không xóa: bản ghi cũ vẫn giữ)", cmd_lists_hide)
    p.add_argument("name", metavar="TÊN")
    p = _sub(lss, "show", "hiện lại một mục đã ẩn", cmd_lists_show)
    p.add_argument("name", metavar="TÊN")
    p = _sub(lss, "move", "đổi thứ tự một mục", cmd_lists_move)
    p.add_argument("name", metavar="TÊN")
    p.add_argument("--by", type=int, required=True, help="số bậc: -1 lên trên, 1 xuống dưới")

    of = commands.add_parser("officers", help="cán bộ Hội (người ký báo cáo)")
    ofs = of.add_subparsers(dest="action", required=True, parser_class=Parser)
    _sub(ofs, "list", "cán bộ Hội đang giữ chức và người ký báo cáo", cmd_officers_list)
    p = _sub(ofs, "add", "thêm cán bộ Hội", cmd_officers_add)
    p.add_argument("name", metavar="HỌ_TÊN")
    p.add_argument(
        "--title",
        required=True,
        choices=list(OFFICER_TITLES),
        help="chairman (Chủ tịch), vice_chairman (Phó Chủ tịch), standing_member (Ủy viên "
        "Ban Thường vụ), member (Ủy viên Ban Chấp hành)",
    )
    p.add_argument("--from", dest="from_on", type=_day, help="giữ chức từ ngày")

    tg = commands.add_parser("targets", help="chỉ tiêu năm")
    tgs = tg.add_subparsers(dest="action", required=True, parser_class=Parser)
    p = _sub(
        tgs, "set", "đặt chỉ tiêu: KHÓA=GIÁ_TRỊ (khóa như trong stats --json)", cmd_targets_set
    )
    p.add_argument("year", type=int, metavar="NĂM")
    p.add_argument(
        "pairs", nargs="+", metavar="KHÓA=GIÁ_TRỊ", help="ví dụ members.new=50 blood.units=120"
    )
    p = _sub(tgs, "show", "xem chỉ tiêu của một năm", cmd_targets_show)
    p.add_argument("year", type=int, metavar="NĂM")
    p = _sub(tgs, "copy", "sao chép chỉ tiêu năm trước sang năm sau", cmd_targets_copy)
    p.add_argument("from_year", type=int, metavar="TỪ_NĂM")
    p.add_argument("to_year", type=int, metavar="SANG_NĂM")


# --- chi hội --------------------------------------------------------------------------------


def cmd_branches_list(args) -> int:
    from chapter_app.i18n import format_date
    from chapter_app.services import organisation as org

    on = args.on or date.today()
    with open_existing(args.db) as store:
        rows = org.branch_rows(store, on=on)
    if not rows:
        print('Chưa có chi hội nào. Thêm: chapter-app branches add "Chi hội thôn 1" --db ...')
        return EXIT_OK
    live = [r for r in rows if not r.dissolved]
    print(
        f"{len(live)} chi hội đang hoạt động, {sum(r.member_count for r in live)} hội viên "
        f"(tính đến {format_date(on)}):"
    )
    _print_numbered((row.branch.name, _branch_parts(row, on)) for row in rows)
    return EXIT_OK


def _print_numbered(lines) -> None:
    """``   1. NAME — part; part`` for each ``(name, parts)``."""
    for number, (name, parts) in enumerate(lines, start=1):
        print(f"{number:>4}. {name} — " + "; ".join(parts))


def _branch_parts(row, on: date) -> list[str]:
    from chapter_app.i18n import _, format_date

    b = row.branch
    parts = [_(BRANCH_KINDS.get(b.kind, b.kind)), f"{row.member_count} hội viên"]
    if row.unit_names:
        parts.append("thôn: " + ", ".join(row.unit_names))
    if b.founded_on:
        parts.append(f"thành lập {format_date(b.founded_on)}")
    if row.head_name:
        parts.append(f"chi hội trưởng {row.head_name}")
    if row.rating:
        parts.append(f"xếp loại {on.year}: {_(RATINGS[row.rating])}")
    if b.dissolved_on:
        parts.append(f"ĐÃ GIẢI THỂ {format_date(b.dissolved_on)}")
    return parts


def cmd_branches_add(args) -> int:
    from chapter_app.services import organisation as org

    with open_existing(args.db) as store:
        unit_ids = [org.get_unit(store, name).id for name in args.units]
        branch = org.add_branch(
            store, name=args.name, kind=args.type, founded_on=args.founded, unit_ids=unit_ids
        )
    print(f"Đã thêm chi hội «{branch.name}».")
    return EXIT_OK


def cmd_branches_rename(args) -> int:
    from chapter_app.services import organisation as org

    with open_existing(args.db) as store:
        old = org.get_branch(store, args.old)
        branch = org.rename_branch(store, old.id, args.new)
    print(f"Đã đổi tên chi hội «{old.name}» thành «{branch.name}».")
    return EXIT_OK


def cmd_branches_dissolve(args) -> int:
    from chapter_app.i18n import format_date
    from chapter_app.services import organisation as org

    with open_existing(args.db) as store:
        branch = org.get_branch(store, args.name)
        target = org.get_branch(store, args.move_members_to)
        moved = org.dissolve_branch(store, branch.id, on=args.on, move_members_to=target.id)
    print(
        f"Đã giải thể chi hội «{branch.name}» ngày {format_date(args.on)}; "
        f"{moved} hội viên chuyển sang chi hội «{target.name}»."
    )
    return EXIT_OK


def cmd_branches_rate(args) -> int:
    from chapter_app.domain.text import fold
    from chapter_app.services import organisation as org

    rating = RATING_WORDS.get(fold(args.rating), args.rating)
    with open_existing(args.db) as store:
        branch = org.get_branch(store, args.name)
        org.rate_branch(store, branch.id, year=args.year, rating=rating)
    print(f"Đã xếp loại chi hội «{branch.name}» năm {args.year}: {args.rating}.")
    return EXIT_OK


# --- thôn -----------------------------------------------------------------------------------


def cmd_units_list(args) -> int:
    from chapter_app.services import organisation as org

    with open_existing(args.db) as store:
        rows = org.unit_rows(store)
    if not rows:
        print('Chưa có thôn, tổ dân phố nào. Thêm: chapter-app units add "Thôn An Vĩnh" --db ...')
        return EXIT_OK
    merged = sum(r.merged for r in rows)
    print(
        f"{len(rows) - merged} thôn, tổ dân phố"
        + (f" (và {merged} thôn đã sáp nhập, giữ để tra cứu):" if merged else ":")
    )
    _print_numbered((row.unit.name, _unit_parts(row)) for row in rows)
    return EXIT_OK


def _unit_parts(row) -> list[str]:
    from chapter_app.i18n import _, format_date

    u = row.unit
    parts = [_(UNIT_KINDS.get(u.kind, u.kind)), f"{row.people} người, {row.households} hộ"]
    if row.old_names:
        parts.append("tên cũ: " + ", ".join(row.old_names))
    if row.merged:
        parts.append(f"ĐÃ SÁP NHẬP vào «{row.merged_into_name}» ngày {format_date(u.valid_to)}")
    elif u.valid_from:
        parts.append(f"từ {format_date(u.valid_from)}")
    return parts


def cmd_units_add(args) -> int:
    from chapter_app.services import organisation as org

    with open_existing(args.db) as store:
        unit = org.add_unit(store, name=args.name, kind=args.type)
    print(f"Đã thêm «{unit.name}».")
    return EXIT_OK


def cmd_units_rename(args) -> int:
    from chapter_app.services import organisation as org

    with open_existing(args.db) as store:
        old = org.get_unit(store, args.old)
        unit = org.rename_unit(store, old.id, args.new)
    print(f"Đã đổi tên «{old.name}» thành «{unit.name}».")
    return EXIT_OK


def cmd_units_merge(args) -> int:
    from chapter_app.i18n import format_date
    from chapter_app.services import organisation as org

    with open_existing(args.db) as store:
        ids = [org.get_unit(store, name).id for name in args.names]
        unit = org.merge_units(store, ids, into_name=args.into, on=args.on)
    print(f"Đã sáp nhập {', '.join(args.names)} thành «{unit.name}» ngày {format_date(args.on)}.")
    return EXIT_OK


# --- danh mục -------------------------------------------------------------------------------


def cmd_lists_list(args) -> int:
    from chapter_app.services import reference_lists as rl

    with open_existing(args.db) as store:
        entries = rl.list_entries(store, args.kind)
    _print_numbered((e.name, _entry_parts(e)) for e in entries)
    return EXIT_OK


def _entry_parts(e) -> list[str]:
    parts = [f"tiếng Anh: {e.name_en}"] if e.name_en else []
    if e.code:
        parts.append(f"mã {e.code}")
    parts.append(f"{e.uses} bản ghi")
    if e.hidden:
        parts.append("ĐÃ ẨN")
    return parts


def cmd_lists_add(args) -> int:
    from chapter_app.services import reference_lists as rl

    with open_existing(args.db) as store:
        entry = rl.add_entry(store, args.kind, args.name, name_en=args.en)
    print(f"Đã thêm «{entry.name}».")
    return EXIT_OK


def cmd_lists_rename(args) -> int:
    from chapter_app.services import reference_lists as rl

    if args.new is None and args.en is None:
        raise AppError("Hãy cho biết tên mới, hoặc tên tiếng Anh (--en).")
    with open_existing(args.db) as store:
        old = rl.get_entry(store, args.kind, args.old)
        entry = rl.rename_entry(store, args.kind, old.id, args.new, name_en=args.en)
    print(
        f"Đã sửa «{old.name}» thành «{entry.name}»"
        + (f" (tiếng Anh: {entry.name_en})." if entry.name_en else ".")
    )
    return EXIT_OK


def _hide(args, *, hidden: bool) -> int:
    from chapter_app.services import reference_lists as rl

    with open_existing(args.db) as store:
        entry = rl.get_entry(store, args.kind, args.name)
        rl.hide_entry(store, args.kind, entry.id, hidden=hidden)
    print(f"Đã {'ẩn' if hidden else 'hiện lại'} «{entry.name}».")
    return EXIT_OK


def cmd_lists_hide(args) -> int:
    return _hide(args, hidden=True)


def cmd_lists_show(args) -> int:
    return _hide(args, hidden=False)


def cmd_lists_move(args) -> int:
    from chapter_app.services import reference_lists as rl

    with open_existing(args.db) as store:
        entry = rl.get_entry(store, args.kind, args.name)
        entries = rl.move_entry(store, args.kind, entry.id, by=args.by)
    place = next(i for i, e in enumerate(entries, start=1) if e.id == entry.id)
    print(f"«{entry.name}» giờ ở vị trí {place}.")
    return EXIT_OK


# --- chỉ tiêu -------------------------------------------------------------------------------


def cmd_targets_set(args) -> int:
    from chapter_app.services import targets as tg

    values = {}
    for pair in args.pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise AppError(
                f"Chỉ tiêu cần dạng KHÓA=GIÁ_TRỊ (ví dụ members.new=50); đã ghi «{pair}»."
            )
        values[key.strip()] = value
    with open_existing(args.db) as store:
        result = tg.set_targets(store, args.year, values)
    print(f"Đã đặt {len(values)} chỉ tiêu năm {args.year}.")
    _print_targets(args.year, result)
    return EXIT_OK


def _print_targets(year: int, targets: dict[str, int]) -> None:
    from chapter_app.i18n import format_number
    from chapter_app.services.targets import TARGET_KEYS

    if not targets:
        print(
            f"Năm {year} chưa có chỉ tiêu. Đặt: chapter-app targets set {year} members.new=50 ..."
        )
        return
    width = max(len(k) for k, _l, _u in TARGET_KEYS)
    for key, label, unit in TARGET_KEYS:
        if key in targets:
            print(f"  {key.ljust(width)}  {format_number(targets[key]):>15} {unit}  ({label})")


def cmd_targets_show(args) -> int:
    from chapter_app.services import targets as tg

    with open_existing(args.db) as store:
        result = tg.targets_for(store, args.year)
    print(f"Chỉ tiêu năm {args.year}:")
    _print_targets(args.year, result)
    return EXIT_OK


def cmd_targets_copy(args) -> int:
    from chapter_app.services import targets as tg

    with open_existing(args.db) as store:
        result = tg.copy_targets(store, args.from_year, args.to_year)
    print(f"Đã sao chép {len(result)} chỉ tiêu năm {args.from_year} sang năm {args.to_year}.")
    return EXIT_OK


# --- cán bộ ---------------------------------------------------------------------------------


def cmd_officers_list(args) -> int:
    from chapter_app.i18n import _, format_date
    from chapter_app.services.officers import officers, signer

    today = date.today()
    with open_existing(args.db) as store:
        rows = officers(store, today)
        sign = signer(store, today)
    for number, row in enumerate(rows, start=1):
        since = f" (từ {format_date(row.officer.from_on)})" if row.officer.from_on else ""
        print(f"{number:>4}. {row.full_name} — {_(OFFICER_TITLES[row.title])}{since}")
    if not rows:
        print(
            'Chưa có cán bộ Hội. Thêm: chapter-app officers add "Họ Tên" --title chairman --db ...'
        )
    print(f"Người ký báo cáo: {sign.form} / {sign.title} / {sign.name or '(chưa có)'}")
    return EXIT_OK


def cmd_officers_add(args) -> int:
    from chapter_app.i18n import _
    from chapter_app.services.officers import set_officer

    with open_existing(args.db) as store:
        set_officer(store, title=args.title, full_name=args.name, from_on=args.from_on)
    print(f"Đã thêm {args.name.strip()}: {_(OFFICER_TITLES[args.title])}.")
    return EXIT_OK
