"""Read jobs run in a worker process of the window (:mod:`recordsdesk.workers.reader`).

A search, its facet counts and the completeness of the dossiers on screen are
mostly Python. On the window's own worker threads (:class:`~recordsdesk.ui.ops.Ops`)
they competed with the GUI thread for the interpreter lock while it painted the
results: the largest stalls of the benchmark ``heartbeat`` fell there. A
:class:`Reader` runs them in a process of their own instead, with the same contract
as ``Ops.db``: ``reader.db(job, on_success, on_error, owner=...)`` calls
``on_success(job(ws))`` or ``on_error(exc)`` on the GUI thread, and drops the
answer when its owner is gone. A job must pickle: a module-level function or a
``functools.partial`` of one taking the workspace first (anything else is refused
at the call); it only reads (or catches the search index up, which may be done from
any process).

``prepare`` (optional) runs with the value before it is delivered, off the GUI thread:
on this process's thread that reads the reader's answers (a little below the GUI
thread's priority, as the database worker), or with the job on the database worker
when that runs it. It is for making Qt items, which cannot cross processes.

The process starts with the first job (or :meth:`Reader.start`) once the workspace is
open. When it ends unexpectedly, the jobs it had are run again on the window's
database worker (reads may be repeated) and the next job starts a new process. It is
not started again, and every read runs on the database worker from then on (logged
once), when it could not open the data folder, did not say it was ready within
:data:`READY_TIMEOUT_S`, or ended before it was ready :data:`FAILED_STARTS` times in
a row. Before the workspace is open, and after :meth:`Reader.shutdown`, jobs go to
the database worker as well (which answers or refuses them as it does its own).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from recordsdesk.i18n import current_language
from recordsdesk.services import Workspace
from recordsdesk.ui.errors import show_error
from recordsdesk.ui.ops import ErrorHandler, Ops, _Bridge, below_the_gui_thread
from recordsdesk.ui.worker_process import Event, Outcome, WorkerProcess
from recordsdesk.workers.protocol import WorkerError, decode_value, encode_value

log = logging.getLogger("recordsdesk.ui.reader")

#: how long a closing window waits for the reader to end before it is killed
STOP_WAIT_S = 2.0
#: a reader that has not opened the data folder this long after its start is ended
READY_TIMEOUT_S = 60.0
#: starts in a row that end before the reader is ready, after which it is not started
FAILED_STARTS = 3


@dataclass
class _Job:
    job: Callable[[Workspace], Any]
    on_success: Callable[[Any], None]
    on_error: ErrorHandler | None
    owner: QObject | None
    prepare: Callable[[Any], Any] | None


class Reader(QObject):
    """See the module docstring. ``ops``: the window's executors (its workspace's home
    says which data folder the process opens; it runs the jobs the process cannot).

    Signals:
        idle: no job is waiting for its answer any more.
    """

    idle = Signal()
    #: the worker's module (a test may start one of its own that fails on purpose)
    module = "recordsdesk.workers.reader"

    def __init__(self, ops: Ops, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._bridge = _Bridge()
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)
        self._waiting: dict[int, _Job] = {}  # sent to the process, not answered yet
        self._worker: WorkerProcess | None = None
        self._opened: set[int] = set()  # processes (pids) that said ``ready``
        self._failed_starts = 0  # in a row: ended before they were ready
        self._broken = False  # not started again (see the module docstring)
        self._lowered = threading.local()  # the answers' thread runs below the GUI thread
        self._closed = False
        self._pending = 0  # jobs whose callbacks have not run yet (here or on ops)
        self.answered = 0  # jobs the process answered (for tests and diagnosis)

    # -- state ------------------------------------------------------------------
    @property
    def pending(self) -> int:
        """Jobs submitted whose callbacks have not run yet."""
        return self._pending

    @property
    def pid(self) -> int | None:
        """The process's id while it runs (for tests and diagnosis)."""
        worker = self._worker
        return worker.pid if worker is not None and worker.is_alive() else None

    def start(self) -> None:
        """Start the process now (it takes a moment to load), if it can run."""
        with self._lock:
            self._started_locked()

    def shutdown(self) -> None:
        """Stop the process; answers still to come are dropped (blocks up to
        :data:`STOP_WAIT_S`)."""
        with self._lock:
            self._closed = True
            worker, self._worker = self._worker, None
            self._pending -= len(self._waiting)  # never answered now
            self._waiting.clear()
        if worker is None:
            return
        worker.stop()
        worker.join(STOP_WAIT_S)
        if worker.process.poll() is None:
            log.warning("the reader did not stop; ended")
            worker.kill()

    # -- jobs -------------------------------------------------------------------
    def db(
        self,
        job: Callable[[Workspace], Any],
        on_success: Callable[[Any], None],
        on_error: ErrorHandler | None = None,
        *,
        owner: QObject | None = None,
        prepare: Callable[[Any], Any] | None = None,
    ) -> bool:
        """Run ``job(ws)`` in the reader (see the module docstring); False when the
        window's executors are shut down too and nothing will be answered."""
        given = _Job(job, on_success, on_error, owner, prepare)
        encoded = encode_value(job)  # a job that does not pickle is a bug: raised here
        with self._lock:
            worker = self._started_locked()
            number = next(self._numbers)
            if worker is not None:
                self._waiting[number] = given
                self._pending += 1
        if worker is None:
            return self._on_ops(given)
        # outside the lock: a full pipe would hold the GUI thread, not the answers too
        if worker.send(id=number, job=encoded, language=current_language()):
            return True
        with self._lock:  # it is ending: unless its end took the job, the window answers
            taken = self._waiting.pop(number, None)
            if taken is not None:
                self._pending -= 1
        return True if taken is None else self._on_ops(given)

    #: completeness and the like: the same process (its jobs run side by side)
    io = db

    def _started_locked(self) -> WorkerProcess | None:
        """The running process, started if need be; None when it cannot run."""
        if self._closed or self._broken:
            return None
        if self._worker is not None:
            return self._worker
        ws = self.ops.workspace
        if ws is None:
            return None
        made: list[WorkerProcess] = []  # for its exit, which may come before the assignment
        try:
            worker = WorkerProcess(
                self.module,
                [str(ws.layout.root), current_language()],
                name="rd-reader",
                on_event=self._event,
                on_exit=lambda code, outcome: self._exited(made, code, outcome),
            )
        except OSError as exc:
            log.warning("the reader could not be started; reads run in the window: %s", exc)
            self._broken = True
            return None
        made.append(worker)  # under the lock, which _exited takes first
        self._worker = worker
        QTimer.singleShot(round(READY_TIMEOUT_S * 1000), self, lambda: self._check_ready(worker))
        return worker

    def _check_ready(self, worker: WorkerProcess) -> None:
        """A reader still not ready after :data:`READY_TIMEOUT_S` is ended and not started
        again (its end runs its reads in the window)."""
        with self._lock:
            hung = worker is self._worker and worker.pid not in self._opened
            if hung:
                self._broken = True
        if hung:
            log.warning(
                "the reader was not ready after %.0f s; reads run in the window", READY_TIMEOUT_S
            )
            worker.kill()

    def _on_ops(self, given: _Job, counted: bool = False) -> bool:
        """Run ``given`` on the window's database worker instead (``counted``: it is in
        :attr:`pending` already)."""
        job, prepare = given.job, given.prepare

        def call(ws: Workspace) -> Any:
            value = job(ws)
            return prepare(value) if prepare is not None else value

        if not counted:
            with self._lock:
                self._pending += 1
        # no owner here: _finish checks it, and must run to count the job as done
        started = self.ops.db(
            call,
            lambda value: self._finish(given, value, False),
            lambda exc: self._finish(given, exc, True),
        )
        if started is None:
            with self._lock:
                self._pending -= 1
        return started is not None

    # -- answers (on the process's reading thread) ---------------------------------
    def _event(self, worker: WorkerProcess, event: Event) -> None:
        kind = event.get("event")
        if kind == "ready":
            with self._lock:
                self._opened.add(worker.pid)
            return
        if kind not in ("result", "error"):
            return
        if not getattr(self._lowered, "done", False):  # once, on this reading thread
            below_the_gui_thread()
            self._lowered.done = True
        with self._lock:
            given = self._waiting.pop(int(event.get("id", 0)), None)
            self.answered += given is not None
        if given is None:
            return  # dropped by a shutdown
        failed = kind == "error"
        try:
            value = decode_value(str(event["error" if failed else "value"]))
            if not failed and given.prepare is not None:
                value = given.prepare(value)
        except Exception as exc:  # an answer that does not decode, or prepare failed: a bug
            value, failed = exc, True
        self._bridge.deliver.emit(lambda: self._finish(given, value, failed))

    def _exited(self, made: list[WorkerProcess], code: int, outcome: Outcome) -> None:
        with self._lock:
            worker = made.pop()  # and no cycle keeps the ended process's pipes open
            if self._worker is worker:
                self._worker = None
            left = list(self._waiting.values())  # still counted in pending
            self._waiting.clear()
            opened = worker.pid in self._opened
            self._opened.discard(worker.pid)
            if self._closed:
                return
            if opened:
                self._failed_starts = 0
            else:
                self._failed_starts += 1
                # said ``failed`` (the data folder would not open), or ended too often
                said_failed = not isinstance(outcome[0], WorkerError)
                if said_failed or self._failed_starts >= FAILED_STARTS:
                    self._broken = True
            broken = self._broken
        worker.stop()
        if broken:
            log.warning("the reader failed (%s); reads run in the window", outcome[0])
        else:
            log.warning("the reader ended (exit status %s); %d reads run again", code, len(left))
        for given in left:  # reads may be repeated: the database worker answers them
            self._bridge.deliver.emit(lambda given=given: self._on_ops(given, counted=True))

    # -- on the GUI thread ----------------------------------------------------------
    def _finish(self, given: _Job, value: Any, failed: bool) -> None:
        try:
            if given.owner is not None and not isValid(given.owner):
                return  # the widget that asked is gone; nobody wants the answer
            if not failed:
                given.on_success(value)
            elif given.on_error is not None:
                given.on_error(value)
            else:
                show_error(given.owner if isinstance(given.owner, QWidget) else None, value)
        finally:
            with self._lock:
                self._pending -= 1
                now_idle = self._pending == 0
            if now_idle:
                self.idle.emit()
