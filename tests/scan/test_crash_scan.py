"""Kill -9 while a scanned batch is taken apart, run again, and find it whole, once.

A real ``recordsdesk scan process`` runs in a subprocess; the test watches the
SQLite database (read-only) and sends SIGKILL as soon as the first record's OCR
has been kept (``scan_ocr_result``), i.e. while the second record is OCR'd. The
OCR worker dies with it. Run again, the batch is taken apart once: its records
filed by their sheet, the first record's OCR recalled rather than made again,
the scanner's file byte for byte as it came, and no temp file left behind.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from recordsdesk.intake import folders
from recordsdesk.scan.profile import ScanProfile
from recordsdesk.scan.sheet import SheetFields
from recordsdesk.services import (
    create_dossier,
    open_workspace,
    scan_batches,
    scan_profiles,
    show_dossier,
)
from tests.core.samples import temp_files
from tests.scan.synth import Page, make_batch
from tests.scan.test_batches import _intake

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def _ocr_results(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as connection:
            return int(connection.execute("SELECT count(*) FROM scan_ocr_result").fetchone()[0])
    except sqlite3.Error:  # locked for a moment
        return 0


def _workers() -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if "recordsdesk.scan._ocr_worker" in " ".join(process.info["cmdline"] or []):
            found.append(process)
    return found


def test_killed_while_ocr_runs_the_batch_is_taken_apart_once(home: Path, tmp_path: Path) -> None:
    ws = open_workspace(home)
    try:
        dossier = create_dossier(ws, "Vergunning Schiekade 8").kenmerk
        scanner = tmp_path / "scanner"
        scanner.mkdir()
        scan_profiles.save_profile(ws, "standaard", ScanProfile(dpi=200))
        folders.add_drop_folder(ws, scanner, scan_profile="standaard", after_intake="keep")
        pages = [Page(), Page(sheet=SheetFields(dossier=dossier, titel="Vergunning")), Page()]
        make_batch(pages, tmp_path / "b.pdf").rename(scanner / "balie.pdf")
        scanned = hashlib.sha256((scanner / "balie.pdf").read_bytes()).hexdigest()
        _intake(ws)
    finally:
        ws.close()

    env = {**os.environ, "RECORDSDESK_HOME": str(home), "LANG": "C.UTF-8"}
    child = subprocess.Popen(
        [sys.executable, "-m", "recordsdesk.cli", "scan", "process"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=REPO,
    )  # fmt: skip
    db = home / "local.sqlite"
    assert db.exists(), sorted(p.name for p in home.iterdir())
    deadline = time.monotonic() + 120  # a bound against hanging, not an assertion
    while child.poll() is None and _ocr_results(db) < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert child.poll() is None, child.stderr.read() if child.stderr else ""
    running = [w for w in _workers() if w.ppid() == child.pid]
    for _ in range(100):  # the second record's OCR worker is starting
        if running:
            break
        time.sleep(0.05)
        running = [w for w in _workers() if w.ppid() == child.pid]
    assert running, "no OCR worker to outlive the kill"
    child.send_signal(signal.SIGKILL)
    child.wait()
    # the OCR worker dies with the process that started it: no OCR runs on after a crash
    gone, alive = psutil.wait_procs(running, timeout=5)
    assert alive == [] and gone

    ws = open_workspace(home)  # opening cleans up what the dead process left
    try:
        assert scan_batches.list_batches(ws)[0].state == "processing"  # nothing recorded
        progress: list[tuple[int, int, str]] = []
        [outcome] = scan_batches.process_pending(ws, progress=lambda *p: progress.append(p))
        # the first record's OCR was kept before the kill: only the second is OCR'd now
        assert sum(1 for done, _t, label in progress if label == "OCR" and done == 0) == 1
        assert [p.pages for p in outcome.parts] == [(0,), (2,)]
        assert outcome.parts[1].filed_as is not None
        assert [r.title for r in show_dossier(ws, dossier).records] == ["Vergunning"]
        assert scan_batches.process_pending(ws) == []  # never twice
        assert [b.state for b in scan_batches.list_batches(ws)] == ["needs_review"]
        assert ws.objects.check(scanned) is None
        assert hashlib.sha256((tmp_path / "scanner" / "balie.pdf").read_bytes()).hexdigest() == (
            scanned
        )
        assert [p for p in temp_files(ws.layout.root / "objects") if "lock" not in p.name] == []
    finally:
        ws.close()
