"""Mails and text through the whole intake: one record per mail, text kept per content.

Real files, a real database (SQLite and PostgreSQL); only the tracker's clock is
faked (see ``conftest.FakeClock``).
"""

from __future__ import annotations

import email.message
import email.utils
import hashlib
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from recordsdesk.db.models import Bestand, ContentText, InboxItem, Informatieobject
from recordsdesk.intake import inbox
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.services import Workspace, create_dossier, verify
from tests.core.samples import docx_bytes, pdf_bytes, png_bytes, write

Intake = Callable[[], list[str]]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def mail_bytes() -> tuple[bytes, bytes, bytes]:
    message = email.message.EmailMessage()
    message["Subject"] = "Zienswijze bestemmingsplan Kralingen"
    message["From"] = "J. de Vries <j.devries@example.nl>"
    message["To"] = "Gemeente Rotterdam <info@rotterdam.example>"
    message["Cc"] = "Wijkraad <wijkraad@example.nl>"
    message["Date"] = email.utils.format_datetime(
        email.utils.parsedate_to_datetime("Tue, 03 Nov 2026 14:05:00 +0100")
    )
    message["Message-ID"] = "<zienswijze-42@example.nl>"
    message.set_content("Geachte heer, mevrouw,\n\nHierbij mijn zienswijze op het plan.\n")
    brief = pdf_bytes("zienswijze")
    photo = png_bytes(7)
    message.add_attachment(brief, maintype="application", subtype="pdf", filename="brief.pdf")
    message.add_attachment(photo, maintype="image", subtype="png", filename="../../foto.png")
    return message.as_bytes(), brief, photo


def test_a_mail_becomes_one_record_with_the_message_and_each_attachment_as_bestanden(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    raw, brief, photo = mail_bytes()
    write(drop / "zienswijze.eml", raw)
    add_drop_folder(ws, drop)
    intake()

    [item] = inbox.list_inbox(ws)
    assert item.state == "ready"
    assert item.facts is not None
    mail = item.facts["mail"]
    assert mail["subject"] == "Zienswijze bestemmingsplan Kralingen"
    assert "j.devries@example.nl" in mail["sender"]
    assert any("info@rotterdam.example" in to for to in mail["to"])
    parts = {p["name"]: p for p in item.facts["parts"]}
    assert set(parts) == {"brief.pdf", "foto.png"}, "attachment names lose any path"
    assert parts["brief.pdf"]["sha256"] == sha(brief)
    assert parts["foto.png"]["mime"] == "image/png"
    assert ws.objects.check(sha(brief), len(brief)) is None, "attachments are stored"

    kenmerk = create_dossier(ws, "Bestemmingsplan Kralingen").kenmerk
    [record] = inbox.file_items(ws, [item.id], kenmerk).records
    with ws.readers() as session:
        row = session.get(Informatieobject, record.id)
        assert row is not None
        assert row.naam == "Zienswijze bestemmingsplan Kralingen"
        assert row.omschrijving is not None and "j.devries@example.nl" in row.omschrijving
        assert row.dekking_begin is not None and row.dekking_begin.isoformat() == "2026-11-03"
        bestanden = session.scalars(
            select(Bestand).where(Bestand.informatieobject_id == record.id)
        ).all()
    assert sorted(b.sha256 for b in bestanden) == sorted([sha(raw), sha(brief), sha(photo)])
    assert verify(ws).intact


def test_text_is_kept_per_content_and_scans_are_marked_for_ocr(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    raw, _brief, _photo = mail_bytes()
    files = {
        "notitie.txt": b"Vergadering over de Maasboulevard\n",
        "besluit.docx": docx_bytes("Besluit over de Erasmusbrug"),
        "scan.png": png_bytes(3),
        "mail.eml": raw,
    }
    for name, data in files.items():
        write(drop / name, data)
    add_drop_folder(ws, drop)
    intake()

    with ws.readers() as session:
        texts = {t.sha256: t for t in session.scalars(select(ContentText))}
        states = set(session.scalars(select(InboxItem.state)))
    assert states == {"ready"}
    assert "Maasboulevard" in texts[sha(files["notitie.txt"])].text
    assert "Erasmusbrug" in texts[sha(files["besluit.docx"])].text
    scan = texts[sha(files["scan.png"])]
    assert scan.needs_ocr and scan.text == ""
    message = texts[sha(raw)]
    assert "zienswijze" in message.text.lower() and not message.needs_ocr


def test_a_file_named_eml_that_is_no_mail_is_kept_as_the_file_it_is(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    write(drop / "export.eml", pdf_bytes("geen mail"))
    add_drop_folder(ws, drop)
    intake()
    [item] = inbox.list_inbox(ws)
    assert item.state == "ready"
    assert item.mime == "application/pdf"
    assert item.facts is not None and "mail" not in item.facts
