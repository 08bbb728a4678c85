"""The inbox: what came in through the drop folders, as an in-memory table.

The list is read off the GUI thread (:func:`recordsdesk.intake.inbox.read_inbox`: only what changed
since the previous read) and handed to :meth:`InboxModel.set_items` on the GUI
thread. Usually it holds tens of
items, but a scanner batch or a full share can bring thousands; the view then
only asks for the rows it shows (fixed row heights), and a refresh turns the
difference into row removals, insertions and ``dataChanged`` instead of a
reset, so the selection, the current row and the scroll position stay put.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from recordsdesk.i18n import N_, _
from recordsdesk.intake.inbox import FILEABLE, InboxItemInfo, InboxRead
from recordsdesk.intake.states import InboxState
from recordsdesk.ui.formatting import format_bytes, format_size, type_name
from recordsdesk.ui.models.cells import TEXT_ROLES, OneCallPerCell
from recordsdesk.ui.models.inbox_facts import describe_facts

Index = QModelIndex | QPersistentModelIndex

NAME, STATE, TYPE, SIZE, REASON = range(5)

#: states from which an item may be taken out of the inbox
DISCARDABLE = ("ready", "duplicate", "quarantined")
RETRYABLE = ("quarantined",)
#: states that have left the inbox (``list_inbox`` leaves them out)
DONE = (InboxState.FILED.value, InboxState.DISCARDED.value)

_STATE_NAMES = {
    "seen": N_("seen"),
    "stable": N_("stable"),
    "claimed": N_("claimed"),
    "stored": N_("stored"),
    "ready": N_("ready"),
    "duplicate": N_("duplicate"),
    "quarantined": N_("quarantined"),
    "filed": N_("filed"),
    "discarded": N_("discarded"),
}


def state_name(state: str) -> str:
    """The translated label of an inbox state (unknown states show as they are)."""
    known = _STATE_NAMES.get(state)
    return _(known) if known else state


def is_fileable(item: InboxItemInfo) -> bool:
    return item.state in FILEABLE


class InboxModel(OneCallPerCell, QAbstractTableModel):
    columns = (N_("Name"), N_("Status"), N_("Type"), N_("Size"), N_("Reason"))
    answered_roles = TEXT_ROLES

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[InboxItemInfo] = []
        self._rows: dict[str, int] = {}
        self.loaded = False  # True once a list has arrived

    # -- Qt model API -----------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return _(self.columns[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()
        # a bounds check here, not checkIndex: that calls back into Python (see cells)
        if not (
            index.isValid() and 0 <= row < len(self._items) and 0 <= column < len(self.columns)
        ):
            return None
        item = self._items[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == NAME:
                return item.name
            if column == STATE:
                return state_name(item.state)
            if column == TYPE:
                return type_name(item.mime) if item.mime else ""
            if column == SIZE:
                return format_size(item.size)
            if column == REASON:
                return item.reason or ""
        elif role == Qt.ItemDataRole.ToolTipRole:
            if column == NAME:  # where it came from, and what intake found
                found = describe_facts(item.facts)
                return f"{item.source}\n{found}" if found else item.source
            if column == TYPE:
                return " · ".join(x for x in (item.mime, item.puid) if x)
            if column == SIZE:
                return format_bytes(item.size)
            if column == REASON:
                return item.reason or ""
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # -- content ------------------------------------------------------------
    def set_items(self, items: Sequence[InboxItemInfo]) -> None:
        """Show ``items`` (the whole inbox, in arrival order), changing only what changed."""
        new = list(items)
        if not self.loaded or not self._items or not self._merge(new):
            self.beginResetModel()
            self._items = new
            self._reindex()
            self.loaded = True
            self.endResetModel()

    def apply(self, read: InboxRead) -> list[InboxItemInfo] | None:
        """The whole list a read describes (``None``: it names an item not shown)."""
        if read.full:
            return [read.changed[i] for i in read.order]
        items: list[InboxItemInfo] = []
        for item_id in read.order:
            item = read.changed.get(item_id)
            if item is None:
                row = self._rows.get(item_id)
                if row is None:
                    return None
                item = self._items[row]
            items.append(item)
        return items

    def _merge(self, new: list[InboxItemInfo]) -> bool:
        """Turn the old rows into ``new`` by removals, insertions and updates.

        Items keep their relative order between two reads (arrival order), so
        after removing the items that left, the old rows are a subsequence of
        ``new``. ``False`` (nothing changed yet) when that does not hold; the
        caller then resets.
        """
        wanted = {item.id for item in new}
        kept = [item.id for item in self._items if item.id in wanted]
        old_ids = set(self._rows)
        if [item.id for item in new if item.id in old_ids] != kept:
            return False
        # removals, bottom up, in contiguous runs
        row = len(self._items) - 1
        while row >= 0:
            if self._items[row].id in wanted:
                row -= 1
                continue
            last = row
            while row >= 0 and self._items[row].id not in wanted:
                row -= 1
            self.beginRemoveRows(QModelIndex(), row + 1, last)
            del self._items[row + 1 : last + 1]
            self.endRemoveRows()
        # insertions, top down, in contiguous runs; updates where the value changed
        changed: list[int] = []
        row = 0
        while row < len(new):
            current = self._items[row] if row < len(self._items) else None
            if current is not None and current.id == new[row].id:
                if current != new[row]:
                    self._items[row] = new[row]
                    changed.append(row)
                row += 1
                continue
            first = row
            while row < len(new) and new[row].id not in old_ids:
                row += 1
            self.beginInsertRows(QModelIndex(), first, row - 1)
            self._items[first:first] = new[first:row]
            self.endInsertRows()
        self._reindex()
        last_column = self.columnCount() - 1
        for start, end in _runs(changed):
            self.dataChanged.emit(self.index(start, 0), self.index(end, last_column))
        return True

    def _reindex(self) -> None:
        self._rows = {item.id: row for row, item in enumerate(self._items)}

    def item(self, row: int) -> InboxItemInfo | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def items(self) -> list[InboxItemInfo]:
        return list(self._items)

    def ids(self) -> set[str]:
        return set(self._rows)

    def row_of(self, item_id: str) -> int | None:
        return self._rows.get(item_id)

    def retranslate(self) -> None:
        if self.columnCount():
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self._items:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._items) - 1, self.columnCount() - 1)
            )


def _runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs
