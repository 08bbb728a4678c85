"""Smoke test of the benchmark harness: ``python -m benchmarks --quick`` runs end to end.

Every workload that has no smoke test of its own runs here; mdto, search and sync
have theirs (tests/test_benchmarks_*_smoke.py) and are not run twice. Each workload
runs as a test of its own, so that the test processes share them (they took 111 s
one after the other in one test). Only the shape of the report is checked (rows,
numeric figures, ratios), never a timing: benchmarks report, they do not assert.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.__main__ import discover

REPO_ROOT = Path(__file__).resolve().parent.parent
OWN_SMOKE_TESTS = {"mdto", "search", "sync"}

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("sha256sum", "cp", "sync")),
    reason="the store baseline needs sha256sum, cp and sync (coreutils)",
)

# workload, case, ours, baseline (both "<number> <unit>"), what the baseline is, ratio.
ROW = re.compile(
    r"^(?P<workload>store)\s+(?P<case>.+?)\s+(?P<ours>\d+\.\d+) (?P<unit>s|MB)\s+"
    r"(?P<baseline>\d+\.\d+) (?P=unit)\s+(?P<label>.+?)\s+(?P<ratio>\d+\.\d+)\s+"
    r"(?P<target>.+?)\s+(?P<met>yes|NO|-)$"
)


#: with checks of their own below; every other workload (OTHERS) runs on its own too
ALONE = ("store", "startup", "heartbeat")


def quick_run(tmp_path: Path, names: list[str]) -> tuple[str, dict[str, Any]]:
    """``python -m benchmarks --quick`` of ``names``: its output and its JSON report.
    It must succeed and leave its work directory empty."""
    report = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--quick",
            *(f"--only={name}" for name in names),
            "--work-dir",
            str(tmp_path / "work"),
            "--json",
            str(report),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    document = json.loads(report.read_text())
    assert document["machine"]["cpus"]
    assert set(document["results"]) == set(names), document["results"].keys()
    assert not (tmp_path / "work").exists() or not any((tmp_path / "work").iterdir())
    return done.stdout, document


def test_every_workload_is_smoke_tested_somewhere() -> None:
    assert OTHERS, "a workload without checks of its own is run by the last test"
    assert set(ALONE) <= discover().keys()
    assert discover().keys() >= OWN_SMOKE_TESTS


def test_quick_run_reports_every_store_row(tmp_path: Path) -> None:
    stdout, document = quick_run(tmp_path, ["store"])
    rows = [m for line in stdout.splitlines() if (m := ROW.match(line.rstrip()))]
    cases = {(m["case"], m["label"]) for m in rows}
    assert ("20 x 16 KiB", "sha256sum + cp") in cases, stdout
    assert ("20 x 16 KiB", "sha256sum + cp + sync") in cases, stdout
    assert ("1 x 4 MiB", "sha256sum + cp") in cases, stdout
    assert ("1 x 4 MiB", "sha256sum + cp + sync") in cases, stdout
    assert ("rss 4 MiB", "same child before filing") in cases, stdout
    for match in rows:
        assert float(match["ours"]) > 0
        assert float(match["baseline"]) > 0
        assert float(match["ratio"]) > 0
    targeted = [m for m in rows if m["met"] != "-"]
    assert len(targeted) == 3, stdout  # two ratio targets and the RSS target

    stored = document["results"]["store"]
    assert len(stored) == len(rows)
    for row in stored:
        assert row["ours"] > 0 and row["baseline"] > 0 and row["ratio"] > 0
        assert row["runs_ours"] and row["runs_baseline"]


@pytest.mark.parametrize(("workload", "unit"), [("startup", "s"), ("heartbeat", "ms")])
def test_quick_run_reports_the_gui_row(tmp_path: Path, workload: str, unit: str) -> None:
    """Issue 9: start-up (seconds) and the GUI heartbeat (milliseconds), one row each."""
    _stdout, document = quick_run(tmp_path, [workload])
    (row,) = document["results"][workload]
    assert row["unit"] == unit
    assert row["ours"] > 0 and row["baseline"] > 0, row
    assert row["met"] in (True, False)


OTHERS = sorted(discover().keys() - OWN_SMOKE_TESTS - set(ALONE))


@pytest.mark.parametrize("workload", OTHERS)
def test_quick_run_of_the_other_workloads(tmp_path: Path, workload: str) -> None:
    _stdout, document = quick_run(tmp_path, [workload])
    rows = document["results"][workload]
    assert rows, workload
    for row in rows:  # a count can be 0 (files lost or taken twice), never missing
        assert isinstance(row["ours"], (int, float)) and row["ours"] >= 0, row
