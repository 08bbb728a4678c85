"""The inbox panel end to end: a real drop folder, real files, real intake, real workers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from recordsdesk import services
from recordsdesk.intake import runner
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.intake.inbox import list_inbox
from recordsdesk.services.dto import Created
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.models.dossiers import RECORDS
from recordsdesk.ui.models.inbox import NAME, SIZE, STATE, InboxModel
from recordsdesk.ui.ops import Ops
from tests.ui import samples
from tests.ui.conftest import WAIT_MS, open_window, settle


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "scanner"
    folder.mkdir()
    return folder


@pytest.fixture
def filled(home: Path, dossier: Created, drop: Path) -> list[str]:
    """Three files brought into the inbox through the intake service (one a duplicate)."""
    samples.make_text(drop / "notitie.txt")
    samples.make_png(drop / "tekening.png")
    samples.make_pdf(drop / "besluit.pdf")
    ws = services.open_workspace(home)
    try:
        add_drop_folder(ws, drop)
        runner.process_once(ws, quiet_period=0)
        samples.make_text(drop / "notitie kopie.txt")  # the same content again
        runner.process_once(ws, quiet_period=0)
        return [item.id for item in list_inbox(ws)]
    finally:
        ws.close()


def settle_inbox(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.ops.pending == 0 and not window.inbox.loading, timeout=WAIT_MS)
    settle(qtbot, window)


@pytest.fixture
def inbox_window(
    qtbot: QtBot, ops: Ops, ui_settings_file: QSettings, home: Path, filled: list[str]
) -> Iterator[MainWindow]:
    win = open_window(qtbot, ops, ui_settings_file, home)
    settle_inbox(qtbot, win)
    yield win
    win.close()


def column(window: MainWindow, col: int) -> list[str]:
    model = window.inbox.model
    return [model.index(row, col).data() for row in range(model.rowCount())]


def select_names(window: MainWindow, names: set[str]) -> None:
    ids = {i.id for i in window.inbox.model.items() if i.name in names}
    window.inbox.select_ids(ids)
    assert {i.name for i in window.inbox.selected_items()} == names


def test_the_panel_shows_the_inbox(inbox_window: MainWindow, filled: list[str]) -> None:
    window = inbox_window
    assert window.inbox_dock.isVisible()
    assert window.inbox.model.rowCount() == len(filled) == 4
    assert sorted(column(window, NAME)) == [
        "besluit.pdf",
        "notitie kopie.txt",
        "notitie.txt",
        "tekening.png",
    ]
    states = dict(zip(column(window, NAME), column(window, STATE), strict=True))
    assert states["notitie kopie.txt"] == "dubbel"
    assert states["besluit.pdf"] == "gereed"
    assert all(column(window, SIZE))
    assert window.inbox.label.text() == "Inbo&x (4)"
    assert window.inbox.view.placeholder == ""
    assert window.inbox.model.headerData(0, Qt.Orientation.Horizontal) == "Naam"


def test_actions_have_shortcuts_names_and_reasons(inbox_window: MainWindow) -> None:
    panel = inbox_window.inbox
    assert panel.file_action.shortcut().toString() == "Ctrl+Shift+O"
    assert panel.discard_action.shortcut().toString() == "Del"
    assert panel.retry_action.shortcut().toString() == "Ctrl+Shift+R"
    assert panel.process_action.shortcut().toString() == "Ctrl+Shift+I"
    assert panel.file_action.text() == "In &dossier archiveren"
    assert panel.discard_action.text() == "&Verwijderen uit inbox…"
    for act in panel.actions_:
        button = panel.toolbar.widgetForAction(act)
        assert button is not None and button.accessibleName(), act.objectName()
    assert panel.view.accessibleName() == "Inbox-items"
    # nothing selected: filing is off and the tooltip says why
    panel.view.clearSelection()
    assert not panel.file_action.isEnabled()
    assert "Kies een of meer inbox-items" in panel.file_action.toolTip()
    assert not panel.retry_action.isEnabled()
    assert panel.process_action.isEnabled()


def test_filing_needs_a_selected_dossier(qtbot: QtBot, inbox_window: MainWindow) -> None:
    window = inbox_window
    select_names(window, {"besluit.pdf"})
    assert window.inbox.file_action.isEnabled()
    window.dossier_panel.view.clearSelection()
    window.dossier_panel.view.setCurrentIndex(window.dossiers.index(-1, -1))
    qtbot.waitUntil(lambda: window.current_dossier_kenmerk() is None, timeout=WAIT_MS)
    assert not window.inbox.file_action.isEnabled()
    assert "Kies eerst een dossier" in window.inbox.file_action.toolTip()


def test_filing_selected_items_moves_them_into_the_dossier(
    qtbot: QtBot, inbox_window: MainWindow, dossier: Created, home: Path
) -> None:
    window = inbox_window
    assert window.current_dossier_id() == dossier.id
    assert window.records.rowCount() == 0
    select_names(window, {"besluit.pdf", "tekening.png"})
    assert window.inbox.file_action.isEnabled()
    with qtbot.waitSignal(window.inbox.filed, timeout=WAIT_MS):
        window.inbox.file_action.trigger()
    qtbot.waitUntil(lambda: window.records.rowCount() == 2, timeout=WAIT_MS)
    settle_inbox(qtbot, window)

    assert sorted(column(window, NAME)) == ["notitie kopie.txt", "notitie.txt"]
    titles = sorted(window.records.index(r, 1).data() for r in range(2))
    assert all(titles)
    qtbot.waitUntil(lambda: str(window.dossiers.index(0, RECORDS).data()) == "2", timeout=WAIT_MS)
    selected = {
        window.records.row_id(i.row())
        for i in window.record_panel.view.selectionModel().selectedRows()
    }
    assert len(selected) == 2  # the new records are selected, as after "File documents…"
    assert "gearchiveerd in dossier" in window.status_label.text()
    ws = services.open_workspace(home)
    try:
        assert len(services.record_ids(ws, dossier.id)) == 2
    finally:
        ws.close()


def test_discard_asks_first(qtbot: QtBot, inbox_window: MainWindow) -> None:
    window = inbox_window
    select_names(window, {"notitie kopie.txt"})
    box = window.inbox.ask_discard()
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "notitie kopie.txt" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    settle_inbox(qtbot, window)
    assert window.inbox.model.rowCount() == 4

    select_names(window, {"notitie kopie.txt"})
    window.inbox.discard_action.trigger()
    box = window.inbox.confirm
    assert box is not None and box.isVisible()
    remove = next(b for b in box.buttons() if b.text() == "&Verwijderen")
    remove.click()
    qtbot.waitUntil(lambda: window.inbox.model.rowCount() == 3, timeout=WAIT_MS)
    settle_inbox(qtbot, window)
    assert "notitie kopie.txt" not in column(window, NAME)
    assert "uit de inbox verwijderd" in window.status_label.text()


def test_empty_inbox_says_so(window: MainWindow, qtbot: QtBot) -> None:
    settle_inbox(qtbot, window)
    assert window.inbox.model.rowCount() == 0
    hint = window.inbox.view.placeholder
    assert hint.startswith(
        "De inbox is leeg. Bestanden in een bewaakte map verschijnen hier vanzelf."
    )
    assert "recordsdesk dropfolder add" in hint
    assert window.inbox.view.accessibleDescription() == hint


def test_process_now_brings_new_files_in(
    qtbot: QtBot, inbox_window: MainWindow, drop: Path
) -> None:
    window = inbox_window
    window.inbox.quiet_period = 0
    samples.make_text(drop / "brief.txt", "Een nieuwe brief.\n")
    window.inbox.process_action.trigger()
    qtbot.waitUntil(lambda: window.inbox.model.rowCount() == 5, timeout=WAIT_MS)
    settle_inbox(qtbot, window)
    assert "brief.txt" in column(window, NAME)
    assert "Invoermappen verwerkt" in window.status_label.text()


def test_the_model_passes_the_model_tester(
    qtmodeltester: ModelTester, inbox_window: MainWindow
) -> None:
    qtmodeltester.check(inbox_window.inbox.model)
    empty = InboxModel()
    qtmodeltester.check(empty)
