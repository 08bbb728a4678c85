"""kill -9 of a real sync process at random points of push and pull, many times,
then everything compared (issue 6, Faults that must lose nothing)."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from recordsdesk.archive.sync import blobs
from recordsdesk.archive.sync.central import CONTENT_DIRECTORY, Central
from recordsdesk.archive.sync.engine import sync_once
from recordsdesk.db.models import AuditEvent, Informatieobject, StoreSetting
from recordsdesk.services import Workspace, open_workspace
from recordsdesk.services.workspace import utc_now
from tests.sync.faults_support import (
    REAL_CHUNK,
    SMALL_CHUNK,
    Child,
    Expected,
    assert_invariants,
    new_dossier,
    rename,
    run_child,
    small_chunks,  # noqa: F401 (autouse)
    sync_to_the_end,
    synced_rows,
    url_of,
)
from tests.sync.support import outbox

Station = Callable[[str], Workspace]


def test_killed_after_the_central_commit_then_edited_again_is_no_conflict(
    central: Central, station: Station, tmp_path: Path
) -> None:
    rng = random.Random(6)
    a, b = station("a"), station("b")
    expected = Expected()
    kenmerk = new_dossier(a, tmp_path / "in", "Subsidie Zuidplein", expected, rng)
    assert run_child(a.layout.root, url_of(central), "none").report is not None
    rename(a, kenmerk, "Subsidie Zuidplein 2026", expected)
    # the change is committed centrally, the workstation dies before it knows
    assert run_child(a.layout.root, url_of(central), "kill:confirm:1").killed
    rename(a, kenmerk, "Subsidie Zuidplein 2026 (aangevuld)", expected)
    sync_to_the_end(central, [a, b])
    assert_invariants(central, [a, b], expected)


# every place the child can die; N is drawn from how often a finished run passed it
POINTS = (
    "central-exec",
    "local-exec",
    "central-commit",
    "local-commit",
    "put-chunk",
    "chunk-commit",
    "chunk-sent",
    "confirm",
    "pull-apply",
    "download",
)
SEED = 4  # with the fix of 2026-11-29 taken out (no in-flight states), this run fails
KILLS = 24  # per backend
MAX_RUNS = 70


def test_kill_9_at_random_points_of_push_and_pull_loses_nothing(
    central: Central, station: Station, tmp_path: Path
) -> None:
    kills = _kill_randomly(central, [station("a"), station("b")], tmp_path, SEED, KILLS)
    killed_at = {kill.split(":")[1] for kill in kills}
    assert killed_at & {"confirm", "chunk-commit", "put-chunk"}, kills  # in a push
    assert killed_at & {"pull-apply", "download"}, kills  # in a pull


def test_kill_9_with_content_on_a_directory_share(
    central: Central, station: Station, tmp_path: Path
) -> None:
    """The same with the central content in a content-addressed directory (a file share):
    chunks are files there, written and renamed, no transactions."""
    with central.engine.begin() as connection:
        connection.execute(
            insert(StoreSetting).values(key=CONTENT_DIRECTORY, value=str(tmp_path / "share"))
        )
    share = Central.open(central.engine)
    assert isinstance(share.blobs, blobs.DirectoryBlobs)
    kills = _kill_randomly(share, [station("a"), station("b")], tmp_path, SEED + 2, 10)
    assert any(":put-chunk:" in k or ":chunk-sent:" in k for k in kills), kills


def _kill_randomly(
    central: Central, stations: list[Workspace], tmp_path: Path, seed: int, wanted: int
) -> list[str]:
    """Sync children killed at random points until ``wanted`` died, the workstations
    filing and renaming in between; then everything synced and the invariants checked.
    Returns the kills ("STATION kill:POINT:N")."""
    rng = random.Random(seed)
    expected = Expected()
    own: dict[str, list[str]] = {ws.station: [] for ws in stations}
    made = 0

    def change(ws: Workspace) -> None:
        nonlocal made
        made += 1
        mine = own[ws.station]
        if mine and rng.random() < 0.6:
            kenmerk = rng.choice(mine)
            rename(ws, kenmerk, f"{expected.names[kenmerk].split(' v')[0]} v{made}", expected)
            return
        big = rng.randint(3, 6) * SMALL_CHUNK + rng.randint(1, 999) if rng.random() < 0.5 else 0
        folder = tmp_path / "in" / str(made)
        mine.append(new_dossier(ws, folder, f"Zaak {made}", expected, rng, big))

    for ws in stations:
        for _ in range(3):
            change(ws)
    url = url_of(central)
    estimate = dict.fromkeys(POINTS, 8)
    kills: list[str] = []
    runs = 0
    while len(kills) < wanted:
        runs += 1
        assert runs <= MAX_RUNS, f"only {len(kills)} kills in {MAX_RUNS} runs: {kills}"
        ws = rng.choice(stations)
        if rng.random() < 0.5:
            change(ws)
        point = rng.choice(POINTS)
        cue = f"kill:{point}:{rng.randint(1, estimate[point])}"
        outcome = run_child(ws.layout.root, url, cue)
        if outcome.killed:
            kills.append(f"{ws.station} {cue}")
            continue
        assert outcome.report is not None and outcome.report["failed"] == 0, outcome.report
        estimate = {p: max(1, outcome.counts.get(p, 0)) for p in POINTS}
    sync_to_the_end(central, stations)
    assert_invariants(central, stations, expected)
    return kills


def test_a_connection_dropped_mid_chunk_resumes_without_sending_confirmed_chunks_again(
    central: Central, station: Station, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real 4 MiB chunks: the child dies with the third chunk's bytes sent to the
    central database but not committed; the next run sends that chunk and the rest."""
    rng = random.Random(3)
    a, b = station("a"), station("b")
    expected = Expected()
    monkeypatch.setattr(blobs, "CHUNK_SIZE", REAL_CHUNK)
    size = 2 * REAL_CHUNK + 1_500_000  # three chunks
    new_dossier(a, tmp_path / "in", "Bouwtekeningen", expected, rng, big=size, pdfs=0)
    [sha] = expected.shas
    url = url_of(central)
    killed = Child(a.layout.root, url, "kill:chunk-commit:3").finish()
    assert killed.killed
    assert [(idx, n) for s, idx, n in killed.chunks if s == sha] == [
        (0, REAL_CHUNK),
        (1, REAL_CHUNK),
    ]
    assert central.blobs.confirmed_chunks(sha, size, REAL_CHUNK) == 2
    assert not central.blobs.has(sha)
    resumed = run_child(a.layout.root, url, "none")
    assert resumed.report is not None and resumed.report["failed"] == 0
    assert [(s, idx) for s, idx, _ in resumed.chunks] == [(sha, 2)]  # only the missing one
    assert resumed.report["bytes_sent"] == size - 2 * REAL_CHUNK
    sync_to_the_end(central, [a, b])
    assert_invariants(central, [a, b], expected)


