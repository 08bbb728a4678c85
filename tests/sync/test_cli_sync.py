"""``recordsdesk sync``, ``sync status``, ``verify --central`` as a user runs them."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from sqlalchemy import update

from recordsdesk.db.engine import make_engine
from recordsdesk.db.models import ContentChunk
from tests.cli.conftest import run_cli
from tests.sync.support import home_with_a_dossier


def _home_with_a_dossier(tmp_path: Path) -> Path:
    return home_with_a_dossier(tmp_path / "home", tmp_path / "in")


def test_sync_reports_counts_and_status_follows(tmp_path: Path) -> None:
    home = _home_with_a_dossier(tmp_path)
    before = run_cli(["--home", str(home), "sync", "status", "--json"])
    assert before.code == 0
    assert json.loads(before.out)["pending_changes"] > 0
    ran = run_cli(["--home", str(home), "sync", "--json"])
    assert ran.code == 0, ran.err
    counts = json.loads(ran.out)
    assert counts["failed"] == 0 and counts["conflicts"] == 0 and counts["pushed"] >= 5
    after = json.loads(run_cli(["--home", str(home), "sync", "status", "--json"]).out)
    assert after["pending_changes"] == 0 and after["last_at"] is not None
    said = run_cli(["--home", str(home), "--lang", "nl", "sync"])
    assert said.code == 0
    assert "mislukt 0" in said.out


def test_verify_central_finds_damage_in_the_central_store(tmp_path: Path) -> None:
    home = _home_with_a_dossier(tmp_path)
    assert run_cli(["--home", str(home), "sync"]).code == 0
    good = run_cli(["--home", str(home), "verify", "--central", "--json"])
    assert good.code == 0, good.err
    assert json.loads(good.out)["checked"] == 2
    engine = make_engine(f"sqlite:///{home / 'central.sqlite'}")
    with engine.begin() as connection:
        connection.execute(update(ContentChunk).values(data=b"overwritten"))
    engine.dispose()
    bad = run_cli(["--home", str(home), "verify", "--central", "--json"])
    assert bad.code != 0
    report = json.loads(bad.out)
    assert len(report["damaged"]) == 2
    names = [f for d in report["damaged"] for f in d["files"]]
    assert any("Aanvraag gehandicaptenparkeerkaart" in f for f in names)


def test_an_unreachable_central_archive_is_a_clear_message_and_nothing_is_lost(
    tmp_path: Path,
) -> None:
    home = _home_with_a_dossier(tmp_path)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+psycopg://jansen@127.0.0.1:{port}/recordsdesk"
    assert run_cli(["--home", str(home), "central", "set", url, "--no-test"]).code == 0
    ran = run_cli(["--home", str(home), "--lang", "nl", "sync"])
    assert ran.code != 0
    assert "Traceback" not in ran.err
    assert "127.0.0.1" in ran.err + ran.out
    status = json.loads(run_cli(["--home", str(home), "sync", "status", "--json"]).out)
    assert status["pending_changes"] > 0  # still waiting, nothing dropped


def test_a_records_manager_works_in_the_central_archive_itself(tmp_path: Path) -> None:
    home = _home_with_a_dossier(tmp_path)
    assert run_cli(["--home", str(home), "sync"]).code == 0
    manager = tmp_path / "records-manager"
    central = f"sqlite:///{home / 'central.sqlite'}"
    assert run_cli(["--home", str(manager), "central", "set", central]).code == 0
    local = json.loads(run_cli(["--home", str(manager), "dossier", "list", "--json"]).out)
    assert local == []  # nothing filed on this workstation
    there = run_cli(["--home", str(manager), "--central", "dossier", "list", "--json"])
    assert there.code == 0, there.err
    titles = [d["title"] for d in json.loads(there.out)]
    assert titles == ["Aanvraag gehandicaptenparkeerkaart"]
