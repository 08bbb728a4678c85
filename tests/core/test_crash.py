"""Crash safety: SIGKILL a real filing process at many points, then reopen the workspace.

After every kill: no temp file survives ``open_workspace``; ``verify`` reports
everything intact (objects and audit chain); no bestand lacks its object;
every object on disk holds the content its name promises; the dossier holds
either all of the batch or none of it; and filing the same files again works.

The child (``tests/core/crash_child.py``) reports progress through a pipe.
Deterministic points pause the child inside its progress callback before the
kill; random points kill a free-running child as soon as its reported
progress passes a random offset (the seed is printed on failure; set
``RD_CRASH_SEED`` to replay one).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from recordsdesk import audit
from recordsdesk.db.models import Bestand
from recordsdesk.errors import UserError
from recordsdesk.services import create_dossier, file_paths, open_workspace, show_dossier, verify
from tests.core.samples import MiB, random_file, sha256_of, sparse_file, stored_objects, temp_files

REPO = Path(__file__).resolve().parents[2]


class Child:
    """``crash_child`` in a subprocess, read line by line (no sleeps)."""

    def __init__(
        self, home: Path, url: str | None, dossier: str, pause: str, paths: Sequence[Path]
    ) -> None:
        self.stderr_path = home.parent / f"child-{os.getpid()}-{id(self)}.err"
        self.stderr = self.stderr_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.core.crash_child", str(home), url or "-", dossier,
             pause, *map(str, paths)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, text=True,
            cwd=REPO,
        )  # fmt: skip
        self.last_done = 0

    def until(self, wanted: str) -> str:
        """Read lines until one starts with ``wanted``; progress lines update ``last_done``."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("P "):
                self.last_done = int(line.split()[1])
            if line.startswith(wanted):
                return line
        self.process.wait()
        raise AssertionError(
            f"child ended (exit {self.process.returncode}) before {wanted!r}: "
            + self.stderr_path.read_text()
        )

    def kill_when_done_reaches(self, offset: int) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("P ") and int(line.split()[1]) >= offset:
                break
            if line.startswith("DONE"):
                break
        self.kill()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.stderr.close()
        assert self.process.returncode == -signal.SIGKILL, self.stderr_path.read_text()


@pytest.fixture
def url(db_url: str, tmp_path: Path) -> str | None:
    """None for the home's own SQLite file (as the app uses it), else the PostgreSQL URL."""
    return None if db_url.startswith("sqlite") else db_url


@pytest.fixture
def crash_dossier(home: Path, url: str | None) -> Iterator[str]:
    ws = open_workspace(home, db_url=url)
    try:
        yield create_dossier(ws, "Crashbestendigheid").kenmerk
    finally:
        ws.close()


def assert_consistent_after_crash(
    home: Path, url: str | None, dossier: str, paths: Sequence[Path], context: str = ""
) -> int:
    """All the post-crash guarantees; returns how many records the dossier holds."""
    ws = open_workspace(home, db_url=url)
    try:
        assert temp_files(ws.objects.root) == [], f"temp files survived reopening {context}"
        report = verify(ws)
        assert report.intact, (report, context)
        with ws.sessions() as session:
            rows = session.execute(select(Bestand.sha256, Bestand.size)).all()
            assert audit.verify_chain(session) == []
        for sha, size in rows:
            assert ws.objects.check(sha, size) is None, f"bestand without its object {context}"
        for stored in stored_objects(ws.objects.root):
            assert sha256_of(stored) == stored.name, f"object {stored.name} is not what it says"
        records = show_dossier(ws, dossier).records
        assert len(records) in (0, len(paths)), f"a partial batch was filed {context}"

        if not records:
            assert len(file_paths(ws, dossier, paths).records) == len(paths)
        else:
            with pytest.raises(UserError) as caught:
                file_paths(ws, dossier, paths)
            assert records[0].kenmerk in "\n".join(d.english() for d in caught.value.details)
            again = create_dossier(ws, "Opnieuw").kenmerk
            assert len(file_paths(ws, again, paths).records) == len(paths)
        assert verify(ws).intact
        assert temp_files(ws.objects.root) == []
        return len(records)
    finally:
        ws.close()


BIG = 64 * MiB


