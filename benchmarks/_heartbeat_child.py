"""Child process of the ``heartbeat`` workload: the GUI thread's largest stall under load.

``python -m benchmarks._heartbeat_child app HOME FILES`` starts the real application
(``recordsdesk.ui.app.main``, offscreen) on HOME, whose drop folder is watched.
When the main window has started its background work (its lists are shown) it
starts a heartbeat, a ``QTimer`` that ticks every ``TICK_MS`` on the GUI thread
and records the time between ticks. Once the window says its preloading of the tool
windows' modules is over (``MainWindow.preloaded``: the search view is made then,
hidden, and the reader process started), it prints ``READY`` (the parent then writes FILES
files into the drop folder), and meanwhile:

* starts a sync with the central archive (the embedded one: ``HOME/central.sqlite``);
* opens the search view and searches, again every ``SEARCH_EVERY_MS`` (a searcher
  at work while the inbox fills).

It stops when all FILES files are in the inbox, ready (or recognised as
duplicates), the sync has ended and a search has answered since the files came,
and prints one JSON line: the largest gap between two ticks, the 99th percentile,
the number of ticks, the five largest gaps with what was going on, and the time
intake took.

``python -m benchmarks._heartbeat_child bare SECONDS``: the baseline, the same
heartbeat in a bare PySide6 window with nothing else to do, for SECONDS.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

TICK_MS = 10
SEARCH_EVERY_MS = 1500
CHECK_EVERY_MS = 500
TIMEOUT_S = 600
QUERY = "stuk"
PRELOAD_WAIT_S = 30.0
STACK_AFTER_S = 0.06  # a gap this long is caught in the act (RD_HEARTBEAT_STACKS)


class Heartbeat:
    """Ticks on the GUI thread; each gap between two ticks is kept with the phase."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.gaps: list[float] = []
        #: (gap, at, phase, the GUI thread's own CPU time during the gap)
        self.worst: list[tuple[float, float, str, float]] = []
        self.phase = "idle"
        self.started = time.perf_counter()
        self._last = self.started
        self._last_cpu = time.thread_time()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        #: with RD_HEARTBEAT_STACKS=1: where the GUI thread was during each long gap
        self.stacks: list[str] = []
        if os.environ.get("RD_HEARTBEAT_STACKS"):
            threading.Thread(target=self._watch, name="rd-heartbeat-watch", daemon=True).start()

    def _watch(self) -> None:
        main = threading.main_thread().ident
        seen = 0.0
        while self.timer.isActive():
            time.sleep(0.02)
            last = self._last
            if time.perf_counter() - last > STACK_AFTER_S and last != seen and main is not None:
                seen = last
                names = {t.ident: t.name for t in threading.enumerate()}
                parts = []
                for ident, frame in sys._current_frames().items():
                    where = "".join(traceback.format_stack(frame, limit=30))
                    parts.append(f"-- thread {names.get(ident, ident)}:\n{where}")
                self.stacks.append(
                    f"at {last - self.started:.2f} s ({self.phase}):\n" + "".join(parts)
                )

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        gap, busy = now - self._last, cpu - self._last_cpu
        self._last, self._last_cpu = now, cpu
        self.gaps.append(gap)
        if len(self.worst) < 5 or gap > self.worst[-1][0]:
            self.worst.append((gap, now - self.started, self.phase, busy))
            self.worst.sort(reverse=True)
            del self.worst[5:]

    def summary(self) -> dict[str, Any]:
        self.timer.stop()
        for stack in self.stacks:
            print(stack, file=sys.stderr)
        ordered = sorted(self.gaps)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0
        return {
            "max_gap_ms": (ordered[-1] if ordered else 0.0) * 1000,
            "p99_gap_ms": p99 * 1000,
            "ticks": len(ordered),
            "seconds": time.perf_counter() - self.started,
            "worst": [
                {"gap_ms": g * 1000, "at_s": round(at, 2), "phase": phase, "cpu_ms": c * 1000}
                for g, at, phase, c in self.worst
            ],
        }


