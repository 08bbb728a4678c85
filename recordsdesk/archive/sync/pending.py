"""Which dossiers a workstation's outbox concerns, and how many changes each.

Reported to the central archive on each sync (``workstation_dossier``) so that a
dossier's completeness there can say records may still be on their way. A
change to a record, its bestanden, events or holds counts for the record's
dossier; a change to a dossier for itself. Deleted rows cannot be traced any
more and are left out; so are changes above dossiers (a Serie).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from recordsdesk.archive.sync.rows import IN_CHUNK
from recordsdesk.db.models import Bestand, ChangeLog, Event, Hold, Informatieobject

#: at most this many dossiers are reported (the biggest); enough to warn, bounded
LIMIT = 5000
_OWNED_BY_OBJECT: dict[str, type[Bestand] | type[Event] | type[Hold]] = {
    "bestand": Bestand,
    "event": Event,
    "hold": Hold,
}


def pending_by_dossier(session: Session) -> dict[str, int]:
    """Dossier id -> number of rows with changes waiting in this workstation's outbox."""
    by_entity: dict[str, set[str]] = {}
    for entity, entity_id in session.execute(
        select(ChangeLog.entity, ChangeLog.entity_id).where(ChangeLog.op != "d").distinct()
    ):
        by_entity.setdefault(entity, set()).add(entity_id)
    owner: Counter[str] = Counter()  # informatieobject id -> changes
    for entity_id in by_entity.get("informatieobject", ()):
        owner[entity_id] += 1
    for entity, model in _OWNED_BY_OBJECT.items():
        for chunk in _chunks(sorted(by_entity.get(entity, ()))):
            for object_id in session.scalars(
                select(model.informatieobject_id).where(model.id.in_(chunk))
            ):
                owner[object_id] += 1
    counts: Counter[str] = Counter()
    objects: Counter[str] = Counter()
    for key, changes in owner.items():
        objects[_hex(key)] += changes
    for chunk in _chunks(sorted(objects)):
        for object_id, level, parent_id in session.execute(
            select(
                Informatieobject.id, Informatieobject.aggregatieniveau, Informatieobject.parent_id
            ).where(Informatieobject.id.in_(chunk))
        ):
            dossier = object_id if level == "Dossier" else parent_id
            if level in ("Dossier", "Archiefstuk") and dossier is not None:
                counts[dossier] += objects[_hex(object_id)]
    return dict(counts.most_common(LIMIT))


def _hex(key: str) -> str:
    return key.replace("-", "").lower()


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]
