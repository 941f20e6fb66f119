"""Distributions: a handout entered once (e.g. 200 Tết gifts of 500.000 đ on one day) that
creates one aid record per recipient, all in one operation.

``check_distribution`` gives every issue without writing (the form shows them first);
``create_distribution`` checks again and writes the distribution and its aid records
all-or-nothing, raising ``ValidationFailed`` when anything is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from chapter_app.domain import models as m
from chapter_app.domain.validation import (
    N_,
    Issue,
    Label,
    ValidationFailed,
    errors,
    validate_aid,
)
from chapter_app.services.reference_lists import aid_form_aliases
from chapter_app.store.repository import Query
from chapter_app.store.store import Store

RECIPIENT_KINDS = ("address", "person")

MSG_NO_RECIPIENTS = N_("Chưa chọn người hoặc hộ nhận quà.")
MSG_RECIPIENT_KIND = N_("Loại người nhận “{text}” không hợp lệ; chỉ nhận hộ hoặc cá nhân.")
MSG_RECIPIENTS_MISSING = N_("{count} người nhận không còn trong sổ ({what}); hãy chọn lại.")
MSG_RECIPIENT_TWICE = N_("{count} người nhận được chọn hai lần; mỗi người chỉ nhận một suất.")
MSG_NOT_FOLLOWED = N_("{count} hộ không còn được theo dõi (đã thoát khó khăn hoặc ngừng theo dõi).")
MSG_UNKNOWN = N_("Không tìm thấy {what} số {id}.")
MSG_SPONSOR_NOT_CHOSEN = N_("Nguồn kinh phí là nhà tài trợ nhưng chưa chọn nhà tài trợ.")

WHAT_ADDRESSES = N_("địa chỉ nhân đạo")
WHAT_PEOPLE = N_("người")
WHAT_CAMPAIGN = N_("chương trình")
WHAT_AREA = N_("lĩnh vực")
WHAT_SPONSOR = N_("nhà tài trợ")

# validate_aid names the per-record money fields; a distribution names them per recipient.
_FIELD_NAMES = {"cash_value": "cash_per_recipient", "goods_value": "goods_per_recipient"}


@dataclass(frozen=True)
class Checked:
    """A distribution's cleaned header values and recipients, with every issue found."""

    header: dict[str, Any]
    recipients: tuple[tuple[str, int], ...]
    issues: tuple[Issue, ...]


def distribution_total(
    recipients: int, *, cash_per_recipient: int = 0, goods_per_recipient: int = 0
) -> int:
    """What a distribution to ``recipients`` people or households is worth, in đồng."""
    return recipients * (int(cash_per_recipient or 0) + int(goods_per_recipient or 0))


def stored_total(store: Store, distribution_id: int) -> int:
    """The value of the aid records a stored distribution created (deleted ones excluded)."""
    return sum(
        a.value_total for a in store.aid.list(Query(filters={"distribution_id": distribution_id}))
    )


def _rename(issue: Issue) -> Issue:
    field = _FIELD_NAMES.get(issue.field, issue.field)
    return Issue(field, issue.template, issue.params, issue.severity)


def _reference(repo, value: Any, *, field: str, what: str, issues: list[Issue]) -> int | None:
    if value in (None, ""):
        return None
    found = repo.find(value) if isinstance(value, int) else None
    if found is None:
        issues.append(Issue.error(field, MSG_UNKNOWN, what=Label(what), id=value))
        return None
    return found.id


def check_distribution(
    store: Store,
    *,
    given_on: Any,
    campaign_id: int | None = None,
    area_id: int | None = None,
    form: Any = "goods",
    description: Any = None,
    cash_per_recipient: Any = 0,
    goods_per_recipient: Any = 0,
    funding_source: Any = "own",
    sponsor_id: int | None = None,
    recipients: Iterable[tuple[str, int]] = (),
    quantity: Any = None,
    unit: Any = None,
    is_emergency: Any = False,
    notes: Any = None,
    today: date | None = None,
) -> Checked:
    """Clean and check a distribution without writing anything."""
    today = today or date.today()
    cleaned, found = validate_aid(
        {
            "given_on": given_on,
            "recipient_kind": "address",
            "cash_value": cash_per_recipient,
            "goods_value": goods_per_recipient,
            "form": form,
            "funding_source": funding_source,
            "description": description,
            "quantity": quantity,
            "unit": unit,
            "is_emergency": is_emergency,
            "notes": notes,
        },
        today=today,
        forms=aid_form_aliases(store) or None,
    )
    issues = [_rename(issue) for issue in found]
    header = {
        "given_on": cleaned["given_on"],
        "campaign_id": _reference(
            store.campaigns, campaign_id, field="campaign_id", what=WHAT_CAMPAIGN, issues=issues
        ),
        "area_id": _reference(store.areas, area_id, field="area_id", what=WHAT_AREA, issues=issues),
        "form": cleaned["form"],
        "description": cleaned["description"],
        "cash_per_recipient": cleaned["cash_value"],
        "goods_per_recipient": cleaned["goods_value"],
        "funding_source": cleaned["funding_source"],
        "sponsor_id": _reference(
            store.sponsors, sponsor_id, field="sponsor_id", what=WHAT_SPONSOR, issues=issues
        ),
        "notes": cleaned["notes"],
        "quantity": cleaned["quantity"],
        "unit": cleaned["unit"],
        "is_emergency": cleaned["is_emergency"],
    }
    sponsor_named = any(i.field == "sponsor_id" for i in issues)
    if header["funding_source"] == "sponsor" and header["sponsor_id"] is None and not sponsor_named:
        issues.append(Issue.warning("sponsor_id", MSG_SPONSOR_NOT_CHOSEN))
    chosen, found = _check_recipients(store, recipients)
    issues += found
    return Checked(header, chosen, tuple(issues))


