"""Continuous watching: polling folders, recursion, folders added while running, SIGTERM.

``runner.watch`` runs on a real clock (it takes no clock), in a thread of this
process; the test waits for outcomes with a generous bound that only guards
against hanging. The rescan interval is set to an hour where the point is that
events (or the polling observer) alone must find a file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from recordsdesk.i18n import set_language
from recordsdesk.intake import runner
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.intake.inbox import InboxItemInfo
from recordsdesk.services import Workspace, open_workspace
from tests.cli.conftest import LANGUAGE_VARIABLES
from tests.core.samples import write
from tests.intake.bad_input_support import (
    REPO,
    all_items,
    assert_nothing_lost,
    processed_files,
    sha,
    waiting_files,
    workspace_at,
)

HOUR = 3600.0
QUIET = 0.2
PATIENCE = 30.0  # a bound against hanging, not a timing claim


@pytest.fixture
def ws(home: Path) -> Iterator[Workspace]:
    """The test's own view of the home (the watcher opens its own workspace)."""
    with workspace_at(home) as workspace:
        yield workspace


@pytest.fixture(autouse=True)
def dutch() -> None:
    set_language("nl")


@contextmanager
def watching(home: Path, rescan_seconds: float = HOUR) -> Iterator[list[str]]:
    """``runner.watch`` on its own workspace in a thread; yields the ids it reports."""
    stop = threading.Event()
    reported: list[str] = []
    failures: list[BaseException] = []
    ws = open_workspace(home)

    def run() -> None:
        try:
            runner.watch(
                ws, stop, quiet_period=QUIET, rescan_seconds=rescan_seconds,
                on_item=reported.append,
            )  # fmt: skip
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=run, name="watch", daemon=True)
    thread.start()
    try:
        yield reported
    finally:
        stop.set()
        thread.join(timeout=10)
        ws.close()
        assert not thread.is_alive(), "watch did not stop within 10 s of stop.set()"
        assert not failures, f"watch crashed: {failures!r}"


def wait_for(
    ws: Workspace, done: Callable[[list[InboxItemInfo]], bool], what: str, bound: float = PATIENCE
) -> list[InboxItemInfo]:
    deadline = time.monotonic() + bound
    while True:
        items = all_items(ws)
        if done(items):
            return items
        if time.monotonic() > deadline:
            raise AssertionError(f"after {bound:.0f} s still not {what}: {items}")
        time.sleep(0.05)


def ready_sources(items: list[InboxItemInfo]) -> set[str]:
    return {i.source for i in items if i.state == "ready"}


def start_and_settle(ws: Workspace, home: Path, drop: Path) -> None:
    """Wait until the watcher has brought in the starter file: its loop is running."""
    wait_for(ws, lambda items: str(drop / "start.txt") in ready_sources(items), "started")


def test_a_polling_folder_takes_a_file_dropped_while_watching(
    home: Path, ws: Workspace, drop: Path
) -> None:
    write(drop / "start.txt", b"er was al iets\n")
    add_drop_folder(ws, drop, polling=True)

    with watching(home) as reported:
        start_and_settle(ws, home, drop)
        write(drop / "van het netwerk.txt", b"nieuw op de share\n")
        items = wait_for(
            ws,
            lambda items: str(drop / "van het netwerk.txt") in ready_sources(items),
            "taken by the polling observer (the rescan is an hour away)",
        )

    assert len(items) == 2 and len(set(reported)) == 2
    assert (drop / "verwerkt" / "van het netwerk.txt").read_bytes() == b"nieuw op de share\n"
    originals = {"start": sha(b"er was al iets\n"), "nieuw": sha(b"nieuw op de share\n")}
    assert_nothing_lost(ws, drop, originals)


def test_a_recursive_folder_takes_files_in_subfolders_but_not_in_verwerkt(
    home: Path, ws: Workspace, drop: Path
) -> None:
    before = {
        "start.txt": b"bovenin\n",
        "afdeling/a.txt": b"in een submap\n",
        "afdeling/dieper/b.txt": b"nog dieper\n",
    }
    for name, data in before.items():
        write(drop / name, data)
    write(drop / "verwerkt" / "oud.txt", b"al verwerkt\n")
    add_drop_folder(ws, drop, recursive=True)

    with watching(home):
        wait_for(
            ws,
            lambda items: ready_sources(items) == {str(drop / n) for n in before},
            "the three files present at start taken",
        )
        write(drop / "verwerkt" / "later.txt", b"later in verwerkt gezet\n")  # first: see below
        during = {"afdeling/nieuw.txt": b"nieuw in submap\n", "nieuwe map/c.txt": b"nieuwe map\n"}
        for name, data in during.items():
            write(drop / name, data)
        items = wait_for(
            ws,
            lambda items: {str(drop / n) for n in during} <= ready_sources(items),
            "files dropped into subfolders while watching taken",
        )

    # verwerkt/later.txt was written before the files that were taken: had it been
    # a candidate, it would have been taken by now too
    everything = {**before, **during}
    assert {i.source for i in items} == {str(drop / n) for n in everything}, items
    assert {i.state for i in items} == {"ready"}
    assert (drop / "verwerkt" / "oud.txt").read_bytes() == b"al verwerkt\n"
    assert (drop / "verwerkt" / "later.txt").read_bytes() == b"later in verwerkt gezet\n"
    assert waiting_files(drop) == {}, "subfolder files left behind"
    moved = sorted(processed_files(drop).values())
    expected = [sha(d) for d in everything.values()]
    assert moved == sorted([*expected, sha(b"al verwerkt\n"), sha(b"later in verwerkt gezet\n")])
    assert_nothing_lost(
        ws,
        drop,
        {n: sha(d) for n, d in everything.items()},
        already_processed=frozenset({sha(b"al verwerkt\n"), sha(b"later in verwerkt gezet\n")}),
    )


