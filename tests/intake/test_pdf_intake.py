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
