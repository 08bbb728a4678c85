"""Workload ``store``: filing through the real service against ``sha256sum`` + ``cp``.

Cases (sizes from issue 2, item 10; see benchmarks/README.md):

* ``small``: 1,000 files of 100 KiB of random content filed into one dossier
  with one ``file_paths`` call, on a fresh home (SQLite working store);
* ``big``: one 1 GiB file of random content, the same way;
* ``rss``: peak resident set size of a child process that files the big file.

Baselines, run as subprocesses over the same source files: ``sha256sum`` of the
files, then ``cp --reflink=never`` of them into a fresh directory on the same
file system, timed together; and the same followed by ``sync`` (ours fsyncs
every object and its directory; plain ``cp`` leaves the data in the page
cache). The ratio target applies to plain ``sha256sum + cp``.

Fairness: ours and the baselines alternate (the order rotates every round),
each on a fresh destination; before every measurement the previous
destinations are removed and ``sync`` runs untimed, so no measurement pays for
another's writeback. The source files stay in the page cache for all of them.
Ours runs in this process after a warm-up filing (libmagic and siegfried
loaded once, as in the running app); only the ``file_paths`` call is timed.
"""

from __future__ import annotations

import cProfile
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks import (
    KIB,
    Config,
    Row,
    Workload,
    human_size,
    log,
    median,
    profile_summary,
    remove_tree,
    require_tools,
    sync_all,
    timed_commands,
    work_dir,
    write_random_file,
)

RATIO_TARGET = 1.5
RSS_TARGET_BYTES = 200 * 1000 * 1000  # "under 200 MB", decimal megabytes
PLAIN = "sha256sum + cp"
SYNCED = "sha256sum + cp + sync"
OPENSSL = "openssl sha256 + cp"

# (label, file name suffix or "~" for built-ins, function name) for the profile summary.
PROFILE_POINTS: tuple[tuple[str, str, str], ...] = (
    ("file_paths (total)", "filing.py", "file_paths"),
    ("  preflight (stat every path)", "filing.py", "preflight"),
    ("  object store put (copy+hash+fsync+rename)", "objects.py", "put"),
    ("    copy + hash (temp file)", "batch.py", "_copy_hashing"),
    ("    rename + fsync directories", "objects.py", "_commit"),
    ("  identification", "identify.py", "identify"),
    ("    libmagic (MIME)", "identify.py", "mime_type"),
    ("    siegfried (PUID, one file)", "identify.py", "pronom_puid"),
    ("  database: records, audit, commit", "filing.py", "_record_all"),
    ("    audit.append (hash chain)", "audit.py", "append"),
    ("    Workspace.next_kenmerk", "workspace.py", "next_kenmerk"),
    ("    Session.flush", "session.py", "flush"),
    ("    SQLite COMMIT", "~", "<method 'commit' of 'sqlite3.Connection' objects>"),
    ("all os.fsync calls", "~", "<built-in method posix.fsync>"),
)


# pstats.Stats.stats: (file, line, function) -> (primitive calls, calls, own, cumulative, callers)


def _baseline_commands(label: str, names: Sequence[str], dest: Path) -> list[list[str]]:
    hashing = (
        ["openssl", "dgst", "-sha256", *names] if label == OPENSSL else ["sha256sum", "--", *names]
    )
    commands = [hashing, ["cp", "--reflink=never", "--", *names, str(dest)]]
    if label == SYNCED:
        commands.append(["sync"])
    return commands


def _file_into_fresh_home(
    home: Path, paths: Sequence[Path], profiler: cProfile.Profile | None = None
) -> float:
    """Open a fresh workspace in ``home``, create a dossier, time ``file_paths`` only."""
    from recordsdesk.services.dossiers import create_dossier
    from recordsdesk.services.filing import file_paths
    from recordsdesk.services.workspace import open_workspace

    ws = open_workspace(home)
    try:
        kenmerk = create_dossier(ws, "Benchmark").kenmerk
        sync_all()
        if profiler is not None:
            profiler.enable()
        start = time.perf_counter()
        result = file_paths(ws, kenmerk, paths)
        elapsed = time.perf_counter() - start
        if profiler is not None:
            profiler.disable()
    finally:
        ws.close()
    if len(result.records) != len(paths):  # a sanity check, not a timing assertion
        raise RuntimeError(f"filed {len(result.records)} records for {len(paths)} files")
    return elapsed


def _store_only_into_fresh_home(home: Path, paths: Sequence[Path]) -> float:
    """Time the object store alone: hash while copying, durable batch commit.

    Shows what the storage layer costs without identification and database,
    for reading the full filing figure against.
    """
    from recordsdesk.store import ObjectStore

    store = ObjectStore(home / "objects")
    sync_all()
    start = time.perf_counter()
    with store.batch() as batch:
        for path in paths:
            batch.stage(path)
        batch.commit()
    return time.perf_counter() - start


def _count_objects(home: Path) -> int:
    # Objects live in objects/ab/cd/<sha256>; objects/tmp never matches "??".
    return sum(1 for p in (home / "objects").glob("??/??/*") if p.is_file())


def _warm_up(work: Path) -> float:
    """File one small file in a throwaway home: imports, libmagic, siegfried loaded."""
    warm = work / "warm-up.bin"
    write_random_file(warm, 4 * KIB)
    start = time.perf_counter()
    _file_into_fresh_home(work / "home-warm-up", [warm])
    elapsed = time.perf_counter() - start
    remove_tree(work / "home-warm-up")
    return elapsed


def _measure_case(
    config: Config,
    work: Path,
    case: str,
    src: Path,
    names: Sequence[str],
    runs: int,
) -> list[Row]:
    paths = [src / name for name in names]
    labels = [PLAIN, SYNCED] + ([OPENSSL] if shutil.which("openssl") else [])
    ours: list[float] = []
    store_only: list[float] = []
    baselines: dict[str, list[float]] = {label: [] for label in labels}
    scratch: list[Path] = []

    def fresh(kind: str, index: int) -> Path:
        for old in scratch:
            remove_tree(old)
        scratch.clear()
        sync_all()
        path = work / f"{kind}-{index}"
        scratch.append(path)
        return path

    def run_ours(index: int) -> None:
        home = fresh("home", index)
        ours.append(_file_into_fresh_home(home, paths))
        if _count_objects(home) != len(paths):
            raise RuntimeError(f"object store of {home} does not hold {len(paths)} objects")
        log(config, f"{case} run {index + 1}/{runs}: ours {ours[-1]:.3f} s")

    def run_store_only(index: int) -> None:
        home = fresh("store", index)
        store_only.append(_store_only_into_fresh_home(home, paths))
        log(config, f"{case} run {index + 1}/{runs}: object store only {store_only[-1]:.3f} s")

    def baseline_runner(label: str) -> Callable[[int], None]:
        def run_baseline(index: int) -> None:
            dest = fresh("cp", index)
            dest.mkdir()
            seconds = timed_commands(_baseline_commands(label, names, dest), cwd=src)
            baselines[label].append(seconds)
            log(config, f"{case} run {index + 1}/{runs}: {label} {seconds:.3f} s")

        return run_baseline

    contenders = [
        baseline_runner(PLAIN),
        run_ours,
        *(baseline_runner(x) for x in labels[1:]),
        run_store_only,
    ]
    for index in range(runs):
        shift = index % len(contenders)  # rotate, so nobody always goes first
        for contender in contenders[shift:] + contenders[:shift]:
            contender(index)
    for old in scratch:
        remove_tree(old)

    notes: list[str] = []
    if config.profile:
        profiler = cProfile.Profile()
        home = work / f"home-{case}-profile"
        sync_all()
        seconds = _file_into_fresh_home(home, paths, profiler)
        remove_tree(home)
        notes.append(f"profile: one extra untimed run under cProfile took {seconds:.3f} s")
        notes.extend(profile_summary(profiler, PROFILE_POINTS, 46))

    ours_median = median(ours)
    rows = []
    for label in labels:
        ratio = ours_median / median(baselines[label])
        rows.append(
            Row(
                workload="store",
                case=case,
                unit="s",
                ours=ours_median,
                baseline=median(baselines[label]),
                baseline_label=label,
                target=f"ratio <= {RATIO_TARGET}" if label == PLAIN else "(info)",
                met=ratio <= RATIO_TARGET if label == PLAIN else None,
                runs_ours=ours,
                runs_baseline=baselines[label],
                notes=notes if label == PLAIN else [],
            )
        )
    rows.append(
        Row(
            workload="store",
            case=f"{case}, object store only",
            unit="s",
            ours=median(store_only),
            baseline=median(baselines[PLAIN]),
            baseline_label=PLAIN,
            target="(info)",
            met=None,
            runs_ours=store_only,
            runs_baseline=baselines[PLAIN],
            notes=[],
        )
    )
    return rows


def _measure_rss(config: Config, work: Path, big: Path) -> Row:
    warm = work / "rss-warm.bin"
    write_random_file(warm, 4 * KIB)
    home = work / "home-rss"
    sync_all()
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks._rss_child", str(home), str(warm), str(big)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    remove_tree(home)
    mb = 1000 * 1000
    peak, after_open, after_warm = figures["peak"], figures["after_open"], figures["after_warm"]
    log(config, f"rss child: open {after_open / mb:.1f} MB, peak {peak / mb:.1f} MB")
    return Row(
        workload="store",
        case=f"rss {human_size(big.stat().st_size)}",
        unit="MB",
        ours=peak / mb,
        baseline=after_open / mb,
        baseline_label="same child before filing",
        target="peak < 200 MB",
        met=peak < RSS_TARGET_BYTES,
        runs_ours=[peak / mb],
        runs_baseline=[after_open / mb],
        notes=[
            f"rss: after imports + open workspace {after_open / mb:.1f} MB; after filing a "
            f"4 KiB file (libmagic + siegfried loaded) {after_warm / mb:.1f} MB; peak after "
            f"filing the big file {peak / mb:.1f} MB",
            f"rss: increase caused by filing {(peak - after_open) / mb:+.1f} MB, of which "
            f"identification engines {(after_warm - after_open) / mb:+.1f} MB and the big "
            f"file itself {(peak - after_warm) / mb:+.1f} MB "
            f"(child filed it in {figures['seconds']:.2f} s)",
        ],
    )


def run(config: Config) -> list[Row]:
    require_tools("sha256sum", "cp", "sync")
    rows: list[Row] = []
    with work_dir(config, "store") as work:
        log(config, f"work dir {work}")
        warm_seconds = _warm_up(work)
        log(config, f"warm-up filing (imports, libmagic, siegfried) {warm_seconds:.3f} s")

        small_case = f"{config.small_count} x {human_size(config.small_size)}"
        small = work / "src-small"
        small.mkdir()
        names = [f"doc-{index:05d}.bin" for index in range(config.small_count)]
        log(config, f"generating {small_case} of random content")
        for name in names:
            write_random_file(small / name, config.small_size)
        rows += _measure_case(config, work, small_case, small, names, config.runs_small)
        remove_tree(small)

        big_case = f"1 x {human_size(config.big_size)}"
        big_dir = work / "src-big"
        big_dir.mkdir()
        big = big_dir / "big.bin"
        log(config, f"generating {big_case} of random content")
        write_random_file(big, config.big_size)
        rows += _measure_case(config, work, big_case, big_dir, [big.name], config.runs_big)
        rows.append(_measure_rss(config, work, big))
        rows[0].notes.insert(
            0, f"warm-up filing before timing (one-time engine load): {warm_seconds:.3f} s"
        )
    return rows


WORKLOAD = Workload(
    name="store",
    description="file 1,000 x 100 KiB and 1 x 1 GiB through file_paths vs sha256sum + cp",
    run=run,
)
