"""Running intake: once over what is there, or continuously with watchdog.

Both resume unfinished items first (a crash may have left items ``claimed`` or
``stored``, or an original not yet moved), then bring stable files in through
:func:`recordsdesk.intake.pipeline.take_many`, one round per poll: every file
that became stable since the last poll is taken together. Watchdog events only
mark paths; a periodic rescan catches what events miss (network shares,
start-up). ``watch`` re-reads the drop folders every few seconds, so a folder
added (or removed, or a share that comes back) while it runs is picked up.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from recordsdesk import names
from recordsdesk.db.models import InboxItem
from recordsdesk.intake import pipeline
from recordsdesk.intake.folders import DropFolderInfo, list_drop_folders
from recordsdesk.intake.stability import DEFAULT_QUIET_PERIOD, StabilityTracker, is_ignored
from recordsdesk.intake.states import InboxState
from recordsdesk.services.workspace import Workspace
from recordsdesk.store.batch import DISK_FULL

log = logging.getLogger(__name__)
S = InboxState
RESCAN_SECONDS = 30.0
POLL_SECONDS = 0.25
MIN_WAIT_SECONDS = 0.02
FOLDERS_SECONDS = 2.0
PASSING_REASONS = (DISK_FULL,)  # quarantine reasons that go away by themselves
ROUND_LIMIT = 2000  # files per round: bounds memory and the length of one transaction
# watchdog events for a file that was only opened or read, never written
READ_ONLY_EVENTS = frozenset({"opened", "closed_no_write"})


def retry_passing(ws: Workspace) -> int:
    """Claim again the items quarantined for a passing reason (a full disk).

    Only while the original is still the file that was claimed; a changed file
    is a new file to the next rescan. Returns how many items were reopened.
    """
    with ws.sessions() as session, session.begin():
        items = session.scalars(
            select(InboxItem).where(
                InboxItem.state == S.QUARANTINED.value, InboxItem.reason.in_(PASSING_REASONS)
            )
        ).all()
        reopened = 0
        for item in items:
            now = pipeline.fingerprint(names.path_from_text(item.source_path))
            taken = pipeline.Fingerprint(
                item.source_size, item.source_mtime_ns, item.source_inode or 0
            )
            if now != taken:
                continue
            item.state = S.CLAIMED.value
            item.reason = item.reason_params = None
            item.attempts += 1
            item.updated_at = ws.clock()
            reopened += 1
    return reopened


def resume(ws: Workspace) -> int:
    """Finish what a previous run left half-done; returns how many items it touched.

    Items quarantined for a passing reason (a full disk) are claimed again first.
    """
    retry_passing(ws)
    folders = {f.id: f for f in list_drop_folders(ws)}
    unfinished = (S.CLAIMED.value, S.STORED.value, S.READY.value, S.DUPLICATE.value)
    with ws.readers() as session:
        rows = session.execute(
            select(
                InboxItem.id,
                InboxItem.drop_folder_id,
                InboxItem.source_path,
                InboxItem.source_size,
                InboxItem.source_mtime_ns,
                InboxItem.source_inode,
                InboxItem.state,
                InboxItem.source_name,
                InboxItem.sha256,
            ).where(InboxItem.state.in_(unfinished))
        ).all()
    claims: list[pipeline.Claim] = []
    for row in rows:
        folder = folders.get(row.drop_folder_id) if row.drop_folder_id else None
        if folder is None:  # its drop folder was removed: the item waits in the inbox
            continue
        taken = pipeline.Fingerprint(row.source_size, row.source_mtime_ns, row.source_inode or 0)
        path = names.path_from_text(row.source_path)
        claims.append(
            pipeline.Claim(row.id, folder, path, taken, S(row.state), row.source_name, row.sha256)
        )
    for start in range(0, len(claims), ROUND_LIMIT):
        pipeline.resume_claims(ws, claims[start : start + ROUND_LIMIT])
    return len(claims)


def _folder_of(path: Path, folders: list[DropFolderInfo]) -> DropFolderInfo | None:
    for folder in folders:
        if folder.path in path.parents:
            return folder
    return None


def _take_rounds(ws: Workspace, stable: list[Path], owner: dict[Path, DropFolderInfo]) -> list[str]:
    touched: list[str] = []
    files = [(owner.pop(path), path) for path in stable if path in owner]
    for start in range(0, len(files), ROUND_LIMIT):
        touched += pipeline.take_many(ws, files[start : start + ROUND_LIMIT])
    return touched


def process_once(
    ws: Workspace,
    quiet_period: float = DEFAULT_QUIET_PERIOD,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    max_wait: float = 120.0,
) -> list[str]:
    """Bring in every file that is complete now; returns the ids of the items touched.

    Files still being written when ``max_wait`` seconds have passed are left for
    the next run (nothing is lost: they stay in their folder).
    """
    resume(ws)
    folders = list_drop_folders(ws)
    tracker = StabilityTracker(clock, quiet_period)
    owner: dict[Path, DropFolderInfo] = {}
    for folder in folders:
        for path in tracker.mark_many(pipeline.candidates(folder)):
            owner[path] = folder
    touched: list[str] = []
    deadline = clock() + max_wait
    while tracker.pending and clock() < deadline:
        touched += _take_rounds(ws, tracker.poll(), owner)
        if tracker.pending:
            sleep(_wait(tracker, clock))
    return touched


def _wait(tracker: StabilityTracker, clock: Callable[[], float]) -> float:
    """How long to sleep: until the next file may be stable, within bounds."""
    due = tracker.next_due()
    if due is None:
        return POLL_SECONDS
    return min(POLL_SECONDS, max(MIN_WAIT_SECONDS, due - clock()))


def watch(
    ws: Workspace,
    stop: threading.Event,
    quiet_period: float = DEFAULT_QUIET_PERIOD,
    rescan_seconds: float = RESCAN_SECONDS,
    on_item: Callable[[str], None] | None = None,
) -> None:
    """Run until ``stop`` is set: events and rescans mark, the tracker decides."""
    events: queue.Queue[Path] = queue.Queue()
    resume(ws)
    observers = _Observers(events)
    tracker = StabilityTracker(time.monotonic, quiet_period)
    owner: dict[Path, DropFolderInfo] = {}
    folders: list[DropFolderInfo] = []
    next_rescan = next_folders = 0.0
    try:
        while not stop.is_set():
            now = time.monotonic()
            if now >= next_folders:
                known = {f.id for f in folders}
                folders = list_drop_folders(ws)
                observers.follow(folders)
                if any(f.id not in known for f in folders):
                    next_rescan = now  # a new folder: look at what it holds now
                next_folders = now + FOLDERS_SECONDS
            if now >= next_rescan:
                if retry_passing(ws):
                    resume(ws)  # e.g. the disk has room again
                for folder in folders:
                    for path in pipeline.candidates(folder):
                        if not tracker.tracks(path) and tracker.mark(path):
                            owner[path] = folder
                next_rescan = time.monotonic() + rescan_seconds
            _mark_events(events, folders, tracker, owner)
            for item_id in _take_rounds(ws, tracker.poll(), owner):
                if on_item is not None:
                    on_item(item_id)
            _next_event(events, stop, _wait(tracker, time.monotonic))
    finally:
        observers.stop_all()


def _mark_events(
    events: queue.Queue[Path],
    folders: list[DropFolderInfo],
    tracker: StabilityTracker,
    owner: dict[Path, DropFolderInfo],
) -> None:
    while not events.empty():
        path = events.get_nowait()
        home = _folder_of(path, folders)
        if home is None or home.processed_dir in path.parents or home.processed_dir == path:
            continue
        if not home.recursive and path.parent != home.path:
            continue
        if any(is_ignored(part, home.ignore) for part in path.relative_to(home.path).parts):
            continue
        if tracker.mark(path):
            owner[path] = home


def _next_event(events: queue.Queue[Path], stop: threading.Event, timeout: float) -> None:
    """Sleep until an event arrives, the next file may be stable, or stop is set."""
    deadline = time.monotonic() + timeout
    while not stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0 or not events.empty():
            return
        stop.wait(min(left, 0.05))


class _Observers:
    """One watchdog observer per drop folder, kept in step with the folder list.

    A folder that is gone (an unmounted share) has no observer; when it comes
    back (or is replaced by another directory) it gets a new one.
    """

    def __init__(self, events: queue.Queue[Path]) -> None:
        self._events = events
        self._running: dict[str, tuple[int, Any]] = {}  # folder id: (dir inode, observer)

    def follow(self, folders: list[DropFolderInfo]) -> None:
        wanted = {f.id: f for f in folders}
        for folder_id in list(self._running):
            if folder_id not in wanted:
                self._stop(folder_id)
        for folder in folders:
            try:
                inode = folder.path.stat().st_ino if folder.path.is_dir() else None
            except OSError:
                inode = None
            running = self._running.get(folder.id)
            if running is not None and (inode is None or running[0] != inode):
                self._stop(folder.id)
                running = None
            if running is None and inode is not None:
                self._start(folder, inode)

    def _start(self, folder: DropFolderInfo, inode: int) -> None:
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        observer = PollingObserver(timeout=1) if folder.polling else Observer()
        try:
            observer.schedule(_handler(self._events), str(folder.path), recursive=folder.recursive)
            observer.start()
        except OSError as exc:  # vanished between the check and the watch: next time
            log.warning("cannot watch %s yet: %s", folder.path, exc)
            return
        self._running[folder.id] = (inode, observer)

    def _stop(self, folder_id: str) -> None:
        _inode, observer = self._running.pop(folder_id)
        observer.stop()
        observer.join(timeout=5)

    def stop_all(self) -> None:
        for folder_id in list(self._running):
            self._stop(folder_id)


def _handler(events: queue.Queue[Path]) -> Any:
    from watchdog.events import FileSystemEvent, FileSystemEventHandler

    class Handler(FileSystemEventHandler):
        # runs on watchdog's thread: only hand the path over
        def on_any_event(self, event: FileSystemEvent) -> None:
            # Reads (our own stability probe and copy among them) change nothing;
            # marking on them would restart the quiet period forever.
            if event.is_directory or event.event_type in READ_ONLY_EVENTS:
                return
            target = getattr(event, "dest_path", "") or event.src_path
            events.put(Path(os.fsdecode(target)))

    return Handler()
