"""Transfer lists (overbrenging) and the audit export of a dossier or a list."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from recordsdesk.db.models import Event, Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.services import Workspace, open_workspace
from recordsdesk.services import disposal as lists
from recordsdesk.services.audit_export import export_audit
from recordsdesk.services.disposal_run import confirm_transfer, execute
from recordsdesk.services.organisation import set_setting
from tests.retention.disposal_support import (
    AUTHOR,
    NOW,
    approve_whole,
    as_user,
    closed_dossier,
    hashes_of,
    people,
)


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    workspace.clock = lambda: NOW
    yield workspace
    workspace.close()


def _status(ws: Workspace, kenmerk: str) -> str:
    with ws.readers() as session:
        return session.scalars(
            select(Informatieobject.status).where(Informatieobject.kenmerk == kenmerk)
        ).one()


def test_a_transfer_list_makes_the_package_and_keeps_content_until_confirmed(
    ws: Workspace, tmp_path: Path
) -> None:
    people(ws)
    set_setting(as_user(ws, AUTHOR), "retention.overbrengingstermijn", "P1Y")
    b_one = closed_dossier(ws, tmp_path, "Raadsbesluit", nummer="1.1.1")
    b_two = closed_dossier(ws, tmp_path, "Verordening", nummer="1.1.1")
    closed_dossier(ws, tmp_path, "Tijdelijk", nummer="1.5")  # V: never on a transfer list
    key = lists.create_list(as_user(ws, AUTHOR), kind="transfer", name="Overbrenging 2026").id
    assert {i.kenmerk for i in lists.items(ws, key)} == {b_one, b_two}
    approve_whole(ws, key)
    content = hashes_of(ws, b_one) | hashes_of(ws, b_two)
    out = tmp_path / "e-depot"
    out.mkdir()
    with pytest.raises(UserError, match="--out"):
        execute(ws, key)
    report = execute(ws, key, out=out)
    assert report.list.state == "uitgevoerd" and report.sip is not None
    assert (report.sip / "bagit.txt").is_file()
    assert {_status(ws, b_one), _status(ws, b_two)} == {"transferred"}
    assert all(ws.objects.exists(sha) for sha in content), "kept until the archive confirms"
    with ws.readers() as session:
        kinds = set(session.scalars(select(Event.event_type)))
    assert "Overbrenging" in kinds
    with pytest.raises(UserError, match="reference"):
        confirm_transfer(ws, key, "  ")
    done = confirm_transfer(ws, key, "NHA-ontvangst 2026-77")
    assert done.state == "overgebracht"
    assert not any(ws.objects.exists(sha) for sha in content)
    with ws.readers() as session:
        row = session.scalars(
            select(Informatieobject).where(Informatieobject.kenmerk == b_one)
        ).one()
    assert (row.status, row.naam, row.resultaat_nummer) == ("transferred", "Raadsbesluit", "1.1.1")


def test_the_audit_trail_of_a_dossier_and_of_a_list(ws: Workspace, tmp_path: Path) -> None:
    people(ws)
    gone = closed_dossier(ws, tmp_path, "Vervallen zaak")
    other = closed_dossier(ws, tmp_path, "Andere zaak")
    key = lists.create_list(as_user(ws, AUTHOR), kind="destruction", name="VL").id
    approve_whole(ws, key)
    execute(ws, key)

    dossier_csv = tmp_path / "dossier.csv"
    count = export_audit(ws, dossier_csv, kenmerk=gone)
    rows = list(csv.DictReader(io.StringIO(dossier_csv.read_text("utf-8-sig")), delimiter=";"))
    assert len(rows) == count
    actions = [r["action"] for r in rows]
    for wanted in ("dossier.create", "dossier.classified", "dossier.closed",
                   "disposal.item_destroyed"):  # fmt: skip
        assert wanted in actions
    assert all(other not in r["details"] for r in rows), "nothing about another dossier"
    assert [int(r["seq"]) for r in rows] == sorted(int(r["seq"]) for r in rows)

    list_csv = tmp_path / "list.csv"
    export_audit(ws, list_csv, list_id=key)
    list_rows = list(csv.DictReader(io.StringIO(list_csv.read_text("utf-8-sig")), delimiter=";"))
    list_actions = [r["action"] for r in list_rows]
    assert list_actions[0] == "disposal.created" and list_actions[-1] == "disposal.vernietigd"
    assert {"disposal.ter_beoordeling", "disposal.beoordeeld", "disposal.geaccordeerd",
            "disposal.execution_started"} <= set(list_actions)  # fmt: skip
    assert list_actions.count("disposal.item_destroyed") == 2
    for row in list_rows:
        assert len(row["hash"]) == 64 and len(row["prev_hash"]) == 64

    with pytest.raises(UserError, match="either a dossier"):
        export_audit(ws, tmp_path / "x.csv")
    as_user(ws, "iemand.anders")
    with pytest.raises(UserError, match="needs the role records_manager"):
        export_audit(ws, tmp_path / "y.csv", list_id=key)
    assert not (tmp_path / "y.csv").exists()
