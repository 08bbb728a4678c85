"""Find the separator sheets among a scanned batch's pages.

``sheet_on`` looks for our QR code in one page image (zxing-cpp finds it at any
rotation, so a sheet scanned upside down or skewed still counts). Batches are
read by ``scan.process``, which gives it each page as the quality check has
just decoded and cleaned it, so a page is decoded once; ``find_sheets`` reads a
whole PDF the same way, for callers that only want the sheets.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import zxingcpp
from PIL import Image

from recordsdesk.scan.sheet import Sheet, parse

Progress = Callable[[int, int], None]
QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def sheet_on(image: Image.Image) -> Sheet | None:
    """The separator sheet shown in ``image``, or ``None`` if it shows none."""
    for code in zxingcpp.read_barcodes(image, formats=QR_ONLY):
        sheet = parse(code.text)
        if sheet is not None:
            return sheet
    return None


def find_sheets(path: Path, progress: Progress | None = None) -> list[Sheet | None]:
    """Per page of the PDF at ``path``: the separator sheet on it, or ``None``.

    The pages are read as the batch pipeline reads them (``quality.check_pdf``).
    ``progress(done, total)`` is called after each page; raises
    ``pikepdf.PdfError`` for a file that cannot be read.
    """
    from recordsdesk.scan.quality import Limits, check_pdf

    found: dict[int, Sheet | None] = {}

    def look(index: int, clean: Image.Image, _dpi: float) -> None:
        found[index] = sheet_on(clean)

    check_pdf(path, Limits(), progress, look)
    return [found[index] for index in range(len(found))]
