"""The open window watches its drop folders itself (Inbox › Watch drop folders).

:class:`FolderWatcher` runs :func:`recordsdesk.intake.runner.watch` on a thread
of its own, with a workspace of its own opened in that thread: ``watch`` blocks
until its stop event is set, so it can run neither on the GUI thread nor on the
database worker of :class:`~recordsdesk.ui.ops.Ops`. Nothing is handed to the
GUI per item: the inbox panel's own reads (every 2 seconds) show what came in
and announce it. When the thread ends by an error (the data folder cannot be
opened, anything unexpected) it is logged and :attr:`FolderWatcher.stopped`
tells the GUI thread (a queued signal); the user can switch watching on again.

:class:`WatchSwitch` is the user's side: the checkable Inbox-menu action (on by
default, remembered in QSettings), the status-bar indicator and the messages.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow

from recordsdesk.i18n import N_, _
from recordsdesk.intake import runner
from recordsdesk.intake.stability import DEFAULT_QUIET_PERIOD
from recordsdesk.services import open_workspace
from recordsdesk.ui import settings as ui_settings
from recordsdesk.ui.errors import user_message
from recordsdesk.ui.formatting import Message

log = logging.getLogger("recordsdesk.ui.watcher")

#: how long stopping waits for the thread (it notices the stop within 0.05 s
#: unless it is in the middle of taking a round of files)
STOP_TIMEOUT_S = 5.0


def reason_of(exc: BaseException) -> str:
    """A one-line reason for the status bar, in the current language."""
    known = user_message(exc)
    if known is not None:
        return known[0]
    return _("unexpected error ({error}); details are in the log").format(error=type(exc).__name__)


class FolderWatcher(QObject):
    """Runs ``runner.watch`` on its own thread with its own workspace.

    Signals:
        stopped: the thread ended by an error (argument: the exception); it is
            delivered on the GUI thread. A stop asked for emits nothing.
    """

    stopped = Signal(object)
    _failed = Signal(object, object)  # (thread, exc): emitted there, queued to the GUI thread

    def __init__(
        self, quiet_period: float = DEFAULT_QUIET_PERIOD, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        #: seconds a file must stay unchanged (read when the thread starts)
        self.quiet_period = quiet_period
        self.worker: threading.Thread | None = None
        self._stop = threading.Event()
        self._failed.connect(self._report, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        return self.worker is not None and self.worker.is_alive()

    def start(self, home: Path) -> None:
        """Start watching the drop folders of the data folder ``home`` (no-op if running)."""
        if self.running and not self._stop.is_set():
            return
        # A thread asked to stop may still be finishing its round; it ends by itself.
        # Two takers for a moment are safe: claims are serialised in the database.
        self._stop = threading.Event()
        self.worker = threading.Thread(
            target=self._run,
            args=(home, self._stop, self.quiet_period),
            name="rd-watch",
            daemon=False,
        )
        self.worker.start()
        log.info("watching the drop folders of %s", home)

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> bool:
        """Ask the thread to stop and wait up to ``timeout`` s; ``True`` when it ended.

        ``timeout=0`` only asks (the user's switch: the GUI thread must not wait for
        a round of intake to finish).
        """
        self._stop.set()
        thread = self.worker
        if thread is None:
            return True
        if timeout > 0:
            thread.join(timeout)
        if thread.is_alive():
            # it is busy with a round; it ends (and closes its workspace) by itself
            log.warning("the drop-folder watcher did not stop within %.1f s", timeout)
            return False
        self.worker = None
        return True

    def _run(self, home: Path, stop: threading.Event, quiet_period: float) -> None:
        """The thread: open a workspace, watch until stopped, close it. Never raises."""
        ws = None
        try:
            ws = open_workspace(home)
            runner.watch(ws, stop, quiet_period=quiet_period)
        except BaseException as exc:  # reported to the GUI thread, never lost
            if user_message(exc) is not None:
                log.warning("watching the drop folders stopped: %s", exc)
            else:
                log.exception("watching the drop folders stopped by an unexpected error")
            if not stop.is_set():
                self._failed.emit(threading.current_thread(), exc)
        finally:
            if ws is not None:
                try:
                    ws.close()
                except Exception:
                    log.exception("closing the watcher's workspace failed")
            log.info("stopped watching the drop folders of %s", home)

    @Slot(object, object)
    def _report(self, thread: threading.Thread, exc: BaseException) -> None:
        if thread is not self.worker:
            return  # an earlier run, stopped meanwhile
        thread.join(STOP_TIMEOUT_S)  # it is past its last step: ends at once
        if not thread.is_alive():
            self.worker = None
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
        self.action = QAction(window)
        self.action.setObjectName("actionInboxWatch")
        self.action.setCheckable(True)
        self.action.setChecked(ui_settings.watch_folders(settings))
        self.action.setShortcut(QKeySequence("Ctrl+Shift+W"))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        window.addAction(self.action)
        self.indicator = QLabel()
        self.indicator.setObjectName("watchIndicator")
        self.action.toggled.connect(self._toggled)
        self.watcher.stopped.connect(self._stopped)
        self.retranslate()

    @property
    def on(self) -> bool:
        return self.action.isChecked()

    def workspace_ready(self, home: Path) -> None:
        """The data folder is open: start watching if the user wants it."""
        self._home = home
        if self.on:
            self.watcher.start(home)
        self._update()

    def shutdown(self) -> None:
        """The window closes: stop the thread (blocks at most a few seconds)."""
        self.watcher.stop()

    def _toggled(self, on: bool) -> None:
        ui_settings.set_watch_folders(self.settings, on)
        if on and self._home is not None:
            self.watcher.start(self._home)
            self.message.emit(Message(N_("Watching the drop folders.")))
        elif not on:
            self.watcher.stop(timeout=0)
            self.message.emit(
                Message(N_("Not watching the drop folders; use Process drop folders now."))
            )
        self._update()

    def _stopped(self, exc: BaseException) -> None:
        # unchecked without touching the stored choice: the next start tries again
        self.action.blockSignals(True)
        self.action.setChecked(False)
        self.action.blockSignals(False)
        self.message.emit(
            Message(
                N_("Watching the drop folders stopped: {reason}"),
                {"reason": lambda: reason_of(exc)},
            )
        )
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
        text = _("Watching: on") if running else _("Watching: off")
        self.indicator.setText(text)
        self.indicator.setAccessibleName(text)
        self.indicator.setToolTip(
            _("RecordsDesk brings files in from the drop folders by itself.")
            if running
            else _("Drop folders are not watched; switch it on in the Inbox menu.")
        )
        self.indicator.setAccessibleDescription(self.indicator.toolTip())


__all__ = ["STOP_TIMEOUT_S", "FolderWatcher", "WatchSwitch", "reason_of"]
