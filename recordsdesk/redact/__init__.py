"""Redaction that removes covered content from a PDF, for Woo publication.

:func:`redact` writes a new PDF in which, inside every :class:`Area`:

* glyphs are taken out of the content streams (glyph level: the other glyphs
  of the same string keep their positions through ``TJ`` adjustments), also
  inside Form XObjects, which are copied before they change;
* image pixels are blacked out in a copy of the image (the whole image is
  removed when it cannot be decoded, and the report says so);
* annotations and form fields are removed;
* an opaque black rectangle is drawn with the Woo ground code in white strokes
  (drawn as lines, not text, so the result has no text inside any area).

Document metadata (Info, XMP), page thumbnails and the structure tree (which
may quote covered text in ``/Alt`` or ``/ActualText``) are dropped; marked
content that lost glyphs loses its ``/ActualText``. The file is written fresh
(no incremental-update history: only objects reachable from the new trailer
are written), verified with :func:`verify` and only then renamed into place.

Refused (:class:`~recordsdesk.errors.UserError`): encrypted or damaged PDFs,
unknown pages, areas off the page, content we cannot position (Type3 fonts,
unusual composite fonts, unparseable streams), and any area on a page without
a text layer (a scan without OCR): we would black out pixels but could not
check that no text remains, so we say OCR is needed first. A caller that
accepts a pixels-only redaction passes ``allow_image_only=True``; the report
then carries a warning for every such page.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.i18n import N_
from recordsdesk.redact.areas import (
    IDENTITY,
    Area,
    Matrix,
    PageFrame,
    RedactionReport,
    ReportWarning,
    draw_overlay,
    frame_of,
    multiply,
    overlaps_any,
    transform_rect,
    user_rect,
)
from recordsdesk.redact.content import ContentRewriter, Refusal
from recordsdesk.redact.images import blackout
from recordsdesk.redact.verify import PIECE, verify

__all__ = ["Area", "RedactionReport", "ReportWarning", "redact", "verify"]
MAX_FORM_DEPTH = 12
DROPPED_PAGE_KEYS = ("/Metadata", "/PieceInfo", "/Thumb")
ENCRYPTED = N_("The PDF is encrypted: remove the protection first, then redact: {path}")
DAMAGED = N_("The PDF is damaged and cannot be redacted safely; redact a repaired copy: {path}")
NO_TEXT_LAYER = N_(
    "Page {page} has no text layer (a scan without OCR): run OCR first, so the redaction "
    "can be checked against the text."
)
PIXELS_ONLY = N_(
    "Page {page} has no text layer: only image pixels were blacked out, no text could be checked."
)
UNSAFE_PAGE = N_("Page {page} cannot be redacted safely:")
IMAGE_REMOVED = N_("Image {name} on page {page} could not be decoded and was removed whole.")
INLINE_REMOVED = N_("An inline image on page {page} under a redaction area was removed whole.")


@dataclass
class _Work:
    pdf: pikepdf.Pdf
    page: int
    rects: list[tuple[float, float, float, float]]
    removed: int = 0
    images: int = 0
    warnings: list[ReportWarning] = field(default_factory=list)
    counter: int = 0


def redact(
    source: Path, areas: Sequence[Area], out: Path, *, allow_image_only: bool = False
) -> RedactionReport:
    """Write a redacted, verified copy of ``source`` to ``out``; ``source`` is not modified."""
    areas = tuple(areas)
    if not areas:
        raise UserError(N_("No redaction areas were given."))
    if out.resolve() == source.resolve():
        raise UserError(
            N_("The redacted copy must not overwrite the original: {path}"), {"path": str(source)}
        )
    if not source.is_file():
        raise NotFoundError(N_("File not found: {path}"), {"path": str(source)})
    if not out.parent.is_dir():
        raise UserError(N_("Not a folder: {path}"), {"path": str(out.parent)})
    pdf = _open(source)
    with pdf:
        by_page: dict[int, list[Area]] = {}
        for area in areas:
            if not 1 <= area.page <= len(pdf.pages):
                raise UserError(
                    N_("Page {page} does not exist; the PDF has {count} pages."),
                    {"page": area.page, "count": len(pdf.pages)},
                )
            by_page.setdefault(area.page, []).append(area)
        frames = {n: frame_of(pdf.pages[n - 1]) for n in by_page}
        rects = {
            n: [user_rect(frames[n], a) for a in page_areas] for n, page_areas in by_page.items()
        }
        with_text = _pages_with_text(source, sorted(by_page))
        warnings: list[ReportWarning] = []
        removed = images = annotations = 0
        for number in sorted(by_page):
            if not with_text[number]:
                if not allow_image_only:
                    raise UserError(NO_TEXT_LAYER, {"page": number})
                warnings.append(_warn(PIXELS_ONLY, page=number))
            work = _Work(pdf, number, rects[number])
            _redact_page(work, pdf.pages[number - 1], frames[number], by_page[number])
            annotations += _remove_annotations(pdf, pdf.pages[number - 1], rects[number], warnings)
            removed, images = removed + work.removed, images + work.images
            warnings.extend(work.warnings)
        _drop_metadata(pdf, warnings)
        _record(pdf, by_page, rects)
        pdf.remove_unreferenced_resources()
        _save_verified(pdf, out)
    return RedactionReport(areas, removed, images, annotations, tuple(warnings))


def _warn(msgid: str, **params: Any) -> ReportWarning:
    return ReportWarning(msgid, tuple(sorted(params.items())))


def _open(source: Path) -> pikepdf.Pdf:
    try:
        pdf = pikepdf.open(source, attempt_recovery=False)
    except pikepdf.PasswordError as error:
        raise UserError(ENCRYPTED, {"path": str(source)}) from error
    except (pikepdf.PdfError, OSError, ValueError) as error:
        raise UserError(DAMAGED, {"path": str(source)}) from error
    if pdf.is_encrypted:
        pdf.close()
        raise UserError(ENCRYPTED, {"path": str(source)})
    return pdf


def _pages_with_text(source: Path, numbers: list[int]) -> dict[int, bool]:
    """Whether pdfium finds any character on each page (the text-layer rule)."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    try:
        doc = pdfium.PdfDocument(str(source))
    except pdfium.PdfiumError as error:
        raise UserError(DAMAGED, {"path": str(source)}) from error
    try:
        return {n: doc[n - 1].get_textpage().count_chars() > 0 for n in numbers}
    finally:
        doc.close()


