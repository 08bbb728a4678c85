"""Kill -9 during intake, restart, and prove "never neither, never twice".

A real ``recordsdesk watch --once`` runs in a subprocess over many small files
and one large one; the test watches the SQLite database (read-only) and sends
SIGKILL when a random number of items exists, or after a random delay. After
each kill the invariant is checked on the half-done state; after all kills an
in-process ``process_once`` finishes the work and the final state is checked.

The seed is printed; set ``RD_INTAKE_CRASH_SEED`` to replay a failure.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from recordsdesk.db.models import InboxItem
from recordsdesk.intake import runner
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.services import open_workspace, verify
from tests.core.samples import MiB, random_file, sha256_of, stored_objects, temp_files

REPO = Path(__file__).resolve().parents[2]
SMALL_FILES = 120
BIG_SIZE = 50 * MiB
KILLS = 8


def contents_in(folder: Path) -> Counter[str]:
    """sha256 of every file below ``folder`` (verwerkt/ included), with multiplicity."""
    return Counter(sha256_of(p) for p in folder.rglob("*") if p.is_file())


def item_count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as connection:
            return int(connection.execute("SELECT count(*) FROM inbox_item").fetchone()[0])
    except sqlite3.Error:  # not created yet, or locked for a moment
        return 0


def start_child(home: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "RECORDSDESK_HOME": str(home), "LANG": "C.UTF-8"}
    with log.open("ab") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "recordsdesk.cli", "watch", "--once", "--quiet-period", "0"],
            stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=REPO,
        )  # fmt: skip


def kill_at(child: subprocess.Popen[bytes], db: Path, target: int, extra: float) -> str:
    """SIGKILL the child once ``target`` items exist, plus ``extra`` seconds.

    The extra delay spreads the kills over the steps after a claim (copying,
    hashing, identifying, moving the original), not only right after a commit.
    """
    deadline = time.monotonic() + 300  # a bound against hanging, not an assertion
    while child.poll() is None and item_count(db) < target and time.monotonic() < deadline:
        time.sleep(0.002)
    try:
        child.wait(timeout=extra)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait()
        return f"{target} items + {extra:.3f} s"
    return f"{target} items + {extra:.3f} s (child had already finished)"


def check_never_neither_never_twice(
    home: Path, drop: Path, originals: Counter[str], context: str, finished: bool
) -> None:
    ws = open_workspace(home)  # what the app does on restart (cleans objects/tmp)
    try:
        assert temp_files(ws.objects.root) == [], f"temp files survived {context}"
        with ws.readers() as session:
            found = session.execute(select(InboxItem.sha256, InboxItem.state)).all()
        per_sha = Counter(sha for sha, state in found if sha is not None)
        twice = {sha: n for sha, n in per_sha.items() if n > 1}
        assert not twice, f"content taken twice {context}: {twice}"
        taken = {sha for sha, state in found if sha and state in ("stored", "ready")}
        for sha in taken:
            assert ws.objects.check(sha) is None, f"item {sha} without its object {context}"
        in_folder = contents_in(drop)
        assert all(n == 1 for n in in_folder.values()), f"original copied {context}"
        waiting = {p for p in drop.iterdir() if p.is_file()}
        waiting_shas = {sha256_of(p) for p in waiting}
        for sha in originals:
            assert sha in waiting_shas or sha in taken, f"{sha} lost: neither {context}"
            if sha not in waiting_shas:  # moved on: only allowed once it is safely stored
                assert ws.objects.check(sha) is None, context
        assert set(in_folder) <= set(originals), context
        report = verify(ws)
        assert report.intact, (report, context)
        for stored in stored_objects(ws.objects.root):
            assert sha256_of(stored) == stored.name, f"object {stored.name} damaged {context}"
        if finished:
            states = Counter(state for _sha, state in found)
            assert states == Counter({"ready": len(originals)}), (states, context)
            assert set(per_sha) == set(originals), context
            assert waiting == set(), f"originals left behind {context}"
            assert in_folder == originals, f"verwerkt/ does not hold each original once {context}"
    finally:
        ws.close()


@pytest.mark.slow
def test_kill_9_at_random_moments_never_loses_or_doubles_a_file(home: Path, tmp_path: Path) -> None:
    seed = int(os.environ.get("RD_INTAKE_CRASH_SEED", random.SystemRandom().randrange(2**32)))
    print(f"RD_INTAKE_CRASH_SEED={seed}")
    rng = random.Random(seed)
    drop = tmp_path / "scanner"
    drop.mkdir()
    for n in range(SMALL_FILES):
        size = rng.randint(1, 64 * 1024)
        (drop / f"doc-{n:03d}.bin").write_bytes(rng.randbytes(size))
    random_file(drop / "groot.bin", BIG_SIZE)
    originals = contents_in(drop)
    assert len(originals) == SMALL_FILES + 1 and set(originals.values()) == {1}
    ws = open_workspace(home)
    add_drop_folder(ws, drop)
    ws.close()
    db = home / "local.sqlite"
    log = tmp_path / "child.err"

    total = len(originals)
    # increasing targets, so each restart gets further; the last one lands on the
    # large file (named so that it sorts last), while it is copied and hashed
    targets = [*sorted(rng.sample(range(1, total), KILLS - 1)), total]
    moments: list[str] = []
    for kill, target in enumerate(targets):
        child = start_child(home, log)
        extra = rng.uniform(0, 0.3) if target == total else rng.uniform(0, 0.03)
        moment = kill_at(child, db, target, extra) + f", {item_count(db)} items after"
        moments.append(moment)
        context = f"(seed {seed}, kill {kill}: {moment}; kills so far {moments})"
        assert child.returncode in (0, -signal.SIGKILL), log.read_text()
        check_never_neither_never_twice(home, drop, originals, context, finished=False)

    ws = open_workspace(home)
    try:
        runner.process_once(ws, quiet_period=0)
    finally:
        ws.close()
    print("kills:", moments)
    check_never_neither_never_twice(
        home, drop, originals, f"(seed {seed}, after finishing; kills {moments})", finished=True
    )
    assert "Traceback" not in log.read_text()
