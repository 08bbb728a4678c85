"""Putting several files into the object store as one durable step.

Contract of :class:`PutBatch` (used as ``with store.batch() as batch``):

* :meth:`PutBatch.stage` reads a source exactly once, hashing while it copies
  into a temp file ``objects/tmp/put-<batch>-<n>``; nothing is visible in the
  store yet. A source that is missing, not a regular file, empty, or changes
  while it is read is refused with a ``UserError``; a full disk too.
* :meth:`PutBatch.commit` makes every staged temp file durable, renames each
  to ``objects/ab/cd/<sha256>`` (or drops it when that object exists and
  re-hashes intact; a damaged one is replaced, i.e. repaired), and makes the
  renames durable, before it returns. Only then may a database row
  refer to the objects.
* Leaving the ``with`` block removes whatever was not committed. While the
  batch lives it holds a lock on ``put-<batch>.lock``, so another process's
  ``cleanup_temp`` leaves its temp files alone; after a crash they are removed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import stat
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from recordsdesk.errors import SourceChangedError, SourceMissingError, UserError
from recordsdesk.i18n import N_
from recordsdesk.store import durability
from recordsdesk.tasks import CancelToken, Progress, no_progress

if TYPE_CHECKING:
    from recordsdesk.store.objects import ObjectStore, StoredObject

CHUNK = 1024 * 1024
# Windows cannot delete a read-only file, so a failed stage could not clean up there
READ_ONLY_AT_CREATION = os.name == "posix"
#: the refusal when the disk is full: passing, so intake tries again by itself
DISK_FULL = N_("The disk is full; nothing was stored. Free space in {path}")


@dataclass(frozen=True)
class Staged:
    sha256: str
    size: int
    temp: Path


def _open_nonblocking(path: str, flags: int) -> int:
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it is then refused
    # as not a regular file. Reads from regular files ignore the flag.
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def open_source(source: Path) -> BinaryIO:
    """Open a file to be stored; every failure becomes a clear ``UserError``."""
    shown = {"path": str(source)}
    try:
        return open(source, "rb", buffering=0, opener=_open_nonblocking)
    except FileNotFoundError:
        raise SourceMissingError(N_("File not found: {path}"), shown) from None
    except IsADirectoryError:
        raise UserError(N_("Not a file but a folder: {path}"), shown) from None
    except PermissionError:
        raise UserError(N_("No permission to read: {path}"), shown) from None
    except OSError as exc:
        raise UserError(
            N_("Cannot read {path}: {reason}"), {**shown, "reason": exc.strerror}
        ) from None


class PutBatch:
    def __init__(self, store: ObjectStore) -> None:
        self.store = store
        self.name = uuid.uuid4().hex
        self._staged: list[Staged] = []
        self._scratch: list[Path] = []
        self._counter = 0
        self._buffer: bytearray | None = None
        self._lock_path = store.tmp / f"put-{self.name}.lock"
        self._lock_fd = os.open(self._lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        durability.lock_exclusive(self._lock_fd)

    def scratch_path(self, suffix: str = "") -> Path:
        """A temp path covered by this batch's lock (for identification links)."""
        self._counter += 1
        path = self.store.tmp / f"put-{self.name}-s{self._counter}{suffix}"
        self._scratch.append(path)
        return path

    def stage(
        self,
        source: Path,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> Staged:
        with open_source(source) as handle:
            before = os.fstat(handle.fileno())
            shown = {"path": str(source)}
            if stat.S_ISDIR(before.st_mode):
                raise UserError(N_("Not a file but a folder: {path}"), shown)
            if not stat.S_ISREG(before.st_mode):
                raise UserError(N_("Not a regular file: {path}"), shown)
            if before.st_size == 0:
                raise UserError(N_("The file is empty: {path}"), shown)
            self._counter += 1
            temp = self.store.tmp / f"put-{self.name}-{self._counter}"
            try:
                digest, size = self._copy_hashing(handle, temp, before.st_size, progress, cancel)
                after = os.fstat(handle.fileno())
                if size != before.st_size or (after.st_size, after.st_mtime_ns) != (
                    before.st_size,
                    before.st_mtime_ns,
                ):
                    raise SourceChangedError(
                        N_("The file changed while it was being filed: {path}"), shown
                    )
            except BaseException:
                durability.remove_quietly(temp)
                raise
        staged = Staged(digest, size, temp)
        self._staged.append(staged)
        return staged

    def _copy_hashing(
        self,
        handle: BinaryIO,
        temp: Path,
        expected: int,
        progress: Progress,
        cancel: CancelToken | None,
    ) -> tuple[str, int]:
        hasher = hashlib.sha256()
        if self._buffer is None:
            # one buffer per batch: a fresh megabyte per small file cost more than copying it
            self._buffer = bytearray(CHUNK)
        buffer = self._buffer
        view = memoryview(buffer)
        size = 0
        # read-only from the start where the mode is POSIX (the umask may narrow it):
        # one inode change fewer per object than a chmod before the rename
        mode = 0o444 if READ_ONLY_AT_CREATION else 0o600
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            while True:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                count = handle.readinto(buffer)  # type: ignore[attr-defined]
                if not count:
                    break
                chunk = view[:count]
                hasher.update(chunk)
                _write_all(fd, chunk, self.store.root)
                size += count
                progress(size, expected, "")
        finally:
            os.close(fd)
        return hasher.hexdigest(), size

    def discard(self, staged: Staged) -> None:
        """Take a staged file back out of the batch (it will not be committed)."""
        self._staged.remove(staged)
        durability.remove_quietly(staged.temp)

    def commit(self) -> list[StoredObject]:
        """Make every staged object durable and visible; see the module contract."""
        from recordsdesk.store.objects import StoredObject

        temps = [s.temp for s in self._staged]
        durability.flush(self.store.tmp, files=temps)
        results: list[StoredObject] = []
        touched: list[Path] = []
        for staged in self._staged:
            final = self.store.path_for(staged.sha256)
            found: os.stat_result | None = None
            if not self._make_folders(final, touched):  # in a folder just made: nothing there
                with contextlib.suppress(FileNotFoundError):
                    found = final.stat()
            # Content is shared only when the stored copy is intact; a missing or
            # damaged object is replaced by the new copy, whose hash we just computed.
            if (
                found is not None
                and stat.S_ISREG(found.st_mode)
                and self.store.check(staged.sha256, staged.size) is None
            ):
                durability.remove_quietly(staged.temp)
                results.append(StoredObject(staged.sha256, staged.size, final, created=False))
                continue
            if not READ_ONLY_AT_CREATION:
                os.chmod(staged.temp, 0o444)
            if found is not None:
                os.chmod(final, 0o644)
            try:
                os.replace(staged.temp, final)
            except FileNotFoundError:  # a known folder was removed behind our back
                self.store.known_folders.clear()
                self._make_folders(final, touched)
                os.replace(staged.temp, final)
            touched.append(final.parent)
            results.append(StoredObject(staged.sha256, staged.size, final, created=True))
        durability.flush(self.store.root, directories=dict.fromkeys(touched))
        self._staged.clear()
        return results

    def _make_folders(self, final: Path, touched: list[Path]) -> bool:
        """Make the object's two fan-out folders where needed; new ones go in ``touched``
        (their parents must be flushed). Known folders cost no system call. True when
        this call made the object's own folder (so no object can be in it yet)."""
        known = self.store.known_folders
        made = False
        for folder in (final.parent.parent, final.parent):
            key = os.fspath(folder)
            if key in known:
                continue
            try:
                folder.mkdir()
                touched.append(folder.parent)
                made = folder == final.parent
            except FileExistsError:
                pass
            known.add(key)
        return made

    def close(self) -> None:
        """Remove what was not committed, and release the lock."""
        for staged in self._staged:
            durability.remove_quietly(staged.temp)
        for path in self._scratch:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)  # a round's or job's temp folder
            else:
                durability.remove_quietly(path)
        self._staged.clear()
        durability.remove_quietly(self._lock_path)
        os.close(self._lock_fd)

    def __enter__(self) -> PutBatch:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _write_all(fd: int, chunk: memoryview, store_root: Path) -> None:
    while chunk:
        try:
            written = os.write(fd, chunk)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise UserError(
                    DISK_FULL,
                    {"path": str(store_root)},
                ) from None
            raise
        chunk = chunk[written:]
