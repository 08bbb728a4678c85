"""Start-up loads only what the first window needs (benchmark ``startup``: < 2 s).

The central archive's modules (with SQLAlchemy's PostgreSQL dialect), the sync
engine and the sync panel are loaded on first use or by the preloading after
start-up, never by importing the window. A fresh interpreter shows it; no timing
is asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys

from recordsdesk.ui import preload

DEFERRED = (
    "sqlalchemy.dialects.postgresql",
    "recordsdesk.archive.central.connection",
    "recordsdesk.archive.sync.central_content",
    "recordsdesk.archive.sync.engine",
    "recordsdesk.ui.views.sync_panel",
    "recordsdesk.workers.watch",
    "recordsdesk.workers.sync",
)


def test_the_window_leaves_the_central_archive_and_the_sync_out() -> None:
    loaded = json.loads(
        subprocess.run(
            [sys.executable, "-c", "import json, sys; import recordsdesk.ui.app, "
             "recordsdesk.ui.mainwindow; print(json.dumps(sorted(sys.modules)))"],
            capture_output=True, text=True, check=True, timeout=120,
        ).stdout
    )  # fmt: skip
    assert "recordsdesk.ui.mainwindow" in loaded and "sqlalchemy.orm" in loaded
    assert [name for name in DEFERRED if name in loaded] == []


def test_the_sync_panel_is_preloaded_after_start_up() -> None:
    assert "recordsdesk.ui.views.sync_panel" in preload.MODULES
