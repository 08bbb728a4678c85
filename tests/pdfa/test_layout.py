"""Pages, wrapping, repeated table headers and footers, read back with pdfium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from recordsdesk.pdfa import Column, Heading, Paragraph, Table, write_pdfa
from recordsdesk.pdfa.fonts import REGULAR, FontUse, load_font
from recordsdesk.pdfa.layout import BOTTOM, CELL_PAD_Y, TOP, wrap
from tests.pdfa.helpers import COLUMNS, DUTCH_NAME, document, page_texts, rows, table

KENMERK = re.compile(r"2026-(\d{6})")


def kenmerken(text: str) -> list[int]:
    return [int(number) for number in KENMERK.findall(text)]


def test_rows_fill_pages_and_the_footer_counts_them(tmp_path: Path) -> None:
    probe = tmp_path / "probe.pdf"
    write_pdfa(document([table(200)]), probe)
    texts = page_texts(probe)
    per_page = len(kenmerken(texts[0]))
    # One-line rows (line + padding) under a one-line header, as the layout sets them.
    row_height = 11.0 + 2 * CELL_PAD_Y
    assert per_page == int((TOP - BOTTOM - row_height) // row_height)
    assert [len(kenmerken(text)) for text in texts[:-1]] == [per_page] * (len(texts) - 1)

    out = tmp_path / "three.pdf"
    write_pdfa(document([table(2 * per_page + 1)]), out)
    texts = page_texts(out)
    assert len(texts) == 3
    assert kenmerken(texts[1])[-1] == 2 * per_page
    assert kenmerken(texts[2]) == [2 * per_page + 1]
    for number, text in enumerate(texts, start=1):
        assert "Naam van het dossier" in text  # the header row on every page
        assert f"Pagina {number} van 3" in text

    exact = tmp_path / "two.pdf"
    write_pdfa(document([table(2 * per_page)]), exact)
    assert len(page_texts(exact)) == 2


def test_last_page_cell_and_diacritics_extract(tmp_path: Path) -> None:
    def dutch_rows() -> Iterator[tuple[str, str, str, str]]:
        yield from rows(100)
        yield ("2026-999999", f"{DUTCH_NAME}: laatste rij", "B", "2046-01-01")

    out = tmp_path / "dutch.pdf"
    write_pdfa(document([Heading("Verklaring"), Table(COLUMNS, dutch_rows())]), out)
    texts = page_texts(out)
    assert "Verklaring van vernietiging" not in texts[0]  # the title is metadata only
    assert f"{DUTCH_NAME}: laatste rij" in texts[-1]
    assert f"Pagina {len(texts)} van {len(texts)}" in texts[-1]


def test_long_names_wrap_inside_their_cell(tmp_path: Path) -> None:
    name = (
        "Omgevingsvergunningaanvraag voor het bouwen van een overkapping aan de "
        "Burgemeester van Nispen tot Sevenaerstraat 123 te Ĳsselstein, inclusief "
        "welstandsadvies en bezwaarprocedure"
    )
    out = tmp_path / "wrap.pdf"
    write_pdfa(document([Table(COLUMNS, [("2026-000001", name, "V", "2026-11-29")])]), out)
    [text] = page_texts(out)
    # pdfium puts the kenmerk and the first line of the name on one line.
    lines = [line.strip().removeprefix("2026-000001 ") for line in text.splitlines()]
    name_lines = [line for line in lines if line and line in name]
    assert len(name_lines) >= 3  # wrapped, not one line running over the next column
    assert " ".join(name_lines) == name


def test_wrap_keeps_lines_inside_the_width() -> None:
    font = FontUse(load_font(REGULAR), "F1")
    text = "Een heel lange zin met woorden\nen een regel met Aansprakelijkheidsverzekeringspolis"
    lines = wrap(text, font, 9.0, 60.0)
    assert all(font.width(line, 9.0) <= 60.0 for line in lines)
    assert lines[0].startswith("Een")
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")
    assert any(line.startswith("en ") or line == "en" for line in lines)  # "\n" broke there
    assert wrap("", font, 9.0, 60.0) == [""]
    assert wrap("a  b\tc", font, 9.0, 200.0) == ["a b c"]
    assert wrap("a\r\nb\rc", font, 9.0, 200.0) == ["a", "b", "c"]


def test_a_row_taller_than_a_page_is_split_with_the_header_repeated(tmp_path: Path) -> None:
    cell = "\n".join(f"regel {i}" for i in range(1, 151))
    out = tmp_path / "tall.pdf"
    columns = (Column("Kenmerk", 0.3), Column("Toelichting", 0.7))
    write_pdfa(document([Table(columns, [("2026-000001", cell), ("2026-000002", "kort")])]), out)
    texts = page_texts(out)
    assert len(texts) >= 3
    found = [int(n) for text in texts for n in re.findall(r"regel (\d+)", text)]
    assert found == list(range(1, 151))
    assert all("Toelichting" in text for text in texts)
    assert "2026-000002" in texts[-1]


def test_headings_and_paragraphs_flow_over_pages(tmp_path: Path) -> None:
    blocks: list[Heading | Paragraph] = []
    for i in range(1, 41):
        blocks.append(Heading(f"Hoofdstuk {i}"))
        blocks.append(Paragraph(f"Alinea {i}. " + "Dit is tekst. " * 60))
    out = tmp_path / "flow.pdf"
    write_pdfa(document(blocks), out)
    texts = page_texts(out)
    assert len(texts) > 3
    joined = "".join(texts)
    assert [int(n) for n in re.findall(r"Hoofdstuk (\d+)", joined)] == list(range(1, 41))
    for text in texts:  # a heading is never the last line of a page
        body = [line for line in text.splitlines() if line.strip()]
        assert not body[-2].startswith("Hoofdstuk"), body[-2:]


def test_empty_document_and_empty_table(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    write_pdfa(document([]), empty)
    assert [text.strip() for text in page_texts(empty)] == ["Pagina 1 van 1"]
    header_only = tmp_path / "header.pdf"
    write_pdfa(document([Table(COLUMNS, [])]), header_only)
    [text] = page_texts(header_only)
    assert "Naam van het dossier" in text


def test_custom_footer(tmp_path: Path) -> None:
    out = tmp_path / "footer.pdf"
    doc = document([table(60)])
    write_pdfa(type(doc)(**{**doc.__dict__, "footer": "Blad {page}/{pages} – Ĳ"}), out)
    texts = page_texts(out)
    assert "Blad 1/2 – Ĳ" in texts[0] and "Blad 2/2 – Ĳ" in texts[1]


@pytest.mark.parametrize(
    ("columns", "cells", "message"),
    [
        ((Column("a", 0.5), Column("b", 0.4)), ("x", "y"), "add up to 1"),
        ((Column("a", 0.5), Column("b", 0.5)), ("x",), "1 cells"),
    ],
)
def test_malformed_tables_are_refused(
    tmp_path: Path, columns: tuple[Column, ...], cells: tuple[str, ...], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        write_pdfa(document([Table(columns, [cells])]), tmp_path / "bad.pdf")
    assert list(tmp_path.iterdir()) == []


def test_header_is_drawn_in_bold(tmp_path: Path) -> None:
    out = tmp_path / "bold.pdf"
    write_pdfa(document([table(1)]), out)
    with pikepdf.open(out) as pdf:
        fonts = pdf.pages[0].Resources.Font
        assert re.fullmatch(r"/[A-Z]{6}\+DejaVuSans-Bold", str(fonts.F2.BaseFont))
        assert re.fullmatch(r"/[A-Z]{6}\+DejaVuSans", str(fonts.F1.BaseFont))
        content = pdf.pages[0].Contents[0].read_bytes()
        assert b"/F2 9.00 Tf" in content and b"/F1 9.00 Tf" in content


def test_a_graphic_is_drawn_whole_and_moves_to_a_new_page_when_it_does_not_fit(
    tmp_path: Path,
) -> None:
    """A black square 300 points high after text that leaves less room than that."""
    from recordsdesk.pdfa import Graphic

    square = Graphic(300.0, "0 0 0 rg 0 0 300 300 re f")
    filler = Paragraph("Regel.\n" * 40)  # about 520 points of the 720 on a page
    out = tmp_path / "graphic.pdf"
    write_pdfa(document([filler, square, Paragraph("Daarna.")]), out)
    texts = page_texts(out)
    assert len(texts) == 2 and "Daarna." in texts[1]
    pdf = pypdfium2.PdfDocument(out)
    try:
        # rendered at 1 pixel per point: the square sits on page 2, at the left margin
        first = pdf[0].render(scale=1).to_pil().convert("L")
        second = pdf[1].render(scale=1).to_pil().convert("L")
    finally:
        pdf.close()
    assert first.getpixel((200, 700)) > 200  # not squeezed under the text of page 1
    assert second.getpixel((60, 200)) < 50 and second.getpixel((350, 200)) < 50
    assert second.getpixel((370, 200)) > 200  # right of the square: white paper
    assert second.getpixel((200, 400)) > 200  # below it (top 56.7 + 300 points)
