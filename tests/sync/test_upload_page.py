"""A page's content going up in groups (PostgreSQL: the server checks each hash as it
stores it; SQLite: one by one): complete when right, refused by name when damaged."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from recordsdesk.archive.sync.blobs import DatabaseBlobs
from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.upload import Sent, _put_group, upload_page
from recordsdesk.db.engine import make_engine
from recordsdesk.db.migrate import upgrade
from recordsdesk.db.models import ContentChunk
from recordsdesk.errors import IntegrityError
from recordsdesk.services import Workspace

Station = Callable[[str], Workspace]


def _objects(ws: Workspace, tmp_path: Path, count: int) -> list[tuple[str, int]]:
    made = []
    for n in range(count):
        source = tmp_path / f"scan-{n}.bin"
        source.write_bytes(os.urandom(300_000 + n))
        stored = ws.objects.put(source)
        made.append((stored.sha256, stored.size))
    return made


def test_a_page_of_objects_goes_up_whole_and_a_damaged_one_is_named(
    central: Central, station: Station, tmp_path: Path
) -> None:
    ws = station("a")
    made = _objects(ws, tmp_path, 5)
    damaged_sha, _ = made[2]
    path = ws.objects.path_for(damaged_sha)
    path.chmod(0o644)
    path.write_bytes(b"bit rot" + path.read_bytes()[7:])

    sent = upload_page(central.blobs, ws.objects, made)

    assert set(sent.failed) == {damaged_sha}
    assert isinstance(sent.failed[damaged_sha], IntegrityError)
    good = {sha for sha, _ in made} - {damaged_sha}
    assert sent.complete == good
    blobs = DatabaseBlobs(central.engine)
    for sha in good:
        assert blobs.check(sha) is None
        assert hashlib.sha256(b"".join(blobs.read(sha))).hexdigest() == sha
    assert not blobs.has(damaged_sha)

    again = upload_page(central.blobs, ws.objects, [m for m in made if m[0] in good])
    assert again.complete == good and again.bytes == 0  # asked once, nothing sent
    with central.reader.connect() as connection:
        chunks = connection.scalar(
            select(func.count()).select_from(ContentChunk).where(ContentChunk.sha256.in_(good))
        )
    assert chunks == len(good)  # one chunk each, no duplicates


@pytest.mark.postgres
def test_on_postgresql_the_server_verifies_each_object_as_it_stores_it(
    pg_url: str, station: Station, tmp_path: Path
) -> None:
    engine = make_engine(pg_url)
    upgrade(engine)
    try:
        ws = station("a")
        made = _objects(ws, tmp_path, 3)
        blobs = DatabaseBlobs(engine)
        sent = Sent()
        _put_group(blobs, ws.objects, made, sent)
        assert sent.complete == {sha for sha, _ in made}  # no read-back, no second path
        fake = "0" * 64  # bytes that do not hash to their name
        path = ws.objects.path_for(fake)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"not what the name says")
        lying = Sent()
        _put_group(blobs, ws.objects, [(fake, path.stat().st_size)], lying)
        assert lying.complete == set() and lying.failed == {}
        assert not blobs.has(fake) and blobs.confirmed_chunks(fake, 22, 4 << 20) == 0
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_chunk_stored_earlier_is_replaced_when_damaged_and_verified_when_right(
    pg_url: str, station: Station, tmp_path: Path
) -> None:
    """Only bytes a group statement stored count as verified there; a chunk already in place
    (an upload cut off before the object was recorded) is read back by the chunk path."""
    engine = make_engine(pg_url)
    upgrade(engine)
    try:
        ws = station("a")
        (damaged, damaged_size), (right, right_size) = _objects(ws, tmp_path, 2)
        blobs = DatabaseBlobs(engine)
        with engine.begin() as connection:
            connection.execute(
                ContentChunk.__table__.insert(),
                [
                    {"sha256": damaged, "idx": 0, "size": 3, "chunk_sha256": "f" * 64,
                     "data": b"bad"},
                    {"sha256": right, "idx": 0, "size": right_size, "chunk_sha256": right,
                     "data": ws.objects.path_for(right).read_bytes()},
                ],
            )  # fmt: skip
        sent = Sent()
        _put_group(blobs, ws.objects, [(damaged, damaged_size), (right, right_size)], sent)
        assert sent.complete == {damaged} and sent.failed == {}
        assert blobs.check(damaged) is None  # the damaged chunk was replaced and verified
        assert not blobs.has(right)  # in place already: not taken on trust
        whole = upload_page(blobs, ws.objects, [(damaged, damaged_size), (right, right_size)])
        assert whole.complete == {damaged, right} and whole.failed == {}
        assert blobs.check(right) is None
    finally:
        engine.dispose()


def test_a_page_comes_down_whole_and_damaged_central_content_is_not_kept(
    central: Central, station: Station, tmp_path: Path
) -> None:
    from sqlalchemy import update

    from recordsdesk.archive.sync.download import download_page

    a, b = station("a"), station("b")
    made = _objects(a, tmp_path, 4)
    assert upload_page(central.blobs, a.objects, made).failed == {}
    damaged = made[1][0]
    with central.engine.begin() as connection:
        connection.execute(
            update(ContentChunk).where(ContentChunk.sha256 == damaged).values(data=b"rot")
        )
    received = download_page(central.blobs, b.objects, dict(made))
    assert set(received.failed) == {damaged}
    assert not b.objects.exists(damaged)
    for sha, size in made:
        if sha != damaged:
            assert b.objects.check(sha, size) is None
    assert received.bytes == sum(size for sha, size in made if sha != damaged)
