"""Carrying out an approved destruction or transfer list (issue 5, points 5-7).

Contract of :func:`execute` (destruction):

* Only an approved list (*geaccordeerd*) is carried out, by a records manager.
  The first call marks the execution started; a crash or cancel leaves it so,
  and calling :func:`execute` again resumes where it stopped. Each item is done
  exactly once, however often it is resumed.
* Every item is checked again, live, in its own transaction with the dossier
  (and everything above it) locked: still closed, still due, not held, not
  changed since it was listed (its version), waardering still V. An item that
  fails is taken off with the reason (state ``skipped``), never destroyed.
* Destroying a dossier deletes its bestanden (originals and derivatives) and
  the extracted text no other bestand shares, and keeps residual metadata on
  the dossier and its records: kenmerk, naam, classification and dates, the
  events, and the MDTO event *Vernietiging* naming the list. The item becomes
  ``destroyed`` in that same transaction, together with the names of the store
  objects to remove; they are removed after the commit (when nothing else
  refers to them) and then cleared, so a crash in between is finished by the
  resume.
* When every item is done, the verklaring van vernietiging (PDF/A and CSV,
  :mod:`recordsdesk.retention.verklaring`) is filed as two records with
  waardering B in a dossier of the Serie "Verklaringen van vernietiging", and
  the list becomes *vernietigd*.

Transfer lists: :func:`execute` checks each item the same way (waardering B),
writes the e-Depot SIP of the dossiers still on the list into ``out``, marks
them ``transferred`` (MDTO event *Overbrenging*) and the list *uitgevoerd*;
the content stays until :func:`confirm_transfer` records the receiving
archive's confirmation, which removes it like a destruction (residual metadata
kept) and makes the list *overgebracht*.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from recordsdesk.db.models import (
    Bestand,
    ContentText,
    DisposalItem,
    DisposalList,
    InboxItem,
    Informatieobject,
)
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.services import disposal, roles
from recordsdesk.services.disposal_verklaring import file_verklaring
from recordsdesk.services.events import record_event
from recordsdesk.services.holds import held_ids
from recordsdesk.services.workspace import Workspace
from recordsdesk.tasks import CancelToken, Progress, no_progress

#: reasons an item is taken off at execution (msgids)
NOT_CLOSED = N_("no longer closed")
NOT_DUE = N_("no longer due")
HELD = N_("under a legal hold")
CHANGED = N_("changed since it was listed")
WRONG_WAARDERING = N_("its waardering is no longer the list's")
_BATCH = 200
#: inbox states whose stored content is still waiting to be filed (kept on destruction)
_INBOX_WAITING = ("stored", "ready", "quarantined")
#: central archive (recordsdesk.archive.central.enforce): content goes only through rd_destroy
_ENFORCED = text("SELECT to_regprocedure('rd_destroy(uuid,uuid)') IS NOT NULL")
_DESTROY = text("SELECT rd_destroy(CAST(:l AS uuid), CAST(:o AS uuid))")


@dataclass(frozen=True)
class RunReport:
    list: disposal.ListInfo
    done: int  # destroyed or transferred in this call
    skipped: int  # taken off in this call, with their reasons on the items
    finished: bool  # False: cancelled; execute again to resume
    sip: Path | None = None


def execute(
    ws: Workspace,
    list_id: str,
    *,
    out: Path | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    expected: int | None = None,
) -> RunReport:
    """Carry out (or resume) the approved list; see the module contract. ``expected``:
    the list's version the user saw (refused when it changed since)."""
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        row = disposal.lock_list(session, list_id, expected)
        roles.require(session, ws.actor, roles.RECORDS_MANAGER)
        if row.state != "geaccordeerd":
            raise UserError(
                N_("The list {naam} is {state}; only an approved list can be carried out."),
                {"naam": row.naam, "state": row.state},
            )
        if row.kind == disposal.TRANSFER and out is None:
            raise UserError(N_("Say where the transfer package goes (--out FOLDER)."))
        resumed = row.execution_started_at is not None
        if not resumed:
            row.execution_started_at, row.executed_by = now, ws.actor
        row.updated_at = now
        session.flush()
        disposal.audit_list(session, ws, now, "disposal.execution_resumed" if resumed else
               "disposal.execution_started", row.id, {"naam": row.naam})  # fmt: skip
        list_key, kind, naam = row.id, row.kind, row.naam
    _finish_removals(ws, list_key)
    done = skipped = 0
    total = _remaining(ws, list_key)
    while True:
        if cancel is not None and cancel.cancelled:
            return RunReport(disposal.show(ws, list_key), done, skipped, finished=False)
        batch = _next_items(ws, list_key)
        if not batch:
            break
        for object_id in batch:
            if cancel is not None and cancel.cancelled:
                return RunReport(disposal.show(ws, list_key), done, skipped, finished=False)
            if _carry_out(ws, list_key, kind, naam, object_id):
                done += 1
            else:
                skipped += 1
            progress(done + skipped, total, "")
    sip = _finish(ws, list_key, kind, out)
    return RunReport(disposal.show(ws, list_key), done, skipped, finished=True, sip=sip)


