"""The first start: a short wizard that names the chapter and creates its database.

It asks the chapter's name, the level above, the place name of the date line and the
signer, then creates the file (and, when asked, fills it with demo data to try the
program). The file is created off the GUI thread with a progress dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from chapter_app import APP_TITLE, i18n
from chapter_app.i18n import _
from chapter_app.ui.qt_i18n import apply_language
from chapter_app.ui.settings_dialog import SIGNER_TITLES, SIGNING_FORMS
from chapter_app.ui.worker import run_task


def create_database(
    path: Path,
    *,
    chapter_name: str,
    parent_name: str,
    place_name: str,
    signing_form: str,
    signer_title: str,
    signer_name: str,
    demo: bool,
    upper: bool = False,
    language: str = "vi",
) -> Path:
    """Create and fill the database (runs off the GUI thread; no Qt here). ``upper``: the
    database of an upper level, which receives and consolidates the chapters' packages
    (no demo data then)."""
    from chapter_app.services.setup import init_database

    store = init_database(
        path, chapter_name=chapter_name, parent_name=parent_name, place_name=place_name
    )
    try:
        store.settings.update(
            {"signing_form": signing_form, "signer_title": signer_title, "signer_name": signer_name}
        )
        if language != "vi":
            store.settings.update({"language": language})
        if upper:
            from chapter_app.services.exchange import enable_upper_mode

            enable_upper_mode(store)
        elif demo:
            from chapter_app.services.demo import generate_demo

            generate_demo(store, size="small")
    finally:
        store.close()
    return path


def _line(name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setMinimumWidth(360)
    return edit


def _text(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


LANGUAGES = (("Tiếng Việt", "vi"), ("English", "en"))  # each in its own language


class IntroPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle(_("Chào mừng"))
        layout = QVBoxLayout(self)
        self.language = QComboBox()
        self.language.setObjectName("language")
        for name, code in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.language())))
        self.language.activated.connect(self._language_chosen)
        row = QHBoxLayout()
        row.addWidget(QLabel("Ngôn ngữ / Language:"))
        row.addWidget(self.language)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(
            _text(
                _(
                    "Chương trình giúp Hội Chữ thập đỏ cấp xã theo dõi hội viên, tình nguyện "
                    "viên, địa chỉ nhân đạo, các lượt trợ giúp và làm báo cáo định kỳ."
                )
            )
        )
        layout.addWidget(
            _text(
                _(
                    "Máy này chưa có tệp dữ liệu. Hãy trả lời vài câu hỏi để tạo tệp dữ liệu "
                    "của Hội; mọi thông tin đều sửa lại được trong Cài đặt."
                )
            )
        )
        layout.addStretch(1)

    def _language_chosen(self, _index: int) -> None:
        code = self.language.currentData()
        if code != i18n.language():
            self.wizard().change_language(code)


class ChapterPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle(_("Thông tin của Hội"))
        self.setSubTitle(_("Dùng ở tiêu đề báo cáo và dòng ngày tháng."))
        self.chapter_name = _line("chapter_name", _("Ví dụ: Hội Chữ thập đỏ xã Tịnh Kỳ"))
        self.parent_name = _line("parent_name", _("Ví dụ: Hội Chữ thập đỏ tỉnh Quảng Ngãi"))
        self.place_name = _line("place_name", _("Ví dụ: Tịnh Kỳ"))
        form = QFormLayout(self)
        form.addRow(_("Tên Hội (bắt buộc):"), self.chapter_name)
        form.addRow(_("Hội cấp trên:"), self.parent_name)
        form.addRow(_("Địa danh ở dòng ngày tháng:"), self.place_name)
        self.upper = QCheckBox(
            _("Đây là Hội cấp trên (huyện, tỉnh): nhận và tổng hợp số liệu của các Hội cơ sở")
        )
        self.upper.setObjectName("upper")
        form.addRow(self.upper)
        self.registerField("chapter_name*", self.chapter_name)
        self.registerField("parent_name", self.parent_name)
        self.registerField("place_name", self.place_name)


class SignerPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle(_("Người ký báo cáo"))
        self.setSubTitle(_("Có thể để trống và điền sau."))
        self.signing_form = QComboBox()
        self.signing_form.setEditable(True)
        self.signing_form.addItems(SIGNING_FORMS)
        self.signer_title = QComboBox()
        self.signer_title.setEditable(True)
        self.signer_title.addItems(SIGNER_TITLES)
        self.signer_name = _line("signer_name", _("Họ và tên người ký"))
        form = QFormLayout(self)
        form.addRow(_("Thẩm quyền ký:"), self.signing_form)
        form.addRow(_("Chức vụ:"), self.signer_title)
        form.addRow(_("Họ và tên:"), self.signer_name)


class FilePage(QWizardPage):
    def __init__(self, path: Path):
        super().__init__()
        self.setTitle(_("Tệp dữ liệu"))
        self.setSubTitle(_("Mọi dữ liệu của Hội được lưu trong một tệp trên máy này."))
        self.path_edit = _line("db_path", "")
        self.path_edit.setText(str(path))
        choose = QPushButton(_("Chọn…"))
        choose.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(choose)
        self.demo = QCheckBox(_("Tạo dữ liệu mẫu để dùng thử (không dùng cho sổ thật)"))
        self.demo.setObjectName("demo")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Tệp dữ liệu:")))
        layout.addLayout(row)
        layout.addSpacing(12)
        layout.addWidget(self.demo)
        layout.addStretch(1)

    def initializePage(self) -> None:
        """No demo data in an upper level's database (it holds the chapters' packages)."""
        upper = self.wizard().chapter.upper.isChecked()
        self.demo.setEnabled(not upper)
        if upper:
            self.demo.setChecked(False)

    def _choose(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Chọn nơi lưu tệp dữ liệu"), self.path_edit.text(), _("Tệp dữ liệu (*.db)")
        )
        if chosen:
            self.path_edit.setText(chosen)

    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def validatePage(self) -> bool:
        if getattr(self.wizard(), "created", False):
            return True
        path = self.path()
        if not self.path_edit.text().strip():
            QMessageBox.warning(self, APP_TITLE, _("Chưa chọn tệp dữ liệu."))
            return False
        if path.exists() and path.stat().st_size > 0:
            QMessageBox.warning(
                self,
                APP_TITLE,
                _("Tệp «{path}» đã có; không ghi đè. Hãy chọn tên tệp khác.").format(path=path),
            )
            return False
        return True


class FirstRunWizard(QWizard):
    """Asks for the chapter's details and creates the database at ``db_path``.

    Choosing another language on the first page ends the wizard with
    :attr:`LANGUAGE_CHANGED` (the language already switched); the caller opens it again.
    """

    LANGUAGE_CHANGED = 2

    def __init__(self, db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Bắt đầu sử dụng {app}").format(app=APP_TITLE))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.db_path = Path(db_path)
        self.intro = IntroPage()
        self.chapter = ChapterPage()
        self.signer = SignerPage()
        self.file = FilePage(self.db_path)
        for page in (self.intro, self.chapter, self.signer, self.file):
            self.addPage(page)
        self.job = None
        self.created = False
        self.error: BaseException | None = None
        self.resize(640, 440)

    def change_language(self, code: str) -> None:
        """Switch the program to ``code`` and end, to be reopened in that language."""
        apply_language(QApplication.instance(), code)
        self.done(self.LANGUAGE_CHANGED)

    def accept(self) -> None:
        """Finish: create the file in the background, then close."""
        if self.created:
            super().accept()
            return
        if self.job is not None or not self.validateCurrentPage():
            return
        self.db_path = self.file.path()
        values = {
            "chapter_name": " ".join(self.chapter.chapter_name.text().split()),
            "parent_name": " ".join(self.chapter.parent_name.text().split()),
            "place_name": " ".join(self.chapter.place_name.text().split()),
            "signing_form": self.signer.signing_form.currentText().strip(),
            "signer_title": self.signer.signer_title.currentText().strip(),
            "signer_name": " ".join(self.signer.signer_name.text().split()),
            "demo": self.file.demo.isChecked(),
            "upper": self.chapter.upper.isChecked(),
            "language": i18n.language(),
        }
        path = self.db_path
        self.setEnabled(False)
        demo = values["demo"] and not values["upper"]
        label = _("Đang tạo dữ liệu mẫu…") if demo else _("Đang tạo tệp dữ liệu…")
        self.job = run_task(
            lambda: create_database(path, **values),
            on_done=self._created,
            on_error=self._failed,
            label=label,
            parent_widget=self,
        )

    def _created(self, _path: Path) -> None:
        self.job = None
        self.created = True  # the pages were checked before the file was created
        self.setEnabled(True)
        self.accept()

    def _failed(self, error: BaseException, _text: str) -> None:
        self.job = None
        self.error = error
        self.setEnabled(True)
        message = getattr(error, "message", None) or str(error)
        QMessageBox.critical(
            self, APP_TITLE, _("Không tạo được tệp dữ liệu: {error}").format(error=message)
        )
