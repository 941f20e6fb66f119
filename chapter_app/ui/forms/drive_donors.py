"""Picking the named donors of a blood drive, the way a distribution picks households:
a searchable checklist of people (ticks kept across searches), optionally narrowed to
those who may give on the drive's day, and the volume given."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
)

from chapter_app.domain.blood import WHOLE_BLOOD_VOLUMES
from chapter_app.i18n import _, format_number
from chapter_app.services.blood.eligibility import donors_due
from chapter_app.store.repository import Query
from chapter_app.ui.forms.check_picker import PEOPLE_SHOWN, CheckPicker
from chapter_app.ui.forms.common import person_label


class DonorPickField(CheckPicker):
    """Who donated at the drive: ``raw()`` is ``{"people": [ids], "volume_ml": int}``."""

    def __init__(self, store, day_of):
        self.store = store
        self.day_of = day_of  # () -> the drive's day (date) or None
        layout = self.start(search_name="donorSearch")
        filters = QHBoxLayout()
        self.due_only = QCheckBox(_("Chỉ người có thể hiến ngày này"))
        self.due_only.setObjectName("donorDueOnly")
        filters.addWidget(self.search, 1)
        filters.addWidget(self.due_only)
        layout.addLayout(filters)
        layout.addWidget(self.list_view(name="donorList", min_height=220, min_width=360), 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Thể tích (người mới chọn)")))
        self.volume = QComboBox()
        self.volume.setObjectName("donorVolume")
        for ml in WHOLE_BLOOD_VOLUMES:
            self.volume.addItem(f"{ml} ml", ml)
        self.volume.setCurrentIndex(1)
        row.addWidget(self.volume)
        self.unselect_all = QPushButton(_("Bỏ chọn hết"))
        self.unselect_all.setAutoDefault(False)
        row.addWidget(self.unselect_all)
        row.addStretch(1)
        layout.addLayout(row)
        self.finish(layout)
        self.due_only.toggled.connect(lambda _on: self.refresh())
        self.volume.currentIndexChanged.connect(lambda _i: self._edited())
        self.unselect_all.clicked.connect(self.model.clear_all)
        self.refresh()

    def refresh(self) -> None:
        """Show the people matching the search (and, when ticked, who may give that day)."""
        self._timer.stop()
        text = self.search.text().strip() or None
        day: date | None = self.day_of()
        if self.due_only.isChecked() and day is not None:
            due = {d.person_id for d in donors_due(self.store, day)}
            query = Query(search=text, filters={"id": sorted(due)}, limit=PEOPLE_SHOWN)
        else:
            query = Query(search=text, limit=PEOPLE_SHOWN)
        people = self.store.people.list(query)
        self.model.set_rows([(("person", p.id), person_label(p)) for p in people])
        self._update_line()

    def _update_line(self) -> None:
        self.shown_line.setText(
            _("Đang hiện {shown} người; đã chọn {chosen} người hiến máu.").format(
                shown=format_number(len(self.model.rows)),
                chosen=format_number(len(self.model.checked)),
            )
        )

    def raw(self) -> dict[str, Any]:
        if not hasattr(self, "model"):
            return {"people": [], "volume_ml": 350}
        return {
            "people": sorted(pid for _kind, pid in self.model.checked),
            "volume_ml": self.volume.currentData(),
        }

    def set_raw(self, value: Any) -> None:
        self.model.checked.clear()
        value = value or {}
        for pid in value.get("people", []):
            self.model.checked[("person", pid)] = str(pid)
        index = self.volume.findData(value.get("volume_ml") or 350)
        self.volume.setCurrentIndex(max(index, 0))
        self.refresh()

    def clear(self) -> None:
        self.model.checked.clear()
        self.refresh()

    def tick(self, person_ids: list[int]) -> None:
        """Tick these people among those shown (as a click on each would)."""
        self.tick_where(lambda key: key[1] in person_ids)


def named_donors_section(dialog, columns) -> DonorPickField:
    """Add the "Người hiến máu" column to the drive dialog."""
    from PySide6.QtCore import Qt

    who = dialog.section(_("Người hiến máu (nếu ghi tên)"), into=columns, stretch=1)
    field = DonorPickField(dialog.store, lambda: _day(dialog))
    who.addRow(field)
    dialog.register("named_donors", field)
    note = QLabel(
        _(
            "Khi có tên người hiến, số người hiến, số đơn vị và các loại 250/350/450 ml của "
            "đợt được tính từ danh sách này."
        )
    )
    note.setWordWrap(True)
    who.addRow(note)
    dialog.fields["held_on"].changed.connect(lambda: field.refresh())
    field.changed.connect(lambda: _typed_counts_enabled(dialog, field))
    columns.setAlignment(columns.itemAt(0).widget(), Qt.AlignTop)
    return field


TYPED_COUNTS = ("registered", "donors", "units_250", "units_350", "units_450", "units")


def _typed_counts_enabled(dialog, field: DonorPickField) -> None:
    """The typed counts are for drives without names: greyed out once donors are picked."""
    named = bool(field.model.checked)
    for key in TYPED_COUNTS:
        dialog.fields[key].setEnabled(not named)


def _day(dialog) -> date | None:
    from chapter_app.domain.validation import parse_date

    value = dialog.fields["held_on"].raw()
    if isinstance(value, date):
        return value
    day, _issues = parse_date(value, field="held_on")
    return day


def write_drive_with_donors(dialog, raw: dict[str, Any], write_drive):
    """Save the drive and, when people are picked (or were), its named donations, in one
    operation."""
    from chapter_app.services.blood.records import DriveDonor, set_drive_donors
    from chapter_app.ui.forms import widgets

    picked = raw.pop("named_donors", None) or {}
    people = picked.get("people") or []
    with dialog.store.operation(_("Ghi đợt hiến máu")):
        saved = write_drive(raw)
        drive_id = saved.record.id
        had = dialog.store.donations.count(filters={"drive_id": drive_id})
        if people or had:
            volume = picked.get("volume_ml") or 350
            set_drive_donors(
                dialog.store,
                drive_id,
                [DriveDonor(pid, volume_ml=volume) for pid in people],
                today=widgets.today(),
            )
    return saved


def load_drive_donors(dialog, drive_id: int) -> None:
    donations = dialog.store.donations.rows(Query(filters={"drive_id": drive_id}))
    volume = donations[0]["volume_ml"] if donations else 350
    field = dialog.fields["named_donors"]
    field.set_raw({"people": [row["person_id"] for row in donations], "volume_ml": volume})
    _typed_counts_enabled(dialog, field)
