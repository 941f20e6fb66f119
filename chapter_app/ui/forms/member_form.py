"""The member form: the person, the membership, and (for a member on file) status events."""

from __future__ import annotations

from typing import Any

from chapter_app.domain.models import MemberStatus
from chapter_app.domain.validation import check_text
from chapter_app.i18n import N_, _
from chapter_app.services.records import save_member
from chapter_app.ui.forms import labels, widgets
from chapter_app.ui.forms.base import RecordDialog
from chapter_app.ui.forms.common import (
    PersonFields,
    branch_choices,
    ensure_with,
    inline_add_branch,
)
from chapter_app.ui.forms.status import StatusSection
from chapter_app.ui.forms.widgets import ChoiceField, DateField, NotesField, TextField

MSG_STATUS_SAME = N_("Hội viên đang ở tình trạng “{status}” rồi.")


class MemberDialog(RecordDialog):
    noun = N_("hội viên")
    keep_on_new = ("branch", "unit_id", "admitted_on")
    first_key = "full_name"

    def build(self) -> None:
        person = self.section(_("Thông tin cá nhân"))
        self.person = PersonFields(self, person, with_existing=self.record_id is None)
        membership = self.section(_("Hội viên"))
        self.branch = self.add(
            membership,
            "branch",
            _("Chi hội"),
            ChoiceField(branch_choices(self.store), blank=_("— chọn chi hội —"), searchable=True),
            required=True,
            aliases=("branch_id",),
        )
        self.add_branch = inline_add_branch(self, membership, self.branch)
        self.add(
            membership,
            "admitted_on",
            _("Ngày kết nạp"),
            DateField("admitted_on", required=True, not_after_today=True),
            required=True,
        )
        self.add(
            membership, "decision_no", _("Số quyết định"), TextField("decision_no", max_length=50)
        )
        self.add(membership, "card_no", _("Số thẻ hội viên"), TextField("card_no", max_length=50))
        self.add(membership, "notes", _("Ghi chú"), NotesField("notes", lines=2))
        if self.record_id is not None:
            self._build_status()

    # --- status history (members on file) ------------------------------------------

    def _build_status(self) -> None:
        ending = [s for s in MemberStatus if s != MemberStatus.ADMITTED]
        self.new_decision = TextField("status_decision_no", max_length=50)
        self.status = StatusSection(
            [(labels.label(labels.MEMBER_STATUS, s), s.value) for s in ending],
            labels.MEMBER_STATUS,
            extra=[(_("Số quyết định"), _("Số quyết định"), self.new_decision)],
            extra_of=lambda event: (event.decision_no or "",),
            history_height=130,
        )
        self.status.install(self, self.add_status)

    def _show_history(self) -> None:
        member = self.store.members.get(self.record_id)
        events = self.store.members.history_of(self.record_id)
        self.status.show_history(member.status, member.status_on, events)

    def add_status(self) -> bool:
        """Record the status event typed in the "Tình trạng" section (its own operation)."""
        member = self.store.members.get(self.record_id)
        checked = self.status.checked(
            started_on=member.admitted_on,
            start_label=N_("ngày kết nạp"),
            current_status=member.status,
            same_status_message=MSG_STATUS_SAME,
        )
        if checked is None:
            return False
        status, on_date, reason = checked
        decision, _found = check_text(self.new_decision.raw(), field="decision", max_length=50)
        self.store.members.change_status(
            self.record_id, status, on_date, reason=reason, decision_no=decision
        )
        self.saved_count += 1
        self.status.reset()
        self._show_history()
        return True

    # --- loading and saving ------------------------------------------------------------

    def load(self, record_id: int) -> None:
        member = self.store.members.get(record_id)
        person = self.store.people.get(member.person_id)
        self.person.fill(person)
        self.branch.set_items(
            ensure_with(
                branch_choices(self.store), self.store.branches, member.branch_id, lambda b: b.name
            )
        )
        self.branch.set_raw(member.branch_id)
        self.fields["admitted_on"].set_raw(member.admitted_on)
        self.fields["decision_no"].set_raw(member.decision_no)
        self.fields["card_no"].set_raw(member.card_no)
        self.fields["notes"].set_raw(person.notes)
        self._show_history()

    def raw_values(self) -> dict[str, Any]:
        return self.person.raw(super().raw_values())

    def write(self, raw: dict[str, Any]):
        return save_member(self.store, raw, member_id=self.record_id, today=widgets.today())

    def reset_extra(self) -> None:
        self.person.reset()

    def describe(self, saved) -> str:
        person = self.store.people.get(saved.record.person_id)
        return _("hội viên {name}").format(name=person.full_name)
