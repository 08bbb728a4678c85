"""The Sync menu, indicator and panel against a real central archive (the embedded one):
progress, the sync column, a real conflict shown side by side and settled by keyboard."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from PySide6.QtCore import Qt

from recordsdesk.archive.central.connection import set_central
from recordsdesk.db.models import Informatieobject
from recordsdesk.services import open_workspace
from recordsdesk.services.dto import Created
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.models.dossiers import SYNC
from recordsdesk.ui.views.sync_panel import SyncPanel
from tests.ui.conftest import WAIT_MS, password_dialog, settle, sync_station


def _rename(home: Path, kenmerk: str, naam: str) -> None:
    ws = open_workspace(home)
    try:
        with ws.sessions() as session, session.begin():
            row = session.scalars(
                select(Informatieobject).where(Informatieobject.kenmerk == kenmerk)
            ).one()
            row.naam = naam
    finally:
        ws.close()


def _run(qtbot: QtBot, window: MainWindow) -> None:
    scheduler = window.sync.scheduler
    with qtbot.waitSignal(window.sync.synced, timeout=WAIT_MS):
        assert scheduler.sync_now()
    settle(qtbot, window)


def _other_station(tmp_path: Path, home: Path) -> Path:
    """A second workstation on the window's (embedded) central archive."""
    other = tmp_path / "other"
    ws = open_workspace(other)
    try:
        set_central(ws, f"sqlite:///{home / 'central.sqlite'}")
        sync_station(ws)
    finally:
        ws.close()
    return other


def _sync_other(other: Path) -> None:
    ws = open_workspace(other)
    try:
        sync_station(ws)
    finally:
        ws.close()


def test_the_sync_column_shows_waiting_then_synced(
    qtbot: QtBot, dossier: Created, window: MainWindow
) -> None:
    index = window.dossiers.index(0, SYNC)
    qtbot.waitUntil(lambda: str(window.dossiers.data(index)).startswith("↑ "), timeout=WAIT_MS)
    words = str(window.dossiers.data(index, Qt.ItemDataRole.AccessibleTextRole))
    assert words.startswith("Wacht op synchronisatie")
    assert "wacht" in window.sync.scheduler.indicator.text().lower()
    _run(qtbot, window)
    qtbot.waitUntil(lambda: window.dossiers.data(index) == "✓", timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: "bijgewerkt" in window.sync.scheduler.indicator.text().lower(), timeout=WAIT_MS
    )


def test_a_conflict_is_shown_side_by_side_and_settled_by_keyboard(
    qtbot: QtBot, dossier: Created, window: MainWindow, home: Path, tmp_path: Path
) -> None:
    _run(qtbot, window)
    other = _other_station(tmp_path, home)
    _rename(other, dossier.kenmerk, "Omgevingsvergunning Coolsingel 40-42")
    _sync_other(other)
    _rename(home, dossier.kenmerk, "Omgevingsvergunning Coolsingel 40 (herzien)")
    _run(qtbot, window)
    assert window.sync.scheduler.last_report is not None
    assert window.sync.scheduler.last_report.conflicts == 1

    window.sync.sync_panel.trigger()  # Ctrl+Shift+S
    panel = window.findChild(SyncPanel)
    assert panel is not None
    qtbot.waitUntil(lambda: panel.conflict_model.rowCount() == 1, timeout=WAIT_MS)
    texts = {
        panel.compare.item(r, 1).text(): (
            panel.compare.item(r, 0).text(),
            panel.compare.item(r, 2).text(),
            panel.compare.item(r, 3).text(),
        )
        for r in range(panel.compare.rowCount())
    }
    assert texts["Titel"] == (
        "≠",
        "Omgevingsvergunning Coolsingel 40 (herzien)",
        "Omgevingsvergunning Coolsingel 40-42",
    )
    assert panel.compare.item(0, 1).font().bold()  # differing fields first, in bold
    for widget in (panel.mine_button, panel.theirs_button, panel.compare, panel.conflict_table):
        assert widget.accessibleName()
    assert panel.mine_button.isEnabled()

    ended: list[object] = []
    window.sync.synced.connect(lambda: ended.append(window.sync.scheduler.last_report))
    panel.activateWindow()
    qtbot.keyClick(panel, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # &Mijn versie
    # settling, then the sync run that takes the choice to the central archive
    qtbot.waitUntil(lambda: len(ended) >= 2 and not window.sync.runner.busy, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: panel.conflict_model.rowCount() == 0, timeout=WAIT_MS)
    report = window.sync.scheduler.last_report
    assert report is not None and report.ok and report.conflicts == 0
    _sync_other(other)
    ws = open_workspace(other)
    try:
        with ws.readers() as session:
            naam = session.scalar(
                select(Informatieobject.naam).where(Informatieobject.kenmerk == dossier.kenmerk)
            )
    finally:
        ws.close()
    assert naam == "Omgevingsvergunning Coolsingel 40 (herzien)"
    panel.close()


def test_synchronise_now_asks_for_a_password_the_keyring_lacks_and_keeps_it_nowhere(
    qtbot: QtBot, window: MainWindow, home: Path
) -> None:

    from tests.central.pgwire import PasswordServer

    server = PasswordServer()
    try:
        ws = open_workspace(home)
        try:
            set_central(ws, f"postgresql://jansen@127.0.0.1:{server.port}/archief", test=False)
        finally:
            ws.close()
        failed: list[object] = []
        window.sync.runner.failed.connect(failed.append)
        window.sync.sync_now.trigger()  # F9: the user asks, so the app may ask back
        first = password_dialog(qtbot, window)
        assert "sleutelhanger" in first.labelText().lower()  # says why it asks
        assert "Wachtwoord:" in first.labelText()
        first.setTextValue("geheim-Wachtwoord-42")
        first.accept()
        qtbot.waitUntil(lambda: server.received == ["geheim-Wachtwoord-42"], timeout=WAIT_MS)
        second = password_dialog(qtbot, window)  # refused: asks again
        second.reject()
        qtbot.waitUntil(lambda: bool(failed), timeout=WAIT_MS)
        qtbot.waitUntil(
            lambda: "geen verbinding" in window.sync.scheduler.indicator.text().lower(),
            timeout=WAIT_MS,
        )
    finally:
        server.close()
    for path in home.rglob("*"):
        if path.is_file():
            assert b"geheim-Wachtwoord-42" not in path.read_bytes(), path
