"""From a stable file in a drop folder to an inbox item that is ready to file.

Contract of :func:`take` (idempotent; safe to repeat after a crash at any point):

1. The file's fingerprint (path, size, mtime, inode) is looked up. A known
   fingerprint resumes its item where it stopped; a new one gets an item in
   state ``claimed``, committed before anything else happens.
2. ``claimed``: the content is copied into the object store while it is hashed
   and made durable (``ObjectStore.put``), then the item becomes ``stored``.
   A file that vanished or changed meanwhile withdraws the claim (the item is
   removed; the watcher sees the file again if it is still there). An empty or
   unreadable file, or a full disk, puts the item in ``quarantined`` with a
   reason the user can read.
3. ``stored``: the content is identified and a PDF inspected (pages,
   encryption, PDF/A claim, risks, kept as the item's facts); a PDF that needs
   a password or cannot be read is ``quarantined`` with that reason (its
   original stays); already-known content makes the item a ``duplicate``
   (linked to the bestand), otherwise it is ``ready``.
4. Only after that commit does the original leave the drop folder: moved to
   ``verwerkt/`` (default), deleted, or kept, as the folder says; never when the
   file at that path is no longer the one that was taken. A folder we may not
   write to keeps its original and the audit trail says so.

So at every moment a file is in the drop folder, or in the store with its item,
or both; never neither, and a file is never taken twice.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from recordsdesk import audit, names
from recordsdesk.db.models import Bestand, InboxItem
from recordsdesk.errors import SourceChangedError, SourceMissingError, UserError
from recordsdesk.i18n import N_
from recordsdesk.identify import identify
from recordsdesk.intake.folders import DropFolderInfo
from recordsdesk.intake.stability import is_ignored
from recordsdesk.intake.states import InboxState, check_transition
from recordsdesk.pdf import PdfFacts, inspect_pdf
from recordsdesk.services.workspace import Workspace

log = logging.getLogger(__name__)
S = InboxState


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


def candidates(folder: DropFolderInfo, extra_ignored: tuple[str, ...] = ()) -> Iterator[Path]:
    """Regular, non-litter files in the folder (not in ``verwerkt/``), sorted."""
    pattern = "**/*" if folder.recursive else "*"
    for path in sorted(folder.path.glob(pattern)):
        if folder.processed_dir in path.parents or path == folder.processed_dir:
            continue
        relative = path.relative_to(folder.path)
        if any(is_ignored(part, extra_ignored) for part in relative.parts):
            continue
        if path.is_file() and not path.is_symlink():
            yield path


def take(ws: Workspace, folder: DropFolderInfo, path: Path) -> str | None:
    """Bring one stable file into the inbox; returns the item id (None: withdrawn)."""
    seen = fingerprint(path)
    if seen is None:
        return None
    item_id = _claim(ws, folder, path, seen)
    state = _state(ws, item_id)
    if state is S.CLAIMED:
        if not _store(ws, item_id, path, seen):
            return None
        state = _state(ws, item_id)
    if state is S.STORED:
        _identify(ws, item_id)
        state = _state(ws, item_id)
    if state in (S.READY, S.DUPLICATE, S.FILED):
        release_original(ws, folder, item_id)
    return item_id


def resume_item(ws: Workspace, folder: DropFolderInfo, item_id: str, source: Path) -> None:
    """Carry an item left half-done by a crash to its next resting state."""
    state = _state(ws, item_id)
    if state is S.CLAIMED:
        seen = fingerprint(source)
        if seen is None or seen != _claimed_fingerprint(ws, item_id):
            # gone, or another file under that name now: this claim took nothing
            _withdraw(ws, item_id)
            return
        if not _store(ws, item_id, source, seen):
            return
        state = _state(ws, item_id)
    if state is S.STORED:
        _identify(ws, item_id)
        state = _state(ws, item_id)
    if state in (S.READY, S.DUPLICATE):
        release_original(ws, folder, item_id)


def _claim(ws: Workspace, folder: DropFolderInfo, path: Path, seen: Fingerprint) -> str:
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        known = session.scalar(
            select(InboxItem.id).where(
                InboxItem.source_path == str(path),
                InboxItem.source_size == seen.size,
                InboxItem.source_mtime_ns == seen.mtime_ns,
                InboxItem.source_inode == seen.inode,
            )
        )
        if known is not None:
            return known
        item = InboxItem(
            id=str(uuid.uuid4()),
            drop_folder_id=folder.id,
            source_path=str(path),
            source_name=names.display_name(path.name),
            source_size=seen.size,
            source_mtime_ns=seen.mtime_ns,
            source_inode=seen.inode,
            state=S.CLAIMED.value,
            attempts=1,
            created_at=now,
            updated_at=now,
        )
        session.add(item)
        return item.id


def _claimed_fingerprint(ws: Workspace, item_id: str) -> Fingerprint:
    with ws.readers() as session:
        item = session.get(InboxItem, item_id)
        assert item is not None
        return Fingerprint(item.source_size, item.source_mtime_ns, item.source_inode or 0)


def _state(ws: Workspace, item_id: str) -> InboxState:
    with ws.readers() as session:
        item = session.get(InboxItem, item_id)
        assert item is not None
        return InboxState(item.state)


def _store(ws: Workspace, item_id: str, path: Path, seen: Fingerprint) -> bool:
    try:
        stored = ws.objects.put(path)
    except (SourceMissingError, SourceChangedError):
        # not ours to keep (gone), or still being written (taken again later)
        _withdraw(ws, item_id)
        return False
    except UserError as error:
        _quarantine(ws, item_id, error)
        return True
    if fingerprint(path) != seen:  # replaced or rewritten while we read it
        _withdraw(ws, item_id)
        return False
    with ws.sessions() as session, session.begin():
        item = session.get(InboxItem, item_id)
        assert item is not None
        _move(item, S.STORED, ws)
        item.sha256 = stored.sha256
    return True


def _identify(ws: Workspace, item_id: str) -> None:
    with ws.readers() as session:
        item = session.get(InboxItem, item_id)
        assert item is not None and item.sha256 is not None
        sha256, name = item.sha256, item.source_name
    with ws.objects.batch() as scratch:
        info = identify(ws.objects.path_for(sha256), name, scratch.scratch_path)
    facts = inspect_pdf(ws.objects.path_for(sha256)) if info.mime == "application/pdf" else None
    with ws.sessions() as session, session.begin():
        item = session.get(InboxItem, item_id)
        assert item is not None
        item.mime, item.puid = info.mime, info.puid
        if facts is not None:
            item.facts = json.dumps({"pdf": facts.to_json()})
            refusal = _pdf_refusal(facts)
            if refusal is not None:
                _move(item, S.QUARANTINED, ws)
                item.reason, item.reason_params = refusal, "{}"
                return
        twin = session.scalar(select(Bestand.id).where(Bestand.sha256 == sha256).limit(1))
        other = session.scalar(
            select(InboxItem.id).where(
                InboxItem.sha256 == sha256,
                InboxItem.id != item_id,
                InboxItem.state.in_([S.STORED.value, S.READY.value, S.DUPLICATE.value]),
            )
        )
        if twin is not None or other is not None:
            item.duplicate_of_bestand_id = twin
            _move(item, S.DUPLICATE, ws)
        else:
            _move(item, S.READY, ws)


def _pdf_refusal(facts: PdfFacts) -> str | None:
    """Why a PDF cannot be archived as it is (a msgid), or None. The original stays."""
    if facts.needs_password:
        return N_(
            "The PDF is protected with a password, so it cannot be read or archived. "
            "Ask the sender for a copy without a password."
        )
    if facts.damaged:
        return N_(
            "The PDF is damaged and cannot be read. The original is kept; "
            "ask the sender for a new copy."
        )
    return None


def release_original(ws: Workspace, folder: DropFolderInfo, item_id: str) -> None:
    """Move, delete or keep the original, as the folder says; see the module contract."""
    with ws.readers() as session:
        item = session.get(InboxItem, item_id)
        assert item is not None
        path = Path(item.source_path)
    taken = _claimed_fingerprint(ws, item_id)
    if folder.after_intake == "keep" or fingerprint(path) != taken:
        return  # kept by choice, already released, or no longer the file we took
    try:
        if folder.after_intake == "delete":
            path.unlink()
            where = None
        else:
            folder.processed_dir.mkdir(exist_ok=True)
            target = _free_name(folder.processed_dir / path.name)
            path.rename(target)
            where = str(target)
    except OSError as exc:
        log.warning("original left in place: %s (%s)", path, exc)
        _audit(ws, item_id, "inbox.original_kept", {"path": str(path), "reason": exc.strerror})
        return
    _audit(ws, item_id, "inbox.original_released", {"path": str(path), "moved_to": where})


def _free_name(target: Path) -> Path:
    candidate, number = target, 1
    while candidate.exists():
        number += 1
        candidate = target.with_name(f"{target.stem} ({number}){target.suffix}")
    return candidate


def _withdraw(ws: Workspace, item_id: str) -> None:
    with ws.sessions() as session, session.begin():
        item = session.get(InboxItem, item_id)
        if item is not None and item.state == S.CLAIMED.value:
            session.delete(item)


def _quarantine(ws: Workspace, item_id: str, error: UserError) -> None:
    with ws.sessions() as session, session.begin():
        item = session.get(InboxItem, item_id)
        assert item is not None
        _move(item, S.QUARANTINED, ws)
        item.reason = error.msgid
        item.reason_params = json.dumps(error.params, ensure_ascii=False, default=str)


def _move(item: InboxItem, target: InboxState, ws: Workspace) -> None:
    check_transition(InboxState(item.state), target)
    item.state = target.value
    item.updated_at = ws.clock()


def _audit(ws: Workspace, item_id: str, action: str, details: dict[str, object]) -> None:
    with ws.sessions() as session, session.begin():
        audit.append(
            session,
            at=ws.clock(),
            actor=ws.actor,
            action=action,
            object_type="inbox_item",
            object_id=item_id,
            details=details,
        )
