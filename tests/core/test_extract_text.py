"""extract_text on real files: PDFs made with pikepdf, office files made with zipfile."""

from __future__ import annotations

import zipfile
import zlib
from email.message import EmailMessage
from pathlib import Path

import pikepdf
import pytest

from recordsdesk.extract import pdftext, text
from recordsdesk.extract.text import TextResult, extract_text
from tests.support.cfb import build_msg

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _pdf(path: Path, pages: list[bytes], **save: object) -> Path:
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for content in pages:
        pdf.add_blank_page()
        page = pdf.pages[-1]
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream(content)
    pdf.save(path, **save)  # type: ignore[arg-type]
    return path


def _text_page(words: str) -> bytes:
    return f"BT /F1 12 Tf 72 720 Td ({words}) Tj ET".encode()


def _image_pdf(path: Path) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    image = pikepdf.Stream(pdf, b"\x80" * 100 * 100)
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = 100, 100, 8
    image.ColorSpace = pikepdf.Name.DeviceGray
    page = pdf.pages[0]
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.obj.Contents = pdf.make_stream(b"q 500 0 0 700 50 50 cm /Im0 Do Q")
    pdf.save(path)
    return path


def _flate_bomb(path: Path, megabytes: int) -> Path:
    """A page whose content stream inflates to ``megabytes`` MiB of zeros (made in ~0.1 s/100MB)."""
    compressor = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    raw = b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()
    pdf = pikepdf.new()
    pdf.add_blank_page()
    stream = pikepdf.Stream(pdf, raw)
    stream.Filter = pikepdf.Name.FlateDecode
    pdf.pages[0].obj.Contents = stream
    pdf.save(path, compress_streams=False)
    return path


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _docx(path: Path, paragraphs: list[str]) -> Path:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = f'<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>'
    return _zip(path, {"[Content_Types].xml": b"<Types/>", "word/document.xml": xml.encode()})


def test_pdf_text_layer(tmp_path: Path) -> None:
    words = "Hallo wereld, dit is de tekstlaag"
    path = _pdf(tmp_path / "a.pdf", [_text_page(words), _text_page("Pagina twee, ook met tekst")])
    result = extract_text(path, PDF)
    assert result == TextResult(f"{words}\fPagina twee, ook met tekst", False, "pdf", False)
    half = extract_text(_pdf(tmp_path / "b.pdf", [_text_page(words), b""]), PDF)
    assert half.needs_ocr  # 14 characters a page on average: partly scanned


def test_scanned_pdf_needs_ocr(tmp_path: Path) -> None:
    result = extract_text(_image_pdf(tmp_path / "scan.pdf"), PDF)
    assert (result.text.strip(), result.needs_ocr, result.method) == ("", True, "pdf")
    tiny = extract_text(_pdf(tmp_path / "b.pdf", [_text_page("p. 1")]), PDF)
    assert tiny.needs_ocr  # four characters: a scan with a page number stamped on it


def test_encrypted_and_damaged_pdf_are_unreadable(tmp_path: Path) -> None:
    locked = _pdf(
        tmp_path / "locked.pdf",
        [_text_page("geheim")],
        encryption=pikepdf.Encryption(user="x", owner="y"),
    )
    assert extract_text(locked, PDF) == TextResult("", False, "unreadable", False)
    owner_only = _pdf(
        tmp_path / "owner.pdf",
        [_text_page("open voor iedereen")],
        encryption=pikepdf.Encryption(user="", owner="y"),
    )
    assert extract_text(owner_only, PDF).text == "open voor iedereen"
    for name, raw in (("junk.pdf", b"%PDF-1.7\n\x00garbage"), ("empty.pdf", b"")):
        (tmp_path / name).write_bytes(raw)
        assert extract_text(tmp_path / name, PDF).method == "unreadable"


def test_pdf_flate_bomb_is_bounded(tmp_path: Path) -> None:
    path = _flate_bomb(tmp_path / "bomb.pdf", 200)
    assert path.stat().st_size < 1_000_000
    # bounded: the pre-check refuses the page before pdfium inflates it (speed
    # and memory are measured in benchmarks, never asserted in tests)
    result = extract_text(path, PDF)
    assert result.text == "" and result.truncated and result.method == "pdf-oversized"


