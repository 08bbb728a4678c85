"""Each reason a dossier may be incomplete, produced by real work: filing, intake of a
mail with an empty attachment, a drop folder still holding files for the dossier, a
damaged object found by ``verify``, a scan without text, a reference to a record
elsewhere. SQLite and PostgreSQL (the ``ws`` fixture)."""

from __future__ import annotations

import dataclasses
import email.message
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from recordsdesk.archive.completeness import dossier_completeness
from recordsdesk.db.models import Bestand, ContentText, Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.intake import inbox
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.mdto import model, stored
from recordsdesk.mdto.mapping import own_metadata
from recordsdesk.services import Workspace, create_dossier, verify
from tests.core.samples import pdf_bytes, png_bytes, write
from tests.retention.disposal_support import closed_dossier
from tests.sync.support import dossier_with_files

Intake = Callable[[], list[str]]


def codes(ws: Workspace, kenmerk: str) -> list[str]:
    return [r.code for r in dossier_completeness(ws, kenmerk).reasons]


def record_ids(ws: Workspace, kenmerk: str) -> list[Informatieobject]:
    with ws.readers() as session:
        dossier = session.scalars(
            select(Informatieobject).where(Informatieobject.kenmerk == kenmerk)
        ).one()
        return list(
            session.scalars(
                select(Informatieobject)
                .where(Informatieobject.parent_id == dossier.id)
                .order_by(Informatieobject.kenmerk)
            )
        )


def test_an_open_dossier_filed_here_is_open_and_waiting_to_be_sent(
    ws: Workspace, tmp_path: Path
) -> None:
    kenmerk = dossier_with_files(ws, tmp_path / "in", "Aanvraag kapvergunning", 2)
    found = dossier_completeness(ws, kenmerk)
    assert [r.code for r in found.reasons] == ["open", "pending_here"]
    assert not found.complete
    assert found.records == 2 and found.hidden == 0
    # the dossier, two records, their bestanden and events: all in the outbox
    assert found.reasons[1].params["count"] >= 5


