"""Members and volunteers one at a time from the command line, with the window's own checks.

chapter-app members list [--search TEXT] [--branch NAME] [--all] [--json]
chapter-app members add --name NAME --branch NAME --admitted DATE [values ...]
chapter-app members change SỐ [values ...]
chapter-app members status SỐ --to STATUS --on DATE [--reason …] [--decision …]
chapter-app volunteers list|add|change (the same, with the volunteer's values)

Only the values named on the command line change; every wrong value names its option.
Lists never print ID numbers or phones (personal data): export them from the window.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from chapter_app.cli.base import EXIT_OK, Parser, db_argument, read_only_argument
from chapter_app.cli.core import open_existing
from chapter_app.errors import AppError

# option -> (raw key of the form, help); the person's values, shared by both roles
PERSON_OPTIONS: dict[str, tuple[str, str]] = {
    "--name": ("full_name", "họ và tên"),
    "--sex": ("sex", "giới tính: nam, nữ (gõ không dấu cũng được)"),
    "--born": ("birth", "năm sinh (1980) hoặc ngày sinh (dd/mm/yyyy)"),
    "--id-number": ("id_number", "số định danh cá nhân / CCCD (12 chữ số)"),
    "--phone": ("phone", "số điện thoại"),
    "--address": ("address", "địa chỉ (nơi ở)"),
    "--unit": ("unit", "thôn, tổ dân phố (tên đã có: xem chapter-app units list)"),
    "--notes": ("notes", "ghi chú"),
}
MEMBER_OPTIONS: dict[str, tuple[str, str]] = {
    "--branch": ("branch", "chi hội (tên đã có: xem chapter-app branches list)"),
    "--admitted": ("admitted_on", "ngày vào Hội (dd/mm/yyyy)"),
    "--decision": ("decision_no", "số quyết định kết nạp"),
    "--card": ("card_no", "số thẻ hội viên"),
}
VOLUNTEER_OPTIONS: dict[str, tuple[str, str]] = {
    "--branch": ("branch", "chi hội (nếu có)"),
    "--registered": ("registered_on", "ngày đăng ký tình nguyện (dd/mm/yyyy)"),
    "--left": ("left_on", "ngày thôi tham gia (dd/mm/yyyy)"),
    "--core": ("is_core", "tình nguyện viên nòng cốt: có / không"),
    "--skills": ("skills", "kỹ năng"),
    "--team": ("team", "đội, nhóm"),
    "--hours": ("hours", "số giờ tình nguyện"),
}
# status code -> what it means (the window's labels)
MEMBER_STATUSES = {
    "moved_in": "chuyển đến sinh hoạt",
    "readmitted": "kết nạp lại",
    "moved_out": "chuyển sinh hoạt đi",
    "left": "ra khỏi Hội",
    "removed": "xóa tên",
    "died": "từ trần",
}

# what a member's current status means in a list
STATUS_LABELS = {
    "admitted": "đang sinh hoạt",
    "moved_in": "đang sinh hoạt (chuyển đến)",
    "readmitted": "đang sinh hoạt (kết nạp lại)",
} | {code: MEMBER_STATUSES[code] for code in ("moved_out", "left", "removed", "died")}


class Role:
    """What differs between the member and volunteer commands."""

    def __init__(self, command: str, noun: str, options: dict[str, tuple[str, str]], **keys):
        self.command, self.noun, self.options = command, noun, options
        self.repo_name = keys["repo_name"]
        self.required = keys["required"]
        self.id_keyword = keys["id_keyword"]
        self.example = keys["example"]

    @property
    def all_options(self) -> dict[str, tuple[str, str]]:
        return PERSON_OPTIONS | self.options

    def save(self, store, raw: dict, record_id: int | None):
        from chapter_app.services import records

        saver = records.save_member if self.repo_name == "members" else records.save_volunteer
        return saver(store, raw, today=date.today(), **{self.id_keyword: record_id})


MEMBERS = Role(
    "members",
    "hội viên",
    MEMBER_OPTIONS,
    repo_name="members",
    required=("--name", "--branch", "--admitted"),
    id_keyword="member_id",
    example='--name "Nguyễn Thị Lan" --branch "Chi hội Thôn 1" --admitted 05/01/2026 --born 1985',
)
VOLUNTEERS = Role(
    "volunteers",
    "tình nguyện viên",
    VOLUNTEER_OPTIONS,
    repo_name="volunteers",
    required=("--name", "--registered"),
    id_keyword="volunteer_id",
    example='--name "Trần Văn Nam" --registered 01/03/2026 --skills "sơ cấp cứu"',
)


def register(commands) -> None:
    """Add ``members`` and ``volunteers``."""
    for role, help_text in (
        (MEMBERS, "hội viên: xem, thêm, sửa, ghi tình trạng (chuyển đi, ra khỏi Hội…)"),
        (VOLUNTEERS, "tình nguyện viên: xem, thêm, sửa"),
    ):
        parser = commands.add_parser(role.command, help=help_text)
        sub = parser.add_subparsers(dest=f"{role.command}_command", parser_class=Parser)
        sub.required = True
        _add_list(sub, role)
        add = sub.add_parser("add", help=f"thêm một {role.noun}; bắt buộc: {role.required}")
        _value_options(add, role)
        add.set_defaults(handler=cmd_add, role=role)
        change = sub.add_parser("change", help=f"sửa một {role.noun} (chỉ các giá trị được nêu)")
        change.add_argument("id", type=int, metavar="SỐ", help=f"số của {role.noun} (xem: list)")
        _value_options(change, role)
        change.set_defaults(handler=cmd_change, role=role)
        if role is MEMBERS:
            _add_status(sub)


def _add_list(sub, role: Role) -> None:
    listing = sub.add_parser("list", help=f"danh sách {role.noun}")
    db_argument(listing, required=True)
    read_only_argument(listing)
    listing.add_argument("--search", metavar="CHỮ", help="tìm theo tên (gõ không dấu cũng được)")
    listing.add_argument("--branch", metavar="CHI_HỘI", help="chỉ chi hội này")
    if role is MEMBERS:
        listing.add_argument(
            "--all", action="store_true", help="cả người đã chuyển đi, ra khỏi Hội, từ trần"
        )
    listing.add_argument("--json", action="store_true", help="in dạng JSON")
    listing.set_defaults(handler=cmd_list, role=role)


def _add_status(sub) -> None:
    status = sub.add_parser(
        "status", help="ghi tình trạng mới của một hội viên (chuyển đi, ra khỏi Hội, từ trần…)"
    )
    db_argument(status, required=True)
    status.add_argument("id", type=int, metavar="SỐ", help="số của hội viên (xem: list)")
    status.add_argument(
        "--to",
        required=True,
        choices=list(MEMBER_STATUSES),
        help="; ".join(f"{code}: {label}" for code, label in MEMBER_STATUSES.items()),
    )
    status.add_argument("--on", required=True, metavar="NGÀY", help="từ ngày (dd/mm/yyyy)")
    status.add_argument("--reason", help="lý do")
    status.add_argument("--decision", help="số quyết định")
    status.set_defaults(handler=cmd_status, role=MEMBERS)


def _value_options(parser: argparse.ArgumentParser, role: Role) -> None:
    db_argument(parser, required=True)
    for option, (key, help_text) in role.all_options.items():
        parser.add_argument(option, dest=f"value_{key}", metavar="GIÁ_TRỊ", help=help_text)


def _given(args) -> dict[str, str]:
    return {
        key: value
        for _option, (key, _help) in args.role.all_options.items()
        if (value := getattr(args, f"value_{key}", None)) is not None
    }


def _option_of(role: Role, field: str) -> str:
    """The option a validation issue's field came from (``unit_id`` is ``--unit``)."""
    field = {"unit_id": "unit", "branch_id": "branch", "family_name": "full_name"}.get(field, field)
    field = {"given_name": "full_name", "middle_name": "full_name"}.get(field, field)
    for option, (key, _help) in role.all_options.items():
        if key == field:
            return option
    return field


