"""Trợ giúp: aid given (to addresses, people or unnamed groups), and distributions."""

from __future__ import annotations

from typing import Any

from chapter_app.i18n import N_, _, language
from chapter_app.services.reference_lists import labels as list_labels
from chapter_app.store.repository import Query
from chapter_app.ui.pages import labels
from chapter_app.ui.pages.base import (
    PeriodFilter,
    RegisterPage,
    forms_module,
    no_forms_message,
    years_of,
)
from chapter_app.ui.table_model import Column, iso_to_display


class AidPage(RegisterPage):
    title = N_("Trợ giúp")
    repo_name = "aid"
    form_kind = "aid"
    noun = N_("lượt trợ giúp")
    count_label = N_("Lượt trợ giúp: {count}")
    search_placeholder = N_("Tìm người, hộ hoặc nhóm nhận…")
    order_by = "date"
    descending = True
    person_key = "person_id"
    columns = (
        Column("given_on", N_("Ngày"), kind="date", sort="date", width=90),
        Column("recipient_name", N_("Người, hộ nhận"), width=190),
        Column(
            "recipient_kind",
            N_("Loại"),
            kind="choice",
            choices=labels.RECIPIENT_KIND,
            sort="recipient_kind",
            width=115,
        ),
        Column("campaign_name", N_("Chương trình"), width=140),
        Column("form", N_("Hình thức"), kind="lookup", width=100),
        Column("value_total", N_("Tổng trị giá"), kind="money", sort="value", width=105),
        Column(
            "cash_value",
            N_("Tiền mặt"),
            kind="money",
            sort="cash_value",
            width=100,
            blank_zero=True,
            optional=True,
        ),
        Column(
            "goods_value",
            N_("Hiện vật"),
            kind="money",
            sort="goods_value",
            width=100,
            blank_zero=True,
            optional=True,
        ),
        Column("persons_reached", N_("Lượt người"), kind="number", width=75, optional=True),
        Column(
            "funding_source",
            N_("Nguồn"),
            kind="choice",
            choices=labels.FUNDING_SOURCE,
            width=90,
            optional=True,
        ),
        Column("is_emergency", N_("Khẩn cấp"), kind="bool", width=70, optional=True),
        Column("description", N_("Nội dung"), width=170),
    )

    def build_filters(self) -> None:
        self.campaign_filter = self.add_combo("campaign_id", _("Mọi chương trình"), [])
        self.kind_filter = self.add_combo(
            "recipient_kind",
            _("Mọi người nhận"),
            [(_(text), code) for code, text in labels.RECIPIENT_KIND.items()],
        )
        self.period_filter = PeriodFilter()
        self.period_filter.setObjectName("filter_given_on")
        self.add_filter("given_on", self.period_filter, self.period_filter.value)

    def load_lookups(self) -> None:
        self.model.set_lookup("form", list_labels(self.store, "forms", language()))
        self.campaign_filter.set_items([(c.name, c.id) for c in self.store.campaigns.list(Query())])
        self.period_filter.set_years(years_of(self.store.aid, "given_on"))

    def display_name(self, row: dict[str, Any]) -> str:
        return _("{name}, ngày {date}").format(
            name=row.get("recipient_name") or "", date=iso_to_display(row.get("given_on"))
        )

    def extra_buttons(self):
        return [(_("Phát quà theo đợt…"), self.open_distribution, False)]

    def open_distribution(self) -> None:
        forms = forms_module()
        if forms is None:
            no_forms_message(self)
            return
        forms.open_distribution(self.store, self)
