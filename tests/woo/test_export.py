"""The Woo export package: real PDFs filed in a real workspace (SQLite and PostgreSQL),
redacted, merged, listed and described; refusals leave nothing behind."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pikepdf
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from sqlalchemy import select

from recordsdesk.archive.woo import diwoo
from recordsdesk.archive.woo.assessments import assess
from recordsdesk.archive.woo.categories import set_woo_category
from recordsdesk.archive.woo.export import ExportRefused, export_package
from recordsdesk.archive.woo.inventory import COLUMNS
from recordsdesk.archive.woo.redactions import add_redaction
from recordsdesk.archive.woo.requests import add_to_scope, create_request
from recordsdesk.db.models import AuditEvent, Bestand, Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.i18n import translate_error
from recordsdesk.mdto import schema as mdto_schema
from recordsdesk.services import Workspace, create_dossier, file_paths
from recordsdesk.services.dto import Created
from recordsdesk.tasks import Cancelled, CancelToken
from tests.redact.conftest import all_stream_bytes, build_single, word_box

NUMMER = "2026-077"
CATEGORY = "Woo-verzoeken en -besluiten"
OPEN_TEXT = b"BT /F1 12 Tf 72 700 Td (Raadsvoorstel Coolsingel openbaar) Tj ET"
PART_TEXT = b"BT /F1 12 Tf 72 700 Td (Aanvrager Pietje Puk woont aan de Coolsingel) Tj ET"
SECRET_TEXT = b"BT /F1 12 Tf 72 700 Td (Interne notitie vertrouwelijk) Tj ET"


def make_pdf(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    build_single(path, content)
    return path


def file_pdfs(ws: Workspace, folder: Path, title: str, docs: dict[str, bytes]) -> list[str]:
    """A dossier (Woo category set) with one record per PDF; the record kenmerken."""
    dossier = create_dossier(ws, title).kenmerk
    set_woo_category(ws, dossier, CATEGORY)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [make_pdf(folder, name, content) for name, content in docs.items()]
    return [r.kenmerk for r in file_pdfs_into(ws, dossier, paths)]


def file_pdfs_into(ws: Workspace, dossier: str, paths: list[Path]) -> tuple[Created, ...]:
    records = file_paths(ws, dossier, paths).records
    return tuple(sorted(records, key=lambda r: r.kenmerk))


def dossier_of(ws: Workspace, kenmerk: str) -> str:
    with ws.readers() as session:
        record = session.scalars(
            select(Informatieobject).where(Informatieobject.kenmerk == kenmerk)
        ).one()
        parent = session.get(Informatieobject, record.parent_id)
        assert parent is not None
        return parent.kenmerk


def stored_pdf(ws: Workspace, kenmerk: str) -> Path:
    with ws.readers() as session:
        bestand = session.scalars(
            select(Bestand)
            .join(Informatieobject, Bestand.informatieobject_id == Informatieobject.id)
            .where(Informatieobject.kenmerk == kenmerk)
        ).first()
        assert bestand is not None
        return ws.objects.path_for(bestand.sha256)


@pytest.fixture
def request_three(ws: Workspace, tmp_path: Path) -> dict[str, str]:
    """A request whose dossier holds an openbaar, a deels openbaar (an area over "Pietje
    Puk") and a niet openbaar document."""
    docs = {"a-open.pdf": OPEN_TEXT, "b-part.pdf": PART_TEXT, "c-secret.pdf": SECRET_TEXT}
    kenmerken = file_pdfs(ws, tmp_path / "src", "Herinrichting Coolsingel", docs)
    by_name = dict(zip(("open", "part", "secret"), kenmerken, strict=True))
    create_request(ws, NUMMER, "Coolsingel", dt.date(2026, 11, 20))
    add_to_scope(ws, NUMMER, [dossier_of(ws, kenmerken[0])])
    assess(ws, NUMMER, by_name["open"], "openbaar")
    assess(ws, NUMMER, by_name["part"], "deels openbaar", "5.1.2e", "naam aanvrager")
    assess(ws, NUMMER, by_name["secret"], "niet openbaar", "5.2")
    box = word_box(stored_pdf(ws, by_name["part"]), 1, "Pietje Puk")
    add_redaction(ws, NUMMER, by_name["part"], 1, *box, "5.1.2e")
    return by_name


def test_package_holds_exactly_the_published_documents(
    ws: Workspace, request_three: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "pakket"
    seen: list[tuple[int, int, str]] = []
    report = export_package(ws, NUMMER, out, progress=lambda d, t, k: seen.append((d, t, k)))
    open_id, part_id = (request_three[k] for k in ("open", "part"))
    assert (report.documents, report.published, report.redacted, report.withheld) == (3, 2, 1, 1)
    assert [d for d, _t, _k in seen] == [1, 2, 3] and {t for _d, t, _k in seen} == {3}
    assert sorted(p.name for p in (out / "documenten").iterdir()) == sorted(
        [f"{open_id}.pdf", f"{part_id}.pdf"]
    )
    on_disk = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert on_disk == sorted(report.files)
    assert not list(tmp_path.glob(".pakket*"))  # the hidden build folder is gone
    # the openbaar document is the stored original, byte for byte
    opened = (out / "documenten" / f"{open_id}.pdf").read_bytes()
    assert opened == stored_pdf(ws, open_id).read_bytes()
    # the checksums list every other file
    sums: dict[str, str] = {}
    for line in (out / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        sums[name] = digest
    assert set(sums) == set(report.files) - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    readme = (out / "LEESMIJ.txt").read_text(encoding="utf-8")
    assert NUMMER in readme and "5.1.2e" in readme and "5.2" in readme
    with ws.readers() as session:
        actions = list(session.scalars(select(AuditEvent.action)))
    assert actions[-1] == "woo.exported"


def test_redacted_pdf_no_longer_holds_the_covered_words(
    ws: Workspace, request_three: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "pakket"
    export_package(ws, NUMMER, out)
    redacted = out / "documenten" / f"{request_three['part']}.pdf"
    raw = all_stream_bytes(redacted)
    assert b"Pietje" not in raw and b"Puk" not in raw
    doc = pdfium.PdfDocument(str(redacted))
    try:
        text = doc[0].get_textpage().get_text_range()
    finally:
        doc.close()
    assert "Pietje" not in text and "Puk" not in text
    assert "Aanvrager" in text and "Coolsingel" in text  # the rest stays
    merged = out / "documenten-samengevoegd.pdf"
    assert b"Pietje" not in all_stream_bytes(merged)


def test_merged_pdf_has_bookmarks_per_dossier_and_document(
    ws: Workspace, request_three: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "pakket"
    export_package(ws, NUMMER, out)
    with pikepdf.open(out / "documenten-samengevoegd.pdf") as pdf:
        assert len(pdf.pages) == 2
        with pdf.open_outline() as outline:
            dossiers = list(outline.root)
            assert [d.title for d in dossiers] == [dossier_of(ws, request_three["open"])]
            titles = [child.title for child in dossiers[0].children]
    assert titles[0].startswith(request_three["open"])
    assert titles[1].startswith(request_three["part"])
    assert len(titles) == 2


def test_inventory_lists_every_document_in_order(
    ws: Workspace, request_three: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "pakket"
    export_package(ws, NUMMER, out)
    raw = (out / "inventarislijst.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8
    with (out / "inventarislijst.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert tuple(rows[0]) == COLUMNS
    ids = [request_three[k] for k in ("open", "part", "secret")]
    assert [r[0] for r in rows[1:]] == ids
    assert [r[4] for r in rows[1:]] == ["Openbaar", "Deels openbaar", "Niet openbaar"]
    assert [r[5] for r in rows[1:]] == ["", "5.1.2e", "5.2"]
    assert rows[2][6] == "naam aanvrager" and rows[1][3] == "PDF"
    assert {r[7] for r in rows[1:]} == {dossier_of(ws, ids[0])}
    book = openpyxl.load_workbook(out / "inventarislijst.xlsx", read_only=True)
    sheet = book.active
    assert sheet is not None
    values = [
        tuple("" if v is None else v for v in row) for row in sheet.iter_rows(values_only=True)
    ]
    book.close()
    assert [list(v) for v in values] == rows


def test_diwoo_and_mdto_files_validate(
    ws: Workspace, request_three: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "pakket"
    export_package(ws, NUMMER, out)
    published = [request_three["open"], request_three["part"]]
    assert sorted(p.stem for p in (out / "diwoo").iterdir()) == sorted(published)
    assert sorted(p.stem for p in (out / "mdto").iterdir()) == sorted(published)
    for kenmerk in published:
        data = (out / "diwoo" / f"{kenmerk}.xml").read_bytes()
        assert diwoo.validate(data) == []
        assert b"https://identifier.overheid.nl/tooi/id/gemeente/gm0599" in data
        assert b"https://identifier.overheid.nl/tooi/def/thes/kern/c_3baef532" in data
        assert mdto_schema.validate(out / "mdto" / f"{kenmerk}.xml") == []


def test_unassessed_documents_refuse_the_export(
    ws: Workspace, request_three: dict[str, str], tmp_path: Path
) -> None:
    extra = tmp_path / "extra" / "d-new.pdf"
    extra.parent.mkdir()
    build_single(extra, b"BT /F1 12 Tf 72 700 Td (Nagekomen stuk) Tj ET")
    file_paths(ws, dossier_of(ws, request_three["open"]), [extra])
    out = tmp_path / "pakket"
    with pytest.raises(UserError) as error:
        export_package(ws, NUMMER, out)
    assert error.value.params["count"] == 1
    assert "not yet assessed" in error.value.english()
    assert not out.exists() and list(tmp_path.glob(".pakket*")) == []


def test_missing_areas_refuse_and_name_the_document(
    ws: Workspace, request_three: dict[str, str], tmp_path: Path
) -> None:
    from recordsdesk.archive.woo.redactions import list_redactions, remove_redaction

    for area in list_redactions(ws, NUMMER):
        remove_redaction(ws, area.id)
    out = tmp_path / "pakket"
    with pytest.raises(ExportRefused) as error:
        export_package(ws, NUMMER, out)
    problems = error.value.report.problems
    assert [p.kenmerk for p in problems] == [request_three["part"]]
    assert "no redaction areas" in problems[0].msgid
    assert request_three["part"] in translate_error(error.value)
    assert not out.exists() and list(tmp_path.glob(".pakket*")) == []


def test_encrypted_pdf_judged_deels_openbaar_is_refused(
    ws: Workspace, request_three: dict[str, str], tmp_path: Path
) -> None:
    """An area recorded on the plain PDF cannot be applied to an encrypted one: the export
    says so for that document (here: a record whose only PDF is encrypted)."""
    plain = tmp_path / "plain.pdf"
    build_single(plain, b"BT /F1 12 Tf 72 700 Td (Geheim verslag Jansen) Tj ET")
    locked = tmp_path / "enc" / "locked.pdf"
    locked.parent.mkdir()
    with pikepdf.open(plain) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="eigenaar", user=""))
    dossier = dossier_of(ws, request_three["open"])
    (record,) = file_pdfs_into(ws, dossier, [locked])
    kenmerk = record.kenmerk
    assess(ws, NUMMER, kenmerk, "deels openbaar", "5.1.2e")
    with pytest.raises(UserError) as refused:
        add_redaction(ws, NUMMER, kenmerk, 1, 72, 690, 300, 715, "5.1.2e")
    assert "encrypted" in refused.value.english()
    out = tmp_path / "pakket"
    with pytest.raises(ExportRefused) as error:
        export_package(ws, NUMMER, out)
    problems = error.value.report.problems
    assert [p.kenmerk for p in problems] == [kenmerk, kenmerk]
    assert "encrypted" in problems[0].msgid and "no redaction areas" in problems[1].msgid
    assert not out.exists() and list(tmp_path.glob(".pakket*")) == []


def test_output_folder_must_be_new_or_empty(
    ws: Workspace, request_three: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "pakket"
    out.mkdir()
    (out / "oud.txt").write_text("van eerder")
    with pytest.raises(UserError) as error:
        export_package(ws, NUMMER, out)
    assert "not an empty folder" in error.value.english()
    assert [p.name for p in out.iterdir()] == ["oud.txt"]
    empty = tmp_path / "leeg"
    empty.mkdir()
    assert export_package(ws, NUMMER, empty).published == 2


def test_cancel_leaves_nothing(
    ws: Workspace, request_three: dict[str, str], tmp_path: Path
) -> None:
    token = CancelToken()

    def progress(done: int, total: int, label: str) -> None:
        if done == 1:
            token.cancel()

    out = tmp_path / "pakket"
    with pytest.raises(Cancelled):
        export_package(ws, NUMMER, out, progress=progress, cancel=token)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".pakket")] == []
    with ws.readers() as session:
        actions = list(session.scalars(select(AuditEvent.action)))
    assert "woo.exported" not in actions


def test_reeds_openbaar_is_listed_with_its_link_not_included(
    ws: Workspace, request_three: dict[str, str], tmp_path: Path
) -> None:
    link = "https://open.overheid.nl/documenten/oep-9"
    assess(ws, NUMMER, request_three["open"], "reeds openbaar", publieke_link=link)
    out = tmp_path / "pakket"
    report = export_package(ws, NUMMER, out)
    assert (report.published, report.already_public) == (1, 1)
    assert not (out / "documenten" / f"{request_three['open']}.pdf").exists()
    with (out / "inventarislijst.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[1][4] == "Reeds openbaar" and rows[1][8] == link


def test_pages_and_merge_parts_keep_inventory_order(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents are read a page at a time and merged a part at a time (both made tiny
    here): the package is the same as in one go, in inventory order."""
    from recordsdesk.archive.woo import merged, package

    monkeypatch.setattr(package, "PAGE", 2)
    monkeypatch.setattr(merged, "PART", 2)
    first = file_pdfs(ws, tmp_path / "one", "Eerste dossier", {
        f"{n}.pdf": b"BT /F1 12 Tf 72 700 Td (Stuk een %d) Tj ET" % n for n in range(3)
    })  # fmt: skip
    second = file_pdfs(ws, tmp_path / "two", "Tweede dossier", {
        f"{n}.pdf": b"BT /F1 12 Tf 72 700 Td (Stuk twee %d) Tj ET" % n for n in range(2)
    })  # fmt: skip
    create_request(ws, NUMMER, "Alles", dt.date(2026, 11, 20))
    dossiers = sorted({dossier_of(ws, first[0]), dossier_of(ws, second[0])})
    add_to_scope(ws, NUMMER, dossiers)
    for kenmerk in first + second:
        assess(ws, NUMMER, kenmerk, "openbaar")
    out = tmp_path / "pakket"
    report = export_package(ws, NUMMER, out)
    expected = sorted(first + second, key=lambda k: (dossier_of(ws, k), k))
    with (out / "inventarislijst.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert [r[0] for r in list(csv.reader(handle, delimiter=";"))[1:]] == expected
    assert report.published == 5
    with pikepdf.open(out / "documenten-samengevoegd.pdf") as pdf:
        assert len(pdf.pages) == 5
        with pdf.open_outline() as outline:
            tree = [(d.title, [c.title.split(" ")[0] for c in d.children]) for d in outline.root]
    assert [title for title, _children in tree] == dossiers
    assert [k for _title, children in tree for k in children] == expected


def test_an_openbaar_document_that_is_no_pdf_is_published_as_is(
    ws: Workspace, tmp_path: Path
) -> None:
    dossier = create_dossier(ws, "Notities").kenmerk
    set_woo_category(ws, dossier, CATEGORY)
    note = tmp_path / "notitie.txt"
    note.write_text("Openbare notitie over de Coolsingel\n", encoding="utf-8")
    (record,) = file_paths(ws, dossier, [note]).records
    create_request(ws, NUMMER, "Notities", dt.date(2026, 11, 20))
    add_to_scope(ws, NUMMER, [dossier])
    assess(ws, NUMMER, record.kenmerk, "openbaar")
    out = tmp_path / "pakket"
    report = export_package(ws, NUMMER, out)
    assert (out / "documenten" / f"{record.kenmerk}.txt").read_bytes() == note.read_bytes()
    assert not (out / "documenten-samengevoegd.pdf").exists()
    assert [r.kenmerk for r in report.remarks] == [record.kenmerk]
    assert diwoo.validate((out / "diwoo" / f"{record.kenmerk}.xml").read_bytes()) == []
    with (out / "inventarislijst.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle, delimiter=";"))[1][3] == "TXT"


def test_a_published_document_without_woo_category_is_a_problem(
    ws: Workspace, tmp_path: Path
) -> None:
    dossier = create_dossier(ws, "Zonder categorie").kenmerk
    path = make_pdf(tmp_path, "x.pdf", OPEN_TEXT)
    (record,) = file_paths(ws, dossier, [path]).records
    create_request(ws, NUMMER, "Categorie", dt.date(2026, 11, 20))
    add_to_scope(ws, NUMMER, [dossier])
    assess(ws, NUMMER, record.kenmerk, "openbaar")
    with pytest.raises(ExportRefused) as error:
        export_package(ws, NUMMER, tmp_path / "pakket")
    assert "Woo information category" in error.value.report.problems[0].msgid
    assert not (tmp_path / "pakket").exists()


def test_a_scan_without_text_layer_judged_deels_openbaar_is_refused(
    ws: Workspace, request_three: dict[str, str], tmp_path: Path
) -> None:
    """Pixels could be blacked out, but no text could be checked: OCR first, says the export."""
    from tests.redact.test_refusals import image_only

    scan = tmp_path / "scan" / "scan.pdf"
    scan.parent.mkdir()
    image_only(scan)
    (record,) = file_pdfs_into(ws, dossier_of(ws, request_three["open"]), [scan])
    assess(ws, NUMMER, record.kenmerk, "deels openbaar", "5.1.2e")
    add_redaction(ws, NUMMER, record.kenmerk, 1, 100, 100, 300, 200, "5.1.2e")
    out = tmp_path / "pakket"
    with pytest.raises(ExportRefused) as error:
        export_package(ws, NUMMER, out)
    (problem,) = error.value.report.problems
    assert problem.kenmerk == record.kenmerk and "run OCR first" in problem.text() + problem.msgid
    assert not out.exists() and list(tmp_path.glob(".pakket*")) == []
