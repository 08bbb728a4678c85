"""Reviewing a scanned batch, and the evidence that lets its paper go (vervanging).

A reviewer approves a batch (``needs_review``) once every record of it is
filed, either after looking at every flagged page (``review_mode`` "all") or,
when the batch's profile asks for sampling, after checking the random sample
of pages ``sample_pages`` drew (``review_mode`` "sample", the pages recorded).
Approval, safe to repeat after a crash at any step:

1. The batch's report dossier in the Serie "Vervangingsverslagen" (made once
   per store) is made and remembered on the batch, in one transaction.
2. Unless it holds them already, the report is filed into it: a PDF/A (the
   batch, the profile, who scanned, who approved and how, every page's checks,
   the records) and the same pages as CSV; then the scanner's own file, whole.
3. One transaction: each record of the batch gets the MDTO events
   *Digitalisering* (who scanned, with which profile, on which device as the
   scan's file names it, from which scanner folder, when) and *Vervanging*
   (who approved the quality check, how, and the date after which the paper
   may be destroyed, from the municipality's vervangingsbesluit: the setting
   ``scan.vervanging_months``, default 6 months after approval); the batch
   becomes ``approved``; the audit trail records it.

A rejected batch stays as it is (its records too); the paper is scanned again.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import json
import secrets
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from recordsdesk import audit, i18n
from recordsdesk.db.models import DropFolder, InboxItem, Informatieobject, ScanBatch, ScanPart
from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.i18n import N_, _, translate_error
from recordsdesk.intake import inbox
from recordsdesk.pdfa import Column, Document, Heading, Paragraph, Table, write_pdfa
from recordsdesk.scan.device import device_of
from recordsdesk.scan.profile import ScanProfile
from recordsdesk.scan.quality import COLOUR_MODE_TEXT, FLAG_TEXT, Flag
from recordsdesk.scan.states import STATE_TEXT
from recordsdesk.services.dossiers import DOSSIER, new_object, remembered_serie
from recordsdesk.services.events import record_event
from recordsdesk.services.filing import file_paths
from recordsdesk.services.workspace import Workspace

SERIE_NAAM = "Vervangingsverslagen"
_SERIE_SETTING = "scan.vervanging_serie_id"
MONTHS_SETTING = "scan.vervanging_months"
DEFAULT_MONTHS = 6


@dataclass(frozen=True)
class Approval:
    batch_id: str
    report_dossier: str  # kenmerk
    destroy_paper_after: dt.date
    records: int


def batch_of(session: Session, batch_id: str) -> ScanBatch:
    """The batch ``batch_id``; ``NotFoundError`` if there is none."""
    batch = session.get(ScanBatch, batch_id)
    if batch is None:
        raise NotFoundError(N_("No scanned batch {id}."), {"id": batch_id})
    return batch


def sample_pages(ws: Workspace, batch_id: str) -> list[int]:
    """Draw the random sample of the batch's pages to check (1-based, sorted), as many
    as its profile asks, and record it: approval then needs exactly these pages.

    Drawn with the system's random source, so nobody can predict or pick it; a
    batch's sample is drawn once (asking again gives the same pages).
    """
    with ws.sessions() as session, session.begin():
        batch = _under_review(session, batch_id)
        if batch.sampled_pages:
            drawn: list[int] = json.loads(batch.sampled_pages)
            return drawn
        size = min(ScanProfile.from_json(batch.profile).sample_size, batch.pages)
        if size == 0:
            raise UserError(N_("The profile of this batch does not approve by sample."))
        drawn = sorted(secrets.SystemRandom().sample(range(1, batch.pages + 1), size))
        batch.sampled_pages = json.dumps(drawn)
        audit.append(session, at=ws.clock(), actor=ws.actor, action="scan.sample",
                     object_type="scan_batch", object_id=batch_id,
                     details={"pages": drawn})  # fmt: skip
    return drawn


def reject_batch(ws: Workspace, batch_id: str, note: str) -> None:
    """Reject a batch under review or waiting for a re-scan, saying why (the paper is to
    be scanned again, whole)."""
    if not note.strip():
        raise UserError(N_("Say why the batch is rejected (for instance which pages to rescan)."))
    with ws.sessions() as session, session.begin():
        batch = batch_of(session, batch_id)
        if batch.state != "rescan":
            batch = _under_review(session, batch_id)
        batch.rescan_pages = None
        now = ws.clock()
        batch.state, batch.decided_by, batch.decided_at = "rejected", ws.actor, now
        batch.decision_note = note.strip()
        audit.append(session, at=now, actor=ws.actor, action="scan.reject",
                     object_type="scan_batch", object_id=batch_id,
                     details={"note": note})  # fmt: skip


def _under_review(session: Session, batch_id: str) -> ScanBatch:
    batch = batch_of(session, batch_id)
    if batch.state != "needs_review":
        raise UserError(
            N_("This batch is {state}, no longer under review."), {"state": batch.state}
        )
    return batch


def approve_batch(
    ws: Workspace, batch_id: str, *, note: str | None = None, sampled: Sequence[int] = ()
) -> Approval:
    """Approve a batch and record the evidence for its paper (see the module contract).

    ``sampled``: the 1-based pages the reviewer checked, when the batch's profile
    approves by sample (as many as it asks, each a page of the batch). Raises
    ``UserError`` when the batch is not under review, a record of it still
    waits in the inbox, or the sample does not fit.
    """
    with ws.readers() as session:
        batch = _under_review(session, batch_id)
        profile = ScanProfile.from_json(batch.profile)
        waiting = session.scalar(
            select(func.count()).select_from(ScanPart)
            .join(InboxItem, InboxItem.id == ScanPart.item_id)
            .where(ScanPart.batch_id == batch_id, InboxItem.state != "filed")
        )  # fmt: skip
        if waiting:
            raise UserError(N_("File the batch's records first: {count} still wait in the inbox."),
                            {"count": waiting})  # fmt: skip
        pages = batch.pages
        drawn = json.loads(batch.sampled_pages) if batch.sampled_pages else None
    mode, chosen = _review_mode(profile, sampled, pages, drawn)
    months = _months(ws)
    destroy_after = _add_months(ws.clock().date(), months)
    device, folder = scanned_on(ws, batch_id)
    kenmerk, has_records = _report_dossier(ws, batch_id)
    if not has_records:
        _file_report(ws, batch_id, kenmerk, mode, chosen, destroy_after, (device, folder))
    with ws.readers() as session:
        scanner_file = session.get(InboxItem, batch_of(session, batch_id).item_id)
        unfiled = scanner_file is not None and scanner_file.state != "filed"
        scanner_file_id = scanner_file.id if scanner_file is not None else None
    if unfiled and scanner_file_id is not None:
        # the scanner's file itself, whole
        inbox.file_items(ws, [scanner_file_id], kenmerk, scanned_batch=True)
    with ws.sessions() as session, session.begin():
        batch = _under_review(session, batch_id)
        now = ws.clock()
        records = _records(session, batch_id)
        how = (_nl(N_("by a sample of pages {pages}")).format(pages=", ".join(map(str, chosen)))
               if mode == "sample" else _nl(N_("every flagged page seen")))  # fmt: skip
        for record_id in records:
            record_event(session, ws, record_id, "Digitalisering", batch.created_at,
                         resultaat=_nl(N_("Scanned by {who} with scan profile {profile} on "
                                          "{device}, from the scanner folder {folder}")).format(
                             who=batch.processed_by, profile=batch.profile_name,
                             device=device, folder=folder))  # fmt: skip
            record_event(session, ws, record_id, "Vervanging", now,
                         resultaat=_nl(N_("Quality check approved by {who} ({how}); the paper "
                                     "original may be destroyed after {date}")).format(
                             who=ws.actor, how=how, date=destroy_after.isoformat()))  # fmt: skip
        batch.state, batch.decided_by, batch.decided_at = "approved", ws.actor, now
        batch.decision_note = (note or "").strip() or None
        batch.review_mode, batch.destroy_paper_after = mode, destroy_after
        batch.sampled_pages = json.dumps(chosen) if mode == "sample" else None
        audit.append(session, at=now, actor=ws.actor, action="scan.approve",
                     object_type="scan_batch", object_id=batch_id,
                     details={"mode": mode, "sampled": chosen, "records": len(records),
                              "destroy_paper_after": destroy_after.isoformat(),
                              "report": kenmerk})  # fmt: skip
    return Approval(batch_id, kenmerk, destroy_after, len(records))


def _review_mode(
    profile: ScanProfile, sampled: Sequence[int], pages: int, drawn: list[int] | None
) -> tuple[str, list[int]]:
    if profile.sample_size == 0:
        if sampled:
            raise UserError(N_("The profile of this batch does not approve by sample."))
        return "all", []
    if drawn is None:
        raise UserError(N_("Draw the sample of this batch first, then check those pages."))
    chosen = sorted(set(sampled))
    wanted = min(profile.sample_size, pages)
    if chosen != drawn:
        raise UserError(N_("Approving by sample needs the {count} pages of the sample drawn "
                           "for this batch (pages 1 to {pages})."),
                        {"count": wanted, "pages": pages})  # fmt: skip
    return "sample", chosen


def _months(ws: Workspace) -> int:
    with ws.readers() as session:
        raw = ws.setting(session, MONTHS_SETTING, str(DEFAULT_MONTHS))
    return int(raw) if raw.isdigit() else DEFAULT_MONTHS


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _records(session: Session, batch_id: str) -> list[str]:
    return [
        record_id
        for record_id in session.scalars(
            select(InboxItem.record_id)
            .join(ScanPart, ScanPart.item_id == InboxItem.id)
            .where(ScanPart.batch_id == batch_id)
            .order_by(ScanPart.number)
        )
        if record_id is not None
    ]


def _report_dossier(ws: Workspace, batch_id: str) -> tuple[str, bool]:
    """The batch's report dossier (made now if missing) and whether it holds records."""
    with ws.sessions() as session, session.begin():
        batch = batch_of(session, batch_id)
        if batch.report_dossier_id is not None:
            dossier = session.get(Informatieobject, batch.report_dossier_id)
            assert dossier is not None
            count = session.scalar(select(func.count()).select_from(Informatieobject)
                                   .where(Informatieobject.parent_id == dossier.id))  # fmt: skip
            return dossier.kenmerk, bool(count)
        now = ws.clock()
        name = session.get(InboxItem, batch.item_id)
        naam = f"Vervanging {name.source_name if name else batch_id} {now.date().isoformat()}"
        serie = remembered_serie(session, ws, now, _SERIE_SETTING, SERIE_NAAM)
        dossier = new_object(session, ws, now, DOSSIER, naam, parent_id=serie.id,
                             waardering="B")  # fmt: skip
        batch.report_dossier_id = dossier.id
        return dossier.kenmerk, False


