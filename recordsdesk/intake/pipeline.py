"""From stable files in drop folders to inbox items that are ready to file.

Files are taken a round at a time (every file that became stable in one poll),
so the fixed costs (transactions, ``syncfs``, siegfried's start-up) are paid
once per round, not per file. Contract of :func:`take_many` (idempotent; safe
to repeat after a crash at any point):

1. **Claim.** Each file's fingerprint (path, size, mtime, inode) is looked up.
   A known fingerprint resumes its item where it stopped; a new one gets an item
   in state ``claimed``. One transaction for the round, committed before any
   content is read.
2. **Store** (``claimed``). The contents are copied into the object store while
   they are hashed (one :class:`~recordsdesk.store.batch.PutBatch`: durable
   before the commit below). A file that vanished or changed meanwhile withdraws
   its claim (the item is removed; the watcher sees the file again if it is
   still there). An empty or unreadable file, or a full disk, puts the item in
   ``quarantined`` with a reason people can read. Then one transaction: the
   items become ``stored`` with their hash.
3. **Examine** (``stored``). The steps of :mod:`recordsdesk.intake.examine`
   identify, inspect PDFs, take mails apart (the attachments are stored too)
   and extract text. Then one transaction: a PDF that needs a password or
   cannot be read is ``quarantined``; content that is already filed or waiting
   is a ``duplicate`` (linked to the bestand); otherwise ``ready``. The text is
   kept per content hash.
4. **Release.** Only after that commit does an original leave its drop folder:
   moved to ``verwerkt/`` (default), deleted, or kept, as the folder says;
   never when the file at that path is no longer the one that was taken. A
   folder we may not write to keeps its original and the audit trail says so.

Each state transaction first reads the states of the round's items and moves
only those still in the state this round saw (another process, the window and
a ``recordsdesk watch`` beside it, may have moved them on).

So at every moment a file is in the drop folder, or in the store with its item,
or both; never neither, and a file is never taken twice.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import uuid
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from recordsdesk import names
from recordsdesk.db.models import InboxItem, table_of
from recordsdesk.errors import SourceChangedError, SourceMissingError, UserError
from recordsdesk.intake.folders import DropFolderInfo
from recordsdesk.intake.stability import is_ignored
from recordsdesk.intake.states import InboxState, check_transition
from recordsdesk.services.workspace import Workspace

log = logging.getLogger(__name__)
S = InboxState
CHUNK = 500  # ids or paths per IN (...) query: below every database's parameter limit
ROUND_SIZE = 250  # files per round: small enough to overlap, large enough to batch
# the first and the last round of a long run are small: while the first is stored
# the examiner has nothing to do, and while the last is examined this process waits
EDGE_ROUND = 50
# rounds handed to the examiner and not yet recorded: with two, neither process
# waits for the other when one round happens to take longer than the next
IN_FLIGHT = 2


@dataclass(frozen=True)
class Fingerprint:
    size: int
    mtime_ns: int
    inode: int


def fingerprint(path: Path) -> Fingerprint | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return Fingerprint(info.st_size, info.st_mtime_ns, info.st_ino)


@dataclass
class Claim:
    """One item of a round, with the state this process last saw (None: withdrawn)."""

    item_id: str
    folder: DropFolderInfo
    path: Path
    taken: Fingerprint
    state: InboxState | None
    name: str
    sha256: str | None = None


def candidates(folder: DropFolderInfo, extra_ignored: tuple[str, ...] = ()) -> Iterator[Path]:
    """Regular, non-litter files in the folder (not in ``verwerkt/``), sorted.

    Litter is the built-in patterns, the folder's own and ``extra_ignored``.
    """
    extra_ignored = (*folder.ignore, *extra_ignored)
    if not folder.recursive:
        # one directory read; the entry types come with it (no stat per file)
        try:
            with os.scandir(folder.path) as entries:
                found = [
                    entry.name
                    for entry in entries
                    if entry.is_file(follow_symlinks=False)
                    and not is_ignored(entry.name, extra_ignored)
                ]
        except OSError:  # gone (an unmounted share) or unreadable: nothing to take now
            return
        for name in sorted(found):
            yield folder.path / name
        return
    for path in sorted(folder.path.glob("**/*")):
        if folder.processed_dir in path.parents or path == folder.processed_dir:
            continue
        relative = path.relative_to(folder.path)
        if any(is_ignored(part, extra_ignored) for part in relative.parts):
            continue
        if path.is_file() and not path.is_symlink():
            yield path


def take(ws: Workspace, folder: DropFolderInfo, path: Path) -> str | None:
    """Bring one stable file into the inbox; returns the item id (None: withdrawn)."""
    taken = take_many(ws, [(folder, path)])
    return taken[0] if taken else None


def take_many(ws: Workspace, files: Sequence[tuple[DropFolderInfo, Path]]) -> list[str]:
    """Bring stable files into the inbox; returns the ids of their items.

    Rounds of :data:`ROUND_SIZE` files overlap: while the examiner (a worker
    process) examines one round, this process claims and stores the next and
    then records and releases the one before. Each round still passes every
    step of the contract in order, each step committed before the next.
    """
    from recordsdesk.intake import recording
    from recordsdesk.intake.examiner import shared_examiner

    examiner = shared_examiner()
    taken: list[str] = []
    pending: deque[tuple[list[Claim], recording.Examination | None]] = deque()
    # The rounds allocate many short-lived objects (rows, paths, parameters) and
    # few cycles; Python's cyclic collector would walk the whole heap again and
    # again for nothing (a tenth of this process's time). It runs after the call.
    with gc_paused():
        try:
            for start, end in round_bounds(len(files)):
                seen = [(f, p, fingerprint(p)) for f, p in files[start:end]]
                claims = _claim_many(ws, [(f, p, fp) for f, p, fp in seen if fp is not None])
                _store_many(ws, [c for c in claims if c.state is S.CLAIMED])
                stored = [c for c in claims if c.state is S.STORED]
                pending.append((claims, recording.start_examination(ws, stored, examiner)))
                if len(pending) > IN_FLIGHT:
                    taken += _finish_round(ws, *pending.popleft(), examiner)
            while pending:
                taken += _finish_round(ws, *pending.popleft(), examiner)
        finally:
            for _claims, examination in pending:
                if examination is not None:
                    examination.abandon()  # an error in a later round: these stay "stored"
    return taken


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Cyclic garbage collection off for a bounded burst of work (reference counting
    still frees almost everything at once); on again afterwards if it was on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def round_bounds(count: int) -> list[tuple[int, int]]:
    """(start, end) of each round for ``count`` files: :data:`ROUND_SIZE` each, with a
    small first and last round when there are many (see :data:`EDGE_ROUND`)."""
    if count <= ROUND_SIZE:
        return [(0, count)] if count else []
    bounds = [(0, EDGE_ROUND)]
    middle_end = count - EDGE_ROUND
    bounds += [
        (start, min(start + ROUND_SIZE, middle_end))
        for start in range(EDGE_ROUND, middle_end, ROUND_SIZE)
    ]
    return [*bounds, (middle_end, count)]


def _finish_round(ws: Workspace, claims: list[Claim], examination: Any, examiner: Any) -> list[str]:
    from recordsdesk.intake import recording

    if examination is not None:
        recording.finish_examination(ws, examination, examiner)
    recording.release_many(ws, [c for c in claims if c.state in (S.READY, S.DUPLICATE, S.FILED)])
    return [c.item_id for c in claims if c.state is not None]


def resume_item(ws: Workspace, folder: DropFolderInfo, item_id: str, source: Path) -> None:
    """Carry one item left half-done (by a crash, or reopened for a retry) onwards."""
    with ws.readers() as session:
        item = session.get(InboxItem, item_id)
        if item is None:
            return
        taken = Fingerprint(item.source_size, item.source_mtime_ns, item.source_inode or 0)
        claim = Claim(item.id, folder, source, taken, S(item.state), item.source_name, item.sha256)
    resume_claims(ws, [claim])


def resume_claims(ws: Workspace, claims: Sequence[Claim]) -> None:
    """Carry items left half-done by a crash to their next resting state.

    A ``claimed`` item whose file is gone, or is now another file under that
    name, took nothing: its claim is withdrawn.
    """
    stale = [c for c in claims if c.state is S.CLAIMED and fingerprint(c.path) != c.taken]
    if stale:
        with ws.sessions() as session, session.begin():
            current = current_states(session, [c.item_id for c in stale])
            gone = [c.item_id for c in stale if current.get(c.item_id) == S.CLAIMED.value]
            for start in range(0, len(gone), CHUNK):
                chunk = gone[start : start + CHUNK]
                session.execute(delete(InboxItem).where(InboxItem.id.in_(chunk)))
        for claim in stale:
            claim.state = None
    advance(ws, [c for c in claims if c.state is not None])


def advance(ws: Workspace, claims: Sequence[Claim]) -> None:
    """Carry every claim as far as it goes: stored, examined, original released."""
    from recordsdesk.intake import recording  # examine pulls in the extractors

    _store_many(ws, [c for c in claims if c.state is S.CLAIMED])
    recording.examine_and_record(ws, [c for c in claims if c.state is S.STORED])
    recording.release_many(ws, [c for c in claims if c.state in (S.READY, S.DUPLICATE, S.FILED)])


def _claim_many(
    ws: Workspace, seen: Sequence[tuple[DropFolderInfo, Path, Fingerprint]]
) -> list[Claim]:
    now = ws.clock()
    claims: list[Claim] = []
    with ws.sessions() as session, session.begin():
        known = _known(session, [names.path_to_text(path) for _folder, path, _fp in seen])
        rows: list[dict[str, Any]] = []
        for folder, path, fp in seen:
            stored_path = names.path_to_text(path)
            hit = known.get((stored_path, fp))
            if hit is not None:
                claims.append(Claim(hit[0], folder, path, fp, S(hit[1]), hit[3], hit[2]))
                continue
            item_id, name = str(uuid.uuid4()), names.display_name(path.name)
            known[(stored_path, fp)] = (item_id, S.CLAIMED.value, None, name)
            rows.append(
                {
                    "id": item_id,
                    "drop_folder_id": folder.id,
                    "source_path": stored_path,
                    "source_name": name,
                    "source_size": fp.size,
                    "source_mtime_ns": fp.mtime_ns,
                    "source_inode": fp.inode,
                    "state": S.CLAIMED.value,
                    "attempts": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            claims.append(Claim(item_id, folder, path, fp, S.CLAIMED, name))
        if rows:
            session.execute(insert(table_of(InboxItem)), rows)  # Core: no ORM work per row
    return claims


def _known(
    session: Session, paths: Sequence[str]
) -> dict[tuple[str, Fingerprint], tuple[str, str, str | None, str]]:
    """Items by (path, fingerprint): (id, state, sha256, name)."""
    found: dict[tuple[str, Fingerprint], tuple[str, str, str | None, str]] = {}
    unique = list(dict.fromkeys(paths))
    for start in range(0, len(unique), CHUNK):
        query = select(
            InboxItem.id,
            InboxItem.source_path,
            InboxItem.source_size,
            InboxItem.source_mtime_ns,
            InboxItem.source_inode,
            InboxItem.state,
            InboxItem.sha256,
            InboxItem.source_name,
        ).where(InboxItem.source_path.in_(unique[start : start + CHUNK]))
        for row in session.execute(query):
            fp = Fingerprint(row.source_size, row.source_mtime_ns, row.source_inode or 0)
            found[(row.source_path, fp)] = (row.id, row.state, row.sha256, row.source_name)
    return found


def _store_many(ws: Workspace, claims: Sequence[Claim]) -> None:
    if not claims:
        return
    stored: dict[str, str] = {}
    withdrawn: set[str] = set()
    refused: dict[str, UserError] = {}
    with ws.objects.batch() as batch:
        for claim in claims:
            try:
                staged = batch.stage(claim.path)
            except (SourceMissingError, SourceChangedError):
                # not ours to keep (gone), or still being written (taken again later)
                withdrawn.add(claim.item_id)
                continue
            except UserError as error:
                refused[claim.item_id] = error
                continue
            if fingerprint(claim.path) != claim.taken:  # replaced or rewritten meanwhile
                batch.discard(staged)
                withdrawn.add(claim.item_id)
                continue
            stored[claim.item_id] = staged.sha256
        if stored:
            batch.commit()
    with ws.sessions() as session, session.begin():
        current = current_states(session, [c.item_id for c in claims])
        gone = [i for i in withdrawn if current.get(i) == S.CLAIMED.value]
        for start in range(0, len(gone), CHUNK):
            session.execute(delete(InboxItem).where(InboxItem.id.in_(gone[start : start + CHUNK])))
        updates: list[dict[str, Any]] = []
        for claim in claims:
            if claim.item_id in withdrawn:
                claim.state = None
            elif current.get(claim.item_id) != S.CLAIMED.value:
                # another taker (the window's watcher beside Process now) stored it
                # meanwhile, or it was withdrawn: not this round's any more
                claim.state = None
            elif claim.item_id in refused:
                refusal = refused[claim.item_id]
                updates.append(
                    move(
                        claim,
                        S.QUARANTINED,
                        ws,
                        reason=refusal.msgid,
                        reason_params=_json(refusal),
                    )
                )
            else:
                claim.sha256 = stored[claim.item_id]
                updates.append(move(claim, S.STORED, ws, sha256=claim.sha256))
        update_items(session, updates)


def current_states(session: Session, ids: Sequence[str]) -> dict[str, str]:
    """The states in the database now (inside the writer's transaction)."""
    found: dict[str, str] = {}
    for start in range(0, len(ids), CHUNK):
        query = select(InboxItem.id, InboxItem.state).where(
            InboxItem.id.in_(ids[start : start + CHUNK])
        )
        found.update({row.id: row.state for row in session.execute(query)})
    return found


def move(claim: Claim, target: InboxState, ws: Workspace, **values: Any) -> dict[str, Any]:
    """The checked transition as an update row for :func:`update_items`."""
    assert claim.state is not None
    check_transition(claim.state, target)
    claim.state = target
    return {"id": claim.item_id, "state": target.value, "updated_at": ws.clock(), **values}


def update_items(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk UPDATE by primary key (each row has ``id`` and the columns it changes).

    Core ``executemany``, one statement per set of changed columns: the ORM's
    bulk update did the same with about twice the Python work per row.
    """
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        columns = tuple(sorted(k for k in row if k != "id"))
        groups.setdefault(columns, []).append({"item_id": row["id"], **row})
    table = table_of(InboxItem)
    for columns, group in groups.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("item_id"))
            .values({name: bindparam(name) for name in columns})
        )
        session.execute(statement, group)


def _json(error: UserError) -> str:
    # a parameter may hold a path that is not valid UTF-8: shown as U+FFFD
    params = {
        k: names.display_name(v) if isinstance(v, str) else v for k, v in error.params.items()
    }
    return json.dumps(params, ensure_ascii=False, default=str)
