"""One sync run, and the workstation's sync state.

:func:`sync_once` pushes the outbox, sends the audit trail's new rows, pulls
the central change feed and tells the central archive how much this
workstation still has pending. It never raises for a row or a lost
connection: everything that did not go across is a :class:`Problem` in the
report (so ``recordsdesk sync`` can exit non-zero with counts), and the next
run takes up where this one stopped.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import String, cast, delete, func, insert, literal, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from recordsdesk import audit
from recordsdesk.archive.sync import rows
from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.pending import pending_by_dossier
from recordsdesk.archive.sync.pull import pull
from recordsdesk.archive.sync.push import push
from recordsdesk.archive.sync.report import Problem, SyncReport
from recordsdesk.db.models import (
    AuditEvent,
    Bestand,
    ChangeLog,
    Event,
    Hold,
    Informatieobject,
    SyncConflict,
    Workstation,
    WorkstationDossier,
    table_of,
)
from recordsdesk.i18n import N_
from recordsdesk.services.workspace import Workspace
from recordsdesk.tasks import CancelToken, Progress, no_progress

AUDIT_CURSOR = "sync.audit_pushed"
LAST_AT = "sync.last_at"
LAST_REPORT = "sync.last_report"
AUDIT_PAGE = 1000


def sync_once(
    ws: Workspace,
    central: Central,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> SyncReport:
    """Push, send audit rows, pull; see the module contract."""
    report = SyncReport()
    try:
        push(ws, central, report, progress, cancel)
        push_audit(ws, central, report)
        pull(ws, central, report, progress, cancel)
        _tell_central(ws, central)
    except (OperationalError, DBAPIError) as exc:
        lost = _connection_lost(exc)
        if not lost and not _central_refuses(exc):
            raise
        report.problems.append(
            Problem(
                "central",
                "",
                N_("The connection to the central archive was lost: {reason}")
                if lost
                else N_("The central archive refused the sync: {reason}"),
                {"reason": _first_line(exc)},
            )
        )
    _remember(ws, report)
    return report


def _connection_lost(exc: DBAPIError) -> bool:
    return isinstance(exc, OperationalError) or bool(exc.connection_invalidated)


# PostgreSQL SQLSTATEs of a central archive that does not take writes now: read-only,
# out of resources (disk full), the login's privileges taken away
_REFUSING = ("25006", "53", "42501")


def _central_refuses(exc: DBAPIError) -> bool:
    return str(getattr(exc.orig, "sqlstate", "") or "").startswith(_REFUSING)


def _first_line(exc: BaseException) -> str:
    original = getattr(exc, "orig", exc)
    text = str(original).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:300]


def push_audit(ws: Workspace, central: Central, report: SyncReport) -> None:
    """Append this workstation's new audit rows to the central chain, once each:
    a row's origin (station, local number and the start of its local hash) is
    unique centrally, so a replay (a crash, a restored backup) skips what is
    there, while a new row that a restored backup numbers like one its lost
    future sent is a row of its own (its hash differs)."""
    while True:
        with ws.readers() as session:
            cursor = int(ws.setting(session, AUDIT_CURSOR, "0"))
            batch = (
                session.execute(
                    select(AuditEvent)
                    .where(AuditEvent.seq > cursor)
                    .order_by(AuditEvent.seq)
                    .limit(AUDIT_PAGE)
                )
                .scalars()
                .all()
            )
        if not batch:
            return
        origins = {row.seq: f"{ws.station}:{row.seq}:{row.hash[:16]}" for row in batch}
        with Session(central.engine) as session, session.begin():
            there = set(
                session.scalars(
                    select(AuditEvent.origin).where(AuditEvent.origin.in_(origins.values()))
                )
            )
            entries = [
                audit.Entry(
                    row.at,
                    row.actor,
                    row.action,
                    row.object_type,
                    row.object_id,
                    json.loads(row.details),
                    origins[row.seq],
                )
                for row in batch
                if origins[row.seq] not in there
            ]
            audit.append_many(session, entries)
        with ws.sessions() as session, session.begin():
            ws.put_setting(session, AUDIT_CURSOR, str(batch[-1].seq))
        report.audit_sent += len(entries)


def _tell_central(ws: Workspace, central: Central) -> None:
    """What the central archive knows of this workstation's outbox (for completeness)."""
    state = status(ws)
    now = ws.clock()
    values = {
        "station_id": ws.station,
        "actor": ws.actor,
        "last_push_at": now,
        "last_pull_at": now,
        "pending_changes": state.pending_changes,
        "pending_bytes": state.pending_bytes,
    }
    table = table_of(Workstation)
    changed = {k: v for k, v in values.items() if k != "station_id"}
    statement: Executable
    if central.engine.dialect.name == "postgresql":
        # here, not at the top: the PostgreSQL dialect is 60 ms of the window's start-up
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = (
            pg_insert(table)
            .values(**values)
            .on_conflict_do_update(index_elements=["station_id"], set_=changed)
        )
    else:
        statement = (
            sqlite_insert(table)
            .values(**values)
            .on_conflict_do_update(index_elements=["station_id"], set_=changed)
        )
    with ws.readers() as session:
        dossiers = pending_by_dossier(session)
    with central.engine.begin() as connection:
        connection.execute(statement)
        mine = table_of(WorkstationDossier)
        connection.execute(delete(mine).where(mine.c.station_id == ws.station))
        if dossiers:
            connection.execute(
                insert(mine),
                [
                    {
                        "station_id": ws.station,
                        "dossier_id": dossier,
                        "actor": ws.actor,
                        "pending_changes": count,
                        "reported_at": now,
                    }
                    for dossier, count in dossiers.items()
                ],
            )


