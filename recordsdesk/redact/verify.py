"""Checking a redacted PDF by extracting its text, the way a reader would.

:func:`verify` opens the result with pdfium (an independent PDF engine: not
the interpreter that removed the glyphs) and fails when a character's box lies
inside a redaction area, or when any string the caller says was covered can
still be extracted from its page or the document metadata. The areas come
from the record :func:`recordsdesk.redact.redact` keeps in the PDF's
``/PieceInfo``, or from the caller (to check a PDF someone else "redacted").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pikepdf

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.redact.areas import Area, Rect, frame_of, user_rect

PIECE = "/RecordsDesk"
COVERED_SHARE = 0.5  # a character counts as covered when half of its box is in an area


class RedactionLeakError(UserError):
    """Text that should have been removed can still be extracted."""


def recorded_areas(pdf: pikepdf.Pdf) -> dict[int, list[Rect]]:
    """Areas (user space) by 1-based page, as recorded by redact(); empty if none."""
    piece = pdf.Root.get("/PieceInfo", pikepdf.Dictionary()).get(PIECE)
    found: dict[int, list[Rect]] = {}
    if piece is None:
        return found
    for entry in piece.get("/Private", pikepdf.Dictionary()).get("/Redactions", pikepdf.Array()):
        rect = tuple(float(v) for v in entry.Rect)
        found.setdefault(int(entry.Page), []).append(rect)  # type: ignore[arg-type]
    return found


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _covered(box: Rect, rect: Rect) -> bool:
    left, bottom, right, top = box
    cx, cy = (left + right) / 2, (bottom + top) / 2
    if rect[0] <= cx <= rect[2] and rect[1] <= cy <= rect[3]:
        return True
    overlap_w = min(right, rect[2]) - max(left, rect[0])
    overlap_h = min(top, rect[3]) - max(bottom, rect[1])
    size = (right - left) * (top - bottom)
    return overlap_w > 0 and overlap_h > 0 and overlap_w * overlap_h >= COVERED_SHARE * size


def _metadata_text(pdf: pikepdf.Pdf) -> str:
    parts = [str(v) for v in pdf.trailer.get("/Info", {}).values()]
    xmp = pdf.Root.get("/Metadata")
    if isinstance(xmp, pikepdf.Stream):
        parts.append(xmp.read_bytes().decode("utf-8", errors="replace"))
    return _normal(" ".join(parts))


def verify(
    out: Path,
    covered_text: Mapping[int, Sequence[str]] | None = None,
    areas: Sequence[Area] | None = None,
) -> None:
    """Raise :class:`RedactionLeakError` if covered text can still be extracted from ``out``.

    ``covered_text`` maps 1-based pages to strings that must no longer be found
    there (compared case-insensitively, whitespace collapsed); ``areas`` defaults
    to the areas recorded in the PDF by redact().
    """
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    covered_text = covered_text or {}
    try:
        pdf = pikepdf.open(out)
    except (pikepdf.PdfError, OSError) as error:
        raise UserError(
            N_("The redacted PDF cannot be read: {path}"), {"path": str(out)}
        ) from error
    with pdf:
        if areas is None:
            rects = recorded_areas(pdf)
            if not rects and not covered_text:
                raise UserError(
                    N_("The PDF carries no record of redaction areas: {path}"), {"path": str(out)}
                )
        else:
            rects = {}
            for area in areas:
                frame = frame_of(pdf.pages[area.page - 1])
                rects.setdefault(area.page, []).append(user_rect(frame, area))
        metadata = _metadata_text(pdf)
        for strings in covered_text.values():
            if any(_normal(s) and _normal(s) in metadata for s in strings):
                raise RedactionLeakError(
                    N_("Redaction check failed: covered text remains in the document metadata.")
                )
    doc = pdfium.PdfDocument(str(out))
    try:
        for number in sorted(set(rects) | set(covered_text)):
            textpage = doc[number - 1].get_textpage()
            leaks = 0
            for index in range(textpage.count_chars()):
                box = textpage.get_charbox(index)
                if box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
                    continue  # generated spaces and line breaks have no box
                if any(_covered(box, rect) for rect in rects.get(number, [])):
                    leaks += 1
            if leaks:
                raise RedactionLeakError(
                    N_(
                        "Redaction check failed on page {page}: {count} "
                        "characters remain under a redaction area."
                    ),
                    {"page": number, "count": leaks},
                )
            text = _normal(textpage.get_text_range())
            found = [s for s in covered_text.get(number, []) if _normal(s) and _normal(s) in text]
            if found:
                raise RedactionLeakError(
                    N_(
                        "Redaction check failed on page {page}: covered text "
                        "can still be extracted: {text}"
                    ),
                    {"page": number, "text": ", ".join(found)},
                )
    finally:
        doc.close()
