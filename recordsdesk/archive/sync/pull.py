"""Pull: the central change feed applied locally, page by page from the cursor.

Each page is one local transaction that also moves the cursor, so a crash
replays at most the page it was in, and replaying is harmless (rows are
written as they are centrally). Content comes down before the transaction
that makes its bestand visible, verified against its SHA-256 on the way in.

A local object with changes still in the outbox is not overwritten: when the
central version moved on and the content differs, it is a conflict for the
user. Two things always win, because they are the archive's decisions:
destruction and transfer (a destroyed dossier is destroyed here too, its
content removed), and a hold lifted centrally.
"""

from __future__ import annotations

import contextlib
import json
import threading
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from recordsdesk import audit, kenmerk
from recordsdesk.archive.sync import rows
from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.download import Received, download_page
from recordsdesk.archive.sync.push import IN_FLIGHT, record_conflict
from recordsdesk.archive.sync.report import Problem, SyncReport
from recordsdesk.db.models import Bestand, ChangeLog, InboxItem, Informatieobject, StoreSetting
from recordsdesk.i18n import N_
from recordsdesk.services.workspace import Workspace
from recordsdesk.tasks import CancelToken, Progress, no_progress

PAGE = 1000
CURSOR = "sync.pull_cursor"
REMOVALS = "sync.pending_removals"
_FINAL = ("destroyed", "transferred")
_INBOX_WAITING = ("seen", "stable", "claimed", "stored", "ready", "quarantined")


