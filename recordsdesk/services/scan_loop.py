"""Taking scanned batches apart beside intake, until stopped.

``take_apart_until`` is the second thread of a watcher: ``recordsdesk watch``
and the open window's watcher both run it next to ``intake.runner.watch``, so
OCR never holds new files up. Each pending batch is taken apart in turn; its
progress, its outcome and any problem are handed to the caller's callbacks
(which a window turns into status-bar text). A problem is told once, not every
round (Tesseract missing would otherwise repeat every two seconds); an
unexpected error is logged and the loop goes on with the next batch, so intake
beside it never loses its scans. A stop cancels the OCR in progress: that
batch stays pending and is taken apart on the next run.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from recordsdesk.db.models import InboxItem
from recordsdesk.errors import UserError
from recordsdesk.i18n import _, translate_error
from recordsdesk.services import scan_batches
from recordsdesk.services.workspace import Workspace
from recordsdesk.tasks import Cancelled, CancelToken, Progress

log = logging.getLogger("recordsdesk.scan")

#: (batch file name, done, total, label msgid) while a batch is taken apart
BatchProgress = Callable[[str, int, int, str], None]
PAUSE_S = 2.0  # between looks for new batches
RETRY_S = (30.0, 120.0, 600.0)  # before trying a batch again after 1, 2, 3+ failures


def take_apart_until(
    ws: Workspace,
    stop: threading.Event,
    cancel: CancelToken,
    *,
    progress: BatchProgress | None = None,
    done: Callable[[scan_batches.BatchOutcome], None] | None = None,
    problem: Callable[[str], None] | None = None,
    idle: Callable[[], None] | None = None,
    pause: float = PAUSE_S,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Take apart pending batches until ``stop`` is set (see the module). Never raises.

    ``idle()`` follows every attempt, whatever its end. A batch whose attempt failed
    for a reason that is not the file's own (OCR failed, say; the file's own
    problems stop it with a reason) is tried again after a pause that grows with
    each failure (``RETRY_S``), not every round.
    """
    said: set[str] = set()
    failures: dict[str, tuple[int, float]] = {}  # item -> (failures in a row, next try)

    def tell(message: str) -> None:
        if message not in said:
            said.add(message)
            if problem is not None:
                problem(message)

    while not stop.is_set():
        try:
            pending = scan_batches.pending_batches(ws)
        except Exception:  # the store went away for a moment: look again later
            log.exception("looking for scanned batches failed")
            pending = []
        for item_id in pending:
            if stop.is_set():
                return
            count, next_try = failures.get(item_id, (0, 0.0))
            if clock() < next_try:
                continue

            try:
                report = _reporter(progress, _name(ws, item_id))
                outcome = scan_batches.process_batch(ws, item_id, progress=report, cancel=cancel)
            except Cancelled:
                return
            except Exception as error:  # told, logged if unexpected; the loop goes on
                if isinstance(error, UserError):
                    tell(translate_error(error))
                else:
                    log.exception("taking apart scanned batch %s failed", item_id)
                    tell(_("Internal error ({kind}); please report it.").format(
                        kind=type(error).__name__))  # fmt: skip
                failures[item_id] = (count + 1, clock() + RETRY_S[min(count, len(RETRY_S) - 1)])
                continue
            finally:
                if idle is not None:
                    idle()
            failures.pop(item_id, None)
            if outcome is not None and done is not None:
                done(outcome)
        stop.wait(pause)


def _name(ws: Workspace, item_id: str) -> str:
    with ws.readers() as session:
        item = session.get(InboxItem, item_id)
        return item.source_name if item is not None else item_id


def _reporter(progress: BatchProgress | None, name: str) -> Progress:
    """``progress`` for the batch ``name`` as the pipeline calls it (done, total, label)."""

    def report(done: int, total: int, label: str) -> None:
        if progress is not None:
            progress(name, done, total, label)

    return report