def _remember(ws: Workspace, report: SyncReport) -> None:
    with ws.sessions() as session, session.begin():
        ws.put_setting(session, LAST_AT, ws.clock().isoformat())
        ws.put_setting(session, LAST_REPORT, json.dumps(report.to_json(), ensure_ascii=False))


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

    Cost follows the outbox, not the store: only the rows waiting are looked up."""
    io = rows.ENTITIES["informatieobject"]
    wanted = {io.canonical(i) for i in ids}
    counts: dict[str, list[int]] = {}
    with ws.readers() as session:
        waiting = session.execute(select(ChangeLog.entity, ChangeLog.entity_id).distinct()).all()
        keys: dict[str, set[str]] = {}
        for entity, entity_id in waiting:
            if entity in rows.ENTITIES:
                keys.setdefault(entity, set()).add(rows.ENTITIES[entity].canonical(entity_id))
        owner: dict[str, tuple[str, int]] = {k: (k, 0) for k in keys.get("informatieobject", ())}
        for name, model in (("bestand", Bestand), ("event", Event), ("hold", Hold)):
            found = sorted(keys.get(name, ()))
            for start in range(0, len(found), rows.IN_CHUNK):
                page = found[start : start + rows.IN_CHUNK]
                size_of = Bestand.size if model is Bestand else literal(0)
                for key, target, bytes_ in session.execute(
                    select(model.id, model.informatieobject_id, size_of).where(model.id.in_(page))
                ):
                    owner[key] = (target, int(bytes_ or 0))
        parents: dict[str, str | None] = {}
        targets = sorted({t for t, _ in owner.values()})
        for start in range(0, len(targets), rows.IN_CHUNK):
            page = targets[start : start + rows.IN_CHUNK]
            for key, parent in session.execute(
                select(Informatieobject.id, Informatieobject.parent_id).where(
                    Informatieobject.id.in_(page)
                )
            ):
                parents[key] = parent
        for target, bytes_ in owner.values():
            for candidate in (target, parents.get(target)):
                if candidate in wanted:
                    tally = counts.setdefault(candidate, [0, 0])
                    tally[0] += 1
                    tally[1] += bytes_
        conflicted = set(
            session.scalars(
                select(SyncConflict.entity_id).where(SyncConflict.resolved_at.is_(None))
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
