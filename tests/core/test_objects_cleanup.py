"""cleanup_temp: temp files of dead writers go, those of live writers stay.

Live writers are real: a second process holding the lock, or a real ``put``
in a thread that is paused inside its progress callback.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from recordsdesk.services import open_workspace
from recordsdesk.store import ObjectStore, StoredObject
from tests.core.samples import MiB, random_file, stored_objects, temp_files

HOLDER = r"""
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o600)
os.write(fd, b"partial content")
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.readline()
"""

TWO_HOURS = 2 * 3600


@pytest.fixture
def holder(store: ObjectStore) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """A second process that writes a temp file in the store and holds its lock."""
    temp = store.tmp / "put-0123456789abcdef0123456789abcdef"
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(temp)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline() == "locked\n"
    try:
        yield process, temp
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def test_an_abandoned_temp_file_is_removed(store: ObjectStore) -> None:
    (store.tmp / "put-abandoned").write_bytes(b"half a file")
    assert store.cleanup_temp() == 1
    assert temp_files(store.root) == []


def test_the_temp_file_of_a_killed_writer_is_removed(
    holder: tuple[subprocess.Popen[str], Path], store: ObjectStore
) -> None:
    process, temp = holder
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert temp.exists()
    assert store.cleanup_temp() == 1
    assert not temp.exists()


def test_a_temp_file_locked_by_a_live_process_is_kept(
    holder: tuple[subprocess.Popen[str], Path], store: ObjectStore
) -> None:
    process, temp = holder
    assert store.cleanup_temp() == 0
    assert temp.read_bytes() == b"partial content"
    # the writer finishes (exits, releasing its lock): now the file is abandoned
    assert process.stdin is not None
    process.stdin.close()
    assert process.wait() == 0
    assert store.cleanup_temp() == 1
    assert not temp.exists()


def test_an_old_temp_file_locked_by_a_live_process_is_kept(
    holder: tuple[subprocess.Popen[str], Path], store: ObjectStore
) -> None:
    # A live writer can be slow (a stalled network drive, a paused progress
    # dialog): on a system with locks, the lock decides, not the file's age.
    _process, temp = holder
    old = temp.stat().st_mtime - TWO_HOURS
    os.utime(temp, (old, old))
    assert store.cleanup_temp() == 0
    assert temp.read_bytes() == b"partial content"


def test_a_live_put_survives_cleanup_and_opening_the_workspace_meanwhile(
    tmp_path: Path, src: Path
) -> None:
    home = tmp_path / "home"
    with_ws = open_workspace(home)
    store = with_ws.objects
    source = random_file(src / "scan.pdf", 3 * MiB)
    paused, resume = threading.Event(), threading.Event()
    result: list[StoredObject | BaseException] = []

    def progress(done: int, _total: int, _label: str) -> None:
        if done == MiB:
            paused.set()
            resume.wait()

    def writer() -> None:
        try:
            result.append(store.put(source, progress))
        except BaseException as exc:  # reported by the assertion below
            result.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert paused.wait(timeout=60), "the put never reached its progress callback"
        # the partial object (and its batch's lock file) are the live put's
        live = temp_files(store.root)
        assert any(not p.name.endswith(".lock") for p in live), live
        assert store.cleanup_temp() == 0
        other = open_workspace(home)  # e.g. the CLI started beside the window
        other.close()
        assert temp_files(store.root) == live
    finally:
        resume.set()
        thread.join()
        with_ws.close()

    [outcome] = result
    assert isinstance(outcome, StoredObject), outcome
    assert store.check(outcome.sha256, outcome.size) is None
    assert stored_objects(store.root) == [outcome.path]
    assert temp_files(store.root) == []


def test_cleanup_leaves_folders_and_objects_alone(store: ObjectStore, src: Path) -> None:
    stored = store.put(random_file(src / "a", 10))
    (store.tmp / "subfolder").mkdir()
    assert store.cleanup_temp() == 0
    assert (store.tmp / "subfolder").is_dir()
    assert store.check(stored.sha256) is None
