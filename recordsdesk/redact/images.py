"""Blacking out the covered pixels of an image XObject.

An image is drawn into the unit square of the current transformation matrix
(its *placement*); mapping a redaction rectangle back through the inverse of
that matrix gives the covered part of the unit square, hence the covered
pixels (row 0 is the top of the image, at unit-square y = 1). Rotated or
skewed placements black out the bounding box of the covered part: more than
strictly needed, never less.

The result is a *new* image stream (the original may be drawn elsewhere,
uncovered) holding the decoded pixels losslessly (Flate), with its soft mask
blacked out the same way (a mask alone can show a signature's shape). What
cannot be decoded, or carries a ``/Decode`` array, a stencil or explicit mask
we would have to reinterpret, is reported as not decodable: the caller then
removes the whole image rather than guess.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from typing import Any

import pikepdf

from recordsdesk.redact.areas import Matrix, Rect, invert, overlaps, transform_rect

BLACK: dict[str, Any] = {"L": 0, "RGB": (0, 0, 0), "CMYK": (0, 0, 0, 255)}
CHANNELS = {"L": 1, "RGB": 3, "CMYK": 4}
DEVICE = {"L": "/DeviceGray", "RGB": "/DeviceRGB", "CMYK": "/DeviceCMYK"}
KEPT_KEYS = ("/Interpolate", "/Intent")


def covered_pixels(
    placement: Matrix, size: tuple[int, int], rects: Sequence[Rect]
) -> list[tuple[int, int, int, int]]:
    """Pixel boxes (left, top, right, bottom; exclusive) that ``rects`` cover."""
    inverse = invert(placement)
    if inverse is None:
        return []  # a degenerate placement draws nothing
    width, height = size
    boxes = []
    for rect in rects:
        u0, v0, u1, v1 = transform_rect(inverse, rect)
        if not overlaps((u0, v0, u1, v1), (0.0, 0.0, 1.0, 1.0), epsilon=0.0):
            continue
        u0, v0, u1, v1 = max(u0, 0.0), max(v0, 0.0), min(u1, 1.0), min(v1, 1.0)
        left, right = math.floor(u0 * width), math.ceil(u1 * width)
        top, bottom = math.floor((1 - v1) * height), math.ceil((1 - v0) * height)
        if right > left and bottom > top:
            boxes.append((left, top, right, bottom))
    return boxes


def _decode(image: pikepdf.Object) -> Any:
    """The image as a Pillow image in mode L, RGB or CMYK, or None."""
    from PIL import Image

    if image.get("/ImageMask", False) or "/Decode" in image:
        return None
    if isinstance(image.get("/Mask"), pikepdf.Stream):
        return None
    try:
        pil: Image.Image = pikepdf.PdfImage(image).as_pil_image()  # type: ignore[arg-type]
    except Exception:  # any decoder failure means: we cannot black it out safely
        return None
    if pil.mode in ("RGBA", "LA") and "/SMask" in image:
        pil = pil.convert(pil.mode[:-1])  # pikepdf applied the soft mask: we keep it apart
    if pil.mode == "1":
        pil = pil.convert("L")
    elif pil.mode == "P":
        pil = pil.convert("RGB")
    return pil if pil.mode in BLACK else None


def _color_space(image: pikepdf.Object, mode: str) -> Any:
    """Keep the image's own colour space when the decoded pixels still fit it."""
    space = image.get("/ColorSpace")
    if isinstance(space, pikepdf.Name) and str(space) == DEVICE[mode]:
        return space
    if (
        isinstance(space, pikepdf.Array)
        and len(space) == 2
        and str(space[0]) == "/ICCBased"
        and int(space[1].get("/N", 0)) == CHANNELS[mode]
    ):
        return space
    return pikepdf.Name(DEVICE[mode])


def blackout(
    pdf: pikepdf.Pdf,
    image: pikepdf.Object,
    placement: Matrix,
    rects: Sequence[Rect],
    fill: int | None = None,
) -> pikepdf.Stream | None:
    """A copy of ``image`` with the covered pixels black, or None if it cannot be decoded.

    ``fill`` overrides the colour (a soft mask gets 0: covered pixels transparent
    under the black box, so the mask no longer carries their shape).
    """
    from PIL import ImageDraw

    pil = _decode(image)
    if pil is None:
        return None
    boxes = covered_pixels(placement, pil.size, rects)
    draw = ImageDraw.Draw(pil)
    colour = BLACK[pil.mode] if fill is None else fill
    for left, top, right, bottom in boxes:
        draw.rectangle((left, top, right - 1, bottom - 1), fill=colour)
    new = pikepdf.Stream(pdf, zlib.compress(pil.tobytes()))
    new.Type = pikepdf.Name.XObject
    new.Subtype = pikepdf.Name.Image
    new.Width, new.Height = pil.size
    new.BitsPerComponent = 8
    new.ColorSpace = _color_space(image, pil.mode)
    new.Filter = pikepdf.Name.FlateDecode
    for key in KEPT_KEYS:
        if key in image:
            new[key] = image[key]
    if isinstance(image.get("/Mask"), pikepdf.Array) and new.ColorSpace == image.get("/ColorSpace"):
        new.Mask = image.Mask
    smask = image.get("/SMask")
    if smask is not None:
        masked = blackout(pdf, smask, placement, rects, fill=0)
        if masked is None:
            return None
        new.SMask = masked
    return new