def _resolve_names(store, raw: dict) -> None:
    """Typed names become ids, matched as the import matches them (without tones, "Thôn 1"
    is "Chi hội Thôn 1"); a thôn the register lacks is refused, an unknown chi hội is left
    to the checks (which name it)."""
    from chapter_app.services.importer.structure import References

    references = References(store)
    if raw.get("branch"):
        raw["branch"] = references.lookup_branch(raw["branch"]) or raw["branch"]
    if "unit" not in raw:
        return
    text = raw.pop("unit")
    if not text.strip():
        raw["unit_id"] = None
        return
    found = references.unit(text)
    if not isinstance(found, int):
        raise AppError(
            f"--unit: không có thôn, tổ dân phố «{text}». Thêm bằng: chapter-app units add "
            f'"{text}" --db ...  (xem: chapter-app units list). Không ghi gì.'
        )
    raw["unit_id"] = found


def _stored_values(store, role: Role, record_id: int) -> dict[str, Any]:
    """The values the window's form would show for the record (the base of a change)."""
    record = getattr(store, role.repo_name).get(record_id)
    person = store.people.get(record.person_id)
    born = person.birth_date.strftime("%d/%m/%Y") if person.birth_date else person.birth_year
    values: dict[str, Any] = {
        "person_id": person.id,
        "full_name": person.full_name,
        "sex": person.sex,
        "birth": None if born is None else str(born),
        "id_number": person.id_number,
        "phone": person.phone,
        "address": person.address,
        "unit_id": person.unit_id,
        "notes": person.notes,
        "branch": record.branch_id,
    }
    for _option, (key, _help) in role.options.items():
        if key != "branch":
            value = getattr(record, key)
            values[key] = value.strftime("%d/%m/%Y") if isinstance(value, date) else value
    return values


