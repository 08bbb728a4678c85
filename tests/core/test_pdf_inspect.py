"""inspect_pdf on real PDFs made here with pikepdf."""

from __future__ import annotations

import zlib
from pathlib import Path

import pikepdf
import pytest

from recordsdesk.pdf import inspect_pdf


def _pdf(path: Path, pages: int = 1) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    return pdf


def test_a_plain_pdf(tmp_path: Path) -> None:
    path = tmp_path / "brief.pdf"
    _pdf(path, pages=3).save(path)
    facts = inspect_pdf(path)
    assert facts.pages == 3
    assert not facts.encrypted and not facts.needs_password and not facts.damaged
    assert facts.pdfa_claim is None
    assert facts.risks == []


def test_a_user_password_needs_a_password(tmp_path: Path) -> None:
    path = tmp_path / "geheim.pdf"
    _pdf(path).save(path, encryption=pikepdf.Encryption(user="geheim", owner="eigenaar"))
    facts = inspect_pdf(path)
    assert facts.needs_password and facts.encrypted
    assert facts.pages is None


def test_an_owner_password_alone_opens_but_is_reported_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "beperkt.pdf"
    _pdf(path, pages=2).save(path, encryption=pikepdf.Encryption(user="", owner="eigenaar"))
    facts = inspect_pdf(path)
    assert facts.encrypted and not facts.needs_password
    assert facts.pages == 2


def test_javascript_launch_and_attachments_are_risks(tmp_path: Path) -> None:
    path = tmp_path / "risico.pdf"
    pdf = _pdf(path)
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)")
    pdf.attachments["bijlage.txt"] = pikepdf.AttachedFileSpec(pdf, b"verborgen inhoud")
    annotation = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[0, 0, 10, 10],
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F="calc.exe"),
    )
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([annotation]))
    pdf.save(path)
    facts = inspect_pdf(path)
    assert facts.javascript and facts.launch_action
    assert facts.embedded_files == 1
    assert facts.risks == ["javascript", "launch-action", "embedded-files"]


def test_a_pdfa_claim_is_read_from_the_metadata(tmp_path: Path) -> None:
    path = tmp_path / "pdfa.pdf"
    pdf = _pdf(path)
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
    pdf.save(path)
    assert inspect_pdf(path).pdfa_claim == "2B"


@pytest.mark.parametrize(
    "content", [b"%PDF-1.7\nthis is no pdf at all", b"not even a header", b"%PDF-"]
)
def test_garbage_is_damaged_not_an_exception(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "kapot.pdf"
    path.write_bytes(content)
    facts = inspect_pdf(path)
    assert facts.damaged and facts.pages is None


def test_a_decompression_bomb_is_inspected_without_decompressing(tmp_path: Path) -> None:
    path = tmp_path / "bom.pdf"
    pdf = _pdf(path)
    # 1 GiB of zeros compresses to about 1 MB; inspecting must not inflate it
    compressor = zlib.compressobj(9)
    chunk = bytes(1024 * 1024)
    compressed = b"".join(compressor.compress(chunk) for _ in range(1024)) + compressor.flush()
    stream = pikepdf.Stream(pdf, compressed)
    stream.Filter = pikepdf.Name.FlateDecode
    pdf.pages[0].Contents = pdf.make_indirect(stream)
    pdf.save(path)
    assert path.stat().st_size < 5 * 1024 * 1024

    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    facts = inspect_pdf(path)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert facts.pages == 1 and not facts.damaged
    assert grown_kib < 200 * 1024, f"inspection grew the process by {grown_kib} KiB"
