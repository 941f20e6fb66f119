"""The humanitarian address form: the household, its categories and file, its status."""

from __future__ import annotations

from typing import Any

from chapter_app.domain.models import ADDRESS_TYPED_FIELDS
from chapter_app.i18n import N_, _
from chapter_app.services.records import save_address
from chapter_app.ui.forms import labels, widgets
from chapter_app.ui.forms.address_view import record_address_status
from chapter_app.ui.forms.base import RecordDialog
from chapter_app.ui.forms.common import (
    category_choices,
    ensure_with,
    person_picker,
    unit_choices,
)
from chapter_app.ui.forms.status import StatusSection
from chapter_app.ui.forms.widgets import (
    CheckListField,
    ChoiceField,
    DateField,
    NotesField,
    TextField,
)


class AddressDialog(RecordDialog):
    noun = N_("địa chỉ nhân đạo")
    keep_on_new = ("unit_id", "opened_on", "survey_date", "certified_on")
    first_key = "name"

    def build(self) -> None:
        household = self.section(_("Hộ gia đình"))
        self.add(
            household,
            "name",
            _("Tên hộ, địa chỉ"),
            TextField(
                "name", max_length=200, required=True, placeholder=_("ví dụ: Hộ bà Lê Thị Hoa")
            ),
            required=True,
        )
        self.head = self.add(
            household,
            "head_person_id",
            _("Chủ hộ"),
            person_picker(self.store, "head_person_id"),
        )
        self.head.picked.connect(self._head_picked)
        self.unit = self.add(
            household,
            "unit_id",
            _("Thôn, tổ dân phố"),
            ChoiceField(unit_choices(self.store), blank=_("— chưa chọn —"), searchable=True),
        )
        self.add(
            household,
            "street_address",
            _("Số nhà, đường"),
            TextField("street_address", max_length=300),
        )
        self.add(
            household,
            "category_ids",
            _("Diện đối tượng"),
            CheckListField(category_choices(self.store)),
        )
        self.add(household, "circumstances", _("Hoàn cảnh"), NotesField("circumstances"))
        self.add(household, "needs", _("Nhu cầu trợ giúp"), NotesField("needs", lines=2))
        record = self.section(_("Hồ sơ"))
        self.add(
            record,
            "opened_on",
            _("Ngày đưa vào theo dõi"),
            DateField("opened_on", required=True, not_after_today=True),
            required=True,
        )
        self.add(
            record,
            "survey_date",
            _("Ngày khảo sát"),
            DateField("survey_date", not_after_today=True),
        )
        self.add(
            record,
            "certified_on",
            _("Ngày bình xét, UBND xác nhận"),
            DateField("certified_on", not_after_today=True),
        )
        self.add(record, "file_no", _("Số hồ sơ"), TextField("file_no", max_length=50))
        self.add(record, "registry_id", _("Mã iNhandao"), TextField("registry_id", max_length=50))
        self.add(record, "notes", _("Ghi chú"), NotesField("notes", lines=2))
        if self.record_id is not None:
            self._build_status()

    def _head_picked(self, person_id: int | None) -> None:
        name = self.fields["name"]
        if person_id is not None and not name.raw().strip():
            person = self.store.people.get(person_id)
            name.set_raw(_("Hộ {name}").format(name=person.full_name))
            name.revalidate()

    # --- status ----------------------------------------------------------------------

    def _build_status(self) -> None:
        self.status = StatusSection(labels.choices(labels.ADDRESS_STATUS), labels.ADDRESS_STATUS)
        self.status.install(self, self.add_status)

    def _show_history(self) -> None:
        address = self.store.addresses.get(self.record_id)
        events = self.store.addresses.history_of(self.record_id)
        self.status.show_history(address.status, address.status_on, events)

    def add_status(self) -> bool:
        """Record the status change typed in the "Tình trạng" section (its own operation)."""
        if not record_address_status(self.store, self.record_id, self.status):
            return False
        self.saved_count += 1
        return True

    # --- loading and saving ------------------------------------------------------------

    def load(self, record_id: int) -> None:
        address = self.store.addresses.get(record_id)
        f = self.fields
        f["name"].set_raw(address.name)
        self.head.set_raw(address.head_person_id)
        self.unit.set_items(
            ensure_with(
                unit_choices(self.store), self.store.units, address.unit_id, lambda u: u.name
            )
        )
        self.unit.set_raw(address.unit_id)
        f["category_ids"].set_raw(self.store.addresses.categories_of(record_id))
        for key in ADDRESS_TYPED_FIELDS:
            if key not in ("name", "unit_id"):  # set above: the name before the head
                f[key].set_raw(getattr(address, key))
        self._show_history()

    def write(self, raw: dict[str, Any]):
        return save_address(self.store, raw, address_id=self.record_id, today=widgets.today())

    def describe(self, saved) -> str:
        return _("địa chỉ {name}").format(name=saved.record.name)
