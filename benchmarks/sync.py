"""Workload ``sync``: push 20,000 records with 2,000 files of 1 MiB to PostgreSQL, pull them back.

Issue 6, "Done when" (see benchmarks/README.md, "Workload ``sync``"):

* ``push``: a workstation (SQLite working store) holds 200 dossiers of 100 records, an
  "Opname" event per record, and 2,000 of the records have a file of 1 MiB (distinct
  random bytes); everything is in its outbox. Timed: one
  ``recordsdesk.archive.sync.engine.sync_once`` against a fresh, migrated central
  PostgreSQL database (content in the database), in a child process
  (``benchmarks/_sync_child.py``). The push phase is the figure (records/s = records
  / push time); the whole call, which then pulls the central feed back, is shown too.
  Baseline, same run: the same rows and bytes written with plain psycopg ``COPY``
  into another fresh database (``benchmarks/_sync_baseline.py``). Targets: ratio
  <= 2.5 and >= 1,000 records/s.
* ``rss push``: the child samples its resident set size during the push; flat means
  the highest sample in the push's last three quarters is at most 10 % above the
  highest in its first quarter (memory does not grow with the records pushed).
* ``pull``: ``sync_once`` on a fresh workstation against the central archive the
  push filled. Target: >= 2,000 records/s. Baseline: the same rows and bytes read
  with ``COPY … TO STDOUT`` into a plain SQLite file and plain files.

PostgreSQL: ``RD_TEST_PG_PORT`` if set (``make bench`` runs under
``scripts/pg-test-cluster.sh``), else the workload starts that script's throwaway
cluster itself. Building the workstation is not timed (its time is printed).
``RD_BENCH_SYNC_RECORDS`` and ``RD_BENCH_SYNC_FILES`` change the sizes (profiling).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import MIB, Config, Row, Workload, log, sync_all, work_dir
from benchmarks._sync_baseline import pull_baseline, push_baseline
from benchmarks._sync_build import (
    REPO,
    Built,
    Sizes,
    build_workstation,
    clone_home,
    database_size,
    fresh_database,
    plain_dsn,
    postgres_port,
)

FULL = Sizes(records=20_000, files=2_000, per_dossier=100, file_size=MIB)
QUICK = Sizes(records=50, files=5, per_dossier=10, file_size=MIB)
RATIO_TARGET = 2.5
PUSH_RATE_TARGET = 1000.0  # records/s
PULL_RATE_TARGET = 2000.0  # records/s
FLAT_TARGET = 0.10
MB = 1e6


def sizes_for(config: Config) -> Sizes:
    base = QUICK if config.quick else FULL
    records = int(os.environ.get("RD_BENCH_SYNC_RECORDS", base.records))
    files = int(os.environ.get("RD_BENCH_SYNC_FILES", base.files))
    return Sizes(records, min(files, records), base.per_dossier, base.file_size)


def _child(home: Path, url: str, profile: Path | None = None) -> dict[str, Any]:
    sync_all()
    command = [sys.executable, "-m", "benchmarks._sync_child", str(home), url]
    if profile is not None:
        command.append(str(profile))
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        raise RuntimeError(f"sync child failed: {done.stderr.strip()[-2000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["problems"]:
        raise RuntimeError(f"sync reported problems: {figures['problems']}")
    return figures


def _counts(url: str) -> dict[str, int]:
    import psycopg
    from psycopg import sql

    found = {}
    with psycopg.connect(plain_dsn(url)) as connection:
        for table in ("informatieobject", "bestand", "event", "content_object"):
            row = connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()
            found[table] = int(row[0]) if row else 0
    return found


def _local_counts(home: Path) -> dict[str, int]:
    from sqlalchemy import func, select

    from recordsdesk.db.models import Bestand, Event, Informatieobject
    from recordsdesk.services import open_workspace

    ws = open_workspace(home)
    try:
        with ws.readers() as session:
            found = {
                model.__tablename__: int(
                    session.scalar(select(func.count()).select_from(model)) or 0
                )
                for model in (Informatieobject, Bestand, Event)
            }
        found["content_object"] = sum(1 for _ in ws.objects.iter_names())
    finally:
        ws.close()
    return found


def _expected(built: Built) -> dict[str, int]:
    return {
        "informatieobject": len(built.objects),
        "bestand": len(built.bestanden),
        "event": len(built.events),
        "content_object": len(built.content),
    }


def _check(what: str, found: dict[str, int], built: Built) -> None:
    """A sanity check (not a timing): the same rows and objects arrived."""
    if found != _expected(built):
        raise RuntimeError(f"{what}: found {found}, expected {_expected(built)}")


def _profile_lines(path: Path, count: int = 18) -> list[str]:
    import pstats

    stats = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    ranked = sorted(stats.items(), key=lambda item: item[1][3], reverse=True)
    lines = []
    for (filename, line, name), (_cc, calls, _tt, cumulative, _callers) in ranked:
        if "recordsdesk" in filename or "psycopg/connection" in filename:
            where = filename.split("recordsdesk/")[-1] if "recordsdesk/" in filename else filename
            lines.append(f"profile: {where}:{line} {name:<22} {cumulative:8.3f} s {calls:>8}")
        if len(lines) == count:
            break
    return lines


def run(config: Config) -> list[Row]:
    sizes = sizes_for(config)
    with work_dir(config, "sync") as work, postgres_port() as port:
        log(config, f"work dir {work}; PostgreSQL on 127.0.0.1:{port}")
        start = time.perf_counter()
        template = work / "template"
        built = build_workstation(template, sizes)
        log(
            config,
            f"built {sizes.records:,} records in {sizes.dossiers:,} dossiers, "
            f"{sizes.files:,} files of {sizes.file_size:,} bytes "
            f"({time.perf_counter() - start:.1f} s, untimed)",
        )
        with fresh_database(port, "base") as url:
            sync_all()
            base_push = push_baseline(url, built)
            _check("baseline database", _counts(url), built)
            log(config, f"baseline push (COPY): {base_push:.2f} s")
        with fresh_database(port, "ours") as url:
            home = work / "push-home"
            clone_home(template, home)
            ours = _child(home, url)
            _check("central after the push", _counts(url), built)
            log(
                config,
                f"ours: push {ours['push_seconds']:.2f} s, whole sync_once "
                f"{ours['seconds']:.2f} s; central database {database_size(url) / MB:.0f} MB",
            )
            shutil.rmtree(home)
            sync_all()
            base_pull, rows_read = pull_baseline(url, work / "plain-pull")
            shutil.rmtree(work / "plain-pull")
            log(config, f"baseline pull (COPY TO): {base_pull:.2f} s, {rows_read:,} rows")
            fresh = work / "pull-home"
            pulled = _child(fresh, url)
            _check("fresh workstation after the pull", _local_counts(fresh), built)
            log(config, f"ours: pull {pulled['seconds']:.2f} s")
            shutil.rmtree(fresh)
            profile_notes: list[str] = []
            if config.profile:
                home = work / "profile-home"
                clone_home(template, home)
                with fresh_database(port, "prof") as other:
                    stats = work / "push.prof"
                    _child(home, other, stats)
                    profile_notes = _profile_lines(stats)
                    pull_stats = work / "pull.prof"
                    _child(work / "profile-pull-home", other, pull_stats)
                    profile_notes += [
                        line.replace("profile:", "profile (pull):", 1)
                        for line in _profile_lines(pull_stats)
                    ]
                    shutil.rmtree(work / "profile-pull-home")
                shutil.rmtree(home)
    return _rows(sizes, ours, pulled, base_push, base_pull, profile_notes)


def _rows(
    sizes: Sizes,
    ours: dict[str, Any],
    pulled: dict[str, Any],
    base_push: float,
    base_pull: float,
    profile_notes: list[str],
) -> list[Row]:
    n = sizes.records
    label = f"{n} records, {sizes.files} x {sizes.file_size // MIB} MiB"
    push_s = ours["push_seconds"]
    quarters = [q / MB for q in ours["push_quarters"]]
    first, later = quarters[0], max(quarters[1:])
    pull_s = pulled["seconds"]
    return [
        Row(
            workload="sync",
            case=f"push {label}",
            unit="s",
            ours=push_s,
            baseline=base_push,
            baseline_label="psycopg COPY",
            target=f"ratio <= {RATIO_TARGET}",
            met=push_s <= RATIO_TARGET * base_push,
            runs_ours=[push_s],
            runs_baseline=[base_push],
            notes=[
                f"sync: push phase {push_s:.2f} s of sync_once {ours['seconds']:.2f} s "
                f"(the rest pulls the central feed back: {ours['pull_seconds']:.2f} s); "
                f"{ours['pushed']:,} rows pushed, {ours['bytes_sent'] / MB:.0f} MB of content; "
                "each quarter of the outbox took "
                + ", ".join(f"{q:.1f}" for q in ours["push_quarter_seconds"])
                + " s",
                *profile_notes,
            ],
        ),
        Row(
            workload="sync",
            case="push, throughput",
            unit="rec/s",
            ours=n / push_s,
            baseline=n / base_push,
            baseline_label="psycopg COPY",
            target=f">= {PUSH_RATE_TARGET:.0f} rec/s",
            met=n / push_s >= PUSH_RATE_TARGET,
        ),
        Row(
            workload="sync",
            case="sync_once with pull-back",
            unit="s",
            ours=ours["seconds"],
            baseline=base_push,
            baseline_label="psycopg COPY",
            target="(info)",
            met=None,
        ),
        Row(
            workload="sync",
            case="rss push, later vs first quarter",
            unit="MB",
            ours=later,
            baseline=first,
            baseline_label="first quarter's peak",
            target=f"<= +{FLAT_TARGET:.0%}",
            met=later <= first * (1 + FLAT_TARGET),
            notes=[
                f"sync: child after imports and opening {ours['after_open'] / MB:.1f} MB; "
                f"push quarters {', '.join(f'{q:.1f}' for q in quarters)} MB; "
                f"peak of the whole sync_once {ours['peak'] / MB:.1f} MB"
            ],
        ),
        Row(
            workload="sync",
            case="pull into a fresh workstation",
            unit="rec/s",
            ours=n / pull_s,
            baseline=n / base_pull,
            baseline_label="COPY TO + sqlite3",
            target=f">= {PULL_RATE_TARGET:.0f} rec/s",
            met=n / pull_s >= PULL_RATE_TARGET,
            notes=[
                f"sync: pull {pull_s:.2f} s against {base_pull:.2f} s plain; "
                f"{pulled['pulled']:,} rows, {pulled['bytes_received'] / MB:.0f} MB; "
                f"peak RSS {pulled['peak'] / MB:.1f} MB (after opening "
                f"{pulled['after_open'] / MB:.1f} MB)"
            ],
        ),
    ]


WORKLOAD = Workload(
    name="sync",
    description="push 20,000 records with 2,000 x 1 MiB to PostgreSQL and pull them, vs COPY",
    run=run,
)
