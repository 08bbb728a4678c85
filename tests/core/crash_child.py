"""A child process for the crash tests: files paths and reports progress on stdout.

    python -m tests.core.crash_child HOME DB_URL|- DOSSIER PAUSE PATH...

Every progress call is written as ``P <done> <total> <label>`` and flushed, so
the parent knows how far the copy is. ``PAUSE`` is ``never``, a byte count
(pause at the first progress call with ``done >=`` it), ``final`` (pause at
the last progress call, after every file is stored and before the database is
written) or ``filed`` (pause after the filing returned). Pausing writes
``PAUSED`` and waits for a line on stdin: ``go`` continues; usually the parent
sends SIGKILL instead.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from recordsdesk.services import file_paths, open_workspace


def _pause(what: str) -> None:
    print(f"PAUSED {what}", flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit(3)


def main() -> None:
    home, url, dossier, pause, *paths = sys.argv[1:]
    ws = open_workspace(Path(home), db_url=None if url == "-" else url)
    paused = False

    def progress(done: int, total: int, label: str) -> None:
        nonlocal paused
        print(f"P {done} {total} {label}", flush=True)
        if paused or pause in ("never", "filed"):
            return
        if (pause == "final" and done == total and label == "") or (
            pause.isdigit() and done >= int(pause)
        ):
            paused = True
            _pause(str(done))

    print("READY", flush=True)
    result = file_paths(ws, dossier, [Path(p) for p in paths], progress)
    if pause == "filed":
        _pause("filed")
    print("DONE " + json.dumps([r.kenmerk for r in result.records]), flush=True)
    ws.close()


if __name__ == "__main__":
    main()
