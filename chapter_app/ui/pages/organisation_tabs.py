"""The Tổ chức page's other tabs: reference lists, yearly targets, officers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chapter_app.domain.organisation import OFFICER_TITLES
from chapter_app.errors import AppError
from chapter_app.i18n import N_, _, format_date, format_number
from chapter_app.ui.dialogs import organisation as dialogs
from chapter_app.ui.pages.base import today
from chapter_app.ui.pages.organisation import (
    Tab,
    button,
    fill_table,
    make_table,
    selected_id,
)

LIST_TITLES = {
    "campaigns": N_("Chương trình vận động"),
    "areas": N_("Lĩnh vực hoạt động"),
    "categories": N_("Diện đối tượng (hộ)"),
    "forms": N_("Hình thức trợ giúp"),
}


class ListsTab(Tab):
    title = N_("Danh mục")

    def __init__(self, page):
        super().__init__(page)
        self.entries = {}
        self.kind = QComboBox()
        self.kind.setObjectName("listKind")
        for kind, label in LIST_TITLES.items():
            self.kind.addItem(_(label), kind)
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table = make_table(
            "listTable", [_("Tên"), _("Tên tiếng Anh"), _("Số bản ghi dùng"), _("Trạng thái")]
        )
        for column, width in enumerate((300, 260, 120, 100)):
            if column:
                self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.layout_with(
            _(
                "Mục đang được dùng không xóa được: hãy ẩn đi (bản ghi cũ vẫn giữ). Tên tiếng "
                "Anh được dùng trong giao diện và báo cáo tiếng Anh."
            ),
            self.table,
            [
                button(_("Thêm…"), "addEntry", self.add),
                button(_("Sửa…"), "editEntry", self.edit),
                button(_("Ẩn / hiện lại"), "hideEntry", self.toggle_hidden),
                button(_("Lên"), "moveUp", lambda: self.move(-1)),
                button(_("Xuống"), "moveDown", lambda: self.move(1)),
                button(_("Xóa"), "deleteEntry", self.delete),
            ],
        )
        self.layout().insertWidget(0, self.kind)

    @property
    def current_kind(self) -> str:
        return self.kind.currentData()

    def load(self, store):
        from chapter_app.services import reference_lists as rl

        return rl.list_entries(store, self.kind_loading)

    def refresh(self) -> None:
        self.kind_loading = self.current_kind
        super().refresh()

    def show_loaded(self, entries) -> None:
        if self.kind_loading != self.current_kind:
            return  # the list shown changed meanwhile: its own load follows
        self.entries = {e.id: e for e in entries}
        fill_table(
            self.table,
            [
                (
                    e.id,
                    [
                        e.name,
                        e.name_en or "",
                        format_number(e.uses),
                        _("Đã ẩn") if e.hidden else _("Đang hiện"),
                    ],
                )
                for e in entries
            ],
        )

    def current(self):
        entry = self.entries.get(selected_id(self.table))
        if entry is None:
            self.page.say(_("Hãy chọn một mục trong bảng."))
        return entry

    def add(self):
        return self.open(dialogs.EntryDialog(self.store, self.current_kind, parent=self))

    def edit(self):
        entry = self.current()
        if entry is not None:
            return self.open(dialogs.EntryDialog(self.store, self.current_kind, entry, parent=self))
        return None

    def _do(self, action) -> None:
        try:
            action()
        except AppError as exc:
            self.page.say(exc.message)

    def toggle_hidden(self) -> None:
        from chapter_app.services import reference_lists as rl

        entry = self.current()
        if entry is not None:
            self._do(
                lambda: rl.hide_entry(self.store, entry.kind, entry.id, hidden=not entry.hidden)
            )
            self.refresh()

    def move(self, by: int) -> None:
        from chapter_app.services import reference_lists as rl

        entry = self.current()
        if entry is not None:
            self._do(lambda: rl.move_entry(self.store, entry.kind, entry.id, by=by))
            self.refresh()

    def delete(self) -> None:
        from chapter_app.services import reference_lists as rl

        entry = self.current()
        if entry is not None:
            self._do(lambda: rl.delete_entry(self.store, entry.kind, entry.id))
            self.refresh()


class TargetsTab(QWidget):
    """Every indicator that takes a target, for a chosen year; "copy last year's"."""

    title = N_("Chỉ tiêu năm")

    def __init__(self, page):
        super().__init__()
        from chapter_app.i18n import language
        from chapter_app.services.targets import TARGET_KEYS, target_label

        self.page = page
        self.store = page.store
        self.edited = False
        self.year = QSpinBox()
        self.year.setObjectName("targetYear")
        self.year.setRange(2000, 2100)
        self.year.setValue(today().year)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.fields: dict[str, QLineEdit] = {}
        grid = QGridLayout()
        grid.setColumnStretch(0, 1)
        lang = language()
        for row, (key, _label, _unit) in enumerate(TARGET_KEYS):
            label, unit = target_label(key, lang)
            edit = QLineEdit()
            edit.setObjectName(f"target_{key}")
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setMaximumWidth(160)
            edit.textEdited.connect(self._typed)
            edit.returnPressed.connect(self.save)
            self.fields[key] = edit
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(QLabel(unit), row, 2)
        inner = QWidget()
        inner.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.message = QLabel("")
        self.message.setObjectName("targetsMessage")
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Năm")))
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(button(_("Sao chép từ năm trước"), "copyTargets", self.copy_previous))
        top.addWidget(button(_("Lưu chỉ tiêu"), "saveTargets", self.save))
        note = QLabel(
            _(
                "Để trống chỉ tiêu không giao. Báo cáo ghi chỉ tiêu năm và tỷ lệ đạt được "
                "(lũy kế từ đầu năm so với chỉ tiêu)."
            )
        )
        note.setObjectName("pageSubtitle")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)

    def _typed(self, _text: str) -> None:
        self.edited = True

    def refresh(self, *, keep_typed: bool = False) -> None:
        """Show the chosen year's targets (unless the officer is typing and ``keep_typed``)."""
        from chapter_app.services.targets import targets_for

        if keep_typed and self.edited:
            return
        values = targets_for(self.store, self.year.value())
        for key, edit in self.fields.items():
            edit.setText(format_number(values[key]) if key in values else "")
        self.edited = False

    def save(self) -> bool:
        from chapter_app.services.targets import set_targets

        values = {key: edit.text() for key, edit in self.fields.items()}
        try:
            saved = set_targets(self.store, self.year.value(), values)
        except AppError as exc:
            self.message.setText(exc.message)
            return False
        self.edited = False
        self.refresh()
        self.message.setText(
            _("Đã lưu {count} chỉ tiêu năm {year}.").format(
                count=len(saved), year=self.year.value()
            )
        )
        return True

    def copy_previous(self) -> bool:
        from chapter_app.services.targets import copy_targets

        year = self.year.value()
        try:
            copied = copy_targets(self.store, year - 1, year)
        except AppError as exc:
            self.message.setText(exc.message)
            return False
        self.edited = False
        self.refresh()
        self.message.setText(
            _("Đã chép {count} chỉ tiêu năm {old} sang năm {year}.").format(
                count=len(copied), old=year - 1, year=year
            )
        )
        return True


