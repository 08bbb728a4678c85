"""The stability tracker, on real files, with an injected clock (no sleeps)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from recordsdesk.intake.stability import (
    LISTING_FROM,
    FileState,
    StabilityTracker,
    is_ignored,
    lock_names,
    probe_file,
)


class Clock:
    """The one thing faked: time."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def tracker(clock: Clock) -> StabilityTracker:
    return StabilityTracker(clock, quiet_period=2.0)


def _append(path: Path, data: bytes, clock: Clock) -> None:
    """Write more of a file; mtime moves on as it would on a real, slow writer."""
    with path.open("ab") as handle:
        handle.write(data)
    stamp = int(clock.now * 1e9)
    os.utime(path, ns=(stamp, stamp))


def test_a_file_is_stable_after_the_quiet_period_and_reported_once(
    tracker: StabilityTracker, clock: Clock, tmp_path: Path
) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.7 complete")
    assert tracker.mark(scan)

    assert tracker.poll() == []  # first look: the quiet period starts now
    clock.advance(1.9)
    assert tracker.poll() == []
    clock.advance(0.1)
    assert tracker.poll() == [scan]
    clock.advance(10)
    assert tracker.poll() == [], "a stable file is reported once"
    assert tracker.pending == frozenset()


def test_a_slow_writer_is_never_taken_before_it_is_done(
    tracker: StabilityTracker, clock: Clock, tmp_path: Path
) -> None:
    slow = tmp_path / "slow.txt"
    slow.write_bytes(b"")
    tracker.mark(slow)
    for _ in range(100):  # 1 KB every 100 ms for 10 s, polled in between
        clock.advance(0.1)
        _append(slow, b"x" * 1024, clock)
        assert tracker.poll() == [], "taken while still being written"
    clock.advance(1.0)
    assert tracker.poll() == []
    clock.advance(1.0)
    assert tracker.poll() == [slow]
    assert slow.stat().st_size == 100 * 1024


def test_a_change_in_the_last_moment_restarts_the_quiet_period(
    tracker: StabilityTracker, clock: Clock, tmp_path: Path
) -> None:
    doc = tmp_path / "brief.docx"
    doc.write_bytes(b"v1")
    tracker.mark(doc)
    tracker.poll()
    clock.advance(1.99)
    _append(doc, b"more", clock)
    assert tracker.poll() == []
    clock.advance(1.99)
    assert tracker.poll() == []
    clock.advance(0.01)
    assert tracker.poll() == [doc]


