"""Stand-ins for what the world provides: a disk that fills up, a recording ``os``.

Installed only inside ``recordsdesk.store.objects`` (``monkeypatch.setattr(
objects_module, "os", OsProxy(...))``), so pytest and the database keep the real ``os``.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from typing import Any


class OsProxy:
    """The real ``os`` module with some functions replaced."""

    def __init__(self, **overrides: Callable[..., Any]) -> None:
        self._overrides = overrides

    def __getattr__(self, name: str) -> Any:
        if name in self._overrides:
            return self._overrides[name]
        return getattr(os, name)


def full_disk_after(limit: int, code: int = errno.ENOSPC) -> Callable[[int, Any], int]:
    """An ``os.write`` for a disk with ``limit`` bytes free: short writes, then ``code``."""
    written = 0

    def write(fd: int, data: Any) -> int:
        nonlocal written
        room = limit - written
        if room <= 0:
            raise OSError(code, os.strerror(code))
        count = os.write(fd, bytes(data[:room]))
        written += count
        return count

    return write
