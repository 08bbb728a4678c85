"""Export → import → export gives the same metadata (issue 4, "Done when").

What is compared, and what is left out: each object's MDTO file before the
import and after the re-export, byte for byte where both are our own
serialisation (model equality for the Nationaal Archief's indented examples).
The only thing removed is the one ``Import`` event the import itself adds to
every object: it must be the object's *last* event, and everything before it
must be the events received. The export's own ``Export`` event needs no
removal: an export records it after writing, so no export carries its own.

The source workspace is SQLite; the workspace imported into runs on SQLite and
on PostgreSQL (the ``ws`` fixture).
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]
from sqlalchemy import select

from recordsdesk import kenmerk
from recordsdesk.db.models import Bestand, Informatieobject
from recordsdesk.mdto import model, package_pairing, rules, schema, stored, xmlio
from recordsdesk.mdto.model import Begrip, Identificatie, Verwijzing
from recordsdesk.services import Workspace, export_mdto, import_mdto, import_rows, open_workspace
from recordsdesk.services.sip import export_sip
from tests.core.samples import docx_bytes, pdf_bytes, row_counts, stored_objects
from tests.mdto.samples import begrip, full_bestand, full_informatieobject
from tests.mdto.test_export import filed_dossier

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "mdto" / "examples"
M = f"{{{schema.NAMESPACE}}}"


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    yield workspace
    workspace.close()


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path / "bron-home")
    yield workspace
    workspace.close()


def without_import_event(data: bytes) -> bytes:
    """An exported informatieobject without the Import event the import added (its last
    event, checked); a bestand unchanged."""
    root = etree.fromstring(data, schema.safe_parser())
    obj = root[0]
    if etree.QName(obj).localname == "informatieobject":
        events = obj.findall(f"{M}event")
        assert events, "the import adds an Import event to every object"
        assert events[-1].findtext(f"{M}eventType/{M}begripLabel") == "Import"
        obj.remove(events[-1])
    return xmlio.serialise(root)


def assert_files_identical(before: Path, after: Path) -> int:
    """Every ``*.mdto.xml`` under ``before`` equals the same-named file under ``after``
    but for the Import event; both folders hold the same MDTO files. Returns their number."""
    names = sorted(p.name for p in before.rglob("*.mdto.xml"))
    assert names == sorted(p.name for p in after.rglob("*.mdto.xml"))
    for name in names:
        [old] = before.rglob(name)
        [new] = after.rglob(name)
        assert without_import_event(new.read_bytes()) == old.read_bytes(), name
    return len(names)


def by_identificatie(
    folder: Path, pattern: str = "*.mdto.xml"
) -> dict[str, model.Informatieobject | model.Bestand]:
    found: dict[str, model.Informatieobject | model.Bestand] = {}
    for path in folder.rglob(pattern):
        obj = xmlio.read(path)
        assert not isinstance(obj, list), (path, obj)
        found[obj.identificatie[0].kenmerk] = obj
    return found


def content_beside(ws: Workspace, folder: Path) -> None:
    """Put each stored file under its original name beside the plain export's sidecars
    (``export mdto`` writes metadata only)."""
    with ws.readers() as session:
        for row in session.scalars(select(Bestand)):
            ws.objects.copy_out(row.sha256, folder / row.original_name)


# -- our own exports --------------------------------------------------------------


@pytest.mark.parametrize("chunk", [import_rows.CHUNK, 2])
def test_export_mdto_import_export_is_identical(
    source: Workspace, ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    # chunk 2: the transaction's flushes and the look-ups of taken kenmerken and ids
    # run in several chunks, as they do for a large package
    monkeypatch.setattr(import_rows, "CHUNK", chunk)
    src = tmp_path / "src"
    src.mkdir()
    dossier = filed_dossier(source, src)
    first = export_mdto(source, dossier, tmp_path / "uit1")
    assert first.folder is not None
    content_beside(source, first.folder)

    report = import_mdto(ws, first.folder)
    assert report.problems == ()
    assert all(o.kept_kenmerk for o in report.objects), "our own kenmerken are kept"
    assert report.bestanden == 3 and len(report.objects) == 4

    second = export_mdto(ws, dossier, tmp_path / "uit2")
    assert second.folder is not None and second.problems == []
    assert assert_files_identical(first.folder, second.folder) == first.objects == 7


def test_export_sip_import_export_is_identical(
    source: Workspace, ws: Workspace, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    dossier = filed_dossier(source, src)
    sip = export_sip(source, [dossier], tmp_path / "sip")
    assert sip.folder is not None, sip.problems

    report = import_mdto(ws, sip.folder)  # a BagIt bag: read from data/, manifest checked
    assert report.problems == () and report.bestanden == 3
    with ws.readers() as session:
        hashes = set(session.scalars(select(Bestand.sha256)))
    assert hashes == {p.name for p in stored_objects(ws.layout.objects)}

    again = export_mdto(ws, dossier, tmp_path / "uit")
    assert again.folder is not None and again.problems == []
    before, after = by_identificatie(sip.folder / "data"), by_identificatie(again.folder)
    assert sorted(before) == sorted(after)
    for key, old in before.items():
        new = after[key]
        if isinstance(new, model.Informatieobject):
            assert new.event[-1].type.label == "Import"
            new = dataclasses.replace(new, event=new.event[:-1])
        assert new == old, key


def test_importing_our_package_twice_gives_new_kenmerken(
    source: Workspace, ws: Workspace, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    dossier = filed_dossier(source, src)
    first = export_mdto(source, dossier, tmp_path / "uit1")
    assert first.folder is not None
    content_beside(source, first.folder)
    assert import_mdto(ws, first.folder).imported
    again = import_mdto(ws, first.folder)
    assert again.imported and not any(o.kept_kenmerk for o in again.objects)
    top = again.objects[0]
    with ws.readers() as session:
        row = session.scalars(select(Informatieobject).where(Informatieobject.id == top.id)).one()
        meta = stored.loads(row.mdto or "").meta
    # ours first, the package's (the first import's kenmerk) kept after it
    assert meta.identificatie == (
        Identificatie(top.kenmerk, "RecordsDesk"),
        Identificatie(dossier, "RecordsDesk"),
    )


# -- every element ---------------------------------------------------------------


def full_package(folder: Path) -> str:
    """A dossier and a record with every element (repeatable ones twice), two files with
    every bestand element; identificaties as our own export writes them. Returns the
    dossier's kenmerk."""
    station = "ABCDEF"  # another store's: a fresh workspace draws its own
    d_kenmerk, s_kenmerk = kenmerk.make("D", station, 1), kenmerk.make("S", station, 2)
    level = "Begrippenlijst Aggregatieniveaus MDTO"
    base = full_informatieobject()
    files = {"overzicht.pdf": pdf_bytes("overzicht"), "overzicht.docx": docx_bytes("Overzicht")}
    ids = {name: str(uuid.uuid4()) for name in files}
    dossier_ident = (Identificatie(d_kenmerk, "RecordsDesk"), Identificatie("u-1", "UUID"))
    dossier_ref = Verwijzing(base.naam, dossier_ident[0])
    record = dataclasses.replace(
        base,
        identificatie=(Identificatie(s_kenmerk, "RecordsDesk"), Identificatie("u-3", "UUID")),
        naam="Aanvraag dakkapel",
        aggregatieniveau=begrip("Archiefstuk", lijst=level),
        is_onderdeel_van=(dossier_ref,),
        bevat_onderdeel=(),
        heeft_representatie=(),
    )
    dossier = dataclasses.replace(
        base,
        identificatie=dossier_ident,
        aggregatieniveau=begrip("Dossier", lijst=level),
        is_onderdeel_van=(),
        bevat_onderdeel=(Verwijzing(record.naam, record.identificatie[0]),),
        heeft_representatie=tuple(
            Verwijzing(name, Identificatie(ids[name], "RecordsDesk")) for name in files
        ),
    )
    folder.mkdir(parents=True)
    xmlio.write(dossier, folder / f"{d_kenmerk}.mdto.xml")
    xmlio.write(record, folder / f"{s_kenmerk}.mdto.xml")
    sample = full_bestand()
    for name, data in files.items():
        digest = hashlib.sha256(data).hexdigest()
        puid = "fmt/412" if name.endswith(".docx") else "fmt/18"
        bestand = dataclasses.replace(
            sample,
            identificatie=(Identificatie(ids[name], "RecordsDesk"), Identificatie(name, "Zaak X")),
            naam=name,
            omvang=len(data),
            bestandsformaat=Begrip(
                rules.pronom_name(puid) or puid, puid, Verwijzing("PRONOM-register")
            ),
            checksum=tuple(dataclasses.replace(c, waarde=digest) for c in sample.checksum),
            is_representatie_van=dossier_ref,
        )
        xmlio.write(bestand, folder / f"{ids[name]}.bestand.mdto.xml")
        (folder / name).write_bytes(data)
    return d_kenmerk


