"""Redaction areas of the documents of a Woo request: what to black out, and why.

Contracts (each change is one transaction with its audit row):

* :func:`add_redaction` records one area of one page. The record must be a
  document (Archiefstuk) in the request's scope and the request open. It may be
  added before the document is assessed (a reviewer marks names while reading)
  or once it is judged ``deels_openbaar``; a document judged openbaar, reeds
  openbaar or niet openbaar withholds nothing or everything, so areas on it are
  refused. When the document is assessed, the area's ground must be one of the
  assessment's weigeringsgronden (the inventory list cites them all); the export
  checks this again, as an assessment may change later.
* ``grond`` is exactly one known weigeringsgrond (:mod:`recordsdesk.archive.woo.gronden`).
* The area lies on a PDF of the record: by default its *publication PDF*
  (:func:`publication_pdf`: a PDF/A derivative, else an OCR or repaired PDF
  copy, else the original when it is a PDF); ``bestand_id`` names another PDF
  bestand of the same record. A record without a PDF, an encrypted or damaged
  PDF, a page that does not exist or an area off the page is refused.
* Coordinates are PDF points of the page *as displayed* (origin bottom left,
  after ``/Rotate``; :class:`recordsdesk.redact.Area`), as a page preview shows it.
* :func:`remove_redaction` deletes one area (request still open);
  :func:`list_redactions` lists them by record kenmerk, bestand, page, and on a
  page top to bottom, left to right.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from sqlalchemy import select
from sqlalchemy.orm import Session

from recordsdesk import audit
from recordsdesk.archive.woo import gronden as grounds
from recordsdesk.archive.woo import scope
from recordsdesk.db.models import (
    Bestand,
    Informatieobject,
    WooAssessment,
    WooRedaction,
    WooRequest,
)
from recordsdesk.errors import NotFoundError, RecordsDeskError, UserError
from recordsdesk.i18n import N_
from recordsdesk.redact import Area
from recordsdesk.redact.areas import frame_of, user_rect
from recordsdesk.services.dossiers import DOSSIER, RECORD, find_by_kenmerk
from recordsdesk.services.workspace import Workspace

PDF_MIME = "application/pdf"
#: which PDF of a record is published (and redacted): the archival copy first
PDF_ROLES = ("pdfa", "ocr", "repaired", "original")
#: judgements under which areas may be recorded (None: not yet assessed)
ALLOWED = (None, "deels_openbaar")
#: record, file, page, then as one reads a page: top to bottom, left to right
_ORDER = (
    Informatieobject.kenmerk,
    WooRedaction.bestand_id,
    WooRedaction.page,
    WooRedaction.y1.desc(),
    WooRedaction.x0,
    WooRedaction.id,
)
ENCRYPTED = N_("The PDF of {kenmerk} is encrypted: remove the protection first, then redact.")
DAMAGED = N_("The PDF of {kenmerk} cannot be read; it cannot be redacted.")
NO_PDF = N_(
    "{kenmerk} has no PDF (neither a PDF/A copy nor a PDF original): convert it to PDF "
    "before marking redactions."
)


@dataclass(frozen=True)
class RedactionInfo:
    """One recorded area (safe to hand to another thread)."""

    id: str
    nummer: str
    kenmerk: str  # the record's
    bestand_id: str
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    grond: str
    created_at: dt.datetime
    created_by: str

    @property
    def record_kenmerk(self) -> str:
        return self.kenmerk

    def area(self) -> Area:
        return Area(self.page, self.x0, self.y0, self.x1, self.y1, self.grond)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "nummer": self.nummer,
            "kenmerk": self.kenmerk,
            "bestand_id": self.bestand_id,
            "page": self.page,
            "area": [self.x0, self.y0, self.x1, self.y1],
            "grond": self.grond,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
        }


def add_redaction(
    ws: Workspace,
    nummer: str,
    record_kenmerk: str,
    page: int,
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    grond: str,
    *,
    bestand_id: str | None = None,
) -> RedactionInfo:
    """Record one area to black out; see the module contract."""
    code = one_grond(grond)
    _fetch_first(ws, nummer, record_kenmerk, bestand_id)
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        request = scope.find_request(session, nummer, lock=True)
        scope.require_open(request)
        record = _document(session, request.id, request.nummer, record_kenmerk)
        judged = session.get(WooAssessment, (request.id, record.id))
        if judged is not None and judged.beoordeling not in ALLOWED:
            raise UserError(
                N_(
                    "{kenmerk} is judged {beoordeling}: only a document judged deels_openbaar "
                    "(or not yet assessed) gets redaction areas."
                ),
                {"kenmerk": record.kenmerk, "beoordeling": judged.beoordeling},
            )
        if judged is not None and code not in grounds.parse_gronden(judged.gronden):
            raise UserError(
                N_(
                    "Ground {grond} is not among the weigeringsgronden of the assessment of "
                    "{kenmerk} ({gronden}): assess it with that ground first."
                ),
                {"grond": code, "kenmerk": record.kenmerk, "gronden": judged.gronden or "-"},
            )
        bestand = _target(session, record, bestand_id)
        area = Area(page, x0, y0, x1, y1, code)
        check_area(ws.objects.readable_path(bestand.sha256, bestand.size), area, record.kenmerk)
        row = WooRedaction(
            id=str(uuid.uuid4()),
            request_id=request.id,
            bestand_id=bestand.id,
            page=page,
            x0=float(x0),
            y0=float(y0),
            x1=float(x1),
            y1=float(y1),
            grond=code,
            created_at=now,
            created_by=ws.actor,
        )
        session.add(row)
        session.flush()
        info = _info(row, request.nummer, record.kenmerk)
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="woo.redaction_added",
            object_type="informatieobject",
            object_id=record.id,
            details=info.to_json(),
        )
        return info


def remove_redaction(ws: Workspace, redaction_id: str) -> RedactionInfo:
    """Delete one area (the request must be open); returns what was removed."""
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        row = _find(session, redaction_id)
        request = scope.find_request(session, _nummer_of(session, row.request_id), lock=True)
        scope.require_open(request)
        bestand = session.get(Bestand, row.bestand_id)
        record = session.get(Informatieobject, bestand.informatieobject_id) if bestand else None
        info = _info(row, request.nummer, record.kenmerk if record is not None else "")
        session.delete(row)
        session.flush()
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="woo.redaction_removed",
            object_type="informatieobject",
            object_id=record.id if record is not None else None,
            details=info.to_json(),
        )
        return info


def list_redactions(
    ws: Workspace, nummer: str, record_kenmerk: str | None = None
) -> list[RedactionInfo]:
    """The request's areas (of one record, if named), in the module's order."""
    with ws.readers() as session:
        request = scope.find_request(session, nummer)
        record_id = None
        if record_kenmerk is not None:
            record_id = find_by_kenmerk(session, record_kenmerk, (RECORD, DOSSIER)).id
        return redactions_of(session, request.id, request.nummer, record_id)


def redactions_of(
    session: Session, request_id: str, nummer: str, record_id: str | None = None
) -> list[RedactionInfo]:
    """The areas of a request (of one record when ``record_id`` is given)."""
    query = (
        select(WooRedaction, Informatieobject.kenmerk)
        .join(Bestand, WooRedaction.bestand_id == Bestand.id)
        .join(Informatieobject, Bestand.informatieobject_id == Informatieobject.id)
        .where(WooRedaction.request_id == request_id)
    )
    if record_id is not None:
        query = query.where(Informatieobject.id == record_id)
    query = query.order_by(*_ORDER)
    return [_info(row, nummer, kenmerk) for row, kenmerk in session.execute(query)]


def redactions_for(
    session: Session, request_id: str, nummer: str, record_ids: Sequence[str]
) -> list[RedactionInfo]:
    """The areas of a request on the records ``record_ids`` (one page of an export)."""
    query = (
        select(WooRedaction, Informatieobject.kenmerk)
        .join(Bestand, WooRedaction.bestand_id == Bestand.id)
        .join(Informatieobject, Bestand.informatieobject_id == Informatieobject.id)
        .where(WooRedaction.request_id == request_id, Informatieobject.id.in_(record_ids))
        .order_by(*_ORDER)
    )
    return [_info(row, nummer, kenmerk) for row, kenmerk in session.execute(query)]


def one_grond(text: str) -> str:
    """Exactly one known weigeringsgrond, normalised (``"5.1.2 E"`` -> ``5.1.2e``)."""
    codes = grounds.parse_gronden(text)
    if len(codes) != 1:
        raise UserError(
            N_("Give exactly one weigeringsgrond per redaction area, e.g. '5.1.2e'."),
        )
    return codes[0]


def record_files(session: Session, record_id: str) -> list[Bestand]:
    query = (
        select(Bestand)
        .where(Bestand.informatieobject_id == record_id)
        .order_by(Bestand.created_at, Bestand.id)
    )
    return list(session.scalars(query))


def is_pdf(bestand: Bestand) -> bool:
    return bestand.mime.split(";")[0].strip().lower() == PDF_MIME


def publication_pdf(files: Sequence[Bestand]) -> Bestand | None:
    """The PDF a record is published as: a copy derived from its first original, by
    :data:`PDF_ROLES` (PDF/A first), else the original itself when it is a PDF."""
    originals = [f for f in files if f.role == "original"]
    if not originals:
        return None
    first = originals[0]
    for role in PDF_ROLES[:-1]:
        for bestand in files:
            if bestand.role == role and bestand.derived_from_id == first.id and is_pdf(bestand):
                return bestand
    return first if is_pdf(first) else None


def check_redactable(path: Path, kenmerk: str) -> None:
    """Refuse a PDF that cannot be redacted at all: encrypted or unreadable."""
    with _open(path, kenmerk):
        pass


def check_area(path: Path, area: Area, kenmerk: str) -> None:
    """Refuse an area the PDF at ``path`` cannot take: unreadable, no such page, off the page."""
    with _open(path, kenmerk) as pdf:
        if not 1 <= area.page <= len(pdf.pages):
            raise UserError(
                N_("Page {page} does not exist; the PDF has {count} pages."),
                {"page": area.page, "count": len(pdf.pages)},
            )
        user_rect(frame_of(pdf.pages[area.page - 1]), area)


def _open(path: Path, kenmerk: str) -> pikepdf.Pdf:
    try:
        pdf = pikepdf.open(path, attempt_recovery=False)
    except pikepdf.PasswordError as error:
        raise UserError(ENCRYPTED, {"kenmerk": kenmerk}) from error
    except (pikepdf.PdfError, OSError, ValueError) as error:
        raise UserError(DAMAGED, {"kenmerk": kenmerk}) from error
    if pdf.is_encrypted:
        pdf.close()
        raise UserError(ENCRYPTED, {"kenmerk": kenmerk})
    return pdf


def _document(session: Session, request_id: str, nummer: str, kenmerk: str) -> Informatieobject:
    record = find_by_kenmerk(session, kenmerk, (RECORD, DOSSIER))
    if record.aggregatieniveau != RECORD:
        raise UserError(
            N_("{kenmerk} is a dossier: mark redactions on its documents one by one."),
            {"kenmerk": record.kenmerk},
        )
    if not scope.in_scope(session, request_id, record):
        raise UserError(
            N_("Record {kenmerk} is not in the scope of Woo request {nummer}."),
            {"kenmerk": record.kenmerk, "nummer": nummer},
        )
    return record


def _fetch_first(ws: Workspace, nummer: str, kenmerk: str, bestand_id: str | None) -> None:
    """Bring the PDF to redact into the object store before the write transaction: over
    the central archive that may be a download, which must not hold the central write
    lock. Whatever goes wrong here (the lookup, or a fetch that fails) is left to the
    transaction to report, in its own order: a closed request or a judgement that
    allows no areas is said before the content is missed."""
    try:
        with ws.readers() as session:
            request = scope.find_request(session, nummer)
            record = _document(session, request.id, request.nummer, kenmerk)
            bestand = _target(session, record, bestand_id)
            wanted = {bestand.sha256: bestand.size}
        ws.objects.ensure(wanted)
    except RecordsDeskError:
        return


def _target(session: Session, record: Informatieobject, bestand_id: str | None) -> Bestand:
    files = record_files(session, record.id)
    if bestand_id is None:
        found = publication_pdf(files)
        if found is None:
            raise UserError(NO_PDF, {"kenmerk": record.kenmerk})
        return found
    wanted = bestand_id.strip().lower()
    for bestand in files:
        if bestand.id == wanted:
            if not is_pdf(bestand):
                raise UserError(
                    N_("Bestand {bestand} of {kenmerk} is not a PDF ({mime}); only PDFs are "
                       "redacted."),
                    {"bestand": bestand.id, "kenmerk": record.kenmerk, "mime": bestand.mime},
                )  # fmt: skip
            return bestand
    raise NotFoundError(
        N_("{kenmerk} has no bestand {bestand}."),
        {"kenmerk": record.kenmerk, "bestand": bestand_id},
    )


def _find(session: Session, redaction_id: str) -> WooRedaction:
    try:
        key = str(uuid.UUID(redaction_id.strip()))
    except ValueError:
        key = None
    row = session.get(WooRedaction, key, with_for_update=True) if key is not None else None
    if row is None:
        raise NotFoundError(N_("No redaction area with id {id}."), {"id": redaction_id})
    return row


def _nummer_of(session: Session, request_id: str) -> str:
    request = session.get(WooRequest, request_id)
    return request.nummer if request is not None else ""


def _info(row: WooRedaction, nummer: str, kenmerk: str) -> RedactionInfo:
    return RedactionInfo(
        id=row.id,
        nummer=nummer,
        kenmerk=kenmerk,
        bestand_id=row.bestand_id,
        page=row.page,
        x0=row.x0,
        y0=row.y0,
        x1=row.x1,
        y1=row.y1,
        grond=row.grond,
        created_at=row.created_at,
        created_by=row.created_by,
    )
