"""The search view's reads, as a worker process of the window.

``python -m recordsdesk.workers.reader HOME LANGUAGE`` opens the data folder HOME and
runs the window's read jobs until its stdin ends. A search, its facet counts and the
completeness of the dossiers on screen are mostly Python (SQLAlchemy building and
reading rows); run on a thread of the window, every one of them made the GUI thread
wait for the interpreter lock while it painted the results (benchmark
``heartbeat``). Here they run in an interpreter of their own.

Commands on stdin (one JSON object per line): ``{"id": N, "job": PICKLED, "language":
CODE}``: a callable ``(workspace) -> result`` (a module-level function or a
``functools.partial`` of one, from the window's own code), run in the user's
language. Up to :data:`THREADS` jobs run side by side (a long search does not hold
up the completeness of the dossiers on screen).

Events to the window (:mod:`recordsdesk.workers.protocol`):

* ``ready``: the data folder is open; jobs sent before wait on stdin meanwhile;
* ``result`` id, value (pickled): what job N returned;
* ``error`` id, error (pickled): the exception job N raised;
* ``failed`` error (pickled): the data folder could not be opened (exit status 1).

The end of stdin ends the process at once, also while it still loads: a job still
running is only reading (or catching the search index up, in a transaction that
SQLite then rolls back), so nothing is lost by stopping it. A job that fails with
anything but a RecordsDesk error (a bug) is logged here with its traceback, which
also goes with the exception as a note.
"""

from __future__ import annotations

import logging
import os
import queue
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from recordsdesk.errors import RecordsDeskError
from recordsdesk.i18n import current_language, set_language
from recordsdesk.workers.protocol import (
    Channel,
    decode_value,
    encode_error,
    encode_value,
    lower_priority,
    on_stdin_end,
    send_logs_to,
    take_channel,
)

log = logging.getLogger("recordsdesk.workers.reader")

#: jobs run side by side
THREADS = 2


def run(channel: Channel, home: Path, jobs: queue.Queue[dict[str, Any]]) -> int:
    """Open ``home`` and run the ``jobs`` (commands read from stdin) until stdin ends,
    which ends the process (see :func:`main`); 1 when the data folder does not open."""
    try:
        # loaded here, not at the top: a worker that cannot even import says so as
        # ``failed`` like any other error
        from recordsdesk.services import open_workspace

        lower_priority()  # started by other means than the window: yield from here on
        ws = open_workspace(home)
    except BaseException as exc:
        log.warning("the reader could not open the data folder: %s", type(exc).__name__)
        channel.failed(exc)
        return 1
    channel.send("ready")

    def answer(number: int, given: str, code: str) -> None:
        try:
            job: Any = decode_value(given)
            if code and code != current_language():  # the user switched languages
                set_language(code)
            value = encode_value(job(ws))
        except BaseException as exc:  # told to the window, which shows or handles it
            if not isinstance(exc, RecordsDeskError):  # a bug: where, for its report
                log.warning("a read failed", exc_info=True)
                exc.add_note("In the reader process:\n" + "".join(traceback.format_exception(exc)))
            channel.send("error", id=number, error=encode_error(exc))
        else:
            channel.send("result", id=number, value=value)

    pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="rd-read")
    while True:
        command = jobs.get()
        number = command.get("id")
        if isinstance(number, int) and isinstance(command.get("job"), str):
            pool.submit(answer, number, command["job"], str(command.get("language", "")))


def main(argv: list[str]) -> int:
    channel = take_channel()
    send_logs_to(channel)
    jobs: queue.Queue[dict[str, Any]] = queue.Queue()
    # stdin is read from the start: its end (the window closing or gone) ends the process
    # at once, also while it still loads; a job under way is a read only
    on_stdin_end(lambda: os._exit(0), jobs.put)
    set_language(argv[1])
    return run(channel, Path(argv[0]), jobs)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
