"""The "Hiến máu" part of a person's page: donations, deferrals and honours of the person
as a donor. The blood group is sensitive: shown as recorded/not recorded only."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from chapter_app.i18n import _, format_date, format_number


def add_donor_section(view, store, person_id: int) -> None:
    """Add the section to ``view`` (a ``PersonView``) when the person is a donor."""
    from chapter_app.ui.forms.views import table

    donor = store.donors.for_person_id(person_id)
    if donor is None:
        view.donor_line = None
        return
    box = view.group(_("Người hiến máu"))
    donations = store.donations.of_donor(donor.id)
    drives = {d.id: d for d in store.blood_drives.list()}
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
    rows = [
        (
            format_date(d.donated_on),
            _("Đợt ngày {date}").format(date=format_date(drives[d.drive_id].held_on))
            if d.drive_id in drives
            else "",
            f"{d.volume_ml} ml" if d.volume_ml else (d.component or ""),
            d.place or "",
            d.certificate_no or "",
        )
        for d in donations
    ]
    view.donations_table = table(
        [_("Ngày hiến"), _("Đợt"), _("Thể tích"), _("Nơi hiến"), _("Số giấy chứng nhận")], rows
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
    honours = store.honours.of_donor(donor.id)
    total = donor.prior_donations + len(donations)
    text = _("Tổng số lần hiến: {count}").format(count=format_number(total))
    if honours:
        text += "; " + _("đã tôn vinh mốc {thresholds}").format(
            thresholds=", ".join(str(h.threshold) for h in honours)
        )
    view.donor_line = QLabel(text)
    view.donor_line.setObjectName("donorTotal")
    box.addWidget(view.donor_line)
