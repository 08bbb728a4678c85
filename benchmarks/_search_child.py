"""Child process of the ``search`` workload: one timed index build, with its memory.

``python -m benchmarks._search_child URL [PROFILE_FILE]`` opens the store at URL
(SQLite or PostgreSQL, built by :mod:`benchmarks._search_build`, everything
pending) and runs ``recordsdesk.search.index.catch_up(engine)``: every pending
dossier and record indexed, one transaction per batch, as ``recordsdesk search``
does before it searches. Prints one JSON line:

* ``seconds``: the ``catch_up`` call (wall time); ``indexed``: marks it handled;
* ``pending_before``: marks waiting before (untimed count);
* ``after_open``: peak RSS after imports and opening the engine; ``peak``: peak
  RSS of the whole process (``VmHWM``, see :mod:`benchmarks._rss_child`).

With PROFILE_FILE the call runs under cProfile and the stats are dumped there
(timings then inflated: for where the time goes, not for figures).
"""

from __future__ import annotations

import cProfile
import json
import sys
import time

from benchmarks._rss_child import max_rss_bytes


def main(argv: list[str]) -> int:
    url = argv[0]
    profile_file = argv[1] if len(argv) > 1 else None
    from recordsdesk.db.engine import make_engine
    from recordsdesk.search import index

    engine = make_engine(url)
    with engine.connect() as connection:
        pending_before = index.pending_count(connection)
    after_open = max_rss_bytes()
    profiler = cProfile.Profile() if profile_file else None
    start = time.perf_counter()
    try:
        if profiler is not None:
            indexed = profiler.runcall(index.catch_up, engine)
        else:
            indexed = index.catch_up(engine)
        seconds = time.perf_counter() - start
    finally:
        engine.dispose()
    if profiler is not None and profile_file:
        profiler.dump_stats(profile_file)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "indexed": indexed,
                "pending_before": pending_before,
                "after_open": after_open,
                "peak": max_rss_bytes(),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
