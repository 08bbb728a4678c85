"""Helpers for the bad-input intake tests: "nothing lost" checks and measured CLI runs.

Only the public intake API is used (``runner``, ``folders``, ``inbox.list_inbox``,
the CLI and ``ws.objects``), so these helpers outlive rewrites of the pipeline.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from recordsdesk.intake.folders import PROCESSED_FOLDER
from recordsdesk.intake.inbox import InboxItemInfo, list_inbox
from recordsdesk.services import Workspace, open_workspace
from tests.cli.conftest import LANGUAGE_VARIABLES

REPO = Path(__file__).resolve().parents[2]
MiB = 1024 * 1024
TAKEN = ("stored", "ready", "duplicate", "filed")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha_file(path: Path) -> str:
    """sha256 of a file, streamed (a 4 GB file never sits in memory)."""
    digest = hashlib.sha256()
    buffer = bytearray(MiB)
    view = memoryview(buffer)
    with path.open("rb", buffering=0) as handle:
        while count := handle.readinto(buffer):
            digest.update(view[:count])
    return digest.hexdigest()


@contextmanager
def workspace_at(home: Path) -> Iterator[Workspace]:
    """The home's own SQLite workspace (the one the CLI in a subprocess opens too)."""
    ws = open_workspace(home)
    try:
        yield ws
    finally:
        ws.close()


def all_items(ws: Workspace) -> list[InboxItemInfo]:
    return list_inbox(ws, include_done=True)


def waiting_files(drop: Path) -> dict[Path, str]:
    """Files still waiting in the drop folder (subfolders included, ``verwerkt/`` not)."""
    processed = drop / PROCESSED_FOLDER
    return {
        p: sha_file(p)
        for p in drop.rglob("*")
        if p.is_file() and processed not in p.parents and not p.is_symlink()
    }


def processed_files(drop: Path) -> dict[Path, str]:
    processed = drop / PROCESSED_FOLDER
    if not processed.is_dir():
        return {}
    return {p: sha_file(p) for p in processed.rglob("*") if p.is_file()}


def assert_nothing_lost(
    ws: Workspace,
    drop: Path,
    originals: Mapping[str, str],
    context: str = "",
    already_processed: frozenset[str] = frozenset(),
) -> None:
    """Every original (name → sha256, distinct contents) is in exactly one place.

    Either still waiting in the drop folder, or stored (the object re-hashes
    intact) with exactly one item carrying its sha256; never neither, never twice.
    Also: no item points at nothing (a taken item's object exists and is intact),
    and whatever sits in ``verwerkt/`` was stored first (except the contents in
    ``already_processed``, put there by the test).
    """
    assert len(set(originals.values())) == len(originals), "test setup: contents must differ"
    items = all_items(ws)
    per_sha = Counter(i.sha256 for i in items if i.sha256 is not None)
    twice = {s: n for s, n in per_sha.items() if n > 1}
    assert not twice, f"content taken twice {context}: {twice}"
    for item in items:
        if item.state in TAKEN:
            assert item.sha256 is not None, f"{item.state} item without sha256 {context}: {item}"
            problem = ws.objects.check(item.sha256, item.size)
            assert problem is None, f"item {item.name!r} points at a {problem} object {context}"
    waiting = Counter(waiting_files(drop).values())
    taken = {i.sha256 for i in items if i.state in TAKEN}
    for name, digest in originals.items():
        assert digest in waiting or digest in taken, f"{name!r} lost: neither {context}"
        assert waiting[digest] <= 1, f"{name!r} copied within the drop folder {context}"
    for path, digest in processed_files(drop).items():
        assert digest in taken or digest in already_processed, (
            f"{path} moved to verwerkt/ but not stored {context}"
        )


@dataclass(frozen=True)
class MeasuredRun:
    code: int
    out: str
    err: str
    seconds: float
    peak_rss: int  # bytes: the CLI's VmHWM plus its examination worker's, reported at exit


# Runs the CLI and then writes its peak RSS (VmHWM, in KiB) plus that of its
# examination worker (the sum of the two peaks).
# Not ru_maxrss: Linux carries the high-water mark of the memory the child
# started from (the forking test process, hundreds of MB late in a run) across
# exec, so ru_maxrss measured the test runner rather than the CLI.
_PEAK_WRAPPER = """
import os, sys
def hwm(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            return int(next(l for l in status if l.startswith("VmHWM:")).split()[1])
    except (OSError, StopIteration):
        return 0
from recordsdesk.cli import main
code = main(sys.argv[1:])
# intake examines in a worker process: its peak counts too (read while it lives)
from recordsdesk.intake import examiner
workers = examiner._shared.worker_pids() if examiner._shared is not None else []
with open(os.environ["RD_PEAK_FILE"], "w") as out:
    out.write(str(hwm("self") + sum(hwm(pid) for pid in workers)))
raise SystemExit(code)
"""


def cli_measured(home: Path, *args: str, timeout: float = 900) -> MeasuredRun:
    """Run the CLI with ARGS and measure its wall time and its own peak RSS."""
    env = {k: v for k, v in os.environ.items() if k not in LANGUAGE_VARIABLES}
    peak_path = home.parent / "measured.peak"
    env.update(RECORDSDESK_HOME=str(home), LANG="C.UTF-8", RD_PEAK_FILE=str(peak_path))
    out_path, err_path = home.parent / "measured.out", home.parent / "measured.err"
    started = time.monotonic()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        child = subprocess.Popen(
            [sys.executable, "-c", _PEAK_WRAPPER, *args],
            stdout=out, stderr=err, env=env, cwd=REPO,
        )  # fmt: skip
    deadline = started + timeout
    while True:
        pid, status, _usage = os.wait4(child.pid, os.WNOHANG)
        if pid == child.pid:
            break
        if time.monotonic() > deadline:
            child.kill()
            os.wait4(child.pid, 0)
            raise AssertionError(f"{args} did not finish within {timeout} s")
        time.sleep(0.05)
    seconds = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    return MeasuredRun(
        child.returncode,
        out_path.read_text(errors="backslashreplace"),
        err_path.read_text(errors="backslashreplace"),
        seconds,
        int(peak_path.read_text()) * 1024,
    )
