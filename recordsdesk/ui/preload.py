"""Load the tool windows' modules in the background once the window is usable.

Start-up leaves them out (benchmark ``startup``); loaded on first use instead,
opening the search view or starting the first sync held the GUI thread for
0.2-0.3 s of imports (benchmark ``heartbeat``). A thread imports them right
after start-up, while the user reads the lists: Python hands the interpreter
to the GUI thread every few milliseconds meanwhile, so the window stays
responsive, and later the first opening only builds widgets.

The modules define classes and functions only; nothing at import time creates
a Qt object, so importing them off the GUI thread is safe.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Callable

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


def preload(
    modules: tuple[str, ...] = MODULES, done: Callable[[], None] | None = None
) -> threading.Thread:
    """Import ``modules`` on a background thread; returns the (started) thread.
    ``done`` is called on that thread when the last one is in (emit a signal).

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
        if done is not None:
            try:
                done()
            except RuntimeError:  # its receiver was deleted meanwhile (the window closed)
                log.debug("preloading done, nobody left to tell")

    thread = threading.Thread(target=run, name="rd-preload")
    thread.start()
    return thread


__all__ = ["MODULES", "preload"]