def test_a_file_replaced_by_another_of_the_same_size_restarts_the_period(
    tracker: StabilityTracker, clock: Clock, tmp_path: Path
) -> None:
    doc = tmp_path / "scan.pdf"
    doc.write_bytes(b"AAAA")
    tracker.mark(doc)
    tracker.poll()
    clock.advance(1.5)
    replacement = tmp_path / "incoming"
    replacement.write_bytes(b"BBBB")
    stat = doc.stat()
    os.utime(replacement, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and mtime
    replacement.replace(doc)  # a new inode under the old name
    assert tracker.poll() == []
    clock.advance(1.5)
    assert tracker.poll() == []
    clock.advance(0.5)
    assert tracker.poll() == [doc]


def test_a_vanished_file_is_forgotten(
    tracker: StabilityTracker, clock: Clock, tmp_path: Path
) -> None:
    gone = tmp_path / "gone.pdf"
    gone.write_bytes(b"x")
    tracker.mark(gone)
    tracker.poll()
    gone.unlink()
    clock.advance(5)
    assert tracker.poll() == []
    assert tracker.pending == frozenset()


def test_an_unreadable_file_waits_until_it_can_be_opened(clock: Clock, tmp_path: Path) -> None:
    path = tmp_path / "busy.pdf"
    path.write_bytes(b"x")
    readable = {"now": False}

    def probe(p: Path) -> FileState | None:
        # the real probe, except that opening is refused until the writer lets go
        state = probe_file(p)
        return None if state is None else dataclasses.replace(state, readable=readable["now"])

    tracker = StabilityTracker(clock, quiet_period=2.0, probe=probe)
    tracker.mark(path)
    tracker.poll()
    clock.advance(60)
    assert tracker.poll() == [], "a file nobody may open is not complete"
    readable["now"] = True
    assert tracker.poll() == []  # its state changed: a fresh quiet period
    clock.advance(2)
    assert tracker.poll() == [path]


@pytest.mark.parametrize(
    ("name", "lock"),
    [
        ("rapport.docx", "~$rapport.docx"),
        ("Jaarverslag 2026.docx", "~$arverslag 2026.docx"),
        ("begroting.ods", ".~lock.begroting.ods#"),
        ("notitie.docx", "~$otitie.docx"),
    ],
)
def test_a_document_open_in_an_office_suite_is_not_taken(
    tracker: StabilityTracker, clock: Clock, tmp_path: Path, name: str, lock: str
) -> None:
    doc = tmp_path / name
    doc.write_bytes(b"content")
    (tmp_path / lock).write_bytes(b"owner")
    assert lock in lock_names(doc.name)
    tracker.mark(doc)
    tracker.poll()
    clock.advance(30)
    assert tracker.poll() == []
    (tmp_path / lock).unlink()  # the document was closed
    assert tracker.poll() == []
    clock.advance(2)
    assert tracker.poll() == [doc]


@pytest.mark.parametrize(
    "name",
    [
        "~$rapport.docx",
        ".~lock.begroting.ods#",
        "download.crdownload",
        "film.part",
        "kopie.TMP",
        "Thumbs.db",
        "desktop.ini",
        ".DS_Store",
        "._scan.pdf",
        ".verborgen.pdf",
    ],
)
def test_litter_is_ignored(tracker: StabilityTracker, tmp_path: Path, name: str) -> None:
    assert is_ignored(name)
    assert tracker.mark(tmp_path / name) is False
    assert tracker.pending == frozenset()


@pytest.mark.parametrize("name", ["scan.pdf", "Brief aan de raad.docx", "foto 🙂.jpg", "README"])
def test_ordinary_names_are_not_litter(name: str) -> None:
    assert not is_ignored(name)


def test_user_patterns_extend_the_litter_list(clock: Clock, tmp_path: Path) -> None:
    tracker = StabilityTracker(clock, extra_ignored=["*.bak"])
    assert tracker.mark(tmp_path / "oud.BAK") is False
    assert tracker.mark(tmp_path / "nieuw.pdf") is True


def test_a_folder_or_a_fifo_is_never_reported(
    tracker: StabilityTracker, clock: Clock, tmp_path: Path
) -> None:
    folder = tmp_path / "map"
    folder.mkdir()
    fifo = tmp_path / "pijp"
    os.mkfifo(fifo)
    tracker.mark(folder)
    tracker.mark(fifo)
    tracker.poll()
    clock.advance(10)
    assert tracker.poll() == []


def test_a_negative_quiet_period_is_refused(clock: Clock) -> None:
    with pytest.raises(ValueError):
        StabilityTracker(clock, quiet_period=-1)


def test_in_a_folder_of_many_new_files_lock_files_are_found_through_one_listing(
    tracker: StabilityTracker, clock: Clock, tmp_path: Path
) -> None:
    """With many tracked files in one folder the folder is read once per poll;
    a lock file must count there as it does when looked up by name, also when
    its case differs (Windows shares match names without regard to case)."""
    names = [f"stuk-{n:02d}.docx" for n in range(LISTING_FROM + 4)]
    for name in names:
        (tmp_path / name).write_bytes(name.encode())
    (tmp_path / "~$TUK-03.DOCX").write_bytes(b"owner")  # Word's lock for stuk-03.docx
    (tmp_path / ".~lock.stuk-07.docx#").write_bytes(b"owner")  # LibreOffice's
    paths = [tmp_path / name for name in names]

    assert tracker.mark_many(paths) == paths
    clock.advance(2)
    stable = tracker.poll()

    assert stable == sorted(p for p in paths if p.name not in ("stuk-03.docx", "stuk-07.docx"))
    assert tracker.pending == {tmp_path / "stuk-03.docx", tmp_path / "stuk-07.docx"}
    (tmp_path / "~$TUK-03.DOCX").unlink()
    (tmp_path / ".~lock.stuk-07.docx#").unlink()
    assert tracker.poll() == []  # the lock going is a change: the quiet period restarts
    clock.advance(2)
    assert tracker.poll() == [tmp_path / "stuk-03.docx", tmp_path / "stuk-07.docx"]
