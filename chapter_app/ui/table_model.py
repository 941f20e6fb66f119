"""One table model for every register: rows come from SQL queries, page by page.

Search, filters and sort run in SQLite through the store's repositories
(``repo.rows(Query(...))``); the model holds only the rows fetched so far for the
current query (``PAGE_SIZE`` at a time, more as the view scrolls: ``canFetchMore`` /
``fetchMore``). There is no proxy model over Python rows. The total count of the
current query is asked separately (in the background when a ``Worker`` is given) so
that a slow count never delays the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from chapter_app.domain.privacy import mask_id
from chapter_app.i18n import _, format_money, format_number

PAGE_SIZE = 200


@dataclass(frozen=True)
class Column:
    """One column of a register table.

    ``key`` names the value in the row dict; ``label`` is an ``N_``-marked header;
    ``kind`` picks the formatter (text, date, money, number, id, bool, choice, lookup);
    ``sort`` is the repository's sort name (None: not sortable); ``choices`` maps
    stored codes to ``N_`` labels; ``lookup`` names a table the page supplies
    (id -> name); ``value`` computes the shown value from the whole row;
    ``blank_zero`` leaves zeros empty; ``optional`` columns are hidden until the officer
    shows them (header's context menu).
    """

    key: str
    label: str
    kind: str = "text"
    sort: str | None = None
    width: int = 120
    choices: Mapping[Any, str] = field(default_factory=dict)
    lookup: str | None = None
    value: Callable[[Mapping[str, Any]], Any] | None = None
    blank_zero: bool = False
    optional: bool = False
    whole: str = ""  # a sample of the longest value the column must show uncut ("0912345678")

    def whole_sample(self) -> str:
        """What the column must show uncut: ``whole``, or a date or masked ID number."""
        return self.whole or WHOLE_BY_KIND.get(self.kind, "")


WHOLE_BY_KIND = {"date": "00/00/0000", "id": "000******000", "money": "00.000.000 đ"}
PHONE = "0000000000"  # ``whole`` of a phone column


def iso_to_display(value: Any) -> str:
    """``2026-11-23`` (as stored) -> ``23/11/2026``; anything else as text."""
    if value is None or value == "":
        return ""
    text = str(value)
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    return text


def birth_text(row: Mapping[str, Any]) -> str:
    """The birth date when known, else the birth year alone (many lists only have the year)."""
    if row.get("birth_date"):
        return iso_to_display(row["birth_date"])
    return str(row["birth_year"]) if row.get("birth_year") else ""


NUMERIC_KINDS = {"money", "number"}


class SqlTableModel(QAbstractTableModel):
    """The rows of ``getattr(store, repo_name).rows(query)``, fetched a page at a time."""

    # The number of rows of the current query (-1 while it is being counted).
    total_changed = Signal(int)

    def __init__(
        self,
        store,
        repo_name: str,
        columns: list[Column],
        *,
        worker=None,
        base_filters: Mapping[str, Any] | None = None,
        order_by: str | None = None,
        descending: bool = False,
        page_size: int = PAGE_SIZE,
        enrich: Callable[[list[dict[str, Any]]], None] | None = None,
        parent=None,
    ):
        super().__init__(parent)
        from chapter_app.store.repository import Query

        self._Query = Query
        self.store = store
        self.repo_name = repo_name
        self.repo = getattr(store, repo_name)
        self.columns = list(columns)
        self.worker = worker
        self.base_filters = dict(base_filters or {})
        self.page_size = page_size
        self.enrich = enrich
        self.lookups: dict[str, Mapping[Any, str]] = {}
        self._search = ""
        self._filters: dict[str, Any] = {}
        self._order_by = order_by
        self._descending = descending
        self._rows: list[dict[str, Any]] = []
        self._shown: list[list[str] | None] = []
        self._exhausted = True
        self._total = -1
        self._count_job = None
        self._generation = 0

    # --- the query ---------------------------------------------------------------------

    @property
    def search(self) -> str:
        return self._search

    @property
    def filters(self) -> dict[str, Any]:
        return dict(self._filters)

    @property
    def order_by(self) -> str | None:
        return self._order_by

    @property
    def descending(self) -> bool:
        return self._descending

    def query(self, *, limit: int | None = None, offset: int = 0):
        return self._Query(
            search=self._search or None,
            filters={**self.base_filters, **self._filters} or None,
            order_by=self._order_by,
            descending=self._descending,
            limit=limit,
            offset=offset,
        )

    def set_query(
        self, *, search: str | None = None, filters: Mapping[str, Any] | None = None
    ) -> None:
        """Show the rows matching ``search`` and ``filters`` (from the first page)."""
        if search is not None:
            self._search = search.strip()
        if filters is not None:
            self._filters = dict(filters)  # a None value means IS NULL
        self.reload()

    def set_order(self, order_by: str | None, descending: bool = False) -> None:
        self._order_by = order_by
        self._descending = descending
        self.reload()

    def set_lookup(self, name: str, table: Mapping[Any, str]) -> None:
        self.lookups[name] = table
        if self._rows:
            self._shown = [None] * len(self._rows)
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1)
            )

    def reload(self, *, keep_loaded: bool = False) -> None:
        """Query again from the top; ``keep_loaded`` fetches as many rows as were shown."""
        limit = max(self.page_size, len(self._rows)) if keep_loaded else self.page_size
        rows = self.repo.rows(self.query(limit=limit))
        if self.enrich is not None:
            self.enrich(rows)
        self.beginResetModel()
        self._rows = rows
        self._shown = [None] * len(rows)
        self._exhausted = len(rows) < limit
        self.endResetModel()
        self._count()

    def _count(self) -> None:
        self._generation += 1
        generation = self._generation
        if self._count_job is not None:
            self._count_job.cancel()
            self._count_job = None
        if self._exhausted:  # every row is here: no need to ask
            self._set_total(len(self._rows), generation)
            return
        query = replace(self.query(), limit=None)
        if self.worker is None:
            self._set_total(self.repo.count(query), generation)
            return
        self._set_total(-1, generation)
        repo_name = self.repo_name
        self._count_job = self.worker.submit(
            lambda store: getattr(store, repo_name).count(query),
            on_done=lambda total: self._set_total(total, generation),
            context=self,
        )

    def _set_total(self, total: int, generation: int) -> None:
        if generation != self._generation:
            return
        self._total = total
        self.total_changed.emit(total)

    @property
    def total(self) -> int:
        """Rows matching the current query, or -1 while they are being counted."""
        return self._total

    # --- paging --------------------------------------------------------------------------

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008 (Qt's signature)
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        rows = self.repo.rows(self.query(limit=self.page_size, offset=len(self._rows)))
        if self.enrich is not None:
            self.enrich(rows)
        self._exhausted = len(rows) < self.page_size
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._shown.extend([None] * len(rows))
        self.endInsertRows()

    def fetch_all_loaded(self) -> int:
        """How many rows are loaded now."""
        return len(self._rows)

    # --- reading ---------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def row(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def row_id(self, row: int) -> int:
        return int(self._rows[row]["id"])

    def row_of_id(self, row_id: int) -> int | None:
        for number, values in enumerate(self._rows):
            if values["id"] == row_id:
                return number
        return None

    def column_of(self, key: str) -> int | None:
        for number, column in enumerate(self.columns):
            if column.key == key:
                return number
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(self.columns[section].label)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            shown = self._shown[row]
            if shown is None:
                shown = self._shown[row] = [self._format(self._rows[row], c) for c in self.columns]
            return shown[col]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self.columns[col].kind in NUMERIC_KINDS:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if self.columns[col].kind == "bool":
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if role == Qt.ItemDataRole.UserRole:
            return self._rows[row]["id"]
        return None

    def _format(self, row: Mapping[str, Any], column: Column) -> str:
        value = column.value(row) if column.value is not None else row.get(column.key)
        kind = column.kind
        if value is None or value == "" or (column.blank_zero and value == 0):
            return ""
        if kind == "date":
            return iso_to_display(value)
        if kind == "money":
            return format_money(int(value))
        if kind == "number":
            return format_number(value)
        if kind == "id":
            return mask_id(str(value))
        if kind == "bool":
            return "✓" if value else ""
        if kind == "choice":
            label = column.choices.get(value)
            return _(label) if label else str(value)
        if kind == "lookup":
            return self.lookups.get(column.lookup or column.key, {}).get(value, "")
        return str(value)

    # --- sorting -------------------------------------------------------------------------

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Header click: sort in SQLite by the column's sort name (names by collation key)."""
        if not 0 <= column < len(self.columns):
            return
        name = self.columns[column].sort
        if name is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if name == self._order_by and descending == self._descending:
            return
        self.set_order(name, descending)

    def sort_column(self) -> int | None:
        for number, column in enumerate(self.columns):
            if column.sort and column.sort == self._order_by:
                return number
        return None
