"""What waits in a workstation's outbox: its size, and each dossier's or record's state.

Read at start-up and by the lists, page by page, so both are counted in the
database through the outbox's index (migration 0021), never by reading the
outbox into Python: a station that was offline for weeks has hundreds of
thousands of changes waiting. Kept apart from :mod:`recordsdesk.archive.sync.engine`
(push, pull), which the window loads only when it synchronises.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, String, cast, func, literal, select, union_all

from recordsdesk.archive.sync import rows
from recordsdesk.db.models import (
    Bestand,
    ChangeLog,
    Event,
    Hold,
    Informatieobject,
    SyncConflict,
)
from recordsdesk.services.workspace import Workspace

LAST_AT = "sync.last_at"
LAST_REPORT = "sync.last_report"


@dataclass(frozen=True)
class SyncStatus:
    pending_changes: int  # rows with changes not yet in the central archive
    pending_bytes: int  # content of new bestanden among them
    conflicts: int  # open conflicts
    last_at: dt.datetime | None
    last_report: dict[str, object] | None

    def to_json(self) -> dict[str, object]:
        return {
            "pending_changes": self.pending_changes,
            "pending_bytes": self.pending_bytes,
            "conflicts": self.conflicts,
            "last_at": self.last_at.isoformat() if self.last_at else None,
            "last_report": self.last_report,
        }


def status(ws: Workspace) -> SyncStatus:
    """What waits in the outbox, counted in the database (not read into Python: a station
    offline for weeks has hundreds of thousands of changes, and this runs at start-up)."""
    with ws.readers() as session:
        changed = select(ChangeLog.entity, ChangeLog.entity_id).distinct().subquery()
        pending = session.scalar(select(func.count()).select_from(changed)) or 0
        # the outbox names a bestand by its key as text: SQLite's stored hex, PostgreSQL's
        # uuid::text (the capture triggers of migration 0012)
        changed_files = select(ChangeLog.entity_id).where(ChangeLog.entity == "bestand")
        size = (
            session.scalar(
                select(func.coalesce(func.sum(Bestand.size), 0)).where(
                    cast(Bestand.id, String).in_(changed_files)
                )
            )
            or 0
        )
        conflicts = (
            session.scalar(
                select(func.count())
                .select_from(SyncConflict)
                .where(SyncConflict.resolved_at.is_(None))
            )
            or 0
        )
        last = ws.setting(session, LAST_AT, "")
        report = ws.setting(session, LAST_REPORT, "")
    return SyncStatus(
        int(pending),
        int(size),
        int(conflicts),
        dt.datetime.fromisoformat(last) if last else None,
        json.loads(report) if report else None,
    )


@dataclass(frozen=True)
class ObjectSync:
    """The sync state of one dossier or record, for the lists."""

    state: str  # "synced", "pending" or "conflict"
    pending: int = 0  # changed rows waiting in the outbox (it, its records, their files)
    pending_bytes: int = 0  # content of new files among them


SYNCED = ObjectSync("synced")


def object_states(ws: Workspace, ids: Iterable[str]) -> dict[str, ObjectSync]:
    """Per informatieobject in ``ids``: conflict, pending (it, a record under it, a file
    or an event of either waits in the outbox; with count and bytes) or synced.

    Cost follows the objects asked for, not the outbox: the lists ask for a page of
    rows at a time, and a station that was offline for weeks has hundreds of
    thousands of changes waiting. Each row under the objects is looked up in the
    outbox through its index (migration 0021)."""
    io = rows.ENTITIES["informatieobject"]
    wanted = sorted({io.canonical(i) for i in ids})
    counts: dict[str, tuple[int, int]] = {}
    conflicted: set[str] = set()
    with ws.readers() as session:
        for start in range(0, len(wanted), rows.IN_CHUNK):
            page = wanted[start : start + rows.IN_CHUNK]
            for key, pending, size in session.execute(_pending_under(page)):
                counts[io.canonical(str(key))] = (int(pending), int(size or 0))
            conflicted.update(
                session.scalars(
                    select(SyncConflict.entity_id).where(
                        SyncConflict.resolved_at.is_(None), SyncConflict.entity_id.in_(page)
                    )
                )
            )
    result: dict[str, ObjectSync] = {}
    for key in wanted:
        pending, size = counts.get(key, (0, 0))
        if key in conflicted:
            result[key] = ObjectSync("conflict", pending, size)
        elif pending:
            result[key] = ObjectSync("pending", pending, size)
        else:
            result[key] = SYNCED
    return result


def _pending_under(page: list[str]) -> Select[tuple[Any, int, Any]]:
    """(object id, rows waiting, bytes waiting) for each object of ``page`` with changes
    waiting: its own row, its children's rows, and the files, events and holds of both."""
    io = Informatieobject
    # every object whose changes count for a wanted one: itself, and its children
    pairs = union_all(
        select(io.id.label("object_id"), io.id.label("wanted")).where(io.id.in_(page)),
        select(io.id.label("object_id"), io.parent_id.label("wanted")).where(
            io.parent_id.in_(page)
        ),
    ).subquery("pairs")

    def waiting(entity: str, key: Any) -> Any:
        # the capture triggers store the key as text (see status())
        return (
            select(ChangeLog.seq)
            .where(ChangeLog.entity == entity, ChangeLog.entity_id == cast(key, String))
            .exists()
        )

    parts = [
        select(pairs.c.wanted, literal(0).label("bytes")).where(
            waiting("informatieobject", pairs.c.object_id)
        ),
        select(pairs.c.wanted, Bestand.size)
        .join(Bestand, Bestand.informatieobject_id == pairs.c.object_id)
        .where(waiting("bestand", Bestand.id)),
    ]
    for model, entity in ((Event, "event"), (Hold, "hold")):
        parts.append(
            select(pairs.c.wanted, literal(0))
            .join(model, model.informatieobject_id == pairs.c.object_id)
            .where(waiting(entity, model.id))
        )
    found = union_all(*parts).subquery("found")
    return select(found.c.wanted, func.count(), func.coalesce(func.sum(found.c.bytes), 0)).group_by(
        found.c.wanted
    )
