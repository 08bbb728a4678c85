"""The PDF/A-2b parts of a written file, read back with pikepdf and pdfium.

No validator runs here (veraPDF is not available on this machine); the tests
check, one by one, the rules of ISO 19005-2 level B the writer has to meet:
embedded fonts with consistent widths, no .notdef glyph drawn, an output intent,
XMP identification agreeing with the Info dictionary, a trailer /ID, no
encryption, PDF 1.7 at most.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pikepdf
import pytest
from lxml import etree  # type: ignore[import-untyped]

from recordsdesk.pdfa import Block, Heading, Paragraph, write_pdfa
from recordsdesk.pdfa.fonts import parse_truetype
from tests.pdfa.helpers import (
    CREATED,
    DUTCH_NAME,
    document,
    page_texts,
    sample_document,
    table,
)

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}


@pytest.fixture
def written(tmp_path: Path) -> Path:
    out = tmp_path / "verklaring.pdf"
    write_pdfa(sample_document(), out)
    return out


def test_identifies_as_pdfa_2b_with_id_and_no_encryption(written: Path) -> None:
    assert written.read_bytes()[:9] == b"%PDF-1.7\n"
    with pikepdf.open(written) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
        assert pdf.pdf_version <= "1.7"
        ids = pdf.trailer.ID
        assert len(ids) == 2 and len(bytes(ids[0])) == 16
        assert not pdf.is_encrypted and "/Encrypt" not in pdf.trailer
        assert str(pdf.Root.Lang) == "nl-NL"
        for key in ("/OpenAction", "/AA", "/Names", "/AcroForm"):  # no JavaScript hooks
            assert key not in pdf.Root


def test_output_intent_is_embedded_srgb(written: Path) -> None:
    with pikepdf.open(written) as pdf:
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1
        intent = intents[0]
        assert intent.S == pikepdf.Name.GTS_PDFA1
        profile = intent.DestOutputProfile
        assert int(profile.N) == 3
        icc = profile.read_bytes()
        assert icc[36:40] == b"acsp"
        assert icc[12:20] == b"mntrRGB "  # display class, RGB data
        assert icc[8] <= 4  # PDF/A-2 takes ICC profiles up to version 4
        assert int.from_bytes(icc[:4], "big") == len(icc)


def test_every_font_is_an_embedded_cid_font_with_true_widths(written: Path) -> None:
    with pikepdf.open(written) as pdf:
        seen = 0
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                seen += 1
                assert font.Subtype == pikepdf.Name.Type0
                assert font.Encoding == pikepdf.Name("/Identity-H")
                assert "/ToUnicode" in font
                cid = font.DescendantFonts[0]
                assert cid.Subtype == pikepdf.Name.CIDFontType2
                assert cid.CIDToGIDMap == pikepdf.Name.Identity
                program = cid.FontDescriptor.FontFile2
                data = program.read_bytes()
                assert int(program.Length1) == len(data)
                parsed = parse_truetype(data)
                widths = cid.W
                for i in range(0, len(widths), 2):
                    first = int(widths[i])
                    for offset, width in enumerate(widths[i + 1]):
                        # PDF/A: dictionary and program widths agree within one unit.
                        assert abs(float(width) - parsed.width(first + offset)) <= 1.0
        assert seen >= 2  # the regular and the bold font


def test_widths_match_known_dejavu_metrics(written: Path) -> None:
    """Independent of our TrueType reader: published DejaVu Sans advances (1/1000 em)."""
    expected = {"e": 615, "l": 278, "o": 612, " ": 318, "a": 613, "n": 634}
    with pikepdf.open(written) as pdf:
        regular = pdf.pages[0].Resources.Font.F1
        cmap = regular.ToUnicode.read_bytes().decode("ascii")
        gid_of = {
            bytes.fromhex(text).decode("utf-16-be"): int(gid, 16)
            for gid, text in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]+)>", cmap)
        }
        widths: dict[int, float] = {}
        w = regular.DescendantFonts[0].W
        for i in range(0, len(w), 2):
            for offset, width in enumerate(w[i + 1]):
                widths[int(w[i]) + offset] = float(width)
        for char, known in expected.items():
            assert abs(widths[gid_of[char]] - known) <= 1, char


def test_xmp_and_info_agree(written: Path) -> None:
    with pikepdf.open(written) as pdf:
        info = pdf.docinfo
        metadata = pdf.Root.Metadata
        assert metadata.Type == pikepdf.Name.Metadata and metadata.Subtype == pikepdf.Name.XML
        xmp = etree.fromstring(metadata.read_bytes())

        def one(path: str) -> str:
            found = xmp.xpath(path, namespaces=NS)
            assert len(found) == 1, path
            return str(found[0])

        assert one("//dc:title/rdf:Alt/rdf:li/text()") == str(info.Title)
        assert str(info.Title) == "Verklaring van vernietiging"
        assert one("//dc:creator/rdf:Seq/rdf:li/text()") == str(info.Author)
        assert str(info.Author) == "Gemeente Ĳsselstein"
        assert one("//dc:description/rdf:Alt/rdf:li/text()") == str(info.Subject)
        assert one("//pdf:Producer/text()") == str(info.Producer)
        assert one("//xmp:CreatorTool/text()") == str(info.Creator)
        assert one("//pdfaid:part/text()") == "2"
        assert one("//pdfaid:conformance/text()") == "B"
        for xmp_key, info_key in (("CreateDate", "CreationDate"), ("ModifyDate", "ModDate")):
            from_xmp = datetime.datetime.fromisoformat(one(f"//xmp:{xmp_key}/text()"))
            assert from_xmp == CREATED
            assert str(info[f"/{info_key}"]) == "D:20261129091530+00'00'"


def test_created_is_written_in_utc_whatever_its_zone(tmp_path: Path) -> None:
    amsterdam = datetime.timezone(datetime.timedelta(hours=1))
    moment = datetime.datetime(2026, 11, 29, 10, 15, 30, tzinfo=amsterdam)
    doc = sample_document()
    out = tmp_path / "zone.pdf"
    write_pdfa(
        type(doc)(title=doc.title, author=doc.author, created=moment, blocks=doc.blocks), out
    )
    with pikepdf.open(out) as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20261129091530+00'00'"
        assert "2026-11-29T09:15:30+00:00" in pdf.Root.Metadata.read_bytes().decode()


def test_naive_created_is_refused(tmp_path: Path) -> None:
    doc = sample_document()
    naive = type(doc)(
        title="x", author="y", created=datetime.datetime(2026, 11, 29), blocks=doc.blocks
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        write_pdfa(naive, tmp_path / "naive.pdf")
    assert list(tmp_path.iterdir()) == []


def _shown_codes(pdf: pikepdf.Pdf) -> list[bytes]:
    codes = []
    for page in pdf.pages:
        for instruction in pikepdf.parse_content_stream(page):
            if str(instruction.operator) == "Tj":
                codes.append(bytes(instruction.operands[0]))
    return codes


def test_no_notdef_glyph_and_missing_characters_still_extract(tmp_path: Path) -> None:
    """漢 and 字 are not in DejaVu Sans, and PDF/A forbids drawing glyph 0 (.notdef)."""
    out = tmp_path / "missing.pdf"
    text = "Kanji 漢字 and a no-break\u00a0space"
    write_pdfa(document([Paragraph(text)]), out)
    with pikepdf.open(out) as pdf:
        codes = _shown_codes(pdf)
        assert codes
        for code in codes:
            assert len(code) % 2 == 0
            glyphs = [code[i : i + 2] for i in range(0, len(code), 2)]
            assert b"\x00\x00" not in glyphs
    assert text in page_texts(out)[0]


def test_text_is_extractable_with_diacritics(written: Path) -> None:
    [text] = page_texts(written)
    assert "Verklaring van vernietiging" in text
    assert DUTCH_NAME in text
    assert "Tweede regel." in text
    assert "Pagina 1 van 1" in text


def test_same_document_gives_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    write_pdfa(sample_document(), first)
    write_pdfa(sample_document(), second)
    assert first.read_bytes() == second.read_bytes()


def test_pages_have_no_transparency_or_annotations(tmp_path: Path) -> None:
    out = tmp_path / "plain.pdf"
    blocks: list[Block] = [Heading("Kop"), Paragraph("Tekst"), table(80)]
    write_pdfa(document(blocks), out)
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 2
        for page in pdf.pages:
            assert "/Group" not in page and "/Annots" not in page
            assert set(page.Resources.keys()) == {"/Font"}
            assert [float(v) for v in page.MediaBox] == pytest.approx([0, 0, 595.276, 841.89])