def test_pdf_page_and_text_caps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _pdf(
        tmp_path / "pages.pdf", [_text_page(f"Pagina nummer {n} van drie") for n in (1, 2, 3)]
    )
    monkeypatch.setattr(pdftext, "MAX_PDF_PAGES", 2)
    result = extract_text(path, PDF)
    assert result.truncated and "nummer 2" in result.text and "nummer 3" not in result.text
    monkeypatch.setattr(text, "MAX_TEXT_CHARS", 10)
    assert extract_text(path, PDF) == TextResult("Pagina num", False, "pdf", True)


def test_pdf_with_filter_chain_is_measured(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    import base64

    stream = pikepdf.Stream(pdf, base64.a85encode(zlib.compress(b"BT ET " * 10), adobe=True))
    stream.Filter = pikepdf.Array([pikepdf.Name.ASCII85Decode, pikepdf.Name.FlateDecode])
    pdf.pages[0].obj.Contents = stream
    pdf.save(tmp_path / "chain.pdf", compress_streams=False)
    assert extract_text(tmp_path / "chain.pdf", PDF).method == "pdf"


def test_images_need_ocr(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(b"\x89PNG")
    assert extract_text(tmp_path / "a.png", "image/png") == TextResult("", True, "image", False)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Gemeente Ålesund € ñ".encode(), "Gemeente Ålesund € ñ"),
        (b"\xef\xbb\xbfmet BOM", "met BOM"),
        ("UTF-16 tekst".encode("utf-16"), "UTF-16 tekst"),
        ("UTF-32 tekst".encode("utf-32"), "UTF-32 tekst"),
        ("caf\xe9 \u20ac".encode("cp1252"), "café €"),
    ],
)
def test_plain_text_encodings(tmp_path: Path, raw: bytes, expected: str) -> None:
    (tmp_path / "a.txt").write_bytes(raw)
    assert extract_text(tmp_path / "a.txt", "text/plain; charset=x") == TextResult(
        expected, False, "plain", False
    )


def test_plain_text_cap_does_not_split_a_character(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(text, "MAX_TEXT_CHARS", 3)  # reads 12 bytes: cuts the 4th "é"
    (tmp_path / "a.csv").write_bytes("éééééééé".encode())
    assert extract_text(tmp_path / "a.csv", "text/csv") == TextResult("ééé", False, "plain", True)


def test_mail_text(tmp_path: Path) -> None:
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = "Onderwerp", "a@example.nl", "b@example.nl"
    msg.set_content("De inhoud.")
    (tmp_path / "m.eml").write_bytes(bytes(msg))
    result = extract_text(tmp_path / "m.eml", "message/rfc822")
    assert result.method == "mail"
    assert result.text == "Subject: Onderwerp\nFrom: a@example.nl\nTo: b@example.nl\n\nDe inhoud."
    (tmp_path / "o.msg").write_bytes(build_msg({0x0037: "Outlook", 0x1000: "Tekst"}))
    outlook = extract_text(tmp_path / "o.msg", "application/vnd.ms-outlook")
    assert outlook.text == "Subject: Outlook\nFrom: \n\nTekst"
    (tmp_path / "bad.msg").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 10)
    assert extract_text(tmp_path / "bad.msg", "application/vnd.ms-outlook").method == "unreadable"


