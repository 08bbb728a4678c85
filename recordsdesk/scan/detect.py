"""Find the separator sheets among a scanned batch's pages.

Each page is rendered in grey at ``DETECT_DPI`` (pdfium) and searched for QR
codes (zxing-cpp, which finds them at any rotation, so a sheet scanned upside
down or skewed still counts). Rendering at a fixed resolution rather than the
scan's own keeps the cost per page the same for a 150 dpi and a 600 dpi scan;
the sheet's code has modules of about 1.5 mm, seven pixels at 120 dpi.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]
import zxingcpp
from PIL import Image

from recordsdesk.scan.sheet import Sheet, parse

DETECT_DPI = 120
Progress = Callable[[int, int], None]
QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def sheet_on(image: Image.Image) -> Sheet | None:
    """The separator sheet shown in ``image``, or ``None`` if it shows none."""
    for code in zxingcpp.read_barcodes(image, formats=QR_ONLY):
        sheet = parse(code.text)
        if sheet is not None:
            return sheet
    return None


def page_images(path: Path, dpi: int = DETECT_DPI) -> Iterator[Image.Image]:
    """Each page of the PDF at ``path`` in grey at ``dpi``, one at a time.

    Raises ``pypdfium2.PdfiumError`` for a file pdfium cannot open.
    """
    document = pypdfium2.PdfDocument(str(path))
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                bitmap = page.render(scale=dpi / 72, grayscale=True)
                # white under transparent areas, as the scanner would have seen them
                yield bitmap.to_pil().convert("L")
            finally:
                page.close()
    finally:
        document.close()


def find_sheets(path: Path, progress: Progress | None = None) -> list[Sheet | None]:
    """Per page of the PDF at ``path``: the separator sheet on it, or ``None``.

    ``progress(done, total)`` is called after each page.
    """
    document = pypdfium2.PdfDocument(str(path))
    total = len(document)
    document.close()
    found: list[Sheet | None] = []
    for image in page_images(path):
        found.append(sheet_on(image))
        if progress is not None:
            progress(len(found), total)
    return found
