"""A table model over an ordered list of ids, with rows fetched lazily in batches.

The query behind a list returns ids only (cheap even for 100,000 records). The
model shows them a page at a time (``canFetchMore``/``fetchMore``); a row's
values are fetched on the database worker the first time a view asks for them,
:data:`BATCH` rows per request, and cached. Until they arrive the row shows a
"loading" placeholder, so the GUI thread never waits for the database.

Refreshing follows the ``Changes`` a mutation returns: :meth:`reload_ids`
re-reads the id list and turns the difference into row insertions when it can
(new ids at the top or at the end), :meth:`refresh_rows` re-fetches only the
named rows and keeps showing the old values until the new ones are there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from recordsdesk.i18n import _
from recordsdesk.services import Workspace
from recordsdesk.ui.models.cells import TEXT_ROLES, OneCallPerCell
from recordsdesk.ui.ops import Ops

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex

#: rows read per job: a screenful and some (a dossier's row includes its sync state,
#: which looks at each of its records: 50 dossiers of 100 records are 0.1 s)
BATCH = 50
PAGE = 500

log = logging.getLogger("recordsdesk.ui.models")


class LazyIdModel(OneCallPerCell, QAbstractTableModel, Generic[Row]):
    """Base for the dossier and record lists; subclasses say what to load and show.

    Signals:
        ids_loaded: a (re)load of the id list has been applied.
        rows_loaded: a batch of rows arrived (and ``dataChanged`` was emitted).
        load_failed: loading failed (argument: the exception); the rows show that.
    """

    ids_loaded = Signal()
    rows_loaded = Signal()
    load_failed = Signal(object)

    #: column headers as msgids, translated when asked (so retranslation works)
    columns: Sequence[str] = ()
    #: what ``cell`` answers (see cells.OneCallPerCell); a subclass answering more widens it
    answered_roles: frozenset[int] | None = TEXT_ROLES

    def __init__(self, ops: Ops, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._ids: list[str] = []
        self._position: dict[str, int] = {}
        self._visible = 0
        self._rows: dict[str, Row] = {}
        self._requested: set[str] = set()
        self._failed: set[str] = set()
        self._generation = 0
        self._loading_ids = False

    # -- what subclasses provide -------------------------------------------
    def load_ids(self, ws: Workspace) -> list[str]:
        """Runs on the database worker: the ordered ids of the list."""
        raise NotImplementedError

    def load_rows(self, ws: Workspace, ids: Sequence[str]) -> Mapping[str, Row]:
        """Runs on the database worker: the rows for ``ids``."""
        raise NotImplementedError

    def cell(self, row: Row, column: int, role: int) -> Any:
        """The value for ``role`` in ``column`` of a loaded row."""
        raise NotImplementedError

    # -- Qt model API -----------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._visible

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return _(self.columns[section])
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        position = index.row()
        # a bounds check here, not checkIndex: that calls back into Python (see cells)
        if not (
            index.isValid()
            and 0 <= position < self._visible
            and 0 <= index.column() < len(self.columns)
        ):
            return None
        row_id = self._ids[position]
        row = self._rows.get(row_id)
        if row is not None:
            return self.cell(row, index.column(), role)
        if row_id in self._failed:
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return _("(not available)")
            return None
        if row_id not in self._requested:  # on its way: asking again would only add the
            self._request_from(position)  # next row after the batch, one job per row
        if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
            return _("Loading…")
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._visible < len(self._ids)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid():
            return
        count = min(PAGE, len(self._ids) - self._visible)
        if count <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._visible, self._visible + count - 1)
        self._visible += count
        self.endInsertRows()

    # -- lookups ----------------------------------------------------------
    @property
    def loading(self) -> bool:
        """True while the id list or any row batch is being fetched."""
        return self._loading_ids or bool(self._requested)

    def row_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < self._visible else None

    def row_value(self, row: int) -> Row | None:
        row_id = self.row_id(row)
        return None if row_id is None else self._rows.get(row_id)

    def row_of(self, row_id: str) -> int | None:
        """The row showing ``row_id``, paging it into view if needed."""
        position = self._position.get(row_id)
        if position is None:
            return None
        while position >= self._visible and self.canFetchMore():
            self.fetchMore()
        return position

    def known_ids(self) -> frozenset[str]:
        return frozenset(self._ids)

    # -- loading ----------------------------------------------------------
    def clear(self) -> None:
        """Forget everything (e.g. another dossier was chosen)."""
        self._generation += 1
        self.beginResetModel()
        self._set_ids([])
        self._visible = 0
        self._rows.clear()
        self._requested.clear()
        self._failed.clear()
        self._loading_ids = False
        self.endResetModel()

    def reload_ids(self) -> None:
        """Re-read the id list in the background and apply the difference."""
        generation = self._generation
        self._loading_ids = True

        def arrived(ids: list[str]) -> None:
            if generation == self._generation:
                self._loading_ids = False
                self._apply_ids(ids)
                self.ids_loaded.emit()

        self._ops.db(self.load_ids, arrived, self._fail_ids(generation), owner=self)

    def refresh_rows(self, ids: Iterable[str]) -> None:
        """Re-fetch the rows of ``ids`` that are loaded; keep showing old values meanwhile."""
        wanted = [i for i in ids if i in self._rows or i in self._failed]
        if wanted:
            self._fetch(wanted)

    def refresh_all(self) -> None:
        """Re-read the id list and every loaded row (F5)."""
        self.reload_ids()
        self.refresh_rows(list(self._rows) + list(self._failed))

    def _apply_ids(self, new: list[str]) -> None:
        old = self._ids
        if new == old:
            return
        added = len(new) - len(old)
        if old and added > 0 and new[added:] == old:  # new ids on top (dossiers: newest first)
            self.beginInsertRows(QModelIndex(), 0, added - 1)
            self._set_ids(new)
            self._visible += added
            self.endInsertRows()
        elif old and added > 0 and new[: len(old)] == old:  # new ids at the end (records)
            shown = min(added, PAGE) if self._visible == len(old) else 0
            if shown:
                self.beginInsertRows(QModelIndex(), len(old), len(old) + shown - 1)
            self._set_ids(new)  # the rest is reached through fetchMore
            if shown:
                self._visible += shown
                self.endInsertRows()
        else:
            self.beginResetModel()
            self._set_ids(new)
            self._visible = min(len(new), max(PAGE, self._visible))
            self.endResetModel()

    def _set_ids(self, ids: list[str]) -> None:
        self._ids = ids
        self._position = {row_id: n for n, row_id in enumerate(ids)}

    def _request_from(self, row: int) -> None:
        batch = [
            row_id
            for row_id in self._ids[row : min(row + BATCH, self._visible)]
            if row_id not in self._rows
            and row_id not in self._requested
            and row_id not in self._failed
        ]
        if batch:
            self._fetch(batch)

    def _fetch(self, ids: list[str]) -> None:
        generation = self._generation
        self._requested.update(ids)

        def arrived(rows: Mapping[str, Row]) -> None:
            if generation != self._generation:
                return
            self._requested.difference_update(ids)
            self._failed.difference_update(rows)
            self._failed.update(i for i in ids if i not in rows)  # vanished meanwhile
            self._rows.update(rows)
            self._changed(ids)
            self.rows_loaded.emit()

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            log.warning("loading %d rows failed: %s", len(ids), exc)
            self._requested.difference_update(ids)
            self._failed.update(ids)
            self._changed(ids)
            self.load_failed.emit(exc)

        self._ops.db(lambda ws: self.load_rows(ws, ids), arrived, failed, owner=self)

    def _fail_ids(self, generation: int) -> Callable[[BaseException], None]:
        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._loading_ids = False
                log.warning("loading the list failed: %s", exc)
                self.load_failed.emit(exc)

        return failed

    def _changed(self, ids: Iterable[str]) -> None:
        positions = (self._position.get(i) for i in ids)
        rows = [n for n in positions if n is not None and n < self._visible]
        if rows:
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), last))

    def retranslate(self) -> None:
        """Headers and cell texts depend on the language: tell the views."""
        if self.columnCount():
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self._visible:
            self.dataChanged.emit(
                self.index(0, 0), self.index(self._visible - 1, self.columnCount() - 1)
            )
