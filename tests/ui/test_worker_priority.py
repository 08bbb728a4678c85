"""A worker yields the processor from its first instruction: the window lowers its
priority the moment it starts it, before it loads its modules (the most processor it
takes at once); what the worker starts inherits it. The window's own worker threads
run a little below its GUI thread. Real processes and threads, nothing mocked."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from recordsdesk.ui.ops import WORKER_NICENESS, Ops
from recordsdesk.ui.worker_process import Event, Outcome, WorkerProcess
from recordsdesk.workers.protocol import NICENESS
from tests.ui.conftest import WAIT_MS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX niceness")


def test_the_window_lowers_a_worker_it_starts_at_once() -> None:
    told: list[Event] = []
    said = threading.Event()

    def on_event(_worker: WorkerProcess, event: Event) -> None:
        told.append(event)
        said.set()

    def on_exit(_code: int, _outcome: Outcome) -> None:
        said.set()

    worker = WorkerProcess("tests.ui.idle_worker", [], "rd-test-idle", on_event, on_exit)
    try:
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, worker.pid) == min(ours + NICENESS, 19)
        assert said.wait(30), "the worker answered"
        assert told == [{"event": "niceness", "value": min(ours + NICENESS, 19)}], (
            "a thread the worker starts inherits it"
        )
    finally:
        worker.stop()
        worker.join(10)
    assert worker.returncode == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread niceness")
def test_the_windows_worker_threads_run_below_the_gui_thread(
    qtbot: QtBot, ops: Ops, home: Path
) -> None:
    """Jobs on both pools run a little below the GUI thread (see Ops)."""
    with qtbot.waitSignal(ops.workspace_ready, timeout=WAIT_MS):
        ops.open_workspace(home)
    gui = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    seen: list[int] = []

    def niceness(_ws: object) -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    ops.db(niceness, seen.append)
    ops.io(niceness, seen.append)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10_000)
    assert seen == [min(gui + WORKER_NICENESS, 19)] * 2
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == gui, "GUI as it was"
