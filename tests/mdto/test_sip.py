"""`recordsdesk export sip`: an e-Depot transfer package from really filed content.

The dossier is built the way the application files things: a PDF and a DOCX
through ``file_paths``, an e-mail with an attachment through the drop folder
and the inbox (the attachment becomes a second bestand of the mail's record).
Checked with the official XSD, with bagit-python run as the external tool, and
by hand. Runs on SQLite and PostgreSQL (the ``ws`` fixture).
"""

from __future__ import annotations

import email.message
import hashlib
import json
import os
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]
from sqlalchemy import select

from recordsdesk.db.models import AuditEvent, Bestand, Event, Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.intake import inbox, runner
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.mdto import model, rules, schema, sip, sip_layout, sip_verify, xmlio
from recordsdesk.mdto.pakbon import PAKBON_NAMESPACE
from recordsdesk.services import Workspace, create_dossier, export_sip, file_paths, open_workspace
from recordsdesk.services import sip as sip_service
from recordsdesk.services.importing import import_mdto
from recordsdesk.tasks import Cancelled, CancelToken
from tests.cli.conftest import run_cli
from tests.core.samples import docx_bytes, flip_byte, pdf_bytes, write

PAKBON = f"{{{PAKBON_NAMESPACE}}}"


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    yield workspace
    workspace.close()


class _Clock:
    """The intake's stability clock, stepped instead of slept (as tests/intake does)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def mail_bytes() -> tuple[bytes, bytes]:
    message = email.message.EmailMessage()
    message["From"], message["To"] = "j.devries@example.nl", "info@rotterdam.example"
    message["Subject"] = "Zienswijze Coolsingel 40"
    message["Date"] = "Tue, 03 Nov 2026 14:05:00 +0100"
    message.set_content("Geachte heer, mevrouw,\n\nHierbij mijn zienswijze.\n")
    attachment = pdf_bytes("zienswijze")
    message.add_attachment(attachment, maintype="application", subtype="pdf",
                           filename="zienswijze.pdf")  # fmt: skip
    return message.as_bytes(), attachment


def filed_dossier(ws: Workspace, tmp_path: Path) -> tuple[str, dict[str, bytes]]:
    """A dossier with three records: a PDF, a DOCX, and a mail with its attachment.

    Returns the kenmerk and the content by original name.
    """
    kenmerk = create_dossier(ws, "Omgevingsvergunning Coolsingel 40").kenmerk
    src = tmp_path / "src"
    src.mkdir()
    content = {
        "aanvraag.pdf": pdf_bytes("aanvraag"),
        "advies.docx": docx_bytes("Positief advies"),
    }
    file_paths(ws, kenmerk, [write(src / name, data) for name, data in content.items()])
    raw, attachment = mail_bytes()
    drop = tmp_path / "drop"
    drop.mkdir()
    write(drop / "zienswijze.eml", raw)
    add_drop_folder(ws, drop)
    clock = _Clock()
    runner.process_once(ws, quiet_period=2.0, clock=clock, sleep=clock.sleep)
    [item] = inbox.list_inbox(ws)
    inbox.file_items(ws, [item.id], kenmerk)
    content |= {"zienswijze.eml": raw, "zienswijze.pdf": attachment}
    return kenmerk, content


def sidecars(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.mdto.xml"))


def bagit_validate(folder: Path) -> subprocess.CompletedProcess[str]:
    """bagit-python's own command line, as a receiving archive would run it."""
    return subprocess.run([sys.executable, "-m", "bagit", "--validate", str(folder)],
                          capture_output=True, text=True, check=False)  # fmt: skip


