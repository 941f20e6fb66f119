"""Forms for the activities that are counted, not recorded per person: blood donation
drives, first-aid classes, health care activities and disaster drills.

No save use case exists for these, so the form checks the values with the field
validators and writes with the repository in one operation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from chapter_app.domain.validation import (
    N_,
    Issue,
    ValidationFailed,
    check_count,
    check_money,
    check_text,
    errors,
    parse_date,
    warnings,
)
from chapter_app.i18n import _
from chapter_app.services.records import Saved
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

MSG_HELD_FUTURE = N_("Ngày {date} chưa tới; chỉ ghi hoạt động đã diễn ra.")
MSG_UNITS_MIX = N_("Tổng số đơn vị máu ({units}) khác tổng các loại 250, 350 và 450 ml ({mix}).")
MSG_DONORS_OVER_REGISTERED = N_(
    "Số người hiến ({donors}) nhiều hơn số người đăng ký ({registered})."
)
MSG_UNITS_NOT_DONORS = N_(
    "Mỗi lần hiến là một đơn vị: số đơn vị ({units}) khác số người hiến ({donors})."
)
MSG_NO_TRAINEES = N_("Lớp chưa có học viên nào.")

NOTES_MAX = 2000


def _held_on(raw: dict[str, Any], issues: list[Issue]) -> date | None:
    held, found = parse_date(raw.get("held_on"), field="held_on", required=True, label=N_("ngày"))
    issues += found
    if held is not None and held > widgets.today():
        issues.append(Issue.error("held_on", MSG_HELD_FUTURE, date=widgets._format_day(held)))
        return None
    return held


def _counts(raw: dict[str, Any], keys: tuple[str, ...], issues: list[Issue]) -> dict[str, int]:
    values = {}
    for key in keys:
        value, found = check_count(raw.get(key), field=key)
        issues += found
        values[key] = value or 0
    return values


def _notes(raw: dict[str, Any], issues: list[Issue]) -> str | None:
    notes, found = check_text(raw.get("notes"), field="notes", max_length=NOTES_MAX, multiline=True)
    issues += found
    return notes


def clean_blood_drive(raw: dict[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
    issues: list[Issue] = []
    cleaned: dict[str, Any] = {"held_on": _held_on(raw, issues)}
    cleaned["partner"], found = check_text(raw.get("partner"), field="partner", max_length=200)
    issues += found
    counts = _counts(
        raw, ("registered", "donors", "units", "units_250", "units_350", "units_450"), issues
    )
    mix = counts["units_250"] + counts["units_350"] + counts["units_450"]
    if not str(raw.get("units") or "").strip() and mix:
        counts["units"] = mix  # only the mix was typed: the total is its sum
    elif mix and counts["units"] != mix:
        issues.append(Issue.error("units", MSG_UNITS_MIX, units=counts["units"], mix=mix))
    if counts["registered"] and counts["donors"] > counts["registered"]:
        issues.append(
            Issue.warning(
                "donors",
                MSG_DONORS_OVER_REGISTERED,
                donors=counts["donors"],
                registered=counts["registered"],
            )
        )
    if counts["donors"] and counts["units"] and counts["units"] != counts["donors"]:
        issues.append(
            Issue.warning(
                "units", MSG_UNITS_NOT_DONORS, units=counts["units"], donors=counts["donors"]
            )
        )
    cleaned.update(counts)
    cleaned["notes"] = _notes(raw, issues)
    return cleaned, issues


def clean_firstaid(raw: dict[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
    issues: list[Issue] = []
    cleaned: dict[str, Any] = {"held_on": _held_on(raw, issues)}
    cleaned["title"], found = check_text(raw.get("title"), field="title", max_length=200)
    issues += found
    cleaned.update(_counts(raw, ("trainees", "cases_handled"), issues))
    if not cleaned["trainees"] and not cleaned["cases_handled"] and not errors(issues):
        issues.append(Issue.warning("trainees", MSG_NO_TRAINEES))
    cleaned["notes"] = _notes(raw, issues)
    return cleaned, issues


def clean_health(raw: dict[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
    issues: list[Issue] = []
    cleaned: dict[str, Any] = {"held_on": _held_on(raw, issues)}
    cleaned["kind"] = raw.get("kind") or "checkup"
    cleaned.update(_counts(raw, ("person_times",), issues))
    value, found = check_money(raw.get("value"), field="value")
    issues += found
    cleaned["value"] = value or 0
    cleaned["notes"] = _notes(raw, issues)
    return cleaned, issues


def clean_drill(raw: dict[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
    issues: list[Issue] = []
    cleaned: dict[str, Any] = {"held_on": _held_on(raw, issues)}
    cleaned["kind"] = raw.get("kind") or "drill"
    cleaned.update(_counts(raw, ("sessions", "participants"), issues))
    cleaned["notes"] = _notes(raw, issues)
    return cleaned, issues


class ActivityDialog(RecordDialog):
    """An activity record written straight to its repository after a local check."""

    repo_name: ClassVar[str]
    clean: ClassVar[Callable[[dict[str, Any]], tuple[dict[str, Any], list[Issue]]]]
    keep_on_new = ("held_on",)
    first_key = "held_on"

    @property
    def repo(self):
        return getattr(self.store, self.repo_name)

    def write(self, raw: dict[str, Any]):
        cleaned, issues = type(self).clean(raw)
        if errors(issues):
            raise ValidationFailed(issues)
        if self.record_id is None:
            with self.store.operation(f"Thêm {self.noun}"):
                record = self.repo.add(**cleaned)
        else:
            with self.store.operation(f"Sửa {self.noun}"):
                record = self.repo.update(self.record_id, **cleaned)
        return Saved(record, tuple(warnings(issues)))

    def load(self, record_id: int) -> None:
        record = self.repo.get(record_id)
        for key, field in self.fields.items():
            field.set_raw(getattr(record, key))

    def describe(self, saved) -> str:
        return _("{noun} ngày {date}").format(
            noun=_(self.noun), date=widgets._format_day(saved.record.held_on)
        )


class BloodDriveDialog(ActivityDialog):
    noun = N_("đợt hiến máu")
    repo_name = "blood_drives"
    clean = staticmethod(clean_blood_drive)
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
    noun = N_("lớp sơ cấp cứu")
    repo_name = "firstaid"
    clean = staticmethod(clean_firstaid)

    def build(self) -> None:
        form = self.section(None)
        self.add(form, "held_on", _("Ngày học"), DateField("held_on", required=True), required=True)
        self.add(form, "title", _("Tên lớp, nội dung"), TextField("title", max_length=200))
        self.add(form, "trainees", _("Số học viên"), CountField("trainees"))
        self.add(form, "cases_handled", _("Số ca sơ cấp cứu đã xử lý"), CountField("cases_handled"))
        self.add(form, "notes", _("Ghi chú"), NotesField("notes", lines=2))


class HealthDialog(ActivityDialog):
    noun = N_("hoạt động chăm sóc sức khỏe")
    repo_name = "health"
    clean = staticmethod(clean_health)
    keep_on_new = ("held_on", "kind")

    def build(self) -> None:
        form = self.section(None)
        self.add(form, "held_on", _("Ngày"), DateField("held_on", required=True), required=True)
        self.add(form, "kind", _("Hình thức"), ChoiceField(labels.choices(labels.HEALTH_KIND)))
        self.add(form, "person_times", _("Số lượt người"), CountField("person_times"))
        self.add(form, "value", _("Trị giá"), MoneyField("value"))
        self.add(form, "notes", _("Ghi chú"), NotesField("notes", lines=2))


class DrillDialog(ActivityDialog):
    noun = N_("buổi diễn tập, tập huấn phòng chống thiên tai")
    repo_name = "drills"
    clean = staticmethod(clean_drill)
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
