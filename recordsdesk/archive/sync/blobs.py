"""The central content store: content arrives in chunks and is complete once verified whole.

Contract (both implementations, :class:`DatabaseBlobs` and :class:`DirectoryBlobs`):

* :meth:`put_chunk` stores chunk ``idx`` of an object with its own SHA-256;
  putting a chunk again is harmless (two workstations uploading the same
  content, or a retried upload, agree on the bytes).
* :meth:`confirmed_chunks` says how many leading chunks are stored with the size
  this version's chunking gives them, so an interrupted upload resumes from the
  first missing one (and one begun with another chunk size starts again).
* :meth:`finish` checks every chunk against its hash and the whole against the
  object's SHA-256 before it records the object as complete; :meth:`has` is
  true only after that. The sync engine makes a bestand visible centrally only
  for content that :meth:`has`.
* :meth:`read` yields the content and raises :class:`IntegrityError` at the end
  when it does not match its hash, so a reader never keeps damaged bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import shutil
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine, delete, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from recordsdesk.db.models import ContentChunk, ContentObject, table_of
from recordsdesk.errors import IntegrityError
from recordsdesk.i18n import N_
from recordsdesk.store import ObjectStore, durability

CHUNK_SIZE = 4 * 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}\Z")


def _name(sha256: str) -> str:
    if not _SHA256.match(sha256):
        raise ValueError(f"not a SHA-256 object name: {sha256!r}")
    return sha256


def _leading(stored: Iterable[tuple[int, int]], size: int, chunk_size: int) -> int:
    """How many chunks from the first on are there with the size chunking by
    ``chunk_size`` gives them (an upload begun with another size does not count)."""
    count = 0
    for idx, length in stored:
        if idx != count or length != min(chunk_size, size - idx * chunk_size):
            break
        count += 1
    return count


class BlobStore(Protocol):
    def has(self, sha256: str) -> bool: ...
    def confirmed_chunks(self, sha256: str, size: int, chunk_size: int) -> int: ...
    def put_chunk(self, sha256: str, idx: int, data: bytes) -> None: ...
    def finish(self, sha256: str, size: int, chunk_count: int) -> None: ...
    def read(self, sha256: str) -> Iterator[bytes]: ...
    def check(self, sha256: str) -> str | None: ...
    def names(self) -> Iterator[tuple[str, int]]: ...
    def forget(self, sha256: str) -> None: ...


class DatabaseBlobs:
    """Chunks in the central database (the default): ``content_chunk`` rows,
    ``content_object`` once verified. Each call is its own short transaction,
    so every confirmed chunk survives a dropped connection."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # reads take no write lock (SQLite: plain BEGIN, see db.engine)
        self.reader = engine.execution_options(read_only=True)
        self._postgres = engine.dialect.name == "postgresql"

    def has(self, sha256: str) -> bool:
        with self.reader.connect() as connection:
            found = connection.scalar(
                select(ContentObject.sha256).where(ContentObject.sha256 == _name(sha256))
            )
        return found is not None

    def confirmed_chunks(self, sha256: str, size: int, chunk_size: int) -> int:
        with self.reader.connect() as connection:
            stored = connection.execute(
                select(ContentChunk.idx, ContentChunk.size)
                .where(ContentChunk.sha256 == _name(sha256))
                .order_by(ContentChunk.idx)
            ).all()
        return _leading(((r.idx, r.size) for r in stored), size, chunk_size)

    def put_chunk(self, sha256: str, idx: int, data: bytes) -> None:
        row = {
            "sha256": _name(sha256),
            "idx": idx,
            "size": len(data),
            "chunk_sha256": hashlib.sha256(data).hexdigest(),
            "data": data,
        }
        maker = pg_insert if self._postgres else sqlite_insert
        statement = maker(table_of(ContentChunk)).values(**row)
        # one statement: a chunk already there with the same hash stays as it is; an
        # earlier damaged attempt (another hash) is replaced
        statement = statement.on_conflict_do_update(
            index_elements=["sha256", "idx"],
            set_={
                "size": statement.excluded.size,
                "chunk_sha256": statement.excluded.chunk_sha256,
                "data": statement.excluded.data,
            },
            where=table_of(ContentChunk).c.chunk_sha256 != statement.excluded.chunk_sha256,
        )
        with self.engine.begin() as connection:
            connection.execute(statement)

    def finish(self, sha256: str, size: int, chunk_count: int) -> None:
        maker = pg_insert if self._postgres else sqlite_insert
        with self.engine.begin() as connection:  # verified and recorded on one connection
            problem = self._verify_chunks(sha256, size, chunk_count, connection)
            if problem is not None:
                raise IntegrityError(sha256, problem)
            connection.execute(
                maker(table_of(ContentObject))
                .values(
                    sha256=sha256,
                    size=size,
                    chunk_count=chunk_count,
                    verified_at=dt.datetime.now(dt.UTC),
                )
                .on_conflict_do_nothing()
            )

    def _verify_chunks(
        self, sha256: str, size: int, chunk_count: int, given: Connection | None = None
    ) -> str | None:
        """Each chunk against its own hash; the whole against the object's (on ``given``,
        else on a read-only connection of its own)."""
        with contextlib.nullcontext(given) if given else self.reader.connect() as connection:
            digests: list[tuple[int, int, str, str]]
            if self._postgres:
                # the server hashes: for a one-chunk object nothing travels back
                digests = [
                    (r[0], r[1], r[2], r[3])
                    for r in connection.execute(
                        select(
                            ContentChunk.idx,
                            ContentChunk.size,
                            ContentChunk.chunk_sha256,
                            func.encode(func.sha256(ContentChunk.data), "hex"),
                        )
                        .where(ContentChunk.sha256 == _name(sha256))
                        .where(ContentChunk.idx < chunk_count)
                        .order_by(ContentChunk.idx)
                    )
                ]
            else:
                digests = [
                    (r.idx, r.size, r.chunk_sha256, hashlib.sha256(r.data).hexdigest())
                    for r in connection.execute(
                        select(ContentChunk)
                        .where(ContentChunk.sha256 == _name(sha256))
                        .where(ContentChunk.idx < chunk_count)
                        .order_by(ContentChunk.idx)
                    )
                ]
        if [d[0] for d in digests] != list(range(chunk_count)):
            return N_("chunks missing")
        if sum(d[1] for d in digests) != size:
            return N_("wrong size")
        if any(d[2] != d[3] for d in digests):
            return N_("checksum mismatch")
        if chunk_count == 1:
            return None if digests[0][3] == sha256 else N_("checksum mismatch")
        hasher = hashlib.sha256()
        for piece in self._pieces(sha256, chunk_count):
            hasher.update(piece)
        return None if hasher.hexdigest() == sha256 else N_("checksum mismatch")

    def _pieces(self, sha256: str, chunk_count: int | None = None) -> Iterator[bytes]:
        """The object's chunks in order (the first ``chunk_count``, else as recorded):
        one chunk per query, so memory stays at one chunk whatever the object's size."""
        with self.reader.connect() as connection:
            if chunk_count is None:
                chunk_count = connection.scalar(
                    select(ContentObject.chunk_count).where(ContentObject.sha256 == sha256)
                )
            indexes = connection.scalars(
                select(ContentChunk.idx)
                .where(ContentChunk.sha256 == sha256)
                .where(ContentChunk.idx < (chunk_count or 0))
                .order_by(ContentChunk.idx)
            ).all()
            for idx in indexes:
                data = connection.scalar(
                    select(ContentChunk.data).where(
                        ContentChunk.sha256 == sha256, ContentChunk.idx == idx
                    )
                )
                assert data is not None
                yield bytes(data)

    def read(self, sha256: str) -> Iterator[bytes]:
        if not self.has(sha256):
            raise IntegrityError(sha256, N_("missing"))
        hasher = hashlib.sha256()
        for piece in self._pieces(sha256):
            hasher.update(piece)
            yield piece
        if hasher.hexdigest() != sha256:
            raise IntegrityError(sha256, N_("checksum mismatch"))

    def check(self, sha256: str) -> str | None:
        with self.reader.connect() as connection:
            row = connection.execute(
                select(ContentObject.size, ContentObject.chunk_count).where(
                    ContentObject.sha256 == _name(sha256)
                )
            ).first()
        if row is None:
            return N_("missing")
        return self._verify_chunks(sha256, row.size, row.chunk_count)

    def names(self) -> Iterator[tuple[str, int]]:
        with self.reader.connect() as connection:
            rows = connection.execute(
                select(ContentObject.sha256, ContentObject.size).order_by(ContentObject.sha256)
            ).all()
        yield from ((r.sha256, r.size) for r in rows)

    def forget(self, sha256: str) -> None:
        """Remove content no bestand refers to any more (destruction, central side).

        Where the central archive's enforcement is installed nobody may delete
        content directly; its function checks again that no bestand uses it."""
        with self.engine.begin() as connection:
            if self._postgres and connection.scalar(
                text("SELECT to_regprocedure('rd_forget_content(text)') IS NOT NULL")
            ):
                connection.execute(text("SELECT rd_forget_content(:digest)"), {"digest": sha256})
                return
            connection.execute(delete(ContentObject).where(ContentObject.sha256 == sha256))
            connection.execute(delete(ContentChunk).where(ContentChunk.sha256 == sha256))


