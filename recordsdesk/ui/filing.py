"""Filing documents into a dossier from the UI: file dialog, drag-and-drop, progress.

Whatever the source (the "File documents…" dialog or files dropped from the
file manager), the paths go through :meth:`Filer.file_paths`, which runs
``services.file_paths`` on the database worker with the delayed progress
dialog. The core files everything or nothing, so Cancel and errors leave no
half-filed dossier behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, QUrl, Signal
from PySide6.QtWidgets import QWidget

from recordsdesk import services
from recordsdesk.i18n import N_, _
from recordsdesk.services import FilingResult
from recordsdesk.tasks import Cancelled
from recordsdesk.ui.errors import show_error, user_message
from recordsdesk.ui.formatting import Message
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.progress import ProgressTracker


def local_paths(urls: Iterable[QUrl]) -> list[Path]:
    """The local files among dropped URLs (remote URLs are ignored)."""
    return [Path(url.toLocalFile()) for url in urls if url.isLocalFile() and url.toLocalFile()]


def has_local_files(mime: QMimeData) -> bool:
    return mime.hasUrls() and bool(local_paths(mime.urls()))


class Filer(QObject):
    """Runs one filing action at a time and reports how it went.

    Signals:
        started: filing began (argument: number of files).
        finished: filing succeeded (argument: the ``FilingResult``).
        failed: nothing was filed (argument: the exception; ``Cancelled`` included).
        message: a one-line outcome for the status bar (a ``Message``).
    """

    started = Signal(int)
    finished = Signal(object)
    failed = Signal(object)
    message = Signal(object)

    def __init__(self, ops: Ops, parent: QWidget) -> None:
        super().__init__(parent)
        self._ops = ops
        self._window = parent
        self._busy = False
        self.tracker: ProgressTracker | None = None

    @property
    def busy(self) -> bool:
        return self._busy

    def file_paths(self, dossier_kenmerk: str, paths: Sequence[Path]) -> bool:
        """Start filing ``paths`` into the dossier; ``False`` if it could not start."""
        if not paths:
            return False
        if self._busy:
            self.message.emit(Message(N_("Please wait: documents are still being filed.")))
            return False
        self._busy = True
        count = len(paths)
        title = _("Filing {count} document(s) into {kenmerk}…").format(
            count=count, kenmerk=dossier_kenmerk
        )
        tracker = ProgressTracker(self._window, title)
        self.tracker = tracker
        chosen = list(paths)

        def job(ws: services.Workspace) -> FilingResult:
            return services.file_paths(
                ws, dossier_kenmerk, chosen, progress=tracker.report, cancel=tracker.token
            )

        def done(result: FilingResult) -> None:
            self._end(tracker)
            self.message.emit(
                Message(
                    N_("{count} document(s) filed into dossier {kenmerk}: {kenmerken}"),
                    {
                        "count": len(result.records),
                        "kenmerk": dossier_kenmerk,
                        "kenmerken": ", ".join(r.kenmerk for r in result.records),
                    },
                )
            )
            self.finished.emit(result)

        def failed(exc: BaseException) -> None:
            self._end(tracker)
            if isinstance(exc, Cancelled):
                self.message.emit(Message(N_("Filing cancelled; nothing was filed.")))
            else:

                def reason() -> str:
                    known = user_message(exc)
                    return known[0] if known else _("an unexpected error")

                self.message.emit(Message(N_("Nothing was filed: {reason}"), {"reason": reason}))
                show_error(self._window, exc)
            self.failed.emit(exc)

        tracker.start()
        self.started.emit(count)
        self._ops.db(job, done, failed, owner=self)
        return True

    def cancel(self) -> None:
        """Ask a running filing to stop (used when the window closes)."""
        if self.tracker is not None:
            self.tracker.token.cancel()

    def _end(self, tracker: ProgressTracker) -> None:
        tracker.finish()
        if self.tracker is tracker:
            self.tracker = None
        self._busy = False


__all__ = ["Filer", "has_local_files", "local_paths"]
