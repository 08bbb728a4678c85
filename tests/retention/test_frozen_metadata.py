"""A closed dossier is frozen: its metadata changes only by a records manager, audited, and
never in what its classification decided; destroyed dossiers not at all."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from recordsdesk.db.models import AuditEvent, Event, Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.mdto.model import Begrip, Verwijzing
from recordsdesk.services import Workspace, open_workspace
from recordsdesk.services.metadata import load_metadata, save_metadata
from tests.retention.disposal_support import AUTHOR, NOW, as_user, closed_dossier, people

B = Begrip("Blijvend te bewaren", "B", Verwijzing("Begrippenlijst Waarderingen MDTO"))


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    workspace.clock = lambda: NOW
    yield workspace
    workspace.close()


def _id(ws: Workspace, kenmerk: str) -> str:
    with ws.readers() as session:
        return session.scalars(
            select(Informatieobject.id).where(Informatieobject.kenmerk == kenmerk)
        ).one()


def test_only_a_records_manager_changes_a_closed_dossier_and_not_its_classification(
    ws: Workspace, tmp_path: Path
) -> None:
    people(ws)
    dossier_id = _id(ws, closed_dossier(ws, tmp_path, "Subsidie wijkfeest"))

    filer_view = load_metadata(as_user(ws, "fatima.filer"), dossier_id)
    assert not filer_view.editable
    renamed = dataclasses.replace(filer_view.own, naam="Subsidie wijkfeest Delfshaven")
    with pytest.raises(UserError, match="needs the role records_manager"):
        save_metadata(ws, dossier_id, renamed, (), expected_version=filer_view.version)

    view = load_metadata(as_user(ws, AUTHOR), dossier_id)
    assert view.status == "closed" and view.editable
    reclassified = dataclasses.replace(view.own, waardering=B)
    with pytest.raises(UserError, match="follow from its classification"):
        save_metadata(ws, dossier_id, reclassified, (), expected_version=view.version)
    saved, _changes = save_metadata(ws, dossier_id, renamed, (), expected_version=view.version)
    assert saved.own.naam == "Subsidie wijkfeest Delfshaven" and saved.status == "closed"
    with ws.readers() as session:
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
        notes = list(session.scalars(select(Event.resultaat).where(
            Event.informatieobject_id == dossier_id, Event.event_type == "Wijziging")))  # fmt: skip
    assert actions[-1] == "metadata.changed_after_closing"
    assert any("na afsluiten" in (n or "") for n in notes)
