"""Redaction areas, the report, and the geometry shared by the redaction steps.

An :class:`Area` is given the way a user sees the page: in PDF points, with the
origin at the bottom-left corner of the page *as displayed*, i.e. of the
CropBox (the MediaBox when there is none) after the page's ``/Rotate`` has been
applied. A page with ``/Rotate 90`` shown landscape therefore takes landscape
coordinates. :func:`page_frame` turns those into the page's own (unrotated)
user space, in which every other step works: content streams, annotation
rectangles, pdfium's character boxes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _

Matrix = tuple[float, float, float, float, float, float]
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 with x0 <= x1 and y0 <= y1
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
EDGE_TOLERANCE = 0.5  # points an area may stick out of the page (rounding in a UI)


@dataclass(frozen=True)
class Area:
    """A rectangle to black out on ``page`` (1-based), covered by legal ground ``grond``.

    Coordinates are points of the displayed page, origin bottom-left (see the
    module docstring); ``grond`` is the Woo ground, e.g. ``"5.1.2e"``.
    """

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    grond: str


@dataclass(frozen=True)
class ReportWarning:
    """A translatable remark in a report: an English msgid and its parameters."""

    msgid: str
    params: tuple[tuple[str, Any], ...] = ()

    def english(self) -> str:
        return self.msgid.format(**dict(self.params))

    def translated(self) -> str:
        """The remark in the current language (Dutch by default)."""
        return _(self.msgid).format(**dict(self.params))


@dataclass(frozen=True)
class RedactionReport:
    """What :func:`recordsdesk.redact.redact` did.

    ``removed_glyphs`` counts glyphs taken out of content streams (page and Form
    XObjects); ``images_changed`` counts images whose covered pixels were
    blacked out *or* that were removed whole (a warning says which);
    ``warnings`` are translatable (msgid plus parameters).
    """

    areas: tuple[Area, ...]
    removed_glyphs: int
    images_changed: int
    annotations_removed: int
    warnings: tuple[ReportWarning, ...]


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention: ``m × n``)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def invert(m: Matrix) -> Matrix | None:
    """The inverse of ``m``, or None when it is singular (nothing is drawn)."""
    a, b, c, d, e, f = m
    det = a * d - b * c
    if abs(det) < 1e-12:
        return None
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


def transform_rect(m: Matrix, rect: Rect) -> Rect:
    """The axis-aligned bounding box of ``rect`` mapped through ``m``."""
    x0, y0, x1, y1 = rect
    points = [apply(m, x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def overlaps(a: Rect, b: Rect, epsilon: float = 1e-3) -> bool:
    """True when the rectangles share a region wider and higher than ``epsilon``.

    Touching edges do not count: a glyph that ends exactly where an area begins
    is not covered by it.
    """
    return (
        min(a[2], b[2]) - max(a[0], b[0]) > epsilon and min(a[3], b[3]) - max(a[1], b[1]) > epsilon
    )


def overlaps_any(rect: Rect, rects: Iterable[Rect]) -> bool:
    return any(overlaps(rect, other) for other in rects)


@dataclass(frozen=True)
class PageFrame:
    """How the displayed page maps onto the page's user space."""

    box: Rect  # CropBox (or MediaBox) in user space
    rotate: int  # 0, 90, 180 or 270 (clockwise, as /Rotate)
    to_user: Matrix  # displayed coordinates -> user space

    @property
    def displayed_size(self) -> tuple[float, float]:
        width, height = self.box[2] - self.box[0], self.box[3] - self.box[1]
        return (height, width) if self.rotate in (90, 270) else (width, height)


def page_frame(box: Rect, rotate: int) -> PageFrame:
    """The frame of a page with visible ``box`` and ``/Rotate`` value ``rotate``."""
    rotate %= 360
    if rotate not in (0, 90, 180, 270):
        rotate = 0  # /Rotate must be a multiple of 90; viewers ignore anything else
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    # displayed (X, Y) -> unrotated offsets (u, v), then shifted by the box origin
    to_offsets: Matrix = {
        0: (1.0, 0.0, 0.0, 1.0, 0.0, 0.0),
        90: (0.0, 1.0, -1.0, 0.0, w, 0.0),
        180: (-1.0, 0.0, 0.0, -1.0, w, h),
        270: (0.0, -1.0, 1.0, 0.0, 0.0, h),
    }[rotate]
    return PageFrame(box, rotate, multiply(to_offsets, (1.0, 0.0, 0.0, 1.0, x0, y0)))


def user_rect(frame: PageFrame, area: Area) -> Rect:
    """The area in the page's user space; refuses an empty area or one off the page."""
    values = (area.x0, area.y0, area.x1, area.y1)
    if not all(math.isfinite(v) for v in values) or area.x1 <= area.x0 or area.y1 <= area.y0:
        raise UserError(
            N_("Redaction area on page {page} is empty or inverted: {area}."),
            {"page": area.page, "area": _show(values)},
        )
    width, height = frame.displayed_size
    if (
        area.x0 < -EDGE_TOLERANCE
        or area.y0 < -EDGE_TOLERANCE
        or area.x1 > width + EDGE_TOLERANCE
        or area.y1 > height + EDGE_TOLERANCE
    ):
        raise UserError(
            N_("Redaction area {area} lies outside page {page} ({width} x {height} points)."),
            {
                "area": _show(values),
                "page": area.page,
                "width": round(width, 1),
                "height": round(height, 1),
            },
        )
    return transform_rect(frame.to_user, values)


