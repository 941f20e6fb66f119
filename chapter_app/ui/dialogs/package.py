""" "Gửi cấp trên…": make the exchange package (.ctdpkg) of a period for the level above.

The package is made off the GUI thread on a read-only store (figures, records, encryption)
and written by the GUI's store, which notes it in the audit log.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from chapter_app.i18n import N_, _
from chapter_app.services import exchange as ex
from chapter_app.ui.pages.base import show_error

PERSONAL_DATA = [
    ("minimal", N_("Tối thiểu: không có họ tên, số định danh, điện thoại")),
    ("names", N_("Kèm họ tên, ngày sinh và địa chỉ")),
    ("full", N_("Đầy đủ: kèm cả số định danh và số điện thoại")),
]
ERROR_STYLE = "color: #b3261e"
NOTE_STYLE = "color: #8a5a00"


def package_file_name(store, period_code: str) -> str:
    """A file name the level above can sort: ``<chapter>-<period>.ctdpkg``, ASCII only."""
    from chapter_app.domain.text import fold

    name = fold(store.settings.get("chapter_name") or "hoi")
    slug = "-".join("".join(c if c.isalnum() else " " for c in name).split())
    return f"{slug or 'hoi'}-{period_code}.ctdpkg"


class PackageDialog(QDialog):
    """Options of the package of ``period_code``; ``create()`` asks where to save it."""

    def __init__(self, store, worker, period_code: str, period_label: str, parent=None):
        super().__init__(parent)
        self.store = store
        self.worker = worker
        self.period_code = period_code
        self.job = None
        self.info = None  # the PackageInfo once written
        self.setWindowTitle(_("Gửi số liệu cho cấp trên"))
        self.setMinimumWidth(560)

        intro = QLabel(
            _(
                "Tạo gói số liệu {period} (tệp .ctdpkg) để gửi Hội cấp trên qua USB hoặc thư "
                "điện tử. Cấp trên nhận gói bằng chương trình này và tổng hợp số liệu."
            ).format(period=period_label)
        )
        intro.setWordWrap(True)
        issued = ex.issued_report_of(store, period_code) is not None
        self.with_report = QCheckBox(_("Gửi kèm báo cáo đã ban hành của kỳ"))
        self.with_report.setObjectName("withReport")
        self.with_report.setChecked(issued)
        self.with_report.setEnabled(issued)
        if not issued:
            self.with_report.setText(_("Gửi kèm báo cáo đã ban hành (kỳ này chưa ban hành)"))
        self.with_records = QCheckBox(_("Gửi kèm các bản ghi (hội viên, địa chỉ, trợ giúp…)"))
        self.with_records.setObjectName("withRecords")
        self.personal = QComboBox()
        self.personal.setObjectName("personalData")
        for code, label in PERSONAL_DATA:
            self.personal.addItem(_(label), code)
        self.protect = QCheckBox(_("Khóa gói bằng mật khẩu"))
        self.protect.setObjectName("protect")
        self.password = self._password_field("password")
        self.repeat = self._password_field("repeat")
        self.message = QLabel("")
        self.message.setObjectName("packageMessage")
        self.message.setWordWrap(True)
        sensitive = QLabel(
            _(
                "Thông tin nhạy cảm (dân tộc, tôn giáo, sức khỏe, khuyết tật…) "
                "không bao giờ được gửi."
            )
        )
        sensitive.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.with_report)
        form.addRow(self.with_records)
        form.addRow(_("Dữ liệu cá nhân:"), self.personal)
        form.addRow(sensitive)
        form.addRow(self.protect)
        form.addRow(_("Mật khẩu:"), self.password)
        form.addRow(_("Nhập lại mật khẩu:"), self.repeat)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Tạo gói…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Hủy"))
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        for box in (self.with_records, self.protect):
            box.toggled.connect(lambda _on: self.check())
        self.personal.currentIndexChanged.connect(lambda _i: self.check())
        self.check()

    def _password_field(self, name: str) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(name)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.textChanged.connect(lambda _t: self.check())
        return field

    def check(self) -> bool:
        """Enable what applies, say what is wrong (or worth knowing); True when it can be made."""
        records = self.with_records.isChecked()
        self.personal.setEnabled(records)
        protected = self.protect.isChecked()
        for field in (self.password, self.repeat):
            field.setEnabled(protected)
        error = ""
        if protected and not self.password.text():
            error = _("Chưa nhập mật khẩu.")
        elif protected and self.password.text() != self.repeat.text():
            error = _("Hai lần nhập mật khẩu không giống nhau.")
        note = ""
        if not error and records and self.personal.currentData() != "minimal" and not protected:
            note = _(
                "Gói có họ tên người dân: nên khóa bằng mật khẩu và báo mật khẩu cho cấp trên "
                "theo đường khác (điện thoại), không gửi cùng gói."
            )
        self.message.setText(error or note)
        self.message.setStyleSheet(ERROR_STYLE if error else NOTE_STYLE)
        self.ok_button.setEnabled(not error and self.job is None)
        return not error

    def options(self) -> dict:
        return {
            "with_records": self.with_records.isChecked(),
            "personal_data": self.personal.currentData(),
            "password": self.password.text() if self.protect.isChecked() else None,
            "include_issued_report": self.with_report.isChecked(),
        }

    def create(self, dest: Path | None = None) -> None:
        """Ask where to save (unless ``dest`` is given), make the package, write it."""
        if not self.check() or self.job is not None:
            return
        if dest is None:
            start = str(Path.home() / package_file_name(self.store, self.period_code))
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Lưu gói số liệu"), start, _("Gói số liệu (*.ctdpkg)")
            )
            if not chosen:
                return
            dest = Path(chosen if chosen.lower().endswith(".ctdpkg") else chosen + ".ctdpkg")
        try:
            ex.chapter_identity(self.store)  # made (a write) here, before the read-only job
        except Exception as exc:
            show_error(self, exc)
            return
        code, options = self.period_code, self.options()
        self.job = self.worker.submit(
            lambda store: ex.prepare_package(store, code, **options),
            on_done=lambda prepared: self._write(prepared, dest),
            on_error=lambda error, _text: self._failed(error),
            label=_("Đang tạo gói số liệu…"),
            parent_widget=self,
            context=self,
        )
        self.check()

    def _write(self, prepared, dest: Path) -> None:
        self.job = None
        self.check()
        try:
            self.info = ex.write_package(self.store, prepared, dest)
        except OSError as exc:
            QMessageBox.warning(
                self,
                _("Không thực hiện được"),
                _("Không ghi được tệp {path}: {error}").format(path=dest, error=exc.strerror),
            )
            return
        except Exception as exc:
            show_error(self, exc)
            return
        QMessageBox.information(
            self,
            _("Đã tạo gói số liệu"),
            _("Đã tạo gói {path}.\n\nMã kiểm tra (SHA-256): {sha}").format(
                path=self.info.path, sha=self.info.content_sha256
            ),
        )
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.job = None
        self.check()
        show_error(self, error)


def send_to_upper_level(page: QWidget, period_code: str, period_label: str) -> PackageDialog:
    dialog = PackageDialog(page.store, page.worker, period_code, period_label, page)
    dialog.open()
    return dialog
