"""The open window watches its drop folders itself (Inbox › Invoermappen bewaken).

Real window, real workers, a real home, real files: a file written into a drop
folder arrives in the inbox without anything being pressed while watching is on,
stays in its folder while it is off, the worker process ends with the window,
and an error in the worker (or the worker killed) is told in the status bar
without taking the window down, and watching tries again by itself.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QSettings

from recordsdesk import services
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.ui import settings as ui_settings
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.watcher import FolderWatcher
from tests.ui import samples
from tests.ui.conftest import WAIT_MS, settle

QUIET_S = 0.2
POLL_MS = 50
STOPPED = "Invoermappen bewaken is gestopt: "
REAL_WORKER = FolderWatcher.module


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "Scanner"
    folder.mkdir()
    return folder


def add_folder(home: Path, folder: Path) -> None:
    ws = services.open_workspace(home)
    try:
        add_drop_folder(ws, folder)
    finally:
        ws.close()


def open_watching(
    qtbot: QtBot,
    ops: Ops,
    settings: QSettings,
    home: Path,
    retry_delays: tuple[float, ...] | None = None,
) -> MainWindow:
    """The window as the app opens it, with a short quiet period and fast inbox reads."""
    window = MainWindow(ops, settings, home)
    window.watch.watcher.quiet_period = QUIET_S
    if retry_delays is not None:
        window.watch.retry_delays = retry_delays
    window.inbox.timer.setInterval(POLL_MS)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        window.start()
    settle(qtbot, window)
    return window


@pytest.fixture
def watching(
    qtbot: QtBot, ops: Ops, ui_settings_file: QSettings, home: Path
) -> Iterator[MainWindow]:
    win = open_watching(qtbot, ops, ui_settings_file, home)
    yield win
    win.close()


def names_in_inbox(window: MainWindow) -> list[tuple[str, str]]:
    model = window.inbox.model
    items = [model.item(row) for row in range(model.rowCount())]
    return [(i.name, i.state) for i in items if i is not None]


def arrived(window: MainWindow, name: str) -> bool:
    return (name, "ready") in names_in_inbox(window)


def test_watching_is_on_by_default_and_brings_files_in_by_itself(
    qtbot: QtBot, watching: MainWindow, home: Path, drop: Path, ui_settings_file: QSettings
) -> None:
    window = watching
    action = window.watch.action
    assert action.isCheckable() and action.isChecked()
    assert action.text() == "Invoermappen be&waken"
    assert action.shortcut().toString() == "Ctrl+Shift+W"
    assert action in window.inbox.menu.actions()
    assert "vanzelf" in action.statusTip()
    assert window.watch.indicator.text() == "Bewaken: aan"
    assert window.watch.indicator.accessibleName() == "Bewaken: aan"
    assert window.watch.watcher.running

    add_folder(home, drop)  # added while the window is open: picked up by itself
    samples.make_text(drop / "brief.txt", "Een brief van de wijkraad.\n")
    qtbot.waitUntil(lambda: arrived(window, "brief.txt"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not (drop / "brief.txt").exists(), timeout=WAIT_MS)
    assert (drop / "verwerkt" / "brief.txt").exists()

    worker = window.watch.watcher.worker
    assert worker is not None
    action.trigger()  # switched off: the worker ends (by itself), the choice is remembered
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=10_000)
    assert worker.returncode == 0
    assert not window.watch.watcher.running
    assert window.watch.indicator.text() == "Bewaken: uit"
    assert ui_settings.watch_folders(ui_settings_file) is False
    window.set_language("en")
    assert action.text() == "&Watch drop folders"
    assert window.watch.indicator.text() == "Watching: off"


def test_switched_off_nothing_is_taken_until_switched_on(
    qtbot: QtBot, ops: Ops, ui_settings_file: QSettings, home: Path, drop: Path
) -> None:
    ui_settings.set_watch_folders(ui_settings_file, False)
    add_folder(home, drop)
    samples.make_text(drop / "notitie.txt", "Nog niet binnenhalen.\n")
    window = open_watching(qtbot, ops, ui_settings_file, home)
    try:
        assert not window.watch.action.isChecked()
        assert not window.watch.watcher.running
        assert window.watch.watcher.worker is None
        assert window.watch.indicator.text() == "Bewaken: uit"
        qtbot.wait(3000)  # longer than a watcher would need
        for _ in range(3):
            qtbot.waitSignal(window.inbox.loaded, timeout=WAIT_MS).wait()
        assert (drop / "notitie.txt").exists()
        assert names_in_inbox(window) == []

        window.watch.action.trigger()
        assert window.watch.watcher.running
        assert window.watch.indicator.text() == "Bewaken: aan"
        assert ui_settings.watch_folders(ui_settings_file) is True
        assert window.status_label.text() == "Invoermappen worden bewaakt."
        qtbot.waitUntil(lambda: arrived(window, "notitie.txt"), timeout=WAIT_MS)
    finally:
        window.close()


def test_closing_the_window_stops_the_worker_process(
    qtbot: QtBot, ops: Ops, ui_settings_file: QSettings, home: Path
) -> None:
    window = open_watching(qtbot, ops, ui_settings_file, home)
    worker = window.watch.watcher.worker
    assert worker is not None and worker.is_alive()
    assert worker.name == "rd-watch" and worker.pid != os.getpid()
    window.close()
    assert not worker.is_alive()
    assert worker.returncode == 0  # it stopped because it was asked to, not killed
    assert not window.watch.watcher.running


FAILING_WORKER = "tests.ui.failing_watch_worker"


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ("open", "De gegevensmap is niet geopend."),
        ("watch", "onverwachte fout (RuntimeError)"),
    ],
    ids=["cannot-open", "unexpected"],
)
def test_an_error_in_the_thread_is_told_and_watching_tries_again_by_itself(
    qtbot: QtBot,
    ops: Ops,
    ui_settings_file: QSettings,
    home: Path,
    drop: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    broken: str,
    reason: str,
) -> None:
    caplog.set_level(logging.WARNING, logger="recordsdesk.ui.watcher")
    monkeypatch.setenv("RD_TEST_BREAK", broken)
    monkeypatch.setattr(FolderWatcher, "module", FAILING_WORKER)
    window = open_watching(qtbot, ops, ui_settings_file, home, retry_delays=(1.0, 2.0))
    switch = window.watch
    try:
        qtbot.waitUntil(lambda: window.status_label.text().startswith(STOPPED), timeout=WAIT_MS)
        assert reason in window.status_label.text()
        assert window.status_label.text().endswith("Nieuwe poging over 1 s.")
        assert ".." not in window.status_label.text()
        assert switch.action.isChecked() and switch.retrying  # still wanted: tries again
        assert not switch.watcher.running
        assert switch.indicator.text() == "Bewaken: zo opnieuw"
        assert ui_settings.watch_folders(ui_settings_file) is True
        assert any(r.name == "recordsdesk.ui.watcher" for r in caplog.records)
        assert window.isVisible() and window.is_ready  # the window carries on
        window.set_language("en")
        assert window.status_label.text().startswith("Watching the drop folders stopped: ")
        assert window.status_label.text().endswith("Trying again in 1 s.")
        window.set_language("nl")

        # the next try fails as well: the pause grows
        qtbot.waitUntil(
            lambda: window.status_label.text().endswith("Nieuwe poging over 2 s."),
            timeout=WAIT_MS,
        )
        monkeypatch.setattr(FolderWatcher, "module", REAL_WORKER)
        add_folder(home, drop)
        samples.make_text(drop / "besluit.txt", "Het besluit.\n")
        qtbot.waitUntil(lambda: arrived(window, "besluit.txt"), timeout=WAIT_MS)
        assert switch.watcher.running and not switch.retrying
        assert switch.indicator.text() == "Bewaken: aan"
    finally:
        window.close()
    assert not window.watch.watcher.running


def test_switching_off_after_an_error_cancels_the_next_try(
    qtbot: QtBot,
    ops: Ops,
    ui_settings_file: QSettings,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RD_TEST_BREAK", "watch")
    monkeypatch.setattr(FolderWatcher, "module", FAILING_WORKER)
    window = open_watching(qtbot, ops, ui_settings_file, home, retry_delays=(0.5,))
    switch = window.watch
    try:
        qtbot.waitUntil(lambda: switch.retrying, timeout=WAIT_MS)
        switch.action.trigger()  # off
        assert not switch.retrying and not switch.action.isChecked()
        assert switch.indicator.text() == "Bewaken: uit"
        qtbot.wait(1000)  # twice the pause: no try comes
        assert not switch.watcher.running and not switch.retrying
        assert ui_settings.watch_folders(ui_settings_file) is False
    finally:
        window.close()


def test_a_killed_worker_is_told_and_watching_starts_again(
    qtbot: QtBot, ops: Ops, ui_settings_file: QSettings, home: Path, drop: Path
) -> None:
    window = open_watching(qtbot, ops, ui_settings_file, home, retry_delays=(0.5,))
    switch = window.watch
    try:
        first = switch.watcher.worker
        assert first is not None
        first.process.kill()  # the worker dies outright (kill -9; TerminateProcess)
        qtbot.waitUntil(lambda: window.status_label.text().startswith(STOPPED), timeout=WAIT_MS)
        assert "onverwachte fout (WorkerError)" in window.status_label.text()
        assert first.returncode not in (None, 0)
        # a new worker takes over by itself, and files come in again
        qtbot.waitUntil(lambda: switch.watcher.running and not switch.retrying, timeout=WAIT_MS)
        assert switch.watcher.worker is not first
        add_folder(home, drop)
        samples.make_text(drop / "na-de-val.txt", "Na de val.\n")
        qtbot.waitUntil(lambda: arrived(window, "na-de-val.txt"), timeout=WAIT_MS)
    finally:
        window.close()


def test_a_worker_asked_to_stop_while_starting_ends_before_opening_anything(
    qtbot: QtBot, tmp_path: Path
) -> None:
    home = tmp_path / "nog-niet"  # opening it would make it (or fail: exit status 1)
    watcher = FolderWatcher()
    watcher.start(home)
    worker = watcher.worker
    assert worker is not None
    assert watcher.stop(timeout=30)  # asked at once, while the worker still loads
    assert worker.returncode == 0 and not watcher.running
    assert not home.exists()  # it ended before opening the data folder
