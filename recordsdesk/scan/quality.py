"""Quality control of scanned pages: what a reviewer must look at before paper goes.

``examine_page`` measures one page image (grey, any resolution) and
``flags_for`` compares the measurements with the scan profile's limits. The
measurements, all with Pillow's C routines on a copy reduced to ``WORK_DPI``:

* **marks**: the share of the page clearly darker than its paper, after a
  median filter at the scan's resolution has taken the scanner's speckle out;
  a page with almost none is blank or nearly blank (an empty reverse side).
* **paper**: the median grey of the page; under the profile's ``dark_below``
  the page was scanned too dark.
* **contrast**: the paper against the darkest quarter of the marks; marks that are
  barely darker than their paper were scanned too light (or are faded).
* **skew**: the angle at which the rows of ink line up best (the variance of
  the row averages peaks when text lines are level), searched in whole degrees
  within ``SKEW_RANGE``, then in quarter degrees around the best; 180° turns
  are not skew (OCR turns those pages).

``image_facts`` reads the resolution and colour mode the scanner wrote from
the PDF's page images, to compare with what the profile expects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

import pikepdf
import pypdfium2  # type: ignore[import-untyped]
from PIL import Image, ImageFilter, ImageStat

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_

CLEAN_DPI = 150  # the speckle is taken out at this resolution (or the scan's, if lower)
WORK_DPI = 100  # the measurements' resolution
SKEW_DPI = 50  # enough to resolve text lines (12-point lines are 12 pixels apart)
MARK_DEPTH = 40  # a pixel this much darker than the paper is a mark
BLANK_SHARE = 0.0005  # marks on less of the page than this: blank (two words are more)
SKEW_RANGE = 6.0  # degrees either way
SKEW_STEPS = (1.0, 0.25)  # coarse, then fine around the coarse best
Progress = Callable[[int, int], None]


class Flag(StrEnum):
    BLANK = "blank"
    DARK = "dark"
    LIGHT = "light"
    SKEWED = "skewed"
    LOW_RESOLUTION = "low_resolution"
    COLOUR_MODE = "colour_mode"
    PAGE_COUNT = "page_count"
    LOW_CONFIDENCE = "low_confidence"
    NO_TEXT = "no_text"


# What each flag means to a reviewer (message ids; translated where shown).
FLAG_TEXT = {
    Flag.BLANK: N_("blank or nearly blank"),
    Flag.DARK: N_("scanned too dark"),
    Flag.LIGHT: N_("scanned too light or faded"),
    Flag.SKEWED: N_("skewed by {angle}°"),
    Flag.LOW_RESOLUTION: N_("{dpi} dpi, less than the {expected} dpi expected"),
    Flag.COLOUR_MODE: N_("scanned in {mode}, not in {expected}"),
    Flag.PAGE_COUNT: N_("{count} pages, {expected} expected"),
    Flag.LOW_CONFIDENCE: N_("OCR confidence {confidence} %, less than the {expected} % expected"),
    Flag.NO_TEXT: N_("OCR recognised no text"),
}
# The colour modes' names in those texts (the flags hold the codes).
COLOUR_MODE_TEXT = {"bw": N_("black and white"), "grey": N_("greyscale"), "colour": N_("colour")}


@dataclass(frozen=True)
class Limits:
    """The limits a page is held to (from the scan profile)."""

    blank_share: float = BLANK_SHARE  # marks on less of the page than this: blank
    dark_below: int = 150  # paper grey (0-255) under which the page is too dark
    light_contrast: int = 100  # paper grey minus its darkest marks; under it too light
    max_skew: float = 1.0  # degrees
    dpi: int = 300  # expected resolution (a page below 95 % of it is flagged)
    colour_mode: str = "grey"  # "bw", "grey" or "colour"
    min_confidence: int = 60  # Tesseract's mean word confidence (0-100); under it flagged


@dataclass(frozen=True)
class PageMeasure:
    marks: float  # share of the page darker than the paper by MARK_DEPTH
    paper: int  # median grey
    darkest: int  # the grey of the darkest quarter of the marks
    skew: float  # degrees, counter-clockwise positive


def _reduced(image: Image.Image, dpi: float, target: int) -> Image.Image:
    grey = image.convert("L")
    scale = target / dpi
    if scale < 1:
        size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
        grey = grey.resize(size, Image.Resampling.BOX)
    return grey


def clean_page(image: Image.Image, dpi: float) -> Image.Image:
    """``image`` in grey at no more than ``CLEAN_DPI``, the scanner's speckle taken out.

    A 3x3 median takes out single pixels and keeps strokes, which are several
    pixels wide at 150 dpi; above that the page is first reduced to 150 dpi (a
    median at 300 dpi costs four times as much and finds the same).
    """
    return _reduced(image, dpi, CLEAN_DPI).filter(ImageFilter.MedianFilter(3))


def examine_page(image: Image.Image, dpi: float) -> PageMeasure:
    """Measure a page ``image`` scanned at ``dpi`` (see the module's description)."""
    return examine_clean(clean_page(image, dpi), min(dpi, CLEAN_DPI))


def examine_clean(clean: Image.Image, dpi: float) -> PageMeasure:
    """Measure a page already made by ``clean_page`` (at ``dpi``)."""
    small = _reduced(clean, dpi, WORK_DPI)
    histogram = small.histogram()
    pixels = small.width * small.height
    paper = _percentile(histogram, pixels, 0.5)
    marks = sum(histogram[: max(0, paper - MARK_DEPTH)]) / pixels
    # the darkest quarter of the marks: their ink, however few there are
    darkest = _percentile(histogram, pixels, max(marks / 4, 1 / pixels))
    skew = 0.0
    if marks >= BLANK_SHARE:
        level = (paper + darkest) // 2
        skew = _skew(_reduced(small, WORK_DPI, SKEW_DPI).point(lambda v: 255 if v < level else 0))
    return PageMeasure(marks=marks, paper=paper, darkest=darkest, skew=skew)


def _percentile(histogram: list[int], pixels: int, share: float) -> int:
    wanted, seen = share * pixels, 0
    for level, count in enumerate(histogram):
        seen += count
        if seen >= wanted:
            return level
    return 255


def _level_score(ink: Image.Image, angle: float) -> float:
    turned = ink.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=0)
    rows = turned.resize((1, turned.height), Image.Resampling.BOX)
    return float(ImageStat.Stat(rows).var[0])


