"""The assessment (beoordeling) of each document within a Woo request.

Contracts of :func:`assess` (one transaction with its audit row):

* ``beoordeling`` is one of ``openbaar``, ``deels_openbaar``, ``niet_openbaar``,
  ``reeds_openbaar``; Dutch words with spaces (``"deels openbaar"``) and the
  English ones (``"partly public"``) are accepted too.
* Weigeringsgronden (:mod:`recordsdesk.archive.woo.gronden`) are required for
  deels and niet openbaar, and refused for openbaar and reeds openbaar (nothing
  is withheld there).
* A public link (http or https) is required for reeds openbaar: the inventory
  list must say where the document already is public. It is refused for the
  other judgements, so a link never suggests a publication that did not happen.
* The document must be an Archiefstuk in the request's scope, and the request open.
* Assessing again replaces the earlier judgement; the audit row keeps old and new.

:func:`assessments` pages through a request's assessments in inventory order
(dossier kenmerk, record kenmerk).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session, aliased

from recordsdesk import audit
from recordsdesk.archive.woo import gronden as grounds
from recordsdesk.archive.woo import scope
from recordsdesk.db.models import WOO_BEOORDELINGEN, Informatieobject, WooAssessment
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.services.dossiers import DOSSIER, RECORD, find_by_kenmerk
from recordsdesk.services.workspace import Workspace

TOELICHTING_MAX = 10_000
LINK_MAX = 2000
REFUSING = ("deels_openbaar", "niet_openbaar")
_ENGLISH = {
    "public": "openbaar",
    "partly public": "deels_openbaar",
    "partially public": "deels_openbaar",
    "not public": "niet_openbaar",
    "already public": "reeds_openbaar",
}


@dataclass(frozen=True)
class AssessmentInfo:
    dossier_kenmerk: str
    kenmerk: str
    naam: str
    beoordeling: str
    gronden: str | None  # "5.1.1c; 5.1.2e"
    toelichting: str | None
    publieke_link: str | None
    assessed_at: dt.datetime
    assessed_by: str

    @property
    def position(self) -> tuple[str, str]:
        return (self.dossier_kenmerk, self.kenmerk)

    def to_json(self) -> dict[str, Any]:
        return {
            "dossier": self.dossier_kenmerk,
            "kenmerk": self.kenmerk,
            "naam": self.naam,
            "beoordeling": self.beoordeling,
            "gronden": self.gronden,
            "toelichting": self.toelichting,
            "publieke_link": self.publieke_link,
            "assessed_at": self.assessed_at.isoformat(),
            "assessed_by": self.assessed_by,
        }


def assess(
    ws: Workspace,
    nummer: str,
    record_kenmerk: str,
    beoordeling: str,
    gronden: str | None = None,
    toelichting: str | None = None,
    publieke_link: str | None = None,
) -> AssessmentInfo:
    """Judge one document of the request; see the module contract."""
    judgement = parse_beoordeling(beoordeling)
    codes = grounds.parse_gronden(gronden)
    if judgement in REFUSING and not codes:
        raise UserError(
            N_("A document judged {beoordeling} needs the weigeringsgronden, e.g. '5.1.2e'."),
            {"beoordeling": judgement},
        )
    if judgement not in REFUSING and codes:
        raise UserError(
            N_("A document judged {beoordeling} withholds nothing: give no weigeringsgronden."),
            {"beoordeling": judgement},
        )
    link = _link(judgement, publieke_link)
    note = (toelichting or "").strip() or None
    if note is not None and len(note) > TOELICHTING_MAX:
        raise UserError(
            N_("The toelichting is too long: at most {max} characters."), {"max": TOELICHTING_MAX}
        )
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        request = scope.find_request(session, nummer, lock=True)
        scope.require_open(request)
        record = find_by_kenmerk(session, record_kenmerk, (RECORD, DOSSIER))
        if record.aggregatieniveau != RECORD:
            raise UserError(
                N_("{kenmerk} is a dossier: assess its documents one by one."),
                {"kenmerk": record.kenmerk},
            )
        if not scope.in_scope(session, request.id, record):
            raise UserError(
                N_("Record {kenmerk} is not in the scope of Woo request {nummer}."),
                {"kenmerk": record.kenmerk, "nummer": request.nummer},
            )
        row = session.get(WooAssessment, (request.id, record.id))
        old = _values(row) if row is not None else None
        if row is None:
            row = WooAssessment(request_id=request.id, informatieobject_id=record.id)
            session.add(row)
        row.beoordeling = judgement
        row.gronden = grounds.format_gronden(codes) or None
        row.toelichting, row.publieke_link = note, link
        row.assessed_at, row.assessed_by = now, ws.actor
        session.flush()
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="woo.assessed",
            object_type="informatieobject",
            object_id=record.id,
            details={
                "nummer": request.nummer,
                "kenmerk": record.kenmerk,
                "old": old,
                "new": _values(row),
            },
        )
        parent = session.get(Informatieobject, record.parent_id) if record.parent_id else None
        return _info(row, record, parent.kenmerk if parent is not None else "")


def assessments(
    ws: Workspace, nummer: str, *, after: tuple[str, str] | None = None, limit: int = scope.PAGE
) -> list[AssessmentInfo]:
    """A page of the request's assessments in inventory order, after position ``after``."""
    with ws.readers() as session:
        request = scope.find_request(session, nummer)
        return _page(session, request.id, after, limit)


