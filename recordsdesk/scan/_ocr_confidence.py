"""ocrmypdf plugin: report Tesseract's confidence in each page it reads.

Loaded by ``_ocr_worker`` only. It hands ocrmypdf the Tesseract engine it
would use anyway, with one addition: after Tesseract has written a page's hOCR,
the mean of its words' confidences (``x_wconf``, 0-100) is written to stderr
as ``RDCONFIDENCE <page> <mean> <words>`` (page 1-based in the OCR'd file;
``-`` for the mean when Tesseract found no words at all). The parent
(``recordsdesk.scan.ocr``) collects those lines. Pages skipped because they
carry text already are not read, so they report nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ocrmypdf import hookimpl
from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine

from recordsdesk.scan._ocr_lines import emit_line

# Tesseract's own output, one word per span; a regex reads it without an XML parser.
WORD = re.compile(r"class=['\"]ocrx_word['\"][^>]*?x_wconf (\d+)")
PAGE_PREFIX = re.compile(r"^(\d+)_")  # ocrmypdf names a page's files 000001_...


def page_confidence(hocr: str) -> tuple[float, int] | None:
    """The mean word confidence in ``hocr`` and its number of words (None: no words)."""
    scores = [int(score) for score in WORD.findall(hocr)]
    if not scores:
        return None
    return sum(scores) / len(scores), len(scores)


class ConfidenceReportingTesseract(TesseractOcrEngine):
    """Tesseract as ocrmypdf runs it, reporting each page's confidence."""

    @staticmethod
    def generate_hocr(input_file: Path, output_hocr: Path, output_text: Path, options: Any) -> None:
        TesseractOcrEngine.generate_hocr(  # type: ignore[no-untyped-call]
            input_file, output_hocr, output_text, options
        )
        page = PAGE_PREFIX.match(Path(output_hocr).name)
        try:
            found = page_confidence(Path(output_hocr).read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return  # a confidence is information, not a reason to fail the OCR
        if page is not None:
            mean, words = f"{found[0]:.1f}" if found else "-", found[1] if found else 0
            emit_line(f"RDCONFIDENCE {int(page.group(1))} {mean} {words}")


@hookimpl
def get_ocr_engine(options: Any) -> TesseractOcrEngine:
    return ConfidenceReportingTesseract()
