"""The volunteer form: the person and their volunteering (skills, team, hours)."""

from __future__ import annotations

from typing import Any

from chapter_app.i18n import N_, _
from chapter_app.services.records import save_volunteer
from chapter_app.ui.forms import widgets
from chapter_app.ui.forms.base import RecordDialog
from chapter_app.ui.forms.common import (
    PersonFields,
    branch_choices,
    ensure_with,
    inline_add_branch,
)
from chapter_app.ui.forms.widgets import ChoiceField, CountField, DateField, FlagField, TextField


class VolunteerDialog(RecordDialog):
    noun = N_("tình nguyện viên")
    keep_on_new = ("branch", "unit_id", "registered_on", "team")
    first_key = "full_name"

    def build(self) -> None:
        person = self.section(_("Thông tin cá nhân"))
        self.person = PersonFields(self, person, with_existing=self.record_id is None)
        role = self.section(_("Tình nguyện viên"))
        self.branch = self.add(
            role,
            "branch",
            _("Chi hội"),
            ChoiceField(
                branch_choices(self.store), blank=_("— không thuộc chi hội —"), searchable=True
            ),
            aliases=("branch_id",),
        )
        self.add_branch = inline_add_branch(self, role, self.branch)
        self.add(
            role,
            "registered_on",
            _("Ngày đăng ký"),
            DateField("registered_on", required=True, not_after_today=True),
            required=True,
        )
        self.add(role, "left_on", _("Ngày thôi tham gia"), DateField("left_on"))
        self.add(role, "is_core", "", FlagField(_("Tình nguyện viên nòng cốt")))
        self.add(
            role,
            "skills",
            _("Kỹ năng"),
            TextField(
                "skills", max_length=500, placeholder=_("sơ cấp cứu, ứng phó thiên tai, ...")
            ),
        )
        self.add(
            role,
            "team",
            _("Đội, câu lạc bộ"),
            TextField("team", max_length=200, placeholder=_("đội xung kích, đội sơ cấp cứu, ...")),
        )
        self.add(role, "hours", _("Số giờ hoạt động"), CountField("hours", maximum=100_000))

    def load(self, record_id: int) -> None:
        volunteer = self.store.volunteers.get(record_id)
        self.person.fill(self.store.people.get(volunteer.person_id))
        self.branch.set_items(
            ensure_with(
                branch_choices(self.store),
                self.store.branches,
                volunteer.branch_id,
                lambda b: b.name,
            )
        )
        self.branch.set_raw(volunteer.branch_id)
        self.fields["registered_on"].set_raw(volunteer.registered_on)
        self.fields["left_on"].set_raw(volunteer.left_on)
        self.fields["is_core"].set_raw(volunteer.is_core)
        self.fields["skills"].set_raw(volunteer.skills)
        self.fields["team"].set_raw(volunteer.team)
        self.fields["hours"].set_raw(volunteer.hours or "")

    def raw_values(self) -> dict[str, Any]:
        return self.person.raw(super().raw_values())

    def write(self, raw: dict[str, Any]):
        return save_volunteer(self.store, raw, volunteer_id=self.record_id, today=widgets.today())

    def reset_extra(self) -> None:
        self.person.reset()

    def describe(self, saved) -> str:
        person = self.store.people.get(saved.record.person_id)
        return _("tình nguyện viên {name}").format(name=person.full_name)