def _own_resources(resources: Any) -> pikepdf.Dictionary:
    """A shallow copy (with its own /XObject dictionary) we may add names to."""
    copy = (
        pikepdf.Dictionary(dict(resources.items()))
        if resources is not None
        else pikepdf.Dictionary()
    )
    copy.XObject = pikepdf.Dictionary(dict(copy.get("/XObject", pikepdf.Dictionary()).items()))
    return copy


def _inherited(page: pikepdf.Page, key: str) -> Any:
    node: Any = page.obj
    while node is not None:
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _redact_page(work: _Work, page: pikepdf.Page, frame: PageFrame, areas: list[Area]) -> None:
    resources = _own_resources(_inherited(page, "/Resources"))
    page.obj.Resources = resources
    outcome = _rewrite(work, page.obj, resources, IDENTITY, 0)
    body = pikepdf.unparse_content_stream(outcome.instructions)
    closing = (b"\nET" if outcome.open_text else b"") + b"\nQ" * (outcome.unclosed_saves + 1)
    overlay = draw_overlay(frame, areas, work.warnings)
    page.obj.Contents = work.pdf.make_stream(b"q\n" + body + closing + b"\n" + overlay)
    for key in DROPPED_PAGE_KEYS:
        if key in page.obj:
            del page.obj[key]


def _rewrite(
    work: _Work, stream: Any, resources: pikepdf.Dictionary, ctm: Matrix, depth: int
) -> Any:
    def on_xobject(name: str, xobject: pikepdf.Object, placement: Matrix) -> list[Any] | None:
        return _xobject(work, resources, name, xobject, placement, depth)

    try:
        outcome = ContentRewriter(work.pdf, work.rects, on_xobject).rewrite(stream, resources, ctm)
    except Refusal as refusal:
        raise UserError(
            UNSAFE_PAGE, {"page": work.page}, [UserError(refusal.msgid, refusal.params)]
        ) from refusal
    work.removed += outcome.removed_glyphs
    return outcome


def _register(work: _Work, resources: pikepdf.Dictionary, xobject: pikepdf.Object) -> list[Any]:
    while True:
        work.counter += 1
        name = f"/RdX{work.counter}"
        if name not in resources.XObject:
            break
    resources.XObject[name] = work.pdf.make_indirect(xobject)
    return [([pikepdf.Name(name)], pikepdf.Operator("Do"))]


def _xobject(
    work: _Work,
    resources: pikepdf.Dictionary,
    name: str,
    xobject: pikepdf.Object,
    placement: Matrix,
    depth: int,
) -> list[Any] | None:
    """Replacement instructions for a ``Do`` (or inline image) under an area, else None."""
    if not name:  # an inline image under an area: small, rare, removed whole
        work.images += 1
        work.warnings.append(_warn(INLINE_REMOVED, page=work.page))
        return []
    subtype = str(xobject.get("/Subtype", ""))
    if subtype == "/Image":
        if not overlaps_any(transform_rect(placement, (0.0, 0.0, 1.0, 1.0)), work.rects):
            return None
        work.images += 1
        new = blackout(work.pdf, xobject, placement, work.rects)
        if new is None:
            work.warnings.append(_warn(IMAGE_REMOVED, name=name[1:], page=work.page))
            return []
        return _register(work, resources, new)
    if subtype != "/Form":
        return None
    matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
    form_ctm = multiply(matrix, placement)  # type: ignore[arg-type]
    bbox = tuple(float(v) for v in xobject.BBox)
    if not overlaps_any(transform_rect(form_ctm, bbox), work.rects):  # type: ignore[arg-type]
        return None
    if depth >= MAX_FORM_DEPTH:
        raise UserError(
            UNSAFE_PAGE, {"page": work.page}, [UserError(N_("Form XObjects are nested too deeply"))]
        )
    inner = _own_resources(xobject.get("/Resources") or resources)
    outcome = _rewrite(work, xobject, inner, form_ctm, depth + 1)
    if not outcome.changed:
        return None
    copy = pikepdf.Stream(work.pdf, pikepdf.unparse_content_stream(outcome.instructions))
    for key, value in xobject.items():
        if key not in ("/Length", "/Filter", "/DecodeParms", "/Metadata", "/PieceInfo"):
            copy[key] = value
    copy.Resources = inner
    return _register(work, resources, copy)