def _skew(ink: Image.Image) -> float:
    """The page's skew: the opposite of the turn that makes its rows of ink level."""
    best = 0.0
    span = SKEW_RANGE
    for step in SKEW_STEPS:
        count = round(span / step)
        candidates = [best + n * step for n in range(-count, count + 1)]
        best = max(candidates, key=lambda angle: _level_score(ink, angle))
        span = step
    return -best


def flags_for(measure: PageMeasure, limits: Limits) -> dict[Flag, dict[str, object]]:
    """The flags ``measure`` raises under ``limits``, each with its message's values."""
    flags: dict[Flag, dict[str, object]] = {}
    if measure.marks < limits.blank_share:
        flags[Flag.BLANK] = {}
    if measure.paper < limits.dark_below:
        flags[Flag.DARK] = {}
    elif Flag.BLANK not in flags and measure.paper - measure.darkest < limits.light_contrast:
        flags[Flag.LIGHT] = {}
    if abs(measure.skew) > limits.max_skew:
        flags[Flag.SKEWED] = {"angle": f"{measure.skew:.1f}"}
    return flags


@dataclass(frozen=True)
class ImageFacts:
    """What the scanner wrote for one page: its resolution and colour mode."""

    dpi: int | None  # the lower of the two axes; None for a page without an image
    colour_mode: str | None  # "bw", "grey", "colour"


def image_facts(page: pikepdf.Page) -> ImageFacts:
    """The resolution and colour mode of the largest image on a PDF ``page``.

    The resolution is ``None`` for a page whose box has no size (a damaged file);
    the colour mode comes from the image itself, so a grey image with an ICC
    profile is grey.
    """
    images = list(page.get_images().values())
    if not images:
        return ImageFacts(None, None)
    image = max(images, key=lambda i: int(i.Width) * int(i.Height))
    box = page.mediabox
    width_in = abs(float(box[2] - box[0])) / 72
    height_in = abs(float(box[3] - box[1])) / 72
    dpi = None
    if width_in > 0 and height_in > 0:
        dpi = round(min(int(image.Width) / width_in, int(image.Height) / height_in))
    return ImageFacts(dpi, _colour_mode(image))


def _colour_mode(image: pikepdf.Object) -> str:
    if int(image.get("/BitsPerComponent", 8)) == 1 or bool(image.get("/ImageMask", False)):
        return "bw"
    try:
        assert isinstance(image, pikepdf.Stream)
        mode = pikepdf.PdfImage(image).mode  # "1", "L", "RGB", "CMYK" …, ICC profiles read
    except (pikepdf.PdfError, NotImplementedError, ValueError, AssertionError):
        mode = "L" if "Gray" in str(image.get("/ColorSpace", "/DeviceGray")) else "RGB"
    return {"1": "bw", "L": "grey", "LA": "grey"}.get(mode, "colour")


def facts_flags(facts: ImageFacts, limits: Limits) -> dict[Flag, dict[str, object]]:
    """The flags a page's resolution and colour mode raise under ``limits``."""
    flags: dict[Flag, dict[str, object]] = {}
    if facts.dpi is not None and facts.dpi < limits.dpi * 0.95:
        flags[Flag.LOW_RESOLUTION] = {"dpi": facts.dpi, "expected": limits.dpi}
    if facts.colour_mode is not None and facts.colour_mode != limits.colour_mode:
        flags[Flag.COLOUR_MODE] = {"mode": facts.colour_mode, "expected": limits.colour_mode}
    return flags


