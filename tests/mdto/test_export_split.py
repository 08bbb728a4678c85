"""A large dossier is exported by two processes: the same files as one process writes,
and a problem found by the second process is reported like any other."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from recordsdesk.db.models import Informatieobject
from recordsdesk.mdto import rules, stored
from recordsdesk.mdto.model import Termijn
from recordsdesk.services import Workspace, create_dossier, export, file_paths, open_workspace
from recordsdesk.services.metadata import load_metadata
from tests.core.samples import pdf_bytes, write

RECORDS = 6


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    yield workspace
    workspace.close()


@pytest.fixture
def kenmerk(ws: Workspace, tmp_path: Path) -> str:
    created = create_dossier(ws, "Bouwdossier Blaak 31")
    paths = [write(tmp_path / f"brief-{n}.pdf", pdf_bytes(f"brief {n}")) for n in range(RECORDS)]
    file_paths(ws, created.kenmerk, paths)
    return created.kenmerk


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_two_processes_write_what_one_process_writes(
    ws: Workspace, kenmerk: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(export.WORKERS_VARIABLE, "0")
    one = export.export_mdto(ws, kenmerk, tmp_path / "een")
    monkeypatch.delenv(export.WORKERS_VARIABLE)
    monkeypatch.setattr(export, "SPLIT_AT", 2)
    monkeypatch.setattr(export, "STARTUP_RECORDS", 0)
    assert export._split_point(ws, _id(ws, kenmerk)) is not None, "this export is split"
    two = export.export_mdto(ws, kenmerk, tmp_path / "twee")
    assert one.folder is not None and two.folder is not None
    assert one.objects == two.objects == 1 + 2 * RECORDS
    first, second = files_of(one.folder), files_of(two.folder)
    assert set(first) == set(second)
    dossier = f"{kenmerk}.mdto.xml"  # the second carries the first export's Export event
    assert {n: b for n, b in first.items() if n != dossier} == {
        n: b for n, b in second.items() if n != dossier
    }
    assert [p.name for p in (tmp_path / "twee").iterdir()] == [kenmerk], "no temp folder left"


def test_a_problem_in_the_second_half_is_reported_and_nothing_is_left(
    ws: Workspace, kenmerk: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "SPLIT_AT", 2)
    monkeypatch.setattr(export, "STARTUP_RECORDS", 0)
    with ws.readers() as session:
        last = session.scalars(
            select(Informatieobject)
            .where(Informatieobject.parent_id == _id(ws, kenmerk))
            .order_by(Informatieobject.kenmerk.desc())
        ).first()
        assert last is not None
        last_id, last_kenmerk = last.id, last.kenmerk
    view = load_metadata(ws, last_id)
    # a bewaartermijn without waardering V, stored past the editor's checks
    bad = dataclasses.replace(view.own, bewaartermijn=Termijn(looptijd="P5Y"))
    with ws.sessions() as session, session.begin():
        row = session.get(Informatieobject, last_id)
        assert row is not None
        row.mdto = stored.dumps(bad, view.inherits - {"bewaartermijn"})
    report = export.export_mdto(ws, kenmerk, tmp_path / "uit")
    assert report.folder is None and report.objects == 1 + 2 * RECORDS
    assert [(p.file, p.problem.msgid) for p in report.problems] == [
        (f"{last_kenmerk}.mdto.xml", rules.TERM_WITHOUT_V)
    ]
    assert list((tmp_path / "uit").iterdir()) == []


def _id(ws: Workspace, kenmerk: str) -> str:
    with ws.readers() as session:
        found = session.scalar(
            select(Informatieobject.id).where(Informatieobject.kenmerk == kenmerk)
        )
    assert found is not None
    return found
