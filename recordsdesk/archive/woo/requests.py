"""Woo requests (verzoeken): number, subject, dates, and how they end.

Contracts (each function is one user action: one transaction with its audit rows):

* :func:`create_request`: ``nummer`` is unique (case does not make a new
  number); ``besluit_uiterlijk`` defaults to ``ontvangen_op`` plus the Woo's
  term of four weeks (art. 4.4) and may not lie before it; a request cannot be
  received in the future.
* :func:`close_request`: the besluit is one of ``WOO_BESLUITEN`` (Dutch words
  with spaces are accepted). ``geen_documenten`` only when nothing is in scope;
  any other besluit needs every document in scope assessed, and must be the one
  the assessments make (all reeds openbaar: ``reeds_openbaar``; all openbaar or
  reeds openbaar: ``openbaarmaking``; all niet openbaar: ``geen_openbaarmaking``;
  any other mix: ``gedeeltelijke_openbaarmaking``). Closing lifts every hold
  the request still has (which needs the role records manager, as lifting any
  hold does) and freezes the request: no scope changes or assessments after it.
* :func:`list_requests` and :func:`show_request` read. The scope
  (:func:`add_to_scope`, :func:`remove_from_scope`, :func:`documents_in_scope`)
  lives in :mod:`recordsdesk.archive.woo.scope` and is re-exported here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from recordsdesk import audit
from recordsdesk.archive.woo import scope
from recordsdesk.archive.woo.scope import (
    add_to_scope,
    documents_in_scope,
    find_request,
    lookup_request,
    remove_from_scope,
    require_open,
)
from recordsdesk.db.models import WOO_BESLUITEN, Hold, WooRequest, WooScope
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.services import holds
from recordsdesk.services.workspace import Workspace

WOO_TERM = dt.timedelta(weeks=4)
NUMMER_MAX = 40
ONDERWERP_MAX = 1000
_BESLUIT_WORDS = {"geen documenten aangetroffen": "geen_documenten"}


@dataclass(frozen=True)
class RequestInfo:
    """A request as the CLI and the UI show it (safe to hand to another thread)."""

    nummer: str
    onderwerp: str
    ontvangen_op: dt.date
    besluit_uiterlijk: dt.date | None
    status: str
    besluit: str | None
    created_by: str
    closed_at: dt.datetime | None
    scope: tuple[scope.ScopeItem, ...]
    documents: int  # in scope, each once
    counts: dict[str, int]  # documents per beoordeling

    @property
    def unassessed(self) -> int:
        return self.documents - sum(self.counts.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "nummer": self.nummer,
            "onderwerp": self.onderwerp,
            "ontvangen_op": self.ontvangen_op.isoformat(),
            "besluit_uiterlijk": self.besluit_uiterlijk.isoformat()
            if self.besluit_uiterlijk
            else None,
            "status": self.status,
            "besluit": self.besluit,
            "created_by": self.created_by,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "scope": [item.to_json() for item in self.scope],
            "documents": self.documents,
            "assessed": dict(self.counts),
            "unassessed": self.unassessed,
        }


def create_request(
    ws: Workspace,
    nummer: str,
    onderwerp: str,
    ontvangen_op: dt.date,
    besluit_uiterlijk: dt.date | None = None,
) -> RequestInfo:
    """Register a new, open request; see the module contract."""
    number, subject = _nummer(nummer), _onderwerp(onderwerp)
    now = ws.clock()
    if ontvangen_op > now.date():
        raise UserError(
            N_("The request cannot have been received in the future ({date})."),
            {"date": ontvangen_op.isoformat()},
        )
    uiterlijk = besluit_uiterlijk or ontvangen_op + WOO_TERM
    if uiterlijk < ontvangen_op:
        raise UserError(
            N_("The decision date {uiterlijk} lies before the date of receipt {ontvangen}."),
            {"uiterlijk": uiterlijk.isoformat(), "ontvangen": ontvangen_op.isoformat()},
        )
    try:
        with ws.sessions() as session, session.begin():
            if lookup_request(session, number) is not None:
                raise _exists(number)
            row = WooRequest(
                id=str(uuid.uuid4()),
                nummer=number,
                onderwerp=subject,
                ontvangen_op=ontvangen_op,
                besluit_uiterlijk=uiterlijk,
                status="open",
                created_at=now,
                created_by=ws.actor,
            )
            session.add(row)
            session.flush()
            audit.append(
                session,
                at=now,
                actor=ws.actor,
                action="woo.request_created",
                object_type="woo_request",
                object_id=row.id,
                details={
                    "nummer": number,
                    "onderwerp": subject,
                    "ontvangen_op": ontvangen_op.isoformat(),
                    "besluit_uiterlijk": uiterlijk.isoformat(),
                },
            )
            return _info(session, row)
    except IntegrityError:  # the same number made at the same moment elsewhere
        raise _exists(number) from None


def close_request(ws: Workspace, nummer: str, besluit: str) -> RequestInfo:
    """Close the request with its besluit and lift its holds; see the module contract."""
    decision = parse_besluit(besluit)
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        row = find_request(session, nummer, lock=True)
        require_open(row)
        documents = scope.count_documents(session, row.id)
        counts = scope.counts_by_beoordeling(session, row.id)
        _check_besluit(session, row, decision, documents, counts)
        reason = f"Woo-verzoek {row.nummer} afgehandeld, besluit: {decision}"
        lifted = [
            holds.lift_in(session, hold, reason, actor=ws.actor, now=now).id
            for hold in _active_holds(session, row.id)
        ]
        row.status, row.besluit, row.closed_at, row.closed_by = "closed", decision, now, ws.actor
        session.flush()
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="woo.request_closed",
            object_type="woo_request",
            object_id=row.id,
            details={
                "nummer": row.nummer,
                "besluit": decision,
                "documents": documents,
                "beoordelingen": counts,
                "holds_lifted": lifted,
            },
        )
        return _info(session, row)


def show_request(ws: Workspace, nummer: str) -> RequestInfo:
    with ws.readers() as session:
        return _info(session, find_request(session, nummer))


def list_requests(ws: Workspace) -> list[RequestInfo]:
    """Every request, open ones first, each by its decision date."""
    with ws.readers() as session:
        rows = session.scalars(
            select(WooRequest).order_by(
                WooRequest.status.desc(), WooRequest.besluit_uiterlijk, WooRequest.nummer
            )
        )
        return [_info(session, row, with_scope=False) for row in rows]


def parse_besluit(text: str) -> str:
    """``"gedeeltelijke openbaarmaking"`` -> ``gedeeltelijke_openbaarmaking``; refuses others."""
    words = " ".join(text.replace("_", " ").split()).casefold()
    wanted = _BESLUIT_WORDS.get(words, words.replace(" ", "_"))
    if wanted not in WOO_BESLUITEN:
        raise UserError(
            N_("Unknown besluit: {value}. Choose one of: {valid}."),
            {"value": text, "valid": ", ".join(WOO_BESLUITEN)},
        )
    return wanted


def _check_besluit(
    session: Session, row: WooRequest, decision: str, documents: int, counts: dict[str, int]
) -> None:
    if decision == "geen_documenten":
        if documents:
            raise UserError(
                N_(
                    "{count} documents are in the scope of {nummer}; the besluit cannot be "
                    "geen_documenten. Remove them from the scope or choose another besluit."
                ),
                {"count": documents, "nummer": row.nummer},
            )
        return
    if not documents:
        raise UserError(
            N_(
                "Nothing is in the scope of {nummer}: the only possible besluit is geen_documenten."
            ),
            {"nummer": row.nummer},
        )
    open_ones = scope.unassessed(session, row.id, limit=5)
    if open_ones:
        raise UserError(
            N_("{count} documents in scope are not assessed yet, e.g. {kenmerken}."),
            {"count": documents - sum(counts.values()), "kenmerken": ", ".join(open_ones)},
        )
    expected = implied_besluit(counts)
    if decision != expected:
        raise UserError(
            N_("The assessments of the documents make the besluit {expected}, not {besluit}."),
            {"expected": expected, "besluit": decision},
        )


def implied_besluit(counts: dict[str, int]) -> str:
    """The besluit that assessments with these counts per beoordeling make."""
    given = {key for key, n in counts.items() if n}
    if given == {"reeds_openbaar"}:
        return "reeds_openbaar"
    if given <= {"openbaar", "reeds_openbaar"}:
        return "openbaarmaking"
    if given == {"niet_openbaar"}:
        return "geen_openbaarmaking"
    return "gedeeltelijke_openbaarmaking"


def _active_holds(session: Session, request_id: str) -> list[Hold]:
    ids = select(WooScope.hold_id).where(WooScope.request_id == request_id)
    query = (
        select(Hold)
        .where(Hold.id.in_(ids), Hold.lifted_at.is_(None))
        .order_by(Hold.placed_at, Hold.id)
        .with_for_update()
    )
    return list(session.scalars(query))


def _info(session: Session, row: WooRequest, *, with_scope: bool = True) -> RequestInfo:
    return RequestInfo(
        nummer=row.nummer,
        onderwerp=row.onderwerp,
        ontvangen_op=row.ontvangen_op,
        besluit_uiterlijk=row.besluit_uiterlijk,
        status=row.status,
        besluit=row.besluit,
        created_by=row.created_by,
        closed_at=row.closed_at,
        scope=scope.scope_items(session, row.id) if with_scope else (),
        documents=scope.count_documents(session, row.id),
        counts=scope.counts_by_beoordeling(session, row.id),
    )


def _nummer(text: str) -> str:
    number = text.strip()
    if not number:
        raise UserError(N_("A Woo request needs a number."))
    if len(number) > NUMMER_MAX or any(c.isspace() for c in number):
        raise UserError(
            N_("Not a usable request number: {nummer} (no spaces, at most {max} characters)."),
            {"nummer": number, "max": NUMMER_MAX},
        )
    return number


def _onderwerp(text: str) -> str:
    subject = " ".join(text.split())
    if not subject:
        raise UserError(N_("A Woo request needs a subject."))
    if len(subject) > ONDERWERP_MAX:
        raise UserError(
            N_("The subject is too long: at most {max} characters."), {"max": ONDERWERP_MAX}
        )
    return subject


def _exists(nummer: str) -> UserError:
    return UserError(N_("A Woo request with number {nummer} already exists."), {"nummer": nummer})


__all__ = [
    "RequestInfo",
    "add_to_scope",
    "close_request",
    "create_request",
    "documents_in_scope",
    "find_request",
    "implied_besluit",
    "list_requests",
    "parse_besluit",
    "remove_from_scope",
    "require_open",
    "show_request",
]