def scanned_on(ws: Workspace, batch_id: str) -> tuple[str, str]:
    """The device the batch's file names (make and model, or the program that wrote it)
    and the scanner folder it came from; in Dutch, for the archival record."""
    with ws.readers() as session:
        item = session.get(InboxItem, batch_of(session, batch_id).item_id)
        assert item is not None and item.sha256 is not None
        folder = session.get(DropFolder, item.drop_folder_id) if item.drop_folder_id else None
        path, mime = ws.objects.path_for(item.sha256), item.mime or "application/pdf"
        where = folder.path if folder is not None else "-"
    device = device_of(path, mime) or _nl(N_("a device the scan does not name"))
    return device, where


def _file_report(
    ws: Workspace,
    batch_id: str,
    kenmerk: str,
    mode: str,
    chosen: list[int],
    until: dt.date,
    scanned: tuple[str, str],
) -> None:
    with ws.readers() as session:
        batch = batch_of(session, batch_id)
        item = session.get(InboxItem, batch.item_id)
        assert item is not None
        checks = json.loads(batch.checks)
        parts = session.execute(
            select(ScanPart.number, ScanPart.pages, Informatieobject.kenmerk)
            .join(InboxItem, InboxItem.id == ScanPart.item_id)
            .join(Informatieobject, Informatieobject.id == InboxItem.record_id)
            .where(ScanPart.batch_id == batch_id).order_by(ScanPart.number)
        ).all()  # fmt: skip
        shown = ", ".join(map(str, chosen))
        review_text = (_nl(N_("sample of pages {pages}")).format(pages=shown)
                       if mode == "sample" else _nl(N_("every flagged page seen")))  # fmt: skip
        facts = [
            (_nl(N_("Batch")), item.source_name), (_nl(N_("Pages")), str(batch.pages)),
            (_nl(N_("Scanned by")), batch.processed_by),
            (_nl(N_("Scanner")), scanned[0]), (_nl(N_("Scanner folder")), scanned[1]),
            (_nl(N_("Taken apart on")), batch.created_at.isoformat(timespec="minutes")),
            (_nl(N_("Scan profile")), batch.profile_name),
            (_nl(N_("Quality check approved by")), ws.actor),
            (_nl(N_("Review")), review_text),
            (_nl(N_("Paper may be destroyed after")), until.isoformat()),
            ("sha256", item.sha256 or ""),
        ]  # fmt: skip
        rescans = json.loads(batch.rescans or "[]")
        facts += [
            (_nl(N_("Re-scanned")), _nl(N_("pages {pages} by {who} on {date} ({name}, sha256 "
                                            "{sha256})")).format(
                pages=", ".join(map(str, r["pages"])), who=r["by"], date=r["at"][:10],
                name=r["name"], sha256=r["sha256"]))
            for r in rescans
        ]  # fmt: skip
    rows = [[str(c["page"] + 1), _flags_text(c["flags"], _nl), str(c.get("dpi") or ""),
             _nl(COLOUR_MODE_TEXT.get(c.get("colour_mode") or "", "-")),
             confidence_text(c.get("confidence"), "confidence" in c, _nl)]
            for c in checks]  # fmt: skip
    with tempfile.TemporaryDirectory(dir=ws.layout.root, prefix=".vervanging-") as folder:
        pdf, table = Path(folder) / "verslag-van-vervanging.pdf", Path(folder) / "paginas.csv"
        write_pdfa(Document(
            title=_nl(N_("Report of replacement (vervanging)")), author=ws.actor,
            created=ws.clock(),
            blocks=[
                Heading(_nl(N_("Report of replacement (vervanging)"))),
                Paragraph("\n".join(f"{label}: {value}" for label, value in facts)),
                Heading(_nl(N_("Pages"))),
                Table((Column(_nl(N_("Page")), 0.08), Column(_nl(N_("Checks")), 0.52),
                       Column("dpi", 0.08), Column(_nl(N_("Colour")), 0.16),
                       Column(_nl(N_("OCR confidence")), 0.16)), rows),
                Heading(_nl(N_("Records"))),
                Table((Column(_nl(N_("Record")), 0.2), Column(_nl(N_("Pages")), 0.4),
                       Column(_nl(N_("Kenmerk")), 0.4)),
                      [[str(n), ", ".join(str(p + 1) for p in json.loads(pp)), k]
                       for n, pp, k in parts]),
            ],
        ), pdf)  # fmt: skip
        with table.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow([_nl(N_("Page")), _nl(N_("Checks")), "dpi", _nl(N_("Colour")),
                             _nl(N_("OCR confidence"))])  # fmt: skip
            writer.writerows(rows)
        # the re-scans are evidence as much as the scanner's first file
        copies = []
        for number, rescan in enumerate(rescans, start=1):
            copy = Path(folder) / f"herscan-{number}-{Path(rescan['name']).name}"
            shutil.copyfile(ws.objects.verified_path(rescan["sha256"], rescan["size"]), copy)
            copies.append(copy)
        file_paths(ws, kenmerk, [pdf, table, *copies])


