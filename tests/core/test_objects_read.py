"""Reading from the object store: fixity checks and verified copies out of the store."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pytest

from recordsdesk.errors import IntegrityError, UserError
from recordsdesk.store import ObjectStore, StoredObject
from tests.core.samples import MiB, flip_byte, random_file, truncate_object


@pytest.fixture
def stored(store: ObjectStore, src: Path) -> StoredObject:
    return store.put(random_file(src / "rapport.pdf", 2 * MiB + 123))


def test_an_intact_object_checks_clean(store: ObjectStore, stored: StoredObject) -> None:
    assert store.check(stored.sha256) is None
    assert store.check(stored.sha256, stored.size) is None
    assert store.verified_path(stored.sha256) == stored.path


@pytest.mark.parametrize("offset", [0, MiB, -1], ids=["first", "middle", "last"])
def test_check_catches_a_flipped_byte(
    store: ObjectStore, stored: StoredObject, offset: int
) -> None:
    flip_byte(stored.path, offset if offset >= 0 else stored.size - 1)
    assert store.check(stored.sha256, stored.size) == "checksum mismatch"
    assert store.check(stored.sha256) == "checksum mismatch"
    with pytest.raises(IntegrityError) as caught:
        store.verified_path(stored.sha256)
    assert caught.value.sha256 == stored.sha256


def test_check_catches_a_truncated_object(store: ObjectStore, stored: StoredObject) -> None:
    truncate_object(stored.path, stored.size - 1)
    assert store.check(stored.sha256, stored.size) == "wrong size"
    # without the expected size, the hash still gives it away
    assert store.check(stored.sha256) == "checksum mismatch"


def test_check_catches_a_missing_object(store: ObjectStore, stored: StoredObject) -> None:
    stored.path.unlink()
    assert store.check(stored.sha256, stored.size) == "missing"
    with pytest.raises(IntegrityError) as caught:
        store.verified_path(stored.sha256)
    assert caught.value.reason == "missing"


def test_copy_out_writes_an_exact_copy(
    store: ObjectStore, stored: StoredObject, tmp_path: Path
) -> None:
    destination = tmp_path / "export" / "rapport.pdf"
    destination.parent.mkdir()
    store.copy_out(stored.sha256, destination)
    assert destination.read_bytes() == stored.path.read_bytes()
    assert os.listdir(destination.parent) == ["rapport.pdf"]


@pytest.mark.parametrize("damage", ["flipped", "truncated", "missing"])
@pytest.mark.parametrize("existing", [False, True], ids=["new-destination", "over-existing"])
def test_copy_out_refuses_damaged_content_and_leaves_no_partial_destination(
    store: ObjectStore, stored: StoredObject, tmp_path: Path, damage: str, existing: bool
) -> None:
    if damage == "flipped":
        flip_byte(stored.path)
    elif damage == "truncated":
        truncate_object(stored.path, MiB)
    else:
        stored.path.unlink()
    folder = tmp_path / "export"
    folder.mkdir()
    destination = folder / "rapport.pdf"
    if existing:
        destination.write_bytes(b"what the user had before")

    with pytest.raises(IntegrityError) as caught:
        store.copy_out(stored.sha256, destination)

    assert caught.value.sha256 == stored.sha256
    if existing:
        assert destination.read_bytes() == b"what the user had before"
        assert os.listdir(folder) == ["rapport.pdf"], "a partial copy was left behind"
    else:
        assert os.listdir(folder) == [], "a partial copy was left behind"


def test_iter_names_lists_every_object_and_nothing_else(store: ObjectStore, src: Path) -> None:
    names = {store.put(random_file(src / f"f{i}", 100 + i)).sha256 for i in range(5)}
    (store.tmp / "put-abandoned").write_bytes(b"x")
    stray = store.root / "ab" / "cd"
    stray.mkdir(parents=True, exist_ok=True)
    (stray / "not-an-object.txt").write_bytes(b"x")
    assert set(store.iter_names()) == names


# -- a store with a source (a workspace over the central archive) -------------------


def _source_from(other: ObjectStore, store: ObjectStore, asked: list[dict[str, int]]) -> None:
    def bring(wanted: Mapping[str, int]) -> None:
        asked.append(dict(wanted))
        for sha in wanted:
            if other.exists(sha):  # as a download does: kept only if it hashes to its name
                store.put_chunks(sha, [other.path_for(sha).read_bytes()])

    store.source = bring


def test_every_read_brings_a_missing_object_from_the_source(
    store: ObjectStore, src: Path, tmp_path: Path
) -> None:
    elsewhere = ObjectStore(tmp_path / "elsewhere")
    first = elsewhere.put(random_file(src / "a.pdf", 3000))
    second = elsewhere.put(random_file(src / "b.pdf", 4000))
    third = elsewhere.put(random_file(src / "c.pdf", 5000))
    asked: list[dict[str, int]] = []
    _source_from(elsewhere, store, asked)
    assert not store.exists(first.sha256) and store.check(first.sha256) == "missing"
    assert asked == [], "exists and check look only here (fixity is this store's)"
    assert store.verified_path(first.sha256, 3000).read_bytes() == first.path.read_bytes()
    assert store.readable_path(second.sha256).read_bytes() == second.path.read_bytes()
    store.copy_out(third.sha256, tmp_path / "out.pdf", 5000)
    assert (tmp_path / "out.pdf").read_bytes() == third.path.read_bytes()
    assert asked == [{first.sha256: 3000}, {second.sha256: 0}, {third.sha256: 5000}]
    store.verified_path(first.sha256)
    store.ensure({first.sha256: 3000, second.sha256: 4000})
    assert len(asked) == 3, "what is here is not asked for again"


def test_what_the_source_cannot_bring_is_refused_and_nothing_is_left(
    store: ObjectStore, tmp_path: Path
) -> None:
    absent = "ab" * 32

    def refuse(wanted: Mapping[str, int]) -> None:
        raise UserError("The central archive cannot provide {sha256}.", {"sha256": absent})

    store.source = refuse
    with pytest.raises(UserError):
        store.verified_path(absent)
    with pytest.raises(UserError):
        store.copy_out(absent, tmp_path / "out.pdf")
    assert not store.exists(absent) and not (tmp_path / "out.pdf").exists()
    store.source = lambda wanted: None  # a source that brings nothing
    with pytest.raises(IntegrityError) as caught:
        store.verified_path(absent)
    assert caught.value.reason == "missing"


def test_without_a_source_a_missing_object_stays_missing(store: ObjectStore) -> None:
    absent = "cd" * 32
    store.ensure({absent: 10})
    assert store.readable_path(absent) == store.path_for(absent)
    with pytest.raises(IntegrityError):
        store.verified_path(absent)
