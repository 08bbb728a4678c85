"""Work on one scanned batch's file, without the database: the batch taken apart.

``take_apart`` turns the scanner's file into records: images become one PDF
(img2pdf, lossless), a simplex feeder's two passes are put in order, every page
is checked against the profile, the batch is split at its separator sheets and
each record gets its pages as a PDF of their own plus an OCR'd PDF/A-2b (the
OCR's confidence in each page joins that page's checks). All
files are written into ``scratch`` (the caller's temp area); the caller stores
and records them. The scanner's file is only read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import img2pdf  # type: ignore[import-untyped]
import pikepdf
from PIL import Image

from recordsdesk.errors import UserError
from recordsdesk.extract.text import TextResult, extract_text
from recordsdesk.i18n import N_
from recordsdesk.scan.detect import sheet_on
from recordsdesk.scan.ocr_record import OcrMemory, ocr_part
from recordsdesk.scan.profile import ScanProfile, collate_duplex
from recordsdesk.scan.quality import Flag, PageCheck, check_pdf, with_confidence
from recordsdesk.scan.sheet import Sheet
from recordsdesk.scan.split import Part, plan_parts, write_parts
from recordsdesk.tasks import CancelToken, Progress, no_progress

IMAGE_TYPES = frozenset({"image/tiff", "image/jpeg", "image/png"})
Scratch = Callable[[str], Path]  # names a new temp file with the given suffix


@dataclass(frozen=True)
class PartFiles:
    """One record of the batch: its pages as a PDF, their PDF/A and its text."""

    part: Part
    number: int  # 1-based
    original: Path  # the batch's pages, copied losslessly
    pdfa: Path | None  # None when the pages were PDF/A with text already
    text: TextResult
    page_count_flag: dict[str, object] | None  # when the sheet expected another count


@dataclass(frozen=True)
class TakenApart:
    pages: int
    checks: list[PageCheck]
    parts: list[PartFiles]
    #: the batch as a PDF in reading order, when that is not the scanner's file itself
    #: (images wrapped, or two simplex passes collated): what a reviewer is shown
    pages_pdf: Path | None = None


def as_pdf(source: Path, mime: str, scratch: Scratch) -> Path:
    """The batch as a PDF: ``source`` itself, or its images wrapped losslessly."""
    kind = mime.split(";")[0].strip().lower()
    if kind == "application/pdf":
        return source
    if kind not in IMAGE_TYPES:
        raise UserError(
            N_("A scanner folder takes PDF, TIFF, JPEG and PNG files, not {mime}."), {"mime": kind}
        )
    target = scratch(".pdf")
    try:
        target.write_bytes(img2pdf.convert(str(source), rotation=img2pdf.Rotation.ifvalid))
    except (img2pdf.ImageOpenError, img2pdf.AlphaChannelError, ValueError, OSError) as error:
        raise UserError(N_("The scan cannot be read: {reason}"), {"reason": str(error)}) from error
    return target


def collated(batch: Path, scratch: Scratch) -> Path:
    """The batch with its pages in reading order after two simplex passes."""
    with pikepdf.open(batch) as source, pikepdf.new() as out:
        order = collate_duplex(list(range(len(source.pages))))
        out.pages.extend(source.pages[index] for index in order)
        target = scratch(".pdf")
        out.save(target)
    return target


def batch_pdf(source: Path, mime: str, profile: ScanProfile, scratch: Scratch) -> tuple[Path, int]:
    """The scanned file at ``source`` as a PDF of its pages in reading order, and their count.

    Raises ``UserError`` for a file that is not a readable scan or has no pages.
    """
    try:
        batch = as_pdf(source, mime, scratch)
        if profile.duplex_collation:
            batch = collated(batch, scratch)
        with pikepdf.open(batch) as pdf:
            total = len(pdf.pages)
    except pikepdf.PdfError as error:
        raise UserError(N_("The scan cannot be read: {reason}"), {"reason": str(error)}) from error
    if total == 0:
        raise UserError(N_("The scan has no pages."))
    return batch, total


def page_count_flag(part: Part) -> dict[str, object] | None:
    """The page count a record's sheet expected and the one it has, when they differ."""
    expected = part.sheet.fields.pages if part.sheet is not None else None
    if expected is not None and expected != len(part.pages):
        return {"count": len(part.pages), "expected": expected}
    return None


def take_apart(
    source: Path,
    mime: str,
    profile: ScanProfile,
    scratch: Scratch,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    memory: OcrMemory | None = None,
) -> TakenApart:
    """The records in the scanned batch at ``source`` (see the module's description).

    Raises ``UserError`` for a file that is not a readable scan (the batch then
    stays in the inbox with that reason), ``Cancelled`` when ``cancel`` is set.
    """
    batch, total = batch_pdf(source, mime, profile, scratch)
    sheets: list[Sheet | None] = [None] * total

    def look(index: int, clean: Image.Image, _dpi: float) -> None:
        _check(cancel)
        if profile.split_on_sheets:  # on the page the check just read: no second decoding
            sheets[index] = sheet_on(clean)

    checks = check_pdf(
        batch, profile.limits, lambda done, n: progress(done, n, N_("Checking")), look
    )
    _check(cancel)
    blank = {c.index for c in checks if Flag.BLANK in c.flags} if profile.remove_blank else set()
    parts = [_without(part, blank) for part in plan_parts(sheets)]
    if not parts:
        raise UserError(N_("The scan holds separator sheets only, no pages to file."))
    folder = scratch("")
    folder.mkdir()
    written = write_parts(batch, parts, folder)
    files: list[PartFiles] = []
    for number, (part, original) in enumerate(zip(parts, written, strict=True), start=1):
        _check(cancel)
        pdfa, confidence = ocr_part(original, folder, number, profile, progress, cancel, memory)
        for position, index in enumerate(part.pages, start=1):
            if position in confidence:  # a page OCR read (not one with text)
                checks[index] = with_confidence(checks[index], confidence[position], profile.limits)
        text = extract_text(pdfa or original, "application/pdf")
        files.append(PartFiles(part, number, original, pdfa, text, page_count_flag(part)))
    return TakenApart(total, checks, files, batch if batch != source else None)


def _without(part: Part, blank: set[int]) -> Part:
    """``part`` without its blank pages, unless every page of it is blank."""
    kept = tuple(index for index in part.pages if index not in blank)
    return Part(kept or part.pages, part.sheet, part.sheet_page)


def _check(cancel: CancelToken | None) -> None:
    if cancel is not None:
        cancel.raise_if_cancelled()
