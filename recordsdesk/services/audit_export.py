"""Exporting the audit trail of one dossier or one destruction/transfer list (issue 5, point 8).

Contract of :func:`export_audit`: a records manager writes, as CSV (UTF-8 with
BOM, semicolons, one row per audit event in chain order), every audit event
about the dossier (the dossier and everything under it, and the list events
that name it) or about the list (every event of the list, its items included).
Each row carries the event's hash and its predecessor's, so a reader can check
the rows against the chain (``recordsdesk verify`` checks the whole chain). The
file is written atomically (temp file, fsync, rename). The dossier's MDTO
events (Creatie, Bevriezing, Vernietiging, Overbrenging …) go out with
``export mdto`` as before.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from recordsdesk.db.models import AuditEvent, Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.services import disposal, dossiers, roles
from recordsdesk.services.workspace import Workspace

HEADER = ("seq", "at", "actor", "action", "object_type", "object_id", "details",
          "prev_hash", "hash")  # fmt: skip
_PAGE = 2000


def export_audit(
    ws: Workspace, out: Path, *, kenmerk: str | None = None, list_id: str | None = None
) -> int:
    """Write the audit trail of the dossier ``kenmerk`` or the list ``list_id`` to ``out``;
    returns the number of events written."""
    if (kenmerk is None) == (list_id is None):
        raise UserError(N_("Name either a dossier (--dossier) or a list (--list)."))
    temp = out.with_name(f".{out.name}.part")
    with ws.readers() as session:
        roles.require(session, ws.actor, roles.RECORDS_MANAGER)
        condition = _about_dossier(session, kenmerk) if kenmerk else _about_list(session, list_id)
        try:
            with temp.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle, delimiter=";")
                writer.writerow(HEADER)
                count = 0
                for row in _rows(session, condition):
                    writer.writerow(row)
                    count += 1
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, out)
        except OSError as exc:
            raise UserError(
                N_("Cannot write {path}: {reason}"),
                {"path": str(out), "reason": exc.strerror or str(exc)},
            ) from None
        finally:
            temp.unlink(missing_ok=True)
    return count


def _about_dossier(session: Session, typed: str) -> object:
    target = dossiers.find_by_kenmerk(session, typed, ("Serie", "Dossier"))
    family, frontier = [target.id], [target.id]
    while frontier:
        frontier = list(
            session.scalars(
                select(Informatieobject.id).where(Informatieobject.parent_id.in_(frontier))
            )
        )
        family.extend(frontier)
    # list events name the dossier by kenmerk in their details (a bound parameter)
    named = (AuditEvent.object_type == "disposal_list") & AuditEvent.details.contains(
        f'"{target.kenmerk}"'
    )
    return or_(AuditEvent.object_id.in_([str(i) for i in family]), named)


def _about_list(session: Session, typed: str | None) -> object:
    found = disposal.find_list(session, typed or "")
    return AuditEvent.object_id == str(found.id)


def _rows(session: Session, condition: object) -> Iterator[list[str]]:
    after = 0
    while True:
        page = session.scalars(
            select(AuditEvent)
            .where(condition, AuditEvent.seq > after)  # type: ignore[arg-type]
            .order_by(AuditEvent.seq)
            .limit(_PAGE)
        ).all()
        if not page:
            return
        for event in page:
            yield [
                str(event.seq), event.at.isoformat(), event.actor, event.action,
                event.object_type, event.object_id or "", event.details, event.prev_hash,
                event.hash,
            ]  # fmt: skip
        after = page[-1].seq
        session.expunge_all()