def confirm_transfer(
    ws: Workspace, list_id: str, reference: str, *, expected: int | None = None
) -> disposal.ListInfo:
    """Record that the receiving archive confirmed the transfer (``reference``: its
    receipt); the transferred content is then removed, residual metadata kept."""
    text = " ".join(reference.split())
    if not text:
        raise UserError(N_("Give the receiving archive's reference for the confirmation."))
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        row = disposal.lock_list(session, list_id, expected)
        roles.require(session, ws.actor, roles.RECORDS_MANAGER)
        if row.kind != disposal.TRANSFER or row.state != "uitgevoerd":
            raise UserError(
                N_("The list {naam} is {state}; only a carried-out transfer can be confirmed."),
                {"naam": row.naam, "state": row.state},
            )
        ids = list(
            session.scalars(
                select(DisposalItem.object_id).where(
                    DisposalItem.list_id == row.id, DisposalItem.state == "transferred"
                )
            )
        )
        for object_id in ids:
            item = session.get(DisposalItem, (row.id, object_id))
            assert item is not None
            item.pending_objects = json.dumps(sorted(_strip_content(session, object_id, row.id)))
        row.state, row.confirmed_by, row.confirmed_at, row.updated_at = (
            "overgebracht", ws.actor, now, now,
        )  # fmt: skip
        session.flush()
        disposal.audit_list(session, ws, now, "disposal.overgebracht", row.id,
               {"naam": row.naam, "reference": text, "dossiers": len(ids)})  # fmt: skip
        list_key = row.id
    _finish_removals(ws, list_key)
    return disposal.show(ws, list_key)


# -- one item ------------------------------------------------------------------


def _carry_out(ws: Workspace, list_key: str, kind: str, naam: str, object_id: str) -> bool:
    """Check and carry out one item in its own transaction; False: taken off."""
    now = ws.clock()
    today = now.astimezone().date()
    with ws.sessions() as session, session.begin():
        item = session.get(DisposalItem, (list_key, object_id), with_for_update=True)
        assert item is not None
        if item.state not in disposal.TO_CARRY_OUT:
            return item.state in ("destroyed", "transferred")  # done by an earlier run
        dossier = _lock_lineage(session, object_id)
        problem = _live_problem(session, item, dossier, kind, today)
        if problem is not None:
            item.state, item.outcome_reason, item.done_at = "skipped", problem, now
            disposal.audit_list(session, ws, now, "disposal.item_skipped", list_key,
                   {"kenmerk": item.kenmerk, "reason": problem})  # fmt: skip
            return False
        if kind == disposal.DESTRUCTION:
            doomed = _strip_content(session, object_id, list_key)
            _mark(session, object_id, "destroyed", now)
            record_event(session, ws, object_id, "Vernietiging", now,
                         f"Vernietigd volgens vernietigingslijst {naam} ({list_key})")  # fmt: skip
            item.state, item.pending_objects = "destroyed", json.dumps(sorted(doomed))
        else:
            _mark(session, object_id, "transferred", now)
            note = f"Overgebracht volgens overbrengingslijst {naam} ({list_key})"
            record_event(session, ws, object_id, "Overbrenging", now, note)
            item.state = "transferred"
        item.done_at = now
        session.flush()
        disposal.audit_list(session, ws, now, f"disposal.item_{item.state}", list_key,
               {"kenmerk": item.kenmerk, "object": object_id})  # fmt: skip
    _finish_removals(ws, list_key, only=object_id)
    return True


