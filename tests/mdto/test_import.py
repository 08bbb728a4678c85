"""`recordsdesk import mdto`: bad packages are refused whole, a good one is imported whole.

Every attack of issue 4 ("Bad input") is built as real files on disk and fed to
the real service (SQLite and PostgreSQL through ``ws``): each must give a clear
report, and leave the database (row counts) and the object store (objects and
temp files) exactly as they were. The 2 GB file runs through the CLI in a
subprocess whose peak memory is read from the kernel.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from recordsdesk.db.models import Bestand
from recordsdesk.errors import UserError
from recordsdesk.mdto import importer, model, package_pairing, package_walk, rules, schema, xmlio
from recordsdesk.mdto.model import Begrip, Checksum, Identificatie, Verwijzing
from recordsdesk.services import Workspace, import_rows, importing, open_workspace
from recordsdesk.services.importing import ImportReport, import_mdto
from tests.core.samples import pdf_bytes, row_counts, stored_objects, temp_files
from tests.mdto.samples import begrip, full_informatieobject

GiB = 1024**3
SHA256 = Begrip("SHA-256", None, Verwijzing("Begrippenlijst ChecksumAlgoritme MDTO"))
PDF = Begrip("Acrobat PDF 1.4 - Portable Document Format", "fmt/18", Verwijzing("PRONOM-register"))


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    yield workspace
    workspace.close()


# -- building packages ---------------------------------------------------------


def ref(obj: model.Informatieobject | model.Bestand) -> Verwijzing:
    return Verwijzing(obj.naam, obj.identificatie[0])


def dossier(kenmerk: str = "ZAAK-1", bron: str = "Zaaksysteem X") -> model.Informatieobject:
    base = full_informatieobject()
    return dataclasses.replace(
        base,
        identificatie=(Identificatie(kenmerk, bron),),
        aggregatieniveau=begrip("Dossier", lijst="Begrippenlijst Aggregatieniveaus MDTO"),
        is_onderdeel_van=(),
        bevat_onderdeel=(),
        heeft_representatie=(),
    )


def record(parent: model.Informatieobject, kenmerk: str = "DOC-1") -> model.Informatieobject:
    return model.Informatieobject(
        identificatie=(Identificatie(kenmerk, "Zaaksysteem X"),),
        naam="Aanvraag",
        aggregatieniveau=begrip("Archiefstuk", lijst="Begrippenlijst Aggregatieniveaus MDTO"),
        waardering=parent.waardering,
        bewaartermijn=parent.bewaartermijn,
        is_onderdeel_van=(ref(parent),),
        archiefvormer=parent.archiefvormer,
        beperking_gebruik=parent.beperking_gebruik,
    )


def bestand_for(
    owner: model.Informatieobject, data: bytes, naam: str = "aanvraag.pdf"
) -> model.Bestand:
    return model.Bestand(
        identificatie=(Identificatie(f"F-{naam}", "Zaaksysteem X"),),
        naam=naam,
        omvang=len(data),
        bestandsformaat=PDF,
        checksum=(Checksum(SHA256, hashlib.sha256(data).hexdigest(), "2024-05-17T10:11:12"),),
        is_representatie_van=ref(owner),
    )


def write_package(folder: Path, content: bytes | None = None) -> dict[str, Path]:
    """Dossier + record + one PDF with its sidecar, another system's identificaties."""
    folder.mkdir(parents=True, exist_ok=True)
    data = pdf_bytes("aanvraag") if content is None else content
    top = dossier()
    child = record(top)
    bestand = bestand_for(child, data)
    top = dataclasses.replace(top, bevat_onderdeel=(ref(child),))
    child = dataclasses.replace(child, heeft_representatie=(ref(bestand),))
    paths = {
        "dossier": folder / "zaak.mdto.xml",
        "record": folder / "aanvraag.mdto.xml",
        "sidecar": folder / "aanvraag.pdf.bestand.mdto.xml",
        "content": folder / "aanvraag.pdf",
    }
    xmlio.write(top, paths["dossier"])
    xmlio.write(child, paths["record"])
    xmlio.write(bestand, paths["sidecar"])
    paths["content"].write_bytes(data)
    return paths


