"""OCR of one record's pages, a chunk at a time, remembering each chunk as it is made.

``ocr_part`` turns a record's pages into their PDF/A-2b with a text layer. A
long record (a 500-page batch without separator sheets is one record) is OCR'd
in chunks of ``OCR_CHUNK`` pages: each chunk's PDF/A is handed to the caller's
``OcrMemory`` as soon as it is made, so a cancel or a crash loses at most the
chunk in progress, and taking the batch apart again recalls the chunks done.
The chunks' PDF/As are then joined into the record's one PDF/A (their pages
copied as they are, the first chunk's PDF/A identification and output intent
kept). Progress counts the record's pages throughout.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Protocol

import pikepdf

from recordsdesk.i18n import N_
from recordsdesk.scan.ocr import OcrSettings, make_pdfa, needs_ocr
from recordsdesk.scan.profile import ScanProfile
from recordsdesk.scan.split import Part, write_parts
from recordsdesk.store.durability import fsync_path, remove_quietly
from recordsdesk.tasks import CancelToken, Progress

OCR_CHUNK = 50  # pages OCR'd at once: what a cancel or a crash can cost at most
Confidence = dict[int, float | None]


class OcrMemory(Protocol):
    """Where OCR results are kept as they are made, so a batch taken apart again
    (after a cancel or a crash) does not OCR the same pages twice."""

    def recall(self, original: Path, settings: OcrSettings) -> tuple[Path, Confidence] | None:
        """The PDF/A and confidences made of ``original`` with ``settings`` before."""

    def remember(
        self, original: Path, settings: OcrSettings, pdfa: Path, confidence: Confidence
    ) -> None:
        """Keep what OCR just made of ``original`` (durably, before returning)."""


def ocr_part(
    original: Path,
    folder: Path,
    number: int,
    profile: ScanProfile,
    progress: Progress,
    cancel: CancelToken | None,
    memory: OcrMemory | None = None,
) -> tuple[Path | None, Confidence]:
    """The OCR'd PDF/A of a record's pages at ``original`` (None: they are PDF/A with
    text already) and the OCR's confidence per page it read (1-based in the record).

    Files are written in ``folder`` (named after ``number``); ``original`` is only
    read. What ``memory`` recalls is used instead of OCR'ing again; what OCR
    makes it keeps, a chunk at a time.
    """
    if not needs_ocr(original):
        return None, {}
    with pikepdf.open(original) as pdf:
        total = len(pdf.pages)
    chunks = [Part(tuple(range(start, min(start + OCR_CHUNK, total))))
              for start in range(0, total, OCR_CHUNK)]  # fmt: skip
    if len(chunks) == 1:
        sources = [original]
    else:
        pieces = folder / f"chunks-{number:03d}"
        pieces.mkdir(exist_ok=True)
        sources = write_parts(original, chunks, pieces)
    made: list[Path] = []
    confidence: Confidence = {}
    for count, (chunk, source) in enumerate(zip(chunks, sources, strict=True)):
        offset = chunk.pages[0]

        def report(done: int, _pages: int, _label: str, offset: int = offset) -> None:
            progress(offset + done, total, N_("OCR"))

        target = folder / f"pdfa-{number:03d}-{count:03d}.pdf"
        pdfa, read = _ocr_chunk(source, target, len(chunk.pages), profile.ocr, report, cancel,
                                memory)  # fmt: skip
        made.append(pdfa)
        confidence.update({offset + page: value for page, value in read.items()})
    if len(made) == 1:
        return made[0], confidence
    joined = folder / f"pdfa-{number:03d}.pdf"
    join_pdfa(made, joined)
    return joined, confidence


def _ocr_chunk(
    source: Path,
    target: Path,
    pages: int,
    settings: OcrSettings,
    progress: Progress,
    cancel: CancelToken | None,
    memory: OcrMemory | None,
) -> tuple[Path, Confidence]:
    if memory is not None:
        recalled = memory.recall(source, settings)
        if recalled is not None:
            progress(pages, pages, N_("OCR"))
            return recalled
    read = make_pdfa(source, target, settings, progress=progress, cancel=cancel)
    if memory is not None:
        memory.remember(source, settings, target, read.confidence)
    return target, read.confidence


def join_pdfa(parts: list[Path], dest: Path) -> None:
    """Join the PDF/As ``parts`` (in order) into one at ``dest``, written atomically.

    The pages are copied as they are (images, text layer, fonts); the first
    part's catalogue keeps its PDF/A identification (XMP) and output intent.
    """
    temp = dest.parent / f".{dest.name}.{secrets.token_hex(6)}.tmp"
    try:
        with pikepdf.open(parts[0]) as first:
            others = [pikepdf.open(path) for path in parts[1:]]
            try:
                for other in others:
                    first.pages.extend(other.pages)
                with open(temp, "xb") as stream:
                    first.save(stream)
                    stream.flush()
                    os.fsync(stream.fileno())
            finally:
                for other in others:
                    other.close()
        os.replace(temp, dest)
    except BaseException:
        remove_quietly(temp)
        raise
    fsync_path(dest.parent)
