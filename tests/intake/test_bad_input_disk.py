"""Bad input from the file system: a full disk, files renamed or deleted mid-intake.

The full disk is the one world failure that is faked: ``os.write`` in the object
store's modules raises ``ENOSPC`` for file descriptors that point into
``objects/tmp`` (found through ``/proc/self/fd``), after letting a first part
through so that a half-written temp file exists. Everything else is real: files,
SQLite, the CLI.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from recordsdesk.i18n import set_language
from recordsdesk.intake import runner
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.services import Workspace
from tests.cli.conftest import run_cli
from tests.core.fakes import patch_store_os
from tests.core.samples import pdf_bytes, stored_objects, temp_files, write
from tests.intake.bad_input_support import (
    MiB,
    all_items,
    assert_nothing_lost,
    sha,
    waiting_files,
    workspace_at,
)
from tests.intake.conftest import FakeClock

Intake = Callable[[], list[str]]


@pytest.fixture
def ws(home: Path) -> Iterator[Workspace]:
    """The home's SQLite workspace (overrides the conftest one: SQLite only, no skips)."""
    with workspace_at(home) as workspace:
        yield workspace


@pytest.fixture(autouse=True)
def dutch() -> None:
    set_language("nl")


class FullDisk:
    """``os.write`` for a filling disk: writes into ``tmp`` get ``room`` bytes, then ENOSPC."""

    def __init__(self, tmp: Path, room: int = 64 * 1024) -> None:
        self.tmp = tmp.resolve()
        self.room = room
        self.full = True
        self.refused = 0

    def _into_tmp(self, fd: int) -> bool:
        try:
            target = Path(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            return False
        return self.tmp in target.parents

    def __call__(self, fd: int, data: Any) -> int:
        if not (self.full and self._into_tmp(fd)):
            return os.write(fd, data)
        if self.room <= 0:
            self.refused += 1
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        count = os.write(fd, bytes(memoryview(data)[: self.room]))
        self.room -= count
        return count


@pytest.fixture
def full_disk(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> FullDisk:
    disk = FullDisk(ws.objects.tmp)
    patch_store_os(monkeypatch, write=disk)
    return disk


def big_pdf(note: str) -> bytes:
    """A PDF of about 3 MiB: larger than the room left, several store chunks."""
    return pdf_bytes(note) + b"%" + os.urandom(3 * MiB) + b"\n"


def assert_disk_full_outcome(ws: Workspace, drop: Path, name: str, data: bytes) -> str | None:
    """Original kept, nothing half-stored; the item quarantined in Dutch, or withdrawn."""
    assert (drop / name).read_bytes() == data, "the original must stay in the drop folder"
    assert temp_files(ws.objects.root) == [], "temp files left in objects/tmp"
    assert stored_objects(ws.objects.root) == [], "something was stored on a full disk"
    items = all_items(ws)
    assert_nothing_lost(ws, drop, {name: sha(data)})
    if not items:
        return None  # withdrawn: the next run takes it
    [item] = items
    assert item.state == "quarantined", item
    assert item.reason is not None and "schijf is vol" in item.reason, item.reason
    return item.id


def test_a_full_disk_keeps_the_original_leaves_no_temp_file_and_says_so_in_dutch(
    ws: Workspace, drop: Path, intake: Intake, full_disk: FullDisk
) -> None:
    data = big_pdf("schijf vol")
    write(drop / "scan.pdf", data)
    add_drop_folder(ws, drop)

    intake()

    assert full_disk.refused >= 1, "the fake full disk was never hit: is os.write still the seam?"
    assert_disk_full_outcome(ws, drop, "scan.pdf", data)


def test_after_a_full_disk_the_users_retry_takes_the_file(
    home: Path, ws: Workspace, drop: Path, intake: Intake, full_disk: FullDisk
) -> None:
    data = big_pdf("opnieuw proberen")
    write(drop / "scan.pdf", data)
    add_drop_folder(ws, drop)
    intake()
    item_id = assert_disk_full_outcome(ws, drop, "scan.pdf", data)

    full_disk.full = False  # room again
    if item_id is not None:
        retried = run_cli(["inbox", "retry", item_id], env={"RECORDSDESK_HOME": str(home)})
        assert (retried.code, retried.out.strip()) == (0, "ready"), retried
    intake()

    [item] = all_items(ws)
    assert (item.state, item.sha256) == ("ready", sha(data)), item
    assert ws.objects.check(sha(data)) is None
    assert (drop / "verwerkt" / "scan.pdf").read_bytes() == data
    assert waiting_files(drop) == {}
    assert temp_files(ws.objects.root) == []


def test_after_a_full_disk_the_next_run_takes_the_file_without_the_user(
    ws: Workspace, drop: Path, intake: Intake, full_disk: FullDisk
) -> None:
    """A full disk is passing trouble, not a property of the file (unlike an empty one)."""
    data = big_pdf("volgende ronde")
    write(drop / "scan.pdf", data)
    add_drop_folder(ws, drop)
    intake()
    assert_disk_full_outcome(ws, drop, "scan.pdf", data)

    full_disk.full = False
    intake()

    [item] = all_items(ws)
    assert (item.state, item.sha256) == ("ready", sha(data)), (
        f"with room again the next run did not take the file: {item.state}, {item.reason}"
    )
    assert (drop / "verwerkt" / "scan.pdf").read_bytes() == data
    assert temp_files(ws.objects.root) == []


def test_a_full_disk_with_many_files_loses_none_and_all_arrive_later(
    ws: Workspace, drop: Path, intake: Intake, full_disk: FullDisk
) -> None:
    originals = {}
    for n in range(6):
        data = f"brief {n}\n".encode() * 4000  # ~36 KB: the room runs out after the first
        write(drop / f"brief-{n:02d}.txt", data)
        originals[f"brief-{n:02d}.txt"] = sha(data)
    add_drop_folder(ws, drop)

    intake()

    assert full_disk.refused >= 1
    assert_nothing_lost(ws, drop, originals, "(disk full)")
    assert temp_files(ws.objects.root) == []
    for item in all_items(ws):
        if item.state != "ready":
            assert item.state == "quarantined" and "schijf is vol" in (item.reason or ""), item
    full_disk.full = False
    for item in all_items(ws):
        if item.state == "quarantined":
            retried = run_cli(
                ["inbox", "retry", item.id], env={"RECORDSDESK_HOME": str(ws.layout.root)}
            )
            assert retried.code == 0, retried
    intake()
    assert {i.name: (i.state, i.sha256) for i in all_items(ws)} == {
        name: ("ready", digest) for name, digest in originals.items()
    }
    assert waiting_files(drop) == {}
    assert_nothing_lost(ws, drop, originals, "(room again)")


# --- renamed or deleted mid-intake ---


def test_files_renamed_or_deleted_while_they_settle_lose_nothing(ws: Workspace, drop: Path) -> None:
    """The rename and the delete happen in the fake sleep between two polling rounds."""
    contents = {name: f"inhoud {name}\n".encode() for name in ("blijft", "hernoemd", "weg")}
    for name, data in contents.items():
        write(drop / f"{name}.txt", data)
    add_drop_folder(ws, drop)
    clock = FakeClock()
    done: list[str] = []

    def sleep(seconds: float) -> None:
        if not done:  # after the first round, before the files count as stable
            (drop / "hernoemd.txt").rename(drop / "nieuwe naam.txt")
            (drop / "weg.txt").unlink()
            done.append("moved")
        clock.sleep(seconds)

    runner.process_once(ws, quiet_period=2.0, clock=clock, sleep=sleep)

    assert done, "process_once never slept between polling rounds"
    by_source = {i.source: i for i in all_items(ws)}
    assert str(drop / "hernoemd.txt") not in by_source, "an item for a name that is gone"
    assert str(drop / "weg.txt") not in by_source, "an item for a deleted file"
    assert by_source[str(drop / "blijft.txt")].state == "ready"
    for item in by_source.values():
        assert ws.objects.check(item.sha256 or "0" * 64) is None, f"item points at nothing: {item}"
    live = {n: sha(d) for n, d in contents.items() if n != "weg"}
    assert_nothing_lost(ws, drop, live, "(after the first run)")

    clock2 = FakeClock()
    runner.process_once(ws, quiet_period=2.0, clock=clock2, sleep=clock2.sleep)

    by_source = {i.source: i for i in all_items(ws)}
    assert set(by_source) == {str(drop / "blijft.txt"), str(drop / "nieuwe naam.txt")}
    renamed = by_source[str(drop / "nieuwe naam.txt")]
    assert (renamed.name, renamed.state, renamed.sha256) == (
        "nieuwe naam.txt",
        "ready",
        sha(contents["hernoemd"]),
    )
    assert (drop / "verwerkt" / "nieuwe naam.txt").read_bytes() == contents["hernoemd"]
    assert_nothing_lost(ws, drop, live, "(after the second run)")


class RenameWhileCopying:
    """``os.write`` that renames or deletes the source the first time the store writes a copy.

    That is after the file was found stable and claimed, in the middle of taking it.
    """

    def __init__(self, tmp: Path, action: Callable[[], None]) -> None:
        self.tmp = tmp.resolve()
        self.action = action
        self.fired = False

    def __call__(self, fd: int, data: Any) -> int:
        if not self.fired:
            try:
                target = Path(os.readlink(f"/proc/self/fd/{fd}"))
            except OSError:
                target = Path("/")
            if self.tmp in target.parents:
                self.fired = True
                self.action()
        return os.write(fd, data)


@pytest.mark.parametrize("what", ["renamed", "deleted"])
def test_a_file_renamed_or_deleted_while_it_is_being_copied_loses_nothing(
    ws: Workspace, drop: Path, intake: Intake, monkeypatch: pytest.MonkeyPatch, what: str
) -> None:
    data = big_pdf(f"tijdens het kopiëren {what}")
    source = write(drop / "scan.pdf", data)
    other = write(drop / "zz-ander.txt", b"een ander bestand\n")
    target = drop / "hernoemd.pdf"

    def act() -> None:
        if what == "renamed":
            source.rename(target)
        else:
            source.unlink()

    hook = RenameWhileCopying(ws.objects.tmp, act)
    patch_store_os(monkeypatch, write=hook)
    add_drop_folder(ws, drop)

    intake()
    monkeypatch.undo()

    assert hook.fired, "the store never wrote a copy: is os.write still the seam?"
    by_source = {i.source: i for i in all_items(ws)}
    assert by_source[str(other)].state == "ready"
    assert str(source) not in by_source or by_source[str(source)].state in (
        "ready",
        "duplicate",
    ), by_source
    for item in by_source.values():
        assert item.sha256 is not None and ws.objects.check(item.sha256) is None, item
    assert temp_files(ws.objects.root) == []
    originals = {"other": sha(b"een ander bestand\n")}
    if what == "renamed":
        originals["scan"] = sha(data)
        assert_nothing_lost(ws, drop, originals, "(right after the rename)")
        intake()
        assert_nothing_lost(ws, drop, originals, "(after the next run)")
        by_source = {i.source: i for i in all_items(ws)}
        [scan] = [i for i in by_source.values() if i.sha256 == sha(data)]
        assert scan.state == "ready", scan
        assert scan.source in (str(source), str(target))
        assert waiting_files(drop) == {}, "the renamed file was not taken"
        assert sorted(p.name for p in (drop / "verwerkt").iterdir()) == sorted(
            [Path(scan.source).name, other.name]
        )
    else:
        assert str(source) not in by_source, "an item for a file deleted before it was stored"
    assert_nothing_lost(ws, drop, originals, "(at the end)")
