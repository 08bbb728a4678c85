"""Plain text of a file, for search, and whether it needs OCR.

:func:`extract_text` runs for every file that comes in, so it is cheap for
small files (no subprocess, no temporary files) and bounded for hostile ones:

* at most :data:`MAX_TEXT_CHARS` characters of text (``truncated`` says so);
* at most :data:`MAX_ZIP_MEMBER_BYTES` decompressed bytes of any ZIP member,
  counted while reading (a zip bomb stops there), and the XML is parsed as a
  stream without entity expansion or network access;
* PDFs: see :mod:`recordsdesk.extract.pdftext` (at most 2,000 pages and
  256 MiB of decoded page content, none after the text cap is reached).

It never raises for bad content: an encrypted or damaged file gives empty text
with method ``"unreadable"``. ``needs_ocr`` is true for images and for PDFs
whose pages carry (almost) no text layer, i.e. scans.

Methods: ``pdf``, ``image``, ``plain``, ``mail``, ``docx``, ``odt``, ``xlsx``,
``pptx``, ``none`` (type not handled) and ``unreadable``.
"""

from __future__ import annotations

import codecs
import logging
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree  # type: ignore[import-untyped]

from recordsdesk.errors import UserError

if TYPE_CHECKING:
    from recordsdesk.extract.mail import MailMessage

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 10_000_000  # characters of output ("10 MB of text")
MAX_ZIP_MEMBER_BYTES = 64 * 1024 * 1024
_CHUNK = 1024 * 1024

PLAIN = frozenset({"text/plain", "text/csv", "text/markdown", "text/x-markdown"})
MAIL = frozenset({"message/rfc822", "application/vnd.ms-outlook"})
_OOXML = "application/vnd.openxmlformats-officedocument."
DOCX = _OOXML + "wordprocessingml.document"
XLSX = _OOXML + "spreadsheetml.sheet"
PPTX = _OOXML + "presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


@dataclass(frozen=True)
class TextResult:
    text: str
    needs_ocr: bool
    method: str
    truncated: bool


def extract_text(path: Path, mime: str) -> TextResult:
    """The text of ``path`` read as ``mime`` (parameters such as ``; charset=`` ignored)."""
    kind = mime.split(";")[0].strip().lower()
    try:
        if kind == "application/pdf":
            return _pdf(path)
        if kind.startswith("image/"):
            return TextResult("", True, "image", False)
        if kind in PLAIN:
            return _plain(path)
        if kind in MAIL:
            return _mail(path)
        if kind == DOCX:
            return _zip_xml(path, "docx", ["word/document.xml"], _ooxml_paragraphs(_W))
        if kind == PPTX:
            return _zip_xml(path, "pptx", _slides, _ooxml_paragraphs(_A))
        if kind == XLSX:
            return _zip_xml(path, "xlsx", ["xl/sharedStrings.xml"], _ooxml_paragraphs(_S, "si"))
        if kind == ODT:
            return _zip_xml(path, "odt", ["content.xml"], _odf_paragraphs)
    except (
        OSError,
        EOFError,
        ValueError,
        RuntimeError,  # e.g. an encrypted ZIP member
        NotImplementedError,  # a ZIP compression method Python lacks
        zipfile.BadZipFile,
        zlib.error,
        etree.Error,
    ) as exc:
        log.info("no text from %s (%s): %s", path, kind, exc)
        return TextResult("", False, "unreadable", False)
    return TextResult("", False, "none", False)


