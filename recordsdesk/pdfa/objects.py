"""The PDF/A-2b objects of a document: embedded fonts, output intent, metadata.

Fonts are Type0 / CIDFontType2 with ``Identity-H`` (two-byte glyph ids as codes),
``CIDToGIDMap /Identity``, the whole TrueType program as ``FontFile2``, a ``/W``
array of exactly the glyphs drawn, and a ``/ToUnicode`` CMap so text can be
searched and extracted. The XMP packet and the Info dictionary carry the same
title, author, subject, producer, creator tool and dates, as PDF/A wants.
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from recordsdesk import __version__
from recordsdesk.pdfa.fonts import FontUse
from recordsdesk.pdfa.subset import subset_tag, subset_truetype
from recordsdesk.resources import resource_path

PRODUCER = f"RecordsDesk {__version__}"
CREATOR_TOOL = "RecordsDesk"
ICC_PROFILE = "sRGB.icc"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"


def fill_font(pdf: pikepdf.Pdf, target: pikepdf.Object, use: FontUse, subset: bool) -> None:
    """Make the (indirect, empty) dictionary ``target`` the Type0 font of ``use``.

    With ``subset`` the program holds only the outlines of the glyphs drawn
    (and the font is named ``ABCDEF+Name``, as PDF wants for subsets).
    """
    font = use.font
    if subset:
        data = subset_truetype(font.data, use.used)
        name = Name(f"/{subset_tag(use.used)}+{font.postscript_name}")
    else:
        data = font.data
        name = Name("/" + font.postscript_name)
    program = pikepdf.Stream(pdf, data)
    program.Length1 = len(data)
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=name,
        Flags=32 | (64 if font.italic_angle else 0),  # nonsymbolic (, italic)
        FontBBox=Array([round(font.scale(v)) for v in font.bbox]),
        ItalicAngle=font.italic_angle,
        Ascent=round(font.scale(font.ascent)),
        Descent=round(font.scale(font.descent)),
        CapHeight=round(font.scale(font.cap_height)),
        # The font has no stem width; a common estimate from the weight class.
        StemV=140 if font.weight >= 600 else 80,
        FontFile2=pdf.make_indirect(program),
    )
    cid_font = Dictionary(
        Type=Name.Font,
        Subtype=Name.CIDFontType2,
        BaseFont=name,
        CIDSystemInfo=Dictionary(
            Registry=String("Adobe"), Ordering=String("Identity"), Supplement=0
        ),
        FontDescriptor=pdf.make_indirect(descriptor),
        W=_widths(use),
        CIDToGIDMap=Name.Identity,
    )
    target.Type = Name.Font
    target.Subtype = Name.Type0
    target.BaseFont = name
    target.Encoding = Name("/Identity-H")
    target.DescendantFonts = Array([pdf.make_indirect(cid_font)])
    target.ToUnicode = pdf.make_indirect(pikepdf.Stream(pdf, to_unicode_cmap(use.used)))


def _widths(use: FontUse) -> Array:
    """``/W``: runs of consecutive glyph ids, each ``first [w1 w2 ...]``."""
    result: list[Any] = []  # ints and arrays; pikepdf converts them
    run: list[int] = []
    first = previous = -2
    for gid in sorted(use.used):
        if gid != previous + 1 and run:
            result.extend([first, Array(run)])
            run = []
        if not run:
            first = gid
        run.append(round(use.font.width(gid)))
        previous = gid
    if run:
        result.extend([first, Array(run)])
    return Array(result)


def to_unicode_cmap(used: dict[int, str]) -> bytes:
    """A ToUnicode CMap mapping each glyph id (the code) to its text."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    entries = sorted(used.items())
    for start in range(0, len(entries), 100):  # at most 100 entries per block
        chunk = entries[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend(
            f"<{gid:04X}> <{text.encode('utf-16-be').hex().upper()}>" for gid, text in chunk
        )
        lines.append("endbfchar")
    lines += [
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines).encode("ascii")


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def output_intent(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """The PDF/A output intent: the shipped sRGB profile."""
    profile = pikepdf.Stream(pdf, resource_path("icc", ICC_PROFILE).read_bytes())
    profile.N = 3
    return pdf.make_indirect(
        Dictionary(
            Type=Name.OutputIntent,
            S=Name.GTS_PDFA1,
            OutputConditionIdentifier=String(OUTPUT_CONDITION),
            Info=String(OUTPUT_CONDITION),
            RegistryName=String("http://www.color.org"),
            DestOutputProfile=pdf.make_indirect(profile),
        )
    )


_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    """Text for XMP: characters XML cannot hold dropped, markup escaped."""
    return escape(_XML_UNSAFE.sub("", text), {'"': "&quot;"})


def pdf_date(moment: datetime.datetime) -> str:
    """A PDF date string (``D:YYYYMMDDHHmmSS+00'00'``) for a UTC moment."""
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def xmp_date(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def xmp_packet(title: str, author: str, subject: str, moment: datetime.datetime) -> bytes:
    """The XMP metadata: PDF/A-2B identification and the Info fields, agreeing."""
    when = xmp_date(moment)
    description = (
        "<dc:description><rdf:Alt>"
        f'<rdf:li xml:lang="x-default">{_xml(subject)}</rdf:li></rdf:Alt></dc:description>'
        if subject
        else ""
    )
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml(title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{_xml(author)}</rdf:li></rdf:Seq></dc:creator>
{description}
<xmp:CreateDate>{when}</xmp:CreateDate>
<xmp:ModifyDate>{when}</xmp:ModifyDate>
<xmp:MetadataDate>{when}</xmp:MetadataDate>
<xmp:CreatorTool>{_xml(CREATOR_TOOL)}</xmp:CreatorTool>
<pdf:Producer>{_xml(PRODUCER)}</pdf:Producer>
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def info_dictionary(title: str, author: str, subject: str, moment: datetime.datetime) -> Dictionary:
    """The Info dictionary matching ``xmp_packet`` field for field."""
    info = Dictionary(
        Title=String(_XML_UNSAFE.sub("", title)),
        Author=String(_XML_UNSAFE.sub("", author)),
        Creator=String(CREATOR_TOOL),
        Producer=String(PRODUCER),
        CreationDate=String(pdf_date(moment)),
        ModDate=String(pdf_date(moment)),
    )
    if subject:
        info.Subject = String(_XML_UNSAFE.sub("", subject))
    return info