def snapshot(ws: Workspace) -> tuple[dict[str, int], list[Path], list[Path]]:
    return row_counts(ws.engine), stored_objects(ws.layout.objects), temp_files(ws.layout.objects)


def refused(ws: Workspace, folder: Path, **options: bool) -> ImportReport:
    """Import ``folder``, expecting a refusal that changed nothing."""
    before = snapshot(ws)
    report = import_mdto(ws, folder, **options)
    assert not report.imported and report.problems, "the package should have been refused"
    assert report.objects == () and report.bestanden == 0
    assert snapshot(ws) == before, "a refused import changed the database or the store"
    return report


def messages(report: ImportReport) -> set[str]:
    return {p.problem.msgid for p in report.problems}


# -- the good case --------------------------------------------------------------


def test_a_valid_package_is_imported_whole(ws: Workspace, tmp_path: Path) -> None:
    paths = write_package(tmp_path / "pakket")
    before = row_counts(ws.engine)
    report = import_mdto(ws, tmp_path / "pakket")

    assert report.problems == () and report.imported
    assert [o.aggregatieniveau for o in report.objects] == ["Dossier", "Archiefstuk"]
    assert report.bestanden == 1 and report.size == paths["content"].stat().st_size
    after = row_counts(ws.engine)
    assert after["informatieobject"] == before["informatieobject"] + 2
    assert after["bestand"] == before["bestand"] + 1
    # the full dossier's 2 events + one Import event per object
    assert after["event"] == before["event"] + 2 + 2
    assert after["audit_event"] == before["audit_event"] + 1
    digest = hashlib.sha256(paths["content"].read_bytes()).hexdigest()
    assert ws.objects.check(digest) is None, "the content is in the store, intact"
    with ws.readers() as session:
        [row] = session.scalars(select(Bestand)).all()
    assert (row.sha256, row.size, row.role) == (
        digest,
        len(paths["content"].read_bytes()),
        "original",
    )
    assert row.mime == "application/pdf" and row.puid == "fmt/18", "identified like filed content"
    assert row.original_name == "aanvraag.pdf"
    assert temp_files(ws.layout.objects) == []
    # another system's kenmerk: a new one of ours, theirs kept after it
    top, child = report.objects
    assert not top.kept_kenmerk and top.kenmerk.startswith("D-")
    assert child.kenmerk.startswith("S-")
    from recordsdesk.services.metadata import load_metadata

    view = load_metadata(ws, top.id)
    assert view.own.identificatie == (
        Identificatie(top.kenmerk, "RecordsDesk"),
        Identificatie("ZAAK-1", "Zaaksysteem X"),
    )
    assert view.own.naam == "Vergunning dakkapel Coolsingel 40"
    assert view.inherits == frozenset()
    record_view = load_metadata(ws, child.id)
    assert record_view.parent_kenmerk == top.kenmerk
    assert [b.checksum[0].waarde for b in record_view.bestanden] == [digest]
    assert record_view.bestanden[0].identificatie[1] == Identificatie(
        "F-aanvraag.pdf", "Zaaksysteem X"
    )


# -- bad XML ----------------------------------------------------------------------


def test_xml_that_is_not_well_formed_is_refused(ws: Workspace, tmp_path: Path) -> None:
    paths = write_package(tmp_path / "pakket")
    paths["record"].write_bytes(b"<?xml version='1.0'?><MDTO><informatieobject>")
    report = refused(ws, tmp_path / "pakket")
    assert messages(report) == {schema.NOT_WELL_FORMED}
    assert {p.file for p in report.problems} == {"aanvraag.mdto.xml"}


