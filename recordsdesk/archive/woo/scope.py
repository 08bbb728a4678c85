"""The scope of a Woo request: the dossiers and records it covers, each under a legal hold.

Contracts:

* :func:`add_to_scope` adds dossiers and records (one transaction; if any
  kenmerk is unknown, destroyed or transferred, nothing is added and every
  problem is named). Each object is held while the request is open: a dossier
  by a hold of its own, a record through its dossier (holds bind dossiers and
  series, :mod:`recordsdesk.services.holds`). A request places one hold per
  dossier, reason ``Woo-verzoek <nummer>: <onderwerp>``, and each scope row
  records it. Adding what is already in scope changes nothing.
* :func:`remove_from_scope` takes one object out. The request's hold on its
  dossier is lifted when no other object of the request still relies on it
  (another request's needs are met by that request's own hold). Assessments of
  documents that leave the scope are dropped with it; the audit row keeps them.
* :func:`documents_in_scope` streams every Archiefstuk in scope, each once, in
  inventory order (dossier kenmerk, record kenmerk), a page at a time: the
  records of dossiers in scope (and of dossiers inside them) and the records
  named directly. Destroyed and transferred records are no longer held by the
  organisation and are left out.
* Closed requests refuse every change (:func:`require_open`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CTE, Select, case, delete, func, or_, select
from sqlalchemy.orm import Session, aliased

from recordsdesk import audit
from recordsdesk.db.models import Hold, Informatieobject, WooAssessment, WooRequest, WooScope
from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.i18n import N_
from recordsdesk.services import holds
from recordsdesk.services.dossiers import DOSSIER, RECORD, find_by_kenmerk
from recordsdesk.services.workspace import Workspace

GONE = ("destroyed", "transferred")
PAGE = 1000
_BATCH = 200  # dossiers per query when paging
_CHUNK = 500


@dataclass(frozen=True)
class ScopeItem:
    kenmerk: str
    naam: str
    aggregatieniveau: str
    hold_id: str | None
    added_at: dt.datetime
    added_by: str

    def to_json(self) -> dict[str, Any]:
        return {
            "kenmerk": self.kenmerk,
            "naam": self.naam,
            "aggregatieniveau": self.aggregatieniveau,
            "hold": self.hold_id,
            "added_at": self.added_at.isoformat(),
            "added_by": self.added_by,
        }


@dataclass(frozen=True)
class ScopeChange:
    """What one scope action did."""

    nummer: str
    added: tuple[str, ...] = ()
    already: tuple[str, ...] = ()  # named again: nothing changed for these
    removed: tuple[str, ...] = ()
    holds_placed: tuple[str, ...] = ()
    holds_lifted: tuple[str, ...] = ()
    assessments_dropped: tuple[str, ...] = ()  # record kenmerken


@dataclass(frozen=True)
class DocumentRef:
    """One document in scope, as the inventory list orders it."""

    id: str
    kenmerk: str
    naam: str
    dossier_kenmerk: str  # "" for a record in no dossier

    @property
    def position(self) -> tuple[str, str]:
        return (self.dossier_kenmerk, self.kenmerk)


def add_to_scope(ws: Workspace, nummer: str, kenmerken: Sequence[str]) -> ScopeChange:
    """Add dossiers and records to the request's scope; see the module contract."""
    typed = [k for k in kenmerken if k.strip()]
    if not typed:
        raise UserError(N_("Name at least one dossier or record."))
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        row = find_request(session, nummer, lock=True)
        require_open(row)
        found: list[tuple[Informatieobject, Informatieobject]] = []
        problems: list[UserError] = []
        for text in typed:
            try:
                item = find_by_kenmerk(session, text, (DOSSIER, RECORD))
                found.append((item, _hold_target(session, item)))
            except UserError as problem:
                problems.append(problem)
        if problems:
            raise UserError(
                N_("Nothing was added to the scope of {nummer}: {count} objects cannot be."),
                {"nummer": row.nummer, "count": len(problems)},
                details=problems,
            )
        present = set(
            session.scalars(
                select(WooScope.informatieobject_id).where(WooScope.request_id == row.id)
            )
        )
        held_by = _request_holds(session, row.id)
        added, already, placed, entries = [], [], [], []
        for item, target in found:
            if item.id in present:
                already.append(item.kenmerk)
                continue
            present.add(item.id)
            if target.id not in held_by:
                reason = f"Woo-verzoek {row.nummer}: {row.onderwerp}"
                hold = holds.place_in(session, target, reason, actor=ws.actor, now=now)
                held_by[target.id] = hold.id
                placed.append(hold.id)
            session.add(
                WooScope(
                    request_id=row.id,
                    informatieobject_id=item.id,
                    hold_id=held_by[target.id],
                    added_at=now,
                    added_by=ws.actor,
                )
            )
            added.append(item.kenmerk)
            details = {"nummer": row.nummer, "kenmerk": item.kenmerk, "hold": held_by[target.id]}
            entries.append(
                audit.Entry(now, ws.actor, "woo.scope_added", "informatieobject", item.id, details)
            )
        session.flush()
        audit.append_many(session, entries)
        return ScopeChange(row.nummer, tuple(added), tuple(already), holds_placed=tuple(placed))


