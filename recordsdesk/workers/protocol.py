"""How a worker process and the window talk: one JSON object per line.

The window runs the long Python work (watching the drop folders, syncing) in
worker processes of its own, not in threads: every thread running Python in the
window's process competes with the GUI thread for the interpreter lock, and a
paint makes hundreds of hand-overs (``benchmarks/README.md``, workload
``heartbeat``). A worker is started as ``sys.executable -m recordsdesk.workers.X``.

Child to parent, on a private copy of the worker's stdout (:func:`take_channel`;
fd 1 itself then points at stderr, so a stray ``print`` in a library or in a
grandchild never garbles a line): ``{"event": NAME, ...}``. ``log`` carries a
log record (level, logger name, text), ``failed`` a pickled exception.
Parent to child, on stdin: commands of the worker's own, one JSON object per
line. The end of stdin means "stop": a worker whose window is gone (closed,
crashed, killed) ends by itself.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator
from typing import IO, Any

from recordsdesk.errors import RecordsDeskError

#: the parent's and the child's name of the channel's encoding
ENCODING = "utf-8"


class WorkerError(RecordsDeskError):
    """A worker failed with an exception that could not cross to the window as
    itself (it does not pickle), or the worker ended without saying why."""


class Channel:
    """The child's side: lines to the parent, whole and never mixed between threads."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._lock = threading.Lock()

    def send(self, event: str, **fields: Any) -> None:
        """One event; a parent that is gone is not an error (the worker ends anyway)."""
        data = (json.dumps({"event": event, **fields}) + "\n").encode(ENCODING)
        with self._lock:
            try:
                while data:
                    data = data[os.write(self._fd, data) :]
            except OSError:
                pass

    def failed(self, exc: BaseException) -> None:
        self.send("failed", error=encode_error(exc))


#: how much a worker yields the processor to the window (POSIX ``nice``; on Windows the
#: process becomes BELOW_NORMAL_PRIORITY_CLASS)
NICENESS = 10
_BELOW_NORMAL_PRIORITY_CLASS = 0x00004000
#: ``Popen(creationflags=...)`` for a worker: on Windows it starts below normal priority
START_FLAGS = _BELOW_NORMAL_PRIORITY_CLASS if sys.platform == "win32" else 0


def lower_priority(pid: int = 0) -> None:
    """Background work yields the processor to the window's GUI thread: on a busy
    two-core workstation that is what keeps the window answering.

    ``pid`` 0 is this process; the window passes a worker's pid the moment it has
    started it, so the worker's start (loading its modules: the most processor it
    takes at once) already yields. The worker then runs :data:`NICENESS` below the
    window (capped at 19); on Linux the niceness belongs to the thread it is set on,
    and the threads and processes that thread starts later inherit it, so it is set
    before the worker starts any (intake's examination and OCR inherit it too). A
    worker calling this itself (``pid`` 0: started by other means) is raised to at
    least :data:`NICENESS`, never lowered, so after the window's call it changes
    nothing. On Windows the window starts a worker with :data:`START_FLAGS`; ``pid``
    0 sets the class here."""
    if sys.platform == "win32":
        if pid == 0:
            import ctypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
            kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), _BELOW_NORMAL_PRIORITY_CLASS)
        return
    with contextlib.suppress(OSError):  # gone already, or not allowed here: as it is
        floor = NICENESS
        if pid != 0:  # below the window's own niceness (the calling thread's)
            floor = min(os.getpriority(os.PRIO_PROCESS, 0) + NICENESS, 19)
        if os.getpriority(os.PRIO_PROCESS, pid) < floor:
            os.setpriority(os.PRIO_PROCESS, pid, floor)


def take_channel() -> Channel:
    """The child's channel to its parent: a private copy of stdout; fd 1 becomes stderr."""
    sys.stdout.flush()
    private = os.dup(1)
    os.dup2(2, 1)
    if sys.platform == "win32":  # the Win32 handle too: DLLs and children write there
        import ctypes
        import msvcrt

        std_output_handle = -11
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        kernel32.SetStdHandle(std_output_handle, msvcrt.get_osfhandle(2))  # type: ignore[attr-defined,unused-ignore]
    return Channel(private)


class _ChannelHandler(logging.Handler):
    def __init__(self, channel: Channel) -> None:
        super().__init__(logging.INFO)
        self.channel = channel

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
            self.channel.send("log", level=record.levelno, name=record.name, text=text)
        except Exception:  # a log line must never end the worker
            self.handleError(record)


def send_logs_to(channel: Channel) -> None:
    """The worker's log records go to the window's log (its file, its viewer)."""
    root = logging.getLogger()
    root.handlers[:] = [_ChannelHandler(channel)]
    root.setLevel(logging.INFO)


def encode_error(exc: BaseException) -> str:
    """``exc`` pickled, or a :class:`WorkerError` naming it when it does not pickle."""
    try:
        data = pickle.dumps(exc)
        pickle.loads(data)  # noqa: S301 - our own bytes, checked here before they go
    except Exception:
        data = pickle.dumps(WorkerError(f"{type(exc).__name__}: {exc}"))
    return base64.b64encode(data).decode("ascii")


def encode_value(value: object) -> str:
    return base64.b64encode(pickle.dumps(value)).decode("ascii")


def decode_value(text: str) -> Any:
    """A value or exception from :func:`encode_value` / :func:`encode_error`.

    Only ever used on the stdout of a worker this process started itself from
    our own code (never on data from elsewhere)."""
    return pickle.loads(base64.b64decode(text))  # noqa: S301 - our own worker's bytes


class Startup:
    """Until the worker begins its work (:meth:`begin`), the end of stdin ends the
    process at once: nothing has been taken or written yet, and a worker still
    importing at a low priority on a busy machine would otherwise keep the closing
    window waiting for seconds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._begun = False
        self._ended = False

    def end(self) -> None:
        """The window said stop (its stdin ended): exit now if nothing has begun."""
        with self._lock:
            self._ended = True
            if not self._begun:
                os._exit(0)

    def begin(self) -> bool:
        """From now on a stop is the worker's to handle; False when it came already."""
        with self._lock:
            if self._ended:
                return False
            self._begun = True
            return True


def commands(stream: IO[str]) -> Iterator[dict[str, Any]]:
    """The parent's commands, until stdin ends; a line that is not JSON is skipped."""
    for line in stream:
        try:
            command = json.loads(line)
        except ValueError:
            continue
        if isinstance(command, dict):
            yield command


def on_stdin_end(then: Callable[[], None], on_command: Callable[[dict[str, Any]], None]) -> None:
    """Read commands on a daemon thread; call ``then`` once stdin ends."""

    def read() -> None:
        try:
            for command in commands(sys.stdin):
                on_command(command)
        finally:
            then()

    threading.Thread(target=read, name="rd-worker-stdin", daemon=True).start()