def test_a_workstation_clock_hours_off_converges_in_the_right_order(
    central: Central, station: Station, tmp_path: Path
) -> None:
    """Versions, sequence numbers and cursors order sync, never a workstation's clock:
    a clock 5 hours ahead, then 5 hours behind, changes nothing in what wins."""
    rng = random.Random(5)
    a, b = station("a"), station("b")
    expected = Expected()
    offset = dt.timedelta(hours=5)
    a.clock = lambda: utc_now() + offset
    mine = new_dossier(a, tmp_path / "a1", "Parkeervergunning", expected, rng)
    theirs = new_dossier(b, tmp_path / "b1", "Evenementenvergunning", expected, rng)
    sync_to_the_end(central, [a, b])
    rename(a, mine, "Parkeervergunning Noord", expected)  # stamped 5 h in the future
    assert run_child(a.layout.root, url_of(central), "kill:confirm:1").killed
    offset = -offset  # the clock is put right, and overshoots: now 5 h behind
    rename(a, mine, "Parkeervergunning Noord-Oost", expected)  # later, stamped earlier
    rename(b, theirs, "Evenementenvergunning 2027", expected)
    new_dossier(a, tmp_path / "a2", "Standplaatsvergunning", expected, rng)
    sync_to_the_end(central, [b, a])
    assert_invariants(central, [a, b], expected)
    with central.engine.connect() as connection:
        naam, version = connection.execute(
            select(Informatieobject.naam, Informatieobject.version).where(
                Informatieobject.kenmerk == mine
            )
        ).one()
        stamps = connection.scalars(select(AuditEvent.at).order_by(AuditEvent.seq)).all()
    assert (naam, version) == ("Parkeervergunning Noord-Oost", 3)
    # the central chain keeps arrival order, whatever the stamps say
    assert stamps != sorted(stamps)