def remove_from_scope(ws: Workspace, nummer: str, kenmerk: str) -> ScopeChange:
    """Take one dossier or record out of the scope; see the module contract."""
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        row = find_request(session, nummer, lock=True)
        require_open(row)
        item = find_by_kenmerk(session, kenmerk, (DOSSIER, RECORD))
        entry = session.get(WooScope, (row.id, item.id))
        if entry is None:
            raise UserError(
                N_("{kenmerk} is not in the scope of Woo request {nummer}."),
                {"kenmerk": item.kenmerk, "nummer": row.nummer},
            )
        hold_id = entry.hold_id
        session.delete(entry)
        session.flush()
        lifted: list[str] = []
        if hold_id is not None and not session.scalar(
            select(func.count())
            .select_from(WooScope)
            .where(WooScope.request_id == row.id, WooScope.hold_id == hold_id)
        ):
            hold = session.get(Hold, hold_id, with_for_update=True)
            if hold is not None and hold.lifted_at is None:
                reason = f"Woo-verzoek {row.nummer}: {item.kenmerk} uit de scope gehaald"
                lifted.append(holds.lift_in(session, hold, reason, actor=ws.actor, now=now).id)
        dropped = _drop_assessments_outside(session, row.id)
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="woo.scope_removed",
            object_type="informatieobject",
            object_id=item.id,
            details={
                "nummer": row.nummer,
                "kenmerk": item.kenmerk,
                "holds_lifted": lifted,
                "assessments_dropped": [{"kenmerk": k, "beoordeling": b} for k, b in dropped],
            },
        )
        return ScopeChange(
            row.nummer,
            removed=(item.kenmerk,),
            holds_lifted=tuple(lifted),
            assessments_dropped=tuple(k for k, _b in dropped),
        )


def documents_in_scope(ws: Workspace, nummer: str, *, page: int = PAGE) -> Iterator[DocumentRef]:
    """Every document in scope, in inventory order; see the module contract."""
    after: tuple[str, str] | None = None
    while True:
        found = document_page(ws, nummer, after=after, limit=page)
        yield from found
        if len(found) < page:
            return
        after = found[-1].position


def document_page(
    ws: Workspace, nummer: str, *, after: tuple[str, str] | None = None, limit: int = PAGE
) -> list[DocumentRef]:
    """One page of :func:`documents_in_scope`: those after position ``after``.

    Dossier by dossier, each a query on its records (the parent index), so a page
    costs the same wherever it starts, however large the scope."""
    found: list[DocumentRef] = []
    first, from_kenmerk = after if after is not None else ("", "")
    with ws.readers() as session:
        request_id = find_request(session, nummer).id
        direct = select(WooScope.informatieobject_id).where(WooScope.request_id == request_id)
        for dossier_id, dossier_kenmerk, whole in _containers(session, request_id, first):
            query = select(Informatieobject.id, Informatieobject.kenmerk, Informatieobject.naam)
            query = query.where(
                Informatieobject.parent_id == dossier_id,
                Informatieobject.aggregatieniveau == RECORD,
                Informatieobject.status.not_in(GONE),
            )
            if not whole:  # only the records named themselves
                query = query.where(Informatieobject.id.in_(direct))
            if after is not None and dossier_kenmerk == first:
                query = query.where(Informatieobject.kenmerk > from_kenmerk)
            query = query.order_by(Informatieobject.kenmerk).limit(limit - len(found))
            found.extend(DocumentRef(*r, dossier_kenmerk) for r in session.execute(query))
            if len(found) >= limit:
                break
    return found


