"""What a PDF is, without trusting it: pages, encryption, PDF/A claim, risks.

:func:`inspect_pdf` only reads the document's structure (catalogue, name
trees, page annotations); it never decompresses content streams, so a PDF
built to explode when decompressed costs no more than any other. The PDF/A
result is the *claim* in the XMP metadata, not a validation.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
MAX_PAGES_FOR_ANNOTATIONS = 2000  # risk scan of annotations stops here (bounded work)


@dataclass(frozen=True)
class PdfFacts:
    pages: int | None
    encrypted: bool
    needs_password: bool
    pdfa_claim: str | None  # e.g. "2B"; None when the XMP claims nothing
    javascript: bool
    launch_action: bool
    embedded_files: int
    damaged: bool
    # qpdf could read it only by reconstructing it (a truncated or broken file):
    # readable, but a repaired copy is kept beside the untouched original
    repaired: bool = False

    @property
    def risks(self) -> list[str]:
        """Short English keys of what deserves a warning (JavaScript, launch, attachments)."""
        found = []
        if self.javascript:
            found.append("javascript")
        if self.launch_action:
            found.append("launch-action")
        if self.embedded_files:
            found.append("embedded-files")
        if self.repaired:
            found.append("damaged-repaired")
        return found

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "risks": self.risks}


def inspect_pdf(path: Path) -> PdfFacts:
    import pikepdf

    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        return PdfFacts(None, True, True, None, False, False, 0, False)
    except (pikepdf.PdfError, OSError, ValueError):
        log.info("PDF cannot be opened: %s", path, exc_info=True)
        return PdfFacts(None, False, False, None, False, False, 0, True)
    with pdf:
        root = pdf.Root
        names = root.get("/Names")
        javascript = _has_javascript_names(names) or _is_action(
            root.get("/OpenAction"), "/JavaScript"
        )
        launch = _is_action(root.get("/OpenAction"), "/Launch")
        if "/AA" in root:
            javascript = True
        for index, page in enumerate(pdf.pages):
            if index >= MAX_PAGES_FOR_ANNOTATIONS:
                break
            page_js, page_launch = _page_actions(page.obj)
            javascript = javascript or page_js
            launch = launch or page_launch
        return PdfFacts(
            pages=len(pdf.pages),
            encrypted=pdf.is_encrypted,
            needs_password=False,
            pdfa_claim=_pdfa_claim(pdf),
            javascript=javascript,
            launch_action=launch,
            embedded_files=len(pdf.attachments),
            damaged=False,
            repaired=_was_reconstructed(pdf),
        )


def _was_reconstructed(pdf: Any) -> bool:
    """qpdf said the file is damaged and rebuilt it (its own words, in its warnings)."""
    return any("file is damaged" in str(warning) for warning in pdf.get_warnings())


def save_repaired(source: Path, target: Path) -> bool:
    """Write qpdf's reconstruction of ``source`` to ``target``; False when it cannot.

    Streams are copied as they are (no decompression), so the work stays
    bounded by the file's size.
    """
    import pikepdf

    try:
        with pikepdf.open(source) as pdf:
            pdf.save(target, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    except (pikepdf.PdfError, OSError, ValueError, RecursionError):
        log.info("no repaired copy of %s", source, exc_info=True)
        return False
    return True


def _has_javascript_names(names: Any) -> bool:
    return names is not None and "/JavaScript" in names


def _is_action(action: Any, kind: str) -> bool:
    try:
        return action is not None and hasattr(action, "get") and action.get("/S") == kind
    except Exception:  # a malformed action object is not a reason to fail inspection
        return False


def _page_actions(page: Any) -> tuple[bool, bool]:
    javascript = "/AA" in page
    launch = False
    for annotation in page.get("/Annots", []) or []:
        try:
            action = annotation.get("/A")
            javascript = javascript or _is_action(action, "/JavaScript") or "/AA" in annotation
            launch = launch or _is_action(action, "/Launch")
        except Exception:  # a broken annotation: note it, keep inspecting the rest
            log.debug("unreadable annotation skipped", exc_info=True)
    return javascript, launch


def _pdfa_claim(pdf: Any) -> str | None:
    try:
        if "/Metadata" not in pdf.Root:
            # no XMP, so no claim: pikepdf would parse an empty template for nothing
            return None
        status = pdf.open_metadata().pdfa_status
    except Exception:  # unreadable XMP: no claim we can rely on
        return None
    return str(status) or None
