"""Real PDFs for the redaction tests, built with pikepdf.

``sample.pdf`` (page 1, A4 portrait):

* line 1, three Tj, the middle one in ``/Span <</ActualText ...>> BDC``:
  "Naam: Jan Jansen woont hier"
* line 2, TJ with kerning: "Telefoon 0612345678 bellen"
* lines 3-4, Courier with /Widths, Tj then ``'``: "Eerste regel geheim" / "Tweede regel openbaar"
* Form XObject /Fm1 (only here): "Formulier BSN 123456789"
* Form XObject /Fm2 (also on page 2, uncovered there): "Gedeeld 555777"
* a JPEG image /Im1 (light grey) at 300,400 (100 x 80 points)
* two annotations: a Square over "Jan Jansen", a Text note elsewhere
* Info and XMP metadata that quote "Jan Jansen"

Page 2: "Pagina twee Jansen blijft" and /Fm2. Page 3: /Rotate 90 with
"Gedraaid Pietersen zichtbaar". Pages are 595 x 842 points.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pikepdf
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from PIL import Image

Box = tuple[float, float, float, float]


def helvetica(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )


def courier(pdf: pikepdf.Pdf) -> pikepdf.Object:
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=pikepdf.Name.Courier,
        Flags=33,
        FontBBox=[-23, -250, 715, 805],
        ItalicAngle=0,
        Ascent=629,
        Descent=-157,
        CapHeight=562,
        StemV=51,
    )
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Courier,
            Encoding=pikepdf.Name.WinAnsiEncoding,
            FirstChar=32,
            LastChar=255,
            Widths=[600] * 224,
            FontDescriptor=pdf.make_indirect(descriptor),
        )
    )


def form(pdf: pikepdf.Pdf, text: bytes, font: pikepdf.Object) -> pikepdf.Stream:
    stream = pikepdf.Stream(pdf, b"BT /F1 11 Tf 0 5 Td (" + text + b") Tj ET")
    stream.Type = pikepdf.Name.XObject
    stream.Subtype = pikepdf.Name.Form
    stream.BBox = [0, 0, 300, 20]
    stream.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    return pdf.make_indirect(stream)


def jpeg(pdf: pikepdf.Pdf, size: tuple[int, int] = (50, 40), grey: int = 200) -> pikepdf.Object:
    buffer = io.BytesIO()
    Image.new("RGB", size, (grey, grey, grey)).save(buffer, format="JPEG", quality=95)
    image = pikepdf.Stream(pdf, buffer.getvalue())
    image.Type = pikepdf.Name.XObject
    image.Subtype = pikepdf.Name.Image
    image.Width, image.Height = size
    image.ColorSpace = pikepdf.Name.DeviceRGB
    image.BitsPerComponent = 8
    image.Filter = pikepdf.Name.DCTDecode
    return pdf.make_indirect(image)


def add_page(
    pdf: pikepdf.Pdf, content: bytes, resources: pikepdf.Object, **extra: Any
) -> pikepdf.Page:
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 595, 842],
        Resources=resources,
        Contents=pdf.make_stream(content),
        **extra,
    )
    pdf.pages.append(pikepdf.Page(page))
    return pdf.pages[-1]


PAGE1 = b"""
BT /F1 12 Tf 72 760 Td (Naam: ) Tj
/Span <</ActualText (Jan Jansen)>> BDC (Jan Jansen) Tj EMC
( woont hier) Tj ET
BT /F1 12 Tf 72 740 Td [(Telefoon ) -50 (0612345678) 120 ( bellen)] TJ ET
BT /F2 10 Tf 14 TL 72 720 Td (Eerste regel geheim) Tj (Tweede regel openbaar) ' ET
q 1 0 0 1 72 660 cm /Fm1 Do Q
q 1 0 0 1 72 630 cm /Fm2 Do Q
q 100 0 0 80 300 400 cm /Im1 Do Q
"""


def build_sample(path: Path) -> None:
    pdf = pikepdf.new()
    f1, f2 = helvetica(pdf), courier(pdf)
    fm2 = form(pdf, b"Gedeeld 555777", f1)
    xobjects = pikepdf.Dictionary(
        Fm1=form(pdf, b"Formulier BSN 123456789", f1), Fm2=fm2, Im1=jpeg(pdf)
    )
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=f1, F2=f2), XObject=xobjects)
    page = add_page(pdf, PAGE1, resources)
    square = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Square, Rect=[100, 755, 170, 775],
        Contents=pikepdf.String("Jan Jansen"),
    )  # fmt: skip
    note = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=[500, 100, 520, 120],
        Contents=pikepdf.String("Openbare notitie"),
    )  # fmt: skip
    page.obj.Annots = pikepdf.Array([pdf.make_indirect(square), pdf.make_indirect(note)])
    add_page(
        pdf,
        b"BT /F1 12 Tf 72 760 Td (Pagina twee Jansen blijft) Tj ET q 1 0 0 1 72 700 cm /Fm2 Do Q",
        pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=f1), XObject=pikepdf.Dictionary(Fm2=fm2)),
    )
    add_page(
        pdf,
        b"BT /F1 12 Tf 72 500 Td (Gedraaid Pietersen zichtbaar) Tj ET",
        pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=f1)),
        Rotate=90,
    )
    pdf.docinfo["/Title"] = "Dossier Jan Jansen"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = "Dossier Jan Jansen"
    pdf.save(path, compress_streams=False)


def build_single(
    path: Path, content: bytes, resources: pikepdf.Dictionary | None = None, compress: bool = True
) -> None:
    pdf = pikepdf.new()
    if resources is None:
        resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=helvetica(pdf)))
    add_page(pdf, content, resources)
    pdf.save(path, compress_streams=compress)


def pixels(image: object) -> Image.Image:
    """An image XObject decoded by pikepdf, for looking at its pixels."""
    return pikepdf.PdfImage(cast(pikepdf.Stream, image)).as_pil_image()


def pixel(picture: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    value = picture.getpixel(xy)
    assert isinstance(value, tuple)
    return value


def text_boxes(path: Path, page: int, word: str) -> list[Box]:
    """pdfium's character boxes (user space) of the first ``word`` on ``page`` (1-based)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        textpage = doc[page - 1].get_textpage()
        searcher = textpage.search(word, match_case=True)
        found = searcher.get_next()
        assert found, f"{word!r} not on page {page} of {path.name}"
        start, count = found
        return [textpage.get_charbox(i) for i in range(start, start + count)]
    finally:
        doc.close()


