"""ObjectStore.put: one read, content addressing, temp file + fsync + rename, refusals.

The only things faked here are what the operating system provides: a disk
that fills up (``os.write`` raising ENOSPC) and a recorder around ``fsync`` /
``replace``, both installed only inside ``recordsdesk.store.objects``.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from recordsdesk.errors import UserError
from recordsdesk.store import ObjectStore, durability
from recordsdesk.tasks import Cancelled, CancelToken
from tests.core.fakes import full_disk_after, patch_store_os
from tests.core.samples import MiB, random_file, stored_objects, temp_files, write


def _rchar() -> int:
    with open("/proc/self/io") as handle:
        for line in handle:
            if line.startswith("rchar:"):
                return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


def test_put_stores_the_content_under_its_sha256(store: ObjectStore, src: Path) -> None:
    data = os.urandom(3 * MiB + 17)  # more than one 1 MiB chunk, not a multiple of it
    source = write(src / "brief.pdf", data)
    expected = hashlib.sha256(data).hexdigest()

    stored = store.put(source)

    assert stored.sha256 == expected
    assert stored.size == len(data)
    assert stored.created is True
    assert stored.path == store.root / expected[:2] / expected[2:4] / expected
    assert stored.path.read_bytes() == data
    assert source.read_bytes() == data, "the original must not be modified"
    assert stored_objects(store.root) == [stored.path]


def test_put_reads_the_source_exactly_once(store: ObjectStore, src: Path) -> None:
    size = 24 * MiB
    source = random_file(src / "groot.bin", size)
    before = _rchar()
    store.put(source)
    read = _rchar() - before
    # Every byte read by a read(2)-family call in this process is counted. Hashing
    # and copying in one pass reads the file once; a separate hashing or
    # verification pass would read it (or the temp copy) a second time.
    assert size <= read < size + 2 * MiB, f"read {read} bytes for a {size}-byte file"


def test_identical_content_is_stored_once(store: ObjectStore, src: Path) -> None:
    data = os.urandom(MiB + 5)
    first = store.put(write(src / "a.txt", data))
    inode = first.path.stat().st_ino
    second = store.put(write(src / "other name.txt", data))

    assert second.created is False
    assert second.sha256 == first.sha256 and second.path == first.path
    assert first.path.stat().st_ino == inode, "the existing object must not be rewritten"
    assert stored_objects(store.root) == [first.path]
    assert temp_files(store.root) == []


def test_put_writes_a_temp_file_and_renames_it_into_place(store: ObjectStore, src: Path) -> None:
    data = os.urandom(3 * MiB)
    final = store.path_for(hashlib.sha256(data).hexdigest())
    seen: list[tuple[list[int], bool]] = []
    calls: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, _label: str) -> None:
        calls.append((done, total, _label))
        sizes = [t.stat().st_size for t in temp_files(store.root)]
        seen.append((sizes, final.exists()))

    store.put(write(src / "a.bin", data), progress)

    assert seen, "progress was never reported"
    for (done, _total, _label), (sizes, final_exists) in zip(calls, seen, strict=True):
        assert done in sizes, "while copying, the data goes into a temp file in objects/tmp"
        assert not final_exists, "the object must not appear before the copy is complete"
    assert temp_files(store.root) == []
    assert final.read_bytes() == data


@pytest.mark.parametrize("mechanism", ["syncfs", "fsync"])
def test_put_makes_the_copy_durable_before_the_rename_and_the_rename_durable_after(
    store: ObjectStore, src: Path, monkeypatch: pytest.MonkeyPatch, mechanism: str
) -> None:
    """Durable means fsync of the file (and of the directory after the rename), or one
    ``syncfs`` of the store's file system, which flushes both. Both ways are recorded
    at the system-call boundary (the real calls still happen); ``fsync`` forces the
    per-file way that systems without ``syncfs`` use.
    """
    events: list[tuple[str, object]] = []
    real_syncfs = durability._syncfs_function()
    assert real_syncfs is not None, "syncfs is available on Linux"

    def syncfs(fd: int) -> int:
        events.append(("syncfs", os.fstat(fd).st_dev))
        return real_syncfs(fd)  # type: ignore[operator, no-any-return]

    monkeypatch.setattr(
        durability, "_syncfs_function", (lambda: syncfs) if mechanism == "syncfs" else lambda: None
    )

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        os.fsync(fd)

    def replace(source: Any, target: Any) -> None:
        events.append(("replace", (str(source), str(target))))
        os.replace(source, target)

    def progress(done: int, total: int, _label: str) -> None:
        if done == total:
            events.append(("copied", None))

    patch_store_os(monkeypatch, fsync=fsync, replace=replace)
    stored = store.put(random_file(src / "a.bin", 2 * MiB), progress)

    copied = events.index(("copied", None))
    [rename] = [i for i, (kind, _) in enumerate(events) if kind == "replace"]
    pair = events[rename][1]
    assert isinstance(pair, tuple)
    temp, final = str(pair[0]), str(pair[1])
    assert Path(temp).parent == store.tmp and Path(final) == stored.path
    device = ("syncfs", store.root.stat().st_dev)
    before, after = events[copied:rename], events[rename + 1 :]
    assert ("fsync", temp) in before or device in before, (
        f"copy not durable before rename: {events}"
    )
    assert ("fsync", str(stored.path.parent)) in after or device in after, (
        f"rename not made durable: {events}"
    )
    if mechanism == "fsync":
        assert ("fsync", temp) in before and ("fsync", str(stored.path.parent)) in after, events


def test_objects_are_read_only(store: ObjectStore, src: Path) -> None:
    stored = store.put(random_file(src / "a.bin", 1000))
    mode = stat.S_IMODE(stored.path.stat().st_mode)
    assert mode == 0o444, oct(mode)


def _no_trace(store: ObjectStore) -> None:
    assert temp_files(store.root) == [], "a temp file was left behind"
    assert stored_objects(store.root) == [], "something was stored"


@pytest.mark.parametrize(
    ("make", "msgid_start"),
    [
        (lambda d: d / "absent.pdf", "File not found"),
        (lambda d: (d / "map").mkdir() or d / "map", "Not a file but a folder"),
        (lambda d: write(d / "leeg.txt", b""), "The file is empty"),
    ],
    ids=["missing", "directory", "empty"],
)
def test_put_refuses_unusable_sources(
    store: ObjectStore, src: Path, make: Callable[[Path], Path], msgid_start: str
) -> None:
    path = make(src)
    with pytest.raises(UserError) as caught:
        store.put(path)
    assert caught.value.msgid.startswith(msgid_start)
    assert str(path) in caught.value.english()
    _no_trace(store)


def test_put_refuses_a_fifo_without_waiting_for_a_writer(store: ObjectStore, src: Path) -> None:
    fifo = src / "pipe.pdf"
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        try:
            store.put(fifo)
        except BaseException as exc:
            outcome.append(exc)
        else:
            outcome.append(None)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():  # blocked in open(): release it with a writer, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join()
        pytest.fail("put blocked opening a FIFO (waiting for a writer)")
    assert len(outcome) == 1 and isinstance(outcome[0], UserError), outcome
    assert outcome[0].msgid.startswith("Not a regular file")
    _no_trace(store)


@pytest.mark.parametrize("limit", [0, 1000, MiB + MiB // 2], ids=["at-once", "early", "mid-chunk"])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT], ids=["ENOSPC", "EDQUOT"])
def test_disk_full_mid_copy_stores_nothing_and_leaves_no_temp_file(
    store: ObjectStore, src: Path, monkeypatch: pytest.MonkeyPatch, limit: int, code: int
) -> None:
    source = random_file(src / "scan.pdf", 3 * MiB)
    patch_store_os(monkeypatch, write=full_disk_after(limit, code))

    with pytest.raises(UserError) as caught:
        store.put(source)

    assert "disk is full" in caught.value.english()
    _no_trace(store)
    monkeypatch.undo()
    assert store.put(source).created is True, "after the disk has room again, the put works"


def test_other_write_errors_are_not_disguised_and_leave_no_temp_file(
    store: ObjectStore, src: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = random_file(src / "scan.pdf", 3 * MiB)
    patch_store_os(monkeypatch, write=full_disk_after(MiB, errno.EIO))
    with pytest.raises(OSError) as caught:
        store.put(source)
    assert caught.value.errno == errno.EIO
    _no_trace(store)


def test_cancel_mid_copy_stores_nothing(store: ObjectStore, src: Path) -> None:
    source = random_file(src / "groot.bin", 4 * MiB)
    token = CancelToken()
    calls: list[int] = []

    def progress(done: int, _total: int, _label: str) -> None:
        calls.append(done)
        token.cancel()

    with pytest.raises(Cancelled):
        store.put(source, progress, token)
    assert calls == [MiB], "the copy should stop at the first check after cancelling"
    _no_trace(store)


def test_a_source_growing_while_it_is_read_is_refused(store: ObjectStore, src: Path) -> None:
    source = random_file(src / "log.txt", 3 * MiB)

    def progress(done: int, _total: int, _label: str) -> None:
        if done == MiB:
            with source.open("ab") as handle:
                handle.write(b"one more line\n")

    with pytest.raises(UserError) as caught:
        store.put(source, progress)
    assert caught.value.msgid.startswith("The file changed while it was being filed")
    _no_trace(store)


def test_a_source_rewritten_in_place_while_it_is_read_is_refused(
    store: ObjectStore, src: Path
) -> None:
    source = random_file(src / "brief.docx", 3 * MiB)
    os.utime(source, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))  # an old file

    def progress(done: int, _total: int, _label: str) -> None:
        if done == 2 * MiB:  # overwrite bytes that were already hashed; same size
            with source.open("r+b") as handle:
                handle.write(b"X" * 100)

    with pytest.raises(UserError) as caught:
        store.put(source, progress)
    assert caught.value.msgid.startswith("The file changed while it was being filed")
    _no_trace(store)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "abc",
        "A" * 64,  # upper case
        "g" * 64,
        "0" * 63,
        "0" * 65,
        "../" + "0" * 61,
        "/etc/passwd",
        "..",
        "00/00/" + "0" * 58,
        "0" * 64 + "\n",
        "0" * 32 + "/" + "0" * 31,
    ],
)
def test_path_for_rejects_anything_but_64_lower_case_hex_digits(
    store: ObjectStore, name: str, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="not a SHA-256 object name"):
        store.path_for(name)
    for call in (
        lambda: store.exists(name),
        lambda: store.check(name),
        lambda: store.verified_path(name),
        lambda: store.copy_out(name, tmp_path / "out"),
    ):
        with pytest.raises(ValueError):
            call()
    assert not (tmp_path / "out").exists()


def test_path_for_a_valid_name_stays_inside_the_store(store: ObjectStore) -> None:
    name = hashlib.sha256(b"x").hexdigest()
    path = store.path_for(name)
    assert path.resolve().is_relative_to(store.root.resolve())
    assert path.relative_to(store.root).parts == (name[:2], name[2:4], name)


def test_concurrent_puts_of_the_same_content_end_with_one_intact_object(
    store: ObjectStore, src: Path
) -> None:
    data = os.urandom(2 * MiB)
    sources = [write(src / f"copy{i}.bin", data) for i in range(6)]
    results: list[Any] = []
    barrier = threading.Barrier(len(sources))

    def worker(path: Path) -> None:
        barrier.wait()
        results.append(store.put(path))

    threads = [threading.Thread(target=worker, args=(p,)) for p in sources]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == len(sources)
    assert {r.sha256 for r in results} == {hashlib.sha256(data).hexdigest()}
    assert stored_objects(store.root) == [results[0].path]
    assert store.check(results[0].sha256, len(data)) is None
    assert temp_files(store.root) == []


def test_a_fan_out_folder_removed_behind_the_stores_back_is_made_again(
    store: ObjectStore, src: Path
) -> None:
    """The store remembers which fan-out folders exist (no mkdir per object); a
    folder that vanished anyway is made again instead of failing the put."""
    data = os.urandom(1000)
    first = store.put(write(src / "a.txt", data))
    shutil.rmtree(first.path.parent.parent)

    again = store.put(write(src / "b.txt", data))

    assert again.created is True
    assert again.path == first.path and again.path.read_bytes() == data
    assert temp_files(store.root) == []
