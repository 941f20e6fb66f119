"""The record dialogs and views (GitHub issue 3): one dialog per record type, the person
and address views, the distribution and dues screens.

``open_form(kind, store, record_id=..., parent=...)`` opens a modal dialog and returns
True when something was saved; ``FORM_CLASSES`` maps each kind to its dialog class (all
take ``(store, *, record_id=None, parent=None)``).
"""

from __future__ import annotations

from chapter_app.ui.forms.activity_forms import (
    BloodDriveDialog,
    DrillDialog,
    FirstAidDialog,
    HealthDialog,
)
from chapter_app.ui.forms.address_form import AddressDialog
from chapter_app.ui.forms.address_view import AddressView
from chapter_app.ui.forms.aid_form import AidDialog
from chapter_app.ui.forms.commitment_form import CommitmentDialog
from chapter_app.ui.forms.distribution import DistributionDialog
from chapter_app.ui.forms.dues import DuesDialog
from chapter_app.ui.forms.member_form import MemberDialog
from chapter_app.ui.forms.sponsor_form import SponsorDialog
from chapter_app.ui.forms.sponsor_view import SponsorView
from chapter_app.ui.forms.views import PersonView
from chapter_app.ui.forms.volunteer_form import VolunteerDialog

FORM_CLASSES: dict[str, type] = {
    "member": MemberDialog,
    "volunteer": VolunteerDialog,
    "address": AddressDialog,
    "sponsor": SponsorDialog,
    "commitment": CommitmentDialog,
    "aid": AidDialog,
    "blood_drive": BloodDriveDialog,
    "firstaid": FirstAidDialog,
    "health": HealthDialog,
    "drill": DrillDialog,
}


def open_form(
    kind: str,
    store,
    *,
    record_id: int | None = None,
    parent=None,
    values: dict | None = None,
) -> bool:
    """Open the dialog for ``kind`` (new record, or ``record_id``); True if anything was
    saved (with "Lưu và thêm mới", True when at least one record was saved). ``values``
    fill fields of a new record first (the household a commitment or aid is for)."""
    try:
        cls = FORM_CLASSES[kind]
    except KeyError:
        raise ValueError(f"unknown form {kind!r}; use one of {sorted(FORM_CLASSES)}") from None
    dialog = cls(store, record_id=record_id, parent=parent)
    if values:
        dialog.preset(values)
    try:
        dialog.exec()
        return dialog.saved_count > 0
    finally:
        dialog.deleteLater()


def open_person_view(store, person_id: int, parent=None) -> None:
    """Show every role of one person, the aid they received and any role conflicts."""
    view = PersonView(store, person_id, parent=parent)
    view.exec()
    view.deleteLater()


def open_address_view(store, address_id: int, parent=None) -> None:
    """Show one household's file (household, sponsors, aid, history) with its actions."""
    view = AddressView(store, address_id, parent=parent)
    view.exec()
    view.deleteLater()


def open_sponsor_view(store, sponsor_id: int, parent=None) -> None:
    """Show one sponsor: contacts, the households they take on (with actions), their aid."""
    view = SponsorView(store, sponsor_id, parent=parent)
    view.exec()
    view.deleteLater()


def open_distribution(store, parent=None) -> bool:
    """Enter a handout once for many recipients; True when it was saved."""
    dialog = DistributionDialog(store, parent=parent)
    dialog.exec()
    saved = dialog.saved_count > 0
    dialog.deleteLater()
    return saved


def open_dues(store, parent=None) -> bool:
    """Record dues payments for a branch; True when any payment was saved."""
    dialog = DuesDialog(store, parent=parent)
    dialog.exec()
    saved = dialog.saved_count > 0
    dialog.deleteLater()
    return saved


__all__ = [
    "FORM_CLASSES",
    "AddressView",
    "DistributionDialog",
    "DuesDialog",
    "PersonView",
    "SponsorView",
    "open_address_view",
    "open_distribution",
    "open_dues",
    "open_form",
    "open_person_view",
    "open_sponsor_view",
]
