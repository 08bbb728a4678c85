"""Scanned batches from scanner folders: taken apart into records, then filed.

A file that intake made ``ready`` in a scanner folder (a drop folder with a
scan profile) is a batch. ``process_batch`` takes it apart (``scan.process``),
stores every record's pages and their PDF/A, and records in **one
transaction** the batch (its quality checks; state ``needs_review``), one
``ready`` inbox item per record with its PDF/A as a derived copy and the
separator sheet's fields, and the text for search. Until that commit nothing
of it is visible; a crash or a cancel before it leaves the batch pending and it
is taken apart again (objects stored meanwhile are content-addressed, so storing
them again changes nothing). The scanner's file stays in the inbox item of the
batch, whole, as the evidence; the inbox shows its records, not the batch.

Then ``file_waiting_parts`` files each record whose sheet names a dossier into
it (one transaction per record, as filing by hand); a dossier that is unknown
or closed leaves the record in the inbox with that reason. It runs after every
batch and is safe to repeat, so a crash between the two steps loses nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from recordsdesk import audit
from recordsdesk.db.models import ContentText, DropFolder, InboxItem, ScanBatch, ScanPart
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, translate_error
from recordsdesk.intake import inbox
from recordsdesk.intake.states import InboxState
from recordsdesk.scan.ocr import require_tools
from recordsdesk.scan.process import PartFiles, TakenApart, take_apart
from recordsdesk.scan.profile import ScanProfile
from recordsdesk.scan.quality import check_json
from recordsdesk.services.scan_ocr_memory import StoreOcrMemory
from recordsdesk.services.scan_profiles import profile_named
from recordsdesk.services.workspace import Workspace
from recordsdesk.store import StoredObject
from recordsdesk.store.batch import PutBatch
from recordsdesk.tasks import CancelToken, Progress, no_progress

S = InboxState
#: the problems that are the scanned file's own: it is not taken apart again (the
#: user files it as it is, or removes it); other failures are tried again
SCAN_PROBLEMS = frozenset({
    N_("A scanner folder takes PDF, TIFF, JPEG and PNG files, not {mime}."),
    N_("The scan cannot be read: {reason}"),
    N_("The scan cannot be read: page {page} is damaged ({reason})."),
    N_("The scan has no pages."),
    N_("The scan holds separator sheets only, no pages to file."),
    N_("The scan {name} is encrypted; it cannot be OCR'd. Scan it again without a "
       "password, or file it as it is."),
    N_("The scan {name} cannot be read: {reason}"),
})  # fmt: skip


@dataclass(frozen=True)
class PartOutcome:
    item_id: str
    number: int
    pages: tuple[int, ...]
    dossier: str | None  # the sheet's dossier
    filed_as: str | None = None  # the record's kenmerk, when filed automatically
    reason: str | None = None  # why it waits in the inbox (translated), if it does


@dataclass(frozen=True)
class BatchOutcome:
    batch_id: str
    item_id: str
    name: str
    pages: int
    flagged_pages: int
    parts: tuple[PartOutcome, ...]


@dataclass(frozen=True)
class BatchInfo:
    """A scanned batch as listed: its state, size and how many pages were flagged."""

    id: str
    name: str
    # processing (its id is then the inbox item's) | needs_review | rescan | approved | rejected
    state: str
    pages: int
    records: int
    flagged_pages: int
    created_at: dt.datetime

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "name": self.name, "state": self.state, "pages": self.pages,
            "records": self.records, "flagged_pages": self.flagged_pages,
            "created_at": self.created_at.isoformat(),
        }  # fmt: skip


def list_batches(ws: Workspace) -> list[BatchInfo]:
    """The batches waiting to be taken apart (state ``processing``, the inbox item's id
    as id), then every scanned batch taken apart here, newest first."""
    waiting = pending_batches(ws)
    counts = (
        select(ScanPart.batch_id, func.count().label("n")).group_by(ScanPart.batch_id).subquery()
    )
    query = (
        select(ScanBatch, InboxItem.source_name, counts.c.n)
        .join(InboxItem, InboxItem.id == ScanBatch.item_id)
        .outerjoin(counts, counts.c.batch_id == ScanBatch.id)
        .order_by(ScanBatch.created_at.desc())
    )
    with ws.readers() as session:
        items = [session.get(InboxItem, item_id) for item_id in reversed(waiting)]
        return [
            BatchInfo(item.id, item.source_name, "processing", 0, 0, 0, item.created_at)
            for item in items if item is not None
        ] + [
            BatchInfo(batch.id, name, batch.state, batch.pages, int(n or 0),
                      sum(1 for c in json.loads(batch.checks) if c["flags"]), batch.created_at)
            for batch, name, n in session.execute(query)
        ]  # fmt: skip


# -- taking batches apart ----------------------------------------------------------
def pending_batches(ws: Workspace) -> list[str]:
    """Ready items of scanner folders not yet taken apart (oldest first)."""
    query = (
        select(InboxItem.id)
        .join(DropFolder, DropFolder.id == InboxItem.drop_folder_id)
        .where(
            DropFolder.scan_profile.is_not(None),
            InboxItem.state == S.READY.value,
            InboxItem.reason.is_(None),
            ~exists().where(ScanBatch.item_id == InboxItem.id),
            ~exists().where(ScanPart.item_id == InboxItem.id),
        )
        .order_by(InboxItem.created_at)
    )
    with ws.readers() as session:
        return list(session.scalars(query))


def process_pending(
    ws: Workspace, progress: Progress = no_progress, cancel: CancelToken | None = None
) -> list[BatchOutcome]:
    """Take apart every pending batch, then file what its sheets name.

    First files what earlier batches' sheets name and is still waiting (a crash
    between recording a batch and filing its records leaves them so).
    """
    file_waiting_parts(ws)
    outcomes = []
    for item_id in pending_batches(ws):
        outcome = process_batch(ws, item_id, progress=progress, cancel=cancel)
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes


def process_batch(
    ws: Workspace,
    item_id: str,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> BatchOutcome | None:
    """Take the batch of inbox item ``item_id`` apart and file what its sheets name.

    Returns ``None`` when the item is no longer a pending batch (taken apart by
    another process, or filed by hand meanwhile). A scan that cannot be read
    keeps its item in the inbox with the reason (and is not tried again);
    ``Cancelled`` leaves it pending.
    """
    with ws.readers() as session:
        item = session.get(InboxItem, item_id)
        folder = (
            session.get(DropFolder, item.drop_folder_id) if item and item.drop_folder_id else None
        )
        if item is None or folder is None or folder.scan_profile is None or item.sha256 is None:
            return None
        profile_name = folder.scan_profile
        profile = profile_named(ws, session, profile_name)
        name, sha, size, mime = item.source_name, item.sha256, item.source_size, item.mime
    # missing Tesseract is this computer's problem, not the scan's: the batch waits for it
    require_tools(profile.languages)
    source = ws.objects.verified_path(sha, size)
    with ws.objects.batch() as store:
        try:
            taken = take_apart(
                source, mime or "application/pdf", profile, store.scratch_path,
                progress=progress, cancel=cancel, memory=StoreOcrMemory(ws),
            )  # fmt: skip
        except UserError as error:
            if error.msgid in SCAN_PROBLEMS:  # the file's own problem: it waits, saying why
                _set_reason(ws, item_id, error)
            raise  # anything else (OCR failed, say) is tried again on the next run
        files = [p for part in taken.parts for p in (part.original, part.pdfa) if p is not None]
        if taken.pages_pdf is not None:
            files.append(taken.pages_pdf)
        # committed (durable) before the records that name them
        stored = dict(zip(files, store_all(store, files), strict=True))
    batch_id = _record(ws, item_id, name, profile_name, profile, taken, stored)
    if batch_id is None:
        return None
    parts = tuple(file_waiting_parts(ws, batch_id))  # in the batch's order
    flagged = sum(1 for check in taken.checks if check.flags)
    return BatchOutcome(batch_id, item_id, name, taken.pages, flagged, parts)


def store_all(store: PutBatch, files: Sequence[Path]) -> list[StoredObject]:
    """Stage ``files`` in ``store`` and commit them; their objects, in order."""
    for path in files:
        store.stage(path)
    return store.commit()


def retry_batch(ws: Workspace, item_id: str) -> None:
    """Let a scanner folder's file that stopped with a reason be taken apart again
    (after the file was scanned again, or a tool installed); audited."""
    with ws.sessions() as session, session.begin():
        item = session.get(InboxItem, item_id)
        folder = (
            session.get(DropFolder, item.drop_folder_id) if item and item.drop_folder_id else None
        )
        batched = session.scalar(select(ScanBatch.id).where(ScanBatch.item_id == item_id))
        if (
            item is None
            or folder is None
            or folder.scan_profile is None
            or batched is not None
            or item.state != S.READY.value
            or item.reason is None
        ):
            raise UserError(N_("{id} is not a scan that stopped with a reason."), {"id": item_id})
        item.reason = item.reason_params = None
        item.updated_at = ws.clock()
        audit.append(session, at=ws.clock(), actor=ws.actor, action="scan.retry",
                     object_type="inbox_item", object_id=item_id,
                     details={"name": item.source_name})  # fmt: skip


def _set_reason(ws: Workspace, item_id: str, error: UserError) -> None:
    with ws.sessions() as session, session.begin():
        item = session.get(InboxItem, item_id)
        if item is not None and item.state == S.READY.value:
            item.reason = error.msgid
            item.reason_params = json.dumps(error.params, default=str)
            item.updated_at = ws.clock()


def _record(
    ws: Workspace,
    item_id: str,
    name: str,
    profile_name: str,
    profile: ScanProfile,
    taken: TakenApart,
    stored: dict[Path, StoredObject],
) -> str | None:
    """One transaction: the batch, its records as inbox items, their text."""
    now = ws.clock()
    batch_id = str(uuid.uuid4())
    with ws.sessions() as session, session.begin():
        item = session.get(InboxItem, item_id)
        taken_already = session.scalar(select(ScanBatch.id).where(ScanBatch.item_id == item_id))
        if item is None or item.state != S.READY.value or taken_already is not None:
            return None
        checks = [check_json(c) for c in taken.checks]
        session.add(ScanBatch(
            id=batch_id, item_id=item_id, state="needs_review", profile_name=profile_name,
            profile=profile.to_json(), pages=taken.pages, checks=json.dumps(checks),
            created_at=now, processed_by=ws.actor,
            current_sha256=stored[taken.pages_pdf].sha256 if taken.pages_pdf else None,
        ))  # fmt: skip
        session.flush()
        for part in taken.parts:
            _add_part(session, item, batch_id, part, stored, now)
        audit.append(
            session, at=now, actor=ws.actor, action="scan.batch", object_type="inbox_item",
            object_id=item_id,
            details={"name": name, "sha256": item.sha256, "pages": taken.pages,
                     "records": len(taken.parts), "profile": profile_name,
                     "flagged_pages": sum(1 for c in taken.checks if c.flags)},
        )  # fmt: skip
        item.updated_at = now
    return batch_id


def _add_part(
    session: Session,
    batch: InboxItem,
    batch_id: str,
    part: PartFiles,
    stored: dict[Path, StoredObject],
    now: dt.datetime,
) -> None:
    original = stored[part.original]
    first, last = part.part.pages[0] + 1, part.part.pages[-1] + 1
    stem = batch.source_name.rsplit(".", 1)[0]
    label = f"p. {first}" if first == last else f"p. {first}-{last}"
    sheet = part.part.sheet.fields if part.part.sheet is not None else None
    scan: dict[str, object] = {"batch": batch_id, "number": part.number}
    if part.page_count_flag is not None:
        scan["flags"] = {"page_count": part.page_count_flag}
    facts: dict[str, object] = {"scan": scan}
    if part.pdfa is not None:
        pdfa = stored[part.pdfa]
        facts["derived"] = [{"sha256": pdfa.sha256, "size": pdfa.size, "role": "pdfa"}]
        _text(session, pdfa.sha256, part.text.text, "ocr", now)
    elif part.text.text:
        _text(session, original.sha256, part.text.text, part.text.method, now)
    part_id = str(uuid.uuid4())
    session.add(InboxItem(
        id=part_id, drop_folder_id=batch.drop_folder_id,
        source_path=f"{batch.source_path}#{label}", source_name=f"{stem} ({label}).pdf",
        source_size=original.size, source_mtime_ns=batch.source_mtime_ns, source_inode=None,
        state=S.READY.value, sha256=original.sha256, mime="application/pdf", puid=None,
        facts=json.dumps(facts), attempts=0, created_at=now, updated_at=now,
    ))  # fmt: skip
    session.flush()
    session.add(ScanPart(
        item_id=part_id, batch_id=batch_id, number=part.number,
        pages=json.dumps(list(part.part.pages)),
        sheet=json.dumps(sheet.__dict__) if sheet is not None else None,
    ))  # fmt: skip


def _text(session: Session, sha256: str, text: str, method: str, now: dt.datetime) -> None:
    if session.get(ContentText, sha256) is None:
        session.add(ContentText(sha256=sha256, text=text, needs_ocr=False, method=method,
                                truncated=False, extracted_at=now))  # fmt: skip


# -- filing what the sheets name ---------------------------------------------------
def file_waiting_parts(ws: Workspace, batch_id: str | None = None) -> list[PartOutcome]:
    """File each ready record of a batch whose sheet names a dossier (all batches
    without ``batch_id``); the others, and those that cannot be filed, stay in the
    inbox (the reason on the item). Safe to repeat."""
    query = (
        select(ScanPart, InboxItem)
        .join(InboxItem, InboxItem.id == ScanPart.item_id)
        .order_by(ScanPart.batch_id, ScanPart.number)
    )
    if batch_id is not None:
        query = query.where(ScanPart.batch_id == batch_id)
    with ws.readers() as session:
        rows = [(part.item_id, part.number, tuple(json.loads(part.pages)),
                 json.loads(part.sheet) if part.sheet else {}, item.state, item.record_id,
                 _reason(item), _count_flag(item))
                for part, item in session.execute(query)]  # fmt: skip
    outcomes: list[PartOutcome] = []
    for item_id, number, pages, sheet, state, record_id, reason, count_flag in rows:
        dossier = _str(sheet.get("dossier"))
        outcome = PartOutcome(item_id, number, pages, dossier, reason=reason)
        if state == S.READY.value and dossier and reason is None and count_flag:
            error = UserError(
                N_("The separator sheet expected {expected} pages, the record has {count}: "
                   "check the scan before filing it."), count_flag,
            )  # fmt: skip
            _set_reason(ws, item_id, error)
            outcome = PartOutcome(item_id, number, pages, dossier, reason=translate_error(error))
        elif state == S.READY.value and dossier and reason is None:
            outcome = _file_one(ws, outcome, sheet)
        elif state == S.FILED.value:
            outcome = PartOutcome(item_id, number, pages, dossier, filed_as=_kenmerk(ws, record_id))
        outcomes.append(outcome)
    return outcomes


def _count_flag(item: InboxItem) -> dict[str, object] | None:
    """The page count a record's sheet expected and the one it has, when they differ."""
    scan = json.loads(item.facts or "{}").get("scan", {})
    flag = scan.get("flags", {}).get("page_count")
    return flag if isinstance(flag, dict) else None


