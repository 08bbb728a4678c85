"""Progress for long work: a dialog that appears only when the work is slow.

The worker calls :meth:`ProgressTracker.report` as often as it likes (it only
stores the latest numbers, under a lock); the GUI thread samples them every
:data:`SAMPLE_MS` and shows a dialog only after :data:`SHOW_AFTER_MS`, so quick
actions never flash a dialog. Cancel sets the :class:`CancelToken` the worker
checks between steps; the core then rolls back, so a cancelled action leaves
nothing half-done.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget

from recordsdesk.i18n import _
from recordsdesk.tasks import CancelToken

SHOW_AFTER_MS = 600
BUSY_CURSOR_AFTER_MS = 300
SAMPLE_MS = 150
SCALE = 1000  # QProgressDialog counts in int; byte totals do not fit


class ProgressTracker(QObject):
    """Delayed, sampled progress with Cancel for one background action.

    Signals:
        shown: the dialog became visible (the action is slow).
    """

    shown = Signal()

    def __init__(self, parent: QWidget, title: str, *, indeterminate: bool = False) -> None:
        """``indeterminate``: the total is unknown; a busy bar and the label only."""
        super().__init__(parent)
        self._parent = parent
        self._title = title
        self._indeterminate = indeterminate
        self.token = CancelToken()
        self._lock = threading.Lock()
        self._latest: tuple[int, int, str] = (0, 0, "")
        self._dialog: QProgressDialog | None = None
        self._busy = False
        self._show_timer = QTimer(self, singleShot=True, interval=SHOW_AFTER_MS)
        self._show_timer.timeout.connect(self._show)
        self._busy_timer = QTimer(self, singleShot=True, interval=BUSY_CURSOR_AFTER_MS)
        self._busy_timer.timeout.connect(self._set_busy)
        self._sample_timer = QTimer(self, interval=SAMPLE_MS)
        self._sample_timer.timeout.connect(self._sample)

    @property
    def dialog(self) -> QProgressDialog | None:
        return self._dialog

    def start(self) -> None:
        """Call on the GUI thread when the job is submitted."""
        self._show_timer.start()
        self._busy_timer.start()

    def report(self, done: int, total: int, label: str) -> None:
        """The core's ``progress`` callback; safe from any thread, cheap."""
        with self._lock:
            self._latest = (done, total, label)

    def finish(self) -> None:
        """Call on the GUI thread when the job's result or error has arrived."""
        self._show_timer.stop()
        self._busy_timer.stop()
        self._sample_timer.stop()
        if self._busy:
            QApplication.restoreOverrideCursor()
            self._busy = False
        if self._dialog is not None:
            self._dialog.reset()
            self._dialog.hide()
            self._dialog.deleteLater()
            self._dialog = None
        self.deleteLater()

    def _set_busy(self) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        self._busy = True

    def _show(self) -> None:
        dialog = QProgressDialog(self._parent)
        dialog.setObjectName("progressDialog")
        dialog.setWindowTitle(self._title)
        dialog.setAccessibleName(self._title)
        dialog.setLabelText(self._title)
        dialog.setCancelButtonText(_("Cancel"))
        dialog.setRange(0, 0 if self._indeterminate else SCALE)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.canceled.connect(self._cancel)
        self._dialog = dialog
        self._sample()
        dialog.show()
        self._sample_timer.start()
        self.shown.emit()

    def _sample(self) -> None:
        dialog = self._dialog
        if dialog is None or self.token.cancelled:
            return
        with self._lock:
            done, total, label = self._latest
        if not self._indeterminate:
            dialog.setValue(int(done * SCALE / total) if total else 0)
        if label:
            dialog.setLabelText(f"{self._title}\n{label}")

    def _cancel(self) -> None:
        self.token.cancel()
        if self._dialog is not None:
            self._dialog.setLabelText(_("Cancelling…"))
            button = self._dialog.findChild(QPushButton)
            if button is not None:
                button.setEnabled(False)  # pressed once is enough; the worker stops soon
