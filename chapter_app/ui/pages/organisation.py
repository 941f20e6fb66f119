"""Tổ chức: the chapter's chi hội, thôn / tổ dân phố, reference lists, yearly targets
and officers, one tab each.

The tables are small (a chapter has 5-40 chi hội), so they are read whole on the GUI
thread; every change is one operation of ``services.organisation`` (Edit > Undo).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from chapter_app.domain.organisation import BRANCH_KINDS, RATINGS, UNIT_KINDS
from chapter_app.i18n import N_, _, format_date, format_number, pgettext
from chapter_app.ui.dialogs import organisation as dialogs
from chapter_app.ui.pages.base import Page, today


def make_table(name: str, headers: list[str]) -> QTableWidget:
    """A read-only table, one whole row selected at a time."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the name takes what is left
    header.setStretchLastSection(False)
    table.setAlternatingRowColors(True)
    return table


def fill_table(table: QTableWidget, rows: list[tuple[object, list[str]]]) -> None:
    """Rows of ``(id, cells)``; the id is kept on the first cell; the selection is kept."""
    selected = selected_id(table)
    table.setRowCount(len(rows))
    for r, (row_id, cells) in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c == 0:
                item.setData(Qt.ItemDataRole.UserRole, row_id)
            table.setItem(r, c, item)
        if row_id == selected:
            table.selectRow(r)


def selected_id(table: QTableWidget):
    rows = table.selectionModel().selectedRows() if table.selectionModel() else []
    if not rows:
        return None
    item = table.item(rows[0].row(), 0)
    return item.data(Qt.ItemDataRole.UserRole) if item else None


def select_id(table: QTableWidget, row_id) -> None:
    for r in range(table.rowCount()):
        if table.item(r, 0).data(Qt.ItemDataRole.UserRole) == row_id:
            table.selectRow(r)
            return


def button(text: str, name: str, slot) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.clicked.connect(lambda _checked=False: slot())
    return b


class Tab(QWidget):
    """A tab: a hint line, a table and buttons under it.

    ``load(store)`` reads what the tab shows off the GUI thread (on the worker's read-only
    store: counting members or list uses reads whole registers); ``show_loaded(result)``
    puts it on screen. A hidden tab only notes that it must load when shown.
    """

    def __init__(self, page: OrganisationPage):
        super().__init__()
        self.page = page
        self.store = page.store
        self.dialog: dialogs.OrgDialog | None = None  # the open dialog (tests look at it)
        self._stale = True
        self._job = None
        self._again = False

    def load(self, store):
        raise NotImplementedError

    def show_loaded(self, result) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        worker = self.page.worker
        if worker is None:
            self.show_loaded(self.load(self.store))
            return
        if self._job is not None:
            self._again = True
            return
        self._job = worker.submit(
            self.load, on_done=self._loaded, on_error=self._failed, context=self
        )

    def _loaded(self, result) -> None:
        self._job = None
        self.show_loaded(result)
        self.page.status_changed.emit()
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, error: BaseException, _text: str) -> None:
        self._job = None
        self.page.say(_("Không đọc được dữ liệu: {error}").format(error=error))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def open(self, dialog: dialogs.OrgDialog) -> dialogs.OrgDialog:
        self.dialog = dialogs.open_dialog(dialog, lambda _result: self.page.refresh())
        return self.dialog

    def layout_with(self, hint: str, table: QTableWidget, buttons: list[QPushButton]) -> None:
        note = QLabel(hint)
        note.setObjectName("pageSubtitle")
        note.setWordWrap(True)
        row = QHBoxLayout()
        for b in buttons:
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(note)
        layout.addWidget(table, 1)
        layout.addLayout(row)


class BranchesTab(Tab):
    title = N_("Chi hội")

    def __init__(self, page):
        super().__init__(page)
        self.rows = {}
        self.table = make_table(
            "branchesTable",
            [
                _("Chi hội"),
                _("Loại"),
                _("Thôn, tổ dân phố"),
                _("Thành lập"),
                _("Chi hội trưởng"),
                _("Hội viên"),
                _("Xếp loại năm nay"),
            ],
        )
        for column, width in enumerate((180, 105, 150, 80, 125, 65, 115)):
            if column:
                self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.layout_with(
            _(
                "Tên chi hội không được trùng (không phân biệt chữ hoa, chữ thường, dấu). Giải "
                "thể: hội viên được chuyển sang chi hội khác; chi hội vẫn có trong báo cáo cũ."
            ),
            self.table,
            [
                button(_("Thêm chi hội…"), "addBranch", self.add),
                button(_("Sửa, đổi tên…"), "editBranch", self.edit),
                button(_("Giải thể…"), "dissolveBranch", self.dissolve),
                button(_("Xếp loại…"), "rateBranch", self.rate),
            ],
        )

    def refresh(self) -> None:
        self.day = today()
        super().refresh()

    def load(self, store):
        from chapter_app.services import organisation as org

        return org.branch_rows(store, on=self.day)

    def show_loaded(self, rows) -> None:
        self.rows = {row.branch.id: row for row in rows}
        cells = []
        for row in rows:
            b = row.branch
            name = b.name
            if b.dissolved_on:
                name += " " + _("(giải thể {date})").format(date=format_date(b.dissolved_on))
            cells.append(
                (
                    b.id,
                    [
                        name,
                        _(BRANCH_KINDS.get(b.kind, b.kind)),
                        ", ".join(row.unit_names),
                        format_date(b.founded_on),
                        row.head_name or "",
                        format_number(row.member_count),
                        _(RATINGS[row.rating]) if row.rating else "",
                    ],
                )
            )
        fill_table(self.table, cells)

    def current(self):
        row = self.rows.get(selected_id(self.table))
        if row is None:
            self.page.say(_("Hãy chọn một chi hội trong bảng."))
        return row

    def add(self):
        return self.open(dialogs.BranchDialog(self.store, parent=self))

    def edit(self):
        row = self.current()
        if row is not None:
            return self.open(dialogs.BranchDialog(self.store, row.branch, parent=self))
        return None

    def dissolve(self):
        row = self.current()
        if row is None:
            return None
        if row.dissolved:
            self.page.say(_("Chi hội này đã giải thể."))
            return None
        return self.open(dialogs.DissolveDialog(self.store, row.branch, today=today(), parent=self))

    def rate(self):
        row = self.current()
        if row is not None:
            return self.open(
                dialogs.RateDialog(
                    self.store, row.branch, year=today().year, current=row.rating, parent=self
                )
            )
        return None


