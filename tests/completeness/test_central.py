"""Completeness read in the central archive: what workstations said they still had to
send, content checked in the central store, and records hidden from the reader
(counted by the database, never named). Real sync between real stores."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from recordsdesk.archive.completeness import dossier_completeness
from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.engine import sync_once
from recordsdesk.db.engine import make_engine
from recordsdesk.db.models import Bestand, Informatieobject
from recordsdesk.services import Workspace, file_paths, open_workspace
from tests.central.enforcement_support import Central as EnforcedCentral
from tests.central.enforcement_support import enforced_central
from tests.core.samples import pdf_bytes, write
from tests.sync.support import dossier_with_files

Station = Callable[[str], Workspace]


def test_what_a_workstation_could_not_send_is_named_centrally(
    central: Central, station: Station, tmp_path: Path
) -> None:
    a = station("a")
    kenmerk = dossier_with_files(a, tmp_path / "in", "Sloopmelding Weena", 1)
    assert sync_once(a, central).ok
    there = open_workspace(tmp_path / "in-central", engine=central.engine)
    try:
        assert [r.code for r in dossier_completeness(there, kenmerk, central=True).reasons] == [
            "open"
        ], "all sent: only that the dossier is open"

        late = write(tmp_path / "late" / "nagekomen.pdf", pdf_bytes("nagekomen"))
        file_paths(a, kenmerk, [late])
        with a.readers() as session:
            sha = session.scalars(
                select(Bestand.sha256).where(Bestand.original_name == "nagekomen.pdf")
            ).one()
        damaged = a.objects.path_for(sha)  # its content cannot go up: the bestand waits
        os.chmod(damaged, stat.S_IRUSR | stat.S_IWUSR)
        damaged.write_bytes(b"kapot")
        report = sync_once(a, central)
        assert report.problems, "the damaged content is reported, not sent"

        found = dossier_completeness(there, kenmerk, central=True)
        waiting = [r for r in found.reasons if r.code == "pending_elsewhere"]
        assert [(r.params["station"], r.params["count"]) for r in waiting] == [(a.station, 1)]
        assert found.records == 2, "the record went up; its bestand waits"
    finally:
        there.close()


@pytest.mark.postgres
def test_a_woo_searcher_learns_how_many_records_are_hidden_never_which(
    pg_url: str, tmp_path: Path
) -> None:
    with enforced_central("superuser", pg_url, tmp_path) as made:
        _hide_record(made)
        wim_url = _url_as(made, "wim")
        engine = make_engine(wim_url)
        wim = open_workspace(tmp_path / "wim", engine=engine)
        try:
            kenmerk = _kenmerk(made, made.ids["bob"])
            found = dossier_completeness(wim, kenmerk, central=True)
            assert found.records == 1 and found.hidden == 1
            hidden = [r for r in found.reasons if r.code == "hidden"]
            assert [r.params for r in hidden] == [{"count": 1}]
            assert "Verborgen stuk" not in repr(found.to_json()), "no name of what is hidden"
        finally:
            wim.close()
            engine.dispose()


def _hide_record(made: EnforcedCentral) -> None:
    """A second record in Bob's dossier, restricted: a Woo searcher sees the dossier
    and its first record, not this one."""
    folder = made.ws.layout.root.parent / "extra"
    path = write(folder / "verborgen.pdf", pdf_bytes("verborgen"))
    kenmerk = _kenmerk(made, made.ids["bob"])
    file_paths(made.ws, kenmerk, [path])
    with made.ws.sessions() as session, session.begin():
        row = session.scalars(
            select(Informatieobject).where(
                Informatieobject.parent_id == made.ids["bob"],
                Informatieobject.naam.like("verborgen%"),
            )
        ).one()
        row.naam = "Verborgen stuk"
        row.beperking_gebruik = "Persoonsgegevens art. 5.1 Woo"


def _kenmerk(made: EnforcedCentral, object_id: str) -> str:
    with made.ws.readers() as session:
        row = session.get(Informatieobject, object_id)
        assert row is not None
        return row.kenmerk


def _url_as(made: EnforcedCentral, person: str) -> str:
    from sqlalchemy.engine import make_url

    return (
        make_url(made.url).set(username=made.logins[person]).render_as_string(hide_password=False)
    )
