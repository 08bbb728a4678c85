"""Smoke tests of the ``search`` benchmark: ``python -m benchmarks --quick --only search``.

The quick size builds 300 records (30 dossiers of 10, about 60 words each), indexes
them and runs the 100 queries once. The workload itself checks every query (our total
equals the bare count, our best score the bare first row's, "cafe" finds what "café"
finds) and that the index holds every object with nothing pending; a wrong answer
fails it, and so these tests. Only the report's shape is checked here, never a timing.
SQLite always; PostgreSQL only with the throwaway cluster (``pg_url`` decides).
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks._search_queries import make_queries

REPO_ROOT = Path(__file__).resolve().parent.parent

ROW = re.compile(
    r"^(?P<workload>search)\s+(?P<case>.+?)\s+(?P<ours>\d+\.\d+) (?P<unit>ms|MB|rec/s)\s+"
    r"(?P<baseline>\d+\.\d+) (?P=unit)\s+(?P<label>.+?)\s+(?P<ratio>\d+\.\d+)\s+"
    r"(?P<target>.+?)\s+(?P<met>yes|NO|-)$"
)


def _run(tmp_path: Path, backends: str) -> tuple[str, dict[str, re.Match[str]], Any]:
    report = tmp_path / "bench.json"
    command = [sys.executable, "-m", "benchmarks", "--quick", "--only", "search",
               "--work-dir", str(tmp_path / "work"), "--json", str(report)]  # fmt: skip
    environment = os.environ | {"RD_BENCH_SEARCH_BACKENDS": backends}
    done = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, env=environment
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {m["case"]: m for line in done.stdout.splitlines() if (m := ROW.match(line.rstrip()))}
    assert not (tmp_path / "work").exists() or not any((tmp_path / "work").iterdir())
    return done.stdout, rows, json.loads(report.read_text())


def _check_store(store: str, stdout: str, rows: dict[str, re.Match[str]]) -> None:
    build = rows[f"{store}: index build, 330 objects"]
    bare = "bare FTS5 INSERT…SELECT" if store == "sqlite" else "bare to_tsvector + GIN"
    assert (build["unit"], build["label"], build["target"]) == ("rec/s", bare, ">= 2000 rec/s")
    rss = rows[f"{store}: index build peak RSS"]
    assert (rss["unit"], rss["label"], rss["met"]) == ("MB", "child after opening", "-")
    label = "bare FTS5 MATCH" if store == "sqlite" else "bare tsquery @@"
    p50, p95 = rows[f"{store}: first page, p50"], rows[f"{store}: first page, p95"]
    summed = rows[f"{store}: first page, 100 queries summed"]
    assert (p50["unit"], p50["label"], p50["met"]) == ("ms", label, "-")
    target = "< 50 ms" if store == "sqlite" else "< 150 ms"
    assert (p95["unit"], p95["label"], p95["target"]) == ("ms", label, target)
    assert (summed["unit"], summed["target"]) == ("ms", "ratio <= 1.5")
    for case, match in rows.items():
        if case.startswith(store):
            assert float(match["ours"]) > 0 and float(match["baseline"]) > 0, stdout
    # every kind of query was timed and reported, with how many hits it had
    kinds = {kind for kind, _query in make_queries(30)}
    for kind in kinds:
        assert re.search(rf"{store}: {re.escape(kind)}\s+ours p50", stdout), (kind, stdout)
    assert f"{store}: ours indexed 330 objects" in stdout, stdout


def test_quick_search_run_on_sqlite(tmp_path: Path) -> None:
    stdout, rows, document = _run(tmp_path, "sqlite")
    assert len(rows) == 5, stdout
    _check_store("sqlite", stdout, rows)
    assert not document["failed"]
    stored = document["results"]["search"]
    assert len(stored) == 5
    assert all(row["ours"] > 0 and row["baseline"] > 0 for row in stored)
    p50 = next(row for row in stored if row["case"] == "sqlite: first page, p50")
    assert len(p50["runs_ours"]) == len(p50["runs_baseline"]) == 100  # one median per query


def test_quick_search_run_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    assert pg_url  # the cluster is there; the workload makes its own database on it
    stdout, rows, document = _run(tmp_path, "postgresql")
    assert len(rows) == 5, stdout
    _check_store("postgresql", stdout, rows)
    assert not document["failed"]
    assert len(document["results"]["search"]) == 5


def test_the_query_mix_has_every_construct() -> None:
    queries = make_queries(2000)
    assert len(queries) == 100
    assert len({q for _kind, q in queries}) == 100
    texts = " ".join(q for _kind, q in queries)
    for construct in (" OR ", " -", "*", '"', "titel:", "dossier:", "afzender:", "datum:"):
        assert construct in texts, construct
    assert make_queries(2000) == queries  # a fixed seed: the same mix every run