def _save(args, *, record_id: int | None) -> int:
    from chapter_app.domain.validation import ValidationFailed

    role: Role = args.role
    given = _given(args)
    if record_id is None:
        missing = [o for o in role.required if role.all_options[o][0] not in given]
        if missing:
            raise AppError(
                f"Chưa nêu: {', '.join(missing)}. Ví dụ: chapter-app {role.command} add "
                f"{role.example} --db ..."
            )
    elif not given:
        raise AppError(f"Chưa nêu giá trị nào để sửa. Xem: chapter-app {role.command} change -h")
    with open_existing(args.db) as store:
        _resolve_names(store, given)
        raw = given if record_id is None else _stored_values(store, role, record_id) | given
        try:
            saved = role.save(store, raw, record_id)
        except ValidationFailed as exc:
            lines = [f"{_option_of(role, i.field)}: {i.message}" for i in exc.errors]
            if any(i.field == "branch" for i in exc.errors):
                lines.append("Xem các chi hội: chapter-app branches list --db ...")
            raise AppError(
                "\n".join(lines) + "\nKhông ghi gì. Sửa các giá trị trên rồi chạy lại."
            ) from None
        person = store.people.get(saved.record.person_id)
    verb = "Đã thêm" if record_id is None else "Đã sửa"
    print(f"{verb} {role.noun} số {saved.record.id}: {person.full_name}.")
    for issue in saved.warnings:
        print(f"Lưu ý ({_option_of(role, issue.field)}): {issue.message}")
    return EXIT_OK


def cmd_add(args) -> int:
    return _save(args, record_id=None)


def cmd_change(args) -> int:
    return _save(args, record_id=args.id)


