"""Font subsetting: the subset draws exactly what the whole font draws, and is
a well-formed TrueType file with the same glyph ids and widths."""

from __future__ import annotations

import struct
from pathlib import Path

import pikepdf
import pypdfium2  # type: ignore[import-untyped]

from recordsdesk.pdfa import Block, Heading, Paragraph, Table
from recordsdesk.pdfa.fonts import REGULAR, load_font, parse_truetype
from recordsdesk.pdfa.subset import subset_truetype
from recordsdesk.pdfa.writer import build_pdf
from tests.pdfa.helpers import COLUMNS, DUTCH_NAME, document

# Composite glyphs (é, Ü, Ĳ are built from parts in DejaVu), Greek, ligature-like
# letters, digits, punctuation, and a character the font lacks.
TEXT = f"{DUTCH_NAME} ÀÉÎÕÜ àéîõü ŀĳ Ω≈√ 0123456789 «»–—… 漢"


def _render(path: Path) -> list[bytes]:
    pdf = pypdfium2.PdfDocument(path)
    try:
        return [bytes(pdf[i].render(scale=1.5).buffer) for i in range(len(pdf))]
    finally:
        pdf.close()


def _save(pdf: pikepdf.Pdf, path: Path) -> Path:
    with pdf:
        pdf.save(path)
    return path


def test_subset_renders_like_the_whole_font(tmp_path: Path) -> None:
    blocks: list[Block] = [
        Heading(TEXT),
        Paragraph(TEXT * 3),
        Table(COLUMNS, [("2026-000001", TEXT, "V", "2026-11-29")]),
    ]
    whole = _save(build_pdf(document(blocks), subset=False), tmp_path / "whole.pdf")
    subset = _save(build_pdf(document(blocks), subset=True), tmp_path / "subset.pdf")
    assert subset.stat().st_size < whole.stat().st_size / 5
    assert _render(subset) == _render(whole)


def test_subset_is_a_wellformed_font_with_the_same_ids_and_widths() -> None:
    font = load_font(REGULAR)
    keep = {font.glyph(c) for c in "Ĳsselstein é"}
    data = subset_truetype(font.data, keep)
    assert len(data) < len(font.data) / 4
    # The whole-file checksum, with checkSumAdjustment, is the magic number.
    padded = data + b"\0" * (-len(data) % 4)
    assert sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF == 0xB1B0AFBA
    parsed = parse_truetype(data)
    assert parsed.advances == font.advances
    assert parsed.cmap == font.cmap
    (count,) = struct.unpack_from(">H", data, 4)
    for i in range(count):  # every table's checksum in the directory is right
        _tag, checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        table = data[offset : offset + length]
        table += b"\0" * (-len(table) % 4)
        expected = sum(struct.unpack(f">{len(table) // 4}I", table)) & 0xFFFFFFFF
        if _tag == b"head":
            continue  # its checksum is taken with checkSumAdjustment zero
        assert checksum == expected, _tag
