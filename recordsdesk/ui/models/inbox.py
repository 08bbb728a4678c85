"""The inbox: what came in through the drop folders, as a small in-memory table.

The inbox holds tens of items, not tens of thousands, so the whole list is read
at once (``list_inbox`` on the database worker) and handed to
:meth:`InboxModel.set_items` on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from recordsdesk.i18n import N_, _
from recordsdesk.intake.inbox import FILEABLE, InboxItemInfo
from recordsdesk.ui.formatting import format_bytes, format_size, type_name

Index = QModelIndex | QPersistentModelIndex

NAME, STATE, TYPE, SIZE, REASON = range(5)

#: states from which an item may be taken out of the inbox
DISCARDABLE = ("ready", "duplicate", "quarantined")
RETRYABLE = ("quarantined",)

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


class InboxModel(QAbstractTableModel):
    columns = (N_("Name"), N_("Status"), N_("Type"), N_("Size"), N_("Reason"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[InboxItemInfo] = []
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
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        item = self._items[index.row()]
        column = index.column()
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
            if column == NAME:
                return item.source
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
        """Show ``items`` (the whole inbox, in arrival order)."""
        self.beginResetModel()
        self._items = list(items)
        self.loaded = True
        self.endResetModel()

    def item(self, row: int) -> InboxItemInfo | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def items(self) -> list[InboxItemInfo]:
        return list(self._items)

    def row_of(self, item_id: str) -> int | None:
        for row, item in enumerate(self._items):
            if item.id == item_id:
                return row
        return None

    def retranslate(self) -> None:
        if self.columnCount():
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self._items:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._items) - 1, self.columnCount() - 1)
            )
