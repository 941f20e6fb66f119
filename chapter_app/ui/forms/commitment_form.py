"""The commitment form: a sponsor takes on an address (form, amount, how often, how long).

A sponsor not yet in the register is added from here ("Nhà tài trợ mới…") without leaving
the form; how often is chosen from the usual periods or typed ("hằng tháng" by default).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPushButton

from chapter_app.i18n import N_, _
from chapter_app.services.records import save_commitment
from chapter_app.ui.forms import widgets
from chapter_app.ui.forms.base import RecordDialog
from chapter_app.ui.forms.common import (
    address_picker,
    aid_form_field,
    set_aid_form,
    sponsor_picker,
)
from chapter_app.ui.forms.widgets import (
    ChoiceField,
    DateField,
    MoneyField,
    NotesField,
)

# Stored as typed (Vietnamese); shown translated.
FREQUENCIES = (N_("hằng tháng"), N_("hằng quý"), N_("hằng năm"), N_("một lần"))


class FrequencyField(ChoiceField):
    """How often: one of the usual periods (tones optional) or any text typed."""

    def __init__(self):
        super().__init__([(_(text), text) for text in FREQUENCIES], searchable=True)

    def check(self) -> list:
        return []


class CommitmentDialog(RecordDialog):
    noun = N_("cam kết tài trợ")
    keep_on_new = ("sponsor_id", "start_on", "end_on", "form", "frequency", "amount")
    first_key = "sponsor_id"

    def build(self) -> None:
        form = self.section(None)
        self.sponsor = self.add(
            form,
            "sponsor_id",
            _("Nhà tài trợ"),
            sponsor_picker(self.store),
            required=True,
            aliases=("sponsor",),
        )
        self.new_sponsor_button = QPushButton(_("Nhà tài trợ mới…"))
        self.new_sponsor_button.setObjectName("new_sponsor")
        self.new_sponsor_button.setAutoDefault(False)
        self.new_sponsor_button.setToolTip(_("Thêm một nhà tài trợ chưa có trong sổ"))
        self.new_sponsor_button.clicked.connect(self.add_sponsor)
        form.addRow("", self.new_sponsor_button)
        self.address = self.add(
            form,
            "address_id",
            _("Địa chỉ nhân đạo"),
            address_picker(self.store),
            required=True,
            aliases=("address",),
        )
        self.add(
            form,
            "start_on",
            _("Từ ngày"),
            DateField("start_on", required=True),
            required=True,
        )
        self.add(form, "end_on", _("Đến ngày"), DateField("end_on"))
        self.add(form, "form", _("Hình thức"), aid_form_field(self.store))
        self.add(
            form,
            "frequency",
            _("Định kỳ"),
            FrequencyField(),
        )
        self.add(form, "amount", _("Số tiền mỗi lần"), MoneyField("amount"))
        self.add(form, "description", _("Nội dung"), NotesField("description", lines=2))
        self.add(form, "notes", _("Ghi chú"), NotesField("notes", lines=2))

    def set_defaults(self) -> None:
        set_aid_form(self.fields["form"], self.store, None, default="cash")
        self.fields["frequency"].set_raw(FREQUENCIES[0])
        self.fields["start_on"].set_raw(widgets.today())

    def preset(self, values: dict[str, Any]) -> None:
        """Fill fields of a new commitment before it is shown (the household or sponsor
        whose file it was opened from); the cursor starts at the other one."""
        self._loading = True
        try:
            for key in ("sponsor_id", "address_id"):  # not the last entry's: this file's
                self.fields[key].set_raw(values.get(key))
            for key, value in values.items():
                self.fields[key].set_raw(value)
        finally:
            self._loading = False
        if values.get("sponsor_id") and not values.get("address_id"):
            self.first_key = "address_id"

    def add_sponsor(self) -> bool:
        """Open the sponsor form; the sponsor saved there becomes this commitment's."""
        from chapter_app.ui.forms.sponsor_form import SponsorDialog

        dialog = SponsorDialog(self.store, parent=self)
        try:
            dialog.exec()
            saved = dialog.last_saved
        finally:
            dialog.deleteLater()
        if saved is None:
            return False
        self.sponsor.set_raw(saved.record.id)
        self.sponsor.revalidate()
        self._dirty = True
        self.fields["start_on"].editor.setFocus()
        return True

    def load(self, record_id: int) -> None:
        commitment = self.store.commitments.get(record_id)
        for key in (
            "sponsor_id",
            "address_id",
            "start_on",
            "end_on",
            "frequency",
            "amount",
            "description",
            "notes",
        ):
            self.fields[key].set_raw(getattr(commitment, key))
        set_aid_form(self.fields["form"], self.store, commitment.form, default="cash")

    def write(self, raw: dict[str, Any]):
        return save_commitment(self.store, raw, commitment_id=self.record_id, today=widgets.today())

    def describe(self, saved) -> str:
        address = self.store.addresses.find(saved.record.address_id)
        return _("cam kết cho {name}").format(name=address.name if address else "")
