"""Conflicts: an object changed here and centrally since the common version.

Nothing is overwritten silently: the user sees both versions side by side
(:func:`open_conflicts` gives both states and which fields differ) and
chooses (:func:`resolve`):

* ``mine``: this workstation's version is based on the central version it saw;
  the next push writes it over the central one (unless that moved on again,
  which is a new conflict);
* ``theirs``: the central version is taken here and the local change leaves
  the outbox.

The choice goes into the audit trail (and with it to the central archive).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update

from recordsdesk import audit
from recordsdesk.archive.sync import rows
from recordsdesk.archive.sync.central import Central
from recordsdesk.db.models import ChangeLog, Informatieobject, SyncConflict, table_of
from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.i18n import N_
from recordsdesk.services.workspace import Workspace

CHOICES = ("mine", "theirs")
# fields that differ in every edit and say nothing to the user
_QUIET = frozenset({"updated_at"})


@dataclass(frozen=True)
class ConflictView:
    id: str
    entity: str
    key: str
    kenmerk: str
    naam: str
    local: dict[str, Any]
    central: dict[str, Any]
    differing: tuple[str, ...]
    central_version: int
    detected_at: dt.datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "entity": self.entity,
            "object_id": self.key,
            "kenmerk": self.kenmerk,
            "naam": self.naam,
            "differing": list(self.differing),
            "mine": {k: self.local.get(k) for k in self.differing},
            "theirs": {k: self.central.get(k) for k in self.differing},
            "detected_at": self.detected_at.isoformat(),
        }


def open_conflicts(ws: Workspace) -> list[ConflictView]:
    with ws.readers() as session:
        found = session.scalars(
            select(SyncConflict)
            .where(SyncConflict.resolved_at.is_(None))
            .order_by(SyncConflict.detected_at)
        ).all()
    return [_view(c) for c in found]


def _view(conflict: SyncConflict) -> ConflictView:
    local = json.loads(conflict.local_state)
    central = json.loads(conflict.central_state)
    differing = tuple(
        k for k in sorted(local) if k not in _QUIET and local.get(k) != central.get(k)
    )
    return ConflictView(
        conflict.id,
        conflict.entity,
        conflict.entity_id,
        local.get("kenmerk", ""),
        local.get("naam", ""),
        local,
        central,
        differing,
        conflict.central_version,
        conflict.detected_at,
    )


def resolve(ws: Workspace, central: Central, conflict_id: str, choice: str) -> ConflictView:
    """Settle one conflict; see the module contract. Raises UserError for an unknown
    choice, NotFoundError for an unknown or settled conflict."""
    if choice not in CHOICES:
        raise UserError(
            N_("Choose {choices}, not {choice}."),
            {"choices": " or ".join(CHOICES), "choice": choice},
        )
    theirs: dict[str, Any] | None = None
    with ws.readers() as session:
        conflict = session.get(SyncConflict, conflict_id)
        if conflict is None or conflict.resolved_at is not None:
            raise NotFoundError(N_("There is no open conflict {id}."), {"id": conflict_id})
        entity = rows.ENTITIES[conflict.entity]
        view = _view(conflict)
    if choice == "theirs":
        with central.reader.connect() as connection:
            theirs = rows.fetch(connection, entity, [view.key]).get(view.key)
        if theirs is None:
            raise UserError(
                N_("{kenmerk} is no longer visible in the central archive."),
                {"kenmerk": view.kenmerk},
            )
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        rows.guard(session)
        if theirs is not None:
            row = {**rows.payload(entity, theirs), "central_version": theirs["version"]}
            rows.update_row(session, entity, view.key, row)
            session.execute(
                delete(ChangeLog).where(ChangeLog.entity_id.in_(_forms(entity, view.key)))
            )
        else:
            session.execute(
                update(Informatieobject)
                .where(Informatieobject.id == view.key)
                .values(central_version=view.central_version)
                .execution_options(synchronize_session=False)
            )
            _ensure_pending(session, entity, view.key)
        session.execute(
            update(SyncConflict)
            .where(SyncConflict.id == conflict_id)
            .values(resolved_at=now, resolution=choice, resolved_by=ws.actor)
        )
        rows.unguard(session)
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="sync.conflict_resolved",
            object_type=entity.name,
            object_id=view.key,
            details={
                "kenmerk": view.kenmerk,
                "choice": choice,
                "central_version": view.central_version,
                "fields": list(view.differing),
            },
        )
    return view


def _forms(entity: rows.Entity, key: str) -> list[str]:
    return [key, uuid.UUID(key).hex] if entity.uuid_key else [key]


def _ensure_pending(session: Any, entity: rows.Entity, key: str) -> None:
    """``mine`` must reach the central archive even if its outbox entry is gone."""
    there = session.scalar(
        select(ChangeLog.seq).where(ChangeLog.entity_id.in_(_forms(entity, key))).limit(1)
    )
    if there is None:
        # in the form the capture triggers write (SQLite keeps UUIDs as bare hex): the
        # lists' sync column finds a waiting row by that form (outbox.object_states)
        sqlite = session.get_bind().dialect.name == "sqlite"
        stored = uuid.UUID(key).hex if entity.uuid_key and sqlite else key
        session.execute(
            table_of(ChangeLog).insert(), [{"entity": entity.name, "entity_id": stored, "op": "u"}]
        )
