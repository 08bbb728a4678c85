"""When is a dropped file complete? A pure tracker with an injected clock.

Watcher events and rescans only *mark* paths (:meth:`StabilityTracker.mark`);
they never decide. :meth:`StabilityTracker.poll` probes every marked path and
reports the ones that are ready to be claimed. Contract: a path is reported
stable only when

* it is a regular file that is not litter (see :func:`is_ignored`),
* its size and modification time have not changed for ``quiet_period``
  seconds of the injected clock, measured from the last probe that saw a
  change (so a file written slowly, a kilobyte every 100 ms, is never taken
  early),
* it can be opened for reading (a scanner or a Windows share may still hold it),
* no Office or LibreOffice lock file stands beside it (the document is open).

A path that disappears is forgotten; one that stays busy is probed again on
the next poll. :meth:`StabilityTracker.mark` probes too, so the quiet period
counts from the change that was marked. Each stable path is reported once; marking it again (a new
event) starts over. The tracker does no I/O beyond its ``probe``, which tests
may replace, and never sleeps.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import stat
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_QUIET_PERIOD = 2.0
# From this many tracked files in one folder, one directory read is cheaper than
# a system call per lock-file name (three per file); below it, a big folder with
# one new file is not read whole on every poll.
LISTING_FROM = 16

# Litter from office suites, browsers, sync tools and operating systems.
IGNORED_PATTERNS = (
    "~$*",
    ".~lock.*#",
    "*.tmp",
    "*.part",
    "*.crdownload",
    "*.partial",
    "*.download",
    "Thumbs.db",
    "desktop.ini",
    ".DS_Store",
    "._*",
    ".*",  # hidden files
)


def is_ignored(name: str, extra_patterns: Iterable[str] = ()) -> bool:
    """True for litter: temp, partial-download, lock and hidden files.

    Patterns are shell-style (``fnmatch``) and compared without regard to case.
    """
    return _litter(tuple(extra_patterns)).match(name.lower()) is not None


@functools.lru_cache(maxsize=64)
def _litter(extra_patterns: tuple[str, ...]) -> re.Pattern[str]:
    # one compiled alternation instead of a dozen fnmatch calls per file name:
    # this runs for every candidate on every rescan
    patterns = (*IGNORED_PATTERNS, *extra_patterns)
    return re.compile("|".join(fnmatch.translate(p.lower()) for p in patterns))


def lock_names(name: str) -> list[str]:
    """The names of the lock files an office suite keeps beside ``name`` while it is open.

    Word and Excel write ``~$`` + the name, with its first two characters
    dropped for names of 8 characters or more and the first one for names of 7;
    LibreOffice writes ``.~lock.<name>#``. Checking a candidate too many only
    means waiting while such a file exists.
    """
    candidates = {f"~${name}", f".~lock.{name}#"}
    dot = name.rfind(".")
    stem_length = dot if dot > 0 else len(name)
    if stem_length >= 8:
        candidates.add(f"~${name[2:]}")
    elif stem_length == 7:
        candidates.add(f"~${name[1:]}")
    return sorted(candidates)


@dataclass(frozen=True)
class FileState:
    """What a probe saw: enough to notice any change to the file."""

    size: int
    mtime_ns: int
    inode: int
    readable: bool
    locked_by_office: bool


def probe_file(path: Path, siblings: Container[str] | None = None) -> FileState | None:
    """The real probe: ``None`` when the path is gone or not a regular file.

    ``siblings``, when given, is the case-folded names in the file's folder
    (see :func:`folder_names`), read just before; lock files are looked up
    there instead of with a system call each.
    """
    try:
        info = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        readable = False
    else:
        os.close(fd)
        readable = True
    # plain strings here: this runs twice for every file that comes in
    folder, name = os.path.split(os.fspath(path))
    if siblings is not None:
        locked = any(lock.casefold() in siblings for lock in lock_names(name))
    else:
        locked = any(_exists(os.path.join(folder, lock)) for lock in lock_names(name))  # noqa: PTH118
    return FileState(info.st_size, info.st_mtime_ns, info.st_ino, readable, locked)


def folder_names(folder: Path) -> frozenset[str] | None:
    """The case-folded names in ``folder`` (None: unreadable). Case-folded because
    shares and Windows disks match names without regard to case; a false match
    only means waiting for a lock file that is not there."""
    try:
        with os.scandir(folder) as entries:
            return frozenset(entry.name.casefold() for entry in entries)
    except OSError:
        return None


def _exists(path: str) -> bool:
    """Like ``Path.exists``, but a name too long to exist (ENAMETOOLONG) does not."""
    try:
        os.lstat(path)
    except OSError:
        return False
    return True


@dataclass
class _Tracked:
    state: FileState | None
    quiet_since: float


class StabilityTracker:
    """Decides when marked files are complete; see the module contract."""

    def __init__(
        self,
        clock: Callable[[], float],
        quiet_period: float = DEFAULT_QUIET_PERIOD,
        probe: Callable[[Path], FileState | None] = probe_file,
        extra_ignored: Iterable[str] = (),
    ) -> None:
        if quiet_period < 0:
            raise ValueError("quiet_period must not be negative")
        self._clock = clock
        self._quiet_period = quiet_period
        self._probe = probe
        self._extra_ignored = tuple(extra_ignored)
        self._tracked: dict[Path, _Tracked] = {}

    def mark(self, path: Path) -> bool:
        """Note that ``path`` appeared or changed; False when it is litter."""
        return bool(self.mark_many([path]))

    def mark_many(self, paths: Iterable[Path]) -> list[Path]:
        """:meth:`mark` for many paths at once; returns those that are not litter."""
        marked = [p for p in paths if not is_ignored(p.name, self._extra_ignored)]
        # A new event restarts the quiet period: the writer is evidently active.
        # Probing now lets the quiet period count from this change, not from
        # the next poll (which may come a poll interval later).
        states = self._probe_all(marked)
        now = self._clock()
        for path in marked:
            self._tracked[path] = _Tracked(state=states[path], quiet_since=now)
        return marked

    def _probe_all(self, paths: Sequence[Path]) -> dict[Path, FileState | None]:
        """Probe each path. With the real probe, a folder holding many of them is
        read once for the lock-file check instead of a system call per lock name."""
        if self._probe is not probe_file:
            return {path: self._probe(path) for path in paths}
        by_folder: dict[Path, list[Path]] = {}
        for path in paths:
            by_folder.setdefault(path.parent, []).append(path)
        found: dict[Path, FileState | None] = {}
        for folder, members in by_folder.items():
            siblings = folder_names(folder) if len(members) >= LISTING_FROM else None
            for path in members:
                found[path] = probe_file(path, siblings)
        return found

    def tracks(self, path: Path) -> bool:
        return path in self._tracked

    @property
    def pending(self) -> frozenset[Path]:
        return frozenset(self._tracked)

    def next_due(self) -> float | None:
        """The earliest future clock time at which a tracked file may be stable."""
        now = self._clock()
        dues = [t.quiet_since + self._quiet_period for t in self._tracked.values()]
        return min((due for due in dues if due > now), default=None)

    def poll(self) -> list[Path]:
        """Probe every marked path; return (and stop tracking) the stable ones."""
        now = self._clock()
        stable: list[Path] = []
        states = self._probe_all(list(self._tracked))
        for path, tracked in list(self._tracked.items()):
            state = states[path]
            if state is None:
                del self._tracked[path]
                continue
            if state != tracked.state:
                tracked.state = state
                tracked.quiet_since = now
                continue
            if not state.readable or state.locked_by_office:
                continue
            if now - tracked.quiet_since >= self._quiet_period:
                del self._tracked[path]
                stable.append(path)
        return sorted(stable)
