"""MDTO events in the life of an object, recorded as ``event`` rows.

Every service that changes an object's life records one here (Creatie, Opname,
Ontvangst, Wijziging, Bevriezing, Export, Import), in the transaction of the
change itself, with the time and the responsible actor; the export writes them
as MDTO ``event`` elements (:mod:`recordsdesk.mdto.mapping`).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from recordsdesk.db.models import Event
from recordsdesk.services.workspace import Workspace


def record_event(
    session: Session,
    ws: Workspace,
    object_id: str,
    event_type: str,
    at: dt.datetime,
    resultaat: str | None = None,
) -> Event:
    """Add an event of ``event_type`` (a label of the MDTO event list) for ``object_id``,
    by ``ws.actor``; the caller's transaction commits it."""
    event = Event(
        id=str(uuid.uuid4()),
        informatieobject_id=object_id,
        event_type=event_type,
        event_tijd=at,
        verantwoordelijke_actor=ws.actor,
        resultaat=resultaat,
    )
    session.add(event)
    return event
