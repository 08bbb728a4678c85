"""Python's cyclic garbage collection, run only on the GUI thread.

The collector normally runs in whichever thread happens to allocate when a
threshold is crossed. The window's work runs on worker threads (the database
worker, intake, sync), so a Qt object caught in a reference cycle (a dialog and a
lambda connected to its own signal, say) can be freed from one of them; Qt does
not allow that, and the process dies with a segmentation fault, at random and
long after the object was last used. Anki and qutebrowser hit the same and do the
same: automatic collection off, and a timer on the GUI thread that runs it.
Reference counting still frees almost everything at once; only cycles wait for
the timer.

A collection of the oldest generation looks at every object the application
holds: with the modules and the window loaded some 120,000, 25-45 ms on the GUI
thread. Once start-up is over (the tool windows' modules preloaded), :meth:`freeze`
puts what exists then out of the collector's sight (``gc.freeze``): modules,
classes and the main window live as long as the application anyway, and a full
collection then looks only at what came after.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

#: cycles wait at most this long for the timer; often enough that a collection of the
#: youngest generation (what was allocated since) stays a few milliseconds
CHECK_INTERVAL_MS = 250


class MainThreadCollector(QObject):
    """While installed, cyclic collection runs only here, on the thread that owns this
    object (create it on the GUI thread). :meth:`uninstall` restores the collector's
    earlier state; the object's parent keeps it alive as long as the application."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_INTERVAL_MS):
        super().__init__(parent)
        self.setObjectName("mainThreadCollector")
        self._was_enabled = gc.isenabled()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        gc.disable()
        self._timer.start()

    def check(self) -> int:
        """Collect the generations whose thresholds were crossed since the last run,
        as automatic collection would have done; returns the objects freed."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if counts[0] <= thresholds[0]:
            return 0
        # The youngest generation is full; an older one is due when its own count (the
        # collections of the generation below since its last run) passed its threshold.
        generation = 0
        if counts[1] > thresholds[1]:
            generation = 2 if counts[2] > thresholds[2] else 1
        return gc.collect(generation)

    def freeze(self) -> None:
        """Everything that exists now is left out of later collections (call it once
        start-up is over: what exists then stays). Cycles among those objects, garbage
        not yet collected included, are no longer freed (a collection first would be one
        more 25-45 ms pause); reference counting still frees the rest of them."""
        gc.freeze()

    def uninstall(self) -> None:
        """Stop the timer, collect what is left here (what :meth:`freeze` put aside
        too), and give collection back to Python if it was on before."""
        self._timer.stop()
        gc.unfreeze()
        gc.collect()
        if self._was_enabled:
            gc.enable()