def _containers(session: Session, request_id: str, first: str) -> Iterator[tuple[str, str, bool]]:
    """(id, kenmerk, whole) of every dossier holding documents in scope, by kenmerk from
    ``first`` on; ``whole`` when all its records are in scope (it is, or lies in, a
    dossier in scope), else only the records named directly. A batch at a time."""
    direct = select(WooScope.informatieobject_id).where(WooScope.request_id == request_id)
    whole = Informatieobject.id.in_(select(_dossier_tree(direct).c.id))
    named_in = select(Informatieobject.parent_id).where(
        Informatieobject.id.in_(direct), Informatieobject.aggregatieniveau == RECORD
    )
    base = select(
        Informatieobject.id, Informatieobject.kenmerk, case((whole, True), else_=False)
    ).where(or_(whole, Informatieobject.id.in_(named_in)))
    bound = Informatieobject.kenmerk >= first
    while True:
        rows = session.execute(
            base.where(bound).order_by(Informatieobject.kenmerk).limit(_BATCH)
        ).all()
        for object_id, kenmerk, is_whole in rows:
            yield object_id, kenmerk, bool(is_whole)
        if len(rows) < _BATCH:
            return
        bound = Informatieobject.kenmerk > rows[-1][1]


def _dossier_tree(direct: Select[str]) -> CTE:
    """The dossiers in scope and every dossier inside them (recursive)."""
    tree = (
        select(Informatieobject.id)
        .where(Informatieobject.id.in_(direct), Informatieobject.aggregatieniveau == DOSSIER)
        .cte("woo_dossiers", recursive=True)
    )
    child = aliased(Informatieobject)
    return tree.union(
        select(child.id).where(child.parent_id == tree.c.id, child.aggregatieniveau == DOSSIER)
    )


def documents_query(request_id: str) -> Select[str, str, str, str]:
    """Id, kenmerk, naam and dossier kenmerk of every document in scope (unordered)."""
    direct = select(WooScope.informatieobject_id).where(WooScope.request_id == request_id)
    tree = _dossier_tree(direct)
    record, parent = aliased(Informatieobject), aliased(Informatieobject)
    return (
        select(
            record.id.label("id"),
            record.kenmerk.label("kenmerk"),
            record.naam.label("naam"),
            func.coalesce(parent.kenmerk, "").label("dossier"),
        )
        .outerjoin(parent, record.parent_id == parent.id)
        .where(
            record.aggregatieniveau == RECORD,
            record.status.not_in(GONE),
            or_(record.parent_id.in_(select(tree.c.id)), record.id.in_(direct)),
        )
    )


def count_documents(session: Session, request_id: str) -> int:
    query = select(func.count()).select_from(documents_query(request_id).subquery())
    return session.scalar(query) or 0


def counts_by_beoordeling(session: Session, request_id: str) -> dict[str, int]:
    query = (
        select(WooAssessment.beoordeling, func.count())
        .where(WooAssessment.request_id == request_id)
        .group_by(WooAssessment.beoordeling)
    )
    return {beoordeling: n for beoordeling, n in session.execute(query)}


def unassessed(session: Session, request_id: str, *, limit: int) -> list[str]:
    """Kenmerken of the first ``limit`` documents in scope without an assessment."""
    judged = select(WooAssessment.informatieobject_id).where(WooAssessment.request_id == request_id)
    query = documents_query(request_id).subquery()
    return list(
        session.scalars(
            select(query.c.kenmerk)
            .where(query.c.id.not_in(judged))
            .order_by(query.c.dossier, query.c.kenmerk)
            .limit(limit)
        )
    )


