"""Keeping the local search index up to date while the window is open.

Changes mark what must be indexed (:mod:`recordsdesk.search.index`, triggers of
migration 0015); a search indexes at most a batch itself. After a large intake
or a pull many marks wait, so :class:`SearchUpkeep` works them off in the
background: one batch per job on the database worker (so a user's own action
waits at most one batch), the next batch queued only when the previous one is
done, until nothing waits. It starts when the workspace is ready, after each
sync, and every :data:`CHECK_SECONDS` (a count of the marks: cheap when idle).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from recordsdesk.search import index
from recordsdesk.services.workspace import Workspace
from recordsdesk.ui.ops import Ops

BATCH = 250  # objects per job: well under the 100 ms a user action may wait on SQLite
CHECK_SECONDS = 60


def index_step(ws: Workspace, batch: int) -> int:
    """One batch indexed in its own transaction; the number of marks still waiting."""
    with ws.sessions() as session, session.begin():
        index.refresh(session, limit=batch, batch=batch)
        return index.pending_count(session)


class SearchUpkeep(QObject):
    """Works off pending index marks in the background; see the module docstring.

    Signals:
        waiting(int): marks still waiting after each batch (0: up to date).
    """

    waiting = Signal(int)

    def __init__(self, ops: Ops, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._busy = False
        self.batch = BATCH
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_SECONDS * 1000)
        self._timer.timeout.connect(self.poke)

    def start(self) -> None:
        """The workspace is ready: check now and then every minute."""
        self._timer.start()
        self.poke()

    def stop(self) -> None:
        self._timer.stop()

    def poke(self) -> None:
        """Something may have changed: index what waits (one job at a time)."""
        if self._busy or self._ops.workspace is None:
            return
        self._busy = True
        step = self.batch
        if (
            self._ops.db(lambda ws: index_step(ws, step), self._done, self._failed, owner=self)
            is None
        ):
            self._busy = False  # shutting down

    def _done(self, remaining: int) -> None:
        self._busy = False
        self.waiting.emit(remaining)
        if remaining:
            QTimer.singleShot(0, self.poke)  # let queued user actions go first

    def _failed(self, _exc: BaseException) -> None:
        # not the user's action: the next check tries again, and a search indexes
        # what it needs itself (and says what still waits)
        self._busy = False
