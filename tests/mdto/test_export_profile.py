"""The receiving archive's profile (setting ``mdto.profile``) applies to every export:
export mdto and export sip check each object against its extra rules."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from recordsdesk.mdto import profiles
from recordsdesk.mdto.model import Begrip, DekkingInTijd, Verwijzing
from recordsdesk.services import Workspace, create_dossier, export_sip, file_paths, open_workspace
from recordsdesk.services.dossiers import find_by_kenmerk
from recordsdesk.services.export import export_mdto
from recordsdesk.services.metadata import load_metadata, save_metadata
from recordsdesk.services.organisation import set_setting
from tests.core.samples import pdf_bytes, write


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    yield workspace
    workspace.close()


@pytest.fixture
def kenmerk(ws: Workspace, tmp_path: Path) -> str:
    created = create_dossier(ws, "Kapvergunning Kralingen")
    file_paths(ws, created.kenmerk, [write(tmp_path / "aanvraag.pdf", pdf_bytes("aanvraag"))])
    return created.kenmerk


def test_the_default_profile_adds_nothing(ws: Workspace, kenmerk: str, tmp_path: Path) -> None:
    report = export_mdto(ws, kenmerk, tmp_path / "uit")
    assert report.problems == [] and report.folder is not None


def test_under_the_nha_profile_a_dossier_without_looptijd_is_refused_everywhere(
    ws: Workspace, kenmerk: str, tmp_path: Path
) -> None:
    set_setting(ws, "mdto.profile", "noord-hollands archief")
    report = export_mdto(ws, kenmerk, tmp_path / "uit")
    assert report.folder is None
    assert [(p.file, p.problem.msgid) for p in report.problems] == [
        (f"{kenmerk}.mdto.xml", profiles.LOOPTIJD_NOT_ONE)
    ]
    assert list((tmp_path / "uit").iterdir()) == []
    sip = export_sip(ws, [kenmerk], tmp_path / "sip")
    assert sip.folder is None
    assert {p.problem.msgid for p in sip.problems} == {profiles.LOOPTIJD_NOT_ONE}


def test_under_the_nha_profile_a_dossier_with_its_looptijd_exports(
    ws: Workspace, kenmerk: str, tmp_path: Path
) -> None:
    set_setting(ws, "mdto.profile", "Noord-Hollands Archief")
    with ws.readers() as session:
        dossier_id = find_by_kenmerk(session, kenmerk, "Dossier").id
    view = load_metadata(ws, dossier_id)
    looptijd = DekkingInTijd(Begrip("Looptijd", None, Verwijzing("x")), "2026-01-05", "2026-11-20")
    own = dataclasses.replace(view.own, dekking_in_tijd=(looptijd,))
    save_metadata(ws, dossier_id, own, (), expected_version=view.version)
    report = export_mdto(ws, kenmerk, tmp_path / "uit")
    assert report.problems == [] and report.folder is not None
    assert export_sip(ws, [kenmerk], tmp_path / "sip").folder is not None