def test_a_dossier_with_pdf_docx_and_mail_becomes_a_valid_verified_bag(
    ws: Workspace, tmp_path: Path
) -> None:
    kenmerk, content = filed_dossier(ws, tmp_path)
    out = tmp_path / "uit"
    cwd = Path.cwd()
    report = export_sip(ws, [kenmerk], out)

    assert report.problems == []
    assert report.folder == out / f"sip-{kenmerk}"
    assert Path.cwd() == cwd, "bagit's chdir stays in its worker process"
    assert [p.name for p in out.iterdir()] == [report.folder.name], "no temp files left"
    assert (report.informatieobjecten, report.bestanden) == (4, 4)
    assert report.size == sum(len(data) for data in content.values())

    # the layout: a folder per aggregation level, sidecars inside / beside
    data = report.folder / "data"
    dossier_dir = data / kenmerk
    assert [p.name for p in data.iterdir()] == [kenmerk]
    assert (dossier_dir / f"{kenmerk}.mdto.xml").is_file()
    records = sorted(p for p in dossier_dir.iterdir() if p.is_dir())
    assert len(records) == 3
    found: dict[str, bytes] = {}
    for record in records:
        assert (record / f"{record.name}.mdto.xml").is_file()
        for file in record.iterdir():
            if not file.name.endswith(".mdto.xml"):
                assert (record / f"{file.name}.bestand.mdto.xml").is_file()
                found[file.name] = file.read_bytes()
    assert found == content, "every stored file, byte for byte, under its own name"
    [mail_record] = [r for r in records if (r / "zienswijze.eml").exists()]
    assert (mail_record / "zienswijze.pdf").exists(), "the attachment beside its mail"

    # every sidecar on its own against the official XSD, and read back
    files = sidecars(data)
    assert len(files) == 8  # dossier + 3 records + 4 bestanden
    for path in files:
        assert schema.validate(path) == [], path
    dossier = xmlio.read(dossier_dir / f"{kenmerk}.mdto.xml")
    assert isinstance(dossier, model.Informatieobject)
    assert len(dossier.bevat_onderdeel) == 3
    mail = xmlio.read(mail_record / f"{mail_record.name}.mdto.xml")
    assert isinstance(mail, model.Informatieobject)
    assert mail.naam == "Zienswijze Coolsingel 40"
    assert len(mail.heeft_representatie) == 2
    for path in (mail_record / "zienswijze.pdf.bestand.mdto.xml",):
        bestand = xmlio.read(path)
        assert isinstance(bestand, model.Bestand)
        assert bestand.naam == "zienswijze.pdf"
        assert bestand.is_representatie_van.identificatie == mail.identificatie[0]
        digest = hashlib.sha256(content["zienswijze.pdf"]).hexdigest()
        assert bestand.checksum[0].waarde == digest and bestand.omvang == len(
            content["zienswijze.pdf"]
        )

    # BagIt: sha256 only, the pakbon a tag file, and bagit's own tool agrees
    bag = sorted(p.name for p in report.folder.iterdir())
    assert bag == ["bag-info.txt", "bagit.txt", "data", "manifest-sha256.txt",
                   "pakbon.xml", "tagmanifest-sha256.txt"]  # fmt: skip
    tagged = (report.folder / "tagmanifest-sha256.txt").read_text().split()
    assert "pakbon.xml" in tagged and "manifest-sha256.txt" in tagged
    manifest = (report.folder / "manifest-sha256.txt").read_text().splitlines()
    assert len(manifest) == 12  # 4 content files + 8 sidecars
    done = bagit_validate(report.folder)
    assert done.returncode == 0, done.stderr
    assert "is valid" in done.stderr

    # the pakbon lists what is there
    pakbon = etree.parse(str(report.folder / "pakbon.xml"))
    totalen = pakbon.find(f"{PAKBON}totalen")
    assert totalen.findtext(f"{PAKBON}informatieobjecten") == "4"
    assert totalen.findtext(f"{PAKBON}bestanden") == "4"
    assert totalen.findtext(f"{PAKBON}omvang") == str(report.size)
    listed = {e.get("pad"): e.text for e in pakbon.iter(f"{PAKBON}bestand")}
    assert sorted(Path(p).name for p in listed) == sorted(content)
    assert pakbon.findtext(f"{PAKBON}levering/{PAKBON}leveringId") == report.delivery_id

    # the export is on record: an MDTO event of the dossier and an audit row
    with ws.readers() as session:
        row = session.scalar(select(Informatieobject).where(Informatieobject.kenmerk == kenmerk))
        assert row is not None
        events = session.scalars(select(Event).where(Event.informatieobject_id == row.id)).all()
        audits = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "mdto.sip_exported")
        ).all()
    assert [e.event_type for e in events].count("Export") == 1
    assert [a.object_id for a in audits] == [row.id]