def _lock_lineage(session: Session, object_id: str) -> Informatieobject:
    """Lock the dossier and everything above it, so a hold placed at the same moment
    either comes first and is seen, or waits until this item is done (on PostgreSQL a
    new hold's foreign key takes a key-share lock on its object, which FOR UPDATE
    blocks; SQLite serialises writers anyway)."""
    dossier = session.get(Informatieobject, object_id, with_for_update=True, populate_existing=True)
    assert dossier is not None
    parent_id = dossier.parent_id
    seen = {object_id}
    while parent_id is not None and parent_id not in seen:
        seen.add(parent_id)
        parent = session.get(
            Informatieobject, parent_id, with_for_update=True, populate_existing=True
        )
        parent_id = parent.parent_id if parent is not None else None
    return dossier


def _live_problem(
    session: Session, item: DisposalItem, dossier: Informatieobject, kind: str, today: dt.date
) -> str | None:
    if dossier.status != "closed":
        return NOT_CLOSED
    if dossier.archiefactiedatum is None or dossier.archiefactiedatum > today:
        return NOT_DUE
    if held_ids(session, [dossier.id]):
        return HELD
    if dossier.version != item.listed_version:
        return CHANGED
    if dossier.waardering != ("V" if kind == disposal.DESTRUCTION else "B"):
        return WRONG_WAARDERING
    return None


def _family(session: Session, object_id: str) -> list[str]:
    """The dossier and every object under it."""
    found, frontier = [object_id], [object_id]
    while frontier:
        children = list(
            session.scalars(
                select(Informatieobject.id).where(Informatieobject.parent_id.in_(frontier))
            )
        )
        children = [c for c in children if c not in found]
        found.extend(children)
        frontier = children
    return found


def _strip_content(session: Session, object_id: str, list_key: str) -> set[str]:
    """Delete the bestanden of the dossier and everything under it, and text nobody else
    shares; clear descriptive metadata. Returns the store objects no one uses any more.
    With enforcement installed (a central archive) the database's rd_destroy does it."""
    if session.get_bind().dialect.name == "postgresql" and session.scalar(_ENFORCED):
        try:
            return set(session.scalar(_DESTROY, {"l": list_key, "o": object_id}) or ())
        except DBAPIError as exc:  # its own checks, e.g. due by the server's date
            if getattr(exc.orig, "sqlstate", None) != "42501":
                raise
            reason = str(exc.orig).splitlines()[0]
            raise UserError(
                N_("The central archive refused: {reason}"), {"reason": reason}
            ) from None
    family = _family(session, object_id)
    rows = session.execute(
        select(Bestand.id, Bestand.sha256).where(Bestand.informatieobject_id.in_(family))
    ).all()
    bestand_ids = [r.id for r in rows]
    hashes = {r.sha256 for r in rows}
    if bestand_ids:
        session.execute(
            update(InboxItem)
            .where(InboxItem.duplicate_of_bestand_id.in_(bestand_ids))
            .values(duplicate_of_bestand_id=None)
        )
        session.execute(
            update(Bestand).where(Bestand.id.in_(bestand_ids)).values(derived_from_id=None)
        )
        session.execute(delete(Bestand).where(Bestand.id.in_(bestand_ids)))
    session.execute(
        update(Informatieobject)
        .where(Informatieobject.id.in_(family))
        .values(mdto=None, omschrijving=None)
    )
    session.execute(update(InboxItem).where(InboxItem.record_id.in_(family)).values(facts=None))
    unused = {h for h in hashes if not _still_used(session, h)}
    if unused:
        session.execute(delete(ContentText).where(ContentText.sha256.in_(sorted(unused))))
    return unused


