"""Recording redaction areas on the documents of a Woo request (real PDFs, real
workspaces on SQLite and PostgreSQL): what is accepted, what is refused, the audit."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pikepdf
import pytest
from sqlalchemy import select

from recordsdesk.archive.woo.assessments import assess
from recordsdesk.archive.woo.redactions import (
    add_redaction,
    list_redactions,
    publication_pdf,
    record_files,
    remove_redaction,
)
from recordsdesk.archive.woo.requests import add_to_scope, close_request, create_request
from recordsdesk.db.models import AuditEvent, Informatieobject
from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.services import Workspace, create_dossier, file_paths
from tests.redact.conftest import build_single
from tests.woo.conftest import MakeDossier, audit_count
from tests.woo.test_export import file_pdfs

NUMMER = "2026-090"
AREA = (72.0, 690.0, 200.0, 715.0)


@pytest.fixture
def docs(ws: Workspace, tmp_path: Path) -> list[str]:
    """Three PDF records of one dossier in scope of an open request."""
    kenmerken = file_pdfs(
        ws,
        tmp_path / "src",
        "Vergunning Blaak",
        {
            "a.pdf": b"BT /F1 12 Tf 72 700 Td (Aanvraag van Jan Jansen) Tj ET",
            "b.pdf": b"BT /F1 12 Tf 72 700 Td (Advies welstand) Tj ET",
            "c.pdf": b"BT /F1 12 Tf 72 700 Td (Besluit college) Tj ET",
        },
    )
    create_request(ws, NUMMER, "Blaak", dt.date(2026, 11, 20))
    with ws.readers() as session:
        record = session.scalars(
            select(Informatieobject).where(Informatieobject.kenmerk == kenmerken[0])
        ).one()
        dossier = session.get(Informatieobject, record.parent_id)
        assert dossier is not None
        add_to_scope(ws, NUMMER, [dossier.kenmerk])
    return kenmerken


def test_add_list_remove_with_audit(ws: Workspace, docs: list[str]) -> None:
    before = audit_count(ws)
    first = add_redaction(ws, NUMMER, docs[0], 1, *AREA, "5.1.2 E")  # before assessing
    assess(ws, NUMMER, docs[0], "deels openbaar", "5.1.2e; 5.1.1d")
    second = add_redaction(ws, NUMMER, docs[0], 1, 300, 690, 400, 715, "5.1.1d")
    assert (first.grond, first.page, first.kenmerk, first.record_kenmerk) == (
        "5.1.2e", 1, docs[0], docs[0]
    )  # fmt: skip
    with ws.readers() as session:
        expected = publication_pdf(record_files(session, _id(ws, docs[0])))
    assert expected is not None and first.bestand_id == expected.id
    assert [r.id for r in list_redactions(ws, NUMMER)] == [first.id, second.id]
    assert [r.id for r in list_redactions(ws, NUMMER, docs[0])] == [first.id, second.id]
    assert list_redactions(ws, NUMMER, docs[1]) == []
    assert json.loads(json.dumps(first.to_json()))["area"] == list(AREA)
    removed = remove_redaction(ws, first.id)
    assert removed.id == first.id
    assert [r.id for r in list_redactions(ws, NUMMER)] == [second.id]
    with ws.readers() as session:
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    assert actions[-4:] == [
        "woo.redaction_added", "woo.assessed", "woo.redaction_added", "woo.redaction_removed"
    ]  # fmt: skip
    assert audit_count(ws) == before + 4
    with pytest.raises(NotFoundError):
        remove_redaction(ws, first.id)
    with pytest.raises(NotFoundError):
        remove_redaction(ws, "geen-id")


@pytest.mark.parametrize(
    ("beoordeling", "gronden"),
    [("openbaar", None), ("niet openbaar", "5.2")],
)
def test_refused_for_documents_that_withhold_nothing_or_everything(
    ws: Workspace, docs: list[str], beoordeling: str, gronden: str | None
) -> None:
    assess(ws, NUMMER, docs[1], beoordeling, gronden)
    before = audit_count(ws)
    with pytest.raises(UserError) as error:
        add_redaction(ws, NUMMER, docs[1], 1, *AREA, "5.1.2e")
    assert "only a document judged deels_openbaar" in error.value.english()
    assert audit_count(ws) == before and list_redactions(ws, NUMMER) == []


def test_bad_grounds_pages_and_areas_are_refused(ws: Workspace, docs: list[str]) -> None:
    assess(ws, NUMMER, docs[0], "deels openbaar", "5.1.2e")
    cases = [
        ((1, *AREA, "5.9.9"), "Unknown weigeringsgrond"),
        ((1, *AREA, "5.1.2e; 5.1.1c"), "exactly one weigeringsgrond"),
        ((1, *AREA, "5.1.1c"), "not among the weigeringsgronden"),
        ((2, *AREA, "5.1.2e"), "Page 2 does not exist"),
        ((1, 72.0, 690.0, 900.0, 715.0, "5.1.2e"), "outside page 1"),
        ((1, 200.0, 690.0, 72.0, 715.0, "5.1.2e"), "empty or inverted"),
    ]
    for args, message in cases:
        with pytest.raises(UserError) as error:
            add_redaction(ws, NUMMER, docs[0], *args)
        assert message in error.value.english(), args
    assert list_redactions(ws, NUMMER) == []


def test_scope_level_and_closed_request_are_checked(
    ws: Workspace, docs: list[str], make_dossier: MakeDossier, tmp_path: Path
) -> None:
    outside = tmp_path / "elders.pdf"
    build_single(outside, b"BT /F1 12 Tf 72 700 Td (Elders bewaard) Tj ET")
    other = create_dossier(ws, "Elders").kenmerk
    (record,) = file_paths(ws, other, [outside]).records
    with pytest.raises(UserError) as error:
        add_redaction(ws, NUMMER, record.kenmerk, 1, *AREA, "5.1.2e")
    assert "not in the scope" in error.value.english()
    with pytest.raises(UserError) as error:
        add_redaction(ws, NUMMER, other, 1, *AREA, "5.1.2e")
    assert "is a dossier" in error.value.english()
    with pytest.raises(NotFoundError):
        add_redaction(ws, "2099-1", docs[0], 1, *AREA, "5.1.2e")
    kept = add_redaction(ws, NUMMER, docs[0], 1, *AREA, "5.1.2e")
    for kenmerk in docs:
        assess(ws, NUMMER, kenmerk, "niet openbaar", "5.1.2e")
    close_request(ws, NUMMER, "geen openbaarmaking")
    with pytest.raises(UserError) as error:
        remove_redaction(ws, kept.id)
    assert "is closed" in error.value.english()


def test_a_record_without_a_pdf_or_with_an_encrypted_one(
    ws: Workspace, docs: list[str], tmp_path: Path
) -> None:
    dossier = _dossier(ws, docs[0])
    note = tmp_path / "notitie.txt"
    note.write_text("Gewone tekst zonder PDF", encoding="utf-8")
    plain = tmp_path / "plain.pdf"
    build_single(plain, b"BT /F1 12 Tf 72 700 Td (Beveiligd stuk) Tj ET")
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(plain) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="geheim"))
    text_record, locked_record = file_paths(ws, dossier, [note, locked]).records
    with pytest.raises(UserError) as error:
        add_redaction(ws, NUMMER, text_record.kenmerk, 1, *AREA, "5.1.2e")
    assert "has no PDF" in error.value.english()
    with pytest.raises(UserError) as error:
        add_redaction(ws, NUMMER, locked_record.kenmerk, 1, *AREA, "5.1.2e")
    assert "encrypted" in error.value.english()
    with ws.readers() as session:
        text_file = record_files(session, _id(ws, text_record.kenmerk))[0]
    with pytest.raises(UserError) as error:
        add_redaction(ws, NUMMER, docs[0], 1, *AREA, "5.1.2e", bestand_id=text_file.id)
    assert "has no bestand" in error.value.english()


def _id(ws: Workspace, kenmerk: str) -> str:
    with ws.readers() as session:
        found: str = session.scalars(
            select(Informatieobject.id).where(Informatieobject.kenmerk == kenmerk)
        ).one()
        return found


def _dossier(ws: Workspace, kenmerk: str) -> str:
    with ws.readers() as session:
        record = session.scalars(
            select(Informatieobject).where(Informatieobject.kenmerk == kenmerk)
        ).one()
        parent = session.get(Informatieobject, record.parent_id)
        assert parent is not None
        return parent.kenmerk
