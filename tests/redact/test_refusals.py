"""What cannot be redacted safely is refused with a clear message, and nothing is written."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

import recordsdesk.redact as redaction
from recordsdesk.errors import UserError
from recordsdesk.i18n import translate_error
from recordsdesk.redact import Area, redact
from tests.redact.conftest import add_page, jpeg, pixel, pixels, word_box

AREA = (72.0, 690.0, 200.0, 715.0)


def refused(source: Path, areas: list[Area], tmp_path: Path, **options: object) -> UserError:
    out = tmp_path / "refused" / "out.pdf"
    out.parent.mkdir(exist_ok=True)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    with pytest.raises(UserError) as error:
        redact(source, areas, out, **options)  # type: ignore[arg-type]
    assert list(out.parent.iterdir()) == []  # no output, no temporary file left behind
    assert hashlib.sha256(source.read_bytes()).hexdigest() == digest
    assert translate_error(error.value)  # a message a user can read, in Dutch by default
    return error.value


def test_encrypted_pdf_is_refused(single: Callable[..., Path], tmp_path: Path) -> None:
    plain = single(b"BT /F1 12 Tf 72 700 Td (Geheim verslag) Tj ET")
    for owner_only in (False, True):
        locked = tmp_path / f"locked-{owner_only}.pdf"
        with pikepdf.open(plain) as pdf:
            user = "" if owner_only else "lezen"
            pdf.save(locked, encryption=pikepdf.Encryption(owner="eigenaar", user=user))
        error = refused(locked, [Area(1, *AREA, grond="5.1.2e")], tmp_path)
        assert error.msgid == redaction.ENCRYPTED


def test_damaged_pdf_is_refused(single: Callable[..., Path], tmp_path: Path) -> None:
    good = single(b"BT /F1 12 Tf 72 700 Td (Geheim verslag) Tj ET")
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    assert refused(damaged, [Area(1, *AREA, grond="5.1.2e")], tmp_path).msgid == redaction.DAMAGED
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\nthis is not a pdf at all\n")
    assert refused(garbage, [Area(1, *AREA, grond="5.1.2e")], tmp_path).msgid == redaction.DAMAGED


def image_only(path: Path) -> None:
    pdf = pikepdf.new()
    resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Scan=jpeg(pdf, (120, 160), 230)))
    add_page(pdf, b"q 595 0 0 842 0 0 cm /Scan Do Q", resources)
    pdf.save(path)


def test_scan_without_text_layer_needs_ocr_first(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    image_only(scan)
    area = Area(1, 100, 500, 300, 600, "5.1.2e")
    assert refused(scan, [area], tmp_path).msgid == redaction.NO_TEXT_LAYER
    # a caller that accepts a pixels-only redaction says so, and the report says it too
    out = tmp_path / "pixels.pdf"
    report = redact(scan, [area], out, allow_image_only=True)
    assert [w.msgid for w in report.warnings] == [redaction.PIXELS_ONLY]
    assert report.images_changed == 1 and report.removed_glyphs == 0
    with pikepdf.open(out) as pdf:
        (image,) = pdf.pages[0].Resources.XObject.values()
        pil = pixels(image)
    # area centre (200, 550) in points -> pixel column 200/595*120, row (1-550/842)*160
    assert pixel(pil, (int(200 / 595 * 120), int((1 - 550 / 842) * 160))) == (0, 0, 0)
    assert min(pixel(pil, (5, 5))) > 200


@pytest.mark.parametrize(
    ("area", "msgid"),
    [
        (Area(1, 500, 700, 700, 720, "5.1.2e"), "lies outside page"),
        (Area(1, 200, 700, 100, 720, "5.1.2e"), "empty or inverted"),
        (Area(1, 100, 700, 100, 720, "5.1.2e"), "empty or inverted"),
        (Area(1, float("nan"), 700, 100, 720, "5.1.2e"), "empty or inverted"),
        (Area(2, 72, 690, 200, 715, "5.1.2e"), "does not exist"),
        (Area(0, 72, 690, 200, 715, "5.1.2e"), "does not exist"),
    ],
)
def test_bad_areas_are_refused(
    area: Area, msgid: str, single: Callable[..., Path], tmp_path: Path
) -> None:
    source = single(b"BT /F1 12 Tf 72 700 Td (Geheim verslag) Tj ET")
    assert msgid in refused(source, [area], tmp_path).msgid


def test_no_areas_and_overwriting_the_source_are_refused(
    single: Callable[..., Path], tmp_path: Path
) -> None:
    source = single(b"BT /F1 12 Tf 72 700 Td (Geheim verslag) Tj ET")
    assert "No redaction areas" in refused(source, [], tmp_path).msgid
    with pytest.raises(UserError, match="must not overwrite"):
        redact(source, [Area(1, *AREA, grond="5.1.2e")], source)


def type3_resources(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    glyph = pdf.make_stream(b"1000 0 0 0 1000 1000 d1 0 0 1000 1000 re f")
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type3, FontBBox=[0, 0, 1000, 1000],
        FontMatrix=[0.001, 0, 0, 0.001, 0, 0], CharProcs=pikepdf.Dictionary(a=glyph),
        Encoding=pikepdf.Dictionary(Type=pikepdf.Name.Encoding, Differences=[97, pikepdf.Name.a]),
        FirstChar=97, LastChar=97, Widths=[1000], Resources=pikepdf.Dictionary(),
    )  # fmt: skip
    return pikepdf.Dictionary(Font=pikepdf.Dictionary(F3=pdf.make_indirect(font)))


def test_type3_font_is_refused_not_guessed(tmp_path: Path) -> None:
    source = tmp_path / "type3.pdf"
    pdf = pikepdf.new()
    add_page(pdf, b"BT /F3 12 Tf 72 700 Td (aaaa) Tj ET", type3_resources(pdf))
    pdf.save(source)
    error = refused(source, [Area(1, *AREA, grond="5.1.2e")], tmp_path)
    assert error.msgid == redaction.UNSAFE_PAGE
    assert "Type3" in error.details[0].msgid


@pytest.mark.parametrize(
    "content",
    [
        b"BT /F1 12 Tf 72 700 Td (Geheim verslag) Tj ET BT 72 680 Td (half afgebroken",
        b"BT /F1 12 Tf 72 700 Td (Geheim verslag) Tj ET BT /F1 Tf <zz> Tj ET",
        b"BT /F1 12 Tf 72 700 Td (Geheim) Tj ET BT /F9 12 Tf (onbekend) Tj ET",
        b"q BT 72 680 Td (zonder lettertype) Tj ET Q BT /F1 12 Tf 72 700 Td (Geheim) Tj ET",
    ],
)
def test_unreadable_content_is_refused(
    content: bytes, single: Callable[..., Path], tmp_path: Path
) -> None:
    source = single(content)
    error = refused(source, [Area(1, *AREA, grond="5.1.2e")], tmp_path)
    assert error.msgid == redaction.UNSAFE_PAGE


def test_font_without_widths_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "nowidths.pdf"
    pdf = pikepdf.new()
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType,
                              BaseFont=pikepdf.Name("/Verzonnen-Letter"))  # fmt: skip
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pdf.make_indirect(font)))
    add_page(pdf, b"BT /F1 12 Tf 72 700 Td (Geheim verslag) Tj ET", resources)
    pdf.save(source)
    error = refused(source, [Area(1, *AREA, grond="5.1.2e")], tmp_path)
    assert "no glyph widths" in error.details[0].msgid


def test_redaction_elsewhere_on_a_page_still_needs_every_font(
    single: Callable[..., Path], tmp_path: Path
) -> None:
    """A good PDF redacts fine: the refusals above are about the PDF, not the machinery."""
    source = single(b"BT /F1 12 Tf 72 700 Td (Geheim verslag) Tj ET")
    out = tmp_path / "ok.pdf"
    report = redact(source, [Area(1, *word_box(source, 1, "Geheim"), grond="5.1.2e")], out)
    assert report.removed_glyphs >= 6
    with pikepdf.open(out) as pdf:
        assert pdf.pages[0].Resources.Font.F1 is not None


def test_missing_source_or_output_folder(single: Callable[..., Path], tmp_path: Path) -> None:
    source = single(b"BT /F1 12 Tf 72 700 Td (Geheim verslag) Tj ET")
    area = Area(1, *AREA, grond="5.1.2e")
    with pytest.raises(UserError, match="File not found"):
        redact(tmp_path / "weg.pdf", [area], tmp_path / "out.pdf")
    with pytest.raises(UserError, match="Not a folder"):
        redact(source, [area], tmp_path / "nergens" / "out.pdf")
