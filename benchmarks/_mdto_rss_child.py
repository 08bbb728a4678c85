"""Child process of the ``mdto`` workload's peak-RSS case.

``python -m benchmarks._mdto_rss_child HOME KENMERK OUT`` opens the workspace in
HOME, loads the MDTO schema (a fixed cost of any export), exports the dossier
KENMERK into OUT through the real service, and prints one JSON line (bytes):

* ``after_open``: peak RSS after imports, opening the workspace and loading the XSD;
* ``peak``: peak RSS of the whole process, after the export;
* ``worker_peak``: peak RSS of the export's second process (a large dossier is exported
  by two processes at once; 0 when there was none), so that ``peak + worker_peak`` is
  what the export needs at most.

Peak RSS is ``VmHWM`` of this process (see :func:`benchmarks._rss_child.max_rss_bytes`)
and ``ru_maxrss`` of its children.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from benchmarks._rss_child import max_rss_bytes


def main(argv: list[str]) -> int:
    home, kenmerk, out = Path(argv[0]), argv[1], Path(argv[2])
    from recordsdesk.mdto import schema
    from recordsdesk.services.export import export_mdto
    from recordsdesk.services.workspace import open_workspace

    ws = open_workspace(home)
    try:
        schema.load_schema()
        after_open = max_rss_bytes()
        start = time.perf_counter()
        report = export_mdto(ws, kenmerk, out)
        seconds = time.perf_counter() - start
        peak = max_rss_bytes()
        worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    finally:
        ws.close()
    print(
        json.dumps(
            {
                "after_open": after_open,
                "peak": peak,
                "worker_peak": worker_peak,
                "seconds": seconds,
                "objects": report.objects,
                "problems": len(report.problems),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
