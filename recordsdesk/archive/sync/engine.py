"""One sync run (the outbox's state: :mod:`recordsdesk.archive.sync.outbox`).

:func:`sync_once` pushes the outbox, sends the audit trail's new rows, pulls
the central change feed and tells the central archive how much this
workstation still has pending. It never raises for a row or a lost
connection: everything that did not go across is a :class:`Problem` in the
report (so ``recordsdesk sync`` can exit non-zero with counts), and the next
run takes up where this one stopped.
"""

from __future__ import annotations

import json

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from recordsdesk import audit
from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.outbox import LAST_AT, LAST_REPORT, status
from recordsdesk.archive.sync.pending import pending_by_dossier
from recordsdesk.archive.sync.pull import pull
from recordsdesk.archive.sync.push import push
from recordsdesk.archive.sync.report import Problem, SyncReport
from recordsdesk.db.models import (
    AuditEvent,
    Workstation,
    WorkstationDossier,
    table_of,
)
from recordsdesk.i18n import N_
from recordsdesk.services.workspace import Workspace
from recordsdesk.tasks import CancelToken, Progress, no_progress

AUDIT_CURSOR = "sync.audit_pushed"
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
