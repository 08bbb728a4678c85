"""The lazy id models: Qt's model rules (qtmodeltester), paging, refresh by Changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from recordsdesk import services
from recordsdesk.changes import Changes
from recordsdesk.ui.models import lazy
from recordsdesk.ui.models.dossiers import DossierModel
from recordsdesk.ui.models.records import RecordModel
from recordsdesk.ui.ops import Ops
from tests.ui import samples
from tests.ui.conftest import WAIT_MS


@pytest.fixture
def workspace_ops(qtbot: QtBot, ops: Ops, home: Path) -> Ops:
    with qtbot.waitSignal(ops.workspace_ready, timeout=WAIT_MS):
        ops.open_workspace(home)
    return ops


def make_dossiers(home: Path, count: int) -> list[str]:
    ws = services.open_workspace(home)
    try:
        return [services.create_dossier(ws, f"Dossier {n:03}").id for n in range(count)]
    finally:
        ws.close()


def wait_loaded(qtbot: QtBot, model: lazy.LazyIdModel[Any], ops: Ops) -> None:
    qtbot.waitUntil(lambda: not model.loading and ops.pending == 0, timeout=WAIT_MS)


def load_all_rows(qtbot: QtBot, model: lazy.LazyIdModel[Any], ops: Ops) -> None:
    for row in range(model.rowCount()):
        model.index(row, 0).data()
    wait_loaded(qtbot, model, ops)


def test_dossier_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, home: Path, workspace_ops: Ops
) -> None:
    model = DossierModel(workspace_ops)
    qtmodeltester.check(model)  # empty
    make_dossiers(home, 3)
    model.reload_ids()
    wait_loaded(qtbot, model, workspace_ops)
    qtmodeltester.check(model)  # ids known, rows still placeholders
    load_all_rows(qtbot, model, workspace_ops)
    qtmodeltester.check(model)  # rows loaded
    assert [model.index(r, 1).data() for r in range(3)] == [
        "Dossier 002",
        "Dossier 001",
        "Dossier 000",
    ]


def test_record_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, home: Path, tmp_path: Path, workspace_ops: Ops
) -> None:
    dossier_id = make_dossiers(home, 1)[0]
    files = samples.make_all(tmp_path / "files")
    ws = services.open_workspace(home)
    try:
        kenmerk = services.dossier_rows(ws, [dossier_id])[dossier_id].kenmerk
        services.file_paths(ws, kenmerk, list(files.values()))
    finally:
        ws.close()
    model = RecordModel(workspace_ops)
    qtmodeltester.check(model)
    model.set_dossier(dossier_id)
    wait_loaded(qtbot, model, workspace_ops)
    load_all_rows(qtbot, model, workspace_ops)
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert model.index(2, 2).data() == "PDF-document"
    model.set_dossier(None)
    assert model.rowCount() == 0


def test_rows_are_fetched_in_pages_and_batches(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    home: Path,
    workspace_ops: Ops,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(lazy, "PAGE", 5)
    monkeypatch.setattr(lazy, "BATCH", 3)
    make_dossiers(home, 12)
    model = DossierModel(workspace_ops)
    model.reload_ids()
    wait_loaded(qtbot, model, workspace_ops)
    assert model.rowCount() == 5 and model.canFetchMore()
    assert model.index(0, 0).data() == "Laden…"  # placeholder; a batch is on its way
    wait_loaded(qtbot, model, workspace_ops)
    assert model.row_value(0) is not None and model.row_value(2) is not None
    assert model.row_value(3) is None  # only one batch of 3 was asked for
    model.fetchMore()
    assert model.rowCount() == 10
    model.fetchMore()
    assert model.rowCount() == 12 and not model.canFetchMore()
    load_all_rows(qtbot, model, workspace_ops)
    qtmodeltester.check(model)
    assert model.index(11, 1).data() == "Dossier 000"


def test_changes_insert_new_rows_and_refresh_changed_ones(
    qtbot: QtBot, home: Path, workspace_ops: Ops
) -> None:
    make_dossiers(home, 2)
    model = DossierModel(workspace_ops)
    model.reload_ids()
    wait_loaded(qtbot, model, workspace_ops)
    load_all_rows(qtbot, model, workspace_ops)
    resets: list[bool] = []
    inserted: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))

    ws = services.open_workspace(home)
    try:
        created = services.create_dossier(ws, "Nieuwste")
    finally:
        ws.close()
    model.apply_changes(created.changes)
    wait_loaded(qtbot, model, workspace_ops)
    assert inserted == [(0, 0)] and not resets  # inserted on top, no reset
    load_all_rows(qtbot, model, workspace_ops)
    assert model.index(0, 1).data() == "Nieuwste"

    changed: list[int] = []
    model.dataChanged.connect(lambda top, bottom, _roles: changed.extend([top.row(), bottom.row()]))
    model.apply_changes(Changes(dossiers=frozenset({created.id})))
    wait_loaded(qtbot, model, workspace_ops)
    assert changed == [0, 0]  # only the named row was fetched again
    assert model.rowCount() == 3
