"""The records (archiefstukken) of one dossier, in filing order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt

from recordsdesk import services
from recordsdesk.archive.sync.outbox import SYNCED, ObjectSync
from recordsdesk.changes import Changes
from recordsdesk.i18n import N_
from recordsdesk.services import Workspace
from recordsdesk.services.dto import RecordRow
from recordsdesk.ui.formatting import format_bytes, format_datetime, format_size, type_name
from recordsdesk.ui.models.lazy import LazyIdModel
from recordsdesk.ui.models.sync_column import sync_cell, with_sync

KENMERK, TITLE, TYPE, SIZE, FILED, SYNC = range(6)


@dataclass(frozen=True)
class RecordListRow(RecordRow):
    """A record row with its sync state."""

    sync: ObjectSync = SYNCED


class RecordModel(LazyIdModel[RecordListRow]):
    columns = (N_("Kenmerk"), N_("Title"), N_("Type"), N_("Size"), N_("Filed on"), N_("Sync"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._dossier_id: str | None = None

    @property
    def dossier_id(self) -> str | None:
        return self._dossier_id

    def set_dossier(self, dossier_id: str | None) -> None:
        """Show the records of ``dossier_id`` (``None``: show nothing)."""
        if dossier_id == self._dossier_id:
            return
        self._dossier_id = dossier_id
        self.clear()
        if dossier_id is not None:
            self.reload_ids()

    def load_ids(self, ws: Workspace) -> list[str]:
        dossier_id = self._dossier_id
        return [] if dossier_id is None else services.record_ids(ws, dossier_id)

    def load_rows(self, ws: Workspace, ids: Sequence[str]) -> Mapping[str, RecordListRow]:
        return with_sync(ws, services.record_rows(ws, ids), RecordListRow)

    def cell(self, row: RecordListRow, column: int, role: int) -> Any:
        if column == SYNC:
            return sync_cell(row.sync, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == KENMERK:
                return row.kenmerk
            if column == TITLE:
                return row.title
            if column == TYPE:
                return type_name(row.mime)
            if column == SIZE:
                return format_size(row.size)
            if column == FILED:
                return format_datetime(row.filed_at)
        elif role == Qt.ItemDataRole.ToolTipRole:
            if column == TITLE:
                return row.title
            if column == TYPE:
                return row.mime or ""
            if column == SIZE:
                return format_bytes(row.size)
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def apply_changes(self, changes: Changes) -> None:
        """Reload when this dossier gained records; re-fetch changed rows."""
        if self._dossier_id is not None and self._dossier_id in changes.dossiers:
            self.reload_ids()
        self.refresh_rows(changes.records)
