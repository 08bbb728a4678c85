"""The "Sync" column of the dossier and record lists: synced, waiting or in conflict.

Rows carry their :class:`~recordsdesk.archive.sync.outbox.ObjectSync`, read on the
database worker with the rest of the row. The cell shows a sign and a number
(✓, ↑ 3, ⚠), the accessible text and tooltip say it in words (never by sign or
colour alone).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any, TypeVar

from PySide6.QtCore import Qt

from recordsdesk.archive.sync.outbox import SYNCED, ObjectSync, object_states
from recordsdesk.i18n import _
from recordsdesk.services import Workspace
from recordsdesk.ui.formatting import format_size

T = TypeVar("T")


def with_sync(ws: Workspace, rows: Mapping[str, object], make: type[T]) -> dict[str, T]:
    """The rows again as ``make`` (a subclass with a ``sync`` field), with their state."""
    states = object_states(ws, list(rows))
    result: dict[str, T] = {}
    for key, row in rows.items():
        values = {f.name: getattr(row, f.name) for f in fields(row)}  # type: ignore[arg-type]
        values["sync"] = states.get(key, SYNCED)
        result[key] = make(**values)
    return result


def sync_cell(state: ObjectSync, role: int) -> Any:
    if role == Qt.ItemDataRole.DisplayRole:
        if state.state == "conflict":
            return "⚠"
        if state.state == "pending":
            return f"↑ {state.pending}"
        return "✓"
    if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
        return describe(state)
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return int(Qt.AlignmentFlag.AlignCenter)
    return None


def describe(state: ObjectSync) -> str:
    if state.state == "conflict":
        return _("In conflict: changed here and in the central archive (see the sync panel)")
    if state.state == "pending":
        return _("Waiting to be synchronised: {count} changes, {size}").format(
            count=state.pending, size=format_size(state.pending_bytes)
        )
    return _("Synchronised with the central archive")
