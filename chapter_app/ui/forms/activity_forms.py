"""Forms for the activities that are counted, not recorded per person: blood donation
drives, first-aid classes, health care activities and disaster drills.

The values are checked and written by ``services.activities.save_activity``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from chapter_app.i18n import _
from chapter_app.services.activities import ACTIVITY_KINDS, ActivityKind, save_activity
from chapter_app.ui.forms import labels, widgets
from chapter_app.ui.forms.base import RecordDialog
from chapter_app.ui.forms.drive_donors import (
    load_drive_donors,
    named_donors_section,
    write_drive_with_donors,
)
from chapter_app.ui.forms.widgets import (
    ChoiceField,
    CountField,
    DateField,
    MoneyField,
    NotesField,
    TextField,
)


class ActivityDialog(RecordDialog):
    """An activity record written straight to its repository after a local check."""

    activity: ClassVar[ActivityKind]
    keep_on_new = ("held_on",)
    first_key = "held_on"

    @property
    def repo(self):
        return getattr(self.store, self.activity.repo_name)

    def write(self, raw: dict[str, Any]):
        return save_activity(
            self.store, self.activity, raw, today=widgets.today(), record_id=self.record_id
        )

    def load(self, record_id: int) -> None:
        record = self.repo.get(record_id)
        for key, field in self.fields.items():
            field.set_raw(getattr(record, key))

    def describe(self, saved) -> str:
        return _("{noun} ngày {date}").format(
            noun=_(self.noun), date=widgets._format_day(saved.record.held_on)
        )


class BloodDriveDialog(ActivityDialog):
    activity = ACTIVITY_KINDS["blood-drive"]
    noun = activity.noun
    keep_on_new = ("held_on", "partner")

    def build(self) -> None:
        from PySide6.QtWidgets import QHBoxLayout

        columns = QHBoxLayout()
        self.body_layout.addLayout(columns, 1)
        form = self.section(_("Đợt hiến máu"), into=columns)
        self.add(
            form, "held_on", _("Ngày tổ chức"), DateField("held_on", required=True), required=True
        )
        self.add(
            form,
            "partner",
            _("Đơn vị tiếp nhận máu"),
            TextField("partner", max_length=200, placeholder=_("ví dụ: Viện Huyết học")),
        )
        self.add(form, "registered", _("Số người đăng ký"), CountField("registered"))
        self.add(form, "donors", _("Số người hiến"), CountField("donors"))
        self.add(form, "units_250", _("Đơn vị máu loại 250 ml"), CountField("units_250"))
        self.add(form, "units_350", _("Đơn vị máu loại 350 ml"), CountField("units_350"))
        self.add(form, "units_450", _("Đơn vị máu loại 450 ml"), CountField("units_450"))
        self.add(form, "units", _("Tổng số đơn vị máu"), CountField("units"))
        self.add(form, "notes", _("Ghi chú"), NotesField("notes", lines=2))
        named_donors_section(self, columns)

    def write(self, raw: dict[str, Any]):
        return write_drive_with_donors(self, raw, super().write)

    def load(self, record_id: int) -> None:
        record = self.repo.get(record_id)
        for key, field in self.fields.items():
            if key != "named_donors":
                field.set_raw(getattr(record, key))
        load_drive_donors(self, record_id)


class FirstAidDialog(ActivityDialog):
    activity = ACTIVITY_KINDS["first-aid"]
    noun = activity.noun

    def build(self) -> None:
        form = self.section(None)
        self.add(form, "held_on", _("Ngày học"), DateField("held_on", required=True), required=True)
        self.add(form, "title", _("Tên lớp, nội dung"), TextField("title", max_length=200))
        self.add(form, "trainees", _("Số học viên"), CountField("trainees"))
        self.add(form, "cases_handled", _("Số ca sơ cấp cứu đã xử lý"), CountField("cases_handled"))
        self.add(form, "notes", _("Ghi chú"), NotesField("notes", lines=2))


class HealthDialog(ActivityDialog):
    activity = ACTIVITY_KINDS["health"]
    noun = activity.noun
    keep_on_new = ("held_on", "kind")

    def build(self) -> None:
        form = self.section(None)
        self.add(form, "held_on", _("Ngày"), DateField("held_on", required=True), required=True)
        self.add(form, "kind", _("Hình thức"), ChoiceField(labels.choices(labels.HEALTH_KIND)))
        self.add(form, "person_times", _("Số lượt người"), CountField("person_times"))
        self.add(form, "value", _("Trị giá"), MoneyField("value"))
        self.add(form, "notes", _("Ghi chú"), NotesField("notes", lines=2))


class DrillDialog(ActivityDialog):
    activity = ACTIVITY_KINDS["drill"]
    noun = activity.noun
    keep_on_new = ("held_on", "kind")

    def build(self) -> None:
        form = self.section(None)
        self.add(form, "held_on", _("Ngày"), DateField("held_on", required=True), required=True)
        self.add(form, "kind", _("Loại"), ChoiceField(labels.choices(labels.DRILL_KIND)))
        self.add(form, "sessions", _("Số buổi"), CountField("sessions"))
        self.add(form, "participants", _("Số người tham gia"), CountField("participants"))
        self.add(form, "notes", _("Ghi chú"), NotesField("notes", lines=2))

    def set_defaults(self) -> None:
        self.fields["sessions"].set_raw(1)
