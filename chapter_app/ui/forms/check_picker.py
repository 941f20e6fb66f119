"""A searchable checklist field (ticks kept across searches), shared by the distribution's
recipients and the blood drive's named donors: the search box (a refresh 200 ms after
the last key), the list with tick boxes, and a line saying how many are shown and
chosen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from chapter_app.i18n import _
from chapter_app.ui.forms.widgets import Field

PEOPLE_SHOWN = 500
SEARCH_PAUSE_MS = 200


class CheckModel(QAbstractListModel):
    """The rows shown (``(key, label)``) with tick boxes; ticks are kept in ``checked``
    across searches."""

    toggled = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple[tuple[str, int], str]] = []
        self.checked: dict[tuple[str, int], str] = {}

    def set_rows(self, rows: list[tuple[tuple[str, int], str]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        key, label = self.rows[index.row()]
        if role == Qt.DisplayRole:
            return label
        if role == Qt.CheckStateRole:
            return Qt.Checked if key in self.checked else Qt.Unchecked
        if role == Qt.UserRole:
            return key
        return None

    def flags(self, index: QModelIndex):
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsUserCheckable

    def setData(self, index: QModelIndex, value, role: int = Qt.EditRole) -> bool:
        if role != Qt.CheckStateRole or not index.isValid():
            return False
        key, label = self.rows[index.row()]
        if Qt.CheckState(value) == Qt.Checked:
            self.checked[key] = label
        else:
            self.checked.pop(key, None)
        self.dataChanged.emit(index, index, [Qt.CheckStateRole])
        self.toggled.emit()
        return True

    def set_all_shown(self, on: bool) -> None:
        for key, label in self.rows:
            if on:
                self.checked[key] = label
            else:
                self.checked.pop(key, None)
        if self.rows:
            self.dataChanged.emit(
                self.index(0), self.index(len(self.rows) - 1), [Qt.CheckStateRole]
            )
        self.toggled.emit()

    def clear_all(self) -> None:
        self.checked.clear()
        if self.rows:
            self.dataChanged.emit(
                self.index(0), self.index(len(self.rows) - 1), [Qt.CheckStateRole]
            )
        self.toggled.emit()


class CheckPicker(Field):
    """The frame of a checklist field. A subclass builds its filters between
    :meth:`start` and :meth:`finish` and gives ``refresh`` (fill ``self.model`` from
    the search and filters) and ``_update_line``."""

    def start(self, *, search_name: str | None = None) -> QVBoxLayout:
        """The box, its layout and the search line (not yet placed: the subclass does)."""
        self.box = QWidget()
        layout = QVBoxLayout(self.box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        if search_name:
            self.search.setObjectName(search_name)
        self.search.setPlaceholderText(_("Tìm theo tên, không cần gõ dấu"))
        self.search.setClearButtonEnabled(True)
        self.model = CheckModel(self.box)
        return layout

    def list_view(self, *, name: str | None, min_height: int, min_width: int) -> QListView:
        self.view = QListView()
        if name:
            self.view.setObjectName(name)
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)
        self.view.setMinimumHeight(min_height)
        self.view.setMinimumWidth(min_width)
        return self.view

    def finish(self, layout: QVBoxLayout) -> None:
        """Add the "shown / chosen" line, become the field and wire the search."""
        self.shown_line = QLabel()
        layout.addWidget(self.shown_line)
        super().__init__(self.box)
        self.setFocusProxy(self.search)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_PAUSE_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textEdited.connect(lambda _t: self._timer.start())
        self.model.toggled.connect(self._toggled)

    def refresh(self) -> None:
        raise NotImplementedError

    def _update_line(self) -> None:
        raise NotImplementedError

    def _toggled(self) -> None:
        self._update_line()
        self._edited()

    def tick_where(self, wanted: Callable[[tuple[str, int]], bool]) -> None:
        """Tick the rows shown whose key is ``wanted`` (as a click on each would)."""
        for row, (key, _label) in enumerate(self.model.rows):
            if wanted(key):
                self.model.setData(self.model.index(row), Qt.Checked, Qt.CheckStateRole)
