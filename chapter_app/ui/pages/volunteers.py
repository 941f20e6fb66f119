"""Tình nguyện viên: the volunteer register."""

from __future__ import annotations

from datetime import date

from chapter_app.i18n import N_, _
from chapter_app.store.repository import Range
from chapter_app.ui.pages import labels
from chapter_app.ui.pages.base import RegisterPage
from chapter_app.ui.pages.members import branch_names
from chapter_app.ui.table_model import PHONE, Column, birth_text

STILL_ACTIVE = "active"
HAS_LEFT = "left"


class VolunteersPage(RegisterPage):
    title = N_("Tình nguyện viên")
    repo_name = "volunteers"
    form_kind = "volunteer"
    noun = N_("tình nguyện viên")
    count_label = N_("Tình nguyện viên: {count}")
    search_placeholder = N_("Tìm tên, số định danh, điện thoại…")
    order_by = "name"
    person_key = "person_id"
    columns = (
        Column("full_name", N_("Họ và tên"), sort="name", width=200),
        Column("sex", N_("Giới tính"), kind="choice", choices=labels.SEX, width=70),
        Column("birth", N_("Ngày/năm sinh"), value=birth_text, width=105),
        Column("phone", N_("Điện thoại"), width=105, whole=PHONE),
        Column("branch_id", N_("Chi hội"), kind="lookup", lookup="branch", width=140),
        Column("team", N_("Đội, nhóm"), sort="team", width=140),
        Column("skills", N_("Kỹ năng"), width=160, optional=True),
        Column("is_core", N_("Nòng cốt"), kind="bool", sort="is_core", width=75),
        Column("registered_on", N_("Ngày đăng ký"), kind="date", sort="registered_on", width=105),
        Column("left_on", N_("Ngày rời"), kind="date", sort="left_on", width=95, optional=True),
        Column("hours", N_("Số giờ"), kind="number", sort="hours", width=70, optional=True),
    )

    def build_filters(self) -> None:
        self.core_filter = self.add_combo(
            "is_core",
            _("Mọi tình nguyện viên"),
            [(_("Nòng cốt"), True), (_("Không nòng cốt"), False)],
        )
        self.active_filter = self.add_combo(
            "left_on",
            _("Đang và đã hoạt động"),
            [(_("Đang hoạt động"), STILL_ACTIVE), (_("Đã rời"), HAS_LEFT)],
        )

    def current_filters(self):
        filters = super().current_filters()
        state = filters.pop("left_on", None)
        if state == STILL_ACTIVE:
            filters["left_on"] = None  # IS NULL
        elif state == HAS_LEFT:
            filters["left_on"] = Range(low=date.min)  # any date: IS NOT NULL
        return filters

    def load_lookups(self) -> None:
        self.model.set_lookup("branch", branch_names(self.store))