def _flags_text(flags: dict[str, dict[str, object]], tr: Callable[[str], str] = _) -> str:
    """The findings in words; ``tr`` translates (``_nl`` for archival documents)."""
    texts = []
    for name, values in flags.items():
        shown = dict(values)
        for key in ("mode", "expected"):
            if isinstance(shown.get(key), str) and shown[key] in COLOUR_MODE_TEXT:
                shown[key] = tr(COLOUR_MODE_TEXT[str(shown[key])])
        texts.append(tr(FLAG_TEXT[Flag(name)]).format(**shown))
    return "; ".join(texts) or tr(N_("no remarks"))


def confidence_text(confidence: float | None, read: bool, tr: Callable[[str], str] = _) -> str:
    """The OCR's confidence in a page as shown: "87 %", "no text", or "-" (not OCR'd)."""
    if not read:
        return "-"
    return tr(N_("no text")) if confidence is None else f"{round(confidence)} %"


def _nl(msgid: str) -> str:
    """``msgid`` in Dutch, whatever the user's language: the events and the report are
    archival documents of a Dutch municipality (as the verklaring van vernietiging)."""
    return i18n.catalogue("nl").get(msgid) or msgid


@dataclass(frozen=True)
class PageInfo:
    number: int  # 1-based
    flags: str  # the checks' findings in words ("" when none)
    dpi: int | None
    colour: str
    confidence: str  # the OCR's confidence in words ("87 %", "no text", "-")
    rescanned: bool = False  # the page was replaced by a re-scan


