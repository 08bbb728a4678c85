"""Workload ``startup``: start-up to a usable main window with 100,000 records.

Issue 9, "Done when": start-up to a usable main window with 100,000 records in the
local store in under 2 s; baseline, in the same run: a bare PySide6 window.

* The home (untimed set-up): 100,000 records in 1,000 dossiers, built as the
  ``sync`` workload builds a workstation (``benchmarks/_sync_build.py``: records with
  an "Opname" event each, all in the outbox, as on a station that has been offline),
  then the search index caught up, as a station's is after its first start.
* Timed: from just before the process is started to the ``READY`` line of
  ``benchmarks/_startup_child.py``: interpreter start, every import, Qt, the
  workspace opened (migrations checked), the dossier list read and its first row
  selected, the visible dossier rows (with their sync state) and the selected
  dossier's records filled in, one more turn of the event loop. Offscreen, with a fresh settings
  folder each run (no remembered window state: the first start of the day).
* Baseline: the same measurement for a bare ``QMainWindow`` (``bare``).

Runs alternate (ours, bare) so both see the same machine; the medians are shown.
Target: ours < 2 s. The ratio is recorded, not targeted: the issue names none.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import Config, Row, Workload, log, median, work_dir
from benchmarks._sync_build import REPO, Sizes, build_workstation

FULL = Sizes(records=100_000, files=0, per_dossier=100, file_size=0)
QUICK = Sizes(records=1_000, files=0, per_dossier=100, file_size=0)
TARGET_S = 2.0
RUNS_FULL, RUNS_QUICK = 7, 2
CHILD_TIMEOUT_S = 120


def _index(home: Path) -> int:
    """Catch the search index up (untimed set-up): a station's steady state."""
    from recordsdesk.db.engine import make_engine
    from recordsdesk.search import index

    engine = make_engine(f"sqlite:///{home / 'local.sqlite'}")
    try:
        return index.catch_up(engine)
    finally:
        engine.dispose()


def time_start(mode: str, home: Path | None, scratch: Path) -> float:
    """Seconds from starting the child to its ``READY`` line."""
    config_dir = scratch / f"config-{time.monotonic_ns()}"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(config_dir))
    command = [sys.executable, "-m", "benchmarks._startup_child", mode]
    if home is not None:
        command.append(str(home))
    start = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    seconds = time.perf_counter() - start
    try:
        _out, err = child.communicate(timeout=CHILD_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        child.kill()
        raise RuntimeError(f"startup child ({mode}) did not exit") from None
    if line.strip() != "READY" or child.returncode != 0:
        raise RuntimeError(f"startup child ({mode}) failed ({child.returncode}): {err[-2000:]}")
    return seconds


def run(config: Config) -> list[Row]:
    sizes = QUICK if config.quick else FULL
    runs = RUNS_QUICK if config.quick else RUNS_FULL
    with work_dir(config, "startup") as work:
        home = work / "home"
        start = time.perf_counter()
        build_workstation(home, sizes)
        indexed = _index(home)
        log(
            config,
            f"built {sizes.records:,} records in {sizes.dossiers:,} dossiers, "
            f"{indexed:,} objects indexed ({time.perf_counter() - start:.1f} s, untimed)",
        )
        # one untimed start of each: compiles nothing later, warms the page cache
        time_start("bare", None, work)
        time_start("app", home, work)
        ours: list[float] = []
        bare: list[float] = []
        for n in range(runs):
            ours.append(time_start("app", home, work))
            bare.append(time_start("bare", None, work))
            log(config, f"run {n + 1}: ours {ours[-1]:.3f} s, bare window {bare[-1]:.3f} s")
    ours_s, bare_s = median(ours), median(bare)
    return [
        Row(
            workload="startup",
            case=f"usable window, {sizes.records:,} records",
            unit="s",
            ours=ours_s,
            baseline=bare_s,
            baseline_label="bare PySide6 window",
            target=f"< {TARGET_S:g} s",
            met=ours_s < TARGET_S,
            runs_ours=ours,
            runs_baseline=bare,
            notes=[
                f"startup: {sizes.dossiers:,} dossiers; offscreen; process start to the "
                "dossier rows and the first dossier's records shown; fresh settings each run"
            ],
        )
    ]


WORKLOAD = Workload(
    name="startup",
    description="start-up to a usable main window with 100,000 records (vs a bare PySide6 window)",
    run=run,
)