def bare(seconds: float, stop_file: str | None = None) -> int:
    """The heartbeat of an idle bare window for ``seconds``, or (``stop_file``) until that
    file exists: beside the app under load, it shows what the machine alone leaves."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    beat = Heartbeat()

    def done() -> None:
        if window.isVisible():  # once: the time limit and the stop file may both come
            print(json.dumps(beat.summary()), flush=True)
            window.close()

    QTimer.singleShot(round(seconds * 1000), done)
    if stop_file is not None:
        poll = QTimer()
        poll.timeout.connect(lambda: done() if Path(stop_file).exists() else None)
        poll.start(100)
    print("READY", flush=True)
    return app.exec()


def app(home: str, files: int) -> int:
    from recordsdesk.ui import app as entry
    from recordsdesk.ui.mainwindow import MainWindow

    from PySide6.QtCore import QTimer  # isort: skip
    from PySide6.QtWidgets import QApplication  # isort: skip

    qt_app = QApplication([sys.argv[0]])  # main() uses the one that exists
    state: dict[str, Any] = {}

    def hook() -> None:
        windows = [w for w in qt_app.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows:
            QTimer.singleShot(1, hook)
            return
        when_started(windows[0])

    def when_started(window: MainWindow) -> None:
        # the window starts its background work (sync, watching, preloading the tool
        # windows' modules) once its lists show: the heartbeat starts then, the user's
        # work when the window says preloading is over (a user reads the lists first)
        if window.sync.scheduler.runner.home is None:
            QTimer.singleShot(10, lambda: when_started(window))
            return
        state["beat"] = Heartbeat()
        state["beat"].phase = "start-up background work"
        state["preloaded"] = False
        window.preloaded.connect(lambda: state.update(preloaded=True))
        after_preload(window)

    def after_preload(window: MainWindow) -> None:
        # ``preloaded`` comes after the last module is in, and the search view is made
        # then (hidden): wait for it, not for the thread alone (or give up after a while)
        waited = time.perf_counter() - state["beat"].started
        if state["preloaded"] or waited > PRELOAD_WAIT_S:
            QTimer.singleShot(0, lambda: begin(window))  # after the other slots of it
        else:
            QTimer.singleShot(10, lambda: after_preload(window))

    def begin(window: MainWindow) -> None:
        state.update(start=time.perf_counter(), synced=False, searched_after=False)
        state["beat"].phase = "intake+sync+search"
        print("READY", flush=True)  # the parent writes the files now
        window.sync.synced.connect(
            lambda: state.update(synced=True, synced_s=time.perf_counter() - state["start"])
        )
        if os.environ.get("RD_HEARTBEAT_NO_SYNC"):
            state.update(synced=True, synced_s=0.0)
        else:
            window.sync.scheduler.sync_now()
        search = window.show_search()
        search.searched.connect(lambda: state.update(searched_after=state.get("arrived", False)))

        def search_again() -> None:
            search.search(QUERY if search.query.text() != QUERY else QUERY + " ")

        searcher = QTimer(window)
        searcher.setInterval(SEARCH_EVERY_MS)
        searcher.timeout.connect(search_again)
        searcher.start()
        search_again()

        checker = QTimer(window)
        checker.setInterval(CHECK_EVERY_MS)
        checker.timeout.connect(lambda: check(window, checker, searcher))
        checker.start()

    def check(window: MainWindow, checker: QTimer, searcher: QTimer) -> None:
        def counted(ready: int) -> None:
            if ready >= files and "arrived" not in state:
                state["arrived"] = True
                state["intake_s"] = time.perf_counter() - state["start"]
                state["beat"].phase = "after intake"
            if state.get("arrived") and state["synced"] and state["searched_after"]:
                checker.stop()
                searcher.stop()
                finish(window)

        if time.perf_counter() - state["start"] > TIMEOUT_S:
            checker.stop()
            state["timed_out"] = True
            finish(window)
            return
        window.ops.db(_ready_items, counted, lambda _exc: None)

    def finish(window: MainWindow) -> None:
        figures = state["beat"].summary()
        figures.update(
            intake_s=state.get("intake_s"),
            synced=state["synced"],
            synced_s=state.get("synced_s"),
            timed_out=state.get("timed_out", False),
        )
        print(json.dumps(figures), flush=True)
        window.close()
        for widget in qt_app.topLevelWidgets():
            widget.close()

    QTimer.singleShot(0, hook)
    _returning_user()
    return entry.main(["--home", home])


def _ready_items(ws: Any) -> int:
    from sqlalchemy import func, select

    from recordsdesk.db.models import InboxItem

    with ws.readers() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(InboxItem)
                .where(InboxItem.state.in_(("ready", "duplicate")))
            )
            or 0
        )


def _returning_user() -> None:
    """Measure the window a returning user gets: the first-run assistant (once per
    user) has been seen (in the child's own XDG_CONFIG_HOME)."""
    from recordsdesk.ui import settings as ui_settings

    stored = ui_settings.default_settings()
    ui_settings.set_first_run_done(stored)
    stored.sync()


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "bare":
        raise SystemExit(bare(float(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None))
    raise SystemExit(app(sys.argv[2], int(sys.argv[3])))