def cmd_status(args) -> int:
    """A member's new status, checked as the window's "Tình trạng" section checks it."""
    from chapter_app.domain.status_change import check_status_change
    from chapter_app.domain.validation import check_text, parse_date

    on_date, issues = parse_date(args.on, field="status_on", required=True)
    reason, reason_issues = check_text(args.reason, field="reason", max_length=200)
    decision, decision_issues = check_text(args.decision, field="decision", max_length=50)
    with open_existing(args.db) as store:
        member = store.members.get(args.id)
        if not issues:
            issues = check_status_change(
                args.to,
                on_date,
                started_on=member.admitted_on,
                start_label="ngày kết nạp",
                today=date.today(),
            )
        options = {"status_on": "--on", "reason": "--reason", "decision": "--decision"}
        problems = [
            f"{options.get(i.field, i.field)}: {i.message}"
            for i in (*issues, *reason_issues, *decision_issues)
        ]
        if member.status == args.to:
            problems.append(f"--to: hội viên đang ở tình trạng «{MEMBER_STATUSES[args.to]}» rồi.")
        if problems:
            raise AppError("\n".join(problems) + "\nKhông ghi gì. Sửa rồi chạy lại.")
        store.members.change_status(args.id, args.to, on_date, reason=reason, decision_no=decision)
        name = store.people.get(member.person_id).full_name
    print(f"Đã ghi: {name} — {MEMBER_STATUSES[args.to]} từ {on_date:%d/%m/%Y}.")
    return EXIT_OK


def cmd_list(args) -> int:
    from chapter_app.store.repository import Query

    role: Role = args.role
    with open_existing(args.db, reader=args.read_only) as store:
        filters: dict[str, Any] = {}
        if args.branch:
            from chapter_app.services.importer.structure import References

            branch_id = References(store).lookup_branch(args.branch)
            if branch_id is None:
                raise AppError(
                    f"Không có chi hội «{args.branch}». Xem: chapter-app branches list --db ..."
                )
            filters["branch_id"] = branch_id
        if role is MEMBERS and not args.all:
            from chapter_app.domain.models import ACTIVE_MEMBER_STATUSES

            filters["status"] = [str(s) for s in ACTIVE_MEMBER_STATUSES]
        rows = getattr(store, role.repo_name).rows(Query(search=args.search, filters=filters))
        branches = {b.id: b.name for b in store.branches.list()}
    shown = [_public(role, row, branches) for row in rows]
    if args.json:
        print(json.dumps(shown, ensure_ascii=False, indent=1))
        return EXIT_OK
    if not shown:
        hint = f"Thêm: chapter-app {role.command} add {role.example} --db ..."
        print(f"Không có {role.noun} nào{' khớp' if args.search or args.branch else ''}. {hint}")
        return EXIT_OK
    print(f"{len(shown)} {role.noun}:")
    for row in shown:
        parts = [row["birth_year"] and f"sinh {row['birth_year']}", row["branch"]]
        if role is MEMBERS:
            parts.append(f"vào Hội {_day(row['admitted_on'])}")
            parts.append(STATUS_LABELS.get(row["status"], row["status"]))
        else:
            parts.append(f"đăng ký {_day(row['registered_on'])}")
            parts.append(row["left_on"] and f"thôi từ {_day(row['left_on'])}")
        details = ", ".join(str(p) for p in parts if p)
        print(f"  số {row['id']:>5}  {row['full_name']}  ({details})")
    return EXIT_OK


def _day(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else "?"


def _public(role: Role, row: dict[str, Any], branches: dict[int, str]) -> dict[str, Any]:
    """What a list prints: no ID number, phone or address (personal data)."""
    shown = {
        "id": row["id"],
        "full_name": row["full_name"],
        "sex": row["sex"],
        "birth_year": row["birth_year"],
        "branch": branches.get(row["branch_id"]),
    }
    if role is MEMBERS:
        shown |= {"admitted_on": row["admitted_on"], "status": row["status"]}
    else:
        shown |= {"registered_on": row["registered_on"], "left_on": row["left_on"]}
    return shown
