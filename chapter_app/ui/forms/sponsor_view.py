"""The sponsor's file: who they are, the households they take on (add, change, end a
commitment from here) and the aid given in their name."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from chapter_app.i18n import _, format_money, format_number
from chapter_app.services.dossier import sponsor_dossier
from chapter_app.ui.forms import labels
from chapter_app.ui.forms.commitments import CommitmentsBox
from chapter_app.ui.forms.common import aid_form_labels
from chapter_app.ui.forms.views import _View, aid_table


class SponsorView(_View):
    def __init__(self, store, sponsor_id: int, parent=None):
        super().__init__(store, parent)
        self.sponsor_id = sponsor_id
        self.fill()

    def fill(self) -> None:
        self.dossier = d = sponsor_dossier(self.store, self.sponsor_id)
        s = d.sponsor
        self.setWindowTitle(_("Nhà tài trợ: {name}").format(name=s.name))
        self.heading(s.name, labels.label(labels.SPONSOR_KIND, s.kind))
        row = QHBoxLayout()
        self.edit_button = QPushButton(_("Sửa thông tin…"))
        self.edit_button.setObjectName("edit_sponsor")
        self.edit_button.setAutoDefault(False)
        self.edit_button.setEnabled(not self.store.read_only)
        self.edit_button.clicked.connect(lambda _checked=False: self.edit_sponsor())
        row.addWidget(self.edit_button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        info = self.group(_("Thông tin liên hệ"))
        self.facts(
            info,
            [
                (_("Người liên hệ"), s.contact_name or ""),
                (_("Điện thoại"), s.phone or ""),
                (_("Thư điện tử"), s.email or ""),
                (_("Địa chỉ"), s.address or ""),
                (_("Ghi chú"), s.notes or ""),
            ],
        )
        box = self.group(_("Địa chỉ nhân đạo nhận đỡ đầu"))
        self.commitments = CommitmentsBox(
            self.store, d.commitments, sponsor_id=self.sponsor_id, changed=self.reload
        )
        box.addWidget(self.commitments)
        box = self.group(_("Trợ giúp mang tên nhà tài trợ"))
        if d.aid:
            box.addWidget(aid_table(d.aid, aid_form_labels(self.store)))
        self.total_line = QLabel(
            _("{count} lượt, tổng giá trị {total}").format(
                count=format_number(len(d.aid)), total=format_money(d.aid_total)
            )
        )
        box.addWidget(self.total_line)
        self.layout_.addStretch(1)

    def edit_sponsor(self) -> bool:
        from chapter_app.ui import forms

        saved = forms.open_form("sponsor", self.store, record_id=self.sponsor_id, parent=self)
        if saved:
            self.reload()
        return saved
