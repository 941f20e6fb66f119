"""Báo cáo: pick a period, look at the figures, edit the narrative, preview and issue the PDF.

The draft report (``build_report``) is computed off the GUI thread, and so are the
differences between an issued report and the register now. Rendering the PDF (about 0.1 s
on the large demo) and issuing (a write: it must use the GUI's ``Store``) run on the GUI
thread. Issued reports are listed below the draft; one can be reopened read-only and
reprinted byte for byte.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import shiboken6
from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from chapter_app.domain.periods import parse_period
from chapter_app.i18n import N_, _, format_date, format_number, pgettext
from chapter_app.ui.pages.base import Page, show_error, today

CUSTOM = "custom"
PERIOD_KINDS = [
    ("Q1", N_("Quý I")),
    ("Q2", N_("Quý II")),
    ("Q3", N_("Quý III")),
    ("Q4", N_("Quý IV")),
    ("H1", N_("6 tháng đầu năm")),
    ("9M", N_("9 tháng")),
    ("H2", N_("6 tháng cuối năm")),
    ("", N_("Cả năm")),
    (CUSTOM, N_("Tùy chọn (từ ngày… đến ngày…)")),
]
LANGUAGES = [("vi", N_("Tiếng Việt")), ("en", N_("English"))]
BLOCKS = ("period", "ytd", "last_year")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def period_code(year: int, kind: str) -> str:
    return f"{year}-{kind}" if kind else str(year)


def load_report(store, code: str):
    """The indicator blocks of a period (kept for callers of the earlier page)."""
    from chapter_app.services.indicators import indicator_blocks

    return indicator_blocks(store, parse_period(code))


def build_draft(store, code: str, lang: str, issued_on: date):
    from chapter_app.services.report.data import build_report

    return build_report(store, parse_period(code), lang=lang, issued_on=issued_on)


def _percent(value: float | None) -> str:
    return "" if value is None else format_number(value) + " %"


def _signed(value: int) -> str:
    return ("+" if value > 0 else "") + format_number(value)


def _date(edit: QDateEdit) -> date:
    day = edit.date()
    return date(day.year(), day.month(), day.day())


def make_figures_table() -> QTableWidget:
    table = QTableWidget(0, 7)
    table.setObjectName("figures")
    table.setHorizontalHeaderLabels(
        [
            _("Chỉ tiêu"),
            _("Đơn vị"),
            _("Trong kỳ"),
            _("Lũy kế năm"),
            _("Cùng kỳ năm trước"),
            _("Tăng/giảm"),
            _("% kế hoạch năm"),
        ]
    )
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, 7):  # the figures as wide as they need: the names get the rest
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def fill_figures(table: QTableWidget, data) -> None:
    """The indicator rows of ``data`` (labels in the program's language), then aid by campaign."""
    from chapter_app.services.indicators import INDICATORS

    labels = {key: (label, unit) for key, label, unit in INDICATORS}
    rows: list[tuple[str, str, list[str]]] = []
    for row in data.indicators:
        label, unit = labels.get(row.key, (row.label, row.unit))
        values = [
            format_number(row.period),
            format_number(row.ytd),
            format_number(row.last_year),
            _signed(row.change),
            _percent(row.percent_of_target),
        ]
        rows.append((pgettext("indicator", label), pgettext("unit", unit), values))
    if data.by_campaign:
        rows.append((_("Trợ giúp theo chương trình (trị giá)"), "", [""] * 5))
        for group in data.by_campaign:
            values = [
                format_number(group.value),
                format_number(group.ytd_value),
                format_number(group.last_year_value),
                _signed(group.value - group.last_year_value),
                "",
            ]
            rows.append(("    " + _(group.name), pgettext("unit", "đồng"), values))
    table.setRowCount(len(rows))
    for number, (label, unit, values) in enumerate(rows):
        table.setItem(number, 0, QTableWidgetItem(label))
        table.setItem(number, 1, QTableWidgetItem(unit))
        for column, value in enumerate(values, start=2):
            item = QTableWidgetItem(value)
            item.setTextAlignment(RIGHT)
            table.setItem(number, column, item)


def section_title(section) -> str:
    return section.heading or _("(Đoạn mở đầu / kết luận, không có tiêu đề)")


class NarrativeEditor(QScrollArea):
    """One text box per narrative section, headed by the section's title."""

    def __init__(self, read_only: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.read_only = read_only
        self.editors: dict[str, QPlainTextEdit] = {}
        self.titles: dict[str, QLabel] = {}
        self.on_edit = None  # called with (section key, text) when the officer types
        self._inner = QWidget()
        self._layout = QVBoxLayout(self._inner)
        self._layout.setContentsMargins(4, 4, 4, 4)
        self.setWidget(self._inner)

    def set_sections(self, sections, texts: dict[str, str]) -> None:
        keys = [s.key for s in sections]
        if keys != list(self.editors):
            while self._layout.count():
                item = self._layout.takeAt(0)
                if item.widget() is not None:
                    item.widget().deleteLater()
            self.editors = {}
            self.titles = {}
            for section in sections:
                title = QLabel()
                title.setWordWrap(True)
                title.setStyleSheet("font-weight: bold")
                edit = QPlainTextEdit()
                edit.setObjectName(f"narrative_{section.key}")
                edit.setReadOnly(self.read_only)
                edit.textChanged.connect(lambda key=section.key: self._changed(key))
                self._layout.addWidget(title)
                self._layout.addWidget(edit)
                self.editors[section.key] = edit
                self.titles[section.key] = title
            self._layout.addStretch(1)
        for section in sections:
            self.titles[section.key].setText(section_title(section))
            edit = self.editors[section.key]
            edit.setPlaceholderText(getattr(section, "outline", ""))
            edit.blockSignals(True)
            text = texts.get(section.key, section.text)
            edit.setPlainText(text)
            edit.blockSignals(False)
            # room for the draft and a few more lines (long paragraphs wrap at about 140 chars)
            lines = sum(1 + len(line) // 140 for line in text.split("\n")) + 2
            edit.setFixedHeight(min(lines, 14) * edit.fontMetrics().lineSpacing() + 14)

    def _changed(self, key: str) -> None:
        if self.on_edit is not None:
            self.on_edit(key, self.editors[key].toPlainText())

    def texts(self) -> dict[str, str]:
        return {key: edit.toPlainText() for key, edit in self.editors.items()}


class IssuedReportDialog(QDialog):
    """An issued report, read-only: its figures and narrative as they were issued."""

    def __init__(self, data, parent: QWidget | None = None):
        super().__init__(parent)
        self.data = data
        self.setWindowTitle(
            _("Báo cáo đã ban hành — {number}").format(number=data.number_line or "")
        )
        self.resize(1150, 720)
        caption = QLabel(
            _("{number}, ngày {day}: {subject}").format(
                number=data.number_line, day=format_date(data.issued_on), subject=data.subject
            )
        )
        caption.setWordWrap(True)
        caption.setObjectName("pageSubtitle")
        self.table = make_figures_table()
        fill_figures(self.table, data)
        self.narrative = NarrativeEditor(read_only=True)
        self.narrative.set_sections(data.narrative, {})
        tabs = QTabWidget()
        tabs.addTab(self.table, _("Số liệu"))
        tabs.addTab(self.narrative, _("Nội dung báo cáo"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)


class ReportsPage(Page):
    title = N_("Báo cáo")

    def __init__(self, store, worker, parent: QWidget | None = None):
        super().__init__(store, worker, parent)
        self._job = None
        self._diff_job = None
        self._loaded = False
        self.blocks = None
        self.period = None
        self.period_label = ""
        self.data = None  # the draft ReportData of the chosen period and language
        self.edits: dict[tuple[str, str], dict[str, str]] = {}  # (period, lang) -> texts
        self.differences: list = []
        self.diff_report_id: int | None = None
        self.view_dialog: IssuedReportDialog | None = None
        self.last_preview: Path | None = None

        heading = QLabel(_("Báo cáo"))
        heading.setObjectName("pageTitle")
        day = today()
        self.kind = QComboBox()
        self.kind.setObjectName("periodKind")
        for code, label in PERIOD_KINDS:
            self.kind.addItem(_(label), code)
        self.kind.setCurrentIndex((day.month - 1) // 3)
        self.year = QSpinBox()
        self.year.setObjectName("periodYear")
        self.year.setRange(2000, 2100)
        self.year.setValue(day.year)
        self.start = self._date_edit(QDate(day.year, 1, 1))
        self.end = self._date_edit(QDate(day.year, day.month, day.day))
        self.year_label = QLabel(_("năm"))
        self.dash = QLabel("–")
        self.language = QComboBox()
        self.language.setObjectName("reportLanguage")
        for code, label in LANGUAGES:
            self.language.addItem(_(label), code)
        self.show_button = QPushButton(_("Xem số liệu"))
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.refresh)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.language.currentIndexChanged.connect(lambda _i: self.refresh())

        picker = QHBoxLayout()
        picker.addWidget(QLabel(_("Kỳ báo cáo:")))
        picker.addWidget(self.kind)
        picker.addWidget(self.year_label)
        picker.addWidget(self.year)
        picker.addWidget(self.start)
        picker.addWidget(self.dash)
        picker.addWidget(self.end)
        picker.addSpacing(12)
        picker.addWidget(QLabel(_("Ngôn ngữ:")))
        picker.addWidget(self.language)
        picker.addWidget(self.show_button)
        picker.addStretch(1)

        self.preview_button = QPushButton(_("Xem trước PDF"))
        self.preview_button.clicked.connect(lambda _c=False: self.preview_pdf())
        self.save_button = QPushButton(_("Lưu PDF…"))
        self.save_button.clicked.connect(lambda _c=False: self.save_pdf())
        self.issue_button = QPushButton(_("Ban hành…"))
        self.issue_button.setObjectName("issueReport")
        self.issue_button.clicked.connect(lambda _c=False: self.issue())
        self.send_button = QPushButton(_("Gửi cấp trên…"))
        self.send_button.setObjectName("sendPackage")
        self.send_button.setToolTip(_("Tạo gói số liệu của kỳ (.ctdpkg) để gửi Hội cấp trên"))
        self.send_button.clicked.connect(lambda _c=False: self.send_to_upper_level())
        actions = QHBoxLayout()
        actions.addWidget(self.preview_button)
        actions.addWidget(self.save_button)
        actions.addWidget(self.issue_button)
        actions.addWidget(self.send_button)
        actions.addStretch(1)

        self.caption = QLabel("")
        self.caption.setObjectName("pageSubtitle")
        self.caption.setWordWrap(True)
        self.table = make_figures_table()
        self.narrative = NarrativeEditor()
        self.narrative.on_edit = self._edited

        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, _("Số liệu"))
        self.tabs.addTab(self.narrative, _("Nội dung báo cáo"))
        self.tabs.addTab(self._issued_tab(), _("Báo cáo đã ban hành"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addWidget(heading)
        layout.addLayout(picker)
        layout.addLayout(actions)
        layout.addWidget(self.caption)
        layout.addWidget(self.tabs, 1)
        self._show_custom(False)
        self._update_buttons()

    def _date_edit(self, day: QDate) -> QDateEdit:
        edit = QDateEdit(day)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setCalendarPopup(True)
        edit.dateChanged.connect(lambda _d: self.refresh())
        return edit

    def _issued_tab(self) -> QWidget:
        self.issued = QTableWidget(0, 5)
        self.issued.setObjectName("issuedReports")
        self.issued.setHorizontalHeaderLabels(
            [_("Số"), _("Ngày"), _("Trích yếu"), _("Ngôn ngữ"), _("Tình trạng")]
        )
        self.issued.verticalHeader().setVisible(False)
        self.issued.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issued.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issued.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.issued.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 120), (1, 110), (3, 100), (4, 200)):
            self.issued.setColumnWidth(column, width)
        self.issued.itemSelectionChanged.connect(self._issued_selected)
        self.issued.doubleClicked.connect(lambda _i: self.reopen_selected())
        self.reopen_button = QPushButton(_("Mở lại"))
        self.reopen_button.clicked.connect(lambda _c=False: self.reopen_selected())
        self.reprint_button = QPushButton(_("In lại…"))
        self.reprint_button.clicked.connect(lambda _c=False: self.reprint_selected())
        self.withdraw_button = QPushButton(_("Thu hồi…"))
        self.withdraw_button.setObjectName("withdrawReport")
        self.withdraw_button.clicked.connect(lambda _c=False: self.withdraw_selected())
        buttons = QHBoxLayout()
        buttons.addWidget(self.reopen_button)
        buttons.addWidget(self.reprint_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addStretch(1)

        self.diff_panel = QWidget()
        self.diff_panel.setObjectName("differencesPanel")
        self.diff_title = QLabel(_("Số liệu đã thay đổi"))
        self.diff_title.setStyleSheet("font-weight: bold")
        self.diff_note = QLabel("")
        self.diff_note.setWordWrap(True)
        self.diff_table = QTableWidget(0, 3)
        self.diff_table.setObjectName("differences")
        self.diff_table.setHorizontalHeaderLabels([_("Số liệu"), _("Khi ban hành"), _("Hiện nay")])
        self.diff_table.verticalHeader().setVisible(False)
        self.diff_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        diff_header = self.diff_table.horizontalHeader()
        diff_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.diff_table.setColumnWidth(1, 140)
        self.diff_table.setColumnWidth(2, 140)
        panel = QVBoxLayout(self.diff_panel)
        panel.setContentsMargins(0, 6, 0, 0)
        panel.addWidget(self.diff_title)
        panel.addWidget(self.diff_note)
        panel.addWidget(self.diff_table, 1)
        self.diff_panel.setVisible(False)

        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.issued, 1)
        layout.addWidget(self.diff_panel, 1)
        return tab

    # --- the period ----------------------------------------------------------------------

    def _show_custom(self, shown: bool) -> None:
        for widget in (self.start, self.dash, self.end):
            widget.setVisible(shown)
        for widget in (self.year_label, self.year):
            widget.setVisible(not shown)

    def _kind_changed(self) -> None:
        self._show_custom(self.kind.currentData() == CUSTOM)
        self.refresh()

    def period_code(self) -> str:
        kind = self.kind.currentData()
        if kind == CUSTOM:
            return f"{_date(self.start).isoformat()}..{_date(self.end).isoformat()}"
        return period_code(self.year.value(), kind)

    def report_language(self) -> str:
        return self.language.currentData()

    def _period_label(self, code: str) -> str:
        period = parse_period(code)
        kind = self.kind.currentData()
        if period.kind == "custom":
            return _("Từ ngày {start} đến ngày {end}").format(
                start=format_date(period.start), end=format_date(period.end)
            )
        if kind:
            return _("{period} năm {year}").format(
                period=_(dict(PERIOD_KINDS)[kind]), year=period.year
            )
        return _("Năm {year}").format(year=period.year)

    # --- loading -------------------------------------------------------------------------

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        self._loaded = True
        if self._job is not None:
            self._job.cancel()
        try:
            code = parse_period(self.period_code()).code
        except Exception as exc:  # an end before the start in the custom dates
            self.caption.setText(str(getattr(exc, "message", exc)))
            return
        lang = self.report_language()
        day = today()
        self.caption.setText(_("Đang tính số liệu…"))
        self._job = self.worker.submit(
            lambda store: build_draft(store, code, lang, day),
            on_done=lambda data: self._alive() and self.show_data(code, data),
            on_error=lambda error, text: self._alive() and self._failed(error, text),
            label=_("Đang tính số liệu báo cáo…"),
            parent_widget=self,
        )
        self.load_issued()

    def _alive(self) -> bool:
        """False once the page is being destroyed (a late job's result is then dropped)."""
        return shiboken6.isValid(self) and shiboken6.isValid(self.diff_table)

    @property
    def loading(self) -> bool:
        return self._job is not None or self._diff_job is not None

    def _failed(self, error: BaseException, _text: str) -> None:
        self._job = None
        self.caption.setText("")
        show_error(self, error)

    def show_data(self, code: str, data) -> None:
        self._job = None
        self.data = data
        self.blocks = data.figures
        self.period = period = parse_period(code)
        self.period_label = self._period_label(code)
        caption = _("Từ ngày {start} đến ngày {end}; lũy kế từ đầu năm; so với cùng kỳ năm {last}.")
        if data.as_of is not None:  # dated before the period ends: counted up to that day
            caption = _(
                "Từ ngày {start} đến ngày {end} (hôm nay, kỳ báo cáo chưa kết thúc); lũy kế từ "
                "đầu năm; so với cùng kỳ năm {last}."
            )
        self.caption.setText(
            caption.format(
                start=format_date(period.start),
                end=format_date(data.as_of or period.end),
                last=period.year - 1,
            )
        )
        fill_figures(self.table, data)
        self.narrative.set_sections(data.narrative, self.edits.get(self._edit_key(), {}))
        self._update_buttons()
        self.status_changed.emit()

    def _edit_key(self) -> tuple[str, str]:
        return (self.data.period_code, self.data.lang)

    def _edited(self, key: str, text: str) -> None:
        if self.data is not None:
            self.edits.setdefault(self._edit_key(), {})[key] = text

    def current_data(self):
        """The draft with the officer's narrative."""
        return self.data.with_narrative(self.narrative.texts())

    def _update_buttons(self) -> None:
        ready = self.data is not None
        self.preview_button.setEnabled(ready)
        self.save_button.setEnabled(ready)
        self.issue_button.setEnabled(ready and not self.store.read_only)
        self.send_button.setEnabled(ready and not self.store.read_only)
        selected = self.selected_report_id() is not None
        self.reopen_button.setEnabled(selected)
        self.reprint_button.setEnabled(selected)
        self.withdraw_button.setEnabled(selected and not self.store.read_only)

    # --- the PDF -------------------------------------------------------------------------

    def render_current(self) -> bytes | None:
        from chapter_app.services.pdf.report import render_pdf

        if self.data is None:
            return None
        try:
            return render_pdf(self.current_data())
        except Exception as exc:
            show_error(self, exc)
            return None

    def preview_pdf(self) -> Path | None:
        pdf = self.render_current()
        if pdf is None:
            return None
        with tempfile.NamedTemporaryFile(prefix="bao-cao-", suffix=".pdf", delete=False) as handle:
            handle.write(pdf)
        self.last_preview = Path(handle.name)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_preview)))
        return self.last_preview

    def _ask_pdf_path(self, name: str) -> Path | None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Lưu báo cáo PDF"), str(Path.home() / name), _("Tệp PDF (*.pdf)")
        )
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        return Path(path)

    def _write(self, path: Path, pdf: bytes) -> bool:
        try:
            path.write_bytes(pdf)
        except OSError as exc:
            QMessageBox.warning(
                self,
                _("Không thực hiện được"),
                _("Không ghi được tệp {path}: {error}").format(path=path, error=exc.strerror),
            )
            return False
        return True

    def save_pdf(self) -> Path | None:
        if self.data is None:
            return None
        path = self._ask_pdf_path(f"bao-cao-{self.data.period_code}.pdf")
        if path is None:
            return None
        pdf = self.render_current()
        if pdf is None or not self._write(path, pdf):
            return None
        return path

    # --- the package for the level above -------------------------------------------------

    def send_to_upper_level(self):
        """The package dialog for the period shown (its figures, optionally its records)."""
        from chapter_app.ui.dialogs.package import send_to_upper_level

        if self.data is None or self.store.read_only:
            return None
        return send_to_upper_level(self, self.data.period_code, self.period_label)

    # --- issuing -------------------------------------------------------------------------

    def issue(self):
        """Choose the number and the date, read the checks, then issue the draft with the
        edited narrative (the figures are taken again at the chosen date)."""
        from chapter_app.services.report import labels as L
        from chapter_app.services.report.issue import issue_report, next_report_number
        from chapter_app.ui.dialogs.issue_report import IssueReportDialog

        if self.data is None or self.store.read_only:
            return None
        texts = self.narrative.texts()
        code, lang = self.data.period_code, self.data.lang

        def build(store, day: date):  # on the worker's thread, its read-only store
            return build_draft(store, code, lang, day).with_narrative(texts)

        day = today()
        dialog = IssueReportDialog(
            number=next_report_number(self.store, day.year),
            day=day,
            taken=self.store.reports.number_taken,
            build=build,
            worker=self.worker,
            parent=self,
        )
        self.issue_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.data is None:
            return None
        data = dialog.data
        try:
            issued = issue_report(self.store, data, number=dialog.number.value())
        except Exception as exc:
            show_error(self, exc)
            return None
        self.load_issued(select=issued.id)
        QMessageBox.information(
            self,
            _("Đã ban hành"),
            _("Đã ban hành báo cáo {number}.").format(
                number=L.document_number(issued.number, data.document_code, data.lang)
            ),
        )
        return issued

    def withdraw_selected(self, reason: str | None = None):
        """Withdraw the selected issued report with a reason (kept, its number not reused)."""
        from chapter_app.services.report.issue import withdraw_report

        report_id = self.selected_report_id()
        if report_id is None or self.store.read_only:
            return None
        if reason is None:
            reason, ok = QInputDialog.getText(
                self,
                _("Thu hồi báo cáo"),
                _("Lý do thu hồi (báo cáo vẫn được lưu, số văn bản không dùng lại):"),
            )
            if not ok:
                return None
        try:
            withdrawn = withdraw_report(self.store, report_id, reason=reason, on=today())
        except Exception as exc:
            show_error(self, exc)
            return None
        self.load_issued(select=report_id)
        return withdrawn

    # --- issued reports ------------------------------------------------------------------

    def load_issued(self, select: int | None = None) -> None:
        keep = select if select is not None else self.selected_report_id()
        from chapter_app.services.report import labels as L

        reports = self.store.reports.list()
        code = self.store.settings.get("document_code") or ""
        self.issued.blockSignals(True)
        self.issued.clearSelection()
        self.issued.setRowCount(len(reports))
        for row, report in enumerate(reports):
            # As the document prints it: "01/BC-CTĐ" (numbers restart each year).
            shown = L.document_number(report.number, code, "vi").split(" ", 1)[-1]
            number = QTableWidgetItem(shown)
            number.setData(Qt.ItemDataRole.UserRole, report.id)
            self.issued.setItem(row, 0, number)
            self.issued.setItem(row, 1, QTableWidgetItem(format_date(report.issued_on)))
            self.issued.setItem(row, 2, QTableWidgetItem(report.subject))
            self.issued.setItem(row, 3, QTableWidgetItem(_(dict(LANGUAGES)[report.lang])))
            status = (
                _("Đã thu hồi ngày {day}: {reason}").format(
                    day=format_date(report.withdrawn_on), reason=report.withdrawal_reason
                )
                if report.withdrawn_on
                else _("Đã ban hành")
            )
            self.issued.setItem(row, 4, QTableWidgetItem(status))
            if report.id == keep:
                self.issued.selectRow(row)
        self.issued.blockSignals(False)
        self._issued_selected()

    def selected_report_id(self) -> int | None:
        rows = self.issued.selectionModel().selectedRows()
        if not rows:
            return None
        return self.issued.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)

    def select_report(self, report_id: int) -> None:
        for row in range(self.issued.rowCount()):
            if self.issued.item(row, 0).data(Qt.ItemDataRole.UserRole) == report_id:
                self.issued.selectRow(row)
                return

    def _issued_selected(self) -> None:
        from chapter_app.services.report.issue import differences_since_issue

        self._update_buttons()
        if self._diff_job is not None:
            self._diff_job.cancel()
            self._diff_job = None
        if not self._alive():
            return
        report_id = self.selected_report_id()
        if report_id is None:
            self.show_differences(None, [])
            return
        self._diff_job = self.worker.submit(
            lambda store: differences_since_issue(store, report_id),
            on_done=lambda diffs: self._alive() and self.show_differences(report_id, diffs),
            on_error=lambda error, text: self._alive() and self._diff_failed(error, text),
        )

    def _diff_failed(self, error: BaseException, _text: str) -> None:
        self._diff_job = None
        show_error(self, error)

    def show_differences(self, report_id: int | None, differences: list) -> None:
        from chapter_app.i18n import language
        from chapter_app.services.report import labels as L

        self._diff_job = None
        self.diff_report_id = report_id
        self.differences = differences
        lang = "en" if language() == "en" else "vi"
        self.diff_table.setRowCount(len(differences))
        for row, (key, issued, current) in enumerate(differences):
            self.diff_table.setItem(row, 0, QTableWidgetItem(L.describe_key(key, lang)))
            for column, value in ((1, issued), (2, current)):
                text = "—" if value is None else format_number(value)
                item = QTableWidgetItem(text)
                item.setTextAlignment(RIGHT)
                self.diff_table.setItem(row, column, item)
        self.diff_note.setText(
            _(
                "Sổ sách của kỳ này đã thay đổi sau khi ban hành: {count} số liệu khác với "
                "báo cáo đã ban hành."
            ).format(count=format_number(len(differences)))
        )
        self.diff_panel.setVisible(bool(differences))
        if differences:
            self.tabs.setTabText(2, _("Báo cáo đã ban hành (có số liệu đã thay đổi)"))
        else:
            self.tabs.setTabText(2, _("Báo cáo đã ban hành"))

    def reopen_selected(self) -> IssuedReportDialog | None:
        from chapter_app.services.report.issue import issued_data

        report_id = self.selected_report_id()
        if report_id is None:
            return None
        try:
            data = issued_data(self.store, report_id)
        except Exception as exc:
            show_error(self, exc)
            return None
        self.view_dialog = IssuedReportDialog(data, self)
        self.view_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.view_dialog.show()
        return self.view_dialog

    def reprint_selected(self) -> Path | None:
        from chapter_app.services.report.issue import reprint

        report_id = self.selected_report_id()
        if report_id is None:
            return None
        report = self.store.reports.get(report_id)
        path = self._ask_pdf_path(f"bao-cao-{report.number:02d}-{report.year}.pdf")
        if path is None:
            return None
        try:
            pdf = reprint(self.store, report_id)
        except Exception as exc:
            show_error(self, exc)
            return None
        return path if self._write(path, pdf) else None

    def status_text(self) -> str:
        if self.period is None:
            return ""
        return _("Kỳ báo cáo: {label}").format(label=self.period_label)
