"""``recordsdesk dossier completeness``: text in Dutch, JSON for scripts, a clear error."""

from __future__ import annotations

import json
from pathlib import Path

from recordsdesk.services import open_workspace
from tests.cli.conftest import run_cli
from tests.sync.support import dossier_with_files


def test_completeness_as_text_and_json(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ws = open_workspace(home)
    try:
        kenmerk = dossier_with_files(ws, tmp_path / "in", "Klacht parkeervergunning", 1)
    finally:
        ws.close()
    shown = run_cli(["--home", str(home), "dossier", "completeness", kenmerk])
    assert shown.code == 0, shown.err
    assert "Niet compleet" in shown.out
    assert "Het dossier is nog open" in shown.out

    data = run_cli(["--home", str(home), "dossier", "completeness", kenmerk, "--json"])
    assert data.code == 0, data.err
    found = json.loads(data.out)
    assert found["kenmerk"] == kenmerk and found["complete"] is False
    assert [r["code"] for r in found["reasons"]] == ["open", "pending_here"]
    assert found["records"] == 1 and found["hidden"] == 0


def test_an_unknown_dossier_exits_non_zero_without_a_traceback(tmp_path: Path) -> None:
    home = tmp_path / "home"
    open_workspace(home).close()
    shown = run_cli(["--home", str(home), "dossier", "completeness", "D-BESTAAT-NIET"])
    assert shown.code != 0
    assert "Traceback" not in shown.err and shown.err.strip()