def test_the_package_imports_into_another_workspace_without_loss(
    ws: Workspace, tmp_path: Path
) -> None:
    kenmerk, content = filed_dossier(ws, tmp_path)
    report = export_sip(ws, [kenmerk], tmp_path / "uit")
    assert report.folder is not None

    other = open_workspace(tmp_path / "andere-home")
    try:
        imported = import_mdto(other, report.folder)
        assert imported.problems == ()
        assert len(imported.objects) == 4 and imported.bestanden == 4
        with other.readers() as session:
            rows = session.scalars(select(Bestand)).all()
            names = sorted(row.original_name for row in rows)
            digests = sorted(row.sha256 for row in rows)
    finally:
        other.close()
    assert names == sorted(content)
    assert digests == sorted(hashlib.sha256(data).hexdigest() for data in content.values())


def test_a_damaged_or_missing_stored_object_refuses_the_whole_package(
    ws: Workspace, tmp_path: Path
) -> None:
    kenmerk, content = filed_dossier(ws, tmp_path)
    damaged = hashlib.sha256(content["advies.docx"]).hexdigest()
    missing = hashlib.sha256(content["zienswijze.pdf"]).hexdigest()
    flip_byte(ws.objects.path_for(damaged))
    ws.objects.path_for(missing).unlink()
    out = tmp_path / "uit"

    report = export_sip(ws, [kenmerk], out)

    assert report.folder is None
    by_file = {p.file: p.problem for p in report.problems}
    damaged_file = next(f for f in by_file if f.endswith("/advies.docx"))
    missing_file = next(f for f in by_file if f.endswith("/zienswijze.pdf"))
    assert by_file[damaged_file].msgid == sip_service.STORED_DAMAGED
    assert by_file[missing_file].msgid == sip_service.STORED_MISSING
    assert list(out.iterdir()) == [], "nothing is left: no package, no temp folder, no pakbon"
    with ws.readers() as session:
        types = session.scalars(select(Event.event_type)).all()
    assert "Export" not in types, "a refused export is not recorded as done"


def test_names_are_made_safe_and_the_original_kept_in_naam(ws: Workspace, tmp_path: Path) -> None:
    kenmerk = create_dossier(ws, "Namen").kenmerk
    src = tmp_path / "src"
    src.mkdir()
    originals = [
        'Brief aan B&W: "besluit" <def>?.pdf',
        "a?b.pdf",
        "CON.pdf",
        "nul",
        "rapport..",
        ".verborgen.txt",
        "café\u200cmenu\u202egpj.exe",  # zero-width non-joiner, right-to-left override
        "x" * 240 + ".pdf",
    ]
    paths = [write(src / name, pdf_bytes(str(n))) for n, name in enumerate(originals)]
    file_paths(ws, kenmerk, paths)

    report = export_sip(ws, [kenmerk], tmp_path / "uit")

    assert report.problems == [] and report.folder is not None
    by_naam: dict[str, Path] = {}
    for path in (report.folder / "data").rglob("*.bestand.mdto.xml"):
        bestand = xmlio.read(path)
        assert isinstance(bestand, model.Bestand)
        by_naam[bestand.naam] = path.with_name(path.name.removesuffix(".bestand.mdto.xml"))
    # NFC: the file system may have handed the name back in either form
    assert sorted(by_naam) == sorted(unicodedata.normalize("NFC", o) for o in originals)
    shown = {naam: path.name for naam, path in by_naam.items()}
    assert shown['Brief aan B&W: "besluit" <def>?.pdf'] == "Brief_aan_B_W_besluit_def_.pdf"
    assert shown["a?b.pdf"] == "a_b.pdf"
    assert shown["CON.pdf"] == "_CON.pdf" and shown["nul"] == "_nul"
    assert shown["rapport.."] == "rapport"
    assert shown[".verborgen.txt"] == "_verborgen.txt"
    assert shown["café\u200cmenu\u202egpj.exe"] == "café_menu_gpj.exe"
    long_name = shown["x" * 240 + ".pdf"]
    assert long_name.endswith(".pdf") and len(long_name) < 240
    for path in report.folder.rglob("*"):
        relative = path.relative_to(report.folder.parent).as_posix()
        assert sip_layout.units(relative) <= 255, relative
        assert sip_layout.unsafe_reason(path.name) is None, path.name
    assert bagit_validate(report.folder).returncode == 0