def _still_used(session: Session, sha256: str) -> bool:
    other = session.scalar(select(Bestand.id).where(Bestand.sha256 == sha256).limit(1))
    waiting = session.scalar(
        select(InboxItem.id)
        .where(InboxItem.sha256 == sha256, InboxItem.state.in_(_INBOX_WAITING))
        .limit(1)
    )
    return other is not None or waiting is not None


def _mark(session: Session, object_id: str, status: str, now: dt.datetime) -> None:
    for member in _family(session, object_id):
        row = session.get(Informatieobject, member)
        assert row is not None
        row.status, row.updated_at = status, now


# -- removals, batches, the end ------------------------------------------------


def _finish_removals(ws: Workspace, list_key: str, only: str | None = None) -> None:
    """Remove the store objects of destroyed items whose removal is still pending."""
    with ws.readers() as session:
        query = select(DisposalItem.object_id, DisposalItem.pending_objects).where(
            DisposalItem.list_id == list_key, DisposalItem.pending_objects.is_not(None)
        )
        if only is not None:
            query = query.where(DisposalItem.object_id == only)
        pending = session.execute(query).all()
    for object_id, names in pending:
        with ws.sessions() as session, session.begin():
            for name in json.loads(names or "[]"):
                if not _still_used(session, name):  # refiled meanwhile: keep it
                    ws.objects.remove(name)
            session.execute(
                update(DisposalItem)
                .where(DisposalItem.list_id == list_key, DisposalItem.object_id == object_id)
                .values(pending_objects=None)
            )


def _next_items(ws: Workspace, list_key: str) -> list[str]:
    with ws.readers() as session:
        return list(
            session.scalars(
                select(DisposalItem.object_id)
                .where(
                    DisposalItem.list_id == list_key,
                    DisposalItem.state.in_(disposal.TO_CARRY_OUT),
                )
                .order_by(DisposalItem.position)
                .limit(_BATCH)
            )
        )


def _remaining(ws: Workspace, list_key: str) -> int:
    with ws.readers() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(DisposalItem)
                .where(
                    DisposalItem.list_id == list_key,
                    DisposalItem.state.in_(disposal.TO_CARRY_OUT),
                )
            )
            or 0
        )


def _finish(ws: Workspace, list_key: str, kind: str, out: Path | None) -> Path | None:
    sip: Path | None = None
    if kind == disposal.DESTRUCTION:
        file_verklaring(ws, list_key)
        target = "vernietigd"
    else:
        assert out is not None
        sip = _transfer_package(ws, list_key, out)
        target = "uitgevoerd"
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        row = session.get(DisposalList, list_key, with_for_update=True)
        assert row is not None
        row.state, row.executed_at, row.updated_at = target, now, now
        session.flush()
        disposal.audit_list(session, ws, now, f"disposal.{target}", list_key,
               {"naam": row.naam, "package": str(sip) if sip else None})  # fmt: skip
    return sip


def _transfer_package(ws: Workspace, list_key: str, out: Path) -> Path | None:
    from recordsdesk.services.sip import export_sip

    with ws.readers() as session:
        kenmerken = list(
            session.scalars(
                select(DisposalItem.kenmerk)
                .where(DisposalItem.list_id == list_key, DisposalItem.state == "transferred")
                .order_by(DisposalItem.position)
            )
        )
    if not kenmerken:
        return None
    report = export_sip(ws, kenmerken, out)
    if report.folder is None:  # refused: the list stays approved, the run can be repeated
        raise UserError(
            N_("The transfer package could not be made: {count} problems."),
            {"count": len(report.problems)},
        )
    return report.folder