def word_box(path: Path, page: int, word: str, pad: float = 0.5) -> Box:
    boxes = text_boxes(path, page, word)
    return (
        min(b[0] for b in boxes) - pad,
        min(b[1] for b in boxes) - 2.0,
        max(b[2] for b in boxes) + pad,
        max(b[3] for b in boxes) + 2.0,
    )


def page_text(path: Path, page: int) -> str:
    doc = pdfium.PdfDocument(str(path))
    try:
        return str(doc[page - 1].get_textpage().get_text_range())
    finally:
        doc.close()


def all_stream_bytes(path: Path) -> bytes:
    """Every stream of the file, decoded, plus the raw file: where a leak would show."""
    chunks = [path.read_bytes()]
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    chunks.append(obj.read_bytes())
                except pikepdf.PdfError:
                    chunks.append(obj.read_raw_bytes())
    return b"\n".join(chunks)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.pdf"
    build_sample(path)
    return path


@pytest.fixture
def single(tmp_path: Path) -> Callable[..., Path]:
    def make(
        content: bytes, resources: pikepdf.Dictionary | None = None, compress: bool = True
    ) -> Path:
        path = tmp_path / "single.pdf"
        build_single(path, content, resources, compress)
        return path

    return make


def type0_font(pdf: pikepdf.Pdf, chars: set[str]) -> pikepdf.Object:
    """A composite font (Identity-H, 2-byte codes = Unicode code points) with /W widths."""
    cmap = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
        f"{len(chars)} beginbfchar",
        *(f"<{ord(c):04X}> <{ord(c):04X}>" for c in sorted(chars)),
        "endbfchar endcmap CMapName currentdict /CMap defineresource pop end end",
    ]
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/ArialMT"), Flags=32,
        FontBBox=[-665, -325, 2000, 1006], ItalicAngle=0, Ascent=905, Descent=-212,
        CapHeight=716, StemV=80,
    )  # fmt: skip
    cid = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2,
        BaseFont=pikepdf.Name("/ArialMT"), FontDescriptor=pdf.make_indirect(descriptor),
        CIDSystemInfo=pikepdf.Dictionary(
            Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0
        ),
        DW=556, W=[ord("i"), [222], ord("m"), [833], ord(" "), ord(" "), 278],
    )  # fmt: skip
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name("/ArialMT"),
            Encoding=pikepdf.Name("/Identity-H"), DescendantFonts=[pdf.make_indirect(cid)],
            ToUnicode=pdf.make_stream("\n".join(cmap).encode()),
        )
    )  # fmt: skip


