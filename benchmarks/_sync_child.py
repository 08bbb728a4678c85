"""Child process of the ``sync`` workload: one timed ``sync_once``, with its memory.

``python -m benchmarks._sync_child HOME CENTRAL_URL [PROFILE_FILE]`` opens the
workspace in HOME and the central archive at CENTRAL_URL, runs
``recordsdesk.archive.sync.engine.sync_once`` once and prints one JSON line:

* ``seconds``: the whole ``sync_once`` call (wall time);
* ``push_seconds``: from the start to the last "Sending changes" progress report,
  which push makes right after a page is confirmed locally, so: the push phase;
  ``pull_seconds``: the rest (audit rows, the pull, telling the central archive);
* ``pushed``, ``pulled``, ``conflicts``, ``problems``, ``bytes_sent``,
  ``bytes_received``: the report's counts;
* ``after_open``: peak RSS after imports and opening both ends; ``peak``: peak RSS
  of the whole process (``VmHWM``, see :mod:`benchmarks._rss_child`);
* ``push_quarters``: the highest RSS sampled (every 20 ms, ``VmRSS``) in each quarter
  of the push phase, so growth with the number of records pushed shows;
  ``pull_peak_sampled``: the highest sampled during the rest.

With PROFILE_FILE the call runs under cProfile and the stats are dumped there (the
timings are then inflated: use it for where the time goes, not for figures).
"""

from __future__ import annotations

import cProfile
import itertools
import json
import sys
import threading
import time
from pathlib import Path

from benchmarks._rss_child import max_rss_bytes

SAMPLE_S = 0.02


def current_rss() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


class Sampler(threading.Thread):
    """Samples this process's resident set size until stopped."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, int]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.samples.append((time.perf_counter(), current_rss()))
            self.done.wait(SAMPLE_S)


def main(argv: list[str]) -> int:
    home, url = Path(argv[0]), argv[1]
    profile_file = argv[2] if len(argv) > 2 else None
    from recordsdesk.archive.sync.central import Central
    from recordsdesk.archive.sync.engine import sync_once
    from recordsdesk.db.engine import make_engine
    from recordsdesk.services import open_workspace

    ws = open_workspace(home)
    engine = make_engine(url)
    central = Central.open(engine)
    after_open = max_rss_bytes()
    last_push = [0.0]
    pushed_at: list[tuple[float, int, int]] = []  # (when, entries done, entries in all)

    def progress(done: int, total: int, message: str) -> None:
        if message == "Sending changes":
            last_push[0] = time.perf_counter()
            pushed_at.append((last_push[0], done, total))

    sampler = Sampler()
    sampler.start()
    profiler = cProfile.Profile() if profile_file else None
    start = time.perf_counter()
    try:
        if profiler is not None:
            report = profiler.runcall(sync_once, ws, central, progress)
        else:
            report = sync_once(ws, central, progress)
        end = time.perf_counter()
    finally:
        sampler.done.set()
        sampler.join()
        ws.close()
        engine.dispose()
    if profiler is not None and profile_file:
        profiler.dump_stats(profile_file)
    push_end = last_push[0] or start
    push_seconds = push_end - start
    quarters = [0, 0, 0, 0]
    pull_peak = 0
    for at, rss in sampler.samples:
        if at <= push_end and push_seconds > 0:
            index = min(3, int(4 * (at - start) / push_seconds)) if at >= start else 0
            quarters[index] = max(quarters[index], rss)
        else:
            pull_peak = max(pull_peak, rss)
    # seconds each quarter of the outbox took: growing quarters would mean work that
    # grows with what was pushed before
    marks = [start]
    for quarter in (1, 2, 3, 4):
        reached = [at for at, done, total in pushed_at if 4 * done >= quarter * total]
        marks.append(reached[0] if reached else marks[-1])
    print(
        json.dumps(
            {
                "seconds": end - start,
                "push_seconds": push_seconds,
                "pull_seconds": end - push_end,
                "pushed": report.pushed,
                "pulled": report.pulled,
                "conflicts": report.conflicts,
                "problems": [p.msgid for p in report.problems][:5],
                "bytes_sent": report.bytes_sent,
                "bytes_received": report.bytes_received,
                "after_open": after_open,
                "peak": max_rss_bytes(),
                "push_quarters": quarters,
                "push_quarter_seconds": [b - a for a, b in itertools.pairwise(marks)],
                "pull_peak_sampled": pull_peak,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
