"""Smoke test of the ``mdto`` benchmark: ``python -m benchmarks --quick --only mdto``.

Only the shape of the report is checked (its four rows, numeric figures, the
baseline's name, the targets), never a timing: benchmarks report, they do not
assert. The run itself checks that the export wrote every object without a
problem and that the plain-lxml baseline wrote the same bytes; if either fails,
the workload fails and so does this test (exit status 1).
"""

import json
import re
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

ROW = re.compile(
    r"^(?P<workload>mdto)\s+(?P<case>.+?)\s+(?P<ours>\d+\.\d+) (?P<unit>s|MB|obj/s)\s+"
    r"(?P<baseline>\d+\.\d+) (?P=unit)\s+(?P<label>.+?)\s+(?P<ratio>\d+\.\d+)\s+"
    r"(?P<target>.+?)\s+(?P<met>yes|NO|-)$"
)


def test_quick_mdto_run_reports_time_throughput_cpu_and_memory(tmp_path: Path) -> None:
    report = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--quick",
            "--only",
            "mdto",
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

    rows = {m["case"]: m for line in done.stdout.splitlines() if (m := ROW.match(line.rstrip()))}
    assert set(rows) == {
        "200 objects",
        "200 objects, throughput",
        "200 objects, CPU time",
        "rss 200 vs 50 objects",
    }, done.stdout
    timed, rate, cpu, rss = (
        rows["200 objects"],
        rows["200 objects, throughput"],
        rows["200 objects, CPU time"],
        rows["rss 200 vs 50 objects"],
    )
    assert (timed["unit"], timed["label"], timed["target"]) == (
        "s",
        "plain lxml, same objects",
        "ratio <= 2",
    )
    assert (rate["unit"], rate["target"]) == ("obj/s", ">= 2000 obj/s")
    assert (cpu["unit"], cpu["target"], cpu["met"]) == ("s", "(info)", "-")
    assert (rss["unit"], rss["label"], rss["target"]) == ("MB", "peak exporting 50", "<= +10%")
    for match in rows.values():
        assert float(match["ours"]) > 0 and float(match["baseline"]) > 0
    assert [m["met"] in ("yes", "NO") for m in (timed, rate, rss)] == [True] * 3
    assert "wrote byte-identical files" in done.stdout

    document = json.loads(report.read_text())
    stored = document["results"]["mdto"]
    assert [row["case"] for row in stored] == list(rows)
    for row in stored:
        assert row["ours"] > 0 and row["baseline"] > 0 and row["ratio"] > 0
        assert len(row["runs_ours"]) == len(row["runs_baseline"]) == 1
    assert not (tmp_path / "work").exists() or not any((tmp_path / "work").iterdir())