def utf16(text: str) -> bytes:
    return b"<" + text.encode("utf-16-be").hex().encode() + b">"


def build_composite(path: Path) -> None:
    """One line in a composite font: "Burgemeester Karimi tekent", 12 pt at 72,700."""
    pdf = pikepdf.new()
    text = "Burgemeester Karimi tekent"
    font = type0_font(pdf, set(text))
    content = b"BT /T0 12 Tf 72 700 Td [" + utf16("Burgemeester Kar") + b" -20 "
    content += utf16("imi tekent") + b"] TJ ET"
    add_page(pdf, content, pikepdf.Dictionary(Font=pikepdf.Dictionary(T0=font)))
    pdf.save(path)


def build_tagged_form(path: Path) -> None:
    """A form field and a tagged figure that both quote "Pietje Puk", and a bookmark.

    Text: "Aanvrager Pietje Puk akkoord" at 72,700; the widget of field ``naam``
    (value "Pietje Puk") lies over the name; the structure tree's Figure has
    /Alt "Foto van Pietje Puk".
    """
    pdf = pikepdf.new()
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=helvetica(pdf)))
    page = add_page(
        pdf, b"BT /F1 12 Tf 72 700 Td (Aanvrager Pietje Puk akkoord) Tj ET", resources,
        StructParents=0,
    )  # fmt: skip
    widget = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Tx,
            T=pikepdf.String("naam"), V=pikepdf.String("Pietje Puk"), Rect=[130, 695, 200, 712],
            P=page.obj,
        )
    )  # fmt: skip
    page.obj.Annots = pikepdf.Array([widget])
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[widget])
    figure = pikepdf.Dictionary(
        Type=pikepdf.Name.StructElem, S=pikepdf.Name.Figure, Pg=page.obj, K=0,
        Alt=pikepdf.String("Foto van Pietje Puk"),
    )  # fmt: skip
    pdf.Root.StructTreeRoot = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=[pdf.make_indirect(figure)])
    )
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    item = pdf.make_indirect(
        pikepdf.Dictionary(Title=pikepdf.String("Besluit"), Dest=[page.obj, pikepdf.Name.Fit])
    )
    outlines = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Outlines, First=item, Last=item, Count=1)
    )
    item.Parent = outlines
    pdf.Root.Outlines = outlines
    pdf.save(path)


def flate_image(
    pdf: pikepdf.Pdf, colour: tuple[int, int, int], size: tuple[int, int]
) -> pikepdf.Object:
    """A PNG-like image (Flate, RGB) of one colour, with a soft mask (a signature's shape)."""
    import zlib

    width, height = size
    mask = pikepdf.Stream(pdf, zlib.compress(bytes([255]) * (width * height)))
    mask.Type, mask.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    mask.Width, mask.Height, mask.BitsPerComponent = width, height, 8
    mask.ColorSpace, mask.Filter = pikepdf.Name.DeviceGray, pikepdf.Name.FlateDecode
    image = pikepdf.Stream(pdf, zlib.compress(bytes(colour) * (width * height)))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = width, height, 8
    image.ColorSpace, image.Filter = pikepdf.Name.DeviceRGB, pikepdf.Name.FlateDecode
    image.SMask = pdf.make_indirect(mask)
    return pdf.make_indirect(image)


def build_shared(path: Path) -> None:
    """Two pages sharing one /Resources dictionary (font and image /Sig).

    Page 1 draws /Sig at 100,100 (200 x 100 points), an inline image at 400,600 (50 x 50)
    and "Handtekening hieronder" at 72,300; it has one *direct* annotation at 100,100.
    Page 2 draws only "Tweede blad" at 72,700: /Sig is in its resources, unused.
    """
    pdf = pikepdf.new()
    resources = pdf.make_indirect(pikepdf.Dictionary(
        Font=pikepdf.Dictionary(F1=helvetica(pdf)),
        XObject=pikepdf.Dictionary(Sig=flate_image(pdf, (10, 200, 30), (40, 20))),
    ))  # fmt: skip
    inline = b"q 50 0 0 50 400 600 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x80\x80\x80\x80 EI Q"
    page = add_page(pdf, b"BT /F1 12 Tf 72 300 Td (Handtekening hieronder) Tj ET "
                    b"q 200 0 0 100 100 100 cm /Sig Do Q " + inline, resources)  # fmt: skip
    page.obj.Annots = pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Square, Rect=[110, 110, 150, 150],
    )])  # fmt: skip
    add_page(pdf, b"BT /F1 12 Tf 72 700 Td (Tweede blad) Tj ET", resources)
    pdf.save(path)
