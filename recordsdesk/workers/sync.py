"""One job against the central archive (a sync run, settling a conflict), as a
worker process of the window.

``python -m recordsdesk.workers.sync HOME LANGUAGE``; the first line on stdin
says which job: ``{"job": "sync"}`` for :func:`recordsdesk.archive.sync.engine.sync_once`,
or ``{"job": PICKLED}`` for a callable ``(workspace, central) -> result`` (a
module-level function or a ``functools.partial`` of one) from the window.

Events to the window (:mod:`recordsdesk.workers.protocol`):

* ``progress`` done, total, label (a msgid) of a sync run;
* ``password_wanted`` reason: the central archive wants a password the keyring
  lacks; the window answers on stdin with ``{"password": TEXT or null}``;
* ``done`` value (pickled): the job's result, exit status 0;
* ``failed`` error (pickled): the job's exception, exit status 1.

Later commands on stdin: ``{"cancel": true}``; the end of stdin cancels too
(the window is gone). A cancelled run ends as ``failed`` with ``Cancelled``.
"""

from __future__ import annotations

import logging
import queue
import sys
from pathlib import Path
from typing import Any

from recordsdesk.i18n import set_language
from recordsdesk.tasks import CancelToken
from recordsdesk.workers.protocol import (
    Channel,
    commands,
    decode_value,
    encode_value,
    lower_priority,
    on_stdin_end,
    send_logs_to,
    take_channel,
)

log = logging.getLogger("recordsdesk.workers.sync")

#: how long a wanted password is waited for (the user may be away from the desk)
ANSWER_TIMEOUT_S = 330.0


def run(channel: Channel, home: Path, given: str) -> int:
    """Run the job ``given`` (``"sync"`` or a pickled callable); 0 after ``done``, 1
    after ``failed``."""
    cancel = CancelToken()
    answers: queue.Queue[str | None] = queue.Queue()

    def command(given: dict[str, Any]) -> None:
        if given.get("cancel"):
            cancel.cancel()
        elif "password" in given:
            password = given["password"]
            answers.put(password if isinstance(password, str) else None)

    def ended() -> None:
        cancel.cancel()
        answers.put(None)  # a question still open gets no answer

    on_stdin_end(ended, command)

    def ask(reason: str) -> str | None:
        channel.send("password_wanted", reason=reason)
        try:
            return answers.get(timeout=ANSWER_TIMEOUT_S)
        except queue.Empty:
            return None

    ws = central = None
    try:
        job: Any = "sync" if given == "sync" else decode_value(given)
        from recordsdesk.archive.central.connection import central_engine
        from recordsdesk.archive.sync.central import Central
        from recordsdesk.archive.sync.engine import sync_once
        from recordsdesk.services import open_workspace

        lower_priority()  # started by other means than the window: yield from here on
        ws = open_workspace(home)
        central = Central.open(central_engine(ws, ask))
        if job == "sync":

            def progress(done: int, total: int, label: str) -> None:
                channel.send("progress", done=done, total=total, label=label)

            result = sync_once(ws, central, progress, cancel)
        else:
            result = job(ws, central)
        value = encode_value(result)
    except BaseException as exc:
        from recordsdesk.tasks import Cancelled

        if not isinstance(exc, Cancelled):
            log.warning("sync job failed: %s", type(exc).__name__)
        channel.failed(exc)
        return 1
    finally:
        try:
            if central is not None:
                central.engine.dispose()
            if ws is not None:
                ws.close()
        except Exception:
            log.exception("closing the sync job's workspace failed")
    channel.send("done", value=value)
    return 0


def main(argv: list[str]) -> int:
    channel = take_channel()
    send_logs_to(channel)
    set_language(argv[1])
    first = next(commands(sys.stdin), None)  # before the reader thread takes stdin over
    if first is None:
        return 0  # the window went away before saying what to do
    return run(channel, Path(argv[0]), str(first.get("job")))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
