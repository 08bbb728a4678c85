"""The content of a pull page coming down, with few round trips.

:func:`download_page` fetches, from a central database store, the objects that
fit in one chunk several at a time (up to :data:`GROUP_BYTES` per query; on
PostgreSQL in binary, not as hex text; two groups at once, see :mod:`.parallel`),
and everything else chunk by chunk as
:meth:`BlobStore.read` gives it. Every object is written by
:meth:`ObjectStore.put_chunks`, which keeps it only when its bytes hash to its
name, so a damaged or missing object is reported by name and nothing damaged
is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from recordsdesk.archive.sync.blobs import BlobStore, DatabaseBlobs
from recordsdesk.archive.sync.parallel import GROUP_BYTES, balanced_limit, on_two_threads
from recordsdesk.db.models import ContentChunk, ContentObject
from recordsdesk.errors import IntegrityError
from recordsdesk.i18n import N_
from recordsdesk.store import ObjectStore

GROUP_COUNT = 200  # files open at once while a group is made durable
_IN = 500


@dataclass
class Received:
    bytes: int = 0
    failed: dict[str, IntegrityError] = field(default_factory=dict)


def download_page(
    blobs: BlobStore,
    objects: ObjectStore,
    wanted: Mapping[str, int],
    stop: Callable[[], bool] = lambda: False,
) -> Received:
    """Bring every object of ``wanted`` (sha256 -> size) into ``objects``; see the module.

    ``stop`` is asked between objects (and groups): once it says so, the rest is left
    out and reported as not received."""
    received = Received()
    missing = sorted(sha for sha in wanted if not objects.exists(sha))
    rest = missing
    if isinstance(blobs, DatabaseBlobs):
        whole = _one_chunk(blobs, missing)
        _get_groups(blobs, objects, [(s, wanted[s]) for s in missing if s in whole], received, stop)
        rest = [sha for sha in missing if sha not in whole]
    for sha in rest:
        if stop():
            break
        try:
            received.bytes += objects.put_chunks(sha, blobs.read(sha)).size
        except IntegrityError as exc:
            received.failed[sha] = exc
    if stop():
        for sha in missing:
            if sha not in received.failed and not objects.exists(sha):
                received.failed[sha] = IntegrityError(sha, N_("not received: stopped"))
    return received


def _one_chunk(blobs: DatabaseBlobs, shas: Sequence[str]) -> set[str]:
    found: set[str] = set()
    with blobs.reader.connect() as connection:
        for start in range(0, len(shas), _IN):
            page = list(shas[start : start + _IN])
            found.update(
                connection.scalars(
                    select(ContentObject.sha256).where(
                        ContentObject.sha256.in_(page), ContentObject.chunk_count == 1
                    )
                )
            )
    return found


def _get_groups(
    blobs: DatabaseBlobs,
    objects: ObjectStore,
    small: Sequence[tuple[str, int]],
    received: Received,
    stop: Callable[[], bool],
) -> None:
    """Every group, two at a time (:func:`parallel.on_two_threads`; ``stop`` asked before
    each); outcomes merged here."""

    def get(group: list[str]) -> Received | None:
        if stop():
            return None
        outcome = Received()
        _get_group(blobs, objects, group, outcome)
        return outcome

    groups = _groups(small, balanced_limit(sum(size for _sha, size in small)))
    for outcome in on_two_threads(groups, get):
        if outcome is not None:
            received.bytes += outcome.bytes
            received.failed.update(outcome.failed)


def _groups(objects: Sequence[tuple[str, int]], limit: int = GROUP_BYTES) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    size = 0
    for sha, length in objects:
        if groups[-1] and (size + length > limit or len(groups[-1]) >= GROUP_COUNT):
            groups.append([])
            size = 0
        groups[-1].append(sha)
        size += length
    return [g for g in groups if g]


def _get_group(
    blobs: DatabaseBlobs, objects: ObjectStore, group: list[str], received: Received
) -> None:
    stored, failed = objects.put_many_chunks((sha, [data]) for sha, data in _fetch(blobs, group))
    received.bytes += sum(s.size for s in stored if s.created)
    received.failed.update(failed)
    for sha in group:
        if sha not in received.failed and not objects.exists(sha):
            received.failed[sha] = IntegrityError(sha, N_("missing"))


def _fetch(blobs: DatabaseBlobs, group: list[str]) -> list[tuple[str, bytes]]:
    with blobs.reader.connect() as connection:
        if blobs.engine.dialect.name == "postgresql":
            # binary results: bytea as bytes, not as hex text of twice the size
            raw: Any = connection.connection.driver_connection
            with raw.cursor(binary=True) as cursor:
                cursor.execute(
                    "SELECT sha256, data FROM content_chunk WHERE idx = 0 AND sha256 = ANY(%s)",
                    (group,),
                )
                return [(str(sha), bytes(data)) for sha, data in cursor.fetchall()]
        rows = connection.execute(
            select(ContentChunk.sha256, ContentChunk.data).where(
                ContentChunk.idx == 0, ContentChunk.sha256.in_(group)
            )
        )
        return [(str(r.sha256), bytes(r.data)) for r in rows]
