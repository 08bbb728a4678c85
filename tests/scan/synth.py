"""Synthetic scans for the scan tests: rendered Dutch text pages and printed sheets.

A "scan" here is what a multifunction printer writes: one grey image per page
(a little noise, a slight skew, optionally upside down) wrapped in a PDF whose
pages are those images (img2pdf, lossless, as scanners do). Separator sheets
are the app's own sheet PDFs, rasterised with pdfium, so what is tested is what
the app prints.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import pypdfium2
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from recordsdesk.resources import resource_path
from recordsdesk.scan.sheet import SheetFields, write_sheet

A4_MM = (210.0, 297.0)
MOMENT = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
LETTER = (
    "Geachte heer Jansen,\n"
    "Hierbij ontvangt u het besluit op uw aanvraag voor een omgevingsvergunning "
    "voor het plaatsen van een dakkapel aan de Kerkstraat in Rotterdam.\n"
    "De gemeente heeft de aanvraag beoordeeld en verleent de vergunning.\n"
    "Tegen dit besluit kunt u binnen zes weken bezwaar maken.\n"
    "Met vriendelijke groet,\nde burgemeester en wethouders"
)


@dataclass(frozen=True)
class Page:
    """One page of a synthetic batch: text, or the sheet for ``sheet``."""

    text: str = LETTER
    sheet: SheetFields | None = None
    dpi: int = 200
    angle: float = 0.0  # degrees, counter-clockwise; 180 is upside down
    noise: float = 0.02  # share of pixels flipped to a random grey
    shade: int = 255  # paper colour: 255 white, lower is darker (a dark page)


def text_page(text: str, dpi: int, seed: int = 0) -> Image.Image:
    """An A4 page with ``text`` in 12-point type at ``dpi``, black on white."""
    width, height = (round(mm / 25.4 * dpi) for mm in A4_MM)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(resource_path("fonts", "DejaVuSans.ttf")), round(12 / 72 * dpi))
    margin = round(25 / 25.4 * dpi)
    y = margin
    line_height = round(18 / 72 * dpi)
    for paragraph in text.split("\n"):
        words, line = paragraph.split(), ""
        for word in words:
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=font) > width - 2 * margin and line:
                draw.text((margin, y), line, fill=0, font=font)
                y += line_height
                line = word
            else:
                line = trial
        draw.text((margin, y), line, fill=0, font=font)
        y += line_height + line_height // 2
    return image


def sheet_page(fields: SheetFields, dpi: int, folder: Path) -> Image.Image:
    """The app's separator sheet for ``fields``, printed and scanned at ``dpi``."""
    path = folder / f"sheet-{random.random():.12f}.pdf"
    write_sheet(fields, path, created=MOMENT, author="test")
    document = pypdfium2.PdfDocument(str(path))
    try:
        return document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()


def scanned(image: Image.Image, page: Page, seed: int) -> Image.Image:
    """``image`` as a scanner gives it back: on ``shade`` paper, turned, blurred, noisy."""
    rng = random.Random(seed)
    if page.shade != 255:
        image = Image.eval(image, lambda v: v * page.shade // 255)
    if page.angle:
        image = image.rotate(
            page.angle, expand=False, fillcolor=page.shade, resample=Image.BILINEAR
        )
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    if page.noise > 0:
        # Each pixel is flipped with chance ``noise`` to a random grey: two images of
        # seeded random bytes, one to choose the pixels (as a mask), one for the greys.
        size = image.size
        cutoff = round(page.noise * 256)
        chosen = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
        mask = chosen.point(lambda v: 255 if v < cutoff else 0)
        greys = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
        image.paste(greys, (0, 0), mask)
    return image


def make_batch(pages: Sequence[Page], out: Path, seed: int = 1, fade: Collection[int] = ()) -> Path:
    """Write a scanned batch of ``pages`` as an image PDF at ``out`` (img2pdf).

    The pages whose index is in ``fade`` are printed faded: their text in light
    grey (170 of 255) instead of black.
    """
    images: list[bytes] = []
    made = page_images(pages, out.parent, seed, fade)
    for number, (page, image) in enumerate(zip(pages, made, strict=True)):
        path = out.parent / f".page-{seed}-{number}.png"
        image.save(path, dpi=(page.dpi, page.dpi))
        images.append(path.read_bytes())
        path.unlink()
    out.write_bytes(img2pdf.convert(images))
    return out


def page_images(
    pages: Sequence[Page], folder: Path, seed: int = 1, fade: Collection[int] = ()
) -> list[Image.Image]:
    """The scanned images of ``pages`` (see ``make_batch``)."""
    images = []
    for number, page in enumerate(pages):
        if page.sheet is not None:
            raw = sheet_page(page.sheet, page.dpi, folder)
        else:
            raw = text_page(page.text, page.dpi, seed + number)
        if number in fade:
            raw = Image.eval(raw, lambda v: 170 + v * 85 // 255)
        images.append(scanned(raw, page, seed + number))
    return images


def make_tiff(pages: Sequence[Page], out: Path, seed: int = 1) -> Path:
    """Write the scanned ``pages`` as one multi-page TIFF at ``out`` (as some scanners do)."""
    first, *rest = page_images(pages, out.parent, seed)
    first.save(out, save_all=True, append_images=rest, compression="tiff_lzw",
               dpi=(pages[0].dpi, pages[0].dpi))  # fmt: skip
    return out
