"""Tổng hợp (upper level only): receive the chapters' packages, see the consolidated table.

The table has one row per chapter (those that sent the period, then those listed that did
not), and the totals. Receiving checks every package (schemas, sizes, checksums,
password), then keeps them all in one operation or none, each file with its verdict; a
package received by mistake can be taken out ("Bỏ gói đã nhận…", audited). An upper
level's database is small (a few packages a quarter per chapter): consolidation runs on
the GUI thread in milliseconds.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chapter_app.errors import AppError, WrongPasswordError
from chapter_app.i18n import N_, _, format_number, pgettext
from chapter_app.services import exchange as ex
from chapter_app.services.exchange import MAIN_KEYS
from chapter_app.store.files import write_bytes_whole
from chapter_app.ui.pages.base import Page, show_error, today, upper_first
from chapter_app.ui.pages.reports import PERIOD_KINDS, RIGHT, period_code

MISSING_COLOUR = QColor("#fde2e1")
PASSWORD_TRIES = 3


def _local_time(iso: str) -> str:
    """A package's UTC creation time as the officer's clock shows it: dd/mm/yyyy hh:mm."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return iso


class ResultsDialog(QDialog):
    """What became of each package received (the differences of a replacement included)."""

    def __init__(self, lines: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Kết quả nhận gói số liệu"))
        self.resize(720, 420)
        self.text = QPlainTextEdit("\n\n".join(lines))
        self.text.setObjectName("receiveResults")
        self.text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)


