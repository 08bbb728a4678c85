"""Approving a scanned batch: the vervanging evidence (events, report, the scanner's file)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from sqlalchemy import select

from recordsdesk import i18n
from recordsdesk.db.models import Bestand, Event, Informatieobject, ScanBatch
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
    scan_review,
)
from tests.scan.synth import Page, make_batch
from tests.scan.test_batches import _intake

pytestmark = pytest.mark.slow
TODAY = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def ws(home: Path) -> Iterator[Workspace]:
    workspace = open_workspace(home)
    workspace.clock = lambda: TODAY
    try:
        yield workspace
    finally:
        workspace.close()


def _batch(ws: Workspace, tmp_path: Path, profile: ScanProfile) -> scan_batches.BatchOutcome:
    dossier = create_dossier(ws, "Bezwaar WOZ Coolsingel 40").kenmerk
    scanner = tmp_path / "scanner"
    scanner.mkdir()
    scan_profiles.save_profile(ws, "balie", profile)
    folders.add_drop_folder(ws, scanner, scan_profile="balie", after_intake="keep")
    pages = [Page(), Page(sheet=SheetFields(dossier=dossier, titel="Bezwaarschrift")), Page()]
    made = make_batch(pages, tmp_path / "b.pdf")
    with pikepdf.open(made, allow_overwriting_input=True) as pdf:  # as the scanner writes it
        pdf.docinfo["/Creator"] = "Xerox AltaLink C8055"
        pdf.save(made)
    made.rename(scanner / "balie-001.pdf")
    _intake(ws)
    ws.actor = "scanner.jansen"
    [outcome] = scan_batches.process_pending(ws)
    ws.actor = "kwaliteit.devries"
    return outcome


def test_approval_records_the_evidence(ws: Workspace, tmp_path: Path) -> None:
    outcome = _batch(ws, tmp_path, ScanProfile(dpi=200))
    first, second = outcome.parts
    with pytest.raises(UserError, match="1 still wait in the inbox"):
        scan_review.approve_batch(ws, outcome.batch_id)
    dossier = second.dossier
    assert dossier is not None
    inbox.file_items(ws, [first.item_id], dossier)  # filed by hand

    i18n.set_language("en")  # the reviewer works in English; the evidence stays Dutch
    try:
        approval = scan_review.approve_batch(ws, outcome.batch_id, note="Alles leesbaar")
    finally:
        i18n.set_language("nl")
    assert approval.records == 2 and approval.destroy_paper_after == dt.date(2027, 5, 30)
    with ws.readers() as session:
        batch = session.get(ScanBatch, outcome.batch_id)
        assert batch is not None and batch.state == "approved" and batch.review_mode == "all"
        assert batch.decided_by == "kwaliteit.devries" and batch.decision_note == "Alles leesbaar"
        events = session.execute(select(Event.event_type, Event.verantwoordelijke_actor,
                                        Event.resultaat)
                                 .where(Event.event_type.in_(("Digitalisering", "Vervanging")))
                                 ).all()  # fmt: skip
        assert sorted(e[0] for e in events) == ["Digitalisering"] * 2 + ["Vervanging"] * 2
        vervanging = next(e for e in events if e[0] == "Vervanging")
        assert vervanging[1] == "kwaliteit.devries" and "2027-05-30" in (vervanging[2] or "")
        assert "mag vernietigd worden na" in (vervanging[2] or "")  # Dutch under --lang en
        digitalisering = next(e for e in events if e[0] == "Digitalisering")
        assert "scanner.jansen" in (digitalisering[2] or "") and "balie" in digitalisering[2]
        assert "op Xerox AltaLink C8055, uit de scannermap" in digitalisering[2]
        assert str(tmp_path / "scanner") in digitalisering[2]
        report = session.scalar(
            select(Informatieobject).where(Informatieobject.kenmerk == approval.report_dossier)
        )
        assert report is not None and report.waardering == "B"
        children = select(Informatieobject).where(Informatieobject.parent_id == report.id)
        records = session.scalars(children).all()
        in_report = Bestand.informatieobject_id.in_([r.id for r in records])
        files = session.scalars(select(Bestand).where(in_report)).all()
        names = sorted(f.original_name for f in files)
        assert names == ["balie-001.pdf", "paginas.csv", "verslag-van-vervanging.pdf"]
        scanner_file = next(f for f in files if f.original_name == "balie-001.pdf")
        pdf = next(f for f in files if f.original_name == "verslag-van-vervanging.pdf")
    with pikepdf.open(ws.objects.path_for(pdf.sha256)) as report_pdf:
        assert report_pdf.open_metadata().pdfa_status == "2B"
    assert ws.objects.check(scanner_file.sha256) is None
    assert inbox.list_inbox(ws) == []  # nothing of the batch waits any more
    with pytest.raises(UserError, match="no longer under review"):
        scan_review.approve_batch(ws, outcome.batch_id)


def test_approval_by_sample_and_rejection(ws: Workspace, tmp_path: Path) -> None:
    outcome = _batch(ws, tmp_path, ScanProfile(dpi=200, sample_size=2))
    dossier = outcome.parts[1].dossier
    assert dossier is not None
    inbox.file_items(ws, [outcome.parts[0].item_id], dossier)
    with pytest.raises(UserError, match="Draw the sample"):
        scan_review.approve_batch(ws, outcome.batch_id, sampled=[1, 2])
    sample = scan_review.sample_pages(ws, outcome.batch_id)
    assert scan_review.sample_pages(ws, outcome.batch_id) == sample  # drawn once
    other = sorted({1, 2, 3} - set(sample))[:1] + sample[:1]  # the right count, not the sample
    assert len(sample) == 2 and all(1 <= p <= 3 for p in sample)
    for wrong in ((), (1,), (1, 9), tuple(other)):
        with pytest.raises(UserError, match="sample"):
            scan_review.approve_batch(ws, outcome.batch_id, sampled=wrong)
    with pytest.raises(UserError, match="Say why"):
        scan_review.reject_batch(ws, outcome.batch_id, " ")
    scan_review.approve_batch(ws, outcome.batch_id, sampled=sample)
    with ws.readers() as session:
        batch = session.get(ScanBatch, outcome.batch_id)
        assert batch is not None and batch.review_mode == "sample"
        assert json.loads(batch.sampled_pages or "[]") == sample
        vervanging = session.scalar(select(Event.resultaat).where(Event.event_type == "Vervanging"))
        assert vervanging is not None and ", ".join(map(str, sample)) in vervanging
    with pytest.raises(UserError, match="no longer under review"):
        scan_review.reject_batch(ws, outcome.batch_id, "te laat")
