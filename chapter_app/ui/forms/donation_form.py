"""Recording one donation of a person (outside the chapter's drives, or late), from the
person's page: date, whole blood volume or a component, place, certificate number."""

from __future__ import annotations

from typing import Any

from chapter_app.domain.validation import N_, Issue, ValidationFailed, parse_date
from chapter_app.i18n import _
from chapter_app.services.blood.records import BloodInputError, record_donation
from chapter_app.services.records import Saved
from chapter_app.ui.forms import widgets
from chapter_app.ui.forms.base import RecordDialog
from chapter_app.ui.forms.widgets import ChoiceField, DateField, TextField

COMPONENT = "component"
VOLUMES = [("250 ml", 250), ("350 ml", 350), ("450 ml", 450), (N_("Thành phần máu"), COMPONENT)]


class DonationDialog(RecordDialog):
    noun = N_("lần hiến máu")
    keep_on_new = ("donated_on", "place")
    offers_new = False
    first_key = "donated_on"

    def __init__(self, store, person_id: int, parent=None):
        self.person_id = person_id
        super().__init__(store, parent=parent)

    def build(self) -> None:
        form = self.section(None)
        person = self.store.people.get(self.person_id)
        self.add(form, "person", _("Người hiến"), TextField("person"))
        self.fields["person"].set_raw(person.full_name)
        self.fields["person"].setEnabled(False)
        self.add(
            form,
            "donated_on",
            _("Ngày hiến"),
            DateField("donated_on", required=True),
            required=True,
        )
        volumes = [(_(label), value) for label, value in VOLUMES]
        self.add(form, "volume_ml", _("Thể tích"), ChoiceField(volumes))
        self.add(
            form,
            "component",
            _("Thành phần (nếu có)"),
            TextField("component", placeholder=_("ví dụ: tiểu cầu")),
        )
        self.add(form, "place", _("Nơi hiến"), TextField("place"))
        self.add(form, "certificate_no", _("Số giấy chứng nhận"), TextField("certificate_no"))

    def set_defaults(self) -> None:
        self.fields["donated_on"].set_raw(widgets.today())
        self.fields["volume_ml"].set_raw(350)

    def load(self, record_id: int) -> None:  # a donation is added, not edited here
        raise NotImplementedError

    def write(self, raw: dict[str, Any]):
        day, issues = parse_date(raw.get("donated_on"), field="donated_on", required=True)
        if day is None:
            raise ValidationFailed(issues or [Issue.error("donated_on", N_("Chưa có ngày hiến."))])
        volume = raw.get("volume_ml")
        component = volume == COMPONENT
        try:
            donation = record_donation(
                self.store,
                person_id=self.person_id,
                donated_on=day,
                kind="component" if component else "whole",
                volume_ml=None if component else volume,
                component=(raw.get("component") or _("thành phần máu")) if component else None,
                place=raw.get("place") or None,
                certificate_no=raw.get("certificate_no") or None,
                today=widgets.today(),
            )
        except BloodInputError as exc:
            raise ValidationFailed([Issue.error(exc.field or "donated_on", exc.message)]) from exc
        return Saved(donation)

    def describe(self, saved) -> str:
        return _("lần hiến ngày {date}").format(date=widgets._format_day(saved.record.donated_on))
