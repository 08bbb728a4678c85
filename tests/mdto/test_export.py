"""`recordsdesk export mdto`: a real dossier with real files, every file checked.

Runs on SQLite and PostgreSQL (the ``ws`` fixture), through the service and
through the CLI in a subprocess.
"""

from __future__ import annotations

import email.message
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from recordsdesk.db.models import Informatieobject
from recordsdesk.mdto import model, schema, xmlio
from recordsdesk.services import Workspace, create_dossier, file_paths, open_workspace
from recordsdesk.services.export import export_mdto
from tests.cli.conftest import run_cli
from tests.core.samples import docx_bytes, pdf_bytes, write


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    yield workspace
    workspace.close()


def mail_bytes() -> bytes:
    message = email.message.EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@b.nl", "c@d.nl", "Verzoek"
    message.set_content("Zie bijlage.")
    message.add_attachment(pdf_bytes("bijlage"), maintype="application", subtype="pdf",
                           filename="bijlage.pdf")  # fmt: skip
    return message.as_bytes()


def filed_dossier(ws: Workspace, src: Path) -> str:
    kenmerk = create_dossier(ws, "Omgevingsvergunning Coolsingel 40").kenmerk
    paths = [
        write(src / "aanvraag.pdf", pdf_bytes("aanvraag")),
        write(src / "advies.docx", docx_bytes("Positief advies")),
        write(src / "verzoek.eml", mail_bytes()),
    ]
    file_paths(ws, kenmerk, paths)
    return kenmerk


