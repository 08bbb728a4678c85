"""The text layer of a PDF, with bounded work, for :func:`recordsdesk.extract.text.extract_text`.

pdfium decompresses a page's content streams completely when it loads the
page, and has no size limit of its own: a 2 MB PDF whose content stream
inflates to 2 GB of zeros costs it 3 GB of memory and 10 s. So before pdfium
sees a page, :func:`_page_cost` measures how large the page's content
(its content streams and the form XObjects it uses, recursively) becomes
when decoded, using pikepdf for the raw bytes and our own bounded inflater
(``zlib`` with ``max_length``), never a full decode. Pages are read in order
until a page needs more than :data:`MAX_PAGE_CONTENT_BYTES` or all together
more than :data:`MAX_CONTENT_BYTES`; the rest is left out (``truncated``). A
stream with a filter we cannot decode in a bounded way (LZW, RunLength,
Crypt, ... larger than :data:`SMALL_RAW_BYTES`) ends the document the same way.
The scan costs about 0.1 ms for a one-page PDF. Type 3 glyph procedures and
annotation appearance streams are not measured.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MAX_PDF_PAGES = 2000
# Decoded content streams: pdfium holds about 1.5 times a page's worth in memory.
MAX_PAGE_CONTENT_BYTES = 128 * 1024 * 1024
MAX_CONTENT_BYTES = 512 * 1024 * 1024  # whole document: bounds the time (~2 s per 512 MiB)
SMALL_RAW_BYTES = 16 * 1024  # other filters are decoded by qpdf only for streams this small
MIN_CHARS_PER_PAGE = 20  # fewer non-space characters per page on average: a scan
_INFLATE_CHUNK = 1024 * 1024


OVERSIZED = "pdf-oversized"  # the method when the decoded-content budget left pages out


class TooLarge(Exception):
    """Decoding would pass the budget."""


def pdf_text(path: Path, max_chars: int) -> tuple[str, bool, str, bool]:
    """``(text, needs_ocr, method, truncated)`` for the PDF at ``path``; never raises."""
    import pikepdf
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    try:
        with pikepdf.open(path) as pdf:
            pages = len(pdf.pages)
            readable, oversized = _readable_pages(pdf)
    except (pikepdf.PdfError, pikepdf.PasswordError, OSError, ValueError, RecursionError) as exc:
        log.info("PDF not readable: %s: %s", path, exc)
        return "", False, "unreadable", False
    truncated = readable < pages
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:  # qpdf repaired what pdfium cannot read
        log.info("PDF not readable by pdfium: %s: %s", path, exc)
        return "", False, "unreadable", False
    parts: list[str] = []
    size = 0
    done = 0
    try:
        for index in range(min(readable, len(document))):
            if size > max_chars:
                break
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    # One character more than fits: so that truncation is noticed.
                    count = min(textpage.count_chars(), max_chars - size + 1)
                    text = textpage.get_text_range(0, count) if count > 0 else ""
                finally:
                    textpage.close()
            finally:
                page.close()
            if index:
                text = "\f" + text  # page break, as pdftotext does
            parts.append(text)
            size += len(text)
            done += 1
    except pdfium.PdfiumError as exc:
        log.info("PDF page not readable: %s: %s", path, exc)
        if not parts:
            return "", False, "unreadable", False
        truncated = True
    finally:
        document.close()
    text = "".join(parts)
    full = len(text) > max_chars  # plenty of text: certainly not a scan
    if full:
        text, truncated = text[:max_chars], True
    visible = sum(1 for ch in text if not ch.isspace())
    scan = done > 0 and not full and visible < MIN_CHARS_PER_PAGE * done
    # "pdf-oversized": pages were left out because their content would inflate
    # past the budget, which a normal PDF never does (a decompression bomb).
    return text, scan, OVERSIZED if oversized else "pdf", truncated


def _readable_pages(pdf: Any) -> tuple[int, bool]:
    """How many leading pages fit the decoded-content budget (at most MAX_PDF_PAGES),
    and whether the budget (not the page cap) ended the count."""
    spent = 0
    for index, page in enumerate(pdf.pages):
        if index >= MAX_PDF_PAGES:
            return index, False
        try:
            spent += _page_cost(page.obj, min(MAX_PAGE_CONTENT_BYTES, MAX_CONTENT_BYTES - spent))
        except TooLarge:
            log.info("PDF content too large to decode from page %d on", index + 1)
            return index, True
    return len(pdf.pages), False


def _page_cost(page: Any, budget: int) -> int:
    """Decoded bytes of a page's content streams and form XObjects; TooLarge past ``budget``."""
    import pikepdf

    spent = 0
    seen: set[tuple[int, int]] = set()
    todo: list[tuple[Any, Any]] = [(page.get("/Contents"), page.get("/Resources"))]
    while todo:
        contents, resources = todo.pop()
        for stream in _streams(contents):
            if stream.is_indirect:
                if stream.objgen in seen:
                    continue
                seen.add(stream.objgen)
            spent += _decoded_size(stream, budget - spent)
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        if not isinstance(xobjects, pikepdf.Dictionary):
            continue
        for key in list(xobjects.keys()):
            form = xobjects.get(key)
            if not isinstance(form, pikepdf.Stream) or form.get("/Subtype") != "/Form":
                continue
            if form.objgen not in seen:  # seen: also guards against cycles
                todo.append((form, form.get("/Resources")))
    return spent


