"""Redaction really removes what it covers, keeps the rest in place, and says so."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from recordsdesk import i18n
from recordsdesk.errors import UserError
from recordsdesk.redact import Area, RedactionReport, redact, verify
from recordsdesk.redact.areas import frame_of, invert, transform_rect
from recordsdesk.redact.verify import RedactionLeakError
from tests.redact.conftest import (
    add_page,
    all_stream_bytes,
    build_composite,
    build_shared,
    build_tagged_form,
    helvetica,
    jpeg,
    page_text,
    pixel,
    pixels,
    text_boxes,
    word_box,
)

COVERED = ("Jan Jansen", "0612345678", "geheim", "123456789")
KEPT = ("Naam:", "woont hier", "Telefoon", "bellen", "Eerste regel", "Tweede regel openbaar",
        "Formulier BSN", "Gedeeld 555777")  # fmt: skip
Redacted = tuple[Path, Path, RedactionReport]
IMAGE_AREA = (320.0, 420.0, 360.0, 450.0)  # inside the image at 300,400 (100 x 80)


def areas_for(path: Path) -> list[Area]:
    areas = [Area(1, *word_box(path, 1, word), grond="5.1.2e") for word in COVERED]
    return [*areas, Area(1, *IMAGE_AREA, grond="5.1.1d")]


def streams_of_page(path: Path, number: int) -> bytes:
    """Decoded content of a page and of every XObject it draws, recursively."""
    with pikepdf.open(path) as pdf:
        page = pdf.pages[number - 1]
        chunks = [page.obj.Contents.read_bytes() if isinstance(page.obj.Contents, pikepdf.Stream)
                  else b"".join(s.read_bytes() for s in page.obj.Contents)]  # fmt: skip
        todo = [page.obj.Resources]
        while todo:
            resources = todo.pop()
            for xobject in resources.get("/XObject", {}).values():
                if xobject.get("/Subtype") == "/Form":
                    chunks.append(xobject.read_bytes())
                    todo.append(xobject.get("/Resources", pikepdf.Dictionary()))
        return b"\n".join(chunks)


def shown_strings(path: Path) -> bytes:
    """The bytes of every string shown on page 1, however the stream writes them."""
    with pikepdf.open(path) as pdf:
        found = []
        for inst in pikepdf.parse_content_stream(pdf.pages[0].obj):
            for operand in inst.operands:
                items = list(operand) if isinstance(operand, pikepdf.Array) else [operand]
                found += [bytes(i) for i in items if isinstance(i, pikepdf.String)]
    return b"|".join(found)


@pytest.fixture
def redacted(sample: Path, tmp_path: Path) -> Redacted:
    out = tmp_path / "out" / "redacted.pdf"
    out.parent.mkdir()
    report = redact(sample, areas_for(sample), out)
    return sample, out, report


def test_covered_text_is_gone_from_content_streams_and_extraction(redacted: Redacted) -> None:
    sample, out, report = redacted
    before, after = streams_of_page(sample, 1), streams_of_page(out, 1)
    for word in COVERED:
        last = word.split()[-1].encode()
        assert last in before  # the search can find it
        assert last not in after
        assert word not in page_text(out, 1)
    whole_file = all_stream_bytes(out)
    for secret in (b"0612345678", b"geheim", b"123456789"):  # only ever on page 1
        assert secret not in whole_file
    text = page_text(out, 1)
    for word in KEPT:
        assert word in text
    assert report.removed_glyphs >= sum(len(w.replace(" ", "")) for w in COVERED)
    assert report.images_changed == 1
    verify(out, {1: list(COVERED)})


def test_uncovered_glyphs_keep_their_places(redacted: Redacted) -> None:
    sample, out, _report = redacted
    for word in ("woont hier", "bellen", "Tweede regel openbaar", "Eerste regel", "Formulier BSN"):
        for old, new in zip(text_boxes(sample, 1, word), text_boxes(out, 1, word), strict=True):
            assert old == pytest.approx(new, abs=0.01), word


def test_shared_form_is_copied_not_changed_for_other_pages(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "shared.pdf"
    redact(sample, [Area(1, *word_box(sample, 1, "555777"), grond="5.1.2e")], out)
    assert "555777" not in page_text(out, 1)
    assert b"555777" not in streams_of_page(out, 1)
    assert "Gedeeld 555777" in page_text(out, 2)
    assert b"555777" in streams_of_page(out, 2)


def test_image_pixels_under_the_area_are_black(redacted: Redacted) -> None:
    _sample, out, _report = redacted
    with pikepdf.open(out) as pdf:
        images = [x for x in pdf.pages[0].Resources.XObject.values() if x.Subtype == "/Image"]
        assert len(images) == 1
        pil = pixels(images[0])
    width, height = pil.size  # 50 x 40 pixels over 100 x 80 points at 300,400
    x0, y0, x1, y1 = IMAGE_AREA
    inside = (int((x0 - 300 + 2) / 100 * width), int((1 - (y1 - 400 - 2) / 80) * height))
    inside_far = (int((x1 - 300 - 2) / 100 * width), int((1 - (y0 - 400 + 2) / 80) * height))
    assert pixel(pil, inside) == (0, 0, 0)
    assert pixel(pil, inside_far) == (0, 0, 0)
    assert min(pixel(pil, (2, 2))) > 150  # uncovered pixels keep their grey
    assert min(pixel(pil, (width - 2, height - 2))) > 150


def test_black_box_and_ground_code_are_drawn(redacted: Redacted) -> None:
    _sample, out, _report = redacted
    doc = pdfium.PdfDocument(str(out))
    scale = 4
    bitmap = doc[0].render(scale=scale).to_pil().convert("L")
    doc.close()
    x0, y0, x1, y1 = IMAGE_AREA
    crop = bitmap.crop((int(x0 * scale) + 1, int((842 - y1) * scale) + 1,
                        int(x1 * scale) - 1, int((842 - y0) * scale) - 1))  # fmt: skip
    histogram = crop.histogram()
    black, white = sum(histogram[:30]), sum(histogram[225:])
    assert black > 0.6 * crop.width * crop.height  # an opaque box
    assert white > 20  # the strokes of "5.1.1d"
    with pikepdf.open(out) as pdf:
        record = pdf.Root.PieceInfo.RecordsDesk.Private.Redactions
        assert sorted({str(r.Grond) for r in record}) == ["5.1.1d", "5.1.2e"]


def test_annotations_in_areas_are_removed_others_kept(redacted: Redacted) -> None:
    _sample, out, report = redacted
    assert report.annotations_removed == 1
    with pikepdf.open(out) as pdf:
        contents = [str(a.Contents) for a in pdf.pages[0].Annots]
    assert contents == ["Openbare notitie"]


def test_metadata_and_actual_text_are_cleared(redacted: Redacted) -> None:
    sample, out, _report = redacted
    assert b"Dossier Jan Jansen" in all_stream_bytes(sample)
    data = all_stream_bytes(out)
    assert b"Jan Jansen" not in data  # Info, XMP, /ActualText and the annotation
    with pikepdf.open(out) as pdf:
        assert "/Info" not in pdf.trailer
        assert "/Metadata" not in pdf.Root


def test_source_file_is_not_changed(sample: Path, tmp_path: Path) -> None:
    digest = hashlib.sha256(sample.read_bytes()).hexdigest()
    redact(sample, areas_for(sample), tmp_path / "r.pdf")
    assert hashlib.sha256(sample.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf", "sample.pdf"]  # no temp file


def test_other_pages_are_untouched(redacted: Redacted) -> None:
    sample, out, _report = redacted
    for page in (2, 3):
        assert page_text(out, page) == page_text(sample, page)


def test_rotated_page_takes_displayed_coordinates(sample: Path, tmp_path: Path) -> None:
    with pikepdf.open(sample) as pdf:
        frame = frame_of(pdf.pages[2])
    to_displayed = invert(frame.to_user)
    assert to_displayed is not None
    shown = transform_rect(to_displayed, word_box(sample, 3, "Pietersen"))
    assert shown[2] - shown[0] < shown[3] - shown[1]  # the line runs upwards when displayed
    out = tmp_path / "rotated.pdf"
    redact(sample, [Area(3, *shown, grond="5.1.2e")], out)
    assert "Pietersen" not in page_text(out, 3)
    assert "Gedraaid" in page_text(out, 3) and "zichtbaar" in page_text(out, 3)
    old_boxes, new_boxes = text_boxes(sample, 3, "zichtbaar"), text_boxes(out, 3, "zichtbaar")
    for old, new in zip(old_boxes, new_boxes, strict=True):
        assert old == pytest.approx(new, abs=0.01)


def test_verify_rejects_a_black_box_drawn_on_top(sample: Path, tmp_path: Path) -> None:
    """The fake redaction: covered by paint, but the text is still there."""
    fake = tmp_path / "fake.pdf"
    box = word_box(sample, 1, "Jan Jansen")
    with pikepdf.open(sample) as pdf:
        page = pdf.pages[0]
        rect = f"0 g {box[0]} {box[1]} {box[2] - box[0]} {box[3] - box[1]} re f".encode()
        page.contents_add(pdf.make_stream(rect), prepend=False)
        pdf.save(fake)
    with pytest.raises(RedactionLeakError) as error:
        verify(fake, areas=[Area(1, *box, grond="5.1.2e")])
    assert error.value.params["page"] == 1
    with pytest.raises(RedactionLeakError):
        verify(fake, {1: ["Jan Jansen"]}, areas=[])
    with pytest.raises(UserError):
        verify(fake)  # no record of areas at all: nothing to check against


def test_history_of_incremental_updates_is_dropped(
    single: Callable[..., Path], tmp_path: Path
) -> None:
    """An old revision holding text no longer shown must not survive a redaction."""
    source = single(b"BT /F1 12 Tf 72 700 Td (OUDGEHEIM staat hier) Tj ET", compress=False)
    data = source.read_bytes()
    with pikepdf.open(source) as pdf:
        contents = pdf.pages[0].obj.Contents.objgen
        size = len(pdf.objects) + 1
    new = b"BT /F1 12 Tf 72 700 Td (Nieuwe tekst Bakker hier) Tj ET"
    offset = len(data)
    update = (f"\n{contents[0]} 0 obj\n<< /Length {len(new)} >>\nstream\n".encode() + new
              + b"\nendstream\nendobj\n")  # fmt: skip
    start = len(data) + len(update)
    xref = f"xref\n0 1\n0000000000 65535 f \n{contents[0]} 1\n{offset + 1:010d} 00000 n \n"
    prev = data[data.rindex(b"startxref") + 9 :].split()[0].decode()
    with pikepdf.open(source) as pdf:
        root = pdf.Root.objgen[0]
    trailer = (
        f"trailer\n<< /Size {size} /Root {root} 0 R /Prev {prev} >>\nstartxref\n{start}\n%%EOF\n"
    )
    source.write_bytes(data + update + (xref + trailer).encode())
    assert "Bakker" in page_text(source, 1)
    assert b"OUDGEHEIM" in source.read_bytes()  # the old revision is still in the file
    out = tmp_path / "fresh.pdf"
    redact(source, [Area(1, *word_box(source, 1, "Bakker"), grond="5.1.2e")], out)
    raw = all_stream_bytes(out)
    assert b"OUDGEHEIM" not in raw and b"Bakker" not in raw
    assert out.read_bytes().count(b"%%EOF") == 1 and b"/Prev" not in out.read_bytes()
    assert "Nieuwe tekst" in page_text(out, 1)


def test_composite_font_is_redacted_per_glyph(tmp_path: Path) -> None:
    source, out = tmp_path / "composite.pdf", tmp_path / "composite-out.pdf"
    build_composite(source)
    report = redact(source, [Area(1, *word_box(source, 1, "Karimi"), grond="5.1.2e")], out)
    assert report.removed_glyphs >= 6
    assert "Karimi" not in page_text(out, 1)
    assert "Burgemeester" in page_text(out, 1) and "tekent" in page_text(out, 1)
    before, after = shown_strings(source), shown_strings(out)
    assert "Kar".encode("utf-16-be") in before  # the search can find it
    for piece in ("Kar", "imi"):  # the word was split over two strings of the TJ
        assert piece.encode("utf-16-be") not in after
    for word in ("Burgemeester", "tekent"):
        old_boxes, new_boxes = text_boxes(source, 1, word), text_boxes(out, 1, word)
        for old, new in zip(old_boxes, new_boxes, strict=True):
            assert old == pytest.approx(new, abs=0.01)


def test_form_fields_tags_and_bookmarks(tmp_path: Path) -> None:
    source, out = tmp_path / "tagged.pdf", tmp_path / "tagged-out.pdf"
    build_tagged_form(source)
    assert b"Pietje" in all_stream_bytes(source)
    report = redact(source, [Area(1, *word_box(source, 1, "Pietje Puk"), grond="5.1.2e")], out)
    assert report.annotations_removed == 1
    assert b"Pietje" not in all_stream_bytes(out)  # text, field value, /Alt: all gone
    with pikepdf.open(out) as pdf:
        assert len(pdf.Root.AcroForm.Fields) == 0
        assert "/StructTreeRoot" not in pdf.Root
        assert str(pdf.Root.Outlines.First.Title) == "Besluit"
    assert {w.msgid for w in report.warnings} == {
        "The structure tree (tags, alternative texts) was removed: it may quote covered text.",
        "Bookmarks were kept: check that they do not quote covered text.",
    }
    assert "Aanvrager" in page_text(out, 1) and "akkoord" in page_text(out, 1)


def images_in(path: Path) -> list[tuple[int, ...]]:
    """The colour of pixel (0, 0) of every colour image in the file."""
    with pikepdf.open(path) as pdf:
        found = []
        for obj in pdf.objects:
            rgb = isinstance(obj, pikepdf.Stream) and obj.get("/ColorSpace") == "/DeviceRGB"
            if rgb and obj.get("/Subtype") == "/Image":
                found.append(pixel(pixels(obj), (0, 0))[:3])
        return found


def test_shared_resources_inline_image_and_direct_annotation(tmp_path: Path) -> None:
    source, out = tmp_path / "shared.pdf", tmp_path / "shared-out.pdf"
    build_shared(source)
    assert images_in(source) == [(10, 200, 30)]
    areas = [Area(1, 90, 90, 310, 210, "5.1.2e"), Area(1, 405, 605, 445, 645, "5.1.2e")]
    report = redact(source, areas, out)
    # the whole signature was covered: the original image is nowhere in the file, not even
    # behind page 2's (shared, unused) resources; only the blacked-out copy is left
    assert images_in(out) == [(0, 0, 0)]
    with pikepdf.open(out) as pdf:
        (image,) = pdf.pages[0].Resources.XObject.values()
        mask = pixels(image.SMask)
        assert mask.getextrema() == (0, 0)  # the mask no longer shows the shape either
        operators = {str(i.operator) for i in pikepdf.parse_content_stream(pdf.pages[0].obj)}
        assert "INLINE IMAGE" not in operators
        assert "/Annots" not in pdf.pages[0].obj or len(pdf.pages[0].Annots) == 0
    assert report.annotations_removed == 1 and report.images_changed == 2
    assert [w.msgid for w in report.warnings] == [
        "An inline image on page {page} under a redaction area was removed whole."
    ]
    assert page_text(out, 2) == "Tweede blad" and "Handtekening" in page_text(out, 1)


def test_ocr_scan_loses_invisible_text_and_pixels(tmp_path: Path) -> None:
    """The usual Woo case: a scanned letter with an invisible OCR text layer (3 Tr)."""
    source, out = tmp_path / "ocr.pdf", tmp_path / "ocr-out.pdf"
    pdf = pikepdf.new()
    resources = pikepdf.Dictionary(
        Font=pikepdf.Dictionary(F1=helvetica(pdf)),
        XObject=pikepdf.Dictionary(Scan=jpeg(pdf, (119, 168), 235)),
    )
    text = b"BT 3 Tr /F1 12 Tf 72 700 Td (Brief van Jansen aan de gemeente) Tj ET"
    add_page(pdf, b"q 595 0 0 842 0 0 cm /Scan Do Q " + text, resources)
    pdf.save(source)
    report = redact(source, [Area(1, *word_box(source, 1, "Jansen"), grond="5.1.2e")], out)
    assert report.images_changed == 1 and report.warnings == ()
    assert "Jansen" not in page_text(out, 1)
    assert "Brief van" in page_text(out, 1) and "aan de gemeente" in page_text(out, 1)
    assert b"Jansen" not in all_stream_bytes(out)
    with pikepdf.open(out) as redacted_pdf:
        (scan,) = redacted_pdf.pages[0].Resources.XObject.values()
        picture = pixels(scan)
    x0, y0, x1, y1 = word_box(source, 1, "Jansen")
    centre = (int((x0 + x1) / 2 / 595 * 119), int((1 - (y0 + y1) / 2 / 842) * 168))
    assert pixel(picture, centre) == (0, 0, 0)
    assert min(pixel(picture, (5, 5))) > 200


def test_image_we_cannot_reinterpret_is_removed_whole(tmp_path: Path) -> None:
    source, out = tmp_path / "decode.pdf", tmp_path / "decode-out.pdf"
    pdf = pikepdf.new()
    photo = jpeg(pdf)
    photo.Decode = [1, 0, 1, 0, 1, 0]  # inverted colours: we would have to reinterpret them
    resources = pikepdf.Dictionary(
        Font=pikepdf.Dictionary(F1=helvetica(pdf)), XObject=pikepdf.Dictionary(Foto=photo)
    )
    content = b"BT /F1 12 Tf 72 700 Td (Foto hieronder) Tj ET q 100 0 0 80 300 400 cm /Foto Do Q"
    content += b" BT /F1 12 Tf 72 650 Td (Niet afgesloten) Tj"  # ends inside a text object
    add_page(pdf, content, resources)
    pdf.save(source)
    report = redact(source, [Area(1, 320, 420, 340, 440, "5.1.2b")], out)
    assert [w.msgid for w in report.warnings] == [
        "Image {name} on page {page} could not be decoded and was removed whole."
    ]
    before = i18n.current_language()
    try:
        i18n.set_language("nl")
        assert (
            report.warnings[0]
            .translated()
            .startswith("Afbeelding Foto op pagina 1 kon niet gedecodeerd worden")
        )
    finally:
        i18n.set_language(before)
    with pikepdf.open(out) as redacted_pdf:
        assert len(redacted_pdf.pages[0].Resources.XObject) == 0
        assert not [o for o in redacted_pdf.objects if o.get("/Subtype") == "/Image"]
    assert "Niet afgesloten" in page_text(out, 1)
