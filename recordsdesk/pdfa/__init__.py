"""PDF/A-2b documents (headings, paragraphs, long tables, graphics) written without Qt.

Used for the "verklaring van vernietiging" of the destruction procedure and for
the separator sheets of scanned batches; the
content is the caller's, this package only lays it out and writes the file::

    write_pdfa(Document(title=..., author=..., created=..., blocks=[...]), path)
"""

from recordsdesk.pdfa.document import Block, Column, Document, Graphic, Heading, Paragraph, Table
from recordsdesk.pdfa.writer import write_pdfa

__all__ = [
    "Block",
    "Column",
    "Document",
    "Graphic",
    "Heading",
    "Paragraph",
    "Table",
    "write_pdfa",
]
