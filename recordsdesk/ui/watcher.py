"""The open window watches its drop folders itself (Inbox › Watch drop folders).

:class:`FolderWatcher` runs :func:`recordsdesk.intake.runner.watch` in a worker
process (:mod:`recordsdesk.workers.watch`), with a workspace of its own: intake
is Python work for seconds on end, and as a thread of the window it held up
every paint (the interpreter lock; workload ``heartbeat``). Nothing is handed
to the GUI per item: the inbox panel's own reads (every 2 seconds) show what
came in and announce it. Beside it the worker takes scanned batches apart
(``services.scan_loop``): its progress goes to the status bar (queued signals),
and a stop cancels the OCR in progress (the batch waits for the next run).
When the worker ends by an error (the data folder cannot be opened, anything
unexpected, the worker killed) it is logged and :attr:`FolderWatcher.stopped`
tells the GUI thread (a queued signal). The switch stays on and tries again by
itself after a pause that grows with each failure in a row (5 s, 30 s, 2 min,
then every 5 min; a run that lasted :data:`RETRY_RESET_S` starts the count
again); switching off cancels the next try, switching on tries at once.

:class:`WatchSwitch` is the user's side: the checkable Inbox-menu action (on by
default, remembered in QSettings), the status-bar indicator and the messages.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow

from recordsdesk.i18n import N_, _, current_language
from recordsdesk.intake.stability import DEFAULT_QUIET_PERIOD
from recordsdesk.ui import settings as ui_settings
from recordsdesk.ui.errors import user_message
from recordsdesk.ui.formatting import Message
from recordsdesk.ui.worker_process import Outcome, WorkerProcess

log = logging.getLogger("recordsdesk.ui.watcher")

#: how long stopping waits for the thread (it notices the stop within 0.05 s
#: unless it is in the middle of taking a round of files)
STOP_TIMEOUT_S = 5.0
#: pauses before trying again after the watcher stopped by an error, in a row
RETRY_DELAYS_S = (5.0, 30.0, 120.0, 300.0)
#: a run that lasted this long was a success: the next failure waits the shortest pause
RETRY_RESET_S = 600.0


def reason_of(exc: BaseException) -> str:
    """A one-line reason for the status bar, in the current language."""
    known = user_message(exc)
    if known is not None:
        return known[0]
    return _("unexpected error ({error}); details are in the log").format(error=type(exc).__name__)


def _sentence(text: str) -> str:
    """``text`` ending as a sentence does, so another can follow it."""
    return text if text.endswith((".", "!", "?")) else text + "."


class FolderWatcher(QObject):
    """Runs the drop-folder watcher (:mod:`recordsdesk.workers.watch`) in a worker
    process of its own, so intake's Python never competes with the GUI thread.

    Signals:
        stopped: the worker ended by an error (argument: the exception); it is
            delivered on the GUI thread. A stop asked for emits nothing.
    """

    stopped = Signal(object)
    _failed = Signal(int, object)  # (run, exc): emitted by the reader, queued to the GUI thread
    #: a scanned batch is being taken apart: (file name, done, total, label msgid)
    scan_progress = Signal(str, int, int, str)
    #: a batch was taken apart (a ``Message``), or a scan problem (a ``Message``)
    scan_message = Signal(object)
    scan_idle = Signal()  # no batch is being taken apart any more

    #: the worker's module (a test may start a worker of its own that fails on purpose)
    module = "recordsdesk.workers.watch"

    def __init__(
        self, quiet_period: float = DEFAULT_QUIET_PERIOD, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        #: seconds a file must stay unchanged (read when the worker starts)
        self.quiet_period = quiet_period
        self.worker: WorkerProcess | None = None
        self._run = 0
        self._stop = threading.Event()
        self._failed.connect(self._report, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        return self.worker is not None and self.worker.is_alive()

    def start(self, home: Path) -> None:
        """Start watching the drop folders of the data folder ``home`` (no-op if running)."""
        if self.running and not self._stop.is_set():
            return
        # A worker asked to stop may still be finishing its round; it ends by itself.
        # Two takers for a moment are safe: claims are serialised in the database.
        self._run += 1
        run, stop = self._run, threading.Event()
        self._stop = stop

        def on_exit(code: int, outcome: Outcome) -> None:
            if code != 0 and not stop.is_set():  # 0: it stopped because it was asked to
                self._failed.emit(run, outcome[0])

        try:
            self.worker = WorkerProcess(
                self.module,
                [str(home), repr(self.quiet_period), current_language()],
                name="rd-watch",
                on_event=self._event,
                on_exit=on_exit,
            )
        except OSError as exc:  # could not be started: told like a worker that failed
            self.worker = None
            self._failed.emit(run, exc)
            return
        log.info("watching the drop folders of %s", home)

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> bool:
        """Ask the worker to stop and wait up to ``timeout`` s; ``True`` when it ended.

        ``timeout=0`` only asks (the user's switch: the GUI thread must not wait for
        a round of intake to finish).
        """
        self._stop.set()
        worker = self.worker
        if worker is None:
            return True
        worker.stop()
        if timeout > 0:
            worker.join(timeout)
        if worker.is_alive():
            # it is busy with a round; it ends (and closes its workspace) by itself
            log.warning("the drop-folder watcher did not stop within %.1f s", timeout)
            return False
        self.worker = None
        log.info("stopped watching the drop folders")
        return True

    def _event(self, _worker: WorkerProcess, event: dict[str, Any]) -> None:
        """One event of the worker (on its reader thread: signals only)."""
        kind = event.get("event")
        if kind == "scan_progress":
            self.scan_progress.emit(
                str(event["name"]), int(event["done"]), int(event["total"]), str(event["label"])
            )
        elif kind == "scan_message":
            self.scan_message.emit(Message(str(event["msgid"]), dict(event.get("params", {}))))
        elif kind == "scan_idle":
            self.scan_idle.emit()

    @Slot(int, object)
    def _report(self, run: int, exc: BaseException) -> None:
        if run != self._run or self._stop.is_set():
            return  # an earlier run, or one stopped meanwhile
        if self.worker is not None:
            self.worker.join(STOP_TIMEOUT_S)  # it has ended: its last events are read at once
            if not self.worker.is_alive():
                self.worker = None
        if user_message(exc) is not None:
            log.warning("watching the drop folders stopped: %s", exc)
        else:
            log.warning("watching the drop folders stopped by an unexpected error: %r", exc)
        self.stopped.emit(exc)


class WatchSwitch(QObject):
    """The Inbox-menu action that switches watching on and off, and its indicator."""

    message = Signal(object)  # a ``Message`` for the status bar

    def __init__(
        self, window: QMainWindow, settings: QSettings, watcher: FolderWatcher | None = None
    ) -> None:
        super().__init__(window)
        self.settings = settings
        self.watcher = watcher or FolderWatcher(parent=self)
        self._home: Path | None = None
        #: pauses before the next try after an error (tests shorten them)
        self.retry_delays: tuple[float, ...] = RETRY_DELAYS_S
        self._failures = 0  # errors in a row
        self._started_at = 0.0  # time.monotonic() of the last start
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._try_again)
        self.action = QAction(window)
        self.action.setObjectName("actionInboxWatch")
        self.action.setCheckable(True)
        self.action.setChecked(ui_settings.watch_folders(settings))
        self.action.setShortcut(QKeySequence("Ctrl+Shift+W"))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        window.addAction(self.action)
        self.indicator = QLabel()
        self.indicator.setObjectName("watchIndicator")
        #: the scanned batch being taken apart, and how far (hidden when none is)
        self.scan_indicator = QLabel()
        self.scan_indicator.setObjectName("scanIndicator")
        self.scan_indicator.hide()
        self.action.toggled.connect(self._toggled)
        self.watcher.stopped.connect(self._stopped)
        self.watcher.scan_progress.connect(self._scan_progress)
        self.watcher.scan_idle.connect(self.scan_indicator.hide)
        self.watcher.scan_message.connect(self.message.emit)
        self.retranslate()

    @property
    def on(self) -> bool:
        return self.action.isChecked()

    @property
    def retrying(self) -> bool:
        """Stopped by an error; the next try is scheduled."""
        return self._retry.isActive()

    def workspace_ready(self, home: Path) -> None:
        """The data folder is open: start watching if the user wants it."""
        self._home = home
        if self.on:
            self._start()
        self._update()

    def shutdown(self) -> None:
        """The window closes: stop the thread (blocks at most a few seconds)."""
        self._retry.stop()
        self.watcher.stop()

    def _start(self) -> None:
        assert self._home is not None
        self._started_at = time.monotonic()
        self.watcher.start(self._home)

    def _toggled(self, on: bool) -> None:
        ui_settings.set_watch_folders(self.settings, on)
        self._retry.stop()
        self._failures = 0
        if on and self._home is not None:
            self._start()
            self.message.emit(Message(N_("Watching the drop folders.")))
        elif not on:
            self.watcher.stop(timeout=0)
            self.message.emit(
                Message(N_("Not watching the drop folders; use Process drop folders now."))
            )
        self._update()

    def _stopped(self, exc: BaseException) -> None:
        if time.monotonic() - self._started_at >= RETRY_RESET_S:
            self._failures = 0  # it ran well for a long time: a new problem
        delay = self.retry_delays[min(self._failures, len(self.retry_delays) - 1)]
        self._failures += 1
        if self.on:
            self._retry.start(round(delay * 1000))
        self.message.emit(
            Message(
                N_("Watching the drop folders stopped: {reason} Trying again in {seconds} s."),
                {"reason": lambda: _sentence(reason_of(exc)), "seconds": round(delay)},
            )
        )
        self._update()

    def _scan_progress(self, name: str, done: int, total: int, label: str) -> None:
        text = _("{step} {name}: {done} of {total} pages").format(
            step=_(label), name=name, done=done, total=total
        )
        self.scan_indicator.setText(text)
        self.scan_indicator.setAccessibleName(text)
        self.scan_indicator.setToolTip(_("A scanned batch is being taken apart (split, checked, "
                                         "OCR'd). Stop watching to cancel it; it is taken "
                                         "apart again the next time."))  # fmt: skip
        self.scan_indicator.show()

    def _try_again(self) -> None:
        if self.on and self._home is not None and not self.watcher.running:
            log.info("trying to watch the drop folders again (attempt %d)", self._failures + 1)
            self._start()
        self._update()

    def retranslate(self) -> None:
        self.action.setText(_("&Watch drop folders"))
        self._update()

    def _update(self) -> None:
        tip = _(
            "Bring files in from the drop folders by themselves while RecordsDesk is open "
            "(Ctrl+Shift+W)"
        )
        self.action.setToolTip(tip)
        self.action.setStatusTip(tip)
        self.action.setWhatsThis(tip)
        running = self.on and self.watcher.running
        if running:
            text = _("Watching: on")
            tip = _("RecordsDesk brings files in from the drop folders by itself.")
        elif self.on and self.retrying:
            text = _("Watching: trying again soon")
            tip = _(
                "Watching the drop folders stopped by an error (see the status bar); "
                "RecordsDesk tries again by itself. Switch it off in the Inbox menu to stop."
            )
        else:
            text = _("Watching: off")
            tip = _("Drop folders are not watched; switch it on in the Inbox menu.")
        self.indicator.setText(text)
        self.indicator.setAccessibleName(text)
        self.indicator.setToolTip(tip)
        self.indicator.setAccessibleDescription(self.indicator.toolTip())


__all__ = [
    "RETRY_DELAYS_S",
    "RETRY_RESET_S",
    "STOP_TIMEOUT_S",
    "FolderWatcher",
    "WatchSwitch",
    "reason_of",
]
