"""The sponsor form: an organisation or a person who supports addresses."""

from __future__ import annotations

from typing import Any

from chapter_app.i18n import N_, _
from chapter_app.services.records import save_sponsor
from chapter_app.ui.forms import labels
from chapter_app.ui.forms.base import RecordDialog
from chapter_app.ui.forms.common import person_picker
from chapter_app.ui.forms.widgets import (
    ChoiceField,
    NotesField,
    PhoneField,
    TextField,
)


class SponsorDialog(RecordDialog):
    noun = N_("nhà tài trợ")
    first_key = "name"

    def build(self) -> None:
        form = self.section(None)
        self.add(
            form,
            "name",
            _("Tên nhà tài trợ"),
            TextField("name", max_length=200, required=True),
            required=True,
        )
        self.kind = self.add(
            form, "kind", _("Loại"), ChoiceField(labels.choices(labels.SPONSOR_KIND))
        )
        self.person = self.add(
            form,
            "person_id",
            _("Là người trong sổ"),
            person_picker(
                self.store,
                "person_id",
                placeholder=_("nếu là cá nhân đã có trong sổ: gõ tên để tìm"),
            ),
        )
        self.add(
            form, "contact_name", _("Người liên hệ"), TextField("contact_name", max_length=100)
        )
        self.add(form, "phone", _("Điện thoại"), PhoneField())
        self.add(form, "email", _("Thư điện tử"), TextField("email", max_length=200))
        self.add(form, "address", _("Địa chỉ"), TextField("address", max_length=300))
        self.add(form, "notes", _("Ghi chú"), NotesField("notes", lines=2))
        self.kind.changed.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        self.person.setEnabled(self.kind.raw() == "person")

    def load(self, record_id: int) -> None:
        sponsor = self.store.sponsors.get(record_id)
        for key in (
            "name",
            "kind",
            "person_id",
            "contact_name",
            "phone",
            "email",
            "address",
            "notes",
        ):
            self.fields[key].set_raw(getattr(sponsor, key))
        self._kind_changed()

    def raw_values(self) -> dict[str, Any]:
        raw = super().raw_values()
        if raw.get("kind") != "person":
            raw["person_id"] = None
        return raw

    def write(self, raw: dict[str, Any]):
        return save_sponsor(self.store, raw, sponsor_id=self.record_id)

    def describe(self, saved) -> str:
        return _("nhà tài trợ {name}").format(name=saved.record.name)