def test_every_element_round_trips(ws: Workspace, tmp_path: Path) -> None:
    package = tmp_path / "pakket"
    dossier = full_package(package)
    read = {p.name: xmlio.read(p) for p in package.glob("*.mdto.xml")}
    every = [o for o in read.values() if isinstance(o, model.Informatieobject)]
    # the package really has every element: each field set somewhere
    for f in model.declared(model.Informatieobject):
        assert any(getattr(o, f.name) not in (None, ()) for o in every), f.name
    for f in model.declared(model.Bestand):
        assert all(getattr(o, f.name) not in (None, ()) for o in read.values()
                   if isinstance(o, model.Bestand)), f.name  # fmt: skip

    report = import_mdto(ws, package)
    assert report.problems == () and all(o.kept_kenmerk for o in report.objects)
    out = export_mdto(ws, dossier, tmp_path / "uit")
    assert out.folder is not None and out.problems == []
    assert assert_files_identical(package, out.folder) == 4


# -- the Nationaal Archief's examples ------------------------------------------------


def examples(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for path in EXAMPLES.glob("*.xml"):
        shutil.copy(path, folder / path.name)
    return folder


def test_the_official_examples_without_the_pdf_are_refused_whole(
    ws: Workspace, tmp_path: Path
) -> None:
    before = row_counts(ws.engine)
    report = import_mdto(ws, examples(tmp_path / "voorbeelden"))
    assert [(p.file, p.problem.msgid) for p in report.problems] == [
        ("MDTO-XML 1.0.1 Voorbeeld Bestand.xml", package_pairing.SIDECAR_WITHOUT_FILE)
    ]
    assert row_counts(ws.engine) == before and stored_objects(ws.layout.objects) == []


def test_the_official_examples_import_metadata_only_and_export_valid(
    ws: Workspace, tmp_path: Path
) -> None:
    folder = examples(tmp_path / "voorbeelden")
    report = import_mdto(ws, folder, metadata_only=True)
    assert report.problems == ()
    assert report.skipped == ("MDTO-XML 1.0.1 Voorbeeld Bestand.xml",)
    assert [o.aggregatieniveau for o in report.objects] == ["Serie", "Dossier", "Archiefstuk"]
    serie, dossier, stuk = report.objects
    out = export_mdto(ws, dossier.kenmerk, tmp_path / "uit")
    assert out.folder is not None and out.problems == [] and out.objects == 2
    assert all(schema.validate(p) == [] for p in out.folder.iterdir())
    received = by_identificatie(folder, "*.xml")
    exported = by_identificatie(out.folder)
    for ours, theirs in ((dossier.kenmerk, "DC/358"), (stuk.kenmerk, "DC-2015/1753")):
        new, old = exported[ours], received[theirs]
        assert isinstance(new, model.Informatieobject) and isinstance(old, model.Informatieobject)
        assert new.identificatie == (Identificatie(ours, "RecordsDesk"), *old.identificatie)
        assert new.event == (*old.event, new.event[-1]) and new.event[-1].type.label == "Import"
        assert stored.without_system_fields(dataclasses.replace(new, identificatie=())) == (
            stored.without_system_fields(dataclasses.replace(old, identificatie=()))
        )
    # the dossier under the Serie says so (the export reads a dossier's own parent)
    exported_dossier = exported[dossier.kenmerk]
    assert isinstance(exported_dossier, model.Informatieobject)
    [parent] = exported_dossier.is_onderdeel_van
    assert parent.identificatie is not None and parent.identificatie.kenmerk == serie.kenmerk
    # the Serie exports too, with everything under it, each file valid
    whole = export_mdto(ws, serie.kenmerk, tmp_path / "serie")
    assert whole.folder is not None and whole.problems == [] and whole.objects == 3
    assert all(schema.validate(p) == [] for p in whole.folder.iterdir())
    tree = by_identificatie(whole.folder)
    exported_serie = tree[serie.kenmerk]
    assert isinstance(exported_serie, model.Informatieobject)
    [part] = exported_serie.bevat_onderdeel
    assert part.identificatie is not None and part.identificatie.kenmerk == dossier.kenmerk
    assert set(tree) == {serie.kenmerk, dossier.kenmerk, stuk.kenmerk}


def test_the_official_examples_with_content_import_whole(ws: Workspace, tmp_path: Path) -> None:
    folder = examples(tmp_path / "voorbeelden")
    sidecar = folder / "MDTO-XML 1.0.1 Voorbeeld Bestand.xml"
    bestand = xmlio.read(sidecar)
    assert isinstance(bestand, model.Bestand)
    # the real PDF (57 MB) is not published: a PDF of our own under its name, with the
    # sidecar's omvang and checksum made to fit it; everything else as published
    data = pdf_bytes("Werkboek 2")
    (folder / bestand.naam).write_bytes(data)
    checksum = dataclasses.replace(bestand.checksum[0], waarde=hashlib.sha256(data).hexdigest())
    xmlio.write(dataclasses.replace(bestand, omvang=len(data), checksum=(checksum,)), sidecar)

    report = import_mdto(ws, folder)
    assert report.problems == () and report.bestanden == 1
    dossier = report.objects[1]
    out = export_mdto(ws, dossier.kenmerk, tmp_path / "uit")
    assert out.folder is not None and out.problems == [] and out.objects == 3
    exported = list(by_identificatie(out.folder).values())
    [new] = [o for o in exported if isinstance(o, model.Bestand)]
    [stuk] = [
        o for o in exported if isinstance(o, model.Informatieobject) and o.heeft_representatie
    ]
    assert new.identificatie[1:] == bestand.identificatie
    assert stuk.heeft_representatie[0].identificatie == new.identificatie[0]
    assert new.url_bestand == bestand.url_bestand and new.checksum == (checksum,)
    assert all(schema.validate(p) == [] for p in out.folder.iterdir())
