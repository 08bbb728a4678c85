"""Child process of the ``mdto`` workload's peak-RSS case.

``python -m benchmarks._mdto_rss_child HOME KENMERK OUT`` opens the workspace in
HOME, loads the MDTO schema (a fixed cost of any export), exports the dossier
KENMERK into OUT through the real service, and prints one JSON line (bytes):

* ``after_open``: peak RSS after imports, opening the workspace and loading the XSD;
* ``peak``: peak RSS of the whole process, after the export.

Peak RSS is ``VmHWM`` of this process (see :func:`benchmarks._rss_child.max_rss_bytes`).
"""

from __future__ import annotations

import json
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
    finally:
        ws.close()
    print(
        json.dumps(
            {
                "after_open": after_open,
                "peak": peak,
                "seconds": seconds,
                "objects": report.objects,
                "problems": len(report.problems),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