class DirectoryBlobs:
    """A content-addressed directory (e.g. a file share) behind the same interface:
    ``objects/ab/cd/<sha256>`` once complete, ``partial/<sha256>/<idx>`` meanwhile."""

    def __init__(self, root: Path) -> None:
        self.objects = ObjectStore(root / "objects")
        self.partial = root / "partial"
        self.partial.mkdir(parents=True, exist_ok=True)

    def has(self, sha256: str) -> bool:
        return self.objects.exists(_name(sha256))

    def confirmed_chunks(self, sha256: str, size: int, chunk_size: int) -> int:
        folder = self.partial / _name(sha256)
        stored: list[tuple[int, int]] = []
        while (folder / str(len(stored))).is_file():
            stored.append((len(stored), (folder / str(len(stored))).stat().st_size))
        return _leading(stored, size, chunk_size)

    def put_chunk(self, sha256: str, idx: int, data: bytes) -> None:
        folder = self.partial / _name(sha256)
        folder.mkdir(exist_ok=True)
        temp = folder / f".{idx}.{uuid.uuid4().hex}"
        try:
            with temp.open("xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, folder / str(idx))
            durability.fsync_path(folder)
        finally:
            durability.remove_quietly(temp)

    def finish(self, sha256: str, size: int, chunk_count: int) -> None:
        folder = self.partial / _name(sha256)
        parts = [folder / str(i) for i in range(chunk_count)]
        if not all(p.is_file() for p in parts):
            raise IntegrityError(sha256, N_("chunks missing"))
        stored = self.objects.put_chunks(sha256, (p.read_bytes() for p in parts))
        if stored.size != size:
            raise IntegrityError(sha256, N_("wrong size"))
        shutil.rmtree(folder, ignore_errors=True)

    def read(self, sha256: str) -> Iterator[bytes]:
        path = self.objects.path_for(_name(sha256))
        if not path.is_file():
            raise IntegrityError(sha256, N_("missing"))
        hasher = hashlib.sha256()
        with path.open("rb") as handle:
            while piece := handle.read(CHUNK_SIZE):
                hasher.update(piece)
                yield piece
        if hasher.hexdigest() != sha256:
            raise IntegrityError(sha256, N_("checksum mismatch"))

    def check(self, sha256: str) -> str | None:
        return self.objects.check(_name(sha256))

    def names(self) -> Iterator[tuple[str, int]]:
        for name in self.objects.iter_names():
            yield name, self.objects.path_for(name).stat().st_size

    def forget(self, sha256: str) -> None:
        self.objects.remove(_name(sha256))


def upload(blobs: BlobStore, objects: ObjectStore, sha256: str, size: int) -> int:
    """Send one local object to the central store, resuming after the last
    confirmed chunk; returns the bytes sent (0 when the content was there)."""
    if blobs.has(sha256):
        return 0
    chunk_count = max(1, -(-size // CHUNK_SIZE))
    start = blobs.confirmed_chunks(sha256, size, CHUNK_SIZE)
    sent = 0
    with objects.path_for(sha256).open("rb") as handle:
        handle.seek(start * CHUNK_SIZE)
        for idx in range(start, chunk_count):
            data = handle.read(CHUNK_SIZE)
            blobs.put_chunk(sha256, idx, data)
            sent += len(data)
    blobs.finish(sha256, size, chunk_count)
    return sent
