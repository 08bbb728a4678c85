"""What a PDF/A document holds: metadata and a flow of headings, paragraphs, tables, graphics."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """A table column; ``width`` is its fraction of the text width (a table's sum to 1)."""

    header: str
    width: float


@dataclass(frozen=True)
class Table:
    """Columns and rows of cell texts; each row has one text per column.

    ``rows`` may be a generator: it is read once, while the pages are laid out,
    and never held in memory as a whole. The header row repeats on every page.
    """

    columns: tuple[Column, ...]
    rows: Iterable[Sequence[str]]


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    """Text wrapped to the text width; ``"\\n"`` starts a new line."""

    text: str


@dataclass(frozen=True)
class Graphic:
    """A drawing ``height`` points high, placed at the left margin.

    ``ops`` are PDF content-stream operators (DeviceRGB colours, paths; no text
    and no resources) in a coordinate system whose origin is the block's
    bottom-left corner, x to the right and y up, in points. The block goes to a
    new page when it does not fit on the current one; it is never split.
    """

    height: float
    ops: str


Block = Heading | Paragraph | Table | Graphic


@dataclass(frozen=True, kw_only=True)
class Document:
    """A document to write with ``write_pdfa`` (keyword arguments only).

    ``created`` must be timezone-aware; it is the creation and modification date
    in the XMP metadata and the Info dictionary (the writer never reads the
    clock, so the same document gives the same bytes). ``footer`` is formatted
    per page with ``page`` and ``pages`` (1-based page number, page count).
    """

    title: str
    author: str
    subject: str = ""
    language: str = "nl-NL"
    created: datetime.datetime
    blocks: Sequence[Block]
    footer: str = "Pagina {page} van {pages}"
