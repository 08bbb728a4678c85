"""Replacing pages of a scanned batch with their re-scan, without the database.

``retake`` puts the re-scanned pages in the place of the pages a reviewer asked
for, losslessly (the page objects are copied, their images untouched), checks
the new pages against the profile and makes the records that hold a replaced
page again: their pages as a PDF and their OCR'd PDF/A. Files are written into
the caller's scratch area; the batch as it was, and the re-scan, are only read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image

from recordsdesk.errors import UserError
from recordsdesk.extract.text import extract_text
from recordsdesk.i18n import N_
from recordsdesk.scan.detect import sheet_on
from recordsdesk.scan.ocr_record import OcrMemory, ocr_part
from recordsdesk.scan.process import PartFiles, Scratch, batch_pdf, page_count_flag
from recordsdesk.scan.profile import ScanProfile
from recordsdesk.scan.quality import PageCheck, check_pdf, with_confidence
from recordsdesk.scan.split import Part, write_parts
from recordsdesk.tasks import CancelToken, Progress, no_progress


@dataclass(frozen=True)
class Retaken:
    """The batch after the replacement: its pages, the new pages' checks (by batch
    index, the OCR's confidence included) and the records made again."""

    batch: Path
    checks: dict[int, PageCheck]
    parts: list[PartFiles]


def replaced_pages(current: Path, rescan: Path, indices: Sequence[int], scratch: Scratch) -> Path:
    """``current`` with its pages at ``indices`` (0-based) replaced, in order, by the
    pages of ``rescan``; written as a new PDF (neither input is changed)."""
    target = scratch(".pdf")
    with pikepdf.open(current) as batch, pikepdf.open(rescan) as new:
        for index, page in zip(indices, new.pages, strict=True):
            batch.pages[index] = page  # pikepdf copies the foreign page, images and all
        batch.save(target)
    return target


def retake(
    current: Path,
    rescan: Path,
    mime: str,
    indices: Sequence[int],
    parts: Sequence[Part],
    profile: ScanProfile,
    scratch: Scratch,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    memory: OcrMemory | None = None,
) -> Retaken:
    """Replace the pages at ``indices`` of the batch PDF ``current`` by the re-scan.

    ``parts`` are the batch's records that hold a replaced page (their page
    indices in the batch); each is made again from the new batch. Raises
    ``UserError`` when the re-scan cannot be read, has another number of pages
    than asked for, or holds a separator sheet; ``Cancelled`` on ``cancel``.
    """
    # the re-scan holds the asked pages in order: no second pass of a simplex feeder
    single = dataclasses.replace(profile, duplex_collation=False)
    pages, count = batch_pdf(rescan, mime, single, scratch)
    if count != len(indices):
        raise UserError(
            N_("The re-scan has {count} pages, but {expected} were asked for (pages {pages})."),
            {"count": count, "expected": len(indices),
             "pages": ", ".join(str(i + 1) for i in indices)},
        )  # fmt: skip
    sheets: list[int] = []

    def look(index: int, clean: Image.Image, _dpi: float) -> None:
        if cancel is not None:
            cancel.raise_if_cancelled()
        if sheet_on(clean) is not None:
            sheets.append(index)

    found = check_pdf(pages, profile.limits, lambda d, n: progress(d, n, N_("Checking")), look)
    if sheets:
        raise UserError(
            N_("The re-scan holds a separator sheet; scan only the pages asked for, in order.")
        )
    checks = {
        batch_index: dataclasses.replace(check, index=batch_index)
        for batch_index, check in zip(indices, found, strict=True)
    }
    batch = replaced_pages(current, pages, indices, scratch)
    folder = scratch("")
    folder.mkdir()
    made: list[PartFiles] = []
    for number, (part, original) in enumerate(
        zip(parts, write_parts(batch, parts, folder), strict=True), start=1
    ):
        if cancel is not None:
            cancel.raise_if_cancelled()
        pdfa, confidence = ocr_part(original, folder, number, profile, progress, cancel, memory)
        for position, index in enumerate(part.pages, start=1):
            if index in checks and position in confidence:
                checks[index] = with_confidence(checks[index], confidence[position], profile.limits)
        text = extract_text(pdfa or original, "application/pdf")
        made.append(PartFiles(part, number, original, pdfa, text, page_count_flag(part)))
    return Retaken(batch, checks, made)
