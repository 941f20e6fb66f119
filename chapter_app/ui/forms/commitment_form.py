"""The commitment form: a sponsor takes on an address (form, amount, how often, how long)."""

from __future__ import annotations

from typing import Any

from chapter_app.i18n import N_, _
from chapter_app.services.records import save_commitment
from chapter_app.ui.forms import labels, widgets
from chapter_app.ui.forms.base import RecordDialog
from chapter_app.ui.forms.common import address_picker, sponsor_picker
from chapter_app.ui.forms.widgets import (
    ChoiceField,
    DateField,
    MoneyField,
    NotesField,
    TextField,
)


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
        self.add(form, "form", _("Hình thức"), ChoiceField(labels.choices(labels.AID_FORM)))
        self.add(
            form,
            "frequency",
            _("Định kỳ"),
            TextField("frequency", max_length=50, placeholder=_("hằng tháng, hằng quý, ...")),
        )
        self.add(form, "amount", _("Số tiền mỗi lần"), MoneyField("amount"))
        self.add(form, "description", _("Nội dung"), NotesField("description", lines=2))
        self.add(form, "notes", _("Ghi chú"), NotesField("notes", lines=2))

    def set_defaults(self) -> None:
        self.fields["form"].set_raw("cash")

    def load(self, record_id: int) -> None:
        commitment = self.store.commitments.get(record_id)
        for key in (
            "sponsor_id",
            "address_id",
            "start_on",
            "end_on",
            "form",
            "frequency",
            "amount",
            "description",
            "notes",
        ):
            self.fields[key].set_raw(getattr(commitment, key))

    def write(self, raw: dict[str, Any]):
        return save_commitment(self.store, raw, commitment_id=self.record_id, today=widgets.today())

    def describe(self, saved) -> str:
        address = self.store.addresses.find(saved.record.address_id)
        return _("cam kết cho {name}").format(name=address.name if address else "")