class UnitsTab(Tab):
    title = N_("Thôn, tổ dân phố")

    def __init__(self, page):
        super().__init__(page)
        self.rows = {}
        self.table = make_table(
            "unitsTable",
            [_("Tên"), _("Loại"), _("Số người"), _("Số hộ"), _("Tên cũ"), _("Sáp nhập")],
        )
        for column, width in enumerate((220, 100, 75, 65, 150, 200)):
            if column:
                self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _i: self.rename())
        self.layout_with(
            _(
                "Sáp nhập: người và hộ chuyển sang thôn mới; thôn cũ vẫn được giữ (tên cũ có "
                "trong lịch sử và trong báo cáo các kỳ trước)."
            ),
            self.table,
            [
                button(_("Thêm thôn, tổ dân phố…"), "addUnit", self.add),
                button(_("Đổi tên…"), "renameUnit", self.rename),
                button(_("Sáp nhập…"), "mergeUnits", self.merge),
            ],
        )

    def load(self, store):
        from chapter_app.services import organisation as org

        return org.unit_rows(store)

    def show_loaded(self, rows) -> None:
        self.rows = {row.unit.id: row for row in rows}
        cells = []
        for row in rows:
            u = row.unit
            merged = ""
            if row.merged:
                merged = _("vào «{name}» ngày {date}").format(
                    name=row.merged_into_name, date=format_date(u.valid_to)
                )
            cells.append(
                (
                    u.id,
                    [
                        u.name,
                        _(UNIT_KINDS.get(u.kind, u.kind)),
                        format_number(row.people),
                        format_number(row.households),
                        ", ".join(row.old_names),
                        merged,
                    ],
                )
            )
        fill_table(self.table, cells)

    def add(self):
        return self.open(dialogs.UnitDialog(self.store, parent=self))

    def rename(self):
        row = self.rows.get(selected_id(self.table))
        if row is None:
            self.page.say(_("Hãy chọn một thôn, tổ dân phố trong bảng."))
            return None
        return self.open(dialogs.UnitDialog(self.store, row.unit, parent=self))

    def merge(self):
        chosen = selected_id(self.table)
        checked = {chosen} if chosen is not None else set()
        return self.open(
            dialogs.MergeDialog(self.store, checked=checked, today=today(), parent=self)
        )


class OrganisationPage(Page):
    title = N_("Tổ chức")

    def __init__(self, store, worker, parent: QWidget | None = None):
        super().__init__(store, worker, parent)
        from chapter_app.ui.pages.organisation_tabs import ListsTab, OfficersTab, TargetsTab

        heading = QLabel(_("Tổ chức"))
        heading.setObjectName("pageTitle")
        self.message = QLabel("")
        self.message.setObjectName("orgMessage")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("orgTabs")
        self.branches = BranchesTab(self)
        self.units = UnitsTab(self)
        self.lists = ListsTab(self)
        self.targets = TargetsTab(self)
        self.officers = OfficersTab(self)
        for tab, name, title in (
            (self.branches, "branchesTab", pgettext("organisation tab", "Chi hội")),
            (self.units, "unitsTab", pgettext("organisation tab", "Thôn, tổ dân phố")),
            (self.lists, "listsTab", pgettext("organisation tab", "Danh mục")),
            (self.targets, "targetsTab", pgettext("organisation tab", "Chỉ tiêu năm")),
            (self.officers, "officersTab", pgettext("organisation tab", "Cán bộ Hội")),
        ):
            tab.setObjectName(name)
            self.tabs.addTab(tab, title)
        self.tabs.currentChanged.connect(lambda _i: self.message.setText(""))
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self._loaded = False
        if store.read_only:
            for b in self.findChildren(QPushButton):
                b.setEnabled(False)

    def say(self, text: str) -> None:
        self.message.setText(text)

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        self._loaded = True
        for tab in (self.branches, self.units, self.lists):
            tab.refresh()
        self.officers.refresh()
        self.targets.refresh(keep_typed=True)

    def status_text(self) -> str:
        live = sum(not row.dissolved for row in self.branches.rows.values())
        return _("Chi hội: {count}").format(count=live)
