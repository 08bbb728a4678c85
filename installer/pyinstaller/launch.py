"""Entry point of the frozen (PyInstaller) build: the desktop application.

A frozen executable has no ``python -m``, yet RecordsDesk starts its OCR worker
as ``sys.executable -m recordsdesk.scan._ocr_worker OPTIONS`` (a separate
process, so a crash or a kill of OCR never takes the window down), and its
drop-folder watcher, sync and search reads as ``-m recordsdesk.workers.watch`` /
``.sync`` / ``.reader`` (separate processes, so their Python never holds up the
window). Here that form
is honoured for our own worker modules only; anything else starts the window.
Multiprocessing's own worker starts are handled by ``freeze_support`` in
``recordsdesk.ui.app.main``.
"""

from __future__ import annotations

import multiprocessing
import runpy
import sys

#: the modules the app itself starts with ``sys.executable -m`` (nothing else is run)
WORKER_MODULES = frozenset(
    {
        "recordsdesk.scan._ocr_worker",
        "recordsdesk.workers.watch",
        "recordsdesk.workers.sync",
        "recordsdesk.workers.reader",
    }
)


def main() -> int:
    # a multiprocessing worker (intake's examination, ocrmypdf's pages under spawn on
    # Windows) is started with this executable: it must become that worker at once,
    # before the window's modules are loaded
    multiprocessing.freeze_support()
    if len(sys.argv) >= 3 and sys.argv[1] == "-m" and sys.argv[2] in WORKER_MODULES:
        module = sys.argv[2]
        sys.argv = [sys.argv[0], *sys.argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        return 0
    from recordsdesk.ui.app import main as app_main

    return app_main()


if __name__ == "__main__":
    raise SystemExit(main())
