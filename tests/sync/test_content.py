"""Content goes up in hashed chunks, resumes after the last confirmed one, and is
complete centrally only when verified whole (database chunks and a directory)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import update

from recordsdesk.archive.sync import blobs as blobs_module
from recordsdesk.archive.sync.blobs import BlobStore, DatabaseBlobs, DirectoryBlobs, upload
from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.engine import sync_once
from recordsdesk.db.models import ContentChunk
from recordsdesk.errors import IntegrityError
from recordsdesk.services import Workspace
from tests.sync.support import snapshot

Station = Callable[[str], Workspace]
SMALL = 64 * 1024


@pytest.fixture(params=["database", "directory"])
def store(request: pytest.FixtureRequest, central: Central, tmp_path: Path) -> BlobStore:
    if request.param == "database":
        return DatabaseBlobs(central.engine)
    return DirectoryBlobs(tmp_path / "share")


@pytest.fixture
def big_object(station: Station, tmp_path: Path) -> tuple[Workspace, str, int]:
    ws = station("a")
    data = os.urandom(5 * SMALL + 123)
    source = tmp_path / "scan.bin"
    source.write_bytes(data)
    stored = ws.objects.put(source)
    return ws, stored.sha256, stored.size


def test_an_interrupted_upload_resumes_after_the_last_confirmed_chunk(
    store: BlobStore, big_object: tuple[Workspace, str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, sha, size = big_object
    monkeypatch.setattr(blobs_module, "CHUNK_SIZE", SMALL)
    with ws.objects.path_for(sha).open("rb") as handle:
        for idx in range(2):  # the connection dropped after two chunks
            store.put_chunk(sha, idx, handle.read(SMALL))
    assert store.confirmed_chunks(sha, size, SMALL) == 2
    assert not store.has(sha)
    sent = upload(store, ws.objects, sha, size)
    assert sent == size - 2 * SMALL  # only the rest went
    assert store.has(sha)
    assert store.check(sha) is None
    assert hashlib.sha256(b"".join(store.read(sha))).hexdigest() == sha
    assert upload(store, ws.objects, sha, size) == 0  # there already: nothing sent


def test_an_object_is_not_complete_while_a_chunk_is_missing_or_wrong(
    store: BlobStore, big_object: tuple[Workspace, str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, sha, size = big_object
    monkeypatch.setattr(blobs_module, "CHUNK_SIZE", SMALL)
    data = ws.objects.path_for(sha).read_bytes()
    chunks = [data[i : i + SMALL] for i in range(0, size, SMALL)]
    for idx, chunk in enumerate(chunks[:-1]):
        store.put_chunk(sha, idx, chunk)
    with pytest.raises(IntegrityError):
        store.finish(sha, size, len(chunks))
    store.put_chunk(sha, len(chunks) - 1, b"x" * len(chunks[-1]))  # damaged on the way
    with pytest.raises(IntegrityError):
        store.finish(sha, size, len(chunks))
    assert not store.has(sha)
    store.put_chunk(sha, len(chunks) - 1, chunks[-1])  # sent again: replaces the bad one
    store.finish(sha, size, len(chunks))
    assert store.has(sha)


def test_damage_in_the_central_store_is_found(
    central: Central, big_object: tuple[Workspace, str, int]
) -> None:
    ws, sha, size = big_object
    store = DatabaseBlobs(central.engine)
    upload(store, ws.objects, sha, size)
    with central.engine.begin() as connection:
        connection.execute(
            update(ContentChunk).where(ContentChunk.sha256 == sha).values(data=b"tampered")
        )
    assert store.check(sha) is not None
    with pytest.raises(IntegrityError):
        b"".join(store.read(sha))


def test_sync_with_content_in_a_directory_share(
    central: Central, station: Station, tmp_path: Path
) -> None:
    from tests.sync.support import dossier_with_files

    share = Central(central.engine, DirectoryBlobs(tmp_path / "share"))
    a, b = station("a"), station("b")
    dossier_with_files(a, tmp_path / "in", "Verhuizing", 2)
    assert sync_once(a, share).ok
    assert sync_once(b, share).ok
    assert snapshot(a.engine)["files"] == snapshot(b.engine)["files"]
    assert len(list(share.blobs.names())) == 2


def test_an_upload_begun_with_another_chunk_size_starts_again_and_completes(
    store: BlobStore, big_object: tuple[Workspace, str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version with another chunk size takes over a half-done upload."""
    ws, sha, size = big_object
    data = ws.objects.path_for(sha).read_bytes()
    for idx in range(3):  # the older version sent three chunks of SMALL / 2
        half = SMALL // 2
        store.put_chunk(sha, idx, data[idx * half : (idx + 1) * half])
    monkeypatch.setattr(blobs_module, "CHUNK_SIZE", SMALL)
    assert store.confirmed_chunks(sha, size, SMALL) == 0  # none of the right size
    assert upload(store, ws.objects, sha, size) == size
    assert store.has(sha) and store.check(sha) is None
    assert hashlib.sha256(b"".join(store.read(sha))).hexdigest() == sha
