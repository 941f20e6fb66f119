"""The household's file (a humanitarian address) and what the officer does from it.

It shows the household, its categories, its sponsors' commitments, the aid over time and
the status history, and acts: add, change or end a commitment; record aid for this
household; change its status; change the file; print it (PDF). After each action the
file reads itself again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from chapter_app.errors import AppError
from chapter_app.i18n import N_, _, format_date, format_money, format_number
from chapter_app.services.dossier import address_dossier
from chapter_app.ui.forms import labels, widgets
from chapter_app.ui.forms.base import PANEL_STYLE
from chapter_app.ui.forms.commitments import CommitmentsBox
from chapter_app.ui.forms.common import aid_form_labels
from chapter_app.ui.forms.status import StatusSection
from chapter_app.ui.forms.views import _View, aid_table, table
from chapter_app.ui.forms.widgets import FIELD_STYLE

MSG_STATUS_SAME = N_("Địa chỉ đang ở tình trạng “{status}” rồi.")


def record_address_status(store, address_id: int, section: StatusSection) -> bool:
    """Record the status change typed in ``section`` (its own operation); False when
    something typed must be corrected first (shown at its field)."""
    address = store.addresses.get(address_id)
    checked = section.checked(
        started_on=address.opened_on,
        start_label=N_("ngày đưa vào theo dõi"),
        current_status=address.status,
        same_status_message=MSG_STATUS_SAME,
    )
    if checked is None:
        return False
    status, on_date, reason = checked
    store.addresses.change_status(address_id, status, on_date, reason=reason)
    section.reset()
    section.show_history(
        store.addresses.get(address_id).status,
        on_date,
        store.addresses.history_of(address_id),
    )
    return True


class AddressStatusDialog(QDialog):
    """Change a household's status (đang theo dõi / đã thoát khó khăn / ngừng theo dõi)."""

    def __init__(self, store, address_id: int, parent=None):
        super().__init__(parent)
        self.store = store
        self.address_id = address_id
        address = store.addresses.get(address_id)
        self.setWindowTitle(_("Đổi tình trạng: {name}").format(name=address.name))
        self.setStyleSheet(FIELD_STYLE + PANEL_STYLE)
        self.body_layout = QVBoxLayout(self)
        self.status = StatusSection(
            labels.choices(labels.ADDRESS_STATUS), labels.ADDRESS_STATUS, history_height=110
        )
        self.status.install(self, self.record)
        self.status_button.setDefault(True)
        self.status.show_history(
            address.status, address.status_on, store.addresses.history_of(address_id)
        )
        row = QHBoxLayout()
        row.addStretch(1)
        close = QPushButton(_("Đóng"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        row.addWidget(close)
        self.body_layout.addLayout(row)
        self.new_status.editor.setFocus()
        self.setMinimumWidth(520)

    def record(self) -> bool:
        if not record_address_status(self.store, self.address_id, self.status):
            return False
        self.accept()
        return True


class AddressView(_View):
    """A household's whole file, with the actions an officer takes from it."""

    def __init__(self, store, address_id: int, parent=None):
        super().__init__(store, parent)
        self.address_id = address_id
        self.fill()

    def fill(self) -> None:
        store = self.store
        self.dossier = d = address_dossier(store, self.address_id)
        a = d.address
        self.setWindowTitle(_("Địa chỉ nhân đạo: {name}").format(name=a.name))
        self.heading(
            a.name,
            _("{status} từ {date}").format(
                status=labels.label(labels.ADDRESS_STATUS, a.status), date=format_date(a.status_on)
            ),
        )
        self._actions()
        info = self.group(_("Hộ gia đình"))
        self.facts(
            info,
            [
                (_("Chủ hộ"), d.head.full_name if d.head else ""),
                (_("Thôn, tổ dân phố"), d.unit_name or ""),
                (_("Số nhà, đường"), a.street_address or ""),
                (_("Diện đối tượng"), ", ".join(d.categories)),
                (_("Hoàn cảnh"), a.circumstances or ""),
                (_("Nhu cầu"), a.needs or ""),
                (_("Ngày đưa vào theo dõi"), format_date(a.opened_on)),
                (_("Ngày khảo sát"), format_date(a.survey_date)),
                (_("Ngày bình xét, xác nhận"), format_date(a.certified_on)),
                (_("Số hồ sơ"), a.file_no or ""),
                (_("Mã iNhandao"), a.registry_id or ""),
            ],
        )
        if d.household:
            info.addWidget(
                table(
                    [_("Thành viên"), _("Quan hệ"), _("Năm sinh")],
                    [
                        (person.full_name, relation or "", str(person.birth_year or ""))
                        for person, relation in d.household
                    ],
                )
            )
        box = self.group(_("Cam kết tài trợ"))
        self.commitments = CommitmentsBox(
            store, d.commitments, address_id=self.address_id, changed=self.reload
        )
        box.addWidget(self.commitments)
        box = self.group(_("Trợ giúp đã nhận"))
        if d.aid:
            box.addWidget(aid_table(d.aid, aid_form_labels(store)))
            box.addWidget(
                table(
                    [_("Năm"), _("Số lượt"), _("Tổng giá trị")],
                    [
                        (str(year), format_number(n), format_money(value))
                        for year, n, value in d.aid_by_year()
                    ],
                    right=(1, 2),
                )
            )
        self.total_line = QLabel(
            _("Tổng cộng {count} lượt: tiền mặt {cash}, hiện vật {goods}, tổng {total}").format(
                count=format_number(len(d.aid)),
                cash=format_money(d.aid_cash),
                goods=format_money(d.aid_goods),
                total=format_money(d.aid_total),
            )
        )
        self.total_line.setWordWrap(True)
        box.addWidget(self.total_line)
        box = self.group(_("Lịch sử tình trạng"))
        box.addWidget(
            table(
                [_("Ngày"), _("Tình trạng"), _("Lý do")],
                [
                    (
                        format_date(e.on_date),
                        labels.label(labels.ADDRESS_STATUS, e.status),
                        e.reason or "",
                    )
                    for e in d.history
                ],
            )
        )
        self.layout_.addStretch(1)

    def _actions(self) -> None:
        row = QHBoxLayout()
        specs = (
            ("record_aid", _("Ghi trợ giúp…"), self.record_aid),
            ("change_status", _("Đổi tình trạng…"), self.change_status),
            ("edit_address", _("Sửa hồ sơ…"), self.edit_address),
            ("print_file", _("In hồ sơ (PDF)…"), lambda: self.print_file()),
        )
        self.action_buttons = {}
        for name, text, callback in specs:
            button = QPushButton(text)
            button.setObjectName(name)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, c=callback: c())
            button.setEnabled(name == "print_file" or not self.store.read_only)
            row.addWidget(button)
            self.action_buttons[name] = button
        row.addStretch(1)
        self.layout_.addLayout(row)

    # --- actions -----------------------------------------------------------------------

    def record_aid(self) -> bool:
        """Open the aid form for this household; True when something was saved."""
        from chapter_app.ui import forms

        saved = forms.open_form(
            "aid",
            self.store,
            parent=self,
            values={"recipient_kind": "address", "address_id": self.address_id},
        )
        if saved:
            self.reload()
        return saved

    def change_status(self) -> bool:
        dialog = AddressStatusDialog(self.store, self.address_id, parent=self)
        try:
            changed = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        if changed:
            self.reload()
        return changed

    def edit_address(self) -> bool:
        from chapter_app.ui import forms

        saved = forms.open_form("address", self.store, record_id=self.address_id, parent=self)
        if saved:
            self.reload()
        return saved

    def print_file(self, path: str | Path | None = None) -> Path | None:
        """Write the household's file as a PDF (asks where unless ``path`` is given)."""
        from chapter_app.i18n import language
        from chapter_app.services.pdf.household import render_household_file
        from chapter_app.services.report.household import build_household_file

        if path is None:
            suggested = _("ho-so-{number}.pdf").format(number=self.address_id)
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Lưu hồ sơ địa chỉ nhân đạo"), suggested, _("Tệp PDF (*.pdf)")
            )
            if not chosen:
                return None
            path = chosen
        path = Path(path)
        try:
            data = build_household_file(
                self.store,
                self.address_id,
                lang="en" if language() == "en" else "vi",
                printed_on=widgets.today(),
            )
            path.write_bytes(render_household_file(data))
        except (AppError, OSError) as error:
            message = getattr(error, "message", None) or str(error)
            QMessageBox.warning(
                self,
                _("Không in được hồ sơ"),
                _("Không lưu được tệp «{path}»: {error}").format(path=path, error=message),
            )
            return None
        self.store.ops.log_event(
            "export_list", details={"list": "household_file", "destination": str(path)}
        )
        self.printed_path = path
        return path
