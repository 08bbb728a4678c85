"""Background work on the central archive itself, for views that read it (search).

:class:`CentralOps` has the job interface of :class:`~recordsdesk.ui.ops.Ops`
(``db`` and ``io``, a job receives a :class:`Workspace`, its result comes back on
the GUI thread), but the workspace its jobs receive is the central archive: the
same services, run on this workstation's central login, so everything the
database enforces (roles, row-level security) applies to what a view shows.

The connection is made on first use, on a worker thread (never the GUI thread):
the workstation's central URL, the password from the keyring, else one typed
this session (the sync runner's, so the user is asked once), else the user is
asked through :attr:`CentralOps.password_wanted`. A failure (no connection, a
refused login) goes to the job's error handler; the next job tries again.
:meth:`CentralOps.shutdown` as in Ops.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.services import Workspace, open_workspace
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.sync import SyncRunner

log = logging.getLogger("recordsdesk.ui.central_ops")

ANSWER_TIMEOUT_S = 300.0  # how long a worker waits for the password dialog


class CentralOps(Ops):
    """Jobs on the central archive; see the module contract.

    Signals (besides Ops'):
        password_wanted: the central archive wants a password the keyring lacks
            (argument: why); answer with :meth:`answer` (None: cancelled).
    """

    password_wanted = Signal(str)
    _want = Signal(str)

    def __init__(self, runner: SyncRunner | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: the workstation's data folder (set when the local workspace is open)
        self.home: Path | None = None
        self._runner = runner
        self._opening = threading.Lock()
        self._answer: str | None = None
        self._answered = threading.Event()
        self._tried_remembered = False
        self._want.connect(self.password_wanted, Qt.ConnectionType.QueuedConnection)

    def _require_ws(self) -> Workspace:
        """Runs on a worker: the central workspace, connecting first if need be."""
        with self._opening:  # the IO pool may ask at the same moment
            if self._ws is None:
                self._ws = self._connect()
            return self._ws

    def _connect(self) -> Workspace:
        home = self.home
        if home is None:
            raise UserError(N_("The data folder is not open."))
        self._tried_remembered = False
        # loaded with the first central read, not with the window (start-up: the
        # PostgreSQL dialect and the central modules are 0.15 s of imports)
        from recordsdesk.archive.central.connection import central_engine
        from recordsdesk.archive.sync.central_content import open_central_workspace

        local = open_workspace(home)
        try:
            engine = central_engine(local, self._ask)
        finally:
            local.close()
        try:
            return open_central_workspace(home, engine)
        except BaseException:
            engine.dispose()
            raise

    def _ask(self, reason: str) -> str | None:
        """Runs on a worker: a password typed this session first, then the user."""
        remembered = self._runner.remembered if self._runner is not None else None
        if remembered is not None and not self._tried_remembered:
            self._tried_remembered = True
            return remembered
        self._answered.clear()
        self._want.emit(reason)
        if not self._answered.wait(ANSWER_TIMEOUT_S):
            return None
        self._tried_remembered = True  # a refusal of this answer asks the user again
        if self._runner is not None and self._answer is not None:
            self._runner.remembered = self._answer  # the next sync need not ask
        return self._answer

    @Slot(object)
    def answer(self, password: str | None) -> None:
        """The user's answer to :attr:`password_wanted` (GUI thread)."""
        self._answer = password
        self._answered.set()

    def shutdown(self) -> None:
        """Stop the threads (blocks); a password dialog still open is answered 'cancel'."""
        self._answered.set()
        ws = self._ws
        super().shutdown()
        if ws is not None:
            ws.engine.dispose()
