"""Members and volunteers one at a time from the command line, with the window's own checks.

chapter-app members list [--search TEXT] [--branch NAME] [--all] [--json]
chapter-app members add --name NAME --branch NAME --admitted DATE [values ...]
chapter-app members change SỐ [values ...]
chapter-app members status SỐ --to STATUS --on DATE [--reason …] [--decision …]
chapter-app volunteers list|add|change (the same, with the volunteer's values)

Lists never print ID numbers, phones or addresses (personal data): export them from the
window, or with ``export``, which asks the program password.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chapter_app.cli.base import EXIT_OK
from chapter_app.cli.core import open_existing
from chapter_app.cli.record_commands import (
    RecordKind,
    add_status_parser,
    day,
    form_date,
    refuse,
    register_kind,
    saver,
)
from chapter_app.domain import labels
from chapter_app.domain.labels import lower_first
from chapter_app.errors import AppError

PERSON_OPTIONS = {
    "--name": ("full_name", "họ và tên"),
    "--sex": ("sex", "giới tính: nam, nữ (gõ không dấu cũng được)"),
    "--born": ("birth", "năm sinh (1980) hoặc ngày sinh (dd/mm/yyyy)"),
    "--id-number": ("id_number", "số định danh cá nhân / CCCD (12 chữ số)"),
    "--phone": ("phone", "số điện thoại"),
    "--address": ("address", "địa chỉ (nơi ở)"),
    "--unit": ("unit", "thôn, tổ dân phố (tên đã có: xem chapter-app units list)"),
    "--notes": ("notes", "ghi chú"),
}
MEMBER_OPTIONS = PERSON_OPTIONS | {
    "--branch": ("branch", "chi hội (tên đã có: xem chapter-app branches list)"),
    "--admitted": ("admitted_on", "ngày vào Hội (dd/mm/yyyy)"),
    "--decision": ("decision_no", "số quyết định kết nạp"),
    "--card": ("card_no", "số thẻ hội viên"),
}
VOLUNTEER_OPTIONS = PERSON_OPTIONS | {
    "--branch": ("branch", "chi hội (nếu có)"),
    "--registered": ("registered_on", "ngày đăng ký tình nguyện (dd/mm/yyyy)"),
    "--left": ("left_on", "ngày thôi tham gia (dd/mm/yyyy)"),
    "--core": ("is_core", "tình nguyện viên nòng cốt: có / không"),
    "--skills": ("skills", "kỹ năng"),
    "--team": ("team", "đội, nhóm"),
    "--hours": ("hours", "số giờ tình nguyện"),
}
# the fields a person's issues name, and the option they come from
PERSON_FIELDS = {
    "family_name": "--name",
    "middle_name": "--name",
    "given_name": "--name",
    "unit_id": "--unit",
    "branch_id": "--branch",
}
BRANCH_HINT = {"branch": "Xem các chi hội: chapter-app branches list --db ..."}
# a member's new status (the window's labels, as read inside a sentence)
MEMBER_STATUSES = {
    code: lower_first(text) for code, text in labels.MEMBER_STATUS.items() if code != "admitted"
}
# what a member's current status means in a list
_ACTIVE = lower_first(labels.MEMBER_STATUS_LISTED["admitted"])
STATUS_LABELS = {
    "admitted": _ACTIVE,
    **{
        code: f"{_ACTIVE} ({lower_first(labels.MEMBER_STATUS_LISTED[code])})"
        for code in ("moved_in", "readmitted")
    },
} | {code: MEMBER_STATUSES[code] for code in ("moved_out", "left", "removed", "died")}


def resolve_names(store, raw: dict) -> None:
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


def _stored(repo_name: str, role_keys: tuple[str, ...]):
    def stored(store, record_id: int) -> dict[str, Any]:
        """The values the window's form shows for the record (the base of a change)."""
        record = getattr(store, repo_name).get(record_id)
        person = store.people.get(record.person_id)
        born = day(person.birth_date) if person.birth_date else person.birth_year
        values = {
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
        return values | {key: form_date(getattr(record, key)) for key in role_keys}

    return stored


def _rows(repo_name: str):
    def rows(store, args) -> list[dict[str, Any]]:
        """What a list prints: no ID number, phone or address (personal data)."""
        from chapter_app.store.repository import Query

        filters: dict[str, Any] = {}
        if args.branch:
            from chapter_app.services.importer.structure import References

            branch_id = References(store).lookup_branch(args.branch)
            if branch_id is None:
                raise AppError(f"Không có chi hội «{args.branch}». {BRANCH_HINT['branch']}")
            filters["branch_id"] = branch_id
        if repo_name == "members" and not args.all:
            from chapter_app.domain.models import ACTIVE_MEMBER_STATUSES

            filters["status"] = [str(s) for s in ACTIVE_MEMBER_STATUSES]
        found = getattr(store, repo_name).rows(Query(search=args.search, filters=filters))
        branches = {b.id: b.name for b in store.branches.list()}
        own = ("admitted_on", "status") if repo_name == "members" else ("registered_on", "left_on")
        return [
            {
                "id": row["id"],
                "full_name": row["full_name"],
                "sex": row["sex"],
                "birth_year": row["birth_year"],
                "branch": branches.get(row["branch_id"]),
            }
            | {key: row[key] for key in own}
            for row in found
        ]

    return rows


def _list_options(parser) -> None:
    parser.add_argument("--search", metavar="CHỮ", help="tìm theo tên (gõ không dấu cũng được)")
    parser.add_argument("--branch", metavar="CHI_HỘI", help="chỉ chi hội này")


def _member_list_options(parser) -> None:
    _list_options(parser)
    parser.add_argument(
        "--all", action="store_true", help="cả người đã chuyển đi, ra khỏi Hội, từ trần"
    )


def _line(row: dict[str, Any]) -> str:
    parts = [row["birth_year"] and f"sinh {row['birth_year']}", row["branch"]]
    if "admitted_on" in row:
        parts += [f"vào Hội {day(row['admitted_on'])}", STATUS_LABELS.get(row["status"])]
    else:
        parts.append(f"đăng ký {day(row['registered_on'])}")
        parts.append(row["left_on"] and f"thôi từ {day(row['left_on'])}")
    return f"{row['full_name']}  ({', '.join(str(p) for p in parts if p)})"


def _person_name(store, record) -> str:
    return store.people.get(record.person_id).full_name


MEMBERS = RecordKind(
    command="members",
    noun="hội viên",
    options=MEMBER_OPTIONS,
    required=("--name", "--branch", "--admitted"),
    example='--name "Nguyễn Thị Lan" --branch "Chi hội Thôn 1" --admitted 05/01/2026 --born 1985',
    save=saver("save_member", "member_id"),
    stored=_stored("members", ("admitted_on", "decision_no", "card_no")),
    rows=_rows("members"),
    line=_line,
    name_of=_person_name,
    resolve=resolve_names,
    list_options=_member_list_options,
    option_of_field=PERSON_FIELDS,
    hints=BRANCH_HINT,
)
VOLUNTEERS = RecordKind(
    command="volunteers",
    noun="tình nguyện viên",
    options=VOLUNTEER_OPTIONS,
    required=("--name", "--registered"),
    example='--name "Trần Văn Nam" --registered 01/03/2026 --skills "sơ cấp cứu"',
    save=saver("save_volunteer", "volunteer_id"),
    stored=_stored(
        "volunteers", ("registered_on", "left_on", "is_core", "skills", "team", "hours")
    ),
    rows=_rows("volunteers"),
    line=_line,
    name_of=_person_name,
    resolve=resolve_names,
    list_options=_list_options,
    option_of_field=PERSON_FIELDS,
    hints=BRANCH_HINT,
)


def register(commands) -> None:
    """Add ``members`` (with ``status``) and ``volunteers``."""
    sub = register_kind(
        commands, MEMBERS, "hội viên: xem, thêm, sửa, ghi tình trạng (chuyển đi, ra khỏi Hội…)"
    )
    status = add_status_parser(sub, "hội viên", MEMBER_STATUSES, cmd_status)
    status.add_argument("--decision", help="số quyết định")
    register_kind(commands, VOLUNTEERS, "tình nguyện viên: xem, thêm, sửa")


def status_problems(
    store, repo_name: str, record_id: int, args, labels: dict[str, str], start_label: str
):
    """The checked ``(date, reason, problems)`` of a status change typed on the command
    line, as the window's "Tình trạng" section checks it; ``start_label`` names the day
    the record began (its ``admitted_on`` or ``opened_on``)."""
    from chapter_app.domain.status_change import check_status_change
    from chapter_app.domain.validation import check_text, parse_date

    record = getattr(store, repo_name).get(record_id)
    started_on = getattr(record, "admitted_on", None) or getattr(record, "opened_on", None)
    on_date, issues = parse_date(args.on, field="status_on", required=True)
    reason, reason_issues = check_text(args.reason, field="reason", max_length=200)
    if not issues:
        issues = check_status_change(
            args.to, on_date, started_on=started_on, start_label=start_label, today=date.today()
        )
    options = {"status_on": "--on", "reason": "--reason"}
    problems = [f"{options.get(i.field, i.field)}: {i.message}" for i in (*issues, *reason_issues)]
    if record.status == args.to:
        problems.append(f"--to: đang ở tình trạng «{labels[args.to]}» rồi.")
    return on_date, reason, problems


def cmd_status(args) -> int:
    """A member's new status (its own operation)."""
    from chapter_app.domain.validation import check_text

    decision, decision_issues = check_text(args.decision, field="decision", max_length=50)
    with open_existing(args.db) as store:
        on_date, reason, problems = status_problems(
            store, "members", args.id, args, MEMBER_STATUSES, "ngày kết nạp"
        )
        problems += [f"--decision: {i.message}" for i in decision_issues]
        if problems:
            raise refuse(problems)
        member = store.members.change_status(
            args.id, args.to, on_date, reason=reason, decision_no=decision
        )
        name = store.people.get(member.person_id).full_name
    print(f"Đã ghi: {name} — {MEMBER_STATUSES[args.to]} từ {day(on_date)}.")
    return EXIT_OK
