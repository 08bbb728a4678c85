"""The scanned batches window: a real batch taken apart by the services, reviewed and
approved through the real widgets (offscreen), in Dutch."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog

from recordsdesk import services
from recordsdesk.intake import folders
from recordsdesk.scan.profile import ScanProfile
from recordsdesk.scan.sheet import SheetFields
from recordsdesk.services import scan_batches, scan_profiles
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.views.scan_batches import ScanBatchesView
from tests.scan.synth import Page, make_batch
from tests.scan.test_batches import _intake
from tests.ui.conftest import WAIT_MS

pytestmark = pytest.mark.slow


@pytest.fixture
def batch(home: Path, tmp_path: Path) -> str:
    """A batch of three pages taken apart: a sheet for an open dossier, a good page and
    a skewed one; its one record filed by the sheet."""
    ws = services.open_workspace(home)
    try:
        dossier = services.create_dossier(ws, "Aanvraag kapvergunning Vondelweg 3").kenmerk
        scanner = tmp_path / "scanner"
        scanner.mkdir()
        scan_profiles.save_profile(ws, "standaard", ScanProfile(dpi=200))
        folders.add_drop_folder(ws, scanner, scan_profile="standaard", after_intake="keep")
        pages = [Page(sheet=SheetFields(dossier=dossier, titel="Aanvraag")), Page(),
                 Page(angle=2.5)]  # fmt: skip
        make_batch(pages, tmp_path / "b.pdf").rename(scanner / "balie-002.pdf")
        _intake(ws)
        [outcome] = scan_batches.process_pending(ws)
        assert outcome.parts[0].filed_as
        return outcome.batch_id
    finally:
        ws.close()


def _accept_next_input(text: str) -> None:
    """Type ``text`` into the next input dialog and press OK (as a reviewer would)."""

    def answer() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, QInputDialog) and w.isVisible())  # fmt: skip
        dialog.setTextValue(text)
        dialog.accept()

    QTimer.singleShot(300, answer)


def test_review_and_approve_a_batch(qtbot: QtBot, batch: str, window: MainWindow) -> None:
    # the batch is taken apart before the window opens: its watcher would race the
    # fixture for it otherwise (it runs in a process of its own)
    window.tools.scan_batches_action.trigger()  # Inbox › Gescande stapels… (Ctrl+Shift+B)
    view = window.findChild(ScanBatchesView)
    assert view is not None and view.windowTitle() == "Gescande stapels"
    qtbot.waitUntil(lambda: view.detail is not None, timeout=WAIT_MS)
    assert view.model.rowCount() == 1
    assert view.model.data(view.model.index(0, 1), 0) == "te beoordelen"
    # the thumbnails arrive from the IO pool; the flagged page is shown first
    qtbot.waitUntil(lambda: all(not view.pages_model.item(r).icon().isNull()
                                for r in range(3)), timeout=WAIT_MS)  # fmt: skip
    assert [view.pages_model.item(r).text() for r in range(3)] == ["1", "2", "3 ⚠"]
    assert view.strip.currentIndex().row() == 2
    assert "scheef" in view.findings.text() and "Pagina 3" in view.findings.text()
    qtbot.waitUntil(lambda: view.page.pixmap() is not None and not view.page.pixmap().isNull(),
                    timeout=WAIT_MS)  # fmt: skip
    assert "Stuk 1 (pagina's 2-3)" in view.summary.text()
    assert not view.sample_button.isVisible() and view.approve_button.isEnabled()
    for widget in (view.table, view.strip, view.page, view.approve_button, view.reject_button):
        assert widget.accessibleName()

    _accept_next_input("Alles leesbaar")
    view.approve_button.click()
    qtbot.waitUntil(lambda: view.detail is not None and view.detail.state == "approved",
                    timeout=WAIT_MS)  # fmt: skip
    assert "goedgekeurd" in view.summary.text() and "Alles leesbaar" in view.summary.text()
    assert not view.approve_button.isEnabled() and not view.reject_button.isEnabled()


def test_ask_for_a_rescan_and_replace_the_pages(
    qtbot: QtBot,
    batch: str,  # before the window: see test_review_and_approve_a_batch
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Page 3 (skewed) is selected in the strip, a re-scan asked for, and the re-scan
    chosen in the file dialog replaces it: the batch is under review again."""
    window.tools.scan_batches_action.trigger()
    view = window.findChild(ScanBatchesView)
    assert view is not None
    qtbot.waitUntil(lambda: view.detail is not None, timeout=WAIT_MS)
    assert view.strip.currentIndex().row() == 2  # the flagged page, selected
    assert view.rescan_button.isEnabled() and not view.replace_button.isVisible()
    assert view.rescan_button.accessibleName() and view.replace_button.accessibleName()

    _accept_next_input("scheef ingevoerd")
    view.rescan_button.click()
    qtbot.waitUntil(lambda: view.detail is not None and view.detail.state == "rescan",
                    timeout=WAIT_MS)  # fmt: skip
    assert "Opnieuw te scannen: pagina's 3" in view.summary.text()
    assert view.replace_button.isVisible() and not view.approve_button.isEnabled()

    rescan = make_batch([Page()], tmp_path / "herscan.pdf", seed=5)
    monkeypatch.setattr(  # the user picks the re-scan in the file dialog
        "recordsdesk.ui.views.scan_batches.QFileDialog.getOpenFileName",
        lambda *_args: (str(rescan), ""),
    )
    view.replace_button.click()
    qtbot.waitUntil(lambda: view.detail is not None and view.detail.state == "needs_review",
                    timeout=WAIT_MS * 3)  # fmt: skip
    assert [view.pages_model.item(r).text() for r in range(3)] == ["1", "2", "3 ↻"]
    assert view.approve_button.isEnabled() and not view.replace_button.isVisible()


def test_a_batch_waiting_to_be_taken_apart_is_listed_as_such(
    qtbot: QtBot, window: MainWindow, home: Path, tmp_path: Path
) -> None:
    ws = services.open_workspace(home)
    try:
        scanner = tmp_path / "scanner"
        scanner.mkdir()
        folders.add_drop_folder(ws, scanner, scan_profile="standaard", after_intake="keep")
        make_batch([Page()], tmp_path / "b.pdf").rename(scanner / "wacht.pdf")
        _intake(ws)  # taken in, not yet taken apart
    finally:
        ws.close()
    window.tools.scan_batches_action.trigger()
    view = window.findChild(ScanBatchesView)
    assert view is not None
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=WAIT_MS)
    assert view.model.data(view.model.index(0, 1), 0) == "wordt verwerkt"
    qtbot.waitUntil(lambda: "wacht.pdf wordt verwerkt" in view.summary.text(), timeout=WAIT_MS)
    assert view.detail is None and not view.approve_button.isEnabled()
    assert not view.rescan_button.isEnabled()