def test_xml_that_is_not_mdto_is_refused(ws: Workspace, tmp_path: Path) -> None:
    paths = write_package(tmp_path / "pakket")
    paths["record"].write_bytes(
        b"<?xml version='1.0'?><record xmlns='urn:x'><naam>x</naam></record>"
    )
    report = refused(ws, tmp_path / "pakket")
    assert messages(report) == {schema.NOT_MDTO}
    assert report.problems[0].problem.path == "/record"


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_another_mdto_version_is_refused(ws: Workspace, tmp_path: Path, version: str) -> None:
    paths = write_package(tmp_path / "pakket")
    text = paths["dossier"].read_text(encoding="utf-8")
    paths["dossier"].write_text(
        text.replace("MDTO-XML1.0.1.xsd", f"MDTO-XML{version}.xsd"), encoding="utf-8"
    )
    report = refused(ws, tmp_path / "pakket")
    assert messages(report) == {schema.OTHER_VERSION}
    assert report.problems[0].problem.params["found"] == version
    assert report.problems[0].file == "zaak.mdto.xml"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE MDTO [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<MDTO xmlns="https://www.nationaalarchief.nl/mdto"><informatieobject>
<naam>&lol9;&xxe;</naam></informatieobject></MDTO>
"""


def test_an_entity_bomb_is_refused_unexpanded(ws: Workspace, tmp_path: Path) -> None:
    paths = write_package(tmp_path / "pakket")
    paths["record"].write_bytes(BILLION_LAUGHS)
    # also under a plain .xml name (found by its MDTO root? no: the DOCTYPE comes first,
    # so it is content without a sidecar, refused as well)
    (tmp_path / "pakket" / "bom.xml").write_bytes(BILLION_LAUGHS)
    report = refused(ws, tmp_path / "pakket")
    by_file = {p.file: p.problem.msgid for p in report.problems}
    assert by_file == {
        "aanvraag.mdto.xml": schema.HAS_DOCTYPE,
        "bom.xml": package_pairing.FILE_WITHOUT_SIDECAR,
    }


# -- content and sidecars -----------------------------------------------------------


def test_a_sidecar_without_its_file_is_refused(ws: Workspace, tmp_path: Path) -> None:
    paths = write_package(tmp_path / "pakket")
    paths["content"].unlink()
    report = refused(ws, tmp_path / "pakket")
    assert messages(report) == {package_pairing.SIDECAR_WITHOUT_FILE}
    assert report.problems[0].file == "aanvraag.pdf.bestand.mdto.xml"
    assert report.problems[0].problem.params["expected"] == "aanvraag.pdf"


def test_a_file_without_its_sidecar_is_refused(ws: Workspace, tmp_path: Path) -> None:
    write_package(tmp_path / "pakket")
    (tmp_path / "pakket" / "sub").mkdir()
    (tmp_path / "pakket" / "sub" / "los.pdf").write_bytes(pdf_bytes("los"))
    report = refused(ws, tmp_path / "pakket")
    assert [(p.file, p.problem.msgid) for p in report.problems] == [
        ("sub/los.pdf", package_pairing.FILE_WITHOUT_SIDECAR)
    ]


def test_a_checksum_that_does_not_match_is_refused(ws: Workspace, tmp_path: Path) -> None:
    paths = write_package(tmp_path / "pakket")
    data = bytearray(paths["content"].read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, other content
    paths["content"].write_bytes(bytes(data))
    report = refused(ws, tmp_path / "pakket")
    assert [(p.file, p.problem.msgid, p.problem.path) for p in report.problems] == [
        (
            "aanvraag.pdf.bestand.mdto.xml",
            rules.CHECKSUM_DIFFERS,
            "/MDTO/bestand/checksum/checksumWaarde",
        )
    ]


def test_a_wrong_size_is_refused_without_reading_the_file(ws: Workspace, tmp_path: Path) -> None:
    paths = write_package(tmp_path / "pakket")
    with paths["content"].open("ab") as handle:
        handle.write(b"more")
    report = refused(ws, tmp_path / "pakket")
    assert messages(report) == {rules.SIZE_DIFFERS}


def test_md5_and_sha512_checksums_are_verified_too(ws: Workspace, tmp_path: Path) -> None:
    paths = write_package(tmp_path / "pakket")
    data = paths["content"].read_bytes()
    sidecar = xmlio.read(paths["sidecar"])
    assert isinstance(sidecar, model.Bestand)
    md5 = Begrip("MD5", None, Verwijzing("Begrippenlijst ChecksumAlgoritme MDTO"))
    sha512 = Begrip("SHA-512", None, Verwijzing("Begrippenlijst ChecksumAlgoritme MDTO"))
    good = (
        Checksum(md5, hashlib.md5(data).hexdigest(), "2024-05-17T10:11:12"),
        Checksum(sha512, hashlib.sha512(data).hexdigest(), "2024-05-17T10:11:12"),
    )
    xmlio.write(dataclasses.replace(sidecar, checksum=good), paths["sidecar"])
    found = importer.scan(tmp_path / "pakket")
    assert found.problems == () and found.plan is not None
    wrong = (dataclasses.replace(good[0], waarde="0" * 32), good[1])
    xmlio.write(dataclasses.replace(sidecar, checksum=wrong), paths["sidecar"])
    report = refused(ws, tmp_path / "pakket")
    assert [(p.problem.msgid, p.problem.path) for p in report.problems] == [
        (rules.CHECKSUM_DIFFERS, "/MDTO/bestand/checksum[1]/checksumWaarde")
    ]


# -- paths that try to leave -----------------------------------------------------------


@pytest.mark.parametrize("naam", ["../../etc/passwd", "/etc/passwd", "..\\..\\boot.ini", ".."])
def test_a_naam_with_a_path_is_refused(ws: Workspace, tmp_path: Path, naam: str) -> None:
    paths = write_package(tmp_path / "pakket")
    secret = tmp_path / "etc" / "passwd"
    secret.parent.mkdir()
    secret.write_bytes(paths["content"].read_bytes())  # the same bytes: only the path is wrong
    sidecar = xmlio.read(paths["sidecar"])
    assert isinstance(sidecar, model.Bestand)
    paths["sidecar"].unlink()
    paths["content"].unlink()
    # named otherwise, so its content would be looked up by naam
    xmlio.write(dataclasses.replace(sidecar, naam=naam), tmp_path / "pakket" / "bestand.mdto.xml")
    report = refused(ws, tmp_path / "pakket")
    assert (package_pairing.UNSAFE_NAME, "/MDTO/bestand/naam") in {
        (p.problem.msgid, p.problem.path) for p in report.problems
    }


def test_a_symlink_out_of_the_package_is_refused(ws: Workspace, tmp_path: Path) -> None:
    paths = write_package(tmp_path / "pakket")
    outside = tmp_path / "geheim.pdf"
    outside.write_bytes(paths["content"].read_bytes())
    paths["content"].unlink()
    paths["content"].symlink_to(outside)
    (tmp_path / "pakket" / "map").symlink_to(tmp_path, target_is_directory=True)
    report = refused(ws, tmp_path / "pakket")
    found = {(p.file, p.problem.msgid) for p in report.problems}
    assert ("aanvraag.pdf", package_walk.SYMLINK_OUTSIDE) in found
    assert ("map", package_walk.SYMLINK_OUTSIDE) in found
    assert ("aanvraag.pdf.bestand.mdto.xml", package_pairing.SIDECAR_WITHOUT_FILE) in found


def test_a_symlink_inside_the_package_is_refused_too(ws: Workspace, tmp_path: Path) -> None:
    paths = write_package(tmp_path / "pakket")
    real = tmp_path / "pakket" / "echt.pdf"
    paths["content"].rename(real)
    paths["content"].symlink_to(real.name)
    report = refused(ws, tmp_path / "pakket")
    assert ("aanvraag.pdf", package_walk.SYMLINK) in {
        (p.file, p.problem.msgid) for p in report.problems
    }


def test_a_fifo_is_refused_without_waiting_on_it(ws: Workspace, tmp_path: Path) -> None:
    write_package(tmp_path / "pakket")
    os.mkfifo(tmp_path / "pakket" / "pijp")
    report = refused(ws, tmp_path / "pakket")
    assert [(p.file, p.problem.msgid) for p in report.problems] == [
        ("pijp", package_walk.SPECIAL_FILE)
    ]


def test_a_bag_manifest_that_points_outside_is_refused(ws: Workspace, tmp_path: Path) -> None:
    bag = tmp_path / "bag"
    paths = write_package(bag / "data")
    (bag / "bagit.txt").write_text("BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n")
    lines = [
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(bag).as_posix()}"
        for p in paths.values()
    ]
    manifest = bag / "manifest-sha256.txt"
    manifest.write_text("\n".join(lines) + "\n")
    assert importer.scan(bag).problems == (), "the bag itself is fine"
    manifest.write_text("\n".join([*lines, f"{'0' * 64}  data/../../etc/passwd"]) + "\n")
    report = refused(ws, bag)
    assert [(p.file, p.problem.msgid) for p in report.problems] == [
        ("manifest-sha256.txt", package_walk.MANIFEST_OUTSIDE)
    ]
    manifest.write_text("\n".join(lines[1:]) + "\n")  # the dossier's file unlisted
    report = refused(ws, bag)
    assert [(p.file, p.problem.msgid) for p in report.problems] == [
        ("data/zaak.mdto.xml", package_walk.MANIFEST_UNLISTED)
    ]


# -- hierarchy ---------------------------------------------------------------------------


def test_a_reference_out_of_the_package_is_refused(ws: Workspace, tmp_path: Path) -> None:
    paths = write_package(tmp_path / "pakket")
    top = xmlio.read(paths["dossier"])
    assert isinstance(top, model.Informatieobject)
    serie = Verwijzing("Serie", Identificatie("SERIE-9", "Zaaksysteem X"))
    xmlio.write(dataclasses.replace(top, is_onderdeel_van=(serie,)), paths["dossier"])
    report = refused(ws, tmp_path / "pakket")
    assert [(p.problem.msgid, p.problem.path) for p in report.problems] == [
        (importer.REF_UNRESOLVED, "/MDTO/informatieobject/isOnderdeelVan")
    ]


def test_a_cycle_is_refused(ws: Workspace, tmp_path: Path) -> None:
    paths = write_package(tmp_path / "pakket")
    top = xmlio.read(paths["dossier"])
    child = xmlio.read(paths["record"])
    assert isinstance(top, model.Informatieobject) and isinstance(child, model.Informatieobject)
    xmlio.write(dataclasses.replace(top, is_onderdeel_van=(ref(child),), bevat_onderdeel=()),
                paths["dossier"])  # fmt: skip
    report = refused(ws, tmp_path / "pakket")
    assert rules.CYCLE in messages(report)


def test_an_aggregatieniveau_we_cannot_keep_is_refused(ws: Workspace, tmp_path: Path) -> None:
    paths = write_package(tmp_path / "pakket")
    top = xmlio.read(paths["dossier"])
    assert isinstance(top, model.Informatieobject)
    zaak = begrip("Zaak", lijst="Begrippenlijst Aggregatieniveaus MDTO")
    xmlio.write(dataclasses.replace(top, aggregatieniveau=zaak), paths["dossier"])
    report = refused(ws, tmp_path / "pakket")
    assert [(p.file, p.problem.msgid) for p in report.problems] == [
        ("zaak.mdto.xml", import_rows.LEVEL_UNKNOWN)
    ]


# -- content that changes between the check and the store ------------------------------------


def test_a_file_changed_after_the_check_refuses_everything(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = write_package(tmp_path / "pakket")
    real_scan = importer.scan

    def scan_then_change(folder: Path, **options: bool) -> importer.Scan:
        found = real_scan(folder, **options)
        # another process rewrites the file after it was checked (same size)
        data = bytearray(paths["content"].read_bytes())
        data[-2] ^= 0x01
        paths["content"].write_bytes(bytes(data))
        return found

    monkeypatch.setattr(importer, "scan", scan_then_change)
    before = snapshot(ws)
    with pytest.raises(UserError) as refusal:
        import_mdto(ws, tmp_path / "pakket")
    assert refusal.value.msgid == importing.CHANGED
    assert snapshot(ws) == before


# -- the 2 GB file, through the CLI --------------------------------------------------------------

_PEAK = """
import sys
from recordsdesk.cli import main
code = main(sys.argv[2:])
with open("/proc/self/status") as status:
    peak = next(l for l in status if l.startswith("VmHWM:")).split()[1]
with open(sys.argv[1], "w") as out:
    out.write(peak)
raise SystemExit(code)
"""


def test_a_2_gb_file_is_hashed_streaming_and_its_wrong_checksum_refused(
    home: Path, tmp_path: Path
) -> None:
    paths = write_package(tmp_path / "pakket")
    big = tmp_path / "pakket" / "groot.bin"
    with big.open("wb") as handle:
        handle.truncate(2 * GiB)  # sparse: no disk space, but 2 GiB to read
    child = xmlio.read(paths["record"])
    assert isinstance(child, model.Informatieobject)
    # the right size (so it is read), a wrong checksum
    sidecar = dataclasses.replace(bestand_for(child, b"x", "groot.bin"), omvang=2 * GiB)
    xmlio.write(sidecar, tmp_path / "pakket" / "groot.bin.bestand.mdto.xml")
    more = (*child.heeft_representatie, ref(sidecar))
    xmlio.write(dataclasses.replace(child, heeft_representatie=more), paths["record"])
    peak_file = tmp_path / "peak"
    env = {**os.environ, "RECORDSDESK_LANG": "en"}
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, str(peak_file), "--home", str(home),
         "import", "mdto", str(tmp_path / "pakket")],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "groot.bin.bestand.mdto.xml: /MDTO/bestand/checksum/checksumWaarde:" in done.stderr
    assert "checksum does not match" in done.stderr
    peak_mib = int(peak_file.read_text()) / 1024
    # reading the file whole would need 2,048 MiB; streaming keeps the CLI's usual size
    assert peak_mib < 300, f"peak RSS {peak_mib:.0f} MiB: the file was not streamed"
    ws = open_workspace(home)
    try:
        counts = row_counts(ws.engine)
        assert counts["informatieobject"] == counts["bestand"] == 0
        assert stored_objects(ws.layout.objects) == [] and temp_files(ws.layout.objects) == []
    finally:
        ws.close()


def test_the_cli_reports_in_dutch_and_imports(home: Path, tmp_path: Path) -> None:
    paths = write_package(tmp_path / "pakket")
    command = [sys.executable, "-m", "recordsdesk.cli", "--home", str(home), "import", "mdto"]
    env = {**os.environ, "RECORDSDESK_LANG": "nl"}
    paths["content"].rename(tmp_path / "weg.pdf")
    bad = subprocess.run([*command, str(tmp_path / "pakket")],
                         capture_output=True, text=True, check=False, env=env)  # fmt: skip
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "zit niet in het pakket" in bad.stderr and "Niets geïmporteerd" in bad.stderr
    (tmp_path / "weg.pdf").rename(paths["content"])
    good = subprocess.run([*command, str(tmp_path / "pakket"), "--json"],
                          capture_output=True, text=True, check=False, env=env)  # fmt: skip
    assert good.returncode == 0, good.stderr
    import json

    result = json.loads(good.stdout)
    assert result["imported"] and result["bestanden"] == 1
    assert [o["aggregatieniveau"] for o in result["objects"]] == ["Dossier", "Archiefstuk"]
    missing = subprocess.run([*command, str(tmp_path / "bestaat-niet")],
                             capture_output=True, text=True, check=False, env=env)  # fmt: skip
    assert missing.returncode == 2 and "is geen map" in missing.stderr


def test_a_folder_without_mdto_objects_is_refused(ws: Workspace, tmp_path: Path) -> None:
    (tmp_path / "leeg").mkdir()
    report = refused(ws, tmp_path / "leeg")
    assert [(p.file, p.problem.msgid) for p in report.problems] == [("", importer.NO_OBJECTS)]


def test_one_identificatie_for_two_objects_is_refused(ws: Workspace, tmp_path: Path) -> None:
    paths = write_package(tmp_path / "pakket")
    top = xmlio.read(paths["dossier"])
    assert isinstance(top, model.Informatieobject)
    twin = dataclasses.replace(top, naam="Tweeling", bevat_onderdeel=())
    xmlio.write(twin, tmp_path / "pakket" / "tweeling.mdto.xml")
    report = refused(ws, tmp_path / "pakket")
    assert importer.DUPLICATE_ID in messages(report)


def test_a_loose_archiefstuk_is_refused(ws: Workspace, tmp_path: Path) -> None:
    paths = write_package(tmp_path / "pakket")
    top = xmlio.read(paths["dossier"])
    child = xmlio.read(paths["record"])
    assert isinstance(top, model.Informatieobject) and isinstance(child, model.Informatieobject)
    xmlio.write(dataclasses.replace(top, bevat_onderdeel=()), paths["dossier"])
    xmlio.write(dataclasses.replace(child, is_onderdeel_van=()), paths["record"])
    report = refused(ws, tmp_path / "pakket")
    assert [(p.file, p.problem.msgid) for p in report.problems] == [
        ("aanvraag.mdto.xml", import_rows.LOOSE_RECORD)
    ]


def test_another_systems_tree_is_read_by_reference(ws: Workspace, tmp_path: Path) -> None:
    """Folders of its own, sidecars named as that system likes (found by their MDTO root),
    content found by the bestand's naam beside its sidecar, and an XML file as content."""
    folder = tmp_path / "export-x"
    top = dossier()
    child = record(top)
    pdf, xml = pdf_bytes("brief"), b"<?xml version='1.0'?><zaak><id>1</id></zaak>"
    letter = bestand_for(child, pdf, "brief.pdf")
    data = dataclasses.replace(
        bestand_for(child, xml, "zaak.xml"),
        identificatie=(Identificatie("F-2", "Zaaksysteem X"),),
        bestandsformaat=Begrip(
            "Extensible Markup Language", "fmt/101", Verwijzing("PRONOM-register")
        ),
    )
    top = dataclasses.replace(top, bevat_onderdeel=(ref(child),))
    child = dataclasses.replace(child, heeft_representatie=(ref(letter), ref(data)))
    (folder / "stukken" / "1").mkdir(parents=True)
    xmlio.write(top, folder / "dossier-metadata.xml")
    xmlio.write(child, folder / "stukken" / "1" / "metadata.xml")
    xmlio.write(letter, folder / "stukken" / "1" / "bestand-1.xml")
    (folder / "stukken" / "1" / "brief.pdf").write_bytes(pdf)
    xmlio.write(data, folder / "stukken" / "1" / "zaak.xml.bestand.mdto.xml")
    (folder / "stukken" / "1" / "zaak.xml").write_bytes(xml)

    report = import_mdto(ws, folder)
    assert report.problems == ()
    assert [o.source for o in report.objects] == ["dossier-metadata.xml", "stukken/1/metadata.xml"]
    assert report.bestanden == 2 and report.size == len(pdf) + len(xml)
    from recordsdesk.services.metadata import load_metadata

    names = [b.naam for b in load_metadata(ws, report.objects[1].id).bestanden]
    assert names == ["brief.pdf", "zaak.xml"], "in heeftRepresentatie order"


def test_an_undecodable_file_name_is_reported_printably(home: Path, tmp_path: Path) -> None:
    write_package(tmp_path / "pakket")
    odd = os.fsencode(tmp_path / "pakket") + b"/brief-\xff.pdf"
    with open(odd, "wb") as handle:
        handle.write(pdf_bytes("latin-1"))
    command = [sys.executable, "-m", "recordsdesk.cli", "--home", str(home), "import", "mdto"]
    done = subprocess.run([*command, str(tmp_path / "pakket"), "--json"],
                          capture_output=True, check=False)  # fmt: skip
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    import json

    result = json.loads(done.stdout)
    assert [p["file"] for p in result["problems"]] == ["brief-\ufffd.pdf"]
