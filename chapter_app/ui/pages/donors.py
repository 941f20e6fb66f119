"""Người hiến máu (a tab of Hoạt động): the donors, searchable, filtered by who may give
on a day and by the honour threshold reached this year; prints the call list and the
honours proposal. The blood group (sensitive) is not shown in the list."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QMessageBox,
    QWidget,
)

from chapter_app.errors import AppError
from chapter_app.i18n import N_, _
from chapter_app.services.blood.eligibility import donors_due
from chapter_app.services.blood.honours import honour_candidates
from chapter_app.services.blood.settings import honour_thresholds
from chapter_app.ui.pages import labels
from chapter_app.ui.pages.base import RegisterPage, show_error, today
from chapter_app.ui.table_model import PHONE, Column, birth_text, iso_to_display


class DueFilter(QWidget):
    """ "Có thể hiến ngày [date]": ``value()`` is the donor ids who may give, or None."""

    changed = Signal()

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.check = QCheckBox(_("Có thể hiến ngày"))
        self.check.setObjectName("filter_due")
        self.day = QDateEdit()
        self.day.setObjectName("filter_due_on")
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setCalendarPopup(True)
        self.day.setDate(QDate(today().year, today().month, today().day))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.day)
        self.check.toggled.connect(lambda _on: self.changed.emit())
        self.day.dateChanged.connect(lambda _d: self.check.isChecked() and self.changed.emit())

    def on(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def value(self) -> list[int] | None:
        if not self.check.isChecked():
            return None
        return [d.donor_id for d in donors_due(self.store, self.on())]


class DonorsTab(RegisterPage):
    title = N_("Người hiến máu")
    repo_name = "donors"
    form_kind = None
    noun = N_("người hiến máu")
    count_label = N_("Người hiến máu: {count}")
    search_placeholder = N_("Tìm tên, số định danh, điện thoại…")
    order_by = "name"
    person_key = "person_id"
    show_title = False
    columns = (
        Column("full_name", N_("Họ và tên"), sort="name", width=200),
        Column("sex", N_("Giới tính"), kind="choice", choices=labels.SEX, width=70),
        Column("birth", N_("Ngày/năm sinh"), value=birth_text, width=105),
        Column("phone", N_("Điện thoại"), width=105, whole=PHONE),
        Column("unit_id", N_("Thôn, tổ dân phố"), kind="lookup", lookup="unit", width=150),
        Column("total", N_("Số lần đã hiến"), kind="number", width=100),
        Column("last", N_("Lần hiến gần nhất"), value=lambda r: iso_to_display(r.get("last"))),
    )

    def build_filters(self) -> None:
        self.due_filter = DueFilter(self.store)
        self.add_filter("due", self.due_filter, self.due_filter.value)
        year = today().year
        self.threshold_filter = self.add_combo(
            "threshold",
            _("Mọi mốc tôn vinh"),
            [
                (_("Đạt mốc {n} lần năm {year}").format(n=t, year=year), t)
                for t in honour_thresholds(self.store)
            ],
        )

    def current_filters(self) -> dict[str, Any]:
        filters = super().current_filters()
        ids: set[int] | None = None
        due = filters.pop("due", None)
        if due is not None:
            ids = set(due)
        threshold = filters.pop("threshold", None)
        if threshold is not None:
            reached = {
                c.donor_id
                for c in honour_candidates(self.store, today().year, include_given=True)
                if c.threshold == threshold
            }
            ids = reached if ids is None else ids & reached
        if ids is not None:
            filters["id"] = sorted(ids)
        return filters

    def load_lookups(self) -> None:
        self.model.set_lookup("unit", {u.id: u.name for u in self.store.units.list()})

    def enrich_rows(self, rows: list[dict[str, Any]]) -> None:
        """Donations in all and the last one, for the page of rows (one query)."""
        summaries = self.store.blood.summaries([row["id"] for row in rows])
        for row in rows:
            row["total"], row["last"] = summaries.get(row["id"], (0, None))

    def extra_buttons(self):
        return [
            (_("Xem hồ sơ"), self.open_person, True),
            (_("Danh sách gọi (PDF)…"), self.print_call_list, False),
            (_("Danh sách gọi (Excel)…"), self.export_call_list, False),
            (_("Đề nghị tôn vinh (PDF)…"), self.print_honours, False),
            (_("Ghi đã tôn vinh…"), self.record_honours, False),
        ]

    def __init__(self, store, worker, parent=None):
        super().__init__(store, worker, parent)
        # Donors are added by naming them on a drive, a donation or an import: no form.
        self.add_button.hide()
        self.edit_button.hide()

    def print_call_list(self, path: str | Path | None = None) -> Path | None:
        """The call list for the day of the "Có thể hiến ngày" filter, as a PDF."""
        from chapter_app.services.blood.lists import build_call_list

        on = self.due_filter.on()
        return self._save_pdf(
            path,
            f"goi-hien-mau-{on:%Y-%m-%d}.pdf",
            lambda: build_call_list(self.store, on, printed_on=today()),
        )

    def print_honours(self, path: str | Path | None = None) -> Path | None:
        """The honours proposal of this year, as a PDF."""
        from chapter_app.services.blood.lists import build_honours_list

        year = today().year
        return self._save_pdf(
            path,
            f"de-nghi-ton-vinh-{year}.pdf",
            lambda: build_honours_list(self.store, year, printed_on=today()),
        )

    def record_honours(self) -> int:
        """Record this year's proposed honours as given today (asks the decision number)."""
        from chapter_app.i18n import format_date, format_number
        from chapter_app.services.blood.honours import record_honours_given

        year = today().year
        pending = honour_candidates(self.store, year)
        if not pending:
            QMessageBox.information(
                self, _("Tôn vinh"), _("Năm {year} không còn ai chờ tôn vinh.").format(year=year)
            )
            return 0
        decision, ok = QInputDialog.getText(
            self,
            _("Ghi đã tôn vinh"),
            _(
                "{count} người đạt mốc năm {year} được ghi là đã tôn vinh ngày {date}.\n"
                "Số quyết định tôn vinh (nếu có):"
            ).format(count=format_number(len(pending)), year=year, date=format_date(today())),
        )
        if not ok:
            return 0
        try:
            return record_honours_given(
                self.store,
                pending,
                year=year,
                given_on=today(),
                decision_no=decision.strip() or None,
            )
        except AppError as exc:
            show_error(self, exc)
            return 0

    def export_call_list(self, path: str | Path | None = None) -> Path | None:
        from chapter_app.services.blood.lists import export_call_list_xlsx

        on = self.due_filter.on()
        path = path or self._ask(f"goi-hien-mau-{on:%Y-%m-%d}.xlsx", _("Tệp Excel (*.xlsx)"))
        if not path:
            return None
        try:
            export_call_list_xlsx(self.store, on, path)
        except AppError as exc:
            show_error(self, exc)
            return None
        return Path(path)

    def _ask(self, suggested: str, kinds: str) -> str | None:
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Lưu danh sách"), suggested, kinds)
        return chosen or None

    def _save_pdf(self, path, suggested: str, build) -> Path | None:
        from chapter_app.services.pdf.lists import render_list
        from chapter_app.services.report.lists import record_list_export

        path = path or self._ask(suggested, _("Tệp PDF (*.pdf)"))
        if not path:
            return None
        try:
            data = build()
            Path(path).write_bytes(render_list(data))
            record_list_export(self.store, data, destination=str(path))
        except (AppError, OSError) as exc:
            show_error(self, exc)
            return None
        return Path(path)
