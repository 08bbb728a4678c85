"""The content-addressed object store.

Contract:

* :meth:`ObjectStore.put` reads the source exactly once, hashing while it
  copies into a temp file in ``objects/tmp`` (same file system), fsyncs it and
  renames it to ``objects/ab/cd/<sha256>``, then fsyncs the directory. Either
  the complete object is there under its true hash, or nothing is (a failed
  put removes its temp file). Memory stays flat: one 1 MiB buffer.
* The same content is stored once; putting it again returns the existing
  object (``created=False``).
* Objects are read-only (mode 0444) and never modified. Every read that leaves
  the store (:meth:`copy_out`, :meth:`open_verified`) checks the hash.
* Object names are validated as 64 lower-case hex digits, so a name can never
  point outside the store.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from recordsdesk.errors import IntegrityError, UserError
from recordsdesk.i18n import N_
from recordsdesk.tasks import CancelToken, Progress, no_progress

CHUNK = 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}\Z")  # \Z: "$" would accept a trailing newline
STALE_TEMP_SECONDS = 3600


@dataclass(frozen=True)
class StoredObject:
    sha256: str
    size: int
    path: Path
    created: bool


def _open_nonblocking(path: str, flags: int) -> int:
    # O_NONBLOCK: opening a FIFO must not wait for a writer; put then refuses it
    # as not a regular file. Reads from regular files ignore the flag.
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _lock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _is_abandoned(path: Path) -> bool:
    """True when no live process holds the temp file's lock (POSIX only)."""
    if fcntl is None:
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ObjectStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)

    # -- naming -------------------------------------------------------------
    def path_for(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError(f"not a SHA-256 object name: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    # -- writing ------------------------------------------------------------
    def put(
        self,
        source: Path,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> StoredObject:
        """Store the content of ``source``; see the module contract.

        Raises:
            UserError: the source is missing, unreadable, not a regular file,
                empty, changed while being read, or the disk is full.
            Cancelled: ``cancel`` was set; nothing was stored.
        """
        try:
            handle = open(source, "rb", buffering=0, opener=_open_nonblocking)  # noqa: SIM115
        except FileNotFoundError:
            raise UserError(N_("File not found: {path}"), {"path": str(source)}) from None
        except IsADirectoryError:
            raise UserError(N_("Not a file but a folder: {path}"), {"path": str(source)}) from None
        except PermissionError:
            raise UserError(N_("No permission to read: {path}"), {"path": str(source)}) from None
        except OSError as exc:
            raise UserError(
                N_("Cannot read {path}: {reason}"), {"path": str(source), "reason": exc.strerror}
            ) from None
        with handle:
            before = os.fstat(handle.fileno())
            if stat.S_ISDIR(before.st_mode):
                raise UserError(N_("Not a file but a folder: {path}"), {"path": str(source)})
            if not stat.S_ISREG(before.st_mode):
                raise UserError(N_("Not a regular file: {path}"), {"path": str(source)})
            if before.st_size == 0:
                raise UserError(N_("The file is empty: {path}"), {"path": str(source)})
            temp = self.tmp / f"put-{uuid.uuid4().hex}"
            try:
                digest, size = self._copy_hashing(handle, temp, before.st_size, progress, cancel)
                after = os.fstat(handle.fileno())
                if (
                    size != before.st_size
                    or after.st_size != before.st_size
                    or after.st_mtime_ns != before.st_mtime_ns
                ):
                    raise UserError(
                        N_("The file changed while it was being filed: {path}"),
                        {"path": str(source)},
                    )
                return self._commit(temp, digest, size)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    temp.unlink()
                raise

    def _copy_hashing(
        self,
        handle: object,
        temp: Path,
        expected: int,
        progress: Progress,
        cancel: CancelToken | None,
    ) -> tuple[str, int]:
        hasher = hashlib.sha256()
        buffer = bytearray(CHUNK)
        view = memoryview(buffer)
        size = 0
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            _lock(fd)
            while True:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                count = handle.readinto(buffer)  # type: ignore[attr-defined]
                if not count:
                    break
                chunk = view[:count]
                hasher.update(chunk)
                self._write_all(fd, chunk, temp)
                size += count
                progress(size, expected, "")
            os.fsync(fd)
        finally:
            os.close(fd)
        return hasher.hexdigest(), size

    @staticmethod
    def _write_all(fd: int, chunk: memoryview, temp: Path) -> None:
        while chunk:
            try:
                written = os.write(fd, chunk)
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                    raise UserError(
                        N_("The disk is full; nothing was stored. Free space in {path}"),
                        {"path": str(temp.parent.parent)},
                    ) from None
                raise
            chunk = chunk[written:]

    def _commit(self, temp: Path, digest: str, size: int) -> StoredObject:
        final = self.path_for(digest)
        if final.is_file() and final.stat().st_size == size:
            temp.unlink()
            return StoredObject(digest, size, final, created=False)
        # A missing or wrongly sized object is (re)placed by the verified copy.
        new_dirs = [d for d in (final.parent.parent, final.parent) if not d.exists()]
        final.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(temp, 0o444)
        if final.exists():
            os.chmod(final, 0o644)
        os.replace(temp, final)
        _fsync_dir(final.parent)
        for folder in reversed(new_dirs):
            _fsync_dir(folder.parent)
        return StoredObject(digest, size, final, created=True)

    def cleanup_temp(self, older_than: float = STALE_TEMP_SECONDS) -> int:
        """Remove temp files left by a crashed process; returns how many.

        A put holds an exclusive lock on its temp file while it runs, so a temp
        file nobody locks belongs to a dead process and can go at once, while
        another live process (the CLI beside the window) is left alone. Where
        there are no such locks (Windows), only files older than
        ``older_than`` seconds are removed.
        """
        removed = 0
        cutoff = time.time() - older_than
        for entry in self.tmp.iterdir():
            with contextlib.suppress(FileNotFoundError):
                if not entry.is_file():
                    continue
                # With locks the lock decides (a live writer may be slow); without, the age.
                if fcntl is not None:
                    stale = _is_abandoned(entry)
                else:
                    stale = entry.stat().st_mtime < cutoff
                if stale:
                    entry.unlink()
                    removed += 1
        return removed

    # -- reading ------------------------------------------------------------
    def check(self, sha256: str, size: int | None = None) -> str | None:
        """Re-hash one object; ``None`` when intact, else the reason (a msgid)."""
        path = self.path_for(sha256)
        try:
            handle = path.open("rb", buffering=0)
        except FileNotFoundError:
            return N_("missing")
        except OSError:
            return N_("unreadable")
        hasher = hashlib.sha256()
        buffer = bytearray(CHUNK)
        total = 0
        with handle:
            while count := handle.readinto(buffer):
                hasher.update(memoryview(buffer)[:count])
                total += count
        if size is not None and total != size:
            return N_("wrong size")
        if hasher.hexdigest() != sha256:
            return N_("checksum mismatch")
        return None

    def verified_path(self, sha256: str) -> Path:
        """The object's path after checking its hash; raises ``IntegrityError``."""
        problem = self.check(sha256)
        if problem:
            raise IntegrityError(sha256, problem)
        return self.path_for(sha256)

    def copy_out(self, sha256: str, destination: Path) -> None:
        """Write the object to ``destination`` atomically, verifying while copying."""
        source = self.path_for(sha256)
        temp = destination.with_name(f".{destination.name}.{uuid.uuid4().hex}.part")
        hasher = hashlib.sha256()
        try:
            with source.open("rb") as src, temp.open("xb") as dst:
                while chunk := src.read(CHUNK):
                    hasher.update(chunk)
                    dst.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            if hasher.hexdigest() != sha256:
                raise IntegrityError(sha256, "checksum mismatch")
            os.replace(temp, destination)
        except FileNotFoundError as exc:
            if not source.exists():
                raise IntegrityError(sha256, "missing") from exc
            raise
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()

    def iter_names(self) -> Iterator[str]:
        for first in sorted(self.root.iterdir()):
            if first.name == "tmp" or not first.is_dir():
                continue
            for second in sorted(first.iterdir()):
                for entry in sorted(second.iterdir()):
                    if _SHA256.match(entry.name):
                        yield entry.name
