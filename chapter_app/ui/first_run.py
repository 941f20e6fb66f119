"""The first start: a short wizard that names the chapter and creates its database.

It asks the chapter's name, the level above, the place name of the date line, the signer
and (typed or pasted, one per line) the chi hội and thôn, then creates the file with all
of it in one operation (or, when asked, fills it with demo data to try the program).
The file is created off the GUI thread with a progress dialog.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from chapter_app import APP_TITLE
from chapter_app.domain.organisation import branch_key, unit_key
from chapter_app.i18n import _, format_number
from chapter_app.services.setup import parse_names
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
    branch_names: Sequence[str] = (),
    unit_names: Sequence[str] = (),
) -> Path:
    """Create and fill the database (runs off the GUI thread; no Qt here). ``upper``: the
    database of an upper level, which receives and consolidates the chapters' packages
    (no demo data, chi hội or thôn then). The chapter's details and its chi hội and thôn
    are written in one operation: a name refused leaves no file behind."""
    from chapter_app.services.setup import init_database

    own_names = not upper and not demo
    store = init_database(
        path,
        chapter_name=chapter_name,
        parent_name=parent_name,
        place_name=place_name,
        settings={
            "signing_form": signing_form,
            "signer_title": signer_title,
            "signer_name": signer_name,
        },
        branch_names=branch_names if own_names else (),
        unit_names=unit_names if own_names else (),
    )
    try:
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


class IntroPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle(_("Chào mừng"))
        layout = QVBoxLayout(self)
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


class OrganisationPage(QWizardPage):
    """The chi hội and thôn, typed or pasted one per line (or left for the Excel import)."""

    def __init__(self):
        super().__init__()
        self.setTitle(_("Chi hội và thôn, tổ dân phố"))
        self.setSubTitle(
            _(
                "Gõ hoặc dán tên, mỗi dòng một tên (dán được cả một cột từ Excel). "
                "Có thể để trống: thêm sau ở trang Tổ chức, hoặc khi nhập danh sách từ Excel."
            )
        )
        self.branch_names = self._editor(
            "branch_names", _("Chi hội Thôn An Vĩnh\nChi hội Trường THCS Tịnh Kỳ\n…")
        )
        self.unit_names = self._editor("unit_names", _("Thôn An Vĩnh\nThôn Khê Tân\n…"))
        self.branch_count = QLabel()
        self.unit_count = QLabel()
        row = QHBoxLayout()
        for title, editor, count in (
            (_("Chi hội:"), self.branch_names, self.branch_count),
            (_("Thôn, tổ dân phố:"), self.unit_names, self.unit_count),
        ):
            column = QVBoxLayout()
            column.addWidget(QLabel(title))
            column.addWidget(editor, 1)
            column.addWidget(count)
            row.addLayout(column, 1)
            editor.textChanged.connect(self._count)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        self._count()

    @staticmethod
    def _editor(name: str, placeholder: str) -> QPlainTextEdit:
        editor = QPlainTextEdit()
        editor.setObjectName(name)
        editor.setPlaceholderText(placeholder)
        editor.setTabChangesFocus(True)
        return editor

    def names(self) -> tuple[list[str], list[str]]:
        """``(chi hội, thôn)`` typed, each once."""
        branches, _repeated = parse_names(self.branch_names.toPlainText(), key=branch_key)
        units, _repeated = parse_names(self.unit_names.toPlainText(), key=unit_key)
        return branches, units

    def _count(self) -> None:
        branches, units = self.names()
        self.branch_count.setText(_("{count} chi hội").format(count=format_number(len(branches))))
        self.unit_count.setText(
            _("{count} thôn, tổ dân phố").format(count=format_number(len(units)))
        )

    def validatePage(self) -> bool:
        """Refuse a name given twice (tones, case and "Chi hội"/"Thôn" ignored)."""
        _b, repeated_branches = parse_names(self.branch_names.toPlainText(), key=branch_key)
        _u, repeated_units = parse_names(self.unit_names.toPlainText(), key=unit_key)
        repeated = repeated_branches + repeated_units
        if repeated:
            QMessageBox.warning(
                self,
                APP_TITLE,
                _("Tên trùng với một dòng ở trên: {names}. Hãy xóa dòng trùng.").format(
                    names=", ".join(f"«{name}»" for name in repeated)
                ),
            )
            return False
        return True


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
    """Asks for the chapter's details and creates the database at ``db_path``."""

    def __init__(self, db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Bắt đầu sử dụng {app}").format(app=APP_TITLE))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.db_path = Path(db_path)
        self.intro = IntroPage()
        self.chapter = ChapterPage()
        self.signer = SignerPage()
        self.organisation = OrganisationPage()
        self.file = FilePage(self.db_path)
        self.page_ids = {
            page: self.addPage(page)
            for page in (self.intro, self.chapter, self.signer, self.organisation, self.file)
        }
        self.job = None
        self.created = False
        self.error: BaseException | None = None
        self.resize(680, 480)

    def nextId(self) -> int:
        """An upper level's file has no chi hội or thôn of its own: skip that page."""
        if self.currentPage() is self.signer and self.chapter.upper.isChecked():
            return self.page_ids[self.file]
        return super().nextId()

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
        }
        values["branch_names"], values["unit_names"] = self.organisation.names()
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
