"""A worker yields the processor from its first instruction: the window lowers its
priority the moment it starts it, before it loads its modules (the most processor it
takes at once); what the worker starts inherits it. Real processes, nothing mocked."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from recordsdesk.ui.worker_process import Event, Outcome, WorkerProcess
from recordsdesk.workers.protocol import NICENESS

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
        assert os.getpriority(os.PRIO_PROCESS, worker.pid) == max(ours, NICENESS)
        assert said.wait(30), "the worker answered"
        assert told == [{"event": "niceness", "value": max(ours, NICENESS)}], (
            "a thread the worker starts inherits it"
        )
    finally:
        worker.stop()
        worker.join(10)
    assert worker.returncode == 0
