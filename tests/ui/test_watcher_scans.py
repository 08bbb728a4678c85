"""The open window's watcher takes scanned batches apart beside intake, with its
progress in the status bar and the outcome told there (real window, real OCR)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.exceptions import TimeoutError as WaitTimedOut
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QSettings

from recordsdesk import services
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.scan.profile import ScanProfile
from recordsdesk.services import scan_batches, scan_profiles
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.ops import Ops
from tests.scan.synth import Page, make_batch
from tests.ui.conftest import WAIT_MS
from tests.ui.test_watcher import open_watching

pytestmark = pytest.mark.slow


@pytest.fixture
def scanner(home: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "Scanner"
    folder.mkdir()
    ws = services.open_workspace(home)
    try:
        scan_profiles.save_profile(ws, "standaard", ScanProfile(dpi=200))
        add_drop_folder(ws, folder, scan_profile="standaard", after_intake="keep")
    finally:
        ws.close()
    return folder


@pytest.fixture
def watching(
    qtbot: QtBot, ops: Ops, ui_settings_file: QSettings, home: Path, scanner: Path
) -> Iterator[MainWindow]:
    win = open_watching(qtbot, ops, ui_settings_file, home)
    yield win
    win.close()


def test_a_batch_is_taken_apart_by_the_windows_watcher(
    qtbot: QtBot, watching: MainWindow, scanner: Path, home: Path, tmp_path: Path
) -> None:
    window = watching
    shown: list[str] = []
    window.watch.watcher.scan_progress.connect(
        lambda *_args: shown.append(window.watch.scan_indicator.text())
    )
    make_batch([Page(), Page(angle=2.5)], tmp_path / "b.pdf").rename(scanner / "scan-7.pdf")
    told = "scan-7.pdf: 1 stukken uit 2 pagina's"
    try:
        qtbot.waitUntil(lambda: told in window.status_label.text(), timeout=WAIT_MS * 3)
    except WaitTimedOut as timeout:  # say what the window did show instead
        raise AssertionError((window.status_label.text(), shown[-5:])) from timeout
    assert "1 gemarkeerd" in window.status_label.text()
    assert any(text.startswith("OCR scan-7.pdf: ") and "van 2 pagina's" in text
               for text in shown), shown  # fmt: skip
    assert not window.watch.scan_indicator.isVisible()  # done: the progress is gone
    ws = services.open_workspace(home)
    try:
        [batch] = scan_batches.list_batches(ws)
        assert (batch.name, batch.state, batch.pages) == ("scan-7.pdf", "needs_review", 2)
    finally:
        ws.close()
