"""The register page the list pages are declared with (and, again, what every page shares:
``Page`` and its helpers live in ``pages/page.py``).

A register page is a search box (150 ms debounce, tones ignored by the store's
search), the register's filters, a table backed by SQL queries
(:class:`~chapter_app.ui.table_model.SqlTableModel`) and the buttons Thêm / Sửa / Xóa.
Double-click or Enter edits, Delete deletes after a confirmation, and the deletion
is one operation that Edit > Undo takes back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import QDate, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chapter_app.errors import AppError
from chapter_app.i18n import N_, _, format_number
from chapter_app.store.repository import Query, Range
from chapter_app.ui.pages.columns import ColumnFitter
from chapter_app.ui.pages.page import (  # noqa: F401  (the pages import them from here too)
    Page,
    forms_module,
    no_forms_message,
    set_today,
    show_error,
    today,
    upper_first,
)
from chapter_app.ui.table_model import Column, SqlTableModel

SEARCH_DEBOUNCE_MS = 150


class FilterCombo(QComboBox):
    """A filter chosen from a list; the first entry ("all") means no filter."""

    changed = Signal()

    def __init__(self, all_label: str, items: list[tuple[str, Any]], parent=None):
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.addItem(all_label, None)
        for label, value in items:
            self.addItem(label, value)
        self.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        for i in range(self.count()):
            if self.itemData(i) == value:
                self.setCurrentIndex(i)
                return

    def set_items(self, items: list[tuple[str, Any]]) -> None:
        """Replace the choices, keeping the current one when it is still there."""
        current = self.value()
        self.blockSignals(True)
        while self.count() > 1:
            self.removeItem(1)
        for label, value in items:
            self.addItem(label, value)
        self.set_value(current)
        self.blockSignals(False)


class PeriodFilter(QWidget):
    """A year, a range of days, or all time; ``value()`` is a ``Range`` of dates or None."""

    changed = Signal()
    CUSTOM = "custom"

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.start = self._date_edit(QDate(today().year, 1, 1))
        self.end = self._date_edit(QDate(today().year, today().month, today().day))
        self.dash = QLabel("–")
        layout.addWidget(self.combo)
        layout.addWidget(self.start)
        layout.addWidget(self.dash)
        layout.addWidget(self.end)
        self.set_years([today().year])
        self.combo.currentIndexChanged.connect(self._combo_changed)
        self._show_range(False)

    def _date_edit(self, day: QDate) -> QDateEdit:
        edit = QDateEdit(day)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setCalendarPopup(True)
        edit.dateChanged.connect(lambda _d: self.changed.emit())
        return edit

    def set_years(self, years: list[int]) -> None:
        current = self.combo.currentData()
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(_("Mọi thời gian"), None)
        for year in sorted(set(years), reverse=True):
            self.combo.addItem(_("Năm {year}").format(year=year), year)
        self.combo.addItem(_("Khoảng ngày…"), self.CUSTOM)
        index = self.combo.findData(current)
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)
        self._show_range(self.combo.currentData() == self.CUSTOM)

    def _show_range(self, shown: bool) -> None:
        for widget in (self.start, self.dash, self.end):
            widget.setVisible(shown)

    def _combo_changed(self, _index: int) -> None:
        self._show_range(self.combo.currentData() == self.CUSTOM)
        self.changed.emit()

    def set_year(self, year: int | None) -> None:
        self.combo.setCurrentIndex(max(self.combo.findData(year), 0))

    def value(self) -> Range | None:
        data = self.combo.currentData()
        if data is None:
            return None
        if data == self.CUSTOM:
            return Range(self.start.date().toPython(), self.end.date().toPython())
        return Range(date(data, 1, 1), date(data, 12, 31))


def year_range(first: Any, *, last: int | None = None) -> list[int]:
    """Years from the one of ``first`` (an ISO date, a year or None) to ``last`` (this year)."""
    last = last or today().year
    if first is None or first == "":
        return [last]
    start = int(str(first)[:4])
    return list(range(min(start, last), last + 1))


class RegisterPage(Page):
    """A register list; subclasses declare what differs (columns, filters, names)."""

    repo_name: ClassVar[str]
    form_kind: ClassVar[str | None] = None
    noun: ClassVar[str] = N_("bản ghi")  # lower case, as in "Xóa hội viên «...»?"
    count_label: ClassVar[str] = N_("Số bản ghi: {count}")
    search_placeholder: ClassVar[str] = N_("Tìm (gõ không dấu cũng được)")
    columns: ClassVar[tuple[Column, ...]] = ()
    order_by: ClassVar[str | None] = "name"
    descending: ClassVar[bool] = False
    base_filters: ClassVar[Mapping[str, Any]] = {}
    # key of the row dict giving the person whose file "Xem hồ sơ" opens
    person_key: ClassVar[str | None] = None
    show_title: ClassVar[bool] = True

    def __init__(self, store, worker, parent: QWidget | None = None):
        super().__init__(store, worker, parent)
        self.repo = getattr(store, self.repo_name)
        self._loaded = False
        self._filter_widgets: dict[str, Callable[[], Any]] = {}
        self.model = SqlTableModel(
            store,
            self.repo_name,
            self.columns,
            worker=worker,
            base_filters=self.base_filters,
            order_by=self.order_by,
            descending=self.descending,
            enrich=self.enrich_rows,
            parent=self,
        )
        self.model.total_changed.connect(lambda _t: self.status_changed.emit())

        self.search_box = QLineEdit()
        self.search_box.setObjectName("search")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText(_(self.search_placeholder))
        self.search_box.setToolTip(
            _("Gõ một phần tên, không cần dấu: «nguyen van an» tìm được «Nguyễn Văn An».")
        )
        self.search_box.setMinimumWidth(240)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_search)
        self.search_box.textChanged.connect(lambda _t: self._debounce.start())
        self.search_box.returnPressed.connect(self.apply_search)

        self.filter_bar = QHBoxLayout()
        self.filter_bar.setContentsMargins(0, 0, 0, 0)
        self.filter_bar.addWidget(self.search_box, 2)
        self.build_filters()
        self.filter_bar.addStretch(1)

        self.buttons = QHBoxLayout()
        self.buttons.setContentsMargins(0, 0, 0, 0)
        self.add_button = self._button(_("Thêm"), self.add_record, _("Thêm mới (Ctrl+N)"))
        self.edit_button = self._button(
            _("Sửa"), self.edit_current, _("Sửa dòng đang chọn (Enter)")
        )
        self.delete_button = self._button(
            _("Xóa"), self.delete_selected, _("Xóa các dòng đang chọn (Delete)")
        )
        self._selection_buttons = [self.edit_button, self.delete_button]
        for text, callback, needs_selection in self.extra_buttons():
            button = self._button(text, callback)
            if needs_selection:
                self._selection_buttons.append(button)
        self.buttons.addStretch(1)

        self.table = QTableView()
        self.table.setObjectName("table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        self.column_fitter = ColumnFitter(self.table, self.columns)
        sort_column = self.model.sort_column()
        if sort_column is not None:
            order = Qt.SortOrder.DescendingOrder if self.descending else Qt.SortOrder.AscendingOrder
            header.setSortIndicator(sort_column, order)
        self.table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)
        self.table.doubleClicked.connect(lambda _index: self.edit_current())
        self.table.installEventFilter(self)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)

        layout = QVBoxLayout(self)
        margin = 12 if self.show_title else 4
        layout.setContentsMargins(margin, margin, margin, margin)
        if self.show_title:
            heading = QLabel(_(self.title))
            heading.setObjectName("pageTitle")
            layout.addWidget(heading)
        layout.addLayout(self.filter_bar)
        layout.addLayout(self.buttons)
        layout.addWidget(self.table, 1)
        self._update_buttons()

    # --- declarations subclasses fill in -----------------------------------------------

    def build_filters(self) -> None:
        """Add the register's filter widgets with ``add_filter``."""

    def extra_buttons(self) -> list[tuple[str, Callable[[], None], bool]]:
        """More buttons: (translated text, callback, needs a selected row)."""
        return []

    def load_lookups(self) -> None:
        """Fill id -> name tables of ``lookup`` columns (``self.model.set_lookup``)."""

    def enrich_rows(self, rows: list[dict[str, Any]]) -> None:
        """Add computed values to a page of rows before they are shown."""

    def display_name(self, row: Mapping[str, Any]) -> str:
        """How a row is named in messages and operation labels."""
        return str(row.get("full_name") or row.get("name") or row.get("id"))

    # --- building helpers ----------------------------------------------------------------

    def _button(self, text: str, callback: Callable[[], None], tip: str = "") -> QPushButton:
        button = QPushButton(text)
        if tip:
            button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False: callback())
        self.buttons.addWidget(button)
        return button

    def add_filter(self, key: str, widget: QWidget, value: Callable[[], Any], label: str = ""):
        """Show ``widget`` in the filter bar; ``value()`` gives the filter (None: no filter)."""
        if label:
            text = QLabel(label)
            text.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
            self.filter_bar.addWidget(text)
        self.filter_bar.addWidget(widget)
        self._filter_widgets[key] = value
        signal = getattr(widget, "changed", None)
        if signal is not None:
            signal.connect(self.apply_filters)
        return widget

    def add_combo(self, key: str, all_label: str, items: list[tuple[str, Any]]) -> FilterCombo:
        combo = FilterCombo(all_label, items)
        combo.setObjectName(f"filter_{key}")
        self.add_filter(key, combo, combo.value)
        return combo

    # --- loading and querying ----------------------------------------------------------

    def current_filters(self) -> dict[str, Any]:
        filters = {}
        for key, value in self._filter_widgets.items():
            current = value()
            if current is not None:
                filters[key] = current
        return filters

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self._loaded = True
            self.load_lookups()
            self.model.set_query(search=self.search_box.text(), filters=self.current_filters())

    def apply_search(self) -> None:
        """Run the search now (the debounce timer calls this 150 ms after the last key)."""
        self._debounce.stop()
        self._loaded = True
        self.model.set_query(search=self.search_box.text(), filters=self.current_filters())

    def apply_filters(self) -> None:
        self.apply_search()

    def refresh(self) -> None:
        """Read the rows again, keeping the selection and as many rows as were loaded."""
        if not self._loaded:
            self.ensure_loaded()
            return
        selected = self.selected_ids()
        scroll = self.table.verticalScrollBar().value()
        self.load_lookups()
        self.model.reload(keep_loaded=True)
        self._select_ids(selected)
        self.table.verticalScrollBar().setValue(scroll)

    def _select_ids(self, ids: list[int]) -> None:
        selection = self.table.selectionModel()
        for row_id in ids:
            row = self.model.row_of_id(row_id)
            if row is not None:
                index = self.model.index(row, 0)
                selection.select(
                    index,
                    selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
                )
                self.table.setCurrentIndex(index)

    def status_text(self) -> str:
        total = self.model.total
        if total < 0:
            return _("Đang đếm…")
        return _(self.count_label).format(count=format_number(total))

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    # --- selection -----------------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.table.selectionModel().selectedRows()})

    def selected_ids(self) -> list[int]:
        return [self.model.row_id(row) for row in self.selected_rows()]

    def current_row(self) -> dict[str, Any] | None:
        index = self.table.currentIndex()
        rows = self.selected_rows()
        if index.isValid() and index.row() in rows:
            return self.model.row(index.row())
        if rows:
            return self.model.row(rows[0])
        return None

    def _update_buttons(self, *_args) -> None:
        has = bool(self.table.selectionModel().selectedRows())
        for button in self._selection_buttons:
            button.setEnabled(has)
        self.add_button.setEnabled(self.can_add())

    # --- actions -------------------------------------------------------------------------

    def can_add(self) -> bool:
        return self.form_kind is not None and not self.store.read_only

    def add_record(self) -> None:
        if not self.can_add():
            return
        forms = forms_module()
        if forms is None:
            no_forms_message(self)
            return
        forms.open_form(self.form_kind, self.store, parent=self)

    def edit_current(self) -> None:
        row = self.current_row()
        if row is None or self.form_kind is None:
            return
        forms = forms_module()
        if forms is None:
            no_forms_message(self)
            return
        forms.open_form(self.form_kind, self.store, record_id=int(row["id"]), parent=self)

    def open_file(self, opener: str, key: str = "id") -> None:
        """Open the file of the chosen row with ``forms.<opener>(store, row[key], parent)``."""
        row = self.current_row()
        if row is None or not row.get(key):
            return
        forms = forms_module()
        if forms is None:
            no_forms_message(self)
            return
        getattr(forms, opener)(self.store, int(row[key]), self)

    def open_person(self) -> None:
        if self.person_key:
            self.open_file("open_person_view", self.person_key)

    def delete_selected(self) -> None:
        rows = [self.model.row(number) for number in self.selected_rows()]
        if not rows or self.store.read_only:
            return
        noun = _(self.noun)
        if len(rows) == 1:
            question = _("Xóa {noun} «{name}»?").format(noun=noun, name=self.display_name(rows[0]))
        else:
            question = _("Xóa {count} {noun} đã chọn?").format(
                count=format_number(len(rows)), noun=noun
            )
        question += "\n\n" + _("Có thể lấy lại bằng Sửa > Hoàn tác (Ctrl+Z).")
        answer = QMessageBox.question(
            self,
            _("Xác nhận xóa"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        # The operation's label is stored in the audit log: it stays in Vietnamese.
        repo_noun = self.repo.noun
        if len(rows) == 1:
            label = f"Xóa {repo_noun}: {self.display_name(rows[0])}"
        else:
            label = f"Xóa {len(rows)} {repo_noun}"
        try:
            with self.store.operation(label):
                for row in rows:
                    self.repo.delete(int(row["id"]))
        except AppError as exc:
            show_error(self, exc)

    def _context_menu(self, position) -> None:
        if not self.selected_rows():
            return
        menu = QMenu(self)
        edit = menu.addAction(_("Sửa…"))
        edit.triggered.connect(self.edit_current)
        if self.person_key:
            person = menu.addAction(_("Xem hồ sơ"))
            person.triggered.connect(self.open_person)
        menu.addSeparator()
        delete = menu.addAction(_("Xóa…"))
        delete.triggered.connect(self.delete_selected)
        menu.exec(self.table.viewport().mapToGlobal(position))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_rows():
                self.edit_current()
                return True
            if key == Qt.Key.Key_Delete and self.selected_rows():
                self.delete_selected()
                return True
        return super().eventFilter(watched, event)

    def _sort_indicator_changed(self, section: int, _order) -> None:
        # Columns without a sort in SQL keep the previous indicator.
        if self.columns[section].sort is None:
            current = self.model.sort_column()
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            if current is None:
                header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            else:
                order = (
                    Qt.SortOrder.DescendingOrder
                    if self.model.descending
                    else Qt.SortOrder.AscendingOrder
                )
                header.setSortIndicator(current, order)
            header.blockSignals(False)

    # --- state ---------------------------------------------------------------------------

    def save_state(self, settings: QSettings, prefix: str) -> None:
        self.column_fitter.save(settings, prefix)

    def restore_state(self, settings: QSettings, prefix: str) -> None:
        self.column_fitter.restore(settings, prefix)


def years_of(repo, order_by: str) -> list[int]:
    """Years from the earliest record (by ``order_by``) to this year."""
    first = repo.rows(Query(order_by=order_by, limit=1))
    return year_range(first[0][order_by] if first else None)
