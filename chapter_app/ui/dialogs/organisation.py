"""Small dialogs of the Tổ chức page: a chi hội, a thôn, dissolving, merging, rating, an
officer and a list entry.

Each dialog runs its use case when OK is pressed (one operation: Edit > Undo takes it
back); a refusal is shown in the dialog, which stays open with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chapter_app.domain.organisation import BRANCH_KINDS, OFFICER_TITLES, RATINGS, UNIT_KINDS
from chapter_app.errors import AppError
from chapter_app.i18n import _
from chapter_app.ui.forms.widgets import DateField, render

ERROR_STYLE = "color: #b3261e"


class OrgDialog(QDialog):
    """A form of a few rows, a message line and OK / Cancel; ``run()`` does the work."""

    def __init__(self, store, title: str, *, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.message = QLabel("")
        self.message.setObjectName("dialogMessage")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("ok")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Đồng ý"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Hủy"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.result_value: Any = None
        self.setMinimumWidth(460)
        self.setMaximumSize(1000, 580)  # fits 1093×614 with the frame

    def line(self, label: str, name: str, text: str = "", placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setMaxLength(200)
        self.form.addRow(label, edit)
        return edit

    def combo(self, label: str, name: str, items: list[tuple[str, Any]], current=None):
        box = QComboBox()
        box.setObjectName(name)
        for text, value in items:
            box.addItem(text, value)
        index = box.findData(current)
        box.setCurrentIndex(max(index, 0))
        self.form.addRow(label, box)
        return box

    def date_field(self, label: str, name: str, value: date | None, *, required=False):
        field = DateField(name, required=required, label=label)
        field.line.setObjectName(name)
        if value is not None:
            field.set_raw(value)
        self.form.addRow(label, field)
        return field

    def read_date(self, field: DateField) -> date | None:
        issues = field.check()
        if issues:
            raise AppError(render(issues[0]))
        return field.value()

    def run(self) -> Any:
        """Do the work (subclasses); raise AppError to refuse."""
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.result_value = self.run()
        except AppError as exc:
            self.message.setText(exc.message)
            return
        super().accept()


def _units_list(store, checked: set[int], name: str) -> QListWidget:
    """The thôn still in use as checkable items (data: the unit id)."""
    box = QListWidget()
    box.setObjectName(name)
    for unit in store.units.list():
        if unit.merged_into_id is not None:
            continue
        item = QListWidgetItem(unit.name)
        item.setData(Qt.ItemDataRole.UserRole, unit.id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if unit.id in checked else Qt.CheckState.Unchecked)
        box.addItem(item)
    box.setMaximumHeight(150)
    return box


def checked_ids(box: QListWidget) -> list[int]:
    return [
        box.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(box.count())
        if box.item(i).checkState() == Qt.CheckState.Checked
    ]


class BranchDialog(OrgDialog):
    """Add a chi hội, or change one (a new name is a rename: the old one is kept)."""

    def __init__(self, store, branch=None, parent=None):
        title = _("Sửa chi hội") if branch else _("Thêm chi hội")
        super().__init__(store, title, name="branchDialog", parent=parent)
        self.branch = branch
        head = (
            store.people.find(branch.head_person_id) if branch and branch.head_person_id else None
        )
        self.name = self.line(
            _("Tên chi hội"),
            "branchName",
            branch.name if branch else "",
            _("Ví dụ: Chi hội thôn 3"),
        )
        kinds = [(_(label), str(kind)) for kind, label in BRANCH_KINDS.items()]
        self.kind = self.combo(_("Loại"), "branchKind", kinds, branch.kind if branch else None)
        self.founded = self.date_field(
            _("Ngày thành lập"), "branchFounded", branch.founded_on if branch else None
        )
        self.head = self.line(
            _("Chi hội trưởng"), "branchHead", head.full_name if head else "", _("Họ và tên")
        )
        linked = set()
        if branch:
            linked = {
                link.unit_id for link in store.branches.units.list(filters={"branch_id": branch.id})
            }
        self.units = _units_list(store, linked, "branchUnits")
        self.form.addRow(_("Các thôn, tổ dân phố"), self.units)

    def run(self):
        from chapter_app.services import organisation as org

        founded = self.read_date(self.founded)
        head_name = self.head.text().strip() or None
        units = checked_ids(self.units)
        kind = self.kind.currentData()
        if self.branch is None:
            return org.add_branch(
                self.store,
                name=self.name.text(),
                kind=kind,
                founded_on=founded,
                unit_ids=units,
                head_name=head_name,
            )
        with self.store.operation(_("Sửa chi hội «{name}»").format(name=self.branch.name)):
            org.rename_branch(self.store, self.branch.id, self.name.text())
            return org.update_branch(
                self.store,
                self.branch.id,
                kind=kind,
                founded_on=founded,
                unit_ids=units,
                head_name=head_name,
                clear_head=head_name is None,
            )


class DissolveDialog(OrgDialog):
    """Dissolve a chi hội on a day; its members go to the chi hội chosen."""

    def __init__(self, store, branch, *, today: date, parent=None):
        super().__init__(
            store,
            _("Giải thể chi hội «{name}»").format(name=branch.name),
            name="dissolveDialog",
            parent=parent,
        )
        self.branch = branch
        others = [
            (b.name, b.id)
            for b in store.branches.list()
            if b.id != branch.id and (b.dissolved_on is None or b.dissolved_on > today)
        ]
        intro = QLabel(
            _(
                "Hội viên đang sinh hoạt ở chi hội này được chuyển sang chi hội chọn dưới đây "
                "(ghi vào lịch sử của từng người). Chi hội giải thể vẫn có trong báo cáo các kỳ "
                "trước."
            )
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.target = self.combo(_("Chuyển hội viên sang"), "dissolveTarget", others)
        self.on = self.date_field(_("Ngày giải thể"), "dissolveOn", today, required=True)

    def run(self):
        from chapter_app.services import organisation as org

        if self.target.currentData() is None:
            raise AppError(_("Chưa có chi hội nào khác để nhận hội viên; hãy thêm một chi hội."))
        on = self.read_date(self.on)
        return org.dissolve_branch(
            self.store, self.branch.id, on=on, move_members_to=self.target.currentData()
        )


class RateDialog(OrgDialog):
    """A chi hội's rating for a year."""

    def __init__(self, store, branch, *, year: int, current: str | None, parent=None):
        super().__init__(
            store,
            _("Xếp loại chi hội «{name}»").format(name=branch.name),
            name="rateDialog",
            parent=parent,
        )
        self.branch = branch
        self.year = QSpinBox()
        self.year.setObjectName("rateYear")
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.form.addRow(_("Năm"), self.year)
        ratings = [(_("Chưa xếp loại"), None)] + [(_(t), code) for code, t in RATINGS.items()]
        self.rating = self.combo(_("Xếp loại"), "rating", ratings, current)

    def run(self):
        from chapter_app.services import organisation as org

        org.rate_branch(
            self.store, self.branch.id, year=self.year.value(), rating=self.rating.currentData()
        )