def pull(
    ws: Workspace,
    central: Central,
    report: SyncReport,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> None:
    """Apply every central change since the cursor; counts and problems into ``report``.

    While a page is applied locally, the next one is read from the central archive
    and its content comes down on a second thread (:func:`_fetch`): the network and
    the local disk work at the same time. The cursor still moves only as pages are
    applied, in order, so what was fetched ahead and never applied is simply
    fetched again next time (content already here is not)."""
    finish_removals(ws)
    with ws.readers() as session:
        cursor = int(ws.setting(session, CURSOR, "0"))
    with central.reader.connect() as connection:
        latest = connection.scalar(select(func.max(ChangeLog.seq))) or 0
    start = cursor
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rd-pull-ahead") as ahead:
        coming = ahead.submit(_fetch, ws, central, cursor, stop)
        try:
            while True:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                page = coming.result()
                if page is None:
                    break
                cursor = page.entries[-1].seq
                coming = ahead.submit(_fetch, ws, central, cursor, stop)
                complete = _received(ws, central, page, report)
                _apply_page(ws, page.items, page.found, cursor if complete else None, report)
                finish_removals(ws)
                progress(
                    cursor - start, max(latest - start, cursor - start), N_("Receiving changes")
                )
                if not complete:
                    break  # the cursor stays before this page: the next pull tries it again
        finally:
            stop.set()  # a page being fetched ahead stops between groups of content
            coming.cancel()


@dataclass
class _Page:
    entries: list[Any]
    items: list[rows.Item]
    found: dict[str, dict[str, dict[str, Any]]]  # entity -> key -> central row
    received: Received


def _fetch(ws: Workspace, central: Central, cursor: int, stop: threading.Event) -> _Page | None:
    """The page after ``cursor``: its entries, the central rows they name, their content."""
    with central.reader.connect() as connection:
        entries = rows.changes_after(connection, cursor, PAGE)
        if not entries:
            return None
        items = rows.collect(entries)
        found = {
            entity.name: rows.fetch(
                connection, entity, (i.key for i in items if i.entity is entity and i.op == "u")
            )
            for entity in rows.ENTITIES.values()
        }
    wanted = {row["sha256"]: row["size"] for row in found["bestand"].values()}
    received = download_page(central.blobs, ws.objects, wanted, stop=stop.is_set)
    return _Page(entries, items, found, received)


def _received(ws: Workspace, central: Central, page: _Page, report: SyncReport) -> bool:
    """Report content that could not be had (those rows are dropped); False if any.

    Content fetched ahead may have been removed since by :func:`finish_removals`
    (the page before destroyed the last bestand using it): fetched again here."""
    bestanden = page.found["bestand"]
    wanted = {row["sha256"]: row["size"] for row in bestanden.values()}
    again = {sha: size for sha, size in wanted.items() if not ws.objects.exists(sha)}
    received = page.received
    if again:
        received = download_page(central.blobs, ws.objects, again)
        received.bytes += page.received.bytes
    report.bytes_received += received.bytes
    for key, row in list(bestanden.items()):
        exc = received.failed.get(row["sha256"])
        if exc is None:
            continue
        report.problems.append(
            Problem(
                "bestand",
                key,
                N_("The content of {name} could not be received: {reason}."),
                {"name": row["original_name"], "reason": exc.reason},
            )
        )
        del bestanden[key]
    return not received.failed


def _apply_page(
    ws: Workspace,
    items: list[rows.Item],
    found: dict[str, dict[str, dict[str, Any]]],
    cursor: int | None,
    report: SyncReport,
) -> None:
    """One local transaction: the page's rows, and the cursor unless it is None."""
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        rows.guard(session)
        pending = _pending(session, items)
        sent = json.loads(ws.setting(session, IN_FLIGHT, "{}"))
        _issued_here(ws, session, found["informatieobject"].values())
        _make_room(ws, session, found["informatieobject"])
        removed: set[str] = set()
        # the page's local rows at once; after a delete (which may change other rows:
        # derived_from_id) row by row again. New rows go as one executemany per entity.
        known: dict[str, dict[str, dict[str, Any]]] | None = rows.fetch_page(session, items)
        inserts = rows.Inserts()
        for item in items:
            entity = item.entity
            if known is not None:
                local = known[entity.name].get(item.key)
            else:
                local = rows.fetch(session, entity, [item.key]).get(item.key)
            if item.op == "d":
                if local is not None:
                    inserts.flush(session)
                    known = None
                    _delete(session, entity, item.key, local, removed)
                    report.pulled += 1
                continue
            there = found[entity.name].get(item.key)
            if there is None:
                continue  # not visible to us, or gone again since
            row = rows.payload(entity, there)
            if entity.name == "informatieobject":
                row["central_version"] = there["version"]
                if item.key in pending and local is not None and there["status"] not in _FINAL:
                    if local["central_version"] == there["version"] or rows.fingerprint(
                        entity, there
                    ) in sent.get(item.key, ()):
                        continue  # ours is newer; the push takes it up
                    if not rows.same(entity, local, there):
                        if record_conflict(session, entity.name, item.key, local, there, now):
                            report.conflicts += 1
                        continue
                if there["status"] in _FINAL:
                    _drop_pending(session, item.key)
            elif entity.name == "hold" and item.key in pending and there["lifted_at"] is None:
                continue  # our change to the hold goes up with the push
            if local is None:
                inserts.add(session, entity, row)
            elif not rows.same(entity, local, there) or (
                entity.name == "informatieobject"
                and local["central_version"] != row["central_version"]
            ):
                inserts.flush(session)
                rows.update_row(session, entity, item.key, row)
            report.pulled += 1
        inserts.flush(session)
        if cursor is not None:
            ws.put_setting(session, CURSOR, str(cursor))
        if removed:
            waiting = set(json.loads(ws.setting(session, REMOVALS, "[]")))
            ws.put_setting(session, REMOVALS, json.dumps(sorted(waiting | removed)))
        rows.unguard(session)


def _issued_here(ws: Workspace, session: Session, pulled: Iterable[dict[str, Any]]) -> None:
    """A kenmerk of this station coming back (a restored backup pulling what its lost
    future filed) moves the counter past it: a kenmerk is never issued twice."""
    prefix = f"-{ws.station}-"
    highest = max(
        (
            kenmerk.decode(row["kenmerk"].rsplit("-", 1)[1][:-1])
            for row in pulled
            if row["kenmerk"][1:].startswith(prefix) and kenmerk.is_valid(row["kenmerk"])
        ),
        default=None,
    )
    counter = session.get(StoreSetting, "next_sequence")
    if highest is not None and counter is not None and int(counter.value) <= highest:
        counter.value = str(highest + 1)


def _make_room(ws: Workspace, session: Session, pulled: dict[str, dict[str, Any]]) -> None:
    """A restored backup that filed before its first sync issued again kenmerken its lost
    future had used: its objects that never reached the central archive get new ones
    (audited), so the central objects come in under their own."""
    objects = rows.ENTITIES["informatieobject"]
    owner = {row["kenmerk"]: key for key, row in pulled.items()}
    wanted = sorted(owner)
    for start in range(0, len(wanted), rows.IN_CHUNK):
        clashes = session.execute(
            select(Informatieobject.id, Informatieobject.kenmerk).where(
                Informatieobject.kenmerk.in_(wanted[start : start + rows.IN_CHUNK]),
                Informatieobject.central_version.is_(None),
            )
        ).all()
        for local_id, old in clashes:
            key = objects.canonical(str(local_id))
            if key == owner[old]:
                continue
            new = ws.next_kenmerk(session, old[0])
            session.execute(
                update(Informatieobject)
                .where(Informatieobject.id == local_id)
                .values(kenmerk=new)
                .execution_options(synchronize_session=False)
            )
            audit.append(
                session,
                at=ws.clock(),
                actor=ws.actor,
                action="sync.renumbered",
                object_type="informatieobject",
                object_id=key,
                details={"kenmerk": old, "new_kenmerk": new},
            )


def _pending(session: Session, items: list[rows.Item]) -> set[str]:
    """Keys (canonical) of the page's rows that have local changes in the outbox."""
    forms: dict[str, str] = {}
    for item in items:
        forms[item.key] = item.key
        if item.entity.uuid_key:
            forms[uuid.UUID(item.key).hex] = item.key
    keys = sorted(forms)
    found: set[str] = set()
    for start in range(0, len(keys), rows.IN_CHUNK):
        for entity_id in session.scalars(
            select(ChangeLog.entity_id).where(
                ChangeLog.entity_id.in_(keys[start : start + rows.IN_CHUNK])
            )
        ):
            found.add(forms[entity_id])
    return found


def _drop_pending(session: Session, key: str) -> None:
    session.execute(delete(ChangeLog).where(ChangeLog.entity_id.in_([key, uuid.UUID(key).hex])))


def _delete(
    session: Session, entity: rows.Entity, key: str, local: dict[str, Any], removed: set[str]
) -> None:
    if entity.name == "bestand":
        session.execute(
            update(InboxItem)
            .where(InboxItem.duplicate_of_bestand_id == key)
            .values(duplicate_of_bestand_id=None)
        )
        session.execute(
            update(Bestand).where(Bestand.derived_from_id == key).values(derived_from_id=None)
        )
        removed.add(local["sha256"])
    rows.delete_row(session, entity, key)
    _drop_pending(session, key)


def finish_removals(ws: Workspace) -> None:
    """Remove the local content of bestanden destroyed centrally, once nothing
    here uses it; recorded in the pull's transaction, so a crash cannot lose it."""
    with ws.readers() as session:  # mostly nothing waits: no write lock for that
        if ws.setting(session, REMOVALS, "[]") == "[]":
            return
    with ws.sessions() as session, session.begin():
        waiting = json.loads(ws.setting(session, REMOVALS, "[]"))
        if not waiting:
            return
        for sha in waiting:
            used = session.scalar(select(Bestand.id).where(Bestand.sha256 == sha).limit(1))
            inbox = session.scalar(
                select(InboxItem.id)
                .where(InboxItem.sha256 == sha, InboxItem.state.in_(_INBOX_WAITING))
                .limit(1)
            )
            if used is None and inbox is None:
                with contextlib.suppress(ValueError):
                    ws.objects.remove(sha)
        ws.put_setting(session, REMOVALS, "[]")
