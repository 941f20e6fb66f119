"""Hội viên: the member register."""

from __future__ import annotations

from chapter_app.domain.models import ACTIVE_MEMBER_STATUSES
from chapter_app.i18n import N_, _
from chapter_app.store.repository import Query
from chapter_app.ui.pages import labels
from chapter_app.ui.pages.base import (
    PeriodFilter,
    RegisterPage,
    forms_module,
    no_forms_message,
    years_of,
)
from chapter_app.ui.table_model import PHONE, Column, birth_text

ACTIVE = "active"
ENDED = "ended"


def branch_names(store) -> dict[int, str]:
    return {branch.id: branch.name for branch in store.branches.list(Query())}


class MembersPage(RegisterPage):
    title = N_("Hội viên")
    repo_name = "members"
    form_kind = "member"
    noun = N_("hội viên")
    count_label = N_("Hội viên: {count}")
    search_placeholder = N_("Tìm tên, số định danh, điện thoại…")
    order_by = "name"
    person_key = "person_id"
    columns = (
        Column("full_name", N_("Họ và tên"), sort="name", width=185),
        Column("sex", N_("Giới tính"), kind="choice", choices=labels.SEX, width=62),
        Column("birth", N_("Ngày/năm sinh"), value=birth_text, width=100),
        Column("id_number", N_("Số định danh"), kind="id", width=110),
        Column("phone", N_("Điện thoại"), width=95, whole=PHONE),
        Column("branch_id", N_("Chi hội"), kind="lookup", lookup="branch", width=165),
        Column("admitted_on", N_("Ngày kết nạp"), kind="date", sort="admitted_on", width=95),
        Column("card_no", N_("Số thẻ"), sort="card_no", width=80, optional=True),
        Column(
            "status",
            N_("Tình trạng"),
            kind="choice",
            choices=labels.MEMBER_STATUS,
            sort="status",
            width=110,
        ),
    )

    def build_filters(self) -> None:
        self.branch_filter = self.add_combo("branch_id", _("Mọi chi hội"), [])
        self.status_filter = self.add_combo(
            "status",
            _("Mọi tình trạng"),
            [(_("Đang sinh hoạt (mọi loại)"), ACTIVE), (_("Đã thôi sinh hoạt"), ENDED)]
            + [(_(text), code) for code, text in labels.MEMBER_STATUS.items()],
        )
        self.year_filter = PeriodFilter()
        self.year_filter.setObjectName("filter_admitted_on")
        self.add_filter("admitted_on", self.year_filter, self.year_filter.value, _("Năm kết nạp:"))

    def current_filters(self):
        filters = super().current_filters()
        status = filters.get("status")
        if status == ACTIVE:
            filters["status"] = [str(s) for s in ACTIVE_MEMBER_STATUSES]
        elif status == ENDED:
            filters["status"] = [
                code for code in labels.MEMBER_STATUS if code not in ACTIVE_MEMBER_STATUSES
            ]
        return filters

    def load_lookups(self) -> None:
        names = branch_names(self.store)
        self.model.set_lookup("branch", names)
        self.branch_filter.set_items(
            sorted(((name, branch_id) for branch_id, name in names.items()), key=lambda i: i[0])
        )
        self.year_filter.set_years(years_of(self.store.members, "admitted_on"))

    def extra_buttons(self):
        return [
            (_("Xem hồ sơ"), self.open_person, True),
            (_("Hội phí…"), self.open_dues, False),
        ]

    def open_dues(self) -> None:
        forms = forms_module()
        if forms is None:
            no_forms_message(self)
            return
        forms.open_dues(self.store, self)