def _streams(contents: Any) -> Iterator[Any]:
    import pikepdf

    if isinstance(contents, pikepdf.Stream):
        yield contents
    elif isinstance(contents, pikepdf.Array):
        yield from (item for item in contents if isinstance(item, pikepdf.Stream))


def _filters(stream: Any) -> list[str]:
    import pikepdf

    value = stream.get("/Filter")
    if isinstance(value, pikepdf.Name):
        return [str(value)]
    if isinstance(value, pikepdf.Array):
        return [str(v) for v in value]
    return []


def _decoded_size(stream: Any, budget: int) -> int:
    """Size of ``stream`` after its filters, measured without ever holding more than budget."""
    raw: bytes = stream.read_raw_bytes()
    filters = _filters(stream)
    if not filters:
        return _charge(len(raw), budget)
    if all(f in _BOUNDED for f in filters):
        data = raw
        for position, name in enumerate(filters):
            last = position == len(filters) - 1
            if last and name in ("/FlateDecode", "/Fl"):
                return _inflate(data, budget, keep=False)[1]  # count only: no 256 MiB buffer
            data = _BOUNDED[name](data, budget)
        return _charge(len(data), budget)
    if len(raw) <= SMALL_RAW_BYTES and len(filters) == 1:
        return _charge(len(stream.read_bytes()), budget)
    raise TooLarge(filters)


def _charge(size: int, budget: int) -> int:
    if size > budget:
        raise TooLarge(size)
    return size


def _inflate(data: bytes, budget: int, keep: bool = True) -> tuple[bytes, int]:
    """zlib-decode at most ``budget`` bytes; a damaged stream counts what came out (as qpdf)."""
    inflater = zlib.decompressobj()
    out = bytearray()
    size = 0
    pending = data
    try:
        while pending or not inflater.eof:
            room = budget - size + 1
            chunk = inflater.decompress(pending, min(room, _INFLATE_CHUNK))
            size += len(chunk)
            _charge(size, budget)
            if keep:
                out += chunk
            pending = inflater.unconsumed_tail
            if not chunk and not pending:
                break
    except zlib.error:
        pass
    return bytes(out), size


def _charge_bytes(data: bytes, budget: int) -> bytes:
    _charge(len(data), budget)
    return data


def _flate(data: bytes, budget: int) -> bytes:
    return _inflate(data, budget)[0]


def _ascii85(data: bytes, budget: int) -> bytes:
    # At most 4 bytes from one input byte ("z"): measure after, the input is bounded.
    body = data.strip()
    body = body.removeprefix(b"<~").split(b"~>")[0]
    try:
        return _charge_bytes(base64.a85decode(body, ignorechars=b" \t\n\r\f\v\0"), budget)
    except ValueError:
        return b""


def _asciihex(data: bytes, budget: int) -> bytes:
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">")[0])
    try:
        return _charge_bytes(binascii.unhexlify(digits + b"0" * (len(digits) % 2)), budget)
    except binascii.Error:
        return b""


_BOUNDED: dict[str, Callable[[bytes, int], bytes]] = {
    "/FlateDecode": _flate,
    "/Fl": _flate,
    "/ASCII85Decode": _ascii85,
    "/A85": _ascii85,
    "/ASCIIHexDecode": _asciihex,
    "/AHx": _asciihex,
}
