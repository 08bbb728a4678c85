"""The content of a push page going up, with few round trips.

:func:`upload_page` asks the central store once which of the page's objects it
has. On PostgreSQL, objects that fit in one chunk go several to a transaction
(up to ``parallel.GROUP_BYTES``), and the server checks each one's SHA-256 in the
statement that stores it: the object is recorded complete only when the bytes
that arrived hash to its name, so nothing is read back to verify it. Two groups
go up at once (:mod:`.parallel`), each on a connection and in a transaction of
its own.
Anything else (larger objects, an upload begun earlier, another store) goes
through :func:`blobs.upload`, chunk by chunk and resumable. A page interrupted
mid-group loses at most that group's work; the next push sends it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from recordsdesk.archive.sync import blobs as blob_module
from recordsdesk.archive.sync.blobs import BlobStore, DatabaseBlobs, upload
from recordsdesk.archive.sync.parallel import GROUP_BYTES, balanced_limit, on_two_threads
from recordsdesk.db.models import ContentChunk, ContentObject, table_of
from recordsdesk.errors import IntegrityError
from recordsdesk.store import ObjectStore

_IN = 500

# One statement per object: the data is bound once; the server hashes it and stores the
# chunk only when the hash and size are right (replacing only a damaged earlier attempt).
# A row comes back only for a chunk this statement stored, i.e. bytes just verified; the
# group's objects are then recorded complete at once. (An object whose chunk was there
# already is left to the chunk-by-chunk path, which verifies what is stored.)
_PUT_WHOLE = text(
    """
INSERT INTO content_chunk (sha256, idx, size, chunk_sha256, data)
SELECT CAST(:sha AS text), 0, CAST(:size AS integer), CAST(:sha AS text), v.d
FROM (SELECT CAST(:data AS bytea) AS d) AS v
WHERE encode(sha256(v.d), 'hex') = CAST(:sha AS text) AND length(v.d) = CAST(:size AS integer)
ON CONFLICT (sha256, idx) DO UPDATE
  SET size = EXCLUDED.size, chunk_sha256 = EXCLUDED.chunk_sha256, data = EXCLUDED.data
  WHERE content_chunk.chunk_sha256 <> EXCLUDED.chunk_sha256
RETURNING sha256
"""
)
_COMPLETE = (
    pg_insert(table_of(ContentObject))
    .values(sha256=bindparam("sha"), size=bindparam("size"), chunk_count=1, verified_at=func.now())
    .on_conflict_do_nothing()
)


@dataclass
class Sent:
    complete: set[str] = field(default_factory=set)  # complete centrally now
    bytes: int = 0
    failed: dict[str, Exception] = field(default_factory=dict)  # could not be sent


def upload_page(blobs: BlobStore, objects: ObjectStore, wanted: Iterable[tuple[str, int]]) -> Sent:
    """Make every (sha256, size) in ``wanted`` complete centrally; see the module contract."""
    todo = dict(wanted)
    sent = Sent()
    sent.complete |= _present(blobs, todo)
    pending = [(sha, size) for sha, size in todo.items() if sha not in sent.complete]
    if isinstance(blobs, DatabaseBlobs) and blobs.engine.dialect.name == "postgresql":
        small = [(s, z) for s, z in pending if z <= blob_module.CHUNK_SIZE]
        begun = _begun(blobs, [s for s, _ in small])
        _put_groups(blobs, objects, [(s, z) for s, z in small if s not in begun], sent)
        pending = [(s, z) for s, z in pending if s not in sent.complete and s not in sent.failed]
    for sha, size in pending:
        try:
            sent.bytes += upload(blobs, objects, sha, size)
            sent.complete.add(sha)
        except (IntegrityError, OSError) as exc:
            sent.failed[sha] = exc
    return sent


def _present(blobs: BlobStore, shas: Iterable[str]) -> set[str]:
    wanted = sorted(shas)
    if not isinstance(blobs, DatabaseBlobs):
        return {sha for sha in wanted if blobs.has(sha)}
    found: set[str] = set()
    with blobs.reader.connect() as connection:
        for start in range(0, len(wanted), _IN):
            page = wanted[start : start + _IN]
            found.update(
                connection.scalars(
                    select(ContentObject.sha256).where(ContentObject.sha256.in_(page))
                )
            )
    return found


def _begun(blobs: DatabaseBlobs, shas: Sequence[str]) -> set[str]:
    """Objects with chunks stored already (an upload begun earlier): resumed one by one."""
    found: set[str] = set()
    with blobs.reader.connect() as connection:
        for start in range(0, len(shas), _IN):
            page = list(shas[start : start + _IN])
            found.update(
                connection.scalars(
                    select(ContentChunk.sha256).where(ContentChunk.sha256.in_(page)).distinct()
                )
            )
    return found


def _put_groups(
    blobs: DatabaseBlobs, objects: ObjectStore, small: Sequence[tuple[str, int]], sent: Sent
) -> None:
    """Every group, two at a time (:func:`parallel.on_two_threads`); outcomes merged here."""

    def put(group: list[tuple[str, int]]) -> Sent:
        outcome = Sent()
        _put_group(blobs, objects, group, outcome)
        return outcome

    groups = list(_groups(small, balanced_limit(sum(size for _sha, size in small))))
    for outcome in on_two_threads(groups, put):
        sent.complete |= outcome.complete
        sent.bytes += outcome.bytes
        sent.failed.update(outcome.failed)


def _groups(
    objects: Sequence[tuple[str, int]], limit: int = GROUP_BYTES
) -> Iterable[list[tuple[str, int]]]:
    group: list[tuple[str, int]] = []
    size = 0
    for sha, length in objects:
        if group and size + length > limit:
            yield group
            group, size = [], 0
        group.append((sha, length))
        size += length
    if group:
        yield group


def _put_group(
    blobs: DatabaseBlobs, objects: ObjectStore, group: list[tuple[str, int]], sent: Sent
) -> None:
    """One transaction for the group; what the server did not find right is left to the
    chunk-by-chunk path, which reports a damaged local object by name."""
    shas = [sha for sha, _ in group]
    verified: list[dict[str, object]] = []
    with blobs.engine.begin() as connection:
        for sha, size in group:
            try:
                data = objects.path_for(sha).read_bytes()
            except OSError as exc:
                sent.failed[sha] = exc
                continue
            stored = connection.scalar(_PUT_WHOLE, {"data": data, "sha": sha, "size": size})
            sent.bytes += len(data)
            if stored is not None:
                verified.append({"sha": sha, "size": size})
        if verified:
            connection.execute(_COMPLETE, verified)
        done = set(
            connection.scalars(select(ContentObject.sha256).where(ContentObject.sha256.in_(shas)))
        )
    sent.complete |= done
