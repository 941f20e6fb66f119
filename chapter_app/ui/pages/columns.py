"""Register tables that fit their width: columns scaled to the view, the less used ones
hidden by default, a column chooser on the header's context menu, kept in QSettings.

The widths the officer sets (or the declared ones) are the *base* widths; the shown
widths are the base widths of the visible columns scaled so that together they fill
the table's width (never narrower than :data:`MIN_WIDTH`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from chapter_app.i18n import _
from chapter_app.ui.table_model import Column

MIN_WIDTH = 48


class ColumnFitter(QObject):
    """Keeps the columns of ``table`` (declared by ``columns``) fitted to its width."""

    def __init__(self, table: QTableView, columns: Sequence[Column]):
        super().__init__(table)
        self.table = table
        self.columns = tuple(columns)
        self.base = [column.width for column in self.columns]
        self._fitting = False
        self.open_menu: QMenu | None = None
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.show_menu)
        header.sectionResized.connect(self._resized_by_hand)
        for number, column in enumerate(self.columns):
            table.setColumnHidden(number, column.optional)
        table.viewport().installEventFilter(self)
        self.fit()

    # --- which columns -------------------------------------------------------------------

    def hidden_keys(self) -> list[str]:
        return [c.key for n, c in enumerate(self.columns) if self.table.isColumnHidden(n)]

    def set_hidden(self, keys: Sequence[str]) -> None:
        """Hide the columns named by ``keys``, show the others (the first always shows)."""
        wanted = set(keys)
        for number, column in enumerate(self.columns):
            self.table.setColumnHidden(number, number > 0 and column.key in wanted)
        self.fit()

    def set_shown(self, number: int, shown: bool) -> None:
        if number == 0 and not shown:
            return
        self.table.setColumnHidden(number, not shown)
        self.fit()

    def show_menu(self, position) -> None:
        """The column chooser: one tick per column, and the default set."""
        self.open_menu = self.menu()
        self.open_menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.open_menu.popup(self.table.horizontalHeader().mapToGlobal(position))

    def menu(self) -> QMenu:
        menu = QMenu(self.table)
        menu.setObjectName("columnChooser")
        menu.setTitle(_("Chọn cột hiện"))
        for number, column in enumerate(self.columns):
            action = menu.addAction(_(column.label))
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(number))
            action.setEnabled(number > 0)
            action.toggled.connect(lambda on, n=number: self.set_shown(n, on))
        menu.addSeparator()
        defaults = menu.addAction(_("Các cột mặc định"))
        defaults.triggered.connect(self.reset)
        return menu

    def reset(self) -> None:
        self.base = [column.width for column in self.columns]
        self.set_hidden([c.key for c in self.columns if c.optional])

    # --- widths --------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _resized_by_hand(self, number: int, _old: int, new: int) -> None:
        """The dragged column keeps its new width; the others share what is left."""
        if self._fitting or new <= 0:
            return
        self.fit(keep=number)
        for column in self._visible():
            self.base[column] = self.table.columnWidth(column)

    def _visible(self) -> list[int]:
        return [n for n in range(len(self.columns)) if not self.table.isColumnHidden(n)]

    def fit(self, *, keep: int | None = None) -> None:
        """Scale the visible columns' base widths to fill the table's width (``keep``: a
        column whose current width stays, the others share the rest)."""
        visible = self._visible()
        room = self.table.viewport().width()
        if keep is not None and keep in visible:
            room -= self.table.columnWidth(keep)
            visible.remove(keep)
        total = sum(self.base[n] for n in visible)
        if not visible or room <= 0 or not total:
            return
        scale = room / total
        self._fitting = True
        try:
            used = 0
            for index, number in enumerate(visible):
                width = round(self.base[number] * scale)
                if index == len(visible) - 1:
                    width = room - used
                width = max(MIN_WIDTH, width)
                self.table.setColumnWidth(number, width)
                used += width
        finally:
            self._fitting = False

    # --- kept between sessions -----------------------------------------------------------

    def save(self, settings: QSettings, prefix: str) -> None:
        settings.setValue(f"{prefix}/column_widths", ",".join(str(w) for w in self.base))
        settings.setValue(f"{prefix}/hidden_columns", ",".join(self.hidden_keys()) or "-")

    def restore(self, settings: QSettings, prefix: str) -> None:
        text = str(settings.value(f"{prefix}/column_widths", "") or "")
        try:
            widths = [int(w) for w in text.split(",")] if text else []
        except ValueError:
            widths = []
        if len(widths) == len(self.columns):  # else the columns changed since: defaults
            self.base = [
                w if w > 10 else c.width for w, c in zip(widths, self.columns, strict=True)
            ]
        hidden = settings.value(f"{prefix}/hidden_columns")
        if hidden is not None:
            self.set_hidden([key for key in str(hidden).split(",") if key and key != "-"])
        else:
            self.fit()
