"""Lay out headings, paragraphs and tables on A4 pages as content streams.

Each finished page goes to a callback as content-stream bytes (text, rules and
the table header shading), so a long table is turned into pages while its rows
are read and is never held whole. The footer is not part of these streams: its
page count is only known at the end, so ``footer_content`` makes it afterwards.
Colours are DeviceRGB (the document's output intent is sRGB).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from recordsdesk.pdfa.document import Block, Graphic, Heading, Paragraph, Table
from recordsdesk.pdfa.fonts import FontUse

PAGE_WIDTH = 595.276  # A4 portrait, points
PAGE_HEIGHT = 841.89
MARGIN = 56.693  # 20 mm
TOP = PAGE_HEIGHT - MARGIN
BOTTOM = MARGIN + 8.0  # room for the footer below
FOOTER_BASELINE = 34.0
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
CELL_PAD_X = 3.0
CELL_PAD_Y = 2.5


@dataclass(frozen=True)
class Style:
    font: FontUse
    size: float
    leading: float

    def baseline(self, top: float) -> float:
        """Baseline of a line whose box starts at ``top`` (text centred in the box)."""
        return top - self.size * 0.93 - (self.leading - self.size * 1.17) / 2


def wrap(text: str, font: FontUse, size: float, width: float) -> list[str]:
    """Lines of ``text`` no wider than ``width`` points.

    Breaks at spaces; a word wider than the line is broken between characters.
    ``"\\n"`` (or ``"\\r\\n"``, ``"\\r"``) starts a new line; runs of spaces and
    tabs become one space.
    """
    lines: list[str] = []
    space = font.width(" ", size)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for raw in text.split("\n"):
        if "\t" not in raw and "  " not in raw and font.width(raw, size) <= width:
            lines.append(raw.strip())  # the common case: the whole line fits
            continue
        words: list[str] = []  # of the line being filled
        filled = 0.0
        for word in raw.split():
            word_width = font.width(word, size)
            if words and filled + space + word_width <= width:
                words.append(word)
                filled += space + word_width
                continue
            if words:
                lines.append(" ".join(words))
            while word_width > width:
                cut = _fitting_prefix(word, font, size, width)
                lines.append(word[:cut])
                word = word[cut:]
                word_width = font.width(word, size)
            words, filled = [word], word_width
        lines.append(" ".join(words))
    return lines


def _fitting_prefix(word: str, font: FontUse, size: float, width: float) -> int:
    """Length of the longest prefix of ``word`` that fits (at least one character)."""
    total = 0.0
    for i, char in enumerate(word):
        total += font.width(char, size)
        if total > width:
            return max(i, 1)
    return len(word)


def _num(value: float) -> str:
    return f"{value:.2f}"


class Layout:
    """Flows blocks over pages; ``emit`` gets each finished page's content."""

    def __init__(self, regular: FontUse, bold: FontUse, emit: Callable[[bytes], None]) -> None:
        self.heading = Style(bold, 13.0, 17.0)
        self.body = Style(regular, 10.0, 13.0)
        self.cell = Style(regular, 9.0, 11.0)
        self.header = Style(bold, 9.0, 11.0)
        self._emit = emit
        self._ops: list[str] | None = None
        self._y = TOP
        self.pages = 0

    # -- pages -------------------------------------------------------------
    def _new_page(self) -> None:
        self._flush()
        self._ops = []
        self._y = TOP

    def _flush(self) -> None:
        if self._ops is not None:
            self._emit("\n".join(self._ops).encode("ascii"))
            self.pages += 1
            self._ops = None

    def _room(self) -> float:
        return self._y - BOTTOM if self._ops is not None else -1.0

    def _at_top(self) -> bool:
        return self._ops is not None and self._y >= TOP

    def _text(self, style: Style, x: float, top: float, text: str) -> None:
        ops = self._ops
        assert ops is not None
        if text:
            position = f"{_num(x)} {_num(style.baseline(top))}"
            ops.append(
                f"BT /{style.font.name} {_num(style.size)} Tf {position} Td "
                f"{style.font.show(text)} ET"
            )

    def finish(self) -> int:
        """Emit the last page (an empty one if nothing was laid out); the page count."""
        if self._ops is None and self.pages == 0:
            self._new_page()
        self._flush()
        return self.pages

    # -- blocks ------------------------------------------------------------
    def add(self, block: Block) -> None:
        if isinstance(block, Heading):
            self._heading(block.text)
        elif isinstance(block, Paragraph):
            self._lines(self.body, wrap(block.text, self.body.font, self.body.size, TEXT_WIDTH))
            self._y -= 6.0
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Graphic):
            self._graphic(block)
        else:
            raise TypeError(f"not a block: {block!r}")

    def _heading(self, text: str) -> None:
        style = self.heading
        lines = wrap(text, style.font, style.size, TEXT_WIDTH)
        space_before = 0.0 if self._at_top() else 8.0
        # Keep the heading with at least three lines of what follows.
        if self._room() < space_before + len(lines) * style.leading + 3 * self.body.leading:
            self._new_page()
            space_before = 0.0
        self._y -= space_before
        self._lines(style, lines)
        self._y -= 4.0

    def _graphic(self, graphic: Graphic) -> None:
        if self._room() < graphic.height:
            self._new_page()
        ops = self._ops
        assert ops is not None
        bottom = self._y - graphic.height
        # q/Q keep the block's colours and transformation from leaking into what follows.
        ops.append(f"q 1 0 0 1 {_num(MARGIN)} {_num(bottom)} cm\n{graphic.ops}\nQ")
        self._y = bottom - 6.0

    def _lines(self, style: Style, lines: Sequence[str]) -> None:
        for line in lines:
            if self._room() < style.leading:
                self._new_page()
            self._text(style, MARGIN, self._y, line)
            self._y -= style.leading

    def _table(self, table: Table) -> None:
        columns = table.columns
        total = sum(column.width for column in columns)
        if not columns or abs(total - 1.0) > 1e-6:
            raise ValueError(f"column widths must add up to 1, not {total}")
        widths = [column.width * TEXT_WIDTH for column in columns]
        lefts = [MARGIN + sum(widths[:i]) for i in range(len(widths))]
        inner = [width - 2 * CELL_PAD_X for width in widths]
        header_cells = [
            wrap(column.header, self.header.font, self.header.size, width)
            for column, width in zip(columns, inner, strict=True)
        ]
        header_height = max(map(len, header_cells)) * self.header.leading + 2 * CELL_PAD_Y
        leading = self.cell.leading
        fresh_capacity = int((TOP - BOTTOM - header_height - 2 * CELL_PAD_Y) // leading)
        if fresh_capacity < 1:
            raise ValueError("table header too tall for a page")

        def capacity() -> int:
            return int((self._room() - header_height - 2 * CELL_PAD_Y) // leading)

        if self._ops is None or capacity() < 1:
            self._new_page()
        self._table_header(header_cells, lefts, header_height)
        for row in table.rows:
            if len(row) != len(columns):
                raise ValueError(f"row has {len(row)} cells, the table {len(columns)} columns")
            cells = [
                wrap(text, self.cell.font, self.cell.size, width)
                for text, width in zip(row, inner, strict=True)
            ]
            count = max(map(len, cells))
            start = 0
            while start < count:
                # The header of this page is already drawn: capacity() reserves
                # its height again, so add it back.
                fits = int((self._room() - 2 * CELL_PAD_Y) // leading)
                left = count - start
                if fits >= left:
                    self._row(cells, lefts, start, count)
                    break
                if left <= fresh_capacity or fits < 1:
                    self._new_page()
                    self._table_header(header_cells, lefts, header_height)
                    continue
                # A row taller than a whole page: split it over pages.
                self._row(cells, lefts, start, start + fits)
                start += fits
                self._new_page()
                self._table_header(header_cells, lefts, header_height)
        self._y -= 8.0

    def _table_header(self, cells: list[list[str]], lefts: list[float], height: float) -> None:
        ops = self._ops
        assert ops is not None
        top = self._y
        ops.append(
            f"0.88 0.88 0.88 rg {_num(MARGIN)} {_num(top - height)} "
            f"{_num(TEXT_WIDTH)} {_num(height)} re f 0 0 0 rg"
        )
        for lines, left in zip(cells, lefts, strict=True):
            for i, line in enumerate(lines):
                line_top = top - CELL_PAD_Y - i * self.header.leading
                self._text(self.header, left + CELL_PAD_X, line_top, line)
        self._y = top - height
        self._rule(0.6)

    def _row(self, cells: list[list[str]], lefts: list[float], start: int, end: int) -> None:
        top = self._y
        for lines, left in zip(cells, lefts, strict=True):
            for i, line in enumerate(lines[start:end]):
                line_top = top - CELL_PAD_Y - i * self.cell.leading
                self._text(self.cell, left + CELL_PAD_X, line_top, line)
        self._y = top - (end - start) * self.cell.leading - 2 * CELL_PAD_Y
        self._rule(0.25)

    def _rule(self, width: float) -> None:
        ops = self._ops
        assert ops is not None
        y = _num(self._y)
        grey = "0 0 0" if width > 0.5 else "0.6 0.6 0.6"
        ops.append(
            f"{grey} RG {_num(width)} w {_num(MARGIN)} {y} m {_num(MARGIN + TEXT_WIDTH)} {y} l S"
        )


def footer_content(text: str, font: FontUse) -> bytes:
    """Content stream of a footer line, centred under the text area."""
    size = 8.0
    x = (PAGE_WIDTH - font.width(text, size)) / 2
    return (
        f"BT 0 0 0 rg /{font.name} {_num(size)} Tf {_num(x)} {_num(FOOTER_BASELINE)} Td "
        f"{font.show(text)} ET"
    ).encode("ascii")
