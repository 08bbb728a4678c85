"""Synchronising with the central archive in the background, and the status-bar indicator.

:class:`SyncRunner` runs one job at a time (a sync run, or settling a conflict)
in a worker process of its own (:mod:`recordsdesk.workers.sync`) with a
workspace of its own, like the folder watcher: a sync talks to the network and
may take minutes, so it can run neither on the GUI thread nor on the database
worker, and as a thread of the window its Python held up every paint (the
interpreter lock; workload ``heartbeat``). Progress, questions for a password,
the report and errors come back to the GUI thread through queued signals; a
run can be cancelled.

:class:`SyncScheduler` decides when: a while after the data folder opens, then
every :data:`INTERVAL_S`; after a failed run (no connection, a refused login)
sooner at first and then less often (:data:`RETRY_DELAYS_S`); at once when the
user asks (Sync › Synchronise now, F9). Filing never waits for any of this.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel

from recordsdesk.archive.sync.outbox import SyncStatus
from recordsdesk.archive.sync.report import SyncReport
from recordsdesk.i18n import _, current_language
from recordsdesk.tasks import Cancelled
from recordsdesk.ui.formatting import format_datetime, format_size
from recordsdesk.ui.watcher import reason_of
from recordsdesk.ui.worker_process import WorkerProcess
from recordsdesk.workers.protocol import encode_value

log = logging.getLogger("recordsdesk.ui.sync")

#: seconds after the data folder opened before the first automatic run
FIRST_DELAY_S = 30.0
#: seconds between automatic runs while all is well
INTERVAL_S = 120.0
#: pauses after failed runs in a row
RETRY_DELAYS_S = (5.0, 30.0, 120.0, 300.0)

if TYPE_CHECKING:
    from recordsdesk.archive.sync.central import Central
    from recordsdesk.services import Workspace

CentralJob = Callable[["Workspace", "Central"], Any]


class SyncRunner(QObject):
    """One background job at a time against the central archive.

    Signals (all delivered on the GUI thread):
        started: a job began.
        progress: (done, total, label msgid) of a sync run.
        finished: a job ended with this result (a SyncReport for a run).
        failed: a job ended by an exception (no connection, a refusal).
    """

    started = Signal()
    progress = Signal(int, int, str)
    #: the central archive wants a password the keyring does not have (argument: why);
    #: answer with :meth:`answer` (None: the user cancelled)
    password_wanted = Signal(str)
    finished = Signal(object)
    failed = Signal(object)
    _progress = Signal(int, int, str)
    _done = Signal(object, bool)
    _want = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.home: Path | None = None
        self._worker: WorkerProcess | None = None
        self._interactive = False
        self._tried_remembered = False
        self._running = False
        self._answer: str | None = None
        self._answered = threading.Event()
        #: a password typed this session (memory only: never written anywhere)
        self.remembered: str | None = None
        self._want.connect(self.password_wanted, Qt.ConnectionType.QueuedConnection)
        self._progress.connect(self.progress, Qt.ConnectionType.QueuedConnection)
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        """A job was started and its end not yet delivered (GUI thread's view)."""
        return self._running

    def run_sync(self, interactive: bool = False) -> bool:
        """Start a sync run; False when a job is running already (or no data folder).

        ``interactive`` (the user asked): a password the keyring lacks is asked for;
        a run by the timer uses only one typed earlier this session."""
        return self.run("sync", interactive)

    def run(self, job: CentralJob | str, interactive: bool = True) -> bool:
        """Start ``job`` in a worker process: ``"sync"``, or a picklable callable
        ``(workspace, central) -> result`` (a module-level function or a
        ``functools.partial`` of one); False when a job runs already."""
        if self.busy or self.home is None:
            return False
        given = "sync" if job == "sync" else encode_value(job)  # a lambda fails here
        self._interactive = interactive
        self._tried_remembered = False
        self._running = True
        self.started.emit()
        try:
            self._worker = WorkerProcess(
                "recordsdesk.workers.sync",
                [str(self.home), current_language()],
                name="rd-sync",
                on_event=self._event,
                # delivered after the worker ended, so the GUI thread never waits for it
                on_exit=lambda _code, outcome: self._done.emit(*outcome),
            )
        except OSError as exc:  # the worker could not be started: told as the job's end
            log.warning("the sync worker could not be started: %s", exc)
            self._done.emit(exc, False)
            return True
        self._worker.send(job=given)
        return True

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.send(cancel=True)

    def wait(self, timeout: float = 10.0) -> None:
        """Block until the job ended (the window closes; tests); it is cancelled."""
        worker = self._worker
        if worker is not None:
            self._answer = None  # a password question still open gets no answer
            self._answered.set()
            worker.stop()  # the end of its stdin cancels the job
            worker.join(timeout)
            if worker.process.poll() is None:
                log.warning("the sync worker did not end within %.1f s; killed", timeout)
                worker.kill()

    def answer(self, password: str | None) -> None:
        """The user's answer to :attr:`password_wanted` (GUI thread)."""
        self._answer = password
        self._answered.set()

    def _event(self, worker: WorkerProcess, event: dict[str, Any]) -> None:
        """One event of the worker, on its reader thread (which waits here for the
        user's answer to a password question: the worker waits for it too)."""
        kind = event.get("event")
        if kind == "progress":
            self._progress.emit(int(event["done"]), int(event["total"]), str(event["label"]))
        elif kind == "password_wanted":
            worker.send(password=self._ask(str(event.get("reason", ""))))

    def _ask(self, reason: str) -> str | None:
        """On the worker's reader thread: the remembered password first, then the user."""
        if self.remembered is not None and not self._tried_remembered:
            self._tried_remembered = True
            return self.remembered
        if not self._interactive:
            return None
        self._answered.clear()
        self._want.emit(reason)
        if not self._answered.wait(300):
            return None
        self.remembered = self._answer
        self._tried_remembered = True  # a refusal of this answer asks the user again
        return self._answer

    @Slot(object, bool)
    def _deliver(self, value: object, ok: bool) -> None:
        self._running = False
        (self.finished if ok else self.failed).emit(value)


class SyncScheduler(QObject):
    """When to sync by itself, and what the status bar says about it.

    Signals:
        state_changed: the indicator's text changed (the panel listens too).
    """

    state_changed = Signal()

    def __init__(self, runner: SyncRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.first_delay_s = FIRST_DELAY_S
        self.interval_s = INTERVAL_S
        self.retry_delays = RETRY_DELAYS_S
        self.failures = 0
        self.last_error: str | None = None
        self.last_report: SyncReport | None = None
        self.state: SyncStatus | None = None
        self.done = 0
        self.total = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sync_now)
        self.indicator = QLabel()
        self.indicator.setObjectName("syncIndicator")
        runner.started.connect(self._update)
        runner.progress.connect(self._progressed)
        runner.finished.connect(self._finished)
        runner.failed.connect(self._failed)

    def workspace_ready(self, home: Path) -> None:
        self.runner.home = home
        self._timer.start(round(self.first_delay_s * 1000))
        self._update()

    @property
    def next_run_ms(self) -> int:
        return self._timer.remainingTime() if self._timer.isActive() else -1

    def sync_now(self, interactive: bool = False) -> bool:
        """Run now (the user asked, or the timer); False when one is running already."""
        self._timer.stop()
        started = self.runner.run_sync(interactive)
        self._update()
        return started

    def show_status(self, state: SyncStatus) -> None:
        """The outbox as last read (after a run, or after a local change)."""
        self.state = state
        self._update()

    def shutdown(self) -> None:
        self._timer.stop()
        self.runner.wait()

    def _progressed(self, done: int, total: int, _label: str) -> None:
        self.done, self.total = done, total
        self._update()

    def _finished(self, result: object) -> None:
        if not isinstance(result, SyncReport):
            self._update()
            return  # a conflict settled: the panel asks for a run
        self.last_report = result
        lost = any(p.entity == "central" for p in result.problems)
        self._after(lost, result.problems[0].message() if lost else None)

    def _failed(self, exc: object) -> None:
        if isinstance(exc, Cancelled) or not isinstance(exc, BaseException):
            self._after(False, None)
            return
        self._after(True, reason_of(exc))

    def _after(self, failed: bool, reason: str | None) -> None:
        if failed:
            delay = self.retry_delays[min(self.failures, len(self.retry_delays) - 1)]
            self.failures += 1
            self.last_error = reason
        else:
            delay = self.interval_s
            self.failures = 0
            self.last_error = None
        self._timer.start(round(delay * 1000))
        self.done = self.total = 0
        self._update()

    def _update(self) -> None:
        text, tip = self.describe()
        self.indicator.setText(text)
        self.indicator.setAccessibleName(text)
        self.indicator.setToolTip(tip)
        self.indicator.setAccessibleDescription(tip)
        self.state_changed.emit()

    def describe(self) -> tuple[str, str]:
        """The indicator's text and its longer explanation, in the current language."""
        if self.runner.busy:
            progress = f" {self.done}/{self.total}" if self.total else ""
            return _("Sync: running") + progress, _("Synchronising with the central archive.")
        seconds = max(0, round(self.next_run_ms / 1000))
        if self.last_error is not None:
            return (
                _("Sync: no connection"),
                _("{reason} Trying again in {seconds} s; F9 tries now.").format(
                    reason=self.last_error, seconds=seconds
                ),
            )
        state = self.state
        if state is not None and state.conflicts:
            return (
                _("Sync: conflicts: {count}").format(count=state.conflicts),
                _("Changed here and in the central archive: choose in the sync panel."),
            )
        if state is not None and state.pending_changes:
            return (
                _("Sync: waiting: {count} ({size})").format(
                    count=state.pending_changes, size=format_size(state.pending_bytes)
                ),
                _("Changes not yet in the central archive; they go with the next sync."),
            )
        if state is not None and state.last_at is not None:
            return (
                _("Sync: up to date"),
                _("Last synchronised {when}.").format(when=format_datetime(state.last_at)),
            )
        return _("Sync: not yet"), _("Not synchronised with the central archive yet.")


__all__ = ["SyncRunner", "SyncScheduler"]
