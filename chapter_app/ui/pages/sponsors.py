"""Nhà tài trợ: sponsors (organisations and people) of the humanitarian addresses."""

from __future__ import annotations

from chapter_app.i18n import N_, _
from chapter_app.ui.pages import labels
from chapter_app.ui.pages.base import RegisterPage
from chapter_app.ui.table_model import PHONE, Column


class SponsorsPage(RegisterPage):
    title = N_("Nhà tài trợ")
    repo_name = "sponsors"
    form_kind = "sponsor"
    noun = N_("nhà tài trợ")
    count_label = N_("Nhà tài trợ: {count}")
    search_placeholder = N_("Tìm theo tên, người liên hệ, số điện thoại")
    order_by = "name"
    columns = (
        Column("name", N_("Tên nhà tài trợ"), sort="name", width=240),
        Column("kind", N_("Loại"), kind="choice", choices=labels.SPONSOR_KIND, sort="kind"),
        Column("contact_name", N_("Người liên hệ"), sort="contact_name", width=160),
        Column("phone", N_("Điện thoại"), width=110, whole=PHONE),
        Column("email", N_("Thư điện tử"), width=180, optional=True),
        Column("address", N_("Địa chỉ"), width=220),
    )

    def build_filters(self) -> None:
        self.kind_filter = self.add_combo(
            "kind",
            _("Mọi loại"),
            [(_(text), code) for code, text in labels.SPONSOR_KIND.items()],
        )

    def extra_buttons(self):
        return [(_("Xem hồ sơ"), self.open_sponsor, True)]

    def open_sponsor(self) -> None:
        """The sponsor's file: the households they take on, with the commitment actions."""
        self.open_file("open_sponsor_view")