def test_a_restored_backup_after_more_changes_and_a_kill_duplicates_and_loses_nothing(
    central: Central, station: Station, tmp_path: Path
) -> None:
    rng = random.Random(8)
    a, b = station("a"), station("b")
    expected = Expected()
    url = url_of(central)
    first = new_dossier(a, tmp_path / "a1", "Bouwvergunning Delfshaven", expected, rng)
    sync_to_the_end(central, [a, b])
    waiting = new_dossier(a, tmp_path / "a2", "Sloopmelding", expected, rng, big=300_000)
    backup = tmp_path / "backup.sqlite"  # the backup still has that dossier in its outbox
    source, target = sqlite3.connect(a.layout.local_db), sqlite3.connect(backup)
    source.backup(target)
    source.close()
    target.close()
    assert run_child(a.layout.root, url, "kill:central-commit:4").killed  # partly pushed
    assert run_child(a.layout.root, url, "kill:confirm:1").killed
    new_dossier(a, tmp_path / "a3", "Kapmelding", expected, rng)  # the future the restore loses
    new_dossier(b, tmp_path / "b1", "Uitweg", expected, rng)
    sync_to_the_end(central, [a, b])
    before = synced_rows(central.engine)

    a.close()
    shutil.copyfile(backup, a.layout.local_db)
    for suffix in ("-wal", "-shm"):
        Path(f"{a.layout.local_db}{suffix}").unlink(missing_ok=True)
    restored = open_workspace(a.layout.root)
    try:
        assert outbox(restored) > 0
        report = run_child(restored.layout.root, url, "none").report
        assert report is not None and report["failed"] == 0 and report["conflicts"] == 0
        after = synced_rows(central.engine)
        assert after == before, "the old outbox changed nothing centrally"
        # work goes on on the restored workstation, and goes up
        rename(restored, waiting, "Sloopmelding Schiemond", expected)
        rename(restored, first, "Bouwvergunning Delfshaven-Zuid", expected)
        new_dossier(restored, tmp_path / "a4", "Uitritvergunning", expected, rng)
        sync_to_the_end(central, [restored, b])
        assert_invariants(central, [restored, b], expected, restored=True)
    finally:
        restored.close()


def test_a_restored_backup_that_files_before_it_syncs_gets_new_kenmerken(
    central: Central, station: Station, tmp_path: Path
) -> None:
    """The restored working store issues again the kenmerken its lost future used; the
    central archive refuses them (UNIQUE), and the sync renumbers the local objects that
    were never synced, so both objects live on, each with its own kenmerk."""
    rng = random.Random(11)
    a, b = station("a"), station("b")
    expected = Expected()
    new_dossier(a, tmp_path / "a1", "Omgevingsvergunning", expected, rng)
    sync_to_the_end(central, [a, b])
    backup = tmp_path / "backup.sqlite"
    source, target = sqlite3.connect(a.layout.local_db), sqlite3.connect(backup)
    source.backup(target)
    source.close()
    target.close()
    lost = new_dossier(a, tmp_path / "a2", "Bijzondere bijstand", expected, rng)
    sync_to_the_end(central, [a, b])
    a.close()
    shutil.copyfile(backup, a.layout.local_db)
    for suffix in ("-wal", "-shm"):
        Path(f"{a.layout.local_db}{suffix}").unlink(missing_ok=True)
    restored = open_workspace(a.layout.root)
    try:
        again = new_dossier(restored, tmp_path / "a3", "Leerlingenvervoer", expected, rng)
        assert again == lost  # the same kenmerk, issued a second time
        del expected.names[again]
        first = sync_once(restored, central)  # refused centrally: a problem, no traceback
        assert not first.ok
        sync_to_the_end(central, [restored, b])
        with central.engine.connect() as connection:
            names = {
                kenmerk: naam
                for kenmerk, naam in connection.execute(
                    select(Informatieobject.kenmerk, Informatieobject.naam)
                )
            }
        assert names[lost] == "Bijzondere bijstand"
        [renumbered] = [k for k, naam in names.items() if naam == "Leerlingenvervoer"]
        assert renumbered != lost
        expected.names[renumbered] = "Leerlingenvervoer"
        assert_invariants(central, [restored, b], expected, restored=True)
    finally:
        restored.close()
