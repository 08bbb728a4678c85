"""Child process of the ``retention`` workload's peak-RSS case.

``python -m benchmarks._retention_rss_child HOME DAY [list]`` opens the workspace in
HOME, builds the due list on DAY (``recordsdesk.services.due.due``) and, with ``list``,
then drops it and creates a destruction list of everything due
(``recordsdesk.services.disposal.create_list``). It prints one JSON line (bytes):

* ``after_open``: peak RSS after imports and opening the workspace;
* ``after_due``: peak RSS after the due list was built (it is still alive then);
* ``peak``: peak RSS of the whole process, after the list was created (``after_due``
  without ``list``).

Peak RSS is ``VmHWM`` of this process (see :func:`benchmarks._rss_child.max_rss_bytes`).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

from benchmarks._rss_child import max_rss_bytes


def main(argv: list[str]) -> int:
    home, day = Path(argv[0]), dt.date.fromisoformat(argv[1])
    with_list = argv[2:] == ["list"]
    from recordsdesk.services.due import due
    from recordsdesk.services.workspace import open_workspace

    create_list = None
    if with_list:
        from benchmarks.retention import create_list_function

        create_list = create_list_function()
    ws = open_workspace(home)
    try:
        after_open = max_rss_bytes()
        start = time.perf_counter()
        result = due(ws, on=day)
        due_seconds = time.perf_counter() - start
        after_due = max_rss_bytes()
        due_rows = (
            len(result.destroy) + len(result.transfer) + len(result.held) + len(result.undetermined)
        )
        del result
        list_seconds = 0.0
        if create_list is not None:
            start = time.perf_counter()
            create_list(ws, kind="destruction", name="Bench", on=day)
            list_seconds = time.perf_counter() - start
        peak = max_rss_bytes()
    finally:
        ws.close()
    print(
        json.dumps(
            {
                "after_open": after_open,
                "after_due": after_due,
                "peak": peak,
                "due_seconds": due_seconds,
                "due_rows": due_rows,
                "list_seconds": list_seconds,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
