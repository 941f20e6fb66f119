"""The commitments of a household's or a sponsor's file, with what the officer can do:
add one, change the one chosen, end it on a date.

``CommitmentsBox`` lists the commitments and calls back after each change so the file
shows it; ``EndCommitmentDialog`` asks for the last day and why.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chapter_app.domain.validation import ValidationFailed
from chapter_app.i18n import N_, _, format_date, format_money
from chapter_app.services.commitments import end_commitment
from chapter_app.services.dossier import commitment_period, is_active
from chapter_app.ui.forms import widgets
from chapter_app.ui.forms.base import PANEL_STYLE
from chapter_app.ui.forms.common import aid_form_labels
from chapter_app.ui.forms.views import _iso, table
from chapter_app.ui.forms.widgets import FIELD_STYLE, DateField, TextField

PER_PERIOD = {
    "month": N_("{amount}/tháng"),
    "quarter": N_("{amount}/quý"),
    "year": N_("{amount}/năm"),
}


def amount_text(amount: int | None, frequency: str | None) -> str:
    """``500.000 đ/tháng`` for a monthly commitment, else the amount and how often."""
    money = format_money(amount or 0)
    period = commitment_period(frequency)
    if period is not None:
        return _(PER_PERIOD[period]).format(amount=money)
    return f"{money} ({frequency})" if frequency else money


def _open_on(row: dict, day: date) -> bool:
    """True when the commitment has no end yet on ``day`` (it may be ended then)."""
    return row["end_on"] is None or _iso(row["end_on"]) >= day


class EndCommitmentDialog(QDialog):
    """Ask the last day of a commitment (and why), then end it in one operation."""

    def __init__(self, store, commitment_id: int, parent=None):
        super().__init__(parent)
        self.store = store
        self.commitment_id = commitment_id
        commitment = store.commitments.get(commitment_id)
        sponsor = store.sponsors.find(commitment.sponsor_id)
        address = store.addresses.find(commitment.address_id)
        self.setWindowTitle(_("Kết thúc cam kết tài trợ"))
        self.setStyleSheet(FIELD_STYLE + PANEL_STYLE)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _("{sponsor} đỡ đầu {address} từ {start}.").format(
                sponsor=sponsor.name if sponsor else "",
                address=address.name if address else "",
                start=format_date(commitment.start_on),
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.end_on = DateField("end_on", required=True)
        self.end_on.setObjectName("end_on")
        self.end_on.set_raw(widgets.today())
        self.reason = TextField("reason", max_length=200, placeholder=_("ví dụ: hộ đã thoát nghèo"))
        self.reason.setObjectName("reason")
        form.addRow(_("Ngày cuối cùng *"), self.end_on)
        form.addRow(_("Lý do"), self.reason)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.ok_button = QPushButton(_("Kết thúc cam kết"))
        self.ok_button.setObjectName("confirm_end")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.confirm)
        cancel = QPushButton(_("Hủy"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self.end_on.editor.setFocus()
        self.setMinimumWidth(480)

    def confirm(self) -> bool:
        """End the commitment; shows what is wrong at its field and keeps the dialog open."""
        try:
            end_commitment(
                self.store,
                self.commitment_id,
                end_on=self.end_on.value(),
                today=widgets.today(),
                reason=self.reason.raw(),
            )
        except ValidationFailed as failed:
            self.end_on.show_issues([i for i in failed.issues if i.field == "end_on"])
            self.reason.show_issues([i for i in failed.issues if i.field == "reason"])
            return False
        self.accept()
        return True


class CommitmentsBox(QWidget):
    """The commitments of one address (``address_id``) or one sponsor (``sponsor_id``).

    ``changed`` is called after anything was saved, so the file around it can reload.
    """

    def __init__(
        self,
        store,
        rows: list[dict],
        *,
        address_id: int | None = None,
        sponsor_id: int | None = None,
        changed: Callable[[], None],
        parent=None,
    ):
        super().__init__(parent)
        self.store = store
        self.rows = rows
        self.address_id = address_id
        self.sponsor_id = sponsor_id
        self._changed = changed
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = None
        today = widgets.today()
        if rows:
            first = _("Địa chỉ nhân đạo") if sponsor_id is not None else _("Nhà tài trợ")
            name_key = "address_name" if sponsor_id is not None else "sponsor_name"
            forms = aid_form_labels(store)
            self.table = table(
                [
                    first,
                    _("Từ ngày"),
                    _("Đến ngày"),
                    _("Hình thức"),
                    _("Mức hỗ trợ"),
                    _("Tình trạng"),
                ],
                [
                    (
                        row[name_key],
                        format_date(_iso(row["start_on"])),
                        format_date(_iso(row["end_on"])) or _("chưa hết hạn"),
                        forms.get(row["form"], row["form"] or ""),
                        amount_text(row["amount"], row["frequency"]),
                        _("đang đỡ đầu") if is_active(row, today) else _("đã kết thúc"),
                    )
                    for row in rows
                ],
                right=(4,),
            )
            self.table.setObjectName("commitments")
            self.table.selectRow(0)
            self.table.itemSelectionChanged.connect(self._update)
            layout.addWidget(self.table)
        else:
            empty = QLabel(
                _("Chưa có nhà tài trợ nhận đỡ đầu.")
                if address_id is not None
                else _("Nhà tài trợ này chưa nhận đỡ đầu địa chỉ nào.")
            )
            empty.setObjectName("no_commitment")
            layout.addWidget(empty)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(
            _("Thêm nhà tài trợ đỡ đầu…") if address_id is not None else _("Nhận đỡ đầu thêm…")
        )
        self.add_button.setObjectName("add_commitment")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton(_("Sửa cam kết…"))
        self.edit_button.setObjectName("edit_commitment")
        self.edit_button.clicked.connect(self.edit)
        self.end_button = QPushButton(_("Kết thúc cam kết…"))
        self.end_button.setObjectName("end_commitment")
        self.end_button.clicked.connect(self.end)
        for button in (self.add_button, self.edit_button, self.end_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._update()

    def _update(self) -> None:
        writable = not self.store.read_only
        self.add_button.setEnabled(writable)
        self.edit_button.setVisible(bool(self.rows))
        self.end_button.setVisible(bool(self.rows))
        row = self.chosen()
        self.edit_button.setEnabled(writable and row is not None)
        self.end_button.setEnabled(writable and row is not None and _open_on(row, widgets.today()))

    def chosen(self) -> dict | None:
        """The commitment chosen in the table (the first one until another is picked)."""
        if self.table is None:
            return None
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.rows[min(rows)] if rows else None

    def add(self) -> bool:
        from chapter_app.ui import forms

        values = {"address_id": self.address_id, "sponsor_id": self.sponsor_id}
        saved = forms.open_form(
            "commitment",
            self.store,
            parent=self,
            values={k: v for k, v in values.items() if v is not None},
        )
        if saved:
            self._changed()
        return saved

    def edit(self) -> bool:
        from chapter_app.ui import forms

        row = self.chosen()
        if row is None:
            return False
        saved = forms.open_form("commitment", self.store, record_id=int(row["id"]), parent=self)
        if saved:
            self._changed()
        return saved

    def end(self) -> bool:
        row = self.chosen()
        if row is None:
            return False
        if not _open_on(row, widgets.today()):  # ended already: change it with "Sửa"
            return False
        dialog = EndCommitmentDialog(self.store, int(row["id"]), parent=self)
        try:
            ended = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        if ended:
            self._changed()
        return ended
