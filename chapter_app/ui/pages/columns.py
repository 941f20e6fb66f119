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
CELL_PADDING = 14  # the cell's margins around its text, and the grid line


def shared_widths(wanted: Sequence[float], minimums: Sequence[int], room: int) -> list[int]:
    """Whole widths filling ``room``: each column its ``wanted`` width but never under its
    minimum; what the narrow ones need is taken from the others in proportion to what
    they have above their own minimum. When even the minimums do not fit, the minimums
    (the table scrolls sideways)."""
    widths = [max(w, m) for w, m in zip(wanted, minimums, strict=True)]
    excess = sum(widths) - room
    slack = [w - m for w, m in zip(widths, minimums, strict=True)]
    if excess > 0 and sum(slack) > 0:
        share = min(1.0, excess / sum(slack))
        widths = [w - s * share for w, s in zip(widths, slack, strict=True)]
    whole = [max(m, int(w)) for w, m in zip(widths, minimums, strict=True)]
    if sum(whole) < room:  # the rounding left over: to the last column
        whole[-1] += room - sum(whole)
    return whole


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
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # "Ngày kết…", not "gày kết n"
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
        widths = shared_widths(
            [self.base[n] * scale for n in visible], [self.minimum(n) for n in visible], room
        )
        self._fitting = True
        try:
            for number, width in zip(visible, widths, strict=True):
                self.table.setColumnWidth(number, width)
        finally:
            self._fitting = False

    def minimum(self, number: int) -> int:
        """The narrowest the column may be: its sample (a date, a phone) shown uncut."""
        sample = self.columns[number].whole_sample()
        if not sample:
            return MIN_WIDTH
        metrics = self.table.fontMetrics()
        return max(MIN_WIDTH, metrics.horizontalAdvance(sample) + CELL_PADDING)

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
