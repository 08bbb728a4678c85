"""Creating, listing and showing dossiers, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from recordsdesk import kenmerk
from recordsdesk.db.models import AuditEvent, Event, Informatieobject
from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.services import (
    Workspace,
    create_dossier,
    list_dossiers,
    open_workspace,
    show_dossier,
)
from tests.core.samples import row_counts

MOMENT = dt.datetime(2026, 11, 28, 14, 30, 15, 123456, tzinfo=dt.UTC)


def _parts(value: str) -> tuple[str, str, int]:
    kind, station, rest = value.split("-")
    return kind, station, kenmerk.decode(rest[:-1])


def test_create_dossier_writes_the_dossier_its_creatie_event_and_one_audit_row(
    ws: Workspace,
) -> None:
    ws.clock = lambda: MOMENT
    before = row_counts(ws.engine)

    created = create_dossier(ws, "  Omgevingsvergunning   Coolsingel 40 ", "Aanvraag  ")

    assert str(uuid.UUID(created.id)) == created.id
    assert kenmerk.is_valid(created.kenmerk)
    assert created.kenmerk.startswith(f"D-{ws.station}-")
    assert created.changes.dossiers == frozenset({created.id})
    after = row_counts(ws.engine)
    assert after == {
        "informatieobject": before["informatieobject"] + 1,
        "bestand": before["bestand"],
        "event": before["event"] + 1,
        "audit_event": before["audit_event"] + 1,
    }
    with ws.sessions() as session:
        row = session.get(Informatieobject, created.id)
        assert row is not None
        assert row.kenmerk == created.kenmerk
        assert row.aggregatieniveau == "Dossier"
        assert row.parent_id is None
        assert row.naam == "Omgevingsvergunning Coolsingel 40"
        assert row.omschrijving == "Aanvraag"
        assert row.status == "open"
        assert row.waardering == "N"
        assert row.beperking_gebruik == "Nader te bepalen"
        assert row.archiefvormer == "gemeente Rotterdam"  # TOOI gm0599, the default
        assert row.identificatie_bron == "RecordsDesk"
        assert row.created_by == ws.actor
        assert row.created_at == MOMENT
        [event] = session.scalars(select(Event).where(Event.informatieobject_id == created.id))
        assert event.event_type == "Creatie"
        assert event.event_tijd == MOMENT
        assert event.verantwoordelijke_actor == ws.actor
        audit = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert audit is not None
        assert audit.action == "dossier.create"
        assert audit.object_type == "informatieobject"
        assert audit.object_id == created.id
        assert audit.actor == ws.actor
        assert audit.at == MOMENT
        details = json.loads(audit.details)
        assert details["kenmerk"] == created.kenmerk
        assert details["naam"] == "Omgevingsvergunning Coolsingel 40"


@pytest.mark.parametrize(
    ("title", "msgid"),
    [
        ("", "A title is required."),
        ("   \t\n ", "A title is required."),
        ("x" * 501, "The title is too long ({length} characters; at most {limit})."),
    ],
    ids=["empty", "blank", "too-long"],
)
def test_a_bad_title_is_refused_and_nothing_is_written(
    ws: Workspace, title: str, msgid: str
) -> None:
    before = row_counts(ws.engine)
    with pytest.raises(UserError) as caught:
        create_dossier(ws, title)
    assert caught.value.msgid == msgid
    assert row_counts(ws.engine) == before


def test_a_title_of_500_characters_is_accepted(ws: Workspace) -> None:
    title = "é" * 500
    created = create_dossier(ws, title)
    assert show_dossier(ws, created.kenmerk).title == title


def test_list_shows_every_dossier_newest_first(ws: Workspace) -> None:
    moments = iter(MOMENT + dt.timedelta(minutes=i) for i in range(3))
    ws.clock = lambda: next(moments)
    made = [create_dossier(ws, f"Dossier {i}") for i in range(3)]
    rows = list_dossiers(ws)
    assert [r.kenmerk for r in rows] == [c.kenmerk for c in reversed(made)]
    assert [r.title for r in rows] == ["Dossier 2", "Dossier 1", "Dossier 0"]
    assert all(r.status == "open" and r.record_count == 0 for r in rows)


def test_show_finds_a_dossier_however_the_kenmerk_is_typed(ws: Workspace) -> None:
    created = create_dossier(ws, "Bezwaar")
    typed = " " + created.kenmerk.lower().replace("-", " - ", 1) + " "
    typed = typed.replace("1", "l").replace("0", "o")
    detail = show_dossier(ws, typed)
    assert detail.id == created.id and detail.kenmerk == created.kenmerk


def test_show_an_unknown_kenmerk_is_a_clear_not_found(ws: Workspace) -> None:
    created = create_dossier(ws, "Bezwaar")
    _kind, station, sequence = _parts(created.kenmerk)
    unknown = kenmerk.make("D", station, sequence + 1000)
    with pytest.raises(NotFoundError) as caught:
        show_dossier(ws, unknown)
    assert caught.value.msgid == "No dossier with kenmerk {kenmerk}."
    assert unknown in caught.value.english()


def test_show_a_mistyped_kenmerk_says_it_is_not_valid(ws: Workspace) -> None:
    created = create_dossier(ws, "Bezwaar")
    last = created.kenmerk[-1]
    mistyped = created.kenmerk[:-1] + ("2" if last != "2" else "3")
    with pytest.raises(NotFoundError) as caught:
        show_dossier(ws, mistyped)
    assert "not a valid kenmerk" in caught.value.english()


def test_a_record_kenmerk_is_not_shown_as_a_dossier(ws: Workspace, tmp_path: Path) -> None:
    from recordsdesk.services import file_paths

    created = create_dossier(ws, "Bezwaar")
    source = tmp_path / "brief.txt"
    source.write_text("Geachte heer,\n")
    record = file_paths(ws, created.kenmerk, [source]).records[0]
    with pytest.raises(NotFoundError):
        show_dossier(ws, record.kenmerk)


def test_many_dossiers_get_unique_valid_kenmerken_in_sequence(ws: Workspace) -> None:
    made = [create_dossier(ws, f"Dossier {i}").kenmerk for i in range(150)]
    assert len(set(made)) == len(made)
    assert all(kenmerk.is_valid(k) for k in made)
    parts = [_parts(k) for k in made]
    assert {station for _, station, _ in parts} == {ws.station}
    sequences = [seq for _, _, seq in parts]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)


def test_kenmerken_are_never_reused_across_reopening(home: Path, db_url: str) -> None:
    first = open_workspace(home, db_url=db_url)
    station = first.station
    before = [create_dossier(first, f"Voor {i}").kenmerk for i in range(3)]
    first.close()
    second = open_workspace(home, db_url=db_url)
    try:
        assert second.station == station
        after = [create_dossier(second, f"Na {i}").kenmerk for i in range(3)]
    finally:
        second.close()
    sequences = [_parts(k)[2] for k in before + after]
    assert sequences == sorted(set(sequences)), sequences


def test_two_workspaces_on_one_store_creating_at_once_never_share_a_kenmerk(
    home: Path, db_url: str
) -> None:
    workspaces = [open_workspace(home, db_url=db_url) for _ in range(2)]
    made: list[list[str]] = [[], []]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            for i in range(25):
                made[index].append(create_dossier(workspaces[index], f"W{index} {i}").kenmerk)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for workspace in workspaces:
            workspace.close()
    assert errors == []
    everything = made[0] + made[1]
    assert len(everything) == 50 and len(set(everything)) == 50
    assert all(kenmerk.is_valid(k) for k in everything)
