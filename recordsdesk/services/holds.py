"""Legal holds: a dossier or a whole Serie that may be neither destroyed nor transferred.

Contracts:

* :func:`place_hold` puts a hold on the object with that kenmerk (a dossier,
  Serie or Archief; a hold on a Serie covers everything under it). An object
  may carry several holds, each with its own reason, who placed it and when.
  One transaction with its audit row; a blank reason is refused.
* :func:`lift_hold` lifts one hold by its id, recording who, when and why; a
  lifted hold is kept (the history of holds is evidence too). Lifting twice is
  refused with a clear message. Anyone may place a hold (it only protects);
  lifting one needs the role records manager.
* :func:`place_in` and :func:`lift_in` do the same inside a caller's own
  transaction (a Woo request holds its scope as part of one user action).
* :func:`holds_on` lists the holds that bind an object: its own and those of
  every object above it (``inherited`` says which), active ones only unless asked.
* :func:`held_ids` answers, for many objects at once, which are held (by
  themselves or an ancestor): what destruction and transfer ask before they
  act, inside their own transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from recordsdesk import audit
from recordsdesk.db.models import Hold, Informatieobject
from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.i18n import N_
from recordsdesk.services import (
    dossiers,  # a module: dossiers imports this one too
    roles,
)
from recordsdesk.services.workspace import Workspace

#: the levels a hold can be placed on (a record is held through its dossier)
HOLDABLE = ("Archief", "Serie", "Dossier")
REASON_MAX = 2000


@dataclass(frozen=True)
class HoldInfo:
    """One hold as the CLI and the UI show it (safe to hand to another thread)."""

    id: str
    kenmerk: str  # of the object the hold was placed on
    naam: str
    reason: str
    placed_by: str
    placed_at: dt.datetime
    lifted_by: str | None = None
    lifted_at: dt.datetime | None = None
    lift_reason: str | None = None
    inherited: bool = False  # placed on an object above the one asked about

    @property
    def active(self) -> bool:
        return self.lifted_at is None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kenmerk": self.kenmerk,
            "naam": self.naam,
            "reason": self.reason,
            "placed_by": self.placed_by,
            "placed_at": self.placed_at.isoformat(),
            "lifted_by": self.lifted_by,
            "lifted_at": self.lifted_at.isoformat() if self.lifted_at else None,
            "lift_reason": self.lift_reason,
            "inherited": self.inherited,
            "active": self.active,
        }


def place_hold(ws: Workspace, typed_kenmerk: str, reason: str) -> HoldInfo:
    """Place a hold on the dossier, Serie or Archief ``typed_kenmerk``; see the contract."""
    text = _reason(reason)
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        target = _holdable(session, typed_kenmerk)
        return place_in(session, target, text, actor=ws.actor, now=now)


def place_in(
    session: Session, target: Informatieobject, reason: str, *, actor: str, now: dt.datetime
) -> HoldInfo:
    """Place a hold on ``target`` inside the caller's transaction, with its audit row.

    For a service whose own action holds objects (a Woo request's scope), so the
    holds commit with it or not at all. Same rules as :func:`place_hold`."""
    text = _reason(reason)
    _require_holdable(target)
    hold = Hold(
        id=str(uuid.uuid4()),
        informatieobject_id=target.id,
        reason=text,
        placed_by=actor,
        placed_at=now,
    )
    session.add(hold)
    session.flush()
    audit.append(
        session,
        at=now,
        actor=actor,
        action="hold.placed",
        object_type="informatieobject",
        object_id=target.id,
        details={"hold": hold.id, "kenmerk": target.kenmerk, "reason": text},
    )
    return _info(hold, target, inherited=False)


def lift_hold(ws: Workspace, hold_id: str, reason: str) -> HoldInfo:
    """Lift the hold ``hold_id``; see the contract."""
    text = _reason(reason)
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        roles.require(session, ws.actor, roles.RECORDS_MANAGER)
        hold = session.get(Hold, _hold_id(hold_id), with_for_update=True)
        if hold is None:
            raise NotFoundError(N_("No hold with id {id}."), {"id": hold_id})
        return lift_in(session, hold, text, actor=ws.actor, now=now)


def lift_in(session: Session, hold: Hold, reason: str, *, actor: str, now: dt.datetime) -> HoldInfo:
    """Lift ``hold`` inside the caller's transaction, with its audit row.

    Same rules as :func:`lift_hold` (the role records manager; not twice); the
    caller locks the hold row if others may lift it at the same moment."""
    text = _reason(reason)
    roles.require(session, actor, roles.RECORDS_MANAGER)
    target = session.get(Informatieobject, hold.informatieobject_id)
    assert target is not None
    if hold.lifted_at is not None:
        raise UserError(
            N_("This hold on {kenmerk} was already lifted by {who} on {when}."),
            {
                "kenmerk": target.kenmerk,
                "who": hold.lifted_by or "?",
                "when": hold.lifted_at.date().isoformat(),
            },
        )
    hold.lifted_by, hold.lifted_at, hold.lift_reason = actor, now, text
    session.flush()
    audit.append(
        session,
        at=now,
        actor=actor,
        action="hold.lifted",
        object_type="informatieobject",
        object_id=target.id,
        details={"hold": hold.id, "kenmerk": target.kenmerk, "reason": text},
    )
    return _info(hold, target, inherited=False)


def holds_on(ws: Workspace, typed_kenmerk: str, *, include_lifted: bool = False) -> list[HoldInfo]:
    """The holds binding the object ``typed_kenmerk``: its own, then those above it."""
    with ws.readers() as session:
        target = dossiers.find_by_kenmerk(session, typed_kenmerk, (*HOLDABLE, "Archiefstuk"))
        return list(binding(session, target, include_lifted=include_lifted))


def binding(
    session: Session, target: Informatieobject, *, include_lifted: bool = False
) -> tuple[HoldInfo, ...]:
    """The holds binding ``target`` in the caller's session (for details and lists)."""
    found: list[HoldInfo] = []
    for level, row in enumerate(_lineage(session, target)):
        query = select(Hold).where(Hold.informatieobject_id == row.id).order_by(Hold.placed_at)
        for hold in session.scalars(query):
            if include_lifted or hold.lifted_at is None:
                found.append(_info(hold, row, inherited=level > 0))
    return tuple(found)


def held_ids(session: Session, object_ids: Iterable[str]) -> set[str]:
    """Which of ``object_ids`` are held, by an active hold on themselves or an ancestor."""
    ids = list(dict.fromkeys(object_ids))
    if not ids:
        return set()
    active = set(session.scalars(select(Hold.informatieobject_id).where(Hold.lifted_at.is_(None))))
    if not active:
        return set()
    parents: dict[str, str | None] = {}
    pending = set(ids)
    while pending:  # parents a chunk at a time, level by level (a Serie is usually one up)
        batch = list(pending)
        pending = set()
        for start in range(0, len(batch), _CHUNK):
            query = select(Informatieobject.id, Informatieobject.parent_id).where(
                Informatieobject.id.in_(batch[start : start + _CHUNK])
            )
            for object_id, parent_id in session.execute(query):
                parents[object_id] = parent_id
                if parent_id is not None and parent_id not in parents:
                    pending.add(parent_id)
    held: set[str] = set()
    for object_id in ids:
        current: str | None = object_id
        seen: set[str] = set()
        while current is not None and current not in seen:
            if current in active:
                held.add(object_id)
                break
            seen.add(current)
            current = parents.get(current)
    return held


_CHUNK = 500
_CONTAINERS = ("Archief", "Serie")


@dataclass(frozen=True)
class HeldLookup:
    """Which objects are held, answered from memory for many dossiers at once.

    Built once per read (:func:`held_lookup`): the objects with an active hold of
    their own, and every Archief or Serie that is held by its own hold or one above
    it. A dossier is held when it, or its parent, is in there; when its parent is
    another dossier the lookup cannot tell (``None``) and :func:`held_ids` decides.
    """

    roots: frozenset[str]
    containers: frozenset[str]
    held_containers: frozenset[str]

    def is_held(self, object_id: str, parent_id: str | None) -> bool | None:
        if object_id in self.roots:
            return True
        if parent_id is None:
            return False
        if parent_id in self.roots or parent_id in self.held_containers:
            return True
        return False if parent_id in self.containers else None


def held_lookup(session: Session) -> HeldLookup:
    """The :class:`HeldLookup` of the session's snapshot (one query for the holds, one
    for the Archief and Serie objects: both are few next to the dossiers)."""
    roots = frozenset(
        session.scalars(select(Hold.informatieobject_id).where(Hold.lifted_at.is_(None)))
    )
    query = select(Informatieobject.id, Informatieobject.parent_id).where(
        Informatieobject.aggregatieniveau.in_(_CONTAINERS)
    )
    parents = {object_id: parent_id for object_id, parent_id in session.execute(query)}
    held: set[str] = set()
    for container in parents:
        current: str | None = container
        seen: set[str] = set()
        while current is not None and current not in seen:
            if current in roots:
                held.add(container)
                break
            seen.add(current)
            current = parents.get(current)
    return HeldLookup(roots, frozenset(parents), frozenset(held))


def _lineage(session: Session, row: Informatieobject) -> list[Informatieobject]:
    """``row`` and every object above it, nearest first."""
    chain = [row]
    seen = {row.id}
    while chain[-1].parent_id is not None and chain[-1].parent_id not in seen:
        parent = session.get(Informatieobject, chain[-1].parent_id)
        if parent is None:
            break
        chain.append(parent)
        seen.add(parent.id)
    return chain


def _holdable(session: Session, typed_kenmerk: str) -> Informatieobject:
    found = dossiers.find_by_kenmerk(session, typed_kenmerk, (*HOLDABLE, "Archiefstuk"))
    _require_holdable(found)
    return found


def _require_holdable(found: Informatieobject) -> None:
    if found.aggregatieniveau not in HOLDABLE:
        raise UserError(
            N_(
                "{kenmerk} is a record; place the hold on its dossier, which holds every "
                "record in it."
            ),
            {"kenmerk": found.kenmerk},
        )
    if found.status in ("destroyed", "transferred"):
        raise UserError(
            N_("{kenmerk} was already destroyed or transferred; there is nothing to hold."),
            {"kenmerk": found.kenmerk},
        )


def _reason(reason: str) -> str:
    text = " ".join(reason.split())
    if not text:
        raise UserError(N_("A hold needs a reason, for example the Woo request or the case."))
    if len(text) > REASON_MAX:
        raise UserError(
            N_("The reason is too long: at most {max} characters."), {"max": str(REASON_MAX)}
        )
    return text


def _hold_id(typed: str) -> str:
    try:
        return str(uuid.UUID(typed.strip()))
    except ValueError:
        raise NotFoundError(N_("No hold with id {id}."), {"id": typed}) from None


def _info(hold: Hold, target: Informatieobject, *, inherited: bool) -> HoldInfo:
    return HoldInfo(
        id=hold.id,
        kenmerk=target.kenmerk,
        naam=target.naam,
        reason=hold.reason,
        placed_by=hold.placed_by,
        placed_at=hold.placed_at,
        lifted_by=hold.lifted_by,
        lifted_at=hold.lifted_at,
        lift_reason=hold.lift_reason,
        inherited=inherited,
    )
