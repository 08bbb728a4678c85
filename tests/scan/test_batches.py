"""A scanner folder end to end: intake, split at sheets, OCR, checks, filing by sheet.

Real intake (``runner.process_once`` on a fake clock), real OCR, a real working
store; the batch is a synthetic scan with the app's own separator sheets.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from sqlalchemy import select

from recordsdesk.db.models import Bestand, ContentText, InboxItem, ScanBatch
from recordsdesk.errors import UserError
from recordsdesk.intake import folders, inbox, runner
from recordsdesk.scan.detect import find_sheets
from recordsdesk.scan.profile import ScanProfile
from recordsdesk.scan.sheet import SheetFields
from recordsdesk.services import (
    Workspace,
    create_dossier,
    open_workspace,
    scan_batches,
    scan_profiles,
    scan_review,
    show_dossier,
)
from recordsdesk.tasks import Cancelled, CancelToken
from tests.intake.conftest import FakeClock
from tests.scan.synth import Page, make_batch, make_tiff

pytestmark = pytest.mark.slow
ERFPACHT = "De erfpacht van het perceel Hoogstraat 3 is in 1998 afgekocht door de eigenaar."


@pytest.fixture
def ws(home: Path) -> Iterator[Workspace]:
    workspace = open_workspace(home)
    try:
        yield workspace
    finally:
        workspace.close()


def _intake(ws: Workspace) -> list[str]:
    clock = FakeClock()
    return runner.process_once(ws, quiet_period=2.0, clock=clock, sleep=clock.sleep)


def test_a_batch_becomes_records_filed_where_its_sheets_say(ws: Workspace, tmp_path: Path) -> None:
    dossier = create_dossier(ws, "Omgevingsvergunning Kerkstraat 12").kenmerk
    scanner = tmp_path / "scanner"
    scanner.mkdir()
    folders.add_drop_folder(ws, scanner, scan_profile="standaard", after_intake="keep")
    scan_profiles.save_profile(ws, "standaard", ScanProfile(dpi=200))  # the synthetic scans'
    unknown = dossier[:-1] + ("2" if dossier[-1] != "2" else "3")
    made = make_batch(
        [
            Page(),  # before any sheet: a record for the inbox
            Page(
                sheet=SheetFields(
                    dossier=dossier, documenttype="Besluit", titel="Besluit dakkapel", pages=1
                ),
                angle=180,
            ),
            Page(angle=2.5),  # skewed: flagged
            Page(sheet=SheetFields(dossier=unknown)),
            Page(text=""),  # blank: flagged, and the unknown dossier's record
        ],
        tmp_path / "batch.pdf",
    )
    batch_file = scanner / "scan-0001.pdf"
    made.rename(batch_file)
    original = hashlib.sha256(batch_file.read_bytes()).hexdigest()
    assert _intake(ws)
    [waiting] = scan_batches.pending_batches(ws)
    with pytest.raises(UserError, match="Nothing was filed") as refused:
        inbox.file_items(ws, [waiting], dossier)  # not filed whole by hand meanwhile
    assert "waiting to be taken apart" in refused.value.details[0].english()

    progress: list[tuple[int, int, str]] = []
    [outcome] = scan_batches.process_pending(ws, progress=lambda *p: progress.append(p))

    assert outcome.pages == 5 and outcome.flagged_pages == 2
    first, second, third = outcome.parts
    assert (first.pages, first.dossier, first.filed_as, first.reason) == ((0,), None, None, None)
    assert second.pages == (2,) and second.dossier == dossier and second.filed_as
    assert third.pages == (4,) and third.filed_as is None
    assert third.reason and unknown in third.reason and "dossier" in third.reason.lower()
    assert {label for _d, _t, label in progress} >= {"OCR", "Checking"}

    # the record filed by its sheet: title and type from the sheet, original + PDF/A
    detail = show_dossier(ws, dossier)
    [record] = detail.records
    assert record.title == "Besluit dakkapel" and record.kenmerk == second.filed_as
    with ws.readers() as session:
        bestanden = session.scalars(
            select(Bestand).where(Bestand.informatieobject_id == record.id)
        ).all()
        assert sorted(b.role for b in bestanden) == ["original", "pdfa"]
        pdfa = next(b for b in bestanden if b.role == "pdfa")
        text = session.get(ContentText, pdfa.sha256)
        assert text is not None and "omgevingsvergunning" in text.text.lower()
        batch = session.scalar(select(ScanBatch))
        assert batch is not None and batch.state == "needs_review" and batch.pages == 5
        checks = json.loads(batch.checks)
        assert [sorted(c["flags"]) for c in checks] == [[], [], ["skewed"], [], ["blank"]]
        # the OCR's confidence in every page it read; the sheets were not OCR'd
        assert [("confidence" in c) for c in checks] == [True, False, True, False, True]
        assert checks[0]["confidence"] > 70 and checks[4]["confidence"] is None
        # the scanner's file is kept whole, byte for byte, as the batch's item
        kept = session.get(InboxItem, batch.item_id)
        assert kept is not None and kept.sha256 == original
    assert ws.objects.check(original) is None

    # the inbox shows the records that wait, not the batch
    shown = {i.name: i for i in inbox.list_inbox(ws)}
    assert sorted(shown) == ["scan-0001 (p. 1).pdf", "scan-0001 (p. 5).pdf"]
    assert shown["scan-0001 (p. 5).pdf"].reason == third.reason
    assert scan_batches.pending_batches(ws) == []
    assert scan_batches.process_pending(ws) == []  # nothing is taken twice
    # the scanner's file is the batch's evidence: not filed or removed by hand
    with pytest.raises(UserError, match="Nothing was filed") as refused:
        inbox.file_items(ws, [waiting], dossier)
    assert "taken apart: file its records" in refused.value.details[0].english()
    with pytest.raises(UserError, match="taken apart"):
        inbox.discard_item(ws, waiting)


def test_a_multipage_tiff_of_two_simplex_passes_is_read_in_order(
    ws: Workspace, tmp_path: Path
) -> None:
    """Reading order: a letter, a sheet, then a record of two pages. A simplex feeder
    gave the fronts (1, 3) and then the backs turned over (4, 2), in one TIFF."""
    dossier = create_dossier(ws, "Erfpacht Hoogstraat 3").kenmerk
    scanner = tmp_path / "scanner"
    scanner.mkdir()
    scan_profiles.save_profile(ws, "duplex", ScanProfile(dpi=200, duplex_collation=True))
    folders.add_drop_folder(ws, scanner, scan_profile="duplex", after_intake="keep")
    reading = [Page(), Page(sheet=SheetFields(dossier=dossier, titel="Afkoop erfpacht")),
               Page(text=ERFPACHT), Page(text="Akkoord.\nJ. Jansen")]  # fmt: skip
    make_tiff([reading[0], reading[2], reading[3], reading[1]], tmp_path / "s.tif")
    (tmp_path / "s.tif").rename(scanner / "stapel.tif")
    _intake(ws)
    [outcome] = scan_batches.process_pending(ws)
    first, second = outcome.parts
    assert first.pages == (0,) and first.filed_as is None
    assert second.pages == (2, 3) and second.filed_as is not None
    [record] = show_dossier(ws, dossier).records
    assert record.title == "Afkoop erfpacht"
    with ws.readers() as session:
        texts = session.scalars(
            select(ContentText.text)
            .join(Bestand, Bestand.sha256 == ContentText.sha256)
            .where(Bestand.informatieobject_id == record.id)
        ).all()
        assert any("erfpacht" in text.lower() for text in texts)
    # the reviewer sees the pages in reading order, as a PDF (the TIFF stays as it came)
    shown = scan_review.batch_detail(ws, outcome.batch_id).batch_file
    assert shown.read_bytes().startswith(b"%PDF")
    assert [s is not None for s in find_sheets(shown)] == [False, True, False, False]


def test_a_page_count_other_than_the_sheets_waits_in_the_inbox(
    ws: Workspace, tmp_path: Path
) -> None:
    dossier = create_dossier(ws, "Subsidie buurtfeest").kenmerk
    scanner = tmp_path / "scanner"
    scanner.mkdir()
    scan_profiles.save_profile(ws, "standaard", ScanProfile(dpi=200))
    folders.add_drop_folder(ws, scanner, scan_profile="standaard", after_intake="keep")
    sheet = SheetFields(dossier=dossier, titel="Aanvraag", pages=2)  # one page went missing
    make_batch([Page(sheet=sheet), Page()], tmp_path / "b.pdf").rename(scanner / "b.pdf")
    _intake(ws)
    [outcome] = scan_batches.process_pending(ws)
    [part] = outcome.parts
    assert part.filed_as is None and part.reason is not None
    assert "2" in part.reason and "1" in part.reason
    assert show_dossier(ws, dossier).records == ()
    assert scan_batches.process_pending(ws) == []  # and it stays waiting, not filed later
    assert show_dossier(ws, dossier).records == ()


def test_a_scan_that_cannot_be_read_waits_with_its_reason(ws: Workspace, tmp_path: Path) -> None:
    scanner = tmp_path / "scanner"
    scanner.mkdir()
    folders.add_drop_folder(ws, scanner, scan_profile="standaard", after_intake="keep")
    (scanner / "kapot.tif").write_bytes(b"II*\x00" + b"\x00" * 100)  # a damaged TIFF
    _intake(ws)
    pending = scan_batches.pending_batches(ws)
    assert pending, inbox.list_inbox(ws)
    with pytest.raises(UserError, match="cannot be read"):
        scan_batches.process_batch(ws, pending[0])
    [item] = inbox.list_inbox(ws)
    assert item.reason and scan_batches.pending_batches(ws) == []
    scan_batches.retry_batch(ws, item.id)  # e.g. after it was scanned again
    assert scan_batches.pending_batches(ws) == [item.id]
    with pytest.raises(UserError, match="not a scan that stopped"):
        scan_batches.retry_batch(ws, item.id)


def test_a_damaged_jpeg_waits_with_its_reason_and_nothing_is_recorded(
    ws: Workspace, tmp_path: Path
) -> None:
    """A JPEG the scanner did not finish writing: refused with the page named."""
    from tests.scan.synth import page_images

    scanner = tmp_path / "scanner"
    scanner.mkdir()
    folders.add_drop_folder(ws, scanner, scan_profile="standaard", after_intake="keep")
    [image] = page_images([Page()], tmp_path)
    image.save(tmp_path / "heel.jpg", dpi=(200, 200), quality=80)
    whole = (tmp_path / "heel.jpg").read_bytes()
    (scanner / "afgebroken.jpg").write_bytes(whole[: len(whole) // 2])
    _intake(ws)
    [item_id] = scan_batches.pending_batches(ws)
    with pytest.raises(UserError, match="cannot be read") as refused:
        scan_batches.process_batch(ws, item_id)
    assert "page 1 is damaged" in refused.value.english()
    [item] = inbox.list_inbox(ws)
    assert item.reason and "pagina 1 is beschadigd" in item.reason
    assert scan_batches.pending_batches(ws) == [] and scan_batches.list_batches(ws) == []


def test_a_scanner_folder_needs_a_known_profile(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no scan profile named"):
        folders.add_drop_folder(ws, tmp_path, scan_profile="bestaat-niet")


def test_without_tesseract_a_batch_waits_and_is_taken_once_it_is_there(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scanner = tmp_path / "scanner"
    scanner.mkdir()
    folders.add_drop_folder(ws, scanner, scan_profile="standaard", after_intake="keep")
    scan_profiles.save_profile(ws, "standaard", ScanProfile(dpi=200))
    make_batch([Page()], tmp_path / "b.pdf").rename(scanner / "b.pdf")
    _intake(ws)
    empty = tmp_path / "bin"  # a computer without Tesseract: nothing on PATH
    empty.mkdir()
    old_path = os.environ["PATH"]
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(UserError, match="tesseract-ocr"):
        scan_batches.process_pending(ws)
    assert len(scan_batches.pending_batches(ws)) == 1  # still waiting, no reason set
    monkeypatch.setenv("PATH", old_path)  # Tesseract installed
    [outcome] = scan_batches.process_pending(ws)
    assert len(outcome.parts) == 1 and outcome.parts[0].reason is None


def test_a_cancelled_batch_resumes_without_ocr_of_what_was_done(
    ws: Workspace, tmp_path: Path
) -> None:
    """Cancelled while its second record is OCR'd, the batch waits; taken apart again,
    only that record is OCR'd (the first one's OCR was kept as it was made)."""
    scanner = tmp_path / "scanner"
    scanner.mkdir()
    scan_profiles.save_profile(ws, "standaard", ScanProfile(dpi=200))
    folders.add_drop_folder(ws, scanner, scan_profile="standaard", after_intake="keep")
    make_batch([Page(), Page(sheet=SheetFields()), Page(text=ERFPACHT)],
               tmp_path / "b.pdf").rename(scanner / "lang.pdf")  # fmt: skip
    _intake(ws)
    [item_id] = scan_batches.pending_batches(ws)
    token = CancelToken()
    ocr_runs: list[int] = []

    def cancel_in_the_second(done: int, _total: int, label: str) -> None:
        if label == "OCR" and done == 0:
            ocr_runs.append(1)
            if len(ocr_runs) == 2:
                token.cancel()

    with pytest.raises(Cancelled):
        scan_batches.process_batch(ws, item_id, progress=cancel_in_the_second, cancel=token)
    assert scan_batches.pending_batches(ws) == [item_id]  # waits, nothing recorded
    [waiting] = scan_batches.list_batches(ws)  # shown as waiting to be taken apart
    assert (waiting.id, waiting.name, waiting.state) == (item_id, "lang.pdf", "processing")

    resumed: list[tuple[int, int, str]] = []
    outcome = scan_batches.process_batch(ws, item_id, progress=lambda *p: resumed.append(p))
    assert outcome is not None and [p.pages for p in outcome.parts] == [(0,), (2,)]
    assert sum(1 for done, _t, label in resumed if label == "OCR" and done == 0) == 1
    with ws.readers() as session:
        texts = [session.get(ContentText, sha) for sha in _pdfa_shas(session, outcome)]
        assert all(t is not None and t.text.strip() for t in texts)
        assert any(t is not None and "erfpacht" in t.text.lower() for t in texts)


def _pdfa_shas(session: object, outcome: scan_batches.BatchOutcome) -> list[str]:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    shas = []
    for part in outcome.parts:
        item = session.get(InboxItem, part.item_id)
        assert item is not None
        shas += [d["sha256"] for d in json.loads(item.facts or "{}").get("derived", [])]
    return shas


def test_a_long_record_is_ocrd_in_chunks_and_resumes_within_it(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One record of three pages, OCR'd a page at a time (the chunk made small here;
    50 pages in use): cancelled in the second chunk, the rerun OCRs from there, and
    the record's PDF/A is the chunks joined: PDF/A-2b, three pages, text on each."""
    monkeypatch.setattr("recordsdesk.scan.ocr_record.OCR_CHUNK", 1)
    scanner = tmp_path / "scanner"
    scanner.mkdir()
    scan_profiles.save_profile(ws, "standaard", ScanProfile(dpi=200))
    folders.add_drop_folder(ws, scanner, scan_profile="standaard", after_intake="keep")
    make_batch([Page(), Page(text=ERFPACHT), Page(angle=180)], tmp_path / "b.pdf").rename(
        scanner / "dik.pdf"
    )
    _intake(ws)
    [item_id] = scan_batches.pending_batches(ws)
    token = CancelToken()
    seen: list[tuple[int, int]] = []

    def cancel_in_page_two(done: int, total: int, label: str) -> None:
        if label == "OCR":
            seen.append((done, total))
            if seen.count((1, 3)) == 2:  # the second chunk starts: the first one is kept
                token.cancel()

    with pytest.raises(Cancelled):
        scan_batches.process_batch(ws, item_id, progress=cancel_in_page_two, cancel=token)
    assert seen[0] == (0, 3)  # the record's pages are counted, not the chunk's

    resumed: list[tuple[int, int]] = []
    outcome = scan_batches.process_batch(
        ws, item_id, progress=lambda d, t, label: resumed.append((d, t)) if label == "OCR" else None
    )
    assert outcome is not None and [p.pages for p in outcome.parts] == [(0, 1, 2)]
    assert (0, 3) not in resumed and resumed[-1] == (3, 3)  # page 1 was not OCR'd again
    with ws.readers() as session:
        [sha] = _pdfa_shas(session, outcome)
        text = session.get(ContentText, sha)
        assert text is not None and "erfpacht" in text.text.lower()
        batch = session.scalar(select(ScanBatch))
        assert batch is not None
        assert [c["confidence"] > 60 for c in json.loads(batch.checks)] == [True] * 3, batch.checks
    with pikepdf.open(ws.objects.path_for(sha)) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B" and len(pdf.pages) == 3
    document = pypdfium2.PdfDocument(str(ws.objects.path_for(sha)))
    try:
        assert all(document[i].get_textpage().count_chars() > 50 for i in range(3))
    finally:
        document.close()
