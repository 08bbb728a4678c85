"""A records manager works in the central archive itself; the workstations follow.

Two workstations file; one closes a dossier; a records manager on a third
workstation runs the whole destruction list in the central archive (four eyes);
the verklaring's content is published to the central store and the destroyed
content let go of; on their next sync both workstations hold the residual
metadata only, their copies of the content removed, and the verklaring."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.central_content import publish
from recordsdesk.archive.sync.engine import sync_once
from recordsdesk.db.engine import make_engine
from recordsdesk.db.models import Bestand, Event, Informatieobject
from recordsdesk.services import Workspace, open_workspace
from recordsdesk.services import disposal as lists
from recordsdesk.services.disposal_run import execute
from tests.retention.disposal_support import AUTHOR, approve_whole, as_user, closed_dossier, people
from tests.sync.support import dossier_with_files

Station = Callable[[str], Workspace]


def _bestanden(ws: Workspace, kenmerk: str) -> list[str]:
    with ws.readers() as session:
        dossier = session.scalars(
            select(Informatieobject).where(Informatieobject.kenmerk == kenmerk)
        ).one()
        return list(
            session.scalars(
                select(Bestand.sha256)
                .join(Informatieobject, Bestand.informatieobject_id == Informatieobject.id)
                .where(Informatieobject.parent_id == dossier.id)
            )
        )


def test_destruction_in_the_central_archive_reaches_every_workstation(
    central: Central, station: Station, tmp_path: Path
) -> None:
    a, b = station("a"), station("b")
    (tmp_path / "in").mkdir()
    doomed = closed_dossier(a, tmp_path / "in", "Melding geluidsoverlast", contents=("klacht",))
    kept = dossier_with_files(a, tmp_path / "in2", "Lopende aanvraag", 1)
    doomed_content = _bestanden(a, doomed)
    assert doomed_content and all(a.objects.exists(s) for s in doomed_content)
    assert sync_once(a, central).ok
    assert sync_once(b, central).ok
    assert _bestanden(b, doomed) == doomed_content

    engine = make_engine(central.engine.url.render_as_string(hide_password=False))
    rm = open_workspace(tmp_path / "records-manager", engine=engine)
    try:
        people(rm)
        listed = lists.create_list(as_user(rm, AUTHOR), kind="destruction", name="VL 2026-C1")
        approve_whole(rm, listed.id)
        carried_out = execute(as_user(rm, AUTHOR), listed.id)
        assert carried_out is not None
        sent, forgotten = publish(central, rm.objects)
    finally:
        rm.close()
    assert sent >= 1  # the verklaring's PDF/A and CSV went to the central store
    assert forgotten == len(set(doomed_content))
    names = {name for name, _ in central.blobs.names()}
    assert not names & set(doomed_content)

    for ws in (a, b):
        synced = sync_once(ws, central)
        assert synced.ok, synced.problems
        with ws.readers() as session:
            dossier = session.scalars(
                select(Informatieobject).where(Informatieobject.kenmerk == doomed)
            ).one()
            assert dossier.status == "destroyed"
            assert dossier.naam == "Melding geluidsoverlast"  # residual metadata kept
            destroyed = session.scalars(
                select(Event.event_type).where(Event.informatieobject_id == dossier.id)
            ).all()
            assert "Vernietiging" in destroyed
            verklaring = session.scalars(
                select(Bestand).where(Bestand.original_name.like("%erklaring%"))
            ).all()
        assert _bestanden(ws, doomed) == []
        assert not any(ws.objects.exists(s) for s in doomed_content)
        assert verklaring, "the verklaring reached the workstation"
        assert all(ws.objects.check(v.sha256) is None for v in verklaring)
        assert len(_bestanden(ws, kept)) == 1
