"""The window's side of a worker process (:mod:`recordsdesk.workers`).

:class:`WorkerProcess` starts ``sys.executable -m MODULE ARGS`` and reads its
events on a thread of its own, which mostly sleeps in ``read``: the worker's
Python runs in another interpreter, so it never holds this process's
interpreter lock while the GUI thread paints. Log records from the worker go to
this process's log under their own names; anything else on its stderr (a
crash) is logged as a warning.

The callbacks run on the reader thread: they must only emit signals (queued to
the GUI thread) or set simple state.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import IO, Any

from recordsdesk.workers.protocol import (
    ENCODING,
    START_FLAGS,
    WorkerError,
    decode_value,
    lower_priority,
)

log = logging.getLogger("recordsdesk.ui.worker_process")

Event = dict[str, Any]
#: how a worker's job ended: (its result, True) or (the exception, False)
Outcome = tuple[object, bool]


class WorkerProcess:
    """One running worker.

    Args:
        module: the worker's module (run with ``-m``).
        args: its arguments.
        name: for logs and tests.
        on_event: called (on the reader thread) with this worker and each event but
            ``log``, ``done`` and ``failed``.
        on_exit: called (on the reader thread) once the worker has ended, also when
            reading failed, with its exit status and its :data:`Outcome`: what its
            ``done`` (value, True) or ``failed`` (exception, False) event said, or
            (:class:`WorkerError`, False) when it said neither (killed, crashed,
            stopped before its work began).
    """

    def __init__(
        self,
        module: str,
        args: Sequence[str],
        name: str,
        on_event: Callable[[WorkerProcess, Event], None],
        on_exit: Callable[[int, Outcome], None],
    ) -> None:
        self.name = name
        self._outcome: Outcome | None = None
        self._on_event = on_event
        self._on_exit = on_exit
        self._stdin_lock = threading.Lock()
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding=ENCODING,
            errors="replace",
            # the worker's own examination and OCR processes are its business; a
            # window killed outright ends the worker through its stdin
            env=os.environ.copy(),
            creationflags=START_FLAGS,
        )
        # at once, before the worker loads its modules or starts a thread: the start
        # is the most processor it takes at once (the worker also does it itself)
        lower_priority(self.process.pid)
        self._errors = threading.Thread(
            target=self._read_stderr, name=f"{name}-stderr", daemon=True
        )
        self._errors.start()
        self._reader = threading.Thread(target=self._read, name=f"{name}-events", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def is_alive(self) -> bool:
        """The worker runs, or its last events are still being read."""
        return self.process.poll() is None or self._reader.is_alive()

    @property
    def returncode(self) -> int | None:
        return self.process.returncode

    def send(self, **command: Any) -> bool:
        """One command on the worker's stdin; False when it is gone."""
        stdin = self.process.stdin
        if stdin is None:
            return False
        with self._stdin_lock:
            try:
                stdin.write(json.dumps(command) + "\n")
                stdin.flush()
            except (OSError, ValueError):
                return False
        return True

    def stop(self) -> None:
        """Ask the worker to stop: its stdin ends."""
        with self._stdin_lock:
            stdin = self.process.stdin
            if stdin is not None and not stdin.closed:
                with contextlib.suppress(OSError):
                    stdin.close()

    def join(self, timeout: float | None = None) -> None:
        """Wait up to ``timeout`` s in all for the worker to end and its events to be read."""
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return
        self._reader.join(None if deadline is None else max(0.0, deadline - time.monotonic()))

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def _read(self) -> None:
        stdout: IO[str] | None = self.process.stdout
        assert stdout is not None
        try:
            for line in stdout:
                try:
                    self._handle(line)
                except Exception:  # a bad event must not end the reading
                    log.exception("%s: handling an event failed", self.name)
        except Exception:  # the pipe itself failed: the worker's end is still told
            log.exception("%s: reading the worker failed", self.name)
        finally:
            self._errors.join()
            code = self.process.wait()
            outcome = self._outcome
            if outcome is None:
                if code != 0:
                    log.warning("%s ended without an outcome (exit status %s)", self.name, code)
                ended = f"{self.name} ended unexpectedly (exit status {code})"
                outcome = (WorkerError(ended), False)
            self._on_exit(code, outcome)

    def _handle(self, line: str) -> None:
        try:
            event = json.loads(line)
        except ValueError:
            log.warning("%s: %s", self.name, line.rstrip())
            return
        if not isinstance(event, dict):
            return
        if event.get("event") == "log":
            logging.getLogger(str(event.get("name", self.name))).log(
                int(event.get("level", logging.INFO)), "%s", event.get("text", "")
            )
            return
        kind = event.get("event")
        if kind in ("done", "failed"):
            told = decode_value(str(event["value" if kind == "done" else "error"]))
            self._outcome = (told, kind == "done")
            return
        self._on_event(self, event)

    def _read_stderr(self) -> None:
        stderr: IO[str] | None = self.process.stderr
        assert stderr is not None
        for line in stderr:
            if line.strip():
                log.warning("%s: %s", self.name, line.rstrip())
