"""Issuing a report: choose the number and the date, read the figures to check, confirm.

The number defaults to the next free one of the year (withdrawn reports keep theirs), the
date to today. Sections left empty are listed and block issuing; the figures worth a
second look (``services.report.checks``) are listed before the officer confirms. The
report and its checks are built off the GUI thread (the worker's read-only store): the
dialog opens at once and "Ban hành" waits for the report of the date shown.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chapter_app.i18n import _, language


def _build_with_checks(build, store, day: date, lang: str):
    """On the worker's thread: the report dated ``day`` and its checks, described."""
    from chapter_app.services.report.checks import describe, figures_to_check

    data = build(store, day)
    return day, data, [describe(check, lang) for check in figures_to_check(data)]


class IssueReportDialog(QDialog):
    """Number, date, what is missing and what to check; Accept issues ``self.data``.

    The figures stop at the chosen date (a report dated inside its period counts up to
    that day), so changing the date rebuilds the report and its checks.
    """

    def __init__(
        self, *, number: int, day: date, taken, build, worker, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle(_("Ban hành báo cáo"))
        self.taken = taken  # callable(year, number) -> bool
        # callable(store, date) -> ReportData: the report dated that day, run by ``worker``
        # (``ui.worker.Worker``) on its read-only store
        self.build = build
        self.worker = worker
        self._job = None
        self.data = None
        self.number = QSpinBox()
        self.number.setObjectName("issueNumber")
        self.number.setRange(1, 9999)
        self.number.setValue(number)
        self.day = QDateEdit(QDate(day.year, day.month, day.day))
        self.day.setObjectName("issueDate")
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setCalendarPopup(True)
        self.number_note = QLabel("")
        self.number_note.setObjectName("issueNumberNote")
        self.number_note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Số văn bản:"), self.number)
        form.addRow("", self.number_note)
        form.addRow(_("Ngày ban hành:"), self.day)
        self.building = QLabel(_("Đang lập báo cáo theo ngày đã chọn…"))
        self.building.setObjectName("issueBuilding")
        self.missing = QLabel("")
        self.missing.setObjectName("issueMissing")
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet("color: #b00020")
        self.checks_title = QLabel(_("Số liệu cần xem lại trước khi ban hành:"))
        self.checks = QListWidget()
        self.checks.setObjectName("issueChecks")
        self.checks.setWordWrap(True)
        note = QLabel(_("Báo cáo đã ban hành được lưu lại, không sửa được; nếu sai, thu hồi "
                        "(ghi lý do) rồi ban hành báo cáo thay thế với số mới."))  # fmt: skip
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Ban hành"))
        self.ok.setObjectName("issueConfirm")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.building)
        layout.addWidget(self.missing)
        layout.addWidget(self.checks_title)
        layout.addWidget(self.checks, 1)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.resize(640, 460)
        self.number.valueChanged.connect(lambda _v: self._update())
        self.day.dateChanged.connect(lambda _d: self.request(self.chosen_date()))
        self._missing: list[str] = []
        self.request(day)

    def chosen_date(self) -> date:
        day = self.day.date()
        return date(day.year(), day.month(), day.day())

    def request(self, day: date) -> None:
        """Build the report dated ``day`` off the GUI thread; "Ban hành" waits for it."""
        if self._job is not None:
            self._job.cancel()
        self.data = None
        self.building.setText(_("Đang lập báo cáo theo ngày đã chọn…"))
        self.building.setVisible(True)
        self._update()
        lang = "en" if language() == "en" else "vi"
        build = self.build
        self._job = self.worker.submit(
            lambda store: _build_with_checks(build, store, day, lang),
            on_done=self._built,
            on_error=self._failed,
            context=self,
        )

    def wait_ready(self, timeout_ms: int = 30000) -> bool:
        """Block until the report asked for has arrived (tests, screenshots)."""
        return self.worker.wait_idle(timeout_ms)

    def _built(self, result) -> None:
        day, data, checks = result
        if day != self.chosen_date():
            return  # the date changed meanwhile: its own build follows
        self._job = None
        self.show_report(data, checks)

    def _failed(self, error: BaseException, _text: str) -> None:
        self._job = None
        message = getattr(error, "message", None) or str(error)
        self.building.setText(_("Không lập được báo cáo: {error}").format(error=message))

    def show_report(self, data, checks: list[str]) -> None:
        """What is missing in ``data`` and its figures to check (``checks``, described)."""
        self.building.setVisible(False)
        self.data = data
        self._missing = [s.heading for s in data.empty_sections()]
        if self._missing:
            self.missing.setText(
                _("Chưa ban hành được: còn mục để trống ({sections}). Hãy viết các mục này "
                  "ở thẻ «Nội dung báo cáo».").format(sections="; ".join(self._missing))
            )  # fmt: skip
        else:
            self.missing.setText("")
        self.checks.clear()
        for text in checks:
            self.checks.addItem(text)
        self.checks_title.setVisible(bool(checks))
        self.checks.setVisible(bool(checks))
        self._update()

    def _update(self) -> None:
        year = self.chosen_date().year
        taken = self.taken(year, self.number.value())
        self.number_note.setText(
            _("Số {number} của năm {year} đã dùng.").format(
                number=f"{self.number.value():02d}", year=year
            )
            if taken
            else ""
        )
        self.ok.setEnabled(self.data is not None and not taken and not self._missing)