def _reason(item: InboxItem) -> str | None:
    if not item.reason:
        return None
    return translate_error(UserError(item.reason, json.loads(item.reason_params or "{}")))


def _file_one(ws: Workspace, part: PartOutcome, sheet: dict[str, object]) -> PartOutcome:
    assert part.dossier is not None
    try:
        result = inbox.file_items(
            ws, [part.item_id], part.dossier,
            title=_str(sheet.get("titel")), documenttype=_str(sheet.get("documenttype")),
        )  # fmt: skip
    except UserError as error:  # an unknown or closed dossier: the record waits, saying why
        _set_reason(ws, part.item_id, error)
        reason = translate_error(error)
        return PartOutcome(part.item_id, part.number, part.pages, part.dossier, reason=reason)
    return PartOutcome(
        part.item_id, part.number, part.pages, part.dossier, filed_as=result.records[0].kenmerk
    )


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _kenmerk(ws: Workspace, record_id: str | None) -> str | None:
    from recordsdesk.db.models import Informatieobject

    if record_id is None:
        return None
    with ws.readers() as session:
        record = session.get(Informatieobject, record_id)
        return record.kenmerk if record is not None else None


__all__: Sequence[str] = (
    "BatchInfo",
    "BatchOutcome",
    "PartOutcome",
    "file_waiting_parts",
    "list_batches",
    "pending_batches",
    "process_batch",
    "process_pending",
)  # fmt: skip
