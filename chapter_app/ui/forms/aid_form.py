"""The aid form: one handout to an address, a person or an unnamed group."""

from __future__ import annotations

from typing import Any

from chapter_app.domain.validation import Issue
from chapter_app.i18n import N_, _
from chapter_app.services.records import save_aid
from chapter_app.ui.forms import labels, widgets
from chapter_app.ui.forms.base import RecordDialog
from chapter_app.ui.forms.common import (
    address_picker,
    aid_form_field,
    area_choices,
    campaign_choices,
    ensure_with,
    person_picker,
    set_aid_form,
    sponsor_choices,
)
from chapter_app.ui.forms.widgets import (
    ChoiceField,
    CountField,
    DateField,
    Field,
    FlagField,
    MoneyField,
    NotesField,
    QuantityField,
    TextField,
)

RECIPIENT_FIELDS = {"address": "address_id", "person": "person_id", "group": "group_name"}


class AidDialog(RecordDialog):
    noun = N_("lượt trợ giúp")
    keep_on_new = (
        "given_on",
        "recipient_kind",
        "campaign_id",
        "area_id",
        "form",
        "funding_source",
        "sponsor_id",
        "is_emergency",
    )
    first_key = "address_id"

    def build(self) -> None:
        who = self.section(_("Người nhận"))
        self.who_form = who
        self.kind = self.add(
            who,
            "recipient_kind",
            _("Nhận là"),
            ChoiceField(labels.choices(labels.RECIPIENT_KIND)),
            required=True,
        )
        self.add(who, "address_id", _("Địa chỉ nhân đạo"), address_picker(self.store))
        self.add(who, "person_id", _("Người nhận"), person_picker(self.store, "person_id"))
        self.add(who, "group_name", _("Tên nhóm"), TextField("group_name", max_length=200))
        self.add(who, "head_count", _("Số người của nhóm"), CountField("head_count"))
        what = self.section(_("Trợ giúp"))
        self.add(
            what,
            "given_on",
            _("Ngày trao"),
            DateField("given_on", required=True),
            required=True,
        )
        self.campaign = self.add(
            what,
            "campaign_id",
            _("Chương trình"),
            ChoiceField(campaign_choices(self.store), blank=_("— không —"), searchable=True),
            aliases=("campaign",),
        )
        self.area = self.add(
            what,
            "area_id",
            _("Lĩnh vực"),
            ChoiceField(area_choices(self.store), blank=_("— không —"), searchable=True),
            aliases=("area",),
        )
        self.add(what, "form", _("Hình thức"), aid_form_field(self.store))
        self.add(what, "description", _("Nội dung"), NotesField("description", lines=2))
        self.add(what, "quantity", _("Số lượng"), QuantityField())
        self.add(
            what,
            "unit",
            _("Đơn vị tính"),
            TextField("unit", max_length=50, placeholder=_("suất, phần quà, kg, ...")),
        )
        self.add(what, "cash_value", _("Tiền mặt"), MoneyField("cash_value"))
        self.add(what, "goods_value", _("Giá trị hiện vật"), MoneyField("goods_value"))
        self.add(
            what,
            "funding_source",
            _("Nguồn kinh phí"),
            ChoiceField(labels.choices(labels.FUNDING_SOURCE)),
        )
        self.sponsor = self.add(
            what,
            "sponsor_id",
            _("Nhà tài trợ"),
            ChoiceField(sponsor_choices(self.store), blank=_("— không —"), searchable=True),
            aliases=("sponsor",),
        )
        self.add(what, "persons_reached", _("Số lượt người"), CountField("persons_reached"))
        self.add(what, "households_reached", _("Số hộ"), CountField("households_reached"))
        self.add(what, "is_emergency", "", FlagField(_("Cứu trợ khẩn cấp")))
        self.add(what, "notes", _("Ghi chú"), NotesField("notes", lines=2))
        self.kind.changed.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.kind.raw() or "address"
        shown = {
            "address": {"address_id"},
            "person": {"person_id"},
            "group": {"group_name", "head_count"},
        }[kind]
        for key in ("address_id", "person_id", "group_name", "head_count"):
            self.who_form.setRowVisible(self.fields[key], key in shown)
        self.first_key = RECIPIENT_FIELDS[kind]

    def field_for(self, issue_field: str) -> Field | None:
        if issue_field == "recipient":
            return self.fields[RECIPIENT_FIELDS[self.kind.raw() or "address"]]
        return super().field_for(issue_field)

    def set_defaults(self) -> None:
        self.kind.set_raw("address")
        set_aid_form(self.fields["form"], self.store, None, default="goods")
        self.fields["funding_source"].set_raw("own")

    def raw_values(self) -> dict[str, Any]:
        raw = super().raw_values()
        kind = raw.get("recipient_kind")
        if kind != "address":
            raw["address_id"] = None
        if kind != "person":
            raw["person_id"] = None
        if kind != "group":
            raw["group_name"] = None
            raw["head_count"] = None
        return raw

    def extra_issues(self, raw: dict[str, Any]) -> list[Issue]:
        kind = raw.get("recipient_kind")
        return [
            issue
            for issue in super().extra_issues(raw)
            if issue.field not in ("address_id", "person_id")
            or RECIPIENT_FIELDS[kind] == issue.field
        ]

    def load(self, record_id: int) -> None:
        aid = self.store.aid.get(record_id)
        self.campaign.set_items(
            ensure_with(
                campaign_choices(self.store),
                self.store.campaigns,
                aid.campaign_id,
                lambda c: c.name,
            )
        )
        for key in (
            "recipient_kind",
            "address_id",
            "person_id",
            "group_name",
            "head_count",
            "given_on",
            "campaign_id",
            "area_id",
            "description",
            "quantity",
            "unit",
            "cash_value",
            "goods_value",
            "funding_source",
            "sponsor_id",
            "persons_reached",
            "households_reached",
            "is_emergency",
            "notes",
        ):
            self.fields[key].set_raw(getattr(aid, key))
        set_aid_form(self.fields["form"], self.store, aid.form, default="goods")
        self._kind_changed()

    def preset(self, values: dict[str, Any]) -> None:
        """Fill fields of a new record before it is shown (aid for one household); the
        cursor then starts at the date."""
        self._loading = True
        try:
            for key, value in values.items():
                self.fields[key].set_raw(value)
        finally:
            self._loading = False
        self._kind_changed()
        if values.get("address_id") or values.get("person_id"):
            self.first_key = "given_on"

    def start_new(self, saved=None) -> None:
        super().start_new(saved)
        self._kind_changed()
        self.focus_first()

    def write(self, raw: dict[str, Any]):
        return save_aid(self.store, raw, aid_id=self.record_id, today=widgets.today())

    def describe(self, saved) -> str:
        return _("lượt trợ giúp ngày {date}").format(
            date=widgets._format_day(saved.record.given_on)
        )
