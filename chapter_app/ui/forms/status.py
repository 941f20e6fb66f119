"""The "Tình trạng" section of a record with a status history (a member, an address).

It shows the status now and its history, and takes a change to record: the new status,
from which day, why, and any extra fields the record type has (a member's decision no.).
Recording the change is the dialog's business; ``checked()`` says whether it may.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from chapter_app.domain.status_change import check_status_change
from chapter_app.domain.validation import Issue, check_text
from chapter_app.i18n import _, format_date
from chapter_app.ui.forms import labels, widgets
from chapter_app.ui.forms.widgets import ChoiceField, DateField, TextField


class StatusSection(QGroupBox):
    """``extra``: (caption, history header, field) rows after the reason; ``extra_of(event)``
    gives their texts in the history."""

    def __init__(
        self,
        choices: Sequence[tuple[str, Any]],
        status_labels: dict[str, str],
        *,
        extra: Sequence[tuple[str, str, Any]] = (),
        extra_of: Callable[[Any], Sequence[str]] = lambda _event: (),
        history_height: int = 120,
    ):
        super().__init__(_("Tình trạng"))
        self.status_labels = status_labels
        self.extra_of = extra_of
        layout = QVBoxLayout(self)
        self.status_now = QLabel()
        layout.addWidget(self.status_now)
        headers = [_("Ngày"), _("Tình trạng"), _("Lý do"), *(header for _c, header, _f in extra)]
        self.history = QTableWidget(0, len(headers))
        self.history.setHorizontalHeaderLabels(headers)
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QTableWidget.NoEditTriggers)
        self.history.setFocusPolicy(Qt.NoFocus)
        self.history.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.history.setMaximumHeight(history_height)
        layout.addWidget(self.history)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        layout.addLayout(form)
        self.new_status = ChoiceField(list(choices), blank=_("— không đổi —"))
        self.new_status_on = DateField("status_on", not_after_today=True)
        self.new_reason = TextField("reason", max_length=200)
        self.fields = [self.new_status, self.new_status_on, self.new_reason]
        self.fields += [field for _c, _h, field in extra]
        captions = [_("Tình trạng mới"), _("Từ ngày"), _("Lý do")]
        for caption, field in zip(
            captions + [caption for caption, _h, _f in extra], self.fields, strict=True
        ):
            form.addRow(caption, field)
        row = QHBoxLayout()
        row.addStretch(1)
        self.button = QPushButton(_("Ghi tình trạng"))
        self.button.setAutoDefault(False)
        row.addWidget(self.button)
        layout.addLayout(row)

    def install(self, dialog, record: Callable[[], Any]) -> None:
        """Add the section to a record dialog, its button calling ``record``; the dialog
        reaches the parts as ``status_now``, ``history``, ``status_button``, ``new_status``,
        ``new_status_on`` and ``new_reason``."""
        dialog.status_now, dialog.history, dialog.status_button = (
            self.status_now,
            self.history,
            self.button,
        )
        dialog.new_status, dialog.new_status_on, dialog.new_reason = self.fields[:3]
        self.button.clicked.connect(record)
        dialog.body_layout.addWidget(self)

    def show_history(self, status: str, status_on: date | None, events: Sequence[Any]) -> None:
        """The status now (since ``status_on``) and every event, oldest first."""
        self.status_now.setText(
            _("Hiện nay: {status} từ {date}").format(
                status=labels.label(self.status_labels, status), date=format_date(status_on)
            )
        )
        self.history.setRowCount(len(events))
        for row, event in enumerate(events):
            texts = (
                format_date(event.on_date),
                labels.label(self.status_labels, event.status),
                event.reason or "",
                *self.extra_of(event),
            )
            for column, text in enumerate(texts):
                self.history.setItem(row, column, QTableWidgetItem(text))
        self.history.resizeColumnsToContents()

    def reset(self) -> None:
        for field in self.fields:
            field.reset()

    def checked(
        self,
        *,
        started_on: date,
        start_label: str,
        current_status: str,
        same_status_message: str,
    ) -> tuple[str, date, str | None] | None:
        """Check the change typed in; shows every issue at its field and returns
        ``(status, date, reason)``, or None when something must be corrected first."""
        status = self.new_status.raw()
        on_date = self.new_status_on.value()
        unreadable = self.new_status_on.check()
        found = check_status_change(
            status, on_date, started_on=started_on, start_label=start_label, today=widgets.today()
        )
        self.new_status.show_issues([i for i in found if i.field == "status"])
        issues = unreadable or [i for i in found if i.field == "status_on"]
        reason, reason_issues = check_text(self.new_reason.raw(), field="reason", max_length=200)
        self.new_status_on.show_issues(issues)
        self.new_reason.show_issues(reason_issues)
        if status is None or issues or reason_issues:
            return None
        if status == current_status:
            label = labels.label(self.status_labels, status)
            self.new_status.show_issues(
                [Issue.warning("status", same_status_message, status=label)]
            )
            return None
        return status, on_date, reason
