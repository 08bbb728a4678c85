"""Making writes durable, and telling live writers' temp files from dead ones.

On Linux one ``syncfs`` flushes every file and directory entry written so far
on the store's file system: a batch of a thousand small objects then costs two
flushes instead of three thousand fsyncs. Elsewhere each file and directory is
fsynced. Writers hold an ``flock`` on a lock file while they work, so a crash
leaves temp files nobody locks, which the next start removes.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

HAS_LOCKS = fcntl is not None


@cache
def _syncfs_function() -> object | None:
    if not hasattr(os, "sched_getaffinity"):  # a cheap "is this Linux" check
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        function = libc.syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int
    return function


def fsync_path(path: Path) -> None:
    """fsync one file or directory by path."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if path.is_dir() else os.O_RDONLY
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def flush(anchor: Path, files: Iterable[Path] = (), directories: Iterable[Path] = ()) -> None:
    """Make ``files`` and ``directories`` durable.

    With ``syncfs`` (Linux) this is one call for the file system holding
    ``anchor``; otherwise each path is fsynced. Raises ``OSError`` when the
    kernel reports a write-back error.
    """
    syncfs = _syncfs_function()
    if syncfs is not None:
        fd = os.open(anchor, os.O_RDONLY)
        try:
            if syncfs(fd) != 0:  # type: ignore[operator]
                error = ctypes.get_errno()
                raise OSError(error, os.strerror(error), str(anchor))
        finally:
            os.close(fd)
        return
    for path in files:
        fsync_path(path)
    for path in directories:
        fsync_path(path)


def lock_exclusive(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def is_locked(path: Path) -> bool:
    """True when a live process holds an flock on ``path`` (False without locks)."""
    if fcntl is None:
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def remove_quietly(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
