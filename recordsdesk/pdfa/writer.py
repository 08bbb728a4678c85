"""``write_pdfa``: lay out a ``Document`` and write it as PDF/A-2b, atomically.

The pages are laid out first, each page's content compressed as soon as it is
complete, so a table of 100,000 rows read from a generator is held only as
compressed page streams. Then the footers (which need the page count), the
fonts (which need every glyph drawn), the output intent and the metadata are
added, and the file is written to a temp file beside the target, fsynced and
renamed over it. If anything fails (a row generator raising, a full disk) the
old file stays as it was and no temp file is left behind.
"""

from __future__ import annotations

import datetime
import os
import secrets
import zlib
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from recordsdesk.pdfa.document import Document
from recordsdesk.pdfa.fonts import BOLD, REGULAR, FontUse, load_font
from recordsdesk.pdfa.layout import PAGE_HEIGHT, PAGE_WIDTH, Layout, footer_content
from recordsdesk.pdfa.objects import fill_font, info_dictionary, output_intent, xmp_packet
from recordsdesk.store.durability import fsync_path, remove_quietly


def _utc(moment: datetime.datetime) -> datetime.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Document.created must be timezone-aware")
    return moment.astimezone(datetime.UTC).replace(microsecond=0)


def build_pdf(document: Document, *, subset: bool = True) -> pikepdf.Pdf:
    """The complete PDF/A-2b document in memory (reads ``document``'s rows once).

    ``subset=False`` embeds the whole fonts (the tests compare the two).
    """
    moment = _utc(document.created)
    pdf = pikepdf.new()
    regular = FontUse(load_font(REGULAR), "F1")
    bold = FontUse(load_font(BOLD), "F2")
    # Filled in at the end, when every glyph used is known.
    font_objects = {use.name: pdf.make_indirect(Dictionary()) for use in (regular, bold)}
    resources = pdf.make_indirect(
        Dictionary(Font=Dictionary({"/" + name: font for name, font in font_objects.items()}))
    )
    media_box = Array([0, 0, PAGE_WIDTH, PAGE_HEIGHT])

    def add_page(content: bytes) -> None:
        stream = pikepdf.Stream(pdf, b"")
        stream.write(zlib.compress(content, 6), filter=Name.FlateDecode)
        page = pdf.make_indirect(
            Dictionary(
                Type=Name.Page,
                MediaBox=media_box,
                Resources=resources,
                Contents=Array([pdf.make_indirect(stream)]),
            )
        )
        pdf.pages.append(pikepdf.Page(page))

    layout = Layout(regular, bold, add_page)
    for block in document.blocks:
        layout.add(block)
    pages = layout.finish()
    for number, page in enumerate(pdf.pages, start=1):
        footer = footer_content(document.footer.format(page=number, pages=pages), regular)
        page.obj.Contents.append(pdf.make_indirect(pikepdf.Stream(pdf, footer)))
    for use in (regular, bold):
        fill_font(pdf, font_objects[use.name], use, subset)

    root = pdf.Root
    root.Lang = String(document.language)
    root.OutputIntents = Array([output_intent(pdf)])
    metadata = pikepdf.Stream(
        pdf, xmp_packet(document.title, document.author, document.subject, moment)
    )
    metadata.Type = Name.Metadata
    metadata.Subtype = Name.XML
    root.Metadata = pdf.make_indirect(metadata)
    root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    pdf.trailer.Info = pdf.make_indirect(
        info_dictionary(document.title, document.author, document.subject, moment)
    )
    return pdf


def write_pdfa(document: Document, out: Path) -> None:
    """Write ``document`` as a PDF/A-2b file at ``out``, replacing it atomically.

    Deterministic: the same document gives the same bytes (the trailer /ID is
    derived from the content). Raises ``ValueError`` for a malformed document
    (naive ``created``, column widths not adding up to 1, a row with the wrong
    number of cells), ``OSError`` when the file cannot be written, and whatever
    a row generator raises; in every case ``out`` is left as it was.
    """
    out = Path(out)
    pdf = build_pdf(document)
    temp = out.parent / f".{out.name}.{secrets.token_hex(6)}.tmp"
    try:
        with pdf, open(temp, "xb") as stream:
            pdf.save(
                stream,
                force_version="1.7",
                fix_metadata_version=False,  # it would rewrite our XMP packet
                compress_streams=True,
                # Page contents are compressed already; do not decode and redo them.
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                deterministic_id=True,
            )
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, out)
    except BaseException:
        remove_quietly(temp)
        raise
    fsync_path(out.parent)