def test_a_closed_dossier_with_nothing_waiting_is_complete(ws: Workspace, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    kenmerk = closed_dossier(ws, tmp_path / "in", "Melding overlast", contents=("klacht",))
    # the outbox is not empty (never synced): only that is said
    assert codes(ws, kenmerk) == ["pending_here"]


def test_a_mail_whose_attachment_was_empty_says_so(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    message = email.message.EmailMessage()
    message["Subject"] = "Bezwaar WOZ-beschikking"
    message["From"] = "A. Bakker <a.bakker@example.nl>"
    message["To"] = "info@rotterdam.example"
    message.set_content("Zie bijlagen.")
    message.add_attachment(pdf_bytes("bezwaar"), maintype="application", subtype="pdf",
                           filename="bezwaar.pdf")  # fmt: skip
    message.add_attachment(b"", maintype="application", subtype="pdf", filename="taxatie.pdf")
    write(drop / "bezwaar.eml", message.as_bytes())
    add_drop_folder(ws, drop)
    intake()
    [item] = inbox.list_inbox(ws)
    kenmerk = create_dossier(ws, "Bezwaar WOZ 2026").kenmerk
    inbox.file_items(ws, [item.id], kenmerk)

    found = dossier_completeness(ws, kenmerk)
    missing = [r for r in found.reasons if r.code == "attachment_missing"]
    assert [r.params["name"] for r in missing] == ["taxatie.pdf"], "the stored one is not named"


def test_files_waiting_in_the_dossiers_drop_folder_are_counted(
    ws: Workspace, drop: Path, intake: Intake, tmp_path: Path
) -> None:
    kenmerk = dossier_with_files(ws, tmp_path / "in", "Evenementenvergunning", 1)
    add_drop_folder(ws, drop, dossier_kenmerk=kenmerk)
    write(drop / "nagekomen.pdf", pdf_bytes("nagekomen stuk"))
    intake()  # ready in the inbox, not filed yet
    found = dossier_completeness(ws, kenmerk)
    assert [r.params for r in found.reasons if r.code == "inbox_waiting"] == [{"count": 1}]


def test_damaged_and_missing_content(ws: Workspace, tmp_path: Path) -> None:
    kenmerk = dossier_with_files(ws, tmp_path / "in", "Subsidie buurthuis", 2)
    first, second = record_ids(ws, kenmerk)
    with ws.readers() as session:
        one = session.scalars(select(Bestand).where(Bestand.informatieobject_id == first.id)).one()
        two = session.scalars(select(Bestand).where(Bestand.informatieobject_id == second.id)).one()
    damaged = ws.objects.path_for(one.sha256)
    os.chmod(damaged, stat.S_IWUSR | stat.S_IRUSR)
    damaged.write_bytes(b"beschadigd")
    assert codes(ws, kenmerk).count("fixity_failed") == 0, "known only after a fixity run"
    verify(ws)
    ws.objects.path_for(two.sha256).unlink()

    found = dossier_completeness(ws, kenmerk)
    by_code = {r.code: r.params for r in found.reasons}
    assert by_code["fixity_failed"] == {"record": first.kenmerk, "name": one.original_name}
    assert by_code["content_missing"] == {"record": second.kenmerk, "name": two.original_name}


def test_a_scan_without_text_and_without_ocr(ws: Workspace, drop: Path, intake: Intake) -> None:
    write(drop / "bouwtekening.png", png_bytes(3))  # an image: its text needs OCR
    add_drop_folder(ws, drop)
    intake()
    [item] = inbox.list_inbox(ws)
    kenmerk = create_dossier(ws, "Bouwtekeningen 1965").kenmerk
    [record] = inbox.file_items(ws, [item.id], kenmerk).records
    with ws.readers() as session:
        sha = session.scalars(
            select(Bestand.sha256).where(Bestand.informatieobject_id == record.id)
        ).one()
        text = session.get(ContentText, sha)
        assert text is not None and text.needs_ocr
    found = dossier_completeness(ws, kenmerk)
    assert [r.params for r in found.reasons if r.code == "ocr_missing"] == [
        {"record": record.kenmerk, "name": "bouwtekening.png"}
    ]


def test_references_to_another_dossier_and_to_nothing(ws: Workspace, tmp_path: Path) -> None:
    here = dossier_with_files(ws, tmp_path / "a", "Herinrichting Coolsingel", 1)
    there = dossier_with_files(ws, tmp_path / "b", "Verkeersbesluit Coolsingel", 1)
    [mine] = record_ids(ws, here)
    [theirs] = record_ids(ws, there)

    def reference(kenmerk: str) -> model.GerelateerdInformatieobject:
        return model.GerelateerdInformatieobject(
            model.Verwijzing(kenmerk, model.Identificatie(kenmerk, "RecordsDesk")),
            model.Begrip("Verwijst naar", None, model.Verwijzing("Relatietypen", None)),
        )

    with ws.sessions() as session, session.begin():
        row = session.get(Informatieobject, mine.id)
        assert row is not None and row.parent_id is not None
        own = own_metadata(row, session.get(Informatieobject, row.parent_id))
        meta = dataclasses.replace(
            own.meta,
            gerelateerd_informatieobject=(reference(theirs.kenmerk), reference("RD-ONBEKEND-1")),
        )
        row.mdto = stored.dumps(meta, own.inherits)
    found = dossier_completeness(ws, here)
    by_code = {r.code: r.params for r in found.reasons}
    assert by_code["related_elsewhere"] == {
        "record": mine.kenmerk, "target": theirs.kenmerk, "dossier": there,
    }  # fmt: skip
    assert by_code["related_missing"] == {"record": mine.kenmerk, "target": "RD-ONBEKEND-1"}


def test_an_unknown_kenmerk_is_a_clear_refusal(ws: Workspace) -> None:
    with pytest.raises(UserError):
        dossier_completeness(ws, "D-GEEN-0000X")