def test_a_non_recursive_folder_leaves_its_subfolders_alone(
    home: Path, ws: Workspace, drop: Path
) -> None:
    write(drop / "start.txt", b"bovenin\n")
    write(drop / "prive" / "al.txt", b"in een submap, al aanwezig\n")
    add_drop_folder(ws, drop)  # recursive=False by default

    with watching(home):
        start_and_settle(ws, home, drop)
        write(drop / "prive" / "nieuw.txt", b"in een submap, tijdens het kijken\n")
        write(drop / "boven.txt", b"bovenin, tijdens het kijken\n")
        items = wait_for(
            ws, lambda items: str(drop / "boven.txt") in ready_sources(items), "top file taken"
        )

    assert {i.source for i in items} == {str(drop / "start.txt"), str(drop / "boven.txt")}
    assert (drop / "prive" / "al.txt").read_bytes() == b"in een submap, al aanwezig\n"
    assert (drop / "prive" / "nieuw.txt").read_bytes() == b"in een submap, tijdens het kijken\n"
    assert sorted(p.name for p in processed_files(drop)) == ["boven.txt", "start.txt"]


def test_a_drop_folder_added_while_watching_is_picked_up(
    home: Path, ws: Workspace, drop: Path, tmp_path: Path
) -> None:
    write(drop / "start.txt", b"eerste map\n")
    add_drop_folder(ws, drop)
    second = tmp_path / "tweede scanner"
    second.mkdir()

    with watching(home, rescan_seconds=1.0):
        start_and_settle(ws, home, drop)
        add_drop_folder(ws, second)
        write(second / "later.txt", b"in de later toegevoegde map\n")
        wait_for(
            ws,
            lambda items: str(second / "later.txt") in ready_sources(items),
            "a file in a drop folder added while watching taken (rescans every second)",
            bound=15,
        )

    assert (second / "verwerkt" / "later.txt").read_bytes() == b"in de later toegevoegde map\n"
    assert_nothing_lost(ws, second, {"later": sha(b"in de later toegevoegde map\n")})


# --- SIGTERM on the real command line ---


def start_cli_watch(home: Path, err: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in LANGUAGE_VARIABLES}
    env.update(RECORDSDESK_HOME=str(home), LANG="C.UTF-8")
    with err.open("wb") as sink:
        child = subprocess.Popen(
            [sys.executable, "-m", "recordsdesk.cli", "watch", "--quiet-period", str(QUIET)],
            stdout=subprocess.PIPE, stderr=sink, env=env, cwd=REPO, text=True,
        )  # fmt: skip
    assert child.stdout is not None
    child.stdout.readline()  # "watching…": signal handlers are installed
    return child


STOP_BOUND = 5.0


def stop_with_sigterm(child: subprocess.Popen[str]) -> tuple[float | None, str]:
    """SIGTERM; the seconds until it exited, or None when it had to be killed after 5 s."""
    started = time.monotonic()
    child.send_signal(signal.SIGTERM)
    try:
        out, _ = child.communicate(timeout=STOP_BOUND)
    except subprocess.TimeoutExpired:
        child.kill()  # the invariant must hold even so: checked by the caller
        out, _ = child.communicate()
        return None, out
    return time.monotonic() - started, out


def test_sigterm_stops_an_idle_watch_within_5_seconds(
    home: Path, ws: Workspace, drop: Path, tmp_path: Path
) -> None:
    polled = tmp_path / "share"
    polled.mkdir()
    add_drop_folder(ws, drop, recursive=True)
    add_drop_folder(ws, polled, polling=True)
    err = tmp_path / "watch.err"
    child = start_cli_watch(home, err)

    seconds, out = stop_with_sigterm(child)

    print(f"\nidle watch stopped after SIGTERM: {seconds} s (None: killed after 5 s)")
    assert seconds is not None, "still running 5 s after SIGTERM (killed)"
    assert child.returncode == 0, err.read_text()
    assert "Traceback" not in err.read_text() + out


BUSY = 3000


@pytest.mark.slow
def test_sigterm_stops_a_busy_watch_within_5_seconds_and_loses_nothing(
    home: Path, ws: Workspace, drop: Path, tmp_path: Path
) -> None:
    originals = {}
    for n in range(BUSY):
        data = f"stapel {n}\n".encode()
        (drop / f"stapel-{n:04d}.txt").write_bytes(data)
        originals[f"stapel-{n:04d}.txt"] = sha(data)
    add_drop_folder(ws, drop)
    err = tmp_path / "watch.err"
    child = start_cli_watch(home, err)
    assert child.stdout is not None
    first = child.stdout.readline()  # the first item id: intake is under way

    seconds, out = stop_with_sigterm(child)

    done = len(all_items(ws))
    shown = "not within 5 s (killed)" if seconds is None else f"{seconds:.2f} s after SIGTERM"
    print(f"\nbusy watch stopped {shown}, {done}/{BUSY} items")
    assert first.strip(), err.read_text()
    assert "Traceback" not in err.read_text() + out
    assert_nothing_lost(ws, drop, originals, "(after SIGTERM)")  # holds even if it was killed
    runner.process_once(ws, quiet_period=0)  # the rest comes in on the next run
    assert_nothing_lost(ws, drop, originals, "(after the next run)")
    assert len(all_items(ws)) == BUSY and waiting_files(drop) == {}
    assert seconds is not None, (
        f"still busy 5 s after SIGTERM ({done} of {BUSY} files taken by then): killed"
    )
    assert child.returncode == 0, err.read_text()
