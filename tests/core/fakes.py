"""Stand-ins for what the world provides: a disk that fills up, a recording ``os``.

Installed only inside the ``recordsdesk.store`` modules (:func:`patch_store_os`), so
pytest, the database and the rest of the application keep the real ``os``.
"""

from __future__ import annotations

import errno
import importlib
import os
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest


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


def patch_store_os(monkeypatch: pytest.MonkeyPatch, **overrides: Callable[..., Any]) -> None:
    """Give every module of ``recordsdesk.store`` an ``os`` with ``overrides``.

    The store's writing code may live in more than one module; the fake disk must
    be under all of them, and under nothing else.
    """
    import recordsdesk.store

    proxy = OsProxy(**overrides)
    patched = []
    for info in pkgutil.iter_modules(recordsdesk.store.__path__, "recordsdesk.store."):
        module = importlib.import_module(info.name)
        if getattr(module, "os", None) is os:
            monkeypatch.setattr(module, "os", proxy)
            patched.append(info.name)
    assert "recordsdesk.store.objects" in patched, patched
