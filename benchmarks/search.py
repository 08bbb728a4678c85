"""Workload ``search``: 200,000 records of Dutch-like text indexed and searched, both stores.

Issue 7, "Done when" (see benchmarks/README.md, "Workload ``search``"):

* The stores (untimed): 2,000 dossiers of 100 records, each record about 300 words
  of generated Dutch-like text (:mod:`benchmarks._search_text`) in ``content_text``
  behind an original ``bestand``; the same rows in a SQLite working store and in a
  fresh PostgreSQL database, with Core ``executemany`` (:mod:`benchmarks._search_build`).
* ``index build``: timed in a child process (:mod:`benchmarks._search_child`):
  ``recordsdesk.search.index.catch_up`` of every pending dossier and record
  (objects/s; target >= 2,000). Baseline: the same text indexed bare (one FTS5
  ``INSERT … SELECT``; ``to_tsvector`` into a GIN-indexed table). The child's peak
  RSS is shown too.
* ``first page``: 100 mixed queries (:mod:`benchmarks._search_queries`), a warm-up
  round and then several rounds; per query the median of its rounds, then p50 and
  p95 over the queries. Ours: ``service.search(…, page=0, page_size=20)``; baseline:
  the same compiled condition as a bare ``ORDER BY`` rank ``LIMIT 20`` statement.
  Targets: p95 < 50 ms (SQLite), < 150 ms (PostgreSQL); ratio <= 1.5 (all 100
  queries' times summed, ours against bare). Every query is checked first (our
  total equals the bare count, our best score the bare first row's; "cafe" finds
  what "café" finds): a broken search fails the workload.

PostgreSQL: ``RD_TEST_PG_PORT`` if set, else the throwaway cluster of
``scripts/pg-test-cluster.sh`` started for the run. ``RD_BENCH_SEARCH_RECORDS``
changes the number of records, ``RD_BENCH_SEARCH_ROUNDS`` the rounds,
``RD_BENCH_SEARCH_BACKENDS`` (``sqlite``, ``postgresql`` or both, comma-separated)
the stores.
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from benchmarks import Config, Row, Workload, log, median, sync_all, work_dir
from benchmarks._search_build import (
    Sizes,
    analyse_postgresql,
    bare_index_postgresql,
    bare_index_sqlite,
    build_stores,
    index_counts,
    migrated,
    sqlite_url,
)
from benchmarks._search_queries import (
    SAME_HITS,
    PgRunner,
    Runner,
    SqliteRunner,
    Timings,
    make_queries,
    nearest_rank,
    time_queries,
)
from benchmarks._sync_build import REPO, database_size, fresh_database, postgres_port

FULL = Sizes(records=200_000, per_dossier=100, words=300)
QUICK = Sizes(records=300, per_dossier=10, words=60)
ROUNDS, QUICK_ROUNDS = 3, 1
P95_TARGET_MS = {"sqlite": 50.0, "postgresql": 150.0}
RATIO_TARGET = 1.5
BUILD_TARGET = 2000.0  # objects/s
BACKENDS = ("sqlite", "postgresql")
MB = 1e6
MS = 1000.0


def sizes_for(config: Config) -> Sizes:
    base = QUICK if config.quick else FULL
    records = int(os.environ.get("RD_BENCH_SEARCH_RECORDS", base.records))
    return Sizes(records, base.per_dossier, base.words)


def backends_wanted() -> list[str]:
    wanted = os.environ.get("RD_BENCH_SEARCH_BACKENDS", ",".join(BACKENDS))
    chosen = [b.strip() for b in wanted.split(",") if b.strip()]
    unknown = [b for b in chosen if b not in BACKENDS]
    if unknown or not chosen:
        raise RuntimeError(f"RD_BENCH_SEARCH_BACKENDS: not a store: {wanted!r}")
    return chosen


@contextmanager
def _postgres_url(wanted: bool) -> Iterator[str | None]:
    if not wanted:
        yield None
        return
    with postgres_port() as port, fresh_database(port, "search") as url:
        yield url


def _index_child(url: str, profile: Path | None = None) -> dict[str, Any]:
    sync_all()
    command = [sys.executable, "-m", "benchmarks._search_child", url]
    if profile is not None:
        command.append(str(profile))
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        raise RuntimeError(f"index child failed: {done.stderr.strip()[-2000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _profile_lines(stats: pstats.Stats, label: str, count: int = 16) -> list[str]:
    table = stats.stats  # type: ignore[attr-defined]
    ranked = sorted(table.items(), key=lambda item: item[1][3], reverse=True)
    lines = []
    for (filename, line, name), (_cc, calls, _tt, cumulative, _callers) in ranked:
        if "recordsdesk/" in filename or name in ("execute", "fetchall", "_execute_context"):
            where = filename.split("recordsdesk/")[-1] if "recordsdesk/" in filename else filename
            where = where.split("site-packages/")[-1]
            lines.append(
                f"profile ({label}): {where}:{line} {name:<22} {cumulative:8.3f} s {calls:>8}"
            )
        if len(lines) == count:
            break
    return lines


def run(config: Config) -> list[Row]:
    sizes = sizes_for(config)
    chosen = backends_wanted()
    rounds = int(os.environ.get("RD_BENCH_SEARCH_ROUNDS", QUICK_ROUNDS if config.quick else ROUNDS))
    rows: list[Row] = []
    with ExitStack() as stack:
        work = stack.enter_context(work_dir(config, "search"))
        pg_url = stack.enter_context(_postgres_url("postgresql" in chosen))
        sqlite_path = work / "search.sqlite"
        urls: dict[str, str] = {}
        if "sqlite" in chosen:
            urls["sqlite"] = sqlite_url(sqlite_path)
            migrated(urls["sqlite"])
        if pg_url is not None:
            urls["postgresql"] = pg_url
        log(config, f"work dir {work}; stores: {', '.join(urls)}")
        built = build_stores(list(urls.values()), sizes)
        log(
            config,
            f"built {sizes.records:,} records in {sizes.dossiers:,} dossiers, "
            f"{built.text_bytes / MB:.0f} MB of text, in {', '.join(urls)} "
            f"({built.seconds:.1f} s, untimed)",
        )
        for backend, url in urls.items():
            rows += _one_store(config, backend, url, sqlite_path, work, sizes, rounds)
    return rows


def _one_store(
    config: Config,
    backend: str,
    url: str,
    sqlite_path: Path,
    work: Path,
    sizes: Sizes,
    rounds: int,
) -> list[Row]:
    if backend == "sqlite":
        bare_s, bare_rows = bare_index_sqlite(sqlite_path, work / "bare.sqlite")
        bare_label = "bare FTS5 INSERT…SELECT"
    else:
        bare_s, bare_rows = bare_index_postgresql(url)
        bare_label = "bare to_tsvector + GIN"
    log(config, f"{backend}: bare index of {bare_rows:,} texts: {bare_s:.1f} s")
    built = _index_child(url)
    entries, pending = index_counts(url)
    if (built["indexed"], entries, pending) != (sizes.objects, sizes.objects, 0):
        raise RuntimeError(
            f"{backend}: indexed {built['indexed']}, {entries} entries, {pending} pending; "
            f"expected {sizes.objects} entries and nothing pending"
        )
    if backend == "postgresql":
        analyse_postgresql(url)
        size = database_size(url)
    else:
        size = sqlite_path.stat().st_size
    log(
        config,
        f"{backend}: ours indexed {entries:,} objects in {built['seconds']:.1f} s, "
        f"peak RSS {built['peak'] / MB:.0f} MB; store {size / MB:.0f} MB",
    )
    queries = make_queries(sizes.dossiers)
    texts = [q for _kind, q in queries]
    runner: Runner = SqliteRunner(url, sqlite_path) if backend == "sqlite" else PgRunner(url)
    try:
        for text in [*texts, *(q for pair in SAME_HITS for q in pair)]:
            runner.prepare(text)
        problems = [p for text in texts for p in runner.check(text)]
        for plain, other in SAME_HITS:
            a, b = runner.count(plain), runner.count(other)
            if a != b or (not config.quick and a == 0):
                problems.append(f"{plain!r} finds {a}, {other!r} finds {b}")
        if problems:
            raise RuntimeError(f"{backend}: search gives wrong answers: {problems[:5]}")
        hits = [runner.count(text) for text in texts]
        log(config, f"{backend}: {len(texts)} queries checked; timing {rounds} rounds")
        timings = time_queries(runner, texts, rounds)
        profile_notes = _profile_notes(config, backend, url, runner, texts, work)
    finally:
        runner.close()
    return _rows(backend, sizes, built, bare_s, bare_rows, bare_label, queries, hits, timings,
                 profile_notes)  # fmt: skip


def _profile_notes(
    config: Config, backend: str, url: str, runner: Runner, texts: list[str], work: Path
) -> list[str]:
    if not config.profile:
        return []
    profiler = cProfile.Profile()
    for text in texts:
        profiler.runcall(runner.ours, text)
    notes = _profile_lines(pstats.Stats(profiler), f"{backend} queries")
    # the build again under cProfile: everything marked anew, so each entry is replaced
    from recordsdesk.search import index

    with runner.engine.begin() as connection:
        index.rebuild(connection)
    stats = work / f"{backend}-index.prof"
    _index_child(url, stats)
    return notes + _profile_lines(pstats.Stats(str(stats)), f"{backend} re-index")


def _rows(
    backend: str,
    sizes: Sizes,
    built: dict[str, Any],
    bare_s: float,
    bare_rows: int,
    bare_label: str,
    queries: list[tuple[str, str]],
    hits: list[int],
    timings: Timings,
    profile_notes: list[str],
) -> list[Row]:
    ours = [median(runs) * MS for runs in timings.ours]
    bare = [median(runs) * MS for runs in timings.bare]
    target = P95_TARGET_MS[backend]
    label = "bare FTS5 MATCH" if backend == "sqlite" else "bare tsquery @@"
    p95_ours, p95_bare = nearest_rank(ours, 0.95), nearest_rank(bare, 0.95)
    ratios = sorted(o / b for o, b in zip(ours, bare, strict=True) if b > 0)
    kinds: dict[str, list[int]] = {}
    for n, (kind, _text) in enumerate(queries):
        kinds.setdefault(kind, []).append(n)
    kind_notes = [
        f"{backend}: {kind:<14} ours p50 {median([ours[n] for n in ns]):7.1f} ms, max "
        f"{max(ours[n] for n in ns):7.1f} ms; bare p50 {median([bare[n] for n in ns]):7.1f} ms, "
        f"max {max(bare[n] for n in ns):7.1f} ms; hits p50 {median([hits[n] for n in ns]):.0f}"
        for kind, ns in kinds.items()
    ]
    slowest = sorted(range(len(ours)), key=lambda n: ours[n], reverse=True)[:5]
    slow_notes = [
        f"{backend}: slow: {queries[n][1]!r} ours {ours[n]:.1f} ms, bare {bare[n]:.1f} ms, "
        f"{hits[n]:,} hits"
        for n in slowest
    ]
    rate = sizes.objects / built["seconds"]
    return [
        Row(
            workload="search",
            case=f"{backend}: index build, {sizes.objects} objects",
            unit="rec/s",
            ours=rate,
            baseline=bare_rows / bare_s,
            baseline_label=bare_label,
            target=f">= {BUILD_TARGET:.0f} rec/s",
            met=rate >= BUILD_TARGET,
            runs_ours=[built["seconds"]],
            runs_baseline=[bare_s],
            notes=[
                f"{backend}: index build {built['seconds']:.1f} s for {sizes.objects:,} objects "
                f"({sizes.records:,} records of ~{sizes.words} words); the bare index of the "
                f"same texts {bare_s:.1f} s"
            ],
        ),
        Row(
            workload="search",
            case=f"{backend}: index build peak RSS",
            unit="MB",
            ours=built["peak"] / MB,
            baseline=built["after_open"] / MB,
            baseline_label="child after opening",
            target="(info)",
            met=None,
        ),
        Row(
            workload="search",
            case=f"{backend}: first page, p50",
            unit="ms",
            ours=median(ours),
            baseline=median(bare),
            baseline_label=label,
            target="(info)",
            met=None,
            runs_ours=ours,
            runs_baseline=bare,
        ),
        Row(
            workload="search",
            case=f"{backend}: first page, p95",
            unit="ms",
            ours=p95_ours,
            baseline=p95_bare,
            baseline_label=label,
            target=f"< {target:.0f} ms",
            met=p95_ours < target,
        ),
        Row(
            workload="search",
            case=f"{backend}: first page, {len(ours)} queries summed",
            unit="ms",
            ours=sum(ours),
            baseline=sum(bare),
            baseline_label=label,
            target=f"ratio <= {RATIO_TARGET}",
            met=sum(ours) <= RATIO_TARGET * sum(bare),
            notes=[
                f"{backend}: per-query ratio ours/bare: median {median(ratios):.2f}, "
                f"p95 {nearest_rank(ratios, 0.95):.2f}, max {ratios[-1]:.2f}",
                *kind_notes,
                *slow_notes,
                *profile_notes,
            ],
        ),
    ]


WORKLOAD = Workload(
    name="search",
    description="index 200,000 records of Dutch text and run 100 queries, SQLite and "
    "PostgreSQL, vs bare FTS5/tsquery",
    run=run,
)
