"""Running intake: once over what is there, or continuously with watchdog.

Both resume unfinished items first (a crash may have left items ``claimed`` or
``stored``, or an original not yet moved), then bring stable files in through
:func:`recordsdesk.intake.pipeline.take`. Watchdog events only mark paths; a
periodic rescan catches what events miss (network shares, start-up).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from recordsdesk.db.models import InboxItem
from recordsdesk.intake import pipeline
from recordsdesk.intake.folders import DropFolderInfo, list_drop_folders
from recordsdesk.intake.stability import DEFAULT_QUIET_PERIOD, StabilityTracker
from recordsdesk.intake.states import InboxState
from recordsdesk.services.workspace import Workspace

log = logging.getLogger(__name__)
S = InboxState
RESCAN_SECONDS = 30.0
POLL_SECONDS = 0.25
# watchdog events for a file that was only opened or read, never written
READ_ONLY_EVENTS = frozenset({"opened", "closed_no_write"})


def resume(ws: Workspace) -> int:
    """Finish what a previous run left half-done; returns how many items it touched."""
    folders = {f.id: f for f in list_drop_folders(ws)}
    unfinished = (S.CLAIMED.value, S.STORED.value, S.READY.value, S.DUPLICATE.value)
    with ws.readers() as session:
        rows = session.execute(
            select(InboxItem.id, InboxItem.drop_folder_id, InboxItem.source_path).where(
                InboxItem.state.in_(unfinished)
            )
        ).all()
    touched = 0
    for item_id, folder_id, source in rows:
        folder = folders.get(folder_id) if folder_id else None
        if folder is None:  # its drop folder was removed: the item waits in the inbox
            continue
        pipeline.resume_item(ws, folder, item_id, Path(source))
        touched += 1
    return touched


def _folder_of(path: Path, folders: list[DropFolderInfo]) -> DropFolderInfo | None:
    for folder in folders:
        if folder.path in path.parents:
            return folder
    return None


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
        for path in pipeline.candidates(folder):
            if tracker.mark(path):
                owner[path] = folder
    touched: list[str] = []
    deadline = clock() + max_wait
    while tracker.pending and clock() < deadline:
        for path in tracker.poll():
            item_id = pipeline.take(ws, owner[path], path)
            if item_id is not None:
                touched.append(item_id)
        if tracker.pending:
            sleep(min(POLL_SECONDS, max(quiet_period, 0.01)))
    return touched


def watch(
    ws: Workspace,
    stop: threading.Event,
    quiet_period: float = DEFAULT_QUIET_PERIOD,
    rescan_seconds: float = RESCAN_SECONDS,
    on_item: Callable[[str], None] | None = None,
) -> None:
    """Run until ``stop`` is set: events and rescans mark, the tracker decides."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    events: queue.Queue[Path] = queue.Queue()

    class Handler(FileSystemEventHandler):
        # runs on watchdog's thread: only hand the path over
        def on_any_event(self, event: FileSystemEvent) -> None:
            # Reads (our own stability probe and copy among them) change nothing;
            # marking on them would restart the quiet period forever.
            if event.is_directory or event.event_type in READ_ONLY_EVENTS:
                return
            target = getattr(event, "dest_path", "") or event.src_path
            events.put(Path(str(target)))

    resume(ws)
    folders = list_drop_folders(ws)
    observers = []
    for folder in folders:
        observer = PollingObserver(timeout=1) if folder.polling else Observer()
        observer.schedule(Handler(), str(folder.path), recursive=folder.recursive)
        observer.start()
        observers.append(observer)
    tracker = StabilityTracker(time.monotonic, quiet_period)
    owner: dict[Path, DropFolderInfo] = {}
    next_rescan = 0.0
    try:
        while not stop.is_set():
            if time.monotonic() >= next_rescan:
                for folder in folders:
                    for path in pipeline.candidates(folder):
                        if path not in tracker.pending and tracker.mark(path):
                            owner[path] = folder
                next_rescan = time.monotonic() + rescan_seconds
            while not events.empty():
                path = events.get_nowait()
                home = _folder_of(path, folders)
                if (
                    home is not None
                    and home.processed_dir not in path.parents
                    and tracker.mark(path)
                ):
                    owner[path] = home
            for path in tracker.poll():
                item_id = pipeline.take(ws, owner.pop(path), path)
                if item_id is not None and on_item is not None:
                    on_item(item_id)
            stop.wait(POLL_SECONDS)
    finally:
        for observer in observers:
            observer.stop()
        for observer in observers:
            observer.join(timeout=5)