class UnitDialog(OrgDialog):
    """Add a thôn, or rename one (the old name is kept)."""

    def __init__(self, store, unit=None, parent=None):
        title = _("Đổi tên thôn, tổ dân phố") if unit else _("Thêm thôn, tổ dân phố")
        super().__init__(store, title, name="unitDialog", parent=parent)
        self.unit = unit
        self.name = self.line(
            _("Tên"), "unitName", unit.name if unit else "", _("Ví dụ: Thôn An Vĩnh")
        )
        self.kind = None
        if unit is None:
            kinds = [(_("Theo chữ đầu của tên"), None)] + [
                (_(label), str(kind)) for kind, label in UNIT_KINDS.items()
            ]
            self.kind = self.combo(_("Loại"), "unitKind", kinds)

    def run(self):
        from chapter_app.services import organisation as org

        if self.unit is None:
            return org.add_unit(self.store, name=self.name.text(), kind=self.kind.currentData())
        return org.rename_unit(self.store, self.unit.id, self.name.text())


class MergeDialog(OrgDialog):
    """Merge two or more thôn into one on a day."""

    def __init__(self, store, *, checked: set[int], today: date, parent=None):
        super().__init__(store, _("Sáp nhập thôn, tổ dân phố"), name="mergeDialog", parent=parent)
        intro = QLabel(
            _(
                "Người và hộ của các thôn được chọn chuyển sang thôn sau sáp nhập; tên cũ vẫn "
                "được giữ trong lịch sử và trong báo cáo các kỳ trước."
            )
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.units = _units_list(store, checked, "mergeUnits")
        self.form.addRow(_("Các thôn sáp nhập"), self.units)
        self.into = self.line(
            _("Tên sau sáp nhập"), "mergeInto", "", _("Tên mới, hoặc tên một thôn được giữ lại")
        )
        self.on = self.date_field(_("Ngày sáp nhập"), "mergeOn", today, required=True)

    def run(self):
        from chapter_app.services import organisation as org

        on = self.read_date(self.on)
        return org.merge_units(
            self.store, checked_ids(self.units), into_name=self.into.text(), on=on
        )


class OfficerDialog(OrgDialog):
    """Add an officer: a person (typed name) and a title, from a day."""

    def __init__(self, store, *, today: date, parent=None):
        super().__init__(store, _("Thêm cán bộ Hội"), name="officerDialog", parent=parent)
        self.name = self.line(_("Họ và tên"), "officerName", "", _("Ví dụ: Nguyễn Văn An"))
        titles = [(_(label), code) for code, label in OFFICER_TITLES.items()]
        self.title_box = self.combo(_("Chức vụ"), "officerTitle", titles)
        self.from_on = self.date_field(_("Từ ngày"), "officerFrom", today)

    def run(self):
        from chapter_app.services.officers import set_officer

        return set_officer(
            self.store,
            title=self.title_box.currentData(),
            full_name=self.name.text(),
            from_on=self.read_date(self.from_on),
        )


class EntryDialog(OrgDialog):
    """Add or rename an entry of a reference list (with its English name)."""

    def __init__(self, store, kind: str, entry=None, parent=None):
        title = _("Sửa mục danh mục") if entry else _("Thêm mục danh mục")
        super().__init__(store, title, name="entryDialog", parent=parent)
        self.kind = kind
        self.entry = entry
        self.name = self.line(_("Tên"), "entryName", entry.name if entry else "")
        self.name_en = self.line(
            _("Tên tiếng Anh"),
            "entryNameEn",
            (entry.name_en or "") if entry else "",
            _("Không bắt buộc"),
        )

    def run(self):
        from chapter_app.services import reference_lists as rl

        if self.entry is None:
            return rl.add_entry(
                self.store, self.kind, self.name.text(), name_en=self.name_en.text()
            )
        return rl.rename_entry(
            self.store, self.kind, self.entry.id, self.name.text(), name_en=self.name_en.text()
        )


def open_dialog(dialog: OrgDialog, done: Callable[[Any], None] | None = None) -> OrgDialog:
    """Show ``dialog`` window-modal without blocking; ``done(result)`` after OK."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if done is not None:
        dialog.accepted.connect(lambda: done(dialog.result_value))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog
