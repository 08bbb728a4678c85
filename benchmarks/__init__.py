"""RecordsDesk benchmarks: each workload is timed against a baseline measured in the same run.

A workload is a module in this package (not starting with ``_``) that defines
``WORKLOAD``, a :class:`Workload`. ``python -m benchmarks`` (``make bench``)
discovers and runs them and prints one table per workload. Benchmarks report;
they never fail on a missed target.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


@dataclass(frozen=True)
class Config:
    """What to run and how big; the defaults are the figures of issue 2, item 10."""

    quick: bool = False
    work_root: Path | None = None  # parent of the temp work dir; None: the system temp dir
    keep: bool = False  # keep the work dir (generated files, homes) for inspection
    small_count: int = 1000
    small_size: int = 100 * KIB
    big_size: int = GIB
    runs_small: int = 3
    runs_big: int = 2
    profile: bool = False  # one extra, untimed run under cProfile: where the time goes
    verbose: bool = True

    @classmethod
    def quick_config(cls, **overrides: object) -> Config:
        values: dict[str, object] = {
            "quick": True,
            "small_count": 20,
            "small_size": 16 * KIB,
            "big_size": 4 * MIB,
            "runs_small": 1,
            "runs_big": 1,
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


@dataclass
class Row:
    """One line of a workload's table.

    ``ours`` and ``baseline`` are medians in ``unit``; ``ratio`` is ours / baseline.
    ``met`` is ``None`` for rows shown for information only (no target).
    """

    workload: str
    case: str
    unit: str
    ours: float
    baseline: float
    baseline_label: str
    target: str
    met: bool | None
    runs_ours: list[float] = field(default_factory=list)
    runs_baseline: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else float("inf")


@dataclass(frozen=True)
class Workload:
    name: str
    description: str
    run: Callable[[Config], list[Row]]


def log(config: Config, message: str) -> None:
    if config.verbose:
        print(f"  .. {message}", flush=True)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def sync_all() -> None:
    """Flush every dirty page (untimed), so one measurement's writeback never lands in the next."""
    if hasattr(os, "sync"):
        os.sync()


def require_tools(*names: str) -> None:
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        raise RuntimeError(f"baseline tools not found on PATH: {', '.join(missing)}")


def timed_commands(commands: Sequence[Sequence[str]], cwd: Path) -> float:
    """Wall time of running ``commands`` one after the other (each must succeed)."""
    start = time.perf_counter()
    for command in commands:
        subprocess.run(list(command), cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


# On a file system without a journal (this machine's ext4), a new inode skips
# every inode freed in the last 60 s (RECENTCY_MIN in the kernel's
# fs/ext4/ialloc.c, recently_deleted()), reading the inode table for each. A run
# that creates thousands of files right after the harness deleted thousands paid
# up to 2 s of system time for the harness's clean-up. settle() waits that out.
INODE_REUSE_WINDOW_S = 65.0
BIG_REMOVAL = 1000  # entries; below this the penalty is lost in the noise
_last_big_removal: float | None = None


def remove_tree(path: Path, ignore_errors: bool = False) -> None:
    """Remove ``path`` and everything under it; notes when that freed many inodes."""
    global _last_big_removal
    if path.exists():
        entries = sum(1 + len(files) for _root, _dirs, files in os.walk(path))
        shutil.rmtree(path, ignore_errors=ignore_errors)
        if entries >= BIG_REMOVAL:
            _last_big_removal = time.monotonic()


def settle(config: Config) -> float:
    """Wait (untimed) until the harness's last big removal is out of the file system's
    inode-reuse window (see :data:`INODE_REUSE_WINDOW_S`); returns the seconds waited."""
    if _last_big_removal is None:
        return 0.0
    wait = _last_big_removal + INODE_REUSE_WINDOW_S - time.monotonic()
    if wait <= 0:
        return 0.0
    log(config, f"waiting {wait:.0f} s: inodes the harness just freed are not reused for 60 s")
    time.sleep(wait)
    return wait


@contextmanager
def work_dir(config: Config, name: str) -> Iterator[Path]:
    """A fresh temp work dir (under ``config.work_root`` if given), removed afterwards."""
    if config.work_root is not None:
        config.work_root.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f"rd-bench-{name}-", dir=config.work_root))
    try:
        yield path
    finally:
        if config.keep:
            print(f"  .. kept work dir {path}")
        else:
            remove_tree(path, ignore_errors=True)


def write_random_file(path: Path, size: int, chunk: int = 4 * MIB) -> None:
    with path.open("wb") as handle:
        left = size
        while left:
            step = min(chunk, left)
            handle.write(os.urandom(step))
            left -= step


def human_size(size: int) -> str:
    for unit, factor in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} B"


def profile_summary(
    profiler: cProfile.Profile, points: Sequence[tuple[str, str, str]], width: int = 46
) -> list[str]:
    """One line per (label, file suffix, function) point: cumulative time and calls.

    A file suffix of ``"~"`` selects built-in functions, as cProfile names them.
    """
    table = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    lines = []
    for label, suffix, function in points:
        calls, cumulative = 0, 0.0
        for (filename, _line, name), (_cc, ncalls, _tt, ct, _callers) in table.items():
            in_file = filename == "~" if suffix == "~" else filename.endswith(suffix)
            if in_file and name == function:
                calls += ncalls
                cumulative += ct
        if calls:
            lines.append(f"profile: {label:<{width}} {cumulative:8.3f} s  {calls:>7} calls")
    return lines
