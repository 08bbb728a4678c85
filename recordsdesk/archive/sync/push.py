"""Push: the workstation's outbox applied on the central archive, idempotently.

A page of outbox entries at a time:

1. the rows they name are read locally (their state now: sync is state-based);
2. content of new bestanden goes up first, chunk by chunk, resumable, and is
   verified whole centrally (:mod:`blobs`) — a bestand whose content is not
   complete there is not pushed;
3. the rows are applied in one central transaction (parents first). An
   informatieobject carries the central version it is based on: equal to the
   central one, it is written and the version goes up; different but the same
   content, nothing to do (a replay); different content, a conflict, left for
   the user. Archival rules (:mod:`central_rules`) may refuse a row; the
   database itself may too (PostgreSQL enforcement). Then each row is retried
   on its own, so one refusal does not hold back the rest;
4. locally, in one transaction: the entries of what was applied leave the
   outbox and each object remembers its new central version.

A crash between 3 and 4 replays the page next time: what is there already is
recognised as the same and nothing is duplicated. Before 3, the workstation
notes which object states it is sending (:data:`IN_FLIGHT`), so an object
edited again after such a crash is not taken for a conflict with itself: a
central version whose state is one this workstation sent is its own.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import IntegrityError as SQLIntegrityError

from recordsdesk.archive.sync import central_rules, rows
from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.page import Page, central_row, write
from recordsdesk.archive.sync.report import Problem, SyncReport
from recordsdesk.archive.sync.upload import upload_page
from recordsdesk.db.models import (
    ChangeLog,
    Informatieobject,
    SyncConflict,
    table_of,
)
from recordsdesk.errors import IntegrityError
from recordsdesk.i18n import N_
from recordsdesk.services.workspace import Workspace
from recordsdesk.tasks import CancelToken, Progress, no_progress

PAGE = 500
# store setting: object id -> fingerprints of states sent, not yet confirmed locally
IN_FLIGHT = "sync.in_flight"


@dataclass
class _Applied:
    seqs: list[int] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)  # object id -> central version
    conflicts: list[tuple[rows.Item, dict[str, Any]]] = field(default_factory=list)
    count: int = 0  # rows applied
    gone: set[str] = field(default_factory=set)  # content of deleted bestanden

    def add(self, other: _Applied) -> None:
        self.seqs += other.seqs
        self.versions.update(other.versions)
        self.conflicts += other.conflicts
        self.count += other.count
        self.gone |= other.gone


def push(
    ws: Workspace,
    central: Central,
    report: SyncReport,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> None:
    """Push the whole outbox; counts and problems go into ``report``."""
    after = 0
    total = _outbox_size(ws)
    done = 0
    while True:
        if cancel is not None:
            cancel.raise_if_cancelled()
        with ws.readers() as session:
            entries = rows.changes_after(session, after, PAGE)
            if not entries:
                return
            after = entries[-1].seq
            items = rows.collect(entries)
            _read_local(session, items)
        in_flight = _note_in_flight(ws, items)
        complete = _send_content(ws, central, items, report)
        applied = _apply_page(ws, central, items, complete, in_flight, report)
        central.forget_unused(applied.gone)
        _confirm(ws, applied, report)
        done += len(entries)
        progress(min(done, total), total, N_("Sending changes"))


def _outbox_size(ws: Workspace) -> int:
    with ws.readers() as session:
        return int(session.scalar(select(func.count()).select_from(ChangeLog)) or 0)


def _read_local(session: Any, items: list[rows.Item]) -> None:
    for entity in rows.ENTITIES.values():
        mine = [i for i in items if i.entity is entity and i.op == "u"]
        found = rows.fetch(session, entity, (i.key for i in mine))
        for item in mine:
            item.local = found.get(item.key)


def _note_in_flight(ws: Workspace, items: list[rows.Item]) -> dict[str, list[str]]:
    """Record, before they go, the states of the page's objects (committed locally)."""
    with ws.sessions() as session, session.begin():
        noted: dict[str, list[str]] = json.loads(ws.setting(session, IN_FLIGHT, "{}"))
        for item in items:
            if item.entity.name == "informatieobject" and item.local is not None:
                states = noted.setdefault(item.key, [])
                state = rows.fingerprint(item.entity, item.local)
                if state not in states:
                    states.append(state)
        ws.put_setting(session, IN_FLIGHT, json.dumps(noted))
    return noted