def _remove_annotations(
    pdf: pikepdf.Pdf, page: pikepdf.Page, rects: Any, warnings: list[Any]
) -> int:
    """Remove annotations (and the form fields of widgets) that overlap an area."""
    if "/Annots" not in page.obj:
        return 0
    annots = list(page.obj.Annots)
    doomed = {index for index, annot in enumerate(annots) if overlaps_any(_rect(annot), rects)}
    gone = {annots[i].objgen for i in doomed if annots[i].is_indirect}
    for index, annot in enumerate(annots):  # a popup goes with the annotation it belongs to
        parent: Any = annot.get("/Parent")
        popup = str(annot.get("/Subtype")) == "/Popup" and parent is not None
        if popup and parent.is_indirect and parent.objgen in gone:
            doomed.add(index)
    kept = [annot for index, annot in enumerate(annots) if index not in doomed]
    page.obj.Annots = pikepdf.Array(kept)
    form = pdf.Root.get("/AcroForm")
    widgets = {
        annots[i].objgen
        for i in doomed
        if annots[i].is_indirect and str(annots[i].get("/Subtype")) == "/Widget"
    }
    if form is not None and widgets:
        form.Fields = pikepdf.Array(_prune_fields(list(form.get("/Fields", [])), widgets))
        if "/XFA" in form:
            del form["/XFA"]
            warnings.append(
                _warn(N_("The XFA form data was removed: it may hold covered field values."))
            )
    return len(annots) - len(kept)


def _rect(annot: Any) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in annot.get("/Rect", [0, 0, 0, 0]))
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _prune_fields(fields: list[Any], widgets: set[tuple[int, int]]) -> list[Any]:
    kept = []
    for item in fields:
        if item.is_indirect and item.objgen in widgets:
            continue
        if "/Kids" in item:
            kids = _prune_fields(list(item.Kids), widgets)
            if not kids:
                continue
            item.Kids = pikepdf.Array(kids)
        kept.append(item)
    return kept


def _drop_metadata(pdf: pikepdf.Pdf, warnings: list[ReportWarning]) -> None:
    """Drop what may quote covered text outside the content: Info, XMP, structure tree."""
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]
    for key in ("/Metadata", "/PieceInfo"):
        if key in pdf.Root:
            del pdf.Root[key]
    if "/StructTreeRoot" in pdf.Root:
        del pdf.Root["/StructTreeRoot"]
        if "/MarkInfo" in pdf.Root:
            del pdf.Root["/MarkInfo"]
        for page in pdf.pages:
            if "/StructParents" in page.obj:
                del page.obj["/StructParents"]
        warnings.append(
            _warn(
                N_(
                    "The structure tree (tags, alternative texts) was removed: it may "
                    "quote covered text."
                )
            )
        )
    if "/Outlines" in pdf.Root:
        warnings.append(
            _warn(N_("Bookmarks were kept: check that they do not quote covered text."))
        )


def _record(pdf: pikepdf.Pdf, by_page: dict[int, list[Area]], rects: dict[int, Any]) -> None:
    """Keep the areas and their grounds in the PDF itself (/PieceInfo), for verify()."""
    entries = []
    for number, page_areas in sorted(by_page.items()):
        for area, rect in zip(page_areas, rects[number], strict=True):
            entries.append(
                pikepdf.Dictionary(
                    Page=number,
                    Rect=pikepdf.Array(rect),
                    Grond=pikepdf.String(area.grond),
                    Shown=pikepdf.Array([area.x0, area.y0, area.x1, area.y1]),
                )
            )
    stamp = dt.datetime.now(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")
    pdf.Root.PieceInfo = pikepdf.Dictionary(
        {
            PIECE: pikepdf.Dictionary(
                LastModified=pikepdf.String(stamp),
                Private=pikepdf.Dictionary(Redactions=pikepdf.Array(entries)),
            )
        }
    )


def _save_verified(pdf: pikepdf.Pdf, out: Path) -> None:
    """Save fresh to a temporary file beside ``out``, verify it, fsync, rename."""
    temp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        pdf.save(temp, linearize=False, compress_streams=True, fix_metadata_version=False)
        verify(temp)
        with temp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    directory = os.open(out.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
