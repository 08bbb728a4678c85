"""The dossier list: every dossier, newest first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt

from recordsdesk import services
from recordsdesk.archive.sync.outbox import SYNCED, ObjectSync
from recordsdesk.changes import Changes
from recordsdesk.i18n import N_, _
from recordsdesk.services import Workspace
from recordsdesk.services.dto import DossierRow
from recordsdesk.ui.formatting import format_datetime, status_name
from recordsdesk.ui.models.lazy import LazyIdModel
from recordsdesk.ui.models.sync_column import sync_cell, with_sync

KENMERK, TITLE, RECORDS, SYNC = range(4)


@dataclass(frozen=True)
class DossierListRow(DossierRow):
    """A dossier row with its sync state."""

    sync: ObjectSync = SYNCED


class DossierModel(LazyIdModel[DossierListRow]):
    columns = (N_("Kenmerk"), N_("Title"), N_("Records"), N_("Sync"))

    def load_ids(self, ws: Workspace) -> list[str]:
        return services.dossier_ids(ws)

    def load_rows(self, ws: Workspace, ids: Sequence[str]) -> Mapping[str, DossierListRow]:
        return with_sync(ws, services.dossier_rows(ws, ids), DossierListRow)

    def cell(self, row: DossierListRow, column: int, role: int) -> Any:
        if column == SYNC:
            return sync_cell(row.sync, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == KENMERK:
                return row.kenmerk
            if column == TITLE:
                return row.title
            if column == RECORDS:
                return str(row.record_count)
        elif role == Qt.ItemDataRole.ToolTipRole:
            return _("{kenmerk}: {title}\nStatus: {status}\nCreated: {created}").format(
                kenmerk=row.kenmerk,
                title=row.title,
                status=status_name(row.status),
                created=format_datetime(row.created_at),
            )
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == RECORDS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def apply_changes(self, changes: Changes) -> None:
        """Reload the list only for dossiers it does not know; re-fetch changed rows."""
        if changes.dossiers - self.known_ids():
            self.reload_ids()
        self.refresh_rows(changes.dossiers)
