"""Which device made a scan, as far as its file says (for the Digitalisering event).

Scanners write their make and model into the file: a TIFF's or JPEG's Make and
Model tags, a PDF's Creator or Producer (``Xerox AltaLink C8055``, ``Canon
iR-ADV C5840``...). ``device_of`` reads those, never more than the metadata,
and returns ``None`` when the file names no device (or cannot be read).
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
from PIL import Image, UnidentifiedImageError

MAKE, MODEL = 271, 272  # TIFF/EXIF tags
MAX_LENGTH = 120  # a device's name, not a paragraph


def device_of(path: Path, mime: str) -> str | None:
    """The make and model (or the creating program) the scan at ``path`` names."""
    kind = mime.split(";")[0].strip().lower()
    try:
        if kind == "application/pdf":
            with pikepdf.open(path) as pdf:
                info = pdf.docinfo
                found = [str(info.get(key, "")) for key in ("/Creator", "/Producer")]
                return _clean(next((text for text in found if text.strip()), ""))
        with Image.open(path) as image:
            tags = image.getexif()
            parts = [str(tags.get(MAKE, "")).strip(), str(tags.get(MODEL, "")).strip()]
            make, model = parts
            if make and model.lower().startswith(make.lower()):
                parts = [model]  # "Canon" + "Canon iR-ADV": the model says it all
            return _clean(" ".join(p for p in parts if p))
    except (pikepdf.PdfError, UnidentifiedImageError, OSError, ValueError):
        return None


def _clean(text: str) -> str | None:
    shown = " ".join(text.replace("\x00", " ").split())
    return shown[:MAX_LENGTH] or None
