"""kill -9 of a real sync process at random points of push and pull, many times,
then everything compared (issue 6, Faults that must lose nothing)."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from recordsdesk.archive.sync.central import Central
from recordsdesk.services import Workspace
from tests.sync.faults_support import (
    SMALL_CHUNK,
    Expected,
    assert_invariants,
    new_dossier,
    rename,
    run_child,
    sync_to_the_end,
    url_of,
)

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
SEED = 20261129
KILLS = 24  # per backend
MAX_RUNS = 70


def test_kill_9_at_random_points_of_push_and_pull_loses_nothing(
    central: Central, station: Station, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    stations = [station("a"), station("b")]
    expected = Expected()
    own: dict[str, list[str]] = {ws.station: [] for ws in stations}
    made = 0

    def change(ws: Workspace) -> None:
        nonlocal made
        made += 1
        mine = own[ws.station]
        if mine and rng.random() < 0.4:
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
    while len(kills) < KILLS:
        runs += 1
        assert runs <= MAX_RUNS, f"only {len(kills)} kills in {MAX_RUNS} runs: {kills}"
        ws = rng.choice(stations)
        if rng.random() < 0.35:
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
