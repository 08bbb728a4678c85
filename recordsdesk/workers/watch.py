"""The window's drop-folder watcher, as a worker process.

``python -m recordsdesk.workers.watch HOME QUIET_PERIOD LANGUAGE`` opens the data folder
HOME, watches its drop folders (:func:`recordsdesk.intake.runner.watch`) and,
beside that on a thread, takes scanned batches apart
(:func:`recordsdesk.services.scan_loop.take_apart_until`) until its stdin ends.

Events to the window (:mod:`recordsdesk.workers.protocol`):

* ``scan_progress`` name, done, total, label (a msgid);
* ``scan_message`` msgid, params: a batch was taken apart, or a scan problem;
* ``scan_idle``: no batch is being taken apart any more;
* ``failed``: watching ended by an error (never after a stop was asked for);
  the exit status is then 1.

Stopping cancels the OCR in progress (the batch waits for the next run) and
lets the round of files in progress finish: a file is never half taken.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from typing import Any

from recordsdesk.i18n import N_, set_language
from recordsdesk.tasks import CancelToken
from recordsdesk.workers.protocol import (
    Channel,
    Startup,
    lower_priority,
    on_stdin_end,
    send_logs_to,
    take_channel,
)

log = logging.getLogger("recordsdesk.workers.watch")


def run(channel: Channel, home: Path, quiet_period: float) -> int:
    """Watch until stdin ends; 0 after a stop, 1 after an error (told as ``failed``)."""
    stop = threading.Event()
    cancel = CancelToken()

    startup = Startup()

    def stopped() -> None:
        startup.end()  # still starting: the process ends here
        cancel.cancel()  # an OCR run stops; its batch is taken apart next time
        stop.set()

    on_stdin_end(stopped, lambda _command: None)
    ws = None
    scans: threading.Thread | None = None
    try:
        # loaded here, not at the top: a worker that cannot even import says so as
        # ``failed`` like any other error
        from recordsdesk.intake import runner
        from recordsdesk.services import open_workspace

        if not startup.begin():
            return 0
        lower_priority()  # started by other means than the window: yield from here on
        ws = open_workspace(home)
        scans = threading.Thread(
            target=_take_apart, args=(channel, ws, stop, cancel), name="rd-scan", daemon=True
        )
        scans.start()
        runner.watch(ws, stop, quiet_period=quiet_period)
        return 0
    except BaseException as exc:
        if stop.is_set():  # stopping: the error is the log's, not the window's
            log.warning("an error while the watcher stopped: %s", type(exc).__name__,
                        exc_info=True)  # fmt: skip
            return 0
        from recordsdesk.errors import UserError

        if isinstance(exc, UserError):
            log.warning("watching the drop folders stopped: %s", exc)
        else:
            log.exception("watching the drop folders stopped by an unexpected error")
        channel.failed(exc)
        return 1
    finally:
        cancel.cancel()
        stop.set()
        if scans is not None:
            scans.join()
        if ws is not None:
            try:
                ws.close()
            except Exception:
                log.exception("closing the watcher's workspace failed")


def _take_apart(channel: Channel, ws: Any, stop: threading.Event, cancel: CancelToken) -> None:
    """The scan thread, once there is a scanner folder (until then the scan machinery
    is not loaded)."""
    from recordsdesk.intake import folders

    if not folders.wait_for_scanner_folder(ws, stop):
        return
    from recordsdesk.services.scan_loop import take_apart_until

    def progress(name: str, done: int, total: int, label: str) -> None:
        channel.send("scan_progress", name=name, done=done, total=total, label=label)

    def done(outcome: Any) -> None:
        channel.send(
            "scan_message",
            msgid=N_("{name}: {records} records from {pages} pages, {flagged} flagged; see "
                     "Inbox › Scanned batches."),
            params={"name": outcome.name, "records": len(outcome.parts),
                    "pages": outcome.pages, "flagged": outcome.flagged_pages},
        )  # fmt: skip

    def problem(message: str) -> None:
        channel.send(
            "scan_message", msgid=N_("Scanned batch: {problem}"), params={"problem": message}
        )

    def idle() -> None:
        channel.send("scan_idle")

    take_apart_until(ws, stop, cancel, progress=progress, done=done, problem=problem, idle=idle)
    idle()


def main(argv: list[str]) -> int:
    channel = take_channel()
    send_logs_to(channel)
    set_language(argv[2])  # a scan problem is told in the window's language
    return run(channel, Path(argv[0]), float(argv[1]))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
