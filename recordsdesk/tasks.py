"""Progress reporting and cancellation for long work, without Qt.

Core functions take ``progress(done, total, label)`` and a :class:`CancelToken`;
front ends decide how (and how often) to show progress.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from recordsdesk.errors import RecordsDeskError

Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, label: str) -> None:
    """The default progress callback: ignore."""


class Cancelled(RecordsDeskError):
    """The user cancelled; whatever was done so far was rolled back."""


class CancelToken:
    """Thread-safe flag a worker checks between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("cancelled")
