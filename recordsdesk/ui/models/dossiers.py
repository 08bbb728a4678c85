"""The dossier list: every dossier, newest first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt

from recordsdesk import services
from recordsdesk.changes import Changes
from recordsdesk.i18n import N_, _
from recordsdesk.services import Workspace
from recordsdesk.services.dto import DossierRow
from recordsdesk.ui.formatting import format_datetime, status_name
from recordsdesk.ui.models.lazy import LazyIdModel

KENMERK, TITLE, RECORDS = range(3)


class DossierModel(LazyIdModel[DossierRow]):
    columns = (N_("Kenmerk"), N_("Title"), N_("Records"))

    def load_ids(self, ws: Workspace) -> list[str]:
        return services.dossier_ids(ws)

    def load_rows(self, ws: Workspace, ids: Sequence[str]) -> Mapping[str, DossierRow]:
        return services.dossier_rows(ws, ids)

    def cell(self, row: DossierRow, column: int, role: int) -> Any:
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
