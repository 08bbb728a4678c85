"""A child process for the sync fault tests: one ``sync_once``, killed or paused on cue.

    python -m tests.sync.sync_child HOME CENTRAL_URL CUE [CHUNK]

or :func:`run` in a process forked from a multiprocessing fork server that
imported this module once (the tests do that: a fresh interpreter per kill
costs seconds on a busy machine; a fork is a process of its own all the same,
and its kill -9 is just as real). Lines go to stdout, or through the pipe.

``CUE`` is ``none``, or ``ACTION:POINT:N``: on the N-th time the run reaches
``POINT`` the process does ``ACTION`` there. ``kill`` is a real kill -9 of this
process (``os.kill(os.getpid(), SIGKILL)``), nothing is cleaned up; ``pause``
prints ``PAUSED POINT N`` and waits for a line on stdin (``go`` continues), so
the parent can do something to the central archive at that precise moment
(restart PostgreSQL, revoke the login) or SIGKILL it itself.

Points (counted from the start of the sync, after the workstation and the
central archive were opened):

* ``central-exec`` / ``local-exec``: just before a statement goes to the
  central database / the working store (anywhere in push, audit or pull,
  often in the middle of a transaction);
* ``central-commit`` / ``local-commit``: just before a COMMIT is sent (the
  transaction's work done, not committed);
* ``put-chunk``: before a content chunk is sent; ``chunk-commit``: a chunk's
  bytes sent to the central database, just before its COMMIT; ``chunk-sent``:
  after it was confirmed;
* ``confirm``: after a push page was committed centrally, before the
  workstation removes its entries from the outbox;
* ``pull-apply``: a pulled page's content downloaded, before its local
  transaction;
* ``download``: halfway through writing a downloaded object locally.

Nothing in the engine is changed: these are wrappers set on module and class
attributes in this process only. ``CHUNK`` (bytes) sets a smaller chunk
size, so small test files still go up in several chunks. Every chunk sent is
said as ``CHUNK SHA IDX SIZE``; the end is ``COUNTS`` (passes of each point)
and ``DONE`` with the report's JSON; an exception is ``ERROR`` and its
traceback.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from recordsdesk.archive.sync import blobs, pull, push
from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.engine import sync_once
from recordsdesk.db.engine import make_engine
from recordsdesk.services import open_workspace
from recordsdesk.store.objects import ObjectStore


class Channel:
    """Lines to the parent and "go" from it: stdout/stdin, or a pipe."""

    def __init__(self, pipe: Connection | None = None) -> None:
        self.pipe = pipe

    def say(self, line: str) -> None:
        if self.pipe is None:
            print(line, flush=True)
        else:
            self.pipe.send(line)

    def wait(self) -> str:
        if self.pipe is None:
            return sys.stdin.readline().strip()
        return str(self.pipe.recv())


class Cue:
    """Counts the passes of each point and acts on the chosen one."""

    def __init__(self, text: str, channel: Channel) -> None:
        self.channel = channel
        self.action, self.point, number = [*text.split(":"), "", "", "0"][:3]
        self.number = int(number or 0)
        self.counts: dict[str, int] = {}
        self.in_chunk = False  # inside put_chunk: its commit is a point of its own

    def reached(self, point: str) -> None:
        count = self.counts[point] = self.counts.get(point, 0) + 1
        if point != self.point or count != self.number:
            return
        if self.action == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        elif self.action == "pause":
            self.channel.say(f"PAUSED {point} {count}")
            if self.channel.wait() != "go":
                raise SystemExit(3)


def _on_engine(engine: Engine, side: str, cue: Cue) -> None:
    def before_execute(*_: Any) -> None:
        cue.reached(f"{side}-exec")

    def before_commit(*_: Any) -> None:
        if side == "central" and cue.in_chunk:
            cue.reached("chunk-commit")
        cue.reached(f"{side}-commit")

    event.listen(engine, "before_cursor_execute", before_execute)
    event.listen(engine, "commit", before_commit)


def _wrap(owner: Any, name: str, before: Callable[..., None]) -> None:
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        before(*args, **kwargs)
        return original(*args, **kwargs)

    setattr(owner, name, wrapper)


def _watch_chunks(cue: Cue) -> None:
    for store in (blobs.DatabaseBlobs, blobs.DirectoryBlobs):
        original = store.put_chunk

        def put_chunk(
            self: Any,
            sha256: str,
            idx: int,
            data: bytes,
            _original: Callable[..., None] = original,
        ) -> None:
            cue.reached("put-chunk")
            cue.in_chunk = True
            _original(self, sha256, idx, data)
            cue.in_chunk = False
            cue.channel.say(f"CHUNK {sha256} {idx} {len(data)}")
            cue.reached("chunk-sent")

        store.put_chunk = put_chunk  # type: ignore[method-assign]


def _watch_downloads(cue: Cue) -> None:
    original = ObjectStore.put_chunks

    def put_chunks(self: ObjectStore, sha256: str, chunks: Iterable[bytes]) -> Any:
        def pieces() -> Iterator[bytes]:
            for n, piece in enumerate(chunks):
                if n == 1:
                    cue.reached("download")
                yield piece

        return original(self, sha256, pieces())

    ObjectStore.put_chunks = put_chunks  # type: ignore[method-assign]


def run(home: str, url: str, cue_text: str, chunk: int, pipe: Connection | None = None) -> None:
    """One sync of the workstation ``home`` against ``url``; see the module contract."""
    channel = Channel(pipe)
    try:
        _sync(home, url, Cue(cue_text if cue_text != "none" else "none::0", channel), chunk)
    except BaseException:
        channel.say("ERROR " + traceback.format_exc())
        raise SystemExit(1) from None


def _sync(home: str, url: str, cue: Cue, chunk: int) -> None:
    if chunk:
        blobs.CHUNK_SIZE = chunk
    ws = open_workspace(Path(home))
    engine = make_engine(url)
    central = Central.open(engine)
    _on_engine(engine, "central", cue)
    _on_engine(ws.engine, "local", cue)
    _watch_chunks(cue)
    _watch_downloads(cue)
    _wrap(push, "_confirm", lambda *_: cue.reached("confirm"))
    _wrap(pull, "_apply_page", lambda *_: cue.reached("pull-apply"))
    cue.channel.say("READY")
    report = sync_once(ws, central)
    cue.channel.say("COUNTS " + json.dumps(cue.counts))
    cue.channel.say("DONE " + json.dumps(report.to_json(), ensure_ascii=False))
    engine.dispose()
    ws.close()


def main() -> None:
    home, url, cue_text, *chunk = sys.argv[1:]
    run(home, url, cue_text, int(chunk[0]) if chunk else 0)


if __name__ == "__main__":
    main()