class OfficersTab(Tab):
    """Officers: a few rows, read on the GUI thread."""

    title = N_("Cán bộ Hội")

    def __init__(self, page):
        super().__init__(page)
        self.rows = {}
        self.table = make_table(
            "officersTable", [_("Họ và tên"), _("Chức vụ"), _("Từ ngày"), _("Đến ngày")]
        )
        for column, width in enumerate((240, 220, 100, 100)):
            if column:
                self.table.setColumnWidth(column, width)
        self.signer = QLabel("")
        self.signer.setObjectName("signerLabel")
        self.layout_with(
            _(
                "Chủ tịch ký báo cáo (TM. BAN THƯỜNG VỤ); khi chưa có Chủ tịch, Phó Chủ tịch ký "
                "thay (KT. CHỦ TỊCH)."
            ),
            self.table,
            [
                button(_("Thêm cán bộ…"), "addOfficer", self.add),
                button(_("Thôi giữ chức hôm nay"), "endOfficer", self.end),
            ],
        )
        self.layout().addWidget(self.signer)

    def load(self, store):
        from chapter_app.services.officers import officers, signer

        return officers(store), signer(store, self.day)

    def refresh(self) -> None:
        self.day = today()
        super().refresh()

    def show_loaded(self, loaded) -> None:
        rows, sign = loaded
        self.rows = {row.officer.id: row for row in rows}
        fill_table(
            self.table,
            [
                (
                    row.officer.id,
                    [
                        row.full_name,
                        _(OFFICER_TITLES.get(row.title, row.title)),
                        format_date(row.officer.from_on),
                        format_date(row.officer.to_on),
                    ],
                )
                for row in rows
            ],
        )
        self.signer.setText(
            _("Người ký báo cáo: {form} / {title} / {name}").format(
                form=sign.form, title=sign.title, name=sign.name or _("(chưa có)")
            )
        )

    def add(self):
        return self.open(dialogs.OfficerDialog(self.store, today=today(), parent=self))

    def end(self) -> None:
        from chapter_app.services.officers import end_officer

        row = self.rows.get(selected_id(self.table))
        if row is None:
            self.page.say(_("Hãy chọn một cán bộ trong bảng."))
            return
        end_officer(self.store, row.officer.id, on=today())