def test_files_of_one_record_with_the_same_name_are_numbered_in_a_fixed_order(
    ws: Workspace, tmp_path: Path
) -> None:
    message = email.message.EmailMessage()
    message["From"], message["Subject"] = "scanner@rotterdam.example", "Scans"
    message.set_content("Twee scans met dezelfde naam.")
    scans = {"scan.pdf": [pdf_bytes("een"), pdf_bytes("twee")], "Scan.PDF": [pdf_bytes("drie")]}
    for name, versions in scans.items():
        for data in versions:
            message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    drop = tmp_path / "drop"
    drop.mkdir()
    write(drop / "scans.eml", message.as_bytes())
    add_drop_folder(ws, drop)
    clock = _Clock()
    runner.process_once(ws, quiet_period=2.0, clock=clock, sleep=clock.sleep)
    kenmerk = create_dossier(ws, "Scans").kenmerk
    inbox.file_items(ws, [item.id for item in inbox.list_inbox(ws)], kenmerk)

    report = export_sip(ws, [kenmerk], tmp_path / "uit")

    assert report.problems == [] and report.folder is not None
    [record] = [p for p in (report.folder / "data" / kenmerk).iterdir() if p.is_dir()]
    written = {}
    for sidecar in record.glob("*.bestand.mdto.xml"):
        bestand = xmlio.read(sidecar)
        assert isinstance(bestand, model.Bestand)
        written[sidecar.name.removesuffix(".bestand.mdto.xml")] = (bestand.naam, bestand)
    assert sorted(written) == ["Scan.PDF", "scan_2.pdf", "scan_3.pdf", "scans.eml"]
    assert written["Scan.PDF"][0] == "Scan.PDF"
    assert written["scan_2.pdf"][0] == written["scan_3.pdf"][0] == "scan.pdf"
    # equal names: the one with the lower checksum first, so every export agrees
    two, three = (sip.sha256_of(written[n][1]) or "" for n in ("scan_2.pdf", "scan_3.pdf"))
    assert two < three
    for name, (_naam, bestand) in written.items():
        digest = hashlib.sha256((record / name).read_bytes()).hexdigest()
        assert digest == sip.sha256_of(bestand)


def test_progress_counts_every_object_and_cancel_leaves_nothing(
    ws: Workspace, tmp_path: Path
) -> None:
    kenmerk, _content = filed_dossier(ws, tmp_path)
    seen: list[tuple[int, int]] = []
    report = export_sip(ws, [kenmerk], tmp_path / "uit", lambda d, t, _l: seen.append((d, t)))
    assert report.folder is not None
    # 4 informatieobjecten and 4 bestanden, then bagging and verifying
    assert seen == [(n, 10) for n in range(1, 11)]

    cancel = CancelToken()

    def cancel_after_three(done: int, _total: int, _label: str) -> None:
        if done == 3:
            cancel.cancel()

    out = tmp_path / "afgebroken"
    with pytest.raises(Cancelled):
        export_sip(ws, [kenmerk], out, cancel_after_three, cancel)
    assert list(out.iterdir()) == []
    with ws.readers() as session:
        exports = session.scalars(select(Event).where(Event.event_type == "Export")).all()
    assert len(exports) == 1, "only the finished export is recorded"


def test_a_failing_write_is_a_clear_error_and_leaves_nothing(home: Path, tmp_path: Path) -> None:
    """A full disk, made real: the CLI runs with a 1 MB file size limit (RLIMIT_FSIZE),
    so copying a 3 MB file into the package fails as a full disk would."""
    ws = open_workspace(home)
    try:
        kenmerk = create_dossier(ws, "Groot").kenmerk
        file_paths(ws, kenmerk, [write(tmp_path / "groot.bin", os.urandom(3_000_000))])
    finally:
        ws.close()

    out = tmp_path / "uit"
    done = run_cli(
        ["--home", home, "export", "sip", kenmerk, "--out", out], max_file_size=1_000_000
    )
    assert done.code == 2, done.err
    assert "Kan niet schrijven naar" in done.err and "Traceback" not in done.err
    assert list(out.iterdir()) == []


# -- the SIP modules on their own ------------------------------------------

