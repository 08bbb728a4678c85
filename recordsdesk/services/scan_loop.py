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
from collections.abc import Callable

from recordsdesk.db.models import InboxItem
from recordsdesk.errors import UserError
from recordsdesk.i18n import _, translate_error
from recordsdesk.services import scan_batches
from recordsdesk.services.workspace import Workspace
from recordsdesk.tasks import Cancelled, CancelToken

log = logging.getLogger("recordsdesk.scan")

#: (batch file name, done, total, label msgid) while a batch is taken apart
BatchProgress = Callable[[str, int, int, str], None]
PAUSE_S = 2.0  # between looks for new batches


def take_apart_until(
    ws: Workspace,
    stop: threading.Event,
    cancel: CancelToken,
    *,
    progress: BatchProgress | None = None,
    done: Callable[[scan_batches.BatchOutcome], None] | None = None,
    problem: Callable[[str], None] | None = None,
    pause: float = PAUSE_S,
) -> None:
    """Take apart pending batches until ``stop`` is set (see the module). Never raises."""
    said: set[str] = set()

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
            name = _name(ws, item_id)

            def report(d: int, t: int, label: str, name: str = name) -> None:
                if progress is not None:
                    progress(name, d, t, label)

            try:
                outcome = scan_batches.process_batch(ws, item_id, progress=report, cancel=cancel)
            except Cancelled:
                return
            except UserError as error:
                tell(translate_error(error))
                continue
            except Exception as error:  # a bug or the world failing: logged, not fatal
                log.exception("taking apart scanned batch %s failed", item_id)
                tell(_("Internal error ({kind}); please report it.").format(
                    kind=type(error).__name__))  # fmt: skip
                continue
            if outcome is not None and done is not None:
                done(outcome)
        stop.wait(pause)


def _name(ws: Workspace, item_id: str) -> str:
    with ws.readers() as session:
        item = session.get(InboxItem, item_id)
        return item.source_name if item is not None else item_id
