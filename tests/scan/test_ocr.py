"""OCR to PDF/A-2b with the real ocrmypdf and Tesseract (Dutch), on synthetic scans.

Kept to one and two pages: OCR costs about two CPU-seconds a page here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from recordsdesk.errors import UserError
from recordsdesk.scan import _ocr_worker as worker
from recordsdesk.scan.ocr import OcrSettings, make_pdfa, missing_packages, needs_ocr
from recordsdesk.tasks import Cancelled, CancelToken
from tests.scan.synth import Page, make_batch

pytestmark = pytest.mark.slow
WORDS = ("besluit", "aanvraag", "omgevingsvergunning", "gemeente", "bezwaar", "Rotterdam")


def _text(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def test_a_scan_becomes_a_searchable_pdfa_and_the_original_stays(tmp_path: Path) -> None:
    """Page 2 was scanned upside down: it is turned before Tesseract reads it. Page 3
    holds marks but no words: its confidence says that Tesseract recognised nothing."""
    pages = [Page(angle=0.8), Page(angle=180, dpi=300), Page(text="~  ~  ~")]
    scan = make_batch(pages, tmp_path / "scan.pdf")
    original = scan.read_bytes()
    assert needs_ocr(scan)
    progress: list[tuple[int, int]] = []
    out = tmp_path / "scan-pdfa.pdf"
    report = make_pdfa(
        scan, out, progress=lambda done, total, _label: progress.append((done, total))
    )

    assert scan.read_bytes() == original  # the scanner's file is never changed
    with pikepdf.open(out) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
        assert len(pdf.pages) == 3
    for text in _text(out)[:2]:
        found = [word for word in WORDS if word.lower() in text.lower()]
        assert len(found) >= 5, (found, text)
    assert progress[-1] == (3, 3)
    assert sorted(report.confidence) == [1, 2, 3]
    first, upside_down, noise = (report.confidence[page] for page in (1, 2, 3))
    assert first is not None and first > 70 and upside_down is not None and upside_down > 70
    assert noise is None
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temps

    # A PDF/A needs OCR while a page has no text (page 3) ...
    assert needs_ocr(out)
    # ... and none once every page has text.
    with pikepdf.open(out, allow_overwriting_input=True) as pdf:
        del pdf.pages[2]
        pdf.save(out)
    assert not needs_ocr(out)


def test_an_encrypted_scan_is_refused_with_a_reason(tmp_path: Path) -> None:
    scan = make_batch([Page()], tmp_path / "scan.pdf")
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(scan) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(user="geheim", owner="geheim"))
    out = tmp_path / "out.pdf"
    with pytest.raises(UserError, match="encrypted"):
        make_pdfa(locked, out)
    assert not out.exists()


def test_a_damaged_scan_is_refused_with_a_reason(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.4\nnot a pdf at all")
    with pytest.raises(UserError, match="cannot be read"):
        make_pdfa(damaged, tmp_path / "out.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["damaged.pdf"]


def test_missing_tesseract_names_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a computer without Tesseract
    assert missing_packages(("nld",)) == ["tesseract-ocr"]
    with pytest.raises(UserError, match="tesseract-ocr") as raised:
        make_pdfa(tmp_path / "scan.pdf", tmp_path / "out.pdf")
    assert "Other files are taken in as usual" in raised.value.english()


def test_a_missing_language_names_its_package() -> None:
    assert missing_packages(("nld", "xyz")) == ["tesseract-ocr-xyz"]


def test_cancel_stops_the_worker_and_leaves_nothing(tmp_path: Path) -> None:
    scan = make_batch([Page(), Page()], tmp_path / "scan.pdf")
    token = CancelToken()
    out = tmp_path / "out.pdf"
    with pytest.raises(Cancelled):
        make_pdfa(
            scan,
            out,
            OcrSettings(jobs=1),
            progress=lambda _done, _total, _label: token.cancel(),
            cancel=token,
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scan.pdf"]


def test_a_worker_whose_parent_is_already_gone_does_not_start(tmp_path: Path) -> None:
    # The parent can die between starting the worker and the worker asking to be
    # killed with it; then no signal ever comes, so the worker must see it itself.
    out = tmp_path / "out.pdf"
    options = json.dumps({"input": str(tmp_path / "in.pdf"), "output": str(out)})
    env = {**os.environ, worker.PARENT_VARIABLE: "1"}  # not the process that started it
    ran = subprocess.run(
        [sys.executable, "-m", "recordsdesk.scan._ocr_worker", options],
        env=env, capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    assert ran.returncode == worker.EXIT_ORPHANED
    assert not out.exists()
