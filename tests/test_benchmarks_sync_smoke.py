"""Smoke test of the ``sync`` benchmark: ``python -m benchmarks --quick --only sync``.

The quick size pushes 50 records (5 dossiers, an event each, 5 files of 1 MiB) from a
workstation to a fresh central PostgreSQL database and pulls them into a fresh
workstation. The workload itself checks that the central database, the baseline's
database and the pulled workstation hold exactly the rows and objects built (else it
fails, and so does this test); here only the report's shape is checked, never a
timing. PostgreSQL only: skipped without the throwaway cluster, like the other
PostgreSQL tests (``pg_url`` decides; its database is not used).
"""

import json
import re
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

ROW = re.compile(
    r"^(?P<workload>sync)\s+(?P<case>.+?)\s+(?P<ours>\d+\.\d+) (?P<unit>s|MB|rec/s)\s+"
    r"(?P<baseline>\d+\.\d+) (?P=unit)\s+(?P<label>.+?)\s+(?P<ratio>\d+\.\d+)\s+"
    r"(?P<target>.+?)\s+(?P<met>yes|NO|-)$"
)


def test_quick_sync_run_reports_push_pull_and_memory(pg_url: str, tmp_path: Path) -> None:
    assert pg_url  # the cluster is there; the workload makes its own databases on it
    report = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--quick",
            "--only",
            "sync",
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
        "push 50 records, 5 x 1 MiB",
        "push, throughput",
        "sync_once with pull-back",
        "rss push, later vs first quarter",
        "pull into a fresh workstation",
    }, done.stdout
    push, rate, whole, rss, pull = (
        rows["push 50 records, 5 x 1 MiB"],
        rows["push, throughput"],
        rows["sync_once with pull-back"],
        rows["rss push, later vs first quarter"],
        rows["pull into a fresh workstation"],
    )
    assert (push["unit"], push["label"], push["target"]) == ("s", "psycopg COPY", "ratio <= 2.5")
    assert (rate["unit"], rate["target"]) == ("rec/s", ">= 1000 rec/s")
    assert (whole["unit"], whole["met"]) == ("s", "-")
    assert (rss["unit"], rss["label"], rss["target"]) == ("MB", "first quarter's peak", "<= +10%")
    assert (pull["unit"], pull["label"], pull["target"]) == (
        "rec/s",
        "COPY TO + sqlite3",
        ">= 2000 rec/s",
    )
    for match in rows.values():
        assert float(match["ours"]) > 0 and float(match["baseline"]) > 0, done.stdout
    # the sync ran whole: every row of the page went up, 5 MiB of content with it
    assert "110 rows pushed, 5 MB of content" in done.stdout, done.stdout
    assert "110 rows, 5 MB" in done.stdout, done.stdout

    document = json.loads(report.read_text())
    assert not document["failed"]
    stored = document["results"]["sync"]
    assert len(stored) == 5
    assert all(row["ours"] > 0 and row["baseline"] > 0 for row in stored)
    assert not (tmp_path / "work").exists() or not any((tmp_path / "work").iterdir())