def test_docx_paragraphs_tabs_and_breaks(tmp_path: Path) -> None:
    xml = (
        f"<w:document {W}><w:body><w:p><w:r><w:t>Eerste</w:t><w:tab/><w:t>kolom</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>In tabel</w:t><w:br/><w:t>regel 2</w:t></w:r></w:p>"
        "</w:tc></w:tr></w:tbl><w:p><w:r><w:t xml:space='preserve'>Één  laatste </w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    path = _zip(tmp_path / "a.docx", {"word/document.xml": xml.encode()})
    assert extract_text(path, DOCX) == TextResult(
        "Eerste\tkolom\nIn tabel\nregel 2\nÉén  laatste ", False, "docx", False
    )


def test_odt_xlsx_pptx(tmp_path: Path) -> None:
    t = 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    odt = (
        f"<office:document-content {t} xmlns:office='urn:oasis:names:tc:opendocument:xmlns:"
        "office:1.0'><office:body><office:text><text:h>Kop</text:h><text:p>Een<text:s text:c='3'/>"
        "<text:span>twee</text:span><text:tab/>drie<text:line-break/>vier</text:p>"
        "</office:text></office:body></office:document-content>"
    )
    path = _zip(tmp_path / "a.odt", {"mimetype": ODT.encode(), "content.xml": odt.encode()})
    assert extract_text(path, ODT).text == "Kop\nEen   twee\tdrie\nvier"
    s = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    xlsx = f"<sst {s}><si><t>Naam</t></si><si><r><t>Ber</t></r><r><t>grijk</t></r></si></sst>"
    path = _zip(tmp_path / "a.xlsx", {"xl/sharedStrings.xml": xlsx.encode()})
    assert extract_text(path, XLSX).text == "Naam\nBergrijk"
    a = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    slides = {
        f"ppt/slides/slide{n}.xml": f"<p:sld {a} xmlns:p='p'><a:p><a:r><a:t>Dia {n}</a:t></a:r>"
        "</a:p></p:sld>".encode()
        for n in (10, 2, 1)
    }
    assert extract_text(_zip(tmp_path / "a.pptx", slides), PPTX).text == "Dia 1\nDia 2\nDia 10"


def test_xml_entities_are_not_expanded(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">'
        '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f"<w:document {W}><w:body><w:p><w:r><w:t>&x;&b;</w:t></w:r></w:p></w:body></w:document>"
    )
    path = _zip(tmp_path / "xxe.docx", {"word/document.xml": xml.encode()})
    result = extract_text(path, DOCX)
    assert "root:" not in result.text and "aaaaaaaaaa" not in result.text


def test_docx_zip_bomb_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "MAX_ZIP_MEMBER_BYTES", 8 * 1024 * 1024)
    paragraph = b"<w:p><w:r><w:t>" + b"x" * 1000 + b"</w:t></w:r></w:p>"
    head = f"<w:document {W}><w:body>".encode()
    path = tmp_path / "bomb.docx"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf,
        zf.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        member.write(head)
        for _ in range(20):  # 20 MiB of paragraphs, about 60 kB compressed
            member.write(paragraph * 1000)
    assert path.stat().st_size < 200_000
    result = extract_text(path, DOCX)
    assert result.truncated and result.method == "docx"
    assert 7_000_000 < len(result.text) < 8_500_000


def test_docx_text_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "MAX_TEXT_CHARS", 12)
    result = extract_text(_docx(tmp_path / "a.docx", ["Eerste alinea", "tweede"]), DOCX)
    assert result == TextResult("Eerste aline", False, "docx", True)


@pytest.mark.parametrize(
    "raw", [b"", b"PK\x03\x04broken", b"not a zip at all", b"PK\x05\x06" + b"\0" * 18]
)
def test_damaged_office_files_are_unreadable(tmp_path: Path, raw: bytes) -> None:
    (tmp_path / "a.docx").write_bytes(raw)
    assert extract_text(tmp_path / "a.docx", DOCX).method in ("unreadable", "docx")


def test_broken_xml_keeps_what_was_read(tmp_path: Path) -> None:
    xml = f"<w:document {W}><w:body><w:p><w:r><w:t>goed</w:t></w:r></w:p><w:p><oops"
    result = extract_text(_zip(tmp_path / "a.docx", {"word/document.xml": xml.encode()}), DOCX)
    assert result.text == "goed"


def test_other_types(tmp_path: Path) -> None:
    (tmp_path / "a.bin").write_bytes(b"\0")
    assert extract_text(tmp_path / "a.bin", "application/octet-stream") == TextResult(
        "", False, "none", False
    )
