"""A dossier changed on two workstations: shown side by side, chosen, audited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from recordsdesk.archive.sync import conflicts
from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.engine import sync_once
from recordsdesk.archive.sync.outbox import object_states, status
from recordsdesk.db.models import AuditEvent, ChangeLog, Informatieobject
from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.services import Workspace
from tests.sync.support import dossier_with_files, outbox

Station = Callable[[str], Workspace]


def _rename(ws: Workspace, kenmerk: str, naam: str) -> None:
    """A metadata edit as the services make it: ORM, version raised, one transaction."""
    with ws.sessions() as session, session.begin():
        row = session.scalars(
            select(Informatieobject).where(Informatieobject.kenmerk == kenmerk)
        ).one()
        row.naam = naam


def _naam(engine: object, kenmerk: str) -> str:
    with engine.connect() as connection:  # type: ignore[attr-defined]
        return str(
            connection.scalar(
                select(Informatieobject.naam).where(Informatieobject.kenmerk == kenmerk)
            )
        )


@pytest.fixture
def both_edited(
    central: Central, station: Station, tmp_path: Path
) -> tuple[Workspace, Workspace, str]:
    a, b = station("a"), station("b")
    kenmerk = dossier_with_files(a, tmp_path / "in", "Omgevingsvergunning Noord", 1)
    assert sync_once(a, central).ok
    assert sync_once(b, central).ok
    _rename(a, kenmerk, "Omgevingsvergunning Noord (aangevuld)")
    _rename(b, kenmerk, "Omgevingsvergunning Rotterdam-Noord")
    assert sync_once(a, central).ok  # first one wins the race
    return a, b, kenmerk


def test_the_second_change_is_a_conflict_and_nothing_is_overwritten(
    central: Central, both_edited: tuple[Workspace, Workspace, str]
) -> None:
    _, b, kenmerk = both_edited
    report = sync_once(b, central)
    assert report.conflicts == 1
    assert _naam(central.engine, kenmerk) == "Omgevingsvergunning Noord (aangevuld)"
    assert _naam(b.engine, kenmerk) == "Omgevingsvergunning Rotterdam-Noord"
    [conflict] = conflicts.open_conflicts(b)
    assert conflict.kenmerk == kenmerk
    assert "naam" in conflict.differing
    assert conflict.local["naam"] == "Omgevingsvergunning Rotterdam-Noord"
    assert conflict.central["naam"] == "Omgevingsvergunning Noord (aangevuld)"
    with b.readers() as session:
        dossier_id = session.scalar(
            select(Informatieobject.id).where(Informatieobject.kenmerk == kenmerk)
        )
    assert dossier_id is not None
    assert object_states(b, [dossier_id])[dossier_id].state == "conflict"
    # syncing again does not pile up the same conflict
    sync_once(b, central)
    assert len(conflicts.open_conflicts(b)) == 1
    assert status(b).conflicts == 1


def test_taking_theirs_replaces_mine_and_empties_the_outbox(
    central: Central, both_edited: tuple[Workspace, Workspace, str]
) -> None:
    _, b, kenmerk = both_edited
    sync_once(b, central)
    [conflict] = conflicts.open_conflicts(b)
    conflicts.resolve(b, central, conflict.id, "theirs")
    assert _naam(b.engine, kenmerk) == "Omgevingsvergunning Noord (aangevuld)"
    assert conflicts.open_conflicts(b) == []
    assert sync_once(b, central).ok
    assert outbox(b) == 0
    assert _naam(central.engine, kenmerk) == "Omgevingsvergunning Noord (aangevuld)"
    _assert_choice_audited(central, b, "theirs")


def test_keeping_mine_overwrites_central_on_the_next_push(
    central: Central, both_edited: tuple[Workspace, Workspace, str]
) -> None:
    a, b, kenmerk = both_edited
    sync_once(b, central)
    [conflict] = conflicts.open_conflicts(b)
    conflicts.resolve(b, central, conflict.id, "mine")
    report = sync_once(b, central)
    assert report.ok and report.conflicts == 0
    assert _naam(central.engine, kenmerk) == "Omgevingsvergunning Rotterdam-Noord"
    assert sync_once(a, central).ok
    assert _naam(a.engine, kenmerk) == "Omgevingsvergunning Rotterdam-Noord"
    _assert_choice_audited(central, b, "mine")


def test_mine_chosen_with_its_outbox_entry_gone_shows_as_waiting(
    central: Central, both_edited: tuple[Workspace, Workspace, str]
) -> None:
    # the choice puts the key back into the outbox, in the form the capture triggers
    # write, so the lists' sync column (object_states) sees it waiting, as status() does
    _, b, kenmerk = both_edited
    sync_once(b, central)
    [conflict] = conflicts.open_conflicts(b)
    with b.sessions() as session, session.begin():
        session.execute(delete(ChangeLog))
        dossier_id = session.scalar(
            select(Informatieobject.id).where(Informatieobject.kenmerk == kenmerk)
        )
    assert dossier_id is not None
    conflicts.resolve(b, central, conflict.id, "mine")
    assert status(b).pending_changes == 1
    state = object_states(b, [dossier_id])[dossier_id]
    assert (state.state, state.pending) == ("pending", 1)
    assert sync_once(b, central).ok
    assert _naam(central.engine, kenmerk) == "Omgevingsvergunning Rotterdam-Noord"


def test_a_central_change_after_the_choice_is_a_new_conflict(
    central: Central, both_edited: tuple[Workspace, Workspace, str]
) -> None:
    a, b, kenmerk = both_edited
    sync_once(b, central)
    [conflict] = conflicts.open_conflicts(b)
    conflicts.resolve(b, central, conflict.id, "mine")
    _rename(a, kenmerk, "Omgevingsvergunning Noord, derde versie")
    assert sync_once(a, central).ok
    report = sync_once(b, central)
    assert report.conflicts == 1
    assert _naam(central.engine, kenmerk) == "Omgevingsvergunning Noord, derde versie"


def test_bad_choices_are_refused(
    central: Central, both_edited: tuple[Workspace, Workspace, str]
) -> None:
    _, b, _ = both_edited
    sync_once(b, central)
    [conflict] = conflicts.open_conflicts(b)
    with pytest.raises(UserError):
        conflicts.resolve(b, central, conflict.id, "both")
    conflicts.resolve(b, central, conflict.id, "theirs")
    with pytest.raises(NotFoundError):
        conflicts.resolve(b, central, conflict.id, "mine")


def test_an_edit_after_a_pull_is_not_a_conflict(
    central: Central, station: Station, tmp_path: Path
) -> None:
    a, b = station("a"), station("b")
    kenmerk = dossier_with_files(a, tmp_path / "in", "Parkeervergunning", 1)
    sync_once(a, central)
    sync_once(b, central)
    _rename(b, kenmerk, "Parkeervergunning Blijdorp")
    assert sync_once(b, central).ok
    _rename(a, kenmerk, "Parkeervergunning Blijdorp 2027")
    assert sync_once(a, central).conflicts == 1  # a never saw b's change: a real conflict
    assert sync_once(b, central).conflicts == 0


def _assert_choice_audited(central: Central, ws: Workspace, choice: str) -> None:
    with central.engine.connect() as connection:
        rows = connection.execute(
            select(AuditEvent.details).where(AuditEvent.action == "sync.conflict_resolved")
        ).all()
    assert any(f'"choice": "{choice}"' in r.details for r in rows)
    with ws.readers() as session:
        assert (
            session.scalar(
                select(AuditEvent.actor).where(AuditEvent.action == "sync.conflict_resolved")
            )
            == ws.actor
        )
