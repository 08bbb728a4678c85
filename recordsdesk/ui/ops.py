"""The one way the UI runs work in the background.

Two executors, as in the architecture (section 5):

* ``db``: a single worker thread for everything that touches the working store.
  It serialises writers, so SQLite never sees two writers from this process,
  and it is where the workspace is opened (migrations included).
* ``io``: a small pool for reading and checking file content (previews).

On Linux both run a little below the GUI thread's priority
(:func:`below_the_gui_thread`): on a busy two-core workstation the GUI thread, which
must answer within milliseconds, then gets the processor first when both want it.

A job is a plain function that receives the open :class:`Workspace` and returns
a value (a DTO, never a widget or ORM object). Its result or exception is
delivered on the GUI thread through a queued Qt signal; callbacks whose owner
widget has been deleted in the meantime are dropped. Workers never touch
widgets.

Contract for callers::

    ops.db(lambda ws: services.dossier_ids(ws), on_success, on_error, owner=self)

``on_error`` defaults to :func:`recordsdesk.ui.errors.show_error` with the owner
as parent.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from recordsdesk import services
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.services import Workspace
from recordsdesk.ui.errors import show_error

T = TypeVar("T")
Job = Callable[[Workspace], T]
ErrorHandler = Callable[[BaseException], None]

log = logging.getLogger("recordsdesk.ui.ops")

IO_WORKERS = 3
#: how far below the GUI thread the worker threads run (POSIX niceness, added)
WORKER_NICENESS = 5


def below_the_gui_thread() -> None:
    """Runs first in each worker thread: on Linux it yields the processor to the GUI
    thread (measured: the heartbeat's largest gap, median of ten runs, 109 ms before,
    86 ms after). A Linux thread has a niceness of its own, raised here by
    :data:`WORKER_NICENESS`; the scheduler still gives it its share, so a job holding
    the interpreter lock gets a core soon (the GUI thread waiting for it uses none).
    Elsewhere nothing changes: Windows runs a below-normal thread only when no normal
    one of any program wants the core, so a job holding the lock could hold the GUI
    thread with it for seconds; on macOS the niceness is the whole process's."""
    if not sys.platform.startswith("linux"):
        return
    thread = threading.get_native_id()
    with contextlib.suppress(OSError):  # not allowed: as it is
        now = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(now + WORKER_NICENESS, 19))


class _Bridge(QObject):
    """Lives on the GUI thread; worker threads emit, the GUI thread runs."""

    deliver = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.deliver.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, thunk: Callable[[], None]) -> None:
        thunk()  # a bound slot of a GUI-thread object: Qt runs it on the GUI thread


class Ops(QObject):
    """Background executors plus the workspace they work on.

    Signals:
        workspace_ready: the workspace is open (argument: its home folder).
        workspace_failed: opening it failed (argument: the exception).
        idle: no job is queued or running any more.
    """

    workspace_ready = Signal(object)
    workspace_failed = Signal(object)
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = _Bridge()
        self._db = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="rd-db", initializer=below_the_gui_thread
        )
        self._io = ThreadPoolExecutor(
            max_workers=IO_WORKERS, thread_name_prefix="rd-io", initializer=below_the_gui_thread
        )
        self._ws: Workspace | None = None
        self._ws_error: BaseException | None = None
        self._pending = 0
        self._lock = threading.Lock()
        self._closed = False

    # -- state ------------------------------------------------------------
    @property
    def pending(self) -> int:
        """Jobs submitted whose callbacks have not run yet."""
        return self._pending

    @property
    def workspace(self) -> Workspace | None:
        """The open workspace (read it only for display, e.g. its home folder)."""
        return self._ws

    def _require_ws(self) -> Workspace:
        ws = self._ws
        if ws is None:
            if self._ws_error is not None:
                raise self._ws_error
            raise UserError(N_("The data folder is not open."))
        return ws

    # -- opening and closing ----------------------------------------------
    def open_workspace(self, home: Path | None) -> None:
        """Open the workspace on the database worker; signals tell how it went."""

        def opening() -> Workspace:
            try:
                self._ws = services.open_workspace(home)
            except BaseException as exc:
                self._ws_error = exc
                raise
            return self._ws

        def ready(ws: Workspace) -> None:
            self.workspace_ready.emit(ws.layout.root)

        self._submit(self._db, opening, ready, self.workspace_failed.emit, None)

    def shutdown(self) -> None:
        """Finish queued jobs, close the workspace, stop the threads (blocks)."""
        if self._closed:
            return
        self._closed = True
        self._io.shutdown(wait=True, cancel_futures=True)
        ws = self._ws
        if ws is not None:
            self._db.submit(ws.close)
        self._db.shutdown(wait=True)
        self._ws = None

    # -- jobs ---------------------------------------------------------------
    def db(
        self,
        job: Job[T],
        on_success: Callable[[T], None],
        on_error: ErrorHandler | None = None,
        *,
        owner: QObject | None = None,
    ) -> Future[None] | None:
        """Run ``job(ws)`` on the database worker (``None``: already shut down)."""
        return self._submit(self._db, lambda: job(self._require_ws()), on_success, on_error, owner)

    def io(
        self,
        job: Job[T],
        on_success: Callable[[T], None],
        on_error: ErrorHandler | None = None,
        *,
        owner: QObject | None = None,
    ) -> Future[None] | None:
        """Run ``job(ws)`` on the IO pool (reads only: content checks, previews)."""
        return self._submit(self._io, lambda: job(self._require_ws()), on_success, on_error, owner)

    def _submit(
        self,
        executor: ThreadPoolExecutor,
        call: Callable[[], T],
        on_success: Callable[[T], None],
        on_error: ErrorHandler | None,
        owner: QObject | None,
    ) -> Future[None] | None:
        if self._closed:  # the window is closing; views may still ask for rows
            log.debug("job ignored: background work is shut down")
            return None
        with self._lock:
            self._pending += 1

        def work() -> None:
            try:
                result = call()
            except BaseException as exc:  # delivered to the GUI thread, never lost
                error = exc
                self._bridge.deliver.emit(lambda: self._finish(owner, on_error, error, True))
            else:
                self._bridge.deliver.emit(lambda: self._finish(owner, on_success, result, False))

        return executor.submit(work)

    def _finish(
        self, owner: QObject | None, callback: Callable[[Any], None] | None, value: Any, err: bool
    ) -> None:
        try:
            if owner is not None and not isValid(owner):
                return  # the widget that asked is gone; nobody wants the answer
            if callback is not None:
                callback(value)
            elif err:
                self._default_error(owner, value)
        finally:
            with self._lock:
                self._pending -= 1
                now_idle = self._pending == 0
            if now_idle:
                self.idle.emit()

    @staticmethod
    def _default_error(owner: QObject | None, exc: BaseException) -> None:
        parent = owner if isinstance(owner, QWidget) else None
        show_error(parent, exc)