def _send_content(
    ws: Workspace, central: Central, items: list[rows.Item], report: SyncReport
) -> set[str]:
    """Upload what the page's bestanden need; returns the hashes complete centrally."""
    mine = [i for i in items if i.entity.name == "bestand" and i.local is not None]
    sent = upload_page(
        central.blobs, ws.objects, ((i.local["sha256"], i.local["size"]) for i in mine if i.local)
    )
    report.bytes_sent += sent.bytes
    for item in mine:
        assert item.local is not None
        exc = sent.failed.get(item.local["sha256"])
        if exc is None:
            continue
        reason = exc.reason if isinstance(exc, IntegrityError) else N_("unreadable")
        report.problems.append(
            Problem(
                "bestand",
                item.key,
                N_("The content of {name} could not be sent: {reason}."),
                {"name": item.local["original_name"], "reason": reason},
            )
        )
        item.local = None  # not pushed: its row waits in the outbox
    return sent.complete


def _apply_page(
    ws: Workspace,
    central: Central,
    items: list[rows.Item],
    complete: set[str],
    in_flight: dict[str, list[str]],
    report: SyncReport,
) -> _Applied:
    """All items in one central transaction; on any refusal, item by item."""
    live = [i for i in items if i.op == "d" or i.local is not None]
    try:
        with central.engine.begin() as connection:
            applied = _Applied()
            page = Page.read(connection, live)
            for item in live:
                refusal = _apply(connection, complete, in_flight, item, applied, page)
                if refusal is not None:
                    raise _Refused(item, refusal)
            page.flush(connection)
            return applied
    except (_Refused, SQLIntegrityError, DBAPIError):
        pass  # fall through: one at a time, so the others still go
    applied = _Applied()
    for item in live:
        try:
            with central.engine.begin() as connection:
                one = _Applied()
                refusal = _apply(connection, complete, in_flight, item, one)
                if refusal is not None:
                    raise _Refused(item, refusal)
        except _Refused as refused:
            report.problems.append(
                Problem(item.entity.name, item.key, refused.refusal.msgid, refused.refusal.params)
            )
            continue
        except (SQLIntegrityError, DBAPIError) as exc:
            report.problems.append(_database_problem(item, exc))
            continue
        applied.add(one)
    return applied


class _Refused(Exception):
    def __init__(self, item: rows.Item, refusal: central_rules.Refusal) -> None:
        super().__init__(refusal.msgid)
        self.item = item
        self.refusal = refusal


def _database_problem(item: rows.Item, exc: Exception) -> Problem:
    # the first line of the server's message only: it names the rule, not the DSN
    original = getattr(exc, "orig", exc)
    first = str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__
    return Problem(
        item.entity.name,
        item.key,
        N_("The central archive refused this change: {reason}"),
        {"reason": first[:300]},
    )


def _apply(
    connection: Connection,
    complete: set[str],
    in_flight: dict[str, list[str]],
    item: rows.Item,
    applied: _Applied,
    page: Page | None = None,
) -> central_rules.Refusal | None:
    entity = item.entity
    if item.op == "d":
        there = central_row(connection, entity, item.key, page)
        if there is not None:
            if page is not None:
                page.flush(connection)
                page.states.pop(item.key, None)  # gone: asked again, the database says so
            rows.delete_row(connection, entity, item.key)
            if entity.name == "bestand":
                applied.gone.add(there["sha256"])
        applied.seqs += item.seqs
        applied.count += 1
        return None
    assert item.local is not None
    row = rows.payload(entity, item.local)
    there = central_row(connection, entity, item.key, page)
    if entity.name == "informatieobject":
        return _apply_object(connection, item, row, there, in_flight, applied, page)
    if entity.name in ("bestand", "event"):
        refusal = central_rules.check_child(
            connection,
            row["informatieobject_id"],
            N_("a file") if entity.name == "bestand" else N_("an event"),
            page.states if page is not None else None,
        )
        if refusal is not None:
            return refusal
        if entity.name == "bestand" and row["sha256"] not in complete:
            return central_rules.Refusal(
                N_("The content of {name} is not complete in the central archive yet."),
                {"name": row["original_name"]},
            )
    if there is None:
        write(connection, entity, item.key, row, page, new=True)
    elif not rows.same(entity, row, there):
        if entity.name == "hold" and there["lifted_at"] is not None and row["lifted_at"] is None:
            pass  # a hold lifted centrally stays lifted: lifting is never undone by a push
        else:
            write(connection, entity, item.key, row, page, new=False)
    applied.seqs += item.seqs
    applied.count += 1
    return None


