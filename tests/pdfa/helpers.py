"""Shared pieces of the PDF/A tests: documents to write and ways to read them back."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]

from recordsdesk.pdfa import Block, Column, Document, Heading, Paragraph, Table

CREATED = datetime.datetime(2026, 11, 29, 9, 15, 30, tzinfo=datetime.UTC)
DUTCH_NAME = "Café De Ĳssel – Überprüfung"
COLUMNS = (
    Column("Kenmerk", 0.2),
    Column("Naam van het dossier", 0.5),
    Column("Waardering", 0.15),
    Column("Datum", 0.15),
)


def rows(count: int, prefix: str = "2026-") -> Iterable[tuple[str, str, str, str]]:
    """A generator of one-line rows: kenmerk ``{prefix}{i:06d}``, short name."""
    for i in range(1, count + 1):
        yield (f"{prefix}{i:06d}", f"Dossier {i}", "V", "2026-11-29")


def document(blocks: Sequence[Block], **fields: str) -> Document:
    return Document(
        title=fields.get("title", "Verklaring van vernietiging"),
        author=fields.get("author", "Gemeente Ĳsselstein"),
        subject=fields.get("subject", "Vernietiging 2026-1"),
        created=CREATED,
        blocks=blocks,
    )


def sample_document() -> Document:
    return document(
        [
            Heading("Verklaring van vernietiging"),
            Paragraph("De onderstaande dossiers zijn vernietigd.\nTweede regel."),
            Table(COLUMNS, [("2026-000001", DUTCH_NAME, "V", "2026-11-29")]),
        ]
    )


def page_texts(path: Path) -> list[str]:
    """The extracted text of every page, by pdfium (an independent reader)."""
    pdf = pypdfium2.PdfDocument(path)
    try:
        texts = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def table(count: int) -> Table:
    return Table(COLUMNS, rows(count))
