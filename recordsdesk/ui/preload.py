"""Load the tool windows' modules in the background once the window is usable.

Start-up leaves them out (benchmark ``startup``); loaded on first use instead,
opening the search view or starting the first sync held the GUI thread for
0.2-0.3 s of imports (benchmark ``heartbeat``). A thread imports them right
after start-up, while the user reads the lists: Python hands the interpreter
to the GUI thread every few milliseconds meanwhile, so the window stays
responsive, and later the first opening only builds widgets.

The modules define classes and functions only; nothing at import time creates
a Qt object, so importing them off the GUI thread is safe. The thread touches no
Qt object either: whoever wants to know when it is done watches the thread from
the GUI thread (:class:`recordsdesk.ui.mainwindow.MainWindow` does, with a timer).
Emitting a window's signal from it raced with the window's deletion (a crash in
the test suite when the window closed as the thread ended).
"""

from __future__ import annotations

import importlib
import logging
import threading
import time

log = logging.getLogger("recordsdesk.ui.preload")

PAUSE_S = 0.05
#: the modules start-up leaves out, roughly in the order a user needs them
MODULES = (
    "recordsdesk.ui.views.metadata",
    "recordsdesk.ui.views.search",
    "recordsdesk.ui.views.sync_panel",
    "recordsdesk.ui.views.retention",
    "recordsdesk.ui.views.woo",
    "recordsdesk.ui.views.scan_batches",
)


def preload(modules: tuple[str, ...] = MODULES) -> threading.Thread:
    """Import ``modules`` on a background thread; returns the (started) thread, which
    ends when the last one is in.

    A module that fails to import is only logged: opening its window later
    imports it again and shows that error where it belongs.
    """

    def run() -> None:
        for name in modules:
            time.sleep(PAUSE_S)  # the GUI thread catches up between two modules
            try:
                importlib.import_module(name)
            except Exception:
                log.warning("preloading %s failed", name, exc_info=True)

    thread = threading.Thread(target=run, name="rd-preload")
    thread.start()
    return thread


__all__ = ["MODULES", "preload"]
