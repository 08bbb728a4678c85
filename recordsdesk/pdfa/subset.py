"""Subset a TrueType font for embedding: unused outlines emptied, glyph ids kept.

A whole DejaVu Sans is about 750 kB; a document uses a few hundred of its 6,000
glyphs. The subset keeps every glyph id (so ``CIDToGIDMap /Identity`` and the
``hmtx`` widths stay valid) but gives the glyphs not drawn an empty outline,
drops the tables a PDF viewer does not use for a CIDFontType2 (OpenType
layout, kerning, the MATH table), and cuts ``post`` to format 3 (no glyph
names). Glyph 0 (.notdef) and the parts of composite glyphs are kept.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable

# Tables a rasteriser needs for a TrueType-outline CIDFont, plus those PDF/A
# validators read (OS/2, cmap, name, post); everything else is dropped.
KEPT_TABLES = (
    b"OS/2",
    b"cmap",
    b"cvt ",
    b"fpgm",
    b"gasp",
    b"glyf",
    b"head",
    b"hhea",
    b"hmtx",
    b"loca",
    b"maxp",
    b"name",
    b"post",
    b"prep",
)

# Composite glyph flags (TrueType 'glyf' table).
_ARGS_ARE_WORDS = 0x0001
_HAVE_SCALE = 0x0008
_MORE_COMPONENTS = 0x0020
_HAVE_XY_SCALE = 0x0040
_HAVE_2X2 = 0x0080


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    words: tuple[int, ...] = struct.unpack(f">{len(padded) // 4}I", padded)
    return sum(words) & 0xFFFFFFFF


def _components(glyph: bytes) -> list[int]:
    """Glyph ids a composite glyph is built from (none for a simple glyph)."""
    if len(glyph) < 10 or struct.unpack_from(">h", glyph, 0)[0] >= 0:
        return []
    found = []
    offset = 10
    while True:
        flags, gid = struct.unpack_from(">HH", glyph, offset)
        found.append(gid)
        offset += 4 + (4 if flags & _ARGS_ARE_WORDS else 2)
        if flags & _HAVE_SCALE:
            offset += 2
        elif flags & _HAVE_XY_SCALE:
            offset += 4
        elif flags & _HAVE_2X2:
            offset += 8
        if not flags & _MORE_COMPONENTS:
            return found


def subset_tag(gids: Iterable[int]) -> str:
    """Six capital letters from the glyph set, for the ``ABCDEF+Name`` font name."""
    digest = hashlib.sha256(",".join(map(str, sorted(gids))).encode()).digest()
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6])


def subset_truetype(data: bytes, keep: Iterable[int]) -> bytes:
    """``data`` with only the outlines of ``keep`` (and of glyph 0) left."""
    (count,) = struct.unpack_from(">H", data, 4)
    tables: dict[bytes, bytes] = {}
    for i in range(count):
        tag, _checksum_value, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag] = data[offset : offset + length]
    head = bytearray(tables[b"head"])
    (glyph_count,) = struct.unpack_from(">H", tables[b"maxp"], 4)
    (long_loca,) = struct.unpack_from(">h", head, 50)
    if long_loca:
        loca = struct.unpack_from(f">{glyph_count + 1}I", tables[b"loca"])
    else:
        loca = tuple(2 * v for v in struct.unpack_from(f">{glyph_count + 1}H", tables[b"loca"]))
    glyf = tables[b"glyf"]

    def outline(gid: int) -> bytes:
        return glyf[loca[gid] : loca[gid + 1]]

    wanted = {0} | {gid for gid in keep if 0 <= gid < glyph_count}
    pending = list(wanted)
    while pending:
        for part in _components(outline(pending.pop())):
            if part < glyph_count and part not in wanted:
                wanted.add(part)
                pending.append(part)

    new_glyf = bytearray()
    offsets = []
    for gid in range(glyph_count):
        offsets.append(len(new_glyf))
        if gid in wanted:
            new_glyf += outline(gid)
            new_glyf += b"\0" * (-len(new_glyf) % 4)
    offsets.append(len(new_glyf))
    struct.pack_into(">h", head, 50, 1)  # long loca offsets
    struct.pack_into(">I", head, 8, 0)  # checkSumAdjustment, set below
    tables[b"glyf"] = bytes(new_glyf)
    tables[b"loca"] = struct.pack(f">{len(offsets)}I", *offsets)
    tables[b"head"] = bytes(head)
    if b"post" in tables:  # format 3: the same header, no glyph names
        tables[b"post"] = struct.pack(">I", 0x00030000) + tables[b"post"][4:32]
    return _assemble({tag: tables[tag] for tag in KEPT_TABLES if tag in tables})


def _assemble(tables: dict[bytes, bytes]) -> bytes:
    """A font file of ``tables`` with correct directory, checksums and adjustment."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)  # largest power of two <= count
    header = struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1,
                         count * 16 - power * 16)  # fmt: skip
    offset = 12 + 16 * count
    directory = bytearray()
    body = bytearray()
    head_at = 0
    for tag in tags:
        table = tables[tag]
        if tag == b"head":
            head_at = offset + len(body)
        directory += struct.pack(">4sIII", tag, _checksum(table), offset + len(body), len(table))
        body += table + b"\0" * (-len(table) % 4)
    font = bytearray(header + directory + body)
    adjustment = (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF
    struct.pack_into(">I", font, head_at + 8, adjustment)
    return bytes(font)