NASTY = [
    "",
    ".",
    "..",
    "...",
    " ",
    "CON",
    "con.txt",
    "Nul.tar.gz",
    "COM1",
    "lpt9.pdf",
    "COM¹.doc",
    "AUX .txt",
    "a\tb\nc\x00d\x7f.pdf",
    "trailing. . .",
    "  spaces  .pdf",
    "x.mdto.xml",
    "x.pdf.bestand.MDTO.xml",
    "emoji 📄.pdf",
    "e\u0301cole.pdf",  # NFD
    "🦀" * 300 + ".pdf",
    "é" * 300,
    "plus+hash#amp&percent%.pdf",
]


@pytest.mark.parametrize("original", NASTY)
def test_every_safe_name_passes_the_check_and_fits(original: str) -> None:
    name = sip_layout.safe_name(original, max_units=100, max_bytes=200)
    assert sip_layout.unsafe_reason(name) is None, name
    assert sip_layout.units(name) <= 100 and len(name.encode()) <= 200
    assert not name.casefold().endswith(".mdto.xml"), "content never looks like a sidecar"
    assert sip_layout.safe_name(original, max_units=100, max_bytes=200) == name, "deterministic"


def test_unsafe_names_are_recognised() -> None:
    for bad in ["a b", "a:b", "a#b", "a+b", "CON", "com1.txt", ".x", "x.", "a\u200cb", "e\u0301"]:
        assert sip_layout.unsafe_reason(bad) is not None, bad
    assert sip_layout.unsafe_reason("café-2026_01.pdf") is None


def test_letters_are_kept_not_transliterated() -> None:
    assert sip_layout.safe_name("Ĳsselmeer één.pdf") == "Ĳsselmeer_één.pdf"
    assert sip_layout.safe_name("e\u0301cole.pdf") == "\u00e9cole.pdf"


def test_the_full_path_stays_within_255_characters_at_any_depth() -> None:
    layout = sip_layout.Layout("sip-D-7KQ4MX-42J")
    dossier = layout.folder(layout.root, "D-7KQ4MX-42J")
    deep = layout.folder(dossier, "m" * 300)
    assert sip_layout.units(f"sip-D-7KQ4MX-42J/data/{deep.sidecar}") <= 255
    path = layout.file(deep, "b" * 300 + ".pdf")
    full = f"sip-D-7KQ4MX-42J/data/{path}{sip.BESTAND_SUFFIX}"
    assert sip_layout.units(full) <= 255 and path.endswith(".pdf")
    # four-byte characters count twice in UTF-16, as Windows counts them
    wide = layout.file(dossier, "🦀" * 200 + ".pdf")
    assert sip_layout.units(f"sip-D-7KQ4MX-42J/data/{wide}{sip.BESTAND_SUFFIX}") <= 255
    # each level takes what it needs; at some depth nothing recognisable fits
    folder = deep
    with pytest.raises(sip_layout.LayoutError):
        for _level in range(20):
            folder = layout.folder(folder, "n" * 300)
            assert sip_layout.units(f"sip-D-7KQ4MX-42J/data/{folder.sidecar}") <= 255


def test_names_never_clash_with_each_other_or_with_sidecars() -> None:
    layout = sip_layout.Layout("p")
    folder = layout.folder(layout.root, "S-1")
    assert layout.file(folder, "S-1.mdto.xml") == "S-1/S-1_mdto.xml"
    first = layout.file(folder, "brief.pdf")
    second = layout.file(folder, "BRIEF.pdf")
    assert (first, second) == ("S-1/brief.pdf", "S-1/BRIEF_2.pdf")
    assert layout.folder(layout.root, "s-1").name == "s-1_2"


# -- verification catches what it should --------------------------------------


