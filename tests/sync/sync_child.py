"""A child process for the sync fault tests: one ``sync_once``, killed or paused on cue.

    python -m tests.sync.sync_child HOME CENTRAL_URL CUE

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
attributes in this process only. ``RD_SYNC_CHUNK`` (bytes) sets a smaller
chunk size, so small test files still go up in several chunks. Every chunk
sent is printed as ``CHUNK SHA IDX SIZE``; the end is ``DONE`` and the
report's JSON on one line.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from recordsdesk.archive.sync import blobs, pull, push
from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.engine import sync_once
from recordsdesk.db.engine import make_engine
from recordsdesk.services import open_workspace
from recordsdesk.store.objects import ObjectStore


class Cue:
    """Counts the passes of each point and acts on the chosen one."""

    def __init__(self, text: str) -> None:
        self.action, self.point, number = [*text.split(":"), "", "", "0"][:3]
        self.number = int(number or 0)
        self.counts: dict[str, int] = {}
        self.in_chunk = False  # inside put_chunk: its commit is a point of its own

    def reached(self, point: str) -> None:
        count = self.counts[point] = self.counts.get(point, 0) + 1
        if point != self.point or count != self.number:
            return
        if self.action == "kill":
            sys.stdout.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        elif self.action == "pause":
            print(f"PAUSED {point} {count}", flush=True)
            if sys.stdin.readline().strip() != "go":
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
            print(f"CHUNK {sha256} {idx} {len(data)}", flush=True)
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


def main() -> None:
    home, url, cue_text = sys.argv[1:]
    if os.environ.get("RD_SYNC_CHUNK"):
        blobs.CHUNK_SIZE = int(os.environ["RD_SYNC_CHUNK"])
    cue = Cue(cue_text if cue_text != "none" else "none::0")
    ws = open_workspace(Path(home))
    engine = make_engine(url)
    central = Central.open(engine)
    _on_engine(engine, "central", cue)
    _on_engine(ws.engine, "local", cue)
    _watch_chunks(cue)
    _watch_downloads(cue)
    _wrap(push, "_confirm", lambda *_: cue.reached("confirm"))
    _wrap(pull, "_apply_page", lambda *_: cue.reached("pull-apply"))
    print("READY", flush=True)
    report = sync_once(ws, central)
    print("COUNTS " + json.dumps(cue.counts), flush=True)
    print("DONE " + json.dumps(report.to_json(), ensure_ascii=False), flush=True)
    engine.dispose()
    ws.close()


if __name__ == "__main__":
    main()