class _Text:
    """Collects text up to the cap."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.truncated = False
        self.paragraphs = 0  # across ZIP members, for the line breaks between them

    @property
    def full(self) -> bool:
        return self.size >= MAX_TEXT_CHARS

    def add(self, text: str) -> None:
        room = MAX_TEXT_CHARS - self.size
        if len(text) > room:
            text, self.truncated = text[:room], True
        self.parts.append(text)
        self.size += len(text)

    def result(self, method: str, needs_ocr: bool = False) -> TextResult:
        return TextResult("".join(self.parts), needs_ocr, method, self.truncated)


def _pdf(path: Path) -> TextResult:
    from recordsdesk.extract.pdftext import pdf_text  # imports pikepdf and pdfium when needed

    return TextResult(*pdf_text(path, MAX_TEXT_CHARS))


def _plain(path: Path) -> TextResult:
    # UTF-8 needs at most 4 bytes a character: this many bytes always fill the cap.
    limit = MAX_TEXT_CHARS * 4
    with path.open("rb") as f:
        data = f.read(limit + 1)
    cut = len(data) > limit
    data = data[:limit]
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            text = codecs.getincrementaldecoder(codec)("replace").decode(data[len(bom) :])
            break
    else:
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        try:
            # final=False: a character cut in half at the read limit is no reason for cp1252.
            text = decoder.decode(data, final=not cut)
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    out = _Text()
    out.add(text)
    out.truncated = out.truncated or cut
    return out.result("plain")


def _mail(path: Path) -> TextResult:
    from recordsdesk.extract.mail import read_mail

    try:
        message = read_mail(path)
    except UserError as exc:
        log.info("mail not readable: %s: %s", path, exc.english())
        return TextResult("", False, "unreadable", False)
    return mail_text(message)


def mail_text(message: MailMessage) -> TextResult:
    """The searchable text of a mail already read: header lines, a blank line, the body."""
    out = _Text()
    lines = [f"Subject: {message.subject}", f"From: {message.sender}"]
    if message.to:
        lines.append("To: " + ", ".join(message.to))
    if message.cc:
        lines.append("Cc: " + ", ".join(message.cc))
    out.add("\n".join(lines) + "\n\n" + message.body_text)
    return out.result("mail")


# -- ZIP-based office formats ------------------------------------------------------

Paragraphs = Callable[[etree._Element], str | None]


def _slides(zf: zipfile.ZipFile) -> list[str]:
    """Slide parts in slide order (slide2 before slide10)."""
    names = [n for n in zf.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml")]
    digits = lambda n: int("".join(ch for ch in n if ch.isdigit()) or 0)  # noqa: E731
    return sorted(names, key=digits)


def _zip_xml(
    path: Path,
    method: str,
    members: list[str] | Callable[[zipfile.ZipFile], list[str]],
    paragraph: Paragraphs,
) -> TextResult:
    """Stream-parse XML members; each element ``paragraph`` accepts becomes a line."""
    out = _Text()
    with zipfile.ZipFile(path) as zf:
        wanted = members(zf) if callable(members) else members
        for member in wanted:
            if out.full:
                break
            try:
                info = zf.getinfo(member)
            except KeyError:
                continue
            try:
                _parse_member(zf, info, paragraph, out)
            except zlib.error as exc:  # damaged deflate data: keep what was read
                log.info("damaged ZIP member %s in %s: %s", member, path, exc)
    return out.result(method)


def _parse_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, paragraph: Paragraphs, out: _Text
) -> None:
    # No entities, no DTDs, no network: XXE and billion laughs are inert.
    parser = etree.XMLPullParser(
        events=("end",), resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    read = 0
    with zf.open(info) as stream:
        while not out.full:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            read += len(chunk)
            if read > MAX_ZIP_MEMBER_BYTES:  # counted while decompressing: a bomb stops here
                out.truncated = True
                break
            try:
                parser.feed(chunk)
            except etree.XMLSyntaxError:
                out.truncated = True
                break
            for _event, element in parser.read_events():
                text = paragraph(element)
                if text is None:
                    continue
                out.add("\n" + text if out.paragraphs else text)
                out.paragraphs += 1
                element.clear()
                # Drop finished paragraphs so memory stays flat for long documents.
                while element.getprevious() is not None:
                    del element.getparent()[0]
                if out.full:
                    break


def _ooxml_paragraphs(ns: str, para: str = "p") -> Paragraphs:
    tag, text_tag, tab, breaks = ns + para, ns + "t", ns + "tab", {ns + "br", ns + "cr"}

    def paragraph(element: etree._Element) -> str | None:
        if element.tag != tag:
            return None
        parts: list[str] = []
        for node in element.iter():
            if node.tag == text_tag and node.text:
                parts.append(node.text)
            elif node.tag == tab:
                parts.append("\t")
            elif node.tag in breaks:
                parts.append("\n")
        return "".join(parts)

    return paragraph


def _odf_paragraphs(element: etree._Element) -> str | None:
    if element.tag not in (_T + "p", _T + "h"):
        return None
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.tag == _T + "s":
            count = node.get(_T + "c", "1")
            parts.append(" " * (min(int(count), 100) if count.isdigit() else 1))
        elif node.tag == _T + "tab":
            parts.append("\t")
        elif node.tag == _T + "line-break":
            parts.append("\n")
        elif node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "".join(parts)