def test_verification_finds_tampering(ws: Workspace, tmp_path: Path) -> None:
    kenmerk, _content = filed_dossier(ws, tmp_path)
    report = export_sip(ws, [kenmerk], tmp_path / "uit")
    assert report.folder is not None
    package = report.folder
    assert sip_verify.verify(package, package.name) == []

    data = package / "data" / kenmerk
    docx = next(data.rglob("advies.docx"))
    os.chmod(docx, 0o644)
    with docx.open("r+b") as handle:  # one byte changed, size the same
        handle.seek(10)
        byte = handle.read(1)
        handle.seek(10)
        handle.write(bytes([byte[0] ^ 0xFF]))
    pdf_sidecar = next(data.rglob("aanvraag.pdf.bestand.mdto.xml"))
    pdf_sidecar.unlink()
    (data / "los.txt").write_text("hoort nergens bij")
    mail_record = next(data.rglob("zienswijze.eml")).parent
    sidecar = mail_record / f"{mail_record.name}.mdto.xml"
    sidecar.write_bytes(sidecar.read_bytes()[:200])  # cut off: no longer XML
    (data / "nieuwe map").mkdir()

    problems = sip_verify.verify(package, package.name)
    found = {(Path(p.file).name, p.problem.msgid) for p in problems}
    assert (sidecar.name, schema.NOT_WELL_FORMED) in found
    assert ("nieuwe map", sip_layout.REASON_CHARACTERS) in found
    assert ("nieuwe map", sip_verify.FOLDER_WITHOUT_SIDECAR) in found
    assert ("advies.docx.bestand.mdto.xml", rules.CHECKSUM_DIFFERS) in found
    assert ("aanvraag.pdf", sip_verify.FILE_WITHOUT_SIDECAR) in found
    assert ("los.txt", sip_verify.FILE_WITHOUT_SIDECAR) in found
    pakbon = " ".join(p.problem.english() for p in problems if p.file == "pakbon.xml")
    assert "there but not listed" in pakbon and "los.txt" in pakbon
    assert "listed but not there" in pakbon and "aanvraag.pdf.bestand.mdto.xml" in pakbon
    assert any(p.problem.msgid == sip.BAGIT_INVALID for p in problems)


def test_unknown_kenmerken_are_all_named(ws: Workspace, tmp_path: Path) -> None:
    kenmerk = create_dossier(ws, "Een").kenmerk
    with pytest.raises(UserError) as raised:
        export_sip(ws, [kenmerk, "D-1999-9999", "onzin"], tmp_path / "uit")
    assert len(raised.value.details) == 2
    assert not (tmp_path / "uit").exists()


# -- the command line ---------------------------------------------------------


def test_the_cli_exports_a_sip_and_says_so_in_dutch(home: Path, tmp_path: Path) -> None:
    ws = open_workspace(home)
    try:
        kenmerk, content = filed_dossier(ws, tmp_path)
        other = create_dossier(ws, "Tweede dossier").kenmerk
        file_paths(ws, other, [write(tmp_path / "notitie.pdf", pdf_bytes("notitie"))])
        with ws.readers() as session:
            sha = session.scalars(select(Bestand.sha256)).first()
    finally:
        ws.close()
    command = [sys.executable, "-m", "recordsdesk.cli", "--home", str(home), "export", "sip"]
    # a neutral locale: Dutch, the default, whatever the machine running the tests says
    languages = ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "RECORDSDESK_LANG")
    env = {k: v for k, v in os.environ.items() if k not in languages} | {"LANG": "C.UTF-8"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*command, *args], capture_output=True, text=True,
                              check=False, env=env)  # fmt: skip

    done = run(kenmerk, other, "--out", str(tmp_path / "uit"))
    assert done.returncode == 0, done.stderr
    assert "SIP geschreven naar" in done.stdout and "gecontroleerd" in done.stdout
    package = tmp_path / "uit" / f"sip-{kenmerk}-2-dossiers"
    assert sorted(p.name for p in (package / "data").iterdir()) == sorted([kenmerk, other])
    assert bagit_validate(package).returncode == 0

    again = run(kenmerk, other, "--out", str(tmp_path / "uit"))
    assert again.returncode == 2 and "bestaat al" in again.stderr
    assert "Traceback" not in again.stderr

    unknown = run("D-1999-9999", "--out", str(tmp_path / "x"))
    assert unknown.returncode == 2 and not (tmp_path / "x").exists()

    fresh = run(kenmerk, "--out", str(tmp_path / "twee"), "--json")
    assert fresh.returncode == 0, fresh.stderr
    answer = json.loads(fresh.stdout)
    assert answer["bestanden"] == 4 and answer["problems"] == []
    assert answer["folder"] == str(tmp_path / "twee" / f"sip-{kenmerk}")

    assert sha is not None
    flip_byte(home / "objects" / sha[:2] / sha[2:4] / sha)
    refused = run(kenmerk, other, "--out", str(tmp_path / "drie"))
    assert refused.returncode == 2
    assert "beschadigd" in refused.stderr and "Geen SIP geschreven" in refused.stderr
    assert list((tmp_path / "drie").iterdir()) == []
    assert len(content) == 4
