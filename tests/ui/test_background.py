"""Background work: results on the GUI thread, errors routed, delayed progress, Cancel."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from recordsdesk.errors import UserError
from recordsdesk.services.dto import Created
from recordsdesk.tasks import Cancelled
from recordsdesk.ui import progress
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.progress import ProgressTracker
from tests.ui.conftest import WAIT_MS, settle


@pytest.fixture
def opened(qtbot: QtBot, ops: Ops, home: Path) -> Ops:
    with qtbot.waitSignal(ops.workspace_ready, timeout=WAIT_MS):
        ops.open_workspace(home)
    return ops


def test_results_and_errors_arrive_on_the_gui_thread(qtbot: QtBot, opened: Ops) -> None:
    seen: list[tuple[str, object, bool]] = []
    gui = threading.current_thread()

    def work(_ws: object) -> str:
        assert threading.current_thread() is not gui
        return threading.current_thread().name

    def fail(_ws: object) -> str:
        raise UserError("Nope {x}", {"x": 1})

    opened.db(work, lambda name: seen.append(("ok", name, threading.current_thread() is gui)))
    opened.io(
        fail,
        lambda _r: None,
        lambda exc: seen.append(("err", exc, threading.current_thread() is gui)),
    )
    qtbot.waitUntil(lambda: len(seen) == 2 and opened.pending == 0, timeout=WAIT_MS)
    by_kind = {kind: (value, on_gui) for kind, value, on_gui in seen}
    assert str(by_kind["ok"][0]).startswith("rd-db") and by_kind["ok"][1]
    assert isinstance(by_kind["err"][0], UserError) and by_kind["err"][1]


def test_answers_for_a_deleted_widget_are_dropped(qtbot: QtBot, opened: Ops) -> None:
    gate = threading.Event()
    owner = QWidget()
    called: list[object] = []
    opened.db(lambda _ws: gate.wait(5), called.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner), timeout=WAIT_MS)
    gate.set()
    qtbot.waitUntil(lambda: opened.pending == 0, timeout=WAIT_MS)
    assert called == []


def _alive(obj: QWidget) -> bool:
    from shiboken6 import isValid

    return isValid(obj)


def test_progress_dialog_only_for_slow_work_and_cancel_sets_the_token(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    quick = ProgressTracker(parent, "Snel")
    quick.start()
    quick.report(1, 2, "a")
    quick.finish()
    assert quick.dialog is None  # finished before SHOW_AFTER_MS: no dialog ever

    slow = ProgressTracker(parent, "Langzaam")
    with qtbot.waitSignal(slow.shown, timeout=progress.SHOW_AFTER_MS * 5):
        slow.start()
    slow.report(250, 1000, "besluit.pdf")
    dialog = slow.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.value() == 250, timeout=WAIT_MS)  # sampled by the timer
    assert "besluit.pdf" in dialog.labelText()
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Annuleren"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert slow.token.cancelled
    assert dialog.labelText() == "Annuleren…" and not cancel.isEnabled()
    slow.finish()


def test_cancel_before_the_worker_starts_files_nothing(
    qtbot: QtBot, dossier: Created, window: MainWindow, files: dict[str, Path]
) -> None:
    gate = threading.Event()
    window.ops.db(lambda _ws: gate.wait(5), lambda _r: None)  # keep the worker busy
    with qtbot.waitSignal(window.filer.failed, timeout=WAIT_MS) as blocker:
        assert window.file_paths([files["txt"], files["pdf"]])
        assert not window.file_paths([files["png"]])  # one filing at a time
        window.filer.cancel()
        gate.set()
    assert isinstance(blocker.args[0], Cancelled)
    assert "geannuleerd" in window.status_label.text()
    settle(qtbot, window)
    assert window.records.rowCount() == 0
    assert not window.filer.busy
