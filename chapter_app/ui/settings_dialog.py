"""The chapter's settings: identity, report header and recipients, dues, ages, backups, language.

``SettingsPanel`` is the form (used by the Cài đặt page and by ``SettingsDialog``);
``save()`` validates, then writes every changed value in one operation through
``store.settings.update``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from chapter_app.domain.validation import check_money, group_thousands
from chapter_app.i18n import LANGUAGE_NAMES, _, format_number
from chapter_app.paths import default_backups_dir
from chapter_app.ui.blood_settings import BloodSettings

SIGNING_FORMS = ["TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH", "TM. BAN CHẤP HÀNH"]
SIGNER_TITLES = ["CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def _error_label() -> QLabel:
    label = QLabel("")
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label


def _spin(low: int, high: int, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    if suffix:
        spin.setSuffix(suffix)
    return spin


def _editable_combo(items: list[str]) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItems(items)
    return combo


class SettingsPanel(QWidget):
    """The settings form over ``store.settings``."""

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        self.fields: dict[str, QWidget] = {}

        # Hội
        self.chapter_name = self._line("chapter_name", _("Ví dụ: Hội Chữ thập đỏ xã Tịnh Kỳ"))
        self.chapter_error = _error_label()
        self.parent_name = self._line("parent_name", _("Ví dụ: Hội Chữ thập đỏ tỉnh Quảng Ngãi"))
        self.place_name = self._line("place_name", _("Ví dụ: Tịnh Kỳ"))
        chapter = QFormLayout()
        chapter.addRow(_("Tên Hội:"), self.chapter_name)
        chapter.addRow("", self.chapter_error)
        chapter.addRow(_("Hội cấp trên:"), self.parent_name)
        chapter.addRow(_("Địa danh ghi ở dòng ngày tháng:"), self.place_name)
        self._tab(chapter, _("Hội"))

        # Báo cáo
        self.document_code = self._line("document_code", "CTĐ")
        self.signing_form = _editable_combo(SIGNING_FORMS)
        self.signer_title = _editable_combo(SIGNER_TITLES)
        self.signer_name = self._line("signer_name", _("Họ và tên người ký"))
        self.recipients = QPlainTextEdit()
        self.recipients.setObjectName("recipients")
        self.recipients.setPlaceholderText(_("Mỗi nơi nhận một dòng"))
        self.recipients.setTabChangesFocus(True)
        self.archive_line = self._line("archive_line", "Lưu: VT.")
        report = QFormLayout()
        report.addRow(_("Ký hiệu văn bản:"), self.document_code)
        report.addRow(_("Thẩm quyền ký:"), self.signing_form)
        report.addRow(_("Chức vụ người ký:"), self.signer_title)
        report.addRow(_("Người ký:"), self.signer_name)
        report.addRow(_("Nơi nhận:"), self.recipients)
        report.addRow(_("Dòng lưu:"), self.archive_line)
        self._tab(report, _("Báo cáo"))

        # Hội viên
        self.dues = self._line("dues_per_month", "1.000")
        self.dues_error = _error_label()
        self.exempt = _spin(0, 100, " %")
        self.member_age = _spin(0, 120)
        self.volunteer_age = _spin(0, 120)
        self.youth_min = _spin(0, 120)
        self.youth_max = _spin(0, 120)
        self.ages_error = _error_label()
        members = QFormLayout()
        members.addRow(_("Hội phí mỗi tháng (đồng):"), self.dues)
        members.addRow("", self.dues_error)
        members.addRow(_("Tỷ lệ miễn hội phí tối đa:"), self.exempt)
        members.addRow(_("Tuổi tối thiểu của hội viên:"), self.member_age)
        members.addRow(_("Tuổi tối thiểu của tình nguyện viên:"), self.volunteer_age)
        youth = QHBoxLayout()
        youth.addWidget(self.youth_min)
        youth.addWidget(QLabel(_("đến")))
        youth.addWidget(self.youth_max)
        youth.addStretch(1)
        members.addRow(_("Tuổi thanh, thiếu niên CTĐ:"), youth)
        members.addRow("", self.ages_error)
        self._tab(members, _("Hội viên"))
        self.blood = BloodSettings(self)

        # Sao lưu và ngôn ngữ
        self.backups_dir = self._line("backups_dir", str(default_backups_dir(store.path)))
        choose = QPushButton(_("Chọn…"))
        choose.clicked.connect(self._choose_backups_dir)
        backups = QHBoxLayout()
        backups.addWidget(self.backups_dir, 1)
        backups.addWidget(choose)
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        other = QFormLayout()
        other.addRow(_("Thư mục sao lưu:"), backups)
        other.addRow(
            "",
            QLabel(_("Để trống: thư mục «backups» bên cạnh tệp dữ liệu.")),
        )
        other.addRow(_("Ngôn ngữ:"), self.language)
        other.addRow("", QLabel(_("Ngôn ngữ mới có hiệu lực khi mở lại chương trình.")))
        self._tab(other, _("Sao lưu và ngôn ngữ"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.load()

    def _line(self, key: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(key)
        if placeholder:
            edit.setPlaceholderText(placeholder)
        self.fields[key] = edit
        return edit

    def _tab(self, form: QFormLayout, title: str) -> None:
        page = QWidget()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        page.setLayout(form)
        self.tabs.addTab(page, title)

    def _choose_backups_dir(self) -> None:
        start = self.backups_dir.text() or str(default_backups_dir(self.store.path))
        chosen = QFileDialog.getExistingDirectory(self, _("Chọn thư mục sao lưu"), start)
        if chosen:
            self.backups_dir.setText(chosen)

    # --- values --------------------------------------------------------------------------

    def load(self) -> None:
        values = self.store.settings.all()
        self.chapter_name.setText(values.get("chapter_name") or "")
        self.parent_name.setText(values.get("parent_name") or "")
        self.place_name.setText(values.get("place_name") or "")
        self.document_code.setText(values.get("document_code") or "")
        self.signing_form.setCurrentText(values.get("signing_form") or "")
        self.signer_title.setCurrentText(values.get("signer_title") or "")
        self.signer_name.setText(values.get("signer_name") or "")
        self.recipients.setPlainText("\n".join(values.get("recipients") or []))
        self.archive_line.setText(values.get("archive_line") or "")
        self.dues.setText(group_thousands(int(values.get("dues_per_month") or 0)))
        self.exempt.setValue(int(values.get("dues_exempt_max_percent") or 0))
        self.member_age.setValue(int(values.get("member_min_age") or 0))
        self.volunteer_age.setValue(int(values.get("volunteer_min_age") or 0))
        self.youth_min.setValue(int(values.get("youth_min_age") or 0))
        self.youth_max.setValue(int(values.get("youth_max_age") or 0))
        self.backups_dir.setText(values.get("backups_dir") or "")
        index = self.language.findData(values.get("language") or "vi")
        self.language.setCurrentIndex(max(index, 0))
        self.blood.load(values)

    def values(self) -> tuple[dict[str, Any], list[tuple[QLabel, str]]]:
        """The values as typed, and the problems (label to show them in, message)."""
        problems: list[tuple[QLabel, str]] = []
        chapter_name = " ".join(self.chapter_name.text().split())
        if not chapter_name:
            problems.append((self.chapter_error, _("Chưa nhập tên Hội.")))
        dues, issues = check_money(self.dues.text(), field="dues_per_month", required=True)
        for issue in issues:
            problems.append((self.dues_error, issue.render(_, format_number)))
        if self.youth_min.value() > self.youth_max.value():
            problems.append(
                (self.ages_error, _("Tuổi thanh, thiếu niên: tuổi đầu lớn hơn tuổi cuối."))
            )
        recipients = [" ".join(line.split()) for line in self.recipients.toPlainText().splitlines()]
        values = {
            "chapter_name": chapter_name,
            "parent_name": " ".join(self.parent_name.text().split()),
            "place_name": " ".join(self.place_name.text().split()),
            "document_code": self.document_code.text().strip(),
            "signing_form": self.signing_form.currentText().strip(),
            "signer_title": self.signer_title.currentText().strip(),
            "signer_name": " ".join(self.signer_name.text().split()),
            "recipients": [line for line in recipients if line],
            "archive_line": self.archive_line.text().strip(),
            "dues_per_month": dues if dues is not None else 0,
            "dues_exempt_max_percent": self.exempt.value(),
            "member_min_age": self.member_age.value(),
            "volunteer_min_age": self.volunteer_age.value(),
            "youth_min_age": self.youth_min.value(),
            "youth_max_age": self.youth_max.value(),
            "backups_dir": self.backups_dir.text().strip(),
            "language": self.language.currentData(),
        }
        values.update(self.blood.values(problems))
        return values, problems

    def save(self) -> bool:
        """Validate and store; False (with the messages shown at the fields) when invalid."""
        for label in (self.chapter_error, self.dues_error, self.ages_error):
            label.hide()
        values, problems = self.values()
        if problems:
            for label, message in problems:
                label.setText(message)
                label.show()
            first = problems[0][0]
            for index in range(self.tabs.count()):
                if self.tabs.widget(index).isAncestorOf(first):
                    self.tabs.setCurrentIndex(index)
                    break
            return False
        self.store.settings.update(values)
        return True


class SettingsDialog(QDialog):
    """The settings form in a dialog (Tệp > Cài đặt…)."""

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Cài đặt"))
        self.store = store
        self.old_language = store.settings.get("language") or "vi"
        self.panel = SettingsPanel(store)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(buttons)
        self.resize(640, 460)

    def accept(self) -> None:
        if self.panel.save():
            super().accept()

    @property
    def language_changed(self) -> bool:
        return (self.store.settings.get("language") or "vi") != self.old_language


def ask_restart(parent: QWidget | None) -> bool:
    """After a language change: True when the officer wants the program reopened now."""
    answer = QMessageBox.question(
        parent,
        _("Đổi ngôn ngữ"),
        _(
            "Ngôn ngữ mới có hiệu lực khi mở lại chương trình. Mọi dữ liệu đã được lưu.\n\n"
            "Mở lại chương trình ngay bây giờ?"
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    return answer == QMessageBox.StandardButton.Yes
