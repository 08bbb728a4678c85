"""Re-scanning pages of a batch under review (issue 8): exactly those pages are replaced.

``request_rescan``: a reviewer names the pages of a batch under review that must
be scanned again (too dark, skewed, a corner folded); the batch then waits in
state ``rescan`` and cannot be approved. Audited.

``replace_pages``: the re-scanned pages, one file with the pages in the order
asked for, take the place of exactly those pages:

* the scanner's first file stays as it came (it is the evidence); the re-scan is
  stored too, and listed on the batch (``rescans``: pages, content, who, when);
* the batch's pages as they now are (lossless, a PDF in the object store) are
  what the review shows and what a later re-scan starts from;
* the new pages are checked against the batch's profile; a separator sheet
  among them, or another number of pages than asked for, is refused;
* each record holding a replaced page gets its pages and OCR'd PDF/A again: on
  its inbox item, or once filed on its bestanden (the same bestand ids, new
  content; only in an open dossier);
* all files are stored durably first, then one transaction records everything
  and the batch is back under review.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from recordsdesk import audit, i18n
from recordsdesk.db.models import (
    Bestand,
    ContentText,
    Hold,
    InboxItem,
    Informatieobject,
    ScanPart,
    WooRedaction,
)
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.identify import mime_type
from recordsdesk.intake.states import InboxState
from recordsdesk.scan.ocr import require_tools
from recordsdesk.scan.process import PartFiles, batch_pdf
from recordsdesk.scan.profile import ScanProfile
from recordsdesk.scan.quality import check_json
from recordsdesk.scan.rescan import Retaken, retake
from recordsdesk.scan.split import Part
from recordsdesk.services.events import record_event
from recordsdesk.services.scan_ocr_memory import StoreOcrMemory
from recordsdesk.services.scan_review import batch_of
from recordsdesk.services.workspace import Workspace
from recordsdesk.store import StoredObject
from recordsdesk.tasks import CancelToken, Progress, no_progress


@dataclass(frozen=True)
class Replaced:
    """What a re-scan changed: the batch's pages replaced (1-based) and its records made
    again (kenmerk once filed, else the inbox item's name)."""

    batch_id: str
    pages: tuple[int, ...]
    records: tuple[str, ...]
    flagged_pages: int  # of the replaced pages


def request_rescan(ws: Workspace, batch_id: str, pages: Sequence[int], note: str = "") -> None:
    """Ask for ``pages`` (1-based) of a batch under review to be scanned again.

    Asking again while the batch waits replaces the list. Raises ``UserError``
    for no pages, a page the batch does not have, or a batch already decided.
    """
    wanted = sorted(set(pages))
    with ws.sessions() as session, session.begin():
        batch = batch_of(session, batch_id)
        if batch.state not in ("needs_review", "rescan"):
            raise UserError(
                N_("This batch is {state}, no longer under review."), {"state": batch.state}
            )
        if not wanted or wanted[0] < 1 or wanted[-1] > batch.pages:
            raise UserError(
                N_("Name the pages to scan again, from 1 to {pages}."), {"pages": batch.pages}
            )
        if batch.report_dossier_id is not None:  # its report is (being) filed: it stands
            raise UserError(N_("The approval of this batch has begun; approve it again to "
                               "finish it, then scan the paper as a new batch."))  # fmt: skip
        in_records = {
            index + 1
            for pages_json in session.scalars(
                select(ScanPart.pages).where(ScanPart.batch_id == batch_id)
            )
            for index in json.loads(pages_json)
        }
        outside = [page for page in wanted if page not in in_records]
        if outside:
            raise UserError(
                N_("Page {page} is in no record (a separator sheet, or a blank page left "
                   "out): only pages of records can be scanned again."),
                {"page": outside[0]},
            )  # fmt: skip
        batch.state = "rescan"
        batch.rescan_pages = json.dumps(wanted)
        audit.append(session, at=ws.clock(), actor=ws.actor, action="scan.rescan_request",
                     object_type="scan_batch", object_id=batch_id,
                     details={"pages": wanted, "note": note.strip()})  # fmt: skip


def replace_pages(
    ws: Workspace,
    batch_id: str,
    source: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> Replaced:
    """Put the re-scan at ``source`` in the place of the pages asked for (see the module)."""
    with ws.readers() as session:
        batch = batch_of(session, batch_id)
        if batch.state != "rescan" or not batch.rescan_pages:
            raise UserError(N_("No re-scan was asked for in this batch."))
        asked: list[int] = json.loads(batch.rescan_pages)
        profile = ScanProfile.from_json(batch.profile)
        item = session.get(InboxItem, batch.item_id)
        assert item is not None and item.sha256 is not None
        scanner_file = (item.sha256, item.source_size, item.mime or "application/pdf")
        current = batch.current_sha256
        indices = [page - 1 for page in asked]
        parts = [
            (part.item_id, Part(tuple(json.loads(part.pages))))
            for part in session.scalars(
                select(ScanPart).where(ScanPart.batch_id == batch_id).order_by(ScanPart.number)
            )
        ]
        touched = [(item_id, part) for item_id, part in parts if set(part.pages) & set(indices)]
        for item_id, _part in touched:
            _require_changeable(session, item_id)
    require_tools(profile.languages)
    with ws.objects.batch() as store:
        # the re-scan is read once, into the store's temp area: what is checked and
        # spliced in is exactly what is kept as evidence, however the file changes
        evidence = store.stage(source, cancel=cancel)
        rescan = store.scratch_path(Path(source.name).suffix.lower())
        shutil.copyfile(evidence.temp, rescan)
        if current is not None:
            pages_now = ws.objects.verified_path(current)
        else:
            sha, size, mime = scanner_file
            pages_now, _count = batch_pdf(
                ws.objects.verified_path(sha, size), mime, profile, store.scratch_path
            )
        retaken = retake(
            pages_now, rescan, mime_type(rescan), indices, [p for _i, p in touched], profile,
            store.scratch_path, progress=progress, cancel=cancel, memory=StoreOcrMemory(ws),
        )  # fmt: skip
        files = [retaken.batch]
        files += [p for made in retaken.parts for p in (made.original, made.pdfa) if p]
        for path in files:
            store.stage(path)
        kept, *made_objects = store.commit()  # the re-scan was staged first
        stored = dict(zip(files, made_objects, strict=True))
    records = _record(ws, batch_id, asked, (source.name, kept), current, retaken, touched, stored)
    flagged = sum(1 for check in retaken.checks.values() if check.flags)
    return Replaced(batch_id, tuple(asked), tuple(records), flagged)


def _record(
    ws: Workspace,
    batch_id: str,
    asked: list[int],
    evidence_of: tuple[str, StoredObject],
    started_from: str | None,
    retaken: Retaken,
    touched: list[tuple[str, Part]],
    stored: dict[Path, StoredObject],
) -> list[str]:
    """One transaction: the batch's new pages and checks, the re-scan listed, each
    touched record renewed, the batch back under review; audited."""
    now = ws.clock()
    shown: list[str] = []
    with ws.sessions() as session, session.begin():
        batch = batch_of(session, batch_id)
        if (
            batch.state != "rescan"
            or json.loads(batch.rescan_pages or "[]") != asked
            or batch.current_sha256 != started_from
        ):
            raise UserError(N_("The batch changed meanwhile; replace the pages again."))
        checks = json.loads(batch.checks)
        for index, check in retaken.checks.items():
            checks[index] = check_json(check) | {"rescanned": True}
        name, evidence = evidence_of
        batch.checks = json.dumps(checks)
        batch.current_sha256 = stored[retaken.batch].sha256
        listed = {"pages": asked, "sha256": evidence.sha256, "size": evidence.size,
                  "name": name, "by": ws.actor, "at": now.isoformat()}  # fmt: skip
        batch.rescans = json.dumps([*json.loads(batch.rescans or "[]"), listed])
        batch.rescan_pages = None
        batch.state = "needs_review"
        for (item_id, part), made in zip(touched, retaken.parts, strict=True):
            replaced = [i + 1 for i in part.pages if i + 1 in asked]
            shown.append(_renew(session, ws, item_id, made, stored, replaced))
        audit.append(session, at=now, actor=ws.actor, action="scan.rescan_replace",
                     object_type="scan_batch", object_id=batch_id,
                     details={"pages": asked, "sha256": evidence.sha256, "name": name,
                              "records": shown})  # fmt: skip
    return shown


def _renew(
    session: Session,
    ws: Workspace,
    item_id: str,
    made: PartFiles,
    stored: dict[Path, StoredObject],
    replaced: list[int],
) -> str:
    """Give the record of inbox item ``item_id`` its new pages (``replaced``: the batch's
    pages that changed); its name or kenmerk. A filed record gets the event Wijziging
    and an audit entry naming the old and the new content."""
    now = ws.clock()
    item = session.get(InboxItem, item_id)
    assert item is not None
    old = item.sha256
    original = stored[made.original]
    pdfa = stored[made.pdfa] if made.pdfa is not None else None
    facts = json.loads(item.facts or "{}")
    facts["derived"] = (
        [{"sha256": pdfa.sha256, "size": pdfa.size, "role": "pdfa"}] if pdfa is not None else []
    )
    item.sha256, item.source_size, item.facts = original.sha256, original.size, json.dumps(facts)
    item.updated_at = now
    text_of = pdfa.sha256 if pdfa is not None else original.sha256
    if session.get(ContentText, text_of) is None:
        session.add(ContentText(sha256=text_of, text=made.text.text, needs_ocr=False,
                                method="ocr" if pdfa is not None else made.text.method,
                                truncated=False, extracted_at=now))  # fmt: skip
    if item.state != InboxState.FILED.value or item.record_id is None:
        return item.source_name
    record = _changeable_record(session, item)
    first = session.scalars(
        select(Bestand).where(
            Bestand.informatieobject_id == record.id, Bestand.role == "original",
            Bestand.sha256 == old,
        )
    ).first()  # fmt: skip
    if first is None:
        raise UserError(N_("Record {kenmerk} no longer holds the scanned pages; nothing was "
                           "replaced."), {"kenmerk": record.kenmerk})  # fmt: skip
    first.sha256, first.size = original.sha256, original.size
    derived = session.scalars(
        select(Bestand).where(Bestand.derived_from_id == first.id, Bestand.role == "pdfa")
    ).first()
    if derived is not None and pdfa is not None:
        derived.sha256, derived.size = pdfa.sha256, pdfa.size
    elif derived is not None:  # the new pages are a PDF/A with text: no derivative needed
        session.delete(derived)
    elif pdfa is not None:
        session.add(Bestand(
            id=str(uuid.uuid4()), informatieobject_id=record.id, sha256=pdfa.sha256,
            size=pdfa.size, mime="application/pdf", puid=None,
            original_name=first.original_name, safe_name=first.safe_name, role="pdfa",
            derived_from_id=first.id, created_at=now,
        ))  # fmt: skip
    said = N_("Scanned pages {pages} of the batch replaced by their re-scan (sha256 {old} "
              "-> {new})")  # fmt: skip
    text = (i18n.catalogue("nl").get(said) or said).format(  # Dutch: an archival record
        pages=", ".join(map(str, replaced)), old=old, new=original.sha256
    )
    record_event(session, ws, record.id, "Wijziging", now, text)
    audit.append(session, at=now, actor=ws.actor, action="record.rescan",
                 object_type="informatieobject", object_id=record.id,
                 details={"kenmerk": record.kenmerk, "pages": replaced, "old": old,
                          "new": original.sha256})  # fmt: skip
    return record.kenmerk


def _require_changeable(session: Session, item_id: str) -> None:
    item = session.get(InboxItem, item_id)
    if item is not None and item.state == InboxState.FILED.value and item.record_id:
        _changeable_record(session, item)


def _changeable_record(session: Session, item: InboxItem) -> Informatieobject:
    """The record filed from ``item``; ``UserError`` when it or anything above it is not
    open, a legal hold covers it, or a Woo request marked redactions on its pages."""
    record = session.get(Informatieobject, item.record_id)
    if record is None:
        raise UserError(N_("The record of {name} is gone; nothing was replaced."),
                        {"name": item.source_name})  # fmt: skip
    lineage = [record]
    while lineage[-1].parent_id is not None and len(lineage) < 64:
        parent = session.get(Informatieobject, lineage[-1].parent_id)
        if parent is None:
            break
        lineage.append(parent)
    for obj in lineage:
        if obj.status != "open":
            raise UserError(
                N_("{kenmerk} is {status}: its pages can no longer be replaced."),
                {"kenmerk": obj.kenmerk, "status": obj.status},
            )
    held = session.scalar(select(Hold.id).where(
        Hold.informatieobject_id.in_([o.id for o in lineage]), Hold.lifted_at.is_(None)
    ).limit(1))  # fmt: skip
    redacted = session.scalar(
        select(WooRedaction.id).join(Bestand, Bestand.id == WooRedaction.bestand_id)
        .where(Bestand.informatieobject_id == record.id).limit(1)
    )  # fmt: skip
    if held is not None or redacted is not None:
        raise UserError(
            N_("{kenmerk} is under a legal hold or has Woo redactions on its pages: its "
               "pages can no longer be replaced; scan the paper as a new record."),
            {"kenmerk": record.kenmerk},
        )  # fmt: skip
    return record