def _apply_object(
    connection: Connection,
    item: rows.Item,
    row: dict[str, Any],
    there: dict[str, Any] | None,
    in_flight: dict[str, list[str]],
    applied: _Applied,
    page: Page | None = None,
) -> central_rules.Refusal | None:
    assert item.local is not None
    base = item.local["central_version"]
    refusal = central_rules.check_object(
        connection, row, there, page.states if page is not None else None
    )
    if refusal is not None:
        return refusal
    if there is None:
        write(connection, item.entity, item.key, {**row, "version": 1}, page, new=True)
        version = 1
    elif rows.same(item.entity, row, there):
        version = there["version"]  # a replay, or both sides made the same change
    elif base == there["version"] or _sent_by_us(item, there, in_flight):
        version = there["version"] + 1
        write(connection, item.entity, item.key, {**row, "version": version}, page, new=False)
    else:
        applied.conflicts.append((item, there))
        return None
    applied.seqs += item.seqs
    applied.versions[item.key] = version
    applied.count += 1
    return None


def _sent_by_us(item: rows.Item, there: dict[str, Any], in_flight: dict[str, list[str]]) -> bool:
    """The central state is one this workstation sent (its confirmation was lost)."""
    return rows.fingerprint(item.entity, there) in in_flight.get(item.key, ())


def _confirm(ws: Workspace, applied: _Applied, report: SyncReport) -> None:
    """Locally, one transaction: applied entries leave the outbox, versions remembered,
    conflicts recorded (once per central version)."""
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        rows.guard(session)
        for start in range(0, len(applied.seqs), rows.IN_CHUNK):
            session.execute(
                delete(ChangeLog).where(
                    ChangeLog.seq.in_(applied.seqs[start : start + rows.IN_CHUNK])
                )
            )
        if applied.versions:  # one executemany, not a statement per object
            table = table_of(Informatieobject)
            session.execute(
                table.update()
                .where(table.c.id == bindparam("b_key"))
                .values(central_version=bindparam("b_version")),
                [{"b_key": k, "b_version": v} for k, v in applied.versions.items()],
            )
        for item, there in applied.conflicts:
            assert item.local is not None
            record_conflict(session, item.entity.name, item.key, item.local, there, now)
        if applied.versions:
            noted = json.loads(ws.setting(session, IN_FLIGHT, "{}"))
            for key in applied.versions:
                noted.pop(key, None)
            ws.put_setting(session, IN_FLIGHT, json.dumps(noted))
        rows.unguard(session)
    report.pushed += applied.count
    report.conflicts += len(applied.conflicts)


def record_conflict(
    session: Any,
    entity: str,
    key: str,
    local: dict[str, Any],
    central: dict[str, Any],
    now: dt.datetime,
) -> bool:
    """Record a conflict unless the same one (same central version) is open already."""
    open_one = session.scalar(
        select(SyncConflict.id).where(
            SyncConflict.entity_id == key,
            SyncConflict.resolved_at.is_(None),
            SyncConflict.central_version == central["version"],
        )
    )
    if open_one is not None:
        return False
    session.execute(
        table_of(SyncConflict).insert(),
        [
            {
                "id": str(uuid.uuid4()),
                "entity": entity,
                "entity_id": key,
                "local_state": rows.to_json(rows.payload(rows.ENTITIES[entity], local)),
                "central_state": rows.to_json(rows.payload(rows.ENTITIES[entity], central)),
                "base_version": local.get("central_version"),
                "central_version": central["version"],
                "detected_at": now,
            }
        ],
    )
    return True
