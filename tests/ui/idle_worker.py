"""A worker that does nothing of its own accord, for tests/ui/test_worker_priority.py:
it never lowers its own priority, and it reports the niceness of a thread it starts
(one line on stdout) and waits for the end of its stdin."""

from __future__ import annotations

import os
import sys
import threading


def niceness_of_a_new_thread() -> int:
    seen: list[int] = []
    thread = threading.Thread(target=lambda: seen.append(os.getpriority(os.PRIO_PROCESS, 0)))
    thread.start()
    thread.join()
    return seen[0]


if __name__ == "__main__":
    sys.stdout.write(f'{{"event": "niceness", "value": {niceness_of_a_new_thread()}}}\n')
    sys.stdout.flush()
    sys.stdin.read()
