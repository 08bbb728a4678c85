"""A page's content worked on two threads at once: the caller's and one more.

The push and the pull cut a page's small objects into groups (one transaction or
one query each, see :mod:`.upload` and :mod:`.download`); the groups share no
object, so two of them can go at the same time on two connections, and the
central server hashes and stores (or the workstation hashes and writes) on two
cores. The caller's thread is one of the two, so no more memory arenas and
connections are busy than two (the push's memory must stay flat).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

GROUP_BYTES = 16 * 1024 * 1024  # at most this much content per group
WORKERS = 2


def balanced_limit(total: int, workers: int = WORKERS, most: int = GROUP_BYTES) -> int:
    """Bytes per group so that ``total`` makes a multiple of ``workers`` groups of at most
    ``most`` bytes, about equal (each thread as busy as the other)."""
    count = workers * max(1, -(-total // (workers * most)))
    return max(1, min(most, -(-total // count)))


def on_two_threads(items: Sequence[T], work: Callable[[T], R]) -> list[R]:
    """``work`` of every item, in order: the even-numbered ones on the calling thread, the
    others on one more. An exception of either side is raised once both have ended (the
    other side finishes its items: each is independent), so nothing runs on behind the
    caller's back."""
    if len(items) <= 1:
        return [work(item) for item in items]
    results: dict[int, R] = {}
    errors: list[BaseException] = []

    def side(start: int) -> None:
        try:
            for n in range(start, len(items), WORKERS):
                results[n] = work(items[n])
        except BaseException as exc:  # raised below, on the caller's thread
            errors.append(exc)

    other = threading.Thread(target=side, args=(1,), name="rd-sync-content", daemon=True)
    other.start()
    side(0)
    other.join()
    if errors:
        raise errors[0]
    return [results[n] for n in range(len(items))]
