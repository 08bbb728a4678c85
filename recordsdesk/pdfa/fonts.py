"""A small TrueType reader, and the text encoding of one font in one document.

Only what a PDF needs is read: glyph ids per character (``cmap`` formats 4 and
12), advance widths (``hmtx``), and the metrics of the font descriptor. The
font is embedded whole, so glyph ids are CIDs (``CIDToGIDMap /Identity``).

PDF/A-2 forbids showing the ``.notdef`` glyph (glyph 0), so a character the font
lacks is drawn with the fallback glyph (U+FFFD, else ``?``) inside a marked
content span whose ``/ActualText`` holds the real character; the same is done
when a glyph already stands for another character in the ``/ToUnicode`` map
(e.g. U+00A0 and U+0020 share a glyph). Text extraction thus stays right.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from recordsdesk.resources import resource_path

REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"


class FontError(ValueError):
    """The font file is not a TrueType font this reader understands."""


@dataclass(frozen=True)
class TrueTypeFont:
    """Parsed tables of one TrueType font file; ``data`` is the whole file."""

    data: bytes
    postscript_name: str
    units_per_em: int
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int
    italic_angle: float
    weight: int
    advances: tuple[int, ...]  # per glyph id, font units
    cmap: dict[int, int]  # code point -> glyph id

    def glyph(self, char: str) -> int:
        """Glyph id of ``char``; 0 (``.notdef``) when the font lacks it."""
        return self.cmap.get(ord(char), 0)

    def width(self, gid: int) -> float:
        """Advance width of a glyph in 1/1000 em (PDF text space units)."""
        advances = self.advances
        advance = advances[gid] if gid < len(advances) else advances[-1]
        return advance * 1000.0 / self.units_per_em

    def scale(self, value: float) -> float:
        """A font-unit value in 1/1000 em."""
        return value * 1000.0 / self.units_per_em


def _tables(data: bytes) -> dict[bytes, bytes]:
    if len(data) < 12 or data[:4] not in (b"\x00\x01\x00\x00", b"true"):
        raise FontError("not a TrueType font file")
    (count,) = struct.unpack_from(">H", data, 4)
    tables = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag] = data[offset : offset + length]
    for required in (b"head", b"hhea", b"hmtx", b"cmap", b"maxp"):
        if required not in tables:
            raise FontError(f"font has no {required.decode()} table")
    return tables


def _cmap(table: bytes) -> dict[int, int]:
    """Unicode cmap: format 12 (full Unicode) when present, else format 4 (BMP)."""
    (count,) = struct.unpack_from(">H", table, 2)
    subtables: dict[int, int] = {}  # format -> offset of the best Unicode subtable
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", table, 4 + 8 * i)
        if (platform, encoding) in ((3, 1), (3, 10), (0, 3), (0, 4)):
            (fmt,) = struct.unpack_from(">H", table, offset)
            subtables.setdefault(fmt, offset)
    mapping: dict[int, int] = {}
    if 12 in subtables:
        base = subtables[12]
        (groups,) = struct.unpack_from(">I", table, base + 12)
        for g in range(groups):
            start, end, first_gid = struct.unpack_from(">III", table, base + 16 + 12 * g)
            for code in range(start, end + 1):
                mapping[code] = first_gid + code - start
        return mapping
    if 4 not in subtables:
        raise FontError("font has no Unicode cmap (format 4 or 12)")
    base = subtables[4]
    (seg_x2,) = struct.unpack_from(">H", table, base + 6)
    segs = seg_x2 // 2
    ends = struct.unpack_from(f">{segs}H", table, base + 14)
    starts = struct.unpack_from(f">{segs}H", table, base + 16 + seg_x2)
    deltas = struct.unpack_from(f">{segs}h", table, base + 16 + 2 * seg_x2)
    range_base = base + 16 + 3 * seg_x2
    offsets = struct.unpack_from(f">{segs}H", table, range_base)
    for i in range(segs):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if offsets[i] == 0:
                gid = (code + deltas[i]) & 0xFFFF
            else:
                # idRangeOffset counts bytes from its own slot in the array.
                where = range_base + 2 * i + offsets[i] + 2 * (code - starts[i])
                (gid,) = struct.unpack_from(">H", table, where)
                if gid:
                    gid = (gid + deltas[i]) & 0xFFFF
            if gid:
                mapping[code] = gid
    return mapping


def _postscript_name(table: bytes | None, fallback: str) -> str:
    if table is None:
        return fallback
    _fmt, count, strings = struct.unpack_from(">HHH", table, 0)
    for i in range(count):
        platform, _enc, _lang, name_id, length, offset = struct.unpack_from(
            ">HHHHHH", table, 6 + 12 * i
        )
        if name_id != 6:
            continue
        raw = table[strings + offset : strings + offset + length]
        text = raw.decode("utf-16-be" if platform in (0, 3) else "latin-1", "replace")
        # A PDF name: keep it to printable ASCII without delimiters.
        cleaned = "".join(c for c in text if (c.isascii() and c.isalnum()) or c in "-_")
        if cleaned:
            return cleaned
    return fallback


def parse_truetype(data: bytes, fallback_name: str = "Font") -> TrueTypeFont:
    """Parse the tables ``recordsdesk.pdfa`` needs; raises ``FontError`` if unusable."""
    try:
        tables = _tables(data)
        head, hhea, maxp = tables[b"head"], tables[b"hhea"], tables[b"maxp"]
        (units_per_em,) = struct.unpack_from(">H", head, 18)
        bbox = struct.unpack_from(">hhhh", head, 36)
        ascent, descent = struct.unpack_from(">hh", hhea, 4)
        (metrics,) = struct.unpack_from(">H", hhea, 34)
        (glyphs,) = struct.unpack_from(">H", maxp, 4)
        advances = list(struct.unpack_from(f">{2 * metrics}H", tables[b"hmtx"])[0::2])
        # Glyphs past numberOfHMetrics repeat the last advance width.
        advances.extend([advances[-1]] * max(0, glyphs - metrics))
        cap_height, weight = int(bbox[3] * 0.7), 400
        os2 = tables.get(b"OS/2")
        if os2 is not None:
            (weight,) = struct.unpack_from(">H", os2, 4)
            (version,) = struct.unpack_from(">H", os2, 0)
            if version >= 2 and len(os2) >= 90:
                (cap_height,) = struct.unpack_from(">h", os2, 88)
        italic_angle = 0.0
        post = tables.get(b"post")
        if post is not None:
            (fixed,) = struct.unpack_from(">i", post, 4)
            italic_angle = fixed / 65536.0
        return TrueTypeFont(
            data=data,
            postscript_name=_postscript_name(tables.get(b"name"), fallback_name),
            units_per_em=units_per_em,
            bbox=(bbox[0], bbox[1], bbox[2], bbox[3]),
            ascent=ascent,
            descent=descent,
            cap_height=cap_height,
            italic_angle=italic_angle,
            weight=weight,
            advances=tuple(advances),
            cmap=_cmap(tables[b"cmap"]),
        )
    except struct.error as error:
        raise FontError(f"truncated font table: {error}") from error


@cache
def load_font(file_name: str) -> TrueTypeFont:
    """A font shipped in ``resources/fonts`` (parsed once per process)."""
    path: Path = resource_path("fonts", file_name)
    return parse_truetype(path.read_bytes(), Path(file_name).stem)


@dataclass
class FontUse:
    """One font as used in one document: resource name, glyphs used, encoding.

    ``show`` returns content-stream operators that draw a string with ``Tj``;
    every glyph drawn is recorded (with the text it stands for) for the ``/W``
    array and the ``/ToUnicode`` map the writer builds at the end.
    """

    font: TrueTypeFont
    name: str  # resource name, e.g. "F1"
    used: dict[int, str] = field(default_factory=dict)  # glyph id -> its text
    # Per character seen: width in 1/1000 em, and the hex glyph id, in _plain
    # when ToUnicode maps the glyph back to it, else in _special (ActualText).
    _widths: dict[str, float] = field(default_factory=dict)
    _plain: dict[str, str] = field(default_factory=dict)
    _special: dict[str, str] = field(default_factory=dict)

    def _learn(self, text: str) -> None:
        font = self.font
        for char in set(text).difference(self._widths):
            gid = font.glyph(char)
            if gid == 0:  # not in the font: draw the replacement glyph instead
                replacement = "\ufffd" if font.glyph("\ufffd") else "?"
                gid = font.glyph(replacement)
                self.used.setdefault(gid, replacement)
            else:
                self.used.setdefault(gid, char)
            code = f"{gid:04X}"
            if self.used[gid] == char:
                self._plain[char] = code
            else:
                self._special[char] = code
            self._widths[char] = font.width(gid)

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` at ``size`` points, in points."""
        try:
            return sum(map(self._widths.__getitem__, text)) * size / 1000.0
        except KeyError:
            self._learn(text)
            return sum(map(self._widths.__getitem__, text)) * size / 1000.0

    def show(self, text: str) -> str:
        """``Tj`` operators for ``text`` (in the current text object and font)."""
        try:
            return f"<{''.join(map(self._plain.__getitem__, text))}> Tj"
        except KeyError:
            self._learn(text)
        if not self._special.keys() & set(text):
            return f"<{''.join(map(self._plain.__getitem__, text))}> Tj"
        parts: list[str] = []
        plain: list[str] = []
        for char in text:
            code = self._plain.get(char)
            if code is not None:
                plain.append(code)
                continue
            if plain:
                parts.append(f"<{''.join(plain)}> Tj")
                plain = []
            actual = ("\ufeff" + char).encode("utf-16-be").hex().upper()
            parts.append(f"/Span <</ActualText <{actual}>>> BDC <{self._special[char]}> Tj EMC")
        if plain:
            parts.append(f"<{''.join(plain)}> Tj")
        return " ".join(parts)