def all_assessments(ws: Workspace, nummer: str) -> Iterator[AssessmentInfo]:
    """Every assessment of the request in inventory order, a page of documents at a time
    (assessments exist only for documents in scope: removal drops the others)."""
    after: tuple[str, str] | None = None
    while True:
        documents = scope.document_page(ws, nummer, after=after)
        if documents:
            yield from _of_documents(ws, nummer, documents)
        if len(documents) < scope.PAGE:
            return
        after = documents[-1].position


def _of_documents(
    ws: Workspace, nummer: str, documents: list[scope.DocumentRef]
) -> list[AssessmentInfo]:
    with ws.readers() as session:
        request = scope.find_request(session, nummer)
        query = select(WooAssessment, Informatieobject).join(
            Informatieobject, WooAssessment.informatieobject_id == Informatieobject.id
        )
        query = query.where(
            WooAssessment.request_id == request.id,
            WooAssessment.informatieobject_id.in_([d.id for d in documents]),
        )
        judged = {obj.id: (row, obj) for row, obj in session.execute(query)}
    return [_info(*judged[d.id], d.dossier_kenmerk) for d in documents if d.id in judged]


def parse_beoordeling(text: str) -> str:
    """``"Deels openbaar"`` -> ``deels_openbaar``; refuses what is none of the four."""
    words = " ".join(text.replace("_", " ").split()).casefold()
    wanted = _ENGLISH.get(words, words.replace(" ", "_"))
    if wanted not in WOO_BEOORDELINGEN:
        raise UserError(
            N_("Unknown beoordeling: {value}. Choose one of: {valid}."),
            {"value": text, "valid": ", ".join(WOO_BEOORDELINGEN)},
        )
    return wanted


def _page(
    session: Session, request_id: str, after: tuple[str, str] | None, limit: int
) -> list[AssessmentInfo]:
    record, parent = aliased(Informatieobject), aliased(Informatieobject)
    dossier = func.coalesce(parent.kenmerk, "")
    query = (
        select(WooAssessment, record, dossier)
        .join(record, WooAssessment.informatieobject_id == record.id)
        .outerjoin(parent, record.parent_id == parent.id)
        .where(WooAssessment.request_id == request_id)
    )
    if after is not None:
        query = query.where(tuple_(dossier, record.kenmerk) > after)
    rows = session.execute(query.order_by(dossier, record.kenmerk).limit(limit))
    return [_info(row, obj, kenmerk) for row, obj, kenmerk in rows]


def _link(judgement: str, typed: str | None) -> str | None:
    link = (typed or "").strip() or None
    if judgement != "reeds_openbaar":
        if link is not None:
            raise UserError(
                N_("A public link belongs only to a document judged reeds_openbaar."),
            )
        return None
    if link is None:
        raise UserError(
            N_("A document judged reeds_openbaar needs the public link where it can be found."),
        )
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(link) > LINK_MAX:
        raise UserError(N_("Not a usable public link (http or https): {link}"), {"link": link})
    return link


def _values(row: WooAssessment) -> dict[str, str | None]:
    return {
        "beoordeling": row.beoordeling,
        "gronden": row.gronden,
        "toelichting": row.toelichting,
        "publieke_link": row.publieke_link,
    }


def _info(row: WooAssessment, record: Informatieobject, dossier: str) -> AssessmentInfo:
    return AssessmentInfo(
        dossier_kenmerk=dossier,
        kenmerk=record.kenmerk,
        naam=record.naam,
        beoordeling=row.beoordeling,
        gronden=row.gronden,
        toelichting=row.toelichting,
        publieke_link=row.publieke_link,
        assessed_at=row.assessed_at,
        assessed_by=row.assessed_by,
    )
