"""Table models whose rows are read a page at a time on the database worker.

:class:`HeaderTable` gives a table its translated column headers and re-emits
them (and its texts) on a language switch. :class:`PagedTable` adds rows read
lazily: Qt's views ask for more (``fetchMore``) as the user scrolls; each page
is one job on the database worker; an answer for rows shown before a reset (a
generation ago) is dropped; a page shorter than asked means the set shrank
since it was counted, so no more is asked. Subclasses say how a page is read
(:meth:`PagedTable.page_job`) and what each cell shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

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
from recordsdesk.ui.errors import show_error
from recordsdesk.ui.models.cells import OneCallPerCell
from recordsdesk.ui.ops import Ops

Index = QModelIndex | QPersistentModelIndex
PAGE = 500


class HeaderTable(OneCallPerCell, QAbstractTableModel):
    """Shared header and retranslation; subclasses give the rows and their texts."""

    columns: Sequence[str] = ()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return _(self.columns[section]) if 0 <= section < len(self.columns) else None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        rows = self.rowCount()
        if rows:
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, len(self.columns) - 1))

    @staticmethod
    def _text(index: Index, role: int) -> bool:
        """Whether ``role`` asks for a cell's text (shown or as its tooltip)."""
        return index.isValid() and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        )


class PagedTable(HeaderTable):
    """Rows read a page at a time; see the module docstring.

    Signals:
        page_loaded: a page arrived (or reading it failed) and its rows are in.
    """

    page_loaded = Signal()

    def __init__(self, ops: Ops, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.page = PAGE
        self.rows: list[Any] = []
        self._total = 0
        self._generation = 0
        self._fetching = False

    @property
    def loading(self) -> bool:
        return self._fetching

    @property
    def total(self) -> int:
        return self._total

    def restart(self, total: int) -> None:
        """Forget the rows; read again from the first page (``total`` in the set)."""
        self.beginResetModel()
        self._generation += 1
        self.rows = []
        self._total, self._fetching = total, False
        self.endResetModel()
        if total:
            self._fetch()
        else:
            self.page_loaded.emit()

    def row(self, row: int) -> Any:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def page_job(self, loaded: Sequence[Any], limit: int) -> Callable[[Workspace], list[Any]]:
        """The job reading the ``limit`` rows after ``loaded`` (runs on the worker).

        Called on the GUI thread: take from ``loaded`` what the job needs now (an
        offset, the last row's position); the job must not read it later."""
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._fetching and len(self.rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if self.canFetchMore(parent):
            self._fetch()

    def _fetch(self) -> None:
        limit, generation = self.page, self._generation
        job = self.page_job(self.rows, limit)
        self._fetching = True

        def arrived(page: list[Any]) -> None:
            if generation != self._generation:
                return
            self._fetching = False
            if page:
                start = len(self.rows)
                self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
                self.rows.extend(page)
                self.endInsertRows()
            if len(page) < limit:  # the set shrank since it was counted: stop asking
                self._total = len(self.rows)
            self.page_loaded.emit()

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self._fetching = False
            self._total = len(self.rows)
            self.page_loaded.emit()
            show_error(None, exc)

        self.ops.db(job, arrived, failed, owner=self)
