"""Fixtures for the window tests: a real workspace, real workers, an isolated QSettings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog

from recordsdesk import i18n, services
from recordsdesk.archive.central.connection import central_engine, set_central
from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.engine import sync_once
from recordsdesk.services.dto import Created
from recordsdesk.ui import settings as ui_settings
from recordsdesk.ui.collector import MainThreadCollector
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.ops import Ops
from tests.ui import samples

WAIT_MS = 20_000


@pytest.fixture(autouse=True)
def dutch(qapp: object) -> Iterator[None]:
    """Every test starts in Dutch (the default) and leaves the language as it found it."""
    before = i18n.current_language()
    ui_settings.apply_language("nl")
    yield
    ui_settings.apply_language(before)


@pytest.fixture(autouse=True)
def collector(qapp: object) -> Iterator[MainThreadCollector]:
    """Cyclic garbage collection only on the GUI thread, as in the app (see
    recordsdesk.ui.collector); what is left is collected here when the test ends."""
    guard = MainThreadCollector()
    yield guard
    guard.uninstall()


@pytest.fixture
def ui_settings_file(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def ops() -> Iterator[Ops]:
    workers = Ops()
    yield workers
    workers.shutdown()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return samples.make_all(tmp_path / "files")


@pytest.fixture
def dossier(home: Path) -> Created:
    """A dossier created through the services before the window opens."""
    ws = services.open_workspace(home)
    try:
        return services.create_dossier(ws, "Omgevingsvergunning Coolsingel 40")
    finally:
        ws.close()


@pytest.fixture
def record(home: Path, dossier: Created, files: dict[str, Path]) -> Created:
    """A record filed (for real) into the dossier before the window opens."""
    ws = services.open_workspace(home)
    try:
        return services.file_paths(ws, dossier.kenmerk, [files["txt"]]).records[0]
    finally:
        ws.close()


def open_window(qtbot: QtBot, ops: Ops, settings: QSettings, home: Path) -> MainWindow:
    window = MainWindow(ops, settings, home)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        window.start()
    settle(qtbot, window)
    return window


def password_dialog(qtbot: QtBot, window: MainWindow) -> QInputDialog:
    """Wait for the window's central password dialog to be shown, and return it."""

    def shown() -> QInputDialog | None:
        found = window.findChild(QInputDialog, "centralPasswordDialog")
        return found if found is not None and found.isVisible() else None

    qtbot.waitUntil(lambda: shown() is not None, timeout=WAIT_MS)
    dialog = shown()
    assert dialog is not None
    return dialog


def settle(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until no background job is pending and both lists are loaded."""
    qtbot.waitUntil(
        lambda: (
            window.ops.pending == 0 and not window.dossiers.loading and not window.records.loading
        ),
        timeout=WAIT_MS,
    )


@pytest.fixture
def window(qtbot: QtBot, ops: Ops, ui_settings_file: QSettings, home: Path) -> Iterator[MainWindow]:
    win = open_window(qtbot, ops, ui_settings_file, home)
    yield win
    win.close()


@contextmanager
def other_station(home: Path, tmp_path: Path) -> Iterator[services.Workspace]:
    """A second workstation (``tmp_path/"other"``) on the window's embedded central
    archive, which is made at its schema first; closed afterwards."""
    ws = services.open_workspace(home)
    try:
        central_engine(ws).dispose()
    finally:
        ws.close()
    other = services.open_workspace(tmp_path / "other")
    try:
        set_central(other, f"sqlite:///{home / 'central.sqlite'}")
        yield other
    finally:
        other.close()


def sync_station(ws: services.Workspace) -> None:
    """One sync of ``ws`` with its central archive, which must go through."""
    central = Central.open(central_engine(ws))
    try:
        assert sync_once(ws, central).ok
    finally:
        central.engine.dispose()
