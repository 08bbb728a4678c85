"""Child process of the ``startup`` workload: start, and say when the window is usable.

``python -m benchmarks._startup_child app HOME`` starts the real application
(``recordsdesk.ui.app.main``) on HOME; ``python -m benchmarks._startup_child bare``
starts the baseline, a bare PySide6 ``QMainWindow`` of the same size with nothing
of ours. Both run offscreen and print ``READY`` on stdout (flushed) once the
window is usable, then quit:

* ``app``: the main window's ``ready`` signal (the workspace is open and the
  dossier list has been read and its first row selected), and then the rows a
  user sees filled in: the first dossier's row (title, status, sync state) and
  the records of the selected dossier; then one more turn of the event loop so
  the lists are painted;
* ``bare``: the first turn of the event loop after ``show()``.

The parent measures from before it starts the process to the ``READY`` line, so
interpreter start and every import count, as they do for a user.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def _ready_then_quit(window: QWidget) -> None:
    """On the next turn of the event loop: print READY, then close the window as a
    user would (the app then stops its watchers and workers, and quits)."""
    from PySide6.QtCore import QTimer

    def report() -> None:
        print("READY", flush=True)
        window.close()

    QTimer.singleShot(0, report)


def bare() -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    _ready_then_quit(window)
    return app.exec()


def app(home: str) -> int:
    # in the order the real entry points import (``python -m recordsdesk``,
    # ``recordsdesk-gui``): our package first, which loads Qt itself
    from recordsdesk.ui import app as entry
    from recordsdesk.ui.mainwindow import MainWindow

    from PySide6.QtCore import QTimer  # isort: skip
    from PySide6.QtWidgets import QApplication  # isort: skip

    qt_app = QApplication([sys.argv[0]])  # main() uses the one that exists

    def hook() -> None:
        windows = [w for w in qt_app.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows:
            QTimer.singleShot(1, hook)
            return
        window = windows[0]
        if window.is_ready:
            wait_for_rows(window)
        else:
            window.ready.connect(lambda: wait_for_rows(window))

    def wait_for_rows(window: MainWindow) -> None:
        dossiers, records = window.dossiers, window.records
        shown = dossiers.rowCount() == 0 or (
            dossiers.row_value(0) is not None
            and not records.loading
            and (records.rowCount() == 0 or records.row_value(0) is not None)
        )
        if shown:
            _ready_then_quit(window)
        else:
            QTimer.singleShot(1, lambda: wait_for_rows(window))

    QTimer.singleShot(0, hook)
    _returning_user()
    return entry.main(["--home", home])


def _returning_user() -> None:
    """Measure the window a returning user gets: the first-run assistant (once per
    user) has been seen (in the child's own XDG_CONFIG_HOME)."""
    from recordsdesk.ui import settings as ui_settings

    stored = ui_settings.default_settings()
    ui_settings.set_first_run_done(stored)
    stored.sync()


if __name__ == "__main__":
    mode = sys.argv[1]
    raise SystemExit(bare() if mode == "bare" else app(sys.argv[2]))
