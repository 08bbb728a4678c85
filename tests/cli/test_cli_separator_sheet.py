"""``recordsdesk separator-sheet``: a printable sheet whose QR code the scan pipeline reads."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from recordsdesk.errors import UserError
from recordsdesk.scan.detect import find_sheets
from recordsdesk.scan.sheet import SheetFields
from recordsdesk.services import open_workspace
from recordsdesk.services.scanning import make_separator_sheet
from tests.cli.conftest import Run
from tests.retention.disposal_support import closed_dossier, people

Cli = Callable[..., Run]


def test_a_sheet_for_a_dossier_reads_back(cli: Cli, dossier: str, tmp_path: Path) -> None:
    out = tmp_path / "blad.pdf"
    typed = dossier.lower()  # typed as people type it; printed as the archive writes it
    made = cli("separator-sheet", "--dossier", typed, "--document-type", "Brief",
               "--title", "Aanvraag dakkapel", "--pages", "3", "--out", out, "--json")  # fmt: skip
    assert made.code == 0, made.err
    assert json.loads(made.out)["dossier"] == dossier
    assert find_sheets(out)[0].fields == SheetFields(  # type: ignore[union-attr]
        dossier=dossier, documenttype="Brief", titel="Aanvraag dakkapel", pages=3
    )
    with pikepdf.open(out) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B" and len(pdf.pages) == 1
    document = pypdfium2.PdfDocument(str(out))
    text = document[0].get_textpage().get_text_range()
    document.close()
    # the same fields in words, in Dutch, with the dossier's title
    assert "SCHEIDINGSBLAD" in text and "Omgevingsvergunning Coolsingel 40" in text
    assert "Documenttype: Brief" in text and "Aanvraag dakkapel" in text


def test_refusals_exit_2_and_write_nothing(cli: Cli, dossier: str, tmp_path: Path) -> None:
    out = tmp_path / "blad.pdf"
    other = dossier[:-1] + ("2" if dossier[-1] != "2" else "3")  # valid, but not here
    unknown = cli("separator-sheet", "--dossier", other, "--out", out)
    assert unknown.code == 2 and f"geen dossier met kenmerk {other}" in unknown.err
    assert "Traceback" not in unknown.err and not out.exists()
    english = cli("--lang", "en", "separator-sheet", "--pages", "0", "--out", out)
    assert english.code == 2 and "page count" in english.err and not out.exists()


def test_no_sheet_for_a_closed_dossier(home: Path, tmp_path: Path) -> None:
    ws = open_workspace(home)
    try:
        people(ws)
        kenmerk = closed_dossier(ws, tmp_path, "Gesloten dossier")
        out = tmp_path / "blad.pdf"
        with pytest.raises(UserError, match="not open"):
            make_separator_sheet(ws, out, dossier=kenmerk)
        assert not out.exists()
        with pytest.raises(UserError, match="is a folder"):
            make_separator_sheet(ws, tmp_path)
        made = make_separator_sheet(ws, out, titel="Post zonder dossier")
        assert made.dossier is None and find_sheets(out)[0] is not None
    finally:
        ws.close()