@pytest.mark.slow
@pytest.mark.parametrize(
    "point",
    ["first-chunk", "temp-complete", "between-files", "stored-not-recorded", "after-commit"],
)
def test_kill_at_a_chosen_point(
    home: Path, url: str | None, crash_dossier: str, tmp_path: Path, point: str
) -> None:
    if point in ("first-chunk", "temp-complete"):
        paths = [sparse_file(tmp_path / "groot.pdf", BIG)]
    else:
        paths = [random_file(tmp_path / f"stuk{i}.pdf", 3 * MiB) for i in range(3)]
    pause = {
        "first-chunk": str(MiB),
        "temp-complete": str(BIG),
        "between-files": str(3 * MiB + MiB),
        "stored-not-recorded": "final",
        "after-commit": "filed",
    }[point]
    child = Child(home, url, crash_dossier, pause, paths)
    child.until("PAUSED")
    objects = home / "objects"

    if point == "temp-complete":
        sizes = [p.stat().st_size for p in temp_files(objects)]
        assert BIG in sizes, f"expected a complete temp file before the rename: {sizes}"
    if point == "stored-not-recorded":  # filing.py: copied objects stay, unreferenced
        assert sorted(p.name for p in stored_objects(objects)) == sorted(map(sha256_of, paths))
    child.kill()

    filed = assert_consistent_after_crash(home, url, crash_dossier, paths, point)
    assert filed == (len(paths) if point == "after-commit" else 0)


@pytest.mark.slow
@pytest.mark.postgres
def test_kill_inside_the_database_transaction_on_postgresql(
    home: Path, pg_url: str, tmp_path: Path
) -> None:
    """The child is stopped after its INSERTs, waiting for the audit chain lock, and killed."""
    ws = open_workspace(home, db_url=pg_url)
    dossier = create_dossier(ws, "Crash in transactie").kenmerk
    ws.close()
    paths = [random_file(tmp_path / f"stuk{i}.txt", 100_000) for i in range(3)]
    engine = create_engine(pg_url)
    try:
        with engine.connect() as holder:
            holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": audit._CHAIN_LOCK})
            child = Child(home, pg_url, dossier, "never", paths)
            child.until("P")
            deadline = time.monotonic() + 60
            waiting = 0
            while not waiting:  # wait for a condition in the database, not for a time
                assert time.monotonic() < deadline, "the child never waited for the audit lock"
                with engine.connect() as probe:
                    waiting = probe.execute(
                        text(
                            "SELECT count(*) FROM pg_locks "
                            "WHERE locktype = 'advisory' AND NOT granted"
                        )
                    ).scalar_one()
                time.sleep(0.01)
            with engine.connect() as probe:
                uncommitted = probe.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                        "current_database() AND state = 'active' AND wait_event_type = 'Lock'"
                    )
                ).scalar_one()
            assert uncommitted >= 1
            child.kill()
            holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": audit._CHAIN_LOCK})
    finally:
        engine.dispose()
    assert assert_consistent_after_crash(home, pg_url, dossier, paths) == 0


def _seed() -> int:
    return int(os.environ.get("RD_CRASH_SEED") or int.from_bytes(os.urandom(4), "big"))


@pytest.mark.slow
def test_kill_a_large_filing_at_random_offsets(tmp_path: Path) -> None:
    seed = _seed()
    rng = random.Random(seed)
    source = sparse_file(tmp_path / "scan.tif", 200 * MiB, every=4 * MiB)
    for attempt in range(3):
        home = tmp_path / f"home{attempt}"
        ws = open_workspace(home)
        dossier = create_dossier(ws, "Groot").kenmerk
        ws.close()
        offset = rng.randrange(1, 200 * MiB)
        child = Child(home, None, dossier, "never", [source])
        child.kill_when_done_reaches(offset)
        context = f"(seed {seed}, attempt {attempt}, offset {offset}, got to {child.last_done})"
        assert_consistent_after_crash(home, None, dossier, [source], context)


@pytest.mark.slow
@pytest.mark.parametrize("db", ["sqlite", "postgresql"])
def test_kill_a_batch_of_many_files_at_random_moments(
    tmp_path: Path, db: str, request: pytest.FixtureRequest
) -> None:
    url = None if db == "sqlite" else request.getfixturevalue("pg_url")
    seed = _seed()
    rng = random.Random(seed)
    total = 30 * 256 * 1024
    outcomes = []
    home = tmp_path / "home"  # one store throughout: earlier attempts must stay intact too
    for attempt in range(4):
        folder = tmp_path / f"bron{attempt}"
        paths = [random_file(folder / f"brief-{i:02}.txt", 256 * 1024) for i in range(30)]
        ws = open_workspace(home, db_url=url)
        dossier = create_dossier(ws, "Veel brieven").kenmerk
        ws.close()
        # attempt 3 kills at the very end: after the last byte, around the commit
        offset = total if attempt == 3 else rng.randrange(1, total)
        child = Child(home, url, dossier, "never", paths)
        child.kill_when_done_reaches(offset)
        context = f"(seed {seed}, attempt {attempt}, offset {offset})"
        outcomes.append(assert_consistent_after_crash(home, url, dossier, paths, context))
    assert set(outcomes) <= {0, 30}