def _check_recipients(
    store: Store, recipients: Iterable[tuple[str, int]]
) -> tuple[tuple[tuple[str, int], ...], list[Issue]]:
    issues: list[Issue] = []
    chosen: list[tuple[str, int]] = []
    seen: set[tuple[str, int]] = set()
    twice = 0
    for kind, record_id in recipients:
        if kind not in RECIPIENT_KINDS:
            issues.append(Issue.error("recipients", MSG_RECIPIENT_KIND, text=str(kind)))
            continue
        key = (kind, int(record_id))
        if key in seen:
            twice += 1
            continue
        seen.add(key)
        chosen.append(key)
    if twice:
        issues.append(Issue.error("recipients", MSG_RECIPIENT_TWICE, count=twice))
    if not chosen and not issues:
        issues.append(Issue.error("recipients", MSG_NO_RECIPIENTS))
    for kind, repo, what in (
        ("address", store.addresses, WHAT_ADDRESSES),
        ("person", store.people, WHAT_PEOPLE),
    ):
        wanted = [rid for k, rid in chosen if k == kind]
        if not wanted:
            continue
        present = set(repo.ids(Query(filters={"id": wanted})))
        missing = [rid for rid in wanted if rid not in present]
        if missing:
            issues.append(
                Issue.error(
                    "recipients", MSG_RECIPIENTS_MISSING, count=len(missing), what=Label(what)
                )
            )
        if kind == "address":
            stopped = repo.count(
                Query(filters={"id": wanted, "status": ["out_of_hardship", "stopped"]})
            )
            if stopped:
                issues.append(Issue.warning("recipients", MSG_NOT_FOLLOWED, count=stopped))
    return tuple(chosen), issues


def create_distribution(
    store: Store,
    *,
    given_on: Any,
    campaign_id: int | None = None,
    area_id: int | None = None,
    form: Any = "goods",
    description: Any = None,
    cash_per_recipient: Any = 0,
    goods_per_recipient: Any = 0,
    funding_source: Any = "own",
    sponsor_id: int | None = None,
    recipients: Sequence[tuple[str, int]] = (),
    quantity: Any = None,
    unit: Any = None,
    is_emergency: Any = False,
    notes: Any = None,
    today: date | None = None,
) -> m.Distribution:
    """Write the distribution and one aid record per recipient in one operation.

    Raises ``ValidationFailed`` (writing nothing) when any value or recipient is wrong.
    Warnings do not stop it: call :func:`check_distribution` first to show them.
    """
    checked = check_distribution(
        store,
        given_on=given_on,
        campaign_id=campaign_id,
        area_id=area_id,
        form=form,
        description=description,
        cash_per_recipient=cash_per_recipient,
        goods_per_recipient=goods_per_recipient,
        funding_source=funding_source,
        sponsor_id=sponsor_id,
        recipients=recipients,
        quantity=quantity,
        unit=unit,
        is_emergency=is_emergency,
        notes=notes,
        today=today,
    )
    if errors(checked.issues):
        raise ValidationFailed(checked.issues)
    h = checked.header
    day = h["given_on"]
    label = f"Trao quà: {len(checked.recipients)} suất ngày {day:%d/%m/%Y}"
    with store.operation(label):
        distribution = store.distributions.add(
            given_on=day,
            campaign_id=h["campaign_id"],
            area_id=h["area_id"],
            form=h["form"],
            description=h["description"],
            cash_per_recipient=h["cash_per_recipient"],
            goods_per_recipient=h["goods_per_recipient"],
            funding_source=h["funding_source"],
            sponsor_id=h["sponsor_id"],
            notes=h["notes"],
        )
        store.aid.add_many(
            {
                "given_on": day,
                "recipient_kind": kind,
                "address_id": record_id if kind == "address" else None,
                "person_id": record_id if kind == "person" else None,
                "campaign_id": h["campaign_id"],
                "area_id": h["area_id"],
                "form": h["form"],
                "description": h["description"],
                "quantity": h["quantity"],
                "unit": h["unit"],
                "cash_value": h["cash_per_recipient"],
                "goods_value": h["goods_per_recipient"],
                "funding_source": h["funding_source"],
                "sponsor_id": h["sponsor_id"],
                "persons_reached": 1,
                "households_reached": 1 if kind == "address" else 0,
                "is_emergency": h["is_emergency"],
                "distribution_id": distribution.id,
            }
            for kind, record_id in checked.recipients
        )
    return distribution


def signoff_rows(store: Store, distribution_id: int) -> list[dict[str, Any]]:
    """The rows of the sign-off sheet: ``no``, ``name``, ``id_masked``, ``address``, ``value``.

    Sorted the Vietnamese way; ID numbers masked. The sheet itself (letterhead,
    signatures) is built by ``services.report.lists.build_signoff_sheet``.
    """
    from chapter_app.services.report.lists import build_signoff_sheet

    sheet = build_signoff_sheet(store, distribution_id)
    return [
        {
            "no": number,
            "name": row.name,
            "id_masked": row.id_text,
            "address": row.address,
            "value": row.value,
        }
        for number, row in enumerate(sheet.rows, start=1)
    ]
