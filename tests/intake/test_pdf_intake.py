"""PDFs are inspected on intake: unreadable ones wait in quarantine, originals kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pikepdf

from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.intake.inbox import list_inbox
from recordsdesk.services import Workspace


def _pdf(path: Path, **save: object) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.add_blank_page()
    pdf.save(path, **save)  # type: ignore[arg-type]
    return path


def test_a_password_protected_pdf_is_quarantined_and_stays_in_the_folder(
    ws: Workspace, drop: Path, intake: Callable[[], list[str]]
) -> None:
    add_drop_folder(ws, drop)
    _pdf(drop / "geheim.pdf", encryption=pikepdf.Encryption(user="x", owner="y"))
    intake()
    [item] = list_inbox(ws)
    assert item.state == "quarantined"
    assert item.reason is not None and "wachtwoord" in item.reason
    assert item.facts is not None and item.facts["pdf"]["needs_password"] is True
    assert (drop / "geheim.pdf").exists(), "the original must stay"


def test_a_damaged_pdf_is_quarantined_with_a_readable_reason(
    ws: Workspace, drop: Path, intake: Callable[[], list[str]]
) -> None:
    add_drop_folder(ws, drop)
    (drop / "kapot.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    intake()
    [item] = list_inbox(ws)
    assert item.mime == "application/pdf"
    assert item.state == "quarantined"
    assert item.reason is not None and "beschadigd" in item.reason
    assert (drop / "kapot.pdf").exists()


def test_a_sound_pdf_is_ready_with_its_facts(
    ws: Workspace, drop: Path, intake: Callable[[], list[str]]
) -> None:
    add_drop_folder(ws, drop)
    path = drop / "besluit.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)")
    pdf.save(path)
    intake()
    [item] = list_inbox(ws)
    assert item.state == "ready"
    assert item.facts is not None
    assert item.facts["pdf"]["pages"] == 1
    assert item.facts["pdf"]["risks"] == ["javascript"]
    assert item.to_json()["facts"] == item.facts


def test_a_truncated_pdf_qpdf_can_rebuild_is_ready_and_filed_with_a_repaired_copy(
    ws: Workspace, drop: Path, intake: Callable[[], list[str]], tmp_path: Path
) -> None:
    import hashlib

    from sqlalchemy import select

    from recordsdesk.db.models import Bestand
    from recordsdesk.intake.inbox import file_items
    from recordsdesk.services import create_dossier, verify

    whole = _pdf(tmp_path / "heel.pdf").read_bytes()
    truncated = whole[: whole.rindex(b"startxref")]  # the end of the file is lost
    add_drop_folder(ws, drop)
    (drop / "afgebroken.pdf").write_bytes(truncated)
    intake()

    [item] = list_inbox(ws)
    assert item.state == "ready"
    assert item.facts is not None
    assert item.facts["pdf"]["repaired"] is True
    assert "damaged-repaired" in item.facts["pdf"]["risks"]
    [copy] = item.facts["derived"]
    assert copy["role"] == "repaired" and copy["sha256"] != item.sha256
    with pikepdf.open(ws.objects.path_for(copy["sha256"])) as repaired:
        assert len(repaired.pages) == 2
        assert not any("damaged" in str(w) for w in repaired.get_warnings())

    kenmerk = create_dossier(ws, "Hersteld").kenmerk
    [record] = file_items(ws, [item.id], kenmerk).records
    with ws.readers() as session:
        bestanden = {
            b.role: b
            for b in session.scalars(
                select(Bestand).where(Bestand.informatieobject_id == record.id)
            )
        }
    assert set(bestanden) == {"original", "repaired"}
    original = bestanden["original"]
    assert original.sha256 == hashlib.sha256(truncated).hexdigest(), "the original, untouched"
    assert bestanden["repaired"].derived_from_id == original.id
    assert verify(ws).intact
