"""Re-scanning pages of a batch under review: exactly those pages are replaced.

The real pipeline (intake, split, OCR) on a synthetic batch; the re-scan is a
synthetic scan too, of a page with other words, so its text proves the swap.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from sqlalchemy import select

from recordsdesk.db.models import (
    Bestand,
    ContentText,
    Event,
    InboxItem,
    Informatieobject,
    ScanBatch,
)
from recordsdesk.errors import UserError
from recordsdesk.intake import folders, inbox
from recordsdesk.scan.profile import ScanProfile
from recordsdesk.scan.sheet import SheetFields
from recordsdesk.services import (
    Workspace,
    create_dossier,
    open_workspace,
    scan_batches,
    scan_profiles,
    scan_rescan,
    scan_review,
)
from tests.scan.synth import Page, make_batch
from tests.scan.test_batches import _intake

pytestmark = pytest.mark.slow
TODAY = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
NEW_TEXT = "Aanvulling op het bezwaar.\nDe erfpacht van het perceel is in 1998 afgekocht."


@pytest.fixture
def ws(home: Path) -> Iterator[Workspace]:
    workspace = open_workspace(home)
    workspace.clock = lambda: TODAY
    try:
        yield workspace
    finally:
        workspace.close()


def _images(path: Path) -> list[bytes]:
    """Each page's image stream, raw (what a lossless copy keeps byte for byte)."""
    with pikepdf.open(path) as pdf:
        return [next(iter(page.get_images().values())).read_raw_bytes() for page in pdf.pages]


def test_rescanned_pages_replace_exactly_those_pages(ws: Workspace, tmp_path: Path) -> None:
    dossier = create_dossier(ws, "Bezwaar erfpacht Hoogstraat 3").kenmerk
    scanner = tmp_path / "scanner"
    scanner.mkdir()
    scan_profiles.save_profile(ws, "balie", ScanProfile(dpi=200))
    folders.add_drop_folder(ws, scanner, scan_profile="balie", after_intake="keep")
    pages = [
        Page(),  # record 1: stays in the inbox
        Page(sheet=SheetFields(dossier=dossier, titel="Bezwaarschrift")),
        Page(),  # record 2, page 3 of the batch
        Page(shade=110),  # record 2, page 4: scanned too dark
    ]
    make_batch(pages, tmp_path / "b.pdf").rename(scanner / "balie-002.pdf")
    scanner_bytes = (scanner / "balie-002.pdf").read_bytes()
    _intake(ws)
    [outcome] = scan_batches.process_pending(ws)
    first, second = outcome.parts
    assert second.filed_as and second.pages == (2, 3)
    with ws.readers() as session:
        record = session.scalar(
            select(Informatieobject).where(Informatieobject.kenmerk == second.filed_as)
        )
        assert record is not None
        before = {b.role: (b.id, b.sha256) for b in record.bestanden}
        batch = session.get(ScanBatch, outcome.batch_id)
        assert batch is not None and "dark" in json.loads(batch.checks)[3]["flags"]
        first_item = session.get(InboxItem, first.item_id)
        assert first_item is not None
        first_sha = first_item.sha256
    old_part = _images(ws.objects.path_for(before["original"][1]))

    # the reviewer asks for page 4 again; meanwhile the batch cannot be approved
    with pytest.raises(UserError, match="from 1 to 4"):
        scan_rescan.request_rescan(ws, outcome.batch_id, [5])
    with pytest.raises(UserError, match="Page 2 is in no record"):  # the separator sheet
        scan_rescan.request_rescan(ws, outcome.batch_id, [2, 4])
    scan_rescan.request_rescan(ws, outcome.batch_id, [4], "te donker")
    assert scan_batches.list_batches(ws)[0].state == "rescan"
    with pytest.raises(UserError, match="no longer under review"):
        scan_review.approve_batch(ws, outcome.batch_id)

    # a re-scan of the wrong length, or with a separator sheet, changes nothing
    two = make_batch([Page(text=NEW_TEXT), Page()], tmp_path / "twee.pdf", seed=7)
    with pytest.raises(UserError, match="has 2 pages, but 1 were asked for"):
        scan_rescan.replace_pages(ws, outcome.batch_id, two)
    sheet = make_batch([Page(sheet=SheetFields(dossier=dossier))], tmp_path / "vel.pdf")
    with pytest.raises(UserError, match="separator sheet"):
        scan_rescan.replace_pages(ws, outcome.batch_id, sheet)
    assert scan_batches.list_batches(ws)[0].state == "rescan"

    rescan = make_batch([Page(text=NEW_TEXT)], tmp_path / "herscan.pdf", seed=7)
    done = scan_rescan.replace_pages(ws, outcome.batch_id, rescan)

    assert done.pages == (4,) and done.records == (second.filed_as,) and done.flagged_pages == 0
    assert (scanner / "balie-002.pdf").read_bytes() == scanner_bytes  # evidence untouched
    with ws.readers() as session:
        batch = session.get(ScanBatch, outcome.batch_id)
        assert batch is not None and batch.state == "needs_review" and batch.rescan_pages is None
        checks = json.loads(batch.checks)
        assert checks[3]["flags"] == {} and checks[3]["rescanned"] is True
        assert checks[3]["confidence"] > 70
        [listed] = json.loads(batch.rescans or "[]")
        assert listed["pages"] == [4] and listed["sha256"] == _sha(rescan)
        # the batch's pages as they now are: page 4 is the re-scan's, the rest as scanned
        assert batch.current_sha256 is not None
        now = _images(ws.objects.path_for(batch.current_sha256))
        assert now[:3] == _images(scanner / "balie-002.pdf")[:3] and now[3] == _images(rescan)[0]
        # the filed record: the same bestanden, with the new pages; the page kept is
        # the same image, byte for byte
        record = session.scalar(
            select(Informatieobject).where(Informatieobject.kenmerk == second.filed_as)
        )
        assert record is not None
        after = {b.role: (b.id, b.sha256) for b in record.bestanden}
        assert {r: i for r, (i, _s) in after.items()} == {r: i for r, (i, _s) in before.items()}
        assert after["original"][1] != before["original"][1]
        new_part = _images(ws.objects.path_for(after["original"][1]))
        assert new_part[0] == old_part[0] and new_part[1] == _images(rescan)[0]
        text = session.get(ContentText, after["pdfa"][1])
        assert text is not None and "erfpacht" in text.text.lower()
        # the record says so itself: the event Wijziging, in Dutch, naming both contents
        [change] = session.scalars(select(Event.resultaat).where(
            Event.informatieobject_id == record.id, Event.event_type == "Wijziging"))  # fmt: skip
        assert change is not None and "pagina's 4 van de stapel vervangen" in change
        assert before["original"][1] in change and after["original"][1] in change
        # the record that held no replaced page is as it was
        first_item = session.get(InboxItem, first.item_id)
        assert first_item is not None and first_item.sha256 == first_sha

    # approval files the re-scan with the report and the scanner's file
    inbox.file_items(ws, [first.item_id], dossier)
    approval = scan_review.approve_batch(ws, outcome.batch_id)
    with ws.readers() as session:
        report = session.scalar(
            select(Informatieobject).where(Informatieobject.kenmerk == approval.report_dossier)
        )
        assert report is not None
        kept = {
            b.sha256
            for b in session.scalars(
                select(Bestand)
                .join(Informatieobject, Informatieobject.id == Bestand.informatieobject_id)
                .where(Informatieobject.parent_id == report.id)
            )
        }
        assert {_sha(rescan), hashlib.sha256(scanner_bytes).hexdigest()} <= kept


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