def in_scope(session: Session, request_id: str, record: Informatieobject) -> bool:
    """Whether ``record`` is in scope: named itself, or in a dossier that is."""
    if record.status in GONE:
        return False
    lineage = [record.id]
    current = record.parent_id
    while current is not None and current not in lineage:
        lineage.append(current)
        current = session.scalar(
            select(Informatieobject.parent_id).where(Informatieobject.id == current)
        )
    query = select(func.count()).where(
        WooScope.request_id == request_id, WooScope.informatieobject_id.in_(lineage)
    )
    return bool(session.scalar(query))


def scope_items(session: Session, request_id: str) -> tuple[ScopeItem, ...]:
    query = (
        select(WooScope, Informatieobject)
        .join(Informatieobject, WooScope.informatieobject_id == Informatieobject.id)
        .where(WooScope.request_id == request_id)
        .order_by(Informatieobject.kenmerk)
    )
    return tuple(
        ScopeItem(obj.kenmerk, obj.naam, obj.aggregatieniveau, s.hold_id, s.added_at, s.added_by)
        for s, obj in session.execute(query)
    )


def find_request(session: Session, nummer: str, *, lock: bool = False) -> WooRequest:
    """The request with this number (case-insensitive); a clear error otherwise."""
    found = lookup_request(session, nummer.strip(), lock=lock)
    if found is None:
        raise NotFoundError(N_("No Woo request with number {nummer}."), {"nummer": nummer})
    return found


def lookup_request(session: Session, nummer: str, *, lock: bool = False) -> WooRequest | None:
    query = select(WooRequest).where(func.lower(WooRequest.nummer) == nummer.lower())
    return session.scalars(query.with_for_update() if lock else query).first()


def require_open(row: WooRequest) -> None:
    if row.status != "open":
        raise UserError(
            N_("Woo request {nummer} is closed (besluit: {besluit}); it cannot change."),
            {"nummer": row.nummer, "besluit": row.besluit or "-"},
        )


def _hold_target(session: Session, item: Informatieobject) -> Informatieobject:
    """What holds ``item``: a dossier itself, a record its dossier."""
    if item.status in GONE:
        raise UserError(
            N_("{kenmerk} was destroyed or transferred; it cannot be in a Woo request's scope."),
            {"kenmerk": item.kenmerk},
        )
    if item.aggregatieniveau != RECORD:
        return item
    parent = session.get(Informatieobject, item.parent_id) if item.parent_id else None
    if parent is None or parent.aggregatieniveau not in holds.HOLDABLE:
        raise UserError(
            N_("Record {kenmerk} is in no dossier, so it cannot be held."),
            {"kenmerk": item.kenmerk},
        )
    if parent.status in GONE:
        raise UserError(
            N_("{kenmerk} was destroyed or transferred; it cannot be in a Woo request's scope."),
            {"kenmerk": parent.kenmerk},
        )
    return parent


def _request_holds(session: Session, request_id: str) -> dict[str, str]:
    """Held object id -> the request's active hold on it."""
    ids = select(WooScope.hold_id).where(WooScope.request_id == request_id)
    query = select(Hold.informatieobject_id, Hold.id).where(
        Hold.id.in_(ids), Hold.lifted_at.is_(None)
    )
    return {object_id: hold_id for object_id, hold_id in session.execute(query)}


def _drop_assessments_outside(session: Session, request_id: str) -> list[tuple[str, str]]:
    """Delete the request's assessments of documents no longer in scope; (kenmerk,
    beoordeling) of each."""
    inside = documents_query(request_id).subquery()
    query = (
        select(
            WooAssessment.informatieobject_id, Informatieobject.kenmerk, WooAssessment.beoordeling
        )
        .join(Informatieobject, WooAssessment.informatieobject_id == Informatieobject.id)
        .where(
            WooAssessment.request_id == request_id,
            WooAssessment.informatieobject_id.not_in(select(inside.c.id)),
        )
        .order_by(Informatieobject.kenmerk)
    )
    gone = session.execute(query).all()
    ids = [object_id for object_id, _k, _b in gone]
    for start in range(0, len(ids), _CHUNK):
        session.execute(
            delete(WooAssessment).where(
                WooAssessment.request_id == request_id,
                WooAssessment.informatieobject_id.in_(ids[start : start + _CHUNK]),
            )
        )
    return [(kenmerk, beoordeling) for _id, kenmerk, beoordeling in gone]
