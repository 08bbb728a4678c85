"""Woo work in the central archive from a workstation that never had the documents: the
content comes from the central archive when the work needs it, verified, and a document
whose content the central archive lacks is refused by name (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.central_content import CANNOT_FETCH
from recordsdesk.archive.sync.engine import sync_once
from recordsdesk.archive.woo.assessments import assess
from recordsdesk.archive.woo.export import ExportRefused, export_package
from recordsdesk.archive.woo.redactions import add_redaction
from recordsdesk.archive.woo.requests import add_to_scope, create_request
from recordsdesk.i18n import translate_error
from recordsdesk.services import Workspace
from tests.redact.conftest import word_box
from tests.woo.test_export import (
    NUMMER,
    OPEN_TEXT,
    PART_TEXT,
    dossier_of,
    file_pdfs,
    stored_pdf,
)

Station = Callable[[str], Workspace]


@pytest.fixture
def filed(station: Station, central: Central, tmp_path: Path) -> dict[str, str]:
    """Workstation "a" files an openbaar and a deels openbaar PDF and synchronises."""
    a = station("a")
    docs = {"a-open.pdf": OPEN_TEXT, "b-part.pdf": PART_TEXT}
    kenmerken = file_pdfs(a, tmp_path / "src", "Herinrichting Coolsingel", docs)
    assert sync_once(a, central).failed == 0
    found = dict(zip(("open", "part"), kenmerken, strict=True))
    found["dossier"] = dossier_of(a, kenmerken[0])
    for key in ("open", "part"):
        path = stored_pdf(a, found[key])
        found[f"{key}_sha"] = hashlib.sha256(path.read_bytes()).hexdigest()
        found[f"{key}_bytes"] = str(path)
    return found


def _request(ws: Workspace, filed: dict[str, str]) -> None:
    create_request(ws, NUMMER, "Coolsingel", dt.date(2026, 11, 20))
    add_to_scope(ws, NUMMER, [filed["dossier"]])
    assess(ws, NUMMER, filed["open"], "openbaar")
    assess(ws, NUMMER, filed["part"], "deels openbaar", "5.1.2e", "naam aanvrager")


def test_a_woo_package_made_centrally_fetches_the_documents_it_needs(
    filed: dict[str, str], elsewhere: Workspace, tmp_path: Path
) -> None:
    assert not elsewhere.objects.exists(filed["open_sha"])
    assert not elsewhere.objects.exists(filed["part_sha"])
    _request(elsewhere, filed)
    box = word_box(Path(filed["part_bytes"]), 1, "Pietje Puk")
    add_redaction(elsewhere, NUMMER, filed["part"], 1, *box, "5.1.2e")  # reads the PDF
    assert elsewhere.objects.exists(filed["part_sha"])
    out = tmp_path / "pakket"
    report = export_package(elsewhere, NUMMER, out)
    assert (report.published, report.redacted) == (2, 1)
    published = (out / "documenten" / f"{filed['open']}.pdf").read_bytes()
    assert published == Path(filed["open_bytes"]).read_bytes()
    assert elsewhere.objects.verified_path(filed["open_sha"]).is_file()
    with pikepdf.open(out / "documenten" / f"{filed['part']}.pdf") as pdf:
        streams = b"".join(
            page.Contents.read_bytes() if not isinstance(page.Contents, pikepdf.Array)
            else b"".join(part.read_bytes() for part in page.Contents)
            for page in pdf.pages
        )  # fmt: skip
    assert b"Pietje" not in streams and b"Coolsingel" in streams


def test_content_the_central_archive_lacks_is_refused_by_name(
    filed: dict[str, str], central: Central, elsewhere: Workspace, tmp_path: Path
) -> None:
    central.blobs.forget(filed["open_sha"])  # as if its workstation never published it
    _request(elsewhere, filed)
    box = word_box(Path(filed["part_bytes"]), 1, "Pietje Puk")
    add_redaction(elsewhere, NUMMER, filed["part"], 1, *box, "5.1.2e")
    out = tmp_path / "pakket"
    with pytest.raises(ExportRefused) as refused:
        export_package(elsewhere, NUMMER, out)
    problems = refused.value.report.problems
    assert [(p.kenmerk, p.msgid) for p in problems] == [(filed["open"], CANNOT_FETCH)]
    assert filed["open_sha"] in translate_error(refused.value)
    assert not out.exists() and not list(tmp_path.glob(".pakket*"))  # nothing half-written
    assert not elsewhere.objects.exists(filed["open_sha"])
