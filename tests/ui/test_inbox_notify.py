"""The inbox keeps itself up to date: polling, notification of new items, progress,
"Show in folder", and a 5,000-item inbox that refreshes without a reset."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractItemView, QPushButton, QSystemTrayIcon

from recordsdesk import services
from recordsdesk.i18n import N_
from recordsdesk.intake.inbox import InboxItemInfo, discard_item
from recordsdesk.ui import mainwindow
from recordsdesk.ui.formatting import Message
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.models.inbox import InboxModel
from recordsdesk.ui.ops import Ops
from tests.ui import samples
from tests.ui.conftest import WAIT_MS, open_window
from tests.ui.inbox_rows import add_items
from tests.ui.test_inbox import drop, filled, settle_inbox  # noqa: F401 - fixtures

POLL_MS = 50


def insert(home: Path, folder: Path, count: int, start: int = 0) -> list[str]:
    ws = services.open_workspace(home)
    try:
        return add_items(ws, folder, count, start)
    finally:
        ws.close()


def fast_window(qtbot: QtBot, ops: Ops, settings: QSettings, home: Path) -> MainWindow:
    win = open_window(qtbot, ops, settings, home)
    win.inbox.timer.setInterval(POLL_MS)
    settle_inbox(qtbot, win)
    return win


@pytest.fixture
def polling(
    qtbot: QtBot, ops: Ops, ui_settings_file: QSettings, home: Path
) -> Iterator[MainWindow]:
    win = fast_window(qtbot, ops, ui_settings_file, home)
    yield win
    win.close()


@pytest.fixture
def big(
    qtbot: QtBot, ops: Ops, ui_settings_file: QSettings, home: Path, tmp_path: Path
) -> Iterator[MainWindow]:
    insert(home, tmp_path / "Scanner", 5000)
    win = fast_window(qtbot, ops, ui_settings_file, home)
    qtbot.waitUntil(lambda: win.inbox.model.rowCount() == 5000, timeout=WAIT_MS)
    yield win
    win.close()


def test_new_items_are_announced_once(
    qtbot: QtBot, polling: MainWindow, home: Path, tmp_path: Path
) -> None:
    window = polling
    assert window.inbox.timer.isActive()
    assert "nieuw" not in window.status_label.text()  # the first read announces nothing
    with qtbot.waitSignal(window.inbox.arrived, timeout=WAIT_MS) as blocker:
        insert(home, tmp_path / "Scanner", 3)
    assert blocker.args == [3]
    assert window.inbox.model.rowCount() == 3
    assert window.status_label.text() == "3 nieuwe stukken in de inbox"
    assert not window.inbox.arrivals.isVisibleTo(window)  # 3 is not "many"
    # the following reads find nothing new and stay silent
    with qtbot.assertNotEmitted(window.inbox.arrived):
        for _ in range(3):
            qtbot.waitSignal(window.inbox.loaded, timeout=WAIT_MS).wait()
    with qtbot.waitSignal(window.inbox.arrived, timeout=WAIT_MS) as blocker:
        insert(home, tmp_path / "Scanner", 1, start=3)
    assert blocker.args == [1]
    assert window.status_label.text() == "1 nieuw stuk in de inbox"
    window.set_language("en")
    assert window.status_label.text() == "1 new item in the inbox"
    assert window.inbox.folder_action.text() == "Show in &folder"
    assert window.show_inbox_action.text() == "&Go to inbox"


def test_an_arrival_does_not_hide_what_the_watcher_just_said(
    polling: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = polling
    now = [1000.0]
    monkeypatch.setattr(mainwindow.time, "monotonic", lambda: now[0])
    summary = Message(
        N_("{name}: {records} records from {pages} pages, {flagged} flagged; "
           "see Inbox › Scanned batches."),
        {"name": "scan-7.pdf", "records": 1, "pages": 2, "flagged": 1},
    )  # fmt: skip
    window.watch.message.emit(summary)
    told = window.status_label.text()
    assert told.startswith("scan-7.pdf: 1 stukken uit 2 pagina's")
    now[0] += mainwindow.ARRIVAL_QUIET_S - 0.5
    window.notify_arrivals(1)  # the batch's record, announced by the inbox just after
    assert window.status_label.text() == told
    now[0] += 1.0
    window.notify_arrivals(2)
    assert window.status_label.text() == "2 nieuwe stukken in de inbox"


def test_the_tray_message_leads_to_the_inbox(
    qtbot: QtBot, polling: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = polling
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    window.inbox_dock.hide()
    window.notify_arrivals(4)
    assert window.tray is not None
    assert window.status_label.text() == "4 nieuwe stukken in de inbox"
    window.tray.messageClicked.emit()
    assert window.inbox_dock.isVisible()
    window.inbox_dock.hide()
    assert window.show_inbox_action.shortcut().toString() == "Ctrl+I"
    window.show_inbox_action.trigger()
    assert window.inbox_dock.isVisible()
    assert window.show_inbox_action in window.inbox.menu.actions()


def test_no_tray_no_tray_icon(polling: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    polling.notify_arrivals(2)
    assert polling.tray is None
    assert polling.status_label.text() == "2 nieuwe stukken in de inbox"


class Opened:
    """Stands in for the desktop (the file manager): records the URLs asked for."""

    def __init__(self) -> None:
        self.urls: list[QUrl] = []

    def __call__(self, url: QUrl) -> bool:
        self.urls.append(url)
        return True


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Opened:
    fake = Opened()
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(fake))
    return fake


def show_folder_of(qtbot: QtBot, window: MainWindow, name: str, opened: Opened) -> Path:
    ids = {i.id for i in window.inbox.model.items() if i.name == name}
    window.inbox.select_ids(ids)
    assert window.inbox.folder_action.isEnabled()
    before = len(opened.urls)
    window.inbox.folder_action.trigger()
    qtbot.waitUntil(lambda: len(opened.urls) > before, timeout=WAIT_MS)
    return Path(opened.urls[-1].toLocalFile())


def test_show_in_folder_finds_the_original_in_verwerkt(
    qtbot: QtBot,
    ops: Ops,
    ui_settings_file: QSettings,
    home: Path,
    filled: list[str],  # noqa: F811 - the fixture
    drop: Path,  # noqa: F811 - the fixture
    opened: Opened,
) -> None:
    window = fast_window(qtbot, ops, ui_settings_file, home)
    assert (drop / "verwerkt" / "besluit.pdf").exists()  # intake moved it there
    assert show_folder_of(qtbot, window, "besluit.pdf", opened) == drop / "verwerkt"
    assert opened.urls[-1] == QUrl.fromLocalFile(str(drop / "verwerkt"))
    assert window.inbox.folder_action.shortcut().toString() == "Ctrl+Shift+F"
    assert window.inbox.folder_action.text() == "In &map tonen"
    button = window.inbox.toolbar.widgetForAction(window.inbox.folder_action)
    assert button is not None and button.accessibleName() == "In map tonen"
    assert window.inbox.folder_action in window.inbox.view.actions()  # context menu
    window.close()


def test_show_in_folder_opens_the_source_folder(
    qtbot: QtBot, polling: MainWindow, home: Path, tmp_path: Path, opened: Opened
) -> None:
    window = polling
    scanner = tmp_path / "Scanner"
    scanner.mkdir()
    insert(home, scanner, 2)
    qtbot.waitUntil(lambda: window.inbox.model.rowCount() == 2, timeout=WAIT_MS)
    first, second = window.inbox.model.items()
    samples.make_text(Path(first.source))  # still where it was dropped
    assert show_folder_of(qtbot, window, first.name, opened) == scanner
    # gone from the source and not in verwerkt/: the folder it came from
    assert show_folder_of(qtbot, window, second.name, opened) == scanner
    window.inbox.view.clearSelection()
    assert not window.inbox.folder_action.isEnabled()


def test_polling_keeps_selection_and_scroll_position(
    qtbot: QtBot, big: MainWindow, home: Path, tmp_path: Path
) -> None:
    window = big
    panel = window.inbox
    items = panel.model.items()
    chosen = {items[4000].id, items[4001].id}
    panel.select_ids(chosen)
    panel.view.scrollTo(panel.model.index(4000, 0), QAbstractItemView.ScrollHint.PositionAtTop)
    scroll = panel.view.verticalScrollBar().value()
    assert scroll > 0
    resets: list[object] = []
    panel.model.modelReset.connect(lambda: resets.append(True))

    with qtbot.waitSignal(panel.arrived, timeout=WAIT_MS) as blocker:
        insert(home, tmp_path / "Scanner", 30, start=5000)
    assert blocker.args == [30]
    assert panel.model.rowCount() == 5030
    assert {i.id for i in panel.selected_items()} == chosen
    assert panel.view.currentIndex().row() == 4000
    assert panel.view.verticalScrollBar().value() == scroll
    assert resets == []  # rows were inserted, not the whole model reset
    # more than MANY_NEW at once: the arrivals bar says how many
    assert panel.arrivals.isVisibleTo(window)
    assert panel.arrivals_label.text() == "30 nieuwe stukken komen binnen…"
    assert panel.arrivals_bar.accessibleName() == panel.arrivals_label.text()
    # a read that brings nothing new ends the burst
    qtbot.waitUntil(lambda: not panel.arrivals.isVisibleTo(window), timeout=WAIT_MS)
    assert {i.id for i in panel.selected_items()} == chosen
    assert panel.view.verticalScrollBar().value() == scroll
    assert panel.label.text() == "Inbo&x (5030)"


def test_many_items_show_states_and_reasons(big: MainWindow) -> None:
    model = big.inbox.model
    states = {model.index(r, 1).data() for r in range(0, 5000, 7)}
    assert {"gereed", "dubbel", "quarantaine"} <= states
    quarantined = next(i for i in model.items() if i.state == "quarantined")
    assert quarantined.reason and "pdf" in quarantined.reason.lower()


def info(item_id: str, state: str = "ready") -> InboxItemInfo:
    return InboxItemInfo(
        item_id, state, f"{item_id}.pdf", f"/s/{item_id}.pdf", 1, None, None, None, None, None
    )


def test_refresh_turns_the_difference_into_row_changes(qtmodeltester: ModelTester) -> None:
    model = InboxModel()
    qtmodeltester.check(model)
    model.set_items([info("a"), info("b"), info("c"), info("d")])
    events: list[str] = []
    model.modelReset.connect(lambda: events.append("reset"))
    model.rowsInserted.connect(lambda _p, first, last: events.append(f"+{first}-{last}"))
    model.rowsRemoved.connect(lambda _p, first, last: events.append(f"-{first}-{last}"))
    model.dataChanged.connect(lambda tl, _br: events.append(f"~{tl.row()}"))
    model.set_items([info("a"), info("c", "duplicate"), info("e"), info("d"), info("f"), info("g")])
    assert [i.id for i in model.items()] == ["a", "c", "e", "d", "f", "g"]
    assert events == ["-1-1", "+2-2", "+4-5", "~1"]
    assert model.row_of("d") == 3 and model.row_of("b") is None
    # an order that cannot be reached by insertions: a reset
    model.set_items([info("g"), info("a")])
    assert events[-1] == "reset"
    assert [i.id for i in model.items()] == ["g", "a"]


def test_process_now_shows_a_busy_dialog_and_can_be_cancelled(
    qtbot: QtBot,
    ops: Ops,
    ui_settings_file: QSettings,
    home: Path,
    filled: list[str],  # noqa: F811 - the fixture
    drop: Path,  # noqa: F811 - the fixture
) -> None:
    window = fast_window(qtbot, ops, ui_settings_file, home)
    panel = window.inbox
    panel.quiet_period = 30.0  # the new file never becomes "complete" in time
    samples.make_text(drop / "brief in wording.txt", "Nog niet af.\n")
    panel.process_action.trigger()
    qtbot.waitUntil(
        lambda: panel.progress is not None and panel.progress.dialog is not None, timeout=WAIT_MS
    )
    assert panel.progress is not None
    dialog = panel.progress.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.maximum() == 0  # busy: process_once reports no total
    assert not panel.process_action.isEnabled()
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Annuleren"
    cancel.click()
    qtbot.waitUntil(lambda: panel.progress is None and not panel.loading, timeout=WAIT_MS)
    assert window.status_label.text() == "Gestopt. Wat al binnen is, blijft in de inbox."
    assert (drop / "brief in wording.txt").exists()  # nothing taken half
    assert "brief in wording.txt" not in {i.name for i in panel.model.items()}
    window.close()


def test_polling_sees_changes_made_elsewhere(
    qtbot: QtBot, polling: MainWindow, home: Path, tmp_path: Path
) -> None:
    window = polling
    ids = insert(home, tmp_path / "Scanner", 3)
    qtbot.waitUntil(lambda: window.inbox.model.rowCount() == 3, timeout=WAIT_MS)
    window.inbox.select_ids({ids[2]})
    ws = services.open_workspace(home)  # another process, e.g. `recordsdesk inbox discard`
    try:
        discard_item(ws, ids[0])
    finally:
        ws.close()
    with qtbot.assertNotEmitted(window.inbox.arrived):
        qtbot.waitUntil(lambda: window.inbox.model.rowCount() == 2, timeout=WAIT_MS)
    assert [i.id for i in window.inbox.model.items()] == ids[1:]
    assert [i.id for i in window.inbox.selected_items()] == [ids[2]]