@pytest.fixture
def src(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    return folder


def test_a_dossier_exports_one_valid_file_per_object(
    ws: Workspace, src: Path, tmp_path: Path
) -> None:
    kenmerk = filed_dossier(ws, src)
    report = export_mdto(ws, kenmerk, tmp_path / "uit")

    assert report.problems == [] and report.folder == tmp_path / "uit" / kenmerk
    files = sorted(report.folder.iterdir())
    assert len(files) == report.objects == 1 + 3 + 3  # dossier, 3 records, 3 bestanden
    assert [p.name for p in (tmp_path / "uit").iterdir()] == [kenmerk], "no temp folder left"
    read = {p.name: xmlio.read(p) for p in files}
    assert all(schema.validate(p) == [] for p in files)
    dossier = read[f"{kenmerk}.mdto.xml"]
    assert isinstance(dossier, model.Informatieobject)
    assert dossier.aggregatieniveau is not None and dossier.aggregatieniveau.label == "Dossier"
    assert len(dossier.bevat_onderdeel) == 3
    records = [
        o for o in read.values() if isinstance(o, model.Informatieobject) and o is not dossier
    ]
    bestanden = [o for o in read.values() if isinstance(o, model.Bestand)]
    assert len(records) == 3 and len(bestanden) == 3
    for record in records:
        # materialised, not inherited: every level carries its own values
        assert record.is_onderdeel_van[0].identificatie == dossier.identificatie[0]
        assert record.archiefvormer == dossier.archiefvormer
        assert record.waardering.code in ("B", "V", "N")
        assert record.beperking_gebruik
    with ws.readers() as session:
        stored = {b.id: b for io in session.query(Informatieobject).all() for b in io.bestanden}
    for bestand in bestanden:
        row = stored[bestand.identificatie[0].kenmerk]
        assert bestand.omvang == row.size
        assert bestand.checksum[0].waarde == row.sha256
        assert bestand.checksum[0].algoritme.label == "SHA-256"
    rotterdam = dossier.archiefvormer[0]
    assert rotterdam.identificatie is not None and rotterdam.identificatie.kenmerk == "gm0599"
    assert [e.type.label for e in dossier.event] == ["Creatie"]

    # the export is an event of the dossier: the next export carries it
    again = export_mdto(ws, kenmerk, tmp_path / "opnieuw")
    assert again.folder is not None
    second = xmlio.read(again.folder / f"{kenmerk}.mdto.xml")
    assert isinstance(second, model.Informatieobject)
    assert [e.type.label for e in second.event] == ["Creatie", "Export"]
    export_event = second.event[1]
    assert export_event.type.begrippenlijst.naam == "Begrippenlijst EventTypeLijst MDTO"
    assert export_event.resultaat == "MDTO 1.0.1: 7 bestanden"


def test_an_existing_target_is_refused_and_left_alone(
    ws: Workspace, src: Path, tmp_path: Path
) -> None:
    from recordsdesk.errors import UserError

    kenmerk = filed_dossier(ws, src)
    (tmp_path / "uit" / kenmerk).mkdir(parents=True)
    (tmp_path / "uit" / kenmerk / "eigen.txt").write_text("niet overschrijven")
    with pytest.raises(UserError):
        export_mdto(ws, kenmerk, tmp_path / "uit")
    assert [p.name for p in (tmp_path / "uit" / kenmerk).iterdir()] == ["eigen.txt"]


def test_problems_are_all_listed_and_nothing_is_left(
    ws: Workspace, src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kenmerk = filed_dossier(ws, src)
    from recordsdesk.mdto import mapping

    real = mapping.bestand

    def without_checksum(row: object, owner: object) -> model.Bestand:
        import dataclasses

        return dataclasses.replace(real(row, owner), checksum=(), omvang=-1)  # type: ignore[arg-type]

    # The world cannot give us a broken row (the database refuses one), so the
    # mapping is made to produce what a faulty future change could.
    monkeypatch.setattr(mapping, "bestand", without_checksum)
    report = export_mdto(ws, kenmerk, tmp_path / "uit")
    assert report.folder is None
    broken = {p.file for p in report.problems}
    assert len(broken) == 3 and all(f.endswith(".bestand.mdto.xml") for f in broken)
    assert {p.problem.msgid for p in report.problems} >= {schema.SCHEMA_VIOLATION}
    assert not (tmp_path / "uit").exists() or list((tmp_path / "uit").iterdir()) == []


def test_the_cli_exports_and_says_so_in_dutch(home: Path, src: Path, tmp_path: Path) -> None:
    ws = open_workspace(home)
    try:
        kenmerk = filed_dossier(ws, src)
    finally:
        ws.close()
    command = [sys.executable, "-m", "recordsdesk.cli", "--home", str(home), "export", "mdto"]
    done = subprocess.run([*command, kenmerk, "--out", str(tmp_path / "uit")],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "7 MDTO-bestanden geschreven" in done.stdout
    again = subprocess.run([*command, kenmerk, "--out", str(tmp_path / "uit"), "--json"],
                           capture_output=True, text=True, check=False)  # fmt: skip
    assert again.returncode == 2 and "bestaat al" in again.stderr
    assert "Traceback" not in again.stderr
    unknown = subprocess.run([*command, "D-1999-9999", "--out", str(tmp_path / "x"), "--json"],
                             capture_output=True, text=True, check=False)  # fmt: skip
    assert unknown.returncode == 2 and not (tmp_path / "x").exists()
    fresh = subprocess.run([*command, kenmerk, "--out", str(tmp_path / "twee"), "--json"],
                           capture_output=True, text=True, check=False)  # fmt: skip
    assert json.loads(fresh.stdout)["objects"] == 7


def test_a_failing_write_is_a_clear_error_and_leaves_nothing(home: Path, tmp_path: Path) -> None:
    """A full disk, made real: the CLI runs with a 1 MB file size limit (RLIMIT_FSIZE),
    and one record's description makes its MDTO file larger than that."""
    ws = open_workspace(home)
    try:
        kenmerk = create_dossier(ws, "Groot").kenmerk
        file_paths(ws, kenmerk, [write(tmp_path / "brief.pdf", pdf_bytes("brief"))])
        with ws.sessions() as session, session.begin():
            record = session.scalars(
                select(Informatieobject).where(Informatieobject.aggregatieniveau == "Archiefstuk")
            ).one()
            record.omschrijving = "lang verhaal " * 100_000  # 1.3 MB of text
    finally:
        ws.close()

    out = tmp_path / "uit"
    done = run_cli(
        ["--home", home, "export", "mdto", kenmerk, "--out", out], max_file_size=1_000_000
    )
    assert done.code == 2, done.err
    assert "Kan niet schrijven naar" in done.err and "Traceback" not in done.err
    assert list(out.iterdir()) == []