@dataclass(frozen=True)
class PageCheck:
    """One page's quality check: what was measured and the flags it raised."""

    index: int  # 0-based, in the batch
    facts: ImageFacts
    measure: PageMeasure
    flags: dict[Flag, dict[str, object]]
    read_by_ocr: bool = False  # OCR read the page (not one that had text already)
    confidence: float | None = None  # then its mean word confidence; None: no words found


def with_confidence(check: PageCheck, confidence: float | None, limits: Limits) -> PageCheck:
    """``check`` with the OCR's reading of the page: its confidence and what that flags.

    ``confidence`` is the mean of Tesseract's word confidences, ``None`` when it
    recognised no words. A blank page is not flagged again for having no text.
    """
    flags = dict(check.flags)
    if confidence is None:
        if Flag.BLANK not in flags:
            flags[Flag.NO_TEXT] = {}
    elif confidence < limits.min_confidence:
        flags[Flag.LOW_CONFIDENCE] = {
            "confidence": round(confidence),
            "expected": limits.min_confidence,
        }
    return replace(check, flags=flags, read_by_ocr=True, confidence=confidence)


def check_json(check: PageCheck) -> dict[str, object]:
    """A page's check as the batch stores it (``scan_batch.checks``)."""
    return {
        "page": check.index, "flags": {str(f): v for f, v in check.flags.items()},
        "dpi": check.facts.dpi, "colour_mode": check.facts.colour_mode,
        "skew": check.measure.skew,
    } | ({"confidence": check.confidence} if check.read_by_ocr else {})  # fmt: skip


def page_image(page: pikepdf.Page, facts: ImageFacts) -> tuple[Image.Image, float] | None:
    """The scanner's own image of ``page`` and its dpi (``None``: not a one-image page).

    Raises ``DamagedImage`` when the image's data is cut short or corrupt (a JPEG
    the scanner did not finish writing): its page cannot be checked, or kept.
    """
    images = list(page.get_images().values())
    if len(images) != 1 or facts.dpi is None:
        return None
    try:
        image = images[0]
        assert isinstance(image, pikepdf.Stream)
        pil = pikepdf.PdfImage(image).as_pil_image()
    except (pikepdf.PdfError, NotImplementedError, ValueError, OSError):
        return None  # an encoding Pillow cannot read: the caller renders the page
    try:
        pil.load()  # Pillow decodes lazily: a damaged image shows here
    except (OSError, ValueError) as error:
        raise DamagedImage(str(error)) from error
    return pil, float(facts.dpi)


class DamagedImage(Exception):
    """A page's image data is cut short or corrupt."""


def check_pdf(
    path: Path,
    limits: Limits,
    progress: Progress | None = None,
    look: Callable[[int, Image.Image, float], None] | None = None,
) -> list[PageCheck]:
    """Check every page of the scanned PDF at ``path`` against ``limits``.

    The scanner's own image is measured where a page is one image (no
    rendering, no loss); other pages are rendered by pdfium at ``limits.dpi``.
    ``progress(done, total)`` follows the pages; ``look(index, image, dpi)``
    gets each page as ``clean_page`` made it, so another reader of the pages
    (separator sheets) needs no decoding of its own. Raises
    ``pikepdf.PdfError`` for a file that cannot be read, and ``UserError`` ("The
    scan cannot be read") for a page whose image is damaged.
    """
    checks: list[PageCheck] = []
    with pikepdf.open(path) as pdf:
        rendered: pypdfium2.PdfDocument | None = None
        try:
            for index, page in enumerate(pdf.pages):
                facts = image_facts(page)
                try:
                    found = page_image(page, facts)
                except DamagedImage as error:
                    raise UserError(
                        N_("The scan cannot be read: page {page} is damaged ({reason})."),
                        {"page": index + 1, "reason": str(error)},
                    ) from error
                if found is None:
                    rendered = rendered or pypdfium2.PdfDocument(str(path))
                    bitmap = rendered[index].render(scale=limits.dpi / 72, grayscale=True)
                    found = (bitmap.to_pil(), float(limits.dpi))
                image, dpi = found
                clean = clean_page(image, dpi)
                del image, found  # one page's full image at a time
                measure = examine_clean(clean, min(dpi, CLEAN_DPI))
                if look is not None:
                    look(index, clean, min(dpi, CLEAN_DPI))
                flags = flags_for(measure, limits) | facts_flags(facts, limits)
                checks.append(PageCheck(index, facts, measure, flags))
                if progress is not None:
                    progress(len(checks), len(pdf.pages))
        finally:
            if rendered is not None:
                rendered.close()
    return checks