@dataclass(frozen=True)
class BatchDetail:
    """What a reviewer sees of a batch: its pages with their findings, and its file."""

    id: str
    name: str
    state: str
    profile_name: str
    sample_size: int
    processed_by: str
    pages: tuple[PageInfo, ...]
    records: tuple[tuple[int, str, str], ...]  # (number, pages "1-3", where: kenmerk or reason)
    batch_file: Path  # the batch's pages in the object store (read-only), re-scans included
    decided: str | None  # "approved by X on date" / "rejected by X: note"
    rescan_pages: tuple[int, ...] = ()  # asked to be scanned again (1-based)


def batch_detail(ws: Workspace, batch_id: str) -> BatchDetail:
    """The batch ``batch_id`` as the review view shows it (texts in the current language)."""
    with ws.readers() as session:
        batch = batch_of(session, batch_id)
        item = session.get(InboxItem, batch.item_id)
        assert item is not None and item.sha256 is not None
        pages = tuple(
            PageInfo(c["page"] + 1, _flags_text(c["flags"]) if c["flags"] else "", c.get("dpi"),
                     _(COLOUR_MODE_TEXT.get(c.get("colour_mode") or "", "-")),
                     confidence_text(c.get("confidence"), "confidence" in c),
                     bool(c.get("rescanned")))
            for c in json.loads(batch.checks)
        )  # fmt: skip
        records = []
        for number, part_pages, record_id, reason, params in session.execute(
            select(ScanPart.number, ScanPart.pages, InboxItem.record_id, InboxItem.reason,
                   InboxItem.reason_params)
            .join(InboxItem, InboxItem.id == ScanPart.item_id)
            .where(ScanPart.batch_id == batch_id).order_by(ScanPart.number)
        ):  # fmt: skip
            shown = json.loads(part_pages)
            span = f"{shown[0] + 1}-{shown[-1] + 1}" if len(shown) > 1 else str(shown[0] + 1)
            record = session.get(Informatieobject, record_id) if record_id else None
            if record is not None:
                where = record.kenmerk
            elif reason:
                where = translate_error(UserError(reason, json.loads(params or "{}")))
            else:
                where = _("in the inbox")
            records.append((number, span, where))
        decided = None
        if batch.decided_by and batch.decided_at:
            decided = _("{state} by {who} on {date}").format(
                state=_(STATE_TEXT[batch.state]),
                who=batch.decided_by,
                date=batch.decided_at.date().isoformat(),
            )
            if batch.decision_note:
                decided += f": {batch.decision_note}"
        return BatchDetail(
            batch.id, item.source_name, batch.state, batch.profile_name,
            ScanProfile.from_json(batch.profile).sample_size, batch.processed_by, pages,
            tuple(records), ws.objects.path_for(batch.current_sha256 or item.sha256), decided,
            tuple(json.loads(batch.rescan_pages or "[]")),
        )  # fmt: skip
