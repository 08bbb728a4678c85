"""Separator sheets: what their QR code says, and the printable sheet itself.

A separator sheet starts a new record in a scanned batch. Its QR code carries
a short text that begins with ``PREFIX`` (so a QR code printed on an ordinary
letter is never taken for a sheet) followed by URL-encoded fields::

    RECORDSDESK-SCHEIDINGSBLAD/1?dossier=ZK-2024-0001&documenttype=Brief&titel=...

The same fields are printed on the sheet in words, for the people handling the
paper. ``write_sheet`` makes a one-page PDF/A-2b with our own writer, the code
drawn as vector squares, so it prints sharp at any printer resolution.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import segno

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _
from recordsdesk.pdfa import Document, Graphic, Heading, Paragraph, write_pdfa
from recordsdesk.pdfa.layout import TEXT_WIDTH

PREFIX = "RECORDSDESK-SCHEIDINGSBLAD/"
VERSION = 1
MAX_FIELD = 200  # characters of one field
MAX_PAYLOAD = 180  # characters of the encoded text: QR version 10 or less at level Q
QR_SIZE = 170.0  # points (60 mm), quiet zone included


@dataclass(frozen=True)
class SheetFields:
    """What a separator sheet says about the record that follows it (all optional)."""

    dossier: str | None = None
    documenttype: str | None = None
    titel: str | None = None
    pages: int | None = None  # the number of pages expected after the sheet


@dataclass(frozen=True)
class Sheet:
    """A separator sheet found on a page: its fields, or why they cannot be used.

    ``problem`` is set (a message id, untranslated) when the page is a sheet
    but its content is not understood, e.g. a later version of the format; the
    page is still a separator, and the record after it goes to the inbox.
    """

    fields: SheetFields
    problem: str | None = None


def payload(fields: SheetFields) -> str:
    """The QR code's text for ``fields``. Raises ``UserError`` for an unusable field."""
    pairs: list[tuple[str, str]] = []
    for key, value in (
        ("dossier", fields.dossier),
        ("documenttype", fields.documenttype),
        ("titel", fields.titel),
    ):
        if value is None:
            continue
        value = " ".join(value.split())
        if not value:
            continue
        if len(value) > MAX_FIELD:
            raise UserError(
                N_("The {field} on a separator sheet may be at most {max} characters."),
                {"field": key, "max": MAX_FIELD},
            )
        pairs.append((key, value))
    if fields.pages is not None:
        if not 1 <= fields.pages <= 10_000:
            raise UserError(N_("The expected page count must be between 1 and 10000."))
        pairs.append(("paginas", str(fields.pages)))
    text = f"{PREFIX}{VERSION}?{urlencode(pairs)}"
    if len(text) > MAX_PAYLOAD:
        # a longer text makes a denser code, whose modules a 150-dpi scan no longer resolves
        raise UserError(
            N_("The fields of this separator sheet are too long for its code ({length} "
               "characters, at most {max}): shorten the title or the document type."),
            {"length": len(text), "max": MAX_PAYLOAD},
        )  # fmt: skip
    return text


def parse(text: str) -> Sheet | None:
    """The sheet a QR code's ``text`` describes; ``None`` if it is not a separator sheet."""
    if not text.startswith(PREFIX):
        return None
    version, _sep, query = text[len(PREFIX) :].partition("?")
    if version != str(VERSION):
        return Sheet(SheetFields(), N_("separator sheet of an unknown version"))
    try:
        values = dict(parse_qsl(query, keep_blank_values=False, strict_parsing=bool(query)))
    except ValueError:
        return Sheet(SheetFields(), N_("separator sheet that cannot be read"))
    pages: int | None = None
    if "paginas" in values:
        if not values["paginas"].isdigit():
            return Sheet(SheetFields(), N_("separator sheet that cannot be read"))
        pages = int(values["paginas"])
    return Sheet(
        SheetFields(
            dossier=values.get("dossier"),
            documenttype=values.get("documenttype"),
            titel=values.get("titel"),
            pages=pages,
        )
    )


def qr_ops(text: str, size: float = QR_SIZE) -> str:
    """Content-stream operators drawing ``text`` as a QR code ``size`` points square.

    Error correction level Q (25 %), so a sheet with a coffee ring or a staple
    hole still reads; four modules of quiet zone on each side.
    """
    code = segno.make_qr(text, error="q", boost_error=False)
    matrix = code.matrix
    modules = len(matrix) + 8
    unit = size / modules
    squares: list[str] = []
    for row, line in enumerate(matrix):
        y = size - (row + 5) * unit
        for column, dark in enumerate(line):
            if dark:
                squares.append(f"{(column + 4) * unit:.3f} {y:.3f} {unit:.3f} {unit:.3f} re")
    x_offset = (TEXT_WIDTH - size) / 2
    return f"1 0 0 1 {x_offset:.2f} 0 cm 0 0 0 rg\n" + "\n".join(squares) + "\nf"


def sheet_document(
    fields: SheetFields,
    *,
    created: datetime.datetime,
    author: str,
    dossier_title: str | None = None,
) -> Document:
    """The printable sheet for ``fields`` (texts in the current language)."""
    lines = [
        _("Dossier: {value}").format(
            value=f"{fields.dossier} ({dossier_title})" if dossier_title else fields.dossier
        )
        if fields.dossier
        else _("Dossier: none (the record goes to the inbox)"),
    ]
    if fields.documenttype:
        lines.append(_("Document type: {value}").format(value=fields.documenttype))
    if fields.titel:
        lines.append(_("Title: {value}").format(value=fields.titel))
    if fields.pages:
        lines.append(_("Expected pages after this sheet: {count}").format(count=fields.pages))
    return Document(
        title=_("Separator sheet"),
        author=author,
        subject=payload(fields),
        created=created,
        footer=_("RecordsDesk separator sheet - this page is removed from the scan"),
        blocks=[
            Heading(_("SEPARATOR SHEET")),
            Paragraph(
                _(
                    "Place this sheet in front of the pages of one record and scan the batch. "
                    "RecordsDesk starts a new record at this sheet, files it as stated below "
                    "and removes the sheet from the result. The sheet can be used again."
                )
            ),
            Graphic(QR_SIZE, qr_ops(payload(fields))),
            # the fields in words, large enough to read across a desk
            *(Heading(line) for line in lines),
        ],
    )


def write_sheet(
    fields: SheetFields,
    out: Path,
    *,
    created: datetime.datetime,
    author: str,
    dossier_title: str | None = None,
) -> None:
    """Write the sheet for ``fields`` as a PDF/A-2b file at ``out`` (atomically).

    Raises ``UserError`` for an unusable field and ``OSError`` when ``out``
    cannot be written; ``out`` is then left as it was.
    """
    write_pdfa(
        sheet_document(fields, created=created, author=author, dossier_title=dossier_title), out
    )