def _show(values: tuple[float, float, float, float]) -> str:
    return "(" + ", ".join(f"{v:g}" for v in values) + ")"


# --- the black boxes -------------------------------------------------------------------------
# The ground code is drawn as strokes (a seven-segment style), not as text: the
# result must have no text at all inside an area, which verify() checks strictly.
SEGMENTS = {  # segment -> line in a cell 0.5 wide and 1 high
    "a": ((0.0, 1.0), (0.5, 1.0)),
    "b": ((0.5, 1.0), (0.5, 0.5)),
    "c": ((0.5, 0.5), (0.5, 0.0)),
    "d": ((0.0, 0.0), (0.5, 0.0)),
    "e": ((0.0, 0.0), (0.0, 0.5)),
    "f": ((0.0, 0.5), (0.0, 1.0)),
    "g": ((0.0, 0.5), (0.5, 0.5)),
}
GLYPHS = {
    "0": "abcdef", "1": "bc", "2": "abged", "3": "abgcd", "4": "fgbc", "5": "afgcd",
    "6": "afgedc", "7": "abc", "8": "abcdefg", "9": "abcdfg", "a": "abcdeg", "b": "fedcg",
    "c": "ged", "d": "bcdeg", "e": "abdefg", "f": "afge", "g": "abcdfg", "h": "fegc", "i": "e",
    "j": "bcd", "k": "fegcb", "l": "fed", "n": "ceg", "o": "cdeg", "p": "abefg", "r": "eg",
    "s": "afgcd", "t": "fged", "u": "cde", "y": "bcdfg", "-": "g", ".": "", " ": "",
}  # fmt: skip
NARROW = {".": (0.35, 0.0), " ": (0.35, 0.0), "1": (0.45, -0.35), "i": (0.45, 0.15)}
NO_ROOM = N_("Ground code {grond} does not fit in the area on page {page} and was not drawn.")
MIN_LABEL_HEIGHT = 3.0  # points: smaller strokes are unreadable


def _label(text: str, box: tuple[float, float, float, float]) -> str | None:
    """Stroke operators writing ``text`` centred in ``box`` (displayed coordinates)."""
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    text = text.lower()
    # advance per character, in units of the character height: dots and spaces are narrow
    advances = [NARROW.get(char, (0.8, 0.0))[0] for char in text]
    size = min(12.0, 0.6 * height, 0.9 * width / max(sum(advances), 1.0))
    if size < MIN_LABEL_HEIGHT:
        return None
    cx = x0 + (width - (sum(advances) - 0.3) * size) / 2
    bottom = y0 + (height - size) / 2
    parts = [f"1 1 1 RG 1 1 1 rg {0.12 * size:.3f} w 1 J 1 j"]
    for char, advance in zip(text, advances, strict=True):
        if char == ".":
            dot = 0.12 * size
            parts.append(f"{cx:.3f} {bottom:.3f} {dot:.3f} {dot:.3f} re f")
        shift = cx + NARROW.get(char, (0.8, 0.0))[1] * size
        for segment in GLYPHS.get(char, "adg"):  # an unknown character: three bars
            (ax, ay), (bx, by) = SEGMENTS[segment]
            parts.append(
                f"{shift + ax * size:.3f} {bottom + ay * size:.3f} m "
                f"{shift + bx * size:.3f} {bottom + by * size:.3f} l S"
            )
        cx += advance * size
    return "\n".join(parts)


def draw_overlay(frame: PageFrame, areas: Sequence[Area], warnings: list[ReportWarning]) -> bytes:
    """Content drawing an opaque black box with its ground code over every area."""
    ops = ["q", " ".join(f"{v:.6f}" for v in frame.to_user) + " cm", "0 0 0 rg 0 0 0 RG"]
    for area in areas:
        w, h = area.x1 - area.x0, area.y1 - area.y0
        ops.append(f"{area.x0:.3f} {area.y0:.3f} {w:.3f} {h:.3f} re f")
    for area in areas:
        label = _label(area.grond, (area.x0, area.y0, area.x1, area.y1))
        if label is None:
            warnings.append(ReportWarning(NO_ROOM, (("grond", area.grond), ("page", area.page))))
        else:
            ops += ["q", label, "Q"]
    ops.append("Q")
    return "\n".join(ops).encode("ascii") + b"\n"


def frame_of(page: Any) -> PageFrame:
    """The frame of a pikepdf page: its CropBox (or MediaBox) and /Rotate."""
    box = page.obj.get("/CropBox") or page.mediabox
    x0, y0, x1, y1 = (float(v) for v in box)
    rotate = int(page.obj.get("/Rotate", 0))
    return page_frame((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), rotate)