class ConsolidationPage(Page):
    title = N_("Tổng hợp")

    def __init__(self, store, worker, parent: QWidget | None = None):
        super().__init__(store, worker, parent)
        self.consolidation = None
        self.results_dialog: ResultsDialog | None = None
        heading = QLabel(_("Tổng hợp số liệu của các Hội cơ sở"))
        heading.setObjectName("pageTitle")
        self.kind = QComboBox()
        self.kind.setObjectName("periodKind")
        for code, label in PERIOD_KINDS:
            if code != "custom":
                self.kind.addItem(_(label), code)
        self.year = QSpinBox()
        self.year.setObjectName("periodYear")
        self.year.setRange(2000, 2100)
        self._choose_default_period()
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.year.valueChanged.connect(lambda _v: self.refresh())

        self.receive_button = QPushButton(_("Nhận gói số liệu…"))
        self.receive_button.setObjectName("receivePackages")
        self.receive_button.clicked.connect(lambda _c=False: self.receive())
        self.remove_button = QPushButton(_("Bỏ gói đã nhận…"))
        self.remove_button.setObjectName("removePackage")
        self.remove_button.clicked.connect(lambda _c=False: self.remove_selected())
        self.chapters_button = QPushButton(_("Hội cơ sở trực thuộc…"))
        self.chapters_button.clicked.connect(lambda _c=False: self.edit_affiliates())
        self.excel_button = QPushButton(_("Xuất Excel…"))
        self.excel_button.clicked.connect(lambda _c=False: self.export_excel())
        self.pdf_button = QPushButton(_("Báo cáo tổng hợp (PDF)…"))
        self.pdf_button.clicked.connect(lambda _c=False: self.save_pdf())

        picker = QHBoxLayout()
        picker.addWidget(QLabel(_("Kỳ báo cáo:")))
        picker.addWidget(self.kind)
        picker.addWidget(QLabel(_("năm")))
        picker.addWidget(self.year)
        picker.addStretch(1)
        picker.addWidget(self.excel_button)
        picker.addWidget(self.pdf_button)
        actions = QHBoxLayout()  # a row of its own: the page fits 1093 logical pixels
        actions.addWidget(self.receive_button)
        actions.addWidget(self.remove_button)
        actions.addWidget(self.chapters_button)
        actions.addStretch(1)

        self.summary = QLabel("")
        self.summary.setObjectName("pageSubtitle")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 3 + len(MAIN_KEYS))
        self.table.setObjectName("consolidation")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        self.table.setColumnWidth(0, 44)
        self.table.setColumnWidth(2, 130)
        for column in range(3, 3 + len(MAIN_KEYS)):
            self.table.setColumnWidth(column, 100)
        self._set_headers()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addWidget(heading)
        layout.addLayout(picker)
        layout.addLayout(actions)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self._loaded = False

    def _set_headers(self) -> None:
        from chapter_app.services.indicators import INDICATORS

        labels = {key: label for key, label, _unit in INDICATORS}
        self.table.setHorizontalHeaderLabels(
            [_("STT"), _("Hội cơ sở"), _("Gửi lúc")]
            + [pgettext("indicator", labels[key]) for key in MAIN_KEYS]
        )
        self.table.horizontalHeader().setMinimumHeight(self.fontMetrics().height() * 3 + 8)

    def _choose_default_period(self) -> None:
        """The period of the newest package received, else the current quarter."""
        day = today()
        current = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        newest = self.store.exchange.packages.newest_period_code()
        if not (newest and self.show_period(newest)):
            self.show_period(current)

    def show_period(self, code: str) -> bool:
        """Set the period picker to ``code`` ("2026-Q3", "2026"...) without reloading;
        False when the picker has no such period (a custom range)."""
        year, _sep, kind = code.partition("-")
        index = self.kind.findData(kind)
        if not year.isdigit() or index < 0:
            return False
        for widget in (self.kind, self.year):
            widget.blockSignals(True)
        self.kind.setCurrentIndex(index)
        self.year.setValue(int(year))
        for widget in (self.kind, self.year):
            widget.blockSignals(False)
        return True

    def period_code(self) -> str:
        return period_code(self.year.value(), self.kind.currentData())

    # --- loading -------------------------------------------------------------------------

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        self._loaded = True
        try:
            consolidation = ex.consolidate(self.store, self.period_code())
        except AppError as exc:
            self.consolidation = None
            self.table.setRowCount(0)
            self.summary.setText(_(exc.message))
            self._update_buttons()
            return
        self.show_consolidation(consolidation)

    def show_consolidation(self, consolidation) -> None:
        self.consolidation = consolidation
        rows = consolidation.rows
        self.table.setRowCount(len(rows) + len(consolidation.missing) + 1)
        line = 0
        for number, row in enumerate(rows, start=1):
            sent = _local_time(row.created_at)
            self._fill(line, str(number), row.chapter_name, sent, row.figures)
            line += 1
        bold = QFont(self.font())
        bold.setBold(True)
        self._fill(line, "", _("Tổng cộng"), "", consolidation.totals, font=bold)
        line += 1
        for name in consolidation.missing:
            self._fill(line, "", name, _("Chưa gửi"), None, background=MISSING_COLOUR)
            line += 1
        listed = len(rows) + len(consolidation.missing)
        text = _("{period}: {sent}/{listed} Hội cơ sở đã gửi số liệu.").format(
            period=upper_first(consolidation.period.vietnamese_label()),
            sent=format_number(len(rows)),
            listed=format_number(listed),
        )
        if consolidation.missing:
            text += " " + _("Chưa gửi: {names}.").format(names=", ".join(consolidation.missing))
        self.summary.setText(text)
        self._update_buttons()
        self.status_changed.emit()

    def _fill(self, line, number, name, sent, figures, *, font=None, background=None) -> None:
        cells = [number, name, sent]
        cells += [
            "" if figures is None else format_number(int(figures.get(k, 0))) for k in MAIN_KEYS
        ]
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column == 1:
                item.setToolTip(text)
            if column == 0 or column >= 3:
                item.setTextAlignment(RIGHT)
            if font is not None:
                item.setFont(font)
            if background is not None:
                item.setBackground(QBrush(background))
            self.table.setItem(line, column, item)

    def _update_buttons(self) -> None:
        has_rows = self.consolidation is not None and bool(self.consolidation.rows)
        self.excel_button.setEnabled(has_rows)
        self.pdf_button.setEnabled(has_rows)
        writable = not self.store.read_only
        self.receive_button.setEnabled(writable)
        self.remove_button.setEnabled(writable and has_rows)
        self.chapters_button.setEnabled(writable)

    def status_text(self) -> str:
        if self.consolidation is None:
            return ""
        return _("{count} Hội cơ sở đã gửi").format(
            count=format_number(len(self.consolidation.rows))
        )

    # --- receiving -----------------------------------------------------------------------

    def receive(self, paths: list[Path] | None = None) -> list[str]:
        """Receive the chosen packages: every one checked, then all kept in one operation
        or none; returns the lines shown (one verdict per file)."""
        from chapter_app.services.receive import receive_packages

        if paths is None:
            names, _filter = QFileDialog.getOpenFileNames(
                self, _("Chọn gói số liệu"), str(Path.home()), _("Gói số liệu (*.ctdpkg)")
            )
            paths = [Path(n) for n in names]
        if not paths:
            return []
        passwords: dict[str, str | None] = {}
        password: str | None = None  # the last one that opened a package: tried first
        for path in paths:
            passwords[str(path)] = self._password_for(path, password)
            password = passwords[str(path)] or password
        try:
            batch = receive_packages(self.store, paths, passwords=passwords)
        except AppError as exc:
            show_error(self, exc)
            return []
        lines = []
        for verdict in batch.verdicts:
            if verdict.ok:
                lines.append(_(verdict.message))
            else:
                lines.append(
                    _("«{name}»: không nhận — {why}").format(
                        name=verdict.path.name, why=_(verdict.message)
                    )
                )
        if not batch.ok:
            lines.append(_("Không nhận gói nào: hãy bỏ hoặc thay các gói lỗi rồi nhận lại cả đợt."))
        received = [r.period_code for r in batch.results if r.period_code]
        if batch.ok and received:
            self.show_period(received[-1])
        self.refresh()
        self.results_dialog = ResultsDialog(lines, self)
        self.results_dialog.open()
        return lines

    def _password_for(self, path: Path, password: str | None) -> str | None:
        """The password that opens ``path`` (asked when needed), or None."""
        from chapter_app.services.package_read import PackageFile

        tries = 0
        while True:
            try:
                PackageFile(path, password=password).close()
                return password
            except (ex.PasswordRequiredError, WrongPasswordError) as exc:
                if tries and isinstance(exc, WrongPasswordError):
                    QMessageBox.warning(self, _("Sai mật khẩu"), _(exc.message))
                if tries >= PASSWORD_TRIES:
                    return None
                tries += 1
                password = self.ask_password(path)
                if password is None:
                    return None
            except AppError:
                return password  # the check that follows tells what is wrong

    # --- removing a package received -------------------------------------------------------

    def selected_row(self):
        """The chapter row selected in the table (one that sent the period), or None."""
        if self.consolidation is None:
            return None
        line = self.table.currentRow()
        rows = self.consolidation.rows
        return rows[line] if 0 <= line < len(rows) else None

    def remove_selected(self) -> bool:
        """ "Bỏ gói đã nhận…": take the selected chapter's package of the period out (a
        package sent by mistake), after a backup; the reason goes to the audit log."""
        from chapter_app.services.receive import remove_package

        row = self.selected_row()
        if row is None:
            QMessageBox.information(
                self, _("Bỏ gói đã nhận"), _("Hãy chọn một Hội cơ sở đã gửi gói trong bảng.")
            )
            return False
        reason, ok = QInputDialog.getText(
            self,
            _("Bỏ gói đã nhận"),
            _("Bỏ gói của «{name}» kỳ {period}? Ghi lý do (lưu vào nhật ký):").format(
                name=row.chapter_name, period=self.consolidation.period.code
            ),
        )
        if not ok:
            return False
        try:
            remove_package(
                self.store,
                row.chapter_uuid,
                self.consolidation.period.code,
                reason=" ".join(reason.split()) or None,
            )
        except AppError as exc:
            show_error(self, exc)
            return False
        self.refresh()
        return True

    def ask_password(self, path: Path) -> str | None:
        text, ok = QInputDialog.getText(
            self,
            _("Gói có mật khẩu"),
            _("Mật khẩu của gói «{name}»:").format(name=path.name),
            QLineEdit.EchoMode.Password,
        )
        return text if ok and text else None

    # --- the chapters --------------------------------------------------------------------

    def edit_affiliates(self):
        from chapter_app.ui.dialogs.affiliates import AffiliatesDialog

        dialog = AffiliatesDialog(self.store, self)
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.open()
        return dialog

    # --- output --------------------------------------------------------------------------

    def _ask_path(self, title: str, name: str, pattern: str, suffix: str) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), pattern)
        if not chosen:
            return None
        return Path(chosen if chosen.lower().endswith(suffix) else chosen + suffix)

    def export_excel(self, dest: Path | None = None) -> Path | None:
        if self.consolidation is None:
            return None
        name = f"tong-hop-{self.consolidation.period.code}.xlsx"
        dest = dest or self._ask_path(_("Xuất Excel"), name, _("Bảng tính Excel (*.xlsx)"), ".xlsx")
        if dest is None:
            return None
        try:
            return ex.export_consolidation(self.consolidation, dest)
        except Exception as exc:
            show_error(self, exc)
            return None

    def save_pdf(self, dest: Path | None = None) -> Path | None:
        if self.consolidation is None:
            return None
        name = f"bao-cao-tong-hop-{self.consolidation.period.code}.pdf"
        dest = dest or self._ask_path(_("Lưu báo cáo PDF"), name, _("Tệp PDF (*.pdf)"), ".pdf")
        if dest is None:
            return None
        try:
            pdf = ex.consolidated_report_pdf(self.store, self.consolidation, issued_on=today())
            write_bytes_whole(dest, pdf)
        except OSError as exc:
            QMessageBox.warning(
                self,
                _("Không thực hiện được"),
                _("Không ghi được tệp {path}: {error}").format(path=dest, error=exc.strerror),
            )
            return None
        except Exception as exc:
            show_error(self, exc)
            return None
        return dest
