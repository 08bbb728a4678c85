"""The window keeps the local search index up to date in the background, a batch per
job on the database worker: records filed before the window opened become findable
without anyone searching first."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from recordsdesk import services
from recordsdesk.search import index
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.search_upkeep import SearchUpkeep
from tests.ui.conftest import WAIT_MS


def _pending(home: Path) -> int:
    ws = services.open_workspace(home)
    try:
        with ws.readers() as session:
            return index.pending_count(session)
    finally:
        ws.close()


def test_marks_waiting_at_start_are_worked_off_a_batch_at_a_time(
    qtbot: QtBot, ops: Ops, home: Path, tmp_path: Path
) -> None:
    ws = services.open_workspace(home)
    try:
        dossier = services.create_dossier(ws, "Kapvergunningen Kralingen").kenmerk
        paths = []
        for n in range(12):
            path = tmp_path / f"aanvraag-{n}.txt"
            path.write_text(f"Aanvraag kapvergunning boom {n}", encoding="utf-8")
            paths.append(path)
        services.file_paths(ws, dossier, paths)
    finally:
        ws.close()
    assert _pending(home) >= 13
    with qtbot.waitSignal(ops.workspace_ready, timeout=WAIT_MS):
        ops.open_workspace(home)
    upkeep = SearchUpkeep(ops)
    upkeep.batch = 5
    seen: list[int] = []
    upkeep.waiting.connect(seen.append)
    upkeep.start()
    qtbot.waitUntil(lambda: bool(seen) and seen[-1] == 0, timeout=WAIT_MS)
    upkeep.stop()
    assert len(seen) >= 3 and seen == sorted(seen, reverse=True), seen
    assert _pending(home) == 0
