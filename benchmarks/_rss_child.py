"""Child process for the peak-RSS measurement: ``python -m benchmarks._rss_child HOME WARM BIG``.

Opens a fresh workspace in HOME, files WARM (a tiny file: loads the
identification engines) and then BIG through the real service, and prints one
JSON line with the high-water mark of its resident set size after each
stage, in bytes:

* ``after_open``: interpreter, imports, workspace opened, dossier created;
* ``after_warm``: after filing WARM (libmagic and siegfried loaded);
* ``peak``: after filing BIG, i.e. the peak of the whole process.

On Linux the figure is ``VmHWM`` from ``/proc/self/status``, not
``getrusage(RUSAGE_SELF).ru_maxrss``: the latter survives ``execve``, and since
``subprocess`` starts children with ``vfork`` + ``exec``, it would report the
*parent's* (the benchmark runner's) peak. ``VmHWM`` belongs to the new address
space. Elsewhere ``ru_maxrss`` is the fallback.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def max_rss_bytes(pid: int | None = None) -> int:
    """Peak RSS of this process, or of process ``pid`` (0 when that one is gone)."""
    try:
        with open(f"/proc/{pid or 'self'}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    if pid is not None:
        return 0
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(usage) if sys.platform == "darwin" else int(usage) * 1024


def main(argv: list[str]) -> int:
    home, warm, big = (Path(arg) for arg in argv)
    from recordsdesk.services.dossiers import create_dossier
    from recordsdesk.services.filing import file_paths
    from recordsdesk.services.workspace import open_workspace

    ws = open_workspace(home)
    try:
        kenmerk = create_dossier(ws, "Benchmark RSS").kenmerk
        after_open = max_rss_bytes()
        file_paths(ws, kenmerk, [warm])
        after_warm = max_rss_bytes()
        start = time.perf_counter()
        result = file_paths(ws, kenmerk, [big])
        seconds = time.perf_counter() - start
        peak = max_rss_bytes()
    finally:
        ws.close()
    print(
        json.dumps(
            {
                "after_open": after_open,
                "after_warm": after_warm,
                "peak": peak,
                "ru_maxrss": int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
                "seconds": seconds,
                "records": len(result.records),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
