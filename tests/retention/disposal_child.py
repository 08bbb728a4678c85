"""A child process for the destruction crash tests: carries out a list, pausing on cue.

    python -m tests.retention.disposal_child HOME DB_URL|- LIST PAUSE

The acting user comes from ``RECORDSDESK_USER``. ``PAUSE`` is ``never``,
``item:N`` (pause once N items are done: between two item transactions) or
``remove:N`` (pause just before the N-th store object is removed: after the
transaction that destroyed its item committed, before the file is gone).
Pausing writes ``PAUSED`` and waits for a line on stdin: ``go`` continues;
usually the parent sends SIGKILL instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

from recordsdesk.services import open_workspace
from recordsdesk.services.disposal_run import execute


def _pause(what: str) -> None:
    print(f"PAUSED {what}", flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit(3)


def main() -> None:
    home, url, list_id, pause = sys.argv[1:]
    ws = open_workspace(Path(home), db_url=None if url == "-" else url)
    kind, _, number = pause.partition(":")
    removals = 0

    def progress(done: int, total: int, label: str) -> None:
        print(f"P {done} {total}", flush=True)
        if kind == "item" and done == int(number):
            _pause(f"item {done}")

    if kind == "remove":
        remove = ws.objects.remove

        def pausing_remove(sha256: str) -> bool:
            nonlocal removals
            removals += 1
            if removals == int(number):
                _pause(f"remove {removals}")
            return remove(sha256)

        ws.objects.remove = pausing_remove  # type: ignore[method-assign]
    print("READY", flush=True)
    report = execute(ws, list_id, progress=progress)
    print(f"DONE {report.list.state}", flush=True)
    ws.close()


if __name__ == "__main__":
    main()
