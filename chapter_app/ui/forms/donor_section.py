"""The "Người hiến máu" part of a person's page: donations, deferrals and honours of the
person as a donor, and "Ghi lần hiến máu…". The blood group is sensitive: shown as
recorded/not recorded only."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableWidgetItem

from chapter_app.i18n import _, format_date, format_number


def _donation_rows(store, donor_id: int) -> list[tuple[str, ...]]:
    drives = {d.id: d for d in store.blood_drives.list()}
    return [
        (
            format_date(d.donated_on),
            _("Đợt ngày {date}").format(date=format_date(drives[d.drive_id].held_on))
            if d.drive_id in drives
            else "",
            f"{d.volume_ml} ml" if d.volume_ml else (d.component or ""),
            d.place or "",
            d.certificate_no or "",
        )
        for d in store.donations.of_donor(donor_id)
    ]


def _total_text(store, donor) -> str:
    honours = store.honours.of_donor(donor.id)
    total = donor.prior_donations + store.donations.count(filters={"donor_id": donor.id})
    text = _("Tổng số lần hiến: {count}").format(count=format_number(total))
    if honours:
        text += "; " + _("đã tôn vinh mốc {thresholds}").format(
            thresholds=", ".join(str(h.threshold) for h in honours)
        )
    return text


def add_donor_section(view, store, person_id: int) -> None:
    """Add the section to ``view`` (a ``PersonView``) when the person is a donor."""
    from chapter_app.ui.forms.views import table

    donor = store.donors.for_person_id(person_id)
    if donor is None:
        view.donor_line = None
        return
    box = view.group(_("Người hiến máu"))
    view.facts(
        box,
        [
            (_("Nhóm máu"), _("đã ghi (dữ liệu nhạy cảm)") if donor.blood_group else ""),
            (
                _("Hiến trước khi có sổ"),
                _("{count} lần, lần cuối {date}").format(
                    count=format_number(donor.prior_donations),
                    date=format_date(donor.prior_last_on),
                )
                if donor.prior_donations
                else "",
            ),
        ],
    )
    view.donations_table = table(
        [_("Ngày hiến"), _("Đợt"), _("Thể tích"), _("Nơi hiến"), _("Số giấy chứng nhận")],
        _donation_rows(store, donor.id),
    )
    view.donations_table.setObjectName("donationsTable")
    box.addWidget(view.donations_table)
    deferrals = store.deferrals.of_donor(donor.id)
    if deferrals:
        box.addWidget(
            table(
                [_("Ngày tạm hoãn"), _("Lý do"), _("Đến ngày")],
                [
                    (format_date(f.on_date), f.reason or "", format_date(f.until_on))
                    for f in deferrals
                ],
            )
        )
    row = QHBoxLayout()
    view.donor_line = QLabel(_total_text(store, donor))
    view.donor_line.setObjectName("donorTotal")
    row.addWidget(view.donor_line, 1)
    view.add_donation_button = QPushButton(_("Ghi lần hiến máu…"))
    view.add_donation_button.setObjectName("addDonation")
    view.add_donation_button.setAutoDefault(False)
    view.add_donation_button.setEnabled(not store.read_only)
    view.add_donation_button.clicked.connect(lambda: add_donation(view, store, person_id))
    row.addWidget(view.add_donation_button)
    box.addLayout(row)


def add_donation(view, store, person_id: int) -> bool:
    """Open the donation form; when saved, show the new donation in the section."""
    from chapter_app.ui.forms.donation_form import DonationDialog

    dialog = DonationDialog(store, person_id, parent=view)
    try:
        dialog.exec()
        saved = dialog.saved_count > 0
    finally:
        dialog.deleteLater()
    if saved:
        donor = store.donors.for_person_id(person_id)
        rows = _donation_rows(store, donor.id)
        view.donations_table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, text in enumerate(values):
                view.donations_table.setItem(r, c, QTableWidgetItem(text))
        view.donor_line.setText(_total_text(store, donor))
    return saved
