"""The content-addressed object store.

Contract:

* :meth:`ObjectStore.put` (one file) and :meth:`ObjectStore.batch` (several,
  see ``store/batch.py``) read each source exactly once, hashing while they
  copy into a temp file in ``objects/tmp`` (same file system), make it durable
  and rename it to ``objects/ab/cd/<sha256>``, then make the rename durable.
  Either the complete object is there under its true hash, or nothing is (a
  failed put removes its temp file). Memory stays flat: one 1 MiB buffer.
* The same content is stored once; putting it again returns the existing
  object (``created=False``).
* Objects are read-only (mode 0444) and never modified. Every read that leaves
  the store (:meth:`copy_out`, :meth:`verified_path`) checks the hash.
* A store may have a :attr:`ObjectStore.source`: where objects it lacks can be
  brought from (a workspace over the central archive fetches other workstations'
  content). Every read (:meth:`readable_path`, :meth:`verified_path`,
  :meth:`copy_out`) asks it first for a missing object, so no reader has to
  remember to; :meth:`check` and :meth:`exists` look only here (fixity is about
  what this store holds).
* Object names are validated as 64 lower-case hex digits, so a name can never
  point outside the store.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recordsdesk.errors import IntegrityError
from recordsdesk.i18n import N_
from recordsdesk.store import durability
from recordsdesk.store.batch import PutBatch
from recordsdesk.tasks import CancelToken, Progress, no_progress

CHUNK = 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}\Z")  # \Z: "$" would accept a trailing newline
_BATCH_MEMBER = re.compile(r"^put-([0-9a-f]{32})-")
STALE_TEMP_SECONDS = 3600

#: Brings objects (sha256 -> size; 0 when the reader does not know it) into a store,
#: each kept only when its bytes hash to its name, or raises ``UserError`` naming one
#: that cannot be had.
Source = Callable[[Mapping[str, int]], None]


@dataclass(frozen=True)
class StoredObject:
    sha256: str
    size: int
    path: Path
    created: bool


class ObjectStore:
    def __init__(self, root: Path, source: Source | None = None) -> None:
        self.root = root
        self.source = source  # see the module contract; None: missing stays missing
        self._fetching = threading.Lock()  # one fetch at a time: no object brought twice
        self.tmp = root / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)
        self._root_text = os.fspath(root)
        # fan-out folders this process has seen or made; object folders are never
        # removed while the store is open (a batch re-makes one that was, see commit)
        self.known_folders: set[str] = set()

    # -- naming -------------------------------------------------------------
    def path_for(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError(f"not a SHA-256 object name: {sha256!r}")
        # one Path built from a string: this runs twice for every object taken in
        return Path(f"{self._root_text}/{sha256[:2]}/{sha256[2:4]}/{sha256}")

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    # -- writing ------------------------------------------------------------
    def batch(self) -> PutBatch:
        """Start putting several files as one durable step (see ``store.batch``)."""
        return PutBatch(self)

    def put(
        self,
        source: Path,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> StoredObject:
        """Store the content of ``source`` durably; see the module contract.

        Raises:
            UserError: the source is missing, unreadable, not a regular file,
                empty, changed while being read, or the disk is full.
            Cancelled: ``cancel`` was set; nothing was stored.
        """
        with self.batch() as batch:
            batch.stage(source, progress, cancel)
            return batch.commit()[0]

    def put_chunks(self, sha256: str, chunks: Iterable[bytes]) -> StoredObject:
        """Store content that arrives in pieces (a download) under its known hash.

        The pieces go to a temp file, hashed on the way; only when the whole
        matches ``sha256`` is it made durable and renamed into place, so a broken
        or interrupted download leaves nothing behind but a temp file that
        :meth:`cleanup_temp` removes. Content already present is not written again.

        Raises:
            IntegrityError: the pieces do not add up to ``sha256``.
        """
        target = self.path_for(sha256)
        if target.is_file():
            return StoredObject(sha256, target.stat().st_size, target, False)
        temp = self.tmp / f"get-{uuid.uuid4().hex}"
        hasher = hashlib.sha256()
        size = 0
        try:
            with temp.open("xb") as handle:
                durability.lock_exclusive(handle.fileno())
                for chunk in chunks:
                    hasher.update(chunk)
                    handle.write(chunk)
                    size += len(chunk)
                handle.flush()
                os.fsync(handle.fileno())
                if hasher.hexdigest() != sha256:
                    raise IntegrityError(sha256, N_("checksum mismatch"))
                if not target.parent.is_dir():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    durability.fsync_path(target.parent.parent)
                    durability.fsync_path(self.root)
                os.chmod(temp, 0o444)
                _into_place(temp, target)
            durability.fsync_path(target.parent)
        finally:
            durability.remove_quietly(temp)
        return StoredObject(sha256, size, target, True)

    def put_many_chunks(
        self, objects: Iterable[tuple[str, Iterable[bytes]]]
    ) -> tuple[list[StoredObject], dict[str, IntegrityError]]:
        """Several downloads made durable together (:meth:`put_chunks`' contract each).

        Each object goes to a temp file, kept open and locked (so no other process's
        :meth:`cleanup_temp` takes it) and verified against its name; then one flush
        of the file system, the renames, and one more flush for the renames: two
        syncs for the group instead of two per object. Objects whose pieces do not
        hash to their name are returned as failures and leave nothing behind.
        """
        staged: list[tuple[str, Path, Path, int, Any]] = []
        failed: dict[str, IntegrityError] = {}
        stored: list[StoredObject] = []
        try:
            for sha256, chunks in objects:
                target = self.path_for(sha256)
                if target.is_file():
                    stored.append(StoredObject(sha256, target.stat().st_size, target, False))
                    continue
                temp = self.tmp / f"get-{uuid.uuid4().hex}"
                handle = temp.open("xb")
                staged.append((sha256, temp, target, 0, handle))
                durability.lock_exclusive(handle.fileno())
                hasher = hashlib.sha256()
                size = 0
                for chunk in chunks:
                    hasher.update(chunk)
                    handle.write(chunk)
                    size += len(chunk)
                handle.flush()
                if hasher.hexdigest() != sha256:
                    staged.pop()
                    handle.close()
                    durability.remove_quietly(temp)
                    failed[sha256] = IntegrityError(sha256, N_("checksum mismatch"))
                    continue
                staged[-1] = (sha256, temp, target, size, handle)
            if not staged:
                return stored, failed
            folders = {t.parent for _, _, t, _, _ in staged}
            for folder in folders:
                folder.mkdir(parents=True, exist_ok=True)
            durability.flush(self.root, [temp for _, temp, _, _, _ in staged], folders)
            for sha256, temp, target, size, _handle in staged:
                os.chmod(temp, 0o444)
                _into_place(temp, target)
                stored.append(StoredObject(sha256, size, target, True))
            durability.flush(self.root, (), {*folders, *(f.parent for f in folders), self.root})
        finally:
            for _, temp, _, _, handle in staged:
                handle.close()
                durability.remove_quietly(temp)
        return stored, failed

    def cleanup_temp(self, older_than: float = STALE_TEMP_SECONDS) -> int:
        """Remove temp files left by a crashed process; returns how many.

        A writer holds a lock while it works (its batch lock file, or the temp
        file itself), so a temp file nobody locks belongs to a dead process and
        can go at once, while a live one (the CLI beside the window, a slow
        network drive) is left alone. Without locks (Windows) the age decides.
        """
        removed = 0
        cutoff = time.time() - older_than
        for entry in sorted(self.tmp.iterdir()):
            with contextlib.suppress(FileNotFoundError):
                if entry.is_dir() and not entry.is_symlink():
                    # a batch's scratch directory (an intake job's), same rules;
                    # other folders are not ours to remove
                    if _BATCH_MEMBER.match(entry.name) and self._stale(entry, cutoff):
                        shutil.rmtree(entry, ignore_errors=True)
                        removed += 1
                    continue
                if not entry.is_file():
                    continue
                if durability.HAS_LOCKS:
                    stale = not self._held(entry)
                else:
                    stale = entry.stat().st_mtime < cutoff
                if stale:
                    entry.unlink()
                    removed += 1
        return removed

    def _stale(self, entry: Path, cutoff: float) -> bool:
        if durability.HAS_LOCKS:
            member = _BATCH_MEMBER.match(entry.name)
            return not (member and durability.is_locked(self.tmp / f"put-{member.group(1)}.lock"))
        return entry.stat().st_mtime < cutoff

    def _held(self, entry: Path) -> bool:
        member = _BATCH_MEMBER.match(entry.name)
        if member and durability.is_locked(self.tmp / f"put-{member.group(1)}.lock"):
            return True
        return durability.is_locked(entry)

    # -- removing -----------------------------------------------------------
    def remove(self, sha256: str) -> bool:
        """Remove one object for good (destruction) and make the removal durable.

        The caller has checked that nothing refers to it any more. Removing an
        object that is already gone is not an error (a resumed destruction does
        it again): returns whether it was there."""
        path = self.path_for(sha256)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        durability.fsync_path(path.parent)
        return True

    # -- reading ------------------------------------------------------------
    def ensure(self, wanted: Mapping[str, int]) -> None:
        """Bring the objects of ``wanted`` (sha256 -> size hint, 0 if unknown: it only
        groups the fetches) that are not here from :attr:`source`, several at once;
        nothing happens without a source. Threads of one store fetch one at a time, and
        what another thread brought meanwhile is not fetched again.

        Raises:
            UserError: the source cannot provide one (it names it).
            OSError: this store cannot be written (a full disk).
        """
        if self.source is None:
            return
        if all(self.exists(sha) for sha in wanted):
            return
        with self._fetching:
            missing = {sha: size for sha, size in wanted.items() if not self.exists(sha)}
            if missing:
                self.source(missing)

    def readable_path(self, sha256: str, size_hint: int = 0) -> Path:
        """The object's path, brought from :attr:`source` first when it is not here
        (:meth:`ensure`, whose errors it raises); not re-hashed (for readers that hash
        what they read, or check it otherwise)."""
        self.ensure({sha256: size_hint})
        return self.path_for(sha256)

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

    def verified_path(self, sha256: str, size_hint: int = 0) -> Path:
        """The object's path after checking its hash (brought from :attr:`source` first
        when it is not here). Raises ``IntegrityError`` (missing or damaged here), or
        what :meth:`ensure` raises."""
        self.ensure({sha256: size_hint})
        problem = self.check(sha256)
        if problem:
            raise IntegrityError(sha256, problem)
        return self.path_for(sha256)

    def copy_out(self, sha256: str, destination: Path, size_hint: int = 0) -> None:
        """Write the object to ``destination`` atomically, verifying while copying
        (brought from :attr:`source` first when it is not here). Raises
        ``IntegrityError`` (missing or damaged), or what :meth:`ensure` raises."""
        source = self.readable_path(sha256, size_hint)
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


def _into_place(temp: Path, target: Path) -> None:
    """Rename a verified temp file to its object name. Another writer (a second
    process fetching the same object) may have put it there meanwhile: the same bytes,
    by name, so that is success too; Windows refuses to replace a read-only file."""
    try:
        os.replace(temp, target)
    except PermissionError:
        if not target.is_file():
            raise
